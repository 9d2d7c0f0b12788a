/* topics.c - what the commands share about topics: a stored topic's query
 * parsed, the matcher of all stored topics (import), matching the stored
 * history against the topics whose history is unfinished (topic add, edit,
 * import, and any command after a crash), and the progress
 * bar that import and the history match draw on a terminal.
 *
 * Matching history reads the posts in chunks of CLI_SCAN_CHUNK ids with
 * store_scan_posts(), prepares each once (match_doc_set()), matches it
 * against the matcher, and stores the matches of a chunk together with the
 * topics' new matched_to in one store_put_history() transaction: the scan
 * and the writes never overlap on the one connection, and a crash loses at
 * most the chunk in hand.  The pass is driven by the store's matched_to
 * alone: saving a topic (or a new query) sets it to 0, and
 * cli_finish_history() matches every topic that is not complete from where
 * it stands, so the same code starts a new pass and finishes one that a
 * crash cut short.  Single-threaded, like the rest of the CLI.
 *
 * Two test hooks, read only here: HORCH_TEST_HISTORY_CHUNK=N reads N posts
 * per chunk instead of CLI_SCAN_CHUNK, and HORCH_TEST_HISTORY_EXIT=N ends
 * the process with _exit(3), as a crash would, right after the N-th chunk
 * is committed (tests/integration/topics.sh). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../pipeline/pipeline.h"
#include "../query/match.h"
#include "../query/query.h"
#include "../query/query_int.h"
#include "../store/store.h"

#define CLI_SCAN_CHUNK 5000u   /* posts read per store_scan_posts() call */
#define CLI_STATS_SAMPLE 5000  /* posts sampled for the word statistics */
#define CLI_STATS_RANGES 10    /* ranges of ids the sample is read from */
#define CLI_STATS_MIN 100      /* fewer stored posts: no statistics */
#define CLI_STATS_TOPICS 50    /* a history pass of this many topics samples them */

void cli_bar_clear(int *shown)
{
	if (*shown) {
		fputs("\r\033[K", stderr);
		*shown = 0;
	}
}

void cli_bar(const char *label, double frac, uint64_t count, const char *unit,
	     int64_t started_ns)
{
	double secs = (double)(horch_mono_ns() - started_ns) / 1e9;
	double rate = secs > 0 ? (double)count / secs : 0;
	char n[32], bar[32];

	fprintf(stderr, "\r\033[K%s  ", label);
	if (frac >= 0) {
		int fill;
		double eta;

		if (frac > 1)
			frac = 1;
		fill = (int)(frac * 20);
		eta = frac > 0 ? secs / frac - secs : 0;
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(20 - fill));
		bar[20] = '\0';
		fprintf(stderr, "%3d%% [%s]  %s %s  %.0f %s/s  ETA %d:%02d", (int)(frac * 100),
			bar, cli_num(count, n), unit, rate, unit, (int)eta / 60, (int)eta % 60);
	} else {
		fprintf(stderr, "%s %s  %.0f %s/s", cli_num(count, n), unit, rate, unit);
	}
}

void cli_quote(char *out, size_t size, const char *s)
{
	store_topic_name_quote(out, size, s);
}

/* Call found() for every topic:NAME of the tree under n. */
static void walk_refs(const struct qnode *n, void (*found)(void *, const char *, size_t),
		      void *fctx)
{
	if (!n)
		return;
	if (n->kind == QN_KEYWORD && n->field == QF_TOPIC && n->fold)
		found(fctx, n->fold, n->fold_len);
	for (uint32_t i = 0; i < n->n_kids; i++)
		walk_refs(n->kids[i], found, fctx);
}

/* Does the tree under n hold a topic:NAME? */
static int has_refs(const struct qnode *n)
{
	if (!n)
		return 0;
	if (n->kind == QN_KEYWORD && n->field == QF_TOPIC)
		return 1;
	for (uint32_t i = 0; i < n->n_kids; i++)
		if (has_refs(n->kids[i]))
			return 1;
	return 0;
}

