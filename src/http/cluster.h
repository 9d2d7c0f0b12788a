/* cluster.h - grouping short texts by the terms they share, for the
 * launch scorecard's "top complaints" and "top questions".
 *
 * The texts of one kind (a topic's complaints in a window) are tokenised
 * as trending.c does (words and hashtags, folded, without stop words, the
 * topic's own query terms, tokens of one or two letters, numbers and
 * links).  Each text is then given to the cluster of its most telling term
 * (the term with the highest document frequency among this set's terms,
 * weighted against how common the term is in the baseline texts when
 * given); a cluster is labelled by its term and the one or two terms that
 * occur most often beside it ("hinge · cracked · refund"), counts its texts
 * (and their weight), and keeps its heaviest text as the example.  Pure
 * computation, no I/O; the stop-word table is shared with trending.c. */
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
	double weight;         /* e.g. the post's priority; 0 counts as 1 */
};

#define CLUSTER_LABEL_MAX 128u

/* One cluster of the answer. */
struct cluster {
	char label[CLUSTER_LABEL_MAX]; /* "hinge · cracked · refund" */
	char term[64];                 /* its main term ("hinge") */
	size_t n;                      /* texts in it */
	double weight;                 /* their summed weight */
	double share;                  /* n over all texts given */
	int64_t example;               /* the id of its heaviest text */
};

/* Cluster docs[0..n) and store the k biggest clusters (by number of texts,
 * then weight, then term) in out[0..k) and their number in *n_out.  The
 * terms of q (NULL: none) are left out, as trending does.  base[0..n_base)
 * (may be NULL) are baseline texts: a term as common there as here (the
 * product's name in every post) tells less.  Texts with no term are left
 * out of every cluster.  Returns 0, or HORCH_ETOOBIG with err filled when
 * n is above 1,000,000. */
int cluster_texts(const struct cluster_doc *docs, size_t n, const struct cluster_doc *base,
		  size_t n_base, const struct query *q, size_t k, struct cluster *out,
		  size_t *n_out, struct horch_err *err);

#endif
