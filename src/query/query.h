/* query.h - the topic query language: parse, check and print a topic.
 *
 * A topic is a named boolean query in the language of
 * docs/query-language.md (the Brandwatch dialect, with the Talkwalker and
 * Meltwater habits that do not conflict).  query_parse() reads one query
 * into a syntax tree that the matcher compiles later; it checks every rule
 * of the language, fills a struct horch_err (message and byte column) and a
 * hint on the first error, and collects lint warnings as data.
 * query_print() writes the tree back as a canonical, fully bracketed query
 * that parses to the same tree; query_format_error() writes the four-line
 * error a person reads (message, query, caret, hint).
 *
 * A struct query is immutable once parsed: any number of threads may read
 * it.  A struct query_diag belongs to one thread. */
#ifndef HORCH_QUERY_H
#define HORCH_QUERY_H

#include <stddef.h>

#include "../core/buf.h"
#include "../core/err.h"

/* Limits of the language; each is a clear error when passed. */
#define QUERY_MAX_LEN   (16u * 1024) /* bytes of query text */
#define QUERY_MAX_TERMS 1000u        /* terms (words, phrase words, field values) */
#define QUERY_MAX_DIST  100u         /* NEAR/n and ~n distance */
#define QUERY_MAX_DEPTH 64u          /* nesting of brackets */

/* query_parse() flags */
#define QUERY_LENIENT 0x1u /* NOT > AND > OR precedence, lower-case operators (warned) */

struct query; /* a parsed query; fields in query_int.h */

/* One lint warning: a place in the query that is valid but probably not
 * what was meant. */
struct query_warning {
	long col;      /* 1-based byte column the warning is about */
	char msg[200]; /* one line, no trailing newline */
};

/* What query_parse() says besides the tree: warnings, and on an error a
 * hint on how to fix it.  Reusable; query_parse() replaces its content. */
struct query_diag {
	struct query_warning *warn; /* the warnings, in column order of discovery */
	size_t n_warn;              /* number of warnings */
	size_t cap_warn;            /* allocated entries of warn */
	char hint[256];             /* on error: how to fix it, or "" */
};

void query_diag_init(struct query_diag *d);
void query_diag_cleanup(struct query_diag *d); /* NULL-safe */

/* Parse the query src[0..len) (UTF-8) with QUERY_* flags.
 *
 * On success returns 0 and stores a new query in *out, which the caller owns
 * and releases with query_free().  On failure returns HORCH_EPARSE (the
 * query breaks a rule) or HORCH_ETOOBIG (a limit above), leaves *out NULL,
 * and fills err->msg and err->col (1-based byte column; err->line is 1) and,
 * when diag is not NULL, diag->hint.  diag (may be NULL) receives the
 * warnings, also on failure (those found before the error). */
int query_parse(struct query **out, const char *src, size_t len, unsigned flags,
		struct query_diag *diag, struct horch_err *err);

void query_free(struct query *q); /* NULL-safe */

/* Append the canonical form of q to out: every operator upper case, every
 * compound bracketed, terms in their folded form, NEAR/nf for ONEAR/n,
 * aliases replaced by the field's name, comments left out.  Parsing the
 * result (strict or lenient) gives a query that prints the same.  Returns 0
 * or HORCH_ETOOBIG (out's cap). */
int query_print(const struct query *q, struct buf *out);

/* Append the error err about the query src[0..len) to out in the form a
 * person reads, four lines each ending in a newline:
 *
 *   error: AND and OR are mixed without brackets (col 10)
 *     dell AND laptop OR notebook
 *              ^
 *     hint: write  dell AND (laptop OR notebook)
 *
 * The query line shows the query with tabs and line breaks as spaces (a
 * window of it around the column when it is long); the caret stands under
 * the character at err->col, counted in characters, not bytes.  hint may be
 * NULL or "" (the fourth line is then left out).  Returns 0 or
 * HORCH_ETOOBIG (out's cap). */
int query_format_error(const char *src, size_t len, const struct horch_err *err,
		       const char *hint, struct buf *out);

/* As query_format_error() for a warning: "warning: MSG (col N)", the query
 * and the caret (three lines). */
int query_format_warning(const char *src, size_t len, const struct query_warning *w,
			 struct buf *out);

/* Number of terms in q (words, phrase words, wildcard terms, field values). */
size_t query_n_terms(const struct query *q);

#endif
