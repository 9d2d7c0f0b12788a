/* rss.c - the RSS and Atom connector: blogs, news sites, forums and any
 * other site that publishes a feed.
 *
 * One poll is one conditional GET of the feed (If-None-Match and
 * If-Modified-Since from the cursor), a parse of the body into posts
 * (rss_parse(), see rss.h), the posts not seen in the last fetch handed to
 * the runner, and one commit of the new cursor.  The cursor is a small
 * JSON object:
 *
 *   {"etag":"\"5e1f\"","modified":"Tue, 24 Feb 2015 11:35:52 GMT",
 *    "ids":"9f86d081884c7d65a3c5...."}
 *
 * etag and modified are the validators of the last good fetch; ids is the
 * 64-bit FNV-1a hash of the external id of each item of that fetch, 16 hex
 * digits each, as many as fit in the cursor.  An item whose hash is there
 * is not emitted again; every other item is, whatever its date (feeds
 * reorder and backdate), and a repeat costs nothing but a little work
 * since the store keeps one post per (source, external_id).  A 304 is a
 * poll without posts that commits nothing.
 *
 * The parse is in three layers, all in this file: the decoder (the
 * encoding chosen and repaired, rss_decode()), libxml2's SAX2 parser with
 * a handler that keeps only what a post needs (fast and small: no tree is
 * built), and the item-to-post mapping (end_item()).  The same decoder and
 * safe parser read OPML feed lists (opml_parse()).
 *
 * Safety: the parser never touches the network (XML_PARSE_NONET, no
 * resolveEntity, no external subset), never loads a DTD, substitutes no
 * external entity, and caps entities on its own: at most
 * RSS_ENTITIES_MAX declarations, none that refers to another entity (the
 * "billion laughs" are refused at their declaration), and at most
 * RSS_EXPANSION_MAX bytes of text added by references overall.  The body
 * is capped by source_fetch(), the items by RSS_ITEMS_MAX, each field by
 * POST_FIELD_MAX or POST_TEXT_MAX (cut, not refused). */
#include "rss.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/hash.h"
#include "../core/utf8.h"
#include "../text/text.h"
#include "connector.h"

/* ---- the decoder ---- */

/* The HTML 4 named character references, sorted by name (bytewise): a
 * feed that uses them without declaring them (very common: &nbsp;,
 * &mdash;, &eacute;) is not well-formed XML; the decoder writes them as
 * numeric references instead. */
static const struct html_entity {
	const char *name;
	unsigned cp;
} html_entities[] = {
	{ "AElig", 198 }, { "Aacute", 193 }, { "Acirc", 194 }, { "Agrave", 192 },
	{ "Alpha", 913 }, { "Aring", 197 }, { "Atilde", 195 }, { "Auml", 196 }, { "Beta", 914 },
	{ "Ccedil", 199 }, { "Chi", 935 }, { "Dagger", 8225 }, { "Delta", 916 }, { "ETH", 208 },
	{ "Eacute", 201 }, { "Ecirc", 202 }, { "Egrave", 200 }, { "Epsilon", 917 }, { "Eta", 919 },
	{ "Euml", 203 }, { "Gamma", 915 }, { "Iacute", 205 }, { "Icirc", 206 }, { "Igrave", 204 },
	{ "Iota", 921 }, { "Iuml", 207 }, { "Kappa", 922 }, { "Lambda", 923 }, { "Mu", 924 },
	{ "Ntilde", 209 }, { "Nu", 925 }, { "OElig", 338 }, { "Oacute", 211 }, { "Ocirc", 212 },
	{ "Ograve", 210 }, { "Omega", 937 }, { "Omicron", 927 }, { "Oslash", 216 },
	{ "Otilde", 213 }, { "Ouml", 214 }, { "Phi", 934 }, { "Pi", 928 }, { "Prime", 8243 },
	{ "Psi", 936 }, { "Rho", 929 }, { "Scaron", 352 }, { "Sigma", 931 }, { "THORN", 222 },
	{ "Tau", 932 }, { "Theta", 920 }, { "Uacute", 218 }, { "Ucirc", 219 }, { "Ugrave", 217 },
	{ "Upsilon", 933 }, { "Uuml", 220 }, { "Xi", 926 }, { "Yacute", 221 }, { "Yuml", 376 },
	{ "Zeta", 918 }, { "aacute", 225 }, { "acirc", 226 }, { "acute", 180 }, { "aelig", 230 },
	{ "agrave", 224 }, { "alefsym", 8501 }, { "alpha", 945 }, { "amp", 38 }, { "and", 8743 },
	{ "ang", 8736 }, { "aring", 229 }, { "asymp", 8776 }, { "atilde", 227 }, { "auml", 228 },
	{ "bdquo", 8222 }, { "beta", 946 }, { "brvbar", 166 }, { "bull", 8226 }, { "cap", 8745 },
	{ "ccedil", 231 }, { "cedil", 184 }, { "cent", 162 }, { "chi", 967 }, { "circ", 710 },
	{ "clubs", 9827 }, { "cong", 8773 }, { "copy", 169 }, { "crarr", 8629 }, { "cup", 8746 },
	{ "curren", 164 }, { "dArr", 8659 }, { "dagger", 8224 }, { "darr", 8595 }, { "deg", 176 },
	{ "delta", 948 }, { "diams", 9830 }, { "divide", 247 }, { "eacute", 233 }, { "ecirc", 234 },
	{ "egrave", 232 }, { "empty", 8709 }, { "emsp", 8195 }, { "ensp", 8194 },
	{ "epsilon", 949 }, { "equiv", 8801 }, { "eta", 951 }, { "eth", 240 }, { "euml", 235 },
	{ "euro", 8364 }, { "exist", 8707 }, { "fnof", 402 }, { "forall", 8704 }, { "frac12", 189 },
	{ "frac14", 188 }, { "frac34", 190 }, { "frasl", 8260 }, { "gamma", 947 }, { "ge", 8805 },
	{ "gt", 62 }, { "hArr", 8660 }, { "harr", 8596 }, { "hearts", 9829 }, { "hellip", 8230 },
	{ "iacute", 237 }, { "icirc", 238 }, { "iexcl", 161 }, { "igrave", 236 }, { "image", 8465 },
	{ "infin", 8734 }, { "int", 8747 }, { "iota", 953 }, { "iquest", 191 }, { "isin", 8712 },
	{ "iuml", 239 }, { "kappa", 954 }, { "lArr", 8656 }, { "lambda", 955 }, { "lang", 9001 },
	{ "laquo", 171 }, { "larr", 8592 }, { "lceil", 8968 }, { "ldquo", 8220 }, { "le", 8804 },
	{ "lfloor", 8970 }, { "lowast", 8727 }, { "loz", 9674 }, { "lrm", 8206 }, { "lsaquo", 8249 },
	{ "lsquo", 8216 }, { "lt", 60 }, { "macr", 175 }, { "mdash", 8212 }, { "micro", 181 },
	{ "middot", 183 }, { "minus", 8722 }, { "mu", 956 }, { "nabla", 8711 }, { "nbsp", 160 },
	{ "ndash", 8211 }, { "ne", 8800 }, { "ni", 8715 }, { "not", 172 }, { "notin", 8713 },
	{ "nsub", 8836 }, { "ntilde", 241 }, { "nu", 957 }, { "oacute", 243 }, { "ocirc", 244 },
	{ "oelig", 339 }, { "ograve", 242 }, { "oline", 8254 }, { "omega", 969 },
	{ "omicron", 959 }, { "oplus", 8853 }, { "or", 8744 }, { "ordf", 170 }, { "ordm", 186 },
	{ "oslash", 248 }, { "otilde", 245 }, { "otimes", 8855 }, { "ouml", 246 }, { "para", 182 },
	{ "part", 8706 }, { "permil", 8240 }, { "perp", 8869 }, { "phi", 966 }, { "pi", 960 },
	{ "piv", 982 }, { "plusmn", 177 }, { "pound", 163 }, { "prime", 8242 }, { "prod", 8719 },
	{ "prop", 8733 }, { "psi", 968 }, { "quot", 34 }, { "rArr", 8658 }, { "radic", 8730 },
	{ "rang", 9002 }, { "raquo", 187 }, { "rarr", 8594 }, { "rceil", 8969 }, { "rdquo", 8221 },
	{ "real", 8476 }, { "reg", 174 }, { "rfloor", 8971 }, { "rho", 961 }, { "rlm", 8207 },
	{ "rsaquo", 8250 }, { "rsquo", 8217 }, { "sbquo", 8218 }, { "scaron", 353 },
	{ "sdot", 8901 }, { "sect", 167 }, { "shy", 173 }, { "sigma", 963 }, { "sigmaf", 962 },
	{ "sim", 8764 }, { "spades", 9824 }, { "sub", 8834 }, { "sube", 8838 }, { "sum", 8721 },
	{ "sup", 8835 }, { "sup1", 185 }, { "sup2", 178 }, { "sup3", 179 }, { "supe", 8839 },
	{ "szlig", 223 }, { "tau", 964 }, { "there4", 8756 }, { "theta", 952 },
	{ "thetasym", 977 }, { "thinsp", 8201 }, { "thorn", 254 }, { "tilde", 732 },
	{ "times", 215 }, { "trade", 8482 }, { "uArr", 8657 }, { "uacute", 250 }, { "uarr", 8593 },
	{ "ucirc", 251 }, { "ugrave", 249 }, { "uml", 168 }, { "upsih", 978 }, { "upsilon", 965 },
	{ "uuml", 252 }, { "weierp", 8472 }, { "xi", 958 }, { "yacute", 253 }, { "yen", 165 },
	{ "yuml", 255 }, { "zeta", 950 }, { "zwj", 8205 }, { "zwnj", 8204 },
};

static int entity_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct html_entity *)elem)->name);
}

/* The code point of the HTML entity named name, or 0. */
static unsigned html_entity(const char *name)
{
	const struct html_entity *e = bsearch(name, html_entities,
					      sizeof html_entities / sizeof html_entities[0],
					      sizeof html_entities[0], entity_cmp);

	return e ? e->cp : 0;
}

/* windows-1252's 0x80..0x9F; the five bytes it leaves undefined are
 * U+FFFD (and counted as invalid). */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

enum enc {
	ENC_UTF8 = 0,
	ENC_CP1252,
	ENC_UTF16LE,
	ENC_UTF16BE,
	ENC_UTF16,     /* declared without saying which order */
	ENC_OTHER,     /* anything else: iconv */
};

/* Append code point cp as UTF-8.  Returns 0 or HORCH_ETOOBIG. */
static int put_cp(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append(b, u, n);
}

#define FFFD "\xEF\xBF\xBD"

/* The class of an encoding label ("ISO-8859-1", "utf8", ...). */
static enum enc enc_of_label(const char *label)
{
	static const char *const latin[] = {
		"iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1",
		"l1", "us-ascii", "ascii", "ansi_x3.4-1968", "windows-1252", "cp1252", "x-cp1252",
		"cp819", "ibm819", "iso-ir-100", "csisolatin1", NULL,
	};

	if (!strcasecmp(label, "utf-8") || !strcasecmp(label, "utf8") ||
	    !strcasecmp(label, "unicode-1-1-utf-8"))
		return ENC_UTF8;
	for (size_t i = 0; latin[i]; i++)
		if (!strcasecmp(label, latin[i]))
			return ENC_CP1252;
	if (!strcasecmp(label, "utf-16le"))
		return ENC_UTF16LE;
	if (!strcasecmp(label, "utf-16be"))
		return ENC_UTF16BE;
	if (!strcasecmp(label, "utf-16") || !strcasecmp(label, "utf16") ||
	    !strcasecmp(label, "ucs-2") || !strcasecmp(label, "iso-10646-ucs-2"))
		return ENC_UTF16;
	return ENC_OTHER;
}

/* Copy an encoding label from s[0..len) into out when it is a plausible
 * one (letters, digits, "-_.:", 1..31 bytes).  Returns 1 when copied. */
static int take_label(char out[32], const char *s, size_t len)
{
	if (len == 0 || len >= 32)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.:", s[i]))
			return 0;
	memcpy(out, s, len);
	out[len] = '\0';
	return 1;
}

