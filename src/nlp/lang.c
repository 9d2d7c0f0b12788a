/* lang.c - the language a post is written in: nlp_lang_detect().
 *
 * CLD2 (lang_cld2.cc) does the identifying; this file decides what CLD2
 * reads and what its answer is worth.  One pass over at most LANG_SCAN_MAX
 * bytes of the text sorts what it sees into three bounded parts, kept on
 * the stack:
 *
 *   own     the author's own words: everything not below, with symbols,
 *           emoji, control characters and invalid bytes as spaces;
 *   quote   quoted passages: "...", “...”, „...“, „...”, ”...”, »...«,
 *           «...», ‚...‘ and lines that start with '>';
 *   tag     the words of #hashtags.
 *
 * URLs (scheme://, www. and host.tld/path), e-mail addresses, @mentions
 * and $cashtags are left out altogether: they are names, not language.  A
 * quote that is never closed (an inch mark, a stray "), or that runs into
 * a blank line, was not a quote: its words go back to the author's own.
 *
 * CLD2 then reads the author's own words alone when they have
 * LANG_OWN_ENOUGH letters or more; a German post quoting an English
 * sentence is German.  A shorter own text is read together with the
 * quotes, and when the whole and the author's words alone differ, the
 * author's words decide (CLD2's summary of the whole does not name a
 * language of a few words beside a long quote, so the share of the own
 * text is found by reading it alone).  Hashtag words count only when
 * nothing else would reach LANG_MIN_LETTERS, the least CLD2 can be trusted
 * with; below that the answer is "und".  docs/internals/nlp-lang.md has
 * the measurements behind each figure.
 *
 * Pure, no allocation, any thread: the parts live on the caller's stack
 * (about 9 KiB).  CLD2 itself is thread-safe and is only ever handed
 * interchange-valid UTF-8 built here. */
#include "nlp.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "../core/utf8.h"
#include "lang_cld2.h"

#define LANG_SCAN_MAX (64u * 1024) /* input bytes looked at, at most */
#define LANG_OWN_MAX 4096          /* bytes of the author's own text kept */
#define LANG_QUOTE_MAX 2048        /* bytes of quoted text kept */
#define LANG_TAG_MAX 512           /* bytes of hashtag words kept */

/* Letters below which nothing is said ("ok", "lol", "thx"), and letters of
 * the author's own from which quotes are left out; both measured on
 * langid_dev and posts.jsonl (docs/internals/nlp-lang.md). */
#define LANG_MIN_LETTERS 6
#define LANG_OWN_ENOUGH 20
/* CLD2's normalized score of a few words from which they count as a
 * sentence and not as names.  Ordinary sentences score about 900 to 2400
 * ("so ist es leider" 2108, "this is so true" 2368), names mostly less
 * ("Meister Eckhart" 256, "Navid Kermani" 438, "Martin Luther King" 970). */
#define LANG_OWN_FIT 1024
/* Letters from which the length of a text no longer lowers confidence. */
#define LANG_FULL_LETTERS 40

/* Kinds of open quote: which characters close it. */
enum {
	Q_NONE = 0,
	Q_ASCII,   /* "...": closed by " */
	Q_DQ,      /* “...: closed by ” (English) or “ */
	Q_LOW,     /* „...: closed by “ (German) or ” (Polish) */
	Q_RDQ,     /* ”...”: closed by ” (Swedish, Finnish) */
	Q_RAQUO,   /* »...«: closed by « (German) */
	Q_LAQUO,   /* «...»: closed by » (French) */
	Q_LOW1,    /* ‚...‘: closed by ‘ */
	Q_LINE,    /* a line starting with '>': closed by the line break */
};

/* One bounded part of the sample. */
struct part {
	char *ptr;         /* the bytes (not NUL-terminated) */
	size_t len;        /* bytes used */
	size_t max;        /* bytes available */
	unsigned letters;  /* letters among them */
};

