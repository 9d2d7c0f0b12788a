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
#include "alert.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
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

#define MS_MIN 60000LL
#define MS_HOUR 3600000LL
#define MS_DAY 86400000LL
#define SERIES_HOURS 6        /* the chart window of a spike's evidence */
#define TOP_POSTS 5
#define TOP_TERMS 8
#define RESOLVE_AFTER_MS (2 * MS_HOUR)  /* a quiet spike or shift alert resolves itself */
#define MAX_CATCH_UP_MS (8 * MS_DAY)    /* intervals closed at most behind the stream's time */

/* One topic the detectors follow. */
struct subject {
	int64_t id;
	char *name, *team;
	struct spike *spike;
	struct shift *shift;
};

/* The counts of one (topic, interval) not closed yet. */
struct pend {
	int64_t topic, t;
	int used;
	double vol, pos, neg, neu;
};

struct product {
	int64_t id;
	char *name;
	int64_t created_at;
};

/* A delivery waiting for its result or for quiet hours to end. */
struct held {
	int64_t delivery_id;
	int quiet_from, quiet_to; /* the rule's quiet hours (minutes of the day UTC) */
	struct deliver_job job;   /* strings owned */
	char *buf[8];
};

/* An active alert as the engine last saw it (watch_alerts()). */
struct watch {
	int64_t id, fired;
	char state;  /* 'o' open, 'a' acked */
};

/* A result of the deliverer, waiting to be written by the engine thread. */
struct result {
	int64_t delivery_id;
	int ok, attempts;
	char *error;
};

struct engine {
	struct engine_opts o;
	char **accounts;
	struct alert_rule *cfg;          /* the configuration's rules (copied) */
	size_t n_cfg;
	struct alert_rule *rules;        /* in force: configuration, database, or defaults */
	size_t n_rules;
	struct store *st;
	struct deliver *dl;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop, kicked, rules_dirty;
	/* engine thread only */
	struct subject *subj;            /* by id */
	size_t n_subj;
	struct product *prod;
	size_t n_prod;
	int64_t topics_version;
	struct pend *pend;
	size_t pend_cap, pend_n;
	int64_t wm;                      /* the stream time reached (end of the newest minute) */
	int64_t next;                    /* the start of the next interval to close; 0: none yet */
	int64_t first;                   /* the earliest interval seen (sets next once) */
	int64_t now;                     /* the clock at the start of the tick */
	int started;                     /* the first update was made */
	int64_t settled, sample, sample_at; /* the stream time a second ago (see tick()) */
	int64_t last_hour;               /* the last hour the ratings were checked */
	int64_t last_wall_hour;          /* the last wall-clock hour of the resonance check */
	struct held *held;
	size_t n_held;
	struct watch *watch;             /* the active alerts as last seen */
	size_t n_watch;
	/* under lock */
	struct result *res;
	size_t n_res;
	struct {
		uint64_t ticks, posts, intervals, alerts_new, alerts_bumped, alerts_cooling;
		uint64_t late_minutes;  /* minute buckets after their interval was closed */
		uint64_t deliveries_sent, deliveries_failed;
		int64_t watermark;
	} stats;                         /* engine thread only; logged once an hour */
};

/* ---- small helpers ---- */

static int64_t floor_to(int64_t t, int64_t step)
{
	int64_t q = t / step;

	if (t % step < 0)
		q--;
	return q * step;
}

static void fmt_time(char *out, int64_t t)
{
	char ts[HORCH_TIME_BUFSZ];

	snprintf(out, HORCH_TIME_BUFSZ, "%s", horch_time_format(t, ts));
}

/* A span for people: "4 h", "90 min", "45 s". */
static void span_text(char *out, size_t size, int64_t ms)
{
	if (ms >= MS_HOUR && ms % MS_HOUR == 0)
		snprintf(out, size, "%lld h", (long long)(ms / MS_HOUR));
	else if (ms >= MS_MIN && ms % MS_MIN == 0)
		snprintf(out, size, "%lld min", (long long)(ms / MS_MIN));
	else
		snprintf(out, size, "%lld s", (long long)(ms / 1000));
}

