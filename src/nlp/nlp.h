/* nlp.h - understanding one post: language, sentiment, spam, near-duplicate
 * fingerprint, entities, intent, reach and priority.
 *
 * Every enricher here is a pure function of the post (its normalised text,
 * tokenised once by text_tokenise()) and of read-only models (struct nlp:
 * lexicons, the product catalogue, an optional trained sentiment model),
 * plus a per-thread scratch area (struct nlp_work).  Any number of threads
 * share one struct nlp; each thread has its own struct nlp_work.
 *
 * The near-duplicate index (struct simhash_index) is the exception: it
 * remembers recent posts, so it is used by one thread (the pipeline's
 * writer) and lives beside the pure functions.
 *
 * docs/accuracy.md gives each enricher's measured accuracy and the command
 * that measures it; docs/internals/nlp.md explains how each works. */
#ifndef HORCH_NLP_H
#define HORCH_NLP_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/post.h"
#include "../text/text.h"

/* ---- the models ---- */

struct nlp;       /* read-only models; any thread once built */
struct nlp_work;  /* per-thread scratch */

/* One product of the catalogue (horch product add). */
struct nlp_product {
	int64_t id;              /* the catalogue's id */
	const char *name;        /* "Inspiron 15" */
	const char *const *aliases; /* other spellings: "inspiron15", ...; n_aliases of them */
	size_t n_aliases;
};

struct nlp_opts {
	const char *sentiment_model; /* a model file of `horch train sentiment`, or NULL:
				      * the lexicon rules */
	const struct nlp_product *products; /* the catalogue, n_products of them (copied) */
	size_t n_products;
	int vader_only;          /* 1: sentiment by VADER's published rules and lexicon
				  * alone, without horch's additions (the baseline that
				  * docs/accuracy.md compares with); English only */
};

/* Load the models: the lexicons compiled into the binary, the trained model
 * opts->sentiment_model if given, the catalogue.  opts may be NULL (the
 * defaults).  Returns 0 and sets *out (free with nlp_free()), or
 * HORCH_EIO/HORCH_EPARSE/HORCH_EINVAL with err naming the file and line. */
int nlp_new(struct nlp **out, const struct nlp_opts *opts, struct horch_err *err);
void nlp_free(struct nlp *m);                 /* NULL-safe */

struct nlp_work *nlp_work_new(void);
void nlp_work_free(struct nlp_work *w);       /* NULL-safe */

/* Run every enricher on p, whose text and title are normalised (valid
 * UTF-8, NFC).  Sets every derived field of struct post except dup_of
 * (the writer's near-duplicate index sets that) and sets p->analysed.
 * p->lang becomes the detected language when detection is confident (0.5
 * or more) or the source said nothing, stays what the source said
 * otherwise (its primary subtag: "en-US" is "en"), and is "und" when
 * neither knows.
 * Returns 0, or HORCH_ETOOBIG (a text longer than TEXT_MAX). */
int nlp_analyse(const struct nlp *m, struct nlp_work *w, struct post *p);

#define NLP_BATCH_MAX 64  /* posts one nlp_analyse_batch() call takes */

/* nlp_analyse() on posts[0..n), n <= NLP_BATCH_MAX, one enricher at a time
 * over all of them: each enricher's tables stay in the cache for the whole
 * batch instead of being evicted by the next enricher at every post (a few
 * per cent faster than 64 calls of nlp_analyse() in bench_enrich).  A post whose text the tokenizer refuses (longer than
 * TEXT_MAX) is left unanalysed (analysed stays 0); the others are
 * analysed.  Returns the number of posts analysed. */
size_t nlp_analyse_batch(const struct nlp *m, struct nlp_work *w, struct post *const *posts,
			 size_t n);

/* ---- language ---- */

struct nlp_lang {
	char code[4];            /* ISO 639-1 ("de", "en"), or "und" */
	float conf;              /* 0..1; 0 with "und" */
};

/* Identify the language of text[0..len) (valid or invalid UTF-8: invalid
 * bytes are skipped).  Too short or unclear: "und".  Quoted passages and
 * URLs, mentions and hashtags count less than the author's own words, so
 * that a German sentence quoting English is German.  Any thread. */
void nlp_lang_detect(const char *text, size_t len, struct nlp_lang *out);

/* ---- sentiment ---- */

struct nlp_sentiment {
	float score;             /* -1..1 */
	uint8_t label;           /* enum post_sentiment */
	float conf;              /* confidence in label, 0..1 */
	uint8_t needs_review;    /* 1: low confidence or mixed feelings (en and de only) */
};

/* Score the sentiment of text[0..len) tokenised as tk, written in lang
 * ("en", "de"; another language or NULL: only emoji, emoticons and words
 * common to both count, at lower confidence).  Uses the trained model when
 * m has one.  Any thread with its own w. */
