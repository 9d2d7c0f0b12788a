/* tap.h - a tiny Test Anything Protocol harness for the unit tests.
 *
 *   int main(void) {
 *           is_int(add(1, 2), 3, "add-1.1 small numbers");
 *           return tap_done();
 *   }
 *
 * Each check prints "ok N - name" or "not ok N - name" with the expected and
 * actual values as a diagnostic; tap_done() prints the plan and returns the
 * exit status (1 if anything failed).  Typed checks say what differed.
 * Single-threaded: call the checks from the main thread only. */
#ifndef HORCH_TAP_H
#define HORCH_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap__n;
static int tap__failed;

__attribute__((format(printf, 2, 3), unused))
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap__n++;
	if (!cond)
		tap__failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap__n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

__attribute__((format(printf, 1, 2), unused))
static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

#define is_int(got, want, ...)                                                   \
	do {                                                                     \
		long long tap_g_ = (long long)(got), tap_w_ = (long long)(want);   \
		if (!ok(tap_g_ == tap_w_, __VA_ARGS__))                          \
			diag("  got %lld, want %lld (%s:%d)", tap_g_, tap_w_,      \
			     __FILE__, __LINE__);                                \
	} while (0)

#define is_str(got, want, ...)                                                   \
	do {                                                                     \
		const char *tap_g_ = (got), *tap_w_ = (want);                    \
		int tap_eq_ = (tap_g_ && tap_w_) ? strcmp(tap_g_, tap_w_) == 0   \
						 : tap_g_ == tap_w_;             \
		if (!ok(tap_eq_, __VA_ARGS__))                                   \
			diag("  got \"%s\", want \"%s\" (%s:%d)",                \
			     tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)", \
			     __FILE__, __LINE__);                                \
	} while (0)

/* got[0..got_len) equals the NUL-terminated want. */
#define is_mem(got, got_len, want, ...)                                          \
	do {                                                                     \
		const char *tap_g_ = (got), *tap_w_ = (want);                    \
		size_t tap_gl_ = (got_len), tap_wl_ = strlen(tap_w_);            \
		if (!ok(tap_gl_ == tap_wl_ && memcmp(tap_g_, tap_w_, tap_wl_) == 0, \
			__VA_ARGS__))                                            \
			diag("  got \"%.*s\", want \"%s\" (%s:%d)", (int)tap_gl_,  \
			     tap_g_, tap_w_, __FILE__, __LINE__);                \
	} while (0)

#define is_dbl(got, want, eps, ...)                                              \
	do {                                                                     \
		double tap_g_ = (got), tap_w_ = (want);                          \
		double tap_d_ = tap_g_ > tap_w_ ? tap_g_ - tap_w_ : tap_w_ - tap_g_; \
		if (!ok(tap_d_ <= (eps), __VA_ARGS__))                           \
			diag("  got %g, want %g (%s:%d)", tap_g_, tap_w_,        \
			     __FILE__, __LINE__);                                \
	} while (0)

/* Skip the whole file (e.g. shared data absent): prints "1..0 # SKIP". */
__attribute__((unused, noreturn))
static void tap_skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
	exit(0);
}

/* Record n skipped checks with a reason. */
__attribute__((unused))
static void tap_skip(int n, const char *reason)
{
	while (n-- > 0)
		printf("ok %d # SKIP %s\n", ++tap__n, reason);
}

__attribute__((unused))
static int tap_done(void)
{
	printf("1..%d\n", tap__n);
	if (tap__failed)
		diag("%d of %d checks failed", tap__failed, tap__n);
	return tap__failed ? 1 : 0;
}

/* The shared data directory (../shared/data beside the project), or NULL.
 * tests/run sets HORCH_SHARED; a test that needs it skips without it. */
__attribute__((unused))
static const char *tap_shared_dir(void)
{
	const char *d = getenv("HORCH_SHARED");

	return d && *d ? d : NULL;
}

#endif
