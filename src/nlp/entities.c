/* entities.c - what a post names: hashtags, mentions, cashtags, the hosts
 * of its links, and the products of the company's catalogue.
 *
 * The first four come straight from the tokens: text_tokenise() already
 * knows a hashtag, a mention, a cashtag and a URL, and folds the first two.
 * What is left here is the value each entity carries (the tag without '#',
 * the ticker upper case, the host of a URL without scheme, user, port and
 * "www.").
 *
 * Products are phrases.  Each spelling of a product (its name and every
 * alias) is tokenised once, at load, into a sequence of folded tokens;
 * punctuation at either end of a spelling is dropped ('XPS 13"' is "xps"
 * "13").  The sequences are sorted token by token, and their first tokens
 * put in an open addressing hash that gives the range of sequences each
 * starts.  A post's tokens are then walked once: a token that starts a
 * range narrows it by binary search with each following token (a sorted
 * array used as a trie), the longest sequence that matches wins and the
 * walk goes on after it.  Matching on tokens is what makes "Inspiron  15", "INSPIRON 15"
 * and "Inspiron-15" one product and keeps "Inspiron 150" out of it.
 * docs/internals/nlp-intent.md has the rules with examples.
 *
 * The compiled catalogue is read-only after load and shared by every
 * thread; nlp_entities() allocates nothing but the entities it appends to
 * the post. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/utf8.h"
#include "nlp_int.h"

/* Caps on the catalogue, which comes from people and the API. */
#define PRODUCTS_MAX 1000000u     /* products in one catalogue */
#define ALIASES_MAX 256u          /* aliases of one product */
#define SPELLING_MAX 512u         /* bytes of a name or an alias */
#define SPELLING_TOKENS_MAX 32u   /* tokens of a name or an alias */

/* At most this many entities per post from nlp_entities(), title and text
 * together; a post with more is spam or a list, and the rest say nothing
 * new.  Counted with the entities the post had before the call. */
#define ENTITIES_MAX 1000u

/* Bounds on the values made here: a host name has at most 253 characters
 * (a longer "host" is not one); a ticker is short. */
#define HOST_SRC_MAX 1012u
#define CASHTAG_SRC_MAX 64u

/* The class a token is compared in: words, numbers and hashtags are all
 * words (so "#XPS 13" names "XPS 13"); every other kind only matches its
 * own kind. */
static uint8_t token_class(uint8_t kind)
{
	return kind == TOKEN_WORD || kind == TOKEN_NUMBER || kind == TOKEN_HASHTAG ? 0
										  : (uint8_t)(1 + kind);
}

/* One token of a spelling: its fold in product_dict.pool. */
struct ptok {
	uint32_t off;           /* offset of the fold in pool */
	uint32_t len;           /* its byte length */
	uint8_t cls;            /* token_class() */
};

/* One spelling of one product. */
struct pseq {
	uint32_t tok;           /* its first token in product_dict.toks */
	uint32_t n_tok;         /* number of tokens, >= 1 */
	uint32_t product;       /* index in product_dict.ids and names */
};

/* The spellings that start with one token: seqs[first .. first+n). */
struct slot {
	uint32_t hash;          /* hash of the first token (0: the slot is free) */
	uint32_t first;
	uint32_t n;
};

struct product_dict {
	char *pool;             /* folds of every spelling's tokens, back to back */
	struct ptok *toks;      /* tokens of every spelling */
	struct pseq *seqs;      /* spellings in token order, a prefix before what extends it */
	size_t n_seqs;
	struct slot *slots;     /* the hash of first tokens; mask + 1 of them */
	size_t mask;
	uint32_t first_classes; /* bit c: some spelling starts with a token of class c */
	int64_t *ids;           /* product ids, n_products of them */
	char **names;           /* product names (owned) */
	size_t n_products;
};

/* The hash of a fold of class cls (see token_class()). */
static uint32_t fold_hash(const char *s, size_t len, uint8_t cls)
{
	uint32_t h = nlp__word_hash(s, len) ^ (uint32_t)cls * 0x9e3779b9u;

	return h ? h : 1;
}

/* Order two folds of a class: bytes, then length, then class.  The order
 * of the sort and of the search in match_products() (any order would do,
 * as long as both use this one). */
static int fold_cmp(const char *a, uint32_t alen, uint8_t acls, const char *b, uint32_t blen,
		    uint8_t bcls)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return (acls > bcls) - (acls < bcls);
}

