/* test_tokenise.c - the tokenizer: case files, API, invariants.
 *
 * Most cases live in the .t files of tests/cases/tokenise/ (the format is described at
 * the top of each file and in read_cases() below), so that adding one needs
 * no C.  This file runs them, then checks what a case file cannot say: the
 * API's edges, reuse of a struct tokens without allocation, raw invalid
 * UTF-8, and a property check on random byte strings.
 *
 *   test_tokenise                 run the tests (TAP)
 *   test_tokenise --dump TEXT...  print TEXT's tokens in case-file form */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "tap.h"
#include "cases.h"
#include "core/buf.h"
#include "core/err.h"
#include "text/text.h"

/* Append s[0..n) to out with the escapes above for control characters,
 * invisible and combining code points, so that case files stay readable. */
static void escape(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &cp);

		if (k <= 0) {
			buf_printf(out, "\\x%02X", (unsigned char)s[i]);
			i++;
			continue;
		}
		if (cp == '\\') {
			buf_puts(out, "\\\\");
		} else if (cp == '\n') {
			buf_puts(out, "\\n");
		} else if (cp == '\t') {
			buf_puts(out, "\\t");
		} else if (cp < 0x20 || cp == 0x7F) {
			buf_printf(out, "\\x%02X", (unsigned)cp);
		} else if (cp >= 0x80) {
			int cat = utf8proc_category(cp);

			if (cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_ZS ||
			    cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP ||
			    cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_MN ||
			    cat == UTF8PROC_CATEGORY_ME || cp >= 0xE0000)
				buf_printf(out, "\\u{%04X}", (unsigned)cp);
			else
				buf_append(out, s + i, (size_t)k);
		} else {
			buf_putc(out, (int)cp);
		}
		i += (size_t)k;
	}
}

static const char *flag_letters(int flags, char out[4])
{
	char *p = out;

	if (flags & TOKEN_F_SENTENCE)
		*p++ = 'S';
	if (flags & TOKEN_F_JOINED)
		*p++ = 'J';
	if (flags & TOKEN_F_UPPER)
		*p++ = 'U';
	if (p == out)
		*p++ = '-';
	*p = '\0';
	return out;
}

/* Append the tokens of text in case-file form. */
static void dump_tokens(struct buf *out, const struct tokens *t, const char *text)
{
	size_t i;
	char fl[4];

	for (i = 0; i < t->n; i++) {
		const struct token *k = &t->v[i];

		buf_printf(out, "%s\t", text_token_kind_name(k->kind));
		escape(out, text + k->off, k->len);
		buf_putc(out, '\t');
		escape(out, t->fold.ptr + k->fold_off, k->fold_len);
		buf_printf(out, "\t%s\n", flag_letters(k->flags, fl));
	}
}

/* ---- invariants every tokenisation must keep ---- */

/* Returns NULL if t is a well-formed tokenisation of text[0..len), or a
 * description of the first broken rule. */