/* The encoding named by the XML declaration at the start of s[0..len)
 * (ASCII-compatible bytes), copied into out.  Returns 1 when there is one. */
static int xml_decl_encoding(const char *s, size_t len, char out[32])
{
	size_t end, i;
	const char *e;

	if (len < 6 || memcmp(s, "<?xml", 5) != 0 || !strchr(" \t\r\n", s[5]))
		return 0;
	for (end = 5; end + 1 < len && end < 512; end++)
		if (s[end] == '?' && s[end + 1] == '>')
			break;
	for (i = 5; i + 8 <= end; i++) {
		if (memcmp(s + i, "encoding", 8) != 0)
			continue;
		i += 8;
		while (i < end && strchr(" \t\r\n", s[i]))
			i++;
		if (i >= end || s[i] != '=')
			return 0;
		i++;
		while (i < end && strchr(" \t\r\n", s[i]))
			i++;
		if (i >= end || (s[i] != '"' && s[i] != '\''))
			return 0;
		e = memchr(s + i + 1, s[i], end - i - 1);
		return e && take_label(out, s + i + 1, (size_t)(e - (s + i + 1)));
	}
	return 0;
}

/* The charset parameter of a Content-Type value, copied into out.
 * Returns 1 when there is one. */
static int http_charset(const char *ct, char out[32])
{
	const char *p, *e;

	if (!ct)
		return 0;
	for (p = ct; *p; p++) {
		if (strncasecmp(p, "charset", 7) != 0)
			continue;
		p += 7;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"' || *p == '\'') {
			e = strchr(p + 1, *p);
			return e && take_label(out, p + 1, (size_t)(e - p - 1));
		}
		e = p + strcspn(p, " \t;,");
		return take_label(out, p, (size_t)(e - p));
	}
	return 0;
}

/* Count the invalid sequences and the valid multi-byte sequences of the
 * UTF-8 text s[0..len). */
static void utf8_census(const unsigned char *s, size_t len, size_t *n_invalid, size_t *n_multi)
{
	size_t i = 0, bad = 0, multi = 0;
	uint32_t cp;

	while (i < len) {
		size_t n;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = horch_utf8_decode(s + i, len - i, &cp);
		if (n) {
			multi++;
			i += n;
		} else {
			bad++;
			i++;
		}
	}
	*n_invalid = bad;
	*n_multi = multi;
}

/* Transcode windows-1252 s[0..len) to UTF-8 into out. */
static int from_cp1252(const unsigned char *s, size_t len, struct buf *out, size_t *n_invalid)
{
	for (size_t i = 0; i < len; i++) {
		uint32_t cp = s[i];
		int rc;

		if (cp >= 0x80 && cp < 0xA0) {
			cp = cp1252_high[cp - 0x80];
			if (cp == 0xFFFD)
				(*n_invalid)++;
		}
		rc = cp < 0x80 ? buf_putc(out, (int)cp) : put_cp(out, cp);
		if (rc)
			return HORCH_ETOOBIG;
	}
	return 0;
}

/* Transcode UTF-16 s[0..len) (big-endian when be) to UTF-8 into out;
 * unpaired surrogates and an odd last byte become U+FFFD. */
static int from_utf16(const unsigned char *s, size_t len, int be, struct buf *out,
		      size_t *n_invalid)
{
	size_t i = 0;

	while (i + 1 < len) {
		uint32_t u = be ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);

		i += 2;
		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < len) {
			uint32_t lo = be ? (uint32_t)(s[i] << 8 | s[i + 1])
					 : (uint32_t)(s[i + 1] << 8 | s[i]);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF) {
			u = 0xFFFD;
			(*n_invalid)++;
		}
		if (put_cp(out, u))
			return HORCH_ETOOBIG;
	}
	if (i < len) {
		(*n_invalid)++;
		if (buf_append(out, FFFD, 3))
			return HORCH_ETOOBIG;
	}
	return 0;
}

/* Transcode s[0..len) from the encoding label to UTF-8 with iconv.
 * Returns 0, HORCH_ETOOBIG, or HORCH_ENOTFOUND when iconv does not know
 * the label (out is then untouched). */
static int from_iconv(const char *label, const char *s, size_t len, struct buf *out,
		      size_t *n_invalid)
{
	iconv_t cd = iconv_open("UTF-8", label);
	char chunk[8192];
	char *in = (char *)s;
	size_t left = len;
	int rc = 0;

	if (cd == (iconv_t)-1)
		return HORCH_ENOTFOUND;
	while (left > 0) {
		char *o = chunk;
		size_t room = sizeof chunk;
		size_t r = iconv(cd, &in, &left, &o, &room);
		int e = errno;

		if (buf_append(out, chunk, sizeof chunk - room)) {
			rc = HORCH_ETOOBIG;
			break;
		}
		if (r != (size_t)-1 || e == E2BIG)
			continue;
		/* A byte the encoding does not have, or a sequence cut off
		 * at the end: one U+FFFD, and on with the next byte. */
		(*n_invalid)++;
		if (buf_append(out, FFFD, 3)) {
			rc = HORCH_ETOOBIG;
			break;
		}
		if (e == EINVAL)
			break;
		in++;
		left--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	return rc;
}

/* The states of the repair pass over the markup. */
enum scan_state {
	SCAN_TEXT = 0,   /* content and tags: '&' is checked */
	SCAN_CDATA,      /* inside <![CDATA[ ... ]]> */
	SCAN_COMMENT,    /* inside <!-- ... --> */
	SCAN_PI,         /* inside <? ... ?> */
	SCAN_DOCTYPE,    /* inside <!DOCTYPE ... > */
	SCAN_DTD_COMMENT, /* a comment inside the DOCTYPE */
};

static int is_name_start(int c)
{
	return isalpha(c) || c == '_' || c == ':';
}

static int is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == ':' || c == '.' || c == '-';
}

/* 1 when code point cp may appear in an XML 1.0 document. */
static int xml_char(unsigned long cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Append n bytes to out; nothing in a dry run (out NULL). */
static int put(struct buf *out, const void *p, size_t n)
{
	return out ? buf_append(out, p, n) : 0;
}

/* The '&' at s[i] (state SCAN_TEXT): appends it, or its repair, to out
 * and returns the bytes of s it covers; *repaired is set when it needed
 * one (a dry run stops there). */
static size_t repair_amp(const unsigned char *s, size_t len, size_t i, int has_subset,
			 struct buf *out, struct rss_decode_info *info, int *repaired, int *rc)
{
	size_t j = i + 1, k;
	char name[40];

	if (j < len && s[j] == '#') {
		unsigned long cp = 0;
		int hex = j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X');

		k = j + 1 + (size_t)hex;
		while (k < len && k - j < 12 && (hex ? isxdigit(s[k]) : isdigit(s[k]))) {
			if (cp < 0x110000)
				cp = cp * (hex ? 16 : 10) +
				     (unsigned long)(isdigit(s[k]) ? s[k] - '0'
								   : (tolower(s[k]) - 'a' + 10));
			k++;
		}
		if (k < len && s[k] == ';' && k > j + 1 + (size_t)hex) {
			if (xml_char(cp)) {
				*rc = put(out, s + i, k + 1 - i);
			} else {
				*repaired = 1;
				info->n_controls++;
				*rc = put(out, "&#65533;", 8);
			}
			return k + 1 - i;
		}
	} else if (j < len && is_name_start(s[j])) {
		for (k = j; k < len && k - j < sizeof name - 1 && is_name_char(s[k]); k++)
			;
		if (k < len && s[k] == ';') {
			unsigned cp;

			memcpy(name, s + j, k - j);
			name[k - j] = '\0';
			if (!strcmp(name, "amp") || !strcmp(name, "lt") || !strcmp(name, "gt") ||
			    !strcmp(name, "quot") || !strcmp(name, "apos")) {
				*rc = put(out, s + i, k + 1 - i);
			} else if ((cp = html_entity(name)) != 0) {
				char ref[16];
				int n = snprintf(ref, sizeof ref, "&#%u;", cp);

				*repaired = 1;
				info->n_entities++;
				*rc = put(out, ref, (size_t)n);
			} else if (has_subset) {
				/* Perhaps declared in the document: the parser
				 * decides. */
				*rc = put(out, s + i, k + 1 - i);
			} else {
				/* An entity no one declared: shown as written. */
				*repaired = 1;
				info->n_amps++;
				*rc = put(out, "&amp;", 5);
				if (!*rc)
					*rc = put(out, s + j, k + 1 - j);
			}
			return k + 1 - i;
		}
	}
	*repaired = 1;
	info->n_amps++;
	*rc = put(out, "&amp;", 5);
	return 1;
}

/* Bytes that need no look in state SCAN_TEXT (1) and SCAN_CDATA (2). */
static unsigned char plain[256];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

static void plain_start(void)
{
	for (int c = 0x20; c < 0x80; c++)
		plain[c] = 3;
	plain['\t'] = plain['\n'] = plain['\r'] = 3;
	plain['&'] = 2;
	plain['<'] = 2;
	plain[']'] = 1;
}

/* The repair pass: copy the UTF-8 text s[0..len) to out with invalid
 * sequences and characters XML forbids as U+FFFD, and (outside CDATA,
 * comments, processing instructions and the DOCTYPE) each '&' that does
 * not start a reference as "&amp;", HTML entity names as numeric
 * references and char references to forbidden characters as U+FFFD.
 * Counts the valid multi-byte sequences in *n_multi.
 *
 * With out NULL, a dry run: returns 1 at the first repair the text needs
 * (*n_multi then counts the sequences before it), 0 when it needs none.
 * Otherwise returns 0 or HORCH_ETOOBIG (out's cap). */
static int repair(const unsigned char *s, size_t len, struct buf *out,
		  struct rss_decode_info *info, size_t *n_multi)
{
	enum scan_state st = SCAN_TEXT;
	int has_subset = 0, depth = 0, rc = 0, repaired = 0;
	unsigned char quote = 0;
	size_t i = 0, run;

	pthread_once(&plain_once, plain_start);
	*n_multi = 0;
	while (i < len && !rc) {
		unsigned char c;
		uint32_t cp;
		size_t n;

		if (repaired && !out)
			return 1;
		run = i;
		if (st == SCAN_TEXT)
			while (i < len && (plain[s[i]] & 1))
				i++;
		else if (st == SCAN_CDATA)
			while (i < len && (plain[s[i]] & 2))
				i++;
		if (i > run && (rc = put(out, s + run, i - run)))
			break;
		if (i >= len)
			break;
		c = s[i];
		if (c >= 0x80) {
			n = horch_utf8_decode(s + i, len - i, &cp);
			if (!n) {
				repaired = 1;
				info->n_invalid++;
				rc = put(out, FFFD, 3);
				i++;
			} else if (cp == 0xFFFE || cp == 0xFFFF) {
				repaired = 1;
				info->n_controls++;
				rc = put(out, FFFD, 3);
				i += n;
			} else {
				(*n_multi)++;
				rc = put(out, s + i, n);
				i += n;
			}
			continue;
		}
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			repaired = 1;
			info->n_controls++;
			rc = put(out, FFFD, 3);
			i++;
			continue;
		}
		switch (st) {
		case SCAN_TEXT:
			if (c == '&') {
				i += repair_amp(s, len, i, has_subset, out, info, &repaired, &rc);
				continue;
			}
			if (c == '<') {
				if (len - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
					st = SCAN_CDATA;
					n = 9;
				} else if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
					st = SCAN_COMMENT;
					n = 4;
				} else if (len - i >= 9 && !memcmp(s + i, "<!DOCTYPE", 9)) {
					st = SCAN_DOCTYPE;
					n = 9;
				} else if (len - i >= 2 && s[i + 1] == '?') {
					st = SCAN_PI;
					n = 2;
				} else {
					n = 1;
				}
				rc = put(out, s + i, n);
				i += n;
				continue;
			}
			break;
		case SCAN_CDATA:
			if (c == ']' && len - i >= 3 && !memcmp(s + i, "]]>", 3)) {
				rc = put(out, s + i, 3);
				i += 3;
				st = SCAN_TEXT;
				continue;
			}
			break;
		case SCAN_COMMENT:
		case SCAN_DTD_COMMENT:
			if (c == '-' && len - i >= 3 && !memcmp(s + i, "-->", 3)) {
				rc = put(out, s + i, 3);
				i += 3;
				st = st == SCAN_COMMENT ? SCAN_TEXT : SCAN_DOCTYPE;
				continue;
			}
			break;
		case SCAN_PI:
			if (c == '?' && len - i >= 2 && s[i + 1] == '>') {
				rc = put(out, s + i, 2);
				i += 2;
				st = SCAN_TEXT;
				continue;
			}
			break;
		case SCAN_DOCTYPE:
			if (quote) {
				if (c == quote)
					quote = 0;
			} else if (c == '"' || c == '\'') {
				quote = c;
			} else if (c == '[') {
				depth++;
				has_subset = 1;
			} else if (c == ']') {
				depth--;
			} else if (c == '>' && depth <= 0) {
				st = SCAN_TEXT;
			} else if (c == '<' && len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
				rc = put(out, s + i, 4);
				i += 4;
				st = SCAN_DTD_COMMENT;
				continue;
			}
			break;
		}
		rc = put(out, &c, 1);
		i++;
	}
	if (!out)
		return repaired;
	return rc ? HORCH_ETOOBIG : 0;
}

