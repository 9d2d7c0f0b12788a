/* engine.c - the signal engine of horch serve (alert.h): one thread that
 * turns committed posts into buckets, feeds the detectors, and raises,
 * publishes and delivers alerts.
 *
 * Time.  The detectors run on the stream's own time: the watermark is the
 * end of the newest minute bucket seen, and an interval (step_ms, 5
 * minutes) is closed once the watermark is lateness_ms past its end; then
 * every topic's detectors get that interval's counts (0 when it had no
 * posts), in time order.  A replayed day thus raises its alerts at the
 * day's own times, and a crash-and-restart re-reads nothing twice (the
 * store's mark).  When the stream is live (its time within an hour of the
 * clock), the clock also moves the watermark, so quiet intervals close
 * even when no post arrives.  Minute buckets that arrive for an interval
 * already closed are counted in the store but not by the detectors
 * (late_minutes says how many).
 *
 * State in memory per topic: a spike detector and a shift detector (about
 * 500 bytes), and the counts of the intervals not closed yet.  At start
 * the detectors learn from the hour buckets of the week before the first
 * interval (each hour as twelve intervals of a twelfth of its count), so
 * that a restart does not forget the baselines. */
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

/* ---- small helpers ---- */

void engine__fmt_time(char *out, int64_t t)
{
	char ts[HORCH_TIME_BUFSZ];

	snprintf(out, HORCH_TIME_BUFSZ, "%s", horch_time_format(t, ts));
}

/* A span for people: "4 h", "90 min", "45 s". */
void engine__span_text(char *out, size_t size, int64_t ms)
{
	if (ms >= MS_HOUR && ms % MS_HOUR == 0)
		snprintf(out, size, "%lld h", (long long)(ms / MS_HOUR));
	else if (ms >= MS_MIN && ms % MS_MIN == 0)
		snprintf(out, size, "%lld min", (long long)(ms / MS_MIN));
	else
		snprintf(out, size, "%lld s", (long long)(ms / 1000));
}

struct subject *engine__subject_of(struct engine *e, int64_t id)
{
	size_t lo = 0, hi = e->n_subj;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->subj[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->n_subj && e->subj[lo].id == id ? &e->subj[lo] : NULL;
}

/* ---- pending counts: (topic, interval) -> counts ---- */

static size_t pend_hash(int64_t topic, int64_t t, size_t cap)
{
	uint64_t h = (uint64_t)topic * 0x9E3779B97F4A7C15ull ^ (uint64_t)t * 0xC2B2AE3D27D4EB4Full;

	return (size_t)(h ^ (h >> 31)) & (cap - 1);
}

struct pend *engine__pend_find(struct engine *e, int64_t topic, int64_t t, int make)
{
	size_t i;

