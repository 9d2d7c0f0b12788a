/* sentiment.c - the sentiment of a post, English and German, by lexicon
 * rules.
 *
 * Two rule sets share the lexicons and the per-post work area:
 *
 *   horch's rules (the default): VADER's English lexicon, GerVADER's German
 *   one, a customer-care lexicon for each language (data/care/), and rules
 *   for negation (scoped to its clause; German "nicht" also after the
 *   word), intensifiers and dampeners, contrast ("but", "aber": the clause
 *   after counts more), ALL-CAPS emphasis, "!", emoticons and emoji,
 *   elongation ("soooo"), German compounds ("Zugverspätung"), questions
 *   (weaker evidence), thanks (weaker beside a complaint) and phrases
 *   ("on hold", "nie wieder");
 *
 *   VADER's own published rules (nlp_opts.vader_only), reimplemented over
 *   horch's tokens: its lexicon, its booster and negation lists, "never
 *   so", "kind of", "least", "but", its idioms, ALL-CAPS, "!" and "?"
 *   amplification and emoji replaced by their descriptions.  This is the
 *   baseline docs/accuracy.md compares horch's rules with.
 *
 * Every post is first turned into items, one per word, emoticon or emoji
 * (the tokens of text_tokenise(); nothing is tokenised again), each with
 * its lexicon entry; the rules then walk the items with a bounded look-back
 * and look-ahead, so the time is linear in the text.  The lexicons are
 * open-addressing hash tables over the lower-case forms (German also as
 * written, where a capital tells a noun from a verb), built once by
 * nlp__sentiment_load() from the files compiled into the binary; a post
 * allocates nothing once the thread's scratch (struct sent_work) is as big
 * as its largest post so far.
 *
 * docs/internals/nlp-sentiment.md describes the rules and their limits. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/alloc.h"
#include "core/embedded.h"
#include "nlp/nlp_int.h"

/* The lexicon files, compiled in by scripts/embed (src/nlp/meson.build), in
 * this order. */
extern const struct embedded_file nlp__sentiment_data[];
extern const size_t nlp__sentiment_data_n;

enum {
	DATA_VADER = 0,   /* data/vader/vader_lexicon.txt */
	DATA_EMOJI,       /* data/vader/emoji_utf8_lexicon.txt */
	DATA_GERVADER,    /* data/gervader/GERVaderLexicon.txt */
	DATA_CARE_EN,     /* data/care/care_en.txt */
	DATA_CARE_DE,     /* data/care/care_de.txt */
	DATA_EMOJI_H,     /* data/care/emoji.txt */
	DATA_N
};

/* VADER's constants (vaderSentiment.py). */
#define B_INCR 0.293f      /* a booster's increase of the valence */
#define B_DECR (-0.293f)   /* a dampener's */
#define C_INCR 0.733f      /* an ALL-CAPS word among others that are not */
#define N_SCALAR (-0.74f)  /* a negated word's valence factor */
#define VADER_ALPHA 15.0f  /* compound = sum / sqrt(sum^2 + alpha) */

/* horch's constants, chosen by measurement on the development sets
 * (docs/internals/nlp-sentiment.md).  The neutral band: a score of at
 * least POS is positive, at most -NEG negative.  German's is wider: GerVADER rates many more (and weaker) words
 * than VADER, so a German text gathers more incidental valence; in English,
 * any clearly negative word in a post to a company is a complaint. */
#define H_EN_POS 0.35f
#define H_EN_NEG 0.08f
#define H_DE_POS 0.45f
#define H_DE_NEG 0.30f
#define H_OTHER 0.30f      /* other languages: emoji and emoticons only */
#define H_QUESTION 0.4f    /* a question's words count this much */
#define H_THANKS_POLITE 0.25f /* thanks beside negative words or a question */
#define H_ELONG 0.3f       /* an elongated sentiment word ("goooood") */
#define H_WEAK 0.5f        /* weaker words neither take nor block a German "nicht" after them */
#define H_NEG_POS (-1.0f)  /* a negated positive word: as bad as it was good */
#define H_NEG_NEG (-0.5f)  /* a negated negative word: "not bad" is less than "good" */
#define H_MIXED_MIN 1.2f   /* both sides at least this strong: mixed */
#define H_LINK 0.5f        /* the words of a post with a link count half */
#define H_WORDS 20.0f
#define H_LAUGH 1.5f
#define H_ICON 2.0f        /* an emoticon or emoji: the author's own sign, twice a word */       /* "haha", "hehehe", "lool" */      /* longer texts: the sum is divided by sqrt(words / this) */

#define WORD_MAX 64        /* longer words are not looked up (bytes) */
#define PHRASE_MAX 4       /* words in a phrase */
#define SCOPE 3            /* words a negation or booster reaches */

/* lex_entry.flags */
#define E_LEX 0x01         /* has a valence (val) */
#define E_NEG 0x02         /* a negation word */
#define E_BOOST 0x04       /* an intensifier or dampener (scalar) */
#define E_CONTRAST 0x08    /* "but", "aber": the clause after counts more */
#define E_PHRASE 0x10      /* first word of a phrase in the same table */
#define E_THANKS 0x20      /* "thanks", "danke" */
#define E_NEGVAL 0x40      /* negval replaces the negated valence */
#define E_CLAUSE 0x80      /* contrast only after a clause break ("aber") */
#define E_HORCH 0x100      /* emoticon table: horch's, not VADER's */

struct lex_entry {
	uint32_t key_off;   /* the key in lex_table.keys */
	uint32_t key_len;   /* 0: an empty slot */
	uint32_t hash;
	uint16_t flags;     /* E_* */
	float val;          /* the valence, -4..4 (E_LEX) */
	float negval;       /* the valence when negated (E_NEGVAL) */
	float scalar;       /* a booster's increase, negative for a dampener (E_BOOST) */
	uint32_t desc_off;  /* emoji table: the description in sent_lexicons.desc */
	uint32_t desc_len;
};

/* An open-addressing hash table (linear probing, at most three quarters
 * full) over byte-string keys. */
struct lex_table {
	struct lex_entry *slots;
	uint32_t mask;      /* number of slots - 1 (a power of two) */
	uint32_t n;         /* entries */
	char *keys;         /* the keys, back to back */
	size_t keys_len, keys_cap;
};

struct sent_lexicons {
	struct lex_table vader;    /* VADER's lexicon, lists and idioms, as published */
	struct lex_table en;       /* horch's English: VADER + care_en + rule words */
	struct lex_table de;       /* horch's German as written: GerVADER's keys with their
				    * capitals ("Sucht" the noun, not "sucht" the verb),
				    * care_de and rule words */
	struct lex_table de_lower; /* the same, lower case, and the phrases */
	struct lex_table emoticon; /* ":)", ":-(", "<3" ...: VADER's, lower case */
	struct lex_table emoji;    /* emoji -> valence and description */
	char *desc;                /* the emoji descriptions, lower case, back to back */
	size_t desc_len, desc_cap;
};

/* One word, emoticon or emoji of a post. */
struct item {
	const char *w;      /* the lower-case form (not NUL-terminated) */
	uint32_t wlen;
	uint32_t sentence;  /* the token's sentence */
	const struct lex_entry *e; /* its lexicon entry, or NULL */
	float val;          /* its valence (0: none), then the rules' result */
	uint16_t flags;     /* I_* */
};

/* item.flags */
#define I_UPPER 0x01       /* all capitals */
#define I_BREAK 0x02       /* a clause break (punctuation) comes before it */
#define I_ELONG 0x04       /* elongated ("soooo") */
#define I_SKIP 0x08        /* part of a phrase its first word stands for */
#define I_ICON 0x10        /* an emoticon or emoji */
#define I_QUESTION 0x20    /* in a sentence that ends with '?' */
#define I_WORD 0x40        /* a word (counts for ALL-CAPS differential) */
#define I_NOUN 0x80        /* German: a capital inside a sentence */

struct sent_work {
	struct item *items;
	size_t n, cap;
	char *lower;        /* lower-case forms of non-ASCII words */
	size_t lower_len, lower_cap;
	int has_url;        /* the post has a link */
};

/* ---- hash tables ---- */

/* FNV-1a over the bytes from the last to the first: the hashes of all the
 * tails of a word come out of one pass (compound()). */
#define HASH_SEED 2166136261u
#define HASH_STEP(h, c) (((h) ^ (unsigned char)(c)) * 16777619u)

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = HASH_SEED;

	while (len > 0)
		h = HASH_STEP(h, s[--len]);
	return h;
}

static void table_init(struct lex_table *t, uint32_t n_slots)
{
	t->slots = horch_xcalloc(n_slots, sizeof *t->slots);
	t->mask = n_slots - 1;
	t->n = 0;
	t->keys = NULL;
	t->keys_len = t->keys_cap = 0;
}

static void table_cleanup(struct lex_table *t)
{
	free(t->slots);
	free(t->keys);
	memset(t, 0, sizeof *t);
}

/* The entry of key[0..len), whose hash_bytes() is h, in t, or NULL. */
static const struct lex_entry *table_get_h(const struct lex_table *t, const char *key,
					   size_t len, uint32_t h)
{
	uint32_t i;

	if (!t->slots || len == 0 || len > WORD_MAX * PHRASE_MAX)
		return NULL;
	for (i = h & t->mask;; i = (i + 1) & t->mask) {
		const struct lex_entry *e = &t->slots[i];

		if (e->key_len == 0)
			return NULL;
		if (e->hash == h && e->key_len == len && memcmp(t->keys + e->key_off, key, len) == 0)
			return e;
	}
}

