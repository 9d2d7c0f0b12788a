/* rules.c - alert rules: their defaults, their JSON form (the API and the
 * database), the [alert NAME] sections of horch.conf, and the alert's own
 * JSON (alert.h). */
#include "alert.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/json.h"
#include "../store/store.h"

#define MS_MIN 60000LL
#define MS_HOUR 3600000LL
#define MS_DAY 86400000LL
/* The longest span of a rule, in seconds (317 years): its milliseconds fit
 * an int64_t exactly in a double, and a span read from a string ("7d")
 * must read back from the seconds its JSON gives (take_span()). */
#define SPAN_MAX_S 1e10

static const char *const signal_names[] = { "spike", "shift", "rating", "resonance",
					    "unanswered", "source" };
#define N_SIGNALS (sizeof signal_names / sizeof signal_names[0])

const char *alert_signal_name(enum alert_signal s)
{
	return (unsigned)s < N_SIGNALS ? signal_names[s] : NULL;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void alert_rule_cleanup(struct alert_rule *r)
{
	if (!r)
		return;
	free(r->name);
	free_list(r->topics, r->n_topics);
	free_list(r->products, r->n_products);
	free(r->severity);
	free_list(r->recipients, r->n_recipients);
	free(r->webhook);
	free(r->email);
	memset(r, 0, sizeof *r);
}

void alert_rules_free(struct alert_rule *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		alert_rule_cleanup(&v[i]);
	free(v);
}

/* The defaults of a rule of signal s. */
static void rule_defaults(struct alert_rule *r, enum alert_signal s)
{
	r->signal = s;
	r->threshold = s == ALERT_SPIKE ? 0.8 : s == ALERT_SHIFT ? 4.0 : s == ALERT_RATING ? 2.0 : 0;
	r->min_reviews = 10;
	r->window_ms = s == ALERT_RESONANCE ? 7 * MS_DAY : 30 * MS_DAY;
	r->cooldown_ms = s == ALERT_RATING || s == ALERT_RESONANCE ? MS_DAY : 30 * MS_MIN;
	r->quiet_from = r->quiet_to = -1;
	r->severity = horch_xstrdup(s == ALERT_RATING ? "critical" :
				    s == ALERT_RESONANCE ? "info" : "warning");
	r->format = DELIVER_JSON;
	r->sla_ms = 4 * MS_HOUR;
	r->min_priority = 30;
}

/* A span: "90s", "30m", "4h", "7d", "250ms" or a bare number of seconds,
 * at most SPAN_MAX_S.  Returns 0 with *out in ms, or -1. */
static int parse_span(const char *s, int64_t *out)
{
	char *end;
	double v, unit;

	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	if (end == s || !(v >= 0))
		return -1;
	if (!*end || !strcmp(end, "s"))
		unit = 1000;
	else if (!strcmp(end, "ms"))
		unit = 1;
	else if (!strcmp(end, "m"))
		unit = MS_MIN;
	else if (!strcmp(end, "h"))
		unit = MS_HOUR;
	else if (!strcmp(end, "d"))
		unit = MS_DAY;
	else
		return -1;
	/* Checked before the conversion: a double beyond int64_t's range has
	 * no conversion ("1e12d" was undefined behaviour). */
	if (!(v * unit <= SPAN_MAX_S * 1000))
		return -1;
	*out = (int64_t)(v * unit);
	return 0;
}

/* "HH:MM" into minutes of the day. */
static int parse_hhmm(const char *s, size_t len, int *out)
{
	int h, m;
	char buf[8];

	if (len != 5 || s[2] != ':')
		return -1;
	memcpy(buf, s, 5);
	buf[5] = 0;
	if (!isdigit((unsigned char)buf[0]) || !isdigit((unsigned char)buf[1]) ||
	    !isdigit((unsigned char)buf[3]) || !isdigit((unsigned char)buf[4]))
		return -1;
	h = (buf[0] - '0') * 10 + buf[1] - '0';
	m = (buf[3] - '0') * 10 + buf[4] - '0';
	if (h > 23 || m > 59)
		return -1;
	*out = h * 60 + m;
	return 0;
}

/* A list member: a JSON array of strings, or one string of comma-separated
 * items (the config's form).  Returns 0 or -1. */
static int take_list(json_t *v, char ***out, size_t *n)
{
	size_t i;
	json_t *e;

	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		while (*s) {
			const char *comma = strchr(s, ','), *end = comma ? comma : s + strlen(s);
			const char *a = s, *b = end;

			while (a < b && isspace((unsigned char)*a))
				a++;
			while (b > a && isspace((unsigned char)b[-1]))
				b--;
			if (b > a) {
				*out = horch_xrealloc(*out, (*n + 1) * sizeof **out);
				(*out)[(*n)++] = horch_xstrndup(a, (size_t)(b - a));
			}
			s = comma ? comma + 1 : end;
		}
		return 0;
	}
	if (!json_is_array(v))
		return -1;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || !*json_string_value(e))
			return -1;
		*out = horch_xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = horch_xstrdup(json_string_value(e));
	}
	return 0;
}

