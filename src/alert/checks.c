/* checks.c - the signals of the engine (engine_int.h): each closed
 * interval through every topic's spike and shift detectors, the posts past
 * their SLA, the two-star rule, products without resonance, and spike and
 * shift alerts resolving themselves once quiet. */
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
#include "../ingest/ingest.h"

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
		engine__raise_alert(e, ri, "spike", s->id, 0, t, title, "", "", s->team);
		return;
	}
	buf_init(&ev, BUF_NOLIMIT);
	engine__evidence_series(e, &ev, s->id, t, until, &median);
	engine__fmt_time(from, t);
	engine__fmt_time(to, until);
	buf_printf(&ev, ",\"window\":[\"%s\",\"%s\"],\"score\":%.4f,\"observed\":%.0f,"
		   "\"median\":%.1f", from, to, score, observed, median);
	engine__evidence_posts_terms(e, &ev, s->id, NULL, t, until, 1);
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
	engine__raise_alert(e, ri, "spike", s->id, 0, t, title, summary, ev.ptr, s->team);
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
		engine__raise_alert(e, ri, "shift", s->id, 0, t, title, "", "", s->team);
		return;
	}
	buf_init(&ev, BUF_NOLIMIT);
	engine__evidence_series(e, &ev, s->id, t, until, &median);
	engine__fmt_time(from, until - MS_HOUR);
	engine__fmt_time(to, until);
	buf_printf(&ev, ",\"window\":[\"%s\",\"%s\"],\"net_recent\":%.3f,\"net_base\":%.3f,"
		   "\"z\":%.2f,\"n_recent\":%.0f,\"n_base\":%.0f", from, to, sc->net_recent,
		   sc->net_base, sc->z, sc->n_recent, sc->n_base);
	engine__evidence_posts_terms(e, &ev, s->id, "complaint", until - MS_HOUR, until, 1);
	snprintf(title, sizeof title, "Sentiment falling on %s: net %+.2f against %+.2f",
		 s->name, sc->net_recent, sc->net_base);
	snprintf(summary, sizeof summary, "The net sentiment of %s in the hour to %s is %+.2f "
		 "(%.0f positive and negative posts), against %+.2f in the day before (z %.1f).",
		 s->name, to, sc->net_recent, sc->n_recent, sc->net_base, sc->z);
	engine__raise_alert(e, ri, "shift", s->id, 0, t, title, summary, ev.ptr, s->team);
	buf_cleanup(&ev);
}

/* One closed interval [t, t + step) for every topic. */
void engine__close_interval(struct engine *e, int64_t t)
{
	for (size_t i = 0; i < e->n_subj; i++) {
		struct subject *s = &e->subj[i];
		struct pend *p = engine__pend_find(e, s->id, t, 0);
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
void engine__check_unanswered(struct engine *e, size_t ri, int64_t now)
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
		struct subject *s = w.topic[i] ? engine__subject_of(e, w.topic[i]) : NULL;
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
		engine__fmt_time(oldest, now - r->sla_ms);
		/* The incident's count grows: the posts named while its alert
		 * is open add up. */
		total = count + open_count(e, ri, s->id);
		buf_printf(&ev, "\"count\":%zu,\"new\":%zu,\"sla_s\":%lld,\"post_ids\":[%s]",
			   total, count, (long long)(r->sla_ms / 1000), ids.ptr ? ids.ptr : "");
		/* Refreshed at every firing: the posts, not the terms (a trend
		 * of a day of texts per topic and interval would cost more
		 * than the signal). */
		engine__evidence_posts_terms(e, &ev, s->id, NULL, now - r->sla_ms - MS_DAY,
				     now - r->sla_ms, 0);
		engine__span_text(sla, sizeof sla, r->sla_ms);
		snprintf(title, sizeof title, "%zu post%s on %s waiting more than %s for an "
			 "answer", total, total == 1 ? "" : "s", s->name, sla);
		snprintf(summary, sizeof summary, "%zu complaint%s or question%s on %s %s had no "
			 "answer from the company within the SLA of %s (%zu more written before %s).",
			 total, total == 1 ? "" : "s", total == 1 ? "" : "s", s->name,
			 total == 1 ? "has" : "have", sla, count, oldest);
		how = engine__raise_alert(e, ri, "unanswered", s->id, 0, now, title, summary, ev.ptr,
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
					    engine__subject_of(e, w.topic[j]) : NULL;

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
void engine__check_ratings(struct engine *e, size_t ri, int64_t now)
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
			      horch_time_floor(now - r->window_ms, MS_DAY), now, rating_add, &sum, &err);
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
		engine__raise_alert(e, ri, "rating", 0, e->prod[i].id, now, title, summary, ev, NULL);
	}
}

/* No mention and no review since a product was added, after window_ms of
 * the clock. */
