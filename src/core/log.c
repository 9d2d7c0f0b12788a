/* log.c - structured log lines on stderr (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

int horch_log_level = LOG_WARN;

void horch__log(int level, const char *module, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	char line[2048];
	va_list ap;
	int n;

	n = snprintf(line, sizeof line, "horch: level=%s module=%s ",
		     names[level < 0 ? 0 : level > 3 ? 3 : level], module);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof line)
		n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line - 1)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	/* One write per line so that lines of different threads never mix. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
