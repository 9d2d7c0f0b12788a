/* parse.c - from query tokens to the syntax tree, with every rule checked.
 *
 * The parser reads one bracket level at a time as a flat list of operands
 * and the operators between them, checks the list against the rules of
 * strict mode (AND and OR not mixed, NEAR alone at its level, no NEAR
 * chain), and builds the tree with the precedence NEAR/SENTENCE > AND > OR.
 * In lenient mode the same checks give warnings instead of errors.  Terms
 * go through text_normalise() and text_tokenise(), the steps every post
 * goes through, so that a term and a post's token meet in the same folded
 * form.  Limits: QUERY_MAX_LEN bytes, QUERY_MAX_TERMS terms,
 * QUERY_MAX_DIST for NEAR and ~, QUERY_MAX_DEPTH brackets. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/alloc.h"
#include "../text/text.h"
#include "query_int.h"

struct parser {
	const char *src;          /* the query */
	size_t len;               /* its byte length */
	unsigned flags;           /* QUERY_* */
	struct qtok *t;           /* the tokens, ending with QTOK_EOF */
	size_t i;                 /* index of the current token */
	struct query *q;          /* the query being built (its arena) */
	struct query_diag *diag;  /* warnings; may be NULL */
	struct horch_err *err;    /* the first error */
	char hint[256];           /* the hint of the first error */
	unsigned depth;           /* brackets open */
	int in_field;             /* inside a field's value */
	int code;                 /* the first error's code */
	struct buf norm;          /* a term, normalised */
	struct tokens toks;       /* its tokens */
	struct tokens chk;        /* a fold tokenised again (term_of()) */
	struct buf chk_text;      /* the text tokenised for chk */
};

/* An operator between two operands of one level. */
enum { OP_AND, OP_IMPLICIT, OP_OR, OP_NEAR, OP_SENTENCE };

struct op {
	int kind;          /* OP_* */
	uint32_t off;      /* byte offset of the operator (of the next operand for OP_IMPLICIT) */
	uint32_t dist;     /* OP_NEAR */
	int ordered;       /* OP_NEAR */
};

/* ---- small helpers ---- */

static const struct qtok *cur(const struct parser *p)
{
	return &p->t[p->i];
}

static void hint(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void hint(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->hint, sizeof p->hint, fmt, ap);
	va_end(ap);
}

