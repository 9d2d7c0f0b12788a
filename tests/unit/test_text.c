/* test_text.c - text_normalise(), text_fold(), text_name_key() and text_html_to_text().
 *
 * The tokenizer has its own file (test_tokenise.c).  Here: repair of
 * invalid UTF-8 as Unicode prescribes, control characters and line ends,
 * NFC (checked against utf8proc for every code point that decomposes),
 * folding (checked against utf8proc for every Latin-1 letter), and HTML to
 * text on the markup that posts, feeds and blogs really carry. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "tap.h"
#include "core/buf.h"
#include "core/err.h"
#include "text/text.h"

/* ---- text_normalise ---- */

/* Normalise s[0..len) into a fresh buffer; returns the text (static
 * storage, valid until the next call) and stores the repair count. */
static const char *norm(const char *s, size_t len, size_t *n_rep)
{
	static struct buf b;

	buf_cleanup(&b);
	buf_init(&b, BUF_NOLIMIT);
	if (text_normalise(&b, s, len, n_rep) != 0)
		return "(error)";
	return b.ptr ? b.ptr : "";
}

#define NORM(lit, n) norm(lit, sizeof(lit) - 1, n)

static void test_normalise_repair(void)
{
	size_t n = 99;

	is_str(NORM("plain ASCII, tabs\tand\nnewlines", &n), "plain ASCII, tabs\tand\nnewlines",
	       "normalise-1.1 clean ASCII is copied");
	is_int(n, 0, "normalise-1.2 nothing repaired");
	is_str(NORM("Grüße, München 😀", &n), "Grüße, München 😀", "normalise-1.3 valid UTF-8 in NFC is copied");
	is_int(n, 0, "normalise-1.4 nothing repaired");
	/* Unicode 15, table 3-8: the example of maximal subparts. */
	is_str(NORM("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", &n),
	       "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD" "d",
	       "normalise-1.5 maximal subparts each become one U+FFFD");
	is_int(n, 6, "normalise-1.6 and are counted");
	is_str(NORM("\xC0\xAF", &n), "\xEF\xBF\xBD\xEF\xBF\xBD", "normalise-1.7 an overlong form is two errors");
	is_int(n, 2, "normalise-1.8 counted as two");
	is_str(NORM("\xED\xA0\x80", &n), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
	       "normalise-1.9 a surrogate is three errors");
	is_int(n, 3, "normalise-1.10 counted as three");
	is_str(NORM("\xF4\x90\x80\x80", &n), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
	       "normalise-1.11 above U+10FFFF is four errors");
	is_str(NORM("ok\xE2\x82", &n), "ok\xEF\xBF\xBD", "normalise-1.12 a truncated sequence at the end");
	is_int(n, 1, "normalise-1.13 is one error");
	is_str(NORM("\xFF\xFE", &n), "\xEF\xBF\xBD\xEF\xBF\xBD", "normalise-1.14 bytes that never occur");
	is_str(NORM("\xEF\xBF\xBD", &n), "\xEF\xBF\xBD", "normalise-1.15 a real U+FFFD stays");
	is_int(n, 0, "normalise-1.16 and is not counted");
	is_str(NORM("\xF0\x9F\x98", &n), "\xEF\xBF\xBD", "normalise-1.17 a truncated emoji is one error");
}

static void test_normalise_controls(void)
{
	size_t n;

	is_str(NORM("a\0b\x01" "c\x1F" "d\x7F" "e", &n), "abcde", "normalise-2.1 NUL, C0 and DEL are dropped");
	is_str(NORM("a\xC2\x80" "b\xC2\x9F" "c\xC2\x85" "d", &n), "abcd", "normalise-2.2 C1 controls are dropped");
	is_int(n, 0, "normalise-2.3 dropping is not repairing");
	is_str(NORM("a\r\nb\rc\n\rd\r\r", &n), "a\nb\nc\n\nd\n\n", "normalise-2.4 CR LF and CR become LF");
	is_str(NORM("\t\n", &n), "\t\n", "normalise-2.5 tab and newline stay");
	is_str(NORM("e\x01\xCC\x81", &n), "\xC3\xA9", "normalise-2.6 controls go before NFC composes");
	is_str(NORM("a\xC2\xA0" "b\xE2\x80\xA8" "c", &n), "a\xC2\xA0" "b\xE2\x80\xA8" "c",
	       "normalise-2.7 no-break space and line separator stay");
}

