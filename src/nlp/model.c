/* model.c - the trained sentiment model of `horch train sentiment`: a
 * three-class (negative, neutral, positive) logistic regression over hashed
 * features of a text, fitted on a company's own labelled posts.
 *
 * The features of a text, all taken from the tokens of text_tokenise():
 *   - word features: the folded form of every word, hashtag, mention,
 *     cashtag, emoji and short punctuation run (numbers and URLs each as one
 *     placeholder); a word inside the scope of a negation ("not", "never",
 *     "nicht", "kein", a word ending in n't) up to the next punctuation is a
 *     different feature from the same word outside it; and the bigram of
 *     every two neighbouring terms of one sentence;
 *   - character features: the 3-, 4- and 5-byte n-grams of each folded word
 *     with a start and an end mark ("^good$"), which let the model see
 *     through misspellings, elongations and German compounds;
 *   - dense features: the lexicon rules' score of the text
 *     (nlp_sentiment_rules()), its positive and its negative part.
 * Each feature is hashed (FNV-1a, then a 64-bit finaliser) into one of
 * 2^bits slots; a slot holds one weight per class.  The word features of a
 * text each count 1/sqrt(number of word features), the character features
 * 0.4/sqrt(number of character features), so that long and short texts
 * weigh alike and the many character n-grams do not drown the words.
 *
 * Training is AdaGrad on the cross-entropy with L2 regularisation, over
 * examples shuffled by a fixed seed: the same examples and options give the
 * same weights, bit for bit.  Classes are weighted by the inverse square
 * root of their frequency, so that a rare class (positive airline tweets)
 * is not drowned by the common one.
 *
 * The model file, all integers and floats little-endian:
 *   0   8  magic "HORCHSM\n"
 *   8   4  format version (1)
 *   12  4  hash bits (4..24)
 *   16  4  number of classes (3)
 *   20  4  number of dense features (3)
 *   24  48 the class names, 16 bytes each, NUL-padded: negative, neutral, positive
 *   72  12 training examples per class
 *   84  ..  weights, float32: the bias of each class, then each dense feature's
 *           weight per class, then each slot's weight per class
 *   end 4  CRC-32 (IEEE) of every byte before it
 * The loader checks every field, the exact size, the checksum and that
 * every weight is a finite number within +-1e6, and names what is wrong.
 *
 * A model is read-only once trained or loaded: any number of threads may
 * predict with it, each with its own struct nlp_work. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nlp_int.h"
#include "../core/alloc.h"

_Static_assert(sizeof(float) == 4, "the model file stores IEEE-754 single floats");

#define N_CLASS 3               /* negative, neutral, positive */
#define N_DENSE 3               /* rules score, its positive part, its negative part */
#define BITS_MIN 4
#define BITS_MAX 24
#define BITS_DEFAULT 18
#define EPOCHS_DEFAULT 8
#define EPOCHS_MAX 1000
#define L2_DEFAULT 1e-6
#define LEARNING_RATE 0.1       /* AdaGrad's step size */
/* The character features of a text weigh this much beside its word
 * features (both groups normalised to unit length first).  Measured by
 * 5-fold cross-validation on English and German tweets: 0.3-0.6 did
 * better than 0 (words alone) or 1 on each set. */
#define CHAR_WEIGHT 0.4f

/* At most this many features of each group per text: the rest of a very
 * long text is not looked at, which keeps a text of TEXT_MAX bytes from
 * costing memory in proportion to its length. */
#define MAX_FEATURES (1u << 16)
/* Character n-grams are taken from at most this many bytes of a word. */
#define CHAR_WORD_MAX 32
/* A prediction whose most probable class has less than this probability
 * needs a person's review. */
#define REVIEW_CONF 0.55f
/* A text that is this likely positive and negative at once is mixed and
 * needs a person's review too, however sure the model is of its label. */
#define REVIEW_MIXED 0.2f

/* No trained weight comes near this (AdaGrad moves one by at most the step
 * size per example); the loader refuses larger ones, so that the class
 * scores of any text stay finite and the probabilities are numbers. */
#define WEIGHT_MAX 1e6f

