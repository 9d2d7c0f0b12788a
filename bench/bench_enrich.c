/* bench_enrich.c - how fast horch understands posts: every enricher
 * together (the enrich stage, nlp_analyse()) and each one alone.
 *
 * The corpus is the "text" of every line of the shared benchmark posts
 * (../shared/bench/posts.jsonl beside the source tree, or
 * $HORCH_SHARED/../bench/posts.jsonl: 63,907 real English and German
 * tweets and review sentences); without it the benchmark says so and
 * exits.  Measured on one thread, each the median of HORCH_BENCH_RUNS runs
 * (default 5), in the thread's CPU time:
 *
 *   enrich (batches)  nlp_analyse_batch() on batches of 64 posts, what the
 *                     pipeline's enrich stage does: tokenise once, then
 *                     language, sentiment, spam, SimHash, entities, intent,
 *                     reach and priority, each over the whole batch
 *   enrich (one by one) nlp_analyse(): the same, one post at a time
 *   naive: separate   the same enrichers as separate tools, each of which
 *                     tokenises the text for itself, post by post (what a
 *                     chain of independent analysers does); the baseline
 *   tokenise          text_tokenise() alone
 *   lang ... priority each enricher alone, on tokens made beforehand
 *
 * Each line reads `name  posts/s  ns/post`.  For scale, on the same posts
 * and the same kind of machine: VADER 5,559 posts/s (JavaScript) and
 * 12,847 (Python); CLD2 alone 258,000 (../shared/bench/README.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_corpus.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/post.h"
#include "nlp/nlp.h"
#include "text/text.h"

struct corpus {
	struct post *p;           /* the posts (text only) */
	struct tokens *tk;        /* their tokens, made once for the single enrichers */
	size_t n;
};

/* Make a post of each text of the benchmark posts, which b reads (each
 * post owns its text; b keeps only the path of the file).  Returns 0, or
 * -1 without them (b->where says where they were looked for). */
static int load(struct corpus *c, struct bench_corpus *b)
{
	if (bench_corpus_load(b, 0) != 0)
		return -1;
	c->p = horch_xcalloc(b->n, sizeof *c->p);
	for (c->n = 0; c->n < b->n; c->n++) {
		struct post *p = &c->p[c->n];

		post_init(p);
		p->text = b->v[c->n].text;
		b->v[c->n].text = NULL;
		p->source = horch_xstrdup("bench");
	}
	bench_corpus_free(b);
	return 0;
}

enum what {
	W_BATCH, W_ALL, W_NAIVE, W_TOKENISE, W_LANG, W_SENTIMENT, W_SPAM, W_SIMHASH, W_ENTITIES,
	W_INTENT, W_REACH,
};

static const char *const names[] = {
	"enrich (batches)", "enrich (one by one)", "naive: separate", "tokenise", "lang", "sentiment", "spam", "simhash",
	"entities", "intent", "reach+priority",
};

static volatile uint64_t sink;

/* One pass of `what` over the corpus; returns its CPU time in ns. */
static long long run(enum what what, struct corpus *c, const struct nlp *m,
		     struct nlp_work *w, struct tokens *scratch)
{
	long long t0 = bench_cpu_ns();
	struct nlp_sentiment s = { 0 };
	struct nlp_lang lg;
	uint64_t acc = 0;