static void test_normalise_nfc(void)
{
	size_t n;

	is_str(NORM("e\xCC\x81", &n), "\xC3\xA9", "normalise-3.1 e + U+0301 is é");
	is_str(NORM("Cafe\xCC\x81 Mu\xCC\x88nchen", &n), "Café München", "normalise-3.2 inside words");
	is_str(NORM("\xE1\x84\x80\xE1\x85\xA1", &n), "\xEA\xB0\x80", "normalise-3.3 Hangul jamo compose");
	is_str(NORM("\xEA\xB0\x80\xE1\x86\xA8", &n), "\xEA\xB0\x81", "normalise-3.4 LV syllable + T jamo");
	is_str(NORM("a\xCC\x82\xCC\xA3", &n), "\xE1\xBA\xAD", "normalise-3.5 marks are reordered, then composed");
	is_str(NORM("\xE2\x84\xAB", &n), "\xC3\x85", "normalise-3.6 Angstrom sign is Å");
	is_str(NORM("\xE2\x84\xA6", &n), "\xCE\xA9", "normalise-3.7 Ohm sign is Ω");
	is_str(NORM("\xE0\xA5\x98", &n), "\xE0\xA4\x95\xE0\xA4\xBC",
	       "normalise-3.8 an excluded composition stays decomposed");
	is_str(NORM("\xE2\x9D\xA4\xEF\xB8\x8F \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", &n),
	       "\xE2\x9D\xA4\xEF\xB8\x8F \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
	       "normalise-3.9 emoji with selectors and modifiers are untouched");
	is_str(NORM("\xE3\x81\x8B\xE3\x82\x99", &n), "\xE3\x81\x8C", "normalise-3.10 か + dakuten is が");
	is_str(NORM("x\xCC\x81\xCC\x81\xCC\x81", &n), "x\xCC\x81\xCC\x81\xCC\x81",
	       "normalise-3.11 marks with no composite stay");
	is_str(NORM("\xCC\x81" "a", &n), "\xCC\x81" "a", "normalise-3.12 a mark at the start stays");
	is_str(NORM("\xFF" "e\xCC\x81", &n), "\xEF\xBF\xBD\xC3\xA9", "normalise-3.13 after a repair");
}

/* For every code point with a canonical decomposition, the decomposed form
 * must normalise exactly as utf8proc_NFC() does; this is what proves that
 * the quick check lets nothing through that can compose. */
