/* bench_intent.c - how fast nlp_entities() and nlp_intent() run, beside
 * the naive way of doing the same job.
 *
 * The corpus is the "text" of every line of the shared benchmark posts
 * (../shared/bench/posts.jsonl beside the source tree, or
 * $HORCH_SHARED/../bench/posts.jsonl: 63,907 real English and German
 * tweets and review sentences); without it the benchmark says so and
 * exits.  Each post is normalised, tokenised, its language taken from
 * nlp_lang_detect() and its sentiment from nlp_sentiment() once,
 * beforehand: what is timed is what this benchmark is about.  The
 * catalogue is 600 products of made-up names in the shape of a computer
 * maker's (a series and a model number, each with two aliases), fixed.
 * Measured on one thread, each the median of HORCH_BENCH_RUNS runs
 * (default 5), in the thread's CPU time:
 *
 *   entities+intent   nlp_entities() and nlp_intent() on the tokens, the
 *                     post's entity storage reused (the budget: 1 us a post)
 *   entities          nlp_entities() alone, with the catalogue
 *   entities (no cat) nlp_entities() alone, without a catalogue
 *   intent            nlp_intent() alone
 *   naive             the straightforward way: lower-case the text into a
 *                     fresh string, strstr() every cue phrase and every
 *                     spelling of every product in it
 *
 * Each line reads `name  posts/s  ns/post`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_corpus.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/post.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

/* The posts, normalised and tokenised, and what is known of each
 * beforehand: its language (in its bench_item's lang) and its sentiment. */
struct corpus {
	struct bench_corpus b;
	struct nlp_sentiment *s;  /* the sentiment of post i */
};

/* ---- the catalogue ---- */

#define N_SERIES 10
#define N_MODELS 60

static const char *const series[N_SERIES] = {
	"Inspiron", "XPS", "Latitude", "Precision", "Vostro", "Alienware", "OptiPlex",
	"PowerEdge", "UltraSharp", "Chromebook",
};

struct catalogue {
	struct nlp_product p[N_SERIES * N_MODELS];
	char names[N_SERIES * N_MODELS][3][48];  /* name, joined alias, hyphenated alias */
	const char *aliases[N_SERIES * N_MODELS][2];
	char low[N_SERIES * N_MODELS][3][48];    /* the same, lower case, for the naive way */
};

static void make_catalogue(struct catalogue *cat)
{
	size_t s, k, i = 0;

	for (s = 0; s < N_SERIES; s++) {
		for (k = 0; k < N_MODELS; k++, i++) {
			unsigned model = (unsigned)(k < 20 ? 3 + k : 1000 + 37 * k);

			snprintf(cat->names[i][0], sizeof cat->names[i][0], "%s %u", series[s], model);
			snprintf(cat->names[i][1], sizeof cat->names[i][1], "%s%u", series[s], model);
			snprintf(cat->names[i][2], sizeof cat->names[i][2], "%s-%u Pro", series[s], model);
			for (size_t a = 0; a < 3; a++)
				for (size_t b = 0; b < sizeof cat->low[i][a]; b++)
					cat->low[i][a][b] = (char)(cat->names[i][a][b] >= 'A' &&
								   cat->names[i][a][b] <= 'Z'
							? cat->names[i][a][b] - 'A' + 'a'
							: cat->names[i][a][b]);
			cat->aliases[i][0] = cat->names[i][1];
			cat->aliases[i][1] = cat->names[i][2];
			cat->p[i].id = (int64_t)i + 1;
			cat->p[i].name = cat->names[i][0];
			cat->p[i].aliases = cat->aliases[i];
			cat->p[i].n_aliases = 2;
		}
	}
}

/* ---- the naive way ---- */

/* The cue phrases, for the naive baseline: a sample of the kinds intent.c
 * knows, as plain lower-case strings. */
static const char *const naive_cues[] = {
	"how do i", "can anyone help", "any update", "not working", "doesn't work",
	"broken", "delayed", "cancelled", "still waiting", "on hold", "refund", "worst",
	"no problem", "thank", "love", "great", "awesome", "looking to buy", "should i get",
	"where can i buy", "want to buy", "please add", "you should add", "would be nice if",
	"feature request", "i wish", "wie kann ich", "weiß jemand", "funktioniert nicht",
	"kaputt", "verspätung", "warteschleife", "danke", "super", "kaufempfehlung", "kaufen",
	"wäre schön", "bitte", "vorschlag", "idee",
};

