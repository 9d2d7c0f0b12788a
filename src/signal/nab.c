/* nab.c - the Numenta Anomaly Benchmark's scoring, re-implemented from its
 * published description (Lavin and Ahmad, "Evaluating Real-time Anomaly
 * Detection Algorithms - the Numenta Anomaly Benchmark", 2015, and NAB's
 * README).
 *
 * Each row of a series after the probationary period gets a weight: inside
 * a window, the scaled sigmoid of its position relative to the window's
 * right end (about +1 at the left edge, 0 at the right edge); outside, -1
 * before the first window and the scaled sigmoid of its distance after the
 * preceding window (towards -1 as it moves away).  At a threshold, a window
 * scores the weight of its earliest detection times A_TP, or -A_FN when it
 * has none; each detection outside windows adds its weight times A_FP.  The
 * score is normalised so that the null detector scores 0 and the perfect
 * one (a detection at the first row of each window) 100.  docs/signals.md
 * walks through it with the figures. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "signal.h"
#include "../core/alloc.h"

const struct nab_profile nab_standard = { 1.0, 0.11, 1.0 };

size_t nab_probation(size_t n)
{
	size_t p = (size_t)floor(0.15 * (double)n);

	return p < 750 ? p : 750;
}

/* NAB's scaled sigmoid: 2 / (1 + e^(5x)) - 1, and -1 beyond x = 3. */
static double scaled_sigmoid(double x)
{
	if (x > 3.0)
		return -1.0;
	return 2.0 / (1.0 + exp(5.0 * x)) - 1.0;
}

/* Where each row of a series stands: win[i] is the window of row i or -1,
 * weight[i] its sweep weight (before the profile's factor). */
struct rows {
	long *win;
	double *weight;
	size_t n_win_counted;  /* windows with a row after the probation */
	double perfect_w;      /* sum of the weights of each counted window's first row */
};

static void rows_cleanup(struct rows *r)
{
	free(r->win);
	free(r->weight);
}

/* Lay out series s: which rows fall into which window, and their weights.
 * Returns 0, or HORCH_EINVAL with err filled when the windows are not in
 * order or the times are not ascending. */
static int rows_of(const struct nab_series *s, struct rows *r, struct horch_err *err)
{
	size_t prob = nab_probation(s->n), k = 0;
	long prev_right = -1, prev_width = 0;
	int rc = 0;

	memset(r, 0, sizeof *r);
	r->win = horch_xcalloc(s->n ? s->n : 1, sizeof *r->win);
	r->weight = horch_xcalloc(s->n ? s->n : 1, sizeof *r->weight);
	for (size_t i = 1; i < s->n; i++)
		if (s->t[i] <= s->t[i - 1])
			return horch_err_set(err, HORCH_EINVAL, "%s: row %zu is not after the row "
					     "before it", s->name, i + 1);
	for (size_t w = 0; w < s->n_win; w++)
		if (s->win_end[w] < s->win_start[w] ||
		    (w && s->win_start[w] <= s->win_end[w - 1]))
			return horch_err_set(err, HORCH_EINVAL, "%s: window %zu is empty or not "
					     "after the window before it", s->name, w + 1);
	for (size_t i = 0; i < s->n;) {
		/* Skip windows that end before this row (no row falls into them). */
		while (k < s->n_win && s->win_end[k] < s->t[i])
			k++;
		if (k < s->n_win && s->t[i] >= s->win_start[k]) {
			size_t left = i, right = i;
			int first = 1;

			while (right + 1 < s->n && s->t[right + 1] <= s->win_end[k])
				right++;
			for (size_t j = left; j <= right; j++) {
				double pos = -(double)(right - j + 1) / (double)(right - left + 1);

				r->win[j] = (long)k;
				r->weight[j] = scaled_sigmoid(pos);
				if (j >= prob && first) {
					r->perfect_w += r->weight[j];
					r->n_win_counted++;
					first = 0;
				}
			}
			prev_right = (long)right;
			prev_width = (long)(right - left + 1);
			k++;
			i = right + 1;
			continue;
		}
		r->win[i] = -1;
		if (prev_right < 0) {
			r->weight[i] = -1.0;
		} else {
			double den = prev_width > 1 ? (double)(prev_width - 1) : 1.0;

			r->weight[i] = scaled_sigmoid((double)((long)i - prev_right) / den);
		}
		i++;
	}
	return rc;
}

int nab_score(const struct nab_series *s, size_t n_s, double threshold,
	      const struct nab_profile *p, struct nab_result *out, struct nab_result *total,
	      struct horch_err *err)
{
	int rc = 0;