static struct subject *subject_of(struct engine *e, int64_t id)
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

static struct pend *pend_find(struct engine *e, int64_t topic, int64_t t, int make)
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
				*pend_find(e, old[k].topic, old[k].t, 1) = old[k];
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
			*pend_find(e, old[k].topic, old[k].t, 1) = old[k];
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
	int64_t iv = floor_to(b->t, e->o.step_ms);
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
	p = pend_find(e, b->ref, iv, 1);
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
	int64_t until = floor_to(before, MS_HOUR), step = e->o.step_ms;
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
		struct subject *old = subject_of(e, l.v[i].id);

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

/* ---- evidence ---- */

struct series {
	int64_t t0, step;
	double *v;
	size_t n;
};

static int series_add(void *ctx, const struct store_bucket *b)
{
	struct series *s = ctx;
	int64_t i = (b->t - s->t0) / s->step;

	if (i >= 0 && (size_t)i < s->n)
		s->v[i] += (double)b->volume;
	return 0;
}

struct top_posts {
	struct post_pick {
		int64_t id, created_at;
		double priority;
		char *author, *text, *url;
	} v[TOP_POSTS];
	size_t n;
};

static int pick_post(void *ctx, const struct post *p)
{
	struct top_posts *tp = ctx;
	size_t i = tp->n;
	double pr = p->priority + (p->reach > 0 ? p->reach : 0);

	if (tp->n == TOP_POSTS) {
		if (pr <= tp->v[TOP_POSTS - 1].priority)
			return 0;
		i = TOP_POSTS - 1;
		free(tp->v[i].author);
		free(tp->v[i].text);
		free(tp->v[i].url);
	} else {
		tp->n++;
	}
	while (i > 0 && tp->v[i - 1].priority < pr) {
		tp->v[i] = tp->v[i - 1];
		i--;
	}
	tp->v[i].id = p->id;
	tp->v[i].created_at = p->created_at;
	tp->v[i].priority = pr;
	tp->v[i].author = horch_xstrdup(p->author);
	{
		const char *t = p->text ? p->text : (p->title ? p->title : "");
		size_t len = strnlen(t, 500);

		/* Cut on a character boundary, not inside a UTF-8 sequence. */
		while (len && len < strlen(t) && ((unsigned char)t[len] & 0xC0) == 0x80)
			len--;
		tp->v[i].text = horch_xstrndup(t, len);
	}
	tp->v[i].url = horch_xstrdup(p->url);
	return 0;
}

static int trend_text(void *ctx, int64_t id, int64_t created_at, const char *title,
		      const char *text)
{
	void **c = ctx;

	(void)id;
	(void)created_at;
	trend_add(c[0], (enum trend_period)(intptr_t)c[1], title, text);
	return 0;
}

/* Append ,"posts":[...] and (with_terms) ,"terms":[...] for topic over
 * [since, until) to b. */
