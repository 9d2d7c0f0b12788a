/* deliver.h - sending alerts out of horch: webhooks (plain JSON, Slack- and
 * Microsoft-Teams-compatible payloads) and e-mail (SMTP through libcurl),
 * with retries.
 *
 * A struct deliver owns one thread that sends the jobs queued with
 * deliver_post(), in order, each with its own timeouts and size caps.  A
 * job that fails (a connection error, a timeout, an HTTP status 408, 429 or
 * 5xx, an SMTP 4xx reply) is tried again after an exponential back-off with
 * jitter (base_ms, 2 base_ms, 4 base_ms, ... up to max_backoff_ms, each
 * times a random factor in 0.5..1.5, never beyond max_backoff_ms) until
 * max_attempts; a 429 or 503 with Retry-After (seconds or an HTTP-date)
 * waits at least that long, up to max_backoff_ms.  An answer that another
 * attempt would only repeat fails for good at once: an HTTP 3xx (redirects
 * are not followed) or 4xx other than 408 and 429, an SMTP 5xx reply, a
 * refused login.  Other jobs are not held up by a job that waits for its
 * retry.  Every job ends in one call of the result callback (sent, or
 * failed for good, with the last error), from the deliver thread.
 * Credentials (the SMTP password, tokens in a webhook URL) never appear in
 * a log line or an error message: a log line shows a URL's scheme, host and
 * port only (Slack, Teams and Discord put a webhook's token in its path),
 * and an error that would quote the URL's user-info, path or query, or the
 * password, is replaced by a generic one.
 *
 * deliver_post() and deliver_pending() may be called from any thread;
 * deliver_free() from the thread that owns the deliverer, never from the
 * result callback.
 *
 * deliver_render() is the pure part: the payload of each format, so that it
 * can be tested without a network. */
#ifndef HORCH_ALERT_DELIVER_H
#define HORCH_ALERT_DELIVER_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"

/* What an alert says, rendered into each format.  Strings are copied by
 * deliver_post(); NULL: absent. */
struct alert_note {
	int64_t id;           /* the alert's id */
	const char *kind;     /* "spike", "shift", "rating", "resonance", "unanswered" */
	const char *state;    /* "open", "acked", "resolved" */
	const char *severity; /* "info", "warning", "critical" */
	const char *title;    /* one line */
	const char *summary;  /* plain text, a few lines */
	const char *topic;    /* the topic's name */
	const char *product;  /* the product's name */
	const char *rule;     /* the rule's name */
	int64_t at;           /* when it happened, ms UTC; 0 or HORCH_TIME_NONE: absent */
	const char *link;     /* the alert on the dashboard (absolute URL) */
	const char *json;     /* the alert as the API gives it (a JSON object); format json sends it */
};

enum deliver_format {
	DELIVER_JSON = 0,   /* {"alert": <note.json>} (or the note's fields when json is NULL) */
	DELIVER_SLACK = 1,  /* Slack incoming webhook: {"text": ..., "blocks": [...]} */
	DELIVER_TEAMS = 2,  /* Teams incoming webhook: a MessageCard */
	DELIVER_EMAIL = 3,  /* an RFC 5322 message (headers and a text/plain UTF-8 body) */
};

/* Parse "json", "slack", "teams" into *out; HORCH_EINVAL otherwise. */
int deliver_format_parse(const char *s, enum deliver_format *out);

/* Render note in format f into out (appended).  For DELIVER_EMAIL, from and
 * to (comma-separated addresses) make the headers and now_ms the Date.
 * Returns 0, HORCH_ETOOBIG when out's cap is reached (out is left as it
 * was), or HORCH_EINVAL for an unknown format. */
int deliver_render(struct buf *out, enum deliver_format f, const struct alert_note *note,
		   const char *from, const char *to, int64_t now_ms);

struct deliver_opts {
	const char *smtp_url;      /* "smtp://host:port" or "smtps://..."; NULL: no e-mail */
	const char *smtp_from;     /* envelope and header From: "addr" or "Name <addr>", ASCII;
				      needed with smtp_url */
	const char *smtp_user;     /* NULL: no login */
	const char *smtp_password;
	long timeout_ms;           /* per attempt, connect included; 0: 10000 */
	int max_attempts;          /* 0: 6 */
	long base_ms;              /* first back-off; 0: 1000 */
	long max_backoff_ms;       /* 0: 300000 */
	size_t queue_max;          /* jobs waiting; 0: 10000 (deliver_post fails beyond) */
	const char *user_agent;    /* NULL: "horch" */
};

/* Where a job goes. */
struct deliver_job {
	int64_t id;                /* the caller's id for the job, given back in the result */
	enum deliver_format format;
	const char *url;           /* webhook: http(s) URL; e-mail: NULL (opts.smtp_url) */
	const char *to;            /* e-mail: comma-separated recipients */
	struct alert_note note;
};

/* The result of one job. */
struct deliver_result {
	int64_t id;
	int ok;                    /* 1: sent */
	int attempts;
	long status;               /* the last HTTP status or SMTP reply code; 0: none */
	const char *error;         /* the last error (no credentials in it); NULL when ok */
};

typedef void (*deliver_result_fn)(void *ctx, const struct deliver_result *r);

struct deliver;

/* Start a deliverer; fn (may be NULL) gets each job's result.  Returns 0,
 * HORCH_EINVAL with err filled for bad options (an smtp_url that is not
 * smtp:// or smtps://, an smtp_url without a valid smtp_from, a control
 * character in a credential or the user agent, a negative number), or
 * HORCH_EIO when libcurl or the thread does not start. */
int deliver_new(struct deliver **out, const struct deliver_opts *o, deliver_result_fn fn,
		void *ctx, struct horch_err *err);

/* Queue a copy of job, its payload rendered now (an e-mail's Date is the
 * time of this call; every attempt sends the same bytes).  Returns 0,
 * HORCH_EINVAL (an e-mail job without an SMTP server or recipients, or with
 * a recipient that is not an ASCII address without control characters; a
 * webhook URL that is not http or https; format json with a note.json that
 * is not a JSON object), HORCH_ETOOBIG (the note's strings over 1 MiB or
 * its payload over 2 MiB), HORCH_ELIMIT when the queue is full (queue_max
 * jobs held: waiting, waiting for a retry or being sent), or HORCH_ESTOP
 * once deliver_free() has begun.  A refused job gets no result callback. */
int deliver_post(struct deliver *d, const struct deliver_job *job, struct horch_err *err);

/* Jobs held: queued, waiting for a retry or being sent. */
size_t deliver_pending(struct deliver *d);

/* Wait up to wait_ms for the queue to empty (jobs waiting for a retry
 * included), then stop the thread; jobs not sent by then get a result with
 * ok 0 and error "stopped" (a job in flight is cut short: libcurl's
 * progress callback ends it within a fraction of a second).  NULL-safe. */
void deliver_free(struct deliver *d, long wait_ms);

#endif