/* The entry of key[0..len) in t, or NULL. */
static const struct lex_entry *table_get(const struct lex_table *t, const char *key, size_t len)
{
	if (len == 0 || len > WORD_MAX * PHRASE_MAX)
		return NULL;
	return table_get_h(t, key, len, hash_bytes(key, len));
}

static void table_grow(struct lex_table *t);

/* The entry of key[0..len) in t, added (all fields 0) when absent. */
static struct lex_entry *table_put(struct lex_table *t, const char *key, size_t len)
{
	uint32_t h = hash_bytes(key, len), i;
	struct lex_entry *e;

	if ((t->n + 1) * 4 > (t->mask + 1) * 3)
		table_grow(t);
	for (i = h & t->mask;; i = (i + 1) & t->mask) {
		e = &t->slots[i];
		if (e->key_len == 0)
			break;
		if (e->hash == h && e->key_len == len && memcmp(t->keys + e->key_off, key, len) == 0)
			return e;
	}
	t->keys = horch_xgrow(t->keys, &t->keys_cap, t->keys_len + len, 1);
	memcpy(t->keys + t->keys_len, key, len);
	e->key_off = (uint32_t)t->keys_len;
	e->key_len = (uint32_t)len;
	e->hash = h;
	t->keys_len += len;
	t->n++;
	return e;
}

/* Double the slots of t. */
static void table_grow(struct lex_table *t)
{
	struct lex_entry *old = t->slots;
	uint32_t n_old = t->mask + 1, k;

	t->slots = horch_xcalloc((size_t)n_old * 2, sizeof *t->slots);
	t->mask = n_old * 2 - 1;
	for (k = 0; k < n_old; k++) {
		uint32_t i;

		if (old[k].key_len == 0)
			continue;
		for (i = old[k].hash & t->mask; t->slots[i].key_len; i = (i + 1) & t->mask)
			;
		t->slots[i] = old[k];
	}
	free(old);
}

/* ---- lower case ---- */

/* Append the lower-case form of the valid UTF-8 s[0..len) to *out (grown as
 * needed; *out_len and *out_cap updated).  Invalid bytes are copied as they
 * are.  Returns the offset of the form in *out. */
static size_t lower_append(char **out, size_t *out_len, size_t *out_cap, const char *s, size_t len)
{
	size_t start = *out_len, i = 0;

	/* A lower-case letter takes at most 3 bytes where its capital took 2:
	 * twice the length is always enough. */
	*out = horch_xgrow(*out, out_cap, *out_len + len * 2 + 4, 1);
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);

		if (n <= 0) {
			(*out)[(*out_len)++] = s[i++];
			continue;
		}
		if (cp < 0x80) {
			(*out)[(*out_len)++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		} else {
			*out_len += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
				(utf8proc_uint8_t *)*out + *out_len);
		}
		i += (size_t)n;
	}
	return start;
}

/* ---- loading ---- */

/* A word list of the rules: a word, its flags and its booster scalar. */
struct rule_word {
	const char *w;
	uint16_t flags;
	float scalar;
};

/* VADER's NEGATE list (vaderSentiment.py), as published. */
static const char *const vader_negate[] = {
	"aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
	"ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
	"dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
	"don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
	"neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
	"oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
	"oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
	"without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
};

/* VADER's BOOSTER_DICT, one-word entries ("kind of", "sort of" and "just
 * enough" are handled as VADER does, in vader_idioms()). */
static const char *const vader_boost_up[] = {
	"absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
	"decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
	"exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping",
	"flippin", "frackin", "fracking", "fricking", "frickin", "frigging", "friggin",
	"fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly",
	"hugely", "incredible", "incredibly", "intensely", "major", "majorly", "more", "most",
	"particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
	"thoroughly", "total", "totally", "tremendous", "tremendously", "uber",
	"unbelievably", "unusually", "utter", "utterly", "very",
};
static const char *const vader_boost_down[] = {
	"almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little",
	"marginal", "marginally", "occasional", "occasionally", "partly", "scarce",
	"scarcely", "slight", "slightly", "somewhat", "sorta", "sortof", "sort-of",
};

/* horch's English rule words beside VADER's lists (which it also takes). */
static const struct rule_word en_words[] = {
	{ "no", E_NEG, 0 }, { "nobody", E_NEG, 0 }, { "neither", E_NEG, 0 },
	{ "doesnt", E_NEG, 0 }, { "wont", E_NEG, 0 }, { "dont", E_NEG, 0 },
	{ "didnt", E_NEG, 0 }, { "isnt", E_NEG, 0 }, { "wasnt", E_NEG, 0 },
	{ "couldnt", E_NEG, 0 }, { "cant", E_NEG, 0 }, { "havent", E_NEG, 0 },
	{ "but", E_CONTRAST, 0 }, { "however", E_CONTRAST, 0 },
	{ "nevertheless", E_CONTRAST, 0 }, { "although", 0, 0 },
	{ "super", E_BOOST, B_INCR }, { "pretty", E_BOOST, 0.1f },
	{ "such", E_BOOST, 0.15f }, { "too", E_BOOST, 0.15f }, { "bit", E_BOOST, B_DECR },
	{ "thanks", E_THANKS, 0 }, { "thank", E_THANKS, 0 }, { "thx", E_THANKS, 0 },
	{ "ty", E_THANKS, 0 }, { "thank you", E_THANKS, 0 },
};

/* horch's German rule words. */
static const struct rule_word de_words[] = {
	{ "nicht", E_NEG, 0 }, { "kein", E_NEG, 0 }, { "keine", E_NEG, 0 },
	{ "keinen", E_NEG, 0 }, { "keinem", E_NEG, 0 }, { "keiner", E_NEG, 0 },
	{ "keines", E_NEG, 0 }, { "nie", E_NEG, 0 }, { "niemals", E_NEG, 0 },
	{ "nichts", E_NEG, 0 }, { "ohne", E_NEG, 0 }, { "weder", E_NEG, 0 },
	{ "niemand", E_NEG, 0 }, { "nirgends", E_NEG, 0 }, { "nimmer", E_NEG, 0 },
	{ "nich", E_NEG, 0 }, { "nix", E_NEG, 0 }, { "net", E_NEG, 0 },
	{ "aber", E_CONTRAST | E_CLAUSE, 0 }, { "jedoch", E_CONTRAST, 0 },
	{ "allerdings", E_CONTRAST, 0 }, { "trotzdem", E_CONTRAST, 0 },
	{ "dennoch", E_CONTRAST, 0 }, { "sondern", E_CONTRAST, 0 },
	{ "sehr", E_BOOST, B_INCR }, { "extrem", E_BOOST, B_INCR },
	{ "total", E_BOOST, B_INCR }, { "voll", E_BOOST, B_INCR },
	{ "echt", E_BOOST, B_INCR }, { "wirklich", E_BOOST, B_INCR },
	{ "absolut", E_BOOST, B_INCR }, { "besonders", E_BOOST, B_INCR },
	{ "richtig", E_BOOST, B_INCR }, { "ziemlich", E_BOOST, 0.15f },
	{ "so", E_BOOST, B_INCR }, { "super", E_BOOST, B_INCR }, { "mega", E_BOOST, B_INCR },
	{ "ultra", E_BOOST, B_INCR }, { "äußerst", E_BOOST, B_INCR },
	{ "unglaublich", E_BOOST, B_INCR }, { "höchst", E_BOOST, B_INCR },
	{ "zu", E_BOOST, 0.1f }, { "viel", E_BOOST, 0.15f }, { "mehr", E_BOOST, 0.1f },
	{ "etwas", E_BOOST, B_DECR }, { "bisschen", E_BOOST, B_DECR },
	{ "bißchen", E_BOOST, B_DECR }, { "wenig", E_BOOST, B_DECR },
	{ "kaum", E_BOOST, B_DECR }, { "eher", E_BOOST, B_DECR },
	{ "relativ", E_BOOST, B_DECR }, { "leicht", E_BOOST, B_DECR },
	{ "einigermaßen", E_BOOST, B_DECR }, { "halbwegs", E_BOOST, B_DECR },
	{ "danke", E_THANKS, 0 }, { "dankeschön", E_THANKS, 0 }, { "vielen dank", E_THANKS, 0 },
	{ "danke schön", E_THANKS, 0 },
};

/* German compound heads that carry a valence of their own when the tail
 * does not ("Superservice", "Mistwetter"). */
static const struct { const char *head; float val; } de_heads[] = {
	{ "super", 2.0f }, { "spitzen", 2.0f }, { "traum", 1.8f }, { "top", 1.5f },
	{ "klasse", 1.8f }, { "mist", -1.8f }, { "scheiß", -2.2f }, { "scheiss", -2.2f },
	{ "horror", -2.0f }, { "kack", -2.0f }, { "drecks", -2.0f }, { "sau", -0.8f },
};

/* Parse the valence field s[0..len): a decimal number.  Returns 0 and sets
 * *out, or -1. */
static int parse_val(const char *s, size_t len, float *out)
{
	char tmp[32];
	char *end;
	double v;

	if (len == 0 || len >= sizeof tmp)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	v = strtod(tmp, &end);
	if (end != tmp + len || !(v >= -10.0 && v <= 10.0))
		return -1;
	*out = (float)v;
	return 0;
}