static void evidence_posts_terms(struct engine *e, struct buf *b, int64_t topic,
				 const char *intent, int64_t since, int64_t until, int with_terms)
{
	struct store_query q;
	struct top_posts tp = { 0 };
	struct horch_err err;
	struct trend *tr = trend_new();
	struct trend_term terms[TOP_TERMS];
	size_t n_terms;
	char ts[HORCH_TIME_BUFSZ];

	store_query_init(&q);
	q.topic = topic;
	q.since = since;
	q.until = until;
	q.intent = intent;
	q.limit = 500;
	if (store_search(e->st, &q, pick_post, &tp, &err) && err.code != HORCH_ESTOP)
		horch_log(LOG_WARN, "signals", "evidence error=\"%s\"", err.msg);
	buf_puts(b, ",\"posts\":[");
	for (size_t i = 0; i < tp.n; i++) {
		buf_printf(b, "%s{\"id\":%lld,\"author\":", i ? "," : "", (long long)tp.v[i].id);
		if (tp.v[i].author)
			json_put_string(b, tp.v[i].author);
		else
			buf_puts(b, "null");
		buf_puts(b, ",\"text\":");
		json_put_string(b, tp.v[i].text);
		buf_puts(b, ",\"created_at\":");
		if (tp.v[i].created_at != HORCH_TIME_NONE)
			buf_printf(b, "\"%s\"", horch_time_format(tp.v[i].created_at, ts));
		else
			buf_puts(b, "null");
		buf_puts(b, ",\"url\":");
		if (tp.v[i].url)
			json_put_string(b, tp.v[i].url);
		else
			buf_puts(b, "null");
		buf_putc(b, '}');
		free(tp.v[i].author);
		free(tp.v[i].text);
		free(tp.v[i].url);
	}
	buf_putc(b, ']');
	if (!with_terms) {
		trend_free(tr);
		return;
	}
	buf_puts(b, ",\"terms\":[");
	{
		void *c[2] = { tr, (void *)(intptr_t)TREND_WINDOW };

		/* What the window says that the whole stream of the day before
		 * did not: the topic's own words rise too, as they should (a
		 * topic's own earlier posts would hide them). */
		store_post_texts(e->st, topic, since, until, 2000, trend_text, c, &err);
		c[1] = (void *)(intptr_t)TREND_BASELINE;
		store_post_texts(e->st, 0, since - MS_DAY, since, 5000, trend_text, c, &err);
	}
	n_terms = trend_rank(tr, terms, TOP_TERMS);
	for (size_t i = 0; i < n_terms; i++) {
		buf_printf(b, "%s{\"term\":", i ? "," : "");
		json_put_string(b, terms[i].term);
		buf_printf(b, ",\"count\":%lld}", (long long)terms[i].count);
	}
	buf_putc(b, ']');
	trend_free(tr);
}

/* Append "series":{...} of topic: its counts per step over the SERIES_HOURS
 * before until.  *median gets the median count of the steps before since. */
static void evidence_series(struct engine *e, struct buf *b, int64_t topic, int64_t since,
			    int64_t until, double *median)
{
	struct series s;
	struct horch_err err;
	char ts[HORCH_TIME_BUFSZ];
	double *sorted;
	size_t n_before;

	s.step = e->o.step_ms;
	s.t0 = floor_to(until - SERIES_HOURS * MS_HOUR, s.step);
	s.n = (size_t)((until - s.t0 + s.step - 1) / s.step);
	s.v = horch_xcalloc(s.n, sizeof *s.v);
	store_buckets(e->st, STORE_SCOPE_TOPIC, &topic, 1, 60, s.t0, until, series_add, &s, &err);
	buf_printf(b, "\"series\":{\"t0\":\"%s\",\"step_s\":%lld,\"counts\":[",
		   horch_time_format(s.t0, ts), (long long)(s.step / 1000));
	for (size_t i = 0; i < s.n; i++)
		buf_printf(b, "%s%.0f", i ? "," : "", s.v[i]);
	buf_puts(b, "]}");
	n_before = (size_t)((since - s.t0) / s.step);
	if (n_before > s.n)
		n_before = s.n;
	*median = 0;
	if (n_before) {
		sorted = horch_xmalloc(n_before * sizeof *sorted);
		memcpy(sorted, s.v, n_before * sizeof *sorted);
		for (size_t i = 1; i < n_before; i++)
			for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
				double x = sorted[j];

				sorted[j] = sorted[j - 1];
				sorted[j - 1] = x;
			}
		*median = n_before % 2 ? sorted[n_before / 2] :
			  (sorted[n_before / 2 - 1] + sorted[n_before / 2]) / 2;
		free(sorted);
	}
	free(s.v);
}

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

static const char *product_name(struct engine *e, int64_t id)
{
	for (size_t i = 0; i < e->n_prod; i++)
		if (e->prod[i].id == id)
			return e->prod[i].name;
	return NULL;
}

/* Publish the alert id (as the store has it now) on the bus. */
static void publish(struct engine *e, int64_t id)
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
	s = a.topic_id ? subject_of(e, a.topic_id) : NULL;
	buf_init(&b, BUF_NOLIMIT);
	alert_json(&b, &a, s ? s->name : NULL, a.product_id ? product_name(e, a.product_id) : NULL);
	ev = bus_event_new(BUS_ALERT, 0, 0, NULL, 0, b.ptr, b.len);
	bus_publish(e->o.bus, &ev, 1);
	bus_event_unref(ev);
	buf_cleanup(&b);
	store_alert_cleanup(&a);
}