	if (make && 2 * (e->pend_n + 1) > e->pend_cap) {
		struct pend *old = e->pend;
		size_t old_cap = e->pend_cap;

		e->pend_cap = old_cap ? 2 * old_cap : 1024;
		e->pend = horch_xcalloc(e->pend_cap, sizeof *e->pend);
		e->pend_n = 0;
		for (size_t k = 0; k < old_cap; k++)
			if (old[k].used) {
				*engine__pend_find(e, old[k].topic, old[k].t, 1) = old[k];
			}
		free(old);
	}
	if (!e->pend_cap)
		return NULL;
	i = pend_hash(topic, t, e->pend_cap);
	while (e->pend[i].used && !(e->pend[i].topic == topic && e->pend[i].t == t))
		i = (i + 1) & (e->pend_cap - 1);
	if (!e->pend[i].used) {
		if (!make)
			return NULL;
		memset(&e->pend[i], 0, sizeof e->pend[i]);
		e->pend[i].used = 1;
		e->pend[i].topic = topic;
		e->pend[i].t = t;
		e->pend_n++;
	}
	return &e->pend[i];
}

/* Drop the entries of intervals before t (closed), rebuilding the table. */
static void pend_drop_before(struct engine *e, int64_t t)
{
	struct pend *old = e->pend;
	size_t old_cap = e->pend_cap, keep = 0;

	for (size_t k = 0; k < old_cap; k++)
		keep += old[k].used && old[k].t >= t;
	if (keep == e->pend_n)
		return;
	e->pend = NULL;
	e->pend_cap = e->pend_n = 0;
	for (size_t k = 0; k < old_cap; k++)
		if (old[k].used && old[k].t >= t)
			*engine__pend_find(e, old[k].topic, old[k].t, 1) = old[k];
	free(old);
}

/* Drop the entries of intervals from t on. */
static void pend_drop_from(struct engine *e, int64_t t)
{
	for (size_t k = 0; k < e->pend_cap; k++)
		if (e->pend[k].used && e->pend[k].t >= t) {
			e->pend[k].vol = e->pend[k].pos = e->pend[k].neg = e->pend[k].neu = 0;
		}
}

/* store_signals_update()'s report of one minute bucket. */
static int on_minute(void *ctx, const struct store_bucket *b)
{
	struct engine *e = ctx;
	int64_t iv = horch_time_floor(b->t, e->o.step_ms);
	struct pend *p;

	/* A post dated more than a day ahead of the clock (a wrong date at
	 * its source) would move the stream's time to it: counted in the
	 * buckets, not by the detectors. */
	if (b->t > e->now + MS_DAY) {
		e->stats.late_minutes++;
		return 0;
	}
	if (b->t + MS_MIN > e->wm)
		e->wm = b->t + MS_MIN;
	/* Before the first interval is closed, every minute counts: the
	 * first interval is the earliest of them (tick() sets next). */
	if (!e->first || iv < e->first)
		e->first = iv;
	if (b->scope != STORE_SCOPE_TOPIC)
		return 0;
	if (e->next && iv < e->next) {
		e->stats.late_minutes++;
		horch_log(LOG_DEBUG, "signals", "late topic=%lld minute=%lld posts=%lld",
			  (long long)b->ref, (long long)b->t, (long long)b->volume);
		return 0;
	}
	p = engine__pend_find(e, b->ref, iv, 1);
	p->vol += (double)b->volume;
	p->pos += (double)b->positive;
	p->neg += (double)b->negative;
	p->neu += (double)b->neutral;
	return 0;
}

/* ---- topics, products, rules ---- */

struct topic_list {
	struct subject *v;
	size_t n, cap;
};

static int add_topic(void *ctx, const struct store_topic *t)
{
	struct topic_list *l = ctx;

	l->v = horch_xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	l->v[l->n].id = t->id;
	l->v[l->n].name = horch_xstrdup(t->name);
	l->v[l->n].team = horch_xstrdup(t->team);
	l->n++;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct subject *)a)->id, y = ((const struct subject *)b)->id;

	return x < y ? -1 : x > y;
}

static void subject_free(struct subject *s)
{
	free(s->name);
	free(s->team);
	spike_free(s->spike);
	shift_free(s->shift);
}

/* Warm the detectors of s up with its hour buckets of the week before
 * `before`: each hour as its intervals of an equal share of its count, the
 * hours without posts as zeros (as the live engine feeds them), from the
 * topic's first hour with posts on. */
struct warm {
	int64_t t0;
	double vol[7 * 24], pos[7 * 24], neg[7 * 24], neu[7 * 24];
	int any[7 * 24];
};

static int warm_hour(void *ctx, const struct store_bucket *b)
{
	struct warm *w = ctx;
	int64_t h = (b->t - w->t0) / MS_HOUR;

	if (h >= 0 && h < 7 * 24) {
		w->vol[h] = (double)b->volume;
		w->pos[h] = (double)b->positive;
		w->neg[h] = (double)b->negative;
		w->neu[h] = (double)b->neutral;
		w->any[h] = 1;
	}
	return 0;
}

static void warm_up(struct engine *e, struct subject *s, int64_t before)
{
	struct horch_err err;
	struct warm *w = horch_xcalloc(1, sizeof *w);
	int64_t until = horch_time_floor(before, MS_HOUR), step = e->o.step_ms;
	int h, started = 0;

	w->t0 = until - 7 * MS_DAY;
	if (store_buckets(e->st, STORE_SCOPE_TOPIC, &s->id, 1, 3600, w->t0, until, warm_hour, w,
			  &err) && err.code != HORCH_ESTOP)
		horch_log(LOG_WARN, "signals", "warm-up topic=%lld error=\"%s\"", (long long)s->id,
			  err.msg);
	for (h = 0; h < 7 * 24; h++) {
		int64_t t0 = w->t0 + h * MS_HOUR;

		started |= w->any[h];
		if (!started)
			continue;
		for (int64_t t = t0; t < t0 + MS_HOUR; t += step)
			spike_update(s->spike, t, w->vol[h] * (double)step / (double)MS_HOUR);
		shift_update(s->shift, t0, w->pos[h], w->neg[h], w->neu[h]);
	}
	free(w);
}

