/* hash.h - FNV-1a, 64 bits: the small byte hash of horch's hash sets and of
 * derived external ids (post_derive_external_id(), whose ids depend on it
 * staying exactly this).  Pure; any thread. */
#ifndef HORCH_HASH_H
#define HORCH_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HORCH_FNV_BASIS 14695981039346656037ULL /* the start of a hash */

/* FNV-1a over data[0..len), continuing from h (HORCH_FNV_BASIS to start). */
static inline uint64_t horch_fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *u = data;

	for (size_t i = 0; i < len; i++) {
		h ^= u[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#endif