static const char *check_invariants(const struct tokens *t, const char *text, size_t len)
{
	size_t i, end = 0, fold_end = 0;
	uint32_t sentence = 0;

	if (t->n == 0)
		return t->n_sentences == 0 ? NULL : "sentences without tokens";
	for (i = 0; i < t->n; i++) {
		const struct token *k = &t->v[i];
		size_t b;
		int ascii = 1;

		if (k->len == 0)
			return "empty token";
		if (k->off < end)
			return "tokens overlap or are out of order";
		if ((size_t)k->off + k->len > len)
			return "token past the end of the text";
		end = (size_t)k->off + k->len;
		if (k->fold_len == 0)
			return "empty fold";
		if (k->fold_off != fold_end)
			return "folds not back to back";
		fold_end = (size_t)k->fold_off + k->fold_len;
		if (fold_end > t->fold.len)
			return "fold past the end of the fold buffer";
		if (k->kind > TOKEN_PUNCT)
			return "unknown kind";
		if (k->flags & ~(TOKEN_F_SENTENCE | TOKEN_F_JOINED | TOKEN_F_UPPER | TOKEN_F_ASCII))
			return "unknown flag";
		for (b = k->off; b < end; b++)
			if ((unsigned char)text[b] >= 0x80)
				ascii = 0;
		if (ascii != !!(k->flags & TOKEN_F_ASCII))
			return "ASCII flag wrong";
		if (i == 0) {
			if (!(k->flags & TOKEN_F_SENTENCE) || k->sentence != 0)
				return "first token does not start sentence 0";
		} else if (k->flags & TOKEN_F_SENTENCE) {
			if (k->sentence != sentence + 1)
				return "sentence index does not follow the flag";
		} else if (k->sentence != sentence) {
			return "sentence index changed without the flag";
		}
		sentence = k->sentence;
		if ((k->flags & TOKEN_F_JOINED) && k->kind != TOKEN_WORD && k->kind != TOKEN_NUMBER)
			return "JOINED on something other than a word or number";
		if ((k->flags & TOKEN_F_JOINED) && (i == 0 || k->off == t->v[i - 1].off + t->v[i - 1].len))
			return "JOINED without a joiner before it";
	}
	if (t->n_sentences != (size_t)sentence + 1)
		return "n_sentences wrong";
	if (t->fold.len != fold_end)
		return "fold buffer longer than the folds";
	if (t->fold.ptr[t->fold.len] != '\0')
		return "fold buffer not NUL-terminated";
	return NULL;
}

/* ---- case files ---- */

struct expect {
	char kind[16];
	struct buf text;
	struct buf fold;
	int flags;
};

static int parse_flags(const char *s, int *flags)
{
	*flags = 0;
	if (strcmp(s, "-") == 0)
		return 0;
	for (; *s; s++) {
		if (*s == 'S')
			*flags |= TOKEN_F_SENTENCE;
		else if (*s == 'J')
			*flags |= TOKEN_F_JOINED;
		else if (*s == 'U')
			*flags |= TOKEN_F_UPPER;
		else
			return -1;
	}
	return 0;
}

/* Print each line of s (may be NULL) as a TAP diagnostic. */
static void diag_lines(const char *s)
{
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		int n = nl ? (int)(nl - s) : (int)strlen(s);

		diag("    %.*s", n, s);
		s += n + (nl != NULL);
	}
}

/* Check one case: the input (escaped) and its expected token lines. */
static void run_case(const char *name, const char *input, char **lines, size_t n_lines)
{
	struct buf raw, text, got, want;
	struct tokens t;
	size_t i, n_rep = 0;
	int good = 1;
	const char *why = NULL;

	buf_init(&raw, BUF_NOLIMIT);
	buf_init(&text, BUF_NOLIMIT);
	buf_init(&got, BUF_NOLIMIT);
	buf_init(&want, BUF_NOLIMIT);
	tokens_init(&t);
	if (cases_unescape(&raw, input, strlen(input)) != 0) {
		ok(0, "%s: bad escape in the input", name);
		goto out;
	}
	text_normalise(&text, raw.ptr ? raw.ptr : "", raw.len, &n_rep);
	if (text_tokenise(&t, text.ptr ? text.ptr : "", text.len) != 0) {
		ok(0, "%s: text_tokenise failed", name);
		goto out;
	}
	why = check_invariants(&t, text.ptr, text.len);
	if (t.n != n_lines)
		good = 0;
	for (i = 0; i < n_lines; i++) {
		char kind[32], tx[1024], fo[1024], fl[16];
		struct buf ut, uf;
		int flags;

		if (sscanf(lines[i], "%31s %1023s %1023s %15s", kind, tx, fo, fl) != 4 ||
		    parse_flags(fl, &flags) != 0) {
			ok(0, "%s: bad expectation line \"%s\"", name, lines[i]);
			goto out;
		}
		buf_printf(&want, "%s\t%s\t%s\t%s\n", kind, tx, fo, fl);
		if (i >= t.n)
			continue;
		buf_init(&ut, BUF_NOLIMIT);
		buf_init(&uf, BUF_NOLIMIT);
		if (cases_unescape(&ut, tx, strlen(tx)) != 0 || cases_unescape(&uf, fo, strlen(fo)) != 0) {
			good = 0;
		} else {
			const struct token *k = &t.v[i];

			if (strcmp(kind, text_token_kind_name(k->kind)) != 0 ||
			    ut.len != k->len || memcmp(ut.ptr, text.ptr + k->off, ut.len) != 0 ||
			    uf.len != k->fold_len ||
			    memcmp(uf.ptr, t.fold.ptr + k->fold_off, uf.len) != 0 ||
			    flags != (k->flags & (TOKEN_F_SENTENCE | TOKEN_F_JOINED | TOKEN_F_UPPER)))
				good = 0;
		}
		buf_cleanup(&ut);
		buf_cleanup(&uf);
	}
	if (!ok(good && !why, "%s", name)) {
		if (why)
			diag("  invariant broken: %s", why);
		dump_tokens(&got, &t, text.ptr);
		diag("  input: %s", input);
		diag("  want:");
		diag_lines(want.ptr);
		diag("  got:");
		diag_lines(got.ptr);
	}
out:
	tokens_cleanup(&t);
	buf_cleanup(&raw);
	buf_cleanup(&text);
	buf_cleanup(&got);
	buf_cleanup(&want);
}

