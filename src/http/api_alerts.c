/* api_alerts.c - alerts over HTTP: list, one with its deliveries,
 * acknowledge and resolve (both published on the live stream, so every
 * wall and radio sees the change at once); the alert rules made through
 * the API; marking a post answered and the first-response figures; the
 * products' ratings and the two-star rule.  docs/http-api.md has the
 * shapes, docs/signals.md the meaning. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../alert/alert.h"
#include "../bus/bus.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../signal/signal.h"
#include "../store/store.h"
#include "http_int.h"

#define ALERTS_LIMIT_MAX 500
#define MS_DAY 86400000LL

/* ---- alerts ---- */

/* The catalogue's products (id and name), read once per request. */
struct products {
	struct store_product *v;
	size_t n;
	int loaded;
};

static int take_product(void *ctx, const struct store_product *p)
{
	struct products *ps = ctx;

	ps->v = horch_xrealloc(ps->v, (ps->n + 1) * sizeof *ps->v);
	ps->v[ps->n].id = p->id;
	ps->v[ps->n].name = horch_xstrdup(p->name);
	ps->n++;
	return 0;
}

static void products_cleanup(struct products *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i].name);
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

/* The name of product id (NULL when unknown), the catalogue read on the
 * first call. */
static const char *product_name(struct store *st, struct products *ps, int64_t id)
{
	struct horch_err err;

	if (!ps->loaded) {
		ps->loaded = 1;
		store_product_list(st, take_product, ps, &err);
	}
	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i].id == id)
			return ps->v[i].name;
	return NULL;
}

/* Append alert a as JSON to b, with its subject's names (topics from the
 * server's cache, products from ps). */
static void put_alert(struct http_req *rq, struct store *st, struct products *ps,
		      struct buf *b, const struct store_alert *a)
{
	char topic[256] = "", color[32];

	if (a->topic_id)
		http_topic_info(rq->srv, a->topic_id, topic, sizeof topic, color, sizeof color);
	alert_json(b, a, topic[0] ? topic : NULL,
		   a->product_id ? product_name(st, ps, a->product_id) : NULL);
}

struct alist {
	struct http_req *rq;
	struct store *st;
	struct products ps;
	struct buf *b;
	size_t n;
};

static int list_one(void *ctx, const struct store_alert *a)
{
	struct alist *l = ctx;

	if (l->n++)
		buf_putc(l->b, ',');
	put_alert(l->rq, l->st, &l->ps, l->b, a);
	return 0;
}

void api_alerts_list(struct http_req *rq, struct http_resp *rs)
{
	const char *state = http_arg(rq, "state");
	int64_t limit = 50, before = 0;
	struct horch_err err;
	struct store *st;
	struct alist l;

	if (http_arg_int(rq, "limit", 1, ALERTS_LIMIT_MAX, &limit, rs) ||
	    http_arg_int(rq, "before", 1, INT64_MAX, &before, rs))
		return;
	if (!state || !*state)
		state = "active";
	if (strcmp(state, "open") && strcmp(state, "acked") && strcmp(state, "resolved") &&
	    strcmp(state, "active") && strcmp(state, "all")) {
		http_error(rs, 400, "bad_request", "state: \"%.32s\" is not open, acked, resolved, "
			   "active or all", state);
		return;
	}
	if (!(st = http_store(rq, rs)))
		return;
	l = (struct alist){ .rq = rq, .st = st, .b = &rs->body };
	buf_puts(&rs->body, "{\"alerts\":[");
	if (store_alert_list(st, strcmp(state, "all") ? state : NULL, before, (size_t)limit,
			     list_one, &l, &err))
		http_error_err(rs, &err);
	else
		buf_puts(&rs->body, "]}");
	products_cleanup(&l.ps);
}

static int delivery_one(void *ctx, const struct store_delivery *d)
{
	struct alist *l = ctx;

	if (l->n++)
		buf_putc(l->b, ',');
	buf_puts(l->b, "{\"channel\":");
	http_json_str(l->b, d->channel);
	buf_puts(l->b, ",\"target\":");
	http_json_str(l->b, d->target);
	buf_puts(l->b, ",\"state\":");
	http_json_str(l->b, d->state);
	buf_printf(l->b, ",\"attempts\":%d,\"error\":", d->attempts);
	if (d->error)
		http_json_str(l->b, d->error);
	else
		buf_puts(l->b, "null");
	buf_puts(l->b, ",\"at\":");
	http_json_time(l->b, d->at);
	buf_putc(l->b, '}');
	return 0;
}

