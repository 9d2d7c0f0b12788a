/* raise.c - alerts out of the signal engine (engine_int.h): raising one in
 * the store (one incident, one alert), publishing it on the bus, queueing
 * its deliveries (held in quiet hours) and writing their results, and
 * publishing the alerts whose state someone else changed. */
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../bus/bus.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../http/trending.h"
#include "../signal/signal.h"
#include "../store/store.h"
#include "engine_int.h"

/* ---- raising ---- */

static void recipients_json(struct buf *b, const struct alert_rule *r, const char *team)
{
	int any = 0;

	buf_putc(b, '[');
	for (size_t i = 0; i < r->n_recipients; i++) {
		if (any++)
			buf_putc(b, ',');
		json_put_string(b, r->recipients[i]);
	}
	if (team && *team) {
		char t[200];

		snprintf(t, sizeof t, "team:%s", team);
		if (any++)
			buf_putc(b, ',');
		json_put_string(b, t);
	}
	buf_putc(b, ']');
}

const char *engine__product_name(struct engine *e, int64_t id)
{
	for (size_t i = 0; i < e->n_prod; i++)
		if (e->prod[i].id == id)
			return e->prod[i].name;
	return NULL;
}

/* Publish the alert id (as the store has it now) on the bus. */
void engine__publish(struct engine *e, int64_t id)
{
	struct store_alert a;
	struct horch_err err;
	struct subject *s;
	struct bus_event *ev;
	struct buf b;

	if (!e->o.bus)
		return;
	memset(&a, 0, sizeof a);
	if (store_alert_get(e->st, id, &a, &err))
		return;
	s = a.topic_id ? engine__subject_of(e, a.topic_id) : NULL;
	buf_init(&b, BUF_NOLIMIT);
	alert_json(&b, &a, s ? s->name : NULL,
		   a.product_id ? engine__product_name(e, a.product_id) : NULL);
	ev = bus_event_new(BUS_ALERT, 0, 0, NULL, 0, b.ptr, b.len);
	bus_publish(e->o.bus, &ev, 1);
	bus_event_unref(ev);
	buf_cleanup(&b);
	/* What was published is what watch_alerts() has seen: it publishes
	 * only the changes made by others. */
	for (size_t i = 0; i < e->n_watch; i++)
		if (e->watch[i].id == id) {
			e->watch[i].fired = a.fired;
			e->watch[i].state = a.state[0];
			if (a.state[0] == 'r')  /* resolved: no longer active */
				e->watch[i] = e->watch[--e->n_watch];
			break;
		}
	store_alert_cleanup(&a);
}

void engine__held_free(struct held *h)
{
	for (size_t i = 0; i < sizeof h->buf / sizeof h->buf[0]; i++)
		free(h->buf[i]);
}

/* Hand a held delivery to the deliverer. */
static void send_held(struct engine *e, struct held *h)
{
	struct horch_err err;

	h->job.id = h->delivery_id;
	if (!e->dl || deliver_post(e->dl, &h->job, &err)) {
		int64_t id = h->delivery_id;

		store_delivery_put(e->st, &id, h->job.note.id, h->job.format == DELIVER_EMAIL ?
				   "email" : "webhook", h->buf[0], "failed", 0,
				   e->dl ? err.msg : "no deliverer", horch_now(), &err);
		e->stats.deliveries_failed++;
	}
}