/* Build-time state. */
struct build {
	struct buf pool;
	struct ptok *toks;
	size_t n_toks, cap_toks;
	struct pseq *seqs;
	size_t n_seqs, cap_seqs;
};

/* A spelling with what its comparison reads beside it, so that the sort
 * needs no context (qsort has no argument for one, and a global would be
 * shared by two threads loading at once). */
struct seq_key {
	const char *pool;
	const struct ptok *toks;
	struct pseq q;
};

/* Order spellings token by token; a spelling comes before those it is a
 * prefix of; equal spellings by product. */
static int seq_cmp(const void *pa, const void *pb)
{
	const struct seq_key *a = pa, *b = pb;
	uint32_t k, n = a->q.n_tok < b->q.n_tok ? a->q.n_tok : b->q.n_tok;

	for (k = 0; k < n; k++) {
		const struct ptok *x = &a->toks[a->q.tok + k], *y = &b->toks[b->q.tok + k];
		int c = fold_cmp(a->pool + x->off, x->len, x->cls, b->pool + y->off, y->len, y->cls);

		if (c)
			return c;
	}
	if (a->q.n_tok != b->q.n_tok)
		return a->q.n_tok < b->q.n_tok ? -1 : 1;
	return (a->q.product > b->q.product) - (a->q.product < b->q.product);
}

/* Sort b's spellings with seq_cmp() and drop a spelling that a product
 * has twice ("Inspiron 15" and "Inspiron-15" are one token sequence). */
static void sort_seqs(struct build *b)
{
	struct seq_key *k = horch_xmalloc((b->n_seqs ? b->n_seqs : 1) * sizeof *k);
	size_t i, n = 0;

	for (i = 0; i < b->n_seqs; i++) {
		k[i].pool = b->pool.ptr;
		k[i].toks = b->toks;
		k[i].q = b->seqs[i];
	}
	qsort(k, b->n_seqs, sizeof *k, seq_cmp);
	for (i = 0; i < b->n_seqs; i++)
		if (i == 0 || k[i].q.product != k[i - 1].q.product || seq_cmp(&k[i], &k[i - 1]))
			b->seqs[n++] = k[i].q;
	b->n_seqs = n;
	free(k);
}

/* Add one spelling s of product index pi to b, tokenised with tk.
 * Returns 0, or HORCH_EINVAL / HORCH_ETOOBIG with err naming the product. */
static int add_spelling(struct build *b, struct tokens *tk, size_t pi, int64_t id,
			const char *s, struct horch_err *err)
{
	size_t len = s ? strlen(s) : 0, lo, hi, i;
	struct pseq *q;

	if (len > SPELLING_MAX)
		return horch_err_set(err, HORCH_ETOOBIG,
				     "product %lld: a name or alias is longer than %u bytes",
				     (long long)id, SPELLING_MAX);
	if (text_tokenise(tk, s ? s : "", len) != 0)
		return horch_err_set(err, HORCH_ETOOBIG, "product %lld: name too long",
				     (long long)id);
	lo = 0;
	hi = tk->n;
	while (lo < hi && tk->v[lo].kind == TOKEN_PUNCT)
		lo++;
	while (hi > lo && tk->v[hi - 1].kind == TOKEN_PUNCT)
		hi--;
	if (lo == hi)
		return horch_err_set(err, HORCH_EINVAL,
				     "product %lld: the name or alias \"%.64s\" has no words",
				     (long long)id, s ? s : "");
	if (hi - lo > SPELLING_TOKENS_MAX)
		return horch_err_set(err, HORCH_ETOOBIG,
				     "product %lld: \"%.64s\" has more than %u words",
				     (long long)id, s, SPELLING_TOKENS_MAX);
	b->seqs = horch_xgrow(b->seqs, &b->cap_seqs, b->n_seqs + 1, sizeof *b->seqs);
	q = &b->seqs[b->n_seqs++];
	q->tok = (uint32_t)b->n_toks;
	q->n_tok = (uint32_t)(hi - lo);
	q->product = (uint32_t)pi;
	b->toks = horch_xgrow(b->toks, &b->cap_toks, b->n_toks + (hi - lo), sizeof *b->toks);
	for (i = lo; i < hi; i++) {
		const struct token *t = &tk->v[i];
		struct ptok *p = &b->toks[b->n_toks++];

		p->off = (uint32_t)b->pool.len;
		p->len = t->fold_len;
		p->cls = token_class(t->kind);
		buf_append(&b->pool, tk->fold.ptr + t->fold_off, t->fold_len);
	}
	return 0;
}

