/* clock.c - reading and writing times (see clock.h).
 *
 * Every time in horch is an int64_t count of milliseconds since the Unix
 * epoch, UTC.  This file turns the text forms that platforms write (RFC 3339,
 * the SQL-ish form with a zone, Twitter's ctime-like form, RFC 2822 from RSS,
 * epoch numbers) into that count, and writes RFC 3339 back.  The calendar
 * arithmetic is done here with days_from_civil() and civil_from_days()
 * (proleptic Gregorian calendar) rather than timegm()/mktime(), so that the
 * result never depends on TZ, the C library or the process's locale.
 *
 * Accepted times lie between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z,
 * the range RFC 3339 can write.  Errors name the byte column at fault:
 *   bad time "2015-13-01": month 13 out of range at column 6
 *
 * Pure functions; any thread. */
#include "clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MS_PER_SEC 1000LL
#define MS_PER_MIN (60 * MS_PER_SEC)
#define MS_PER_HOUR (60 * MS_PER_MIN)
#define MS_PER_DAY (24 * MS_PER_HOUR)

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in ms. */
#define TIME_MIN (-62167219200000LL)
#define TIME_MAX (253402300799999LL)

/* An epoch number with this many digits or more is in milliseconds. */
#define EPOCH_MS_DIGITS 13
/* More digits than this cannot be a time in range (and could overflow). */
#define EPOCH_MAX_DIGITS 18
/* Digits of a fraction of a second that are read; the rest must be digits
 * too but are dropped. */
#define FRAC_MAX_DIGITS 9

/* Zones as ±minutes east of UTC. */
#define ZONE_MAX_MIN (18 * 60)

/* The state of one parse: the input, the part left after trimming blanks,
 * the position, and where to report. */
struct scan {
	const char *s;   /* the whole input as given */
	size_t len;      /* its length */
	size_t pos;      /* the next byte to read */
	size_t end;      /* one past the last non-blank byte */
	struct horch_err *err;
};

/* The broken-down time a form parser fills. */
struct civil {
	long long year;
	int month;       /* 1..12 */
	int day;         /* 1..31 */
	int hour, min, sec, ms;
	int zone_min;    /* minutes east of UTC */
};

static const char *const month_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *const day_names[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

/* Zone abbreviations that RFC 2822 names (and "UTC"), minutes east of UTC. */
static const struct {
	const char *name;
	int minutes;
} zone_names[] = {
	{ "gmt", 0 }, { "utc", 0 }, { "ut", 0 }, { "z", 0 },
	{ "est", -5 * 60 }, { "edt", -4 * 60 },
	{ "cst", -6 * 60 }, { "cdt", -5 * 60 },
	{ "mst", -7 * 60 }, { "mdt", -6 * 60 },
	{ "pst", -8 * 60 }, { "pdt", -7 * 60 },
};

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's algorithm; exact for every year an int64 holds here). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;                                   /* [0, 399] */
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  /* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil(). */
static void civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;                                 /* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
	mp = (5 * doy + 2) / 153;                               /* [0, 11] */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long long y, int m)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_alpha(int c)
{
	c = lower(c);
	return c >= 'a' && c <= 'z';
}

/* Fill err with `bad time "<input>": <reason> at column <col>` where col is
 * the 1-based byte column of s->s[at].  Returns HORCH_EPARSE. */