static void held_free(struct held *h)
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
			held_free(&h);
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
			held_free(&h);
		}
	}
	buf_cleanup(&json);
	buf_cleanup(&link);
}

/* Raise an alert of rule ri about a topic or a product; evidence is the
 * JSON object's members (without braces).  Returns the enum store_raise,
 * or -1 when it could not be stored. */
static int raise_alert(struct engine *e, size_t ri, const char *kind, int64_t topic_id,
		       int64_t product_id, int64_t at, const char *title, const char *summary,
		       const char *evidence, const char *team)
{
	int result = -1;
	const struct alert_rule *r = &e->rules[ri];
	struct store_alert a;
	struct buf key, ev, rec;
	enum store_raise how;
	struct horch_err err;
	struct subject *s = topic_id ? subject_of(e, topic_id) : NULL;

	buf_init(&key, BUF_NOLIMIT);
	buf_init(&ev, BUF_NOLIMIT);
	buf_init(&rec, BUF_NOLIMIT);
	if (topic_id)
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
	if (store_alert_raise(e->st, &a, r->cooldown_ms, !strcmp(kind, "unanswered"), &how,
			      &err)) {
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
		publish(e, a.id);
		goto out;
	}
	e->stats.alerts_new++;
	{
		char ts[HORCH_TIME_BUFSZ];

		horch_log(LOG_INFO, "signals", "alert=%lld rule=%s kind=%s key=%s at=%s title=\"%s\"",
			  (long long)a.id, r->name, kind, key.ptr, horch_time_format(at, ts), title);
	}
	publish(e, a.id);
	{
		struct store_alert full;

		memset(&full, 0, sizeof full);
		if (store_alert_get(e->st, a.id, &full, &err) == 0)
			deliver_alert(e, r, &full, s ? s->name : NULL,
				      product_id ? product_name(e, product_id) : NULL);
		store_alert_cleanup(&full);
	}
out:
	buf_cleanup(&key);
	buf_cleanup(&ev);
	buf_cleanup(&rec);
	return result;
}

/* ---- the signals ---- */

/* Whether rule ri has an open alert about topic: then a firing only bumps
 * it, and its evidence (the onset's, kept) need not be computed.  Should
 * someone resolve it between this check and the raise, the new alert gets
 * the short form; it is the next firing that has the evidence. */
static int is_open(struct engine *e, size_t ri, int64_t topic)
{
	char key[40];
	int64_t id = 0;
	struct horch_err err;

	snprintf(key, sizeof key, "topic:%lld", (long long)topic);
	return store_alert_open_id(e->st, e->rules[ri].name, key, &id, &err) == 0 && id > 0;
}

static void on_spike(struct engine *e, size_t ri, struct subject *s, int64_t t, double score,
		     double observed)
{
	struct buf ev;
	char title[400], summary[600], from[HORCH_TIME_BUFSZ], to[HORCH_TIME_BUFSZ];
	double median;
	int64_t until = t + e->o.step_ms;

	if (is_open(e, ri, s->id)) {
		snprintf(title, sizeof title, "Buzz on %s", s->name);
		raise_alert(e, ri, "spike", s->id, 0, t, title, "", "", s->team);
		return;
	}
	buf_init(&ev, BUF_NOLIMIT);
	evidence_series(e, &ev, s->id, t, until, &median);
	fmt_time(from, t);
	fmt_time(to, until);
	buf_printf(&ev, ",\"window\":[\"%s\",\"%s\"],\"score\":%.4f,\"observed\":%.0f,"
		   "\"median\":%.1f", from, to, score, observed, median);
	evidence_posts_terms(e, &ev, s->id, NULL, t, until, 1);
	if (median > 0)
		snprintf(title, sizeof title, "Buzz on %s: %.0f posts in %lld minutes, %.1f× the "
			 "usual", s->name, observed, (long long)(e->o.step_ms / MS_MIN),
			 observed / median);
	else
		snprintf(title, sizeof title, "Buzz on %s: %.0f posts in %lld minutes, from "
			 "almost none", s->name, observed, (long long)(e->o.step_ms / MS_MIN));
	snprintf(summary, sizeof summary, "%s had %.0f posts from %s to %s against a median "
		 "of %.1f in the %d hours before (anomaly score %.2f).", s->name, observed, from,
		 to, median, SERIES_HOURS, score);
	raise_alert(e, ri, "spike", s->id, 0, t, title, summary, ev.ptr, s->team);
	buf_cleanup(&ev);
}

