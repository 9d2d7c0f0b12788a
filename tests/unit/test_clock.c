/* test_clock.c - unit tests for core/clock.c: every accepted time form,
 * range checks (months, leap years, zones), negative epochs, errors with the
 * column at fault, relative spans and RFC 3339 round trips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "tap.h"

/* 2015-02-24T19:35:52Z, the first tweet of the airline data set. */
#define T0 1424806552000LL

/* s with control characters shown as '?', for a one-line test name. */
static const char *shown(const char *s)
{
	static char out[128];
	size_t i;

	for (i = 0; s[i] && i < sizeof out - 1; i++)
		out[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	out[i] = '\0';
	return out;
}

/* Parse s and check the result (or -1 when the parse failed). */
static void parses(const char *s, long long want, const char *name)
{
	struct horch_err err;
	int64_t t = -1;
	int rc;

	horch_err_clear(&err);
	rc = horch_time_parse(s, strlen(s), &t, &err);
	if (rc)
		diag("  %s: %s", s, err.msg);
	is_int(rc ? -1 : t, want, "%s (%s)", name, shown(s));
}

/* Parse s, expect failure, and check the column and the message. */
static void fails(const char *s, long col, const char *msg, const char *name)
{
	struct horch_err err;
	int64_t t = 42;
	int rc;

	horch_err_clear(&err);
	rc = horch_time_parse(s, strlen(s), &t, &err);
	is_int(rc, HORCH_EPARSE, "%s (%s): fails", name, shown(s));
	is_int(err.col, col, "%s: column", name);
	if (msg)
		is_str(err.msg, msg, "%s: message", name);
	is_int(t, 42, "%s: output untouched", name);
}

static void format_is(long long t, const char *want, const char *name)
{
	char out[HORCH_TIME_BUFSZ];

	is_str(horch_time_format(t, out), want, "%s", name);
}

static void test_rfc3339(void)
{
	parses("2015-02-24T19:35:52Z", T0, "clock-1.1 RFC 3339 with Z");
	parses("2015-02-24t19:35:52z", T0, "clock-1.2 lower-case t and z");
	parses("2015-02-24 19:35:52Z", T0, "clock-1.3 space instead of T");
	parses("2015-02-24T11:35:52-08:00", T0, "clock-1.4 zone -08:00");
	parses("2015-02-24T20:35:52+0100", T0, "clock-1.5 zone +0100");
	parses("2015-02-24T20:35:52+01", T0, "clock-1.6 zone +01");
	parses("2015-02-24T19:35:52.123Z", T0 + 123, "clock-1.7 milliseconds");
	parses("2015-02-24T19:35:52.5Z", T0 + 500, "clock-1.8 one fraction digit");
	parses("2015-02-24T19:35:52.123999999Z", T0 + 123, "clock-1.9 fraction truncated to ms");
	parses("2015-02-24T19:35:52,25Z", T0 + 250, "clock-1.10 comma fraction");
	parses("2015-02-24T20:35:52.123+01:00", T0 + 123, "clock-1.11 fraction and zone");
	parses("2015-02-24 19:35:52", T0, "clock-1.12 no zone is UTC");
	parses("2015-02-24T19:35", T0 - 52000, "clock-1.13 no seconds");
	parses("2015-02-24", 1424736000000LL, "clock-1.14 date only is midnight UTC");
	parses("  2015-02-24T19:35:52Z \n", T0, "clock-1.15 surrounding blanks");
	parses("2015-02-24 19:35:52 UTC", T0, "clock-1.16 zone name after a space");
	parses("2015-02-24T19:35:52-00:00", T0, "clock-1.17 zone -00:00");
	parses("2015-02-25T09:35:52+14:00", T0, "clock-1.18 zone +14:00");
	parses("2015-02-24T01:35:52-18:00", T0, "clock-1.19 zone -18:00 (the limit)");
}

static void test_sql_form(void)
{
	parses("2015-02-24 11:35:52 -0800", T0, "clock-2.1 SQL-ish with -0800");
	parses("2015-02-24 20:35:52 +0100", T0, "clock-2.2 SQL-ish with +0100");
	parses("2015-02-24 11:35:52 -08:00", T0, "clock-2.3 SQL-ish with -08:00");
	parses("2015-02-22 11:58:51 -0800", 1424635131000LL, "clock-2.4 last airline tweet");
}

static void test_twitter(void)
{
	parses("Tue Feb 24 11:35:52 -0800 2015", T0, "clock-3.1 Twitter -0800");
	parses("Tue Feb 24 19:35:52 +0000 2015", T0, "clock-3.2 Twitter +0000");
	parses("tue feb 24 19:35:52 +0000 2015", T0, "clock-3.3 lower-case names");
	parses("Tue Feb 24 19:35:52 2015", T0, "clock-3.4 ctime without zone");
	parses("Sun Mar  1 00:00:00 +0000 2015", 1425168000000LL, "clock-3.5 ctime space-padded day");
	parses("Tuesday February 24 19:35:52 UTC 2015", T0, "clock-3.6 full names");
	parses("Tue Feb 24 19:35:60 +0000 2015", T0 + 7000, "clock-3.7 leap second clamps to 59");
}

static void test_rfc2822(void)
{
	parses("Tue, 24 Feb 2015 19:35:52 GMT", T0, "clock-4.1 RFC 2822 GMT");
	parses("Tue, 24 Feb 2015 11:35:52 -0800", T0, "clock-4.2 RFC 2822 -0800");
	parses("Tue, 24 Feb 2015 20:35:52 +0100", T0, "clock-4.3 RFC 2822 +0100");
	parses("24 Feb 2015 19:35:52 UT", T0, "clock-4.4 no day name, UT");
	parses("Tue, 24 Feb 2015 14:35:52 EST", T0, "clock-4.5 EST");
	parses("Tue, 24 Feb 2015 15:35:52 EDT", T0, "clock-4.6 EDT");
	parses("Tue, 24 Feb 2015 13:35:52 CST", T0, "clock-4.7 CST");
	parses("Tue, 24 Feb 2015 14:35:52 CDT", T0, "clock-4.8 CDT");
	parses("Tue, 24 Feb 2015 12:35:52 MST", T0, "clock-4.9 MST");
	parses("Tue, 24 Feb 2015 13:35:52 MDT", T0, "clock-4.10 MDT");
	parses("Tue, 24 Feb 2015 11:35:52 PST", T0, "clock-4.11 PST");
	parses("Tue, 24 Feb 2015 12:35:52 PDT", T0, "clock-4.12 PDT");
	parses("Tue, 24 Feb 2015 19:35:52 UTC", T0, "clock-4.13 UTC");
	parses("Tue, 24 Feb 2015 19:35:52 Z", T0, "clock-4.14 Z");
	parses("Tue, 24 Feb 2015 19:35:52", T0, "clock-4.15 no zone is UTC");
	parses("Tue, 24 Feb 2015 19:35 GMT", T0 - 52000, "clock-4.16 no seconds");
	parses("Tue, 24 Feb 15 19:35:52 GMT", T0, "clock-4.17 two-digit year 15 is 2015");
	parses("Wed, 1 Jan 97 00:00:00 GMT", 852076800000LL, "clock-4.18 two-digit year 97 is 1997");
	parses("Tue,24 Feb 2015 19:35:52 GMT", T0, "clock-4.19 no space after the comma");
	parses("4 Jul 2015 00:00:00 +0000", 1435968000000LL, "clock-4.20 one-digit day");
}

static void test_epoch(void)
{
	parses("1424806552", T0, "clock-5.1 epoch seconds");
	parses("1424806552123", T0 + 123, "clock-5.2 epoch milliseconds (13 digits)");
	parses("1424806552.5", T0 + 500, "clock-5.3 fractional epoch seconds");
	parses("1424806552.123", T0 + 123, "clock-5.4 epoch seconds with ms");
	parses("0", 0, "clock-5.5 the epoch itself");
	parses("-1", -1000, "clock-5.6 negative epoch seconds");
	parses("-1.5", -1500, "clock-5.7 negative fractional epoch");
	parses("100000000000", 100000000000000LL, "clock-5.8 twelve digits are still seconds");
	parses("0001424806552123", T0 + 123, "clock-5.9 leading zeros count as digits");
	parses("-2208988800", -2208988800000LL, "clock-5.10 1900-01-01 as negative epoch");
}

static void test_ranges(void)
{
	parses("2016-02-29", 1456704000000LL, "clock-6.1 leap day 2016");
	parses("2000-02-29", 951782400000LL, "clock-6.2 leap day 2000 (divisible by 400)");
	fails("1900-02-29", 9, "bad time \"1900-02-29\": day 29 out of range (1900-02 has 28 days) at column 9",
	      "clock-6.3 1900 is not a leap year");
	fails("2015-02-29", 9, NULL, "clock-6.4 2015 is not a leap year");
	fails("2015-04-31", 9, NULL, "clock-6.5 April has 30 days");
	parses("2015-12-31T23:59:59.999Z", 1451606399999LL, "clock-6.6 last ms of a year");
	fails("2015-13-01", 6, "bad time \"2015-13-01\": month 13 out of range at column 6",
	      "clock-6.7 month 13");
	fails("2015-00-01", 6, NULL, "clock-6.8 month 0");
	fails("2015-01-00", 9, NULL, "clock-6.9 day 0");
	fails("2015-01-01T24:00:00Z", 12, "bad time \"2015-01-01T24:00:00Z\": hour 24 out of range at column 12",
	      "clock-6.10 hour 24");
	fails("2015-01-01T23:60:00Z", 15, NULL, "clock-6.11 minute 60");
	fails("2015-01-01T23:59:61Z", 18, NULL, "clock-6.12 second 61");
	parses("2015-06-30T23:59:60Z", 1435708799000LL, "clock-6.13 leap second clamps to 59");
	fails("2015-01-01T00:00:00+18:01", 20,
	      "bad time \"2015-01-01T00:00:00+18:01\": zone +18:01 beyond ±18:00 at column 20",
	      "clock-6.14 zone beyond 18 hours");
	fails("2015-01-01T00:00:00+05:60", 24, NULL, "clock-6.15 zone minutes 60");
	parses("0000-01-01T00:00:00Z", -62167219200000LL, "clock-6.16 first time in range");
	parses("9999-12-31T23:59:59.999Z", 253402300799999LL, "clock-6.17 last time in range");
	fails("9999-12-31T23:59:59-01:00", 1, NULL, "clock-6.18 zone pushes past 9999");
	fails("253402300800", 1, NULL, "clock-6.19 epoch seconds past 9999");
	fails("1000000000000000000", 1, NULL, "clock-6.20 nineteen-digit epoch");
}

static void test_errors(void)
{
	fails("", 1, "bad time \"\": empty", "clock-7.1 empty");
	fails("   ", 1, NULL, "clock-7.2 only blanks");
	fails("2015-02-24X19:35:52", 11,
	      "bad time \"2015-02-24X19:35:52\": expected 'T' or a space before the time, found 'X' at column 11",
	      "clock-7.3 bad separator");
	fails("2015-02-24T19:35:52Q", 20, "bad time \"2015-02-24T19:35:52Q\": unknown zone \"Q\" at column 20",
	      "clock-7.4 unknown zone");
	fails("2015-2-24", 7, NULL, "clock-7.5 one-digit month");
	fails("2015-02-24T19:35:52Z junk", 21, NULL, "clock-7.6 trailing junk");
	fails("Tue, 24 Fob 2015 19:35:52 GMT", 9,
	      "bad time \"Tue, 24 Fob 2015 19:35:52 GMT\": unknown month name \"Fob\" at column 9",
	      "clock-7.7 unknown month");
	fails("Tux, 24 Feb 2015 19:35:52 GMT", 1, NULL, "clock-7.8 unknown day name");
	fails("Tue, 24 Feb 2015 19:35:52 XYZ", 27, NULL, "clock-7.9 unknown zone name");
	fails("Tue Feb 24 19:35:52 +0000", 26, NULL, "clock-7.10 Twitter form without year");
	fails("Tue Feb 30 19:35:52 +0000 2015", 9, NULL, "clock-7.11 Twitter form bad day");
	fails("1424806552123.5", 14, NULL, "clock-7.12 fraction on milliseconds");
	fails("12abc", 3, NULL, "clock-7.13 epoch with letters");
	fails("2015-02-24T19:35:52.Z", 21, NULL, "clock-7.14 empty fraction");
	fails("yesterday", 1, NULL, "clock-7.15 a word");
	fails("@1424806552", 1, NULL, "clock-7.16 punctuation");
	fails("2015-02-24T19:35:52.1234567891Z", 30, NULL, "clock-7.17 ten fraction digits");
	fails("2015-02-24T19:35:52+1", 22, NULL, "clock-7.18 one-digit zone hour");
	fails("-", 2, NULL, "clock-7.19 a lone minus");
}

static void test_relative(void)
{
	struct horch_err err;
	int64_t now = T0, t = 0;

	horch_err_clear(&err);
	is_int(horch_time_parse_relative("90s", now, &t, &err), 0, "clock-8.1 90s");
	is_int(t, T0 - 90000, "clock-8.2 90s back");
	horch_time_parse_relative("15m", now, &t, &err);
	is_int(t, T0 - 15 * 60000LL, "clock-8.3 15m back");
	horch_time_parse_relative("2h", now, &t, &err);
	is_int(t, T0 - 2 * 3600000LL, "clock-8.4 2h back");
	horch_time_parse_relative("7d", now, &t, &err);
	is_int(t, T0 - 7 * 86400000LL, "clock-8.5 7d back");
	horch_time_parse_relative("4w", now, &t, &err);
	is_int(t, T0 - 28 * 86400000LL, "clock-8.6 4w back");
	horch_time_parse_relative(" NOW ", now, &t, &err);
	is_int(t, T0, "clock-8.7 now");
	is_int(horch_time_parse_relative("2015-02-22", now, &t, &err), 0,
	       "clock-8.8 absolute time falls through");
	is_int(t, 1424563200000LL, "clock-8.9 absolute value");
	is_int(horch_time_parse_relative("1424806552", now, &t, &err), 0,
	       "clock-8.10 epoch falls through");
	is_int(t, T0, "clock-8.11 epoch value");
	is_int(horch_time_parse_relative("15x", now, &t, &err), HORCH_EPARSE,
	       "clock-8.12 unknown unit fails");
	is_int(err.col, 3, "clock-8.13 unknown unit column");
	is_int(horch_time_parse_relative("0s", now, &t, &err), 0, "clock-8.14 0s");
	is_int(t, T0, "clock-8.15 0s is now");
	is_int(horch_time_parse_relative("999999999w", INT64_MIN + 5, &t, &err), HORCH_EINVAL,
	       "clock-8.16 span before the start of time fails");
}

static void test_format(void)
{
	char out[HORCH_TIME_BUFSZ];
	static const char *const forms[] = {
		"2015-02-24T19:35:52Z", "2015-02-24T19:35:52.123Z", "1970-01-01T00:00:00Z",
		"1969-12-31T23:59:59.999Z", "1900-01-01T00:00:00Z", "2000-02-29T12:00:00.001Z",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "1600-03-01T00:00:00Z",
	};
	size_t i;

	format_is(T0, "2015-02-24T19:35:52Z", "clock-9.1 whole seconds have no fraction");
	format_is(T0 + 123, "2015-02-24T19:35:52.123Z", "clock-9.2 milliseconds");
	format_is(T0 + 5, "2015-02-24T19:35:52.005Z", "clock-9.3 ms padded");
	format_is(0, "1970-01-01T00:00:00Z", "clock-9.4 the epoch");
	format_is(-1, "1969-12-31T23:59:59.999Z", "clock-9.5 one ms before the epoch");
	format_is(-1000, "1969-12-31T23:59:59Z", "clock-9.6 one second before the epoch");
	format_is(-86400000LL, "1969-12-31T00:00:00Z", "clock-9.7 one day before the epoch");
	format_is(-143465399750LL, "1965-06-15T12:30:00.250Z", "clock-9.8 1965 with ms");
	format_is(951782400000LL, "2000-02-29T00:00:00Z", "clock-9.9 leap day");
	format_is(-62167219200000LL - 86400000LL, "-000001-12-31T00:00:00Z",
		  "clock-9.10 year -1 in expanded form");
	format_is(253402300800000LL, "+010000-01-01T00:00:00Z", "clock-9.11 year 10000 expanded");
	ok(strlen(horch_time_format(INT64_MIN, out)) < HORCH_TIME_BUFSZ,
	   "clock-9.12 INT64_MIN fits the buffer (%s)", out);
	ok(strlen(horch_time_format(INT64_MAX, out)) < HORCH_TIME_BUFSZ,
	   "clock-9.13 INT64_MAX fits the buffer (%s)", out);
	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct horch_err err;
		int64_t t = 0;
		int rc = horch_time_parse(forms[i], strlen(forms[i]), &t, &err);

		is_int(rc, 0, "clock-9.%zu round trip parse %s", 14 + 2 * i, forms[i]);
		is_str(horch_time_format(t, out), forms[i], "clock-9.%zu round trip format %s",
		       15 + 2 * i, forms[i]);
	}
}

