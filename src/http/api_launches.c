/* api_launches.c - launches over HTTP: list them, add one, forget one, and
 * the scorecard of one (GET /api/launches/{id}; src/http/scorecard.h
 * computes it, docs/http-api.md has the objects).
 *
 * A launch is addressed by its id here and by its name in the CLI.  The
 * scorecard reads the buckets as the server's signal engine keeps them
 * (store_signals_update() every few seconds): a GET does not write. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../query/query.h"
#include "../store/store.h"
#include "http_int.h"
#include "scorecard.h"

struct list {
	struct http_req *rq;
	struct buf *b;
	size_t n;
};

/* store_launch_fn: append l (with its topic's name from the server's
 * cache) to the list being written. */
static int list_one(void *ctx, const struct store_launch *l)
{
	struct list *li = ctx;
	char name[STORE_TOPIC_NAME_MAX + 1];
	int known = http_topic_info(li->rq->srv, l->topic_id, name, sizeof name, NULL, 0);

	if (li->n++)
		buf_putc(li->b, ',');
	scorecard_launch_json(l, known ? name : NULL, li->b);
	return 0;
}

/* GET /api/launches: {"launches":[launch...]}, oldest first. */
void api_launches_list(struct http_req *rq, struct http_resp *rs)
{
	struct list li = { rq, &rs->body, 0 };
	struct horch_err err;
	struct store *st;

	if (!(st = http_store(rq, rs)))
		return;
	horch_err_clear(&err);
	buf_puts(&rs->body, "{\"launches\":[");
	if (store_launch_list(st, list_one, &li, &err) != 0) {
		http_error_err(rs, &err);
		return;
	}
	buf_puts(&rs->body, "]}");
}

/* The string member key of o into *out, which must be there, without a
 * NUL inside.  Returns 0, or -1 with 400 answered. */
static int need_string(json_t *o, const char *key, const char **out, struct http_resp *rs)
{
	json_t *v = json_object_get(o, key);

	if (!v || !json_is_string(v) || json_string_length(v) != strlen(json_string_value(v))) {
		http_error(rs, 400, "bad_request", "a launch needs \"%s\" as a string", key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* The topic of the body's "topic" (a name or an id) into *t.  Returns 0,
 * or -1 with the error answered (400, or 404 for no such topic). */
static int body_topic(struct store *st, json_t *root, struct store_topic *t,
		      struct http_resp *rs)
{
	json_t *v = json_object_get(root, "topic");
	struct horch_err err;
	int rc;

	horch_err_clear(&err);
	if (v && json_is_integer(v)) {
		rc = scorecard_topic_by_id(st, (int64_t)json_integer_value(v), t, &err);
	} else if (v && json_is_string(v) && json_string_length(v) > 0 &&
		   json_string_length(v) <= STORE_TOPIC_NAME_RAW_MAX &&
		   json_string_length(v) == strlen(json_string_value(v))) {
		rc = store_topic_get(st, json_string_value(v), t, &err);
	} else {
		http_error(rs, 400, "bad_request", "\"topic\" must be a topic's name or id");
		return -1;
	}
	if (rc) {
		http_error_err(rs, &err);
		return -1;
	}
	return 0;
}

/* POST /api/launches {"name","topic" (a name or an id),"at"}: 201 and
 * the launch; 400 for a bad body, 404 for no such topic, 409 for a name
 * taken. */
void api_launches_create(struct http_req *rq, struct http_resp *rs)
{
	json_t *root = http_body_object(rq, rs);
	struct store_launch l = { 0 };
	struct store_topic t = { 0 };
	const char *name, *at, *why;
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (!root || need_string(root, "name", &name, rs) || need_string(root, "at", &at, rs))
		goto out;
	if (!*name || strlen(name) > STORE_TOPIC_NAME_MAX) {
		http_error(rs, 400, "bad_request", "a launch's name has 1 to %u bytes",
			   STORE_TOPIC_NAME_MAX);
		goto out;
	}
	if ((why = store_name_problem(name, strlen(name))) != NULL) {
		http_error(rs, 400, "bad_request", "the name %s", why);
		goto out;
	}
	if (horch_time_parse(at, strlen(at), &l.at, &err) != 0) {
		http_error(rs, 400, "bad_request", "at: %s", err.msg);
		goto out;
	}
	if (!(st = http_store(rq, rs)) || body_topic(st, root, &t, rs) != 0)
		goto out;
	l.name = (char *)name;
	l.topic_id = t.id;
	if (store_launch_add(st, &l, &err) != 0) {
		http_error_err(rs, &err);
		goto out;
	}
	horch_log(LOG_INFO, "http", "launch added id=%lld topic=%lld by=%s", (long long)l.id,
		  (long long)t.id, rq->who.name);
	rs->status = 201;
	scorecard_launch_json(&l, t.name, &rs->body);
out:
	store_topic_cleanup(&t);
	json_decref(root);
}

/* GET /api/launches/{id}: the scorecard at the wall clock's now; 404 for
 * no such launch. */
void api_launches_get(struct http_req *rq, struct http_resp *rs)
{
	struct store_launch l = { 0 };
	struct store_topic t = { 0 };
	struct scorecard sc = { 0 };
	struct query *q = NULL;
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (!(st = http_store(rq, rs)))
		return;
	if (scorecard_launch_by_id(st, rq->id, &l, &err) != 0 ||
	    scorecard_topic_by_id(st, l.topic_id, &t, &err) != 0) {
		http_error_err(rs, &err);
		goto out;
	}
	/* A stored query that no longer parses leaves no term out of the
	 * clusters rather than failing the page. */
	if (cli_topic_parse(&t, &q, &err) != 0) {
		horch_log(LOG_WARN, "http", "launch=%lld error=\"%s\"", (long long)l.id, err.msg);
		q = NULL;
	}
	if (scorecard_compute(st, &l, t.name, q, horch_now(), &sc, &err) != 0) {
		http_error_err(rs, &err);
		goto out;
	}
	if (scorecard_json(&sc, &rs->body) != 0)
		http_error(rs, 413, "too_big", "the scorecard is larger than a response may be");
out:
	scorecard_cleanup(&sc);
	query_free(q);
	store_topic_cleanup(&t);
	store_launch_cleanup(&l);
}

/* DELETE /api/launches/{id}: 204, or 404 for no such launch. */
void api_launches_delete(struct http_req *rq, struct http_resp *rs)
{
	struct store_launch l = { 0 };
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (!(st = http_store(rq, rs)))
		return;
	if (scorecard_launch_by_id(st, rq->id, &l, &err) != 0 ||
	    store_launch_delete(st, l.name, &err) != 0) {
		http_error_err(rs, &err);
	} else {
		horch_log(LOG_INFO, "http", "launch deleted id=%lld by=%s", (long long)l.id,
			  rq->who.name);
		rs->status = 204;
	}
	store_launch_cleanup(&l);
}
