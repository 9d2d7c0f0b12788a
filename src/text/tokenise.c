/* tokenise.c - split normalised text into the tokens everything else reads.
 *
 * One pass over the bytes.  Each token gets its byte range in the text, a
 * kind (word, number, hashtag, mention, cashtag, URL, emoji, punctuation),
 * flags (first of a sentence, joined to the part before it, all upper case,
 * all ASCII), the index of its sentence, and a folded form appended to
 * tokens.fold (text_fold() of its bytes, without the sigil of a hashtag,
 * mention or cashtag).  docs/internals/text.md describes the rules with
 * examples; tests/cases/tokenise/ holds them as tests.
 *
 * Speed matters: this runs on every post of a firehose.  ASCII bytes are
 * classified by one table lookup and folded by another; utf8proc is asked
 * only about non-ASCII code points; the tokens array and the fold buffer are
 * reused from call to call, so a warm struct tokens allocates nothing.
 *
 * The shape of the scanner: the main loop looks at the first byte of the
 * next token and hands over to one scanner per kind.  Most tokens are plain
 * ASCII words followed by a space or a comma; scan_word() takes those with
 * one table test per byte.  Everything else that starts like a word goes
 * through scan_compound(), which reads "parts" (letters, digits, inner
 * apostrophes, number separators) joined by single '-', '.', '/' or '&'
 * characters: e-mail is "e" and "mail" (joined).  Sentence boundaries are a
 * small state machine (struct tk.brk) fed by terminators, white space and
 * the first character of the next token. */
#include "text.h"

#include <string.h>
#include <utf8proc.h>

#include "../core/alloc.h"
#include "../core/err.h"
#include "text_int.h"

/* ASCII classes: one lookup tells the main loop what a byte can start. */
#define C_SP 0x01       /* white space (and control characters) */
#define C_NL 0x02       /* a line break: \n, \v, \f, \r (always with C_SP) */
#define C_UP 0x04       /* A-Z */
#define C_LO 0x08       /* a-z */
#define C_DG 0x10       /* 0-9 */
#define C_HI 0x20       /* a byte of a multi-byte sequence */
#define C_END 0x40      /* ends a word for sure: white space, and punctuation
			 * other than ' . , : - / & @ (which may continue it) */
#define C_ALPHA (C_UP | C_LO)
#define C_ALNUM (C_UP | C_LO | C_DG)

#define S (C_SP | C_END)
#define N (C_SP | C_NL | C_END)
#define U C_UP
#define L C_LO
#define D C_DG
#define H C_HI
#define P C_END
#define J 0
static const unsigned char acls[256] = {
	S, S, S, S, S, S, S, S, S, S, N, N, N, N, S, S,
	S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
	S, P, P, P, P, P, J, J, P, P, P, P, J, J, J, J,
	D, D, D, D, D, D, D, D, D, D, J, P, P, P, P, P,
	J, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
	U, U, U, U, U, U, U, U, U, U, U, P, P, P, P, P,
	P, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, P, P, P, P, S,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
};
#undef S
#undef N
#undef U
#undef L
#undef D
#undef H
#undef P
#undef J

/* What a non-ASCII code point is to the tokenizer. */
enum uclass {
	UC_OTHER = 0,   /* punctuation or symbol */
	UC_SPACE,       /* white space, controls */
	UC_NEWLINE,     /* U+0085, U+2028, U+2029 */
	UC_LETTER,      /* letters (L*, Nl) */
	UC_IDEO,        /* a Han ideograph or hiragana: a word on its own */
	UC_DIGIT,       /* decimal digits (Nd) */
	UC_MARK,        /* combining marks (M*) */
	UC_FORMAT,      /* invisible format characters (Cf) */
	UC_EMOJI,       /* starts an emoji sequence */
	UC_EMOJI_TEXT,  /* an emoji only when U+FE0F follows: © ® ™ ‼ ... */
	UC_RI,          /* a regional indicator: two make a flag */
};

static const char *const kind_names[] = {
	"word", "number", "hashtag", "mention", "cashtag", "url", "emoji", "punct",
};

const char *text_token_kind_name(int kind)
{
	if (kind < 0 || kind >= (int)(sizeof kind_names / sizeof kind_names[0]))
		return "unknown";
	return kind_names[kind];
}

void tokens_init(struct tokens *t)
{
	t->v = NULL;
	t->n = 0;
	t->cap = 0;
	/* No cap of its own: the folded forms are bounded by the text, which
	 * text_tokenise() caps at TEXT_MAX. */
	buf_init(&t->fold, BUF_NOLIMIT);
	t->n_sentences = 0;
}

void tokens_cleanup(struct tokens *t)
{
	if (!t)
		return;
	free(t->v);
	buf_cleanup(&t->fold);
	tokens_init(t);
}

/* Han ideographs and hiragana: scripts written without spaces, where one
 * character is as close to a word as a tokenizer without a dictionary can
 * get (the choice of Lucene's StandardTokenizer).  Katakana, Hangul and the
 * rest keep their runs together. */
static int is_ideo(int32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x309D && cp <= 0x309F) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) ||
	       cp == 0x3005 || cp == 0x3007;
}

/* Extended_Pictographic characters that are text by default and become
 * emoji only with U+FE0F: ©, ®, ‼, ⁉, ™, ℹ and the arrows ↔..↙, ↩, ↪. */
