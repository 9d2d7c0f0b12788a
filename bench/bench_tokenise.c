/* bench_tokenise.c - how fast text becomes tokens.
 *
 * The corpus is the "text" of every line of the shared benchmark posts
 * ($HORCH_SHARED/../bench/posts.jsonl or ../shared/bench/posts.jsonl
 * beside the source tree, as bench_corpus.h finds it: 63,907 real English
 * and German tweets and review sentences) when that file is readable, and
 * otherwise a synthetic English and German corpus made with a fixed seed.  Measured,
 * each the median of HORCH_BENCH_RUNS runs (default 5):
 *
 *   tokenise         text_tokenise() on the normalised posts, one reused
 *                    struct tokens (what an analysis worker does)
 *   naive-tokenise   the straightforward way, written below as naive_*():
 *                    decode every code point with utf8proc_iterate(),
 *                    classify it with utf8proc_category(), lower-case it
 *                    with utf8proc_tolower(), malloc each token's folded
 *                    string; words, numbers and single punctuation only
 *   normalise        text_normalise() on the raw posts
 *   html-to-text     text_html_to_text() on a synthetic HTML corpus built
 *                    from the same posts (paragraphs, links, entities)
 *
 * Each line reads `name  MB/s  ns/post  (posts, bytes)`; the ratio of
 * tokenise to its naive baseline follows.  Times are the thread's CPU time,
 * so that other work on a shared machine does not count against us. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "bench/bench_corpus.h"
#include "bench/bench_rng.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "text/text.h"

/* The corpus: posts back to back in one buffer. */
struct corpus {
	struct buf bytes;       /* all texts, back to back */
	size_t *off;            /* start of post i in bytes */
	size_t *len;            /* its length */
	size_t n, cap;
};

static void corpus_init(struct corpus *c)
{
	buf_init(&c->bytes, BUF_NOLIMIT);
	c->off = NULL;
	c->len = NULL;
	c->n = c->cap = 0;
}

static void corpus_cleanup(struct corpus *c)
{
	buf_cleanup(&c->bytes);
	free(c->off);
	free(c->len);
}

static void corpus_add(struct corpus *c, const char *s, size_t len)
{
	if (c->n == c->cap) {
		size_t cap = c->cap;

		c->off = horch_xgrow(c->off, &cap, c->n + 1, sizeof *c->off);
		c->len = horch_xgrow(c->len, &c->cap, c->n + 1, sizeof *c->len);
	}
	c->off[c->n] = c->bytes.len;
	c->len[c->n] = len;
	buf_append(&c->bytes, s, len);
	c->n++;
}

/* 60,000 posts of English and German tweet-like text, fixed seed. */
static void synthesise(struct corpus *c)
{
	static const char *const words[] = {
		"the", "laptop", "Dell", "XPS", "battery", "screen", "is", "great", "not",
		"customer", "service", "never", "again", "love", "it", "my", "new", "support",
		"der", "die", "das", "Akku", "Bildschirm", "ist", "super", "Lieferung", "über",
		"Verspätung", "Kundenservice", "schon", "wieder", "nicht", "Grüße", "Straße",
		"don't", "geht's", "e-mail", "z.B.", "dell.com", "COVID-19", "12:30", "4,99€",
		"#DellXPS", "@DellCares", "$DELL", "😂", "👍🏻", "❤️", ":)", "!!!", "...", ",",
		"https://t.co/z5W0Jt1jsP", "MÜNCHEN", "Café", "3.5", "100%", "?",
	};
	struct buf b;
	size_t i, k, n_words = sizeof words / sizeof words[0];

	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < 60000; i++) {
		size_t len = 6 + bench_rng() % 24;

		buf_reset(&b);
		for (k = 0; k < len; k++) {
			if (k)
				buf_putc(&b, ' ');
			buf_puts(&b, words[bench_rng() % n_words]);
			if (bench_rng() % 9 == 0)
				buf_puts(&b, ". ");
		}
		corpus_add(c, b.ptr, b.len);
	}
	buf_cleanup(&b);
}

/* ---- the naive tokenizer ---- */

struct naive_token {
	size_t off, len;        /* bytes in the text */
	int kind;               /* 0 word, 1 number, 2 punct */
	char *fold;             /* malloc'd lower-case form */
};

static int naive_is_word(utf8proc_int32_t cp)
{
	utf8proc_category_t cat = utf8proc_category(cp);

	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO);
}

/* Tokenise s[0..len) the straightforward way into *v (grown with realloc);
 * returns the number of tokens.  The caller frees each fold. */
static size_t naive_tokenise(const char *s, size_t len, struct naive_token **v, size_t *cap)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0, n = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		utf8proc_category_t cat;
		struct naive_token *t;
		size_t start = i, j, flen = 0;
		int digits_only = 1;

		if (k <= 0) {
			i++;
			continue;
		}
		cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_CC) {
			i += (size_t)k;
			continue;
		}
		if (naive_is_word(cp)) {
			while (i < len) {
				k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
				if (k <= 0 || !naive_is_word(cp))
					break;
				if (utf8proc_category(cp) != UTF8PROC_CATEGORY_ND)
					digits_only = 0;
				i += (size_t)k;
			}
		} else {
			i += (size_t)k;
			digits_only = -1;
		}
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*v = realloc(*v, *cap * sizeof **v);
			if (!*v)
				abort();
		}
		t = &(*v)[n++];
		t->off = start;
		t->len = i - start;
		t->kind = digits_only < 0 ? 2 : digits_only ? 1 : 0;
		t->fold = malloc(4 * t->len + 1);
		if (!t->fold)
			abort();
		for (j = start; j < i;) {
			k = utf8proc_iterate(p + j, (utf8proc_ssize_t)(i - j), &cp);
			flen += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
							     (utf8proc_uint8_t *)t->fold + flen);
			j += (size_t)k;
		}
		t->fold[flen] = '\0';
	}
	return n;
}