__attribute__((format(printf, 3, 4)))
static int fail(struct scan *sc, size_t at, const char *fmt, ...)
{
	char reason[200];
	char quoted[80];
	size_t n = sc->len, i;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	/* Quote at most 64 bytes, cut at a UTF-8 boundary, controls as '?'. */
	if (n > 64) {
		n = 64;
		while (n > 0 && ((unsigned char)sc->s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)sc->s[i];

		quoted[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	quoted[i] = '\0';
	return horch_err_at(sc->err, HORCH_EPARSE, 0, (long)at + 1,
			    "bad time \"%s%s\": %s at column %ld", quoted,
			    n < sc->len ? "..." : "", reason, (long)at + 1);
}

/* Describe the byte at the scan position for an error message. */
static int unexpected(struct scan *sc, const char *wanted)
{
	unsigned char c;

	if (sc->pos >= sc->end)
		return fail(sc, sc->pos, "expected %s, found the end", wanted);
	c = (unsigned char)sc->s[sc->pos];
	if (c >= 0x20 && c < 0x7f)
		return fail(sc, sc->pos, "expected %s, found '%c'", wanted, c);
	return fail(sc, sc->pos, "expected %s, found byte 0x%02x", wanted, c);
}

static int peek(const struct scan *sc)
{
	return sc->pos < sc->end ? (unsigned char)sc->s[sc->pos] : -1;
}

/* Read exactly n digits (n <= 9) into *out. */
static int fixed_digits(struct scan *sc, int n, int *out, const char *what)
{
	int v = 0, i;

	*out = 0;
	for (i = 0; i < n; i++) {
		int c = peek(sc);

		if (!is_digit(c))
			return unexpected(sc, what);
		v = v * 10 + (c - '0');
		sc->pos++;
	}
	*out = v;
	return 0;
}

/* Read 1 to max digits (max <= 9) into *out. */
static int some_digits(struct scan *sc, int max, int *out, const char *what)
{
	int v = 0, i = 0;

	*out = 0;
	while (i < max && is_digit(peek(sc))) {
		v = v * 10 + (peek(sc) - '0');
		sc->pos++;
		i++;
	}
	if (i == 0)
		return unexpected(sc, what);
	if (is_digit(peek(sc)))
		return fail(sc, sc->pos, "too many digits in the %s", what);
	*out = v;
	return 0;
}

static int expect_char(struct scan *sc, int c, const char *what)
{
	if (peek(sc) != c)
		return unexpected(sc, what);
	sc->pos++;
	return 0;
}

/* Skip spaces and tabs; returns how many were skipped. */
static size_t skip_spaces(struct scan *sc)
{
	size_t start = sc->pos;

	while (peek(sc) == ' ' || peek(sc) == '\t')
		sc->pos++;
	return sc->pos - start;
}

static int need_spaces(struct scan *sc, const char *what)
{
	if (!skip_spaces(sc))
		return unexpected(sc, what);
	return 0;
}

/* Length of the run of letters at the scan position. */
static size_t word_len(const struct scan *sc)
{
	size_t n = 0;

	while (sc->pos + n < sc->end && is_alpha((unsigned char)sc->s[sc->pos + n]))
		n++;
	return n;
}

/* Match the word at the scan position against names[]: either the first
 * three letters or the whole name, case-insensitive.  Returns the index or
 * -1; on a match the word is consumed. */
static int match_name(struct scan *sc, const char *const *names, int n_names)
{
	size_t n = word_len(sc);
	int i;

	for (i = 0; i < n_names; i++) {
		size_t full = strlen(names[i]), k;

		if (n != 3 && n != full)
			continue;
		for (k = 0; k < n; k++)
			if (lower((unsigned char)sc->s[sc->pos + k]) != names[i][k])
				break;
		if (k == n) {
			sc->pos += n;
			return i;
		}
	}
	return -1;
}

static int read_month_name(struct scan *sc, int *month)
{
	size_t at = sc->pos;
	int i = match_name(sc, month_names, 12);

	if (i < 0) {
		if (!word_len(sc))
			return unexpected(sc, "a month name");
		return fail(sc, at, "unknown month name \"%.*s\"",
			    (int)(word_len(sc) > 20 ? 20 : word_len(sc)), sc->s + at);
	}
	*month = i + 1;
	return 0;
}

static int read_day_name(struct scan *sc)
{
	size_t at = sc->pos;

	if (match_name(sc, day_names, 7) < 0)
		return fail(sc, at, "unknown day name \"%.*s\"",
			    (int)(word_len(sc) > 20 ? 20 : word_len(sc)), sc->s + at);
	return 0;
}

/* A zone: 'Z', a name from zone_names[], or ±HH, ±HHMM, ±HH:MM.  Stores
 * minutes east of UTC. */
static int read_zone(struct scan *sc, int *out)
{
	size_t at = sc->pos;
	int c = peek(sc);

	if (c == '+' || c == '-') {
		int hh, mm = 0, rc;

		sc->pos++;
		if ((rc = fixed_digits(sc, 2, &hh, "zone hours")))
			return rc;
		if (peek(sc) == ':') {
			sc->pos++;
			if ((rc = fixed_digits(sc, 2, &mm, "zone minutes")))
				return rc;
		} else if (is_digit(peek(sc))) {
			if ((rc = fixed_digits(sc, 2, &mm, "zone minutes")))
				return rc;
		}
		if (mm >= 60)
			return fail(sc, sc->pos - 2, "zone minutes %d out of range", mm);
		if (hh * 60 + mm > ZONE_MAX_MIN)
			return fail(sc, at, "zone %c%02d:%02d beyond ±18:00", c, hh, mm);
		*out = (c == '-' ? -1 : 1) * (hh * 60 + mm);
		return 0;
	}
	if (is_alpha(c)) {
		size_t n = word_len(sc), i, k;

		for (i = 0; i < sizeof zone_names / sizeof zone_names[0]; i++) {
			if (strlen(zone_names[i].name) != n)
				continue;
			for (k = 0; k < n; k++)
				if (lower((unsigned char)sc->s[at + k]) != zone_names[i].name[k])
					break;
			if (k == n) {
				sc->pos += n;
				*out = zone_names[i].minutes;
				return 0;
			}
		}
		return fail(sc, at, "unknown zone \"%.*s\"", (int)(n > 20 ? 20 : n),
			    sc->s + at);
	}
	return unexpected(sc, "a zone");
}

/* Check the ranges of the fields of t; *_at are the columns to blame. */
static int check_date(struct scan *sc, const struct civil *t, size_t year_at,
		      size_t month_at, size_t day_at)
{
	if (t->year < 0 || t->year > 9999)
		return fail(sc, year_at, "year %lld out of range", t->year);
	if (t->month < 1 || t->month > 12)
		return fail(sc, month_at, "month %d out of range", t->month);
	if (t->day < 1 || t->day > days_in_month(t->year, t->month))
		return fail(sc, day_at, "day %d out of range (%04lld-%02d has %d days)",
			    t->day, t->year, t->month, days_in_month(t->year, t->month));
	return 0;
}

/* HH:MM[:SS[.fff]] into t, with range checks; a leap second (60) reads as
 * 59 so that the time stays inside its minute. */
static int read_clock(struct scan *sc, struct civil *t, int allow_frac)
{
	size_t at;
	int rc;

	at = sc->pos;
	if ((rc = fixed_digits(sc, 2, &t->hour, "the hour")))
		return rc;
	if (t->hour > 23)
		return fail(sc, at, "hour %d out of range", t->hour);
	if ((rc = expect_char(sc, ':', "':' after the hour")))
		return rc;
	at = sc->pos;
	if ((rc = fixed_digits(sc, 2, &t->min, "the minutes")))
		return rc;
	if (t->min > 59)
		return fail(sc, at, "minute %d out of range", t->min);
	t->sec = 0;
	t->ms = 0;
	if (peek(sc) != ':')
		return 0;
	sc->pos++;
	at = sc->pos;
	if ((rc = fixed_digits(sc, 2, &t->sec, "the seconds")))
		return rc;
	if (t->sec > 60)
		return fail(sc, at, "second %d out of range", t->sec);
	if (t->sec == 60)
		t->sec = 59;
	if (allow_frac && (peek(sc) == '.' || peek(sc) == ',')) {
		int n = 0, scale = 100;

		sc->pos++;
		if (!is_digit(peek(sc)))
			return unexpected(sc, "digits of a fraction");
		while (is_digit(peek(sc))) {
			if (++n > FRAC_MAX_DIGITS)
				return fail(sc, sc->pos, "more than %d digits in a fraction",
					    FRAC_MAX_DIGITS);
			t->ms += (peek(sc) - '0') * scale;
			scale /= 10;
			sc->pos++;
		}
	}
	return 0;
}

/* The end of every form: only blanks may follow. */
static int expect_end(struct scan *sc)
{
	if (sc->pos < sc->end)
		return unexpected(sc, "the end");
	return 0;
}

/* Combine t into ms UTC and check the result's range. */
static int to_ms(struct scan *sc, const struct civil *t, int64_t *out)
{
	long long days = days_from_civil(t->year, t->month, t->day);
	long long ms = days * MS_PER_DAY + t->hour * MS_PER_HOUR + t->min * MS_PER_MIN +
		       t->sec * MS_PER_SEC + t->ms - t->zone_min * MS_PER_MIN;

	if (ms < TIME_MIN || ms > TIME_MAX)
		return fail(sc, 0, "out of range once the zone is applied");
	*out = ms;
	return 0;
}

/* The common end of a date-time: blanks, an optional zone, nothing else;
 * then the time in ms.  Returns 0 or HORCH_EPARSE. */
static int finish(struct scan *sc, struct civil *t, int64_t *out)
{
	int rc;

	skip_spaces(sc);
	if (sc->pos < sc->end && (rc = read_zone(sc, &t->zone_min)))
		return rc;
	if ((rc = expect_end(sc)))
		return rc;
	return to_ms(sc, t, out);
}

/* RFC 3339 / ISO 8601 and the SQL-ish form:
 *   YYYY-MM-DD[(T|t| )HH:MM[:SS[.frac]][ ][zone]] */
static int parse_iso(struct scan *sc, int64_t *out)
{
	struct civil t = { 0 };
	size_t year_at = sc->pos, month_at, day_at;
	int year = 0, rc;

	if ((rc = fixed_digits(sc, 4, &year, "a four-digit year")))
		return rc;
	t.year = year;
	if ((rc = expect_char(sc, '-', "'-' after the year")))
		return rc;
	month_at = sc->pos;
	if ((rc = fixed_digits(sc, 2, &t.month, "a two-digit month")))
		return rc;
	if ((rc = expect_char(sc, '-', "'-' after the month")))
		return rc;
	day_at = sc->pos;
	if ((rc = fixed_digits(sc, 2, &t.day, "a two-digit day")))
		return rc;
	if ((rc = check_date(sc, &t, year_at, month_at, day_at)))
		return rc;
	if (sc->pos == sc->end)
		return to_ms(sc, &t, out);
	if (peek(sc) == 'T' || peek(sc) == 't') {
		sc->pos++;
	} else if (peek(sc) == ' ' || peek(sc) == '\t') {
		skip_spaces(sc);
	} else {
		return unexpected(sc, "'T' or a space before the time");
	}
	if ((rc = read_clock(sc, &t, 1)))
		return rc;
	return finish(sc, &t, out);
}

/* RFC 2822 (RSS, e-mail), the day name already consumed if there was one:
 *   DD Mon YYYY HH:MM[:SS] [zone] */
static int parse_rfc2822(struct scan *sc, int64_t *out)
{
	struct civil t = { 0 };
	size_t year_at, month_at, day_at, n_year;
	int year = 0, rc;

	day_at = sc->pos;
	if ((rc = some_digits(sc, 2, &t.day, "the day of the month")))
		return rc;
	if ((rc = need_spaces(sc, "a space after the day")))
		return rc;
	month_at = sc->pos;
	if ((rc = read_month_name(sc, &t.month)))
		return rc;
	if ((rc = need_spaces(sc, "a space after the month")))
		return rc;
	year_at = sc->pos;
	if ((rc = some_digits(sc, 4, &year, "the year")))
		return rc;
	n_year = sc->pos - year_at;
	if (n_year == 2) {
		/* RFC 2822 section 4.3: two-digit years 00-49 are 20xx, 50-99 19xx. */
		year += year < 50 ? 2000 : 1900;
	} else if (n_year != 4) {
		return fail(sc, year_at, "a year needs two or four digits");
	}
	t.year = year;
	if ((rc = check_date(sc, &t, year_at, month_at, day_at)))
		return rc;
	if ((rc = need_spaces(sc, "a space before the time")))
		return rc;
	if ((rc = read_clock(sc, &t, 0)))
		return rc;
	return finish(sc, &t, out);
}

/* Twitter's form and ctime(), the day name already consumed:
 *   Mon DD HH:MM:SS zone YYYY   or   Mon DD HH:MM:SS YYYY [zone] */
static int parse_ctime(struct scan *sc, int64_t *out)
{
	struct civil t = { 0 };
	size_t year_at, month_at, day_at;
	int year = 0, rc;

	month_at = sc->pos;
	if ((rc = read_month_name(sc, &t.month)))
		return rc;
	if ((rc = need_spaces(sc, "a space after the month")))
		return rc;
	day_at = sc->pos;
	if ((rc = some_digits(sc, 2, &t.day, "the day of the month")))
		return rc;
	if ((rc = need_spaces(sc, "a space before the time")))
		return rc;
	if ((rc = read_clock(sc, &t, 0)))
		return rc;
	if ((rc = need_spaces(sc, "a space after the time")))
		return rc;
	if (is_digit(peek(sc))) {
		year_at = sc->pos;
		if ((rc = fixed_digits(sc, 4, &year, "a four-digit year")))
			return rc;
		skip_spaces(sc);
		if (sc->pos < sc->end && (rc = read_zone(sc, &t.zone_min)))
			return rc;
	} else {
		if ((rc = read_zone(sc, &t.zone_min)))
			return rc;
		if ((rc = need_spaces(sc, "a space before the year")))
			return rc;
		year_at = sc->pos;
		if ((rc = fixed_digits(sc, 4, &year, "a four-digit year")))
			return rc;
	}
	if (is_digit(peek(sc)))
		return fail(sc, sc->pos, "too many digits in the year");
	t.year = year;
	if ((rc = check_date(sc, &t, year_at, month_at, day_at)))
		return rc;
	if ((rc = expect_end(sc)))
		return rc;
	return to_ms(sc, &t, out);
}

/* An epoch number: [-]digits[.digits].  Up to 12 digits are seconds (with
 * an optional fraction), 13 or more are milliseconds. */
static int parse_epoch(struct scan *sc, int64_t *out)
{
	size_t start = sc->pos, digits_at;
	long long v = 0, frac_ms = 0;
	int neg = 0, n = 0;

	if (peek(sc) == '-') {
		neg = 1;
		sc->pos++;
	}
	digits_at = sc->pos;
	while (is_digit(peek(sc))) {
		if (++n > EPOCH_MAX_DIGITS)
			return fail(sc, digits_at, "more than %d digits in an epoch time",
				    EPOCH_MAX_DIGITS);
		v = v * 10 + (peek(sc) - '0');
		sc->pos++;
	}
	if (n == 0)
		return unexpected(sc, "a digit");
	if (peek(sc) == '.') {
		int k = 0, scale = 100;

		if (n >= EPOCH_MS_DIGITS)
			return fail(sc, sc->pos, "a fraction on an epoch time in milliseconds");
		sc->pos++;
		if (!is_digit(peek(sc)))
			return unexpected(sc, "digits of a fraction");
		while (is_digit(peek(sc))) {
			if (++k > FRAC_MAX_DIGITS)
				return fail(sc, sc->pos, "more than %d digits in a fraction",
					    FRAC_MAX_DIGITS);
			frac_ms += (peek(sc) - '0') * scale;
			scale /= 10;
			sc->pos++;
		}
	}
	if (sc->pos < sc->end)
		return unexpected(sc, n == 4 ? "'-' after the year or a digit" : "a digit");
	if (n < EPOCH_MS_DIGITS)
		v = v * MS_PER_SEC + frac_ms;
	if (neg)
		v = -v;
	if (v < TIME_MIN || v > TIME_MAX)
		return fail(sc, start, "epoch time out of range (years 0000 to 9999)");
	*out = v;
	return 0;
}

int horch_time_parse(const char *s, size_t len, int64_t *out, struct horch_err *err)
{
	struct scan sc = { s, len, 0, len, err };
	size_t run = 0;
	int64_t t = 0;
	int c, rc;

	while (sc.pos < sc.end && is_blank((unsigned char)s[sc.pos]))
		sc.pos++;
	while (sc.end > sc.pos && is_blank((unsigned char)s[sc.end - 1]))
		sc.end--;
	if (sc.pos == sc.end) {
		rc = horch_err_at(err, HORCH_EPARSE, 0, 1, "bad time \"\": empty");
		goto out;
	}
	c = peek(&sc);
	if (is_digit(c)) {
		while (sc.pos + run < sc.end && is_digit((unsigned char)s[sc.pos + run]))
			run++;
		c = sc.pos + run < sc.end ? (unsigned char)s[sc.pos + run] : -1;
		if (run == 4 && c == '-')
			rc = parse_iso(&sc, &t);
		else if (run <= 2 && (c == ' ' || c == '\t'))
			rc = parse_rfc2822(&sc, &t);
		else
			rc = parse_epoch(&sc, &t);
	} else if (c == '-') {
		rc = parse_epoch(&sc, &t);
	} else if (is_alpha(c)) {
		if ((rc = read_day_name(&sc)))
			goto out;
		if (peek(&sc) == ',') {
			sc.pos++;
			skip_spaces(&sc);
			rc = parse_rfc2822(&sc, &t);
		} else {
			if ((rc = need_spaces(&sc, "',' or a space after the day name")))
				goto out;
			rc = parse_ctime(&sc, &t);
		}
	} else {
		rc = unexpected(&sc, "a date, a day name or an epoch number");
	}
	if (rc == 0)
		*out = t;
out:
	return rc;
}

int horch_time_parse_relative(const char *s, int64_t now, int64_t *out,
			      struct horch_err *err)
{
	size_t len = strlen(s), i = 0, end = len, n_digits = 0;
	long long n = 0, unit;

	while (i < end && is_blank((unsigned char)s[i]))
		i++;
	while (end > i && is_blank((unsigned char)s[end - 1]))
		end--;
	if (end - i == 3 && lower((unsigned char)s[i]) == 'n' &&
	    lower((unsigned char)s[i + 1]) == 'o' && lower((unsigned char)s[i + 2]) == 'w') {
		*out = now;
		return 0;
	}
	while (i + n_digits < end && is_digit((unsigned char)s[i + n_digits]))
		n_digits++;
	if (n_digits == 0 || n_digits > 9 || i + n_digits + 1 != end)
		return horch_time_parse(s, len, out, err);
	switch (lower((unsigned char)s[end - 1])) {
	case 's': unit = MS_PER_SEC; break;
	case 'm': unit = MS_PER_MIN; break;
	case 'h': unit = MS_PER_HOUR; break;
	case 'd': unit = MS_PER_DAY; break;
	case 'w': unit = 7 * MS_PER_DAY; break;
	default:
		return horch_time_parse(s, len, out, err);
	}
	for (; n_digits > 0; n_digits--, i++)
		n = n * 10 + (s[i] - '0');
	/* n < 10^9 and unit <= 6.05e8, so n * unit < 6.1e17: no overflow. */
	if (now < INT64_MIN + n * unit)
		return horch_err_set(err, HORCH_EINVAL, "bad time \"%s\": too far back", s);
	*out = now - n * unit;
	return 0;
}

char *horch_time_format(int64_t t, char out[HORCH_TIME_BUFSZ])
{
	long long days = t / MS_PER_DAY, rem = t % MS_PER_DAY, year;
	int month, day, hh, mm, ss, ms, n;

	if (rem < 0) {
		rem += MS_PER_DAY;
		days--;
	}
	civil_from_days(days, &year, &month, &day);
	hh = (int)(rem / MS_PER_HOUR);
	mm = (int)(rem / MS_PER_MIN % 60);
	ss = (int)(rem / MS_PER_SEC % 60);
	ms = (int)(rem % MS_PER_SEC);
	/* Years outside 0000..9999 take ISO 8601's expanded form (+/-YYYYYY). */
	if (year >= 0 && year <= 9999)
		n = snprintf(out, HORCH_TIME_BUFSZ, "%04lld", year);
	else
		n = snprintf(out, HORCH_TIME_BUFSZ, "%+07lld", year);
	if (ms)
		snprintf(out + n, (size_t)(HORCH_TIME_BUFSZ - n), "-%02d-%02dT%02d:%02d:%02d.%03dZ",
			 month, day, hh, mm, ss, ms);
	else
		snprintf(out + n, (size_t)(HORCH_TIME_BUFSZ - n), "-%02d-%02dT%02d:%02d:%02dZ",
			 month, day, hh, mm, ss);
	return out;
}

int64_t horch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t horch_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