static int bad(struct horch_err *err, const char *rule, const char *member, const char *what)
{
	return horch_err_set(err, HORCH_EINVAL, "alert rule \"%s\": %s: %s", rule ? rule : "",
			     member, what);
}

/* A number member, also given as a string (the config's form). */
static int take_number(json_t *v, double *out)
{
	char *end;

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	*out = strtod(json_string_value(v), &end);
	return end == json_string_value(v) || *end ? -1 : 0;
}

/* A span member: seconds as a number, or a span string. */
static int take_span(json_t *v, int64_t *out)
{
	if (json_is_number(v)) {
		double d = json_number_value(v);

		if (!(d >= 0) || d > SPAN_MAX_S)
			return -1;
		*out = (int64_t)llround(d * 1000);
		return 0;
	}
	return json_is_string(v) ? parse_span(json_string_value(v), out) : -1;
}

int alert_rule_from_json(struct alert_rule *r, json_t *o, struct horch_err *err)
{
	const char *key, *name;
	json_t *v, *sig;
	int s = -1;

	if (!json_is_object(o))
		return horch_err_set(err, HORCH_EINVAL, "alert rule: not a JSON object");
	v = json_object_get(o, "name");
	if (!json_is_string(v) || !*(name = json_string_value(v)))
		return horch_err_set(err, HORCH_EINVAL, "alert rule: \"name\" is required");
	if (store_name_problem(name, strlen(name)))
		return bad(err, name, "name", store_name_problem(name, strlen(name)));
	sig = json_object_get(o, "signal");
	for (int i = 0; i < (int)N_SIGNALS && json_is_string(sig); i++)
		if (!strcmp(json_string_value(sig), signal_names[i]))
			s = i;
	if (s < 0)
		return bad(err, name, "signal", "spike, shift, rating, resonance, unanswered or "
			   "source is required");
	rule_defaults(r, (enum alert_signal)s);
	r->name = horch_xstrdup(name);
	json_object_foreach(o, key, v) {
		double d;

		if (json_is_null(v) || !strcmp(key, "name") || !strcmp(key, "signal") ||
		    !strcmp(key, "origin"))
			continue;
		if (!strcmp(key, "topics")) {
			if (take_list(v, &r->topics, &r->n_topics))
				return bad(err, name, key, "a list of topic names");
		} else if (!strcmp(key, "products")) {
			if (take_list(v, &r->products, &r->n_products))
				return bad(err, name, key, "a list of product names");
		} else if (!strcmp(key, "recipients")) {
			if (take_list(v, &r->recipients, &r->n_recipients))
				return bad(err, name, key, "a list of user names and team:NAME");
		} else if (!strcmp(key, "threshold")) {
			if (r->signal == ALERT_RESONANCE || r->signal == ALERT_UNANSWERED ||
			    r->signal == ALERT_SOURCE) {
				if (take_number(v, &d))
					return bad(err, name, key, "a number (not used by this "
						   "signal)");
				continue;
			}
			if (take_number(v, &d) || !(d > 0) ||
			    (r->signal == ALERT_SPIKE && d > 1) || d > 100)
				return bad(err, name, key, r->signal == ALERT_SPIKE ?
					   "a score above 0 and at most 1" : "a number above 0");
			r->threshold = d;
		} else if (!strcmp(key, "min_reviews")) {
			if (take_number(v, &d) || !(d >= 1) || d > 1e6)
				return bad(err, name, key, "a count of at least 1");
			r->min_reviews = (size_t)d;
		} else if (!strcmp(key, "min_priority")) {
			if (take_number(v, &d) || !(d >= 0) || d > 100)
				return bad(err, name, key, "a priority from 0 to 100");
			/* "-0" is 0: its JSON, -0, would read back as 0. */
			r->min_priority = d == 0 ? 0 : d;
		} else if (!strcmp(key, "window_s") || !strcmp(key, "window")) {
			if (take_span(v, &r->window_ms) || r->window_ms < 1000)
				return bad(err, name, key, "a span such as 30d");
		} else if (!strcmp(key, "cooldown_s") || !strcmp(key, "cooldown")) {
			if (take_span(v, &r->cooldown_ms))
				return bad(err, name, key, "a span such as 30m");
		} else if (!strcmp(key, "sla_s") || !strcmp(key, "sla")) {
			if (take_span(v, &r->sla_ms) || r->sla_ms < 1000)
				return bad(err, name, key, "a span such as 4h");
		} else if (!strcmp(key, "quiet")) {
			const char *q = json_is_string(v) ? json_string_value(v) : "";
			const char *dash = strchr(q, '-');

			if (!dash || parse_hhmm(q, (size_t)(dash - q), &r->quiet_from) ||
			    parse_hhmm(dash + 1, strlen(dash + 1), &r->quiet_to))
				return bad(err, name, key, "HH:MM-HH:MM (UTC), e.g. 22:00-07:00");
		} else if (!strcmp(key, "severity")) {
			const char *sv = json_is_string(v) ? json_string_value(v) : "";

			if (strcmp(sv, "info") && strcmp(sv, "warning") && strcmp(sv, "critical"))
				return bad(err, name, key, "info, warning or critical");
			free(r->severity);
			r->severity = horch_xstrdup(sv);
		} else if (!strcmp(key, "webhook")) {
			const char *u = json_is_string(v) ? json_string_value(v) : "";

			if (strncmp(u, "http://", 7) && strncmp(u, "https://", 8))
				return bad(err, name, key, "an http:// or https:// URL");
			r->webhook = horch_xstrdup(u);
		} else if (!strcmp(key, "format")) {
			if (!json_is_string(v) || deliver_format_parse(json_string_value(v), &r->format))
				return bad(err, name, key, "json, slack or teams");
		} else if (!strcmp(key, "email")) {
			const char *e = json_is_string(v) ? json_string_value(v) : "";

			if (!strchr(e, '@') || strpbrk(e, "\r\n<>"))
				return bad(err, name, key, "one or more addresses, separated by commas");
			r->email = horch_xstrdup(e);
		} else {
			return bad(err, name, key, "not a member of a rule");
		}
	}
	return 0;
}