/* Read the topics again when they changed: new ones get detectors (warmed
 * up once the stream's time is known), deleted ones lose theirs. */
static void load_topics(struct engine *e)
{
	struct topic_list l = { 0 };
	struct horch_err err;
	int64_t v = 0;

	if (store_topics_version(e->st, &v, &err) == 0 && v == e->topics_version && e->subj)
		return;
	if (store_topic_list(e->st, add_topic, &l, &err)) {
		horch_log(LOG_WARN, "signals", "topics error=\"%s\"", err.msg);
		free(l.v);
		return;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, by_id);
	for (size_t i = 0; i < l.n; i++) {
		struct subject *old = engine__subject_of(e, l.v[i].id);

		if (old) {
			l.v[i].spike = old->spike;
			l.v[i].shift = old->shift;
			old->spike = NULL;
			old->shift = NULL;
		} else {
			l.v[i].spike = spike_new(&(struct spike_opts){ .step_ms = e->o.step_ms });
			l.v[i].shift = shift_new(NULL);
			if (e->next)
				warm_up(e, &l.v[i], e->next);
		}
	}
	for (size_t i = 0; i < e->n_subj; i++)
		subject_free(&e->subj[i]);
	free(e->subj);
	e->subj = l.v;
	e->n_subj = l.n;
	e->topics_version = v;
}

static int add_product(void *ctx, const struct store_product *p)
{
	struct engine *e = ctx;

	e->prod = horch_xrealloc(e->prod, (e->n_prod + 1) * sizeof *e->prod);
	e->prod[e->n_prod].id = p->id;
	e->prod[e->n_prod].name = horch_xstrdup(p->name);
	e->prod[e->n_prod].created_at = p->created_at;
	e->n_prod++;
	return 0;
}

static void load_products(struct engine *e)
{
	struct horch_err err;

	for (size_t i = 0; i < e->n_prod; i++)
		free(e->prod[i].name);
	free(e->prod);
	e->prod = NULL;
	e->n_prod = 0;
	if (store_product_list(e->st, add_product, e, &err))
		horch_log(LOG_WARN, "signals", "products error=\"%s\"", err.msg);
}

static void copy_rule(struct alert_rule *d, const struct alert_rule *s)
{
	struct buf b;
	json_t *o;
	struct horch_err err;

	/* Through the JSON form: one way to copy every member. */
	buf_init(&b, BUF_NOLIMIT);
	alert_rule_json(&b, s);
	o = json_loads(b.ptr, 0, NULL);
	memset(d, 0, sizeof *d);
	if (!o || alert_rule_from_json(d, o, &err))
		horch_log(LOG_ERROR, "signals", "rule=%s copy error", s->name);
	d->origin = s->origin;
	json_decref(o);
	buf_cleanup(&b);
}

struct rule_list {
	struct alert_rule *v;
	size_t n;
};

static int add_db_rule(void *ctx, const char *name, const char *spec)
{
	struct rule_list *l = ctx;
	json_t *o = json_loads(spec, 0, NULL);
	struct horch_err err;

	l->v = horch_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof *l->v);
	if (!o || alert_rule_from_json(&l->v[l->n], o, &err)) {
		horch_log(LOG_WARN, "signals", "rule=\"%s\" skipped error=\"%s\"", name,
			  o ? err.msg : "not JSON");
		alert_rule_cleanup(&l->v[l->n]);
	} else {
		l->v[l->n].origin = ALERT_ORIGIN_API;
		l->n++;
	}
	json_decref(o);
	return 0;
}