/* Insert the phrase or word key[0..len) (lower case) into t with flags and
 * its first word marked E_PHRASE when it has several.  Returns the entry. */
static struct lex_entry *put_key(struct lex_table *t, const char *key, size_t len)
{
	const char *sp = memchr(key, ' ', len);

	if (sp && sp > key) {
		struct lex_entry *first = table_put(t, key, (size_t)(sp - key));

		first->flags |= E_PHRASE;
	}
	return table_put(t, key, len);
}

/* How load_lexicon() treats a file's entries. */
enum {
	LOAD_VADER = 1,    /* VADER as published: lower-case single words only */
	LOAD_HORCH = 2,    /* lower-cased; an entry already there from a lower-case key wins */
	LOAD_EXACT = 4,    /* keys as written; phrases left out */
	LOAD_OVERRIDE = 8, /* the care lexicons: with an optional negated valence; with
			    * LOAD_EXACT as written, else lower-cased */
};

/* The next line of the text [*cur, end) into [*line, *eol), without its
 * line end (LF or CR LF); advances *cur past it.  Returns 0 at the end. */
static int next_line(const char **cur, const char *end, const char **line, const char **eol)
{
	const char *nl;

	if (*cur >= end)
		return 0;
	nl = memchr(*cur, '\n', (size_t)(end - *cur));
	*line = *cur;
	*eol = nl ? nl : end;
	if (*eol > *line && (*eol)[-1] == '\r')
		(*eol)--;
	*cur = nl ? nl + 1 : end;
	return 1;
}

/* Load the TSV lexicon f (key, valence[, ...]) into t.  Returns 0, or
 * HORCH_EPARSE with err naming the file and line. */
static int load_lexicon(struct lex_table *t, const struct embedded_file *f, int how,
			struct horch_err *err)
{
	const char *cur = f->data, *end = f->data + f->len, *p, *eol;
	char *low = NULL;
	size_t low_cap = 0;
	long line = 0;
	int rc = 0;

	while (next_line(&cur, end, &p, &eol)) {
		const char *tab, *tab2, *vend;
		size_t low_len = 0, off;
		struct lex_entry *e;
		float val, negval = 0;
		int has_neg = 0, upper;

		line++;
		if (eol == p || *p == '#')
			continue;
		tab = memchr(p, '\t', (size_t)(eol - p));
		if (!tab || tab == p) {
			rc = horch_err_at(err, HORCH_EPARSE, line, 1, "%s: no tab after the entry",
					  f->name);
			goto out;
		}
		tab2 = memchr(tab + 1, '\t', (size_t)(eol - tab - 1));
		vend = tab2 ? tab2 : eol;
		if (parse_val(tab + 1, (size_t)(vend - tab - 1), &val) < 0) {
			rc = horch_err_at(err, HORCH_EPARSE, line, (long)(tab - p) + 2,
					  "%s: the valence is not a number", f->name);
			goto out;
		}
		if ((how & LOAD_OVERRIDE) && tab2) {
			if (parse_val(tab2 + 1, (size_t)(eol - tab2 - 1), &negval) < 0) {
				rc = horch_err_at(err, HORCH_EPARSE, line, (long)(tab2 - p) + 2,
						  "%s: the negated valence is not a number", f->name);
				goto out;
			}
			has_neg = 1;
		}
		if ((size_t)(tab - p) > WORD_MAX * PHRASE_MAX)
			continue;
		off = lower_append(&low, &low_len, &low_cap, p, (size_t)(tab - p));
		upper = memcmp(low + off, p, (size_t)(tab - p)) != 0;
		if (how & LOAD_EXACT) {
			if (memchr(p, ' ', (size_t)(tab - p)))
				continue;
			e = table_put(t, p, (size_t)(tab - p));
		} else if (how & LOAD_VADER) {
			/* VADER looks up item.lower(): an entry with a capital or
			 * a space is never found, so it is left out. */
			if (upper || memchr(p, ' ', (size_t)(tab - p)))
				continue;
			e = table_put(t, low + off, low_len - off);
		} else {
			e = put_key(t, low + off, low_len - off);
			if ((how & LOAD_HORCH) && upper && (e->flags & E_LEX))
				continue;
		}
		e->flags |= E_LEX;
		e->val = val;
		if (has_neg) {
			e->flags |= E_NEGVAL;
			e->negval = negval;
		}
	}
out:
	free(low);
	return rc;
}

static void put_rule_words(struct lex_table *t, const struct rule_word *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct lex_entry *e = put_key(t, v[i].w, strlen(v[i].w));

		e->flags |= v[i].flags;
		if (v[i].flags & E_BOOST)
			e->scalar = v[i].scalar;
	}
}

/* VADER's negation and booster lists into t. */
static void put_vader_words(struct lex_table *t)
{
	size_t i;

	for (i = 0; i < sizeof vader_negate / sizeof *vader_negate; i++)
		table_put(t, vader_negate[i], strlen(vader_negate[i]))->flags |= E_NEG;
	for (i = 0; i < sizeof vader_boost_up / sizeof *vader_boost_up; i++) {
		struct lex_entry *e = table_put(t, vader_boost_up[i], strlen(vader_boost_up[i]));

		e->flags |= E_BOOST;
		e->scalar = B_INCR;
	}
	for (i = 0; i < sizeof vader_boost_down / sizeof *vader_boost_down; i++) {
		struct lex_entry *e = table_put(t, vader_boost_down[i],
						strlen(vader_boost_down[i]));

		e->flags |= E_BOOST;
		e->scalar = B_DECR;
	}
}

/* The emoticons of VADER's lexicon (entries that start with neither a
 * letter nor a digit, and "xd", "d:" and the like) into the emoticon
 * table: whatever VADER lists without a letter word in it. */
static void put_emoticons(struct sent_lexicons *s)
{
	const struct lex_table *v = &s->vader;

	for (uint32_t i = 0; i <= v->mask; i++) {
		const struct lex_entry *e = &v->slots[i];
		const char *k = v->keys + e->key_off;
		size_t n_alpha = 0;

		if (e->key_len == 0 || e->key_len > 6 || !(e->flags & E_LEX))
			continue;
		for (uint32_t j = 0; j < e->key_len; j++)
			n_alpha += (k[j] >= 'a' && k[j] <= 'z') || (k[j] >= '0' && k[j] <= '9');
		if (n_alpha * 2 < e->key_len || (e->key_len == 2 && n_alpha == 1)) {
			struct lex_entry *x = table_put(&s->emoticon, k, e->key_len);

			x->flags = E_LEX;
			x->val = e->val;
		}
	}
}

/* The emoji lexicon (emoji TAB description) into s->emoji: each emoji's
 * description lower-cased in s->desc, and as horch's valence the sum of
 * the VADER valences of the description's words, capped at +-3.  Returns
 * 0 or HORCH_EPARSE. */
static int load_emoji(struct sent_lexicons *s, const struct embedded_file *f,
		      struct horch_err *err)
{
	const char *cur = f->data, *end = f->data + f->len, *p, *eol;
	long line = 0;

	while (next_line(&cur, end, &p, &eol)) {
		const char *tab;
		struct lex_entry *e;
		size_t off, j, w0;
		float sum = 0;

		line++;
		if (eol == p)
			continue;
		tab = memchr(p, '\t', (size_t)(eol - p));
		if (!tab || tab == p)
			return horch_err_at(err, HORCH_EPARSE, line, 1, "%s: no tab after the emoji",
					    f->name);
		if (tab - p > 64 || eol - tab > 256)
			continue;
		e = table_put(&s->emoji, p, (size_t)(tab - p));
		off = lower_append(&s->desc, &s->desc_len, &s->desc_cap, tab + 1,
				   (size_t)(eol - tab - 1));
		e->flags = E_LEX;
		e->desc_off = (uint32_t)off;
		e->desc_len = (uint32_t)(s->desc_len - off);
		for (j = w0 = off; j <= s->desc_len; j++) {
			if (j == s->desc_len || s->desc[j] == ' ') {
				const struct lex_entry *w = table_get(&s->vader, s->desc + w0, j - w0);

				if (w && (w->flags & E_LEX))
					sum += w->val;
				w0 = j + 1;
			}
		}
		e->val = sum > 3 ? 3 : sum < -3 ? -3 : sum;
	}
	return 0;
}

/* Words that start a phrase of lower are marked so in exact too, where
 * the German lookup finds them first. */
static void mark_phrase_starts(struct lex_table *exact, const struct lex_table *lower)
{
	for (uint32_t i = 0; i <= lower->mask; i++) {
		const struct lex_entry *e = &lower->slots[i];

		if (e->key_len && (e->flags & E_PHRASE))
			table_put(exact, lower->keys + e->key_off, e->key_len)->flags |= E_PHRASE;
	}
}

/* horch's emoji and emoticon valences (data/care/emoji.txt): an emoji's
 * valence replaces the one from its description; an emoticon VADER lacks
 * is added, marked E_HORCH (the VADER baseline leaves it out).  Returns 0
 * or HORCH_EPARSE. */
static int load_emoji_h(struct sent_lexicons *s, const struct embedded_file *f,
			struct horch_err *err)
{
	const char *cur = f->data, *end = f->data + f->len, *p, *eol;
	long line = 0;