/* The decoding of rss_decode(): the document is either a part of body
 * itself (*doc points into it: nothing needed repair) or tmp's content.
 * Returns 0 or HORCH_ETOOBIG. */
static int decode_doc(const char *body, size_t len, const char *content_type, struct buf *tmp,
		      const char **doc, size_t *doc_len, struct rss_decode_info *info,
		      struct horch_err *err)
{
	const unsigned char *s = (const unsigned char *)body;
	struct buf conv;
	enum enc enc = ENC_UTF8;
	char label[32] = "", http[32];
	const unsigned char *src;
	size_t src_len, n_invalid, n_multi;
	int rc = 0, bom = 0;

	memset(info, 0, sizeof *info);
	buf_reset(tmp);
	tmp->max = RSS_DOC_MAX;
	buf_init(&conv, RSS_DOC_MAX);
	info->why = "default";
	/* 1. A byte order mark, or "<?" in UTF-16 without one. */
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		s += 3;
		len -= 3;
		bom = 1;
		info->why = "byte order mark";
	} else if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		enc = s[0] == 0xFF ? ENC_UTF16LE : ENC_UTF16BE;
		s += 2;
		len -= 2;
		bom = 1;
		info->why = "byte order mark";
	} else if (len >= 4 && ((s[0] == '<' && s[1] == 0 && s[2] == '?' && s[3] == 0) ||
				(s[0] == 0 && s[1] == '<' && s[2] == 0 && s[3] == '?'))) {
		enc = s[0] ? ENC_UTF16LE : ENC_UTF16BE;
		bom = 1;
		info->why = "UTF-16 without byte order mark";
	}
	if (enc == ENC_UTF8) {
		/* A blank line before the declaration makes the document
		 * ill-formed; it is dropped. */
		size_t k = 0;

		while (k < len && k < 4096 && s[k] && strchr(" \t\r\n", s[k]))
			k++;
		if (k && len - k >= 6 && !memcmp(s + k, "<?xml", 5)) {
			for (size_t m = 0; m < k; m++)
				info->lines_dropped += s[m] == '\n';
			s += k;
			len -= k;
		}
		/* 2. The XML declaration, 3. the HTTP charset. */
		if (xml_decl_encoding((const char *)s, len, label)) {
			snprintf(info->declared, sizeof info->declared, "%s", label);
			if (!bom) {
				enc = enc_of_label(label);
				info->why = "XML declaration";
			}
		} else if (!bom && http_charset(content_type, http)) {
			memcpy(label, http, sizeof label);
			enc = enc_of_label(label);
			info->why = "HTTP charset";
		}
	}
	if (!bom && enc != ENC_UTF8) {
		/* The bytes against the label. */
		utf8_census(s, len, &n_invalid, &n_multi);
		if (enc == ENC_UTF16 || enc == ENC_UTF16LE || enc == ENC_UTF16BE) {
			info->lie = 1;
			enc = ENC_UTF8;
		} else if (n_invalid == 0 && n_multi > 0) {
			info->lie = 1;
			enc = ENC_UTF8;
		}
	}
	if (enc == ENC_UTF8) {
		struct rss_decode_info dry = *info;

		/* The common case: valid UTF-8 that needs no repair is
		 * parsed where it is. */
		if (repair(s, len, NULL, &dry, &n_multi) == 0) {
			snprintf(info->encoding, sizeof info->encoding, "UTF-8");
			*doc = (const char *)s;
			*doc_len = len;
			goto out;
		}
		if (!bom && dry.n_invalid && !n_multi) {
			/* Not UTF-8 before its first bad byte: perhaps not
			 * UTF-8 at all. */
			utf8_census(s, len, &n_invalid, &n_multi);
			if (n_invalid > 0 && n_multi == 0) {
				info->lie = label[0] != '\0';
				info->why = "bytes";
				enc = ENC_CP1252;
			}
		}
	}
	src = s;
	src_len = len;
	switch (enc) {
	case ENC_UTF8:
		snprintf(info->encoding, sizeof info->encoding, "UTF-8");
		break;
	case ENC_CP1252:
		snprintf(info->encoding, sizeof info->encoding, "windows-1252");
		rc = from_cp1252(s, len, &conv, &info->n_invalid);
		break;
	case ENC_UTF16LE:
	case ENC_UTF16BE:
	case ENC_UTF16:
		snprintf(info->encoding, sizeof info->encoding, "UTF-16%s",
			 enc == ENC_UTF16BE ? "BE" : "LE");
		rc = from_utf16(s, len, enc == ENC_UTF16BE, &conv, &info->n_invalid);
		break;
	case ENC_OTHER:
		rc = from_iconv(label, (const char *)s, len, &conv, &info->n_invalid);
		if (rc == HORCH_ENOTFOUND) {
			/* An encoding no one knows: read as UTF-8, which
			 * repairs what it must. */
			info->lie = 1;
			rc = 0;
			snprintf(info->encoding, sizeof info->encoding, "UTF-8");
		} else {
			snprintf(info->encoding, sizeof info->encoding, "%s", label);
		}
		break;
	}
	if (rc)
		goto out;
	if (conv.ptr) {
		src = (const unsigned char *)conv.ptr;
		src_len = conv.len;
	}
	if (buf_reserve(tmp, src_len + src_len / 16 + 64)) {
		rc = HORCH_ETOOBIG;
		goto out;
	}
	rc = repair(src, src_len, tmp, info, &n_multi);
	if (!tmp->ptr)
		buf_append(tmp, "", 0);
	*doc = tmp->ptr;
	*doc_len = tmp->len;
out:
	buf_cleanup(&conv);
	if (rc)
		return horch_err_set(err, HORCH_ETOOBIG,
				     "the feed is more than %u bytes once decoded and repaired",
				     RSS_DOC_MAX);
	return 0;
}

int rss_decode(const char *body, size_t len, const char *content_type, struct buf *out,
	       struct rss_decode_info *info, struct horch_err *err)
{
	const char *doc = NULL;
	size_t doc_len = 0;
	int rc = decode_doc(body, len, content_type, out, &doc, &doc_len, info, err);

	if (rc)
		return rc;
	if (doc != out->ptr) {
		buf_reset(out);
		if (buf_append(out, doc, doc_len))
			return horch_err_set(err, HORCH_ETOOBIG, "the feed is more than %u bytes",
					     RSS_DOC_MAX);
	}
	if (!out->ptr)
		buf_append(out, "", 0);
	return 0;
}

/* ---- the SAX handler ---- */

/* Namespaces the parser knows. */
enum ns {
	NS_NONE = 0,
	NS_RSS1,     /* http://purl.org/rss/1.0/ and RSS 0.90's */
	NS_ATOM,     /* http://www.w3.org/2005/Atom */
	NS_ATOM03,   /* http://purl.org/atom/ns# */
	NS_DC,       /* Dublin Core elements */
	NS_CONTENT,  /* the content module: content:encoded */
	NS_RDF,
	NS_XHTML,
	NS_XML,      /* xml:lang, xml:base */
	NS_OTHER,
};

static enum ns ns_of(const xmlChar *uri, const xmlChar *prefix)
{
	const char *u = (const char *)uri;

	if (!u) {
		/* An undeclared prefix: known by its usual name. */
		if (!prefix)
			return NS_NONE;
		if (!strcmp((const char *)prefix, "dc"))
			return NS_DC;
		if (!strcmp((const char *)prefix, "content"))
			return NS_CONTENT;
		if (!strcmp((const char *)prefix, "atom"))
			return NS_ATOM;
		return NS_OTHER;
	}
	if (!strcmp(u, "http://www.w3.org/2005/Atom"))
		return NS_ATOM;
	if (!strcmp(u, "http://purl.org/rss/1.0/") ||
	    !strcmp(u, "http://my.netscape.com/rdf/simple/0.9/"))
		return NS_RSS1;
	if (!strcmp(u, "http://purl.org/dc/elements/1.1/") || !strcmp(u, "http://purl.org/dc/terms/"))
		return NS_DC;
	if (!strcmp(u, "http://purl.org/rss/1.0/modules/content/"))
		return NS_CONTENT;
	if (!strcmp(u, "http://www.w3.org/1999/02/22-rdf-syntax-ns#"))
		return NS_RDF;
	if (!strcmp(u, "http://purl.org/atom/ns#"))
		return NS_ATOM03;
	if (!strcmp(u, "http://www.w3.org/1999/xhtml"))
		return NS_XHTML;
	if (!strcmp(u, "http://www.w3.org/XML/1998/namespace"))
		return NS_XML;
	return NS_OTHER;
}

/* The fields of an item (and of the feed) that the handler collects. */
enum field {
	F_TITLE = 0,
	F_LINK,
	F_DESC,       /* RSS description, Atom summary */
	F_CONTENT,    /* content:encoded, Atom content */
	F_GUID,
	F_ID,         /* Atom id */
	F_PUBDATE,
	F_DCDATE,
	F_PUBLISHED,
	F_UPDATED,
	F_CREATOR,    /* dc:creator */
	F_AUTHOR,     /* RSS author: "mail@example.com (Name)" */
	F_ANAME,      /* Atom author/name */
	F_FEED_TITLE,
	F_FEED_LANG,
	F_FEED_AUTHOR, /* Atom feed/author/name: the author of entries without one */
	N_FIELDS,
};

/* How a captured element's content is kept. */
enum cap_kind {
	CAP_TEXT = 0,  /* characters only */
	CAP_HTML,      /* characters as HTML source; nested elements written as tags */
	CAP_XHTML,     /* nested XHTML: characters escaped, elements written as tags */
};

/* The type of an Atom text construct (title, summary, content). */
enum text_type {
	TYPE_TEXT = 0,
	TYPE_HTML,
	TYPE_XHTML,
	TYPE_OTHER,    /* a media type or base64: not read */
};

/* Items whose ids were seen in this feed: open addressing of 64-bit
 * hashes (0 is "empty"; a hash of 0 is stored as 1). */
struct idset {
	uint64_t *v;
	size_t cap;    /* a power of two */
	size_t n;
};

/* 1 when h was in the set already; else adds it. */
static int idset_add(struct idset *s, uint64_t h)
{
	size_t i;

	if (!h)
		h = 1;
	if ((s->n + 1) * 2 > s->cap) {
		struct idset bigger = { NULL, s->cap ? s->cap * 2 : 64, 0 };

		bigger.v = horch_xcalloc(bigger.cap, sizeof *bigger.v);
		for (i = 0; i < s->cap; i++)
			if (s->v[i])
				idset_add(&bigger, s->v[i]);
		free(s->v);
		*s = bigger;
	}
	for (i = h & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == h)
			return 1;
	s->v[i] = h;
	s->n++;
	return 0;
}

