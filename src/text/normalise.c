/* normalise.c - make text from outside safe to analyse, and fold it.
 *
 * text_normalise() turns any bytes into valid UTF-8 in Unicode NFC: every
 * maximal ill-formed subsequence becomes U+FFFD (and is counted), NUL and the
 * C0 and C1 controls other than tab and newline are dropped, CR LF and lone
 * CR become LF.  Most posts are plain ASCII or already NFC, so the work is
 * split: a byte loop copies clean ASCII, each non-ASCII code point gets a
 * cheap "NFC quick check" (code points below U+0300 always pass), and only
 * the short stretches of text around a code point that fails it are handed
 * to utf8proc for real normalisation.
 *
 * text_fold() is the form the matcher compares: case folded, accents
 * removed, ß to "ss", typographic apostrophes to "'".  ASCII is a table
 * lookup, Latin-1 letters a second table, everything else goes through
 * utf8proc one code point at a time (see text__fold_cp() for the rules). */
#include "text.h"

#include <string.h>
#include <utf8proc.h>

#include "../core/alloc.h"
#include "../core/err.h"
#include "../core/utf8.h"
#include "text_int.h"

const unsigned char text__lower[256] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
	0x40, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
	0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f,
	0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
	0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
	0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
	0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
	0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

/* 1 for the ASCII bytes text_normalise() copies as they are: printable
 * characters, tab and newline.  Everything else needs a closer look. */
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* The folded forms of U+00C0..U+00FF, the Latin-1 letters that German,
 * French, Spanish and the Nordic languages use every day.  Generated from
 * utf8proc (case fold, decompose, strip marks); test_text.c checks every
 * entry against utf8proc, so the table cannot drift from the slow path. */
static const char *const latin1_fold[64] = {
	"a", "a", "a", "a", "a", "a", "\xc3\xa6", "c",            /* U+00C0 À..Ç */
	"e", "e", "e", "e", "i", "i", "i", "i",                   /* U+00C8 È..Ï */
	"\xc3\xb0", "n", "o", "o", "o", "o", "o", "\xc3\x97",     /* U+00D0 Ð..× */
	"\xc3\xb8", "u", "u", "u", "u", "y", "\xc3\xbe", "ss",    /* U+00D8 Ø..ß */
	"a", "a", "a", "a", "a", "a", "\xc3\xa6", "c",            /* U+00E0 à..ç */
	"e", "e", "e", "e", "i", "i", "i", "i",                   /* U+00E8 è..ï */
	"\xc3\xb0", "n", "o", "o", "o", "o", "o", "\xc3\xb7",     /* U+00F0 ð..÷ */
	"\xc3\xb8", "u", "u", "u", "u", "y", "\xc3\xbe", "y",     /* U+00F8 ø..ÿ */
};

static const char replacement[3] = { (char)0xEF, (char)0xBF, (char)0xBD }; /* U+FFFD */

/* 1 if a combining mark is an accent that folding removes: a nonspacing
 * mark from the generic diacritic blocks, or one that sits above, below or
 * through its base (canonical combining class 1 or 200 and up).  Marks that
 * are part of a script's spelling stay: Devanagari vowel signs, the
 * Japanese (han)dakuten that tell が from か, Hebrew and Arabic points. */
