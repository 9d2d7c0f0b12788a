/* bench_match.c - posts/s through the percolator, beside verifying every topic.
 *
 *   bench_match [--quick]
 *
 * The workload is the shared one of ../shared/bench (README.md there):
 * posts.jsonl (63,907 English and German posts), topics_1000.tsv and
 * topics_10000.tsv, found through $HORCH_SHARED/../bench or else
 * ../shared/bench beside the source tree; without it the benchmark says so
 * and exits 0.  Two larger sets, 100,000 and 225,000 topics, are made at
 * run time with the topic generator (topic_gen.h, fixed seed) from the
 * words of the same posts; the first 100,000 of the 225,000 are the
 * 100,000 set.  Every topic is parsed in strict mode; one that does not
 * parse is fatal.
 *
 * Measured, each the median of HORCH_BENCH_RUNS runs (default 3), as the
 * calling thread's CPU time (other work on a shared machine does not count
 * against us), in one thread, as a pipeline worker does it: one struct
 * match_doc and one struct match_result reused for every post.
 *
 *   prepare           match_doc_set() on every post: normalise and tokenise
 *   build-N           matcher_build_with() of the N topics, with word
 *                     statistics of a sample of SAMPLE posts spread over
 *                     the corpus (match_stats; as horch import takes them
 *                     from stored posts)
 *   match-N           match_doc_set() and matcher_match() of every post,
 *                     hits only (in the matcher's order, as a worker that
 *                     stores them asks): the figure of the issue, the whole
 *                     work from a post's text to its topics
 *   match-N-spans     the same with MATCH_SPANS
 *   match-N-nostats   the same as match-N, built without statistics
 *                     (presearch guesses from word length; 1k and 10k)
 *   every-N           the naive baseline: match_doc_set() and the same
 *                     matcher with MATCH_EVERY (every topic verified on
 *                     every post, no presearch index), on the first posts
 *                     until 3 s of CPU have passed and at least 200 posts
 *                     (then the same posts in the other runs)
 *
 * Each line reads `name  ops/s  ns/op`, with the goal of the issue and the
 * figures of the reference engines of the README beside them.
 *
 * Checked, exit status 1 on any difference (each printed with the post's
 * id and text, the topic's name and query): the topics every post of the
 * baseline matched must be those matcher_match() finds; and for the 1,000
 * set, on 300 posts spread over the corpus, the hits and spans must be those
 * of the reference evaluator query_ref_match() (tests/unit/query_ref.h).
 *
 * --quick (a smoke run): the first 2,000 posts, the 1,000 and 10,000 sets,
 * a baseline of 0.5 s. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_time.h"
#include "bench/topic_gen.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/post.h"
#include "query/match.h"
#include "query/query.h"
#include "query_ref.h"

#define RUNS_MAX 9
#define GEN_SEED 1
#define GEN_MAX 225000
#define GEN_MID 100000
#define REF_POSTS 300
#define DIFFS_SHOWN 20
#define BLOCK 256 /* posts prepared at a time for the checks */
#define SAMPLE 5000 /* posts in the word statistics */

/* The posts, prepared BLOCK at a time for the checks (the timed loops
 * prepare one post at a time, as a worker does). */
struct prepared {
	struct match_doc *d[BLOCK];
	struct post **posts;
	size_t n_posts;     /* posts in the corpus used */
	size_t base;        /* d[k] holds post base + k */
	size_t n;           /* posts prepared in d */
	size_t n_etoobig;   /* match_doc_set() refused a post as too long */
};

/* One topic set: names and queries as read, and the parsed queries. */
struct topics {
	const char *what;   /* where it came from */
	char **name;        /* topic names */
	char **text;        /* query texts */
	struct query **q;   /* parsed; NULL once freed after building */
	size_t n;
	size_t cap;
};

/* The goals of the issue and the reference engines' figures (README of
 * ../shared/bench) for one set size. */