static void load_rules(struct engine *e)
{
	struct rule_list l = { 0 };
	struct horch_err err;

	struct alert_rule *v, *old;
	size_t n, n_old;

	if (store_rule_list(e->st, add_db_rule, &l, &err))
		horch_log(LOG_WARN, "signals", "rules error=\"%s\"", err.msg);
	if (!e->n_cfg && !l.n && e->o.default_rules) {
		alert_rules_default(&v, &n);
		alert_rules_free(l.v, l.n);
	} else {
		n = e->n_cfg + l.n;
		v = horch_xcalloc(n ? n : 1, sizeof *v);
		for (size_t i = 0; i < e->n_cfg; i++)
			copy_rule(&v[i], &e->cfg[i]);
		for (size_t i = 0; i < l.n; i++)
			v[e->n_cfg + i] = l.v[i];
		free(l.v);
	}
	/* Other threads read the rules under the lock (engine_rules_json()). */
	pthread_mutex_lock(&e->lock);
	old = e->rules;
	n_old = e->n_rules;
	e->rules = v;
	e->n_rules = n;
	pthread_mutex_unlock(&e->lock);
	alert_rules_free(old, n_old);
}

void engine_rules_json(struct engine *e, struct buf *b)
{
	buf_puts(b, "{\"rules\":[");
	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < e->n_rules; i++) {
		if (i)
			buf_putc(b, ',');
		alert_rule_json(b, &e->rules[i]);
	}
	pthread_mutex_unlock(&e->lock);
	buf_puts(b, "]}");
}

int engine_rule_origin(struct engine *e, const char *name)
{
	int origin = -1;

	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < e->n_rules && origin < 0; i++)
		if (strcasecmp(e->rules[i].name, name) == 0)
			origin = (int)e->rules[i].origin;
	pthread_mutex_unlock(&e->lock);
	return origin;
}

/* ---- the thread ---- */

static int refill_one(void *ctx, const struct store_bucket *b)
{
	struct engine *e = ctx;
	struct pend *p = engine__pend_find(e, b->ref, horch_time_floor(b->t, e->o.step_ms), 1);

	p->vol += (double)b->volume;
	p->pos += (double)b->positive;
	p->neg += (double)b->negative;
	p->neu += (double)b->neutral;
	return 0;
}

/* A restarted engine picks up where the stream was: the interval of the
 * newest minute stored before (newest, 0: a new database) is the first it
 * closes, with its counts from the minute buckets (they hold the posts the
 * first update added too, so the counts replace what on_minute added). */
static void resume(struct engine *e, int64_t newest)
{
	struct horch_err err;
	int64_t iv;

	if (newest <= 0 || newest > e->now + MS_DAY)
		return;
	iv = horch_time_floor(newest, e->o.step_ms);
	pend_drop_from(e, iv);
	if (store_buckets(e->st, STORE_SCOPE_TOPIC, NULL, 0, 60, iv, INT64_MAX, refill_one, e,
			  &err))
		horch_log(LOG_WARN, "signals", "resume error=\"%s\"", err.msg);
	if (!e->first || iv < e->first)
		e->first = iv;
	if (newest + MS_MIN > e->wm)
		e->wm = newest + MS_MIN;
}

/* Whether engine_stop() was called (checked between intervals). */
static int stopping(struct engine *e)
{
	int stop;

	pthread_mutex_lock(&e->lock);
	stop = e->stop;
	pthread_mutex_unlock(&e->lock);
	return stop;
}