static void on_shift(struct engine *e, size_t ri, struct subject *s, int64_t t,
		     const struct shift_score *sc)
{
	struct buf ev;
	char title[400], summary[600], from[HORCH_TIME_BUFSZ], to[HORCH_TIME_BUFSZ];
	double median;
	int64_t until = t + e->o.step_ms;

	if (is_open(e, ri, s->id)) {
		snprintf(title, sizeof title, "Sentiment falling on %s", s->name);
		raise_alert(e, ri, "shift", s->id, 0, t, title, "", "", s->team);
		return;
	}
	buf_init(&ev, BUF_NOLIMIT);
	evidence_series(e, &ev, s->id, t, until, &median);
	fmt_time(from, until - MS_HOUR);
	fmt_time(to, until);
	buf_printf(&ev, ",\"window\":[\"%s\",\"%s\"],\"net_recent\":%.3f,\"net_base\":%.3f,"
		   "\"z\":%.2f,\"n_recent\":%.0f,\"n_base\":%.0f", from, to, sc->net_recent,
		   sc->net_base, sc->z, sc->n_recent, sc->n_base);
	evidence_posts_terms(e, &ev, s->id, "complaint", until - MS_HOUR, until, 1);
	snprintf(title, sizeof title, "Sentiment falling on %s: net %+.2f against %+.2f",
		 s->name, sc->net_recent, sc->net_base);
	snprintf(summary, sizeof summary, "The net sentiment of %s in the hour to %s is %+.2f "
		 "(%.0f positive and negative posts), against %+.2f in the day before (z %.1f).",
		 s->name, to, sc->net_recent, sc->n_recent, sc->net_base, sc->z);
	raise_alert(e, ri, "shift", s->id, 0, t, title, summary, ev.ptr, s->team);
	buf_cleanup(&ev);
}

/* One closed interval [t, t + step) for every topic. */
static void close_interval(struct engine *e, int64_t t)
{
	for (size_t i = 0; i < e->n_subj; i++) {
		struct subject *s = &e->subj[i];
		struct pend *p = pend_find(e, s->id, t, 0);
		double vol = p ? p->vol : 0;
		double score = spike_update(s->spike, t, vol);
		struct shift_score sc = shift_update(s->shift, t, p ? p->pos : 0, p ? p->neg : 0,
						     p ? p->neu : 0);

		for (size_t r = 0; r < e->n_rules; r++) {
			const struct alert_rule *rule = &e->rules[r];

			if (rule->signal == ALERT_SPIKE && score >= rule->threshold &&
			    alert_rule_covers(rule, s->name, 0))
				on_spike(e, r, s, t, score, vol);
			else if (rule->signal == ALERT_SHIFT && sc.alarm && sc.z >= rule->threshold &&
				 alert_rule_covers(rule, s->name, 0))
				on_shift(e, r, s, t, &sc);
		}
	}
	e->stats.intervals++;
}

struct waiting {
	int64_t *post, *topic;
	size_t n, cap;
};

static int add_waiting(void *ctx, const struct store_waiting *w)
{
	struct waiting *wt = ctx;

	if (wt->n == wt->cap) {
		wt->cap = wt->cap ? 2 * wt->cap : 64;
		wt->post = horch_xrealloc(wt->post, wt->cap * sizeof *wt->post);
		wt->topic = horch_xrealloc(wt->topic, wt->cap * sizeof *wt->topic);
	}
	wt->post[wt->n] = w->post_id;
	wt->topic[wt->n] = w->topic_id;
	wt->n++;
	return 0;
}