/* The state of one parse, reached from libxml2's context through
 * ctxt->_private (also from the contexts of entity content). */
struct parse {
	xmlParserCtxtPtr ctxt;    /* the document's context */
	const struct rss_opts *o;
	struct rss_feed *feed;
	size_t max_items;
	size_t doc_len;           /* bytes of the decoded document */
	size_t chars;             /* bytes of character data delivered: the expansion check */
	int n_decls;              /* entity declarations */

	/* OPML */
	int opml;
	int (*opml_fn)(void *ctx, const char *title, const char *xml_url, const char *html_url);
	void *opml_ctx;
	int opml_rc;
	size_t n_feeds;

	/* Where the handler is. */
	int depth;                /* open elements */
	int root_seen;
	int halted;               /* stopped on purpose: no more events are taken */
	int item_depth;           /* depth of the open item's element; -1: none */
	int author_depth;         /* depth of the item's Atom <author>; -1: none */
	int feed_author_depth;    /* depth of the feed's Atom <author>; -1: none */
	size_t n_warned;          /* per-item warnings given */

	/* The capture in progress (one at a time). */
	int cap_field;            /* enum field; -1: none */
	int cap_depth;
	int cap_kind;             /* enum cap_kind */
	int cap_skip;             /* XHTML: depth where a wrapper div is left out; -1: none */
	int cap_div;              /* depth of the wrapper div left out; -1: none */
	int cap_cut;              /* 1 once the capture was cut */
	struct buf *cap_buf;
	size_t cap_max;

	/* The open item. */
	struct buf f[N_FIELDS];
	int set[N_FIELDS];        /* 1 once a field was captured */
	int type[N_FIELDS];       /* enum text_type of title, summary, content */
	struct buf discard;       /* a second value of a field: not kept */
	int guid_permalink;
	char *about;              /* rdf:about */
	char *alt_link;           /* Atom link rel="alternate" */
	int alt_html;             /* 1: alt_link has type text/html */
	char *enclosure;
	char *item_lang;          /* xml:lang of the item */
	char *item_base;          /* xml:base of the item, resolved */

	/* The feed. */
	char *feed_lang;          /* xml:lang of the root or channel */
	char *feed_base;          /* xml:base of the root or channel, resolved */
	struct idset ids;
	size_t n_dups;
	char bad_date[64];        /* the first date that could not be read */

	/* The first error: ours, or libxml2's first fatal one. */
	int err_code;
	long err_line, err_col;
	int err_xml;              /* libxml2's error number */
	char err_msg[384];
};