static int is_text_default(int32_t cp)
{
	return cp == 0xA9 || cp == 0xAE || cp == 0x203C || cp == 0x2049 ||
	       cp == 0x2122 || cp == 0x2139 || (cp >= 0x2194 && cp <= 0x2199) ||
	       cp == 0x21A9 || cp == 0x21AA;
}

/* Classify the non-ASCII code point cp; *upper is set to 1 for upper and
 * title case letters, else 0. */
static int uclass(int32_t cp, int *upper)
{
	const utf8proc_property_t *p;

	*upper = 0;
	if (cp < 0x100) {
		if (cp >= 0xC0) {
			if (cp == 0xD7 || cp == 0xF7)
				return UC_OTHER;
			*upper = cp < 0xDF;
			return UC_LETTER;
		}
		if (cp == 0x85)
			return UC_NEWLINE;
		if (cp <= 0xA0)
			return UC_SPACE;
		if (cp == 0xAA || cp == 0xB5 || cp == 0xBA)
			return UC_LETTER;
		if (cp == 0xAD)
			return UC_FORMAT;
		if (cp == 0xA9 || cp == 0xAE)
			return UC_EMOJI_TEXT;
		return UC_OTHER;
	}
	if (is_ideo(cp))
		return UC_IDEO;
	if (cp >= 0x1F3FB && cp <= 0x1F3FF)
		return UC_EMOJI;        /* a skin tone on its own */
	p = utf8proc_get_property(cp);
	switch (p->category) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		*upper = 1;
		return UC_LETTER;
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_NL:
		return UC_LETTER;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return UC_MARK;
	case UTF8PROC_CATEGORY_ND:
		return UC_DIGIT;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_CC:
		return UC_SPACE;
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return UC_NEWLINE;
	case UTF8PROC_CATEGORY_CF:
		return UC_FORMAT;
	default:
		break;
	}
	if (p->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC)
		return is_text_default(cp) ? UC_EMOJI_TEXT : UC_EMOJI;
	if (p->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR)
		return UC_RI;
	return UC_OTHER;
}

/* Sentence state: what the text since the last token says about a break. */
enum {
	BRK_NONE = 0,   /* no reason to break */
	BRK_TERM,       /* a terminator (. ! ? …) just ended; white space must follow */
	BRK_SPACE,      /* terminator and white space: the next token decides */
	BRK_HARD,       /* a line break: the next token starts a sentence */
};

struct tk {
	const unsigned char *s;
	size_t len;
	struct tokens *out;
	uint32_t sentence;      /* index of the current sentence */
	int brk;                /* BRK_* */
	int ordinal;            /* the terminator was a '.' right after a number */
	int rc;                 /* first error */
};

/* Tables of folded words, searched by sentence detection. */
struct word {
	const char *s;
	size_t len;
};
#define W(x) { x, sizeof(x) - 1 }

/* Words that end with a '.' that does not end a sentence (German and
 * English; single letters such as the parts of z.B., e.g., U.S. are
 * recognised without a table).  Folded, without the '.'.  Words that
 * often end a sentence as well ("no", "art", "min") are left out. */
static const struct word abbrevs[] = {
	W("approx"), W("apr"), W("aug"), W("ave"), W("bspw"), W("bzgl"), W("bzw"),
	W("ca"), W("capt"), W("co"), W("corp"), W("dec"), W("dept"), W("dez"),
	W("dr"), W("dt"), W("ehem"), W("engl"), W("etc"), W("evtl"), W("feb"),
	W("fig"), W("fr"), W("geb"), W("ggf"), W("ggu"), W("gov"), W("hr"),
	W("hrn"), W("hrsg"), W("inc"), W("inkl"), W("jan"), W("jh"), W("jhd"),
	W("jr"), W("jul"), W("jun"), W("lt"), W("ltd"), W("mar"), W("mio"),
	W("mr"), W("mrd"), W("mrs"), W("mrz"), W("ms"), W("mt"), W("nov"),
	W("nr"), W("oct"), W("okt"), W("prof"), W("rd"), W("sep"), W("sept"),
	W("sgt"), W("sog"), W("sr"), W("st"), W("str"), W("tel"), W("tsd"),
	W("usw"), W("vgl"), W("vs"), W("wg"), W("zzgl"),
};

/* Month names: "am 3. Oktober" is a date, not "3." ending a sentence. */
static const struct word months[] = {
	W("januar"), W("janner"), W("februar"), W("marz"), W("april"), W("mai"),
	W("juni"), W("juli"), W("august"), W("september"), W("oktober"),
	W("november"), W("dezember"), W("jan"), W("feb"), W("mar"), W("mrz"),
	W("apr"), W("jun"), W("jul"), W("aug"), W("sep"), W("sept"), W("okt"),
	W("nov"), W("dez"),
};

/* Words after which "<number>." is a German ordinal: "der 2. Platz", "zum
 * 5. Mal", "am 3. Oktober". */
static const struct word ordinal_context[] = {
	W("ab"), W("am"), W("beim"), W("bis"), W("das"), W("dem"), W("den"),
	W("der"), W("des"), W("die"), W("im"), W("jeden"), W("jeder"),
	W("jedes"), W("seit"), W("vom"), W("zum"), W("zur"),
};
#undef W

static int in_table(const struct word *tab, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].len == len && tab[i].s[0] == s[0] && memcmp(tab[i].s, s, len) == 0)
			return 1;
	return 0;
}

#define IN_TABLE(tab, s, len) in_table(tab, sizeof(tab) / sizeof(tab[0]), s, len)

static const char *fold_of(const struct tokens *o, const struct token *tok)
{
	return o->fold.ptr + tok->fold_off;
}