/* The count of posts of the open unanswered alert of rule ri about topic
 * (0 when none is open). */
static size_t open_count(struct engine *e, size_t ri, int64_t topic)
{
	char key[40];
	int64_t id = 0;
	struct store_alert a;
	struct horch_err err;
	json_t *ev;
	size_t n = 0;

	snprintf(key, sizeof key, "topic:%lld", (long long)topic);
	if (store_alert_open_id(e->st, e->rules[ri].name, key, &id, &err) || !id)
		return 0;
	memset(&a, 0, sizeof a);
	if (store_alert_get(e->st, id, &a, &err) == 0 &&
	    (ev = json_loads(a.evidence, 0, NULL))) {
		json_int_t c = json_integer_value(json_object_get(ev, "count"));

		n = c > 0 ? (size_t)c : 0;
		json_decref(ev);
	}
	store_alert_cleanup(&a);
	return n;
}

/* The posts past the SLA at `now` (stream time), one alert per topic. */
static void check_unanswered(struct engine *e, size_t ri, int64_t now)
{
	const struct alert_rule *r = &e->rules[ri];
	struct waiting w = { 0 };
	struct horch_err err;
	int64_t *named = NULL;
	size_t n_named = 0;

	if (store_answers_waiting(e->st, now - r->sla_ms, r->sla_ms, r->min_priority, 2000,
				  add_waiting, &w, &err)) {
		horch_log(LOG_WARN, "signals", "unanswered error=\"%s\"", err.msg);
		goto out;
	}
	named = horch_xcalloc(w.n ? w.n : 1, sizeof *named);
	for (size_t i = 0; i < w.n; i++) {
		struct subject *s = w.topic[i] ? subject_of(e, w.topic[i]) : NULL;
		size_t count = 0;
		struct buf ev, ids;
		char title[400], summary[600], oldest[HORCH_TIME_BUFSZ], sla[32];
		int seen = 0, how;
		size_t total;

		if (!s || !alert_rule_covers(r, s->name, 0))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = w.topic[j] == w.topic[i];
		if (seen)
			continue;
		buf_init(&ev, BUF_NOLIMIT);
		buf_init(&ids, BUF_NOLIMIT);
		for (size_t j = i; j < w.n; j++)
			if (w.topic[j] == w.topic[i]) {
				buf_printf(&ids, "%s%lld", count ? "," : "", (long long)w.post[j]);
				count++;
			}
		fmt_time(oldest, now - r->sla_ms);
		/* The incident's count grows: the posts named while its alert
		 * is open add up. */
		total = count + open_count(e, ri, s->id);
		buf_printf(&ev, "\"count\":%zu,\"new\":%zu,\"sla_s\":%lld,\"post_ids\":[%s]",
			   total, count, (long long)(r->sla_ms / 1000), ids.ptr ? ids.ptr : "");
		/* Refreshed at every firing: the posts, not the terms (a trend
		 * of a day of texts per topic and interval would cost more
		 * than the signal). */
		evidence_posts_terms(e, &ev, s->id, NULL, now - r->sla_ms - MS_DAY,
				     now - r->sla_ms, 0);
		span_text(sla, sizeof sla, r->sla_ms);
		snprintf(title, sizeof title, "%zu post%s on %s waiting more than %s for an "
			 "answer", total, total == 1 ? "" : "s", s->name, sla);
		snprintf(summary, sizeof summary, "%zu complaint%s or question%s on %s %s had no "
			 "answer from the company within the SLA of %s (%zu more written before %s).",
			 total, total == 1 ? "" : "s", total == 1 ? "" : "s", s->name,
			 total == 1 ? "has" : "have", sla, count, oldest);
		how = raise_alert(e, ri, "unanswered", s->id, 0, now, title, summary, ev.ptr,
				  s->team);
		buf_cleanup(&ev);
		buf_cleanup(&ids);
		/* The posts of an alert that was raised (new or fired again)
		 * are named, once, whichever topic they matched: posts of a
		 * topic the rule does not cover, and those of an incident in
		 * its cool-down, wait for their turn. */
		if (how != STORE_RAISE_NEW && how != STORE_RAISE_BUMPED)
			continue;
		for (size_t j = i; j < w.n; j++) {
			int dup = 0;

			if (w.topic[j] != w.topic[i])
				continue;
			for (size_t k = 0; k < n_named && !dup; k++)
				dup = named[k] == w.post[j];
			if (!dup)
				named[n_named++] = w.post[j];
		}
	}
	/* A post that no unanswered rule will ever name (no topic, or topics
	 * no rule covers) is set aside too, or such posts would fill the
	 * check's window and hide the others. */
	for (size_t i = 0; i < w.n; i++) {
		int covered = 0, dup = 0;

		for (size_t j = 0; j < w.n && !covered; j++) {
			struct subject *s = w.post[j] == w.post[i] && w.topic[j] ?
					    subject_of(e, w.topic[j]) : NULL;

			for (size_t k = 0; s && k < e->n_rules && !covered; k++)
				covered = e->rules[k].signal == ALERT_UNANSWERED &&
					  alert_rule_covers(&e->rules[k], s->name, 0);
		}
		if (covered)
			continue;
		for (size_t k = 0; k < n_named && !dup; k++)
			dup = named[k] == w.post[i];
		if (!dup)
			named[n_named++] = w.post[i];
	}
	if (n_named && store_answers_alerted(e->st, named, n_named, &err))
		horch_log(LOG_WARN, "signals", "unanswered error=\"%s\"", err.msg);
out:
	free(named);
	free(w.post);
	free(w.topic);
}

