/* lex.c - cutting a topic query into tokens, and the table of fields.
 *
 * The lexer knows the shape of words, "phrases", {exact} terms, brackets,
 * operators (AND OR NOT NEAR/n NEAR/nf ONEAR/n SENTENCE, upper case; lower
 * case too in lenient mode), -word, ~n, field:, [ and ], and skips
 * comments <<< ... >>>.  It does not tokenise terms (parse.c runs them
 * through text_tokenise()); a word here is any run of bytes up to white
 * space or one of ( ) " { } [ ] ~ or a comment.  Every token records its
 * byte offset so that errors can point at it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "query_int.h"

/* ---- fields ---- */

struct field_name {
	const char *name; /* as written, compared case-insensitively */
	int field;        /* enum query_field */
};

static const struct field_name field_names[] = {
	{ "title", QF_TITLE },
	{ "text", QF_TEXT },
	{ "content", QF_TEXT },
	{ "message", QF_TEXT },
	{ "author", QF_AUTHOR },
	{ "site", QF_SITE },
	{ "url", QF_URL },
	{ "links", QF_LINKS },
	{ "lang", QF_LANG },
	{ "language", QF_LANG },
	{ "source", QF_SOURCE },
	{ "sourcetype", QF_SOURCE },
	{ "country", QF_COUNTRY },
	{ "authorFollowers", QF_AUTHOR_FOLLOWERS },
	{ "rating", QF_RATING },
	{ "product", QF_PRODUCT },
	{ "itemReview", QF_PRODUCT },
	{ "is", QF_IS },
	{ "hashtag", QF_HASHTAG },
	{ "mention", QF_MENTION },
	{ "sentiment", QF_SENTIMENT },
	{ "intent", QF_INTENT },
	{ "topic", QF_TOPIC },
};

static const char *const canonical_names[QF__COUNT] = {
	[QF_NONE] = "",
	[QF_TITLE] = "title", [QF_TEXT] = "text", [QF_AUTHOR] = "author",
	[QF_SITE] = "site", [QF_URL] = "url", [QF_LINKS] = "links", [QF_LANG] = "lang",
	[QF_SOURCE] = "source", [QF_COUNTRY] = "country", [QF_PRODUCT] = "product",
	[QF_IS] = "is", [QF_SENTIMENT] = "sentiment", [QF_INTENT] = "intent",
	[QF_TOPIC] = "topic", [QF_HASHTAG] = "hashtag", [QF_MENTION] = "mention",
	[QF_AUTHOR_FOLLOWERS] = "authorFollowers", [QF_RATING] = "rating",
};

static int lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* True when s[0..len) equals the NUL-terminated word, ignoring ASCII case. */
static int eq_nocase(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!word[i] || lower_ascii((unsigned char)s[i]) != lower_ascii((unsigned char)word[i]))
			return 0;
	return word[len] == '\0';
}

int query__field_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
		if (eq_nocase(name, len, field_names[i].name))
			return field_names[i].field;
	return QF_NONE;
}

const char *query__field_name(int field)
{
	return field > QF_NONE && field < QF__COUNT ? canonical_names[field] : "";
}

int query__field_kind(int field)
{
	switch (field) {
	case QF_TITLE: case QF_TEXT: case QF_AUTHOR:
		return QFK_SUBQUERY;
	case QF_HASHTAG: case QF_MENTION:
		return QFK_FORM;
	case QF_AUTHOR_FOLLOWERS: case QF_RATING:
		return QFK_RANGE;
	default:
		return QFK_KEYWORD;
	}
}

/* ---- warnings ---- */

#define MAX_WARNINGS 1000

void query__warn(struct query_diag *diag, long col, const char *fmt, ...)
{
	struct query_warning *w;
	va_list ap;

	if (!diag || diag->n_warn >= MAX_WARNINGS)
		return;
	diag->warn = horch_xgrow(diag->warn, &diag->cap_warn, diag->n_warn + 1, sizeof *diag->warn);
	w = &diag->warn[diag->n_warn++];
	w->col = col;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof w->msg, fmt, ap);
	va_end(ap);
}

/* ---- the lexer ---- */

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Bytes that end a word. */
static int ends_word(const char *s, size_t len, size_t i)
{
	int c = (unsigned char)s[i];

	if (is_space(c))
		return 1;
	switch (c) {
	case '(': case ')': case '"': case '{': case '}': case '[': case ']': case '~':
		return 1;
	case '<':
		return i + 2 < len && s[i + 1] == '<' && s[i + 2] == '<';
	default:
		return 0;
	}
}

static void push(struct qtoks *toks, const struct qtok *t)
{
	toks->v = horch_xgrow(toks->v, &toks->cap, toks->n + 1, sizeof *toks->v);
	toks->v[toks->n++] = *t;
}

void query__toks_cleanup(struct qtoks *toks)
{
	if (!toks)
		return;
	free(toks->v);
	toks->v = NULL;
	toks->n = toks->cap = 0;
}