static struct parse *state_of(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

__attribute__((format(printf, 2, 3)))
static void warnf(struct parse *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (!p->o || !p->o->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	p->o->warn(p->o->ctx, msg);
}

/* Stop the parse: no event is taken after this (the handlers check
 * p->halted), and libxml2 stops reading both the context at hand (the
 * content of an entity, perhaps) and the document's. */
static void halt(struct parse *p, void *ctx)
{
	p->halted = 1;
	if (ctx && ctx != p->ctxt)
		xmlStopParser(ctx);
	xmlStopParser(p->ctxt);
}

__attribute__((format(printf, 4, 5)))
static void fail(struct parse *p, void *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	if (!p->err_code) {
		p->err_code = code;
		va_start(ap, fmt);
		vsnprintf(p->err_msg, sizeof p->err_msg, fmt, ap);
		va_end(ap);
		if (ctx) {
			p->err_line = xmlSAX2GetLineNumber(ctx);
			p->err_col = xmlSAX2GetColumnNumber(ctx);
		}
	}
	halt(p, ctx);
}

/* Append s[0..n) to the capture, cut at its cap (at a character's start:
 * what comes after a cut is left out, even if it would fit). */
static void cap_append(struct parse *p, const char *s, size_t n)
{
	struct buf *b = p->cap_buf;

	if (n > p->cap_max - b->len) {
		size_t room = p->cap_max - b->len;

		if (b != &p->discard && !p->cap_cut) {
			p->feed->n_cut++;
			p->cap_cut = 1;
		}
		while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
			room--;
		n = room;
		p->cap_max = b->len + n;
	}
	if (n)
		buf_append(b, s, n);
}

/* Append s[0..n) escaped for HTML text (&, <, >). */
static void cap_escaped(struct parse *p, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;"
										  : NULL;

		if (!rep)
			continue;
		cap_append(p, s + run, i - run);
		cap_append(p, rep, strlen(rep));
		run = i + 1;
	}
	cap_append(p, s + run, n - run);
}

/* The value of an attribute as SAX2 gives it (value[0..end), references
 * other than the predefined ones left as written) decoded: predefined and
 * numeric references replaced.  malloc'd. */
static char *attr_value(const xmlChar *value, const xmlChar *end)
{
	const char *s = (const char *)value;
	size_t len = (size_t)(end - value), i = 0;
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	while (i < len) {
		const char *semi;
		size_t n;

		if (s[i] != '&' || !(semi = memchr(s + i, ';', len - i)) || semi - (s + i) > 12) {
			buf_putc(&b, s[i++]);
			continue;
		}
		n = (size_t)(semi - (s + i)) + 1;
		if (s[i + 1] == '#') {
			char num[16];
			unsigned long cp;
			char *e;

			memcpy(num, s + i + 2, n - 3);
			num[n - 3] = '\0';
			cp = num[0] == 'x' || num[0] == 'X' ? strtoul(num + 1, &e, 16)
							     : strtoul(num, &e, 10);
			if (*e || !xml_char(cp) || !num[0]) {
				buf_putc(&b, s[i++]);
				continue;
			}
			put_cp(&b, (uint32_t)cp);
		} else if (n == 5 && !memcmp(s + i, "&amp;", 5)) {
			buf_putc(&b, '&');
		} else if (n == 4 && !memcmp(s + i, "&lt;", 4)) {
			buf_putc(&b, '<');
		} else if (n == 4 && !memcmp(s + i, "&gt;", 4)) {
			buf_putc(&b, '>');
		} else if (n == 6 && !memcmp(s + i, "&quot;", 6)) {
			buf_putc(&b, '"');
		} else if (n == 6 && !memcmp(s + i, "&apos;", 6)) {
			buf_putc(&b, '\'');
		} else {
			buf_append(&b, s + i, n);
		}
		i += n;
	}
	return buf_take(&b);
}

/* The attribute localname (in namespace ns, NS_NONE for none) of a start
 * tag, decoded and malloc'd, or NULL. */
static char *attr_get(int nb, const xmlChar **attrs, enum ns ns, const char *localname)
{
	for (int i = 0; i < nb; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (strcmp((const char *)a[0], localname) != 0)
			continue;
		if ((a[2] ? ns_of(a[2], a[1]) : NS_NONE) != ns)
			continue;
		return attr_value(a[3], a[4]);
	}
	return NULL;
}

/* As attr_get() for NS_NONE, matching the name without regard to case
 * (OPML files write xmlUrl, xmlurl and XMLURL). */
static char *attr_get_nocase(int nb, const xmlChar **attrs, const char *localname)
{
	for (int i = 0; i < nb; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (!a[2] && !strcasecmp((const char *)a[0], localname))
			return attr_value(a[3], a[4]);
	}
	return NULL;
}

/* s with blanks removed at both ends, in place. */
static char *trim(char *s)
{
	size_t len;

	if (!s)
		return NULL;
	while (*s && strchr(" \t\r\n", *s))
		s++;
	len = strlen(s);
	while (len && strchr(" \t\r\n", s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* 1 when s starts with a URI scheme and a colon ("http:", "urn:", "tag:"). */
static int has_scheme(const char *s)
{
	size_t i = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':' && s[i + 1] != '\0';
}

/* ref resolved against base (either may be NULL), with blanks trimmed and
 * inner blanks escaped.  Returns a malloc'd absolute URL when the result
 * is http or https and at most POST_FIELD_MAX bytes, else NULL. */
static char *resolve_url(const char *ref, const char *base)
{
	struct buf b;
	xmlChar *u = NULL;
	char *out = NULL;
	const char *r;
	size_t len;

	if (!ref)
		return NULL;
	while (*ref && strchr(" \t\r\n", *ref))
		ref++;
	len = strlen(ref);
	while (len && strchr(" \t\r\n", ref[len - 1]))
		len--;
	if (!len || len > POST_FIELD_MAX)
		return NULL;
	if (!strncasecmp(ref, "http://", 7) || !strncasecmp(ref, "https://", 8)) {
		/* Absolute already (most links are): xmlBuildURI() would
		 * return it as it is, unless it has bytes to escape. */
		size_t i;

		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)ref[i];

			if (c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>')
				break;
		}
		if (i == len && len > (ref[4] == ':' ? 7u : 8u)) {
			out = horch_xstrndup(ref, len);
			for (char *c = out; *c != ':'; c++)
				*c = (char)tolower((unsigned char)*c);
			return out;
		}
	}
	buf_init(&b, BUF_NOLIMIT);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)ref[i];

		if (c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>')
			buf_printf(&b, "%%%02X", c);
		else
			buf_putc(&b, c);
	}
	u = xmlBuildURI((const xmlChar *)b.ptr, (const xmlChar *)base);
	r = u ? (const char *)u : b.ptr;
	if ((!strncasecmp(r, "http://", 7) && r[7]) || (!strncasecmp(r, "https://", 8) && r[8])) {
		if (strlen(r) <= POST_FIELD_MAX) {
			out = horch_xstrdup(r);
			for (char *c = out; *c != ':'; c++)
				*c = (char)tolower((unsigned char)*c);
		}
	}
	xmlFree(u);
	buf_cleanup(&b);
	return out;
}

/* The base that links of the open item resolve against. */
static const char *item_base(const struct parse *p)
{
	if (p->item_base)
		return p->item_base;
	if (p->feed_base)
		return p->feed_base;
	return p->o->base_url ? p->o->base_url : p->o->feed_url;
}

/* A resolved xml:base from the attributes, against the base in effect. */
static char *take_base(int nb, const xmlChar **attrs, const char *base)
{
	char *b = attr_get(nb, attrs, NS_XML, "base"), *r = NULL;

	if (b) {
		xmlChar *u = xmlBuildURI((const xmlChar *)trim(b), (const xmlChar *)base);

		if (u && strlen((const char *)u) <= POST_FIELD_MAX)
			r = horch_xstrdup((const char *)u);
		xmlFree(u);
		free(b);
	}
	return r;
}

/* The ISO 639-1 code of a language tag ("en-US" -> "en"), malloc'd, or
 * NULL when the tag does not start with two letters. */
static char *lang_code(const char *tag)
{
	char code[3];

	if (!tag)
		return NULL;
	while (*tag && strchr(" \t\r\n", *tag))
		tag++;
	if (!isalpha((unsigned char)tag[0]) || !isalpha((unsigned char)tag[1]) ||
	    isalnum((unsigned char)tag[2]))
		return NULL;
	code[0] = (char)tolower((unsigned char)tag[0]);
	code[1] = (char)tolower((unsigned char)tag[1]);
	code[2] = '\0';
	return horch_xstrdup(code);
}

/* The type of an Atom text construct from its type (and 0.3's mode). */
static int text_type_of(int nb, const xmlChar **attrs)
{
	char *t = attr_get(nb, attrs, NS_NONE, "type"), *m = attr_get(nb, attrs, NS_NONE, "mode");
	int r = TYPE_TEXT;

	if (t) {
		const char *v = trim(t);

		if (!strcasecmp(v, "html") || !strcasecmp(v, "text/html"))
			r = TYPE_HTML;
		else if (!strcasecmp(v, "xhtml") || !strcasecmp(v, "application/xhtml+xml"))
			r = TYPE_XHTML;
		else if (!strcasecmp(v, "text") || !strcasecmp(v, "text/plain") || !*v)
			r = TYPE_TEXT;
		else
			r = TYPE_OTHER;
	}
	if (m) {
		if (!strcasecmp(trim(m), "xml") && r == TYPE_HTML)
			r = TYPE_XHTML;
		else if (!strcasecmp(trim(m), "base64"))
			r = TYPE_OTHER;
	}
	free(t);
	free(m);
	return r;
}

/* Begin capturing the element at depth d into field f. */
static void capture(struct parse *p, int f, int d, int kind)
{
	size_t max = f == F_DESC || f == F_CONTENT ? POST_TEXT_MAX : POST_FIELD_MAX;

	p->cap_field = f;
	p->cap_depth = d;
	p->cap_kind = kind;
	p->cap_skip = -1;
	p->cap_div = -1;
	p->cap_cut = 0;
	if (p->set[f]) {
		/* The second title or link of an item: the first one wins. */
		buf_reset(&p->discard);
		p->cap_buf = &p->discard;
		p->cap_max = 0;
		return;
	}
	p->set[f] = 1;
	p->cap_buf = &p->f[f];
	buf_reset(p->cap_buf);
	p->cap_max = max;
}

static void item_reset(struct parse *p)
{
	for (int f = 0; f < N_FIELDS; f++) {
		if (f == F_FEED_TITLE || f == F_FEED_LANG || f == F_FEED_AUTHOR)
			continue;
		buf_reset(&p->f[f]);
		p->set[f] = 0;
		p->type[f] = TYPE_TEXT;
	}
	p->guid_permalink = 1;
	free(p->about);
	free(p->alt_link);
	free(p->enclosure);
	free(p->item_lang);
	free(p->item_base);
	p->about = p->alt_link = p->enclosure = p->item_lang = p->item_base = NULL;
	p->alt_html = 0;
	p->author_depth = -1;
}

static void start_item(struct parse *p, void *ctx, int d, int nb, const xmlChar **attrs)
{
	char *lang;

	if (p->feed->n_items >= p->max_items) {
		warnf(p, "the feed has more than %zu items: the rest are not read", p->max_items);
		p->feed->n_skipped++;
		halt(p, ctx);
		return;
	}
	p->feed->n_items++;
	item_reset(p);
	p->item_depth = d;
	p->about = attr_get(nb, attrs, NS_RDF, "about");
	p->item_base = take_base(nb, attrs, item_base(p));
	lang = attr_get(nb, attrs, NS_XML, "lang");
	p->item_lang = lang_code(lang);
	free(lang);
}

/* The root element: which format, or a clear error. */
static void start_root(struct parse *p, void *ctx, const char *name, enum ns ns, int nb,
		       const xmlChar **attrs)
{
	char *lang;

	p->root_seen = 1;
	if (p->opml) {
		if (strcmp(name, "opml") != 0)
			fail(p, ctx, HORCH_EPARSE, "not an OPML document: the root element is <%.40s>",
			     name);
		return;
	}
	if (!strcmp(name, "rss"))
		p->feed->format = RSS_FORMAT_RSS2;
	else if (!strcmp(name, "RDF") && ns == NS_RDF)
		p->feed->format = RSS_FORMAT_RSS1;
	else if (!strcmp(name, "feed") && (ns == NS_ATOM || ns == NS_ATOM03 || ns == NS_NONE))
		p->feed->format = RSS_FORMAT_ATOM;
	else if (!strcasecmp(name, "html"))
		fail(p, ctx, HORCH_EPARSE, "not a feed: an HTML page");
	else if (!strcmp(name, "opml"))
		fail(p, ctx, HORCH_EPARSE, "not a feed: an OPML list of feeds "
		     "(horch source import-opml reads it)");
	else
		fail(p, ctx, HORCH_EPARSE, "not a feed: the root element is <%.40s>", name);
	if (p->halted)
		return;
	p->feed_base = take_base(nb, attrs, p->o->base_url ? p->o->base_url : p->o->feed_url);
	lang = attr_get(nb, attrs, NS_XML, "lang");
	p->feed_lang = lang_code(lang);
	free(lang);
}

/* One <outline> of an OPML file. */
static void opml_outline(struct parse *p, void *ctx, int nb, const xmlChar **attrs)
{
	char *type = attr_get_nocase(nb, attrs, "type");
	char *xml_url = attr_get_nocase(nb, attrs, "xmlUrl");
	char *title = NULL, *html_url = NULL;
	const char *t;

	if (!xml_url || !*trim(xml_url))
		goto out;
	t = type ? trim(type) : "";
	if (*t && strcasecmp(t, "rss") && strcasecmp(t, "atom") && strcasecmp(t, "feed"))
		goto out;
	if (strlen(xml_url) > POST_FIELD_MAX) {
		fail(p, ctx, HORCH_ETOOBIG, "an xmlUrl of more than %u bytes", POST_FIELD_MAX);
		goto out;
	}
	if (++p->n_feeds > OPML_FEEDS_MAX) {
		fail(p, ctx, HORCH_ETOOBIG, "more than %u feeds", OPML_FEEDS_MAX);
		goto out;
	}
	title = attr_get_nocase(nb, attrs, "title");
	if (!title || !*trim(title)) {
		free(title);
		title = attr_get_nocase(nb, attrs, "text");
	}
	html_url = attr_get_nocase(nb, attrs, "htmlUrl");
	p->opml_rc = p->opml_fn(p->opml_ctx, title && *trim(title) ? trim(title) : NULL,
				trim(xml_url), html_url && *trim(html_url) ? trim(html_url) : NULL);
	if (p->opml_rc)
		halt(p, ctx);
out:
	free(type);
	free(xml_url);
	free(title);
	free(html_url);
}

/* HTML elements without an end tag. */
static int void_element(const char *name)
{
	static const char *const v[] = { "area", "base", "br", "col", "embed", "hr", "img",
					  "input", "link", "meta", "source", "track", "wbr", NULL };

	for (size_t i = 0; v[i]; i++)
		if (!strcmp(name, v[i]))
			return 1;
	return 0;
}

/* Write a nested element's start tag into an HTML capture. */
static void cap_start_tag(struct parse *p, const char *name, int nb, const xmlChar **attrs)
{
	cap_append(p, "<", 1);
	cap_append(p, name, strlen(name));
	for (int i = 0; i < nb; i++) {
		const xmlChar **a = attrs + 5 * i;
		char *v = attr_value(a[3], a[4]);

		if (a[1]) /* xml:lang and foreign attributes: left out */
			goto next;
		cap_append(p, " ", 1);
		cap_append(p, (const char *)a[0], strlen((const char *)a[0]));
		cap_append(p, "=\"", 2);
		for (const char *c = v; *c; c++) {
			if (*c == '"')
				cap_append(p, "&quot;", 6);
			else if (*c == '&')
				cap_append(p, "&amp;", 5);
			else if (*c == '<')
				cap_append(p, "&lt;", 4);
			else
				cap_append(p, c, 1);
		}
		cap_append(p, "\"", 1);
next:
		free(v);
	}
	cap_append(p, ">", 1);
}

/* An element inside an item, at depth d (a child of the item). */
static void item_child(struct parse *p, const char *name, enum ns ns, int d, int nb,
		       const xmlChar **attrs)
{
	int atom = ns == NS_ATOM || ns == NS_ATOM03 ||
		   (ns == NS_NONE && p->feed->format == RSS_FORMAT_ATOM);

	if (atom) {
		if (!strcmp(name, "id")) {
			capture(p, F_ID, d, CAP_TEXT);
		} else if (!strcmp(name, "title")) {
			p->type[F_TITLE] = text_type_of(nb, attrs);
			capture(p, F_TITLE, d, p->type[F_TITLE] == TYPE_XHTML ? CAP_XHTML : CAP_TEXT);
		} else if (!strcmp(name, "content") || !strcmp(name, "summary")) {
			int f = name[0] == 'c' ? F_CONTENT : F_DESC;
			char *src = attr_get(nb, attrs, NS_NONE, "src");
			int t = text_type_of(nb, attrs);

			if (src || t == TYPE_OTHER || p->set[f]) {
				free(src);
				return;
			}
			p->type[f] = t;
			capture(p, f, d, t == TYPE_XHTML ? CAP_XHTML : t == TYPE_HTML ? CAP_HTML
										 : CAP_TEXT);
			if (t == TYPE_XHTML)
				p->cap_skip = d + 1;
		} else if (!strcmp(name, "published") || !strcmp(name, "issued") ||
			   !strcmp(name, "created")) {
			capture(p, F_PUBLISHED, d, CAP_TEXT);
		} else if (!strcmp(name, "updated") || !strcmp(name, "modified")) {
			capture(p, F_UPDATED, d, CAP_TEXT);
		} else if (!strcmp(name, "author")) {
			if (p->author_depth < 0 && !p->set[F_ANAME])
				p->author_depth = d;
		} else if (!strcmp(name, "link")) {
			char *rel = attr_get(nb, attrs, NS_NONE, "rel");
			char *href = attr_get(nb, attrs, NS_NONE, "href");
			char *type = attr_get(nb, attrs, NS_NONE, "type");
			const char *r = rel ? trim(rel) : "alternate";
			int html = type && !strcasecmp(trim(type), "text/html");

			char *url = resolve_url(href, item_base(p));

			if (url && (!*r || !strcmp(r, "alternate") ||
				    !strcmp(r, "http://www.iana.org/assignments/relation/alternate"))) {
				if (!p->alt_link || (html && !p->alt_html)) {
					free(p->alt_link);
					p->alt_link = url;
					p->alt_html = html;
					url = NULL;
				}
			} else if (url && !strcmp(r, "enclosure") && !p->enclosure) {
				p->enclosure = url;
				url = NULL;
			}
			free(url);
			free(rel);
			free(href);
			free(type);
		}
		return;
	}
	switch (ns) {
	case NS_NONE:
	case NS_RSS1:
		if (!strcmp(name, "title")) {
			capture(p, F_TITLE, d, CAP_TEXT);
		} else if (!strcmp(name, "link")) {
			capture(p, F_LINK, d, CAP_TEXT);
		} else if (!strcmp(name, "description")) {
			capture(p, F_DESC, d, CAP_HTML);
		} else if (!strcmp(name, "guid")) {
			char *pl = attr_get(nb, attrs, NS_NONE, "isPermaLink");

			if (pl && !p->set[F_GUID])
				p->guid_permalink = strcasecmp(trim(pl), "false") != 0;
			free(pl);
			capture(p, F_GUID, d, CAP_TEXT);
		} else if (!strcmp(name, "pubDate")) {
			capture(p, F_PUBDATE, d, CAP_TEXT);
		} else if (!strcmp(name, "author")) {
			capture(p, F_AUTHOR, d, CAP_TEXT);
		} else if (!strcmp(name, "enclosure") && !p->enclosure) {
			p->enclosure = attr_get(nb, attrs, NS_NONE, "url");
		}
		break;
	case NS_DC:
		if (!strcmp(name, "creator"))
			capture(p, F_CREATOR, d, CAP_TEXT);
		else if (!strcmp(name, "date"))
			capture(p, F_DCDATE, d, CAP_TEXT);
		break;
	case NS_CONTENT:
		if (!strcmp(name, "encoded"))
			capture(p, F_CONTENT, d, CAP_HTML);
		break;
	default:
		break;
	}
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
		     int nb_attributes, int nb_defaulted, const xmlChar **attrs)
{
	struct parse *p = state_of(ctx);
	const char *name = (const char *)localname;
	enum ns ns = ns_of(uri, prefix);
	int d = p->depth++;

	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	if (p->halted)
		return;
	if (p->cap_field >= 0) {
		if (p->cap_kind == CAP_TEXT)
			return;
		if (p->cap_skip == d) {
			/* Atom's xhtml content is wrapped in one div that is
			 * not part of it. */
			p->cap_skip = -1;
			if (!strcmp(name, "div") && ns == NS_XHTML) {
				p->cap_div = d;
				return;
			}
		}
		cap_start_tag(p, name, nb_attributes, attrs);
		return;
	}
	if (d == 0) {
		start_root(p, ctx, name, ns, nb_attributes, attrs);
		return;
	}
	if (p->opml) {
		if (!strcmp(name, "outline"))
			opml_outline(p, ctx, nb_attributes, attrs);
		return;
	}
	if (p->item_depth < 0) {
		int rss = ns == NS_NONE || ns == NS_RSS1;

		if ((p->feed->format == RSS_FORMAT_ATOM && !strcmp(name, "entry") &&
		     (ns == NS_ATOM || ns == NS_ATOM03 || ns == NS_NONE)) ||
		    (p->feed->format != RSS_FORMAT_ATOM && rss && !strcmp(name, "item"))) {
			start_item(p, ctx, d, nb_attributes, attrs);
		} else if (d <= 2 && !strcmp(name, "title") && !p->set[F_FEED_TITLE] &&
			   (rss || ns == NS_ATOM || ns == NS_ATOM03)) {
			capture(p, F_FEED_TITLE, d, CAP_TEXT);
			if (p->feed->format == RSS_FORMAT_ATOM)
				p->type[F_FEED_TITLE] = text_type_of(nb_attributes, attrs);
		} else if (d == 1 && !strcmp(name, "author") && p->feed->format == RSS_FORMAT_ATOM &&
			   (ns == NS_ATOM || ns == NS_ATOM03 || ns == NS_NONE)) {
			p->feed_author_depth = d;
		} else if (d == 2 && p->feed_author_depth == 1 && !strcmp(name, "name")) {
			capture(p, F_FEED_AUTHOR, d, CAP_TEXT);
		} else if (d <= 2 && !strcmp(name, "language") && (rss || ns == NS_DC)) {
			capture(p, F_FEED_LANG, d, CAP_TEXT);
		} else if (d == 1 && !strcmp(name, "channel") && rss) {
			char *lang = attr_get(nb_attributes, attrs, NS_XML, "lang");
			char *base = take_base(nb_attributes, attrs,
					       p->feed_base ? p->feed_base : p->o->base_url ?
					       p->o->base_url : p->o->feed_url);

			if (lang && !p->feed_lang)
				p->feed_lang = lang_code(lang);
			if (base) {
				free(p->feed_base);
				p->feed_base = base;
			}
			free(lang);
		}
		return;
	}
	if (d == p->item_depth + 1)
		item_child(p, name, ns, d, nb_attributes, attrs);
	else if (d == p->author_depth + 1 && p->author_depth >= 0 && !strcmp(name, "name"))
		capture(p, F_ANAME, d, CAP_TEXT);
}

static void end_item(struct parse *p);

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		   const xmlChar *uri)
{
	struct parse *p = state_of(ctx);
	int d = --p->depth;

	(void)prefix;
	(void)uri;
	if (p->halted)
		return;
	if (p->cap_field >= 0) {
		if (d == p->cap_depth) {
			p->cap_field = -1;
			p->cap_buf = NULL;
		} else if (d == p->cap_div) {
			p->cap_div = -1;
		} else if (p->cap_kind != CAP_TEXT && !void_element((const char *)localname)) {
			cap_append(p, "</", 2);
			cap_append(p, (const char *)localname, strlen((const char *)localname));
			cap_append(p, ">", 1);
		}
		return;
	}
	if (p->item_depth < 0) {
		if (d == p->feed_author_depth)
			p->feed_author_depth = -1;
		return;
	}
	if (d == p->item_depth) {
		end_item(p);
		p->item_depth = -1;
	} else if (d == p->author_depth) {
		p->author_depth = -1;
	}
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
	struct parse *p = state_of(ctx);

	if (p->halted)
		return;
	p->chars += (size_t)len;
	if (p->chars > p->doc_len + RSS_EXPANSION_MAX) {
		fail(p, ctx, HORCH_ETOOBIG, "entity expansion: entity references add more than "
		     "%u bytes of text", RSS_EXPANSION_MAX);
		return;
	}
	if (p->cap_field < 0 || len <= 0)
		return;
	if (p->cap_kind == CAP_XHTML)
		cap_escaped(p, (const char *)ch, (size_t)len);
	else
		cap_append(p, (const char *)ch, (size_t)len);
}

/* An entity declaration: internal general entities are kept (libxml2
 * expands them) unless they refer to another entity, which is how every
 * exponential "billion laughs" is built; parameter entities and external
 * parsed entities are refused (the document fails); other external
 * entities (unparsed, parameter) are never declared nor loaded. */
static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
			   const xmlChar *system_id, xmlChar *content)
{
	struct parse *p = state_of(ctx);
	const char *c = (const char *)content;

	if (p->halted)
		return;
	if (++p->n_decls > (int)RSS_ENTITIES_MAX) {
		fail(p, ctx, HORCH_EPARSE, "entity expansion: more than %u entity declarations",
		     RSS_ENTITIES_MAX);
		return;
	}
	switch (type) {
	case XML_INTERNAL_GENERAL_ENTITY:
		for (const char *a = c ? strchr(c, '&') : NULL; a; a = strchr(a + 1, '&')) {
			if (a[1] == '#' || !strncmp(a, "&amp;", 5) || !strncmp(a, "&lt;", 4) ||
			    !strncmp(a, "&gt;", 4) || !strncmp(a, "&quot;", 6) ||
			    !strncmp(a, "&apos;", 6))
				continue;
			fail(p, ctx, HORCH_EPARSE, "entity expansion: entity '%.40s' refers to "
			     "another entity (nested entities are refused)", (const char *)name);
			return;
		}
		xmlSAX2EntityDecl(ctx, name, type, public_id, system_id, content);
		break;
	case XML_INTERNAL_PARAMETER_ENTITY:
		fail(p, ctx, HORCH_EPARSE, "entity expansion: parameter entity '%.40s' refused",
		     (const char *)name);
		break;
	case XML_EXTERNAL_GENERAL_PARSED_ENTITY:
		fail(p, ctx, HORCH_EPARSE, "external entity '%.40s' refused (horch never loads one)",
		     (const char *)name);
		break;
	default:
		break;
	}
}