/* Answer alert a with its deliveries. */
static void answer_alert(struct http_req *rq, struct http_resp *rs, struct store *st,
			 struct products *ps, const struct store_alert *a)
{
	struct horch_err err;
	struct alist l = { .rq = rq, .st = st, .b = &rs->body };

	put_alert(rq, st, ps, &rs->body, a);
	/* Replace the closing brace with the deliveries. */
	rs->body.len--;
	buf_puts(&rs->body, ",\"deliveries\":[");
	if (store_delivery_list(st, a->id, delivery_one, &l, &err))
		http_error_err(rs, &err);
	else
		buf_puts(&rs->body, "]}");
}

void api_alerts_get(struct http_req *rq, struct http_resp *rs)
{
	struct store *st = http_store(rq, rs);
	struct products ps = { 0 };
	struct store_alert a;
	struct horch_err err;

	if (!st)
		return;
	memset(&a, 0, sizeof a);
	if (store_alert_get(st, rq->id, &a, &err))
		http_error_err(rs, &err);
	else
		answer_alert(rq, rs, st, &ps, &a);
	store_alert_cleanup(&a);
	products_cleanup(&ps);
}

/* Acknowledge or resolve alert rq->id, publish it, answer it. */
static void set_state(struct http_req *rq, struct http_resp *rs, const char *state)
{
	struct store *st = http_store(rq, rs);
	struct products ps = { 0 };
	struct store_alert a;
	struct horch_err err;
	struct bus_event *ev;
	struct buf b;

	if (!st)
		return;
	if (store_alert_set_state(st, rq->id, state, rq->who.name[0] ? rq->who.name : "api",
				  horch_now(), &err)) {
		http_error_err(rs, &err);
		return;
	}
	horch_log(LOG_INFO, "http", "alert=%lld %s by=%s", (long long)rq->id, state,
		  rq->who.name);
	memset(&a, 0, sizeof a);
	if (store_alert_get(st, rq->id, &a, &err)) {
		http_error_err(rs, &err);
		return;
	}
	buf_init(&b, BUF_NOLIMIT);
	put_alert(rq, st, &ps, &b, &a);
	ev = bus_event_new(BUS_ALERT, 0, 0, NULL, 0, b.ptr, b.len);
	http_publish(rq->srv, &ev, 1);
	bus_event_unref(ev);
	buf_cleanup(&b);
	answer_alert(rq, rs, st, &ps, &a);
	store_alert_cleanup(&a);
	products_cleanup(&ps);
}

void api_alerts_ack(struct http_req *rq, struct http_resp *rs)
{
	set_state(rq, rs, "acked");
}

void api_alerts_resolve(struct http_req *rq, struct http_resp *rs)
{
	set_state(rq, rs, "resolved");
}

/* ---- rules ---- */

struct rlist {
	struct buf *b;
	size_t n;
	const char *name;   /* found: the rule's spec is kept */
	int found;
};

static int rule_one(void *ctx, const char *name, const char *spec)
{
	struct rlist *l = ctx;
	json_t *o = json_loads(spec, 0, NULL);
	struct alert_rule r;
	struct horch_err err;

	memset(&r, 0, sizeof r);
	if (o && alert_rule_from_json(&r, o, &err) == 0) {
		r.origin = ALERT_ORIGIN_API;
		if (l->n++)
			buf_putc(l->b, ',');
		alert_rule_json(l->b, &r);
	}
	(void)name;
	alert_rule_cleanup(&r);
	json_decref(o);
	return 0;
}

/* Replace each rule's webhook in the {"rules":[...]} of b by its scheme
 * and host ("https://hooks.slack.com/..."). */
static void redact_webhooks(struct buf *b)
{
	json_t *o = json_loadb(b->ptr, b->len, 0, NULL), *rules = json_object_get(o, "rules"), *r;
	size_t i;
	char *out;

	json_array_foreach(rules, i, r) {
		const char *u = json_string_value(json_object_get(r, "webhook"));
		const char *host = u ? strstr(u, "://") : NULL;
		char shown[300];

		if (!u)
			continue;
		snprintf(shown, sizeof shown, "%.*s/...",
			 (int)(host ? (size_t)(host + 3 - u) + strcspn(host + 3, "/?#") : 0), u);
		json_object_set_new(r, "webhook", json_string(shown));
	}
	out = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (out) {
		buf_reset(b);
		buf_puts(b, out);
		free(out);
	}
	json_decref(o);
}

