/* arena.c - bump allocator (see arena.h). */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

struct arena_block {
	struct arena_block *next;  /* older block */
	size_t size;               /* usable bytes in data */
	size_t used;               /* bytes handed out */
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 16384;
}

void arena_cleanup(struct arena *a)
{
	struct arena_block *b;

	if (!a)
		return;
	while ((b = a->head)) {
		a->head = b->next;
		free(b);
	}
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head;

	if (!b)
		return;
	/* Keep the oldest block (the first one allocated; larger than the
	 * default when the first allocation was). */
	while (b->next) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	struct arena_block *b = a->head;
	size_t off;

	if (n > SIZE_MAX - align - sizeof *b)
		abort();  /* a size no allocator could serve: a caller's bug */
	n = (n + align - 1) & ~(align - 1);
	if (!b || b->size - b->used < n) {
		size_t size = n > a->block_size ? n : a->block_size;

		b = horch_xmalloc(sizeof *b + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	off = b->used;
	b->used += n;
	return b->data + off;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