static int fail(struct parser *p, int code, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Record the error at byte offset off and return code. */
static int fail(struct parser *p, int code, size_t off, const char *fmt, ...)
{
	va_list ap;

	p->code = code;
	if (p->err) {
		p->err->code = code;
		p->err->line = 1;
		p->err->col = (long)off + 1;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Set the hint to "write  " and the query with brackets around
 * src[a..b) (the whole query when it is short, else only the part). */
static void hint_bracket(struct parser *p, size_t a, size_t b)
{
	if (p->len <= 160)
		hint(p, "write  %.*s(%.*s)%.*s", (int)a, p->src, (int)(b - a), p->src + a,
		     (int)(p->len - b), p->src + b);
	else
		hint(p, "write  (%.*s)", (int)(b - a > 160 ? 160 : b - a), p->src + a);
}

static struct qnode *new_node(struct parser *p, int kind, size_t off, size_t end)
{
	struct qnode *n = arena_alloc(&p->q->arena, sizeof *n);

	memset(n, 0, sizeof *n);
	n->kind = (uint8_t)kind;
	n->off = (uint32_t)off;
	n->end = (uint32_t)end;
	return n;
}

static void set_kids(struct parser *p, struct qnode *n, struct qnode **kids, size_t n_kids)
{
	n->kids = arena_alloc(&p->q->arena, (n_kids ? n_kids : 1) * sizeof *kids);
	memcpy(n->kids, kids, n_kids * sizeof *kids);
	n->n_kids = (uint32_t)n_kids;
}

static struct qnode *node2(struct parser *p, int kind, struct qnode *a, struct qnode *b)
{
	struct qnode *kids[2] = { a, b };
	struct qnode *n = new_node(p, kind, a->off, b->end);

	set_kids(p, n, kids, 2);
	return n;
}

/* Count one term at byte offset off against the limit. */
static int count_term(struct parser *p, size_t off)
{
	if (++p->q->n_terms > QUERY_MAX_TERMS) {
		hint(p, "split the topic in two, or use wildcards and OR groups");
		return fail(p, HORCH_ETOOBIG, off, "the query has more than %u terms", QUERY_MAX_TERMS);
	}
	return 0;
}

/* Normalise and tokenise src[off..off+len) into p->norm and p->toks. */
static int tokenise(struct parser *p, size_t off, size_t len)
{
	int rc;

	buf_reset(&p->norm);
	rc = text_normalise(&p->norm, p->src + off, len, NULL);
	if (!rc)
		rc = text_tokenise(&p->toks, p->norm.ptr ? p->norm.ptr : "", p->norm.len);
	if (rc)
		return fail(p, HORCH_ETOOBIG, off, "term too long");
	return 0;
}

static int form_of(int kind)
{
	switch (kind) {
	case TOKEN_HASHTAG: return QFORM_HASHTAG;
	case TOKEN_MENTION: return QFORM_MENTION;
	case TOKEN_CASHTAG: return QFORM_CASHTAG;
	default: return QFORM_ANY;
	}
}

/* A term node for token k of p->toks, spanning src[off..end). */
static struct qnode *term_of(struct parser *p, size_t k, size_t off, size_t end, int exact)
{
	const struct token *tk = &p->toks.v[k];
	struct qnode *n = new_node(p, QN_TERM, off, end);

	n->form = (uint8_t)form_of(tk->kind);
	n->fold = arena_strndup(&p->q->arena, p->toks.fold.ptr + tk->fold_off, tk->fold_len);
	n->fold_len = tk->fold_len;
	n->tkind = tk->kind;
	n->text = arena_strndup(&p->q->arena, p->norm.ptr + tk->off, tk->len);
	n->text_len = tk->len;
	/* The canonical form prints the fold; when the fold alone would not
	 * read back as this one token (a trailing U+02BC folds to an
	 * apostrophe that ends no word), it prints the token as written. */
	if (tk->kind != TOKEN_EMOJI) {
		const char *sg = n->form == QFORM_HASHTAG ? "#" : n->form == QFORM_MENTION ? "@" :
				 n->form == QFORM_CASHTAG ? "$" : "";

		buf_reset(&p->chk_text);
		buf_puts(&p->chk_text, sg);
		buf_append(&p->chk_text, n->fold, n->fold_len);
		if (text_tokenise(&p->chk, p->chk_text.ptr, p->chk_text.len) || p->chk.n != 1 ||
		    p->chk.v[0].kind != tk->kind || p->chk.v[0].fold_len != tk->fold_len ||
		    memcmp(p->chk.fold.ptr + p->chk.v[0].fold_off, n->fold, n->fold_len) != 0)
			n->flags |= QN_F_TEXT;
	}
	if (exact) {
		n->flags |= QN_F_EXACT;
		n->exact = arena_strndup(&p->q->arena, p->norm.ptr + tk->off, tk->len);
		n->exact_len = tk->len;
	}
	return n;
}

/* The tokens of p->toks a term is made of: all but punctuation. */
static size_t content_tokens(struct parser *p, size_t *idx, size_t max)
{
	size_t k, n = 0;

	for (k = 0; k < p->toks.n && n < max; k++)
		if (p->toks.v[k].kind != TOKEN_PUNCT)
			idx[n++] = k;
	return n;
}

#define MAX_PHRASE QUERY_MAX_TERMS

/* Build the term or phrase for src[off..off+len) (a word, the content of a
 * phrase or of {}), as the tokenizer cuts it.  With prox (a phrase with
 * ~n) the result is a QN_PROX whose items are terms, or phrases for words
 * joined by inner punctuation.  Returns the node or NULL (error set). */
static struct qnode *terms_node(struct parser *p, size_t off, size_t len, size_t span_off,
				size_t span_end, int exact, int prox, uint32_t dist)
{
	size_t *idx = NULL, n, k;
	struct qnode **kids = NULL, *node = NULL;
	size_t n_kids = 0;

	if (tokenise(p, off, len))
		return NULL;
	idx = horch_xmalloc((p->toks.n + 1) * sizeof *idx);
	kids = horch_xmalloc((p->toks.n + 1) * sizeof *kids);
	n = content_tokens(p, idx, p->toks.n);
	if (n == 0 && len == 0) {
		hint(p, "write a term inside, or remove them");
		fail(p, HORCH_EPARSE, span_off, exact ? "empty {}" : "empty phrase");
		goto out;
	}
	if (n == 0) {
		hint(p, "write words, numbers, hashtags or emoji");
		fail(p, HORCH_EPARSE, span_off, "'%.*s' has nothing to match",
		     (int)(len > 60 ? 60 : len), p->src + off);
		goto out;
	}
	for (k = 0; k < n; k++)
		if (count_term(p, span_off))
			goto out;
	if (n == 1) {
		node = term_of(p, idx[0], span_off, span_end, exact);
		if (prox)
			query__warn(p->diag, (long)span_off + 1,
				    "~%u on a single word does nothing", (unsigned)dist);
		goto out;
	}
	if (!prox) {
		for (k = 0; k < n; k++)
			kids[k] = term_of(p, idx[k], span_off, span_end, exact);
		node = new_node(p, QN_PHRASE, span_off, span_end);
		set_kids(p, node, kids, n);
		goto out;
	}
	/* ~n: words joined by inner punctuation stay phrases */
	for (k = 0; k < n;) {
		size_t j = k + 1;

		while (j < n && idx[j] == idx[j - 1] + 1 && (p->toks.v[idx[j]].flags & TOKEN_F_JOINED))
			j++;
		if (j - k == 1) {
			kids[n_kids++] = term_of(p, idx[k], span_off, span_end, exact);
		} else {
			struct qnode **sub = horch_xmalloc((j - k) * sizeof *sub);
			size_t m;

			for (m = k; m < j; m++)
				sub[m - k] = term_of(p, idx[m], span_off, span_end, exact);
			kids[n_kids] = new_node(p, QN_PHRASE, span_off, span_end);
			set_kids(p, kids[n_kids++], sub, j - k);
			free(sub);
		}
		k = j;
	}
	if (n_kids == 1) {
		query__warn(p->diag, (long)span_off + 1, "~%u on a single word does nothing",
			    (unsigned)dist);
		node = kids[0];
		goto out;
	}
	node = new_node(p, QN_PROX, span_off, span_end);
	node->dist = dist;
	set_kids(p, node, kids, n_kids);
out:
	free(idx);
	free(kids);
	return node;
}

/* Number of UTF-8 characters in s[0..len). */
static size_t n_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* A wildcard term: the word src[off..off+len) holds * or ?.  Each literal
 * part must be one word; the pattern keeps the folded parts.  Returns the
 * node or NULL (error set). */
static struct qnode *wildcard_node(struct parser *p, size_t off, size_t len)
{
	const char *w = p->src + off;
	struct buf pat;
	struct qnode *node = NULL;
	size_t i, star = len, part = 0, prefix_len = 0;
	const char *fstar;
	int first = 1, ok;

	buf_init(&pat, BUF_NOLIMIT);
	if (w[0] == '#' || w[0] == '@' || w[0] == '$') {
		hint(p, "write  %.*s  without the wildcard, or a plain word with it",
		     (int)(len > 60 ? 60 : len), w);
		fail(p, HORCH_EPARSE, off, "wildcards work only on plain words, not on hashtags, "
		     "mentions or cashtags");
		goto out;
	}
	if (w[0] == '*' || w[0] == '?') {
		hint(p, "a wildcard needs at least 2 characters before it, as in  akku*");
		fail(p, HORCH_EPARSE, off, "a wildcard cannot start a word");
		goto out;
	}
	for (i = 0; i < len; i++)
		if (w[i] == '*') {
			star = i;
			break;
		}
	for (i = 0; i <= len; i++) {
		if (i < len && w[i] != '*' && w[i] != '?')
			continue;
		if (i > part) {
			const struct token *tk;

			if (tokenise(p, off + part, i - part))
				goto out;
			tk = p->toks.n ? &p->toks.v[0] : NULL;
			/* one word, whose fold (what the pattern keeps) is one word too */
			ok = p->toks.n == 1 && (tk->kind == TOKEN_WORD || tk->kind == TOKEN_NUMBER) &&
			     tk->off == 0 && tk->len == p->norm.len &&
			     text_tokenise(&p->chk, p->toks.fold.ptr + tk->fold_off, tk->fold_len) == 0 &&
			     p->chk.n == 1 && p->chk.v[0].len == tk->fold_len &&
			     p->chk.v[0].kind == tk->kind;
			if (!ok) {
				hint(p, "use a wildcard on one word only, as in  akku*  or  customi?e");
				fail(p, HORCH_EPARSE, off + part, "'%.*s' in a wildcard term is not "
				     "one word", (int)(i - part > 60 ? 60 : i - part), w + part);
				goto out;
			}
			buf_append(&pat, p->toks.fold.ptr + tk->fold_off, tk->fold_len);
		}
		if (first)
			prefix_len = pat.len, first = 0;
		if (i < len)
			buf_putc(&pat, w[i]);
		part = i + 1;
	}
	/* Characters are counted in the folded pattern, the form that is
	 * matched and printed (a stray accent folds away). */
	fstar = (const char *)memchr(pat.ptr, '*', pat.len);
	if (fstar && n_chars(pat.ptr, (size_t)(fstar - pat.ptr)) < 2) {
		hint(p, "write at least 2 characters before *, as in  akku*");
		fail(p, HORCH_EPARSE, off + star, "'*' needs at least 2 characters before it");
		goto out;
	}
	if (count_term(p, off))
		goto out;
	if (fstar && n_chars(pat.ptr, (size_t)(fstar - pat.ptr)) < 3)
		query__warn(p->diag, (long)off + 1, "wildcard '%.*s' has a short stem: it matches "
			    "many words", (int)(len > 60 ? 60 : len), w);
	node = new_node(p, QN_TERM, off, off + len);
	node->flags |= QN_F_WILDCARD;
	node->fold = arena_strndup(&p->q->arena, pat.ptr, pat.len);
	node->fold_len = (uint32_t)pat.len;
	node->prefix_len = (uint32_t)prefix_len;
out:
	buf_cleanup(&pat);
	return node;
}

/* A bare word: a term, a phrase of its parts (e-mail), or a wildcard. */
static struct qnode *word_node(struct parser *p, const struct qtok *t)
{
	const char *w = p->src + t->v;
	struct qnode *n;
	int want = -1;

	if (memchr(w, '*', t->vlen) || memchr(w, '?', t->vlen))
		return wildcard_node(p, t->v, t->vlen);
	if (w[0] == '#')
		want = TOKEN_HASHTAG;
	else if (w[0] == '@')
		want = TOKEN_MENTION;
	else if (w[0] == '$')
		want = TOKEN_CASHTAG;
	n = terms_node(p, t->v, t->vlen, t->off, t->off + t->len, 0, 0, 0);
	if (n && want >= 0 && (p->toks.n == 0 || p->toks.v[0].kind != want)) {
		hint(p, want == TOKEN_HASHTAG ? "a hashtag needs a letter, as in  #dell" :
		     want == TOKEN_MENTION ? "a mention is @ and a handle, as in  @DellCares" :
		     "a cashtag is $ and 1 to 6 letters, as in  $DELL");
		fail(p, HORCH_EPARSE, t->off, "'%.*s' is not a %s", (int)(t->vlen > 60 ? 60 : t->vlen),
		     w, text_token_kind_name(want));
		return NULL;
	}
	return n;
}

/* ---- fields ---- */

static const char *const source_values[] = {
	"twitter", "mastodon", "bluesky", "reddit", "hn", "rss", "review", "webhook", "file", NULL
};
static const char *const is_values[] = { "retweet", "reply", "review", "question", NULL };
static const char *const sentiment_values[] = { "negative", "neutral", "positive", NULL };
static const char *const intent_values[] = {
	"complaint", "question", "praise", "purchase", "idea", "other", NULL
};

static const char *const *field_values(int field)
{
	switch (field) {
	case QF_SOURCE: return source_values;
	case QF_IS: return is_values;
	case QF_SENTIMENT: return sentiment_values;
	case QF_INTENT: return intent_values;
	default: return NULL;
	}
}

static int has_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

/* A product name cut and folded as a post's text is, its words joined by
 * one space ("XPS-13 Plus" is "xps 13 plus"), emoji as written (an
 * emoticon's fold, :d, reads back as no emoji), into val.  The cut is
 * repeated until it changes nothing, so that the printed value reads back
 * the same (a fold can end in a character that ends no word).  Returns 0
 * or an error. */
static int product_value(struct parser *p, struct buf *val, const char *v, size_t len)
{
	struct buf prev;
	int round, rc = 0;

	buf_init(&prev, BUF_NOLIMIT);
	buf_append(&prev, v, len);
	for (round = 0; round < 8; round++) {
		size_t k;

		buf_reset(&p->norm);
		if (text_normalise(&p->norm, prev.ptr, prev.len, NULL) ||
		    text_tokenise(&p->toks, p->norm.ptr ? p->norm.ptr : "", p->norm.len)) {
			rc = fail(p, HORCH_ETOOBIG, 0, "product: value too long");
			goto out;
		}
		buf_reset(val);
		for (k = 0; k < p->toks.n; k++) {
			const struct token *tk = &p->toks.v[k];

			if (tk->kind == TOKEN_PUNCT)
				continue;
			if (val->len)
				buf_putc(val, ' ');
			if (tk->kind == TOKEN_EMOJI)
				buf_append(val, p->norm.ptr + tk->off, tk->len);
			else
				buf_append(val, p->toks.fold.ptr + tk->fold_off, tk->fold_len);
		}
		if (val->len == prev.len && memcmp(val->ptr ? val->ptr : "", prev.ptr ? prev.ptr : "",
						    val->len) == 0)
			goto out;
		buf_reset(&prev);
		buf_append(&prev, val->ptr ? val->ptr : "", val->len);
	}
out:
	buf_cleanup(&prev);
	return rc;
}

/* One keyword value v[0..len) (a word, or a phrase's content) for field at
 * byte offset off: checked and normalised.  Returns the node or NULL. */
static struct qnode *keyword_node(struct parser *p, int field, const char *v, size_t len,
				  size_t off, size_t end)
{
	const char *name = query__field_name(field);
	const char *const *values = field_values(field);
	struct buf val;
	struct qnode *n = NULL;
	size_t i;

	buf_init(&val, BUF_NOLIMIT);
	while (len && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
		v++, len--;
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\n' ||
		       v[len - 1] == '\r'))
		len--;
	if (len == 0) {
		hint(p, "write a value right after the colon, as in  %s:%s", name,
		     values ? values[0] : "x");
		fail(p, HORCH_EPARSE, off, "%s: has an empty value", name);
		goto out;
	}
	if (field == QF_PRODUCT) {
		if (product_value(p, &val, v, len))
			goto out;
	} else if (field == QF_TOPIC) {
		buf_append(&val, v, len);
	} else {
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)v[i];

			buf_putc(&val, c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
	}
	if ((field != QF_PRODUCT && field != QF_TOPIC) && has_space(val.ptr, val.len)) {
		hint(p, "write one value, or several joined by OR:  %s:(a OR b)", name);
		fail(p, HORCH_EPARSE, off, "%s: takes a value without spaces", name);
		goto out;
	}
	/* folding can turn a no-break or ideographic space at an end into a
	 * space: trim again, so that the printed value reads back the same */
	while (val.len && (val.ptr[val.len - 1] == ' ' || val.ptr[val.len - 1] == '\t' ||
			   val.ptr[val.len - 1] == '\n' || val.ptr[val.len - 1] == '\r'))
		val.ptr[--val.len] = '\0';
	i = 0;
	while (i < val.len && (val.ptr[i] == ' ' || val.ptr[i] == '\t' || val.ptr[i] == '\n' ||
			       val.ptr[i] == '\r'))
		i++;
	if (i) {
		memmove(val.ptr, val.ptr + i, val.len - i + 1);
		val.len -= i;
	}
	if (val.len == 0) {
		hint(p, "write a value with letters or digits, as in  %s:%s", name,
		     values ? values[0] : "x");
		fail(p, HORCH_EPARSE, off, "%s: has nothing to match", name);
		goto out;
	}
	if (values) {
		size_t k;
		char list[160] = "";

		for (k = 0; values[k]; k++)
			if (strcmp(values[k], val.ptr) == 0)
				break;
		if (!values[k]) {
			for (k = 0; values[k]; k++) {
				strncat(list, k ? " " : "", sizeof list - strlen(list) - 1);
				strncat(list, values[k], sizeof list - strlen(list) - 1);
			}
			hint(p, "%s: takes one of  %s", name, list);
			fail(p, HORCH_EPARSE, off, "unknown value '%.*s' for %s:",
			     (int)(len > 60 ? 60 : len), v, name);
			goto out;
		}
	} else if (field == QF_LANG || field == QF_COUNTRY) {
		if (val.len != 2 || val.ptr[0] < 'a' || val.ptr[0] > 'z' || val.ptr[1] < 'a' ||
		    val.ptr[1] > 'z') {
			hint(p, field == QF_LANG ? "write an ISO 639-1 code, as in  lang:de" :
			     "write an ISO 3166 code, as in  country:de");
			fail(p, HORCH_EPARSE, off, "%s: takes a two-letter code", name);
			goto out;
		}
	} else if (field == QF_SITE) {
		if (val.len > 4 && memcmp(val.ptr, "www.", 4) == 0) {
			memmove(val.ptr, val.ptr + 4, val.len - 3);
			val.len -= 4;
		}
		while (val.len && val.ptr[val.len - 1] == '.')
			val.ptr[--val.len] = '\0';
		if (val.len == 0 || memchr(val.ptr, '/', val.len) || memchr(val.ptr, ':', val.len) ||
		    val.ptr[0] == '.') {
			hint(p, "write a host name, as in  site:dell.com  (url: matches paths)");
			fail(p, HORCH_EPARSE, off, "site: takes a host name");
			goto out;
		}
	}
	if (val.len > 1000) {
		hint(p, "shorten the value");
		fail(p, HORCH_ETOOBIG, off, "%s: value is longer than 1000 bytes", name);
		goto out;
	}
	if (count_term(p, off))
		goto out;
	n = new_node(p, QN_KEYWORD, off, end);
	n->field = (uint8_t)field;
	n->fold = arena_strndup(&p->q->arena, val.ptr ? val.ptr : "", val.len);
	n->fold_len = (uint32_t)val.len;
out:
	buf_cleanup(&val);
	return n;
}

/* hashtag:x and mention:x: a term of that form. */
static struct qnode *form_node(struct parser *p, int field, const char *v, size_t len,
			       size_t off, size_t end)
{
	char sigil = field == QF_HASHTAG ? '#' : '@';
	int want = field == QF_HASHTAG ? TOKEN_HASHTAG : TOKEN_MENTION;
	struct buf tmp;
	struct qnode *n = NULL;
	int rc;

	buf_init(&tmp, BUF_NOLIMIT);
	if (len && *v == sigil)
		v++, len--;
	buf_putc(&tmp, sigil);
	buf_append(&tmp, v, len);
	buf_reset(&p->norm);
	rc = text_normalise(&p->norm, tmp.ptr, tmp.len, NULL);
	if (!rc)
		rc = text_tokenise(&p->toks, p->norm.ptr, p->norm.len);
	if (rc) {
		fail(p, HORCH_ETOOBIG, off, "value too long");
		goto out;
	}
	if (p->toks.n != 1 || p->toks.v[0].kind != want) {
		hint(p, field == QF_HASHTAG ? "write  hashtag:dell  (letters, digits, _)" :
		     "write  mention:DellCares");
		fail(p, HORCH_EPARSE, off, "'%.*s' is not a %s", (int)(len > 60 ? 60 : len), v,
		     field == QF_HASHTAG ? "hashtag" : "mention");
		goto out;
	}
	if (count_term(p, off))
		goto out;
	n = term_of(p, 0, off, end, 0);
out:
	buf_cleanup(&tmp);
	return n;
}

/* One value of a keyword or form field from token t. */
static struct qnode *field_value(struct parser *p, int field, const struct qtok *t, size_t off)
{
	const char *name = query__field_name(field);

	if (t->kind != QTOK_WORD && t->kind != QTOK_PHRASE) {
		hint(p, "write  %s:value  or  %s:(a OR b)", name, name);
		fail(p, HORCH_EPARSE, t->off, "%s: needs a value", name);
		return NULL;
	}
	if (query__field_kind(field) == QFK_FORM)
		return form_node(p, field, p->src + t->v, t->vlen, off, t->off + t->len);
	return keyword_node(p, field, p->src + t->v, t->vlen, off, t->off + t->len);
}

/* Read a non-negative integer of at most 15 digits from token t. */
static int range_bound(struct parser *p, const struct qtok *t, const char *name, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (t->kind != QTOK_WORD || t->vlen == 0)
		goto bad;
	for (i = 0; i < t->vlen && p->src[t->v + i] >= '0' && p->src[t->v + i] <= '9'; i++)
		;
	if (t->vlen > 15 && i == t->vlen) {
		hint(p, "write a number of at most 15 digits");
		return fail(p, HORCH_ETOOBIG, t->off, "%s: range bound is too large", name);
	}
	if (t->vlen > 15)
		goto bad;
	for (i = 0; i < t->vlen; i++) {
		char c = p->src[t->v + i];

		if (c < '0' || c > '9')
			goto bad;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return 0;
bad:
	hint(p, "write  %s:[1 TO 2]  (whole numbers, both ends included)", name);
	return fail(p, HORCH_EPARSE, t->off, "%s: range needs a whole number here", name);
}

/* field:[a TO b] */
static struct qnode *range_node(struct parser *p, int field, size_t off)
{
	const char *name = query__field_name(field);
	const struct qtok *t;
	struct qnode *n;
	int64_t lo, hi;

	if (cur(p)->kind != QTOK_LBRACK || !cur(p)->touch) {
		hint(p, "write  %s:[1 TO 2]", name);
		fail(p, HORCH_EPARSE, cur(p)->off, "%s: takes a range [a TO b]", name);
		return NULL;
	}
	p->i++;
	if (range_bound(p, cur(p), name, &lo))
		return NULL;
	p->i++;
	t = cur(p);
	if (t->kind != QTOK_WORD || t->vlen != 2 ||
	    !(memcmp(p->src + t->v, "TO", 2) == 0 ||
	      ((p->flags & QUERY_LENIENT) && (p->src[t->v] | 32) == 't' && (p->src[t->v + 1] | 32) == 'o'))) {
		hint(p, "write  %s:[1 TO 2]", name);
		fail(p, HORCH_EPARSE, t->off, "%s: range needs TO between its ends", name);
		return NULL;
	}
	p->i++;
	if (range_bound(p, cur(p), name, &hi))
		return NULL;
	p->i++;
	t = cur(p);
	if (t->kind != QTOK_RBRACK) {
		hint(p, "write  %s:[1 TO 2]", name);
		fail(p, HORCH_EPARSE, t->off, "%s: range is not closed with ]", name);
		return NULL;
	}
	p->i++;
	if (lo > hi) {
		hint(p, "write the smaller number first:  %s:[%lld TO %lld]", name, (long long)hi,
		     (long long)lo);
		fail(p, HORCH_EPARSE, off, "%s: range runs backwards", name);
		return NULL;
	}
	if (count_term(p, off))
		return NULL;
	n = new_node(p, QN_RANGE, off, t->off + t->len);
	n->field = (uint8_t)field;
	n->lo = lo;
	n->hi = hi;
	return n;
}

static struct qnode *parse_primary(struct parser *p);
static struct qnode *parse_level(struct parser *p);
static int positive(const struct qnode *n);

/* field:value after the QTOK_FIELD token t (already consumed). */
static struct qnode *field_node(struct parser *p, const struct qtok *t)
{
	int field = t->field;
	const char *name = query__field_name(field);
	struct qnode *n = NULL, *kid, **kids = NULL;
	size_t n_kids = 0, cap = 0;

	if (p->in_field) {
		hint(p, "write the fields side by side:  title:dell AND lang:de");
		fail(p, HORCH_EPARSE, t->off, "fields cannot be nested");
		return NULL;
	}
	if (!cur(p)->touch || cur(p)->kind == QTOK_EOF) {
		hint(p, "write the value right after the colon:  %s:%s", name,
		     query__field_kind(field) == QFK_RANGE ? "[1 TO 2]" : "value");
		fail(p, HORCH_EPARSE, t->off + t->len, "%s: needs a value right after the colon", name);
		return NULL;
	}
	switch (query__field_kind(field)) {
	case QFK_SUBQUERY:
		p->in_field = 1;
		kid = parse_primary(p);
		p->in_field = 0;
		if (!kid)
			return NULL;
		if (!positive(kid)) {
			hint(p, "say what %s: must contain, e.g.  %s:(dell NOT spam)", name, name);
			fail(p, HORCH_EPARSE, kid->off, "%s: is only negative", name);
			return NULL;
		}
		n = new_node(p, QN_FIELD, t->off, kid->end);
		n->field = (uint8_t)field;
		set_kids(p, n, &kid, 1);
		return n;
	case QFK_RANGE:
		return range_node(p, field, t->off);
	default:
		break;
	}
	if (cur(p)->kind != QTOK_LPAREN) {
		n = field_value(p, field, cur(p), t->off);
		if (n)
			p->i++;
		return n;
	}
	/* field:(a OR b OR c) */
	{
		size_t open = cur(p)->off;

		p->i++;
		for (;;) {
			kid = field_value(p, field, cur(p), cur(p)->off);
			if (!kid)
				goto out;
			p->i++;
			kids = horch_xgrow(kids, &cap, n_kids + 1, sizeof *kids);
			kids[n_kids++] = kid;
			if (cur(p)->kind == QTOK_RPAREN)
				break;
			if (cur(p)->kind != QTOK_OR) {
				hint(p, "join the values of %s: with OR:  %s:(a OR b)", name, name);
				fail(p, HORCH_EPARSE, cur(p)->off, cur(p)->kind == QTOK_EOF ?
				     "'(' is not closed" : "only OR may join the values of %s:", name);
				goto out;
			}
			p->i++;
		}
		p->i++;
		if (n_kids == 1) {
			n = kids[0];
		} else {
			n = new_node(p, QN_OR, open, p->t[p->i - 1].off + 1);
			set_kids(p, n, kids, n_kids);
		}
		n->off = (uint32_t)t->off;
	}
out:
	free(kids);
	return n;
}

/* ---- operands ---- */

/* What may stand inside a proximity or NEAR operand: words, phrases,
 * wildcards, OR groups of them and (bracketed) NEAR.  Returns the first
 * node that may not, or NULL. */
static const struct qnode *near_bad(const struct qnode *n)
{
	uint32_t i;

	switch (n->kind) {
	case QN_TERM: case QN_PHRASE: case QN_PROX:
		return NULL;
	case QN_OR: case QN_NEAR: case QN_SENTENCE:
		for (i = 0; i < n->n_kids; i++) {
			const struct qnode *b = near_bad(n->kids[i]);

			if (b)
				return b;
		}
		return NULL;
	default:
		return n;
	}
}

static const char *bad_name(const struct qnode *b)
{
	switch (b->kind) {
	case QN_AND: return "AND";
	case QN_NOT: return "NOT";
	default: return "a field";
	}
}

/* Check an operand of NEAR/SENTENCE (what names the operator). */
static int check_near_operand(struct parser *p, const struct qnode *n, const char *what)
{
	const struct qnode *b = near_bad(n);

	if (!b)
		return 0;
	if (strcmp(what, "~") == 0) {
		hint(p, "inside (...)~n write words, phrases, wildcards and OR groups:  "
		     "((a OR b) AND c)~5");
		return fail(p, HORCH_EPARSE, b->off, "a ~ group may not contain %s inside its items",
			    bad_name(b));
	}
	hint(p, "%s takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and "
	     "fields outside:  ((a OR b) %s c) AND lang:de", what,
	     strcmp(what, "NEAR") == 0 ? "NEAR/5" : what);
	return fail(p, HORCH_EPARSE, b->off, "%s operands may not contain %s", what, bad_name(b));
}

/* (...)~n: the items of the group, each a hit within n words. */
static struct qnode *group_prox(struct parser *p, struct qnode *g, const struct qtok *tilde)
{
	struct qnode *n;
	uint32_t i;

	if (g->kind != QN_OR && g->kind != QN_AND) {
		query__warn(p->diag, (long)tilde->off + 1, "~%u on a single word does nothing",
			    (unsigned)tilde->num);
		return g;
	}
	for (i = 0; i < g->n_kids; i++)
		if (check_near_operand(p, g->kids[i], "~"))
			return NULL;
	n = new_node(p, QN_PROX, g->off, tilde->off + tilde->len);
	n->dist = tilde->num;
	n->kids = g->kids;
	n->n_kids = g->n_kids;
	return n;
}

/* A tilde right after the operand just read?  Returns 1 and consumes it
 * when it touches, 0 when there is none; -1 (error) when it is apart. */
static int take_tilde(struct parser *p, const struct qtok **tilde)
{
	const struct qtok *t = cur(p);

	if (t->kind != QTOK_TILDE)
		return 0;
	if (!t->touch) {
		hint(p, "write  \"a b\"~%u  without a space before ~", (unsigned)t->num);
		return fail(p, HORCH_EPARSE, t->off, "~ must touch its operand");
	}
	*tilde = t;
	p->i++;
	return 1;
}

/* One operand: a word, phrase, {exact}, (group), field:value, with ~n
 * where it belongs.  Returns the node or NULL (error set). */
static struct qnode *parse_primary(struct parser *p)
{
	const struct qtok *t = cur(p), *tilde = NULL;
	struct qnode *n;
	int rc;

	switch (t->kind) {
	case QTOK_WORD:
		p->i++;
		n = word_node(p, t);
		if (!n)
			return NULL;
		rc = take_tilde(p, &tilde);
		if (rc < 0)
			return NULL;
		if (rc)
			query__warn(p->diag, (long)tilde->off + 1, "~%u on a single word does nothing",
				    (unsigned)tilde->num);
		return n;
	case QTOK_EXACT:
		p->i++;
		n = terms_node(p, t->v, t->vlen, t->off, t->off + t->len, 1, 0, 0);
		if (!n)
			return NULL;
		rc = take_tilde(p, &tilde);
		if (rc < 0)
			return NULL;
		if (rc)
			query__warn(p->diag, (long)tilde->off + 1,
				    "~%u after {} does nothing; write  \"a b\"~n", (unsigned)tilde->num);
		return n;
	case QTOK_PHRASE:
		p->i++;
		rc = take_tilde(p, &tilde);
		if (rc < 0)
			return NULL;
		if (memchr(p->src + t->v, '*', t->vlen))
			query__warn(p->diag, (long)t->off + 1,
				    "* inside quotes is not a wildcard (the phrase is matched without it)");
		return terms_node(p, t->v, t->vlen, t->off, rc ? tilde->off + tilde->len : t->off + t->len,
				  0, rc, rc ? tilde->num : 0);
	case QTOK_LPAREN: {
		size_t open = t->off;

		if (++p->depth > QUERY_MAX_DEPTH) {
			hint(p, "remove brackets that group a single operator's operands");
			fail(p, HORCH_ETOOBIG, open, "brackets are nested deeper than %u",
			     QUERY_MAX_DEPTH);
			return NULL;
		}
		p->i++;
		if (cur(p)->kind == QTOK_RPAREN) {
			hint(p, "put a term inside the brackets, or remove them");
			fail(p, HORCH_EPARSE, open, "empty brackets");
			return NULL;
		}
		n = parse_level(p);
		if (!n)
			return NULL;
		if (cur(p)->kind != QTOK_RPAREN) {
			hint(p, "close it with )");
			fail(p, HORCH_EPARSE, open, "'(' is not closed");
			return NULL;
		}
		p->i++;
		p->depth--;
		n->off = (uint32_t)open;
		n->end = (uint32_t)(p->t[p->i - 1].off + 1);
		rc = take_tilde(p, &tilde);
		if (rc < 0)
			return NULL;
		if (rc)
			n = group_prox(p, n, tilde);
		return n;
	}
	case QTOK_FIELD:
		p->i++;
		return field_node(p, t);
	case QTOK_TILDE:
		hint(p, "write  \"a b\"~5  or  (a OR b)~5");
		fail(p, HORCH_EPARSE, t->off, "~ must follow a phrase or a bracketed group");
		return NULL;
	case QTOK_LBRACK: case QTOK_RBRACK:
		hint(p, "a range goes with a field:  rating:[1 TO 2]");
		fail(p, HORCH_EPARSE, t->off, "'%c' outside a range field", p->src[t->off]);
		return NULL;
	case QTOK_RPAREN:
		hint(p, "remove it, or open it with (");
		fail(p, HORCH_EPARSE, t->off, "')' without '('");
		return NULL;
	case QTOK_EOF:
		hint(p, "write a term after it");
		fail(p, HORCH_EPARSE, t->off, "a term is missing at the end");
		return NULL;
	default:
		hint(p, "write a term before %.*s", (int)t->len, p->src + t->off);
		fail(p, HORCH_EPARSE, t->off, "%.*s needs a term before it", (int)t->len,
		     p->src + t->off);
		return NULL;
	}
}

/* NOT x, -x or x. */
static struct qnode *parse_unary(struct parser *p)
{
	const struct qtok *t = cur(p);
	struct qnode *kid, *n;

	if (t->kind != QTOK_NOT && t->kind != QTOK_MINUS)
		return parse_primary(p);
	p->i++;
	if (cur(p)->kind == QTOK_NOT || cur(p)->kind == QTOK_MINUS) {
		hint(p, "remove one of the two negations");
		fail(p, HORCH_EPARSE, cur(p)->off, "double negation");
		return NULL;
	}
	if (cur(p)->kind == QTOK_EOF || cur(p)->kind == QTOK_RPAREN) {
		hint(p, "write what to leave out:  dell NOT spam");
		fail(p, HORCH_EPARSE, t->off, "NOT needs a term after it");
		return NULL;
	}
	kid = parse_primary(p);
	if (!kid)
		return NULL;
	n = new_node(p, QN_NOT, t->off, kid->end);
	set_kids(p, n, &kid, 1);
	return n;
}

static int is_binop(int kind)
{
	return kind == QTOK_AND || kind == QTOK_OR || kind == QTOK_NEAR || kind == QTOK_SENTENCE;
}

static int is_near(int op)
{
	return op == OP_NEAR || op == OP_SENTENCE;
}

static int is_and(int op)
{
	return op == OP_AND || op == OP_IMPLICIT;
}

static const char *op_name(const struct op *o, char *buf, size_t size)
{
	switch (o->kind) {
	case OP_AND: case OP_IMPLICIT: return "AND";
	case OP_OR: return "OR";
	case OP_SENTENCE: return "SENTENCE";
	default:
		snprintf(buf, size, "NEAR/%u%s", (unsigned)o->dist, o->ordered ? "f" : "");
		return buf;
	}
}

/* A strict-mode rule broken at byte offset off: an error in strict mode
 * (returns the code), a warning in lenient mode (returns 0). */
static int refuse(struct parser *p, size_t off, const char *msg)
{
	if (!(p->flags & QUERY_LENIENT))
		return fail(p, HORCH_EPARSE, off, "%s", msg);
	query__warn(p->diag, (long)off + 1, "%s (strict mode refuses this)", msg);
	return 0;
}

/* Check the operands o[0..n) and operators ops[0..n-1) of one level
 * against strict mode's rules.  Returns 0 or the error. */
static int check_level(struct parser *p, struct qnode **o, const struct op *ops, size_t n)
{
	char msg[200], b1[32], b2[32];
	size_t i, s, e;
	int seen_near = 0, seen_ao = 0, rc;

	for (i = 0; i + 1 < n; i++) {
		if (is_near(ops[i].kind))
			seen_near = 1;
		else
			seen_ao = 1;
	}
	for (i = 0; i + 2 < n; i++)
		if (is_near(ops[i].kind) && is_near(ops[i + 1].kind)) {
			snprintf(msg, sizeof msg, "an OR or NEAR inside a NEAR operand must be bracketed");
			hint_bracket(p, o[i]->off, o[i + 1]->end);
			rc = refuse(p, o[i + 1]->off, msg);
			if (rc)
				return rc;
			break;
		}
	if (seen_near && seen_ao) {
		for (s = 0; !is_near(ops[s].kind); s++)
			;
		for (e = s + 1; e < n - 1 && is_near(ops[e].kind); e++)
			;
		/* o[s..e] is the chain; the operator beside it */
		i = s > 0 ? s - 1 : e;
		snprintf(msg, sizeof msg, "%s is mixed with %s without brackets",
			 op_name(&ops[s], b1, sizeof b1), op_name(&ops[i], b2, sizeof b2));
		hint_bracket(p, o[s]->off, o[e]->end);
		rc = refuse(p, o[s]->off, msg);
		if (rc)
			return rc;
	}
	/* AND and OR at one level (NEAR chains count as one operand) */
	{
		int first = -1;

		for (i = 0; i + 1 < n; i++) {
			int k;

			if (is_near(ops[i].kind))
				continue;
			k = is_and(ops[i].kind) ? OP_AND : OP_OR;
			if (first < 0) {
				first = k;
				continue;
			}
			if (k == first)
				continue;
			/* bracket the run of the other kind, from the operand before it */
			s = i;
			while (s > 0 && is_near(ops[s - 1].kind))
				s--;
			for (e = i + 1; e < n - 1; e++) {
				int ke = is_near(ops[e].kind) ? k : (is_and(ops[e].kind) ? OP_AND : OP_OR);

				if (ke != k)
					break;
			}
			hint_bracket(p, o[s]->off, o[e]->end);
			rc = refuse(p, o[s]->off, "AND and OR are mixed without brackets");
			if (rc)
				return rc;
			break;
		}
	}
	return 0;
}

/* Build one level's tree: NEAR/SENTENCE first (left to right), then AND,
 * then OR.  o and ops are reused.  Returns the node or NULL. */
static struct qnode *build_level(struct parser *p, struct qnode **o, struct op *ops, size_t n)
{
	size_t i, m = 0, start;
	struct qnode **group = NULL, **ors = NULL, *res = NULL;
	size_t n_ors = 0;

	/* NEAR chains */
	for (i = 0; i < n; i++) {
		if (i > 0 && is_near(ops[i - 1].kind)) {
			const char *what = ops[i - 1].kind == OP_SENTENCE ? "SENTENCE" : "NEAR";
			struct qnode *a = o[m - 1], *b = o[i], *nn;

			if (check_near_operand(p, a, what) || check_near_operand(p, b, what))
				return NULL;
			nn = node2(p, ops[i - 1].kind == OP_SENTENCE ? QN_SENTENCE : QN_NEAR, a, b);
			nn->dist = ops[i - 1].dist;
			if (ops[i - 1].ordered)
				nn->flags |= QN_F_ORDERED;
			o[m - 1] = nn;
			continue;
		}
		if (i > 0)
			ops[m - 1] = ops[i - 1];
		o[m++] = o[i];
	}
	n = m;
	if (n == 1)
		return o[0];
	group = horch_xmalloc(n * sizeof *group);
	ors = horch_xmalloc(n * sizeof *ors);
	for (start = 0; start < n;) {
		size_t end = start + 1;

		while (end < n && is_and(ops[end - 1].kind))
			end++;
		if (end - start == 1) {
			ors[n_ors++] = o[start];
		} else {
			struct qnode *a = new_node(p, QN_AND, o[start]->off, o[end - 1]->end);

			memcpy(group, o + start, (end - start) * sizeof *group);
			set_kids(p, a, group, end - start);
			ors[n_ors++] = a;
		}
		start = end;
	}
	if (n_ors == 1) {
		res = ors[0];
	} else {
		res = new_node(p, QN_OR, ors[0]->off, ors[n_ors - 1]->end);
		set_kids(p, res, ors, n_ors);
	}
	free(group);
	free(ors);
	return res;
}

/* One bracket level (or the whole query), up to ')' or the end. */
static struct qnode *parse_level(struct parser *p)
{
	struct qnode **o = NULL, *res = NULL;
	struct op *ops = NULL;
	size_t n = 0, cap_o = 0, cap_ops = 0;

	for (;;) {
		const struct qtok *t = cur(p);
		struct qnode *kid;
		struct op op;

		if (n == 0 && is_binop(t->kind)) {
			hint(p, "write a term before %.*s", (int)t->len, p->src + t->off);
			fail(p, HORCH_EPARSE, t->off, "%.*s needs a term before it", (int)t->len,
			     p->src + t->off);
			goto out;
		}
		kid = parse_unary(p);
		if (!kid)
			goto out;
		o = horch_xgrow(o, &cap_o, n + 1, sizeof *o);
		o[n++] = kid;
		t = cur(p);
		if (t->kind == QTOK_EOF || t->kind == QTOK_RPAREN)
			break;
		memset(&op, 0, sizeof op);
		op.off = t->off;
		switch (t->kind) {
		case QTOK_AND: op.kind = OP_AND; p->i++; break;
		case QTOK_OR: op.kind = OP_OR; p->i++; break;
		case QTOK_NOT: case QTOK_MINUS: op.kind = OP_AND; break;
		case QTOK_SENTENCE: op.kind = OP_SENTENCE; p->i++; break;
		case QTOK_NEAR:
			op.kind = OP_NEAR;
			op.dist = t->num;
			op.ordered = t->ordered;
			p->i++;
			break;
		case QTOK_TILDE:
			if (t->touch) {
				hint(p, "write  \"a b\"~5  or  (a OR b)~5");
				fail(p, HORCH_EPARSE, t->off, "~ must follow a phrase or a bracketed group");
			} else {
				hint(p, "write  \"a b\"~%u  without a space before ~", (unsigned)t->num);
				fail(p, HORCH_EPARSE, t->off, "~ must touch its operand");
			}
			goto out;
		default:
			op.kind = OP_IMPLICIT;
			query__warn(p->diag, (long)t->off + 1,
				    "implicit AND before '%.*s': write AND", (int)(t->len > 40 ? 40 : t->len),
				    p->src + t->off);
			break;
		}
		if (op.kind != OP_IMPLICIT && cur(p) != t) {
			const struct qtok *nx = cur(p);

			if (is_binop(nx->kind) || nx->kind == QTOK_EOF || nx->kind == QTOK_RPAREN) {
				hint(p, "write a term after %.*s", (int)t->len, p->src + t->off);
				fail(p, HORCH_EPARSE, nx->kind == QTOK_EOF ? t->off : nx->off,
				     "%.*s needs a term after it", (int)t->len, p->src + t->off);
				goto out;
			}
		}
		ops = horch_xgrow(ops, &cap_ops, n, sizeof *ops);
		ops[n - 1] = op;
	}
	if (check_level(p, o, ops, n))
		goto out;
	res = build_level(p, o, ops, n);
out:
	free(o);
	free(ops);
	return res;
}

/* Whether a match of n says something is there (not only that something
 * is absent): a query must be positive. */
static int positive(const struct qnode *n)
{
	uint32_t i;

	switch (n->kind) {
	case QN_NOT:
		return 0;
	case QN_AND:
		for (i = 0; i < n->n_kids; i++)
			if (positive(n->kids[i]))
				return 1;
		return 0;
	case QN_OR:
		for (i = 0; i < n->n_kids; i++)
			if (!positive(n->kids[i]))
				return 0;
		return 1;
	default:
		return 1;
	}
}

/* Where the query text is not valid UTF-8 or holds a control character:
 * the byte offset, or len when it is clean. */
static size_t bad_byte(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k;

		if ((unsigned char)s[i] < 0x80) {
			if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
				return i;
			if (s[i] == 0x7f)
				return i;
			i++;
			continue;
		}
		k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0 || (cp >= 0x80 && cp < 0xA0))
			return i;
		i += (size_t)k;
	}
	return len;
}

void query_diag_init(struct query_diag *d)
{
	memset(d, 0, sizeof *d);
}

void query_diag_cleanup(struct query_diag *d)
{
	if (!d)
		return;
	free(d->warn);
	memset(d, 0, sizeof *d);
}

void query_free(struct query *q)
{
	if (!q)
		return;
	arena_cleanup(&q->arena);
	free(q);
}

size_t query_n_terms(const struct query *q)
{
	return q->n_terms;
}

int query_parse(struct query **out, const char *src, size_t len, unsigned flags,
		struct query_diag *diag, struct horch_err *err)
{
	struct parser p;
	struct qtoks toks = { 0 };
	struct qnode *root = NULL;
	size_t bad;
	int rc;

	*out = NULL;
	memset(&p, 0, sizeof p);
	p.src = src;
	p.len = len;
	p.flags = flags;
	p.diag = diag;
	p.err = err;
	horch_err_clear(err);
	if (diag) {
		diag->n_warn = 0;
		diag->hint[0] = '\0';
	}
	buf_init(&p.norm, BUF_NOLIMIT);
	buf_init(&p.chk_text, BUF_NOLIMIT);
	tokens_init(&p.toks);
	tokens_init(&p.chk);
	p.q = horch_xcalloc(1, sizeof *p.q);
	arena_init(&p.q->arena, 4096);
	p.q->flags = flags;
	if (len > QUERY_MAX_LEN) {
		hint(&p, "split the topic in two, or shorten it with wildcards");
		rc = fail(&p, HORCH_ETOOBIG, QUERY_MAX_LEN, "the query is longer than %u bytes (16 KiB)",
			  QUERY_MAX_LEN);
		goto out;
	}
	bad = bad_byte(src, len);
	if (bad < len) {
		hint(&p, "remove the character, or save the query as UTF-8");
		rc = fail(&p, HORCH_EPARSE, bad, "invalid UTF-8 or a control character");
		goto out;
	}
	rc = query__lex(&toks, src, len, flags, diag, err, p.hint, sizeof p.hint);
	if (rc)
		goto out;
	p.t = toks.v;
	if (p.t[0].kind == QTOK_EOF) {
		hint(&p, "write a query, as in  dell AND laptop");
		rc = fail(&p, HORCH_EPARSE, 0, "the query is empty");
		goto out;
	}
	root = parse_level(&p);
	if (!root) {
		rc = p.code ? p.code : HORCH_EPARSE;
		goto out;
	}
	if (cur(&p)->kind == QTOK_RPAREN) {
		hint(&p, "remove it, or open it with (");
		rc = fail(&p, HORCH_EPARSE, cur(&p)->off, "')' without '('");
		goto out;
	}
	if (!positive(root)) {
		hint(&p, "add a term it must contain:  dell NOT spam");
		rc = fail(&p, HORCH_EPARSE, root->off,
			  "the query is only negative: it would match almost every post");
		goto out;
	}
	p.q->root = root;
	*out = p.q;
	p.q = NULL;
	rc = 0;
out:
	if (rc && diag)
		memcpy(diag->hint, p.hint, sizeof diag->hint);
	query_free(p.q);
	query__toks_cleanup(&toks);
	buf_cleanup(&p.norm);
	tokens_cleanup(&p.toks);
	tokens_cleanup(&p.chk);
	buf_cleanup(&p.chk_text);
	return rc;
}