/* Read the decimal number at s[*i..len) into *num (saturating above
 * 1,000,000).  Returns the number of digits read. */
static size_t read_num(const char *s, size_t len, size_t *i, uint32_t *num)
{
	size_t n = 0;
	uint32_t v = 0;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (v < 1000000)
			v = v * 10 + (uint32_t)(s[*i] - '0');
		(*i)++;
		n++;
	}
	*num = v;
	return n;
}

static void set_hint(char *hint, size_t hint_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_hint(char *hint, size_t hint_size, const char *fmt, ...)
{
	va_list ap;

	if (!hint || !hint_size)
		return;
	va_start(ap, fmt);
	vsnprintf(hint, hint_size, fmt, ap);
	va_end(ap);
}

/* Classify the word s[off..off+len) as an operator.  Returns the qtok kind
 * (QTOK_WORD when it is none); fills t->num, t->ordered, t->lower.  A NEAR
 * without a valid /n is an error (returns -1 with err and hint filled). */
static int classify(const char *s, size_t off, size_t len, unsigned flags, struct qtok *t,
		    struct horch_err *err, char *hint, size_t hint_size)
{
	const char *w = s + off;
	int lenient = (flags & QUERY_LENIENT) != 0;
	size_t i, k;
	int upper = 1, kind = QTOK_WORD, onear = 0;

	/* the case of the letters before a '/' (the f of NEAR/5f is lower case) */
	for (i = 0; i < len && w[i] != '/'; i++)
		if (w[i] >= 'a' && w[i] <= 'z')
			upper = 0;
	if (!upper && !lenient)
		return QTOK_WORD;
	if (eq_nocase(w, len, "AND"))
		kind = QTOK_AND;
	else if (eq_nocase(w, len, "OR"))
		kind = QTOK_OR;
	else if (eq_nocase(w, len, "NOT"))
		kind = QTOK_NOT;
	else if (eq_nocase(w, len, "SENTENCE"))
		kind = QTOK_SENTENCE;
	if (kind != QTOK_WORD) {
		t->lower = !upper;
		return kind;
	}
	/* NEAR/n, NEAR/nf, ONEAR/n; a bare NEAR or ONEAR in upper case, or
	 * one with a slash, is meant as the operator and so an error when
	 * malformed; a bare lower-case near (lenient mode) is the word. */
	if (len >= 4 && eq_nocase(w, 4, "NEAR"))
		k = 4;
	else if (len >= 5 && eq_nocase(w, 5, "ONEAR"))
		k = 5, onear = 1;
	else
		return QTOK_WORD;
	if (k < len && w[k] != '/')
		return QTOK_WORD; /* nearby, NEARLY: words */
	if (!upper && k == len)
		return QTOK_WORD; /* lenient: "hotel near airport" means the word */
	if (k == len || k + 1 == len) {
		set_hint(hint, hint_size, "write  a %s/5 b  (at most 5 words between a and b)",
			 onear ? "ONEAR" : "NEAR");
		return horch_err_at(err, HORCH_EPARSE, 1, (long)(off + 1),
				    "%s needs a distance", onear ? "ONEAR" : "NEAR");
	}
	i = off + k + 1;
	if (read_num(s, off + len, &i, &t->num) == 0) {
		set_hint(hint, hint_size, "write  a %s/5 b", onear ? "ONEAR" : "NEAR");
		return horch_err_at(err, HORCH_EPARSE, 1, (long)(off + k + 2),
				    "%s/ needs a number", onear ? "ONEAR" : "NEAR");
	}
	if (i < off + len && !onear && (s[i] == 'f' || (lenient && s[i] == 'F')))
		t->ordered = 1, i++;
	if (i != off + len) {
		set_hint(hint, hint_size, "write  a NEAR/5 b,  a NEAR/5f b  or  a ONEAR/5 b");
		return horch_err_at(err, HORCH_EPARSE, 1, (long)(i + 1),
				    "unexpected '%c' after %s/%u", s[i], onear ? "ONEAR" : "NEAR",
				    (unsigned)t->num);
	}
	if (onear)
		t->ordered = 1;
	if (t->num > QUERY_MAX_DIST) {
		set_hint(hint, hint_size, "use a distance of at most %u", QUERY_MAX_DIST);
		return horch_err_at(err, HORCH_ETOOBIG, 1, (long)(off + k + 2),
				    "NEAR distance is above the limit of %u", QUERY_MAX_DIST);
	}
	t->lower = !upper;
	return QTOK_NEAR;
}

int query__lex(struct qtoks *toks, const char *s, size_t len, unsigned flags,
	       struct query_diag *diag, struct horch_err *err, char *hint, size_t hint_size)
{
	size_t i = 0;
	int touch = 0;

	toks->n = 0;
	for (;;) {
		struct qtok t;
		size_t start;
		int c;

		while (i < len && is_space((unsigned char)s[i]))
			i++, touch = 0;
		if (i + 2 < len && s[i] == '<' && s[i + 1] == '<' && s[i + 2] == '<') {
			size_t j = i + 3;

			while (j + 2 < len && !(s[j] == '>' && s[j + 1] == '>' && s[j + 2] == '>'))
				j++;
			if (j + 2 >= len) {
				set_hint(hint, hint_size, "close the comment with >>>");
				return horch_err_at(err, HORCH_EPARSE, 1, (long)(i + 1),
						    "comment <<< is not closed");
			}
			i = j + 3;
			touch = 0;
			continue;
		}
		memset(&t, 0, sizeof t);
		t.off = (uint32_t)i;
		t.touch = (uint8_t)touch;
		touch = 1;
		if (i >= len) {
			t.kind = QTOK_EOF;
			push(toks, &t);
			return 0;
		}
		start = i;
		c = (unsigned char)s[i];
		switch (c) {
		case '(': t.kind = QTOK_LPAREN; i++; break;
		case ')': t.kind = QTOK_RPAREN; i++; break;
		case '[': t.kind = QTOK_LBRACK; i++; break;
		case ']': t.kind = QTOK_RBRACK; i++; break;
		case '"':
		case '{': {
			char close = c == '"' ? '"' : '}';
			size_t j = i + 1;

			while (j < len && s[j] != close)
				j++;
			if (j >= len) {
				set_hint(hint, hint_size, "close it with %c", close);
				return horch_err_at(err, HORCH_EPARSE, 1, (long)(i + 1),
						    c == '"' ? "phrase is not closed" :
						    "exact term { is not closed");
			}
			t.kind = c == '"' ? QTOK_PHRASE : QTOK_EXACT;
			t.v = (uint32_t)(i + 1);
			t.vlen = (uint32_t)(j - i - 1);
			i = j + 1;
			break;
		}
		case '}':
			set_hint(hint, hint_size, "write an exact term as  {XPS}");
			return horch_err_at(err, HORCH_EPARSE, 1, (long)(i + 1),
					    "'}' without '{'");
		case '~':
			i++;
			if (read_num(s, len, &i, &t.num) == 0) {
				set_hint(hint, hint_size, "write  \"a b\"~5  (within 5 words)");
				return horch_err_at(err, HORCH_EPARSE, 1, (long)(start + 1),
						    "~ needs a number");
			}
			if (t.num > QUERY_MAX_DIST) {
				set_hint(hint, hint_size, "use a distance of at most %u", QUERY_MAX_DIST);
				return horch_err_at(err, HORCH_ETOOBIG, 1, (long)(start + 2),
						    "~ distance is above the limit of %u",
						    QUERY_MAX_DIST);
			}
			t.kind = QTOK_TILDE;
			break;
		default: {
			size_t j = i;
			int kind;

			if (c == '-' && i + 1 < len && !is_space((unsigned char)s[i + 1]) &&
			    !strchr("-)]}~", s[i + 1])) {
				t.kind = QTOK_MINUS;
				i++;
				break;
			}
			/* field: a run of ASCII letters and a colon */
			while (j < len && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
				j++;
			if (j > i && j < len && s[j] == ':') {
				int field = query__field_lookup(s + i, j - i);

				if (field != QF_NONE) {
					t.kind = QTOK_FIELD;
					t.field = (uint8_t)field;
					t.v = (uint32_t)i;
					t.vlen = (uint32_t)(j - i);
					i = j + 1;
					break;
				}
				if (!eq_nocase(s + i, j - i, "http") && !eq_nocase(s + i, j - i, "https")) {
					if (!(flags & QUERY_LENIENT)) {
						set_hint(hint, hint_size,
							 "fields are title text author site url links lang "
							 "source country authorFollowers rating product is "
							 "hashtag mention sentiment intent topic; "
							 "quote a word with a colon: \"%.*s:\"",
							 (int)(j - i > 60 ? 60 : j - i), s + i);
						return horch_err_at(err, HORCH_EPARSE, 1, (long)(i + 1),
								    "unknown field '%.*s:'",
								    (int)(j - i > 60 ? 60 : j - i), s + i);
					}
					query__warn(diag, (long)(i + 1),
						    "unknown field '%.*s:' read as words (strict mode refuses it)",
						    (int)(j - i > 60 ? 60 : j - i), s + i);
				}
			}
			j = i;
			while (j < len && !ends_word(s, len, j))
				j++;
			t.v = (uint32_t)i;
			t.vlen = (uint32_t)(j - i);
			kind = classify(s, i, j - i, flags, &t, err, hint, hint_size);
			if (kind < 0)
				return kind;
			t.kind = (uint8_t)kind;
			if (t.kind != QTOK_WORD && t.lower)
				query__warn(diag, (long)(i + 1),
					    "lower-case '%.*s' read as an operator (strict mode reads it as a word)",
					    (int)(j - i), s + i);
			i = j;
			break;
		}
		}
		t.len = (uint32_t)(i - start);
		push(toks, &t);
	}
}