static void test_normalise_exhaustive(void)
{
	int32_t cp;
	int bad = 0, n_checked = 0, bad_single = 0;
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	for (cp = 0x80; cp <= 0x10FFFF; cp++) {
		utf8proc_int32_t seq[16];
		utf8proc_uint8_t src[80], *want;
		utf8proc_ssize_t k, len = 0, i;
		int lb = 0;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		k = utf8proc_decompose_char(cp, seq, 16, UTF8PROC_DECOMPOSE, &lb);
		if (k < 1 || k > 16)
			continue;
		if (k == 1 && seq[0] == cp) {
			/* Not decomposable: normalising it alone changes nothing
			 * unless NFC maps it (singletons were decomposable). */
			len = utf8proc_encode_char(cp, src);
			src[len] = 0;
			if (cp % 97 != 0)
				continue;       /* a sample keeps this part fast */
			buf_reset(&b);
			text_normalise(&b, (const char *)src, (size_t)len, NULL);
			want = utf8proc_NFC(src);
			if (!want || b.len != strlen((char *)want) || memcmp(b.ptr, want, b.len) != 0)
				bad_single++;
			free(want);
			continue;
		}
		for (i = 0; i < k; i++)
			len += utf8proc_encode_char(seq[i], src + len);
		src[len] = 0;
		buf_reset(&b);
		text_normalise(&b, (const char *)src, (size_t)len, NULL);
		want = utf8proc_NFC(src);
		n_checked++;
		if (!want || b.len != strlen((char *)want) || memcmp(b.ptr, want, b.len) != 0) {
			if (bad++ < 5)
				diag("  U+%04X decomposed normalises differently", (unsigned)cp);
		}
		free(want);
	}
	ok(n_checked > 2000, "normalise-4.1 %d decomposable code points checked", n_checked);
	is_int(bad, 0, "normalise-4.2 each normalises as utf8proc_NFC does");
	is_int(bad_single, 0, "normalise-4.3 sampled single code points too");
	buf_cleanup(&b);
}

static void test_normalise_api(void)
{
	struct buf b;
	size_t n = 7;
	const char *text = "Fu\xC3\x9F" "ball\r\n";

	buf_init(&b, BUF_NOLIMIT);
	buf_puts(&b, "prefix:");
	is_int(text_normalise(&b, text, strlen(text), NULL), 0, "normalise-5.1 n_repaired may be NULL");
	is_str(b.ptr, "prefix:Fu\xC3\x9F" "ball\n", "normalise-5.2 appends to what is there");
	buf_cleanup(&b);

	buf_init(&b, 8);
	buf_puts(&b, "ab");
	is_int(text_normalise(&b, "0123456789", 10, &n), HORCH_ETOOBIG, "normalise-5.3 past the cap fails");
	is_str(b.ptr, "ab", "normalise-5.4 leaving the buffer as it was");
	is_int(n, 0, "normalise-5.5 and no repairs counted");
	is_int(text_normalise(&b, "e\xCC\x81\x01\x01\x01\x01\x01\x01", 9, &n), 0,
	       "normalise-5.6 what fits after dropping and composing fits");
	is_str(b.ptr, "ab\xC3\xA9", "normalise-5.7 its content");
	is_int(text_normalise(&b, "\xFF\xFF", 2, &n), HORCH_ETOOBIG,
	       "normalise-5.8 repairs grow the text and count against the cap");
	is_str(b.ptr, "ab\xC3\xA9", "normalise-5.9 leaving the buffer as it was");
	buf_cleanup(&b);

	buf_init(&b, BUF_NOLIMIT);
	is_int(text_normalise(&b, "", 0, &n), 0, "normalise-5.10 empty input");
	is_int(b.len, 0, "normalise-5.11 empty output");
	buf_cleanup(&b);
}

/* normalise(normalise(x)) == normalise(x), on awkward strings. */
static void test_normalise_idempotent(void)
{
	static const char *const cases[] = {
		"a\xCC\x82\xCC\xA3 \xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8",
		"\xE0\xA5\x98\xE0\xA5\x99 \xEF\xAC\xAF \xE2\x84\xAB",
		"x\xCC\xA3\xCC\x87\xCC\x81\xCC\x80 \xCF\x85\xCC\x88\xCC\x81",
		"\xFF\xC3\x28\xE2\x82\x28 \r\r\n \xC2\x85",
		"\xCC\x81\xCC\x81 start with marks",
	};
	struct buf a, b;
	size_t i;
	int good = 1;

	buf_init(&a, BUF_NOLIMIT);
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&a);
		buf_reset(&b);
		text_normalise(&a, cases[i], strlen(cases[i]), NULL);
		text_normalise(&b, a.ptr, a.len, NULL);
		if (a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0)
			good = 0;
	}
	ok(good, "normalise-6.1 normalising twice changes nothing more");
	buf_cleanup(&a);
	buf_cleanup(&b);
}

