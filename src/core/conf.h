/* conf.h - the INI configuration file (horch.conf), read with Debian's
 * libinih.
 *
 *   [server]
 *   listen = 127.0.0.1:8080   ; comments start with ; or #
 *
 * conf_read() keeps every "section.key = value" with its line, refusing a
 * key that is not in the caller's list of known keys (a typo is an error
 * that names its line, not a setting silently ignored).  The typed getters
 * check the value and name the file, line and key when it is wrong.
 * Single-threaded. */
#ifndef HORCH_CONF_H
#define HORCH_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct conf_item {
	char *key;    /* "section.name" */
	char *value;
	int line;
};

struct conf {
	char *path;
	struct conf_item *items;
	size_t n, cap;
};

/* Read path into c (zeroed by the caller).  known lists the allowed
 * "section.name" keys, NULL-terminated; "kind *.name" allows name in every
 * named section [kind NAME] (the item's key is then "kind NAME.name").  Returns 0, HORCH_EIO (cannot be
 * read) or HORCH_EPARSE (a syntax error, an unknown key or a key given
 * twice; err names the line). */
int conf_read(struct conf *c, const char *path, const char *const *known,
	      struct horch_err *err);
void conf_cleanup(struct conf *c); /* NULL-safe */

/* The value of key, or NULL when not given (c may be NULL or empty). */
const struct conf_item *conf_get(const struct conf *c, const char *key);

/* Typed values: leave *out as it is when key is absent.  Return 0, or
 * HORCH_EINVAL with err naming file, line and key. */
int conf_str(const struct conf *c, const char *key, const char **out, struct horch_err *err);
int conf_bool(const struct conf *c, const char *key, int *out, struct horch_err *err);
/* A count from min to max; suffixes k, M, G (x1024) are taken when bytes. */
int conf_size(const struct conf *c, const char *key, size_t min, size_t max, int bytes,
	      size_t *out, struct horch_err *err);
/* A duration: "250ms", "5s", "2m", "1h"; a bare number is ms. */
int conf_ms(const struct conf *c, const char *key, int64_t min, int64_t max, int64_t *out,
	    struct horch_err *err);

#endif
