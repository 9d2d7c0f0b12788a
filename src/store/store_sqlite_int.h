/* store_sqlite_int.h - inside the SQLite backend: the struct of one open
 * store, shared by the files of the backend (store_sqlite.c: posts,
 * topics, users; store_signal.c: buckets, answers, launches, alerts) and
 * the few helpers they share.  Nothing outside src/store/ includes it. */
#ifndef HORCH_STORE_SQLITE_INT_H
#define HORCH_STORE_SQLITE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "store_int.h"

/* The thread that copies WAL pages into the database while the writer
 * goes on.  Started by the first commit that fills the WAL past
 * WAL_CHECKPOINT_PAGES; stopped by sqlite_close(). */
struct checkpointer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	sqlite3 *db;               /* its own connection to the same file */
	int started;               /* the thread runs */
	int failed;                /* it could not be started: the writer checkpoints */
	int pending;               /* a checkpoint is wanted */
	int stop;                  /* the store is closing */
};

/* Rows written per topic during one batch of matches: an open-addressing
 * hash table from topic id (> 0; 0 marks a free slot) to a count.  Kept in
 * the store and reused, so that a batch allocates nothing once the table
 * has grown to the number of topics a batch touches. */
struct tally_slot {
	int64_t topic;
	int64_t n;
};

struct tally {
	struct tally_slot *slot;  /* cap slots */
	size_t cap;               /* a power of two, or 0 */
	size_t n;                 /* slots in use */
};

struct sqlite_store {
	struct store base;         /* must be first: a struct store * points here */
	sqlite3 *db;               /* the connection */
	char *path;                /* the path as given, for messages */
	int read_only;             /* opened with SQLITE_OPEN_READONLY */
	int no_fts;                /* do not write post_fts rows */
	int version;               /* PRAGMA user_version after open */
	store_refs_fn topic_refs;  /* the references of a query, or NULL (store_opts) */
	/* Statements of store_put_posts(), prepared once (NULL when read-only). */
	sqlite3_stmt *begin;       /* BEGIN IMMEDIATE */
	sqlite3_stmt *commit;      /* COMMIT */
	sqlite3_stmt *rollback;    /* ROLLBACK */
	sqlite3_stmt *ins_post;    /* INSERT INTO post ... ON CONFLICT DO NOTHING */
	sqlite3_stmt *ins_fts;     /* INSERT INTO post_fts (NULL when no_fts) */
	sqlite3_stmt *ins_entity;  /* INSERT INTO entity */
	sqlite3_stmt *upd_dup;     /* UPDATE post SET dup_of ... (the near-duplicate hook) */
	sqlite3_stmt *mark_stale;  /* record fts_stale (NULL unless no_fts) */
	/* Statements of the match writers, prepared once (NULL when read-only). */
	sqlite3_stmt *ins_match;     /* INSERT OR IGNORE INTO match, time given */
	sqlite3_stmt *ins_match_id;  /* the same, the time read from post by id */
	sqlite3_stmt *post_exists;   /* SELECT 1 FROM post WHERE id = ?1 */
	sqlite3_stmt *bump_topic;    /* add to topic.n_matches */
	sqlite3_stmt *drop_matches;  /* DELETE FROM match WHERE topic_id = ?1 */
	sqlite3_stmt *mark_bucket_stale; /* a topic's buckets are to be rebuilt */
	struct tally tally;          /* matches written per topic, in one batch */
	struct checkpointer ckpt;  /* background checkpoints (read-write only) */
};

/* The helpers of store_sqlite.c that store_signal.c uses. */

/* err = "store: OP PATH: <SQLite's message>"; returns HORCH_ESTORE. */
int store__sqlite_fail(struct sqlite_store *s, struct horch_err *err, const char *op);
/* Run a statement that returns no rows, and reset it; the step's code. */
int store__sqlite_step_once(sqlite3_stmt *stmt);
/* A copy of text column i of the current row, or NULL when it is NULL. */
char *store__sqlite_col_dup(sqlite3_stmt *stmt, int i);
/* ROLLBACK, ignoring a failure (the transaction may be gone already). */
void store__sqlite_rollback(struct sqlite_store *s);
/* The refusal of a write on a store opened read-only (HORCH_ESTORE). */
int store__sqlite_read_only(struct sqlite_store *s, const char *op, struct horch_err *err);

/* Register the SQL functions of store_signal.c on the connection (the
 * HyperLogLog union of the buckets).  Returns SQLITE_OK or an error code. */
int store__signal_functions(sqlite3 *db);

/* The signal calls of the SQLite backend (store_signal.c). */
extern const struct store_signal_backend store__sqlite_signals;
/* The source calls of the SQLite backend (store_source.c). */
extern const struct store_source_backend store__sqlite_sources;

#endif
