/* alloc.h - allocation that never returns NULL.
 *
 * Out of memory is not an error a caller can handle: these functions log one
 * line and abort.  Nobody checks their result for NULL.  Thread-safe. */
#ifndef HORCH_ALLOC_H
#define HORCH_ALLOC_H

#include <stddef.h>

void *horch_xmalloc(size_t n);
void *horch_xcalloc(size_t n, size_t size);
void *horch_xrealloc(void *p, size_t n);
/* Grow an array of `size`-byte elements to hold at least `need`; *cap is
 * updated.  Returns the (possibly moved) array. */
void *horch_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *horch_xstrdup(const char *s);          /* NULL in, NULL out */
char *horch_xstrndup(const char *s, size_t len); /* always NUL-terminated */

#endif