struct goal {
	size_t n_topics;
	double posts_s;     /* goal: at least this many posts/s, 0 if none */
	const char *ref;    /* reference engines, or NULL */
};

static const struct goal goals[] = {
	{ 1000, 500000, "Lucene MemoryIndex (every topic) 359, Luwak 10,515, Luwak batches 9,281 posts/s" },
	{ 10000, 200000, "Lucene MemoryIndex (every topic) 29, Luwak 1,073, Luwak batches 1,798, "
			 "Hyperscan (keywords only) 684,000 posts/s" },
	{ 100000, 0, NULL },
	{ 225000, 20000, NULL },
};

static int runs = 3;
static int quick;
static struct match_stats *stats; /* of a sample of the posts; NULL: none */
static size_t n_diffs;
static size_t sink; /* keeps the optimiser from dropping the work */

static void die(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "bench_match: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(1);
}

/* Print `name  ops/s  ns/op  (note)`; returns ops/s. */
static double report(const char *name, size_t n_ops, long long ns, const char *unit,
		     const char *note)
{
	double rate = ns > 0 ? (double)n_ops / ((double)ns / 1e9) : 0.0;

	printf("%-22s %12.0f %s/s %12.0f ns/%s   (%s)\n", name, rate, unit,
	       n_ops ? (double)ns / (double)n_ops : 0.0, unit, note);
	fflush(stdout);
	return rate;
}

/* Prepare the block of posts that starts at post base. */
static void prepare_block(struct prepared *pp, size_t base)
{
	pp->base = base;
	pp->n = pp->n_posts - base < BLOCK ? pp->n_posts - base : BLOCK;
	for (size_t k = 0; k < pp->n; k++)
		if (match_doc_set(pp->d[k], pp->posts[base + k]))
			pp->n_etoobig++;
}

/* The prepared doc of post i. */
static struct match_doc *doc_at(struct prepared *pp, size_t i)
{
	if (i < pp->base || i >= pp->base + pp->n)
		prepare_block(pp, i);
	return pp->d[i - pp->base];
}

/* ---- topics ---- */

static void topics_add(struct topics *t, const char *name, size_t name_len, const char *text,
		       size_t text_len)
{
	if (t->n == t->cap) {
		size_t cap = t->cap, cap2 = t->cap;

		t->name = horch_xgrow(t->name, &cap, t->n + 1, sizeof *t->name);
		t->text = horch_xgrow(t->text, &cap2, t->n + 1, sizeof *t->text);
		t->q = horch_xgrow(t->q, &t->cap, t->n + 1, sizeof *t->q);
	}
	t->name[t->n] = horch_xstrndup(name, name_len);
	t->text[t->n] = horch_xstrndup(text, text_len);
	t->q[t->n] = NULL;
	t->n++;
}

/* Read NAME<TAB>QUERY lines from data[0..len) into t. */
static void topics_read(struct topics *t, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	long line = 0;
	char num[32];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *tab;

		line++;
		tab = memchr(p, '\t', (size_t)(eol - p));
		if (!tab) {
			snprintf(num, sizeof num, "%ld", line);
			die("%s line %s: no tab between name and query", t->what, num);
		}
		topics_add(t, p, (size_t)(tab - p), tab + 1, (size_t)(eol - tab - 1));
		p = nl ? nl + 1 : end;
	}
}

static void topics_load(struct topics *t, const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (!f)
		die("cannot read %s%s", path, "");
	buf_init(&b, 64u * 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n))
			die("%s is larger than 64 MiB%s", path, "");
	fclose(f);
	topics_read(t, b.ptr ? b.ptr : "", b.len);
	buf_cleanup(&b);
}

