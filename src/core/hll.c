/* hll.c - HyperLogLog sketches of 256 registers (hll.h). */
#include "hll.h"

#include <math.h>

#include "hash.h"

uint64_t hll_hash(const void *bytes, size_t len)
{
	uint64_t z = horch_fnv1a(HORCH_FNV_BASIS, bytes, len);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void hll_add(uint8_t *reg, uint64_t h)
{
	unsigned idx = (unsigned)(h >> 56);
	uint64_t rest = h << 8;
	uint8_t rank = 1;

	/* The position of the first 1 bit of the 56 bits left (57 when all
	 * are 0). */
	while (rank <= 56 && !(rest & 0x8000000000000000ULL)) {
		rank++;
		rest <<= 1;
	}
	if (reg[idx] < rank)
		reg[idx] = rank;
}

void hll_merge(uint8_t *dst, const uint8_t *src)
{
	for (unsigned i = 0; i < HLL_REGISTERS; i++)
		if (dst[i] < src[i])
			dst[i] = src[i];
}

double hll_count(const uint8_t *reg)
{
	const double m = HLL_REGISTERS;
	const double alpha = 0.7213 / (1.0 + 1.079 / m);
	double sum = 0;
	unsigned zeros = 0;

	for (unsigned i = 0; i < HLL_REGISTERS; i++) {
		sum += ldexp(1.0, -(int)reg[i]);
		zeros += reg[i] == 0;
	}
	if (zeros == HLL_REGISTERS)
		return 0;
	double e = alpha * m * m / sum;

	if (e <= 2.5 * m && zeros)
		e = m * log(m / zeros);
	return e;
}
