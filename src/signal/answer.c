/* answer.c - which customer posts a company's accounts answered, and how
 * fast: response rate, first-response time (median, mean, 90th percentile)
 * and SLA attainment per account (answer_brands()) and for all accounts
 * together (answer_total()).
 *
 * The input is a set of posts with reply links (id, author, parent id,
 * time).  A post by one of the configured accounts is a company post; every
 * other post is a customer post.  A customer post is addressed to an
 * account when it replies to one of the account's posts, names it as
 * '@handle' in its text, or the account replied to it.  An account's first
 * response to a customer post is its earliest reply to it; its delay is the
 * reply's time minus the post's.  Threads need nothing special: a
 * customer's reply to an account is itself a customer post, and the
 * account's reply to that reply answers it.  Replies dated before their
 * post (clock skew between the platform's servers) are left out and counted
 * in `skewed`; replies to a post that is not in the set (a thread cut by the
 * set's boundary) are left out and counted in `orphans`.  Replies of an
 * account to a company post (an account continuing its own thread, or one
 * account passing a case to another) answer nobody.
 *
 * Cost: O(n log n + total text length).  The ids are sorted once (no hash
 * table to size or to attack); each account's replies to each post are
 * gathered as (post, account, delay) pairs and sorted, so a post with many
 * replies costs no more than their number; the delays are sorted per
 * account, which gives exact medians and percentiles.  Pure computation:
 * no I/O, no globals, any thread. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "signal.h"
#include "../core/alloc.h"

#define HANDLE_MAX 63      /* bytes of an account handle */
#define NONE ((size_t)-1)  /* no account, no parent */

/* A post's id and its index, sorted to find parents. */
struct id_ref {
	const char *id;
	size_t i;
};

/* A valid reply of an account to a customer post. */
struct pair {
	size_t post;    /* the customer post */
	size_t acct;    /* the account that replied */
	int64_t delay;  /* ms from the post to the reply, >= 0 */
	size_t reply;   /* the reply's index: the earlier wins a tie */
};

/* A first response: the account and its delay. */
struct resp {
	size_t acct;
	int64_t delay;
};

/* What one pass over the posts found. */
struct answer_work {
	struct answer_brand *rows;  /* one per distinct account, sorted by handle */
	size_t n_rows;
	struct answer_brand total;  /* all accounts together */
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_handle_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Compare s[0..len) folded to lower case with the folded handle h, as
 * strcmp() would compare the folded s with h. */
static int fold_cmp(const char *s, size_t len, const char *h)
{
	size_t i;

	for (i = 0; i < len && h[i]; i++) {
		int a = lower((unsigned char)s[i]), b = (unsigned char)h[i];

		if (a != b)
			return a - b;
	}
	if (i < len)
		return 1;
	return h[i] ? -1 : 0;
}

/* The index in rows[0..n) (sorted by handle) of the account s[0..len), or
 * NONE. */
static size_t find_account(const struct answer_brand *rows, size_t n, const char *s,
			   size_t len)
{
	size_t lo = 0, hi = n;

	if (len == 0 || len > HANDLE_MAX)
		return NONE;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = fold_cmp(s, len, rows[mid].handle);

		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NONE;
}

static int cmp_handle(const void *a, const void *b)
{
	return strcmp(((const struct answer_brand *)a)->handle,
		      ((const struct answer_brand *)b)->handle);
}

/* Fold accounts[0..n) into *rows (sorted by handle, duplicates merged; the
 * caller frees it), NAN figures.  Returns 0 or HORCH_EINVAL naming the
 * handle at fault. */
static int fold_accounts(const char *const *accounts, size_t n, struct answer_brand **rows,
			 size_t *n_rows, struct horch_err *err)
{
	struct answer_brand *v = horch_xcalloc(n ? n : 1, sizeof *v);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = accounts[i] ? strlen(accounts[i]) : 0;

		if (len == 0 || len > HANDLE_MAX) {
			free(v);
			return horch_err_set(err, HORCH_EINVAL, "account %zu: a handle has 1 to %d "
					     "bytes, this one %zu", i + 1, HANDLE_MAX, len);
		}
		for (size_t j = 0; j < len; j++)
			v[i].handle[j] = (char)lower((unsigned char)accounts[i][j]);
	}
	qsort(v, n, sizeof *v, cmp_handle);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(v[k - 1].handle, v[i].handle) != 0)
			v[k++] = v[i];
	*rows = v;
	*n_rows = k;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	const struct id_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The index of the first post with id s in ids[0..n) (sorted), or NONE. */
static size_t find_id(const struct id_ref *ids, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ids[mid].id, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(ids[lo].id, s) == 0 ? ids[lo].i : NONE;
}

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->post != y->post)
		return x->post < y->post ? -1 : 1;
	if (x->acct != y->acct)
		return x->acct < y->acct ? -1 : 1;
	if (x->delay != y->delay)
		return x->delay < y->delay ? -1 : 1;
	return x->reply < y->reply ? -1 : x->reply > y->reply;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_resp(const void *a, const void *b)
{
	const struct resp *x = a, *y = b;

	if (x->acct != y->acct)
		return x->acct < y->acct ? -1 : 1;
	return x->delay < y->delay ? -1 : x->delay > y->delay;
}

