/* alert.h - alert rules and the signal engine of horch serve.
 *
 * A rule says which signal raises an alert for which topics or products,
 * how sensitive it is, how long one incident stays one alert (cool-down),
 * when not to wake anyone (quiet hours), and who hears of it (recipients
 * on the dashboard, a webhook, e-mail).  Rules come from horch.conf
 * ([alert NAME] sections), from the API (stored in the database), or are
 * the built-in defaults when neither gives any (alert_rules_default()).
 *
 * The engine is one thread of horch serve.  Every tick (and soon after a
 * commit) it brings the buckets and answers up to date
 * (store_signals_update()), feeds each topic's spike and sentiment-shift
 * detectors (src/signal) one value per closed interval of the stream's
 * own time (so that a replayed day raises its alerts at the day's times),
 * checks the posts that wait for an answer beyond their SLA and the
 * products' ratings, and raises alerts through store_alert_raise() (one
 * incident, one alert) with their evidence: the chart window, the top
 * posts, the top terms.  A new alert is published on the bus (the wall's
 * ticker, the radio) and handed to the deliverer (src/alert/deliver.h);
 * deliveries in quiet hours are held until they end.  docs/signals.md
 * says what each signal measures. */
#ifndef HORCH_ALERT_H
#define HORCH_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/conf.h"
#include "../core/err.h"
#include "deliver.h"

enum alert_signal {
	ALERT_SPIKE = 0,       /* buzz: a topic's volume above its baseline */
	ALERT_SHIFT = 1,       /* a topic's net sentiment falling */
	ALERT_RATING = 2,      /* the two-star rule, per product */
	ALERT_RESONANCE = 3,   /* a product nobody mentions or reviews after its launch */
	ALERT_UNANSWERED = 4,  /* posts that need an answer, unanswered past the SLA */
	ALERT_SOURCE = 5,      /* a source that errors, falls silent or stalls (src/ingest) */
};

enum alert_origin {
	ALERT_ORIGIN_DEFAULT = 0,
	ALERT_ORIGIN_CONFIG = 1,
	ALERT_ORIGIN_API = 2,
};

struct alert_rule {
	char *name;
	enum alert_signal signal;
	char **topics;           /* topic names; none: every topic */
	size_t n_topics;
	char **products;         /* product names; none: every product */
	size_t n_products;
	double threshold;        /* spike: the score (0..1; 0.8); shift: z (4); rating: stars (2) */
	size_t min_reviews;      /* rating: reviews the rule needs in its window (10) */
	int64_t window_ms;       /* rating: the window (30 d); resonance: time after the launch (7 d) */
	int64_t cooldown_ms;     /* after an alert, the same incident is not new for this long (30 min) */
	int quiet_from, quiet_to;/* quiet hours, minutes of the day UTC; -1: none */
	char *severity;          /* "info", "warning" or "critical" */
	char **recipients;       /* user names and "team:NAME" */
	size_t n_recipients;
	char *webhook;           /* http(s) URL, or NULL */
	enum deliver_format format; /* of the webhook */
	char *email;             /* comma-separated addresses, or NULL */
	int64_t sla_ms;          /* unanswered: the SLA (4 h) */
	double min_priority;     /* unanswered: posts below this priority wait without alert (30) */
	enum alert_origin origin;
};

void alert_rule_cleanup(struct alert_rule *r); /* NULL-safe; frees and zeroes */
void alert_rules_free(struct alert_rule *v, size_t n);

/* "spike", "shift", ...; NULL for a value out of range. */
const char *alert_signal_name(enum alert_signal s);

/* Parse a rule from the JSON object o (the form of GET /api/alert-rules;
 * "name" and "signal" required, every other member optional with the
 * defaults above) into r (zeroed by the caller, cleaned up by it either
 * way).  Returns 0, or HORCH_EINVAL with err naming the member. */
struct json_t;
int alert_rule_from_json(struct alert_rule *r, struct json_t *o, struct horch_err *err);

/* Append r as a JSON object (the API's form) to b. */
void alert_rule_json(struct buf *b, const struct alert_rule *r);

/* The rules of the [alert NAME] sections of c into *out (the caller frees
 * them with alert_rules_free()).  Returns 0, or HORCH_EINVAL with err
 * naming the file, line and key. */
int alert_rules_from_conf(const struct conf *c, struct alert_rule **out, size_t *n,
			  struct horch_err *err);

/* The keys of an [alert NAME] section, for conf_read()'s known list:
 * "alert *.signal", ... NULL-terminated. */
extern const char *const alert_conf_keys[];

/* The built-in rules: buzz (spike, every topic), sentiment (shift, every
 * topic), unanswered (4 h), two-star (rating, every product) and
 * no-resonance (7 days). */
void alert_rules_default(struct alert_rule **out, size_t *n);

/* Whether the rule covers the topic (or product) called name. */
int alert_rule_covers(const struct alert_rule *r, const char *name, int product);

/* Whether minute-of-day m (UTC) is within the rule's quiet hours (which
 * may wrap midnight: 22:00-07:00). */
int alert_rule_quiet(const struct alert_rule *r, int m);

/* ---- the alert as JSON (API, SSE, webhooks) ---- */

struct store_alert;

/* Append the alert as the API gives it to b; topic and product are the
 * names of its subject (NULL: none). */
void alert_json(struct buf *b, const struct store_alert *a, const char *topic,
		const char *product);

/* ---- the engine ---- */

struct bus;

struct engine_opts {
	const char *db;                  /* the database (the engine opens its own store) */
	const struct alert_rule *rules;  /* the rules of the configuration (copied) */
	size_t n_rules;
	int default_rules;               /* 1: the built-in rules when no rule is given */
	const char *const *accounts;     /* the company's own handles (copied) */
	size_t n_accounts;
	int64_t tick_ms;                 /* how often it looks (default 2 s) */
	int64_t step_ms;                 /* the detectors' interval (default 5 min) */
	int64_t lateness_ms;             /* an interval is closed this long after its end
					  * (0: at its end; < 0: the default, 2 min) */
	struct deliver_opts deliver;     /* SMTP and retries */
	const char *link_base;           /* "http://host:port" for links in deliveries, or NULL */
	struct bus *bus;                 /* where alert events go, or NULL */
};

struct engine;

/* Start the engine thread.  Returns 0, or an error with err filled (the
 * store cannot be opened, bad deliverer options). */
int engine_start(struct engine **out, const struct engine_opts *o, struct horch_err *err);

/* Posts were committed: look soon.  Any thread; cheap. */
void engine_kick(struct engine *e);

/* The rules of the database changed (the API): read them again. */
void engine_rules_changed(struct engine *e);

/* Stop the thread (finishing the tick in progress and waiting up to wait_ms
 * for deliveries) and free it.  NULL-safe. */
void engine_stop(struct engine *e, long wait_ms);

/* Append the rules in force, as {"rules":[...]} (alert_rule_json() each),
 * to b.  Any thread. */
void engine_rules_json(struct engine *e, struct buf *b);

/* The origin of the rule in force called name (without regard to case), or
 * -1 when there is none.  Any thread. */
int engine_rule_origin(struct engine *e, const char *name);

#endif