static void json_list(struct buf *b, char *const *v, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		json_put_string(b, v[i]);
	}
	buf_putc(b, ']');
}

void alert_rule_json(struct buf *b, const struct alert_rule *r)
{
	static const char *const origins[] = { "default", "config", "api" };
	static const char *const formats[] = { "json", "slack", "teams", "email" };

	buf_puts(b, "{\"name\":");
	json_put_string(b, r->name);
	buf_printf(b, ",\"signal\":\"%s\",\"topics\":", alert_signal_name(r->signal));
	json_list(b, r->topics, r->n_topics);
	buf_puts(b, ",\"products\":");
	json_list(b, r->products, r->n_products);
	/* Resonance and unanswered have no threshold: null, which reads back
	 * as the default. */
	if (r->signal == ALERT_SPIKE || r->signal == ALERT_SHIFT || r->signal == ALERT_RATING)
		buf_printf(b, ",\"threshold\":%.17g", r->threshold);
	else
		buf_puts(b, ",\"threshold\":null");
	buf_printf(b, ",\"min_reviews\":%zu,\"window_s\":%.17g,\"cooldown_s\":%.17g,\"quiet\":",
		   r->min_reviews, (double)r->window_ms / 1000, (double)r->cooldown_ms / 1000);
	if (r->quiet_from >= 0)
		buf_printf(b, "\"%02d:%02d-%02d:%02d\"", r->quiet_from / 60, r->quiet_from % 60,
			   r->quiet_to / 60, r->quiet_to % 60);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"severity\":");
	json_put_string(b, r->severity);
	buf_puts(b, ",\"recipients\":");
	json_list(b, r->recipients, r->n_recipients);
	buf_puts(b, ",\"webhook\":");
	if (r->webhook)
		json_put_string(b, r->webhook);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"format\":\"%s\",\"email\":", formats[r->format & 3]);
	if (r->email)
		json_put_string(b, r->email);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"sla_s\":%.17g,\"min_priority\":%.17g,\"origin\":\"%s\"}",
		   (double)r->sla_ms / 1000, r->min_priority, origins[r->origin % 3]);
}