/* Find the slot of the spellings that start with the text token t of tk,
 * whose fold hashes to h, or NULL. */
static const struct slot *lookup(const struct product_dict *d, uint32_t h,
				 const struct tokens *tk, const struct token *t)
{
	size_t i = h & d->mask;
	uint8_t cls = token_class(t->kind);

	for (;; i = (i + 1) & d->mask) {
		const struct slot *sl = &d->slots[i];
		const struct ptok *p;

		if (sl->hash == 0)
			return NULL;
		if (sl->hash != h)
			continue;
		p = &d->toks[d->seqs[sl->first].tok];
		if (p->cls == cls && p->len == t->fold_len &&
		    memcmp(d->pool + p->off, tk->fold.ptr + t->fold_off, p->len) == 0)
			return sl;
	}
}

void nlp__products_free(struct product_dict *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n_products; i++)
		free(d->names[i]);
	free(d->names);
	free(d->ids);
	free(d->pool);
	free(d->toks);
	free(d->seqs);
	free(d->slots);
	free(d);
}

/* Compile the catalogue p[0..n) into m->products (NULL when n is 0): every
 * spelling tokenised, sorted, the first tokens hashed.  Returns 0, or
 * HORCH_EINVAL (a product without a name, a spelling without words) or
 * HORCH_ETOOBIG (more than PRODUCTS_MAX products, ALIASES_MAX aliases, a
 * spelling over SPELLING_MAX bytes or SPELLING_TOKENS_MAX tokens), with
 * err naming the product's id; m->products is then NULL. */
int nlp__products_load(struct nlp *m, const struct nlp_product *p, size_t n,
		       struct horch_err *err)
{
	struct product_dict *d = NULL;
	struct build b = { .toks = NULL };
	struct tokens tk;
	size_t i, k, n_slots;
	int rc = 0;

	m->products = NULL;
	if (n == 0)
		return 0;
	tokens_init(&tk);
	buf_init(&b.pool, BUF_NOLIMIT);
	if (n > PRODUCTS_MAX) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "more than %u products in the catalogue",
				   PRODUCTS_MAX);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!p[i].name || !*p[i].name) {
			rc = horch_err_set(err, HORCH_EINVAL, "product %lld has no name",
					   (long long)p[i].id);
			goto out;
		}
		if (p[i].n_aliases > ALIASES_MAX) {
			rc = horch_err_set(err, HORCH_ETOOBIG,
					   "product %lld has more than %u aliases",
					   (long long)p[i].id, ALIASES_MAX);
			goto out;
		}
		rc = add_spelling(&b, &tk, i, p[i].id, p[i].name, err);
		for (k = 0; rc == 0 && k < p[i].n_aliases; k++)
			rc = add_spelling(&b, &tk, i, p[i].id, p[i].aliases[k], err);
		if (rc)
			goto out;
	}
	sort_seqs(&b);

	d = horch_xcalloc(1, sizeof *d);
	d->n_products = n;
	d->ids = horch_xmalloc(n * sizeof *d->ids);
	d->names = horch_xcalloc(n, sizeof *d->names);
	for (i = 0; i < n; i++) {
		d->ids[i] = p[i].id;
		d->names[i] = horch_xstrdup(p[i].name);
	}
	d->pool = buf_take(&b.pool);
	d->toks = b.toks;
	d->seqs = b.seqs;
	d->n_seqs = b.n_seqs;
	b.toks = NULL;
	b.seqs = NULL;
	/* At most half the slots are used, so that a miss (the common case:
	 * most words of a post start no product) ends after a probe or two. */
	for (n_slots = 16; n_slots < 2 * d->n_seqs; n_slots *= 2)
		;
	d->mask = n_slots - 1;
	d->slots = horch_xcalloc(n_slots, sizeof *d->slots);
	for (i = 0; i < d->n_seqs;) {
		const struct ptok *t = &d->toks[d->seqs[i].tok], *o;
		uint32_t h = fold_hash(d->pool + t->off, t->len, t->cls);
		size_t j = i + 1, s = h & d->mask;

		for (; j < d->n_seqs; j++) {
			o = &d->toks[d->seqs[j].tok];
			if (fold_cmp(d->pool + t->off, t->len, t->cls, d->pool + o->off, o->len,
				     o->cls) != 0)
				break;
		}
		while (d->slots[s].hash)
			s = (s + 1) & d->mask;
		d->slots[s].hash = h;
		d->slots[s].first = (uint32_t)i;
		d->slots[s].n = (uint32_t)(j - i);
		d->first_classes |= 1u << t->cls;
		i = j;
	}
	m->products = d;
	d = NULL;