#define FILE_MAGIC "HORCHSM\n"
#define FILE_VERSION 1u
#define NAME_LEN 16
#define HEADER_LEN 84u

static const char *const class_names[N_CLASS] = { "negative", "neutral", "positive" };

struct nlp_model {
	unsigned bits;                    /* 2^bits hashed slots */
	uint32_t n_examples[N_CLASS];     /* training examples of each class */
	float bias[N_CLASS];              /* the bias of each class */
	float dense[N_DENSE * N_CLASS];   /* dense feature j, class c: [j * N_CLASS + c] */
	float *w;                         /* slot i, class c: w[i * N_CLASS + c] */
};

struct model_work {
	uint32_t *word;       /* the slots of the word features of one text */
	uint32_t *chars;      /* the slots of its character features */
	size_t n_word, n_char;
	size_t cap_word, cap_char;
};

void nlp__model_work_free(struct model_work *mw)
{
	if (!mw)
		return;
	free(mw->word);
	free(mw->chars);
	free(mw);
}

/* ---- features ---- */

/* Seeds that keep the kinds of feature apart in the hash space. */
enum {
	SEED_WORD = 1,
	SEED_NEG,
	SEED_HASHTAG,
	SEED_MENTION,
	SEED_CASHTAG,
	SEED_EMOJI,
	SEED_PUNCT,
	SEED_BIGRAM,
	SEED_CHAR,
};

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* MurmurHash3's 64-bit finaliser: every input bit moves every output bit,
 * so the top bits make a good slot. */
static uint64_t fmix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static uint32_t slot_of(uint64_t h, unsigned bits)
{
	return (uint32_t)(fmix64(h) >> (64 - bits));
}

static uint64_t seeded(unsigned seed)
{
	return (FNV_OFFSET ^ seed) * FNV_PRIME;
}

static inline void push(uint32_t **v, size_t *n, size_t *cap, uint32_t slot)
{
	if (*n >= MAX_FEATURES)
		return;
	if (*n == *cap)
		*v = horch_xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = slot;
}

/* Is the folded word s[0..len) a negation that reverses the words after
 * it?  English and German; written without the apostrophe too, as social
 * text often is. */
static int is_negation(const char *s, size_t len)
{
#define W(x) { x, sizeof x - 1 }
	static const struct { const char *s; size_t len; } words[] = {
		W("not"), W("no"), W("never"), W("cannot"), W("nothing"), W("nobody"),
		W("none"), W("nor"), W("neither"), W("without"), W("nowhere"), W("dont"),
		W("cant"), W("wont"), W("didnt"), W("doesnt"), W("isnt"), W("wasnt"),
		W("arent"), W("werent"), W("couldnt"), W("wouldnt"), W("shouldnt"),
		W("havent"), W("hasnt"), W("hadnt"), W("aint"),
		W("nicht"), W("kein"), W("keine"), W("keinen"), W("keinem"), W("keiner"),
		W("keines"), W("nie"), W("niemals"), W("nichts"), W("niemand"), W("ohne"),
		W("weder"),
	};
#undef W
	size_t i;

	if (len >= 3 && memcmp(s + len - 3, "n't", 3) == 0)
		return 1;
	if (len < 2 || len > 8)
		return 0;
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (words[i].len == len && words[i].s[0] == s[0] &&
		    memcmp(words[i].s, s, len) == 0)
			return 1;
	return 0;
}

/* Does the punctuation token s[0..len) end a negation's scope? */
static int ends_scope(const char *s, size_t len)
{
	return len > 0 && strchr(".,;:!?", s[0]) != NULL;
}

/* The character n-grams of the folded word s[0..len). */
static void char_ngrams(struct model_work *mw, unsigned bits, const char *s, size_t len)
{
	char b[CHAR_WORD_MAX + 2];
	size_t n, i, j;

	if (len > CHAR_WORD_MAX)
		len = CHAR_WORD_MAX;
	b[0] = '^';
	memcpy(b + 1, s, len);
	b[len + 1] = '$';
	n = len + 2;
	for (i = 0; i + 3 <= n; i++) {
		uint64_t h = seeded(SEED_CHAR);

		for (j = 0; j < 5 && i + j < n; j++) {
			h ^= (unsigned char)b[i + j];
			h *= FNV_PRIME;
			if (j >= 2)
				push(&mw->chars, &mw->n_char, &mw->cap_char, slot_of(h, bits));
		}
	}
}