/* Queue the deliveries of a new alert a by rule r. */
static void deliver_alert(struct engine *e, const struct alert_rule *r,
			  const struct store_alert *a, const char *topic, const char *product)
{
	struct buf json, link;
	int64_t now = horch_now();
	int quiet = alert_rule_quiet(r, (int)((now % MS_DAY) / MS_MIN));
	struct horch_err err;

	if (!r->webhook && !r->email)
		return;
	buf_init(&json, BUF_NOLIMIT);
	buf_init(&link, BUF_NOLIMIT);
	alert_json(&json, a, topic, product);
	if (e->o.link_base)
		buf_printf(&link, "%s/alerts#%lld", e->o.link_base, (long long)a->id);
	for (int ch = 0; ch < 2; ch++) {
		const char *target = ch ? r->email : r->webhook;
		struct held h;
		char shown[512];

		if (!target)
			continue;
		memset(&h, 0, sizeof h);
		/* Of a webhook, only its scheme, host and port are kept and shown:
		 * Slack, Teams and Discord put the token in the path. */
		if (ch) {
			snprintf(shown, sizeof shown, "%s", target);
		} else {
			const char *host = strstr(target, "://");
			size_t end = host ? (size_t)(host + 3 - target) : 0;

			end += strcspn(target + end, "/?#");
			snprintf(shown, sizeof shown, "%.*s/...", (int)end, target);
		}
		h.buf[0] = horch_xstrdup(shown);
		h.buf[1] = horch_xstrdup(a->kind);
		h.buf[2] = horch_xstrdup(a->title);
		h.buf[3] = horch_xstrdup(a->summary);
		h.buf[4] = horch_xstrdup(topic);
		h.buf[5] = horch_xstrdup(product);
		h.buf[6] = horch_xstrdup(json.ptr);
		h.buf[7] = link.len ? horch_xstrdup(link.ptr) : NULL;
		h.quiet_from = r->quiet_from;
		h.quiet_to = r->quiet_to;
		h.job.format = ch ? DELIVER_EMAIL : r->format;
		h.job.url = ch ? NULL : target;
		h.job.to = ch ? target : NULL;
		h.job.note = (struct alert_note){
			.id = a->id, .kind = h.buf[1], .state = "open", .severity = a->severity,
			.title = h.buf[2], .summary = h.buf[3], .topic = h.buf[4],
			.product = h.buf[5], .rule = r->name, .at = a->at, .link = h.buf[7],
			.json = h.buf[6],
		};
		if (store_delivery_put(e->st, &h.delivery_id, a->id, ch ? "email" : "webhook",
				       shown, quiet ? "held" : "pending", 0, NULL, now, &err)) {
			horch_log(LOG_ERROR, "signals", "delivery error=\"%s\"", err.msg);
			engine__held_free(&h);
			continue;
		}
		if (quiet) {
			/* Kept until the quiet hours end, with its own copy of
			 * the target (the rules may be reloaded meanwhile). */
			e->held = horch_xrealloc(e->held, (e->n_held + 1) * sizeof *e->held);
			e->held[e->n_held] = h;
			e->held[e->n_held].job.url = ch ? NULL : horch_xstrdup(target);
			e->held[e->n_held].job.to = ch ? horch_xstrdup(target) : NULL;
			e->n_held++;
			horch_log(LOG_INFO, "signals", "alert=%lld rule=%s delivery held (quiet hours)",
				  (long long)a->id, r->name);
		} else {
			send_held(e, &h);
			engine__held_free(&h);
		}
	}
	buf_cleanup(&json);
	buf_cleanup(&link);
}

/* Raise an alert of rule ri about a topic or a product; evidence is the
 * JSON object's members (without braces).  Returns the enum store_raise,
 * or -1 when it could not be stored. */
/* engine__raise_alert() with the alert's key given (key_as) or, NULL,
 * made from its subject. */
static int raise_keyed(struct engine *e, size_t ri, const char *kind, const char *key_as,
		       int64_t topic_id, int64_t product_id, int64_t at, const char *title,
		       const char *summary, const char *evidence, const char *team)
{
	int result = -1;
	const struct alert_rule *r = &e->rules[ri];
	struct store_alert a;
	struct buf key, ev, rec;
	enum store_raise how;
	struct horch_err err;
	struct subject *s = topic_id ? engine__subject_of(e, topic_id) : NULL;

	buf_init(&key, BUF_NOLIMIT);
	buf_init(&ev, BUF_NOLIMIT);
	buf_init(&rec, BUF_NOLIMIT);
	if (key_as)
		buf_puts(&key, key_as);
	else if (topic_id)
		buf_printf(&key, "topic:%lld", (long long)topic_id);
	else
		buf_printf(&key, "product:%lld", (long long)product_id);
	buf_printf(&ev, "{%s}", evidence);
	recipients_json(&rec, r, team);
	memset(&a, 0, sizeof a);
	a.rule = r->name;
	a.kind = (char *)kind;
	a.key = key.ptr;
	a.topic_id = topic_id;
	a.product_id = product_id;
	a.severity = r->severity;
	a.title = (char *)title;
	a.summary = (char *)summary;
	a.evidence = ev.ptr;
	a.recipients = rec.ptr;
	a.at = at;
	/* A spike or a shift keeps the evidence of its onset; the count of
	 * unanswered posts grows. */
	if (store_alert_raise(e->st, &a, r->cooldown_ms,
			      !strcmp(kind, "unanswered") || !strcmp(kind, "source"), &how, &err)) {
		horch_log(LOG_ERROR, "signals", "raise error=\"%s\"", err.msg);
		goto out;
	}
	result = (int)how;
	if (how == STORE_RAISE_COOLING) {
		e->stats.alerts_cooling++;
		goto out;
	}
	if (how == STORE_RAISE_BUMPED) {
		e->stats.alerts_bumped++;
		engine__publish(e, a.id);
		goto out;
	}
	e->stats.alerts_new++;
	{
		char ts[HORCH_TIME_BUFSZ];

		horch_log(LOG_INFO, "signals", "alert=%lld rule=%s kind=%s key=%s at=%s title=\"%s\"",
			  (long long)a.id, r->name, kind, key.ptr, horch_time_format(at, ts), title);
	}
	engine__publish(e, a.id);
	{
		struct store_alert full;

		memset(&full, 0, sizeof full);
		if (store_alert_get(e->st, a.id, &full, &err) == 0)
			deliver_alert(e, r, &full, s ? s->name : NULL,
				      product_id ? engine__product_name(e, product_id) : NULL);
		store_alert_cleanup(&full);
	}
out:
	buf_cleanup(&key);
	buf_cleanup(&ev);
	buf_cleanup(&rec);
	return result;
}