void api_rules_list(struct http_req *rq, struct http_resp *rs)
{
	struct rlist l = { &rs->body, 0, NULL, 0 };
	struct horch_err err;
	struct store *st;

	/* The rules in force (configuration, database or defaults) when the
	 * engine runs; else those of the database.  A webhook's URL holds its
	 * secret: below the analysts, only its scheme and host are shown. */
	if (http_rules_json(rq->srv, &rs->body) == 0) {
		if (rq->who.role < AUTH_ANALYST)
			redact_webhooks(&rs->body);
		return;
	}
	if (!(st = http_store(rq, rs)))
		return;
	buf_puts(&rs->body, "{\"rules\":[");
	if (store_rule_list(st, rule_one, &l, &err)) {
		http_error_err(rs, &err);
		return;
	}
	buf_puts(&rs->body, "]}");
}

void api_rules_put(struct http_req *rq, struct http_resp *rs)
{
	json_t *o = http_body_object(rq, rs);
	struct alert_rule r;
	struct horch_err err;
	struct store *st;
	struct buf spec;

	if (!o)
		return;
	memset(&r, 0, sizeof r);
	buf_init(&spec, BUF_NOLIMIT);
	if (alert_rule_from_json(&r, o, &err)) {
		http_error(rs, 400, "bad_rule", "%s", err.msg);
		goto out;
	}
	if (r.email && !http_smtp(rq->srv)) {
		http_error(rs, 400, "bad_rule", "alert rule \"%s\": email: e-mail alerts need an "
			   "SMTP server ([smtp] url in the configuration)", r.name);
		goto out;
	}
	if (http_rule_origin(rq->srv, r.name) == ALERT_ORIGIN_CONFIG) {
		http_error(rs, 409, "conflict", "the rule \"%s\" is set in the configuration "
			   "file: change it there", r.name);
		goto out;
	}
	if (!(st = http_store(rq, rs)))
		goto out;
	r.origin = ALERT_ORIGIN_API;
	alert_rule_json(&spec, &r);
	if (store_rule_put(st, r.name, spec.ptr, &err)) {
		http_error_err(rs, &err);
		goto out;
	}
	horch_log(LOG_INFO, "http", "alert rule saved name=\"%s\" by=%s", r.name, rq->who.name);
	http_rules_changed(rq->srv);
	rs->status = 201;
	buf_append(&rs->body, spec.ptr, spec.len);
out:
	alert_rule_cleanup(&r);
	buf_cleanup(&spec);
	json_decref(o);
}

void api_rules_delete(struct http_req *rq, struct http_resp *rs)
{
	const char *name = http_arg(rq, "name");
	struct horch_err err;
	struct store *st;

	if (!name || !*name) {
		http_error(rs, 400, "bad_request", "name: the rule's name is required (?name=)");
		return;
	}
	if (!(st = http_store(rq, rs)))
		return;
	if (store_rule_delete(st, name, &err)) {
		http_error_err(rs, &err);
		return;
	}
	horch_log(LOG_INFO, "http", "alert rule deleted name=\"%s\" by=%s", name, rq->who.name);
	http_rules_changed(rq->srv);
	rs->status = 204;
}

/* ---- answers ---- */

void api_posts_answered(struct http_req *rq, struct http_resp *rs)
{
	struct store *st = http_store(rq, rs);
	struct horch_err err;
	int64_t now = horch_now();
	const char *by = rq->who.name[0] ? rq->who.name : "api";

	if (!st)
		return;
	if (store_answer_mark(st, rq->id, by, now, &err)) {
		http_error_err(rs, &err);
		return;
	}
	buf_printf(&rs->body, "{\"post_id\":%lld,\"answered_at\":", (long long)rq->id);
	http_json_time(&rs->body, now);
	buf_puts(&rs->body, ",\"answered_by\":");
	http_json_str(&rs->body, by);
	buf_putc(&rs->body, '}');
}

static void put_seconds(struct buf *b, double ms)
{
	if (isnan(ms))
		buf_puts(b, "null");
	else
		buf_printf(b, "%.1f", ms / 1000);
}