int cli_query_has_refs(const struct query *q)
{
	return q && has_refs(q->root);
}

void cli_query_refs(const struct query *q, void (*found)(void *fctx, const char *name,
							  size_t len), void *fctx)
{
	if (q)
		walk_refs(q->root, found, fctx);
}

int cli_topic_refs(const char *query, void (*found)(void *fctx, const char *name, size_t len),
		   void *fctx)
{
	struct query *q = NULL;
	struct horch_err err;

	if (query_parse(&q, query, strlen(query), 0, NULL, &err) != 0)
		return -1;
	walk_refs(q->root, found, fctx);
	query_free(q);
	return 0;
}

int cli_topic_parse(const struct store_topic *t, struct query **out, struct horch_err *err)
{
	struct horch_err perr;
	int rc;

	horch_err_clear(&perr);
	rc = query_parse(out, t->query, strlen(t->query), 0, NULL, &perr);
	if (rc)
	{
		char q[STORE_TOPIC_NAME_MAX * 4 + 8];

		cli_quote(q, sizeof q, t->name);
		return horch_err_set(err, rc, "topic '%s': its query does not parse: %s (col %ld)",
				     q, perr.msg, perr.col);
	}
	return 0;
}

static int load_one(void *ctx, const struct store_topic *t)
{
	struct cli_topics *l = ctx;
	struct query *q = NULL;

	if ((l->rc = cli_topic_parse(t, &q, l->err)) != 0)
		return 1;
	l->mt = horch_xgrow(l->mt, &l->cap_mt, l->n + 1, sizeof *l->mt);
	l->q = horch_xgrow(l->q, &l->cap_q, l->n + 1, sizeof *l->q);
	l->matched_to = horch_xgrow(l->matched_to, &l->cap_to, l->n + 1, sizeof *l->matched_to);
	l->revision = horch_xgrow(l->revision, &l->cap_rev, l->n + 1, sizeof *l->revision);
	l->mt[l->n].id = t->id;
	l->mt[l->n].q = q;
	l->mt[l->n].name = horch_xstrdup(t->name);
	l->q[l->n] = q;
	l->matched_to[l->n] = t->matched_to;
	l->revision[l->n] = t->revision;
	l->n++;
	return 0;
}

int cli_topics_load(struct store *st, struct cli_topics *out, struct horch_err *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	out->err = err;
	rc = store_topic_list(st, load_one, out, err);
	if (rc == HORCH_ESTOP)
		rc = out->rc;
	if (rc)
		cli_topics_cleanup(out);
	return rc;
}

void cli_topics_cleanup(struct cli_topics *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		query_free(t->q[i]);
		free((char *)t->mt[i].name);
	}
	free(t->mt);
	free(t->q);
	free(t->matched_to);
	free(t->revision);
	memset(t, 0, sizeof *t);
}

ssize_t cli_topics_find(const struct cli_topics *t, int64_t id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->mt[i].id == id)
			return (ssize_t)i;
	return -1;
}

/* What sample_one() counts into. */
struct sample {
	struct match_stats *stats;
	struct match_doc *doc;
};

static int sample_one(void *ctx, const struct post *p)
{
	struct sample *s = ctx;

	if (match_doc_set(s->doc, p) == 0)
		match_stats_add(s->stats, s->doc);
	return 0;
}

struct match_stats *cli_match_stats(struct store *st)
{
	struct sample s = { NULL, NULL };
	struct horch_err err;
	int64_t n = 0;
	size_t per;

