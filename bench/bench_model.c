/* bench_model.c - how fast the trained sentiment model predicts
 * (nlp_model_predict()), beside the naive way of scoring a text with a
 * linear model over the same features.
 *
 * The corpus is the "text" of every line of the shared benchmark posts
 * (../shared/bench/posts.jsonl beside the source tree, or
 * $HORCH_SHARED/../bench/posts.jsonl), each with the "lang" the file gives
 * it; without the file the benchmark says so and exits.  Each post is
 * normalised and tokenised once, beforehand.  The model is trained on the
 * corpus itself, labelled by the lexicon rules (one epoch, the default
 * 2^18 slots): what a prediction costs depends on the number of features
 * and the size of the table, not on what the weights learnt.  Measured on
 * one thread, each the median of HORCH_BENCH_RUNS runs (default 5), in the
 * thread's CPU time:
 *
 *   model   nlp_model_predict(): features hashed into the per-thread
 *           scratch, the weights summed, the lexicon rules' score as a
 *           feature (the budget: 3 us a post)
 *   rules   nlp_sentiment_rules() alone, the part of model that is the
 *           lexicon rules
 *   naive   the straightforward way, as a bag-of-words vectoriser does it:
 *           each feature (word, negated word, bigram, character n-gram)
 *           built as a string of its own, looked up in a vocabulary (a
 *           chained hash table of strings) for its weights, the strings
 *           freed after each post; the rules' score added the same way
 *
 * Each line reads `name  posts/s  ns/post`; the ratio of model to the naive
 * way follows, then the training time. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_corpus.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

/* ---- the naive way ---- */

#define VOCAB_BUCKETS (1u << 20)

struct ventry {
	char *key;                /* "w:good", "n:good", "b:not|good", "c:^go" */
	float w[3];               /* the weight of each class */
	struct ventry *next;
};

static struct ventry **vocab;

static uint32_t str_hash(const char *s)
{
	uint32_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h & (VOCAB_BUCKETS - 1);
}

static struct ventry *vocab_find(const char *key)
{
	struct ventry *e;