/* 1 if the token at off begins with a lower-case letter. */
static int starts_lower(const struct tk *t, size_t off)
{
	const unsigned char *s = t->s;
	int32_t cp;

	if (s[off] < 0x80)
		return (acls[s[off]] & C_LO) != 0;
	text__decode(s + off, t->len - off, &cp);
	return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* Append the token s[off..end) of the given kind.  Its folded form is that
 * of s[off + skip..end) (skip leaves out a sigil); a form that folds to
 * nothing (a stray accent) keeps its bytes, so that no token has an empty
 * fold.  flags carries TOKEN_F_JOINED, _UPPER and _ASCII from the scanner;
 * this adds TOKEN_F_SENTENCE and the sentence index. */
static void emit(struct tk *t, size_t off, size_t end, int kind, int flags, size_t skip)
{
	struct tokens *o = t->out;
	struct buf *f = &o->fold;
	const unsigned char *src = t->s + off + skip;
	size_t n = end - off - skip;
	size_t foff = f->len;
	struct token *tok;
	int brk;

	if (t->rc)
		return;
	if (o->n == o->cap)
		o->v = horch_xgrow(o->v, &o->cap, o->n + 1, sizeof *o->v);
	if (flags & TOKEN_F_ASCII) {
		char *d;
		size_t k;

		if (f->len + n + 1 > f->cap && (t->rc = buf_reserve(f, n)) != 0)
			return;
		d = f->ptr + f->len;
		for (k = 0; k < n; k++)
			d[k] = (char)text__lower[src[k]];
		f->len += n;
	} else if ((t->rc = text_fold(f, (const char *)src, n)) != 0) {
		return;
	}
	if (f->len == foff && (t->rc = buf_append(f, src, n)) != 0)
		return;

	tok = &o->v[o->n];
	tok->off = (uint32_t)off;
	tok->len = (uint32_t)(end - off);
	tok->fold_off = (uint32_t)foff;
	tok->fold_len = (uint32_t)(f->len - foff);
	tok->kind = (uint8_t)kind;

	brk = t->brk;
	if (o->n == 0) {
		flags |= TOKEN_F_SENTENCE;
	} else if (brk == BRK_HARD) {
		flags |= TOKEN_F_SENTENCE;
	} else if (brk == BRK_SPACE && kind != TOKEN_EMOJI) {
		/* "Great! 😍 Love it": an emoji after a terminator still
		 * belongs to the sentence it closes; the word after decides. */
		if (!starts_lower(t, off) &&
		    !(t->ordinal && (kind == TOKEN_NUMBER ||
				     (kind == TOKEN_WORD &&
				      IN_TABLE(months, f->ptr + foff, f->len - foff)))))
			flags |= TOKEN_F_SENTENCE;
	}
	if ((flags & TOKEN_F_SENTENCE) && o->n > 0)
		t->sentence++;
	tok->sentence = t->sentence;
	tok->flags = (uint8_t)flags;
	o->n++;
	if (!(brk == BRK_SPACE && kind == TOKEN_EMOJI)) {
		t->brk = BRK_NONE;
		t->ordinal = 0;
	}
}

/* 1 if a letter (not an ideograph) starts at s[i] (i < len). */
static int letter_at(const struct tk *t, size_t i)
{
	int32_t cp;
	int up;

	if (t->s[i] < 0x80)
		return (acls[t->s[i]] & C_ALPHA) != 0;
	text__decode(t->s + i, t->len - i, &cp);
	return cp >= 0 && uclass(cp, &up) == UC_LETTER;
}

/* 1 if a word or number part can start at s[i] (i < len). */
static int part_start_at(const struct tk *t, size_t i)
{
	int32_t cp;
	int up, u;

	if (t->s[i] < 0x80)
		return (acls[t->s[i]] & C_ALNUM) != 0;
	text__decode(t->s + i, t->len - i, &cp);
	if (cp < 0)
		return 0;
	u = uclass(cp, &up);
	return u == UC_LETTER || u == UC_DIGIT || u == UC_IDEO;
}

/* 1 if a letter, digit or mark continues a word at s[i] (i < len). */
static int word_char_at(const struct tk *t, size_t i)
{
	int32_t cp;
	int up, u;

	if (t->s[i] < 0x80)
		return (acls[t->s[i]] & C_ALNUM) != 0;
	text__decode(t->s + i, t->len - i, &cp);
	if (cp < 0)
		return 0;
	u = uclass(cp, &up);
	return u == UC_LETTER || u == UC_DIGIT || u == UC_MARK || u == UC_IDEO;
}

struct part {
	int kind;       /* TOKEN_WORD or TOKEN_NUMBER */
	int flags;      /* TOKEN_F_UPPER, TOKEN_F_ASCII */
	int numsep;     /* a number with inner '.', ',' or ':' */
};

/* Scan one part of a word or number from s[i], where a letter, digit or
 * ideograph starts.  A part is letters, marks and digits, with inner
 * apostrophes (' or ’ between a letter or digit and a letter), and for a
 * number that has no letters, inner '.', ',' and ':' between digits (3.5,
 * 1,000, 12:30, 24.12.2026).  A number with such separators ends where a
 * letter follows (12:30pm is "12:30" "pm").  An ideograph is a part on its
 * own.  Returns the end of the part. */
static size_t scan_part(const struct tk *t, size_t i, struct part *pt)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i;
	unsigned acc = 0;       /* the classes of the ASCII letters and digits seen */
	int u_letters = 0;      /* non-ASCII letters seen */
	int not_upper = 0;      /* a non-ASCII letter that is not upper case was seen */
	int ascii = 1, numsep = 0;
	int32_t cp;
	size_t n;
	int up, u;

	if (s[i] >= 0x80) {
		n = text__decode(s + i, len - i, &cp);
		if (cp >= 0 && uclass(cp, &up) == UC_IDEO) {
			j = i + n;
			while (j < len && s[j] >= 0x80) {
				n = text__decode(s + j, len - j, &cp);
				if (cp < 0 || uclass(cp, &up) != UC_MARK)
					break;
				j += n;
			}
			pt->kind = TOKEN_WORD;
			pt->flags = 0;
			pt->numsep = 0;
			return j;
		}
	}
	for (;;) {
		unsigned c, k;

		/* The hot loop: one lookup and one test per ASCII letter or
		 * digit.  After a number separator only digits may follow. */
		if (!numsep) {
			while (j < len && ((k = acls[s[j]]) & C_ALNUM)) {
				acc |= k;
				j++;
			}
		} else {
			while (j < len && (acls[s[j]] & C_DG))
				j++;
		}
		if (j >= len)
			break;
		c = s[j];
		if (c == '\'') {
			if (!numsep && j + 1 < len && letter_at(t, j + 1)) {
				j++;
				continue;
			}
			break;
		}
		if ((c == '.' || c == ',' || c == ':') && !(acc & C_ALPHA) && !u_letters &&
		    j + 1 < len && (acls[s[j + 1]] & C_DG)) {
			numsep = 1;
			j++;
			continue;
		}
		if (c < 0x80)
			break;
		n = text__decode(s + j, len - j, &cp);
		if (cp < 0)
			break;
		u = uclass(cp, &up);
		if (u == UC_LETTER) {
			if (numsep)
				break;
			u_letters++;
			not_upper |= !up;
		} else if (u == UC_DIGIT || u == UC_MARK) {
			/* part of the word */
		} else if (u == UC_FORMAT && (cp == 0xAD || cp == 0x200C || cp == 0x200D)) {
			/* A soft hyphen or a joiner inside a word, not at its end. */
			if (j + n >= len || !word_char_at(t, j + n))
				break;
		} else if (cp == 0x2019 || cp == 0x02BC) {
			if (numsep || j + n >= len || !letter_at(t, j + n))
				break;
		} else {
			break;
		}
		ascii = 0;
		j += n;
	}
	pt->kind = (acc & C_ALPHA) || u_letters ? TOKEN_WORD : TOKEN_NUMBER;
	pt->flags = ascii ? TOKEN_F_ASCII : 0;
	pt->numsep = numsep;
	if (!(acc & C_LO) && !not_upper && ((acc & C_UP) || u_letters)) {
		/* Every letter is upper case; UPPER needs two of them. */
		int letters = u_letters;
		size_t b;

		for (b = i; b < j && letters < 2; b++)
			letters += (acls[s[b]] & C_ALPHA) != 0;
		if (letters >= 2)
			pt->flags |= TOKEN_F_UPPER;
	}
	return j;
}