/* The delay from t0 to t1 (t1 >= t0) in ms, saturated at INT64_MAX: the
 * difference of two int64_t times may not fit one. */
static int64_t delay_of(int64_t t0, int64_t t1)
{
	uint64_t d = (uint64_t)t1 - (uint64_t)t0;

	return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
}

/* Count the post in the asked figure of account a, once per post: stamp[a]
 * holds the last post counted for a, plus one. */
static void mark(struct answer_brand *rows, size_t *stamp, size_t a, size_t post,
		 size_t *n_marked)
{
	if (a == NONE || stamp[a] == post + 1)
		return;
	stamp[a] = post + 1;
	rows[a].asked++;
	(*n_marked)++;
}

/* Mark every account that text names as '@handle': an '@' followed by
 * Twitter's handle characters (letters, digits, '_'), the name ending at the
 * first other byte ("@DellCares's" names DellCares).  An '@' right after a
 * handle character is part of an address (name@example.com), not a
 * mention. */
static void mark_mentions(struct answer_brand *rows, size_t n_rows, size_t *stamp,
			  const char *text, size_t post, size_t *n_marked)
{
	for (size_t i = 0; text[i]; i++) {
		size_t j;

		if (text[i] != '@' || (i > 0 && is_handle_char((unsigned char)text[i - 1])))
			continue;
		for (j = i + 1; is_handle_char((unsigned char)text[j]); j++)
			;
		mark(rows, stamp, find_account(rows, n_rows, text + i + 1, j - i - 1), post,
		     n_marked);
		i = j - 1;
	}
}

/* Fill the time figures of r from its sorted delays d[0..n) in ms: the exact
 * median (the mean of the two middle values for an even n), the mean, and
 * the 90th percentile by nearest rank (the smallest delay with at least 90 %
 * of the delays at or below it). */
static void figures(struct answer_brand *r, const int64_t *d, size_t n)
{
	long double sum = 0;

	if (n == 0) {
		r->median_min = r->mean_min = r->p90_min = NAN;
		return;
	}
	for (size_t i = 0; i < n; i++)
		sum += d[i];
	if (n % 2)
		r->median_min = (double)d[n / 2] / 60000.0;
	else
		r->median_min = ((double)d[n / 2 - 1] / 2 + (double)d[n / 2] / 2) / 60000.0;
	r->mean_min = (double)(sum / n / 60000.0L);
	r->p90_min = (double)d[(9 * n + 9) / 10 - 1] / 60000.0;
}

/* The one pass both entry points share: fills w (w->rows owned by the
 * caller afterwards).  Returns 0 or HORCH_EINVAL from fold_accounts(). */
static int tally(struct answer_work *w, const struct answer_post *p, const char *const *texts,
		 size_t n, const char *const *accounts, size_t n_accounts, int64_t sla_ms,
		 struct horch_err *err)
{
	struct id_ref *ids = NULL;
	struct pair *pairs = NULL;
	struct resp *resp = NULL;
	int64_t *d = NULL, *all = NULL;
	size_t *acct = NULL, *stamp = NULL;
	unsigned char *dup = NULL;
	size_t n_ids = 0, n_pairs = 0, n_resp = 0, n_all = 0, k;
	int rc;

	memset(w, 0, sizeof *w);
	rc = fold_accounts(accounts, n_accounts, &w->rows, &w->n_rows, err);
	if (rc)
		goto out;
	acct = horch_xmalloc((n ? n : 1) * sizeof *acct);
	dup = horch_xcalloc(n ? n : 1, 1);
	ids = horch_xmalloc((n ? n : 1) * sizeof *ids);
	pairs = horch_xmalloc((n ? n : 1) * sizeof *pairs);
	stamp = horch_xcalloc(w->n_rows ? w->n_rows : 1, sizeof *stamp);

	for (size_t i = 0; i < n; i++) {
		const char *a = p[i].author;

		acct[i] = a ? find_account(w->rows, w->n_rows, a, strlen(a)) : NONE;
		if (p[i].id) {
			ids[n_ids].id = p[i].id;
			ids[n_ids++].i = i;
		}
	}
	qsort(ids, n_ids, sizeof *ids, cmp_id);
	/* A repeated id: the first post keeps it, the others are left out. */
	for (size_t i = 1; i < n_ids; i++)
		if (strcmp(ids[i - 1].id, ids[i].id) == 0)
			dup[ids[i].i] = 1;

