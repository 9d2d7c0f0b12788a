/* source.c - the settings of a source (struct source_conf) and which of
 * them are credentials.
 *
 * A source is a kind, a URL, an interval and any number of key = value
 * settings that its connector reads.  They come from a [source NAME]
 * section of horch.conf, from `horch source add --set`, or from the API,
 * and are stored as they were given; a credential may be written
 * "env:NAME" so that the secret itself lives in the environment. */
#include "connector.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"

void source_conf_init(struct source_conf *c)
{
	memset(c, 0, sizeof *c);
	c->enabled = 1;
}

void source_conf_cleanup(struct source_conf *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->kind);
	free(c->url);
	for (size_t i = 0; i < c->n_params; i++) {
		free(c->params[i].key);
		free(c->params[i].value);
	}
	free(c->params);
	source_conf_init(c);
}

const char *source_param(const struct source_conf *c, const char *key)
{
	for (size_t i = 0; i < c->n_params; i++)
		if (strcmp(c->params[i].key, key) == 0)
			return c->params[i].value;
	return NULL;
}

/* Read a count of seconds ("600", "10m", "2h", "1d") into *out. */
static int parse_seconds(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	/* Under 10 years in any unit, so that the multiplication below
	 * cannot overflow. */
	if (errno || end == s || v < 0 || v > 315360000L)
		return -1;
	switch (*end) {
	case '\0': case 's': break;
	case 'm': v *= 60; break;
	case 'h': v *= 3600; break;
	case 'd': v *= 86400; break;
	default: return -1;
	}
	if (*end && end[1])
		return -1;
	if (v > INT_MAX / 2)
		return -1;
	*out = (int)v;
	return 0;
}

/* 1 for yes/true/on/1, 0 for no/false/off/0, -1 for anything else. */
static int parse_bool(const char *s)
{
	if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcasecmp(s, "on") ||
	    !strcmp(s, "1"))
		return 1;
	if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcasecmp(s, "off") ||
	    !strcmp(s, "0"))
		return 0;
	return -1;
}

int source_param_set(struct source_conf *c, const char *key, const char *value,
		     struct horch_err *err)
{
	if (!strcmp(key, "url")) {
		free(c->url);
		c->url = *value ? horch_xstrdup(value) : NULL;
		return 0;
	}
	if (!strcmp(key, "kind")) {
		free(c->kind);
		c->kind = horch_xstrdup(value);
		return 0;
	}
	if (!strcmp(key, "interval")) {
		if (parse_seconds(value, &c->interval) || c->interval < 1)
			return horch_err_set(err, HORCH_EINVAL, "setting \"interval\": \"%.64s\" is "
					     "not a number of seconds (600, 10m, 2h)", value);
		return 0;
	}
	if (!strcmp(key, "enabled")) {
		int b = parse_bool(value);

		if (b < 0)
			return horch_err_set(err, HORCH_EINVAL, "setting \"enabled\": \"%.64s\" "
					     "is not yes or no", value);
		c->enabled = b;
		return 0;
	}
	if (!*key || strlen(key) > 64 || strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_-.") !=
	    strlen(key))
		return horch_err_set(err, HORCH_EINVAL, "setting \"%.64s\": a key is 1 to 64 lower "
				     "case letters, digits, '_', '-' or '.'", key);
	for (size_t i = 0; i < c->n_params; i++) {
		if (strcmp(c->params[i].key, key) == 0) {
			free(c->params[i].value);
			c->params[i].value = horch_xstrdup(value);
			return 0;
		}
	}
	c->params = horch_xrealloc(c->params, (c->n_params + 1) * sizeof *c->params);
	c->params[c->n_params].key = horch_xstrdup(key);
	c->params[c->n_params].value = horch_xstrdup(value);
	c->n_params++;
	return 0;
}

int source_int_param(const struct source_conf *c, const char *key, int def, int lo, int hi,
		     int *out, struct horch_err *err)
{
	const char *v = source_param(c, key);
	char *end;
	long n;

	*out = def;
	if (!v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return horch_err_set(err, HORCH_EINVAL, "setting \"%s\": \"%.64s\" is not a "
				     "number from %d to %d", key, v, lo, hi);
	*out = (int)n;
	return 0;
}

int source_bool_param(const struct source_conf *c, const char *key, int def, int *out,
		      struct horch_err *err)
{
	const char *v = source_param(c, key);
	int b;

	*out = def;
	if (!v)
		return 0;
	if ((b = parse_bool(v)) < 0)
		return horch_err_set(err, HORCH_EINVAL, "setting \"%s\": \"%.64s\" is not yes "
				     "or no", key, v);
	*out = b;
	return 0;
}

int source_timeout_param(const struct source_conf *c, int hi, int *ms, struct horch_err *err)
{
	int rc = source_int_param(c, "timeout", SOURCE_TIMEOUT_MS / 1000, 1, hi, ms, err);

	*ms *= 1000;
	return rc;
}

int source_key_secret(const char *key)
{
	size_t len = strlen(key);

	if (!strcmp(key, "token") || !strcmp(key, "password") || !strcmp(key, "secret"))
		return 1;
	return (len > 6 && !strcmp(key + len - 6, "_token")) ||
	       (len > 7 && !strcmp(key + len - 7, "_secret"));
}

const char *source_secret(const struct source_conf *c, const char *key)
{
	const char *v = source_param(c, key);

	if (v && !strncmp(v, "env:", 4)) {
		v = getenv(v + 4);
		if (v && !*v)
			v = NULL;
	}
	return v;
}