	if (store_count_posts(st, &n, &err) != 0 || n < CLI_STATS_MIN)
		return NULL;
	/* Post ids are assigned in order and rarely have gaps: ranges that
	 * start at every tenth of the count spread the sample over the
	 * table's whole time. */
	per = (size_t)(n < CLI_STATS_SAMPLE ? n : CLI_STATS_SAMPLE) / CLI_STATS_RANGES;
	if (per == 0)
		per = 1;
	s.stats = match_stats_new();
	s.doc = match_doc_new();
	for (int64_t k = 0; k < CLI_STATS_RANGES; k++) {
		int64_t after = n / CLI_STATS_RANGES * k;

		if (store_scan_posts(st, HORCH_TIME_NONE, after, per, sample_one, &s, &err) != 0)
			break;
	}
	match_doc_free(s.doc);
	if (match_stats_n_posts(s.stats) < CLI_STATS_MIN) {
		match_stats_free(s.stats);
		return NULL;
	}
	return s.stats;
}

int cli_build_matcher(struct store *st, struct matcher **out, size_t *n_topics,
		      int64_t *version, int with_stats, struct horch_err *err)
{
	struct cli_topics l;
	struct match_stats *stats = NULL;
	int64_t v = -1;
	int rc;

	/* The version first: a topic saved between the two reads makes the
	 * matcher look older than it is (one rebuild too many), never
	 * newer. */
	if ((rc = store_topics_version(st, &v, err)) != 0)
		return rc;
	if ((rc = cli_topics_load(st, &l, err)) != 0)
		return rc;
	if (with_stats && l.n)
		stats = cli_match_stats(st);
	rc = matcher_build_with(out, l.mt, l.n, stats, err);
	if (!rc && n_topics)
		*n_topics = l.n;
	if (!rc && version)
		*version = v;
	match_stats_free(stats);
	cli_topics_cleanup(&l);
	return rc;
}

int cli_load_matcher(struct store *st, struct matcher **out, size_t *n_topics,
		     int64_t *version, struct horch_err *err)
{
	int rc;

	/* A topic whose history pass was cut short has it finished first,
	 * so that the posts read next are not the only ones it has. */
	if ((rc = cli_resume_history(NULL, st, err)) != 0)
		return rc;
	return cli_build_matcher(st, out, n_topics, version, 1, err);
}

/* The state of one history match. */
struct rematch {
	const struct matcher *m;
	struct match_doc *doc;
	struct match_result res;
	struct store_match *found;  /* the matches of the chunk, spans set once it is read */
	size_t *spans_off;          /* for each: its offset in spans, or SIZE_MAX for none */
	size_t n_found, cap_found, cap_off;
	struct buf spans;           /* the spans texts of the chunk, each ending in NUL */
	const int64_t *ids;         /* the topics of the pass, ascending */
	size_t n_ids;
	int64_t last_id;            /* the last post read */
	size_t n_read;              /* posts read in this chunk */
	struct cli_rematch_stats *stats;
};

/* Is topic one of r's, the topics of the pass? */
static int in_pass(const struct rematch *r, int64_t topic)
{
	size_t lo = 0, hi = r->n_ids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->ids[mid] < topic)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n_ids && r->ids[lo] == topic;
}

static int rematch_one(void *ctx, const struct post *p)
{
	struct rematch *r = ctx;
	size_t n, n_kept = 0;

	r->last_id = p->id;
	r->n_read++;
	r->stats->n_posts++;
	/* A post too long for the tokenizer matches nothing here, as in the
	 * pipeline's match stage. */
	if (match_doc_set(r->doc, p) != 0)
		return 0;
	n = matcher_match(r->m, r->doc, MATCH_SPANS, &r->res);
	if (n == 0)
		return 0;
	r->found = horch_xgrow(r->found, &r->cap_found, r->n_found + n, sizeof *r->found);
	r->spans_off = horch_xgrow(r->spans_off, &r->cap_off, r->n_found + n,
				   sizeof *r->spans_off);
	for (size_t i = 0; i < n; i++) {
		size_t start = r->spans.len;
		struct store_match *f = &r->found[r->n_found];

		/* The matcher holds every topic, so that topic:NAME
		 * references resolve; only the pass's topics are kept. */
		if (!in_pass(r, r->res.hits[i].topic))
			continue;
		pipeline_spans_json(&r->res, &r->res.hits[i], &r->spans);
		buf_append(&r->spans, "", 1);
		f->topic = r->res.hits[i].topic;
		f->post = p->id;
		/* An offset for now: the buffer may move while it grows.  A
		 * match whose spans pass the store's cap keeps no spans. */
		if (r->spans.len - start - 1 > STORE_SPANS_MAX)
			start = SIZE_MAX;
		r->spans_off[r->n_found++] = start;
		n_kept++;
	}
	if (n_kept)
		r->stats->n_matched_posts++;
	r->stats->n_matches += n_kept;
	return 0;
}