struct rsum {
	double sum, n, vol;
};

static int rating_add(void *ctx, const struct store_bucket *b)
{
	struct rsum *r = ctx;

	r->sum += b->rating_sum;
	r->n += (double)b->rating_n;
	r->vol += (double)b->volume + (double)b->dups;
	return 0;
}

/* The two-star rule per product at `now` (stream time). */
static void check_ratings(struct engine *e, size_t ri, int64_t now)
{
	const struct alert_rule *r = &e->rules[ri];
	struct horch_err err;

	for (size_t i = 0; i < e->n_prod; i++) {
		struct rsum sum = { 0 };
		char title[400], summary[600], ev[300];
		double mean;

		if (!alert_rule_covers(r, e->prod[i].name, 1))
			continue;
		store_buckets(e->st, STORE_SCOPE_PRODUCT, &e->prod[i].id, 1, 86400,
			      floor_to(now - r->window_ms, MS_DAY), now, rating_add, &sum, &err);
		if (sum.n < (double)r->min_reviews)
			continue;
		mean = sum.sum / sum.n;
		if (!(mean < r->threshold))
			continue;
		snprintf(ev, sizeof ev, "\"mean\":%.3f,\"n\":%.0f,\"below\":%g,\"min_reviews\":%zu,"
			 "\"window_s\":%lld", mean, sum.n, r->threshold, r->min_reviews,
			 (long long)(r->window_ms / 1000));
		snprintf(title, sizeof title, "Pull %s from the catalogue? %.1f stars from %.0f "
			 "reviews", e->prod[i].name, mean, sum.n);
		snprintf(summary, sizeof summary, "The %.0f reviews of %s in the last %lld days "
			 "average %.2f stars, under the limit of %g.", sum.n, e->prod[i].name,
			 (long long)(r->window_ms / MS_DAY), mean, r->threshold);
		raise_alert(e, ri, "rating", 0, e->prod[i].id, now, title, summary, ev, NULL);
	}
}

/* No mention and no review since a product was added, after window_ms of
 * the clock. */