/* The length of a joiner at s[i]: '-', '.', '/', '&', or the Unicode
 * hyphens U+2010 and U+2011; 0 if there is none. */
static size_t joiner_len(const struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	unsigned c = s[i];

	if (c == '-' || c == '.' || c == '/' || c == '&')
		return 1;
	if (c == 0xE2 && i + 2 < t->len && s[i + 1] == 0x80 && (s[i + 2] == 0x90 || s[i + 2] == 0x91))
		return 3;
	return 0;
}

/* 1 if the bytes s[a..b) are all ASCII. */
static int all_ascii(const unsigned char *s, size_t a, size_t b)
{
	for (; a < b; a++)
		if (s[a] >= 0x80)
			return 0;
	return 1;
}

/* An e-mail address: the word parts before s[at] == '@' are its local part.
 * Checks that a domain follows (two or more labels of letters, digits and
 * '-', the last of two or more letters); if so, takes back the tokens of
 * the local part (and of any '.', '_', '+', '%' and '-' glued to it: first_
 * last@x.com) and emits the whole address as one TOKEN_URL.  Returns the
 * end of the address, or 0 when there is none.  Each byte is looked at a
 * bounded number of times however addresses are glued together. */
static size_t scan_email(struct tk *t, size_t chain, size_t at)
{
	const unsigned char *s = t->s;
	struct tokens *o = t->out;
	size_t len = t->len, d = at + 1, b, k, label = 0, end = 0;
	int labels = 0, alpha = 0, flags;
	struct token first;

	for (;;) {
		size_t ls = d;

		alpha = 1;
		while (d < len) {
			unsigned c = s[d];

			if (acls[c] & C_ALPHA) {
				d++;
			} else if ((acls[c] & C_DG) || c == '-') {
				alpha = 0;
				d++;
			} else {
				break;
			}
		}
		if (d == ls)
			break;
		labels++;
		label = d - ls;
		end = d;
		if (d + 1 < len && s[d] == '.' && (acls[s[d + 1]] & C_ALNUM))
			d++;
		else
			break;
	}
	if (labels < 2 || !alpha || label < 2)
		return 0;

	b = at;
	while (b > 0) {
		unsigned c = s[b - 1];

		if (!(acls[c] & C_ALNUM) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-')
			break;
		b--;
	}
	if (b > chain)
		b = chain;
	while (b < at && !(acls[s[b]] & C_ALNUM) && s[b] < 0x80)
		b++;
	k = o->n;
	while (k > 0 && o->v[k - 1].off + o->v[k - 1].len > b)
		k--;
	if (k < o->n && o->v[k].off < b) {
		/* A token reaches over the start: a word (müller@, o'brien@)
		 * is taken in whole; anything else (the URL of an address
		 * just before: a@b.cc_d@e.ff) stays as it is, so that no
		 * token is taken back twice. */
		if (o->v[k].kind == TOKEN_WORD || o->v[k].kind == TOKEN_NUMBER) {
			b = o->v[k].off;
		} else {
			b = o->v[k].off + o->v[k].len;
			k++;
		}
	}
	while (k < o->n && o->v[k].kind == TOKEN_PUNCT) {
		b = o->v[k].off + o->v[k].len;  /* an address starts with a word */
		k++;
	}
	if (k == o->n)
		return 0;
	first = o->v[k];
	o->n = k;
	o->fold.len = first.fold_off;
	flags = first.flags & TOKEN_F_SENTENCE;
	if (all_ascii(s, b, end))
		flags |= TOKEN_F_ASCII;
	t->brk = BRK_NONE;
	t->ordinal = 0;
	if (flags & TOKEN_F_SENTENCE && k > 0)
		t->sentence--;          /* emit() counts it again */
	emit(t, b, end, TOKEN_URL, flags, 0);
	return end;
}

/* A word or number, and the parts joined to it: e-mail, dell.com, AT&T,
 * COVID-19, z.B.  Each part is a token; every part after the first that
 * follows a joiner is flagged TOKEN_F_JOINED.  Returns the end. */
static size_t scan_compound(struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t chain = i;
	int joined = 0;

	for (;;) {
		struct part pt;
		size_t end = scan_part(t, i, &pt), sep;

		emit(t, i, end, pt.kind, pt.flags | joined, 0);
		if (end >= t->len)
			return end;
		if (s[end] == '@') {
			size_t e = scan_email(t, chain, end);

			return e ? e : end;
		}
		if (pt.numsep && letter_at(t, end)) {
			i = end;
			joined = 0;
			continue;
		}
		sep = joiner_len(t, end);
		if (sep && end + sep < t->len && part_start_at(t, end + sep)) {
			i = end + sep;
			joined = TOKEN_F_JOINED;
			continue;
		}
		return end;
	}
}

/* The usual token: ASCII letters and digits up to white space or
 * punctuation that cannot continue a word (k is the class of s[i]).  It is
 * emitted here; anything else goes to scan_compound(). */
static size_t scan_word(struct tk *t, size_t i, unsigned k)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i + 1;
	unsigned acc = k, next = C_END;
	int flags = TOKEN_F_ASCII;

	while (j < len && ((next = acls[s[j]]) & C_ALNUM)) {
		acc |= next;
		j++;
	}
	if (j < len && !(next & C_END))
		return scan_compound(t, i);
	if ((acc & C_UP) && !(acc & C_LO)) {
		int letters = 0;
		size_t b;

		for (b = i; b < j && letters < 2; b++)
			letters += (acls[s[b]] & C_ALPHA) != 0;
		if (letters >= 2)
			flags |= TOKEN_F_UPPER;
	}
	emit(t, i, j, (acc & C_ALPHA) ? TOKEN_WORD : TOKEN_NUMBER, flags, 0);
	return j;
}

