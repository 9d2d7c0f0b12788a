/* api_metrics.c - the numbers of the wall: GET /api/metrics (volume,
 * sentiment, reach and share of voice per topic and interval, with the
 * breakdown by source, language and country), GET /api/authors/top and
 * GET /api/terms/trending.
 *
 * Each handler reads its arguments, asks the store (the metrics section
 * of store.h: one statement per figure, each reading only the window's
 * range of an index) and writes the JSON of docs/http-api.md.  The trending
 * terms are counted here from the texts of the window and of the baseline
 * before it, at most TRENDING_SCAN_MAX posts each (src/http/trending.c
 * ranks them).  docs/internals/http-metrics.md explains the choices:
 * buckets, what counts as a post, the trending formula. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../query/query.h"
#include "../store/store.h"
#include "http_int.h"
#include "trending.h"

#define DAY_MS (86400 * 1000LL)
#define HOUR_MS (3600 * 1000LL)
#define MINUTE_MS (60 * 1000LL)
#define METRICS_TOPICS_MAX 32       /* topics of one /api/metrics call */
#define METRICS_BUCKETS_MAX 1500    /* buckets of one series */
#define METRICS_DEFAULT_SPAN DAY_MS /* since, when not given: until - 24 h */
#define BREAKDOWN_TOP 10            /* keys of each of by_source, by_lang, by_country */
#define AUTHORS_LIMIT_MAX 100
#define TRENDING_LIMIT_MAX 100
#define TRENDING_SCAN_MAX 20000     /* posts read per period */
#define TRENDING_WINDOW_MAX (30 * DAY_MS)
#define TRENDING_BASELINE_MAX (365 * DAY_MS)

/* The window of since and until: until defaults to now, since to
 * METRICS_DEFAULT_SPAN before until.  Returns 0, or -1 with a 400
 * answered. */
static int read_window(struct http_req *rq, struct http_resp *rs, int64_t *since,
		       int64_t *until)
{
	if (http_arg_time(rq, "since", since, rs) || http_arg_time(rq, "until", until, rs))
		return -1;
	if (*until == HORCH_TIME_NONE)
		*until = horch_now();
	if (*since == HORCH_TIME_NONE)
		*since = *until - METRICS_DEFAULT_SPAN;
	if (*since >= *until) {
		http_error(rs, 400, "bad_request", "since must be before until");
		return -1;
	}
	return 0;
}

/* Write a double as JSON (null when it is not finite). */
static void put_num(struct buf *b, double v)
{
	if (v != v || v > 1e300 || v < -1e300)
		buf_puts(b, "null");
	else
		buf_printf(b, "%.6g", v);
}

/* ---- GET /api/metrics ---- */

struct bucket {
	int64_t volume, positive, neutral, negative, reach;
};

struct series {
	int64_t id;                /* topic id; 0: all posts */
	char name[STORE_TOPIC_NAME_MAX + 1];
	char color[STORE_TOPIC_FIELD_MAX + 1];
	struct bucket total;
	struct bucket *b;          /* n_buckets of them */
};

struct metrics_ctx {
	struct series *s;
	size_t n_series;
	int64_t start;             /* the first bucket's start */
	int64_t iv;                /* bucket length, ms */
	size_t n_buckets;
};

/* File one row of store_metrics() under its topic and bucket. */
static int metrics_row(void *ctx, const struct store_metrics_row *r)
{
	struct metrics_ctx *m = ctx;
	struct bucket *b;
	int64_t i;

	for (size_t k = 0; k < m->n_series; k++) {
		if (m->s[k].id != r->topic)
			continue;
		i = (r->t - m->start) / m->iv;
		if (r->t < m->start || i >= (int64_t)m->n_buckets)
			return 0;  /* not in the window asked: cannot happen */
		b = &m->s[k].b[i];
		b->volume += r->volume;
		b->positive += r->positive;
		b->neutral += r->neutral;
		b->negative += r->negative;
		b->reach += r->reach;
		m->s[k].total.volume += r->volume;
		m->s[k].total.positive += r->positive;
		m->s[k].total.neutral += r->neutral;
		m->s[k].total.negative += r->negative;
		m->s[k].total.reach = r->reach > INT64_MAX - m->s[k].total.reach
				      ? INT64_MAX : m->s[k].total.reach + r->reach;
		return 0;
	}
	return 0;
}

struct breakdown_ctx {
	struct buf parts[3];       /* the JSON array bodies of by_source, by_lang, by_country */
};