out:
	nlp__products_free(d);
	free(b.toks);
	free(b.seqs);
	buf_cleanup(&b.pool);
	tokens_cleanup(&tk);
	return rc;
}

/* Compare token k of spelling q with the text token t of tk (fold_cmp()). */
static int seq_tok_cmp(const struct product_dict *d, const struct pseq *q, uint32_t k,
		       const struct tokens *tk, const struct token *t)
{
	const struct ptok *p = &d->toks[q->tok + k];

	return fold_cmp(d->pool + p->off, p->len, p->cls, tk->fold.ptr + t->fold_off,
			t->fold_len, token_class(t->kind));
}

/* Report the products whose spelling starts at token i of tk: the longest
 * that matches, and every product that has that spelling.  The spellings
 * that start with token i are sorted, so those that also go on with the
 * text's next token are a contiguous range, found by binary search; the
 * range narrows token by token (a sorted array used as a trie), and at
 * each depth the spellings that end there come first.  Time: the tokens
 * matched times the logarithm of the range, whatever the catalogue's
 * names share.  Returns the number of tokens matched, 0 for none. */
static size_t match_products(const struct product_dict *d, struct post *p, int part,
			     const struct tokens *tk, size_t i)
{
	const struct token *t = &tk->v[i], *last;
	const struct slot *sl;
	size_t lo, hi, ends, best = 0, best_lo = 0, best_hi = 0, k;

	if (!(d->first_classes & (1u << token_class(t->kind))))
		return 0;
	sl = lookup(d, fold_hash(tk->fold.ptr + t->fold_off, t->fold_len, token_class(t->kind)),
		    tk, t);
	if (!sl)
		return 0;
	lo = sl->first;
	hi = lo + sl->n;
	for (k = 1;; k++) {
		/* [lo, hi) share the text's tokens i .. i+k-1; those of k
		 * tokens come first. */
		for (ends = lo; ends < hi && d->seqs[ends].n_tok == k; ends++)
			;
		if (ends > lo) {
			best = k;
			best_lo = lo;
			best_hi = ends;
		}
		lo = ends;
		/* A spelling never reaches over a sentence end. */
		if (lo == hi || i + k >= tk->n || (tk->v[i + k].flags & TOKEN_F_SENTENCE))
			break;
		t = &tk->v[i + k];
		{
			size_t a = lo, b = hi, m;

			while (a < b) {         /* the first with token k >= t */
				m = a + (b - a) / 2;
				if (seq_tok_cmp(d, &d->seqs[m], (uint32_t)k, tk, t) < 0)
					a = m + 1;
				else
					b = m;
			}
			lo = a;
			b = hi;
			while (a < b) {         /* the first with token k > t */
				m = a + (b - a) / 2;
				if (seq_tok_cmp(d, &d->seqs[m], (uint32_t)k, tk, t) <= 0)
					a = m + 1;
				else
					b = m;
			}
			hi = a;
		}
		if (lo == hi)
			break;
	}
	if (!best)
		return 0;
	t = &tk->v[i];
	last = &tk->v[i + best - 1];
	for (k = best_lo; k < best_hi && p->n_entities < ENTITIES_MAX; k++) {
		const struct pseq *q = &d->seqs[k];

		post_add_entity(p, POST_ENTITY_PRODUCT, part, t->off,
				last->off + last->len - t->off, d->names[q->product],
				strlen(d->names[q->product]), d->ids[q->product]);
	}
	return best;
}

/* Append s[0..len) to out[*n..cap) with each code point mapped to lower
 * (upper = 0) or upper case; invalid bytes are left out, so the value is
 * valid UTF-8 whatever the input.  cap must leave room for 4 bytes per
 * input byte. */
