/* topics.c - what the commands share about topics: a stored topic's query
 * parsed, the matcher of all stored topics (import), matching the stored
 * history against some topics (topic add, edit, import), and the progress
 * bar that import and the history match draw on a terminal.
 *
 * Matching history reads the posts in chunks of CLI_SCAN_CHUNK ids with
 * store_scan_posts(), prepares each once (match_doc_set()), matches it
 * against the matcher, and stores the matches of a chunk with one
 * store_put_matches() transaction: the scan and the writes never overlap
 * on the one connection.  Single-threaded, like the rest of the CLI. */
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
#include "../store/store.h"

#define CLI_SCAN_CHUNK 5000u   /* posts read per store_scan_posts() call */

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

int cli_topic_parse(const struct store_topic *t, struct query **out, struct horch_err *err)
{
	struct horch_err perr;
	int rc;

	horch_err_clear(&perr);
	rc = query_parse(out, t->query, strlen(t->query), 0, NULL, &perr);
	if (rc)
		return horch_err_set(err, rc, "topic '%s': its query does not parse: %s (col %ld)",
				     t->name, perr.msg, perr.col);
	return 0;
}

/* What cli_load_matcher() collects while the store lists the topics. */
struct load {
	struct matcher_topic *mt;
	struct query **q;
	size_t n, cap_mt, cap_q;
	int rc;
	struct horch_err *err;
};

static int load_one(void *ctx, const struct store_topic *t)
{
	struct load *l = ctx;
	struct query *q = NULL;

	l->rc = cli_topic_parse(t, &q, l->err);
	if (l->rc)
		return 1;
	l->mt = horch_xgrow(l->mt, &l->cap_mt, l->n + 1, sizeof *l->mt);
	l->q = horch_xgrow(l->q, &l->cap_q, l->n + 1, sizeof *l->q);
	l->mt[l->n].id = t->id;
	l->mt[l->n].q = q;
	l->q[l->n] = q;
	l->n++;
	return 0;
}

int cli_load_matcher(struct store *st, struct matcher **out, size_t *n_topics,
		     struct horch_err *err)
{
	struct load l = { .err = err };
	int rc;

	rc = store_topic_list(st, load_one, &l, err);
	if (rc == HORCH_ESTOP)
		rc = l.rc;
	if (!rc)
		rc = matcher_build(out, l.mt, l.n, err);
	if (!rc && n_topics)
		*n_topics = l.n;
	for (size_t i = 0; i < l.n; i++)
		query_free(l.q[i]);
	free(l.q);
	free(l.mt);
	return rc;
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
	int64_t last_id;            /* the last post read */
	size_t n_read;              /* posts read in this chunk */
	struct cli_rematch_stats *stats;
};

static int rematch_one(void *ctx, const struct post *p)
{
	struct rematch *r = ctx;
	size_t n;

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
	r->stats->n_matched_posts++;
	r->found = horch_xgrow(r->found, &r->cap_found, r->n_found + n, sizeof *r->found);
	r->spans_off = horch_xgrow(r->spans_off, &r->cap_off, r->n_found + n,
				   sizeof *r->spans_off);
	for (size_t i = 0; i < n; i++) {
		size_t start = r->spans.len;
		struct store_match *f = &r->found[r->n_found];

		pipeline_spans_json(&r->res, &r->res.hits[i], &r->spans);
		buf_append(&r->spans, "", 1);
		f->topic = r->res.hits[i].topic;
		f->post = p->id;
		/* An offset for now: the buffer may move while it grows.  A
		 * match whose spans pass the store's cap keeps no spans. */
		if (r->spans.len - start - 1 > STORE_SPANS_MAX)
			start = SIZE_MAX;
		r->spans_off[r->n_found++] = start;
	}
	r->stats->n_matches += n;
	return 0;
}

int cli_rematch(const struct cli_args *a, struct store *st, const struct matcher *m,
		int64_t since, struct cli_rematch_stats *stats, struct horch_err *err)
{
	struct rematch r = { .m = m, .stats = stats };
	int progress = isatty(STDERR_FILENO) && !cli_flag(a, "quiet");
	int64_t started = horch_mono_ns(), last_draw = 0, total = 0;
	int rc = 0;

	memset(stats, 0, sizeof *stats);
	r.doc = match_doc_new();
	match_result_init(&r.res);
	buf_init(&r.spans, BUF_NOLIMIT);
	if (progress && store_count_posts(st, &total, err) != 0)
		total = 0;
	for (;;) {
		r.n_read = 0;
		r.n_found = 0;
		buf_reset(&r.spans);
		rc = store_scan_posts(st, since, r.last_id, CLI_SCAN_CHUNK, rematch_one, &r, err);
		if (rc)
			break;
		for (size_t i = 0; i < r.n_found; i++) {
			size_t off = r.spans_off[i];

			r.found[i].spans = off == SIZE_MAX ? NULL : r.spans.ptr + off;
		}
		if (r.n_found && (rc = store_put_matches(st, r.found, r.n_found, err)) != 0)
			break;
		if (progress && horch_mono_ns() - last_draw > 100000000) {
			cli_bar("matching history", total > 0 ? (double)stats->n_posts / (double)total
							       : -1.0,
				stats->n_posts, "posts", started);
			last_draw = horch_mono_ns();
		}
		if (r.n_read < CLI_SCAN_CHUNK)
			break;
	}
	if (progress && last_draw)
		fputs("\r\033[K", stderr);
	stats->secs = (double)(horch_mono_ns() - started) / 1e9;
	match_doc_free(r.doc);
	match_result_cleanup(&r.res);
	buf_cleanup(&r.spans);
	free(r.found);
	free(r.spans_off);
	return rc;
}

int cli_topic_get(const struct cli_args *a, struct store *st, const char *name,
		  struct store_topic *out)
{
	struct horch_err err;
	int rc = store_topic_get(st, name, out, &err);

	if (rc == HORCH_ENOTFOUND) {
		cli_error(a, "no topic named '%s'", name);
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
