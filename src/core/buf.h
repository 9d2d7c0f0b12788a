/* buf.h - a growable byte buffer with a hard cap.
 *
 * Every buffer filled from outside (a file, a socket, an API body) has a cap:
 * an append that would pass it fails with HORCH_ETOOBIG and leaves the buffer
 * as it was.  The content is always NUL-terminated (the NUL is not counted in
 * len), so ptr can be handed to C string functions when the content has no
 * NUL of its own.  A buf belongs to one thread at a time. */
#ifndef HORCH_BUF_H
#define HORCH_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct buf {
	char *ptr;   /* the bytes, NUL-terminated; NULL until the first append */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* the cap on len; appends beyond it fail */
};

#define BUF_NOLIMIT ((size_t)-1)

void buf_init(struct buf *b, size_t max);
void buf_cleanup(struct buf *b);          /* NULL-safe; leaves b empty */
void buf_reset(struct buf *b);            /* len = 0, keeps the memory */
int buf_reserve(struct buf *b, size_t extra); /* room for extra more bytes */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, int c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hand the bytes to the caller (who frees them with free()) and leave b
 * empty.  Returns an empty string, never NULL, for an empty buffer. */
char *buf_take(struct buf *b);

/* Append what is left of the stream f to b, at most max + 1 bytes (one more
 * than max, so that the caller can tell a stream longer than max).  Returns
 * 0, HORCH_EIO (a read error: errno says which) or HORCH_ETOOBIG (b's own
 * cap). */
int buf_read_stream(struct buf *b, FILE *f, size_t max);

#endif
