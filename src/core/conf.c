/* conf.c - the INI configuration file (conf.h) on libinih. */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "conf.h"

struct reading {
	struct conf *c;
	const char *const *known;
	struct horch_err *err;
	FILE *f;
	int line;     /* lines read so far: the handler's item is on the last */
};

/* libinih's reader (fgets), counting lines: Debian builds libinih without
 * the line number in the handler. */
static char *read_line(char *str, int num, void *stream)
{
	struct reading *r = stream;
	char *s = fgets(str, num, r->f);

	if (s)
		r->line++;
	return s;
}

/* Whether "section.name" is the known key k: equal, or k is "kind *.name"
 * and section is "kind SOMETHING" (a named section such as [alert buzz]). */
static int key_known(const char *k, const char *section, const char *name)
{
	const char *star = strstr(k, " *."), *sp;
	char exact[256];

	if (!star) {
		snprintf(exact, sizeof exact, "%s.%s", section, name);
		return strcmp(k, exact) == 0;
	}
	sp = strchr(section, ' ');
	return sp && sp > section && sp[1] && (size_t)(sp - section) == (size_t)(star - k) &&
	       strncmp(section, k, (size_t)(star - k)) == 0 && strcmp(star + 3, name) == 0;
}

static int on_item(void *user, const char *section, const char *name, const char *value)
{
	struct reading *r = user;
	struct conf *c = r->c;
	int lineno = r->line;
	char key[256];
	size_t i;

	if (r->err->code)
		return 0; /* the first error is the one reported */

	snprintf(key, sizeof key, "%s.%s", section, name);
	for (i = 0; r->known[i]; i++)
		if (key_known(r->known[i], section, name))
			break;
	if (!r->known[i]) {
		horch_err_at(r->err, HORCH_EPARSE, lineno, 0, "%s:%d: unknown setting \"%s\"%s",
			     c->path, lineno, key,
			     section[0] ? "" : " (settings belong in a [section])");
		return 0;
	}
	if (conf_get(c, key)) {
		horch_err_at(r->err, HORCH_EPARSE, lineno, 0,
			     "%s:%d: \"%s\" is set twice (first on line %d)", c->path, lineno, key,
			     conf_get(c, key)->line);
		return 0;
	}
	c->items = horch_xgrow(c->items, &c->cap, c->n + 1, sizeof *c->items);
	c->items[c->n].key = horch_xstrdup(key);
	c->items[c->n].value = horch_xstrdup(value);
	c->items[c->n].line = lineno;
	c->n++;
	return 1;
}

int conf_read(struct conf *c, const char *path, const char *const *known,
	      struct horch_err *err)
{
	FILE *f = fopen(path, "r");
	struct reading r = { c, known, err, f, 0 };
	int rc;

	c->path = horch_xstrdup(path);
	if (!f)
		return horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno));
	horch_err_clear(err);
	rc = ini_parse_stream(read_line, &r, on_item, &r);
	fclose(f);
	/* The first fault of the file: a line that is no setting (libinih's
	 * return) or a setting refused. */
	if (err->code && !(rc > 0 && rc < err->line))
		return err->code;
	if (rc != 0)
		return horch_err_at(err, HORCH_EPARSE, rc, 0,
				    "%s:%d: not \"name = value\", a [section] or a comment", path,
				    rc > 0 ? rc : 0);
	return 0;
}

void conf_cleanup(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].key);
		free(c->items[i].value);
	}
	free(c->items);
	free(c->path);
	memset(c, 0, sizeof *c);
}

const struct conf_item *conf_get(const struct conf *c, const char *key)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (strcmp(c->items[i].key, key) == 0)
			return &c->items[i];
	return NULL;
}

int conf_str(const struct conf *c, const char *key, const char **out, struct horch_err *err)
{
	const struct conf_item *it = conf_get(c, key);

	(void)err;
	if (it)
		*out = it->value;
	return 0;
}

int conf_bool(const struct conf *c, const char *key, int *out, struct horch_err *err)
{
	const struct conf_item *it = conf_get(c, key);

	if (!it)
		return 0;
	if (!strcasecmp(it->value, "true") || !strcasecmp(it->value, "yes") ||
	    !strcmp(it->value, "1") || !strcasecmp(it->value, "on")) {
		*out = 1;
	} else if (!strcasecmp(it->value, "false") || !strcasecmp(it->value, "no") ||
		   !strcmp(it->value, "0") || !strcasecmp(it->value, "off")) {
		*out = 0;
	} else {
		return horch_err_at(err, HORCH_EINVAL, it->line, 0,
				    "%s:%d: %s: \"%.64s\" is not true or false", c->path, it->line,
				    key, it->value);
	}
	return 0;
}

int conf_size(const struct conf *c, const char *key, size_t min, size_t max, int bytes,
	      size_t *out, struct horch_err *err)
{
	const struct conf_item *it = conf_get(c, key);
	unsigned long long v, mul = 1;
	char *end;

	if (!it)
		return 0;
	errno = 0;
	v = strtoull(it->value, &end, 10);
	if (bytes && (*end == 'k' || *end == 'K'))
		mul = 1024, end++;
	else if (bytes && *end == 'M')
		mul = 1024 * 1024, end++;
	else if (bytes && *end == 'G')
		mul = 1024ULL * 1024 * 1024, end++;
	if (errno || end == it->value || *end || it->value[0] == '-' ||
	    v > (unsigned long long)max / mul || v * mul < min)
		return horch_err_at(err, HORCH_EINVAL, it->line, 0,
				    "%s:%d: %s: \"%.64s\" is not a number from %zu to %zu%s", c->path,
				    it->line, key, it->value, min, max,
				    bytes ? " (bytes; k, M, G allowed)" : "");
	*out = (size_t)(v * mul);
	return 0;
}

int conf_ms(const struct conf *c, const char *key, int64_t min, int64_t max, int64_t *out,
	    struct horch_err *err)
{
	const struct conf_item *it = conf_get(c, key);
	long long v, mul = 1;
	char *end;

	if (!it)
		return 0;
	errno = 0;
	v = strtoll(it->value, &end, 10);
	if (strcmp(end, "ms") == 0 || !*end)
		mul = 1;
	else if (strcmp(end, "s") == 0)
		mul = 1000;
	else if (strcmp(end, "m") == 0)
		mul = 60000;
	else if (strcmp(end, "h") == 0)
		mul = 3600000;
	else
		mul = 0;
	if (errno || end == it->value || !mul || v < 0 || v > max / mul || v * mul < min)
		return horch_err_at(err, HORCH_EINVAL, it->line, 0,
				    "%s:%d: %s: \"%.64s\" is not a duration from %lldms to %lldms "
				    "(250ms, 5s, 2m, 1h)", c->path, it->line, key, it->value,
				    (long long)min, (long long)max);
	*out = v * mul;
	return 0;
}