/* ---- deliveries ---- */

void engine__on_result(void *ctx, const struct deliver_result *r)
{
	struct engine *e = ctx;

	pthread_mutex_lock(&e->lock);
	e->res = horch_xrealloc(e->res, (e->n_res + 1) * sizeof *e->res);
	e->res[e->n_res].delivery_id = r->id;
	e->res[e->n_res].ok = r->ok;
	e->res[e->n_res].attempts = r->attempts;
	e->res[e->n_res].error = horch_xstrdup(r->error);
	e->n_res++;
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
}

/* Write the deliverer's results; release held deliveries whose quiet hours
 * are over. */
void engine__settle_deliveries(struct engine *e)
{
	struct result *res;
	size_t n;
	struct horch_err err;
	int64_t now = horch_now();

	pthread_mutex_lock(&e->lock);
	res = e->res;
	n = e->n_res;
	e->res = NULL;
	e->n_res = 0;
	pthread_mutex_unlock(&e->lock);
	for (size_t i = 0; i < n; i++) {
		int64_t id = res[i].delivery_id;

		if (res[i].ok)
			e->stats.deliveries_sent++;
		else
			e->stats.deliveries_failed++;
		/* An update: only the state, attempts, error and time change. */
		if (store_delivery_put(e->st, &id, 0, "webhook", "", res[i].ok ? "sent" : "failed",
				       res[i].attempts, res[i].error, now, &err))
			horch_log(LOG_WARN, "signals", "delivery error=\"%s\"", err.msg);
		free(res[i].error);
	}
	free(res);
	for (size_t i = 0; i < e->n_held;) {
		struct held *h = &e->held[i];
		struct alert_rule q = { .quiet_from = h->quiet_from, .quiet_to = h->quiet_to };

		if (alert_rule_quiet(&q, (int)((now % MS_DAY) / MS_MIN))) {
			i++;
			continue;
		}
		send_held(e, h);
		free((char *)h->job.url);
		free((char *)h->job.to);
		engine__held_free(h);
		e->held[i] = e->held[--e->n_held];
	}
}

/* ---- changes made by others ---- */

struct watch_list {
	struct watch *v;
	size_t n, cap;
};

static int watch_one(void *ctx, const struct store_alert *a)
{
	struct watch_list *l = ctx;

	l->v = horch_xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n].id = a->id;
	l->v[l->n].fired = a->fired;
	l->v[l->n].state = a->state[0];
	l->n++;
	return 0;
}

/* Publish the active alerts that changed since the last tick by anyone
 * (the API, horch alert ack in another process, this engine): a wall sees
 * a state set from the command line too. */
void engine__watch_alerts(struct engine *e)
{
	struct watch_list l = { 0 };
	struct horch_err err;

	if (store_alert_list(e->st, "active", 0, 500, watch_one, &l, &err)) {
		free(l.v);
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct watch *old = NULL;

		for (size_t j = 0; j < e->n_watch && !old; j++)
			if (e->watch[j].id == l.v[i].id)
				old = &e->watch[j];
		if (old && (old->state != l.v[i].state || old->fired != l.v[i].fired))
			engine__publish(e, l.v[i].id);
	}
	for (size_t j = 0; j < e->n_watch; j++) {
		int still = 0;

		for (size_t i = 0; i < l.n && !still; i++)
			still = l.v[i].id == e->watch[j].id;
		if (!still)
			engine__publish(e, e->watch[j].id);
	}
	free(e->watch);
	e->watch = l.v;
	e->n_watch = l.n;
}

int engine__raise_alert(struct engine *e, size_t ri, const char *kind, int64_t topic_id,
			int64_t product_id, int64_t at, const char *title, const char *summary,
			const char *evidence, const char *team)
{
	return raise_keyed(e, ri, kind, NULL, topic_id, product_id, at, title, summary, evidence,
			   team);
}

int engine__raise_source(struct engine *e, size_t ri, const char *name, int64_t at,
			 const char *title, const char *summary, const char *evidence)
{
	char key[300];

	snprintf(key, sizeof key, "source:%s", name);
	return raise_keyed(e, ri, "source", key, 0, 0, at, title, summary, evidence, NULL);
}