	/* Every account's replies to customer posts, as pairs. */
	for (size_t r = 0; r < n; r++) {
		size_t q, a = acct[r];

		if (a == NONE || dup[r] || !p[r].parent)
			continue;
		q = find_id(ids, n_ids, p[r].parent);
		if (q == NONE) {
			w->rows[a].orphans++;
			w->total.orphans++;
			continue;
		}
		if (acct[q] != NONE)
			continue;
		if (p[r].t < p[q].t) {
			w->rows[a].skewed++;
			w->total.skewed++;
			continue;
		}
		pairs[n_pairs].post = q;
		pairs[n_pairs].acct = a;
		pairs[n_pairs].delay = delay_of(p[q].t, p[r].t);
		pairs[n_pairs++].reply = r;
	}
	qsort(pairs, n_pairs, sizeof *pairs, cmp_pair);

	/* Each customer post: whom it was addressed to, who answered first. */
	resp = horch_xmalloc((n_pairs ? n_pairs : 1) * sizeof *resp);
	all = horch_xmalloc((n_pairs ? n_pairs : 1) * sizeof *all);
	k = 0;
	for (size_t c = 0; c < n; c++) {
		size_t n_marked = 0;
		int64_t first = 0;
		int answered = 0;

		if (acct[c] != NONE || dup[c])
			continue;
		if (p[c].parent) {
			size_t q = find_id(ids, n_ids, p[c].parent);

			if (q != NONE && !dup[q])
				mark(w->rows, stamp, acct[q], c, &n_marked);
		}
		if (texts && texts[c])
			mark_mentions(w->rows, w->n_rows, stamp, texts[c], c, &n_marked);
		/* The pairs are sorted by post: those of c are next, by account
		 * and delay, so the first of each account's run is its first
		 * response. */
		for (; k < n_pairs && pairs[k].post == c; k++) {
			if (k > 0 && pairs[k - 1].post == c && pairs[k - 1].acct == pairs[k].acct)
				continue;
			mark(w->rows, stamp, pairs[k].acct, c, &n_marked);
			resp[n_resp].acct = pairs[k].acct;
			resp[n_resp++].delay = pairs[k].delay;
			w->rows[pairs[k].acct].answered++;
			if (pairs[k].delay <= sla_ms)
				w->rows[pairs[k].acct].within_sla++;
			if (!answered || pairs[k].delay < first)
				first = pairs[k].delay;
			answered = 1;
		}
		if (n_marked)
			w->total.asked++;
		if (answered) {
			w->total.answered++;
			if (first <= sla_ms)
				w->total.within_sla++;
			all[n_all++] = first;
		}
	}

	/* The delays sorted per account give each account's figures. */
	qsort(resp, n_resp, sizeof *resp, cmp_resp);
	d = horch_xmalloc((n_resp ? n_resp : 1) * sizeof *d);
	for (size_t i = 0; i < n_resp; i++)
		d[i] = resp[i].delay;
	k = 0;
	for (size_t a = 0; a < w->n_rows; a++) {
		size_t start = k;

		while (k < n_resp && resp[k].acct == a)
			k++;
		figures(&w->rows[a], d + start, k - start);
	}
	qsort(all, n_all, sizeof *all, cmp_i64);
	figures(&w->total, all, n_all);
out:
	free(ids);
	free(pairs);
	free(resp);
	free(d);
	free(all);
	free(acct);
	free(stamp);
	free(dup);
	if (rc) {
		free(w->rows);
		w->rows = NULL;
		w->n_rows = 0;
	}
	return rc;
}

/* Busiest first: more posts asked, then the handle. */
static int cmp_busiest(const void *a, const void *b)
{
	const struct answer_brand *x = a, *y = b;

	if (x->asked != y->asked)
		return x->asked > y->asked ? -1 : 1;
	return strcmp(x->handle, y->handle);
}

int answer_brands(const struct answer_post *p, const char *const *texts, size_t n,
		  const char *const *accounts, size_t n_accounts, int64_t sla_ms,
		  struct answer_brand **out, size_t *n_out, struct horch_err *err)
{
	struct answer_work w;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	rc = tally(&w, p, texts, n, accounts, n_accounts, sla_ms, err);
	if (rc)
		return rc;
	/* Accounts that nobody asked and that replied to nobody have no row. */
	for (size_t i = 0; i < w.n_rows; i++)
		if (w.rows[i].asked || w.rows[i].skewed || w.rows[i].orphans)
			w.rows[k++] = w.rows[i];
	qsort(w.rows, k, sizeof *w.rows, cmp_busiest);
	*out = w.rows;
	*n_out = k;
	return 0;
}

int answer_total(const struct answer_post *p, const char *const *texts, size_t n,
		 const char *const *accounts, size_t n_accounts, int64_t sla_ms,
		 struct answer_brand *out, struct horch_err *err)
{
	struct answer_work w;
	int rc;

	rc = tally(&w, p, texts, n, accounts, n_accounts, sla_ms, err);
	if (rc)
		return rc;
	free(w.rows);
	*out = w.total;
	return 0;
}
