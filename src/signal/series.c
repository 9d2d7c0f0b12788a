/* series.c - a series of counts read from CSV (signal.h): the files of
 * `horch eval spikes` (NAB's "timestamp,value" series).  A bad row is an
 * error that names the file and the line; the rows must be in ascending
 * time; the sizes are capped. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "signal.h"

/* Parse the CSV series text[0..len) of path into s: a header
 * "timestamp,value", then rows "time,number" in ascending time.  Returns 0,
 * or HORCH_EPARSE / HORCH_ETOOBIG with err naming the file and line. */
int signal_series_parse(struct signal_series *s, const char *path, const char *text,
			size_t len, struct horch_err *err)
{
	size_t pos = 0;
	long line = 0;

	while (pos < len) {
		const char *row = text + pos, *eol = memchr(row, '\n', len - pos);
		size_t rlen = eol ? (size_t)(eol - row) : len - pos;
		const char *comma;
		char num[64], *end;
		int64_t t;
		double v;

		pos += rlen + (eol != NULL);
		line++;
		if (rlen && row[rlen - 1] == '\r')
			rlen--;
		if (rlen == 0)
			continue;
		if (memchr(row, '\0', rlen))
			return horch_err_at(err, HORCH_EPARSE, line, 0, "%s:%ld: a NUL byte", path,
					    line);
		if (line == 1) {
			if (rlen != 15 || memcmp(row, "timestamp,value", 15) != 0)
				return horch_err_at(err, HORCH_EPARSE, line, 1, "%s:1: expected "
						    "the header timestamp,value", path);
			continue;
		}
		comma = memchr(row, ',', rlen);
		if (!comma)
			return horch_err_at(err, HORCH_EPARSE, line, 1, "%s:%ld: expected "
					    "timestamp,value", path, line);
		if (horch_time_parse(row, (size_t)(comma - row), &t, err))
			return horch_err_at(err, HORCH_EPARSE, line, 1, "%s:%ld: the timestamp: %s",
					    path, line, err->msg);
		if (rlen - (size_t)(comma - row) - 1 >= sizeof num)
			return horch_err_at(err, HORCH_EPARSE, line, comma - row + 2, "%s:%ld: the "
					    "value is too long", path, line);
		memcpy(num, comma + 1, rlen - (size_t)(comma - row) - 1);
		num[rlen - (size_t)(comma - row) - 1] = '\0';
		v = strtod(num, &end);
		if (end == num || *end || !isfinite(v) || v < 0)
			return horch_err_at(err, HORCH_EPARSE, line, comma - row + 2, "%s:%ld: the "
					    "value '%s' is not a number >= 0", path, line, num);
		if (s->n && t <= s->t[s->n - 1])
			return horch_err_at(err, HORCH_EPARSE, line, 1, "%s:%ld: the time is not "
					    "after the row before", path, line);
		if (s->n >= SIGNAL_SERIES_MAX_ROWS)
			return horch_err_at(err, HORCH_ETOOBIG, line, 0, "%s:%ld: more than %zu "
					    "rows", path, line, SIGNAL_SERIES_MAX_ROWS);
		if (s->n == s->cap) {
			size_t cap = s->cap;

			s->t = horch_xgrow(s->t, &s->cap, s->n + 1, sizeof *s->t);
			s->v = horch_xgrow(s->v, &cap, s->n + 1, sizeof *s->v);
		}
		s->t[s->n] = t;
		s->v[s->n++] = v;
	}
	if (s->n == 0)
		return horch_err_set(err, HORCH_EPARSE, "%s: no rows", path);
	return 0;
}

void signal_series_cleanup(struct signal_series *s)
{
	if (!s)
		return;
	free(s->t);
	free(s->v);
	memset(s, 0, sizeof *s);
}