/* ---- text_fold ---- */

static const char *fold(const char *s)
{
	static struct buf b;

	buf_cleanup(&b);
	buf_init(&b, BUF_NOLIMIT);
	if (text_fold(&b, s, strlen(s)) != 0)
		return "(error)";
	return b.ptr ? b.ptr : "";
}

static void test_fold(void)
{
	is_str(fold("Hello WORLD 123"), "hello world 123", "fold-1.1 ASCII lower case");
	is_str(fold("MÜNCHEN"), "munchen", "fold-1.2 umlauts lose their dots");
	is_str(fold("Straße"), "strasse", "fold-1.3 ß is ss");
	is_str(fold("STRAẞE"), "strasse", "fold-1.4 capital ẞ is ss");
	is_str(fold("Café"), "cafe", "fold-1.5 accents go");
	is_str(fold("it’s"), "it's", "fold-1.6 ’ is '");
	is_str(fold("ΣΊΣΥΦΟΣ"), "σισυφοσ", "fold-1.7 Greek case folding and tonos");
	is_str(fold("İstanbul"), "istanbul", "fold-1.8 dotted capital I");
	is_str(fold("ﬁne"), "fine", "fold-1.9 the fi ligature");
	is_str(fold("ＤＥＬＬ"), "dell", "fold-1.10 full-width letters");
	is_str(fold("𝐃𝐞𝐥𝐥 𝔇𝔢𝔩𝔩"), "dell dell", "fold-1.11 mathematical letters");
	is_str(fold("が ガ"), "が ガ", "fold-1.12 kana keep their voicing marks");
	is_str(fold("한국어"), "한국어", "fold-1.13 Hangul syllables stay whole");
	is_str(fold("नमस्ते"), "नमस्ते", "fold-1.14 Devanagari vowel signs stay");
	is_str(fold("Ver\xC2\xAD" "spätung"), "verspatung", "fold-1.15 soft hyphens vanish");
	is_str(fold("❤️"), "❤", "fold-1.16 variation selectors vanish");
	is_str(fold("👍🏽 👨‍👩‍👧"), "👍🏽 👨‍👩‍👧", "fold-1.17 skin tones and ZWJ stay");
	is_str(fold("ÅØÆ åøæ"), "aøæ aøæ", "fold-1.18 Nordic letters without a decomposition stay");
	is_str(fold("q\xCC\x83"), "q", "fold-1.19 a combining accent after any letter goes");
	is_str(fold("a\xFF" "b"), "a\xEF\xBF\xBD" "b", "fold-1.20 invalid bytes become U+FFFD");
	is_str(fold(""), "", "fold-1.21 empty");
	is_str(fold("Ǆ ǅ"), "ǆ ǆ", "fold-1.22 title-case digraphs");
}

/* ---- text_squeeze_spaces, text_name_key ---- */

static const char *name_key(const char *s)
{
	static struct buf b;

	buf_cleanup(&b);
	buf_init(&b, BUF_NOLIMIT);
	if (text_name_key(&b, s, strlen(s)) != 0)
		return "(error)";
	return b.ptr ? b.ptr : "";
}

static void test_name_key(void)
{
	struct buf b;

	is_str(name_key("Über uns"), "uber uns", "namekey-1.1 case and accents folded");
	is_str(name_key("U\xCC\x88" "ber uns"), "uber uns", "namekey-1.2 NFD the same as NFC");
	is_str(name_key("über\xC2\xA0uns"), "uber uns", "namekey-1.3 a no-break space is a space");
	is_str(name_key("  über \xE3\x80\x80\t uns \xE2\x80\x89"), "uber uns",
	       "namekey-1.4 runs of spaces of every kind squeezed, the ends trimmed");
	is_str(name_key("Straße"), "strasse", "namekey-1.5 ß as fold makes it");
	is_str(name_key(""), "", "namekey-1.6 empty");
	buf_init(&b, BUF_NOLIMIT);
	is_int(text_squeeze_spaces(&b, "a\xE2\x80\x83\xE2\x80\x83" "b ", 9), 0,
	       "namekey-2.1 text_squeeze_spaces returns 0");
	is_str(b.ptr ? b.ptr : "", "a b", "namekey-2.1 two em spaces are one space, the end trimmed");
	buf_cleanup(&b);
	buf_init(&b, 3);
	is_int(text_name_key(&b, "abcdef", 6), HORCH_ETOOBIG, "namekey-2.2 the output cap holds");
	buf_cleanup(&b);
}