/* The end of a URL starting at s[i] with http://, https:// or www.
 * (any case), or 0.  A URL runs to white space, '<', '>' or an emoji; then
 * trailing . , ; : ! ? ' " and the typographic quotes ‘ ’ “ ” ‹ › « » and
 * … are left out, and so are ')' and ']' unless they close a '(' or '['
 * inside the URL
 * (https://en.wikipedia.org/wiki/Dell_(company)). */
static size_t url_end(const struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j, p;
	size_t open_paren = 0, close_paren = 0, open_brack = 0, close_brack = 0;

	if (len - i >= 8 && (s[i] | 0x20) == 'h' && (s[i + 1] | 0x20) == 't' &&
	    (s[i + 2] | 0x20) == 't' && (s[i + 3] | 0x20) == 'p') {
		p = i + 4;
		if ((s[p] | 0x20) == 's')
			p++;
		if (len - p < 4 || s[p] != ':' || s[p + 1] != '/' || s[p + 2] != '/')
			return 0;
		p += 3;
	} else if (len - i >= 5 && (s[i] | 0x20) == 'w' && (s[i + 1] | 0x20) == 'w' &&
		   (s[i + 2] | 0x20) == 'w' && s[i + 3] == '.' && (acls[s[i + 4]] & C_ALNUM)) {
		p = i + 4;
	} else {
		return 0;
	}
	j = p;
	while (j < len) {
		unsigned c = s[j];
		int32_t cp;
		size_t n;
		int up, u;

		if (c < 0x80) {
			if ((acls[c] & C_SP) || c == '<' || c == '>')
				break;
			open_paren += c == '(';
			close_paren += c == ')';
			open_brack += c == '[';
			close_brack += c == ']';
			j++;
			continue;
		}
		n = text__decode(s + j, len - j, &cp);
		if (cp < 0)
			break;
		u = uclass(cp, &up);
		if (u == UC_SPACE || u == UC_NEWLINE || u == UC_EMOJI || u == UC_RI)
			break;
		j += n;
	}
	while (j > p) {
		unsigned c = s[j - 1];

		if (c == ')') {
			if (open_paren >= close_paren)
				break;
			close_paren--;
			j--;
		} else if (c == ']') {
			if (open_brack >= close_brack)
				break;
			close_brack--;
			j--;
		} else if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
			   c == '?' || c == '\'' || c == '"') {
			j--;
		} else if (j - p >= 3 && s[j - 3] == 0xE2 && s[j - 2] == 0x80 &&
			   (c == 0x98 || c == 0x99 || c == 0x9C || c == 0x9D || c == 0xA6 ||
			    c == 0xB9 || c == 0xBA)) {
			j -= 3;         /* ‘ ’ “ ” … ‹ › */
		} else if (j - p >= 2 && s[j - 2] == 0xC2 && (c == 0xAB || c == 0xBB)) {
			j -= 2;         /* « » */
		} else {
			break;
		}
	}
	return j > p ? j : 0;
}

