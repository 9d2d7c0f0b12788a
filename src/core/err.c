/* err.c - filling and naming errors (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void horch_err_clear(struct horch_err *err)
{
	if (!err)
		return;
	err->code = 0;
	err->line = 0;
	err->col = 0;
	err->msg[0] = '\0';
}

static void vset(struct horch_err *err, int code, long line, long col,
		 const char *fmt, va_list ap)
{
	err->code = code;
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int horch_err_set(struct horch_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vset(err, code, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int horch_err_at(struct horch_err *err, int code, long line, long col,
		 const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vset(err, code, line, col, fmt, ap);
	va_end(ap);
	return code;
}

const char *horch_strerror(int code)
{
	switch (code) {
	case HORCH_OK: return "ok";
	case HORCH_EPARSE: return "parse error";
	case HORCH_ETOOBIG: return "too big";
	case HORCH_EIO: return "i/o error";
	case HORCH_EINVAL: return "invalid argument";
	case HORCH_ENOTFOUND: return "not found";
	case HORCH_ESTORE: return "store error";
	case HORCH_EUSAGE: return "usage error";
	case HORCH_ESTOP: return "stopped";
	case HORCH_EDENIED: return "denied";
	case HORCH_ELIMIT: return "rate limited";
	case HORCH_EEXIST: return "exists";
	}
	return "unknown error";
}
