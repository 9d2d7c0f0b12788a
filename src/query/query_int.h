/* query_int.h - what the files of src/query/ share: the lexer's tokens and
 * the syntax tree.
 *
 * The tree is built for the matcher that comes after the parser: thousands
 * of topics compiled into one matcher that indexes topics by the terms any
 * match requires (presearch) and verifies candidates with token positions.
 * So every term node carries the folded form the tokenizer gives a post's
 * token (text_tokenise()), its form restriction, the exact bytes for {},
 * and a wildcard's folded pattern with the length of its literal prefix;
 * every node carries its byte span in the query (for errors and explain).
 * docs/internals/query.md describes it. */
#ifndef HORCH_QUERY_INT_H
#define HORCH_QUERY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "query.h"

/* ---- lexer ---- */

enum qtok_kind {
	QTOK_EOF = 0,
	QTOK_WORD,     /* a bare word: v..v+vlen are its bytes (may hold * ? # @ $) */
	QTOK_PHRASE,   /* "..." : v..v+vlen is the content between the quotes */
	QTOK_EXACT,    /* {...} : v..v+vlen is the content between the braces */
	QTOK_LPAREN,
	QTOK_RPAREN,
	QTOK_LBRACK,
	QTOK_RBRACK,
	QTOK_AND,
	QTOK_OR,
	QTOK_NOT,
	QTOK_MINUS,    /* '-' touching the operand after it */
	QTOK_NEAR,     /* NEAR/n, NEAR/nf, ONEAR/n: num, ordered */
	QTOK_SENTENCE,
	QTOK_TILDE,    /* ~n: num */
	QTOK_FIELD,    /* name: field is the enum query_field */
};

struct qtok {
	uint8_t kind;     /* enum qtok_kind */
	uint8_t ordered;  /* QTOK_NEAR: a before b (NEAR/nf, ONEAR/n) */
	uint8_t lower;    /* an operator written in lower case (lenient mode only) */
	uint8_t touch;    /* no white space or comment between this and the token before */
	uint8_t field;    /* QTOK_FIELD: enum query_field */
	uint32_t off;     /* byte offset of the whole token in the query */
	uint32_t len;     /* byte length of the whole token */
	uint32_t v;       /* byte offset of the value (word, phrase content, ...) */
	uint32_t vlen;    /* byte length of the value */
	uint32_t num;     /* QTOK_NEAR, QTOK_TILDE: the distance */
};

struct qtoks {
	struct qtok *v;
	size_t n;
	size_t cap;
};

/* Cut src[0..len) into tokens (ending with one QTOK_EOF).  Returns 0, or
 * HORCH_EPARSE / HORCH_ETOOBIG with err (message, column) and hint filled
 * (hint is hint_size bytes; may be NULL).  Warnings (lower-case operators
 * in lenient mode, unknown fields read as words) go to diag (may be NULL).
 * The caller owns toks (query__toks_cleanup()). */
int query__lex(struct qtoks *toks, const char *src, size_t len, unsigned flags,
	       struct query_diag *diag, struct horch_err *err, char *hint, size_t hint_size);
void query__toks_cleanup(struct qtoks *toks);

