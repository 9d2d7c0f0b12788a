/* bench_sentiment.c - how fast nlp_sentiment() runs, beside the naive way
 * of scoring with a lexicon.
 *
 * The corpus is the "text" of every line of the shared benchmark posts
 * (../shared/bench/posts.jsonl beside the source tree, or
 * $HORCH_SHARED/../bench/posts.jsonl: 63,907 real English and German
 * tweets and review sentences), each with the "lang" the file gives it;
 * without the file the benchmark says so and exits.  Each post is
 * normalised and tokenised once, beforehand: what is timed is the scoring.
 * Measured on one thread, each the median of HORCH_BENCH_RUNS runs
 * (default 5), in the thread's CPU time:
 *
 *   sentiment        nlp_sentiment(), horch's rules, in the post's language
 *                    (the budget: 2 us a post)
 *   sentiment-vader  nlp_sentiment() with VADER's published rules
 *   naive            the straightforward way: lower-case the text into a
 *                    fresh string, split it at white space, strip the
 *                    punctuation around each word, look it up in VADER's
 *                    lexicon sorted for bsearch(), sum the valences,
 *                    normalise like VADER; no rules
 *
 * Each line reads `name  posts/s  ns/post`; the ratio of sentiment to the
 * naive way follows. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_corpus.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/embedded.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

/* The lexicon files compiled into the library (sentiment.c's order). */
extern const struct embedded_file nlp__sentiment_data[];

/* ---- the naive way ---- */

struct naive_entry {
	char *word;
	float val;
};

static struct naive_entry *naive_lex;
static size_t naive_n;

static int naive_cmp(const void *a, const void *b)
{
	return strcmp(((const struct naive_entry *)a)->word, ((const struct naive_entry *)b)->word);
}

/* VADER's lexicon (word TAB valence ...) as a sorted array. */
static void naive_load(void)
{
	const struct embedded_file *f = &nlp__sentiment_data[0];
	const char *p = f->data, *end = f->data + f->len;
	size_t cap = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *tab = memchr(p, '\t', (size_t)(eol - p));

		if (tab) {
			naive_lex = horch_xgrow(naive_lex, &cap, naive_n + 1, sizeof *naive_lex);
			naive_lex[naive_n].word = horch_xstrndup(p, (size_t)(tab - p));
			naive_lex[naive_n].val = (float)atof(tab + 1);
			naive_n++;
		}
		p = nl ? nl + 1 : end;
	}
	qsort(naive_lex, naive_n, sizeof *naive_lex, naive_cmp);
}

static float naive(const struct bench_item *it)
{
	char *low = horch_xmalloc(it->len + 1), *save = NULL, *w;
	float sum = 0;
	size_t i;

	for (i = 0; i < it->len; i++) {
		char c = it->text[i];

		low[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	low[it->len] = '\0';
	for (w = strtok_r(low, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		struct naive_entry key, *hit;
		size_t n = strlen(w);

		while (n > 2 && strchr(".,;:!?\"'()", w[n - 1]))
			w[--n] = '\0';
		while (n > 2 && strchr(".,;:!?\"'()#@", w[0])) {
			w++;
			n--;
		}
		key.word = w;
		hit = bsearch(&key, naive_lex, naive_n, sizeof *naive_lex, naive_cmp);
		if (hit)
			sum += hit->val;
	}
	free(low);
	return sum / sqrtf(sum * sum + 15);
}

/* ---- timing ---- */

enum what { W_RULES, W_VADER, W_NAIVE, W_N };

static const char *const names[W_N] = { "sentiment", "sentiment-vader", "naive" };

static volatile double sink;

static long long run(enum what what, const struct bench_corpus *c, const struct nlp *rules,
		     const struct nlp *vader, struct nlp_work *w)
{
	long long t0 = bench_cpu_ns();
	double acc = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct bench_item *it = &c->v[i];
		struct nlp_sentiment s;

		if (what == W_NAIVE) {
			acc += naive(it);
			continue;
		}
		nlp_sentiment(what == W_RULES ? rules : vader, w, it->text, it->len, &it->tk,
			      it->lang, &s);
		acc += s.score;
	}
	sink += acc;
	return bench_cpu_ns() - t0;
}

int main(void)
{
	int runs = bench_runs(5, 64), r, w;
	struct bench_corpus c;
	struct nlp rules, vader;
	struct nlp_work *work;
	struct horch_err err;
	long long t[W_N][64];
	size_t i, n_label[4] = { 0 };

	if (bench_corpus_load(&c, BENCH_CORPUS_NORMALISE | BENCH_CORPUS_TOKENS) != 0) {
		printf("bench_sentiment: no corpus at %s (set HORCH_SHARED); nothing measured\n",
		       c.where);
		bench_corpus_free(&c);
		return 0;
	}
	memset(&rules, 0, sizeof rules);
	memset(&vader, 0, sizeof vader);
	if (nlp__sentiment_load(&rules, &err) != 0 || nlp__sentiment_load(&vader, &err) != 0) {
		fprintf(stderr, "bench_sentiment: %s\n", err.msg);
		return 1;
	}
	vader.vader_only = 1;
	naive_load();
	work = nlp_work_new();
	for (i = 0; i < c.n; i++) {
		struct nlp_sentiment s;

		nlp_sentiment(&rules, work, c.v[i].text, c.v[i].len, &c.v[i].tk, c.v[i].lang, &s);
		n_label[s.label & 3]++;
	}
	printf("corpus: %s (%zu posts)\n", c.path, c.n);
	printf("labels: negative %zu neutral %zu positive %zu\n", n_label[POST_SENT_NEGATIVE],
	       n_label[POST_SENT_NEUTRAL], n_label[POST_SENT_POSITIVE]);
	printf("median of %d runs\n", runs);
	for (r = 0; r < runs; r++)
		for (w = 0; w < W_N; w++)
			t[w][r] = run((enum what)w, &c, &rules, &vader, work);
	for (w = 0; w < W_N; w++) {
		long long ns = bench_median(t[w], runs);

		printf("%-18s %10.0f posts/s %8.0f ns/post\n", names[w],
		       (double)c.n / ((double)ns / 1e9), (double)ns / (double)c.n);
	}
	printf("ratio              %8.1fx faster than naive\n",
	       (double)bench_median(t[W_NAIVE], runs) / (double)bench_median(t[W_RULES], runs));

	nlp_work_free(work);
	nlp__sentiment_free(rules.sent);
	nlp__sentiment_free(vader.sent);
	for (i = 0; i < naive_n; i++)
		free(naive_lex[i].word);
	free(naive_lex);
	bench_corpus_free(&c);
	return 0;
}
