/* text.h - from what a stranger wrote to what horch can match.
 *
 * Three steps, each a pure function of its input (no globals that change;
 * any number of threads):
 *
 *   text_html_to_text()  HTML to plain text: entities decoded, tags, scripts
 *                        and styles removed, block elements become breaks;
 *   text_normalise()     invalid UTF-8 repaired with U+FFFD (and counted),
 *                        control characters removed, Unicode NFC;
 *   text_tokenise()      tokens with byte offsets into the normalised text,
 *                        a kind, sentence boundaries and a folded form (case
 *                        and accents removed, ß to ss) for matching.
 *
 * text_tokenise() is what the query engine, sentiment and search all use. */
#ifndef HORCH_TEXT_H
#define HORCH_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

/* The longest text the tokenizer takes: offsets are 32-bit. */
#define TEXT_MAX (64u * 1024 * 1024)

enum token_kind {
	TOKEN_WORD = 0,  /* letters, digits mixed with letters, inner apostrophes: don't, geht's, Müller, mp3 */
	TOKEN_NUMBER,    /* digits with inner . , : separators: 42, 3.5, 1,000, 12:30 */
	TOKEN_HASHTAG,   /* #word; the folded form leaves out the '#' */
	TOKEN_MENTION,   /* @handle; the folded form leaves out the '@' */
	TOKEN_CASHTAG,   /* $TICKER (letters, not a price); folded form without '$' */
	TOKEN_URL,       /* http(s)://..., www....; balanced parentheses kept, trailing punctuation left out */
	TOKEN_EMOJI,     /* one emoji sequence: modifiers, ZWJ sequences, flags, keycaps */
	TOKEN_PUNCT,     /* one punctuation or symbol character, or a run of the same (!!!, ...) */
};

/* token.flags */
#define TOKEN_F_SENTENCE 0x01 /* first token of a sentence */
#define TOKEN_F_JOINED   0x02 /* a word/number part joined to the previous part by one inner
                               * '-', '.', '/' or '&' with no space: e-mail, dell.com, z.B. */
#define TOKEN_F_UPPER    0x04 /* two or more letters, all of them upper case (emphasis) */
#define TOKEN_F_ASCII    0x08 /* the token's bytes are all ASCII */

struct token {
	uint32_t off;       /* byte offset of the token in the text */
	uint32_t len;       /* byte length in the text: text[off..off+len) is the token */
	uint32_t fold_off;  /* byte offset of the folded form in tokens.fold */
	uint32_t fold_len;  /* byte length of the folded form */
	uint32_t sentence;  /* index of the sentence the token belongs to, from 0 */
	uint8_t kind;       /* enum token_kind */
	uint8_t flags;      /* TOKEN_F_* */
};

/* The result of text_tokenise(); reusable across calls (one per thread). */
struct tokens {
	struct token *v;    /* the tokens, in text order */
	size_t n;           /* number of tokens */
	size_t cap;         /* allocated entries of v */
	struct buf fold;    /* folded forms, back to back (no separators) */
	size_t n_sentences; /* number of sentences */
};

void tokens_init(struct tokens *t);
void tokens_cleanup(struct tokens *t);   /* NULL-safe */

/* Tokenise text[0..len), which must be valid UTF-8 (as text_normalise()
 * leaves it; invalid bytes become one-byte punctuation tokens, never a
 * crash).  Replaces the content of out.  Returns 0, or HORCH_ETOOBIG when
 * len > TEXT_MAX (out is then empty). */
int text_tokenise(struct tokens *out, const char *text, size_t len);

/* Name of a kind: "word", "number", "hashtag", ... */
const char *text_token_kind_name(int kind);

/* Append the folded form of s[0..len) (valid UTF-8) to out: Unicode case
 * folding, accents and other combining marks removed, ß and ẞ to "ss",
 * typographic apostrophes to "'".  Returns 0 or HORCH_ETOOBIG (out's cap). */
int text_fold(struct buf *out, const char *s, size_t len);

/* Append s[0..len) (valid UTF-8) to out with every Unicode space (Zs) as
 * an ASCII space, runs of spaces as one, and White_Space trimmed at both
 * ends; tab, line feed and the other White_Space controls count as spaces
 * too.  Invalid bytes are kept as they are.  Returns 0 or HORCH_ETOOBIG
 * (out's cap). */
int text_squeeze_spaces(struct buf *out, const char *s, size_t len);

/* Append the key under which a name (a topic's) is compared to out: NFC,
 * spaces squeezed (text_squeeze_spaces()), folded (text_fold()).  "Über
 * uns", "über  uns" and "uber uns" have one key.  The store keys topic
 * names with it and the matcher resolves topic:NAME with it.  Returns 0
 * or HORCH_ETOOBIG. */
int text_name_key(struct buf *out, const char *s, size_t len);

/* Append s[0..len) to out as valid UTF-8 in NFC: each maximal invalid
 * sequence becomes U+FFFD and is counted in *n_repaired (may be NULL), NUL
 * and C0/C1 controls other than tab and newline are dropped, CR LF and CR
 * become LF.  Returns 0 or HORCH_ETOOBIG (out's cap). */
int text_normalise(struct buf *out, const char *s, size_t len, size_t *n_repaired);

/* Append the text content of the HTML document or fragment html[0..len) to
 * out: tags removed; script, style, template and head content left out;
 * character references decoded; p, div, li, h1-h6, tr, blockquote, pre and
 * the like start a new line, br is a line break, whitespace elsewhere
 * collapsed; img alt text kept; link targets not inlined.  The result is
 * not yet normalised (run text_normalise() on it).  Returns 0,
 * HORCH_ETOOBIG (out's cap or len > TEXT_MAX) or HORCH_EPARSE. */
int text_html_to_text(struct buf *out, const char *html, size_t len);

#endif
