/* ingest.h - sources of posts.
 *
 * For now one source: files (ingest/file.c), read by `horch import`.  A file
 * is JSON Lines (the canonical post format, one object a line) or CSV with
 * a header row and a column mapping.  The reader turns each record into a
 * struct post; a bad record is reported with its file, line and reason and
 * the reader goes on with the next one.
 *
 * Threads: a reader is used by one thread at a time. */
#ifndef HORCH_INGEST_H
#define HORCH_INGEST_H

#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/post.h"

enum file_format {
	FILE_FORMAT_AUTO = 0,  /* from the name: .csv is CSV, anything else JSON Lines */
	FILE_FORMAT_JSONL,
	FILE_FORMAT_CSV,
};

struct file_opts {
	enum file_format format;   /* FILE_FORMAT_AUTO by default */
	const struct post_map *map;/* input names for canonical fields, or NULL */
	const char *source;        /* source for records that name none (--source), or NULL */
	char delimiter;            /* CSV field delimiter; 0 means ',' */
};

struct file_reader;

/* Open path ("-" is standard input) for reading posts.  On success returns 0
 * and sets *out.  Fails with HORCH_EIO (cannot open), HORCH_EPARSE (a CSV
 * header that cannot be read) or HORCH_EINVAL (a --map naming a column the
 * CSV header lacks, or an unknown canonical field); err says which. */
int file_reader_open(struct file_reader **out, const char *path,
		     const struct file_opts *opts, struct horch_err *err);
void file_reader_close(struct file_reader *r);  /* NULL-safe */

/* Read the next record into p (freshly initialised by the caller).
 * Returns 1 when p holds a post, 0 at the end of the file, or a negative
 * code for a bad record: err then has the reason and err->line the line
 * where the record starts (err->col where known); p is cleaned up and the
 * reader is positioned at the next record, so reading may go on.  Blank
 * lines in JSON Lines are skipped silently.  A record without a source gets
 * opts.source (or "import"); one without an external_id gets a derived one
 * (post_derive_external_id()). */
int file_reader_next(struct file_reader *r, struct post *p, struct horch_err *err);

/* Bytes consumed so far and the file's size (0 if unknown, e.g. a pipe),
 * for a progress bar. */
uint64_t file_reader_offset(const struct file_reader *r);
uint64_t file_reader_size(const struct file_reader *r);
/* The name the reader was opened with, for messages. */
const char *file_reader_name(const struct file_reader *r);

/* Parse a --map argument "canonical=input,canonical=input,..." into *out.
 * Returns 0 or HORCH_EUSAGE naming the bad entry (an unknown canonical
 * field, a missing '=').  Free with post_map_cleanup(). */
int post_map_parse(struct post_map *out, const char *spec, struct horch_err *err);
void post_map_cleanup(struct post_map *m);

#endif
