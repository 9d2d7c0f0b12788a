/* clock.h - time in horch: milliseconds since the Unix epoch, UTC.
 *
 * Every time in a post, the store and the API is an int64_t count of
 * milliseconds since 1970-01-01T00:00:00Z.  This file reads the forms the
 * platforms write and writes RFC 3339.  Pure functions; any thread. */
#ifndef HORCH_CLOCK_H
#define HORCH_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define HORCH_TIME_NONE INT64_MIN  /* "no time given" */

/* Parse an absolute time from s[0..len) (surrounding blanks ignored):
 *   RFC 3339 / ISO 8601:  2015-02-24T11:35:52Z, 2015-02-24T11:35:52.123+01:00,
 *                         2015-02-24 11:35:52 (no zone: UTC), 2015-02-24 (midnight UTC)
 *   SQL-ish with zone:    2015-02-24 11:35:52 -0800
 *   Twitter / ctime:      Tue Feb 24 11:35:52 -0800 2015, Tue Feb 24 11:35:52 +0000 2015
 *   RFC 2822 (RSS):       Tue, 24 Feb 2015 11:35:52 GMT, ... -0800, ... +0100
 *   epoch:                1424806552 (seconds), 1424806552123 (milliseconds; 13+ digits),
 *                         1424806552.5 (fractional seconds)
 * Returns 0 and stores milliseconds UTC in *out; HORCH_EPARSE with a message
 * naming the column at fault otherwise (*out untouched). */
int horch_time_parse(const char *s, size_t len, int64_t *out, struct horch_err *err);

/* Parse a time given on a command line for --since/--until: anything
 * horch_time_parse takes, or a span back from now: "90s", "15m", "2h", "7d",
 * "4w".  now is the reference time in ms. */
int horch_time_parse_relative(const char *s, int64_t now, int64_t *out,
			      struct horch_err *err);

/* Write t as RFC 3339 UTC into out ("2015-02-24T19:35:52Z", with ".123"
 * when the milliseconds are not zero).  Returns out. */
#define HORCH_TIME_BUFSZ 32
char *horch_time_format(int64_t t, char out[HORCH_TIME_BUFSZ]);

/* t rounded down to a multiple of step (> 0), also for times before the
 * epoch: the start of the minute, hour, day or interval that holds t. */
static inline int64_t horch_time_floor(int64_t t, int64_t step)
{
	int64_t r = t % step;

	return r < 0 ? t - r - step : t - r;
}

/* The current time in ms (CLOCK_REALTIME). */
int64_t horch_now(void);
/* A monotonic clock in nanoseconds, for measuring durations. */
int64_t horch_mono_ns(void);

#endif