static xmlParserInputPtr on_resolve(void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
	(void)ctx;
	(void)public_id;
	(void)system_id;
	return NULL;
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	struct parse *p;
	size_t n;

	if (!ctx || !e || e->level != XML_ERR_FATAL)
		return;
	p = state_of(ctx);
	if (p->err_code || p->err_xml)
		return;
	p->err_xml = e->code ? e->code : -1;
	p->err_line = e->line;
	p->err_col = e->int2;
	/* The first line of libxml2's message (some go on with a piece of
	 * the document). */
	snprintf(p->err_msg, sizeof p->err_msg, "%s", e->message ? e->message : "not well-formed");
	p->err_msg[strcspn(p->err_msg, "\r\n")] = '\0';
	n = strlen(p->err_msg);
	while (n && p->err_msg[n - 1] == ' ')
		p->err_msg[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p->err_msg[i] < 0x20)
			p->err_msg[i] = ' ';
}

/* ---- items to posts ---- */

/* The field f of the open item, trimmed, or NULL when empty. */
static char *field(struct parse *p, int f)
{
	char *s;

	if (!p->set[f] || !p->f[f].ptr)
		return NULL;
	s = trim(p->f[f].ptr);
	return *s ? s : NULL;
}

/* s with its blanks squeezed (text_squeeze_spaces()), malloc'd, or NULL
 * when nothing is left. */