static int is_accent(int32_t cp, const utf8proc_property_t *p)
{
	if (p->category != UTF8PROC_CATEGORY_MN)
		return 0;
	if (p->combining_class == 1 || p->combining_class >= 200)
		return 1;
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* Fold one code point; see text_int.h.  The rules, in order:
 *   - Latin-1 letters from a table; ’ (U+2019) and ʼ (U+02BC) to ', ẞ to ss;
 *   - Hangul syllables stay whole (utf8proc would split them into jamo);
 *   - default-ignorable code points vanish (soft hyphen, zero-width space,
 *     variation selectors, bidi controls), except the zero-width joiner and
 *     the tag characters, which hold emoji sequences together;
 *   - otherwise Unicode full case folding with canonical decomposition (and
 *     compatibility decomposition for font variants, full and half width
 *     forms, so that "𝐃𝐞𝐥𝐥" and "ＤＥＬＬ" fold to "dell"), after which accents
 *     are dropped.  If the decomposition holds a mark that is not an accent
 *     (が is か + U+3099), the code point is case folded without being
 *     decomposed, so that such letters keep their identity. */
size_t text__fold_cp(int32_t cp, char *dst)
{
	const utf8proc_property_t *p;
	utf8proc_int32_t seq[32];
	utf8proc_ssize_t n, k;
	utf8proc_option_t opts = UTF8PROC_CASEFOLD;
	int lb = 0;
	size_t len = 0;

	if (cp >= 0xC0 && cp <= 0xFF) {
		const char *f = latin1_fold[cp - 0xC0];

		len = strlen(f);
		memcpy(dst, f, len);
		return len;
	}
	if (cp == 0x2019 || cp == 0x02BC) {
		dst[0] = '\'';
		return 1;
	}
	if (cp == 0x1E9E) {
		dst[0] = 's';
		dst[1] = 's';
		return 2;
	}
	if ((cp >= 0xAC00 && cp <= 0xD7A3) || cp < 0 || cp > 0x10FFFF)
		return text__encode(cp < 0 || cp > 0x10FFFF ? 0xFFFD : cp, dst);
	p = utf8proc_get_property(cp);
	if (p->ignorable && cp != 0x200D && !(cp >= 0xE0020 && cp <= 0xE007F))
		return 0;
	if (p->category >= UTF8PROC_CATEGORY_MN && p->category <= UTF8PROC_CATEGORY_ME)
		return is_accent(cp, p) ? 0 : text__encode(cp, dst);
	if (p->decomp_type == UTF8PROC_DECOMP_TYPE_FONT ||
	    p->decomp_type == UTF8PROC_DECOMP_TYPE_WIDE ||
	    p->decomp_type == UTF8PROC_DECOMP_TYPE_NARROW)
		opts |= UTF8PROC_COMPAT;
	n = utf8proc_decompose_char(cp, seq, 32, opts | UTF8PROC_DECOMPOSE, &lb);
	if (n > 0 && n <= 32) {
		for (k = 0; k < n; k++) {
			const utf8proc_property_t *q = utf8proc_get_property(seq[k]);

			if (q->category >= UTF8PROC_CATEGORY_MN &&
			    q->category <= UTF8PROC_CATEGORY_ME && !is_accent(seq[k], q))
				break;
		}
		if (k < n)
			n = utf8proc_decompose_char(cp, seq, 32, opts, &lb);
	}
	if (n <= 0 || n > 32)
		return text__encode(cp, dst);
	for (k = 0; k < n; k++) {
		const utf8proc_property_t *q = utf8proc_get_property(seq[k]);

		if (is_accent(seq[k], q))
			continue;
		if (seq[k] == 0x2019 || seq[k] == 0x02BC)
			dst[len++] = '\'';
		else
			len += text__encode(seq[k], dst + len);
	}
	return len;
}

int text_fold(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = out->len;
	size_t i = 0;
	int rc = 0;

	while (i < len) {
		size_t j = i;
		char tmp[TEXT__FOLD_MAX];
		int32_t cp;
		size_t n, tn;

		while (j < len && p[j] < 0x80)
			j++;
		if (j > i) {
			char *d;

			rc = buf_reserve(out, j - i);
			if (rc)
				goto out;
			d = out->ptr + out->len;
			out->len += j - i;
			for (; i < j; i++)
				*d++ = (char)text__lower[p[i]];
			out->ptr[out->len] = '\0';
			if (j == len)
				break;
		}
		n = text__decode(p + i, len - i, &cp);
		if (cp < 0) {
			memcpy(tmp, replacement, 3);
			tn = 3;
		} else {
			tn = text__fold_cp(cp, tmp);
		}
		rc = buf_append(out, tmp, tn);
		if (rc)
			goto out;
		i += n;
	}
out:
	if (rc) {
		out->len = start;
		if (out->ptr)
			out->ptr[start] = '\0';
	}
	return rc;
}

/* 1 if the code point cp (>= U+0300) can neither change under NFC nor
 * combine with the code point before it: no canonical decomposition, a
 * combining class of 0, and not the second half of any canonical
 * composition (utf8proc marks those with comb_index >= 0x8000; the Hangul
 * vowel and trailing-consonant jamo compose by rule instead).  Text made of
 * such code points and of code points below U+0300 is already NFC, and a
 * position before one of them is a safe place to cut text into pieces that
 * normalise independently.  test_text.c checks this against utf8proc for
 * every code point. */
static int nfc_quick_yes(int32_t cp)
{
	const utf8proc_property_t *p;

	if (cp < 0x300 || (cp >= 0xAC00 && cp <= 0xD7A3))
		return 1;
	if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2))
		return 0;
	p = utf8proc_get_property(cp);
	if (p->combining_class != 0)
		return 0;
	if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0)
		return 0;
	if (p->comb_index != UINT16_MAX && p->comb_index >= 0x8000)
		return 0;
	return 1;
}

/* Replace out->ptr[from..out->len), valid UTF-8, by its NFC form.  Returns
 * 0 or HORCH_ETOOBIG when the normalised form passes out's cap (out is then
 * as it was).  Short pieces, the usual case, are normalised on the stack. */