static void tick(struct engine *e)
{
	struct store_signals_opts so = { 0 };
	struct store_signals_done done;
	struct horch_err err;
	int64_t now = horch_now(), wm;
	int rounds = 0;

	pthread_mutex_lock(&e->lock);
	if (e->rules_dirty) {
		e->rules_dirty = 0;
		pthread_mutex_unlock(&e->lock);
		load_rules(e);
	} else {
		pthread_mutex_unlock(&e->lock);
	}
	e->now = now;
	load_topics(e);
	so.accounts = (const char *const *)e->accounts;
	so.n_accounts = e->o.n_accounts;
	so.on_minute = on_minute;
	so.ctx = e;
	do {
		if (store_signals_update(e->st, &so, &done, &err)) {
			horch_log(LOG_ERROR, "signals", "update error=\"%s\"", err.msg);
			break;
		}
		if (!rounds && !e->started) {
			e->started = 1;
			resume(e, done.newest_before);
		}
		e->stats.posts += (uint64_t)done.posts;
	} while (done.more && ++rounds < 50);
	if (!e->next && e->first) {
		/* The first interval is known: the detectors learn the week
		 * before it. */
		e->next = e->first;
		for (size_t i = 0; i < e->n_subj; i++)
			warm_up(e, &e->subj[i], e->next);
	}
	if (!e->next)
		goto deliveries;
	/* The stream's time as it was a second ago: the posts of one ingest
	 * call are committed in batches that need not be in time order (the
	 * analysis workers run side by side), so a replay played fast can show
	 * a later minute before an earlier one is in.  A second of the clock
	 * is far more than a call takes to commit. */
	if (now - e->sample_at >= 1000) {
		e->settled = e->sample;
		e->sample = e->wm;
		e->sample_at = now;
	}
	wm = e->settled < e->wm ? e->settled : e->wm;
	if (now - e->wm < MS_HOUR && now > e->wm)
		wm = now;  /* live: the clock closes quiet intervals */
	if (wm > now)
		wm = now;  /* a minute bucket's end is not yet reached */
	/* A stream that jumps (a post dated years back, a long outage) is a
	 * gap for the detectors, not millions of empty intervals. */
	if (wm - e->next > MAX_CATCH_UP_MS)
		e->next = horch_time_floor(wm - MAX_CATCH_UP_MS, e->o.step_ms);
	while (e->next + e->o.step_ms + e->o.lateness_ms <= wm && !stopping(e)) {
		int64_t t = e->next, end = t + e->o.step_ms;

		engine__close_interval(e, t);
		e->next = end;
		for (size_t r = 0; r < e->n_rules; r++)
			if (e->rules[r].signal == ALERT_UNANSWERED)
				engine__check_unanswered(e, r, end);
		if (end / MS_HOUR != e->last_hour) {
			e->last_hour = end / MS_HOUR;
			load_products(e);
			for (size_t r = 0; r < e->n_rules; r++)
				if (e->rules[r].signal == ALERT_RATING)
					engine__check_ratings(e, r, end);
			engine__resolve_quiet(e, end);
		}
	}
	pend_drop_before(e, e->next);
	e->stats.watermark = e->next;
deliveries:
	/* The sources' health every 10 s of the clock: a handful of small
	 * queries, and an erroring source is seen at once. */
	if (now / SOURCE_CHECK_MS != e->last_wall_minute) {
		e->last_wall_minute = now / SOURCE_CHECK_MS;
		for (size_t r = 0; r < e->n_rules; r++)
			if (e->rules[r].signal == ALERT_SOURCE)
				engine__check_sources(e, r, now);
	}
	if (now / MS_HOUR != e->last_wall_hour) {
		char ts[HORCH_TIME_BUFSZ];

		/* Once an hour, what the engine did, for the operators. */
		if (e->last_wall_hour)
			horch_log(LOG_INFO, "signals", "ticks=%llu posts=%llu intervals=%llu "
				  "alerts_new=%llu alerts_bumped=%llu alerts_cooling=%llu "
				  "late_minutes=%llu deliveries_sent=%llu deliveries_failed=%llu "
				  "stream_time=%s", (unsigned long long)e->stats.ticks,
				  (unsigned long long)e->stats.posts,
				  (unsigned long long)e->stats.intervals,
				  (unsigned long long)e->stats.alerts_new,
				  (unsigned long long)e->stats.alerts_bumped,
				  (unsigned long long)e->stats.alerts_cooling,
				  (unsigned long long)e->stats.late_minutes,
				  (unsigned long long)e->stats.deliveries_sent,
				  (unsigned long long)e->stats.deliveries_failed,
				  e->next ? horch_time_format(e->next, ts) : "none");
		e->last_wall_hour = now / MS_HOUR;
		if (!e->n_prod)
			load_products(e);
		for (size_t r = 0; r < e->n_rules; r++)
			if (e->rules[r].signal == ALERT_RESONANCE)
				engine__check_resonance(e, r, now);
	}
	engine__settle_deliveries(e);
	engine__watch_alerts(e);
	e->stats.ticks++;
}