/* 1 if the token before position i ends there and is word-like, so that a
 * '#', '@' or '$' at i is inside a word (C#, a@b) rather than a sigil. */
static int glued_to_word(const struct tk *t, size_t i)
{
	const struct tokens *o = t->out;
	const struct token *last;

	if (o->n == 0)
		return 0;
	last = &o->v[o->n - 1];
	return last->off + last->len == i && last->kind <= TOKEN_CASHTAG;
}

/* #word: letters, digits, '_' and marks after '#', at least one letter. */
static size_t scan_hashtag(struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i + 1;
	int letters = 0, upper = 0, ascii = 1;

	while (j < len) {
		unsigned c = s[j];
		unsigned k = acls[c];
		int32_t cp;
		size_t n;
		int up, u;

		if (k & C_ALPHA) {
			letters++;
			upper += (k & C_UP) != 0;
			j++;
			continue;
		}
		if ((k & C_DG) || c == '_') {
			j++;
			continue;
		}
		if (c < 0x80)
			break;
		n = text__decode(s + j, len - j, &cp);
		if (cp < 0)
			break;
		u = uclass(cp, &up);
		if (u == UC_LETTER || u == UC_IDEO) {
			letters++;
			upper += up;
		} else if (u == UC_FORMAT && (cp == 0x200C || cp == 0x200D)) {
			if (j + n >= len || !word_char_at(t, j + n))
				break;
		} else if (u != UC_DIGIT && u != UC_MARK) {
			break;
		}
		ascii = 0;
		j += n;
	}
	if (!letters)
		return 0;
	emit(t, i, j, TOKEN_HASHTAG, (ascii ? TOKEN_F_ASCII : 0) |
	     (letters >= 2 && upper == letters ? TOKEN_F_UPPER : 0), 1);
	return j;
}

static int handle_char(unsigned c)
{
	return (acls[c] & C_ALNUM) || c == '_';
}

/* @handle: [A-Za-z0-9_] after '@', with inner '.', '-' and one more '@'
 * for the fediverse (@user@mastodon.social) and Bluesky
 * (@alice.bsky.social).  A handle without a '.' ends at its first '-' or
 * second '@': Twitter handles have neither. */
static size_t scan_mention(struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i + 1, cut = 0;
	int dot = 0, at = 0, letters = 0, upper = 0;

	if (j >= len || !handle_char(s[j]))
		return 0;
	while (j < len) {
		unsigned c = s[j];

		if (handle_char(c)) {
			letters += (acls[c] & C_ALPHA) != 0;
			upper += (acls[c] & C_UP) != 0;
			j++;
			continue;
		}
		if ((c == '.' || c == '-' || (c == '@' && !at)) && j + 1 < len && handle_char(s[j + 1])) {
			if (c == '.')
				dot = 1;
			else if (!cut)
				cut = j;
			if (c == '@')
				at = 1;
			j++;
			continue;
		}
		break;
	}
	if (!dot && cut) {
		size_t k;

		j = cut;
		letters = upper = 0;
		for (k = i + 1; k < j; k++) {
			letters += (acls[s[k]] & C_ALPHA) != 0;
			upper += (acls[s[k]] & C_UP) != 0;
		}
	}
	emit(t, i, j, TOKEN_MENTION,
	     TOKEN_F_ASCII | (letters >= 2 && upper == letters ? TOKEN_F_UPPER : 0), 1);
	return j;
}

/* $TICKER: one to six ASCII letters after '$' and nothing word-like after
 * them ($5 and $dollars are not cashtags). */
static size_t scan_cashtag(struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i + 1;
	int upper = 0;

	while (j < len && j - i <= 6 && (acls[s[j]] & C_ALPHA)) {
		upper += (acls[s[j]] & C_UP) != 0;
		j++;
	}
	if (j == i + 1 || (j < len && (handle_char(s[j]) || s[j] >= 0x80)))
		return 0;
	emit(t, i, j, TOKEN_CASHTAG, TOKEN_F_ASCII |
	     (j - i - 1 >= 2 && upper == (int)(j - i - 1) ? TOKEN_F_UPPER : 0), 1);
	return j;
}

/* A keycap: [0-9#*] U+FE0F? U+20E3.  Returns its end or 0. */
static size_t keycap_end(const struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t j = i + 1;

	if (t->len - j >= 3 && s[j] == 0xEF && s[j + 1] == 0xB8 && s[j + 2] == 0x8F)
		j += 3;
	if (t->len - j >= 3 && s[j] == 0xE2 && s[j + 1] == 0x83 && s[j + 2] == 0xA3)
		return j + 3;
	return 0;
}