	while (next_line(&cur, end, &p, &eol)) {
		const char *tab;
		struct lex_entry *e;
		float val;
		size_t klen, k;
		int ascii = 1;

		line++;
		if (eol == p || *p == '#')
			continue;
		tab = memchr(p, '\t', (size_t)(eol - p));
		if (!tab || tab == p || tab - p > 32)
			return horch_err_at(err, HORCH_EPARSE, line, 1, "%s: no tab after the emoji",
					    f->name);
		if (parse_val(tab + 1, (size_t)(eol - tab - 1), &val) < 0)
			return horch_err_at(err, HORCH_EPARSE, line, (long)(tab - p) + 2,
					    "%s: the valence is not a number", f->name);
		klen = (size_t)(tab - p);
		for (k = 0; k < klen; k++)
			ascii &= (unsigned char)p[k] < 0x80;
		if (ascii) {
			char low[32];

			for (k = 0; k < klen; k++)
				low[k] = (char)(p[k] >= 'A' && p[k] <= 'Z' ? p[k] + 32 : p[k]);
			e = table_put(&s->emoticon, low, klen);
			if (!(e->flags & E_LEX)) {
				e->flags = E_LEX | E_HORCH;
				e->val = val;
			}
		} else {
			e = table_put(&s->emoji, p, klen);
			e->flags |= E_LEX;
			e->val = val;
		}
	}
	return 0;
}

int nlp__sentiment_load(struct nlp *m, struct horch_err *err)
{
	struct sent_lexicons *s;
	int rc;

	if (nlp__sentiment_data_n < DATA_N)
		return horch_err_set(err, HORCH_EINVAL, "sentiment: %zu lexicon files compiled in, "
				     "%d expected", nlp__sentiment_data_n, DATA_N);
	s = horch_xcalloc(1, sizeof *s);
	table_init(&s->vader, 16384);
	table_init(&s->en, 16384);
	table_init(&s->de, 65536);
	table_init(&s->de_lower, 65536);
	table_init(&s->emoticon, 512);
	table_init(&s->emoji, 8192);

	rc = load_lexicon(&s->vader, &nlp__sentiment_data[DATA_VADER], LOAD_VADER, err);
	if (rc)
		goto out;
	put_vader_words(&s->vader);

	rc = load_lexicon(&s->en, &nlp__sentiment_data[DATA_VADER], LOAD_HORCH, err);
	if (rc)
		goto out;
	rc = load_lexicon(&s->en, &nlp__sentiment_data[DATA_CARE_EN], LOAD_OVERRIDE, err);
	if (rc)
		goto out;
	put_vader_words(&s->en);
	put_rule_words(&s->en, en_words, sizeof en_words / sizeof *en_words);

	rc = load_lexicon(&s->de, &nlp__sentiment_data[DATA_GERVADER], LOAD_EXACT, err);
	if (rc)
		goto out;
	rc = load_lexicon(&s->de_lower, &nlp__sentiment_data[DATA_GERVADER], LOAD_HORCH, err);
	if (rc)
		goto out;
	rc = load_lexicon(&s->de, &nlp__sentiment_data[DATA_CARE_DE], LOAD_OVERRIDE | LOAD_EXACT,
			  err);
	if (rc)
		goto out;
	rc = load_lexicon(&s->de_lower, &nlp__sentiment_data[DATA_CARE_DE], LOAD_OVERRIDE, err);
	if (rc)
		goto out;
	put_rule_words(&s->de, de_words, sizeof de_words / sizeof *de_words);
	put_rule_words(&s->de_lower, de_words, sizeof de_words / sizeof *de_words);
	mark_phrase_starts(&s->de, &s->de_lower);

	put_emoticons(s);
	rc = load_emoji(s, &nlp__sentiment_data[DATA_EMOJI], err);
	if (rc)
		goto out;
	rc = load_emoji_h(s, &nlp__sentiment_data[DATA_EMOJI_H], err);
out:
	if (rc) {
		nlp__sentiment_free(s);
		return rc;
	}
	m->sent = s;
	return 0;
}

void nlp__sentiment_free(struct sent_lexicons *s)
{
	if (!s)
		return;
	table_cleanup(&s->vader);
	table_cleanup(&s->en);
	table_cleanup(&s->de);
	table_cleanup(&s->de_lower);
	table_cleanup(&s->emoticon);
	table_cleanup(&s->emoji);
	free(s->desc);
	free(s);
}

void nlp__sent_work_free(struct sent_work *sw)
{
	if (!sw)
		return;
	free(sw->items);
	free(sw->lower);
	free(sw);
}

/* ---- items ---- */

static struct item *push_item(struct sent_work *sw)
{
	struct item *it;

	if (sw->n == sw->cap)
		sw->items = horch_xgrow(sw->items, &sw->cap, sw->n + 1, sizeof *sw->items);
	it = &sw->items[sw->n++];
	memset(it, 0, sizeof *it);
	return it;
}

static int is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 when s[0..len) (ASCII) has a capital letter and no small one. */
static int has_capitals(const char *s, size_t len)
{
	int up = 0;

	for (size_t k = 0; k < len; k++) {
		if (s[k] >= 'a' && s[k] <= 'z')
			return 0;
		up |= s[k] >= 'A' && s[k] <= 'Z';
	}
	return up;
}

/* The emoticon low[0..n) (lower case ASCII): VADER's, and for horch's
 * rules (vader 0) also horch's and the form with repeats collapsed
 * (":-(((" as ":-(").  Returns the entry or NULL. */
static const struct lex_entry *emoticon_get(const struct sent_lexicons *s, const char *low,
					    size_t n, int vader)
{
	const struct lex_entry *e = table_get(&s->emoticon, low, n);
	char one[16];
	size_t k, m = 0;

	if (e)
		return vader && (e->flags & E_HORCH) ? NULL : e;
	if (vader || n > sizeof one)
		return NULL;
	for (k = 0; k < n; k++)
		if (k == 0 || low[k] != low[k - 1])
			one[m++] = low[k];
	return m < n ? table_get(&s->emoticon, one, m) : NULL;
}

/* The emoticon that starts at text[off] (ASCII, 2 to 12 bytes, standing
 * alone: white space or the text's ends around it, or a '!', '?', ',' or
 * '.' after it).  Returns its entry and sets *len, or NULL. */
static const struct lex_entry *match_emoticon(const struct sent_lexicons *s, const char *text,
					      size_t len, size_t off, int vader, size_t *out_len)
{
	char low[12];
	size_t k;
	int sign = 0;

	if (off > 0 && !is_space_byte((unsigned char)text[off - 1]))
		return NULL;
	for (k = 0; k < sizeof low && off + k < len; k++) {
		unsigned char c = (unsigned char)text[off + k];

		if (c <= ' ' || c >= 0x80)
			break;
		low[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		sign |= !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
	}
	if (!sign)
		return NULL;  /* letters and digits only: a word ("xD" is one too) */
	for (; k >= 2; k--) {
		const struct lex_entry *e;
		unsigned char after = off + k < len ? (unsigned char)text[off + k] : ' ';

		if (!is_space_byte(after) && after != '!' && after != '.' && after != ',' &&
		    after != '?')
			continue;
		e = emoticon_get(s, low, k, vader);
		if (e) {
			*out_len = k;
			return e;
		}
	}
	return NULL;
}

/* Collapse runs of three or more equal bytes of w[0..len) to keep bytes
 * into out (WORD_MAX bytes); returns the new length, or 0 when there was
 * no such run. */
static size_t collapse_runs(const char *w, size_t len, size_t keep, char *out)
{
	size_t i = 0, n = 0;
	int found = 0;

	while (i < len) {
		size_t j = i + 1;

		while (j < len && w[j] == w[i])
			j++;
		if (j - i >= 3) {
			found = 1;
			for (size_t k = 0; k < keep; k++)
				out[n++] = w[i];
		} else {
			memcpy(out + n, w + i, j - i);
			n += j - i;
		}
		i = j;
	}
	return found ? n : 0;
}

/* German prefixes that intensify an adjective ("superschnell",
 * "stinklangweilig", "saublöd"). */
static const char *const de_intens[] = {
	"super", "mega", "ultra", "hyper", "extra", "sau", "stink", "tod", "tot", "erz",
	"riesen", "ober", "über", "voll", "hammer", "wunder",
};

/* Endings that make words rather than end compounds ("Wirtschaft" is not
 * "Haft", "ekelhaft" is not "Haft" either). */
static int is_suffix(const char *tail, size_t len)
{
	static const char *const v[] = { "haft", "schaft", "heit", "keit", "ling", "ung",
					 "lich", "isch", "bar", "tion", "ismus", "ende", "endes",
					 "enden", "ender", "endem" };

	for (size_t k = 0; k < sizeof v / sizeof *v; k++)
		if (strlen(v[k]) == len && memcmp(tail, v[k], len) == 0)
			return 1;
	return 0;
}

/* 1 when exact (German, as written) has the noun: tail[0..len) with its
 * first letter in capitals. */
static int is_noun(const struct lex_table *exact, const char *tail, size_t len)
{
	char buf[WORD_MAX + 4];
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)tail,
					      (utf8proc_ssize_t)len, &cp);
	size_t k;

	if (n <= 0 || len > WORD_MAX)
		return 0;
	k = (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)buf);
	memcpy(buf + k, tail + n, len - (size_t)n);
	return table_get(exact, buf, k + len - (size_t)n) != NULL;
}

