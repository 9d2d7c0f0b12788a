/* cluster.h - grouping short texts by the terms they share, for the
 * launch scorecard's "top complaints" and "top questions".
 *
 * The texts of one kind (a topic's complaints in a window) are tokenised
 * as trending.c does (words and hashtags, folded, hashtags without their
 * '#'), and their terms are picked by trending's rule, trend_is_term():
 * no stop words, no terms of the topic's own query, no tokens of one or
 * two letters, numbers or links.  Each term gets a telling weight: the
 * number of texts that have it (its document frequency, df), times
 * log((N_base + 1) / (df_base + 1)) when baseline texts are given (a term
 * as common there as here, the product's name in every post, tells
 * little).  Each text then joins the cluster of its most telling term
 * (ties: the higher df, then the term bytewise); a cluster is labelled by
 * its term and the one or two terms that occur most often beside it
 * ("hinge · cracked · refund"), counts its texts (and their weight), and
 * keeps its heaviest text as the example.  docs/internals/clusters.md has
 * the method, why, and a worked example.
 *
 * The answer does not depend on the order of the texts (the example is
 * the heaviest text, ties the lowest id), except when more than
 * TREND_TERMS_MAX distinct terms occur: the terms seen last are then not
 * counted.  Pure computation, no I/O, no state between calls: any thread. */
#ifndef HORCH_HTTP_CLUSTER_H
#define HORCH_HTTP_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

struct query;

/* One text to cluster.  Strings are not owned. */
struct cluster_doc {
	int64_t id;            /* the post's id */
	const char *title;     /* may be NULL */
	const char *text;      /* may be NULL */
	double weight;         /* e.g. the post's priority; 0, less or not finite counts as 1 */
};

#define CLUSTER_TEXTS_MAX 1000000u /* texts, and baseline texts, one call takes */
#define CLUSTER_TERM_MAX 64u       /* bytes of a term (trending's TREND_TERM_MAX) */
#define CLUSTER_LABEL_MAX 128u     /* bytes of a label with its NUL */

/* One cluster of the answer. */
struct cluster {
	char label[CLUSTER_LABEL_MAX];     /* "hinge · cracked · refund" */
	char term[CLUSTER_TERM_MAX + 1];   /* its main term ("hinge"), folded */
	size_t n;                          /* texts in it */
	double weight;                     /* their summed weight */
	double share;                      /* n over all texts given */
	int64_t example;                   /* the id of its heaviest text (ties: lowest id) */
};

/* Cluster docs[0..n) and store the k biggest clusters (by number of texts,
 * then weight, then term bytewise) in out[0..k) and their number in
 * *n_out (fewer than k when there are fewer clusters).  The terms of q
 * (NULL: none) are left out, as trending does.  base[0..n_base) (may be
 * NULL) are baseline texts: the posts of the topic in the same window, or
 * of the day before.  A label's further terms occur in at least two of
 * the cluster's texts and in a tenth of them at least; a label that would
 * pass CLUSTER_LABEL_MAX - 1 bytes has fewer.  Texts with no term (empty,
 * only stop words, or longer than TEXT_MAX) are in no cluster but count
 * in the shares.  Returns 0, HORCH_ETOOBIG with err filled when n or
 * n_base is above CLUSTER_TEXTS_MAX, or HORCH_EINVAL when an array the
 * counts need is NULL; *n_out is then 0. */
int cluster_texts(const struct cluster_doc *docs, size_t n, const struct cluster_doc *base,
		  size_t n_base, const struct query *q, size_t k, struct cluster *out,
		  size_t *n_out, struct horch_err *err);

#endif