static void case_map(char *out, size_t *n, const char *s, size_t len, int upper)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t k;

		if (c < 0x80) {
			if (upper && c >= 'a' && c <= 'z')
				c = (unsigned char)(c - 'a' + 'A');
			else if (!upper && c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			out[(*n)++] = (char)c;
			i++;
			continue;
		}
		k = horch_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (k == 0) {
			i++;
			continue;
		}
		cp = (uint32_t)(upper ? utf8proc_toupper((utf8proc_int32_t)cp)
				      : utf8proc_tolower((utf8proc_int32_t)cp));
		*n += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
						   (utf8proc_uint8_t *)out + *n);
		i += k;
	}
}

/* The host of the URL u[0..len) (as the tokenizer found it: with a scheme
 * or starting "www."), lower case, without "www.", user, password, port
 * and a final dot, into out (at least 4 * HOST_SRC_MAX bytes).  Returns
 * its length, 0 when there is no host. */
static size_t url_host(char *out, const char *u, size_t len)
{
	size_t i, start = 0, end, at, n = 0;

	/* A scheme: letters, then letters, digits, '+', '-' or '.', then "://". */
	for (i = 0; i < len && i < 32; i++) {
		char c = u[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))
			continue;
		if (i > 0 && c == ':' && len - i >= 3 && u[i + 1] == '/' && u[i + 2] == '/')
			start = i + 3;
		break;
	}
	/* The authority ends at the path, query or fragment. */
	for (end = start; end < len; end++)
		if (u[end] == '/' || u[end] == '?' || u[end] == '#' || u[end] == '\\')
			break;
	/* user:password@ goes: the host follows the last '@'. */
	for (at = end; at > start; at--)
		if (u[at - 1] == '@') {
			start = at;
			break;
		}
	if (start < end && u[start] == '[') {
		/* An IPv6 literal keeps its brackets, and its colons. */
		for (i = start; i < end && u[i] != ']'; i++)
			;
		end = i < end ? i + 1 : end;
	} else {
		for (i = start; i < end && u[i] != ':'; i++)
			;
		end = i;
	}
	while (end > start && u[end - 1] == '.')
		end--;
	if (end == start || end - start > HOST_SRC_MAX)
		return 0;
	case_map(out, &n, u + start, end - start, 0);
	if (n > 4 && memcmp(out, "www.", 4) == 0) {
		memmove(out, out + 4, n - 4);
		n -= 4;
	}
	return n;
}

/* Append the entities of one part (0 the title, 1 the text) of p. */
static void part_entities(const struct product_dict *d, struct post *p, int part,
			  const char *text, const struct tokens *tk)
{
	char val[4 * HOST_SRC_MAX];
	size_t i, n, skip_to = 0;

	for (i = 0; i < tk->n && p->n_entities < ENTITIES_MAX; i++) {
		const struct token *t = &tk->v[i];
		const char *fold = tk->fold.ptr + t->fold_off;

		switch (t->kind) {
		case TOKEN_HASHTAG:
			post_add_entity(p, POST_ENTITY_HASHTAG, part, t->off, t->len, fold,
					t->fold_len, 0);
			break;
		case TOKEN_MENTION:
			post_add_entity(p, POST_ENTITY_MENTION, part, t->off, t->len, fold,
					t->fold_len, 0);
			break;
		case TOKEN_CASHTAG:
			if (t->fold_len > CASHTAG_SRC_MAX)
				break;
			n = 0;
			case_map(val, &n, fold, t->fold_len, 1);
			if (n)
				post_add_entity(p, POST_ENTITY_CASHTAG, part, t->off, t->len, val,
						n, 0);
			break;
		case TOKEN_URL:
			n = url_host(val, text + t->off, t->len);
			if (n)
				post_add_entity(p, POST_ENTITY_URL, part, t->off, t->len, val, n,
						0);
			break;
		default:
			break;
		}
		if (d && i >= skip_to && t->kind != TOKEN_PUNCT && p->n_entities < ENTITIES_MAX) {
			n = match_products(d, p, part, tk, i);
			if (n)
				skip_to = i + n;
		}
	}
}

/* Append the entities of p's title (tokens title_tk, may be NULL) and text
 * (tokens tk) to p, in the order they occur, title first.  A part whose
 * string is NULL is skipped.  Allocates only the post's own entity
 * storage. */
void nlp_entities(const struct nlp *m, struct nlp_work *w, struct post *p,
		  const struct tokens *title_tk, const struct tokens *tk)
{
	const struct product_dict *d = m ? m->products : NULL;

	(void)w;
	if (title_tk && p->title)
		part_entities(d, p, 0, p->title, title_tk);
	if (tk && p->text)
		part_entities(d, p, 1, p->text, tk);
}