/* Compounds: the entry of the longest tail of w[0..len) (lower case, at
 * least 4 characters, a valence of at least 0.5 either way); for a hashtag
 * (hashtag 1) failing that the longest head with a valence of at least 1.  In German
 * the tail must be a noun ("Zugverspätung") unless the head is an
 * intensifier ("superschnell"), so that "vielleicht" is not "leicht";
 * failing a tail, a head with a valence of its own ("Mistwetter") is put
 * in *tmp.  exact is the German table as written, or NULL (hashtags of
 * other languages: any tail).  Returns the entry or NULL. */
static const struct lex_entry *compound(const struct lex_table *t, const struct lex_table *exact,
					const char *w, size_t len, int hashtag, struct lex_entry *tmp)
{
	uint32_t h[WORD_MAX + 1], n_chars[WORD_MAX + 1];
	size_t i;

	if (len < 7 || len > WORD_MAX)
		return NULL;
	/* The hash and the character count of every tail w[i..len). */
	h[len] = HASH_SEED;
	n_chars[len] = 0;
	for (i = len; i-- > 0;) {
		h[i] = HASH_STEP(h[i + 1], w[i]);
		n_chars[i] = n_chars[i + 1] + (((unsigned char)w[i] & 0xC0) != 0x80);
	}
	for (i = 3; i + 4 <= len; i++) {
		const struct lex_entry *e;

		if (((unsigned char)w[i] & 0xC0) == 0x80)
			continue;
		if (n_chars[i] < 4)
			break;
		e = table_get_h(t, w + i, len - i, h[i]);
		if (!e || !(e->flags & E_LEX) || fabsf(e->val) < 0.5f || is_suffix(w + i, len - i))
			continue;
		if (exact && !is_noun(exact, w + i, len - i)) {
			size_t k;

			for (k = 0; k < sizeof de_intens / sizeof *de_intens; k++)
				if (strlen(de_intens[k]) == i && memcmp(w, de_intens[k], i) == 0)
					break;
			if (k == sizeof de_intens / sizeof *de_intens)
				continue;
		}
		return e;
	}
	for (i = 0; exact && i < sizeof de_heads / sizeof *de_heads; i++) {
		size_t hl = strlen(de_heads[i].head);

		if (len >= hl + 4 && memcmp(w, de_heads[i].head, hl) == 0) {
			memset(tmp, 0, sizeof *tmp);
			tmp->flags = E_LEX;
			tmp->val = de_heads[i].val;
			return tmp;
		}
	}
	/* Hashtags: the longest known head ("#happyfriday", "#loveher"). */
	for (i = hashtag ? len - 3 : 0; i-- > 4;) {
		const struct lex_entry *e;

		if (((unsigned char)w[i] & 0xC0) == 0x80)
			continue;
		e = table_get(t, w, i);
		if (e && (e->flags & E_LEX) && fabsf(e->val) >= 1.0f)
			return e;
	}
	return NULL;
}

/* 1 when w[0..len) is laughter: "haha", "hehehe", "hihi", "hahha",
 * "lol", "lool" - at least four letters. */
static int is_laugh(const char *w, size_t len)
{
	size_t i, n_h = 0, n_v = 0;

	if (len >= 3 && w[0] == 'l' && w[len - 1] == 'l') {
		for (i = 1; i + 1 < len && w[i] == 'o'; i++)
			;
		return i + 1 == len && len > 3;
	}
	if (len < 4 || len > 32 || w[0] != 'h')
		return 0;
	for (i = 0; i < len; i++) {
		if (w[i] == 'h')
			n_h++;
		else if (w[i] == 'a' || w[i] == 'e' || w[i] == 'i')
			n_v++;
		else
			return 0;
	}
	return n_h >= 2 && n_v >= 2;
}

/* Look up a word item with horch's fall-backs and set it->e and it->val.
 * t is the language's table; German looks first in s->de for the word as
 * written (orig[0..orig_len)), then, when the word starts with a capital
 * (or its writer writes everything in lower case: try_lower), in
 * s->de_lower.  Then: the folded form (English), elongation ("soooo"),
 * compounds (German words and hashtags of both languages). */
static void lookup_word(const struct sent_lexicons *s, const struct lex_table *t, int german,
			int try_lower, int hashtag, struct item *it, const char *orig,
			size_t orig_len, const char *fold, size_t fold_len, struct lex_entry *tmp)
{
	const struct lex_entry *e;
	char buf[WORD_MAX];
	size_t n;

	if (german) {
		e = table_get(&s->de, orig, orig_len);
		if (!e && (try_lower || hashtag))
			e = table_get(&s->de_lower, it->w, it->wlen);
		t = &s->de_lower;
	} else {
		e = table_get(t, it->w, it->wlen);
		if (!e && fold_len && (fold_len != it->wlen || memcmp(fold, it->w, fold_len)))
			e = table_get(t, fold, fold_len);
	}
	if (!e && it->wlen <= WORD_MAX) {
		if ((n = collapse_runs(it->w, it->wlen, 2, buf)) &&
		    !(e = table_get(t, buf, n)) && (n = collapse_runs(it->w, it->wlen, 1, buf)))
			e = table_get(t, buf, n);
		if (e)
			it->flags |= I_ELONG;
	}
	if (!e && german && hashtag && it->wlen >= 4)
		e = table_get(&s->en, it->w, it->wlen);  /* "#tired" in a German post */
	if (!e && (german || hashtag))
		e = compound(t, german ? &s->de : NULL, it->w, it->wlen, hashtag, tmp);
	if (is_laugh(it->w, it->wlen)) {
		/* Written laughter is a sign like ":D". */
		memset(tmp, 0, sizeof *tmp);
		tmp->flags = E_LEX;
		tmp->val = H_LAUGH;
		e = tmp;
		it->flags |= I_ICON;
	}
	it->e = e;
	it->val = e && (e->flags & E_LEX) ? e->val : 0;
}

/* 1 when the item's word is the string literal lit. */
#define word_is(it, lit) ((it)->wlen == sizeof(lit) - 1 && \
			  memcmp((it)->w, lit, sizeof(lit) - 1) == 0)

/* A German greeting word: "Liebe Frau Müller", "Lieber Kundenservice". */
static int is_salutation(const struct item *it)
{
	return word_is(it, "liebe") || word_is(it, "lieber") || word_is(it, "liebes") ||
	       word_is(it, "sehr");
}

/* 1 when s[0..len) starts with an upper-case letter. */
static int starts_upper(const char *s, size_t len)
{
	utf8proc_int32_t cp;

	if (len == 0)
		return 0;
	if ((unsigned char)s[0] < 0x80)
		return s[0] >= 'A' && s[0] <= 'Z';
	if (utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp) <= 0)
		return 0;
	return utf8proc_isupper(cp);
}

/* Turn the tokens into items: words (WORD, NUMBER, HASHTAG; for VADER also
 * MENTION, CASHTAG and URL, which it sees as words), emoticons and emoji.
 * table is the language's lexicon, or NULL when only emoticons and emoji
 * count.  For VADER (vader 1) an emoji becomes the words of its
 * description. */
static void build_items(const struct sent_lexicons *s, struct sent_work *sw,
			const struct lex_table *table, int german, int vader,
			const char *text, size_t len, const struct tokens *tk,
			struct lex_entry *tmp)
{
	size_t covered = 0;  /* text before this is part of an emoticon */
	uint16_t pending = 0;
	int writer_lower = 0;
	uint32_t word_sentence = UINT32_MAX; /* the sentence of the last word */

