/* hll.h - HyperLogLog: a count of distinct things (the authors of a
 * bucket's posts) in 256 bytes that can be merged with another's.
 *
 * A sketch is 256 one-byte registers (precision p = 8).  Adding a thing
 * sets the register chosen by the top 8 bits of its 64-bit hash to at most
 * the position of the first 1 bit in the other 56.  Two sketches merge by
 * the maximum of each register, so the unique authors of an hour are the
 * merge of its minutes' sketches.  The estimate is Flajolet et al.'s with
 * linear counting below 2.5 m (exact to a post or two for the few authors
 * of a minute); its relative standard error above that is 1.04 / sqrt(256),
 * 6.5 %.  Pure; any thread. */
#ifndef HORCH_HLL_H
#define HORCH_HLL_H

#include <stddef.h>
#include <stdint.h>

#define HLL_REGISTERS 256u

/* A 64-bit hash of bytes[0..len) with its bits well mixed (FNV-1a, then
 * the finaliser of splitmix64), for hll_add(). */
uint64_t hll_hash(const void *bytes, size_t len);

/* Add the thing whose hash is h to reg[HLL_REGISTERS]. */
void hll_add(uint8_t *reg, uint64_t h);

/* dst = the union of dst and src (both HLL_REGISTERS). */
void hll_merge(uint8_t *dst, const uint8_t *src);

/* The estimated number of distinct things added to reg; 0 for an empty
 * sketch. */
double hll_count(const uint8_t *reg);

#endif