/* ASCII emoticons, longest first where one is the prefix of another.
 * Each is one TOKEN_EMOJI (sentiment reads them like emoji); the closing
 * bracket of :) and :( may repeat (":)))").  One is recognised only where
 * no letter or digit follows it, so "Note:Dell" stays as it is, and not
 * where its last character repeats ("http://" has no ":/" in it). */
static const char *const emoticons[] = {
	">:-(", ">:(", ":-)", ":-(", ":-D", ":-P", ":-p", ":-O", ":-o", ":-/",
	":-|", ":-*", ":-\\", ";-)", ";-D", ":')", ":'(", "</3", "^_^", "-_-",
	":)", ":(", ":D", ":P", ":p", ":O", ":o", ":/", ":|", ":*", ":\\",
	":]", ":[", ";)", ";D", ";P", ";p", "=)", "=(", "=D", "<3", "^^",
};

/* The characters that follow the first one in some emoticon: a quick
 * way out for the usual ':' before a space. */
static const char emoticon_second[] = ")(DPpOo/|*\\][-'3_^:";

static size_t emoticon_end(const struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t k, n, j;

	if (t->len - i < 2 || !memchr(emoticon_second, s[i + 1], sizeof emoticon_second - 1))
		return 0;
	for (k = 0; k < sizeof emoticons / sizeof emoticons[0]; k++) {
		n = strlen(emoticons[k]);
		if (t->len - i < n || memcmp(s + i, emoticons[k], n) != 0)
			continue;
		j = i + n;
		if (s[j - 1] == ')' || s[j - 1] == '(')
			while (j < t->len && s[j] == s[j - 1])
				j++;
		if (j < t->len && ((acls[s[j]] & C_ALNUM) || s[j] == s[j - 1]))
			continue;
		return j;
	}
	return 0;
}

/* 1 if cp continues an emoji sequence: variation selectors, skin tones,
 * the keycap mark, tag characters, other combining marks. */
static int emoji_extend(int32_t cp)
{
	int up;

	if (cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 ||
	    (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F))
		return 1;
	return cp >= 0x300 && uclass(cp, &up) == UC_MARK;
}

/* One emoji sequence from s[i] (first code point cp of n bytes, of class
 * u): a flag (two regional indicators), or a base with its modifiers, and
 * more bases joined by U+200D (👨‍👩‍👧). */
static size_t scan_emoji(struct tk *t, size_t i, size_t n, int u)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i + n, m;
	int32_t cp;
	int up;

	if (u == UC_RI) {
		if (j < len) {
			m = text__decode(s + j, len - j, &cp);
			if (cp >= 0 && uclass(cp, &up) == UC_RI)
				j += m;
		}
	} else {
		for (;;) {
			while (j < len && s[j] >= 0x80) {
				m = text__decode(s + j, len - j, &cp);
				if (cp < 0 || !emoji_extend(cp))
					break;
				j += m;
			}
			if (len - j > 3 && s[j] == 0xE2 && s[j + 1] == 0x80 && s[j + 2] == 0x8D) {
				m = text__decode(s + j + 3, len - j - 3, &cp);
				if (cp >= 0x80) {
					u = uclass(cp, &up);
					if (u == UC_EMOJI || u == UC_EMOJI_TEXT) {
						j += 3 + m;
						continue;
					}
				}
			}
			break;
		}
	}
	emit(t, i, j, TOKEN_EMOJI, 0, 0);
	return j;
}

/* 1 for the characters that may stand between a terminator and the white
 * space after it: closing brackets and quotes ("Great." Then). */
static int is_closing(int32_t cp)
{
	return cp == ')' || cp == ']' || cp == '}' || cp == '"' || cp == '\'' ||
	       cp == 0x2019 || cp == 0x201D || cp == 0xBB || cp == 0x203A;
}

/* A '.', '!', '?' or '…' (run) was emitted as the last token: decide what
 * it means for the sentence.  A single '.' right after an abbreviation (a
 * single letter, or a word from abbrevs[]) ends nothing; after a number it
 * may be a German ordinal or date (see emit()). */
static void terminator(struct tk *t, size_t i, size_t end, int32_t cp)
{
	const struct tokens *o = t->out;

	if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F) {
		t->brk = BRK_SPACE;     /* CJK full stops need no space after them */
		t->ordinal = 0;
		return;
	}
	if (cp == '.' && end - i == 1 && o->n >= 2) {
		const struct token *prev = &o->v[o->n - 2];

		if (prev->off + prev->len == i && prev->kind == TOKEN_WORD) {
			int32_t c0;
			int up;
			size_t n = text__decode(t->s + prev->off, prev->len, &c0);

			if (n == prev->len && c0 >= 0 && (c0 < 0x80 || uclass(c0, &up) == UC_LETTER))
				return;
			if (IN_TABLE(abbrevs, fold_of(o, prev), prev->fold_len))
				return;
		}
		if (prev->off + prev->len == i && prev->kind == TOKEN_NUMBER) {
			if (o->n >= 3) {
				const struct token *ctx = &o->v[o->n - 3];

				if (ctx->kind == TOKEN_WORD &&
				    IN_TABLE(ordinal_context, fold_of(o, ctx), ctx->fold_len))
					return;
			}
			t->brk = BRK_TERM;
			t->ordinal = 1;
			return;
		}
	}
	t->brk = BRK_TERM;
	t->ordinal = 0;
}