	sw->n = 0;
	sw->lower_len = 0;
	sw->has_url = 0;
	if (german && !vader) {
		/* A writer who capitalises no word inside a sentence writes
		 * nouns in lower case too. */
		writer_lower = 1;
		for (size_t i = 0; i < tk->n && writer_lower; i++) {
			const struct token *t = &tk->v[i];

			if (t->kind == TOKEN_WORD && !(t->flags & TOKEN_F_SENTENCE) &&
			    t->off + t->len <= len && starts_upper(text + t->off, t->len))
				writer_lower = 0;
		}
	}
	/* Reserve every lower-case form now, so that items can point into the
	 * buffer while it fills. */
	sw->lower = horch_xgrow(sw->lower, &sw->lower_cap, len * 2 + 16, 1);
	for (size_t i = 0; i < tk->n; i++) {
		const struct token *t = &tk->v[i];
		const char *fold = tk->fold.ptr ? tk->fold.ptr + t->fold_off : "";
		struct item *it;
		size_t elen;
		int initial;
		const struct lex_entry *e;

		if (t->off < covered)
			continue;
		if (t->off + t->len > len)
			break;
		e = NULL;
		if (t->kind == TOKEN_EMOJI && (t->flags & TOKEN_F_ASCII)) {
			/* The tokenizer knows emoticons: ":-)", "<3". */
			char low[16];

			if (t->len <= sizeof low) {
				for (elen = 0; elen < t->len; elen++) {
					unsigned char c = (unsigned char)text[t->off + elen];

					low[elen] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
				}
				e = emoticon_get(s, low, elen, vader);
			}
		} else if (t->kind == TOKEN_PUNCT || (t->len <= 2 && t->kind != TOKEN_EMOJI)) {
			e = match_emoticon(s, text, len, t->off, vader, &elen);
		}
		if (e) {
			it = push_item(sw);
			it->w = text + t->off;
			it->wlen = (uint32_t)elen;
			it->sentence = t->sentence;
			it->e = e;
			it->val = e->val;
			it->flags = I_ICON | pending;
			if (vader && has_capitals(text + t->off, elen))
				it->flags |= I_UPPER;  /* Python's ":D".isupper() */
			pending = 0;
			covered = t->off + elen;
			continue;
		}
		switch (t->kind) {
		case TOKEN_PUNCT: {
			unsigned char c = (unsigned char)text[t->off];

			if (c >= 0x80 && !vader) {
				/* Symbols written as smileys and hearts: "♡", "ツ". */
				utf8proc_int32_t cp;
				utf8proc_ssize_t k = utf8proc_iterate(
					(const utf8proc_uint8_t *)text + t->off,
					(utf8proc_ssize_t)t->len, &cp);

				e = k > 0 ? table_get(&s->emoji, text + t->off, (size_t)k) : NULL;
				if (e && (e->flags & E_LEX) && e->val != 0) {
					it = push_item(sw);
					it->w = text + t->off;
					it->wlen = (uint32_t)k;
					it->sentence = t->sentence;
					it->e = e;
					it->val = e->val;
					it->flags = I_ICON | pending;
					pending = 0;
					continue;
				}
			}
			if (c == ',' || c == ';' || c == ':' || c == '.' || c == '!' || c == '?' ||
			    c == '(' || c == ')' || c == '-' || c == 0xE2 /* dashes, "..." */)
				pending = I_BREAK;
			continue;
		}
		case TOKEN_EMOJI:
			if (!vader) {
				e = table_get(&s->emoji, text + t->off, t->len);
				if (!e) {
					utf8proc_int32_t cp;
					utf8proc_ssize_t n = utf8proc_iterate(
						(const utf8proc_uint8_t *)text + t->off,
						(utf8proc_ssize_t)t->len, &cp);

					if (n > 0)
						e = table_get(&s->emoji, text + t->off, (size_t)n);
				}
				if (!e)
					continue;
				it = push_item(sw);
				it->w = text + t->off;
				it->wlen = t->len;
				it->sentence = t->sentence;
				it->e = e;
				it->val = e->val;
				it->flags = I_ICON | pending;
				pending = 0;
				continue;
			}
			/* VADER: each code point with a description becomes
			 * the words of its description. */
			for (size_t k = 0; k < t->len;) {
				utf8proc_int32_t cp;
				utf8proc_ssize_t n = utf8proc_iterate(
					(const utf8proc_uint8_t *)text + t->off + k,
					(utf8proc_ssize_t)(t->len - k), &cp);

				if (n <= 0)
					break;
				e = table_get(&s->emoji, text + t->off + k, (size_t)n);
				k += (size_t)n;
				if (!e)
					continue;
				for (size_t a = e->desc_off, b = a; b <= e->desc_off + e->desc_len; b++) {
					if (b < e->desc_off + e->desc_len && s->desc[b] != ' ')
						continue;
					if (b > a) {
						it = push_item(sw);
						it->w = s->desc + a;
						it->wlen = (uint32_t)(b - a);
						it->sentence = t->sentence;
						it->e = table_get(table, it->w, it->wlen);
						it->val = it->e && (it->e->flags & E_LEX) ? it->e->val : 0;
						it->flags = I_WORD;
					}
					a = b + 1;
				}
			}
			continue;
		case TOKEN_MENTION:
		case TOKEN_CASHTAG:
		case TOKEN_URL:
			if (t->kind == TOKEN_URL)
				sw->has_url = 1;
			if (!vader) {
				pending = I_BREAK;
				continue;
			}
			break;
		default:
			break;
		}
		it = push_item(sw);
		it->sentence = t->sentence;
		it->flags = I_WORD | pending;
		initial = t->kind == TOKEN_WORD && t->sentence != word_sentence;
		if (t->kind == TOKEN_WORD)
			word_sentence = t->sentence;
		pending = 0;
		if (t->flags & TOKEN_F_UPPER)
			it->flags |= I_UPPER;
		if (t->kind == TOKEN_HASHTAG || t->kind == TOKEN_MENTION || t->kind == TOKEN_CASHTAG) {
			/* The folded form, without the sign; VADER strips it too. */
			it->w = fold;
			it->wlen = t->fold_len;
		} else if (t->flags & TOKEN_F_ASCII) {
			it->w = fold;
			it->wlen = t->fold_len;
		} else {
			size_t off = lower_append(&sw->lower, &sw->lower_len, &sw->lower_cap,
						  text + t->off, t->len);

			it->w = sw->lower + off;
			it->wlen = (uint32_t)(sw->lower_len - off);
		}
		if (!table)
			continue;
		if (vader) {
			it->e = table_get(table, it->w, it->wlen);
			it->val = it->e && (it->e->flags & E_LEX) ? it->e->val : 0;
		} else if (it->wlen > 1) {
			/* German is looked up as written ("sucht" the verb is
			 * not "Sucht" the noun); a word with a capital may
			 * also be a lower-case word that starts a sentence or
			 * follows an interjection.  A single letter is no
			 * word of feeling. */
			lookup_word(s, table, german,
				    writer_lower || starts_upper(text + t->off, t->len),
				    t->kind == TOKEN_HASHTAG, it, text + t->off, t->len, fold,
				    t->fold_len, tmp);
			if (german && !initial && !writer_lower && !(t->flags & TOKEN_F_UPPER) &&
			    starts_upper(text + t->off, t->len))
				it->flags |= I_NOUN;
			if (german && initial && it->val > 0 && i + 1 < tk->n &&
			    tk->v[i + 1].kind == TOKEN_WORD && is_salutation(it) &&
			    starts_upper(text + tk->v[i + 1].off, tk->v[i + 1].len))
				it->val = 0;  /* "Liebe Frau Müller," */
			if (it->e == tmp) {
				/* tmp is shared: keep its valence, drop the entry. */
				it->e = NULL;
			}
		}
	}
}


static float normalise(float sum)
{
	float x = sum / sqrtf(sum * sum + VADER_ALPHA);

	return x < -1 ? -1 : x > 1 ? 1 : x;
}

/* ---- VADER, as published ---- */

/* The "!" and "?" counts of the text, for VADER's amplification. */
static void count_marks(const char *text, const struct tokens *tk, size_t len, int *n_ep,
			int *n_qm)
{
	*n_ep = *n_qm = 0;
	for (size_t i = 0; i < tk->n; i++) {
		const struct token *t = &tk->v[i];

		if (t->kind != TOKEN_PUNCT || t->off + t->len > len)
			continue;
		if (text[t->off] == '!')
			*n_ep += (int)t->len;
		else if (text[t->off] == '?')
			*n_qm += (int)t->len;
	}
}

static int vader_in_lexicon(const struct item *it)
{
	return it->e && (it->e->flags & E_LEX);
}

static int vader_negated(const struct item *it)
{
	if (it->e && (it->e->flags & E_NEG))
		return 1;
	/* VADER: any word with "n't" in it. */
	for (uint32_t k = 0; k + 3 <= it->wlen; k++)
		if (memcmp(it->w + k, "n't", 3) == 0)
			return 1;
	return 0;
}

/* scalar_inc_dec(): the booster scalar of item b on valence v. */
static float vader_scalar(const struct item *b, float v, int cap_diff)
{
	float scalar;

	if (!b->e || !(b->e->flags & E_BOOST))
		return 0;
	scalar = b->e->scalar;
	if (v < 0)
		scalar = -scalar;
	if ((b->flags & I_UPPER) && cap_diff)
		scalar += v > 0 ? C_INCR : -C_INCR;
	return scalar;
}

static int seq_is(const struct item *a, size_t n, const char *phrase)
{
	/* a[0..n) joined by spaces equals phrase. */
	size_t pl = strlen(phrase), off = 0;

	for (size_t k = 0; k < n; k++) {
		if (k) {
			if (off >= pl || phrase[off] != ' ')
				return 0;
			off++;
		}
		if (off + a[k].wlen > pl || memcmp(phrase + off, a[k].w, a[k].wlen))
			return 0;
		off += a[k].wlen;
	}
	return off == pl;
}

/* VADER's SPECIAL_CASES idioms, and its two-word boosters. */
static const struct { const char *p; float v; } vader_special[] = {
	{ "the shit", 3 }, { "the bomb", 3 }, { "bad ass", 1.5f }, { "badass", 1.5f },
	{ "bus stop", 0 }, { "yeah right", -2 }, { "kiss of death", -1.5f },
	{ "to die for", 3 }, { "beating heart", 3.1f }, { "broken heart", -2.9f },
};
static const char *const vader_boost2[] = { "just enough", "kind of", "sort of" };

static int special_value(const struct item *a, size_t n, float *v)
{
	for (size_t k = 0; k < sizeof vader_special / sizeof *vader_special; k++)
		if (seq_is(a, n, vader_special[k].p)) {
			*v = vader_special[k].v;
			return 1;
		}
	return 0;
}

/* _special_idioms_check() for item i of it[0..n). */
static float vader_idioms(const struct item *it, size_t n, size_t i, float v)
{
	float x;

	/* onezero, twoonezero, twoone, threetwoone, threetwo */
	if (special_value(&it[i - 1], 2, &x) || special_value(&it[i - 2], 3, &x) ||
	    special_value(&it[i - 2], 2, &x) || (i >= 3 && special_value(&it[i - 3], 3, &x)) ||
	    (i >= 3 && special_value(&it[i - 3], 2, &x)))
		v = x;
	if (i + 1 < n && special_value(&it[i], 2, &x))
		v = x;
	if (i + 2 < n && special_value(&it[i], 3, &x))
		v = x;
	for (size_t k = 0; k < sizeof vader_boost2 / sizeof *vader_boost2; k++) {
		const char *b = vader_boost2[k];

		if ((i >= 3 && (seq_is(&it[i - 3], 3, b) || seq_is(&it[i - 3], 2, b))) ||
		    seq_is(&it[i - 2], 2, b))
			v += B_DECR;
	}
	return v;
}

