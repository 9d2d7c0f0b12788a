/* arena.h - a bump allocator freed in one call.
 *
 * One arena per unit of work (a post in the pipeline, a request): many small
 * allocations, no individual frees, one arena_reset() or arena_cleanup() at
 * the end.  Memory comes from chained blocks; a reset keeps the first block
 * so that a worker reusing its arena allocates nothing in the steady state.
 * An arena belongs to one thread at a time. */
#ifndef HORCH_ARENA_H
#define HORCH_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;  /* current block, newest first */
	size_t block_size;         /* default size of a new block */
};

void arena_init(struct arena *a, size_t block_size);
void arena_cleanup(struct arena *a);   /* NULL-safe; frees every block */
void arena_reset(struct arena *a);     /* frees all but one block */
/* n bytes aligned for any type; never NULL (aborts on exhaustion). */
void *arena_alloc(struct arena *a, size_t n);
/* A NUL-terminated copy of s[0..len). */
char *arena_strndup(struct arena *a, const char *s, size_t len);

#endif
