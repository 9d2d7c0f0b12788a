/* text_int.h - what the files of src/text share and nobody else uses.
 *
 * A strict UTF-8 decoder (the one normalise.c repairs with and tokenise.c
 * walks with), the ASCII lower-case table that both the folder and the
 * tokenizer's fast path use, and the folding of a single code point.
 * Everything here is pure: any thread. */
#ifndef HORCH_TEXT_INT_H
#define HORCH_TEXT_INT_H

#include <stddef.h>
#include <stdint.h>

/* The most bytes text__fold_cp() writes for one code point. */
#define TEXT__FOLD_MAX 128

/* ASCII lower case, identity for every other byte (normalise.c). */
extern const unsigned char text__lower[256];

/* Append the folded form of the code point cp (a valid scalar value) to
 * dst, which has room for TEXT__FOLD_MAX bytes; returns the number of bytes
 * written (0 for characters that fold to nothing: default-ignorable code
 * points and stray accents).  See text_fold() in text.h. */
size_t text__fold_cp(int32_t cp, char *dst);

/* Decode one UTF-8 sequence from s[0..len), len >= 1.
 *
 * Returns the number of bytes it takes (1 to 4) and stores the code point
 * in *cp.  For an ill-formed sequence stores -1 in *cp and returns the
 * length of its maximal subpart (Unicode 15, section 3.9, "U+FFFD
 * Substitution of Maximal Subparts"): the longest prefix that could begin a
 * valid sequence, or 1.  Surrogates and values above U+10FFFF are
 * ill-formed; overlong forms are too. */
static inline size_t text__decode(const unsigned char *s, size_t len, int32_t *cp)
{
	unsigned c = s[0];
	unsigned lo = 0x80, hi = 0xBF;
	size_t need, i;
	int32_t v;

	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = (int32_t)(c & 0x1F);
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = (int32_t)(c & 0x0F);
		if (c == 0xE0)
			lo = 0xA0;      /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;      /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = (int32_t)(c & 0x07);
		if (c == 0xF0)
			lo = 0x90;      /* no overlong forms */
		else if (c == 0xF4)
			hi = 0x8F;      /* nothing above U+10FFFF */
	} else {
		*cp = -1;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		unsigned b;

		if (i >= len) {
			*cp = -1;
			return i;
		}
		b = s[i];
		if (b < lo || b > hi) {
			*cp = -1;
			return i;
		}
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (int32_t)(b & 0x3F);
	}
	*cp = v;
	return need + 1;
}

/* Encode the scalar value cp as UTF-8 into dst (room for 4 bytes); returns
 * the number of bytes. */
static inline size_t text__encode(int32_t cp, char *dst)
{
	unsigned char *d = (unsigned char *)dst;
	uint32_t u = (uint32_t)cp;

	if (u < 0x80) {
		d[0] = (unsigned char)u;
		return 1;
	}
	if (u < 0x800) {
		d[0] = (unsigned char)(0xC0 | (u >> 6));
		d[1] = (unsigned char)(0x80 | (u & 0x3F));
		return 2;
	}
	if (u < 0x10000) {
		d[0] = (unsigned char)(0xE0 | (u >> 12));
		d[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
		d[2] = (unsigned char)(0x80 | (u & 0x3F));
		return 3;
	}
	d[0] = (unsigned char)(0xF0 | (u >> 18));
	d[1] = (unsigned char)(0x80 | ((u >> 12) & 0x3F));
	d[2] = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
	d[3] = (unsigned char)(0x80 | (u & 0x3F));
	return 4;
}

#endif