/* _negation_check() for item i, looking at the word start+1 before it. */
static float vader_negation(const struct item *it, size_t i, int start, float v)
{
	if (start == 0) {
		if (vader_negated(&it[i - 1]))
			v *= N_SCALAR;
	} else if (start == 1) {
		if (word_is(&it[i - 2], "never") &&
		    (word_is(&it[i - 1], "so") || word_is(&it[i - 1], "this")))
			v *= 1.25f;
		else if (word_is(&it[i - 2], "without") && word_is(&it[i - 1], "doubt"))
			;
		else if (vader_negated(&it[i - 2]))
			v *= N_SCALAR;
	} else {
		if ((word_is(&it[i - 3], "never") &&
		     (word_is(&it[i - 2], "so") || word_is(&it[i - 2], "this"))) ||
		    word_is(&it[i - 1], "so") || word_is(&it[i - 1], "this"))
			v *= 1.25f;
		else if (word_is(&it[i - 3], "without") &&
			 (word_is(&it[i - 2], "doubt") || word_is(&it[i - 1], "doubt")))
			;
		else if (vader_negated(&it[i - 3]))
			v *= N_SCALAR;
	}
	return v;
}

/* VADER's polarity_scores() compound over the items. */
static float vader_score(struct sent_work *sw, const char *text, size_t len,
			 const struct tokens *tk)
{
	struct item *it = sw->items;
	size_t n = sw->n, i, n_upper = 0, n_words = 0, but = (size_t)-1;
	int cap_diff, n_ep, n_qm;
	float sum = 0, amp;

	for (i = 0; i < n; i++) {
		n_words++;
		n_upper += (it[i].flags & I_UPPER) != 0;
	}
	cap_diff = n_upper > 0 && n_upper < n_words;
	for (i = 0; i < n; i++) {
		float v;

		if (it[i].e && (it[i].e->flags & E_BOOST)) {
			it[i].val = 0;
			continue;
		}
		if (i + 1 < n && word_is(&it[i], "kind") && word_is(&it[i + 1], "of")) {
			it[i].val = 0;
			continue;
		}
		if (!vader_in_lexicon(&it[i])) {
			it[i].val = 0;
			continue;
		}
		v = it[i].e->val;
		if (word_is(&it[i], "no") && i + 1 < n && vader_in_lexicon(&it[i + 1]))
			v = 0;
		if ((i > 0 && word_is(&it[i - 1], "no")) || (i > 1 && word_is(&it[i - 2], "no")) ||
		    (i > 2 && word_is(&it[i - 3], "no") &&
		     (word_is(&it[i - 1], "or") || word_is(&it[i - 1], "nor"))))
			v = it[i].e->val * N_SCALAR;
		if ((it[i].flags & I_UPPER) && cap_diff)
			v += v > 0 ? C_INCR : -C_INCR;
		for (int start = 0; start < 3; start++) {
			const struct item *b;
			float sc;

			if (i <= (size_t)start)
				continue;
			b = &it[i - (size_t)start - 1];
			if (vader_in_lexicon(b))
				continue;
			sc = vader_scalar(b, v, cap_diff);
			if (start == 1)
				sc *= 0.95f;
			else if (start == 2)
				sc *= 0.9f;
			v += sc;
			v = vader_negation(it, i, start, v);
			if (start == 2)
				v = vader_idioms(it, n, i, v);
		}
		/* _least_check() */
		if (i > 1 && !vader_in_lexicon(&it[i - 1]) && word_is(&it[i - 1], "least")) {
			if (!word_is(&it[i - 2], "at") && !word_is(&it[i - 2], "very"))
				v *= N_SCALAR;
		} else if (i > 0 && !vader_in_lexicon(&it[i - 1]) && word_is(&it[i - 1], "least")) {
			v *= N_SCALAR;
		}
		it[i].val = v;
	}
	for (i = 0; i < n && but == (size_t)-1; i++)
		if (word_is(&it[i], "but"))
			but = i;
	for (i = 0; i < n; i++) {
		float v = it[i].val;

		if (but != (size_t)-1 && i < but)
			v *= 0.5f;
		else if (but != (size_t)-1 && i > but)
			v *= 1.5f;
		sum += v;
	}
	count_marks(text, tk, len, &n_ep, &n_qm);
	amp = (float)(n_ep > 4 ? 4 : n_ep) * 0.292f;
	if (n_qm > 1)
		amp += n_qm <= 3 ? (float)n_qm * 0.18f : 0.96f;
	if (sum > 0)
		sum += amp;
	else if (sum < 0)
		sum -= amp;
	return n ? normalise(sum) : 0;
}

/* ---- horch's rules ---- */

/* The evidence behind a score, for the label's confidence. */
struct evidence {
	float pos, neg;      /* sums of positive and negative valences */
	int n;               /* items with a valence */
	int question;        /* the text's sentiment lies in questions */
};

/* Match phrases (multi-word entries) at each item whose entry starts one:
 * the longest of up to PHRASE_MAX words, within one clause, takes the place
 * of its words. */
static void match_phrases(const struct lex_table *t, struct sent_work *sw)
{
	char buf[WORD_MAX * PHRASE_MAX + PHRASE_MAX];

	for (size_t i = 0; i < sw->n; i++) {
		struct item *it = &sw->items[i];
		const struct lex_entry *best = NULL;
		size_t best_k = 0, blen = 0;

		if (!it->e || !(it->e->flags & E_PHRASE) || (it->flags & I_SKIP))
			continue;
		memcpy(buf, it->w, it->wlen);
		blen = it->wlen;
		for (size_t k = 1; k < PHRASE_MAX && i + k < sw->n; k++) {
			const struct item *nx = &sw->items[i + k];
			const struct lex_entry *e;

			if ((nx->flags & (I_BREAK | I_ICON)) || nx->wlen > WORD_MAX)
				break;
			buf[blen++] = ' ';
			memcpy(buf + blen, nx->w, nx->wlen);
			blen += nx->wlen;
			e = table_get(t, buf, blen);
			if (e && (e->flags & (E_LEX | E_THANKS))) {
				best = e;
				best_k = k;
			}
		}
		if (!best)
			continue;
		it->e = best;
		it->val = best->flags & E_LEX ? best->val : 0;
		for (size_t k = 1; k <= best_k; k++) {
			sw->items[i + k].flags |= I_SKIP;
			sw->items[i + k].val = 0;
		}
		i += best_k;
	}
}

static int has(const struct item *it, uint16_t flag)
{
	return it->e && (it->e->flags & flag) && !(it->flags & I_SKIP);
}

/* horch's rules over the items of sw (phrases matched, questions marked):
 * each item's val becomes its contribution to the sum, and ev gathers the
 * evidence for the confidence.  german: the German rules (a negation after
 * a verb, no "never so"). */