/* A count from the environment variable name (a test hook), or def when
 * it is not set or not a number from 1 to max. */
static size_t env_count(const char *name, size_t def, size_t max)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return def;
	n = strtoull(v, &end, 10);
	return *end || n < 1 || n > max ? def : (size_t)n;
}

/* A stored topic whose history is unfinished. */
struct pending {
	int64_t id;
	int64_t matched_to;
	int64_t revision;  /* the revision the pass's matcher was built for */
};

/* By matched_to, then by id: a group of topics at the same point is one
 * pass, its ids ascending as store_put_history() wants them. */
static int pending_cmp(const void *x, const void *y)
{
	const struct pending *a = x, *b = y;

	if (a->matched_to != b->matched_to)
		return a->matched_to < b->matched_to ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Match the stored posts after from against the n topics p[0..n) (all at
 * matched_to == from) with m (the matcher of every topic), a chunk per
 * store_put_history() transaction, until the end of the posts.  Returns 0
 * or the store's error. */
static int history_pass(const struct cli_args *a, struct store *st, const struct matcher *m,
			const struct pending *p, size_t n, struct cli_rematch_stats *stats,
			struct horch_err *err)
{
	struct rematch r = { .stats = stats };
	int64_t *ids = horch_xcalloc(n, sizeof *ids);
	int64_t *revs = horch_xcalloc(n, sizeof *revs);
	int progress = isatty(STDERR_FILENO) && !(a && cli_flag(a, "quiet"));
	int64_t started = horch_mono_ns(), last_draw = 0, total = 0, from = p[0].matched_to;
	size_t chunk = env_count("HORCH_TEST_HISTORY_CHUNK", CLI_SCAN_CHUNK, CLI_SCAN_CHUNK);
	size_t exit_after = env_count("HORCH_TEST_HISTORY_EXIT", 0, SIZE_MAX);
	size_t n_chunks = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		ids[i] = p[i].id;
		revs[i] = p[i].revision;
	}
	r.m = m;
	r.ids = ids;
	r.n_ids = n;
	r.doc = match_doc_new();
	match_result_init(&r.res);
	buf_init(&r.spans, BUF_NOLIMIT);
	r.last_id = from;
	if (progress && store_count_posts(st, &total, err) != 0)
		total = 0;
	while (from != STORE_HISTORY_DONE) {
		int64_t to;

		r.n_read = 0;
		r.n_found = 0;
		buf_reset(&r.spans);
		rc = store_scan_posts(st, HORCH_TIME_NONE, r.last_id, chunk, rematch_one, &r, err);
		if (rc)
			break;
		for (size_t i = 0; i < r.n_found; i++) {
			size_t off = r.spans_off[i];

			r.found[i].spans = off == SIZE_MAX ? NULL : r.spans.ptr + off;
		}
		/* A short chunk is the end of the posts: the history is
		 * complete with it.  Posts stored after this read are matched
		 * by the pipeline that stores them. */
		to = r.n_read < chunk ? STORE_HISTORY_DONE : r.last_id;
		if ((rc = store_put_history(st, ids, revs, n, from, to, r.found, r.n_found,
					     err)) != 0)
			break;
		from = to;
		/* Test hook (tests/integration/topics.sh): die as a crash
		 * would, after this many chunks are committed. */
		if (exit_after && ++n_chunks == exit_after)
			_exit(3);
		if (progress && horch_mono_ns() - last_draw > 100000000) {
			cli_bar("matching history", total > 0 ? (double)stats->n_posts / (double)total
							       : -1.0,
				stats->n_posts, "posts", started);
			last_draw = horch_mono_ns();
		}
	}
	if (progress && last_draw)
		fputs("\r\033[K", stderr);
	match_doc_free(r.doc);
	match_result_cleanup(&r.res);
	buf_cleanup(&r.spans);
	free(r.found);
	free(r.spans_off);
	free(ids);
	free(revs);
	return rc;
}