/* The Latin-1 table of the fast path against utf8proc, letter by letter. */
static void test_fold_latin1(void)
{
	int32_t cp;
	int bad = 0;
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	for (cp = 0xC0; cp <= 0xFF; cp++) {
		utf8proc_uint8_t src[4], want[32];
		utf8proc_int32_t seq[8];
		utf8proc_ssize_t k, i, wlen = 0;
		int lb = 0;

		src[utf8proc_encode_char(cp, src)] = 0;
		k = utf8proc_decompose_char(cp, seq, 8, UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE |
					    UTF8PROC_STRIPMARK, &lb);
		for (i = 0; i < k; i++)
			wlen += utf8proc_encode_char(seq[i], want + wlen);
		buf_reset(&b);
		text_fold(&b, (const char *)src, strlen((const char *)src));
		if (b.len != (size_t)wlen || memcmp(b.ptr, want, b.len) != 0) {
			if (bad++ < 5)
				diag("  U+%04X folds to \"%s\"", (unsigned)cp, b.ptr);
		}
	}
	is_int(bad, 0, "fold-2.1 every Latin-1 letter folds as utf8proc says");
	buf_cleanup(&b);
}

static void test_fold_api(void)
{
	struct buf b;
	static const char *const again[] = {
		"MÜNCHEN Straße ẞ", "ΣΊΣΥΦΟΣ ﬃ ŉ", "ＤＥＬＬ 𝐃", "が ᾳ ΐ", "Ǆ İ ı",
	};
	size_t i;
	int good = 1;

	buf_init(&b, 6);
	buf_puts(&b, "ab");
	is_int(text_fold(&b, "CDEF", 4), 0, "fold-3.1 up to the cap");
	is_str(b.ptr, "abcdef", "fold-3.2 appends");
	is_int(text_fold(&b, "G", 1), HORCH_ETOOBIG, "fold-3.3 past the cap fails");
	is_str(b.ptr, "abcdef", "fold-3.4 leaving the buffer as it was");
	buf_cleanup(&b);

	buf_init(&b, 3);
	is_int(text_fold(&b, "ab\xC3\x9F", 4), HORCH_ETOOBIG, "fold-3.5 ß growing past the cap fails");
	is_int(b.len, 0, "fold-3.6 leaving nothing behind");
	buf_cleanup(&b);

	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < sizeof again / sizeof again[0]; i++) {
		struct buf c;

		buf_init(&c, BUF_NOLIMIT);
		buf_reset(&b);
		text_fold(&b, again[i], strlen(again[i]));
		text_fold(&c, b.ptr, b.len);
		if (b.len != c.len || memcmp(b.ptr, c.ptr, b.len) != 0) {
			good = 0;
			diag("  \"%s\" folds to \"%s\", then to \"%s\"", again[i], b.ptr, c.ptr);
		}
		buf_cleanup(&c);
	}
	ok(good, "fold-3.7 folding twice changes nothing more");
	buf_cleanup(&b);
}

/* ---- text_html_to_text ---- */

static const char *html(const char *s)
{
	static struct buf b;
	int rc;

	buf_cleanup(&b);
	buf_init(&b, BUF_NOLIMIT);
	rc = text_html_to_text(&b, s, strlen(s));
	if (rc != 0)
		return rc == HORCH_ETOOBIG ? "(too big)" : "(error)";
	return b.ptr ? b.ptr : "";
}