/* Fill mw with the slots of the features of the text tokenised as tk. */
static void extract(struct model_work *mw, unsigned bits, const struct tokens *tk)
{
	const char *fold = tk->fold.ptr ? tk->fold.ptr : "";
	uint64_t prev = 0;        /* the previous term's hash */
	uint32_t sentence = 0;
	int negated = 0, have_prev = 0;
	size_t i;

	mw->n_word = 0;
	mw->n_char = 0;
	for (i = 0; i < tk->n && mw->n_word < MAX_FEATURES; i++) {
		const struct token *t = &tk->v[i];
		const char *s = fold + t->fold_off;
		size_t len = t->fold_len;
		uint64_t h;

		if (t->sentence != sentence) {
			sentence = t->sentence;
			have_prev = 0;
			negated = 0;
		}
		switch (t->kind) {
		case TOKEN_WORD:
			h = fnv(seeded(negated ? SEED_NEG : SEED_WORD), s, len);
			char_ngrams(mw, bits, s, len);
			if (is_negation(s, len))
				negated = 1;
			break;
		case TOKEN_NUMBER:
			h = fnv(seeded(SEED_WORD), "<num>", 5);
			break;
		case TOKEN_HASHTAG:
			h = fnv(seeded(SEED_HASHTAG), s, len);
			char_ngrams(mw, bits, s, len);
			break;
		case TOKEN_MENTION:
			h = fnv(seeded(SEED_MENTION), s, len);
			break;
		case TOKEN_CASHTAG:
			h = fnv(seeded(SEED_CASHTAG), s, len);
			break;
		case TOKEN_URL:
			h = fnv(seeded(SEED_WORD), "<url>", 5);
			break;
		case TOKEN_EMOJI:
			h = fnv(seeded(SEED_EMOJI), s, len);
			break;
		default:
			/* A run of one punctuation character counts as at most
			 * three of it: "!!!" and "!!!!!!" are one feature. */
			if (ends_scope(s, len))
				negated = 0;
			h = fnv(seeded(SEED_PUNCT), s, len < 3 ? len : 3);
			break;
		}
		push(&mw->word, &mw->n_word, &mw->cap_word, slot_of(h, bits));
		if (have_prev)
			push(&mw->word, &mw->n_word, &mw->cap_word,
			     slot_of(prev * FNV_PRIME ^ fmix64(h ^ seeded(SEED_BIGRAM)), bits));
		prev = h;
		have_prev = 1;
	}
}

static struct model_work *work_of(struct nlp_work *w)
{
	if (!w->model)
		w->model = horch_xcalloc(1, sizeof *w->model);
	return w->model;
}

/* The dense features of a rules score r. */
static void dense_of(float r, float d[N_DENSE])
{
	if (!(r >= -1.0f))      /* also NaN */
		r = r > 1.0f ? 1.0f : -1.0f;
	if (r > 1.0f)
		r = 1.0f;
	d[0] = r;
	d[1] = r > 0 ? r : 0;
	d[2] = r < 0 ? -r : 0;
}

static float inv_sqrt_count(size_t n)
{
	return n ? 1.0f / sqrtf((float)n) : 0.0f;
}

/* The class scores (logits) of a text with the given features. */
static void scores(const struct nlp_model *model, const uint32_t *word, size_t n_word,
		   const uint32_t *chars, size_t n_char, const float d[N_DENSE],
		   float z[N_CLASS])
{
	float sw[N_CLASS] = { 0 }, sc[N_CLASS] = { 0 };
	float kw = inv_sqrt_count(n_word), kc = CHAR_WEIGHT * inv_sqrt_count(n_char);
	size_t i, j;
	int c;

	for (i = 0; i < n_word; i++) {
		const float *wt = model->w + (size_t)word[i] * N_CLASS;

		sw[0] += wt[0];
		sw[1] += wt[1];
		sw[2] += wt[2];
	}
	for (i = 0; i < n_char; i++) {
		const float *wt = model->w + (size_t)chars[i] * N_CLASS;

		sc[0] += wt[0];
		sc[1] += wt[1];
		sc[2] += wt[2];
	}
	for (c = 0; c < N_CLASS; c++) {
		z[c] = model->bias[c] + kw * sw[c] + kc * sc[c];
		for (j = 0; j < N_DENSE; j++)
			z[c] += d[j] * model->dense[j * N_CLASS + c];
	}
}