/* Read one case file.  The format:
 *
 *   # a comment
 *   > the input text, with escapes \n \t \r \\ \xHH \u{HHHH}
 *   kind  text  fold  flags        one line per expected token
 *   (a blank line or the next '>' ends the case)
 *
 * Columns are separated by tabs or spaces (no token contains white space).
 * kind is word, number, hashtag, mention, cashtag, url, emoji or punct;
 * text and fold use the escapes of the input; flags is "-" or letters: S
 * first of a sentence, J joined, U upper case.  TOKEN_F_ASCII and the
 * sentence index are not written: the harness checks them (ASCII iff the
 * text is ASCII, the index counts the S flags) on every case.  A case's
 * name is "tokenise-case FILE:LINE". */
static void read_cases(const char *path, const char *base)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	char *input = NULL;
	char *lines[512];
	size_t n_lines = 0, lineno = 0, case_line = 0;
	char name[512];

	if (!f) {
		ok(0, "tokenise-case %s: cannot open (%s)", base, strerror(errno));
		return;
	}
	for (;;) {
		char *got = fgets(line, sizeof line, f);
		size_t n;

		if (got) {
			lineno++;
			n = strlen(line);
			while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
		}
		if (!got || line[0] == '\0' || (line[0] == '>' && input)) {
			if (input) {
				snprintf(name, sizeof name, "tokenise-case %s:%zu", base, case_line);
				run_case(name, input, lines, n_lines);
				free(input);
				input = NULL;
				while (n_lines)
					free(lines[--n_lines]);
			}
			if (!got)
				break;
			if (line[0] == '\0')
				continue;
		}
		if (line[0] == '#')
			continue;
		if (line[0] == '>') {
			input = strdup(line[1] == ' ' ? line + 2 : line + 1);
			case_line = lineno;
		} else if (input && n_lines < sizeof lines / sizeof lines[0]) {
			lines[n_lines++] = strdup(line);
		} else {
			ok(0, "tokenise-case %s:%zu: a token line outside a case", base, lineno);
		}
	}
	fclose(f);
}

static void test_case_files(void)
{
	char dir[4096], path[8192];
	char *names[256];
	int n, i;

	n = cases_list("tokenise", dir, sizeof dir, names, sizeof names / sizeof names[0]);
	if (n < 0) {
		ok(0, "tokenise-case directory %s (set HORCH_SOURCE_ROOT)", dir);
		return;
	}
	ok(n > 0, "tokenise-case files found in %s", dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		read_cases(path, names[i]);
		free(names[i]);
	}
}

/* ---- the API ---- */

