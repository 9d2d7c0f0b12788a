/* alloc.c - allocation that aborts on exhaustion (see alloc.h). */
#include "alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "horch: level=fatal module=alloc msg=\"out of memory\" bytes=%zu\n", n);
	abort();
}

void *horch_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *horch_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *horch_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

void *horch_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 8;

	if (need <= *cap)
		return p;
	while (c < need) {
		if (c > SIZE_MAX / 2 / size)
			oom(SIZE_MAX);
		c *= 2;
	}
	*cap = c;
	return horch_xrealloc(p, c * size);
}

char *horch_xstrdup(const char *s)
{
	return s ? horch_xstrndup(s, strlen(s)) : NULL;
}

char *horch_xstrndup(const char *s, size_t len)
{
	char *p = horch_xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