/* Turn logits z into probabilities p (softmax, overflow-safe). */
static void softmax(const float z[N_CLASS], float p[N_CLASS])
{
	float mx = z[0], sum = 0;
	int c;

	for (c = 1; c < N_CLASS; c++)
		if (z[c] > mx)
			mx = z[c];
	for (c = 0; c < N_CLASS; c++) {
		p[c] = expf(z[c] - mx);
		sum += p[c];
	}
	for (c = 0; c < N_CLASS; c++)
		p[c] /= sum;
}

void nlp_model_predict(const struct nlp_model *model, const struct nlp *m, struct nlp_work *w,
		       const char *text, size_t len, const struct tokens *tk, const char *lang,
		       struct nlp_sentiment *out)
{
	struct model_work *mw = work_of(w);
	float d[N_DENSE], z[N_CLASS], p[N_CLASS];
	int c, best = 0;

	dense_of(m ? nlp_sentiment_rules(m, w, text, len, tk, lang) : 0.0f, d);
	extract(mw, model->bits, tk);
	scores(model, mw->word, mw->n_word, mw->chars, mw->n_char, d, z);
	softmax(z, p);
	for (c = 1; c < N_CLASS; c++)
		if (p[c] > p[best])
			best = c;
	out->score = p[2] - p[0];
	out->label = (uint8_t)(POST_SENT_NEGATIVE + best);
	out->conf = p[best];
	out->needs_review = p[best] < REVIEW_CONF || (p[0] > REVIEW_MIXED && p[2] > REVIEW_MIXED);
}

/* ---- training ---- */

/* splitmix64: a small generator whose whole state is one number, so that a
 * seed gives the same shuffles on every machine. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The examples' features, computed once and reused by every epoch. */
struct train_set {
	uint32_t *slots;      /* every example's word slots, then its character slots */
	size_t n_slots, cap_slots;
	size_t *start;        /* example i: slots[start[i] .. start[i] + n_word[i] + n_char[i]) */
	uint32_t *n_word, *n_char;
	float *dense;         /* example i: dense[i * N_DENSE ...] */
	uint8_t *label;       /* 0..N_CLASS-1 */
};

static void train_set_cleanup(struct train_set *ts)
{
	free(ts->slots);
	free(ts->start);
	free(ts->n_word);
	free(ts->n_char);
	free(ts->dense);
	free(ts->label);
}

/* Compute the features of ex[0..n) into ts.  Returns 0 or HORCH_EINVAL
 * naming the example at fault. */
static int featurise(struct train_set *ts, const struct nlp *m, struct nlp_work *w,
		     unsigned bits, const struct nlp_example *ex, size_t n,
		     struct horch_err *err)
{
	struct model_work *mw = work_of(w);
	struct tokens tk;
	size_t i;
	int rc = 0;

