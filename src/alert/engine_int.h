/* engine_int.h - inside the signal engine (alert.h): the struct engine
 * that its files share, and the functions each offers the others.
 *
 *   engine.c    the thread: time, intervals, topics, rules, start and stop
 *   checks.c    the signals: spike and shift per interval, unanswered,
 *               ratings, resonance, and quiet alerts resolving themselves
 *   evidence.c  what an alert shows: the chart window, top posts, top terms
 *   raise.c     raising an alert, publishing it, delivering it, and the
 *               alerts whose state others changed
 *
 * Everything here runs on the engine's thread, except engine__on_result()
 * (the deliverer's) and what the struct's lock guards. */
#ifndef HORCH_ALERT_ENGINE_INT_H
#define HORCH_ALERT_ENGINE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "deliver.h"

struct store;
struct store_alert;

#define MS_MIN 60000LL
/* How often the sources' health is checked (checks.c). */
#define SOURCE_CHECK_MS 10000LL
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
	int64_t last_wall_minute;        /* the last 10 s of the clock the sources were checked */
	int64_t born;                    /* the clock when the engine started */
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

/* ---- engine.c ---- */

/* t as RFC 3339 into out (HORCH_TIME_BUFSZ bytes). */
void engine__fmt_time(char *out, int64_t t);
/* A span for people: "4 h", "90 min", "45 s". */
void engine__span_text(char *out, size_t size, int64_t ms);
/* The subject of topic id, or NULL. */
struct subject *engine__subject_of(struct engine *e, int64_t id);
/* The pending counts of topic's interval t (made zero when make and new;
 * else NULL when absent). */
struct pend *engine__pend_find(struct engine *e, int64_t topic, int64_t t, int make);

/* ---- evidence.c ---- */

/* Append ,"posts":[...] (the top posts of topic over [since, until), of
 * intent when not NULL) and, with with_terms, ,"terms":[...] to b. */
void engine__evidence_posts_terms(struct engine *e, struct buf *b, int64_t topic,
				  const char *intent, int64_t since, int64_t until,
				  int with_terms);
/* Append "series":{...}: topic's counts per step over the hours before
 * until; *median gets the median count of the steps before since. */
void engine__evidence_series(struct engine *e, struct buf *b, int64_t topic, int64_t since,
			     int64_t until, double *median);

/* ---- raise.c ---- */

/* The name of product id, or NULL. */
const char *engine__product_name(struct engine *e, int64_t id);
/* Publish alert id, as the store has it now, on the bus. */
void engine__publish(struct engine *e, int64_t id);
void engine__held_free(struct held *h);
/* Raise an alert of rule ri (see raise.c); returns the enum store_raise, or
 * -1 when it could not be stored. */
int engine__raise_alert(struct engine *e, size_t ri, const char *kind, int64_t topic_id,
			int64_t product_id, int64_t at, const char *title, const char *summary,
			const char *evidence, const char *team);
/* Raise (or refresh) the alert of rule ri about source name (key
 * "source:NAME"); as engine__raise_alert(). */
int engine__raise_source(struct engine *e, size_t ri, const char *name, int64_t at,
			 const char *title, const char *summary, const char *evidence);
/* The sources' health, every SOURCE_CHECK_MS (checks.c): an alert per source
 * that errors, falls silent or stalls; resolved once it is ok again. */
void engine__check_sources(struct engine *e, size_t ri, int64_t now);
/* The deliverer's result callback (its thread). */
void engine__on_result(void *ctx, const struct deliver_result *r);
/* Write the deliverer's results; send held deliveries once quiet hours end. */
void engine__settle_deliveries(struct engine *e);
/* Publish the active alerts whose state others changed. */
void engine__watch_alerts(struct engine *e);

/* ---- checks.c ---- */

/* Feed every topic's detectors the interval [t, t + step) and raise. */
void engine__close_interval(struct engine *e, int64_t t);
/* The posts past rule ri's SLA at now (stream time). */
void engine__check_unanswered(struct engine *e, size_t ri, int64_t now);
/* The two-star rule per product at now (stream time). */
void engine__check_ratings(struct engine *e, size_t ri, int64_t now);
/* Products without resonance (now: the clock). */
void engine__check_resonance(struct engine *e, size_t ri, int64_t now);
/* Spike and shift alerts quiet for RESOLVE_AFTER_MS resolve themselves. */
void engine__resolve_quiet(struct engine *e, int64_t now);

#endif
