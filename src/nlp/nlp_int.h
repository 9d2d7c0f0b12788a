/* nlp_int.h - what the files of src/nlp share and nobody else sees.
 *
 * struct nlp holds the read-only models, one member per enricher; each
 * enricher's file defines its own model type and loads it in its
 * nlp__*_load() function, called by nlp_new() in nlp.c.  struct nlp_work
 * holds per-thread scratch, one member per enricher that needs any, made
 * on first use by that enricher and freed by its nlp__*_work_free(). */
#ifndef HORCH_NLP_INT_H
#define HORCH_NLP_INT_H

#include <stdint.h>
#include <string.h>

#include "nlp.h"

struct sent_lexicons;   /* sentiment.c: the lexicons and rules of each language */
struct product_dict;    /* entities.c: the product catalogue, compiled */
struct intent_rules;    /* intent.c: the cue phrases of each language, compiled */
struct sent_work;       /* sentiment.c */
struct model_work;      /* model.c */

struct nlp {
	struct sent_lexicons *sent;   /* the sentiment lexicons */
	struct nlp_model *model;      /* the trained sentiment model, or NULL */
	struct product_dict *products;/* the product catalogue, or NULL when empty */
	struct intent_rules *intent;  /* the intent cues (nlp__intent_load()) */
	int vader_only;               /* nlp_opts.vader_only */
};

/* What nlp_analyse_batch() keeps of one post between its passes. */
struct nlp_slot {
	struct tokens tk;             /* the text's tokens */
	struct tokens title_tk;       /* the title's tokens */
	const char *text;             /* what is judged: the text, or a lone title */
	size_t len;
	const struct tokens *judged;  /* its tokens */
	size_t title_len;
	struct nlp_sentiment s;       /* its sentiment */
	int skip;                     /* 1: too long to tokenise, left unanalysed */
};

struct nlp_work {
	struct nlp_slot slot[NLP_BATCH_MAX]; /* nlp_analyse_batch()'s posts */
	struct sent_work *sent;       /* sentiment.c's scratch, or NULL */
	struct model_work *model;     /* model.c's scratch, or NULL */
};

/* sentiment.c: load the lexicons compiled into the binary into m->sent. */
int nlp__sentiment_load(struct nlp *m, struct horch_err *err);
void nlp__sentiment_free(struct sent_lexicons *s);
void nlp__sent_work_free(struct sent_work *sw);

/* entities.c: compile the catalogue into m->products (NULL when n is 0). */
int nlp__products_load(struct nlp *m, const struct nlp_product *p, size_t n,
		       struct horch_err *err);
void nlp__products_free(struct product_dict *d);

/* intent.c: compile the cue phrases built into the binary into m->intent.
 * Returns 0 (the phrases are fixed; HORCH_EINVAL only for a broken build). */
int nlp__intent_load(struct nlp *m, struct horch_err *err);
void nlp__intent_free(struct intent_rules *r);

/* model.c */
void nlp__model_work_free(struct model_work *mw);
/* Parse the model file image data[0..len) read from name (for messages).
 * Returns 0 and sets *out (free with nlp_model_free()), or HORCH_EPARSE
 * saying what is wrong.  nlp_model_load() reads the file and calls it; the
 * fuzz target calls it directly. */
int nlp__model_parse(struct nlp_model **out, const void *data, size_t len, const char *name,
		     struct horch_err *err);
/* The CRC-32 (IEEE) of data[0..len), the model file's checksum. */
uint32_t nlp__model_crc32(const void *data, size_t len);

/* The hash of a word's fold s[0..len): eight bytes at a time, multiplied
 * and mixed (words are short; a byte-at-a-time hash was a tenth of the time
 * of a post).  Never 0, so that 0 can mark a free slot of a hash table: the
 * product catalogue's (entities.c) and the intent cues' (intent.c). */
static inline uint32_t nlp__word_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, v = 0;
	uint32_t lo, hi;

	while (len > 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		len -= 8;
	}
	/* The last 1..8 bytes as two loads that may overlap (the length is
	 * in h already, so overlaps do not collide). */
	if (len >= 4) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + len - 4, 4);
		v = (uint64_t)lo | (uint64_t)hi << 32;
	} else if (len > 0) {
		v = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[len / 2] << 8 |
		    (uint64_t)(unsigned char)s[len - 1] << 16;
	}
	h = (h ^ v) * 0xff51afd7ed558ccdull;
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 32;
	return (uint32_t)h ? (uint32_t)h : 1;
}

#endif