static void check_resonance(struct engine *e, size_t ri, int64_t now)
{
	const struct alert_rule *r = &e->rules[ri];
	struct horch_err err;

	for (size_t i = 0; i < e->n_prod; i++) {
		struct rsum sum = { 0 };
		char title[400], summary[600], ev[200];

		if (!alert_rule_covers(r, e->prod[i].name, 1) ||
		    now - e->prod[i].created_at < r->window_ms)
			continue;
		store_buckets(e->st, STORE_SCOPE_PRODUCT, &e->prod[i].id, 1, 86400,
			      floor_to(e->prod[i].created_at, MS_DAY), now + MS_DAY, rating_add,
			      &sum, &err);
		if (sum.vol > 0 || sum.n > 0)
			continue;
		snprintf(ev, sizeof ev, "\"mentions\":0,\"reviews\":0,\"since_s\":%lld",
			 (long long)((now - e->prod[i].created_at) / 1000));
		snprintf(title, sizeof title, "No resonance for %s: not one mention or review",
			 e->prod[i].name);
		snprintf(summary, sizeof summary, "Nobody has mentioned or reviewed %s in the %lld "
			 "days since it was added to the catalogue. No answer is worse than a bad "
			 "one.", e->prod[i].name, (long long)((now - e->prod[i].created_at) / MS_DAY));
		raise_alert(e, ri, "resonance", 0, e->prod[i].id, now, title, summary, ev, NULL);
	}
}

struct stale {
	int64_t id[64];
	size_t n;
	int64_t before;
};

static int find_stale(void *ctx, const struct store_alert *a)
{
	struct stale *s = ctx;

	if ((!strcmp(a->kind, "spike") || !strcmp(a->kind, "shift")) && a->last_at < s->before &&
	    s->n < 64)
		s->id[s->n++] = a->id;
	return 0;
}

/* Spike and shift alerts that have not fired for RESOLVE_AFTER_MS of stream
 * time resolve themselves. */
static void resolve_quiet(struct engine *e, int64_t now)
{
	struct stale s = { .before = now - RESOLVE_AFTER_MS };
	struct horch_err err;

	if (store_alert_list(e->st, "active", 0, 500, find_stale, &s, &err))
		return;
	for (size_t i = 0; i < s.n; i++)
		if (store_alert_set_state(e->st, s.id[i], "resolved", "horch", horch_now(), &err) ==
		    0)
			publish(e, s.id[i]);
}

/* ---- deliveries ---- */

static void on_result(void *ctx, const struct deliver_result *r)
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
static void settle_deliveries(struct engine *e)
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
		held_free(h);
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
static void watch_alerts(struct engine *e)
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
			publish(e, l.v[i].id);
	}
	for (size_t j = 0; j < e->n_watch; j++) {
		int still = 0;

		for (size_t i = 0; i < l.n && !still; i++)
			still = l.v[i].id == e->watch[j].id;
		if (!still)
			publish(e, e->watch[j].id);
	}
	free(e->watch);
	e->watch = l.v;
	e->n_watch = l.n;
}

/* ---- the thread ---- */

static int refill_one(void *ctx, const struct store_bucket *b)
{
	struct engine *e = ctx;
	struct pend *p = pend_find(e, b->ref, floor_to(b->t, e->o.step_ms), 1);

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
	iv = floor_to(newest, e->o.step_ms);
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
		e->next = floor_to(wm - MAX_CATCH_UP_MS, e->o.step_ms);
	while (e->next + e->o.step_ms + e->o.lateness_ms <= wm && !stopping(e)) {
		int64_t t = e->next, end = t + e->o.step_ms;

		close_interval(e, t);
		e->next = end;
		for (size_t r = 0; r < e->n_rules; r++)
			if (e->rules[r].signal == ALERT_UNANSWERED)
				check_unanswered(e, r, end);
		if (end / MS_HOUR != e->last_hour) {
			e->last_hour = end / MS_HOUR;
			load_products(e);
			for (size_t r = 0; r < e->n_rules; r++)
				if (e->rules[r].signal == ALERT_RATING)
					check_ratings(e, r, end);
			resolve_quiet(e, end);
		}
	}
	pend_drop_before(e, e->next);
	e->stats.watermark = e->next;
deliveries:
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
				check_resonance(e, r, now);
	}
	settle_deliveries(e);
	watch_alerts(e);
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
	    (rc = deliver_new(&e->dl, &o->deliver, on_result, e, err)))
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
		settle_deliveries(e);
	for (size_t i = 0; i < e->n_held; i++) {
		free((char *)e->held[i].job.url);
		free((char *)e->held[i].job.to);
		held_free(&e->held[i]);
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