static void test_api(void)
{
	struct tokens t;
	size_t cap;
	char *v;
	const char *text = "Dell XPS 13: the touchpad runs hot! #dell @DellCares";

	tokens_init(&t);
	is_int(text_tokenise(&t, "", 0), 0, "tokenise-1.1 empty text");
	is_int(t.n, 0, "tokenise-1.2 no tokens");
	is_int(t.n_sentences, 0, "tokenise-1.3 no sentences");
	is_int(text_tokenise(&t, "   \n\t  ", 7), 0, "tokenise-1.4 white space only");
	is_int(t.n, 0, "tokenise-1.5 no tokens in white space");
	is_int(text_tokenise(&t, text, strlen(text)), 0, "tokenise-1.6 a post");
	is_int(t.n, 11, "tokenise-1.7 its token count");
	is_int(t.n_sentences, 2, "tokenise-1.8 two sentences");
	cap = t.cap;
	v = (char *)t.v;
	is_int(text_tokenise(&t, text, strlen(text)), 0, "tokenise-1.9 again");
	ok(t.cap == cap && (char *)t.v == v, "tokenise-1.10 reuse allocates nothing");
	is_int(t.n, 11, "tokenise-1.11 the same count the second time");
	is_int(text_tokenise(&t, "x", 1), 0, "tokenise-1.12 a shorter text");
	is_int(t.n, 1, "tokenise-1.13 replaces the tokens");
	is_mem(t.fold.ptr, t.fold.len, "x", "tokenise-1.14 and the folds");
	is_int(text_tokenise(&t, text, (size_t)TEXT_MAX + 1), HORCH_ETOOBIG,
	       "tokenise-1.15 longer than TEXT_MAX is refused");
	is_int(t.n, 0, "tokenise-1.16 leaving no tokens");
	is_int(t.fold.len, 0, "tokenise-1.17 and no folds");
	tokens_cleanup(&t);
	tokens_cleanup(&t);
	tokens_cleanup(NULL);
	ok(1, "tokenise-1.18 cleanup is repeatable and NULL-safe");

	is_str(text_token_kind_name(TOKEN_WORD), "word", "tokenise-2.1 kind names");
	is_str(text_token_kind_name(TOKEN_NUMBER), "number", "tokenise-2.2 number");
	is_str(text_token_kind_name(TOKEN_HASHTAG), "hashtag", "tokenise-2.3 hashtag");
	is_str(text_token_kind_name(TOKEN_MENTION), "mention", "tokenise-2.4 mention");
	is_str(text_token_kind_name(TOKEN_CASHTAG), "cashtag", "tokenise-2.5 cashtag");
	is_str(text_token_kind_name(TOKEN_URL), "url", "tokenise-2.6 url");
	is_str(text_token_kind_name(TOKEN_EMOJI), "emoji", "tokenise-2.7 emoji");
	is_str(text_token_kind_name(TOKEN_PUNCT), "punct", "tokenise-2.8 punct");
	is_str(text_token_kind_name(-1), "unknown", "tokenise-2.9 out of range");
	is_str(text_token_kind_name(99), "unknown", "tokenise-2.10 out of range");
}

/* Text that is not UTF-8 (not normalised): every bad byte is a one-byte
 * punct token folded to U+FFFD, and the good text around it is intact. */
static void test_invalid(void)
{
	struct tokens t;
	const char text[] = "ab\xFF\xC3(cd\xE2\x82";
	size_t len = sizeof text - 1;

	tokens_init(&t);
	is_int(text_tokenise(&t, text, len), 0, "tokenise-3.1 invalid UTF-8 is tokenised");
	is_int(t.n, 7, "tokenise-3.2 seven tokens");
	if (t.n == 7) {
		is_mem(text + t.v[0].off, t.v[0].len, "ab", "tokenise-3.3 the word before");
		is_int(t.v[1].len, 1, "tokenise-3.4 one byte");
		is_int(t.v[1].kind, TOKEN_PUNCT, "tokenise-3.5 a punct token");
		is_mem(t.fold.ptr + t.v[1].fold_off, t.v[1].fold_len, "\xEF\xBF\xBD",
		       "tokenise-3.6 folded to U+FFFD");
		is_int(t.v[2].len, 1, "tokenise-3.7 a truncated lead byte is one byte too");
		is_mem(text + t.v[3].off, t.v[3].len, "(", "tokenise-3.8 the punct after it");
		is_mem(text + t.v[4].off, t.v[4].len, "cd", "tokenise-3.9 the word after it");
		is_int(t.v[5].off, 7, "tokenise-3.10 a truncated sequence at the end");
		is_int(t.v[6].off, 8, "tokenise-3.11 is one token per byte");
	} else {
		tap_skip(9, "wrong token count");
	}
	ok(check_invariants(&t, text, len) == NULL, "tokenise-3.12 invariants hold");
	tokens_cleanup(&t);
}