/* Parse every topic of t in strict mode; a topic that fails is fatal. */
static void topics_parse(struct topics *t)
{
	struct horch_err err;

	for (size_t i = 0; i < t->n; i++) {
		if (query_parse(&t->q[i], t->text[i], strlen(t->text[i]), 0, NULL, &err) == 0)
			continue;
		fprintf(stderr, "bench_match: %s line %zu (%s): %s (col %ld)\n  %s\n", t->what, i + 1,
			t->name[i], err.msg, err.col, t->text[i]);
		exit(1);
	}
}

static void topics_free_queries(struct topics *t)
{
	for (size_t i = 0; i < t->n; i++) {
		query_free(t->q[i]);
		t->q[i] = NULL;
	}
}

static void topics_cleanup(struct topics *t)
{
	topics_free_queries(t);
	for (size_t i = 0; i < t->n; i++) {
		free(t->name[i]);
		free(t->text[i]);
	}
	free(t->name);
	free(t->text);
	free(t->q);
}

/* ---- the matcher ---- */

/* Build a matcher of the first n topics of t (ids 0..n-1) with the word
 * statistics st (may be NULL), HORCH_BENCH_RUNS times; returns the last
 * one (the caller owns it) and the median CPU time in *ns. */
static struct matcher *build(const struct topics *t, size_t n, const struct match_stats *st,
			     long long *ns)
{
	struct matcher_topic *mt = horch_xmalloc((n ? n : 1) * sizeof *mt);
	struct matcher *m = NULL;
	struct horch_err err;
	long long v[RUNS_MAX];

	for (size_t i = 0; i < n; i++) {
		mt[i].id = (int64_t)i;
		mt[i].q = t->q[i];
		mt[i].name = NULL;
	}
	for (int r = 0; r < runs; r++) {
		long long t0;

		matcher_free(m);
		m = NULL;
		t0 = bench_cpu_ns();
		if (matcher_build_with(&m, mt, n, st, &err))
			die("matcher_build: %s%s", err.msg, "");
		v[r] = bench_cpu_ns() - t0;
	}
	free(mt);
	*ns = bench_median(v, runs);
	return m;
}

/* Prepare and match every post with flags, one doc for all, as a worker
 * does; returns the CPU time, adds the hits and spans to *hits and
 * *spans. */
static long long match_all(const struct matcher *m, struct prepared *pp, unsigned flags,
			   struct match_doc *d, struct match_result *r, size_t *hits, size_t *spans)
{
	long long t0 = bench_cpu_ns();

	for (size_t i = 0; i < pp->n_posts; i++) {
		match_doc_set(d, pp->posts[i]);
		*hits += matcher_match(m, d, flags, r);
		*spans += r->n_spans;
	}
	sink += *hits;
	return bench_cpu_ns() - t0;
}

/* The topics each baseline post matched: ids[start[i] .. start[i + 1]). */
struct every {
	int64_t *ids;
	size_t n, cap;
	size_t *start;
	size_t n_posts;
};

/* The naive baseline: MATCH_EVERY on the first posts, until min_ns of CPU
 * have passed and at least 200 posts (*n_posts is 0 on entry), or on
 * exactly *n_posts posts.  Records each post's topics in e (when e is not
 * NULL).  Returns the CPU time. */
static long long run_every(const struct matcher *m, struct prepared *pp, size_t *n_posts,
			   long long min_ns, struct match_doc *d, struct match_result *r,
			   struct every *e)
{
	long long ns = 0;
	size_t i, fixed = *n_posts, n_docs = pp->n_posts;

	if (e) {
		e->n = 0;
		e->start = horch_xrealloc(e->start, (n_docs + 1) * sizeof *e->start);
		e->start[0] = 0;
	}
	for (i = 0; i < n_docs; i++) {
		long long t0;

		if (fixed ? i == fixed : i >= 200 && ns >= min_ns)
			break;
		t0 = bench_cpu_ns();
		match_doc_set(d, pp->posts[i]);
		sink += matcher_match(m, d, MATCH_EVERY, r);
		ns += bench_cpu_ns() - t0;
		if (e) {
			e->ids = horch_xgrow(e->ids, &e->cap, e->n + r->n, sizeof *e->ids);
			for (size_t k = 0; k < r->n; k++)
				e->ids[e->n++] = r->hits[k].topic;
			e->start[i + 1] = e->n;
		}
	}
	*n_posts = i;
	if (e)
		e->n_posts = i;
	return ns;
}