const char *const alert_conf_keys[] = {
	"alert *.signal", "alert *.topics", "alert *.products", "alert *.threshold",
	"alert *.min_reviews", "alert *.window", "alert *.cooldown", "alert *.quiet",
	"alert *.severity", "alert *.recipients", "alert *.webhook", "alert *.format",
	"alert *.email", "alert *.sla", "alert *.min_priority", NULL,
};

int alert_rules_from_conf(const struct conf *c, struct alert_rule **out, size_t *n,
			  struct horch_err *err)
{
	size_t i, j;
	json_t *o = NULL, *v;
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; c && i < c->n; i++) {
		const char *key = c->items[i].key, *dot = strrchr(key, '.');
		int seen = 0;

		if (strncmp(key, "alert ", 6) || !dot)
			continue;
		/* One rule per section: gather its items the first time it is met. */
		for (j = 0; j < i && !seen; j++) {
			const char *k = c->items[j].key, *d = strrchr(k, '.');

			seen = d && d - k == dot - key && !strncmp(k, key, (size_t)(dot - key));
		}
		if (seen)
			continue;
		/* jansson takes UTF-8 only: a name or a value that is not would
		 * be left out without a word (json_string() returns NULL). */
		o = json_object();
		if (!(v = json_stringn(key + 6, (size_t)(dot - key - 6)))) {
			rc = horch_err_at(err, HORCH_EINVAL, c->items[i].line, 0, "%s:%d: the name "
					  "of an [alert NAME] section is not valid UTF-8", c->path,
					  c->items[i].line);
			goto fail;
		}
		json_object_set_new(o, "name", v);
		for (j = i; j < c->n; j++) {
			const char *k = c->items[j].key, *d = strrchr(k, '.');

			if (!d || d - k != dot - key || strncmp(k, key, (size_t)(dot - key)))
				continue;
			if (!(v = json_string(c->items[j].value))) {
				rc = horch_err_at(err, HORCH_EINVAL, c->items[j].line, 0, "%s:%d: "
						  "alert rule \"%.*s\": %s: not valid UTF-8", c->path,
						  c->items[j].line, (int)(dot - key - 6), key + 6, d + 1);
				goto fail;
			}
			json_object_set_new(o, d + 1, v);
		}
		*out = horch_xrealloc(*out, (*n + 1) * sizeof **out);
		memset(&(*out)[*n], 0, sizeof **out);
		rc = alert_rule_from_json(&(*out)[*n], o, err);
		(*out)[*n].origin = ALERT_ORIGIN_CONFIG;
		(*n)++;
		json_decref(o);
		o = NULL;
		if (rc) {
			char msg[sizeof err->msg];

			snprintf(msg, sizeof msg, "%s", err->msg);
			rc = horch_err_at(err, HORCH_EINVAL, c->items[i].line, 0, "%s:%d: %s",
					  c->path, c->items[i].line, msg);
			goto fail;
		}
		/* Rule names are one name whatever their case, as the engine
		 * and the API look them up. */
		for (j = 0; j + 1 < *n; j++)
			if (strcasecmp((*out)[j].name, (*out)[*n - 1].name) == 0) {
				rc = horch_err_at(err, HORCH_EINVAL, c->items[i].line, 0, "%s:%d: "
						  "[alert %s] is the rule [alert %s] again (names "
						  "ignore case)", c->path, c->items[i].line,
						  (*out)[*n - 1].name, (*out)[j].name);
				goto fail;
			}
	}
	return 0;
fail:
	json_decref(o);
	alert_rules_free(*out, *n);
	*out = NULL;
	*n = 0;
	return rc;
}

void alert_rules_default(struct alert_rule **out, size_t *n)
{
	static const struct {
		const char *name;
		enum alert_signal s;
	} d[] = {
		{ "buzz", ALERT_SPIKE }, { "sentiment", ALERT_SHIFT },
		{ "unanswered", ALERT_UNANSWERED }, { "two-star", ALERT_RATING },
		{ "no-resonance", ALERT_RESONANCE }, { "source-health", ALERT_SOURCE },
	};

	*n = sizeof d / sizeof d[0];
	*out = horch_xcalloc(*n, sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		rule_defaults(&(*out)[i], d[i].s);
		(*out)[i].name = horch_xstrdup(d[i].name);
		(*out)[i].origin = ALERT_ORIGIN_DEFAULT;
	}
}