static char *squeezed(const char *s, size_t max)
{
	struct buf b;

	size_t len, i;

	if (!s)
		return NULL;
	/* The usual case, ASCII with single spaces inside, needs no work. */
	len = strlen(s);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || c < 0x20 || (c == ' ' && (i == 0 || s[i - 1] == ' ')))
			break;
	}
	if (i == len && len > 0 && len <= max && s[len - 1] != ' ')
		return horch_xstrdup(s);
	buf_init(&b, BUF_NOLIMIT);
	text_squeeze_spaces(&b, s, len);
	if (b.len > max) {
		size_t n = max;

		while (n > 0 && ((unsigned char)b.ptr[n] & 0xC0) == 0x80)
			n--;
		b.len = n;
		b.ptr[n] = '\0';
	}
	if (!b.len) {
		buf_cleanup(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The plain text of an HTML (or serialised XHTML) title, squeezed. */
static char *html_title(const char *html)
{
	struct buf b;
	char *r;

	buf_init(&b, POST_TEXT_MAX);
	if (text_html_to_text(&b, html, strlen(html)) != 0) {
		buf_cleanup(&b);
		return squeezed(html, POST_FIELD_MAX);
	}
	r = squeezed(b.ptr ? b.ptr : "", POST_FIELD_MAX);
	buf_cleanup(&b);
	return r;
}

/* The name in an RSS author: "mail@example.com (Jane Doe)" -> "Jane Doe",
 * "Jane Doe <mail@example.com>" -> "Jane Doe", else as it is. */
static char *author_name(const char *a)
{
	const char *open = strchr(a, '('), *close = open ? strrchr(open, ')') : NULL;
	const char *lt = strchr(a, '<');
	char *part = NULL, *r;

	if (open && close && close > open + 1)
		part = horch_xstrndup(open + 1, (size_t)(close - open - 1));
	else if (lt && lt > a)
		part = horch_xstrndup(a, (size_t)(lt - a));
	r = squeezed(part ? part : a, POST_FIELD_MAX);
	if (!r && part)
		r = squeezed(a, POST_FIELD_MAX);
	free(part);
	return r;
}

/* The time in s, or HORCH_TIME_NONE.  Dates in RFC 822 with a day name
 * in another language ("Di, 24 Feb 2015 ...") are read without it. */
static int64_t item_date(struct parse *p, const char *s)
{
	int64_t t;
	const char *comma;

	if (!s)
		return HORCH_TIME_NONE;
	if (horch_time_parse(s, strlen(s), &t, NULL) == 0)
		return t;
	comma = strchr(s, ',');
	if (comma && comma - s <= 12 && horch_time_parse(comma + 1, strlen(comma + 1), &t, NULL) == 0)
		return t;
	if (!p->feed->n_bad_dates++)
		snprintf(p->bad_date, sizeof p->bad_date, "%.60s", s);
	return HORCH_TIME_NONE;
}

/* A per-item warning, the first few of a feed only. */
#define ITEM_WARNINGS 5

static void item_skipped(struct parse *p, const char *id, const char *why)
{
	p->feed->n_skipped++;
	if (p->n_warned++ < ITEM_WARNINGS)
		warnf(p, "item %zu%s%.120s%s: %s (skipped)", p->feed->n_items, id ? " (" : "",
		      id ? id : "", id ? ")" : "", why);
}

/* The post of the open item, added to the feed, or the item skipped. */
static void end_item(struct parse *p)
{
	struct post *post = post_new();
	const char *guid = field(p, F_GUID), *link = field(p, F_LINK), *id = NULL;
	const char *base = item_base(p), *feed_url = p->o->feed_url;
	const char *content = field(p, F_CONTENT), *desc = field(p, F_DESC), *best;
	const char *creator;
	char *resolved = NULL, *fid = NULL;
	int best_type, derived = 0;
	struct horch_err verr;

	post->source = horch_xstrdup("rss");
	post->kind = POST_KIND_POST;

	/* The link. */
	post->url = resolve_url(link, base);
	if (!post->url && p->alt_link)
		post->url = resolve_url(p->alt_link, base);
	if (!post->url && guid && p->guid_permalink)
		post->url = resolve_url(guid, base);
	if (!post->url && p->enclosure)
		post->url = resolve_url(p->enclosure, base);
	if (!post->url && p->about)
		post->url = resolve_url(p->about, base);

	/* The title. */
	if (field(p, F_TITLE)) {
		if (p->type[F_TITLE] == TYPE_HTML || p->type[F_TITLE] == TYPE_XHTML)
			post->title = html_title(field(p, F_TITLE));
		else
			post->title = squeezed(field(p, F_TITLE), POST_FIELD_MAX);
	}

	/* The content: the fuller of content and description. */
	best = content;
	best_type = p->type[F_CONTENT];
	if (desc && (!content || strlen(desc) > strlen(content))) {
		best = desc;
		best_type = p->type[F_DESC];
	}
	if (best) {
		if (p->feed->format == RSS_FORMAT_ATOM && best_type == TYPE_TEXT)
			post->text = horch_xstrdup(best);
		else
			post->html = horch_xstrdup(best);
	}

	/* The author. */
	creator = field(p, F_CREATOR);
	if (!creator)
		creator = field(p, F_ANAME);
	if (!creator && !field(p, F_AUTHOR))
		creator = field(p, F_FEED_AUTHOR);
	if (creator)
		post->author = squeezed(creator, POST_FIELD_MAX);
	else if (field(p, F_AUTHOR))
		post->author = author_name(field(p, F_AUTHOR));
	if (post->author)
		post->author_name = horch_xstrdup(post->author);

	/* The date. */
	if (p->feed->format == RSS_FORMAT_ATOM) {
		post->created_at = item_date(p, field(p, F_PUBLISHED));
		if (post->created_at == HORCH_TIME_NONE)
			post->created_at = item_date(p, field(p, F_UPDATED));
		if (post->created_at == HORCH_TIME_NONE)
			post->created_at = item_date(p, field(p, F_DCDATE));
	} else {
		post->created_at = item_date(p, field(p, F_PUBDATE));
		if (post->created_at == HORCH_TIME_NONE)
			post->created_at = item_date(p, field(p, F_DCDATE));
	}
	post->lang = p->item_lang ? horch_xstrdup(p->item_lang) : NULL;

	/* The id: the guid, the link, rdf:about or the Atom id, else a hash. */
	if (p->feed->format == RSS_FORMAT_ATOM) {
		id = field(p, F_ID);
		if (!id)
			id = post->url;
	} else if (guid) {
		if (p->guid_permalink && (resolved = resolve_url(guid, base)) != NULL)
			id = resolved;
		else
			id = guid;
	} else if (p->about && *trim(p->about)) {
		id = trim(p->about);  /* RSS 1.0: the item's URI */
	} else {
		id = post->url;
	}
	if (id && !*id)
		id = NULL;
	if (!id) {
		post_derive_external_id(post);
		derived = 1;
	} else if (strlen(id) > POST_FIELD_MAX / 2 || strpbrk(id, "\t\r\n")) {
		char h[24];

		snprintf(h, sizeof h, "h:%016" PRIx64, horch_fnv1a(HORCH_FNV_BASIS, id, strlen(id)));
		post->external_id = horch_xstrdup(h);
		derived = 1;
	} else {
		post->external_id = horch_xstrdup(id);
	}
	if ((derived || !has_scheme(post->external_id)) && feed_url &&
	    strlen(feed_url) < POST_FIELD_MAX / 2) {
		size_t n = strlen(feed_url) + 1 + strlen(post->external_id) + 1;

		fid = horch_xmalloc(n);
		snprintf(fid, n, "%s#%s", feed_url, post->external_id);
		free(post->external_id);
		post->external_id = fid;
	}
	free(resolved);

	if (!post->title && !post->html && !post->text) {
		item_skipped(p, post->external_id, "no title and no content");
		post_free(post);
		return;
	}
	if (idset_add(&p->ids, horch_fnv1a(HORCH_FNV_BASIS, post->external_id,
					   strlen(post->external_id)))) {
		p->n_dups++;
		item_skipped(p, post->external_id, "the id of an earlier item");
		post_free(post);
		return;
	}
	if (post_validate(post, &verr) != 0) {
		item_skipped(p, post->external_id, verr.msg);
		post_free(post);
		return;
	}
	p->feed->posts = horch_xgrow(p->feed->posts, &p->feed->posts_cap, p->feed->n_posts + 1,
				     sizeof *p->feed->posts);
	p->feed->posts[p->feed->n_posts++] = post;
}

/* ---- the parse ---- */

#define RSS_CHUNK 65536  /* bytes handed to the push parser at a time */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_start(void)
{
	xmlInitParser();
}

/* The start of the body, for telling an HTML page from a broken feed:
 * 1 when an <html or <!DOCTYPE html comes before any other element. */
static int looks_like_html(const char *s, size_t len)
{
	size_t i = 0;

	for (int k = 0; k < 32 && i < len; k++) {
		const char *lt = memchr(s + i, '<', len - i);

		if (!lt)
			return 0;
		i = (size_t)(lt - s) + 1;
		if (len - i >= 4 && !strncasecmp(s + i, "html", 4))
			return 1;
		if (len - i >= 13 && !strncasecmp(s + i, "!doctype html", 13))
			return 1;
		if (i < len && (s[i] == '!' || s[i] == '?'))
			continue;
		return 0;
	}
	return 0;
}

/* The feed an HTML page links to (<link rel="alternate"
 * type="application/rss+xml" href="...">), resolved, malloc'd; or NULL. */
static char *html_feed_link(const char *s, size_t len, const char *base)
{
	size_t i = 0;

	while (i + 5 < len) {
		const char *lt = memchr(s + i, '<', len - i), *gt;
		char tag[1024], low[1024], *href, *type, *rel, *r, *q;
		size_t n;

		if (!lt)
			break;
		i = (size_t)(lt - s) + 1;
		if (len - i < 5 || strncasecmp(s + i, "link", 4) != 0 || !isspace((unsigned char)s[i + 4]))
			continue;
		gt = memchr(s + i, '>', len - i);
		if (!gt)
			break;
		n = (size_t)(gt - (s + i));
		if (n >= sizeof tag)
			continue;
		memcpy(tag, s + i, n);
		tag[n] = '\0';
		for (size_t k = 0; k <= n; k++) {
			if (tag[k] == '\'')
				tag[k] = '"';
			low[k] = (char)tolower((unsigned char)tag[k]);
		}
		rel = strstr(low, "rel=\"alternate\"");
		type = strstr(low, "type=\"application/rss+xml\"");
		if (!type)
			type = strstr(low, "type=\"application/atom+xml\"");
		href = strstr(low, "href=\"");
		if (!rel || !type || !href)
			continue;
		href = tag + (href - low) + 6;
		if ((q = strchr(href, '"')) != NULL)
			*q = '\0';
		r = resolve_url(href, base);
		if (r)
			return r;
	}
	return NULL;
}

/* Decode body and run the SAX handler over it (rss_parse(), opml_parse()).
 * p is set up by the caller. */
static int parse_xml(struct parse *p, const char *body, size_t len, const char *content_type,
		     struct rss_decode_info *info, struct horch_err *err)
{
	xmlSAXHandler sax;
	xmlParserCtxtPtr ctxt = NULL;
	struct buf doc;
	const char *text = NULL;
	size_t text_len = 0;
	int rc;

	pthread_once(&xml_once, xml_start);
	buf_init(&doc, RSS_DOC_MAX);
	rc = decode_doc(body, len, content_type, &doc, &text, &text_len, info, err);
	if (rc)
		goto out;
	if (text_len > INT32_MAX) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "the document is too big");
		goto out;
	}
	p->doc_len = text_len;
	/* The default SAX2 handler keeps the document's DTD (for the
	 * entities it declares); the rest is ours. */
	memset(&sax, 0, sizeof sax);
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	sax.ignorableWhitespace = on_characters;
	sax.cdataBlock = on_characters;
	sax.entityDecl = on_entity_decl;
	sax.resolveEntity = on_resolve;
	sax.externalSubset = NULL;
	sax.reference = NULL;
	sax.processingInstruction = NULL;
	sax.comment = NULL;
	sax.elementDecl = NULL;
	sax.attributeDecl = NULL;
	sax.notationDecl = NULL;
	sax.unparsedEntityDecl = NULL;
	sax.setDocumentLocator = NULL;
	sax.warning = NULL;
	sax.error = NULL;
	sax.fatalError = NULL;
	sax.serror = on_error;
	/* The push parser, fed in chunks: it keeps only what it has not
	 * read yet, where a parser of the whole memory would first copy it
	 * (the page faults of a 10 MB copy cost a tenth of the parse). */
	ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
	if (!ctxt) {
		rc = horch_err_set(err, HORCH_EIO, "the XML parser did not start");
		goto out;
	}
	ctxt->_private = p;
	p->ctxt = ctxt;
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			  XML_PARSE_IGNORE_ENC);
	ctxt->replaceEntities = 0;
	ctxt->loadsubset = 0;
	ctxt->validate = 0;
	xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
	for (size_t off = 0; off < text_len && !p->halted && ctxt->instate != XML_PARSER_EOF;) {
		size_t n = text_len - off < RSS_CHUNK ? text_len - off : RSS_CHUNK;

		if (xmlParseChunk(ctxt, text + off, (int)n, 0) != 0 && !ctxt->recovery)
			break;
		off += n;
	}
	if (!p->halted && ctxt->instate != XML_PARSER_EOF)
		xmlParseChunk(ctxt, NULL, 0, 1);

	if (p->err_code) {
		rc = horch_err_at(err, p->err_code, p->err_line + info->lines_dropped, p->err_col,
				  "%s", p->err_msg);
	} else if (p->halted) {
		rc = 0;  /* stopped on purpose: the item cap, or the caller's callback */
	} else if (p->err_xml || !ctxt->wellFormed) {
		long line = p->err_line + info->lines_dropped;

		if (looks_like_html(text, text_len)) {
			rc = horch_err_set(err, HORCH_EPARSE, "not a feed: an HTML page");
		} else if (p->err_xml == XML_ERR_ENTITY_LOOP) {
			rc = horch_err_at(err, HORCH_ETOOBIG, line, p->err_col,
					  "entity expansion: %s", p->err_msg);
		} else if (!p->root_seen) {
			rc = horch_err_at(err, HORCH_EPARSE, line, p->err_col, "not XML: %s",
					  p->err_msg[0] ? p->err_msg : "no root element");
		} else {
			rc = horch_err_at(err, HORCH_EPARSE, line, p->err_col,
					  "not well-formed XML at line %ld, column %ld: %s", line,
					  p->err_col, p->err_msg[0] ? p->err_msg : "(no detail)");
		}
	} else if (!p->root_seen) {
		rc = horch_err_set(err, HORCH_EPARSE, "not XML: no root element");
	}
	if (rc == HORCH_EPARSE && !strncmp(err->msg, "not a feed: an HTML page", 24) &&
	    looks_like_html(text, text_len)) {
		const char *base = p->o->base_url ? p->o->base_url : p->o->feed_url;
		char *feed = html_feed_link(text, text_len, base);

		if (feed)
			horch_err_set(err, HORCH_EPARSE, "not a feed: an HTML page (it names the "
				      "feed %s)", feed);
		free(feed);
	}
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
out:
	buf_cleanup(&doc);
	return rc;
}

static void parse_init(struct parse *p)
{
	memset(p, 0, sizeof *p);
	p->item_depth = -1;
	p->author_depth = -1;
	p->feed_author_depth = -1;
	p->cap_field = -1;
	p->cap_skip = -1;
	for (int f = 0; f < N_FIELDS; f++)
		buf_init(&p->f[f], BUF_NOLIMIT);
	buf_init(&p->discard, BUF_NOLIMIT);
}

static void parse_cleanup(struct parse *p)
{
	item_reset(p);
	for (int f = 0; f < N_FIELDS; f++)
		buf_cleanup(&p->f[f]);
	buf_cleanup(&p->discard);
	free(p->feed_lang);
	free(p->feed_base);
	free(p->ids.v);
}

void rss_feed_init(struct rss_feed *f)
{
	memset(f, 0, sizeof *f);
}

void rss_feed_cleanup(struct rss_feed *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_posts; i++)
		post_free(f->posts[i]);
	free(f->posts);
	free(f->title);
	rss_feed_init(f);
}

/* Tell o->warn what decoding repaired. */
static void warn_decode(struct parse *p, const struct rss_decode_info *d)
{
	if (d->lie)
		warnf(p, "the feed declares the encoding %s but its bytes are not: read as %s",
		      d->declared[0] ? d->declared : "(HTTP charset)", d->encoding);
	else if (!strcmp(d->why, "bytes"))
		warnf(p, "the feed declares no encoding and is not UTF-8: read as %s", d->encoding);
	if (d->n_invalid)
		warnf(p, "%zu invalid %s sequences replaced by U+FFFD", d->n_invalid, d->encoding);
	if (d->n_controls)
		warnf(p, "%zu characters XML does not allow replaced by U+FFFD", d->n_controls);
	if (d->n_amps)
		warnf(p, "%zu bare '&' (or undeclared entities) written as &amp;", d->n_amps);
	if (d->n_entities)
		warnf(p, "%zu HTML entities (such as &nbsp;) written as character references",
		      d->n_entities);
	if (d->lines_dropped)
		warnf(p, "blank lines before the XML declaration dropped");
}