/* ---- timing ---- */

static void report(const char *name, long long ns, const struct corpus *c)
{
	double mbs = (double)c->bytes.len / (1024.0 * 1024.0) / ((double)ns / 1e9);

	printf("%-18s %8.1f MB/s %8.0f ns/post   (%zu posts, %zu bytes)\n", name, mbs,
	       (double)ns / (double)c->n, c->n, c->bytes.len);
	fflush(stdout);
}

static size_t sink;     /* keeps the optimiser from dropping the work */

static long long run_tokenise(const struct corpus *c, struct tokens *t)
{
	long long t0 = bench_cpu_ns();
	size_t i;

	for (i = 0; i < c->n; i++) {
		text_tokenise(t, c->bytes.ptr + c->off[i], c->len[i]);
		sink += t->n;
	}
	return bench_cpu_ns() - t0;
}

static long long run_naive(const struct corpus *c)
{
	struct naive_token *v = NULL;
	size_t cap = 0, i, k, n;
	long long t0 = bench_cpu_ns();

	for (i = 0; i < c->n; i++) {
		n = naive_tokenise(c->bytes.ptr + c->off[i], c->len[i], &v, &cap);
		sink += n;
		for (k = 0; k < n; k++)
			free(v[k].fold);
	}
	t0 = bench_cpu_ns() - t0;
	free(v);
	return t0;
}

static long long run_normalise(const struct corpus *c, struct buf *out)
{
	long long t0 = bench_cpu_ns();
	size_t i;

	for (i = 0; i < c->n; i++) {
		buf_reset(out);
		text_normalise(out, c->bytes.ptr + c->off[i], c->len[i], NULL);
		sink += out->len;
	}
	return bench_cpu_ns() - t0;
}

static long long run_html(const struct corpus *c, struct buf *out)
{
	long long t0 = bench_cpu_ns();
	size_t i;

	for (i = 0; i < c->n; i++) {
		buf_reset(out);
		text_html_to_text(out, c->bytes.ptr + c->off[i], c->len[i]);
		sink += out->len;
	}
	return bench_cpu_ns() - t0;
}

/* Small HTML documents, as feeds and blogs deliver them. */
static void make_html(struct corpus *html, const struct corpus *c, size_t n)
{
	struct buf b;
	size_t i, k;

	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < n && i < c->n; i += 3) {
		buf_reset(&b);
		buf_puts(&b, "<div class=\"post\"><h2>Post</h2>");
		for (k = i; k < i + 3 && k < c->n; k++) {
			buf_puts(&b, "<p>");
			buf_append(&b, c->bytes.ptr + c->off[k], c->len[k]);
			buf_puts(&b, " <a href=\"https://example.com/x\">more&nbsp;&raquo;</a></p>");
		}
		buf_puts(&b, "<ul><li>&copy; 2026</li><li><b>tags</b>: dell &amp; xps</li></ul></div>");
		corpus_add(html, b.ptr, b.len);
	}
	buf_cleanup(&b);
}

int main(void)
{
	int runs = bench_runs(5, 64), r;
	struct bench_corpus posts;
	struct corpus raw, norm, html;
	struct tokens t;
	struct buf out;
	long long tok[64], naive[64], nrm[64], ht[64];
	long long tok_ns, naive_ns;
	const char *what = "synthetic English and German corpus (fixed seed)";
	size_t i;

	corpus_init(&raw);
	corpus_init(&norm);
	corpus_init(&html);
	if (bench_corpus_load(&posts, 0) == 0) {
		for (i = 0; i < posts.n; i++)
			corpus_add(&raw, posts.v[i].text, posts.v[i].len);
		what = posts.path;
	}
	bench_corpus_free(&posts);
	if (raw.n == 0)
		synthesise(&raw);
	buf_init(&out, BUF_NOLIMIT);
	for (i = 0; i < raw.n; i++) {
		buf_reset(&out);
		text_normalise(&out, raw.bytes.ptr + raw.off[i], raw.len[i], NULL);
		corpus_add(&norm, out.ptr ? out.ptr : "", out.len);
	}
	make_html(&html, &raw, 6000);
	printf("corpus: %s\n", what);
	printf("median of %d runs\n", runs);

	tokens_init(&t);
	run_tokenise(&norm, &t);        /* warm up: the tokens and fold grow once */
	for (r = 0; r < runs; r++) {
		tok[r] = run_tokenise(&norm, &t);
		naive[r] = run_naive(&norm);
		nrm[r] = run_normalise(&raw, &out);
		ht[r] = run_html(&html, &out);
	}
	tok_ns = bench_median(tok, runs);
	naive_ns = bench_median(naive, runs);
	report("tokenise", tok_ns, &norm);
	report("naive-tokenise", naive_ns, &norm);
	printf("ratio              %8.1fx faster than naive-tokenise\n",
	       (double)naive_ns / (double)tok_ns);
	report("normalise", bench_median(nrm, runs), &raw);
	report("html-to-text", bench_median(ht, runs), &html);

	tokens_cleanup(&t);
	buf_cleanup(&out);
	corpus_cleanup(&raw);
	corpus_cleanup(&norm);
	corpus_cleanup(&html);
	return sink == 0;
}