static void *engine_main(void *arg)
{
	struct engine *e = arg;

	for (;;) {
		struct timespec until;
		int64_t deadline = horch_now() + e->o.tick_ms;

		tick(e);
		pthread_mutex_lock(&e->lock);
		until.tv_sec = (time_t)(deadline / 1000);
		until.tv_nsec = (long)(deadline % 1000) * 1000000L;
		while (!e->stop && !e->kicked && !e->n_res) {
			if (pthread_cond_timedwait(&e->wake, &e->lock, &until))
				break;
		}
		e->kicked = 0;
		if (e->stop) {
			pthread_mutex_unlock(&e->lock);
			break;
		}
		pthread_mutex_unlock(&e->lock);
	}
	return NULL;
}

int engine_start(struct engine **out, const struct engine_opts *o, struct horch_err *err)
{
	struct engine *e = horch_xcalloc(1, sizeof *e);
	int rc;

	e->o = *o;
	if (e->o.tick_ms <= 0)
		e->o.tick_ms = 2000;
	if (e->o.step_ms <= 0)
		e->o.step_ms = 5 * MS_MIN;
	if (e->o.lateness_ms < 0)
		e->o.lateness_ms = 2 * MS_MIN;
	e->o.link_base = o->link_base ? horch_xstrdup(o->link_base) : NULL;
	e->o.db = NULL;
	e->accounts = horch_xcalloc(o->n_accounts + 1, sizeof *e->accounts);
	for (size_t i = 0; i < o->n_accounts; i++)
		e->accounts[i] = horch_xstrdup(o->accounts[i]);
	e->o.accounts = NULL;
	e->n_cfg = o->n_rules;
	e->cfg = horch_xcalloc(o->n_rules ? o->n_rules : 1, sizeof *e->cfg);
	for (size_t i = 0; i < o->n_rules; i++)
		copy_rule(&e->cfg[i], &o->rules[i]);
	e->o.rules = NULL;
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->wake, NULL);
	if ((rc = store_open(&e->st, o->db, NULL, err)) ||
	    (rc = deliver_new(&e->dl, &o->deliver, engine__on_result, e, err)))
		goto fail;
	load_rules(e);
	{
		/* The deliverer's queue was in memory: what a stopped server
		 * left pending or held is not coming (a webhook's secret is
		 * not stored to send it again), and says so. */
		int64_t n = 0;

		if (store_deliveries_abandon(e->st, "not sent: the server stopped before",
					     horch_now(), &n, err) == 0 && n)
			horch_log(LOG_WARN, "signals", "deliveries=%lld msg=\"left unsent by the "
				  "last run; marked failed\"", (long long)n);
	}
	if (pthread_create(&e->thread, NULL, engine_main, e)) {
		rc = horch_err_set(err, HORCH_EIO, "signals: cannot start the engine's thread");
		goto fail;
	}
	*out = e;
	return 0;
fail:
	e->stop = 1;
	engine_stop(e, 0);
	*out = NULL;
	return rc;
}

void engine_kick(struct engine *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	e->kicked = 1;
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
}

void engine_rules_changed(struct engine *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	e->rules_dirty = 1;
	e->kicked = 1;
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
}


void engine_stop(struct engine *e, long wait_ms)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	int started = !e->stop;

	e->stop = 1;
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
	if (started)
		pthread_join(e->thread, NULL);
	deliver_free(e->dl, wait_ms);
	if (e->st)
		engine__settle_deliveries(e);
	for (size_t i = 0; i < e->n_held; i++) {
		free((char *)e->held[i].job.url);
		free((char *)e->held[i].job.to);
		engine__held_free(&e->held[i]);
	}
	free(e->held);
	for (size_t i = 0; i < e->n_subj; i++)
		subject_free(&e->subj[i]);
	free(e->subj);
	for (size_t i = 0; i < e->n_prod; i++)
		free(e->prod[i].name);
	free(e->prod);
	free(e->pend);
	free(e->watch);
	alert_rules_free(e->rules, e->n_rules);
	alert_rules_free(e->cfg, e->n_cfg);
	for (size_t i = 0; i < e->o.n_accounts; i++)
		free(e->accounts[i]);
	free(e->accounts);
	free((char *)e->o.link_base);
	store_close(e->st);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->wake);
	free(e);
}