int alert_rule_covers(const struct alert_rule *r, const char *name, int product)
{
	char *const *v = product ? r->products : r->topics;
	size_t n = product ? r->n_products : r->n_topics;

	if (!n)
		return 1;
	for (size_t i = 0; name && i < n; i++)
		if (strcasecmp(v[i], name) == 0)
			return 1;
	return 0;
}

int alert_rule_quiet(const struct alert_rule *r, int m)
{
	if (r->quiet_from < 0 || r->quiet_from == r->quiet_to)
		return 0;
	if (r->quiet_from < r->quiet_to)
		return m >= r->quiet_from && m < r->quiet_to;
	return m >= r->quiet_from || m < r->quiet_to;
}

/* ---- the alert's JSON ---- */

static void put_time(struct buf *b, int64_t t)
{
	char ts[HORCH_TIME_BUFSZ];

	if (t > 0) {
		buf_putc(b, '"');
		buf_puts(b, horch_time_format(t, ts));
		buf_putc(b, '"');
	} else {
		buf_puts(b, "null");
	}
}

static void put_str_or_null(struct buf *b, const char *s)
{
	if (s)
		json_put_string(b, s);
	else
		buf_puts(b, "null");
}

/* Append raw JSON text when it is a JSON value, else fallback. */
static void put_raw(struct buf *b, const char *raw, const char *fallback)
{
	json_t *v = raw ? json_loads(raw, JSON_DECODE_ANY, NULL) : NULL;

	buf_puts(b, v ? raw : fallback);
	json_decref(v);
}

void alert_json(struct buf *b, const struct store_alert *a, const char *topic,
		const char *product)
{
	buf_printf(b, "{\"id\":%lld,\"rule\":", (long long)a->id);
	json_put_string(b, a->rule ? a->rule : "");
	buf_puts(b, ",\"kind\":");
	json_put_string(b, a->kind ? a->kind : "");
	buf_puts(b, ",\"key\":");
	json_put_string(b, a->key ? a->key : "");
	buf_puts(b, ",\"topic\":");
	if (a->topic_id > 0) {
		buf_printf(b, "{\"id\":%lld,\"name\":", (long long)a->topic_id);
		put_str_or_null(b, topic);
		buf_putc(b, '}');
	} else {
		buf_puts(b, "null");
	}
	buf_puts(b, ",\"product\":");
	if (a->product_id > 0) {
		buf_printf(b, "{\"id\":%lld,\"name\":", (long long)a->product_id);
		put_str_or_null(b, product);
		buf_putc(b, '}');
	} else {
		buf_puts(b, "null");
	}
	buf_puts(b, ",\"severity\":");
	json_put_string(b, a->severity ? a->severity : "warning");
	buf_puts(b, ",\"title\":");
	json_put_string(b, a->title ? a->title : "");
	buf_puts(b, ",\"summary\":");
	json_put_string(b, a->summary ? a->summary : "");
	buf_puts(b, ",\"state\":");
	json_put_string(b, a->state ? a->state : "open");
	buf_puts(b, ",\"at\":");
	put_time(b, a->at);
	buf_puts(b, ",\"last_at\":");
	put_time(b, a->last_at);
	buf_printf(b, ",\"fired\":%lld,\"opened_at\":", (long long)a->fired);
	put_time(b, a->opened_at);
	buf_puts(b, ",\"acked_by\":");
	put_str_or_null(b, a->acked_by);
	buf_puts(b, ",\"acked_at\":");
	put_time(b, a->acked_by ? a->acked_at : 0);
	buf_puts(b, ",\"resolved_by\":");
	put_str_or_null(b, a->resolved_by);
	buf_puts(b, ",\"resolved_at\":");
	put_time(b, a->resolved_by ? a->resolved_at : 0);
	buf_puts(b, ",\"recipients\":");
	put_raw(b, a->recipients, "[]");
	buf_puts(b, ",\"evidence\":");
	put_raw(b, a->evidence, "{}");
	buf_putc(b, '}');
}