	tokens_init(&tk);
	ts->start = horch_xcalloc(n, sizeof *ts->start);
	ts->n_word = horch_xcalloc(n, sizeof *ts->n_word);
	ts->n_char = horch_xcalloc(n, sizeof *ts->n_char);
	ts->dense = horch_xcalloc(n * N_DENSE, sizeof *ts->dense);
	ts->label = horch_xcalloc(n, sizeof *ts->label);
	for (i = 0; i < n; i++) {
		const char *text = ex[i].text ? ex[i].text : "";
		struct nlp_lang detected;
		const char *lang = ex[i].lang;

		if (text_tokenise(&tk, text, ex[i].len) != 0) {
			rc = horch_err_set(err, HORCH_EINVAL,
					   "example %zu: text of %zu bytes is longer than %u",
					   i + 1, ex[i].len, TEXT_MAX);
			goto out;
		}
		if (!lang) {
			nlp_lang_detect(text, ex[i].len, &detected);
			lang = detected.code;
		}
		dense_of(m ? nlp_sentiment_rules(m, w, text, ex[i].len, &tk, lang) : 0.0f,
			 ts->dense + i * N_DENSE);
		extract(mw, bits, &tk);
		ts->start[i] = ts->n_slots;
		ts->n_word[i] = (uint32_t)mw->n_word;
		ts->n_char[i] = (uint32_t)mw->n_char;
		ts->slots = horch_xgrow(ts->slots, &ts->cap_slots,
					ts->n_slots + mw->n_word + mw->n_char, sizeof *ts->slots);
		memcpy(ts->slots + ts->n_slots, mw->word, mw->n_word * sizeof *mw->word);
		ts->n_slots += mw->n_word;
		memcpy(ts->slots + ts->n_slots, mw->chars, mw->n_char * sizeof *mw->chars);
		ts->n_slots += mw->n_char;
		ts->label[i] = (uint8_t)(ex[i].label - POST_SENT_NEGATIVE);
	}
out:
	tokens_cleanup(&tk);
	return rc;
}

/* One AdaGrad step on weight *x with gradient g and accumulator *acc. */
static inline void step(float *x, float *acc, float g)
{
	*acc += g * g;
	*x -= (float)LEARNING_RATE * g / sqrtf(*acc + 1e-8f);
}

/* One epoch of AdaGrad over ts in the order order[0..n). */
static void epoch(struct nlp_model *model, float *acc, float *acc_small,
		  const struct train_set *ts, const size_t *order, size_t n,
		  const float class_weight[N_CLASS], float l2)
{
	size_t k, i, j;
	int c;

	for (k = 0; k < n; k++) {
		size_t e = order[k];
		const uint32_t *word = ts->slots + ts->start[e];
		const uint32_t *chars = word + ts->n_word[e];
		const float *d = ts->dense + e * N_DENSE;
		float z[N_CLASS], p[N_CLASS], g[N_CLASS];
		float kw = inv_sqrt_count(ts->n_word[e]);
		float kc = CHAR_WEIGHT * inv_sqrt_count(ts->n_char[e]);

		scores(model, word, ts->n_word[e], chars, ts->n_char[e], d, z);
		softmax(z, p);
		for (c = 0; c < N_CLASS; c++)
			g[c] = (p[c] - (c == ts->label[e])) * class_weight[ts->label[e]];
		for (c = 0; c < N_CLASS; c++) {
			step(&model->bias[c], &acc_small[c], g[c]);
			for (j = 0; j < N_DENSE; j++)
				step(&model->dense[j * N_CLASS + c],
				     &acc_small[N_CLASS + j * N_CLASS + c],
				     g[c] * d[j] + l2 * model->dense[j * N_CLASS + c]);
		}
		for (i = 0; i < ts->n_word[e] + ts->n_char[e]; i++) {
			size_t base = (size_t)word[i] * N_CLASS;
			float v = i < ts->n_word[e] ? kw : kc;

			for (c = 0; c < N_CLASS; c++)
				step(&model->w[base + c], &acc[base + c],
				     g[c] * v + l2 * model->w[base + c]);
		}
	}
}