int cli_finish_history(const struct cli_args *a, struct store *st,
		       struct cli_rematch_stats *stats, struct horch_err *err)
{
	struct cli_topics all;
	struct pending *p = NULL;
	struct match_stats *ms = NULL;
	struct matcher *m = NULL;
	int64_t started = horch_mono_ns();
	size_t n = 0;
	int rc;

	memset(stats, 0, sizeof *stats);
	if ((rc = cli_topics_load(st, &all, err)) != 0)
		return rc;
	for (size_t i = 0; i < all.n; i++)
		n += all.matched_to[i] != STORE_HISTORY_DONE;
	if (n == 0)
		goto out;
	p = horch_xcalloc(n, sizeof *p);
	n = 0;
	for (size_t i = 0; i < all.n; i++) {
		if (all.matched_to[i] == STORE_HISTORY_DONE)
			continue;
		p[n].id = all.mt[i].id;
		p[n].matched_to = all.matched_to[i];
		p[n].revision = all.revision[i];
		n++;
	}
	qsort(p, n, sizeof *p, pending_cmp);
	/* One matcher of every topic for all the passes: a topic:NAME
	 * reference resolves against the others.  Word statistics pay off
	 * when many topics are matched over the history. */
	if (n >= CLI_STATS_TOPICS)
		ms = cli_match_stats(st);
	if ((rc = matcher_build_with(&m, all.mt, all.n, ms, err)) != 0)
		goto out;
	for (size_t i = 0; !rc && i < n;) {
		size_t k = i;

		while (k < n && p[k].matched_to == p[i].matched_to)
			k++;
		rc = history_pass(a, st, m, p + i, k - i, stats, err);
		i = k;
	}
	if (!rc)
		stats->n_topics = n;
out:
	stats->secs = (double)(horch_mono_ns() - started) / 1e9;
	matcher_free(m);
	match_stats_free(ms);
	free(p);
	cli_topics_cleanup(&all);
	return rc;
}

int cli_resume_history(const struct cli_args *a, struct store *st, struct horch_err *err)
{
	struct cli_rematch_stats rs;
	char n1[32], n2[32];
	int rc = cli_finish_history(a, st, &rs, err);

	if (!rc && rs.n_topics && !(a && cli_flag(a, "quiet")))
		fprintf(stderr, "horch: finished the interrupted history match of %zu topic%s: "
			"%s matches in %s posts (%.2f s)\n", rs.n_topics,
			rs.n_topics == 1 ? "" : "s", cli_num(rs.n_matches, n1),
			cli_num(rs.n_posts, n2), rs.secs);
	return rc;
}

int cli_topic_get(const struct cli_args *a, struct store *st, const char *name,
		  struct store_topic *out)
{
	struct horch_err err;
	int rc = store_topic_get(st, name, out, &err);

	if (rc == HORCH_ENOTFOUND) {
		char q[STORE_TOPIC_NAME_MAX * 4 + 8];

		cli_quote(q, sizeof q, name);
		cli_error(a, "no topic named '%s'", q);
		return EXIT_RUNTIME;
	}
	return rc ? cli_fail(a, &err) : 0;
}

int cli_topic_id(const struct cli_args *a, struct store *st, struct store_query *q)
{
	const char *name = cli_get(a, "topic");
	struct store_topic t;
	int rc;

	if (!name)
		return 0;
	if ((rc = cli_topic_get(a, st, name, &t)) != 0)
		return rc;
	q->topic = t.id;
	store_topic_cleanup(&t);
	return 0;
}