static int nfc_tail(struct buf *out, size_t from)
{
	const utf8proc_uint8_t *src = (const utf8proc_uint8_t *)out->ptr + from;
	utf8proc_ssize_t slen = (utf8proc_ssize_t)(out->len - from);
	const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	utf8proc_int32_t stack[256];
	utf8proc_int32_t *cps = stack;
	utf8proc_ssize_t n, blen;
	int rc = 0;

	n = utf8proc_decompose(src, slen, cps, 255, opts);
	if (n > 255) {
		cps = horch_xmalloc(((size_t)n + 1) * sizeof *cps);
		n = utf8proc_decompose(src, slen, cps, n, opts);
	}
	if (n < 0)
		goto out;       /* cannot happen on valid UTF-8; keep the text */
	blen = utf8proc_reencode(cps, n, opts);
	if (blen < 0)
		goto out;
	if ((size_t)blen > out->max - from) {
		rc = HORCH_ETOOBIG;
		goto out;
	}
	out->len = from;
	rc = buf_append(out, cps, (size_t)blen);
out:
	if (cps != stack)
		free(cps);
	return rc;
}

/* Normalise out->ptr[seg..] if it is marked dirty; see text_normalise(). */
static int flush(struct buf *out, size_t seg, int *dirty)
{
	if (!*dirty)
		return 0;
	*dirty = 0;
	return nfc_tail(out, seg);
}

int text_normalise(struct buf *out, const char *s, size_t len, size_t *n_repaired)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = out->len;
	size_t n_rep = 0;
	size_t i = 0;
	size_t seg = start;    /* out offset of the last safe NFC boundary */
	int dirty = 0;         /* out[seg..] holds a code point that failed the quick check */
	int rc;

	while (i < len && plain[p[i]])
		i++;
	if (i == len) {
		rc = buf_append(out, s, len);
		goto out;
	}
	/* Room for the usual case, where the text hardly changes; when the cap
	 * is too close for that, each append checks for itself. */
	(void)buf_reserve(out, len);
	i = 0;
	while (i < len) {
		size_t run = i;
		int32_t cp;
		size_t n;

		while (i < len && plain[p[i]])
			i++;
		if (i > run) {
			rc = flush(out, seg, &dirty);
			if (!rc)
				rc = buf_append(out, s + run, i - run);
			if (rc)
				goto out;
			/* The last character of the run may take the marks that follow. */
			seg = out->len - 1;
			if (i == len)
				break;
		}
		if (p[i] < 0x80) {
			/* A control character: CR and CR LF become LF, the rest go. */
			if (p[i] == '\r') {
				rc = flush(out, seg, &dirty);
				if (!rc)
					rc = buf_putc(out, '\n');
				if (rc)
					goto out;
				seg = out->len - 1;
				if (i + 1 < len && p[i + 1] == '\n')
					i++;
			}
			i++;
			continue;
		}
		n = text__decode(p + i, len - i, &cp);
		if (cp >= 0x80 && cp <= 0x9F) {
			i += n;         /* a C1 control: dropped */
			continue;
		}
		if (cp < 0 || nfc_quick_yes(cp)) {
			rc = flush(out, seg, &dirty);
			if (rc)
				goto out;
			seg = out->len;
		} else {
			dirty = 1;
		}
		if (cp < 0) {
			n_rep++;
			rc = buf_append(out, replacement, 3);
		} else {
			rc = buf_append(out, s + i, n);
		}
		if (rc)
			goto out;
		i += n;
	}
	rc = flush(out, seg, &dirty);
out:
	if (rc) {
		out->len = start;
		if (out->ptr)
			out->ptr[start] = '\0';
		n_rep = 0;
	}
	if (n_repaired)
		*n_repaired = n_rep;
	return rc;
}

int text_squeeze_spaces(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, base = out->len;
	int pending = 0, rc = 0;

	while (i < len && rc == 0) {
		uint32_t cp;
		size_t n = horch_utf8_decode(u + i, len - i, &cp);
		int space;

		if (n == 0) {
			/* not UTF-8: kept as it is (for the caller to refuse) */
			n = 1;
			space = 0;
		} else {
			space = utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ZS ||
				(cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0x2028 ||
				cp == 0x2029;
		}
		if (space) {
			pending = 1;
		} else {
			if (pending && out->len > base)
				rc = buf_putc(out, ' ');
			pending = 0;
			if (rc == 0)
				rc = buf_append(out, s + i, n);
		}
		i += n;
	}
	return rc;
}

int text_name_key(struct buf *out, const char *s, size_t len)
{
	struct buf nfc, sq;
	int rc;

	buf_init(&nfc, BUF_NOLIMIT);
	buf_init(&sq, BUF_NOLIMIT);
	rc = text_normalise(&nfc, s, len, NULL);
	if (rc == 0)
		rc = text_squeeze_spaces(&sq, nfc.ptr ? nfc.ptr : "", nfc.len);
	if (rc == 0)
		rc = text_fold(out, sq.ptr ? sq.ptr : "", sq.len);
	buf_cleanup(&nfc);
	buf_cleanup(&sq);
	return rc;
}
