/* err.h - error codes and the error record every fallible call fills.
 *
 * Functions that can fail return int: 0 on success, a negative HORCH_E* code
 * on failure.  The human-readable reason goes into a caller-supplied
 * struct horch_err, with the line and column of the input at fault where
 * there is one.  Any thread may use these; a struct horch_err belongs to the
 * thread that declared it. */
#ifndef HORCH_ERR_H
#define HORCH_ERR_H

#include <stddef.h>

enum {
	HORCH_OK = 0,
	HORCH_EPARSE = -1,    /* input does not follow its format */
	HORCH_ETOOBIG = -2,   /* input exceeds a size cap */
	HORCH_EIO = -3,       /* a file or socket operation failed */
	HORCH_EINVAL = -4,    /* an argument or option is not valid */
	HORCH_ENOTFOUND = -5, /* the thing asked for does not exist */
	HORCH_ESTORE = -6,    /* the database refused or failed */
	HORCH_EUSAGE = -7,    /* the command line is wrong */
	HORCH_ESTOP = -8,     /* stopped on request (a callback said stop) */
	HORCH_EDENIED = -9,   /* not allowed: wrong credentials, role too weak */
	HORCH_ELIMIT = -10,   /* a rate limit was hit; try again later */
	HORCH_EEXIST = -11,   /* the thing to create exists already */
};

struct horch_err {
	int code;       /* the HORCH_E* code, 0 when nothing failed */
	long line;      /* 1-based line of the input at fault, 0 if none */
	long col;       /* 1-based column (bytes) at fault, 0 if none */
	char msg[512];  /* one line, no trailing newline */
};

/* Reset err to "no error".  NULL-safe. */
void horch_err_clear(struct horch_err *err);

/* Fill err with code and a printf-style message; returns code so that a
 * caller can write `return horch_err_set(err, HORCH_EPARSE, "...")`.
 * err may be NULL, in which case only code is returned. */
int horch_err_set(struct horch_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As horch_err_set, also recording the line and column at fault. */
int horch_err_at(struct horch_err *err, int code, long line, long col,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A short constant name for a code ("parse error", "too big", ...). */
const char *horch_strerror(int code);

#endif
