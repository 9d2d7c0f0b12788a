/* trending.h - the terms that rise against their own baseline, for
 * GET /api/terms/trending.
 *
 * A struct trend counts, for two periods (the window and the baseline
 * before it), in how many posts each term occurs: the words and hashtags
 * of the title and text as text_tokenise() folds them, without stop words
 * (data/stopwords), the terms of the topic's own query, tokens of one or
 * two letters, numbers and links.  trend_rank() then scores each term by
 * a smoothed ratio of its count in the window to the count its baseline
 * rate predicts (docs/internals/http-metrics.md has the formula and why).
 *
 * Pure computation: no I/O.  A struct trend belongs to one thread; the
 * stop-word table behind it is built once and shared read-only. */
#ifndef HORCH_HTTP_TRENDING_H
#define HORCH_HTTP_TRENDING_H

#include <stddef.h>
#include <stdint.h>

#include "../core/embedded.h"
#include "../core/err.h"

struct query;
struct trend;

enum trend_period {
	TREND_WINDOW = 0,    /* the recent period whose terms are ranked */
	TREND_BASELINE = 1,  /* the period before it, which says what is usual */
};

#define TREND_MIN_COUNT 3u          /* posts of the window a term needs to be ranked */
#define TREND_TERM_MAX 64u          /* bytes of a folded term; longer tokens are skipped */
#define TREND_TERMS_MAX (1u << 20)  /* distinct terms counted; further ones are dropped */

/* One ranked term; term points into the struct trend and is valid until
 * it is freed. */
struct trend_term {
	const char *term;   /* the folded form: "hinge" (a hashtag without its '#') */
	int64_t count;      /* posts of the window with the term */
	int64_t baseline;   /* posts of the baseline with the term */
	double expected;    /* posts of the window the baseline rate predicts */
	double score;       /* (count + 1) / (expected + 1) */
};

/* A new, empty counter (free with trend_free()). */
struct trend *trend_new(void);
void trend_free(struct trend *t);  /* NULL-safe */

/* Leave the folded term fold[0..len) out of the ranking; with prefix 1,
 * every term that starts with it (a wildcard of the query: akku* leaves
 * out akku, akkus, akkuzelle). */
void trend_exclude(struct trend *t, const char *fold, size_t len, int prefix);

/* Leave out every term of the parsed topic query q (words, phrase words,
 * hashtags and mentions of any field; a wildcard's literal prefix as a
 * prefix), whether the query wants or refuses them. */
void trend_exclude_query(struct trend *t, const struct query *q);

/* Count the terms of one post of period: each distinct term of its title
 * and text (either may be NULL) once.  Returns 0, or HORCH_ETOOBIG when a
 * part is longer than the tokenizer takes (the post is then not
 * counted). */
int trend_add(struct trend *t, enum trend_period period, const char *title,
	      const char *text);

/* The posts added to period so far. */
int64_t trend_posts(const struct trend *t, enum trend_period period);

/* 1 when a term was dropped because TREND_TERMS_MAX distinct terms were
 * counted already. */
int trend_full(const struct trend *t);

/* Rank the terms: those with at least TREND_MIN_COUNT posts in the window
 * and a score above 1, highest score first (then count, then the term),
 * into out[0..limit).  Returns the number written. */
size_t trend_rank(struct trend *t, struct trend_term *out, size_t limit);

/* 1 when the folded word fold[0..len) is an English or German stop word. */
int trend_stop_word(const char *fold, size_t len);

/* 1 when the folded form fold[0..len) of a word or hashtag is a term that
 * t counts and may rank: at most TREND_TERM_MAX bytes, three code points
 * or more with a letter among them, not a stop word and not left out by
 * trend_exclude() or trend_exclude_query().  The complaint clusters
 * (cluster.c) pick their terms with it, so that both use one rule. */
int trend_is_term(const struct trend *t, const char *fold, size_t len);

/* Parse a span "90s", "30m", "1h", "7d", "2w" (digits, then one unit;
 * nothing else) into milliseconds in *out.  Returns 0, or HORCH_EPARSE /
 * HORCH_ETOOBIG (over 10 years) with the reason in err. */
int trend_parse_span(const char *s, int64_t *out, struct horch_err *err);

/* The stop-word lists, data/stopwords/en.txt and de.txt, compiled into
 * the binary by scripts/embed (src/http/meson.build). */
extern const struct embedded_file http__stopwords[];
extern const size_t http__stopwords_n;

#endif