static void horch_score_items(struct sent_work *sw, int german, struct evidence *ev)
{
	struct item *it = sw->items;
	size_t n = sw->n, i, n_upper = 0, n_words = 0;
	int cap_diff, any_neg = 0;

	for (i = 0; i < n; i++) {
		if (it[i].flags & I_WORD) {
			n_words++;
			n_upper += (it[i].flags & I_UPPER) != 0;
		}
	}
	cap_diff = n_upper > 0 && n_upper < n_words;

	/* A word that is both a booster and a lexicon word ("super", "pretty")
	 * is a booster when a sentiment word follows in its clause. */
	for (i = 0; i < n; i++) {
		if (has(&it[i], E_BOOST) && i + 1 < n && !(it[i + 1].flags & I_BREAK) &&
		    it[i + 1].val != 0)
			it[i].val = 0;
		if (has(&it[i], E_NEG) && it[i].val != 0) {
			/* "no" alone is negative; before a sentiment word it
			 * only negates. */
			for (size_t j = i + 1; j < n && j <= i + 2 && !(it[j].flags & I_BREAK); j++)
				if (it[j].val != 0) {
					it[i].val = 0;
					break;
				}
		}
	}

	for (i = 0; i < n; i++) {
		float v = it[i].val;
		int negated = 0;

		/* Words with a negated valence of their own count even when
		 * they have none ("not working"). */
		if ((v == 0 && !has(&it[i], E_NEGVAL)) || (it[i].flags & I_SKIP))
			continue;
		if ((it[i].flags & I_UPPER) && cap_diff && v != 0)
			v += v > 0 ? C_INCR : -C_INCR;
		if ((it[i].flags & I_ELONG) && v != 0)
			v += v > 0 ? H_ELONG : -H_ELONG;
		/* Look back within the clause for boosters and negations. */
		for (size_t d = 1; d <= SCOPE && d <= i; d++) {
			const struct item *b = &it[i - d];

			if (it[i - d + 1].flags & I_BREAK)
				break;
			if (has(b, E_CONTRAST))
				break;
			if (has(b, E_BOOST) && b->val == 0 && v != 0) {
				float sc = b->e->scalar * (d == 1 ? 1 : d == 2 ? 0.95f : 0.9f);

				if ((b->flags & I_UPPER) && cap_diff)
					sc += C_INCR;
				v += v > 0 ? sc : -sc;
			}
			if (has(b, E_NEG) && !negated) {
				/* "never so good", "never been this good"
				 * (VADER): more, not less. */
				int so = 0;

				for (size_t k = i - d + 1; k < i && !german; k++)
					so |= word_is(&it[k], "so") || word_is(&it[k], "this");
				if (so && word_is(b, "never"))
					v *= 1.25f;
				else
					negated = 1;
			}
		}
		/* German: "gefällt mir nicht" - a negation after the word, when
		 * no sentiment word of its own follows it in the clause. */
		if (german && !negated && !(it[i].flags & I_NOUN) &&
		    (fabsf(v) >= H_WEAK || has(&it[i], E_NEGVAL))) {
			for (size_t j = i + 1; j < n && j <= i + 2; j++) {
				if (it[j].flags & I_BREAK || has(&it[j], E_CONTRAST))
					break;
				if (fabsf(it[j].val) >= H_WEAK && !has(&it[j], E_NEG))
					break;
				if (has(&it[j], E_NEG)) {
					int claimed = 0;

					for (size_t k = j + 1; k < n && k <= j + 2; k++) {
						if (it[k].flags & I_BREAK)
							break;
						if (fabsf(it[k].val) >= H_WEAK)
							claimed = 1;
					}
					negated = !claimed;
					break;
				}
			}
		}
		if (negated) {
			if (it[i].e && (it[i].e->flags & E_NEGVAL))
				v = it[i].e->negval;
			else
				v *= v > 0 ? H_NEG_POS : H_NEG_NEG;
		}
		it[i].val = v;
		if (v < 0)
			any_neg = 1;
	}

	/* Contrast: in each sentence, the last contrast word halves what came
	 * before it (and the previous sentence when it opens its own) and
	 * adds half to what follows. */
	for (i = 0; i < n;) {
		size_t end = i, c = (size_t)-1;

		while (end < n && it[end].sentence == it[i].sentence)
			end++;
		for (size_t j = i; j < end; j++) {
			if (!has(&it[j], E_CONTRAST))
				continue;
			if ((it[j].e->flags & E_CLAUSE) && j > i && !(it[j].flags & I_BREAK))
				continue;
			c = j;
		}
		if (c != (size_t)-1) {
			size_t from = i;

			if (c == i && i > 0) {
				from = i - 1;
				while (from > 0 && it[from - 1].sentence == it[i - 1].sentence)
					from--;
			}
			for (size_t j = from; j < c; j++)
				it[j].val *= 0.5f;
			for (size_t j = c + 1; j < end; j++)
				it[j].val *= 1.5f;
		}
		i = end;
	}

	/* Thanks beside a complaint or a question is politeness ("Can you
	 * check my booking? Thanks."). */
	for (i = 0; i < n && !any_neg; i++)
		any_neg = (it[i].flags & I_QUESTION) != 0;
	ev->pos = ev->neg = 0;
	ev->n = 0;
	ev->question = 0;
	for (i = 0; i < n; i++) {
		float v = it[i].val;

		if (v == 0)
			continue;
		if (has(&it[i], E_THANKS) && any_neg && v > 0)
			v *= H_THANKS_POLITE;
		if (it[i].flags & I_QUESTION) {
			v *= H_QUESTION;
			ev->question++;
		}
		it[i].val = v;
		ev->n++;
		if (v > 0)
			ev->pos += v;
		else
			ev->neg -= v;
	}
}

/* Mark the items of sentences that end with '?'. */
static void mark_questions(struct sent_work *sw, const char *text, size_t len,
			   const struct tokens *tk)
{
	size_t k = 0;

	for (size_t i = 0; i < tk->n; i++) {
		const struct token *t = &tk->v[i];
		int last = i + 1 == tk->n || tk->v[i + 1].sentence != t->sentence;

		if (!last || t->kind != TOKEN_PUNCT || t->off >= len || text[t->off] != '?')
			continue;
		while (k < sw->n && sw->items[k].sentence < t->sentence)
			k++;
		for (size_t j = k; j < sw->n && sw->items[j].sentence == t->sentence; j++)
			sw->items[j].flags |= I_QUESTION;
	}
}

static struct sent_work *work_of(struct nlp_work *w)
{
	if (!w->sent)
		w->sent = horch_xcalloc(1, sizeof *w->sent);
	return w->sent;
}

/* Score text with horch's rules or VADER's; fills out and returns the raw
 * score (-1..1). */
static float score(const struct nlp *m, struct nlp_work *w, const char *text, size_t len,
		   const struct tokens *tk, const char *lang, struct nlp_sentiment *out)
{
	const struct sent_lexicons *s = m->sent;
	struct sent_work *sw;
	const struct lex_table *table = NULL;
	struct lex_entry tmp;
	struct evidence ev;
	int german = 0, known = 0, n_ep = 0, n_qm = 0;
	size_t n_words = 0;
	float sum = 0, sc, conf, mag, amp, tp, tn, edge;
	int label;

	if (!s || !tk || !text) {
		if (out) {
			out->score = 0;
			out->label = POST_SENT_NEUTRAL;
			out->conf = 0;
			out->needs_review = 1;
		}
		return 0;
	}
	sw = work_of(w);
	if (m->vader_only) {
		build_items(s, sw, &s->vader, 0, 1, text, len, tk, &tmp);
		sc = vader_score(sw, text, len, tk);
		if (out) {
			out->score = sc;
			out->label = sc >= 0.05f ? POST_SENT_POSITIVE :
				     sc <= -0.05f ? POST_SENT_NEGATIVE : POST_SENT_NEUTRAL;
			mag = fabsf(sc);
			out->conf = out->label == POST_SENT_NEUTRAL ? 1 - mag / 0.05f * 0.5f
								     : 0.5f + 0.5f * mag;
			out->needs_review = out->conf < 0.55f;
		}
		return sc;
	}
	if (lang && strcmp(lang, "en") == 0) {
		table = &s->en;
		known = 1;
	} else if (lang && strcmp(lang, "de") == 0) {
		table = &s->de;
		german = 1;
		known = 1;
	}
	build_items(s, sw, table, german, 0, text, len, tk, &tmp);
	if (table)
		match_phrases(german ? &s->de_lower : table, sw);
	mark_questions(sw, text, len, tk);
	horch_score_items(sw, german, &ev);
	/* An emoticon or emoji is the author's own sign of a feeling: it
	 * counts twice.  A post that shares a link mostly reports: its words
	 * count half.  Then "!" and the length. */
	for (size_t i = 0; i < sw->n; i++) {
		const struct item *x = &sw->items[i];

		sum += x->val * (x->flags & I_ICON ? H_ICON : sw->has_url ? H_LINK : 1.0f);
		n_words += (x->flags & I_WORD) != 0;
	}
	count_marks(text, tk, len, &n_ep, &n_qm);
	amp = (float)(n_ep > 4 ? 4 : n_ep) * 0.292f;
	if (sum > 0)
		sum += amp;
	else if (sum < 0)
		sum -= amp;
	/* A long text gathers many words: the sum is divided as if the text
	 * were H_WORDS words long, so that an article is not "very negative"
	 * for naming a few bad things. */
	if ((float)n_words > H_WORDS)
		sum /= sqrtf((float)n_words / H_WORDS);
	sc = normalise(sum);
	mag = fabsf(sc);
	tp = !known ? H_OTHER : german ? H_DE_POS : H_EN_POS;
	tn = !known ? H_OTHER : german ? H_DE_NEG : H_EN_NEG;
	edge = sc >= 0 ? tp : tn;
	label = sc >= tp ? POST_SENT_POSITIVE : sc <= -tn ? POST_SENT_NEGATIVE : POST_SENT_NEUTRAL;
	/* Confidence: how far the score is from the band's edge; a neutral
	 * label without any evidence is a guess. */
	if (label == POST_SENT_NEUTRAL)
		conf = ev.n == 0 ? 0.6f : 0.5f + 0.5f * (1 - mag / edge);
	else
		conf = 0.5f + 0.5f * fminf(1, (mag - edge) / 0.5f);
	if (ev.question && ev.question == ev.n)
		conf *= 0.8f;
	if (!known)
		conf *= 0.5f;
	if (out) {
		int mixed = ev.pos >= H_MIXED_MIN && ev.neg >= H_MIXED_MIN &&
			    fminf(ev.pos, ev.neg) >= 0.5f * fmaxf(ev.pos, ev.neg);

		if (mixed)
			conf *= 0.7f;
		out->score = sc;
		out->label = (uint8_t)label;
		out->conf = conf;
		/* A language without rules rests on emoji alone and is always
		 * doubtful: it is not put in the review queue, which would then
		 * fill with every post in such a language. */
		out->needs_review = known && (mixed || conf < 0.55f);
	}
	return sc;
}

void nlp_sentiment(const struct nlp *m, struct nlp_work *w, const char *text, size_t len,
		   const struct tokens *tk, const char *lang, struct nlp_sentiment *out)
{
	if (m->model) {
		nlp_model_predict(m->model, m, w, text, len, tk, lang, out);
		return;
	}
	score(m, w, text, len, tk, lang, out);
}

float nlp_sentiment_rules(const struct nlp *m, struct nlp_work *w, const char *text,
			  size_t len, const struct tokens *tk, const char *lang)
{
	return score(m, w, text, len, tk, lang, NULL);
}