static int breakdown_row(void *ctx, enum store_mdim dim, const char *key, int64_t count)
{
	struct breakdown_ctx *bc = ctx;
	struct buf *b = &bc->parts[dim];

	if (b->len)
		buf_putc(b, ',');
	buf_puts(b, "{\"key\":");
	http_json_str(b, key);
	buf_printf(b, ",\"count\":%lld}", (long long)count);
	return 0;
}

/* The interval argument, or one picked from the span: minutes up to 6 h,
 * hours up to 7 days, days beyond.  Returns the length in ms, or 0 with a
 * 400 answered. */
static int64_t read_interval(struct http_req *rq, struct http_resp *rs, int64_t span,
			     const char **name)
{
	const char *v = http_arg(rq, "interval");

	if (!v) {
		if (span <= 6 * HOUR_MS)
			v = "minute";
		else if (span <= 7 * DAY_MS)
			v = "hour";
		else
			v = "day";
	}
	*name = v;
	if (strcmp(v, "minute") == 0)
		return MINUTE_MS;
	if (strcmp(v, "hour") == 0)
		return HOUR_MS;
	if (strcmp(v, "day") == 0)
		return DAY_MS;
	http_error(rs, 400, "bad_request", "interval: \"%.40s\" is not minute, hour or day", v);
	return 0;
}

static void put_bucket_counts(struct buf *b, const struct bucket *k)
{
	buf_printf(b, "\"volume\":%lld,\"positive\":%lld,\"neutral\":%lld,\"negative\":%lld",
		   (long long)k->volume, (long long)k->positive, (long long)k->neutral,
		   (long long)k->negative);
}

void api_metrics(struct http_req *rq, struct http_resp *rs)
{
	int64_t ids[METRICS_TOPICS_MAX], since, until, iv, start, sum = 0;
	struct metrics_ctx m = { 0 };
	struct breakdown_ctx bc;
	struct horch_err err;
	struct store *st;
	struct buf *b = &rs->body;
	const char *iv_name;
	int n;

	for (int d = 0; d < 3; d++)
		buf_init(&bc.parts[d], BUF_NOLIMIT);
	horch_err_clear(&err);
	if ((n = http_arg_ids(rq, "topics", ids, METRICS_TOPICS_MAX, rs)) < 0 ||
	    read_window(rq, rs, &since, &until) ||
	    !(iv = read_interval(rq, rs, until - since, &iv_name)))
		goto out;
	/* The first bucket starts at the interval's boundary at or before
	 * since, so that every bucket is whole but the running last one. */
	start = since - ((since % iv) + iv) % iv;
	if ((until - start - 1) / iv + 1 > METRICS_BUCKETS_MAX) {
		http_error(rs, 400, "bad_request", "interval=%s from since to until gives more "
			   "than %d points: choose a longer interval or a shorter window", iv_name,
			   METRICS_BUCKETS_MAX);
		goto out;
	}
	m.start = start;
	m.iv = iv;
	m.n_buckets = (size_t)((until - start - 1) / iv + 1);
	m.n_series = n ? (size_t)n : 1;
	m.s = horch_xcalloc(m.n_series, sizeof *m.s);
	for (size_t i = 0; i < m.n_series; i++) {
		m.s[i].b = horch_xcalloc(m.n_buckets, sizeof *m.s[i].b);
		if (!n)
			continue;
		m.s[i].id = ids[i];
		for (size_t j = 0; j < i; j++) {
			if (ids[j] == ids[i]) {
				http_error(rs, 400, "bad_request", "topics: %lld is listed twice",
					   (long long)ids[i]);
				goto out;
			}
		}
		if (!http_topic_info(rq->srv, ids[i], m.s[i].name, sizeof m.s[i].name,
				     m.s[i].color, sizeof m.s[i].color)) {
			http_error(rs, 404, "not_found", "no topic with id %lld", (long long)ids[i]);
			goto out;
		}
	}
	if (!(st = http_store(rq, rs)))
		goto out;
	if (store_metrics(st, ids, (size_t)n, since, until, iv, metrics_row, &m, &err) ||
	    store_metrics_breakdown(st, ids, (size_t)n, since, until, BREAKDOWN_TOP,
				    breakdown_row, &bc, &err)) {
		http_error_err(rs, &err);
		goto out;
	}
	for (size_t i = 0; i < m.n_series; i++)
		sum += m.s[i].total.volume;

	buf_printf(b, "{\"interval\":\"%s\",\"since\":", iv_name);
	http_json_time(b, start);
	buf_puts(b, ",\"until\":");
	http_json_time(b, until);
	buf_puts(b, ",\"topics\":[");
	for (size_t i = 0; i < m.n_series; i++) {
		const struct series *s = &m.s[i];
		int64_t pos = s->total.positive, neg = s->total.negative;

		if (i)
			buf_putc(b, ',');
		if (n) {
			buf_printf(b, "{\"id\":%lld,\"name\":", (long long)s->id);
			http_json_str(b, s->name);
			buf_puts(b, ",\"color\":");
			if (*s->color)
				http_json_str(b, s->color);
			else
				buf_puts(b, "null");
		} else {
			buf_puts(b, "{\"id\":0,\"name\":null,\"color\":null");
		}
		buf_putc(b, ',');
		put_bucket_counts(b, &s->total);
		buf_puts(b, ",\"net_sentiment\":");
		if (pos + neg)
			put_num(b, (double)(pos - neg) / (double)(pos + neg));
		else
			buf_puts(b, "null");
		buf_printf(b, ",\"reach\":%lld,\"share_of_voice\":", (long long)s->total.reach);
		if (sum)
			put_num(b, (double)s->total.volume / (double)sum);
		else
			buf_puts(b, "null");
		buf_puts(b, ",\"series\":[");
		for (size_t k = 0; k < m.n_buckets; k++) {
			if (k)
				buf_putc(b, ',');
			buf_puts(b, "{\"t\":");
			http_json_time(b, start + (int64_t)k * iv);
			buf_putc(b, ',');
			put_bucket_counts(b, &s->b[k]);
			buf_printf(b, ",\"reach\":%lld}", (long long)s->b[k].reach);
		}
		buf_puts(b, "]}");
	}
	buf_printf(b, "],\"by_source\":[%s],\"by_lang\":[%s],\"by_country\":[%s]}",
		   bc.parts[0].ptr ? bc.parts[0].ptr : "", bc.parts[1].ptr ? bc.parts[1].ptr : "",
		   bc.parts[2].ptr ? bc.parts[2].ptr : "");
out:
	for (size_t i = 0; i < m.n_series; i++)
		free(m.s[i].b);
	free(m.s);
	for (int d = 0; d < 3; d++)
		buf_cleanup(&bc.parts[d]);
}

