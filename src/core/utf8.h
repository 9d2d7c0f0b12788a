/* utf8.h - decoding one UTF-8 sequence, strictly.
 *
 * For code that checks or re-encodes text outside the hot path (post
 * validation, JSON output).  The tokenizer has its own decoder, tuned for
 * its loop (src/text/).  Pure; any thread. */
#ifndef HORCH_UTF8_H
#define HORCH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode the sequence at s[0..len), len >= 1.  Returns its length (1 to 4)
 * and stores the code point in *cp; returns 0 when s does not start with a
 * valid sequence: a stray continuation byte, an overlong form, a
 * surrogate, a code point above U+10FFFF, or a sequence cut short. */
static inline size_t horch_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c = s[0], v;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

#endif