void api_answers(struct http_req *rq, struct http_resp *rs)
{
	struct store_answer_stats as;
	struct horch_err err;
	struct store *st;
	int64_t since, until, sla = 4 * 3600000LL;
	const char *s = http_arg(rq, "sla");

	if (http_arg_time(rq, "since", &since, rs) || http_arg_time(rq, "until", &until, rs))
		return;
	if (s) {
		char *end;
		double h = strtod(s, &end);

		if (end == s || *end || !(h > 0) || h > 720) {
			http_error(rs, 400, "bad_request", "sla: hours, a number above 0 (4, 0.5)");
			return;
		}
		sla = (int64_t)(h * 3600000.0);
	}
	if (until == HORCH_TIME_NONE)
		until = INT64_MAX;
	if (since == HORCH_TIME_NONE)
		since = horch_now() - MS_DAY;
	if (!(st = http_store(rq, rs)))
		return;
	if (store_answer_stats(st, since, until, sla, &as, &err)) {
		http_error_err(rs, &err);
		return;
	}
	buf_printf(&rs->body, "{\"needing\":%lld,\"answered\":%lld,\"rate\":", (long long)as.needing,
		   (long long)as.answered);
	if (as.needing)
		buf_printf(&rs->body, "%.4f", (double)as.answered / (double)as.needing);
	else
		buf_puts(&rs->body, "null");
	buf_printf(&rs->body, ",\"within_sla\":%lld,\"sla_s\":%lld,\"median_s\":",
		   (long long)as.within_sla, (long long)(sla / 1000));
	put_seconds(&rs->body, as.median_ms);
	buf_puts(&rs->body, ",\"mean_s\":");
	put_seconds(&rs->body, as.mean_ms);
	buf_putc(&rs->body, '}');
}

/* ---- ratings ---- */

struct reviews {
	struct rating_review *v;
	size_t n, cap;
};

static int day_reviews(void *ctx, const struct store_bucket *b)
{
	struct reviews *r = ctx;

	/* A day bucket holds the sum of its reviews' stars: as many reviews
	 * of the day's mean, which keeps the means and counts exact. */
	for (int64_t i = 0; i < b->rating_n; i++) {
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 64;
			r->v = horch_xrealloc(r->v, r->cap * sizeof *r->v);
		}
		r->v[r->n].t = b->t;
		r->v[r->n].stars = b->rating_sum / (double)b->rating_n;
		r->n++;
	}
	return 0;
}

static void put_num(struct buf *b, double v, const char *fmt)
{
	if (isnan(v))
		buf_puts(b, "null");
	else
		buf_printf(b, fmt, v);
}

void api_ratings(struct http_req *rq, struct http_resp *rs)
{
	struct rating_rule rule = { 2.0, 10, 30 * MS_DAY };
	struct products ps = { 0 };
	struct horch_err err;
	struct store *st;
	int64_t now = horch_now(), days = 30, min = 10;
	const char *below = http_arg(rq, "below");

	if (http_arg_int(rq, "days", 1, 3650, &days, rs) ||
	    http_arg_int(rq, "min_reviews", 1, 100000, &min, rs))
		return;
	if (below) {
		char *end;

		rule.below = strtod(below, &end);
		if (end == below || *end || !(rule.below > 1) || rule.below > 5) {
			http_error(rs, 400, "bad_request", "below: stars, above 1 and at most 5");
			return;
		}
	}
	rule.window_ms = days * MS_DAY;
	rule.min_reviews = (size_t)min;
	if (!(st = http_store(rq, rs)))
		return;
	if (store_product_list(st, take_product, &ps, &err)) {
		http_error_err(rs, &err);
		return;
	}
	buf_puts(&rs->body, "{\"products\":[");
	for (size_t i = 0; i < ps.n; i++) {
		struct reviews r = { 0 };
		struct rating_summary sum;

		store_buckets(st, STORE_SCOPE_PRODUCT, &ps.v[i].id, 1, 86400, 0, now + MS_DAY,
			      day_reviews, &r, &err);
		rating_summarise(r.v, r.n, now, &rule, &sum);
		buf_printf(&rs->body, "%s{\"id\":%lld,\"name\":", i ? "," : "",
			   (long long)ps.v[i].id);
		http_json_str(&rs->body, ps.v[i].name);
		buf_printf(&rs->body, ",\"n\":%zu,\"mean\":", sum.n);
		put_num(&rs->body, sum.mean, "%.3f");
		buf_printf(&rs->body, ",\"recent_n\":%zu,\"recent_mean\":", sum.n_recent);
		put_num(&rs->body, sum.mean_recent, "%.3f");
		buf_puts(&rs->body, ",\"trend\":");
		put_num(&rs->body, sum.trend, "%.3f");
		buf_printf(&rs->body, ",\"pull\":%s}", sum.pull ? "true" : "false");
		free(r.v);
	}
	products_cleanup(&ps);
	buf_printf(&rs->body, "],\"below\":%g,\"min_reviews\":%zu,\"days\":%lld}", rule.below,
		   rule.min_reviews, (long long)days);
}