static int is_terminator(int32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 ||
	       cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

/* One punctuation or symbol character (cp, n bytes) at s[i], or a run of
 * the same character, with any combining marks after it. */
static size_t scan_punct(struct tk *t, size_t i, size_t n, int32_t cp)
{
	const unsigned char *s = t->s;
	size_t len = t->len, j = i + n, m;
	int keep = t->brk == BRK_TERM && is_closing(cp);
	int32_t c2;
	int up;

	if (n == 1) {
		while (j < len && s[j] == s[i])
			j++;
	} else {
		while (len - j >= n && memcmp(s + j, s + i, n) == 0)
			j += n;
	}
	while (j < len && s[j] >= 0x80) {
		m = text__decode(s + j, len - j, &c2);
		if (c2 < 0 || uclass(c2, &up) != UC_MARK)
			break;
		j += m;
	}
	emit(t, i, j, TOKEN_PUNCT, all_ascii(s, i, j) ? TOKEN_F_ASCII : 0, 0);
	if (keep)
		t->brk = BRK_TERM;
	if (is_terminator(cp))
		terminator(t, i, j, cp);
	return j;
}

/* The token starting with a non-ASCII byte at s[i]. */
static size_t scan_nonascii(struct tk *t, size_t i)
{
	const unsigned char *s = t->s;
	size_t len = t->len, n;
	int32_t cp;
	int up, u;

	n = text__decode(s + i, len - i, &cp);
	if (cp < 0) {
		/* Not UTF-8 (the text was not normalised): one byte, folded
		 * to U+FFFD. */
		emit(t, i, i + 1, TOKEN_PUNCT, 0, 0);
		return i + 1;
	}
	u = uclass(cp, &up);
	switch (u) {
	case UC_SPACE:
		if (t->brk == BRK_TERM)
			t->brk = BRK_SPACE;
		return i + n;
	case UC_NEWLINE:
		if (t->out->n)
			t->brk = BRK_HARD;
		return i + n;
	case UC_FORMAT:
		return i + n;   /* invisible and nothing to attach to */
	case UC_LETTER:
	case UC_IDEO:
	case UC_DIGIT:
		return scan_compound(t, i);
	case UC_EMOJI:
	case UC_RI:
		return scan_emoji(t, i, n, u);
	case UC_EMOJI_TEXT:
		if (len - i - n >= 3 && s[i + n] == 0xEF && s[i + n + 1] == 0xB8 && s[i + n + 2] == 0x8F)
			return scan_emoji(t, i, n, u);
		return scan_punct(t, i, n, cp);
	case UC_MARK:
		if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF))
			return i + n;   /* a variation selector with no base */
		return scan_punct(t, i, n, cp);
	default:
		return scan_punct(t, i, n, cp);
	}
}

int text_tokenise(struct tokens *out, const char *text, size_t len)
{
	struct tk t;
	size_t i = 0;

	out->n = 0;
	out->n_sentences = 0;
	buf_reset(&out->fold);
	if (len > TEXT_MAX)
		return HORCH_ETOOBIG;
	if (len == 0)
		return 0;
	t.s = (const unsigned char *)text;
	t.len = len;
	t.out = out;
	t.sentence = 0;
	t.brk = BRK_NONE;
	t.ordinal = 0;
	t.rc = buf_reserve(&out->fold, len);
	while (i < len && !t.rc) {
		unsigned c = t.s[i];
		unsigned k = acls[c];
		size_t e;

		if (k & C_SP) {
			if (k & C_NL) {
				if (out->n)
					t.brk = BRK_HARD;
			} else if (t.brk == BRK_TERM) {
				t.brk = BRK_SPACE;
			}
			i++;
			continue;
		}
		if (k & C_ALNUM) {
			if ((k & C_DG) && (e = keycap_end(&t, i)) != 0) {
				emit(&t, i, e, TOKEN_EMOJI, 0, 0);
				i = e;
			} else if (((c | 0x20) == 'h' || (c | 0x20) == 'w') && (e = url_end(&t, i)) != 0) {
				emit(&t, i, e, TOKEN_URL, all_ascii(t.s, i, e) ? TOKEN_F_ASCII : 0, 0);
				i = e;
			} else {
				i = scan_word(&t, i, k);
			}
			continue;
		}
		if (k & C_HI) {
			i = scan_nonascii(&t, i);
			continue;
		}
		e = 0;
		switch (c) {
		case '#':
			if ((e = keycap_end(&t, i)) != 0)
				emit(&t, i, e, TOKEN_EMOJI, 0, 0);
			else if (!glued_to_word(&t, i))
				e = scan_hashtag(&t, i);
			break;
		case '*':
			if ((e = keycap_end(&t, i)) != 0)
				emit(&t, i, e, TOKEN_EMOJI, 0, 0);
			break;
		case '@':
			if (!glued_to_word(&t, i))
				e = scan_mention(&t, i);
			break;
		case '$':
			if (!glued_to_word(&t, i))
				e = scan_cashtag(&t, i);
			break;
		case ':':
		case ';':
		case '=':
		case '<':
		case '>':
		case '^':
		case '-':
			if ((e = emoticon_end(&t, i)) != 0)
				emit(&t, i, e, TOKEN_EMOJI, TOKEN_F_ASCII, 0);
			break;
		default:
			break;
		}
		i = e ? e : scan_punct(&t, i, 1, (int32_t)c);
	}
	if (t.rc) {
		out->n = 0;
		buf_reset(&out->fold);
		return t.rc;
	}
	out->n_sentences = out->n ? (size_t)t.sentence + 1 : 0;
	if (out->fold.ptr)
		out->fold.ptr[out->fold.len] = '\0';
	return 0;
}
