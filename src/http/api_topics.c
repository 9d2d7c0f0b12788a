/* api_topics.c - topics over HTTP: list, get, create, update, delete, the
 * live lint of a query as it is typed, and the backtest of a query against
 * the stored posts.
 *
 * A query is checked as `horch topic add` checks it: parsed strictly, its
 * topic:NAME references resolved against the stored topics (no unknown
 * name, no cycle).  A query that fails answers 422 with the lint messages
 * as data (line and column), and nothing is saved.  A saved topic's
 * history is matched before the call answers, and the pipeline's writer
 * picks the new topics up by itself (the topics version changes). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../query/match.h"
#include "../query/query.h"
#include "../pipeline/pipeline.h"
#include "../store/store.h"
#include "http_int.h"

#define BACKTEST_ID 0             /* the id of the query under test in its matcher */
#define BACKTEST_SCAN_MAX 200000u /* posts a backtest reads at most */
#define BACKTEST_SAMPLE 20u       /* newest matching posts returned */
#define BACKTEST_DAYS 400u        /* days of by_day at most */

/* ---- one topic as JSON ---- */

static void topic_json(struct buf *b, const struct store_topic *t)
{
	buf_printf(b, "{\"id\":%lld,\"name\":", (long long)t->id);
	http_json_str(b, t->name);
	buf_puts(b, ",\"query\":");
	http_json_str(b, t->query);
	buf_puts(b, ",\"team\":");
	if (t->team)
		http_json_str(b, t->team);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"color\":");
	if (t->color)
		http_json_str(b, t->color);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"n_matches\":%lld,\"history_done\":%s,\"created_at\":",
		   (long long)t->n_matches, t->matched_to == STORE_HISTORY_DONE ? "true" : "false");
	http_json_time(b, t->created_at);
	buf_puts(b, ",\"updated_at\":");
	http_json_time(b, t->updated_at);
	buf_putc(b, '}');
}

struct list {
	struct buf *b;
	size_t n;
};

static int list_one(void *ctx, const struct store_topic *t)
{
	struct list *l = ctx;

	if (l->n++)
		buf_putc(l->b, ',');
	topic_json(l->b, t);
	return 0;
}

void api_topics_list(struct http_req *rq, struct http_resp *rs)
{
	struct list l = { &rs->body, 0 };
	struct horch_err err;
	struct store *st;

	if (!(st = http_store(rq, rs)))
		return;
	horch_err_clear(&err);
	buf_puts(&rs->body, "{\"topics\":[");
	if (store_topic_list(st, list_one, &l, &err) != 0) {
		http_error_err(rs, &err);
		return;
	}
	buf_puts(&rs->body, "]}");
}

/* The stored topic with rq->id into *t (the caller cleans it up).
 * Returns 0, or -1 with 404 answered. */
static int get_by_id(struct http_req *rq, struct http_resp *rs, struct store *st,
		     struct store_topic *t)
{
	char name[STORE_TOPIC_NAME_MAX + 1];
	struct horch_err err;

	horch_err_clear(&err);
	if (!http_topic_info(rq->srv, rq->id, name, sizeof name, NULL, 0)) {
		/* (An id the cache lacks was looked for in the store at most a
		 * second ago: no reload for every made-up id.) */
		http_error(rs, 404, "not_found", "no topic with id %lld", (long long)rq->id);
		return -1;
	}
	if (store_topic_get(st, name, t, &err) != 0 || t->id != rq->id) {
		/* The cache is behind a rename by another process: reload. */
		store_topic_cleanup(t);
		http_topics_changed(rq->srv);
		if (!http_topic_info(rq->srv, rq->id, name, sizeof name, NULL, 0) ||
		    store_topic_get(st, name, t, &err) != 0 || t->id != rq->id) {
			store_topic_cleanup(t);
			http_error(rs, 404, "not_found", "no topic with id %lld", (long long)rq->id);
			return -1;
		}
	}
	return 0;
}

void api_topics_get(struct http_req *rq, struct http_resp *rs)
{
	struct store_topic t = { 0 };
	struct store *st;

	if (!(st = http_store(rq, rs)) || get_by_id(rq, rs, st, &t) != 0)
		return;
	topic_json(&rs->body, &t);
	store_topic_cleanup(&t);
}

/* ---- lint ---- */