/* Lower-case ASCII into a fresh string, strstr every cue and spelling. */
static uint64_t naive(const struct bench_item *it, const struct catalogue *cat)
{
	char *low = horch_xmalloc(it->len + 1);
	uint64_t hits = 0;
	size_t i, k;

	for (i = 0; i < it->len; i++) {
		char c = it->text[i];

		low[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	low[it->len] = '\0';
	for (i = 0; i < sizeof naive_cues / sizeof naive_cues[0]; i++)
		hits += strstr(low, naive_cues[i]) != NULL;
	for (i = 0; i < N_SERIES * N_MODELS; i++)
		for (k = 0; k < 3; k++)
			hits += strstr(low, cat->low[i][k]) != NULL;
	free(low);
	return hits;
}

/* ---- timing ---- */

enum what { W_BOTH, W_ENTITIES, W_ENTITIES_BARE, W_INTENT, W_NAIVE, W_N };

static const char *const names[W_N] = {
	"entities+intent", "entities", "entities (no cat)", "intent", "naive",
};

static volatile uint64_t sink;

/* Empty p's entities but keep their memory, as a worker reusing one
 * struct post per slot would. */
static void reuse_entities(struct post *p)
{
	p->n_entities = 0;
	p->entity_pool_len = 0;
}

static long long run(enum what what, const struct corpus *c, const struct nlp *m,
		     const struct nlp *bare, const struct catalogue *cat, struct post *p)
{
	long long t0 = bench_cpu_ns();
	uint64_t acc = 0;
	size_t i;

	for (i = 0; i < c->b.n; i++) {
		const struct bench_item *it = &c->b.v[i];

		p->text = it->text;
		switch (what) {
		case W_BOTH:
			reuse_entities(p);
			nlp_entities(m, NULL, p, NULL, &it->tk);
			acc += p->n_entities;
			acc += (uint64_t)nlp_intent(m, it->text, it->len, &it->tk, it->lang,
						    &c->s[i]);
			break;
		case W_ENTITIES:
			reuse_entities(p);
			nlp_entities(m, NULL, p, NULL, &it->tk);
			acc += p->n_entities;
			break;
		case W_ENTITIES_BARE:
			reuse_entities(p);
			nlp_entities(bare, NULL, p, NULL, &it->tk);
			acc += p->n_entities;
			break;
		case W_INTENT:
			acc += (uint64_t)nlp_intent(m, it->text, it->len, &it->tk, it->lang,
						    &c->s[i]);
			break;
		default:
			acc += naive(it, cat);
			break;
		}
		p->text = NULL;
	}
	sink += acc;
	return bench_cpu_ns() - t0;
}

int main(void)
{
	int runs = bench_runs(5, 64), r, w;
	static struct catalogue cat;
	struct corpus c;
	struct nlp m, bare;
	struct nlp_work *work;
	struct horch_err err;
	struct post p;
	long long t[W_N][64];
	size_t i, n_intent[8] = { 0 };

	if (bench_corpus_load(&c.b, BENCH_CORPUS_NORMALISE | BENCH_CORPUS_TOKENS) != 0) {
		printf("bench_intent: no corpus at %s (set HORCH_SHARED); nothing measured\n",
		       c.b.where);
		bench_corpus_free(&c.b);
		return 0;
	}
	memset(&m, 0, sizeof m);
	memset(&bare, 0, sizeof bare);
	make_catalogue(&cat);
	if (nlp__sentiment_load(&m, &err) != 0 || nlp__intent_load(&m, &err) != 0 ||
	    nlp__products_load(&m, cat.p, N_SERIES * N_MODELS, &err) != 0 ||
	    nlp__intent_load(&bare, &err) != 0) {
		fprintf(stderr, "bench_intent: %s\n", err.msg);
		return 1;
	}
	work = nlp_work_new();
	c.s = horch_xcalloc(c.b.n, sizeof *c.s);
	for (i = 0; i < c.b.n; i++) {
		struct bench_item *it = &c.b.v[i];
		struct nlp_lang lg;

		nlp_lang_detect(it->text, it->len, &lg);
		snprintf(it->lang, sizeof it->lang, "%s", lg.code);
		nlp_sentiment(&m, work, it->text, it->len, &it->tk, lg.code, &c.s[i]);
		n_intent[nlp_intent(&m, it->text, it->len, &it->tk, lg.code, &c.s[i])]++;
	}
	printf("corpus: %s (%zu posts), catalogue: %d products\n", c.b.path, c.b.n,
	       N_SERIES * N_MODELS);
	printf("intents:");
	for (i = 1; i <= POST_INTENT_IDEA; i++)
		printf(" %s %zu", post_intent_name((int)i), n_intent[i]);
	printf("\nmedian of %d runs\n", runs);

	post_init(&p);
	run(W_BOTH, &c, &m, &bare, &cat, &p);  /* warm up: the entity storage grows once */
	for (r = 0; r < runs; r++)
		for (w = 0; w < W_N; w++)
			t[w][r] = run((enum what)w, &c, &m, &bare, &cat, &p);
	for (w = 0; w < W_N; w++) {
		long long ns = bench_median(t[w], runs);

		printf("%-18s %10.0f posts/s %8.0f ns/post\n", names[w],
		       (double)c.b.n / ((double)ns / 1e9), (double)ns / (double)c.b.n);
	}
	printf("ratio              %8.1fx faster than naive\n",
	       (double)bench_median(t[W_NAIVE], runs) / (double)bench_median(t[W_BOTH], runs));

	post_cleanup(&p);
	nlp_work_free(work);
	nlp__sentiment_free(m.sent);
	nlp__intent_free(m.intent);
	nlp__intent_free(bare.intent);
	nlp__products_free(m.products);
	free(c.s);
	bench_corpus_free(&c.b);
	return 0;
}
