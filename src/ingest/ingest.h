/* ingest.h - sources of posts.
 *
 * Files (ingest/file.c), read by `horch import`, and live sources: the
 * connectors of connector.h, run by horch serve's source runner
 * (runner.c), with their health (health.c).  A file
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

/* ---- live sources ---- */

struct conf;
struct matcher_slot;
struct pipeline;
struct store;
struct store_source;
struct source_conf;

/* The health of a source, as `horch source list`, the API and the alert
 * engine see it. */
enum source_state {
	SOURCE_NEW = 0,      /* never fetched yet */
	SOURCE_OK,           /* fetching, posts coming as usual */
	SOURCE_ERRORING,     /* SOURCE_ERRORS_ALERT or more failed fetches in a row */
	SOURCE_SILENT,       /* fetching, but no post for 6 hours where its baseline
			      * expects 10 or more */
	SOURCE_STALLED,      /* not fetched for 3 intervals (15 min at least): horch serve
			      * is not running it */
	SOURCE_DISABLED,     /* configured off */
};

#define SOURCE_ERRORS_ALERT 3

/* "new", "ok", "erroring", "silent", "stalled", "disabled". */
const char *source_state_name(enum source_state s);

/* The state of source s at now, and a sentence saying why into
 * why[0..size) ("3 failed fetches in a row: GET ...: HTTP 500").  Pure. */
enum source_state source_health(const struct store_source *s, int64_t now, char *why,
				size_t size);

/* Read a source from its store row (the params JSON into settings) into
 * *out (initialised here; the caller cleans it up).  Returns 0 or
 * HORCH_EINVAL (params not an object of strings). */
int source_from_store(struct source_conf *out, const struct store_source *s,
		      struct horch_err *err);

/* The keys a [source NAME] section of horch.conf may have, as conf_read()
 * takes them ("source *.kind", ...): every connector's. */
const char *const *source_conf_keys(void);

/* Store the [source NAME] sections of c (each checked by its connector)
 * as sources with from_config 1, and delete the stored sources that came
 * from the config and are no longer in it.  Returns 0, or HORCH_EINVAL
 * naming the section and line of a bad one (nothing stored then), or
 * HORCH_ESTORE. */
int source_sync_config(struct store *st, const struct conf *c, struct horch_err *err);

/* horch serve's runner: every enabled source of the store in a thread of
 * its own (a poll every interval with jitter, or a stream kept open),
 * posts into the pipeline, cursors stored with them, back-off on errors,
 * health reported to the store.  Sources added, changed or removed while
 * it runs are picked up within SOURCE_RESCAN_MS. */
struct source_runner;

#define SOURCE_RESCAN_MS 2000

struct source_runner_opts {
	const char *db;                 /* the store (URI) to read sources from and report to */
	struct pipeline *pl;            /* where the posts go; the caller finishes it after
					 * source_runner_stop() */
	struct matcher_slot *matchers;  /* the topics for the firehose pre-filter, or NULL */
};

int source_runner_start(struct source_runner **out, const struct source_runner_opts *o,
			struct horch_err *err);
/* Stop every source (a fetch in progress is aborted) and wait for the
 * threads.  NULL-safe. */
void source_runner_stop(struct source_runner *r);

#endif
