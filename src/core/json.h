/* json.h - writing JSON values.
 *
 * One place for the escaping of JSON strings, used by the canonical post
 * format (post_json.c) and by every command that prints JSON.  Pure; any
 * thread. */
#ifndef HORCH_JSON_H
#define HORCH_JSON_H

#include "buf.h"

/* Append s as a JSON string: quotes, backslashes and control characters
 * escaped, U+2028/U+2029 escaped (so the output is also valid JavaScript),
 * and every byte that is not part of valid UTF-8 written as U+FFFD so that
 * the output is always valid JSON.  Returns 0 or HORCH_ETOOBIG (out's
 * cap). */
int json_put_string(struct buf *out, const char *s);

#endif