static void test_html(void)
{
	is_str(html("<p>Hello &amp; welcome</p>"), "Hello & welcome", "html-1.1 a paragraph and &amp;");
	is_str(html("smile &#x1F600; &#128512; &lt;b&gt; &quot;q&quot; &euro;"),
	       "smile 😀 😀 <b> \"q\" €", "html-1.2 numeric and named references");
	is_str(html("a&nbsp;b&nbsp;&nbsp;c"), "a b c", "html-1.3 &nbsp; is white space like any other");
	is_str(html("<p>&nbsp;</p><p>x</p>"), "x", "html-1.4 a paragraph of &nbsp; is empty");
	is_str(html("<script>alert('x')</script><style>p{color:red}</style>text"), "text",
	       "html-1.5 script and style are left out");
	is_str(html("<html><head><title>Title</title><meta charset=utf-8></head>"
		    "<body>body</body></html>"), "body", "html-1.6 head is left out");
	is_str(html("<p>a<noscript>enable JS</noscript>b<template><p>t</p></template>c</p>"), "abc",
	       "html-1.7 noscript and template are left out");
	is_str(html("<p>one</p><p>two</p><div>three</div>"), "one\ntwo\nthree",
	       "html-1.8 blocks are lines");
	is_str(html("<h1>Title</h1>text<h2>Sub</h2><blockquote>quote</blockquote>"),
	       "Title\ntext\nSub\nquote", "html-1.9 headings and quotes");
	is_str(html("<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>"), "a\nb\nc\nd",
	       "html-1.10 nested lists");
	is_str(html("<ol><li>first<li>second</ol>after"), "first\nsecond\nafter",
	       "html-1.11 unclosed list items");
	is_str(html("a<br>b<br/>c"), "a\nb\nc", "html-1.12 br breaks a line");
	is_str(html("a<br><br>b"), "a\n\nb", "html-1.13 two br make a blank line");
	is_str(html("a<br><br><br><br><br>b"), "a\n\nb", "html-1.14 never more than one blank line");
	is_str(html("  lots   of \n\n  white\tspace  "), "lots of white space",
	       "html-1.15 white space collapses and is trimmed");
	is_str(html("<span>a</span><span>b</span> <b>c</b>"), "ab c", "html-1.16 inline elements run on");
	is_str(html("<pre>  code\n    indented\n\n\n\nend  </pre>after"),
	       "code\n    indented\n\nend\nafter", "html-1.17 pre keeps lines and indentation");
	is_str(html("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>"),
	       "a b\nc d", "html-1.18 table rows are lines, cells are apart");
	is_str(html("see<img src=x.png alt=\"a cat\">here <img src=y.png>end"), "see a cat here end",
	       "html-1.19 img alt text is kept");
	is_str(html("<a href=\"https://example.com/\">link text</a>"), "link text",
	       "html-1.20 link targets are not inlined");
	is_str(html("<p>unclosed <b>bold <i>both</p><div>next"), "unclosed bold both\nnext",
	       "html-1.21 broken HTML is repaired");
	is_str(html("</p></div>text</span>"), "text", "html-1.22 stray end tags");
	is_str(html("<p>a<!-- a comment -->b</p>"), "ab", "html-1.23 comments are left out");
	is_str(html("<![CDATA[x]]>y"), "y", "html-1.24 CDATA outside foreign content is a comment");
	is_str(html("<dl><dt>term</dt><dd>definition</dd></dl><hr>end"), "term\ndefinition\nend",
	       "html-1.25 definition lists and hr");
	is_str(html("<figure><img alt=pic><figcaption>caption</figcaption></figure>"), "pic\ncaption",
	       "html-1.26 figure and caption");
	is_str(html("<section><article><header>h</header><p>p</p><footer>f</footer></article></section>"),
	       "h\np\nf", "html-1.27 sectioning elements");
	is_str(html("plain text, no tags"), "plain text, no tags", "html-1.28 text without markup");
	is_str(html(""), "", "html-1.29 empty input");
	is_str(html("<p></p><div> </div>"), "", "html-1.30 nothing but markup");
	is_str(html("caf\xC3\xA9 \xFF"), "café \xEF\xBF\xBD", "html-1.31 invalid UTF-8 becomes U+FFFD");
	is_str(html("1 &lt; 2 &amp;&amp; 3 &gt; 2 &amp"), "1 < 2 && 3 > 2 &",
	       "html-1.32 a reference without its semicolon");
	is_str(html("<textarea>keep  this</textarea>"), "keep  this", "html-1.33 textarea keeps spacing");
	is_str(html("<svg><style>x{}</style><text>svg text</text></svg>"), "svg text",
	       "html-1.34 style inside svg is left out too");
	is_str(html("x<pre>a<blockquote>\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
		    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
		    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
		    "</blockquote></pre>"), "x\na",
	       "html-1.35 a long run of blanks at the end of pre is trimmed (fuzz)");
}