void engine__check_resonance(struct engine *e, size_t ri, int64_t now)
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
			      horch_time_floor(e->prod[i].created_at, MS_DAY), now + MS_DAY, rating_add,
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
		engine__raise_alert(e, ri, "resonance", 0, e->prod[i].id, now, title, summary, ev, NULL);
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
void engine__resolve_quiet(struct engine *e, int64_t now)
{
	struct stale s = { .before = now - RESOLVE_AFTER_MS };
	struct horch_err err;

	if (store_alert_list(e->st, "active", 0, 500, find_stale, &s, &err))
		return;
	for (size_t i = 0; i < s.n; i++)
		if (store_alert_set_state(e->st, s.id[i], "resolved", "horch", horch_now(), &err) ==
		    0)
			engine__publish(e, s.id[i]);
}

/* ---- sources ---- */

/* The sources' health as one list, for the check below. */
struct src_seen {
	char (*name)[256];
	enum source_state *state;
	char (*why)[512];
	size_t n, cap_name, cap_state, cap_why;
	int64_t now;
};

static int src_add(void *ctx, const struct store_source *s)
{
	struct src_seen *v = ctx;

	v->name = horch_xgrow(v->name, &v->cap_name, v->n + 1, sizeof *v->name);
	v->state = horch_xgrow(v->state, &v->cap_state, v->n + 1, sizeof *v->state);
	v->why = horch_xgrow(v->why, &v->cap_why, v->n + 1, sizeof *v->why);
	snprintf(v->name[v->n], sizeof v->name[v->n], "%s", s->name);
	v->state[v->n] = source_health(s, v->now, v->why[v->n], sizeof v->why[v->n]);
	v->n++;
	return 0;
}

/* The open alerts of rule `rule` about sources, to resolve those whose
 * source is gone. */
struct src_alerts {
	const char *rule;
	int64_t id[64];
	char name[64][256];
	size_t n;
};

static int src_alert(void *ctx, const struct store_alert *a)
{
	struct src_alerts *v = ctx;

	if (v->n < 64 && a->key && !strncmp(a->key, "source:", 7) && a->rule &&
	    !strcmp(a->rule, v->rule)) {
		v->id[v->n] = a->id;
		snprintf(v->name[v->n++], sizeof v->name[0], "%s", a->key + 7);
	}
	return 0;
}

void engine__check_sources(struct engine *e, size_t ri, int64_t now)
{
	struct src_seen v = { .now = now };
	struct src_alerts open = { .rule = e->rules[ri].name };
	struct horch_err err;
	struct buf ev;

	buf_init(&ev, BUF_NOLIMIT);
	if (!e->born)
		e->born = now;
	if (store_source_list(e->st, now, src_add, &v, &err) != 0) {
		horch_log(LOG_WARN, "signals", "msg=\"sources not read\" error=\"%s\"", err.msg);
		goto out;
	}
	for (size_t i = 0; i < v.n; i++) {
		enum source_state st = v.state[i];
		char key[300], title[400], summary[800];
		int64_t id = 0;

		snprintf(key, sizeof key, "source:%s", v.name[i]);
		/* A source stalls while no horch serve runs it: give this one
		 * the time to fetch each source once before saying so. */
		if (st == SOURCE_STALLED && now - e->born < 15 * MS_MIN)
			continue;
		if (st == SOURCE_ERRORING || st == SOURCE_SILENT || st == SOURCE_STALLED) {
			buf_reset(&ev);
			buf_puts(&ev, "\"source\":");
			json_put_string(&ev, v.name[i]);
			buf_printf(&ev, ",\"state\":\"%s\",\"why\":", source_state_name(st));
			json_put_string(&ev, v.why[i]);
			snprintf(title, sizeof title, "Source %s is %s", v.name[i],
				 source_state_name(st));
			snprintf(summary, sizeof summary, "%s. horch source list shows every "
				 "source's health; docs/sources.md says what to check.", v.why[i]);
			engine__raise_source(e, ri, v.name[i], now, title, summary,
					     ev.ptr ? ev.ptr : "");
			continue;
		}
		/* Healthy again (or new, or disabled): its alert is over. */
		if (store_alert_open_id(e->st, e->rules[ri].name, key, &id, &err) == 0 && id &&
		    store_alert_set_state(e->st, id, "resolved", "horch", horch_now(), &err) == 0)
			engine__publish(e, id);
	}
	/* A source removed while its alert was open: the alert is over too. */
	if (store_alert_list(e->st, "active", 0, 1000, src_alert, &open, &err) == 0) {
		for (size_t k = 0; k < open.n; k++) {
			size_t i;

			for (i = 0; i < v.n && strcasecmp(v.name[i], open.name[k]); i++)
				;
			if (i == v.n && store_alert_set_state(e->st, open.id[k], "resolved", "horch",
							      horch_now(), &err) == 0)
				engine__publish(e, open.id[k]);
		}
	}
out:
	buf_cleanup(&ev);
	free(v.name);
	free(v.state);
	free(v.why);
}
