/* store.h - where posts are kept: one interface, one file per backend.
 *
 * A store is opened from a URI: "sqlite:PATH" or a plain PATH (SQLite, the
 * default).  Later backends (PostgreSQL) plug in behind the same calls; the
 * rest of horch does not know which one is in use.  Opening applies every
 * pending schema migration.
 *
 * Threads: a struct store is used by one thread at a time.  The pipeline
 * gives its single writer thread its own store; readers open their own. */
#ifndef HORCH_STORE_H
#define HORCH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/post.h"

struct store;

struct store_opts {
	int no_fts;       /* 1: do not maintain the full-text index (benchmarks only) */
	int read_only;    /* 1: open read-only; fail if the database does not exist */
};

/* Open (creating if needed, unless read_only) the store named by uri and
 * bring its schema up to date.  opts may be NULL for the defaults.  On
 * success returns 0 and sets *out (free with store_close()).  On failure
 * returns HORCH_ESTORE/HORCH_EINVAL/HORCH_EIO with the reason in err and
 * leaves *out untouched. */
int store_open(struct store **out, const char *uri, const struct store_opts *opts,
	       struct horch_err *err);
void store_close(struct store *st);  /* NULL-safe */

/* The schema version the database is at (after store_open: the latest). */
int store_schema_version(struct store *st);

/* Outcome of one post in store_put_posts(). */
enum store_put_status {
	STORE_PUT_NEW = 0,  /* stored; post->id set */
	STORE_PUT_DUP = 1,  /* (source, external_id) was already stored: nothing written */
};

/* Store posts[0..n) in one transaction.  status (may be NULL) receives one
 * enum store_put_status per post; a new post's id is set.  Either the whole
 * batch is committed or, on failure, none of it (returns HORCH_ESTORE with
 * the reason; ids are then left at 0). */
int store_put_posts(struct store *st, struct post *const *posts, size_t n,
		    int *status, struct horch_err *err);

/* What store_search() looks for.  Zero/NULL fields do not filter. */
struct store_query {
	const char *fts;        /* FTS5 expression over title and text, or NULL; a word FTS5
				 * cannot take bare (#tag, @handle, e-mail, don't) is a
				 * phrase of its parts, -word excludes */
	int64_t since;          /* created_at >= since (ms); HORCH_TIME_NONE: no bound */
	int64_t until;          /* created_at < until (ms); HORCH_TIME_NONE: no bound */
	const char *source;     /* exact source */
	const char *lang;       /* exact language code */
	const char *author;     /* exact handle (case-insensitive, without '@') */
	int64_t before_id;      /* cursor: only posts ordered after this id; 0: from the start */
	size_t limit;           /* at most this many; 0 means 100 */
};

void store_query_init(struct store_query *q);

/* Called once per result, newest first (created_at, then id, descending).
 * The post and its strings are valid only during the call.  Return 0 to go
 * on, anything else to stop (store_search() then returns HORCH_ESTOP). */
typedef int (*store_post_fn)(void *ctx, const struct post *p);

/* Find posts matching q.  Returns 0, HORCH_EPARSE for a bad FTS5 expression
 * (the message names the place), HORCH_ESTOP, or HORCH_ESTORE. */
int store_search(struct store *st, const struct store_query *q, store_post_fn fn,
		 void *ctx, struct horch_err *err);

/* One row of store_stats(): count posts per key of one dimension. */
enum store_dim {
	STORE_DIM_SOURCE = 0,  /* key: source */
	STORE_DIM_LANG,        /* key: language code, "" when unknown */
	STORE_DIM_DAY,         /* key: YYYY-MM-DD (UTC) of created_at, "" when unknown */
};
typedef int (*store_count_fn)(void *ctx, const char *key, int64_t count);

/* Count posts by dim, largest count first (by day: newest day first),
 * at most limit rows (0: all), within q's filters (q may be NULL; its fts,
 * before_id and limit are ignored). */
int store_stats(struct store *st, enum store_dim dim, const struct store_query *q,
		size_t limit, store_count_fn fn, void *ctx, struct horch_err *err);

/* Total number of stored posts. */
int store_count_posts(struct store *st, int64_t *out, struct horch_err *err);

#endif