/* ---- GET /api/authors/top ---- */

static int author_row(void *ctx, const struct store_author *a)
{
	struct buf *b = ctx;

	if (b->ptr[b->len - 1] != '[')
		buf_putc(b, ',');
	buf_puts(b, "{\"source\":");
	http_json_str(b, a->source);
	buf_puts(b, ",\"handle\":");
	http_json_str(b, a->handle);
	buf_puts(b, ",\"name\":");
	if (a->name)
		http_json_str(b, a->name);
	else
		buf_puts(b, "null");
	if (a->followers >= 0)
		buf_printf(b, ",\"followers\":%lld", (long long)a->followers);
	else
		buf_puts(b, ",\"followers\":null");
	buf_printf(b, ",\"verified\":%s,\"posts\":%lld,\"reach\":", a->verified ? "true" : "false",
		   (long long)a->posts);
	if (a->reach >= 0)
		buf_printf(b, "%.3g}", a->reach);
	else
		buf_puts(b, "null}");
	return 0;
}

/* The optional topic argument: 0 when absent.  Returns 0, or -1 with 400
 * or 404 answered.  name (may be NULL) receives the topic's name. */
static int read_topic(struct http_req *rq, struct http_resp *rs, int64_t *topic, char *name,
		      size_t name_size)
{
	*topic = 0;
	if (http_arg_int(rq, "topic", 1, INT64_MAX, topic, rs))
		return -1;
	if (*topic && !http_topic_info(rq->srv, *topic, name, name_size, NULL, 0)) {
		http_error(rs, 404, "not_found", "no topic with id %lld", (long long)*topic);
		return -1;
	}
	return 0;
}

void api_authors_top(struct http_req *rq, struct http_resp *rs)
{
	int64_t topic, since, until, limit = 10;
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (read_topic(rq, rs, &topic, NULL, 0) || read_window(rq, rs, &since, &until) ||
	    http_arg_int(rq, "limit", 1, AUTHORS_LIMIT_MAX, &limit, rs))
		return;
	if (!(st = http_store(rq, rs)))
		return;
	buf_puts(&rs->body, "{\"authors\":[");
	if (store_top_authors(st, topic, since, until, (size_t)limit, author_row, &rs->body,
			      &err)) {
		http_error_err(rs, &err);
		return;
	}
	buf_puts(&rs->body, "]}");
}

/* ---- GET /api/terms/trending ---- */

struct scan_ctx {
	struct trend *t;
	enum trend_period period;
	size_t n;                  /* posts seen */
	int sampled;               /* more posts than TRENDING_SCAN_MAX */
};