int nlp_model_train(struct nlp_model **out, const struct nlp *m, const struct nlp_example *ex,
		    size_t n, const struct nlp_train_opts *opts, struct horch_err *err)
{
	struct nlp_train_opts o = { 0 };
	struct nlp_model *model = NULL;
	struct nlp_work *w = NULL;
	struct train_set ts = { 0 };
	float *acc = NULL, acc_small[N_CLASS * (N_DENSE + 1)] = { 0 };
	float class_weight[N_CLASS];
	size_t *order = NULL, i, n_slot;
	uint32_t count[N_CLASS] = { 0 };
	uint64_t rng;
	int rc = 0, c, n_present = 0;

	if (opts)
		o = *opts;
	if (o.epochs == 0)
		o.epochs = EPOCHS_DEFAULT;
	if (o.bits == 0)
		o.bits = BITS_DEFAULT;
	if (o.l2 == 0)
		o.l2 = L2_DEFAULT;
	if (o.l2 < 0)
		o.l2 = 0;
	if (o.epochs < 0 || o.epochs > EPOCHS_MAX)
		return horch_err_set(err, HORCH_EINVAL, "epochs %d not in 1..%d", o.epochs,
				     EPOCHS_MAX);
	if (o.bits < BITS_MIN || o.bits > BITS_MAX)
		return horch_err_set(err, HORCH_EINVAL, "hash bits %u not in %d..%d", o.bits,
				     BITS_MIN, BITS_MAX);
	if (n == 0)
		return horch_err_set(err, HORCH_EINVAL, "no examples to train on");
	if (n > UINT32_MAX)
		return horch_err_set(err, HORCH_EINVAL, "%zu examples, more than %u", n,
				     UINT32_MAX);
	for (i = 0; i < n; i++) {
		if (ex[i].label < POST_SENT_NEGATIVE || ex[i].label > POST_SENT_POSITIVE)
			return horch_err_set(err, HORCH_EINVAL,
					     "example %zu has no sentiment label", i + 1);
		count[ex[i].label - POST_SENT_NEGATIVE]++;
	}
	for (c = 0; c < N_CLASS; c++)
		n_present += count[c] > 0;
	if (n_present < 2)
		return horch_err_set(err, HORCH_EINVAL,
				     "all %zu examples are %s: a model needs two classes at least",
				     n, class_names[ex[0].label - POST_SENT_NEGATIVE]);

	w = nlp_work_new();
	rc = featurise(&ts, m, w, o.bits, ex, n, err);
	if (rc)
		goto out;

	/* Weight each class by 1/sqrt(its share): between no weighting and
	 * full balancing, which over-predicts the rare classes. */
	for (c = 0; c < N_CLASS; c++)
		class_weight[c] = count[c] ? (float)sqrt((double)n / (N_CLASS * (double)count[c]))
					   : 0.0f;

	model = horch_xcalloc(1, sizeof *model);
	model->bits = o.bits;
	memcpy(model->n_examples, count, sizeof count);
	n_slot = (size_t)1 << o.bits;
	model->w = horch_xcalloc(n_slot * N_CLASS, sizeof *model->w);
	acc = horch_xcalloc(n_slot * N_CLASS, sizeof *acc);
	order = horch_xmalloc(n * sizeof *order);
	for (i = 0; i < n; i++)
		order[i] = i;
	rng = o.seed;
	for (c = 0; c < o.epochs; c++) {
		for (i = n - 1; i > 0; i--) {
			size_t j = (size_t)(next_random(&rng) % (i + 1)), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		epoch(model, acc, acc_small, &ts, order, n, class_weight, (float)o.l2);
	}
	*out = model;
	model = NULL;
out:
	nlp_model_free(model);
	nlp_work_free(w);
	train_set_cleanup(&ts);
	free(acc);
	free(order);
	return rc;
}

void nlp_model_free(struct nlp_model *model)
{
	if (!model)
		return;
	free(model->w);
	free(model);
}

/* ---- the file ---- */

/* CRC-32 (IEEE 802.3, reflected, the zlib one) four bits at a time: a
 * table of 16 constants instead of 256 computed on first use, which would
 * be a data race between threads loading models at once. */
uint32_t nlp__model_crc32(const void *data, size_t len)
{
	static const uint32_t table[16] = {
		0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
		0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
		0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
		0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
	};
	const unsigned char *p = data;
	uint32_t crc = 0xffffffffu;
	size_t i;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		crc = table[crc & 0x0f] ^ (crc >> 4);
		crc = table[crc & 0x0f] ^ (crc >> 4);
	}
	return crc ^ 0xffffffffu;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_f32(unsigned char *p, float f)
{
	uint32_t v;

	memcpy(&v, &f, 4);
	put_u32(p, v);
}

static float get_f32(const unsigned char *p)
{
	uint32_t v = get_u32(p);
	float f;

	memcpy(&f, &v, 4);
	return f;
}

/* The number of weights in a model of 2^bits slots. */
static size_t n_weights(unsigned bits)
{
	return N_CLASS * (1 + N_DENSE) + ((size_t)1 << bits) * N_CLASS;
}

static size_t file_size(unsigned bits)
{
	return HEADER_LEN + 4 * n_weights(bits) + 4;
}

int nlp_model_save(const struct nlp_model *model, const char *path, struct horch_err *err)
{
	size_t size = file_size(model->bits), n_slot = (size_t)1 << model->bits, i;
	unsigned char *img = horch_xcalloc(1, size), *p;
	size_t path_len = strlen(path);
	char *tmp = horch_xmalloc(path_len + 8);
	FILE *f = NULL;
	int rc = 0, c, fd;

	memcpy(img, FILE_MAGIC, 8);
	put_u32(img + 8, FILE_VERSION);
	put_u32(img + 12, model->bits);
	put_u32(img + 16, N_CLASS);
	put_u32(img + 20, N_DENSE);
	for (c = 0; c < N_CLASS; c++) {
		memcpy(img + 24 + c * NAME_LEN, class_names[c], strlen(class_names[c]));
		put_u32(img + 72 + 4 * c, model->n_examples[c]);
	}
	p = img + HEADER_LEN;
	for (c = 0; c < N_CLASS; c++, p += 4)
		put_f32(p, model->bias[c]);
	for (i = 0; i < N_DENSE * N_CLASS; i++, p += 4)
		put_f32(p, model->dense[i]);
	for (i = 0; i < n_slot * N_CLASS; i++, p += 4)
		put_f32(p, model->w[i]);
	put_u32(p, nlp__model_crc32(img, size - 4));

	/* Write beside the target under a name of our own (two trainings
	 * writing the same model do not share a temporary file), flush it to
	 * the disk and rename: a reader never sees half a model, a failed
	 * write leaves the old one, and a crash after the rename leaves the
	 * new one whole. */
	memcpy(tmp, path, path_len);
	memcpy(tmp + path_len, ".XXXXXX", 8);
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		rc = horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			remove(tmp);
		}
		tmp[0] = '\0';
		goto out;
	}
	/* mkstemp() makes the file private; a model is as readable as any
	 * file the user writes. */
	(void)fchmod(fd, 0644);
	if (fwrite(img, 1, size, f) != size || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		rc = horch_err_set(err, HORCH_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		rc = horch_err_set(err, HORCH_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0)
		rc = horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno));
