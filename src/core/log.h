/* log.h - one line per event, key=value.
 *
 *   horch_log(LOG_WARN, "ingest", "feed=%s status=%d", url, code);
 *
 * prints `horch: level=warn module=ingest feed=... status=...` to stderr.
 * The level is checked before the arguments are evaluated.  Thread-safe:
 * each line is written with one call. */
#ifndef HORCH_LOG_H
#define HORCH_LOG_H

enum horch_log_level {
	LOG_ERROR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

extern int horch_log_level;  /* events above this level are not printed */

#define horch_log(level, module, ...)                                  \
	do {                                                           \
		if ((level) <= horch_log_level)                        \
			horch__log((level), (module), __VA_ARGS__);    \
	} while (0)

void horch__log(int level, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