static int scan_text(void *ctx, int64_t id, int64_t created_at, const char *title,
		     const char *text)
{
	struct scan_ctx *sc = ctx;

	(void)id;
	(void)created_at;
	if (sc->n++ == TRENDING_SCAN_MAX) {
		sc->sampled = 1;
		return 1;
	}
	/* A text over the tokenizer's limit is left out, not counted. */
	trend_add(sc->t, sc->period, title, text);
	return 0;
}

/* A span argument ("1h") into *out (left as it is when absent), at most
 * max.  Returns 0, or -1 with a 400 answered. */
static int read_span(struct http_req *rq, struct http_resp *rs, const char *key, int64_t max,
		     int64_t *out)
{
	const char *v = http_arg(rq, key);
	struct horch_err err;

	if (!v)
		return 0;
	horch_err_clear(&err);
	if (trend_parse_span(v, out, &err)) {
		http_error(rs, 400, "bad_request", "%s: \"%.40s\": %s", key, v, err.msg);
		return -1;
	}
	if (*out > max) {
		http_error(rs, 400, "bad_request", "%s: at most %lld days", key,
			   (long long)(max / DAY_MS));
		return -1;
	}
	return 0;
}

/* Leave the terms of topic's query out of t.  A stored query that no
 * longer parses only costs the exclusion (logged). */
static void exclude_topic_terms(struct store *st, const char *name, struct trend *t)
{
	struct store_topic topic = { 0 };
	struct query *q = NULL;
	struct horch_err err;

	horch_err_clear(&err);
	if (store_topic_get(st, name, &topic, &err) == 0 &&
	    query_parse(&q, topic.query, strlen(topic.query), 0, NULL, &err) == 0)
		trend_exclude_query(t, q);
	else
		horch_log(LOG_WARN, "http", "trending topic=\"%s\" terms not excluded: %s", name,
			  err.msg);
	query_free(q);
	store_topic_cleanup(&topic);
}

void api_terms_trending(struct http_req *rq, struct http_resp *rs)
{
	char name[STORE_TOPIC_NAME_MAX + 1] = "";
	int64_t topic, window = HOUR_MS, baseline = DAY_MS, limit = 20, until;
	struct trend_term *terms = NULL;
	struct scan_ctx sw, sb;
	struct horch_err err;
	struct trend *t = NULL;
	struct store *st;
	struct buf *b = &rs->body;
	size_t n;
	int rc;

	horch_err_clear(&err);
	if (read_topic(rq, rs, &topic, name, sizeof name) ||
	    http_arg_time(rq, "until", &until, rs) ||
	    read_span(rq, rs, "window", TRENDING_WINDOW_MAX, &window) ||
	    read_span(rq, rs, "baseline", TRENDING_BASELINE_MAX, &baseline) ||
	    http_arg_int(rq, "limit", 1, TRENDING_LIMIT_MAX, &limit, rs))
		return;
	if (baseline < window) {
		http_error(rs, 400, "bad_request", "the baseline must be at least as long as the "
			   "window");
		return;
	}
	/* The window ends now, or at until (a replayed day, a look back). */
	if (until == HORCH_TIME_NONE)
		until = horch_now();
	if (!(st = http_store(rq, rs)))
		return;
	t = trend_new();
	if (topic)
		exclude_topic_terms(st, name, t);
	sw = (struct scan_ctx){ .t = t, .period = TREND_WINDOW };
	sb = (struct scan_ctx){ .t = t, .period = TREND_BASELINE };
	if (((rc = store_post_texts(st, topic, until - window, until, TRENDING_SCAN_MAX + 1,
				    scan_text, &sw, &err)) && rc != HORCH_ESTOP) ||
	    ((rc = store_post_texts(st, topic, until - window - baseline, until - window,
				    TRENDING_SCAN_MAX + 1, scan_text, &sb, &err)) &&
	     rc != HORCH_ESTOP)) {
		http_error_err(rs, &err);
		goto out;
	}
	terms = horch_xcalloc((size_t)limit, sizeof *terms);
	n = trend_rank(t, terms, (size_t)limit);
	buf_puts(b, "{\"terms\":[");
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, i ? ",{\"term\":" : "{\"term\":");
		http_json_str(b, terms[i].term);
		buf_printf(b, ",\"count\":%lld,\"expected\":", (long long)terms[i].count);
		put_num(b, terms[i].expected);
		buf_puts(b, ",\"score\":");
		put_num(b, terms[i].score);
		buf_putc(b, '}');
	}
	buf_printf(b, "],\"window_posts\":%lld,\"baseline_posts\":%lld,\"sampled\":%s}",
		   (long long)trend_posts(t, TREND_WINDOW), (long long)trend_posts(t, TREND_BASELINE),
		   sw.sampled || sb.sampled || trend_full(t) ? "true" : "false");
out:
	free(terms);
	trend_free(t);
}