out:
	if (f)
		fclose(f);
	if (rc)
		remove(tmp);
	free(tmp);
	free(img);
	return rc;
}

int nlp__model_parse(struct nlp_model **out, const void *data, size_t len, const char *name,
		     struct horch_err *err)
{
	const unsigned char *img = data, *p;
	struct nlp_model *model = NULL;
	uint32_t version, bits, n_class, n_dense, crc;
	size_t want, i, n_slot;
	int rc = 0, c;

	if (len < 8 || memcmp(img, FILE_MAGIC, 8) != 0)
		return horch_err_set(err, HORCH_EPARSE,
				     len < 8 && (len == 0 || memcmp(img, FILE_MAGIC, len) == 0)
				     ? "%s: truncated: %zu bytes, not even the magic"
				     : "%s: bad magic: not a horch sentiment model", name, len);
	if (len < HEADER_LEN)
		return horch_err_set(err, HORCH_EPARSE,
				     "%s: truncated: %zu bytes, the header alone has %u", name,
				     len, HEADER_LEN);
	version = get_u32(img + 8);
	if (version != FILE_VERSION)
		return horch_err_set(err, HORCH_EPARSE,
				     "%s: wrong version %u: this horch reads version %u", name,
				     version, FILE_VERSION);
	bits = get_u32(img + 12);
	if (bits < BITS_MIN || bits > BITS_MAX)
		return horch_err_set(err, HORCH_EPARSE, "%s: hash bits %u not in %d..%d", name,
				     bits, BITS_MIN, BITS_MAX);
	n_class = get_u32(img + 16);
	if (n_class != N_CLASS)
		return horch_err_set(err, HORCH_EPARSE, "%s: %u classes, not %d", name, n_class,
				     N_CLASS);
	n_dense = get_u32(img + 20);
	if (n_dense != N_DENSE)
		return horch_err_set(err, HORCH_EPARSE, "%s: %u dense features, not %d", name,
				     n_dense, N_DENSE);
	for (c = 0; c < N_CLASS; c++) {
		char want_name[NAME_LEN] = { 0 };

		memcpy(want_name, class_names[c], strlen(class_names[c]));
		if (memcmp(img + 24 + c * NAME_LEN, want_name, NAME_LEN) != 0)
			return horch_err_set(err, HORCH_EPARSE, "%s: class %d is not \"%s\"",
					     name, c + 1, class_names[c]);
	}
	want = file_size(bits);
	if (len < want)
		return horch_err_set(err, HORCH_EPARSE,
				     "%s: truncated: %zu bytes where %u hash bits need %zu", name,
				     len, bits, want);
	if (len > want)
		return horch_err_set(err, HORCH_EPARSE,
				     "%s: %zu trailing byte%s after the model", name, len - want,
				     len - want == 1 ? "" : "s");
	crc = nlp__model_crc32(img, len - 4);
	if (crc != get_u32(img + len - 4))
		return horch_err_set(err, HORCH_EPARSE,
				     "%s: bad checksum (%08x, the content gives %08x): the file "
				     "is damaged", name, get_u32(img + len - 4), crc);