/* ---- backtest ---- */

void cli_backtest_init(struct cli_backtest *bt, const struct matcher *m, int64_t topic)
{
	memset(bt, 0, sizeof *bt);
	bt->m = m;
	bt->topic = topic;
	bt->doc = match_doc_new();
	match_result_init(&bt->res);
}

void cli_backtest_cleanup(struct cli_backtest *bt)
{
	if (!bt)
		return;
	free(bt->hits);
	match_doc_free(bt->doc);
	match_result_cleanup(&bt->res);
	memset(bt, 0, sizeof *bt);
}

const struct match_hit *cli_backtest_hit(const struct match_result *r, int64_t topic)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->hits[i].topic == topic)
			return &r->hits[i];
	return NULL;
}

struct backtest_scan {
	struct cli_backtest *bt;
	int64_t last_id;
	size_t n_read;
};

static int backtest_one(void *ctx, const struct post *p)
{
	struct backtest_scan *sc = ctx;
	struct cli_backtest *bt = sc->bt;

	sc->last_id = p->id;
	sc->n_read++;
	bt->n_posts++;
	if (match_doc_set(bt->doc, p) != 0 || matcher_match(bt->m, bt->doc, 0, &bt->res) == 0 ||
	    !cli_backtest_hit(&bt->res, bt->topic))
		return 0;
	bt->hits = horch_xgrow(bt->hits, &bt->cap_hits, bt->n_hits + 1, sizeof *bt->hits);
	bt->hits[bt->n_hits].created_at = p->created_at;
	bt->hits[bt->n_hits++].id = p->id;
	return 0;
}

/* Newest first, as search lists posts (an unknown time last). */
static int hit_cmp(const void *x, const void *y)
{
	const struct cli_hit *a = x, *b = y;

	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? 1 : -1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

int cli_backtest_scan(struct cli_backtest *bt, struct store *st, int64_t since,
		      uint64_t max_posts, struct horch_err *err)
{
	struct backtest_scan sc = { bt, 0, 0 };
	int rc;

	do {
		sc.n_read = 0;
		rc = store_scan_posts(st, since, sc.last_id, 5000, backtest_one, &sc, err);
	} while (!rc && sc.n_read == 5000 && (!max_posts || bt->n_posts < max_posts));
	if (rc)
		return rc;
	bt->capped = max_posts && bt->n_posts >= max_posts && sc.n_read == 5000;
	if (bt->n_hits)
		qsort(bt->hits, bt->n_hits, sizeof *bt->hits, hit_cmp);
	return 0;
}

/* ---- names by id ---- */

void cli_names_add(struct cli_names *nm, int64_t id, const char *name)
{
	nm->id = horch_xgrow(nm->id, &nm->cap_id, nm->n + 1, sizeof *nm->id);
	nm->name = horch_xgrow(nm->name, &nm->cap_name, nm->n + 1, sizeof *nm->name);
	nm->id[nm->n] = id;
	nm->name[nm->n++] = horch_xstrdup(name);
}

int cli_names_topic(void *ctx, const struct store_topic *t)
{
	cli_names_add(ctx, t->id, t->name);
	return 0;
}

int cli_names_product(void *ctx, const struct store_product *p)
{
	cli_names_add(ctx, p->id, p->name);
	return 0;
}

const char *cli_names_find(const struct cli_names *nm, int64_t id)
{
	for (size_t i = 0; id && i < nm->n; i++)
		if (nm->id[i] == id)
			return nm->name[i];
	return NULL;
}

void cli_names_cleanup(struct cli_names *nm)
{
	if (!nm)
		return;
	for (size_t i = 0; i < nm->n; i++)
		free(nm->name[i]);
	free(nm->id);
	free(nm->name);
	memset(nm, 0, sizeof *nm);
}