/* Every day from 1600 to 2400 goes through format and parse unchanged: this
 * checks days_from_civil against civil_from_days over four centuries of
 * leap-year rules. */
static void test_every_day(void)
{
	int64_t day, first = -11676096000000LL, last = 13569465600000LL;
	long bad = 0;
	char out[HORCH_TIME_BUFSZ];

	for (day = first; day <= last; day += 86400000LL) {
		struct horch_err err;
		int64_t t = 0, when = day + 45296789; /* 12:34:56.789 */

		horch_time_format(when, out);
		if (horch_time_parse(out, strlen(out), &t, &err) || t != when) {
			if (bad++ < 3)
				diag("  %s -> %lld, want %lld", out, (long long)t, (long long)when);
		}
	}
	is_int(bad, 0, "clock-10.1 every day 1600..2400 round trips");
	format_is(first, "1600-01-01T00:00:00Z", "clock-10.2 first day checked");
	format_is(last, "2400-01-01T00:00:00Z", "clock-10.3 last day checked");
}

/* The data-driven cases of tests/cases/clock/parse.t (found through
 * HORCH_SOURCE_ROOT, which tests/run sets): "input<TAB>expected", where
 * expected is RFC 3339 or "error COL". */
static void test_case_file(void)
{
	const char *root = getenv("HORCH_SOURCE_ROOT");
	char path[1024], line[512];
	int n = 0, lineno = 0;
	FILE *f;

	if (!root || !*root) {
		tap_skip(1, "HORCH_SOURCE_ROOT not set (tests/run sets it)");
		return;
	}
	snprintf(path, sizeof path, "%s/tests/cases/clock/parse.t", root);
	f = fopen(path, "r");
	if (!ok(f != NULL, "clock-12.0 %s opens", path))
		return;
	while (fgets(line, sizeof line, f)) {
		char *tab, *want, out[HORCH_TIME_BUFSZ];
		struct horch_err err;
		int64_t t = 0;
		int rc;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		tab = strchr(line, '\t');
		if (!ok(tab != NULL, "clock-12.%d parse.t:%d has a tab", ++n, lineno))
			continue;
		*tab = '\0';
		want = tab + 1;
		horch_err_clear(&err);
		rc = horch_time_parse(line, strlen(line), &t, &err);
		if (strncmp(want, "error ", 6) == 0) {
			ok(rc == HORCH_EPARSE && err.col == atol(want + 6),
			   "clock-12.%d parse.t:%d %s is refused at column %s (got rc %d, column %ld)",
			   n, lineno, line, want + 6, rc, err.col);
		} else {
			if (rc)
				diag("  %s", err.msg);
			is_str(rc ? err.msg : horch_time_format(t, out), want, "clock-12.%d parse.t:%d %s",
			       n, lineno, line);
		}
	}
	fclose(f);
	ok(n >= 30, "clock-12.%d parse.t has its cases (%d)", n + 1, n);
}

static void test_clocks(void)
{
	int64_t a = horch_mono_ns(), b = horch_mono_ns(), now = horch_now();

	ok(b >= a, "clock-11.1 monotonic clock does not go back");
	/* 2020-01-01 .. 2100-01-01: the machine's clock is at least plausible. */
	ok(now > 1577836800000LL && now < 4102444800000LL, "clock-11.2 horch_now is plausible");
}

int main(void)
{
	test_rfc3339();
	test_sql_form();
	test_twitter();
	test_rfc2822();
	test_epoch();
	test_ranges();
	test_errors();
	test_relative();
	test_format();
	test_every_day();
	test_case_file();
	test_clocks();
	return tap_done();
}