/* Add a warning at 1-based column col to diag (NULL-safe; at most 1,000). */
void query__warn(struct query_diag *diag, long col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- fields ---- */

enum query_field {
	QF_NONE = 0,
	/* sub-query fields: the value is a query on that part of the post */
	QF_TITLE, QF_TEXT, QF_AUTHOR,
	/* keyword fields: the value is a normalised string */
	QF_SITE, QF_URL, QF_LINKS, QF_LANG, QF_SOURCE, QF_COUNTRY, QF_PRODUCT, QF_IS,
	QF_SENTIMENT, QF_INTENT, QF_TOPIC,
	/* form fields: the value becomes a term restricted to that form */
	QF_HASHTAG, QF_MENTION,
	/* range fields: [a TO b] */
	QF_AUTHOR_FOLLOWERS, QF_RATING,
	QF__COUNT
};

enum query_field_kind { QFK_SUBQUERY, QFK_KEYWORD, QFK_FORM, QFK_RANGE };

/* The field of a name or alias (ASCII, any case), or QF_NONE. */
int query__field_lookup(const char *name, size_t len);
const char *query__field_name(int field);   /* canonical name, e.g. "authorFollowers" */
int query__field_kind(int field);            /* enum query_field_kind */

/* ---- syntax tree ---- */

enum qnode_kind {
	QN_TERM = 0, /* one token to match */
	QN_PHRASE,   /* kids: QN_TERMs, consecutive tokens in that order */
	QN_PROX,     /* kids: terms, phrases or OR groups, each hit within dist tokens of the others, any order ("a b"~n, (a OR b)~n) */
	QN_AND,      /* kids: all must match (a QN_NOT kid must not) */
	QN_OR,       /* kids: any must match */
	QN_NOT,      /* kids[0] must not match; only inside QN_AND (or at the root, refused) */
	QN_NEAR,     /* kids[0], kids[1]: at most dist tokens between a hit of each; ordered: kids[0] first */
	QN_SENTENCE, /* kids[0], kids[1]: a hit of each in the same sentence */
	QN_FIELD,    /* field (sub-query field): kids[0] matched against that field */
	QN_KEYWORD,  /* field (keyword field): value equals / is contained, per field */
	QN_RANGE,    /* field (range field): lo <= value <= hi */
};

/* QN_TERM form restriction: which token kinds a term matches. */
enum qterm_form {
	QFORM_ANY = 0, /* word, number, emoji, url token, and hashtag and mention of that fold */
	QFORM_HASHTAG, /* #dell: only hashtag tokens */
	QFORM_MENTION, /* @dell: only mention tokens */
	QFORM_CASHTAG, /* $DELL: only cashtag tokens */
};

#define QN_F_EXACT    0x01 /* QN_TERM from {}: exact holds the bytes to compare */
#define QN_F_WILDCARD 0x02 /* QN_TERM: fold is a pattern with * and ? */
#define QN_F_ORDERED  0x04 /* QN_NEAR: kids[0] before kids[1] */
#define QN_F_TEXT     0x08 /* QN_TERM: print text, not fold (the fold alone would tokenise differently) */

struct qnode {
	uint8_t kind;        /* enum qnode_kind */
	uint8_t form;        /* QN_TERM: enum qterm_form */
	uint8_t field;       /* QN_FIELD, QN_KEYWORD, QN_RANGE: enum query_field */
	uint8_t flags;       /* QN_F_* */
	uint32_t off;        /* byte offset in the query where the node starts (col = off + 1) */
	uint32_t end;        /* byte offset just past the node's text */
	uint32_t dist;       /* QN_NEAR, QN_PROX: the distance n */
	uint32_t n_kids;     /* number of kids */
	struct qnode **kids; /* the operands, in query order */
	const char *fold;    /* QN_TERM: folded form (wildcard: folded pattern); QN_KEYWORD: normalised value; NUL-terminated */
	uint32_t fold_len;   /* byte length of fold */
	uint32_t prefix_len; /* QN_TERM wildcard: bytes of fold before the first * or ? */
	const char *text;    /* QN_TERM (not wildcard): the token as written (NFC), NUL-terminated */
	uint32_t text_len;   /* byte length of text */
	uint8_t tkind;       /* QN_TERM (not wildcard): enum token_kind of the token */
	const char *exact;   /* QN_TERM with QN_F_EXACT: the exact (NFC) bytes, NUL-terminated */
	uint32_t exact_len;  /* byte length of exact */
	int64_t lo, hi;      /* QN_RANGE: inclusive bounds */
};

struct query {
	struct arena arena;  /* every node and string of the tree */
	struct qnode *root;  /* the tree */
	unsigned flags;      /* QUERY_* flags it was parsed with */
	size_t n_terms;      /* terms counted against QUERY_MAX_TERMS */
};

/* Append the canonical form of node n to out (see query_print()). */
int query__print_node(const struct qnode *n, struct buf *out);

#endif