	for (e = vocab[str_hash(key)]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void vocab_add(const char *key)
{
	uint32_t h = str_hash(key);
	struct ventry *e;

	if (vocab_find(key))
		return;
	e = horch_xcalloc(1, sizeof *e);
	e->key = horch_xstrdup(key);
	e->w[0] = (float)(h % 7) * 0.01f;
	e->w[2] = (float)(h % 5) * 0.01f;
	e->next = vocab[h];
	vocab[h] = e;
}

/* A fresh string: prefix, then s[0..len). */
static char *feature(const char *prefix, const char *s, size_t len)
{
	size_t n = strlen(prefix);
	char *f = horch_xmalloc(n + len + 1);

	memcpy(f, prefix, n);
	memcpy(f + n, s, len);
	f[n + len] = '\0';
	return f;
}

static int naive_negation(const char *s)
{
	static const char *const words[] = { "not", "no", "never", "nicht", "kein", "keine",
					     "nie", "nothing", "without", NULL };
	size_t i, n = strlen(s);

	if (n >= 3 && strcmp(s + n - 3, "n't") == 0)
		return 1;
	for (i = 0; words[i]; i++)
		if (strcmp(words[i], s) == 0)
			return 1;
	return 0;
}

/* The features of it as strings, appended to *out (n of them). */
static void naive_features(const struct bench_item *it, char ***out, size_t *n, size_t *cap)
{
	char *prev = NULL;
	int negated = 0;
	size_t i, k, len;

	for (i = 0; i < it->tk.n; i++) {
		const struct token *t = &it->tk.v[i];
		char *word = feature("", it->tk.fold.ptr + t->fold_off, t->fold_len), *f;

		if (t->kind == TOKEN_PUNCT && strchr(".,;:!?", word[0]))
			negated = 0;
		f = feature(negated ? "n:" : "w:", word, strlen(word));
		*out = horch_xgrow(*out, cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = f;
		if (prev) {
			char *b = horch_xmalloc(strlen(prev) + strlen(word) + 4);

			sprintf(b, "b:%s|%s", prev, word);
			*out = horch_xgrow(*out, cap, *n + 1, sizeof **out);
			(*out)[(*n)++] = b;
		}
		if (t->kind == TOKEN_WORD) {
			char *marked = horch_xmalloc(strlen(word) + 3);

			sprintf(marked, "^%s$", word);
			len = strlen(marked);
			for (k = 0; k + 3 <= len; k++) {
				size_t g;

				for (g = 3; g <= 5 && k + g <= len; g++) {
					*out = horch_xgrow(*out, cap, *n + 1, sizeof **out);
					(*out)[(*n)++] = feature("c:", marked + k, g);
				}
			}
			free(marked);
			if (naive_negation(word))
				negated = 1;
		}
		free(prev);
		prev = word;
	}
	free(prev);
}

static float naive(const struct bench_item *it, const struct nlp *m, struct nlp_work *w)
{
	char **f = NULL;
	size_t n = 0, cap = 0, i;
	float z[3] = { 0 }, r, mx, sum = 0;
	int c;

	naive_features(it, &f, &n, &cap);
	for (i = 0; i < n; i++) {
		struct ventry *e = vocab_find(f[i]);

		if (e)
			for (c = 0; c < 3; c++)
				z[c] += e->w[c] / sqrtf((float)n);
		free(f[i]);
	}
	free(f);
	r = nlp_sentiment_rules(m, w, it->text, it->len, &it->tk, it->lang);
	z[0] -= r;
	z[2] += r;
	mx = z[0] > z[2] ? z[0] : z[2];
	mx = mx > z[1] ? mx : z[1];
	for (c = 0; c < 3; c++) {
		z[c] = expf(z[c] - mx);
		sum += z[c];
	}
	return (z[2] - z[0]) / sum;
}

/* ---- timing ---- */

enum what { W_MODEL, W_RULES, W_NAIVE, W_N };

static const char *const names[W_N] = { "model", "rules", "naive" };

static volatile double sink;

static long long run(enum what what, const struct bench_corpus *c, const struct nlp *m,
		     const struct nlp_model *model, struct nlp_work *w)
{
	long long t0 = bench_cpu_ns();
	double acc = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct bench_item *it = &c->v[i];
		struct nlp_sentiment s;

		if (what == W_NAIVE) {
			acc += naive(it, m, w);
		} else if (what == W_RULES) {
			acc += nlp_sentiment_rules(m, w, it->text, it->len, &it->tk, it->lang);
		} else {
			nlp_model_predict(model, m, w, it->text, it->len, &it->tk, it->lang, &s);
			acc += s.score;
		}
	}
	sink += acc;
	return bench_cpu_ns() - t0;
}

int main(void)
{
	int runs = bench_runs(5, 64), r, k;
	struct bench_corpus c;
	struct nlp *m = NULL;
	struct nlp_model *model = NULL;
	struct nlp_work *work;
	struct nlp_example *ex;
	struct nlp_train_opts to = { .epochs = 1, .seed = 1 };
	struct horch_err err;
	long long t[W_N][64], train_ns;
	size_t i, j, n_label[4] = { 0 };

	if (bench_corpus_load(&c, BENCH_CORPUS_NORMALISE | BENCH_CORPUS_TOKENS) != 0) {
		printf("bench_model: no corpus at %s (set HORCH_SHARED); nothing measured\n",
		       c.where);
		bench_corpus_free(&c);
		return 0;
	}
	if (nlp_new(&m, NULL, &err) != 0) {
		fprintf(stderr, "bench_model: %s\n", err.msg);
		return 1;
	}
	work = nlp_work_new();

	/* The rules label the corpus for training. */
	ex = horch_xcalloc(c.n, sizeof *ex);
	for (i = 0; i < c.n; i++) {
		struct nlp_sentiment s;

		nlp_sentiment(m, work, c.v[i].text, c.v[i].len, &c.v[i].tk, c.v[i].lang, &s);
		ex[i].text = c.v[i].text;
		ex[i].len = c.v[i].len;
		ex[i].lang = c.v[i].lang[0] ? c.v[i].lang : NULL;
		ex[i].label = s.label;
		n_label[s.label & 3]++;
	}
	train_ns = bench_cpu_ns();
	if (nlp_model_train(&model, m, ex, c.n, &to, &err) != 0) {
		fprintf(stderr, "bench_model: %s\n", err.msg);
		return 1;
	}
	train_ns = bench_cpu_ns() - train_ns;

	/* The naive way's vocabulary: every feature of the first 20,000 posts. */
	vocab = horch_xcalloc(VOCAB_BUCKETS, sizeof *vocab);
	for (i = 0; i < c.n && i < 20000; i++) {
		char **f = NULL;
		size_t n = 0, cap = 0;

		naive_features(&c.v[i], &f, &n, &cap);
		for (j = 0; j < n; j++) {
			vocab_add(f[j]);
			free(f[j]);
		}
		free(f);
	}

	printf("corpus: %s (%zu posts)\n", c.path, c.n);
	printf("labels by the rules: negative %zu neutral %zu positive %zu\n",
	       n_label[POST_SENT_NEGATIVE], n_label[POST_SENT_NEUTRAL],
	       n_label[POST_SENT_POSITIVE]);
	printf("median of %d runs\n", runs);
	for (r = 0; r < runs; r++)
		for (k = 0; k < W_N; k++)
			t[k][r] = run((enum what)k, &c, m, model, work);
	for (k = 0; k < W_N; k++) {
		long long ns = bench_median(t[k], runs);

		printf("%-18s %10.0f posts/s %8.0f ns/post\n", names[k],
		       (double)c.n / ((double)ns / 1e9), (double)ns / (double)c.n);
	}
	printf("ratio              %8.1fx faster than naive\n",
	       (double)bench_median(t[W_NAIVE], runs) / (double)bench_median(t[W_MODEL], runs));
	printf("train              %zu examples, 1 epoch: %.2f s\n", c.n, (double)train_ns / 1e9);

	for (i = 0; i < VOCAB_BUCKETS; i++) {
		struct ventry *e = vocab[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e->key);
			free(e);
		}
	}
	free(vocab);
	free(ex);
	nlp_model_free(model);
	nlp_work_free(work);
	nlp_free(m);
	bench_corpus_free(&c);
	return 0;
}