/* Parse src strictly; on success *out has the query (when out is not
 * NULL).  Writes "ok" and "lint" members to b (with a leading comma when
 * comma).  Returns 0 or the parse error's code (err filled). */
static int lint_into(struct buf *b, const char *src, size_t len, struct query **out,
		     struct horch_err *err)
{
	struct query_diag diag;
	struct query *q = NULL;
	int rc;

	query_diag_init(&diag);
	horch_err_clear(err);
	rc = query_parse(&q, src, len, 0, &diag, err);
	buf_printf(b, "\"ok\":%s,\"lint\":[", rc ? "false" : "true");
	for (size_t i = 0; i < diag.n_warn; i++) {
		buf_printf(b, "%s{\"severity\":\"warning\",\"line\":1,\"column\":%ld,\"message\":",
			   i ? "," : "", diag.warn[i].col);
		http_json_str(b, diag.warn[i].msg);
		buf_putc(b, '}');
	}
	if (rc) {
		buf_printf(b, "%s{\"severity\":\"error\",\"line\":1,\"column\":%ld,\"message\":",
			   diag.n_warn ? "," : "", err->col > 0 ? err->col : 1);
		http_json_str(b, err->msg);
		if (diag.hint[0]) {
			buf_puts(b, ",\"hint\":");
			http_json_str(b, diag.hint);
		}
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	if (!rc) {
		struct buf canon;

		buf_init(&canon, BUF_NOLIMIT);
		query_print(q, &canon);
		buf_puts(b, ",\"canonical\":");
		http_json_str(b, canon.ptr);
		buf_cleanup(&canon);
	}
	query_diag_cleanup(&diag);
	if (out)
		*out = q;
	else
		query_free(q);
	return rc;
}

void api_lint(struct http_req *rq, struct http_resp *rs)
{
	json_t *root = http_body_object(rq, rs);
	struct horch_err err;
	const char *src;

	if (!root)
		return;
	if (http_member(root, "query", &src, rs) == 0) {
		if (!src) {
			http_error(rs, 400, "bad_request", "give the query to check: {\"query\":\"...\"}");
		} else {
			buf_putc(&rs->body, '{');
			lint_into(&rs->body, src, strlen(src), NULL, &err);
			buf_putc(&rs->body, '}');
		}
	}
	json_decref(root);
}

/* Answer 422 with the lint of src (which does not parse) or with msg. */
static void lint_error(struct http_resp *rs, const char *src, const char *msg)
{
	struct horch_err err;
	struct buf lint;

	buf_init(&lint, BUF_NOLIMIT);
	horch_err_clear(&err);
	if (src)
		lint_into(&lint, src, strlen(src), NULL, &err);
	rs->status = 422;
	buf_reset(&rs->body);
	buf_puts(&rs->body, "{\"error\":{\"code\":\"lint\",\"message\":");
	http_json_str(&rs->body, msg ? msg : err.msg);
	if (!msg && err.col > 0)
		buf_printf(&rs->body, ",\"line\":1,\"column\":%ld", err.col);
	buf_putc(&rs->body, '}');
	if (src && !msg) {
		buf_putc(&rs->body, ',');
		buf_append(&rs->body, lint.ptr, lint.len);
	} else {
		buf_puts(&rs->body, ",\"ok\":false,\"lint\":[{\"severity\":\"error\",\"line\":1,"
			 "\"column\":1,\"message\":");
		http_json_str(&rs->body, msg);
		buf_puts(&rs->body, "}]");
	}
	buf_putc(&rs->body, '}');
	buf_cleanup(&lint);
}

/* ---- references ---- */

/* The stored topics with one changed (id, or a new one when id is
 * BACKTEST_ID or not stored) to have query q and name. */
struct topic_set {
	struct cli_topics all;
	struct matcher_topic *mt;
	size_t n, at;
};

static int topic_set_load(struct store *st, int64_t id, const char *name,
			  const struct query *q, struct topic_set *ts, struct horch_err *err)
{
	int rc = cli_topics_load(st, &ts->all, err);

	if (rc)
		return rc;
	ts->mt = horch_xcalloc(ts->all.n + 1, sizeof *ts->mt);
	ts->at = ts->all.n;
	for (size_t i = 0; i < ts->all.n; i++) {
		ts->mt[i] = ts->all.mt[i];
		if (ts->all.mt[i].id == id && id != BACKTEST_ID)
			ts->at = i;
	}
	ts->n = ts->all.n + (ts->at == ts->all.n);
	ts->mt[ts->at].id = id;
	ts->mt[ts->at].q = q;
	ts->mt[ts->at].name = name;
	return 0;
}

static void topic_set_cleanup(struct topic_set *ts)
{
	cli_topics_cleanup(&ts->all);
	free(ts->mt);
}

/* Check the references of q for topic id/name: 0, or -1 with 422. */
static int check_refs(struct store *st, int64_t id, const char *name, const struct query *q,
		      struct http_resp *rs)
{
	struct topic_set ts = { 0 };
	struct horch_err err;
	int rc = 0;

