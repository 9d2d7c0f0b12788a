/* evalset.h - labelled evaluation and training sets, read from the files
 * people label (and from the public sets in ../shared/data).
 *
 * One reader for every format horch eval and horch train take, told apart by
 * their shape (docs/accuracy.md lists them):
 *   - CSV with a header: the text column is "text", "content" or "CONTENT";
 *     the label column is named by the task ("airline_sentiment",
 *     "sentiment", "label", "labels", "CLASS", "lang", "intent",
 *     "negativereason"...);
 *   - TSV without a header: "id<TAB>label<TAB>text" (SB10k),
 *     "id<TAB>valence<TAB>text" (VADER's ground truth: the mean human
 *     valence, bucketed at +-0.5), "text<TAB>label", and GermEval 2017's
 *     "url<TAB>text<TAB>relevance<TAB>sentiment<TAB>aspects";
 *   - JSON Lines: objects with "text" and a label member ("label",
 *     "sentiment", "lang", "intent", "spam").
 * Every text is normalised (text_normalise()); exact duplicate texts are
 * dropped after the first (the public sets hold some), and counted.
 *
 * One thread. */
#ifndef HORCH_CLI_EVALSET_H
#define HORCH_CLI_EVALSET_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

/* What the labels are about; decides the label column and spelling. */
enum evalset_task {
	EVALSET_LANG = 0,   /* ISO 639-1 codes */
	EVALSET_SENTIMENT,  /* negative, neutral, positive */
	EVALSET_SPAM,       /* spam, ham */
	EVALSET_INTENT,     /* complaint, question, praise, purchase, idea, other */
};

/* One text read (private to evalset.c). */
struct evalset_seen {
	uint64_t hash;      /* 0: a free slot */
	size_t item;        /* its index in evalset.v */
};

struct evalset_item {
	char *text;         /* normalised UTF-8, NUL-terminated */
	size_t len;         /* its byte length */
	const char *label;  /* the label in horch's spelling (points into the set) */
	char *lang;         /* the language given by the file, or NULL */
	size_t line;        /* the line (record) of the file it came from, from 1 */
};

struct evalset {
	struct evalset_item *v;
	size_t n;
	const char *format;   /* what the last file was read as: "csv", "tsv" or "jsonl" */
	size_t n_duplicates;  /* records dropped because their text came earlier */
	size_t n_unlabelled;  /* records without a usable label, skipped */
	char **labels;        /* the distinct labels, in first-seen order */
	size_t n_labels;
	/* private to evalset.c */
	size_t cap;           /* allocated items */
	struct evalset_seen *seen; /* the texts read, by hash, for duplicates */
	size_t seen_cap, seen_n;
};

/* Read the labelled file at path for task into out, which is zeroed ({ 0 })
 * or holds the sets of earlier calls: the texts are appended, and a text
 * that an earlier file held counts as a duplicate.  Returns 0 (free out
 * with evalset_cleanup()), or HORCH_EIO / HORCH_EPARSE / HORCH_EINVAL /
 * HORCH_ETOOBIG with err naming the file and the line (and column or field)
 * at fault; out then holds what earlier calls read. */
int evalset_read(struct evalset *out, const char *path, enum evalset_task task,
		 struct horch_err *err);
/* The same on a file already in memory, data[0..len) (any bytes), named
 * name in messages. */
int evalset_read_mem(struct evalset *out, const char *name, const char *data, size_t len,
		     enum evalset_task task, struct horch_err *err);
void evalset_cleanup(struct evalset *s);  /* NULL-safe */

#endif