/* The state of the one pass over the text. */
struct scan {
	struct part own, quote, tag;
	struct part *cur;      /* own or quote: where words go now */
	int qtype;             /* the open quote's Q_*, Q_NONE when none */
	size_t qlen;           /* quote.len when the open quote began */
	unsigned qletters;     /* quote.letters then */
	size_t tok;            /* cur->len where the current token began */
	unsigned tok_letters;  /* cur->letters then */
	int line_start;        /* only blanks since the last line break */
	int breaks;            /* line breaks since the last non-blank */
};

/* 1 for a code point CLD2 accepts as interchange-valid (non-ASCII only;
 * the scanner turns every ASCII control into a space itself). */
static int interchange(uint32_t cp)
{
	if (cp < 0xA0)
		return 0;       /* C1 controls */
	if (cp >= 0xFDD0 && cp <= 0xFDEF)
		return 0;       /* noncharacters */
	return (cp & 0xFFFE) != 0xFFFE;
}

/* 1 when the non-ASCII code point cp is (likely) a letter: what CLD2
 * scores.  Punctuation, symbols, emoji and their modifiers, and private
 * use are not; a rough cut by blocks is enough to count letters. */
static int letter(uint32_t cp)
{
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x2BFF) ||   /* punctuation, symbols, arrows, dingbats */
	    (cp >= 0x2E00 && cp <= 0x2E7F) ||   /* supplemental punctuation */
	    (cp >= 0x3000 && cp <= 0x303F) ||   /* CJK punctuation */
	    (cp >= 0xD800 && cp <= 0xF8FF) ||   /* surrogates, private use */
	    (cp >= 0xFE00 && cp <= 0xFE6F) ||   /* variation selectors, punctuation forms */
	    (cp >= 0xFF00 && cp <= 0xFF20) ||   /* fullwidth punctuation and digits */
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	    (cp >= 0xFFF0 && cp <= 0xFFFF))
		return 0;
	if ((cp >= 0x1F000 && cp <= 0x1FAFF) || cp >= 0xE0000)
		return 0;                       /* emoji, tags, private use planes */
	return 1;
}