static void print_diff_post(const struct post *p)
{
	printf("  post %s: %s\n", p->external_id, p->text);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Compare the matcher with its baseline on the posts e covered (each
 * post's topic ids sorted first: neither run asks for build order). */
static void check_every(const struct matcher *m, const struct topics *t, struct prepared *pp,
			const struct every *e, struct match_result *r)
{
	int64_t *want = NULL, *got = NULL;
	size_t cap_want = 0, cap_got = 0;

	for (size_t i = 0; i < e->n_posts; i++) {
		size_t n_want = e->start[i + 1] - e->start[i], a = 0, b = 0;

		matcher_match(m, doc_at(pp, i), 0, r);
		want = horch_xgrow(want, &cap_want, n_want + 1, sizeof *want);
		got = horch_xgrow(got, &cap_got, r->n + 1, sizeof *got);
		memcpy(want, e->ids + e->start[i], n_want * sizeof *want);
		for (size_t k = 0; k < r->n; k++)
			got[k] = r->hits[k].topic;
		qsort(want, n_want, sizeof *want, cmp_id);
		qsort(got, r->n, sizeof *got, cmp_id);
		while (a < r->n || b < n_want) {
			int64_t g = a < r->n ? got[a] : INT64_MAX;
			int64_t x = b < n_want ? want[b] : INT64_MAX;
			int64_t id = g < x ? g : x;

			if (g == x) {
				a++;
				b++;
				continue;
			}
			if (n_diffs++ < DIFFS_SHOWN) {
				printf("DIFF %s: topic %s %s the presearch but %s MATCH_EVERY\n", t->what,
				       t->name[id], g < x ? "matches with" : "does not match with",
				       g < x ? "not with" : "matches with");
				printf("  query: %s\n", t->text[id]);
				print_diff_post(pp->posts[i]);
			}
			if (g < x)
				a++;
			else
				b++;
		}
	}
	free(want);
	free(got);
}

/* Compare the matcher (with spans) with query_ref_match() on REF_POSTS
 * posts spread over posts [0, n_posts). */
static void check_ref(const struct matcher *m, const struct topics *t, struct prepared *pp,
		      size_t *n_checked)
{
	struct post **posts = pp->posts;
	size_t n_posts = pp->n_posts;
	struct match_result r;
	struct query_ref_spans spans;
	size_t n_ref = n_posts < REF_POSTS ? n_posts : REF_POSTS;

	match_result_init(&r);
	query_ref_spans_init(&spans);
	*n_checked = 0;
	for (size_t k = 0; k < n_ref; k++) {
		size_t i = k * n_posts / n_ref, h = 0;

		matcher_match(m, doc_at(pp, i), MATCH_SPANS | MATCH_ORDERED, &r);
		for (size_t id = 0; id < t->n; id++) {
			int want = query_ref_match(t->q[id], posts[i], &spans);
			int got = h < r.n && r.hits[h].topic == (int64_t)id;
			const struct match_hit *hit = got ? &r.hits[h++] : NULL;
			int same = want == got;

			(*n_checked)++;
			if (same && got) {
				same = hit->n_spans == spans.n;
				for (size_t s = 0; same && s < spans.n; s++) {
					const struct match_span *a = &r.spans[hit->span0 + s];
					const struct query_ref_span *b = &spans.v[s];

					same = a->part == (uint32_t)b->part && a->off == b->off &&
					       a->len == b->len;
				}
			}
			if (same)
				continue;
			if (n_diffs++ < DIFFS_SHOWN) {
				printf("DIFF %s: topic %s: matcher %s, query_ref_match() %s\n", t->what,
				       t->name[id], got ? "matches" : "does not match",
				       want == 1 ? "matches" : want == 0 ? "does not match" : "fails");
				printf("  query: %s\n", t->text[id]);
				print_diff_post(posts[i]);
				if (got && want == 1) {
					printf("  spans (part:off+len): matcher");
					for (uint32_t s = 0; s < hit->n_spans; s++)
						printf(" %u:%u+%u", r.spans[hit->span0 + s].part,
						       r.spans[hit->span0 + s].off,
						       r.spans[hit->span0 + s].len);
					printf("; query_ref");
					for (size_t s = 0; s < spans.n; s++)
						printf(" %d:%u+%u", spans.v[s].part, spans.v[s].off,
						       spans.v[s].len);
					printf("\n");
				}
			}
		}
	}
	match_result_cleanup(&r);
	query_ref_spans_cleanup(&spans);
}

static const struct goal *goal_for(size_t n_topics)
{
	for (size_t i = 0; i < sizeof goals / sizeof goals[0]; i++)
		if (goals[i].n_topics == n_topics)
			return &goals[i];
	return NULL;
}

static const char *label(size_t n, char *out, size_t cap)
{
	if (n % 1000 == 0)
		snprintf(out, cap, "%zuk", n / 1000);
	else
		snprintf(out, cap, "%zu", n);
	return out;
}

/* Measure and check the first n topics of t, built into m. */
static void bench_set(const struct matcher *m, long long build_ns, const struct topics *t,
		      size_t n, struct prepared *pp, const struct matcher *m_nostats)
{
	size_t n_posts = pp->n_posts;
	const struct goal *g = goal_for(n);
	struct match_result r;
	struct match_doc *d = match_doc_new();
	struct every e = { 0 };
	long long v[RUNS_MAX], vs[RUNS_MAX], ve[RUNS_MAX], vn[RUNS_MAX], ns, ns_spans, ns_every;
	size_t hits = 0, spans = 0, n_every = 0, diffs_before = n_diffs;
	char name[64], lab[32], note[512];
	double rate, rate_every;
	double bytes = (double)matcher_bytes(m) / (double)(n ? n : 1);

	label(n, lab, sizeof lab);
	match_result_init(&r);
	printf("\n-- %zu topics (%s)\n", n, t->what);
	snprintf(name, sizeof name, "build-%s", lab);
	snprintf(note, sizeof note, "%.3f s for %zu topics; goal for 100k: < 2 s", (double)build_ns / 1e9, n);
	report(name, n, build_ns, "topic", note);
	for (int k = 0; k < runs; k++) {
		size_t h = 0, s = 0;

		v[k] = match_all(m, pp, 0, d, &r, &h, &s);
		hits = h;
	}
	for (int k = 0; k < runs; k++) {
		size_t h = 0, s = 0;

		vs[k] = match_all(m, pp, MATCH_SPANS, d, &r, &h, &s);
		spans = s;
	}
	for (int k = 0; m_nostats && k < runs; k++) {
		size_t h = 0, s = 0;

		vn[k] = match_all(m_nostats, pp, 0, d, &r, &h, &s);
	}
	for (int k = 0; k < runs; k++)
		ve[k] = run_every(m, pp, &n_every, quick ? 500000000LL : 3000000000LL, d, &r,
				  k == 0 ? &e : NULL);
	ns = bench_median(v, runs);
	ns_spans = bench_median(vs, runs);
	ns_every = bench_median(ve, runs);

	snprintf(name, sizeof name, "match-%s", lab);
	if (g && g->posts_s > 0)
		snprintf(note, sizeof note, "%zu posts; goal >= %.0f posts/s", n_posts, g->posts_s);
	else
		snprintf(note, sizeof note, "%zu posts", n_posts);
	rate = report(name, n_posts, ns, "post", note);
	snprintf(name, sizeof name, "match-%s-spans", lab);
	snprintf(note, sizeof note, "%zu posts, %.2f spans/post", n_posts,
		 (double)spans / (double)n_posts);
	report(name, n_posts, ns_spans, "post", note);
	if (m_nostats) {
		snprintf(name, sizeof name, "match-%s-nostats", lab);
		snprintf(note, sizeof note, "%zu posts, presearch without word statistics", n_posts);
		report(name, n_posts, bench_median(vn, runs), "post", note);
	}
	snprintf(name, sizeof name, "every-%s", lab);
	snprintf(note, sizeof note, "naive baseline: MATCH_EVERY, first %zu posts", n_every);
	rate_every = report(name, n_every, ns_every, "post", note);
	printf("ratio                  %12.1fx the naive baseline\n",
	       rate_every > 0 ? rate / rate_every : 0.0);
	printf("matches/post           %12.2f\n", (double)hits / (double)n_posts);
	printf("bytes/topic            %12.0f   (matcher_bytes %zu; goal <= 2048)\n", bytes,
	       matcher_bytes(m));
	if (g && g->posts_s > 0)
		printf("goal                   %s: >= %.0f posts/s, measured %.0f\n",
		       rate >= g->posts_s ? "met" : "NOT met", g->posts_s, rate);
	if (n == GEN_MID)
		printf("goal                   %s: build < 2 s, measured %.3f s\n",
		       build_ns < 2000000000LL ? "met" : "NOT met", (double)build_ns / 1e9);
	if (g && g->ref)
		printf("reference engines      %s\n", g->ref);

	check_every(m, t, pp, &e, &r);
	printf("check                  %s: the matcher's topics equal MATCH_EVERY's on %zu posts\n",
	       n_diffs == diffs_before ? "ok" : "DIFFERENT", e.n_posts);
	free(e.ids);
	free(e.start);
	match_result_cleanup(&r);
	match_doc_free(d);
}

int main(int argc, char **argv)
{
	const char *env_runs = getenv("HORCH_BENCH_RUNS");
	char path[4096];
	struct post **posts = NULL;
	size_t n_all = 0, n_posts, n_checked = 0;
	struct prepared pp;
	struct horch_err err;
	struct topics sets[3] = { { .what = "topics_1000.tsv" }, { .what = "topics_10000.tsv" },
				  { .what = "generated (gen_topics, seed 1)" } };
	long long v[RUNS_MAX], ns;
	struct matcher *m;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			quick = 1;
		} else {
			fprintf(stderr, "usage: bench_match [--quick]\n");
			return 2;
		}
	}
	runs = env_runs ? atoi(env_runs) : 3;
	if (runs < 1 || runs > RUNS_MAX)
		runs = 3;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (topic_gen_data_path(path, sizeof path, "posts.jsonl")) {
		printf("bench_match: skipped: no shared workload (%s not readable)\n", path);
		return 0;
	}
	if (topic_gen_load_posts(path, &posts, &n_all, &err)) {
		fprintf(stderr, "bench_match: %s (line %ld)\n", err.msg, err.line);
		return 1;
	}
	n_posts = quick && n_all > 2000 ? 2000 : n_all;
	printf("posts: %zu of %s%s; median of %d runs, CPU time of one thread\n", n_posts, path,
	       quick ? " (--quick)" : "", runs);

	memset(&pp, 0, sizeof pp);
	pp.posts = posts;
	pp.n_posts = n_posts;
	for (size_t k = 0; k < BLOCK; k++)
		pp.d[k] = match_doc_new();
	{
		struct match_doc *one = match_doc_new();

		for (int r = 0; r < runs; r++) {
			long long t0 = bench_cpu_ns();

			pp.n_etoobig = 0;
			for (size_t i = 0; i < n_posts; i++)
				if (match_doc_set(one, posts[i]))
					pp.n_etoobig++;
			v[r] = bench_cpu_ns() - t0;
		}
		report("prepare", n_posts, bench_median(v, runs), "post",
		       "match_doc_set: normalised text tokenised");
		/* word statistics of SAMPLE posts spread over the whole corpus */
		stats = match_stats_new();
		for (size_t k = 0; k < SAMPLE && k < n_all; k++) {
			match_doc_set(one, posts[k * n_all / (SAMPLE < n_all ? SAMPLE : n_all)]);
			match_stats_add(stats, one);
		}
		printf("statistics             %zu posts sampled for presearch\n",
		       match_stats_n_posts(stats));
		match_doc_free(one);
	}
	if (pp.n_etoobig)
		printf("prepare: %zu posts too long for the tokenizer\n", pp.n_etoobig);

	topic_gen_data_path(path, sizeof path, "topics_1000.tsv");
	topics_load(&sets[0], path);
	topic_gen_data_path(path, sizeof path, "topics_10000.tsv");
	topics_load(&sets[1], path);
	topics_parse(&sets[0]);
	topics_parse(&sets[1]);

	for (int s = 0; s < 2; s++) {
		long long ns_plain;
		struct matcher *m_plain = build(&sets[s], sets[s].n, NULL, &ns_plain);

		m = build(&sets[s], sets[s].n, stats, &ns);
		bench_set(m, ns, &sets[s], sets[s].n, &pp, m_plain);
		matcher_free(m_plain);
		if (s == 0) {
			check_ref(m, &sets[0], &pp, &n_checked);
			printf("check                  %s: matcher equals query_ref_match() on %zu post x topic pairs\n",
			       n_diffs ? "DIFFERENT" : "ok", n_checked);
		}
		matcher_free(m);
	}

	if (!quick) {
		struct topic_vocab *voc = topic_vocab_new();
		struct buf gen;
		struct matcher *m_mid, *m_max;
		long long ns_mid, ns_max, t0;

		buf_init(&gen, BUF_NOLIMIT);
		t0 = bench_cpu_ns();
		for (size_t i = 0; i < n_all; i++)
			topic_vocab_add(voc, posts[i]->text, strlen(posts[i]->text),
					posts[i]->lang && strcmp(posts[i]->lang, "de") == 0);
		if (topic_gen(voc, GEN_MAX, GEN_SEED, &gen))
			die("the posts hold too few words to generate topics from%s%s", "", "");
		topic_vocab_free(voc);
		topics_read(&sets[2], gen.ptr, gen.len);
		buf_cleanup(&gen);
		printf("\ngenerated %zu topics in %.1f s\n", sets[2].n, (double)(bench_cpu_ns() - t0) / 1e9);
		t0 = bench_cpu_ns();
		topics_parse(&sets[2]);
		report("parse", sets[2].n, bench_cpu_ns() - t0, "topic", "query_parse, strict");
		/* The parsed queries take about 4 KiB each: build both matchers,
		 * then free them before matching. */
		m_mid = build(&sets[2], GEN_MID, stats, &ns_mid);
		m_max = build(&sets[2], GEN_MAX, stats, &ns_max);
		topics_free_queries(&sets[2]);
		bench_set(m_mid, ns_mid, &sets[2], GEN_MID, &pp, NULL);
		matcher_free(m_mid);
		bench_set(m_max, ns_max, &sets[2], GEN_MAX, &pp, NULL);
		matcher_free(m_max);
	}

	printf("\n%s: %zu differences\n", n_diffs ? "FAILED" : "ok", n_diffs);
	for (size_t k = 0; k < BLOCK; k++)
		match_doc_free(pp.d[k]);
	for (int s = 0; s < 3; s++)
		topics_cleanup(&sets[s]);
	topic_gen_free_posts(posts, n_all);
	match_stats_free(stats);
	return n_diffs ? 1 : sink == (size_t)-1;
}