/* Every token's fold is text_fold() of its bytes, without the sigil. */
static void test_fold_consistency(void)
{
	const char *text = "Grüße aus MÜNCHEN! #Straße @Dell $DELL it’s e-mail "
			   "https://Example.COM/Ä 👍🏽 ❤️ Ǆemal ΣΊΣΥΦΟΣ ﬁne ＤＥＬＬ";
	struct tokens t;
	struct buf b;
	size_t i;
	int good = 1;

	tokens_init(&t);
	buf_init(&b, BUF_NOLIMIT);
	text_tokenise(&t, text, strlen(text));
	for (i = 0; i < t.n; i++) {
		const struct token *k = &t.v[i];
		size_t skip = k->kind == TOKEN_HASHTAG || k->kind == TOKEN_MENTION ||
			      k->kind == TOKEN_CASHTAG;

		buf_reset(&b);
		text_fold(&b, text + k->off + skip, k->len - skip);
		if (b.len != k->fold_len || memcmp(b.ptr, t.fold.ptr + k->fold_off, b.len) != 0) {
			good = 0;
			diag("  token %zu: %.*s", i, (int)k->len, text + k->off);
		}
	}
	ok(good, "tokenise-4.1 each fold is text_fold of the token");
	tokens_cleanup(&t);
	buf_cleanup(&b);
}

/* A long text: many sentences, offsets far into it. */
static void test_long(void)
{
	struct buf b;
	struct tokens t;
	size_t i;

	buf_init(&b, BUF_NOLIMIT);
	tokens_init(&t);
	for (i = 0; i < 20000; i++)
		buf_printf(&b, "Satz Nummer %zu über die Deutsche-Bahn-Verspätung. ", i);
	is_int(text_tokenise(&t, b.ptr, b.len), 0, "tokenise-5.1 a 1 MB text");
	is_int(t.n, 20000 * 9, "tokenise-5.2 nine tokens a sentence");
	is_int(t.n_sentences, 20000, "tokenise-5.3 20000 sentences");
	is_int(t.v[t.n - 1].sentence, 19999, "tokenise-5.4 the last sentence index");
	is_mem(b.ptr + t.v[t.n - 2].off, t.v[t.n - 2].len, "Verspätung",
	       "tokenise-5.5 the last word");
	ok(check_invariants(&t, b.ptr, b.len) == NULL, "tokenise-5.6 invariants hold");
	tokens_cleanup(&t);
	buf_cleanup(&b);
}

/* Inputs built to make a careless scanner quadratic: addresses glued
 * together, long joined chains, a URL that ends in a thousand brackets.
 * Each is 1 MB or more; quadratic work would not finish. */
static void test_linear(void)
{
	struct buf b;
	struct tokens t;
	size_t i;

	buf_init(&b, BUF_NOLIMIT);
	tokens_init(&t);
	for (i = 0; i < 150000; i++)
		buf_puts(&b, "a@b.cc_");
	is_int(text_tokenise(&t, b.ptr, b.len), 0, "tokenise-7.1 150,000 glued addresses");
	is_int(t.n, 300000, "tokenise-7.2 an address and a '_' each");
	buf_reset(&b);
	for (i = 0; i < 300000; i++)
		buf_puts(&b, "ab-");
	buf_puts(&b, "c@d");
	is_int(text_tokenise(&t, b.ptr, b.len), 0, "tokenise-7.3 a chain of 300,000 joined parts");
	is_int(t.n, 300003, "tokenise-7.4 each part a token");
	buf_reset(&b);
	buf_puts(&b, "https://x.com/");
	for (i = 0; i < 1000000; i++)
		buf_putc(&b, ')');
	is_int(text_tokenise(&t, b.ptr, b.len), 0, "tokenise-7.5 a URL and a million brackets");
	is_int(t.n, 2, "tokenise-7.6 the URL and one run of brackets");
	ok(check_invariants(&t, b.ptr, b.len) == NULL, "tokenise-7.7 invariants hold");
	tokens_cleanup(&t);
	buf_cleanup(&b);
}