/* 1 for the non-ASCII spaces of Unicode (Zs, line and paragraph separator). */
static int wide_space(uint32_t cp)
{
	return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static int ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ascii_alnum(int c)
{
	return ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static int ascii_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Append b[0..k) (one character) to p when it fits whole. */
static void put(struct part *p, const char *b, size_t k, int is_letter)
{
	if (p->len + k > p->max)
		return;
	memcpy(p->ptr + p->len, b, k);
	p->len += k;
	p->letters += (unsigned)is_letter;
}

/* One space after the last word of p, none twice. */
static void put_space(struct part *p)
{
	if (p->len && p->ptr[p->len - 1] != ' ' && p->len < p->max)
		p->ptr[p->len++] = ' ';
}

/* A token boundary: the next word starts here. */
static void mark_token(struct scan *sc)
{
	put_space(sc->cur);
	sc->tok = sc->cur->len;
	sc->tok_letters = sc->cur->letters;
}

/* Drop what the current token has put into cur so far (the "john" of
 * john@example.com, the "https" of https://). */
static void drop_token(struct scan *sc)
{
	sc->cur->len = sc->tok;
	sc->cur->letters = sc->tok_letters;
}

static void open_quote(struct scan *sc, int type)
{
	put_space(&sc->own);
	sc->qtype = type;
	sc->qlen = sc->quote.len;
	sc->qletters = sc->quote.letters;
	sc->cur = &sc->quote;
	mark_token(sc);
}

/* The open quote ends: its words stay quoted. */
static void close_quote(struct scan *sc)
{
	sc->qtype = Q_NONE;
	put_space(&sc->quote);
	sc->cur = &sc->own;
	mark_token(sc);
}

/* The open quote was not one (never closed, or cut by a blank line): its
 * words go back to the author's own, as many as fit. */
static void cancel_quote(struct scan *sc)
{
	size_t n = sc->quote.len - sc->qlen;

	if (n > sc->own.max - sc->own.len) {
		n = sc->own.max - sc->own.len;
		while (n && ((unsigned char)sc->quote.ptr[sc->qlen + n] & 0xC0) == 0x80)
			n--;    /* never split a character */
	}
	memcpy(sc->own.ptr + sc->own.len, sc->quote.ptr + sc->qlen, n);
	sc->own.len += n;
	sc->own.letters += sc->quote.letters - sc->qletters;
	sc->quote.len = sc->qlen;
	sc->quote.letters = sc->qletters;
	sc->qtype = Q_NONE;
	sc->cur = &sc->own;
	mark_token(sc);
}

/* Handle the quotation mark cp (U+0022 or one of the typographic ones) at
 * the scan's position; prev is the byte before it (0 at the start).
 * Returns 1 when it opened or closed a quote, 0 when it is just a mark. */
static int quote_mark(struct scan *sc, uint32_t cp, int prev)
{
	int t = sc->qtype;

	if (t == Q_LINE)
		return 0;
	switch (cp) {
	case 0x22:      /* " */
		if (t == Q_ASCII) {
			close_quote(sc);
			return 1;
		}
		/* Only at the start of a word: 15" is an inch mark. */
		if (t == Q_NONE && (prev == 0 || ascii_blank(prev) || prev == '(' ||
				    prev == '[' || prev == '{' || prev == ':')) {
			open_quote(sc, Q_ASCII);
			return 1;
		}
		return 0;
	case 0x201C:    /* “ */
		if (t == Q_LOW || t == Q_DQ) {
			close_quote(sc);
			return 1;
		}
		break;
	case 0x201D:    /* ” */
		if (t == Q_DQ || t == Q_LOW || t == Q_RDQ) {
			close_quote(sc);
			return 1;
		}
		break;
	case 0x00AB:    /* « */
		if (t == Q_RAQUO) {
			close_quote(sc);
			return 1;
		}
		break;
	case 0x00BB:    /* » */
		if (t == Q_LAQUO) {
			close_quote(sc);
			return 1;
		}
		break;
	case 0x2018:    /* ‘ */
		if (t == Q_LOW1) {
			close_quote(sc);
			return 1;
		}
		return 0;
	}
	if (t != Q_NONE)
		return 0;       /* a mark inside another kind of quote */
	switch (cp) {
	case 0x201C: open_quote(sc, Q_DQ); return 1;
	case 0x201D: open_quote(sc, Q_RDQ); return 1;
	case 0x201E: open_quote(sc, Q_LOW); return 1;
	case 0x00BB: open_quote(sc, Q_RAQUO); return 1;
	case 0x00AB: open_quote(sc, Q_LAQUO); return 1;
	case 0x201A: open_quote(sc, Q_LOW1); return 1;
	}
	return 0;
}

static int is_quote_mark(uint32_t cp)
{
	return cp == 0x22 || cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0xAB ||
	       cp == 0xBB || cp == 0x201A || cp == 0x2018;
}

/* The end of the URL or address that starts at s[i]: the next blank,
 * control byte or quotation mark (a closing quote after a link still
 * closes), at most n. */
static size_t skip_link(const unsigned char *s, size_t i, size_t n)
{
	while (i < n) {
		uint32_t cp;
		size_t k;

		if (s[i] < 0x80) {
			if (s[i] <= 0x20 || s[i] == 0x7F || s[i] == '"')
				break;
			i++;
			continue;
		}
		k = horch_utf8_decode(s + i, n - i, &cp);
		if (k == 0 || wide_space(cp) || is_quote_mark(cp))
			break;
		i += k;
	}
	return i;
}

/* The end of the name of a #hashtag, @mention or $cashtag whose first
 * character is s[i]: letters, digits and '_' (and, in a mention, the
 * '.', '-' and '@' of user@instance.example when a letter or digit
 * follows), at most n.  When tag is not NULL the name's letters and
 * digits are appended to it. */
static size_t skip_name(const unsigned char *s, size_t i, size_t n, int mention,
			struct part *tag)
{
	while (i < n) {
		uint32_t cp;
		size_t k;

		if (s[i] < 0x80) {
			if (ascii_alnum(s[i])) {
				if (tag)
					put(tag, (const char *)s + i, 1, ascii_alpha(s[i]));
				i++;
				continue;
			}
			if (mention && (s[i] == '.' || s[i] == '-' || s[i] == '@') && i + 1 < n &&
			    ascii_alnum(s[i + 1])) {
				i++;
				continue;
			}
			break;
		}
		k = horch_utf8_decode(s + i, n - i, &cp);
		if (k == 0 || !interchange(cp) || !letter(cp))
			break;
		if (tag)
			put(tag, (const char *)s + i, k, 1);
		i += k;
	}
	if (tag)
		put_space(tag);
	return i;
}

/* 1 when s[i] starts a name: an ASCII letter, digit or '_', or a non-ASCII
 * letter. */
static int name_start(const unsigned char *s, size_t i, size_t n)
{
	uint32_t cp;

	if (i >= n)
		return 0;
	if (s[i] < 0x80)
		return ascii_alnum(s[i]);
	return horch_utf8_decode(s + i, n - i, &cp) && interchange(cp) && letter(cp);
}

/* Classes of bytes for the runs of plain ASCII: RUN_LETTER and RUN_OTHER
 * are copied as they are, RUN_SPECIAL can start a quote, a name or a link
 * (" @ # $ : /), 0 is a blank, a control or a byte of a multi-byte
 * character. */
#define RUN_LETTER 1
#define RUN_OTHER 2
#define RUN_SPECIAL 4

static const unsigned char run_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 2, 4, 4, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 2, 2, 2, 2, 2,
	4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
	2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static int special(unsigned c)
{
	return run_class[c & 0xFF] == RUN_SPECIAL;
}

/* Append the run of ordinary printable ASCII that starts at s[i] to p in
 * one piece (as much as fits); returns the end of the run.  Most of a
 * post is such runs: words and the punctuation beside them. */
static size_t put_run(struct part *p, const unsigned char *s, size_t i, size_t n)
{
	size_t j = i, k;
	unsigned letters = 0;

	while (j < n && (run_class[s[j]] & (RUN_LETTER | RUN_OTHER))) {
		letters += run_class[s[j]] & RUN_LETTER;
		j++;
	}
	k = j - i;
	if (k > p->max - p->len) {
		k = p->max - p->len;
		letters = 0;    /* full: the count no longer matters */
	}
	memcpy(p->ptr + p->len, s + i, k);
	p->len += k;
	p->letters += letters;
	return j;
}

/* Sort text[0..n) into sc's parts. */
static void scan_text(struct scan *sc, const unsigned char *s, size_t n)
{
	size_t i = 0;

	sc->line_start = 1;
	while (i < n && sc->own.len + 8 < sc->own.max) {
		unsigned c = s[i];
		uint32_t cp;
		size_t k;

		if (c < 0x80) {
			if (c == '\n') {
				if (sc->qtype == Q_LINE)
					close_quote(sc);
				else if (sc->qtype != Q_NONE && ++sc->breaks >= 2)
					cancel_quote(sc);       /* a paragraph ended */
				else if (sc->qtype == Q_NONE)
					sc->breaks++;
				mark_token(sc);
				sc->line_start = 1;
				i++;
				continue;
			}
			if (c <= 0x20 || c == 0x7F) {
				mark_token(sc);
				i++;
				continue;
			}
			sc->breaks = 0;
			if (sc->line_start && c == '>' && sc->qtype == Q_NONE) {
				sc->line_start = 0;
				open_quote(sc, Q_LINE);
				i++;
				continue;
			}
			sc->line_start = 0;
			if ((c == 'w' || c == 'W') && sc->cur->len == sc->tok && i + 3 < n &&
			    (s[i + 1] | 0x20) == 'w' && (s[i + 2] | 0x20) == 'w' && s[i + 3] == '.') {
				i = skip_link(s, i, n);
				mark_token(sc);
				continue;
			}
			if (!special(c)) {
				i = put_run(sc->cur, s, i, n);
				continue;
			}
			if (c == '"' && quote_mark(sc, c, i ? s[i - 1] : 0)) {
				i++;
				continue;
			}
			if (c == '@') {
				if (sc->cur->len > sc->tok) {
					/* Inside a word: an e-mail address. */
					drop_token(sc);
					i = skip_link(s, i, n);
				} else {
					i = skip_name(s, i + 1, n, 1, NULL);
				}
				mark_token(sc);
				continue;
			}
			if ((c == '#' || c == '$') && name_start(s, i + 1, n) &&
			    (c == '#' || ascii_alpha(s[i + 1]))) {
				i = skip_name(s, i + 1, n, 0, c == '#' ? &sc->tag : NULL);
				mark_token(sc);
				continue;
			}
			if (c == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/' &&
			    sc->cur->len > sc->tok) {
				drop_token(sc);         /* the scheme */
				i = skip_link(s, i, n);
				mark_token(sc);
				continue;
			}
			if (c == '/' && memchr(sc->cur->ptr + sc->tok, '.', sc->cur->len - sc->tok)) {
				/* A link without its scheme: pic.twitter.com/x. */
				drop_token(sc);
				i = skip_link(s, i, n);
				mark_token(sc);
				continue;
			}
			put(sc->cur, (const char *)s + i, 1, ascii_alpha((int)c));
			i++;
			continue;
		}
		k = horch_utf8_decode(s + i, n - i, &cp);
		if (k == 0) {
			mark_token(sc);         /* an invalid byte: a gap */
			i++;
			continue;
		}
		if (wide_space(cp)) {
			mark_token(sc);
			i += k;
			continue;
		}
		sc->breaks = 0;
		sc->line_start = 0;
		if (is_quote_mark(cp) && quote_mark(sc, cp, i ? s[i - 1] : 0)) {
			i += k;
			continue;
		}
		if (interchange(cp) && letter(cp))
			put(sc->cur, (const char *)s + i, k, 1);
		else
			put_space(sc->cur);     /* a symbol, an emoji, a noncharacter */
		i += k;
	}
	if (sc->qtype == Q_LINE)
		close_quote(sc);
	else if (sc->qtype != Q_NONE)
		cancel_quote(sc);
}

/* The ISO 639-1 code of CLD2's code cld into out ("zh-Hant" is "zh",
 * Hebrew's old "iw" is "he"); languages without a two-letter code keep
 * their three-letter one.  Returns 0 for CLD2's "unknown", its script
 * pseudo-languages ("xx-Latn") and its joke ones (Klingon, Pig Latin):
 * then the caller says "und". */
static int iso_code(const char *cld, char out[4])
{
	size_t n = strcspn(cld, "-");

	if (n < 2 || n > 3 || strcmp(cld, "un") == 0 || strncmp(cld, "xx", 2) == 0 ||
	    strcmp(cld, "tlh") == 0 || (n == 3 && strncmp(cld, "zz", 2) == 0))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (cld[i] < 'a' || cld[i] > 'z')
			return 0;
	if (n == 2 && strncmp(cld, "iw", 2) == 0)
		cld = "he";
	else if (n == 2 && strncmp(cld, "jw", 2) == 0)
		cld = "jv";
	memcpy(out, cld, n);
	out[n] = '\0';
	return 1;
}

static void set_und(struct nlp_lang *out)
{
	memcpy(out->code, "und", 4);
	out->conf = 0;
}

/* How far a sample of `letters` letters can be trusted, 0..1.  Measured
 * on the German posts of posts.jsonl (docs/internals/nlp-lang.md), where
 * CLD2's leaning to English does not help: right about half the time with
 * 6-11 letters, 86 % with 12-19, 98 % with 20-29, 99 % and more from 30.
 * Piecewise linear through (6, 0.3), (12, 0.7), (20, 0.9), (40, 1). */
static double length_trust(unsigned letters)
{
	double l = letters;

	if (letters < 12)
		return 0.3 + 0.4 * (l - LANG_MIN_LETTERS) / (12 - LANG_MIN_LETTERS);
	if (letters < 20)
		return 0.7 + 0.2 * (l - 12) / 8;
	if (letters < LANG_FULL_LETTERS)
		return 0.9 + 0.1 * (l - 20) / (LANG_FULL_LETTERS - 20);
	return 1;
}

/* The confidence in language i of r for a sample of `letters` letters:
 * its share of the text, times how far the length can be trusted, halved
 * when CLD2 itself calls the answer unreliable. */
static float confidence(const struct nlp__cld2_result *r, int i, unsigned letters)
{
	double c = r->percent[i] / 100.0 * length_trust(letters);

	if (!r->reliable)
		c *= 0.5;
	if (c < 0.01)
		c = 0.01;       /* a language was named: more than "und" */
	return c > 1 ? 1.0f : (float)c;
}

/* CLD2 allocates about 200 KiB of scratch in each call and frees it
 * before returning.  glibc gives memory at the top of the heap back to the
 * system once more than M_TRIM_THRESHOLD (128 KiB) is free there, so each
 * call moved the heap's end down and up again (four brk() calls) and
 * touched fresh zeroed pages: measured on this project's machine, 1.7 us a
 * call with the threshold above CLD2's scratch and 160 us without it under
 * load.  Keeping up to LANG_TRIM_THRESHOLD free at the top of the heap
 * costs at most that much memory per malloc arena. */
#define LANG_TRIM_THRESHOLD (4 * 1024 * 1024)

static pthread_once_t malloc_once = PTHREAD_ONCE_INIT;

static void tune_malloc(void)
{
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, LANG_TRIM_THRESHOLD);
#endif
}

/* See nlp.h. */
void nlp_lang_detect(const char *text, size_t len, struct nlp_lang *out)
{
	char own[LANG_OWN_MAX + LANG_QUOTE_MAX + LANG_TAG_MAX + 2];
	char quote[LANG_QUOTE_MAX], tag[LANG_TAG_MAX];
	struct scan sc;
	struct nlp__cld2_result r, ro;
	unsigned letters;
	size_t own_len;

	set_und(out);
	if (!text || len == 0)
		return;
	memset(&sc, 0, sizeof sc);
	sc.own.ptr = own;
	sc.own.max = LANG_OWN_MAX;
	sc.quote.ptr = quote;
	sc.quote.max = sizeof quote;
	sc.tag.ptr = tag;
	sc.tag.max = sizeof tag;
	sc.cur = &sc.own;
	scan_text(&sc, (const unsigned char *)text, len < LANG_SCAN_MAX ? len : LANG_SCAN_MAX);

	/* The sample: the author's own words, then the quotes when those are
	 * few, then the hashtag words when there is nothing else. */
	own_len = sc.own.len;
	letters = sc.own.letters;
	sc.own.max = sizeof own;        /* room for the quotes and hashtags */
	if (letters < LANG_OWN_ENOUGH && sc.quote.letters) {
		put_space(&sc.own);
		memcpy(own + sc.own.len, quote, sc.quote.len);
		sc.own.len += sc.quote.len;
		letters += sc.quote.letters;
	}
	if (letters < LANG_MIN_LETTERS && sc.tag.letters) {
		own_len = 0;    /* hashtags are not "own" text to prefer */
		put_space(&sc.own);
		memcpy(own + sc.own.len, tag, sc.tag.len);
		sc.own.len += sc.tag.len;
		letters += sc.tag.letters;
	}
	if (letters < LANG_MIN_LETTERS)
		return;

	pthread_once(&malloc_once, tune_malloc);
	nlp__cld2_detect(own, sc.own.len, NLP__CLD2_BEST_EFFORT, &r);
	if (!iso_code(r.code[0], out->code)) {
		set_und(out);
		return;
	}
	out->conf = confidence(&r, 0, letters);
	if (sc.own.len > own_len && own_len && sc.own.letters >= LANG_MIN_LETTERS) {
		/* The author's few words were read together with a quote.  When
		 * the words alone are in another language than the whole and
		 * read like ordinary text of it, they decide, with the
		 * confidence their own length allows: a short German remark
		 * under a long English quote is German.  Names under a quote
		 * ("Meister Eckhart", "Navid Kermani") score far lower and do
		 * not. */
		char code[4];

		nlp__cld2_detect(own, own_len, NLP__CLD2_BEST_EFFORT, &ro);
		if (iso_code(ro.code[0], code) && strcmp(code, out->code) != 0 &&
		    ro.score[0] >= LANG_OWN_FIT) {
			memcpy(out->code, code, 4);
			out->conf = confidence(&ro, 0, sc.own.letters);
		}
	}
}