	model = horch_xcalloc(1, sizeof *model);
	model->bits = bits;
	n_slot = (size_t)1 << bits;
	model->w = horch_xmalloc(n_slot * N_CLASS * sizeof *model->w);
	for (c = 0; c < N_CLASS; c++)
		model->n_examples[c] = get_u32(img + 72 + 4 * c);
	p = img + HEADER_LEN;
	for (i = 0; i < n_weights(bits); i++, p += 4) {
		float f = get_f32(p);

		if (!isfinite(f)) {
			rc = horch_err_set(err, HORCH_EPARSE, "%s: weight %zu is not a finite "
					   "number", name, i + 1);
			goto out;
		}
		if (f > WEIGHT_MAX || f < -WEIGHT_MAX) {
			rc = horch_err_set(err, HORCH_EPARSE, "%s: weight %zu is %g, out of "
					   "range (at most %g either way)", name, i + 1, (double)f,
					   (double)WEIGHT_MAX);
			goto out;
		}
		if (i < N_CLASS)
			model->bias[i] = f;
		else if (i < N_CLASS * (1 + N_DENSE))
			model->dense[i - N_CLASS] = f;
		else
			model->w[i - N_CLASS * (1 + N_DENSE)] = f;
	}
	*out = model;
	model = NULL;
out:
	nlp_model_free(model);
	return rc;
}

int nlp_model_load(struct nlp_model **out, const char *path, struct horch_err *err)
{
	FILE *f = fopen(path, "rb");
	unsigned char *img = NULL;
	struct stat st;
	size_t size;
	int rc;

	if (!f)
		return horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0) {
		rc = horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = horch_err_set(err, HORCH_EIO, "%s: not a regular file", path);
		goto out;
	}
	/* No model is larger than one of BITS_MAX: a larger file is not
	 * read into memory at all. */
	if ((uintmax_t)st.st_size > file_size(BITS_MAX)) {
		rc = horch_err_set(err, HORCH_EPARSE, "%s: %jd bytes, larger than any model "
				   "(at most %zu)", path, (intmax_t)st.st_size,
				   file_size(BITS_MAX));
		goto out;
	}
	size = (size_t)st.st_size;
	img = horch_xmalloc(size ? size : 1);
	if (fread(img, 1, size, f) != size) {
		rc = ferror(f) ? horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno))
			       : horch_err_set(err, HORCH_EPARSE,
					       "%s: truncated while it was read", path);
		goto out;
	}
	rc = nlp__model_parse(out, img, size, path, err);
out:
	free(img);
	fclose(f);
	return rc;
}