	memset(total, 0, sizeof *total);
	for (size_t si = 0; si < n_s; si++) {
		const struct nab_series *ser = &s[si];
		struct nab_result *o = &out[si];
		size_t prob = nab_probation(ser->n);
		double *best;
		struct rows r;

		memset(o, 0, sizeof *o);
		rc = rows_of(ser, &r, err);
		if (rc) {
			rows_cleanup(&r);
			return rc;
		}
		best = horch_xcalloc(ser->n_win ? ser->n_win : 1, sizeof *best);
		for (size_t w = 0; w < ser->n_win; w++)
			best[w] = NAN;
		for (size_t i = prob; i < ser->n; i++) {
			if (!(ser->score[i] >= threshold))
				continue;
			if (r.win[i] < 0) {
				o->fp++;
				o->raw += p->a_fp * r.weight[i];
			} else if (isnan(best[r.win[i]])) {
				/* The rows go forward in time: the first detection of a
				 * window is its earliest, the one that counts. */
				best[r.win[i]] = p->a_tp * r.weight[i];
			}
		}
		/* Only windows with a row after the probation count. */
		for (size_t w = 0; w < ser->n_win; w++) {
			if (!isnan(best[w])) {
				o->tp++;
				o->raw += best[w];
			}
		}
		o->fn = r.n_win_counted - o->tp;
		o->raw -= p->a_fn * (double)o->fn;
		o->null_raw = -p->a_fn * (double)r.n_win_counted;
		o->perfect = p->a_tp * r.perfect_w;
		o->score = o->perfect > o->null_raw ?
			100.0 * (o->raw - o->null_raw) / (o->perfect - o->null_raw) : 0;
		total->raw += o->raw;
		total->null_raw += o->null_raw;
		total->perfect += o->perfect;
		total->tp += o->tp;
		total->fp += o->fp;
		total->fn += o->fn;
		free(best);
		rows_cleanup(&r);
	}
	total->score = total->perfect > total->null_raw ?
		100.0 * (total->raw - total->null_raw) / (total->perfect - total->null_raw) : 0;
	return 0;
}

/* A scorable row in the sweep of nab_optimise. */
struct sweep_row {
	double score;
	double weight;   /* the profile's factor included */
	size_t part;     /* the window's index among all windows, or SIZE_MAX */
};

static int cmp_sweep(const void *a, const void *b)
{
	const struct sweep_row *x = a, *y = b;

	return x->score > y->score ? -1 : x->score < y->score ? 1 : 0;
}

int nab_optimise(const struct nab_series *s, size_t n_s, const struct nab_profile *p,
		 double *threshold, struct horch_err *err)
{
	struct sweep_row *v = NULL;
	double *part = NULL, total = 0, best, best_thr = 1.1;
	size_t n = 0, n_parts = 0, cap = 0, base = 0;
	int rc = 0;

	for (size_t si = 0; si < n_s; si++)
		n_parts += s[si].n_win;
	part = horch_xcalloc(n_parts ? n_parts : 1, sizeof *part);
	for (size_t si = 0; si < n_s; si++) {
		struct rows r;

		rc = rows_of(&s[si], &r, err);
		if (rc) {
			rows_cleanup(&r);
			goto out;
		}
		/* A counted window starts at -A_FN; one without scorable rows
		 * is out of the score and its part stays 0. */
		for (size_t i = nab_probation(s[si].n); i < s[si].n; i++) {
			v = horch_xgrow(v, &cap, n + 1, sizeof *v);
			v[n].score = s[si].score[i];
			if (r.win[i] < 0) {
				v[n].part = SIZE_MAX;
				v[n].weight = p->a_fp * r.weight[i];
			} else {
				size_t w = base + (size_t)r.win[i];

				if (part[w] == 0)
					total -= p->a_fn;
				part[w] = -p->a_fn;
				v[n].part = w;
				v[n].weight = p->a_tp * r.weight[i];
			}
			if (!isnan(v[n].score))
				n++;
		}
		base += s[si].n_win;
		rows_cleanup(&r);
	}
	qsort(v, n, sizeof *v, cmp_sweep);
	best = total;
	for (size_t i = 0; i < n; i++) {
		if (v[i].part == SIZE_MAX) {
			total += v[i].weight;
		} else if (v[i].weight > part[v[i].part]) {
			total += v[i].weight - part[v[i].part];
			part[v[i].part] = v[i].weight;
		}
		/* Ties: a threshold detects every row of its score at once. */
		if (i + 1 < n && v[i + 1].score == v[i].score)
			continue;
		if (total > best + 1e-12) {
			best = total;
			best_thr = v[i].score;
		}
	}
	*threshold = best_thr;
out:
	free(v);
	free(part);
	return rc;
}