static void test_html_api(void)
{
	struct buf b;
	char *deep;
	size_t i, n;
	int rc;
	const char *doc = "<p>Hello</p>";

	buf_init(&b, BUF_NOLIMIT);
	buf_puts(&b, "title\n");
	is_int(text_html_to_text(&b, doc, strlen(doc)), 0, "html-2.1 appends");
	is_str(b.ptr, "title\nHello", "html-2.2 after what is there");
	buf_cleanup(&b);

	buf_init(&b, 8);
	buf_puts(&b, "ab");
	is_int(text_html_to_text(&b, "<p>0123456789</p>", 17), HORCH_ETOOBIG,
	       "html-2.3 output past the cap fails");
	is_str(b.ptr, "ab", "html-2.4 leaving the buffer as it was");
	is_int(text_html_to_text(&b, doc, (size_t)TEXT_MAX + 1), HORCH_ETOOBIG,
	       "html-2.5 input longer than TEXT_MAX is refused");
	is_str(b.ptr, "ab", "html-2.6 leaving the buffer as it was");
	buf_cleanup(&b);

	/* 5,000 levels: more than gumbo_destroy_output()'s recursion would
	 * survive on a small thread stack, and quick to parse. */
	n = 5000;
	deep = malloc(n * 5 + 2);
	for (i = 0; i < n; i++)
		memcpy(deep + i * 5, "<div>", 5);
	memcpy(deep + n * 5, "x", 2);
	buf_init(&b, BUF_NOLIMIT);
	rc = text_html_to_text(&b, deep, strlen(deep));
	is_int(rc, 0, "html-3.1 5,000 nested elements");
	is_str(b.ptr, "x", "html-3.2 and the text inside them");
	free(deep);
	buf_cleanup(&b);

	/* 200,000 levels: gumbo would need minutes (its tree building is
	 * quadratic in the depth); the CPU budget stops it. */
	n = 200000;
	deep = malloc(n * 3 + 2);
	for (i = 0; i < n; i++)
		memcpy(deep + i * 3, "<b>", 3);
	memcpy(deep + n * 3, "x", 2);
	buf_init(&b, BUF_NOLIMIT);
	buf_puts(&b, "kept");
	rc = text_html_to_text(&b, deep, strlen(deep));
	is_int(rc, HORCH_ETOOBIG, "html-3.3 200,000 nested elements are refused");
	is_str(b.ptr, "kept", "html-3.4 leaving the buffer as it was");
	free(deep);
	buf_cleanup(&b);
}

int main(void)
{
	test_normalise_repair();
	test_normalise_controls();
	test_normalise_nfc();
	test_normalise_exhaustive();
	test_normalise_api();
	test_normalise_idempotent();
	test_fold();
	test_fold_latin1();
	test_fold_api();
	test_name_key();
	test_html();
	test_html_api();
	return tap_done();
}