void nlp_sentiment(const struct nlp *m, struct nlp_work *w, const char *text, size_t len,
		   const struct tokens *tk, const char *lang, struct nlp_sentiment *out);

/* The lexicon rules' score of the same text (-1..1), what the trained model
 * takes as one of its features. */
float nlp_sentiment_rules(const struct nlp *m, struct nlp_work *w, const char *text,
			  size_t len, const struct tokens *tk, const char *lang);

/* ---- the trained sentiment model (horch train sentiment) ---- */

struct nlp_model;

/* One labelled example for training. */
struct nlp_example {
	const char *text;        /* normalised text */
	size_t len;
	const char *lang;        /* "en", "de", or NULL: detected */
	uint8_t label;           /* enum post_sentiment */
};

struct nlp_train_opts {
	int epochs;              /* passes over the data; 0: the default */
	double l2;               /* L2 regularisation; 0: the default; <0: none */
	unsigned bits;           /* feature hash bits (2^bits weights per class); 0: default */
	uint64_t seed;           /* shuffling */
};

/* Fit a model on ex[0..n) with m's lexicon rules as a feature.  Returns 0
 * and sets *out, or HORCH_EINVAL (no examples, or only one class). */
int nlp_model_train(struct nlp_model **out, const struct nlp *m, const struct nlp_example *ex,
		    size_t n, const struct nlp_train_opts *opts, struct horch_err *err);
/* Save to / load from a file.  Return 0, or HORCH_EIO / HORCH_EPARSE with
 * err naming the file and what is wrong with it. */
int nlp_model_save(const struct nlp_model *model, const char *path, struct horch_err *err);
int nlp_model_load(struct nlp_model **out, const char *path, struct horch_err *err);
void nlp_model_free(struct nlp_model *model);  /* NULL-safe */
/* Predict with model (not the one m was loaded with, if any). */
void nlp_model_predict(const struct nlp_model *model, const struct nlp *m, struct nlp_work *w,
		       const char *text, size_t len, const struct tokens *tk, const char *lang,
		       struct nlp_sentiment *out);

/* ---- spam ---- */

#define NLP_SPAM_THRESHOLD 0.5f  /* spam >= this: is_spam */

/* The spam score 0..1 of p from its text tokenised as tk (p->text must be
 * that text; the title, author and counts are not used; m may be NULL).
 * Any thread. */
float nlp_spam(const struct nlp *m, const struct post *p, const struct tokens *tk);

/* ---- near-duplicates ---- */

/* The 64-bit near-duplicate fingerprint of the set of words of tk (folded
 * words, numbers, hashtags, cashtags; URLs, mentions, emoji and "RT @x:"
 * left out): one-bit minwise hashes, so that near word sets have near
 * fingerprints (docs/internals/nlp-spam.md); 0 when there are no words. */
uint64_t nlp_simhash(const struct tokens *tk);

/* Recent posts' fingerprints, to find the earlier post a new one nearly
 * repeats.  Bounded: it remembers the last `capacity` posts.  One thread. */
struct simhash_index;

#define SIMHASH_MAX_DISTANCE 3   /* at most this many differing bits: a near-duplicate */

struct simhash_index *simhash_index_new(size_t capacity);
void simhash_index_free(struct simhash_index *ix);   /* NULL-safe */
/* The id of a remembered post within SIMHASH_MAX_DISTANCE bits of h (the
 * first of its cluster: a post that was itself a duplicate points to the
 * same original), or 0; then remember h as post id with that original.
 * h 0 is never a duplicate and is not remembered. */
int64_t simhash_index_put(struct simhash_index *ix, uint64_t h, int64_t id);

/* ---- entities, intent, reach and priority ---- */

/* Check that the catalogue can take product p (its name and each alias has
 * a word, at most 32 of them, within the size caps), as nlp_new() will
 * when loading it.  Returns 0, or HORCH_EINVAL / HORCH_ETOOBIG with err
 * saying which spelling is at fault. */
int nlp_product_check(const struct nlp_product *p, struct horch_err *err);

/* Append p's hashtags, mentions, cashtags, URL hosts and catalogue products
 * (found in the title and the text, tokenised as title_tk and tk;
 * title_tk may be NULL when there is no title) to p's entities. */
void nlp_entities(const struct nlp *m, struct nlp_work *w, struct post *p,
		  const struct tokens *title_tk, const struct tokens *tk);

/* The intent of text[0..len) tokenised as tk in lang, with its sentiment
 * already scored (enum post_intent). */
int nlp_intent(const struct nlp *m, const char *text, size_t len, const struct tokens *tk,
	       const char *lang, const struct nlp_sentiment *s);

/* The author's reach 0..10 from followers, verified and engagement. */
float nlp_reach(const struct post *p);
/* The queue priority 0..100 from sentiment, intent, reach and velocity
 * (docs/accuracy.md has the formula); p's derived fields must be set. */
float nlp_priority(const struct post *p);

#endif