int rss_parse(const char *body, size_t len, const struct rss_opts *o, struct rss_feed *out,
	      struct horch_err *err)
{
	static const struct rss_opts none;
	struct parse p;
	int rc;

	parse_init(&p);
	p.o = o ? o : &none;
	p.feed = out;
	p.max_items = p.o->max_items && p.o->max_items < RSS_ITEMS_MAX ? p.o->max_items
								      : RSS_ITEMS_MAX;
	rc = parse_xml(&p, body, len, p.o->content_type, &out->decode, err);
	if (rc) {
		for (size_t i = 0; i < out->n_posts; i++)
			post_free(out->posts[i]);
		out->n_posts = 0;
		goto out;
	}
	warn_decode(&p, &out->decode);
	if (p.set[F_FEED_TITLE] && field(&p, F_FEED_TITLE)) {
		if (p.type[F_FEED_TITLE] == TYPE_HTML || p.type[F_FEED_TITLE] == TYPE_XHTML)
			out->title = html_title(field(&p, F_FEED_TITLE));
		else
			out->title = squeezed(field(&p, F_FEED_TITLE), POST_FIELD_MAX);
	}
	/* The feed's language comes in the channel, perhaps after the items. */
	if (!p.feed_lang && p.set[F_FEED_LANG])
		p.feed_lang = lang_code(field(&p, F_FEED_LANG));
	for (size_t i = 0; p.feed_lang && i < out->n_posts; i++)
		if (!out->posts[i]->lang)
			out->posts[i]->lang = horch_xstrdup(p.feed_lang);
	if (p.n_warned > ITEM_WARNINGS)
		warnf(&p, "%zu more items skipped", p.n_warned - ITEM_WARNINGS);
	if (out->n_bad_dates)
		warnf(&p, "%zu items with a date that cannot be read, such as \"%s\"",
		      out->n_bad_dates, p.bad_date);
	if (out->n_cut)
		warnf(&p, "%zu fields cut to their size caps", out->n_cut);
out:
	parse_cleanup(&p);
	return rc;
}

int opml_parse(const char *body, size_t len,
	       int (*fn)(void *ctx, const char *title, const char *xml_url, const char *html_url),
	       void *ctx, struct horch_err *err)
{
	static const struct rss_opts none;
	struct rss_feed feed;
	struct rss_decode_info info;
	struct parse p;
	int rc;

	parse_init(&p);
	rss_feed_init(&feed);
	p.o = &none;
	p.feed = &feed;
	p.opml = 1;
	p.opml_fn = fn;
	p.opml_ctx = ctx;
	rc = parse_xml(&p, body, len, NULL, &info, err);
	if (!rc && p.opml_rc)
		rc = p.opml_rc;
	parse_cleanup(&p);
	rss_feed_cleanup(&feed);
	return rc;
}

/* ---- the connector ---- */

#define RSS_ETAG_MAX 512u       /* longer validators are not kept */
#define RSS_TIMEOUT_MAX 300     /* seconds, the "timeout" setting's cap */

static const struct source_key rss_keys[] = {
	{ "timeout", 0, "seconds one fetch may take, 1 to 300 (default 30)" },
	{ "max_bytes", 0, "the largest feed accepted, in bytes (default and at most 16777216)" },
	{ "max_items", 0, "items read from one fetch (default and at most 10000)" },
	{ NULL, 0, NULL },
};

static int check(const struct source_conf *c, struct horch_err *err)
{
	const char *u = c->url;
	int n, rc;

	if (!u || !*u)
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": the feed's URL is missing");
	if (!((!strncasecmp(u, "http://", 7) && u[7]) || (!strncasecmp(u, "https://", 8) && u[8]) ||
	      (!strncasecmp(u, "file://", 7) && u[7])))
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": \"%.80s\" is not an "
				     "http, https or file URL", u);
	if (strlen(u) > POST_FIELD_MAX / 2)
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": longer than %u bytes",
				     POST_FIELD_MAX / 2);
	rc = source_timeout_param(c, RSS_TIMEOUT_MAX, &n, err);
	if (!rc)
		rc = source_int_param(c, "max_bytes", SOURCE_BODY_MAX, 1, SOURCE_BODY_MAX, &n, err);
	if (!rc)
		rc = source_int_param(c, "max_items", RSS_ITEMS_MAX, 1, RSS_ITEMS_MAX, &n, err);
	return rc;
}

/* The cursor: the validators and item hashes of the last good fetch. */
struct cursor {
	char *etag;
	char *modified;
	struct idset seen;
};

/* The hash an item is remembered by. */
static uint64_t id_hash(const char *id)
{
	uint64_t h = horch_fnv1a(HORCH_FNV_BASIS, id, strlen(id));

	return h ? h : 1;
}

/* Read the cursor text into c.  A cursor that cannot be read is warned
 * about and treated as none (the next fetch is unconditional and emits
 * every item: nothing is lost). */
static void cursor_read(struct source_run *r, const char *text, struct cursor *c)
{
	json_error_t jerr;
	json_t *root, *v;
	const char *ids;

	memset(c, 0, sizeof *c);
	if (!text || !*text)
		return;
	root = json_loads(text, 0, &jerr);
	if (!root || !json_is_object(root)) {
		source_warn(r, "the cursor cannot be read: fetching the feed in full");
		json_decref(root);
		return;
	}
	if ((v = json_object_get(root, "etag")) && json_is_string(v))
		c->etag = horch_xstrdup(json_string_value(v));
	if ((v = json_object_get(root, "modified")) && json_is_string(v))
		c->modified = horch_xstrdup(json_string_value(v));
	if ((v = json_object_get(root, "ids")) && json_is_string(v)) {
		ids = json_string_value(v);
		for (size_t i = 0; i + 16 <= strlen(ids); i += 16) {
			char hex[17];
			char *end;
			uint64_t h;

			memcpy(hex, ids + i, 16);
			hex[16] = '\0';
			h = strtoull(hex, &end, 16);
			if (*end)
				break;
			idset_add(&c->seen, h);
		}
	}
	json_decref(root);
}

static void cursor_cleanup(struct cursor *c)
{
	free(c->etag);
	free(c->modified);
	free(c->seen.v);
	memset(c, 0, sizeof *c);
}

/* The cursor after a good fetch: its validators and the hashes of as many
 * of its items as fit (the first ones: the newest, in most feeds).
 * malloc'd. */
static char *cursor_write(const struct source_resp *resp, const struct rss_feed *feed)
{
	json_t *root = json_object();
	struct buf ids;
	char *text, *out;
	size_t room;

	buf_init(&ids, BUF_NOLIMIT);
	if (resp->etag && *resp->etag && strlen(resp->etag) <= RSS_ETAG_MAX)
		json_object_set_new(root, "etag", json_string(resp->etag));
	if (resp->last_modified && *resp->last_modified &&
	    strlen(resp->last_modified) <= RSS_ETAG_MAX)
		json_object_set_new(root, "modified", json_string(resp->last_modified));
	/* The validators are valid UTF-8 or json_string() refused them (and
	 * the key is simply missing). */
	text = json_dumps(root, JSON_COMPACT);
	room = SOURCE_CURSOR_MAX - (text ? strlen(text) : 0) - 16;
	free(text);
	for (size_t i = 0; i < feed->n_posts && ids.len + 16 <= room; i++)
		buf_printf(&ids, "%016" PRIx64, id_hash(feed->posts[i]->external_id));
	json_object_set_new(root, "ids", json_string(ids.ptr ? ids.ptr : ""));
	text = json_dumps(root, JSON_COMPACT);
	out = horch_xstrdup(text ? text : "");
	free(text);
	json_decref(root);
	buf_cleanup(&ids);
	return out;
}

/* url without its query string, fragment and user info, for messages. */
static void shown_url(char *out, size_t size, const char *url)
{
	const char *host = strstr(url, "://"), *at, *end;
	size_t scheme = 0;

	if (host) {
		scheme = (size_t)(host - url) + 3;
		host += 3;
		end = host + strcspn(host, "/?#");
		at = memchr(host, '@', (size_t)(end - host));
		if (at)
			host = at + 1;
	} else {
		host = url;
	}
	end = host + strcspn(host, "?#");
	snprintf(out, size, "%.*s%.*s%s", (int)scheme, url, (int)(end - host), host,
		 *end ? "?..." : "");
}

static int run(struct source_run *r, struct horch_err *err)
{
	static const char *const headers[] = {
		"Accept: application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
		"application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5",
		NULL,
	};
	const struct source_conf *c = source_run_conf(r);
	struct source_req req = { 0 };
	struct source_resp resp;
	struct rss_opts opts = { 0 };
	struct rss_feed feed;
	struct cursor cur;
	char *next = NULL, url[512];
	int timeout_ms, max_bytes, max_items, rc;

	source_resp_init(&resp);
	rss_feed_init(&feed);
	cursor_read(r, source_run_cursor(r), &cur);
	rc = source_timeout_param(c, RSS_TIMEOUT_MAX, &timeout_ms, err);
	if (!rc)
		rc = source_int_param(c, "max_bytes", SOURCE_BODY_MAX, 1, SOURCE_BODY_MAX, &max_bytes,
				      err);
	if (!rc)
		rc = source_int_param(c, "max_items", RSS_ITEMS_MAX, 1, RSS_ITEMS_MAX, &max_items,
				      err);
	if (rc)
		goto out;
	req.url = c->url;
	req.headers = headers;
	req.etag = cur.etag;
	req.last_modified = cur.modified;
	req.max_bytes = (size_t)max_bytes;
	req.timeout_ms = timeout_ms;
	rc = source_fetch(r, &req, &resp, err);
	if (rc == HORCH_ELIMIT && resp.retry_after >= 0)
		source_retry_after(r, resp.retry_after);
	if (rc)
		goto out;
	if (resp.status == 304)
		goto out;  /* unchanged: a good poll without posts */
	if (resp.status != 200 && resp.status != 203) {
		rc = source_http_error(&req, &resp, err);
		goto out;
	}
	opts.feed_url = c->url;
	opts.base_url = resp.effective_url ? resp.effective_url : c->url;
	opts.content_type = resp.content_type;
	opts.max_items = (size_t)max_items;
	opts.warn = source_warn_cb;
	opts.ctx = r;
	rc = rss_parse(resp.body.ptr ? resp.body.ptr : "", resp.body.len, &opts, &feed, err);
	if (rc) {
		char msg[sizeof err->msg + sizeof url + 8];

		shown_url(url, sizeof url, c->url);
		snprintf(msg, sizeof msg, "GET %s: %s", url, err->msg);
		msg[sizeof err->msg - 1] = '\0';
		memcpy(err->msg, msg, sizeof err->msg);
		goto out;
	}
	/* Oldest first (feeds list the newest first), and only what the
	 * last fetch did not have. */
	next = cursor_write(&resp, &feed);
	for (size_t i = feed.n_posts; i-- > 0;) {
		struct post *p = feed.posts[i];
		uint64_t h = id_hash(p->external_id);
		size_t k;

		if (cur.seen.cap) {
			for (k = h & (cur.seen.cap - 1); cur.seen.v[k] && cur.seen.v[k] != h;
			     k = (k + 1) & (cur.seen.cap - 1))
				;
			if (cur.seen.v[k] == h)
				continue;
		}
		feed.posts[i] = NULL;
		rc = source_emit(r, p);
		if (rc)
			goto out;
	}
	rc = source_commit(r, next);
out:
	free(next);
	cursor_cleanup(&cur);
	rss_feed_cleanup(&feed);
	source_resp_cleanup(&resp);
	return rc;
}

const struct connector connector_rss = {
	.kind = "rss",
	.summary = "RSS 2.0, RSS 1.0 and Atom feeds (blogs, news, forums), with conditional GET",
	.default_url = NULL,
	.interval = 900,
	.keys = rss_keys,
	.streams = NULL,
	.check = check,
	.run = run,
};