	if (!cli_query_has_refs(q))
		return 0;
	horch_err_clear(&err);
	if (topic_set_load(st, id, name, q, &ts, &err) != 0) {
		http_error_err(rs, &err);
		rc = -1;
	} else if (matcher_check_refs(ts.mt, ts.n, ts.at, &err) != 0) {
		lint_error(rs, NULL, err.msg);
		rc = -1;
	}
	topic_set_cleanup(&ts);
	return rc;
}

/* ---- create, update, delete ---- */

/* Match the history of the topics just saved (as `topic add` does). */
static void backfill(struct http_req *rq, struct store *st)
{
	struct cli_rematch_stats stats;
	struct horch_err err;

	horch_err_clear(&err);
	http_topics_changed(rq->srv);
	if (cli_finish_history(NULL, st, &stats, &err) != 0)
		horch_log(LOG_ERROR, "http", "history error=\"%s\"", err.msg);
	else if (stats.n_topics)
		horch_log(LOG_INFO, "http", "history topics=%zu posts=%llu matches=%llu secs=%.2f",
			  stats.n_topics, (unsigned long long)stats.n_posts,
			  (unsigned long long)stats.n_matches, stats.secs);
}

static void save_error(struct http_resp *rs, const struct horch_err *err)
{
	if (strstr(err->msg, "exists already"))
		http_error(rs, 409, "conflict", "%s", err->msg);
	else if (err->code == HORCH_EINVAL || err->code == HORCH_ETOOBIG)
		http_error(rs, 400, "bad_request", "%s", err->msg);
	else
		http_error_err(rs, err);
}

void api_topics_create(struct http_req *rq, struct http_resp *rs)
{
	json_t *root = http_body_object(rq, rs);
	struct store_topic t = { 0 };
	const char *name, *src, *team, *color;
	struct query *q = NULL;
	struct horch_err err;
	struct store *st;
	struct buf lint;

	buf_init(&lint, BUF_NOLIMIT);
	horch_err_clear(&err);
	if (!root || http_member(root, "name", &name, rs) || http_member(root, "query", &src, rs) ||
	    http_member(root, "team", &team, rs) || http_member(root, "color", &color, rs))
		goto out;
	if (!name || !src) {
		http_error(rs, 400, "bad_request", "a topic needs a \"name\" and a \"query\"");
		goto out;
	}
	if (lint_into(&lint, src, strlen(src), &q, &err) != 0) {
		lint_error(rs, src, NULL);
		goto out;
	}
	if (!(st = http_store(rq, rs)) || check_refs(st, BACKTEST_ID, name, q, rs))
		goto out;
	t.name = horch_xstrdup(name);
	t.query = horch_xstrdup(src);
	t.team = team && *team ? horch_xstrdup(team) : NULL;
	t.color = color && *color ? horch_xstrdup(color) : NULL;
	t.matched_to = 0;
	if (store_topic_add(st, &t, &err) != 0) {
		save_error(rs, &err);
		goto out;
	}
	horch_log(LOG_INFO, "http", "topic added id=%lld by=%s", (long long)t.id, rq->who.name);
	backfill(rq, st);
	rq->id = t.id;
	store_topic_cleanup(&t);
	if (get_by_id(rq, rs, st, &t) == 0) {
		rs->status = 201;
		topic_json(&rs->body, &t);
	}
out:
	store_topic_cleanup(&t);
	query_free(q);
	buf_cleanup(&lint);
	json_decref(root);
}

static void replace(char **field, const char *value)
{
	if (!value)
		return;
	free(*field);
	*field = *value ? horch_xstrdup(value) : NULL;
}

void api_topics_update(struct http_req *rq, struct http_resp *rs)
{
	json_t *root = http_body_object(rq, rs);
	struct store_topic t = { 0 };
	const char *name, *src, *team, *color;
	struct query *q = NULL;
	struct horch_err err;
	struct store *st;
	struct buf lint;
	int changed;

	buf_init(&lint, BUF_NOLIMIT);
	horch_err_clear(&err);
	if (!root || http_member(root, "name", &name, rs) || http_member(root, "query", &src, rs) ||
	    http_member(root, "team", &team, rs) || http_member(root, "color", &color, rs))
		goto out;
	if (src && lint_into(&lint, src, strlen(src), &q, &err) != 0) {
		lint_error(rs, src, NULL);
		goto out;
	}
	if (!(st = http_store(rq, rs)) || get_by_id(rq, rs, st, &t) != 0)
		goto out;
	changed = src && strcmp(src, t.query) != 0;
	if (q && check_refs(st, t.id, name ? name : t.name, q, rs))
		goto out;
	replace(&t.name, name);
	replace(&t.query, src);
	replace(&t.team, team);
	replace(&t.color, color);
	if (!t.name || !t.query) {
		http_error(rs, 400, "bad_request", "a topic's name and query cannot be empty");
		goto out;
	}
	if (changed)
		t.matched_to = 0;
	if (store_topic_update(st, &t, &err) != 0) {
		save_error(rs, &err);
		goto out;
	}
	horch_log(LOG_INFO, "http", "topic changed id=%lld by=%s", (long long)t.id, rq->who.name);
	if (changed && store_topic_clear_matches(st, t.id, &err) != 0) {
		http_error_err(rs, &err);
		goto out;
	}
	backfill(rq, st);
	store_topic_cleanup(&t);
	if (get_by_id(rq, rs, st, &t) == 0)
		topic_json(&rs->body, &t);
out:
	store_topic_cleanup(&t);
	query_free(q);
	buf_cleanup(&lint);
	json_decref(root);
}

void api_topics_delete(struct http_req *rq, struct http_resp *rs)
{
	struct store_topic t = { 0 };
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (!(st = http_store(rq, rs)) || get_by_id(rq, rs, st, &t) != 0)
		return;
	if (store_topic_delete(st, t.name, &err) != 0) {
		http_error_err(rs, &err);
	} else {
		horch_log(LOG_INFO, "http", "topic deleted id=%lld by=%s", (long long)t.id,
			  rq->who.name);
		http_topics_changed(rq->srv);
		backfill(rq, st); /* topics that referred to it were reset */
		rs->status = 204;
	}
	store_topic_cleanup(&t);
}

/* ---- backtest ---- */

struct sample {
	struct http_server *srv;
	struct cli_backtest *bt;
	struct buf *b;
	struct buf spans;
	size_t n;
};

/* A sample post with the spans of the query under test, as a match of
 * topic id 0. */
static int sample_one(void *ctx, const struct post *p)
{
	struct sample *s = ctx;
	struct cli_backtest *bt = s->bt;
	const int64_t zero = BACKTEST_ID;
	const struct match_hit *h;
	const char *spans = NULL;

	if (s->n++)
		buf_putc(s->b, ',');
	buf_reset(&s->spans);
	if (match_doc_set(bt->doc, p) == 0 &&
	    matcher_match(bt->m, bt->doc, MATCH_SPANS, &bt->res) > 0 &&
	    (h = cli_backtest_hit(&bt->res, BACKTEST_ID)) != NULL &&
	    pipeline_spans_json(&bt->res, h, &s->spans) == 0)
		spans = s->spans.ptr;
	http_post_json(s->srv, s->b, p, spans ? &zero : NULL, spans ? &spans : NULL,
		       spans ? 1 : 0);
	return 0;
}

/* Backtest src since `since` into rs. */
static void backtest(struct http_req *rq, struct http_resp *rs, const char *src, int64_t since)
{
	struct cli_backtest bt = { 0 };
	struct topic_set ts = { 0 };
	struct matcher_topic mt = { .id = BACKTEST_ID };
	struct matcher *m = NULL;
	struct query *q = NULL;
	struct horch_err err;
	struct store *st;
	struct buf lint;
	struct sample sm = { rq->srv, &bt, &rs->body, { 0 }, 0 };
	int rc;

	buf_init(&lint, BUF_NOLIMIT);
	buf_init(&sm.spans, BUF_NOLIMIT);
	horch_err_clear(&err);
	if (lint_into(&lint, src, strlen(src), &q, &err) != 0) {
		lint_error(rs, src, NULL);
		goto out;
	}
	if (!(st = http_store(rq, rs)))
		goto out;
	mt.q = q;
	if (matcher_check_refs(&mt, 1, 0, &err) != 0) {
		if ((rc = topic_set_load(st, BACKTEST_ID, "", q, &ts, &err)) != 0) {
			http_error_err(rs, &err);
			goto out;
		}
		if (matcher_check_refs(ts.mt, ts.n, ts.at, &err) != 0) {
			lint_error(rs, NULL, err.msg);
			goto out;
		}
		rc = matcher_build(&m, ts.mt, ts.n, &err);
	} else {
		rc = matcher_build(&m, &mt, 1, &err);
	}
	if (rc) {
		http_error_err(rs, &err);
		goto out;
	}
	cli_backtest_init(&bt, m, BACKTEST_ID);
	rc = cli_backtest_scan(&bt, st, since, BACKTEST_SCAN_MAX, &err);
	if (rc) {
		http_error_err(rs, &err);
		goto out;
	}
	buf_printf(&rs->body, "{\"scanned\":%llu,\"matched\":%zu,\"capped\":%s,\"by_day\":[",
		   (unsigned long long)bt.n_posts, bt.n_hits,
		   bt.n_posts >= BACKTEST_SCAN_MAX ? "true" : "false");
	for (size_t i = 0, days = 0; i < bt.n_hits && days < BACKTEST_DAYS;) {
		char day[HORCH_TIME_BUFSZ] = "", other[HORCH_TIME_BUFSZ];
		size_t k = i;

		if (bt.hits[i].created_at == HORCH_TIME_NONE) {
			i++;
			continue;
		}
		horch_time_format(bt.hits[i].created_at, day);
		while (k < bt.n_hits && bt.hits[k].created_at != HORCH_TIME_NONE &&
		       memcmp(horch_time_format(bt.hits[k].created_at, other), day, 10) == 0)
			k++;
		buf_printf(&rs->body, "%s{\"day\":\"%.10s\",\"count\":%zu}", days ? "," : "", day,
			   k - i);
		days++;
		i = k;
	}
	buf_puts(&rs->body, "],\"sample\":[");
	for (size_t i = 0; i < bt.n_hits && i < BACKTEST_SAMPLE; i++)
		if (store_scan_posts(st, HORCH_TIME_NONE, bt.hits[i].id - 1, 1, sample_one, &sm,
				     &err) != 0)
			break;
	buf_puts(&rs->body, "]}");
out:
	buf_cleanup(&sm.spans);
	cli_backtest_cleanup(&bt);
	matcher_free(m);
	topic_set_cleanup(&ts);
	query_free(q);
	buf_cleanup(&lint);
}

void api_topics_backtest(struct http_req *rq, struct http_resp *rs)
{
	struct store_topic t = { 0 };
	int64_t since;
	struct store *st;

	if (http_arg_time(rq, "since", &since, rs) != 0)
		return;
	if (since == HORCH_TIME_NONE)
		since = horch_now() - 30LL * 86400 * 1000;
	if (!(st = http_store(rq, rs)) || get_by_id(rq, rs, st, &t) != 0)
		return;
	backtest(rq, rs, t.query, since);
	store_topic_cleanup(&t);
}

void api_backtest(struct http_req *rq, struct http_resp *rs)
{
	json_t *root = http_body_object(rq, rs);
	const char *src, *since_s;
	int64_t since = HORCH_TIME_NONE;
	struct horch_err err;

	if (!root)
		return;
	horch_err_clear(&err);
	if (http_member(root, "query", &src, rs) || http_member(root, "since", &since_s, rs))
		goto out;
	if (!src) {
		http_error(rs, 400, "bad_request", "give the query to test: {\"query\":\"...\"}");
		goto out;
	}
	if (since_s && horch_time_parse_relative(since_s, horch_now(), &since, &err) != 0 &&
	    horch_time_parse(since_s, strlen(since_s), &since, &err) != 0) {
		http_error(rs, 400, "bad_request", "since: \"%.64s\" is neither a time nor an age",
			   since_s);
		goto out;
	}
	if (since == HORCH_TIME_NONE)
		since = horch_now() - 30LL * 86400 * 1000;
	backtest(rq, rs, src, since);
out:
	json_decref(root);
}