	if (what == W_BATCH) {
		struct post *batch[NLP_BATCH_MAX];

		for (size_t i = 0; i < c->n; i += NLP_BATCH_MAX) {
			size_t k = c->n - i < NLP_BATCH_MAX ? c->n - i : NLP_BATCH_MAX;

			for (size_t j = 0; j < k; j++)
				batch[j] = &c->p[i + j];
			acc += nlp_analyse_batch(m, w, batch, k);
		}
		sink += acc;
		return bench_cpu_ns() - t0;
	}
	for (size_t i = 0; i < c->n; i++) {
		struct post *p = &c->p[i];
		const char *text = p->text;
		size_t len = strlen(text);

		switch (what) {
		case W_BATCH:
		case W_ALL:
			nlp_analyse(m, w, p);
			acc += p->sentiment_label;
			break;
		case W_NAIVE:
			/* Each tool tokenises for itself. */
			nlp_lang_detect(text, len, &lg);
			text_tokenise(scratch, text, len);
			nlp_sentiment(m, w, text, len, scratch, lg.code, &s);
			text_tokenise(scratch, text, len);
			acc += (uint64_t)(nlp_spam(m, p, scratch) * 8);
			text_tokenise(scratch, text, len);
			acc += nlp_simhash(scratch);
			text_tokenise(scratch, text, len);
			post_clear_entities(p);
			nlp_entities(m, w, p, NULL, scratch);
			text_tokenise(scratch, text, len);
			acc += (uint64_t)nlp_intent(m, text, len, scratch, lg.code, &s);
			break;
		case W_TOKENISE:
			text_tokenise(scratch, text, len);
			acc += scratch->n;
			break;
		case W_LANG:
			nlp_lang_detect(text, len, &lg);
			acc += (unsigned char)lg.code[0];
			break;
		case W_SENTIMENT:
			nlp_sentiment(m, w, text, len, &c->tk[i], p->lang, &s);
			acc += s.label;
			break;
		case W_SPAM:
			acc += (uint64_t)(nlp_spam(m, p, &c->tk[i]) * 8);
			break;
		case W_SIMHASH:
			acc += nlp_simhash(&c->tk[i]);
			break;
		case W_ENTITIES:
			post_clear_entities(p);
			nlp_entities(m, w, p, NULL, &c->tk[i]);
			acc += p->n_entities;
			break;
		case W_INTENT:
			s.label = p->sentiment_label;
			s.score = p->sentiment;
			acc += (uint64_t)nlp_intent(m, text, len, &c->tk[i], p->lang, &s);
			break;
		case W_REACH:
			acc += (uint64_t)(nlp_reach(p) + nlp_priority(p));
			break;
		}
	}
	sink += acc;
	return bench_cpu_ns() - t0;
}

int main(void)
{
	const char *runs_env = getenv("HORCH_BENCH_RUNS");
	int runs = runs_env && atoi(runs_env) > 0 ? atoi(runs_env) : 5;
	struct bench_corpus b;
	struct corpus c = { 0 };
	struct nlp *m = NULL;
	struct nlp_work *w = nlp_work_new();
	struct tokens scratch;
	struct horch_err err;
	long long *t = horch_xcalloc((size_t)runs, sizeof *t);
	double all_ns = 0, naive_ns = 0, batch_ns = 0;

	if (load(&c, &b) != 0) {
		printf("bench_enrich: skipped: the benchmark posts (%s) are not there\n",
		       b.where);
		bench_corpus_free(&b);
		return 0;
	}
	if (nlp_new(&m, NULL, &err) != 0) {
		fprintf(stderr, "bench_enrich: %s\n", err.msg);
		return 1;
	}
	tokens_init(&scratch);
	/* Warm up, and give every post its analysis (intent and priority read
	 * the sentiment) and its own tokens for the single enrichers. */
	c.tk = horch_xcalloc(c.n, sizeof *c.tk);
	for (size_t i = 0; i < c.n; i++) {
		tokens_init(&c.tk[i]);
		text_tokenise(&c.tk[i], c.p[i].text, strlen(c.p[i].text));
		nlp_analyse(m, w, &c.p[i]);
	}
	printf("bench_enrich: %zu posts of %s, one thread, median of %d runs\n", c.n, b.path,
	       runs);
	printf("%-18s %12s %10s\n", "name", "posts/s", "ns/post");
	for (int what = W_BATCH; what <= W_REACH; what++) {
		double ns;

		for (int r = 0; r < runs; r++)
			t[r] = run((enum what)what, &c, m, w, &scratch);
		ns = (double)bench_median(t, runs) / (double)c.n;
		if (what == W_BATCH)
			batch_ns = ns;
		if (what == W_ALL)
			all_ns = ns;
		if (what == W_NAIVE)
			naive_ns = ns;
		printf("%-18s %12.0f %10.0f\n", names[what], 1e9 / ns, ns);
	}
	printf("enrich in batches is %.2fx the naive chain of separate tools, %.2fx one post "
	       "at a time\n", naive_ns / batch_ns, all_ns / batch_ns);
	for (size_t i = 0; i < c.n; i++) {
		tokens_cleanup(&c.tk[i]);
		post_cleanup(&c.p[i]);
	}
	free(c.tk);
	free(c.p);
	free(t);
	tokens_cleanup(&scratch);
	nlp_work_free(w);
	nlp_free(m);
	return 0;
}