/* ---- property: random byte strings ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
	/* xorshift64*: fixed seed, the same strings on every run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Pieces that random texts are made of: each rule of the tokenizer has a
 * piece that touches it, and raw bytes break everything else. */
static const char *const pieces[] = {
	"a", "Z", "7", " ", "\n", ".", ",", ":", "-", "/", "&", "'", "@", "#", "$",
	"(", ")", "!", "?", "_", "%", "+", "<3", ":)", "http://", "https://x.y/(a)",
	"www.", "ä", "ß", "É", "’", "…", "😂", "👍", "\xF0\x9F\x8F\xBB", "\xE2\x80\x8D",
	"\xEF\xB8\x8F", "\xE2\x83\xA3", "\xF0\x9F\x87\xA9", "\xC2\xAD", "\xCC\x81",
	"東", "の", "カ", "한", "\xC2\xA0", "\xE2\x80\xA8", "z.B.", "Dr.", "3.", "1,5",
	"\xFF", "\xC3", "\xE2\x82", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x00", "\x7F",
	"\r", "\t", "x@y.com", "@a@b.c", "\xF3\xA0\x81\xA7",
};

static void test_random(void)
{
	struct tokens t;
	struct buf raw, norm;
	int i, bad_raw = 0, bad_norm = 0;

	tokens_init(&t);
	buf_init(&raw, BUF_NOLIMIT);
	buf_init(&norm, BUF_NOLIMIT);
	for (i = 0; i < 5000; i++) {
		int n = (int)(rng() % 40), k;
		const char *why;

		buf_reset(&raw);
		for (k = 0; k < n; k++) {
			uint32_t r = rng();

			if (r % 8 == 0) {
				buf_putc(&raw, (int)(r >> 8 & 0xFF));
			} else {
				const char *p = pieces[(r >> 8) % (sizeof pieces / sizeof pieces[0])];

				buf_append(&raw, p, p[0] ? strlen(p) : 1);
			}
		}
		text_tokenise(&t, raw.ptr ? raw.ptr : "", raw.len);
		why = check_invariants(&t, raw.ptr, raw.len);
		if (why && bad_raw++ < 3)
			diag("  raw case %d: %s", i, why);
		buf_reset(&norm);
		text_normalise(&norm, raw.ptr ? raw.ptr : "", raw.len, NULL);
		text_tokenise(&t, norm.ptr ? norm.ptr : "", norm.len);
		why = check_invariants(&t, norm.ptr, norm.len);
		if (why && bad_norm++ < 3)
			diag("  normalised case %d: %s", i, why);
	}
	is_int(bad_raw, 0, "tokenise-6.1 random bytes keep every invariant");
	is_int(bad_norm, 0, "tokenise-6.2 normalised random bytes keep every invariant");
	tokens_cleanup(&t);
	buf_cleanup(&raw);
	buf_cleanup(&norm);
}

static int dump_main(int argc, char **argv)
{
	struct tokens t;
	struct buf raw, text, out;
	int i;

	tokens_init(&t);
	buf_init(&raw, BUF_NOLIMIT);
	buf_init(&text, BUF_NOLIMIT);
	buf_init(&out, BUF_NOLIMIT);
	for (i = 2; i < argc; i++) {
		buf_reset(&raw);
		buf_reset(&text);
		buf_reset(&out);
		if (cases_unescape(&raw, argv[i], strlen(argv[i])) != 0) {
			fprintf(stderr, "bad escape in %s\n", argv[i]);
			return 2;
		}
		text_normalise(&text, raw.ptr ? raw.ptr : "", raw.len, NULL);
		text_tokenise(&t, text.ptr ? text.ptr : "", text.len);
		dump_tokens(&out, &t, text.ptr);
		printf("> %s\n%s\n", argv[i], out.ptr ? out.ptr : "");
	}
	tokens_cleanup(&t);
	buf_cleanup(&raw);
	buf_cleanup(&text);
	buf_cleanup(&out);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--dump") == 0)
		return dump_main(argc, argv);
	test_case_files();
	test_api();
	test_invalid();
	test_fold_consistency();
	test_long();
	test_linear();
	test_random();
	return tap_done();
}
