/* store_sqlite.c - the SQLite backend of the store (the default).
 *
 * One struct sqlite_store wraps one connection.  Opening sets the pragmas,
 * then applies the migrations compiled into the binary (src/store/migrations),
 * each in its own transaction with its PRAGMA user_version bump.  Writing is
 * store_put_posts(): one BEGIN IMMEDIATE ... COMMIT per batch, with the
 * insert statements prepared once for the store's lifetime and the post's
 * strings bound without copying, because this is the hot path of import and
 * of the daemon's writer thread.  The full-text index (post_fts, FTS5 with
 * external content) is written in the same transaction as its post.
 * Reading builds one statement per call from the filters, with every value
 * a bound parameter.
 *
 * Threads: a store is used by one thread at a time, so the connection is
 * opened with SQLITE_OPEN_NOMUTEX (no locking inside SQLite); several stores
 * on the same file, in one process or many, are serialised by SQLite's file
 * locks and the busy timeout.  See docs/internals/store.md. */
#include "store_sqlite_int.h"

#include <pthread.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../core/utf8.h"

/* How long a statement waits for another connection's lock (ms). */
#define BUSY_TIMEOUT_MS 5000
/* Page cache per connection, in KiB (a negative cache_size is KiB). */
#define CACHE_KIB 32768
/* Checkpoint the WAL into the database after this many pages (32 MiB of
 * 4 KiB pages) rather than SQLite's 1000: a batch of posts dirties pages
 * all over the indexes, and a checkpoint after nearly every batch wrote
 * each page twice and synced each time (import ran about 40% faster with
 * this).  The checkpoint runs on a thread of its own with its own
 * connection (struct checkpointer), so that the writer goes on inserting
 * while pages are copied (about a tenth faster on two cores).  If the
 * WAL still reaches WAL_HARD_PAGES, the checkpointer is falling behind and
 * the writer checkpoints itself: a WAL is only rewound when a checkpoint
 * has caught up with its end, which a busy writer otherwise never lets
 * happen.  After a checkpoint the WAL file is cut back to WAL_LIMIT
 * bytes. */
#define WAL_CHECKPOINT_PAGES 8192
#define WAL_HARD_PAGES (4 * WAL_CHECKPOINT_PAGES)
#define WAL_LIMIT (64 * 1024 * 1024)
/* Cap on the SQL that store_search() and store_stats() build; the longest
 * statement they can build is well under 1 KiB. */
#define SQL_MAX 4096

/* The columns of post.  Each value is both the 0-based column of the
 * select list of store_search() (which starts with id) and the 1-based
 * parameter of the insert (which has no id). */
enum {
	COL_ID = 0,
	COL_SOURCE,
	COL_EXTERNAL_ID,
	COL_URL,
	COL_AUTHOR,
	COL_AUTHOR_NAME,
	COL_AUTHOR_FOLLOWERS,
	COL_AUTHOR_VERIFIED,
	COL_CREATED_AT,
	COL_FETCHED_AT,
	COL_TITLE,
	COL_TEXT,
	COL_LANG,
	COL_PARENT,
	COL_KIND,
	COL_RATING,
	COL_PRODUCT,
	COL_LIKES,
	COL_REPOSTS,
	COL_REPLIES,
	COL_VIEWS,
	COL_COUNTRY,
	COL_N_REPAIRED,
	/* 007: derived by the enrich stage */
	COL_LANG_CONF,
	COL_SENTIMENT,
	COL_SENTIMENT_LABEL,
	COL_SENTIMENT_CONF,
	COL_NEEDS_REVIEW,
	COL_SPAM,
	COL_IS_SPAM,
	COL_SIMHASH,
	COL_DUP_OF,
	COL_INTENT,
	COL_REACH,
	COL_PRIORITY,
};

#define POST_COLUMNS                                                         \
	"p.id, p.source, p.external_id, p.url, p.author, p.author_name, "    \
	"p.author_followers, p.author_verified, p.created_at, p.fetched_at, " \
	"p.title, p.text, p.lang, p.parent, p.kind, p.rating, p.product, "   \
	"p.likes, p.reposts, p.replies, p.views, p.country, p.n_repaired, "  \
	"p.lang_conf, p.sentiment, p.sentiment_label, p.sentiment_conf, "    \
	"p.needs_review, p.spam, p.is_spam, p.simhash, p.dup_of, p.intent, " \
	"p.reach, p.priority"

static const char sql_insert_post[] =
	"INSERT INTO post (source, external_id, url, author, author_name, "
	"author_followers, author_verified, created_at, fetched_at, title, text, "
	"lang, parent, kind, rating, product, likes, reposts, replies, views, "
	"country, n_repaired, lang_conf, sentiment, sentiment_label, sentiment_conf, "
	"needs_review, spam, is_spam, simhash, dup_of, intent, reach, priority) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	"?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, "
	"?30, ?31, ?32, ?33, ?34) "
	"ON CONFLICT (source, external_id) DO NOTHING";

static const char sql_insert_entity[] =
	"INSERT OR IGNORE INTO entity (post_id, kind, value, part, off, len, product_id) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/* A near-duplicate mark (struct store_dups): ?3 marks a campaign's copy. */
static const char sql_update_dup[] =
	"UPDATE post SET dup_of = ?2, "
	"is_spam = CASE WHEN ?3 THEN 1 ELSE is_spam END, "
	"spam = CASE WHEN ?3 THEN max(coalesce(spam, 0), 0.5) ELSE spam END, "
	"priority = CASE WHEN ?3 THEN 0 ELSE priority END "
	"WHERE id = ?1";

static const char sql_insert_fts[] =
	"INSERT INTO post_fts (rowid, title, text, author) VALUES (?1, ?2, ?3, ?4)";

/* A match of a post of the current batch: its time is bound directly
 * (HORCH_TIME_NONE, the smallest integer, for an unknown time; see
 * 003_topics.sql).  OR IGNORE: a pair already stored keeps its row. */
static const char sql_insert_match[] =
	"INSERT OR IGNORE INTO match (topic_id, created_at, post_id, spans) "
	"VALUES (?1, ?2, ?3, ?4)";

/* A match of a stored post: its time is read from the post.  No row is
 * written when there is no such post. */
static const char sql_insert_match_id[] =
	"INSERT OR IGNORE INTO match (topic_id, created_at, post_id, spans) "
	"SELECT ?1, coalesce(created_at, -9223372036854775807 - 1), id, ?3 "
	"FROM post WHERE id = ?2";

static const char sql_mark_stale[] =
	"INSERT OR REPLACE INTO store_meta (key, value) VALUES ('fts_stale', '1')";

static struct sqlite_store *to_sqlite(struct store *st)
{
	return (struct sqlite_store *)st;
}

/* Fill err with HORCH_ESTORE, "store: OP PATH: " and SQLite's message for
 * the last failed call on the connection.  Returns HORCH_ESTORE. */
static int db_fail(struct sqlite_store *s, struct horch_err *err, const char *op)
{
	return horch_err_set(err, HORCH_ESTORE, "store: %s %s: %s", op, s->path,
			     sqlite3_errmsg(s->db));
}

/* Run sql (one or more statements, no results wanted).  Returns 0 or
 * HORCH_ESTORE with op named in err. */
static int exec_sql(struct sqlite_store *s, const char *sql, const char *op,
		    struct horch_err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(s, err, op);
	return 0;
}

/* Roll back the open transaction, if there is one.  SQLite rolls some
 * failures back by itself (a full disk, for one), and a ROLLBACK without a
 * transaction would only fail, so it is skipped then.  Any error of the
 * rollback itself is ignored: the caller is already reporting the first. */
static void rollback_quietly(struct sqlite_store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return;
	if (s->rollback) {
		sqlite3_step(s->rollback);
		sqlite3_reset(s->rollback);
	} else {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* Read PRAGMA user_version into *out.  Returns 0 or HORCH_ESTORE. */
static int read_version(struct sqlite_store *s, int *out, struct horch_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "open");
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(stmt, 0);
		rc = 0;
	} else {
		rc = db_fail(s, err, "open");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Apply migration store__migrations[v] (taking the database from version v
 * to v + 1) in the transaction the caller has begun.  Returns 0 or
 * HORCH_ESTORE naming the migration's file; the caller rolls back. */
static int apply_migration(struct sqlite_store *s, int v, struct horch_err *err)
{
	const struct embedded_file *m = &store__migrations[v];
	char bump[64];

	if (sqlite3_exec(s->db, m->data, NULL, NULL, NULL) != SQLITE_OK)
		return horch_err_set(err, HORCH_ESTORE, "store: migrate %s: %s: %s",
				     s->path, m->name, sqlite3_errmsg(s->db));
	snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
	if (sqlite3_exec(s->db, bump, NULL, NULL, NULL) != SQLITE_OK)
		return horch_err_set(err, HORCH_ESTORE, "store: migrate %s: %s: %s",
				     s->path, m->name, sqlite3_errmsg(s->db));
	return 0;
}

/* horch_name_key(name): the key under which a topic name is unique
 * (store__name_key()), for migration 005 and the topic statements. */
static void sql_name_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *name = (const char *)sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	struct buf key;

	(void)argc;
	if (!name) {
		sqlite3_result_null(ctx);
		return;
	}
	buf_init(&key, BUF_NOLIMIT);
	if (store__name_key(&key, name, (size_t)len) != 0)
		sqlite3_result_error(ctx, "horch_name_key: the name is too long", -1);
	else
		sqlite3_result_text(ctx, key.ptr ? key.ptr : "", (int)key.len, SQLITE_TRANSIENT);
	buf_cleanup(&key);
}

/* After a migration that computed the name keys again (005, 006): log
 * every pair of names that fell on one key, so that the people who run
 * horch learn why the later one is found by its exact name only, and how
 * to end it.  Returns nothing: the migration stands either way. */
static void log_name_clashes(struct sqlite_store *s)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT b.id, b.name, a.id, a.name FROM topic AS b "
			       "JOIN topic AS a ON a.name_key = substr(b.name_key, 1, "
			       "instr(b.name_key, char(1)) - 1) "
			       "WHERE instr(b.name_key, char(1)) > 0 ORDER BY b.id",
			       -1, &stmt, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		char qa[STORE_TOPIC_NAME_MAX * 4 + 16], qb[STORE_TOPIC_NAME_MAX * 4 + 16];

		store__quote(qb, sizeof qb, (const char *)sqlite3_column_text(stmt, 1));
		store__quote(qa, sizeof qa, (const char *)sqlite3_column_text(stmt, 3));
		horch_log(LOG_WARN, "store", "db=%s topic_clash='%s' (id %lld) and '%s' (id %lld) "
			  "are one name (names ignore case, accents and the kind of space); "
			  "'%s' is found by its exact name only until one is renamed: "
			  "horch topic edit '%s' --name NEW", s->path, qa,
			  (long long)sqlite3_column_int64(stmt, 2), qb,
			  (long long)sqlite3_column_int64(stmt, 0), qb, qb);
	}
	sqlite3_finalize(stmt);
}

/* Bring the schema up to date: apply every pending migration, each in its
 * own transaction.  The version is read again inside each transaction
 * because another process may have migrated the same file meanwhile (BEGIN
 * IMMEDIATE waits for it).  Sets s->version.  Returns 0 or HORCH_ESTORE. */
static int migrate(struct sqlite_store *s, struct horch_err *err)
{
	int latest = (int)store__migrations_n;
	int v, rc;

	if ((rc = read_version(s, &v, err)))
		return rc;
	if (v > latest)
		return horch_err_set(err, HORCH_ESTORE,
				     "store: open %s: database schema version %d is newer "
				     "than this horch (%d)", s->path, v, latest);
	if (v < latest && s->read_only)
		return horch_err_set(err, HORCH_ESTORE,
				     "store: open %s: database schema version %d is older "
				     "than this horch (%d), and a read-only store cannot "
				     "migrate it: open it once read-write", s->path, v, latest);
	while (v < latest) {
		if ((rc = exec_sql(s, "BEGIN IMMEDIATE", "migrate", err)))
			return rc;
		if ((rc = read_version(s, &v, err)))
			goto fail;
		if (v > latest) {
			rc = horch_err_set(err, HORCH_ESTORE,
					   "store: open %s: database schema version %d is "
					   "newer than this horch (%d)", s->path, v, latest);
			goto fail;
		}
		if (v < latest) {
			if ((rc = apply_migration(s, v, err)))
				goto fail;
			horch_log(LOG_INFO, "store", "db=%s migrated=%s version=%d", s->path,
				  store__migrations[v].name, v + 1);
			v++;
			if (v == latest && v >= 5)
				log_name_clashes(s);
		}
		if ((rc = exec_sql(s, "COMMIT", "migrate", err)))
			goto fail;
	}
	s->version = v;
	return 0;
fail:
	rollback_quietly(s);
	return rc;
}

/* When a store opened with no_fts has written posts, post_fts lacks their
 * rows (store_meta says fts_stale).  A store that maintains the index
 * rebuilds it here, once, so that its searches find every post; a read-only
 * or no_fts store leaves it and says so.  Returns 0 or HORCH_ESTORE. */
static int repair_fts(struct sqlite_store *s, struct horch_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int stale, rc;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM store_meta WHERE key = 'fts_stale'",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "open");
	rc = sqlite3_step(stmt);
	stale = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		rc = db_fail(s, err, "open");
	else
		rc = 0;
	sqlite3_finalize(stmt);
	if (rc || !stale || s->no_fts)
		return rc;
	if (s->read_only) {
		horch_log(LOG_WARN, "store", "db=%s msg=\"the full-text index is incomplete "
			  "(posts were stored with no_fts); open it read-write to rebuild\"",
			  s->path);
		return 0;
	}
	horch_log(LOG_INFO, "store", "db=%s msg=\"rebuilding the full-text index\"", s->path);
	if ((rc = exec_sql(s, "BEGIN IMMEDIATE;"
			   "INSERT INTO post_fts (post_fts) VALUES ('rebuild');"
			   "DELETE FROM store_meta WHERE key = 'fts_stale';"
			   "COMMIT", "rebuild full-text index", err)))
		rollback_quietly(s);
	return rc;
}

/* Prepare one statement that lives as long as the store. */
static int prepare_persistent(struct sqlite_store *s, const char *sql, sqlite3_stmt **out,
			      struct horch_err *err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) !=
	    SQLITE_OK)
		return db_fail(s, err, "open");
	return 0;
}

static void *checkpoint_main(void *arg)
{
	struct checkpointer *c = arg;
	int rc, n_log, n_done, warned = 0;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->pending && !c->stop)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->stop)
			break;
		c->pending = 0;
		pthread_mutex_unlock(&c->lock);
		/* PASSIVE: copy what no reader still needs, never wait for
		 * the writer. */
		rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
					       &n_log, &n_done);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY && !warned) {
			horch_log(LOG_WARN, "store", "msg=\"background checkpoint failed\" "
				  "error=\"%s\"", sqlite3_errmsg(c->db));
			warned = 1;
		}
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Start the checkpointer of s.  Returns 0, or -1 when its connection or
 * thread cannot be had: the writer then checkpoints by itself. */
static int checkpointer_start(struct sqlite_store *s)
{
	struct checkpointer *c = &s->ckpt;

	/* A new connection does not know that the file is in WAL mode until
	 * it has read it: a checkpoint on it before that does nothing and
	 * still says SQLITE_OK.  Hence the read. */
	if (sqlite3_open_v2(sqlite3_db_filename(s->db, "main"), &c->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) !=
		    SQLITE_OK) {
		sqlite3_close(c->db);
		c->db = NULL;
		c->failed = 1;
		return -1;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, checkpoint_main, c) != 0) {
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->wake);
		sqlite3_close(c->db);
		c->db = NULL;
		c->failed = 1;
		return -1;
	}
	c->started = 1;
	return 0;
}

static void checkpointer_stop(struct checkpointer *c)
{
	if (!c->started)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	sqlite3_close(c->db);
	c->db = NULL;
	c->started = 0;
}

/* Called by SQLite on the writer's thread after each commit, with the
 * number of pages in the WAL (replaces SQLite's own auto-checkpoint). */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int n_pages)
{
	struct sqlite_store *s = arg;
	struct checkpointer *c = &s->ckpt;

	(void)name;
	if (n_pages < WAL_CHECKPOINT_PAGES)
		return SQLITE_OK;
	if (n_pages >= WAL_HARD_PAGES || c->failed ||
	    (!c->started && checkpointer_start(s) != 0)) {
		/* BUSY while the checkpointer is at work: fine, next time. */
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		return SQLITE_OK;
	}
	pthread_mutex_lock(&c->lock);
	c->pending = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	return SQLITE_OK;
}

static void sqlite_close(struct store *st)
{
	struct sqlite_store *s = to_sqlite(st);

	checkpointer_stop(&s->ckpt);
	sqlite3_finalize(s->begin);
	sqlite3_finalize(s->commit);
	sqlite3_finalize(s->rollback);
	sqlite3_finalize(s->ins_post);
	sqlite3_finalize(s->ins_fts);
	sqlite3_finalize(s->ins_entity);
	sqlite3_finalize(s->upd_dup);
	sqlite3_finalize(s->mark_stale);
	sqlite3_finalize(s->ins_match);
	sqlite3_finalize(s->ins_match_id);
	sqlite3_finalize(s->post_exists);
	sqlite3_finalize(s->bump_topic);
	sqlite3_finalize(s->drop_matches);
	sqlite3_finalize(s->mark_bucket_stale);
	free(s->tally.slot);
	/* Every statement is finalised, so the close cannot be deferred. */
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* Open the SQLite database at path (see struct store_backend).  On failure
 * everything opened so far is released and *out is untouched. */
static int sqlite_open(struct store **out, const char *path, const struct store_opts *opts,
		       struct horch_err *err)
{
	struct sqlite_store *s;
	struct buf fname;
	int flags, rc;

	s = horch_xcalloc(1, sizeof *s);
	s->base.backend = &store__sqlite;
	s->path = horch_xstrdup(path);
	s->read_only = opts->read_only != 0;
	s->no_fts = opts->no_fts != 0;
	s->topic_refs = opts->topic_refs;

	/* Debian's SQLite takes "file:" names as URIs; a path is a path. */
	buf_init(&fname, BUF_NOLIMIT);
	if (strncmp(path, "file:", 5) == 0)
		buf_puts(&fname, "./");
	buf_puts(&fname, path);

	flags = SQLITE_OPEN_NOMUTEX;
	flags |= s->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(fname.ptr, &s->db, flags, NULL);
	buf_cleanup(&fname);
	if (rc != SQLITE_OK) {
		if (s->db)
			rc = db_fail(s, err, "open");
		else
			rc = horch_err_set(err, HORCH_ESTORE, "store: open %s: %s", s->path,
					   sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);

	/* WAL: readers never block the writer nor the writer the readers, and
	 * a commit is one append.  synchronous=NORMAL is durable in WAL mode
	 * except for the last commits before a power cut (never corrupt).
	 * The journal mode is a property of the file: a read-only connection
	 * takes what the file has. */
	if (!s->read_only &&
	    (rc = exec_sql(s, "PRAGMA journal_mode = WAL", "open", err)))
		goto out;
	if ((rc = exec_sql(s, "PRAGMA synchronous = NORMAL;"
			   "PRAGMA foreign_keys = ON;"
			   "PRAGMA temp_store = MEMORY;", "open", err)))
		goto out;
	{
		char sql[160];

		snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d;"
			 "PRAGMA wal_autocheckpoint = %d;"
			 "PRAGMA journal_size_limit = %d;",
			 CACHE_KIB, WAL_CHECKPOINT_PAGES, WAL_LIMIT);
		if ((rc = exec_sql(s, sql, "open", err)))
			goto out;
	}

	if (sqlite3_create_function(s->db, "horch_name_key", 1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
				    sql_name_key, NULL, NULL) != SQLITE_OK ||
	    store__signal_functions(s->db) != SQLITE_OK) {
		rc = db_fail(s, err, "open");
		goto out;
	}
	if ((rc = migrate(s, err)))
		goto out;
	if ((rc = repair_fts(s, err)))
		goto out;

	if (!s->read_only) {
		if ((rc = prepare_persistent(s, "BEGIN IMMEDIATE", &s->begin, err)) ||
		    (rc = prepare_persistent(s, "COMMIT", &s->commit, err)) ||
		    (rc = prepare_persistent(s, "ROLLBACK", &s->rollback, err)) ||
		    (rc = prepare_persistent(s, sql_insert_post, &s->ins_post, err)) ||
		    (rc = prepare_persistent(s, sql_insert_entity, &s->ins_entity, err)) ||
		    (rc = prepare_persistent(s, sql_update_dup, &s->upd_dup, err)))
			goto out;
		if (s->no_fts)
			rc = prepare_persistent(s, sql_mark_stale, &s->mark_stale, err);
		else
			rc = prepare_persistent(s, sql_insert_fts, &s->ins_fts, err);
		if (rc)
			goto out;
		if ((rc = prepare_persistent(s, sql_insert_match, &s->ins_match, err)) ||
		    (rc = prepare_persistent(s, sql_insert_match_id, &s->ins_match_id, err)) ||
		    (rc = prepare_persistent(s, "SELECT 1 FROM post WHERE id = ?1",
					     &s->post_exists, err)) ||
		    (rc = prepare_persistent(s, "UPDATE topic SET n_matches = n_matches + ?2 "
					     "WHERE id = ?1", &s->bump_topic, err)) ||
		    (rc = prepare_persistent(s, "DELETE FROM match WHERE topic_id = ?1",
					     &s->drop_matches, err)) ||
		    (rc = prepare_persistent(s, "INSERT OR IGNORE INTO bucket_stale (topic_id) "
					     "VALUES (?1)", &s->mark_bucket_stale, err)))
			goto out;
		sqlite3_wal_hook(s->db, wal_hook, s);
	}
	*out = &s->base;
	rc = 0;
out:
	if (rc)
		sqlite_close(&s->base);
	return rc;
}

static int sqlite_schema_version(struct store *st)
{
	return to_sqlite(st)->version;
}

/* A count or follower number: negative (POST_COUNT_NONE) is unknown. */
static void bind_count(sqlite3_stmt *stmt, int i, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_int64(stmt, i, v);
}

/* Bind the fields of p to the insert's parameters.  The strings are bound
 * SQLITE_STATIC: the post outlives the step, and the bindings are cleared
 * before store_put_posts() returns.  now is the batch's time for a post
 * with no fetched_at. */
static void bind_post(sqlite3_stmt *stmt, const struct post *p, int64_t now)
{
	sqlite3_bind_text(stmt, COL_SOURCE, p->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, COL_EXTERNAL_ID, p->external_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, COL_URL, p->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, COL_AUTHOR, p->author, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, COL_AUTHOR_NAME, p->author_name, -1, SQLITE_STATIC);
	bind_count(stmt, COL_AUTHOR_FOLLOWERS, p->author_followers);
	sqlite3_bind_int(stmt, COL_AUTHOR_VERIFIED, p->author_verified ? 1 : 0);
	if (p->created_at == HORCH_TIME_NONE)
		sqlite3_bind_null(stmt, COL_CREATED_AT);
	else
		sqlite3_bind_int64(stmt, COL_CREATED_AT, p->created_at);
	sqlite3_bind_int64(stmt, COL_FETCHED_AT,
			   p->fetched_at == HORCH_TIME_NONE ? now : p->fetched_at);
	sqlite3_bind_text(stmt, COL_TITLE, p->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, COL_TEXT, p->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, COL_LANG, p->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, COL_PARENT, p->parent, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, COL_KIND, post_kind_name(p->kind), -1, SQLITE_STATIC);
	/* NaN is not >= 0 either, so it is stored as "no rating". */
	if (p->rating >= 0)
		sqlite3_bind_double(stmt, COL_RATING, p->rating);
	else
		sqlite3_bind_null(stmt, COL_RATING);
	sqlite3_bind_text(stmt, COL_PRODUCT, p->product, -1, SQLITE_STATIC);
	bind_count(stmt, COL_LIKES, p->likes);
	bind_count(stmt, COL_REPOSTS, p->reposts);
	bind_count(stmt, COL_REPLIES, p->replies);
	bind_count(stmt, COL_VIEWS, p->views);
	sqlite3_bind_text(stmt, COL_COUNTRY, p->country, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, COL_N_REPAIRED,
			   p->n_repaired > (size_t)INT64_MAX ? INT64_MAX
							     : (sqlite3_int64)p->n_repaired);
	if (!p->analysed) {
		for (int c = COL_LANG_CONF; c <= COL_PRIORITY; c++)
			sqlite3_bind_null(stmt, c);
		return;
	}
	sqlite3_bind_double(stmt, COL_LANG_CONF, p->lang_conf);
	sqlite3_bind_double(stmt, COL_SENTIMENT, p->sentiment);
	if (*post_sentiment_name(p->sentiment_label))
		sqlite3_bind_text(stmt, COL_SENTIMENT_LABEL, post_sentiment_name(p->sentiment_label),
				  -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, COL_SENTIMENT_LABEL);
	sqlite3_bind_double(stmt, COL_SENTIMENT_CONF, p->sentiment_conf);
	sqlite3_bind_int(stmt, COL_NEEDS_REVIEW, p->needs_review != 0);
	sqlite3_bind_double(stmt, COL_SPAM, p->spam);
	sqlite3_bind_int(stmt, COL_IS_SPAM, p->is_spam != 0);
	if (p->simhash)
		sqlite3_bind_int64(stmt, COL_SIMHASH, (sqlite3_int64)p->simhash);
	else
		sqlite3_bind_null(stmt, COL_SIMHASH);
	if (p->dup_of > 0)
		sqlite3_bind_int64(stmt, COL_DUP_OF, p->dup_of);
	else
		sqlite3_bind_null(stmt, COL_DUP_OF);
	if (*post_intent_name(p->intent))
		sqlite3_bind_text(stmt, COL_INTENT, post_intent_name(p->intent), -1,
				  SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, COL_INTENT);
	sqlite3_bind_double(stmt, COL_REACH, p->reach);
	sqlite3_bind_double(stmt, COL_PRIORITY, p->priority);
}

/* Run a statement that returns no rows, and reset it.  Returns the step's
 * result code (SQLITE_DONE on success); sqlite3_errmsg() still describes a
 * failure afterwards. */
static int step_once(sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	return rc;
}

static int mark_stale_topic(struct sqlite_store *s, int64_t topic, const char *op,
			    struct horch_err *err);

/* Forget the counts of the last batch. */
static void tally_reset(struct tally *t)
{
	if (t->n)
		memset(t->slot, 0, t->cap * sizeof *t->slot);
	t->n = 0;
}

/* The slot of topic in t (free when topic is not there yet).  t->cap is a
 * power of two and t->n < t->cap, so the probe ends. */
static struct tally_slot *tally_find(struct tally *t, int64_t topic)
{
	/* Fibonacci hashing spreads consecutive ids over the table. */
	size_t mask = t->cap - 1;
	size_t i = (size_t)(((uint64_t)topic * 0x9E3779B97F4A7C15ull) >> 32) & mask;

	while (t->slot[i].topic && t->slot[i].topic != topic)
		i = (i + 1) & mask;
	return &t->slot[i];
}

/* Add one row written for topic (> 0).  The table is kept at most half
 * full. */
static void tally_add(struct tally *t, int64_t topic)
{
	struct tally_slot *e;

	if (2 * (t->n + 1) > t->cap) {
		struct tally old = *t;
		size_t i;

		t->cap = old.cap ? 2 * old.cap : 64;
		t->slot = horch_xcalloc(t->cap, sizeof *t->slot);
		t->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.slot[i].topic) {
				*tally_find(t, old.slot[i].topic) = old.slot[i];
				t->n++;
			}
		free(old.slot);
	}
	e = tally_find(t, topic);
	if (!e->topic) {
		e->topic = topic;
		t->n++;
	}
	e->n++;
}

/* Inside the transaction of a batch of matches: add the rows written per
 * topic (s->tally) to topic.n_matches.  A topic that no longer exists
 * (deleted while the batch was matched) has its rows deleted again, so
 * that no match points at a missing topic.  stale: the matches are of
 * stored posts (a backfill), so the topics' buckets are to be rebuilt.
 * Returns 0 or HORCH_ESTORE. */
static int tally_commit(struct sqlite_store *s, const char *op, int stale,
			struct horch_err *err)
{
	struct tally *t = &s->tally;
	size_t i;

	for (i = 0; i < t->cap && t->n; i++) {
		const struct tally_slot *e = &t->slot[i];

		if (!e->topic)
			continue;
		sqlite3_bind_int64(s->bump_topic, 1, e->topic);
		sqlite3_bind_int64(s->bump_topic, 2, e->n);
		if (step_once(s->bump_topic) != SQLITE_DONE)
			return db_fail(s, err, op);
		if (sqlite3_changes(s->db) > 0) {
			if (stale && mark_stale_topic(s, e->topic, op, err))
				return HORCH_ESTORE;
			continue;
		}
		horch_log(LOG_INFO, "store", "db=%s topic=%lld dropped=%lld msg=\"matches of "
			  "a deleted topic\"", s->path, (long long)e->topic, (long long)e->n);
		sqlite3_bind_int64(s->drop_matches, 1, e->topic);
		if (step_once(s->drop_matches) != SQLITE_DONE)
			return db_fail(s, err, op);
	}
	return 0;
}

/* No binding may point into a post or a match after a call returns. */
static void clear_write_bindings(struct sqlite_store *s)
{
	sqlite3_clear_bindings(s->ins_post);
	if (s->ins_fts)
		sqlite3_clear_bindings(s->ins_fts);
	sqlite3_clear_bindings(s->ins_match);
	sqlite3_clear_bindings(s->ins_match_id);
}

static int refuse_read_only(struct sqlite_store *s, const char *op, struct horch_err *err)
{
	return horch_err_set(err, HORCH_ESTORE, "store: %s %s: the store is open read-only",
			     op, s->path);
}

int store__sqlite_fail(struct sqlite_store *s, struct horch_err *err, const char *op)
{
	return db_fail(s, err, op);
}

int store__sqlite_step_once(sqlite3_stmt *stmt)
{
	return step_once(stmt);
}

void store__sqlite_rollback(struct sqlite_store *s)
{
	rollback_quietly(s);
}

int store__sqlite_read_only(struct sqlite_store *s, const char *op, struct horch_err *err)
{
	return refuse_read_only(s, op, err);
}

/* Record in the open transaction that topic's matches changed outside the
 * live path, so that store_signals_update() rebuilds its buckets.
 * Returns 0 or HORCH_ESTORE. */
static int mark_stale_topic(struct sqlite_store *s, int64_t topic, const char *op,
			    struct horch_err *err)
{
	sqlite3_bind_int64(s->mark_bucket_stale, 1, topic);
	if (step_once(s->mark_bucket_stale) != SQLITE_DONE)
		return db_fail(s, err, op);
	return 0;
}

/* Write the matches m[0..n_m) of the batch posts[], whose status says
 * which posts are new, in the open transaction.  Returns 0 or
 * HORCH_ESTORE. */
static int put_batch_matches(struct sqlite_store *s, struct post *const *posts,
			     const int *status, const struct store_match *m, size_t n_m,
			     struct horch_err *err)
{
	size_t i;

	for (i = 0; i < n_m; i++) {
		const struct post *p = posts[m[i].post];

		if (status[m[i].post] != STORE_PUT_NEW || m[i].topic <= 0)
			continue;
		sqlite3_bind_int64(s->ins_match, 1, m[i].topic);
		sqlite3_bind_int64(s->ins_match, 2, p->created_at);
		sqlite3_bind_int64(s->ins_match, 3, p->id);
		sqlite3_bind_text(s->ins_match, 4, m[i].spans, -1, SQLITE_STATIC);
		if (step_once(s->ins_match) != SQLITE_DONE)
			return horch_err_set(err, HORCH_ESTORE,
					     "store: put posts %s: match %zu (topic %lld): %s",
					     s->path, i, (long long)m[i].topic,
					     sqlite3_errmsg(s->db));
		if (sqlite3_changes(s->db) > 0)
			tally_add(&s->tally, m[i].topic);
	}
	return tally_commit(s, "put posts (matches)", 0, err);
}

/* Run stmt, which yields one integer, into *out.  Finalises stmt.  Returns
 * 0 or HORCH_ESTORE with op named. */
static int one_int64(struct sqlite_store *s, sqlite3_stmt *stmt, int64_t *out,
		     const char *op, struct horch_err *err)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else {
		rc = db_fail(s, err, op);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* The topics version into *out inside the open transaction (or outside
 * one).  Returns 0 or HORCH_ESTORE. */
static int read_topics_version(struct sqlite_store *s, int64_t *out, struct horch_err *err)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT n FROM topic_version", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return db_fail(s, err, "topics version");
	return one_int64(s, stmt, out, "topics version", err);
}

static int sqlite_topics_version(struct store *st, int64_t *out, struct horch_err *err)
{
	return read_topics_version(to_sqlite(st), out, err);
}

/* See store_put_posts_matched() in store.h.  No allocation and no SQL
 * parsing per post: the statements are prepared at open, the strings bound
 * in place.  (A caller that passes no status array but matches gets one
 * allocation per batch for the statuses.) */
/* Write the marks of a batch (store_put_posts_marked()) inside its
 * transaction.  Returns 0 or HORCH_ESTORE. */
static int put_marks(struct sqlite_store *s, const int *status, size_t n,
		     const struct store_mark *marks, size_t n_marks, const int32_t *post_mark,
		     int64_t at, struct horch_err *err)
{
	sqlite3_stmt *upd = NULL, *hour = NULL;
	int64_t h = horch_time_floor(at, 3600000);
	int rc = 0;

	if (sqlite3_prepare_v2(s->db, "UPDATE source SET cursor = CASE WHEN ?2 IS NOT NULL AND "
			       "cursor_epoch = ?5 THEN ?2 ELSE cursor END, "
			       "n_posts = n_posts + ?3, last_post = CASE WHEN ?3 > 0 THEN ?4 "
			       "ELSE last_post END WHERE id = ?1", -1, &upd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO source_hour (source, hour, posts) SELECT ?1, "
			       "?2, ?3 WHERE EXISTS (SELECT 1 FROM source WHERE id = ?1) "
			       "ON CONFLICT (source, hour) DO UPDATE SET posts = posts + "
			       "excluded.posts", -1, &hour, NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "put posts (source marks)");
		goto out;
	}
	for (size_t k = 0; k < n_marks; k++) {
		int64_t n_new = 0;

		for (size_t i = 0; post_mark && i < n; i++)
			n_new += post_mark[i] == (int32_t)k && status[i] == STORE_PUT_NEW;
		sqlite3_bind_int64(upd, 1, marks[k].source);
		if (marks[k].cursor)
			sqlite3_bind_text(upd, 2, marks[k].cursor, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(upd, 2);
		sqlite3_bind_int64(upd, 3, n_new);
		sqlite3_bind_int64(upd, 4, at);
		sqlite3_bind_int64(upd, 5, marks[k].epoch);
		if (step_once(upd) != SQLITE_DONE) {
			rc = db_fail(s, err, "put posts (source marks)");
			goto out;
		}
		if (!n_new)
			continue;
		sqlite3_bind_int64(hour, 1, marks[k].source);
		sqlite3_bind_int64(hour, 2, h);
		sqlite3_bind_int64(hour, 3, n_new);
		if (step_once(hour) != SQLITE_DONE) {
			rc = db_fail(s, err, "put posts (source hours)");
			goto out;
		}
	}
out:
	sqlite3_finalize(upd);
	sqlite3_finalize(hour);
	return rc;
}

static int sqlite_put_posts_matched(struct store *st, int64_t topics_version,
				    struct post *const *posts, size_t n, int *status,
				    const struct store_match *m, size_t n_m,
				    const struct store_mark *marks, size_t n_marks,
				    const int32_t *post_mark, int64_t at, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	int64_t now = HORCH_TIME_NONE;
	int *own_status = NULL;
	size_t i, n_new = 0;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "put posts", err);
	if (!n && !n_marks)
		return 0;
	if (!status && (n_m || st->dups_fn || (post_mark && n_marks)))
		status = own_status = horch_xmalloc((n ? n : 1) * sizeof *status);
	tally_reset(&s->tally);
	if (step_once(s->begin) != SQLITE_DONE) {
		rc = db_fail(s, err, "put posts");
		free(own_status);
		return rc;
	}
	if (topics_version >= 0) {
		int64_t now_version = 0;

		if ((rc = read_topics_version(s, &now_version, err)))
			goto fail;
		if (now_version != topics_version) {
			rc = STORE_TOPICS_CHANGED;
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		struct post *p = posts[i];

		if (!p) {
			rc = horch_err_set(err, HORCH_EINVAL, "store: put posts %s: post %zu is NULL",
					   s->path, i);
			goto fail;
		}
		if ((unsigned)p->kind > (unsigned)POST_KIND_COMMENT) {
			rc = horch_err_set(err, HORCH_EINVAL,
					   "store: put posts %s: post %zu: kind %d is not valid",
					   s->path, i, (int)p->kind);
			goto fail;
		}
		if (p->fetched_at == HORCH_TIME_NONE && now == HORCH_TIME_NONE)
			now = horch_now();
		bind_post(s->ins_post, p, now);
		if (sqlite3_step(s->ins_post) != SQLITE_DONE) {
			rc = horch_err_set(err, HORCH_ESTORE,
					   "store: put posts %s: post %zu (source=%.64s "
					   "external_id=%.64s): %s", s->path, i,
					   p->source ? p->source : "(none)",
					   p->external_id ? p->external_id : "(none)",
					   sqlite3_errmsg(s->db));
			sqlite3_reset(s->ins_post);
			goto fail;
		}
		sqlite3_reset(s->ins_post);
		if (sqlite3_changes(s->db) == 0) {
			/* ON CONFLICT DO NOTHING: the pair was already stored. */
			if (status)
				status[i] = STORE_PUT_DUP;
			continue;
		}
		p->id = sqlite3_last_insert_rowid(s->db);
		if (status)
			status[i] = STORE_PUT_NEW;
		n_new++;
		for (size_t e = 0; e < p->n_entities; e++) {
			const struct post_entity *en = &p->entities[e];

			sqlite3_bind_int64(s->ins_entity, 1, p->id);
			sqlite3_bind_text(s->ins_entity, 2, post_entity_kind_name(en->kind), -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(s->ins_entity, 3, post_entity_value(p, e), -1, SQLITE_STATIC);
			sqlite3_bind_int(s->ins_entity, 4, en->part);
			sqlite3_bind_int64(s->ins_entity, 5, en->off);
			sqlite3_bind_int64(s->ins_entity, 6, en->len);
			if (en->product)
				sqlite3_bind_int64(s->ins_entity, 7, en->product);
			else
				sqlite3_bind_null(s->ins_entity, 7);
			if (step_once(s->ins_entity) != SQLITE_DONE) {
				rc = db_fail(s, err, "put posts (entities)");
				goto fail;
			}
		}
		if (s->ins_fts) {
			sqlite3_bind_int64(s->ins_fts, 1, p->id);
			sqlite3_bind_text(s->ins_fts, 2, p->title, -1, SQLITE_STATIC);
			sqlite3_bind_text(s->ins_fts, 3, p->text, -1, SQLITE_STATIC);
			sqlite3_bind_text(s->ins_fts, 4, p->author, -1, SQLITE_STATIC);
			if (step_once(s->ins_fts) != SQLITE_DONE) {
				rc = db_fail(s, err, "put posts (full-text index)");
				goto fail;
			}
		}
	}
	if (n_new && n_m && (rc = put_batch_matches(s, posts, status, m, n_m, err)))
		goto fail;
	if (n_new && st->dups_fn) {
		struct store_dups d = { 0 };

		st->dups_fn(st->dups_ctx, posts, status, n, &d);
		for (i = 0; i < d.n; i++) {
			sqlite3_bind_int64(s->upd_dup, 1, d.id[i]);
			sqlite3_bind_int64(s->upd_dup, 2, d.dup_of[i]);
			sqlite3_bind_int(s->upd_dup, 3, d.is_spam ? d.is_spam[i] != 0 : 0);
			if (step_once(s->upd_dup) != SQLITE_DONE) {
				rc = db_fail(s, err, "put posts (near-duplicates)");
				goto fail;
			}
		}
	}
	if (n_new && s->mark_stale && step_once(s->mark_stale) != SQLITE_DONE) {
		rc = db_fail(s, err, "put posts");
		goto fail;
	}
	if (n_marks && (rc = put_marks(s, status, n, marks, n_marks, post_mark, at, err)))
		goto fail;
	if (step_once(s->commit) != SQLITE_DONE) {
		rc = db_fail(s, err, "put posts (commit)");
		goto fail;
	}
	clear_write_bindings(s);
	free(own_status);
	return 0;
fail:
	rollback_quietly(s);
	clear_write_bindings(s);
	for (i = 0; i < n; i++)
		if (posts[i])
			posts[i]->id = 0;
	free(own_status);
	return rc;
}

/* Insert match m[i] (INSERT OR IGNORE); op names the operation in
 * messages ("put matches").  Returns 1 (written), 0 (the pair was stored already), or
 * HORCH_ESTORE / HORCH_ENOTFOUND (no post with that id) with err set. */
static int insert_match(struct sqlite_store *s, const struct store_match *m, size_t i,
			const char *op, struct horch_err *err)
{
	int rc;

	sqlite3_bind_int64(s->ins_match_id, 1, m[i].topic);
	sqlite3_bind_int64(s->ins_match_id, 2, m[i].post);
	sqlite3_bind_text(s->ins_match_id, 3, m[i].spans, -1, SQLITE_STATIC);
	if (step_once(s->ins_match_id) != SQLITE_DONE)
		return horch_err_set(err, HORCH_ESTORE, "store: %s %s: match %zu (topic %lld, "
				     "post %lld): %s", op, s->path, i, (long long)m[i].topic,
				     (long long)m[i].post, sqlite3_errmsg(s->db));
	if (sqlite3_changes(s->db) > 0)
		return 1;
	/* Nothing written: a pair already stored, or no such post. */
	sqlite3_bind_int64(s->post_exists, 1, m[i].post);
	rc = step_once(s->post_exists);
	if (rc == SQLITE_DONE)
		return horch_err_set(err, HORCH_ENOTFOUND, "store: %s %s: match %zu: no post "
				     "with id %lld", op, s->path, i, (long long)m[i].post);
	if (rc != SQLITE_ROW)
		return db_fail(s, err, op);
	return 0;
}

/* See store_put_matches() in store.h. */
static int sqlite_put_matches(struct store *st, const struct store_match *m, size_t n,
			      struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	size_t i;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "put matches", err);
	tally_reset(&s->tally);
	if (step_once(s->begin) != SQLITE_DONE)
		return db_fail(s, err, "put matches");
	for (i = 0; i < n; i++) {
		if (m[i].topic <= 0)
			continue;
		if ((rc = insert_match(s, m, i, "put matches", err)) < 0)
			goto fail;
		if (rc == 1)
			tally_add(&s->tally, m[i].topic);
	}
	if ((rc = tally_commit(s, "put matches", 1, err)))
		goto fail;
	if (step_once(s->commit) != SQLITE_DONE) {
		rc = db_fail(s, err, "put matches (commit)");
		goto fail;
	}
	clear_write_bindings(s);
	return 0;
fail:
	rollback_quietly(s);
	clear_write_bindings(s);
	return rc;
}

/* A filter string that filters: not NULL and not empty. */
static int given(const char *s)
{
	return s && *s;
}

/* The author filter without its leading '@', or NULL when none is left. */
static const char *author_filter(const char *a)
{
	if (a && *a == '@')
		a++;
	return given(a) ? a : NULL;
}

/* The FTS expression when it filters: not NULL and not only blanks. */
static const char *fts_filter(const char *f)
{
	const char *c;

	if (!f)
		return NULL;
	for (c = f; *c; c++)
		if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
			return f;
	return NULL;
}

/* 1 if FTS would index a word of the handle: it has an ASCII letter or
 * digit.  (Handles of every platform horch knows have one; a handle made
 * only of symbols is compared without the index.) */
static int author_indexable(const char *a)
{
	for (; a && *a; a++)
		if ((*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z') ||
		    (*a >= '0' && *a <= '9'))
			return 1;
	return 0;
}

/* The 1-based column of a ')' in the FTS5 expression fts that closes no
 * '(' (outside "strings", where "" is a quote), or 0 when there is none.
 * Such a parenthesis would close the {title text} scope that build_match()
 * puts around the expression and let the rest match author handles. */
static size_t stray_paren(const char *fts)
{
	int quoted = 0;
	long depth = 0;

	for (const char *c = fts; *c; c++) {
		if (*c == '"')
			quoted = !quoted;  /* "" toggles twice: still a string */
		else if (!quoted && *c == '(')
			depth++;
		else if (!quoted && *c == ')' && --depth < 0)
			return (size_t)(c - fts) + 1;
	}
	return 0;
}

/* 1 if FTS5 takes c inside a bareword (its query syntax, section 3.1). */
static int bareword_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == 0x1A;
}

static int all_bareword(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!bareword_byte((unsigned char)s[i]))
			return 0;
	return len > 0;
}

/* Append the user's expression to out with every word that FTS5 would
 * refuse as a bareword written as a "phrase": #KorvoPro15, @KorvoCares,
 * e-mail, dell.com, don't.  unicode61 then cuts the phrase into the same
 * words as the text ("e-mail" is the phrase "e mail"), as the topic query
 * language does.  Operators, parentheses, commas (NEAR(a b, 5)), quoted
 * phrases, a prefix star (akku*, "#korvo" *) and the column filters
 * title: and text: pass unchanged.  A word led by '-' after another term
 * excludes it, as in the topic language and web search: "heiß -kalt" is
 * "heiß NOT kalt".  Returns 0 or HORCH_ETOOBIG. */
static int quote_words(struct buf *out, const char *fts)
{
	const char *p = fts;
	int rc = 0;

	while (*p) {
		const char *w = p;
		size_t len;

		if (*p == '"') {
			/* A phrase: copy through its closing quote ("" inside). */
			const char *q = p + 1;

			while (*q && !(*q == '"' && q[1] != '"'))
				q += *q == '"' ? 2 : 1;
			if (*q)
				q++;
			rc |= buf_append(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (strchr(" \t\r\n(),", *p)) {
			rc |= buf_putc(out, *p++);
			continue;
		}
		while (*p && !strchr(" \t\r\n(),\"", *p))
			p++;
		len = (size_t)(p - w);
		if (len > 1 && *w == '-' && bareword_byte((unsigned char)w[1]) && out->len > 0 &&
		    out->ptr[out->len - 1] != '(') {
			rc |= buf_puts(out, "NOT ");
			w++;
			len--;
		}
		/* title:... and text:... keep their filter. */
		if ((len >= 6 && strncmp(w, "title:", 6) == 0) ||
		    (len >= 5 && strncmp(w, "text:", 5) == 0)) {
			size_t col = w[1] == 'i' ? 6 : 5;

			rc |= buf_append(out, w, col);
			w += col;
			len -= col;
			if (!len)
				continue;
		}
		if (all_bareword(w, len) || (len > 1 && w[len - 1] == '*' &&
					    all_bareword(w, len - 1)) ||
		    (len == 1 && (*w == '+' || *w == '*' || *w == '^'))) {
			rc |= buf_append(out, w, len);
		} else if (len > 1 && w[len - 1] == '*') {
			rc |= buf_printf(out, "\"%.*s\" *", (int)(len - 1), w);
		} else {
			rc |= buf_printf(out, "\"%.*s\"", (int)len, w);
		}
	}
	return rc ? HORCH_ETOOBIG : 0;
}

/* Build into out the FTS5 expression for the user's expression fts (either
 * may be NULL) and the author filter: the user's expression scoped to
 * {title text}, so that it never matches a handle, and the handle as a
 * phrase of the author column (quotes doubled).  The exact comparison of
 * the handle stays in the SQL (append_common), so the phrase only has to
 * find every candidate.  Returns 1 when there is an expression, 0 when
 * nothing needs the full-text index, or HORCH_ETOOBIG. */
static int build_match(struct buf *out, const char *fts, const char *author)
{
	int rc = 0;

	buf_reset(out);
	if (fts) {
		rc |= buf_puts(out, "{title text} : (");
		rc |= quote_words(out, fts);
		rc |= buf_putc(out, ')');
	}
	if (author && author_indexable(author)) {
		rc |= buf_puts(out, fts ? " AND (author : \"" : "author : \"");
		for (const char *c = author; *c; c++)
			rc |= *c == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *c);
		rc |= buf_puts(out, fts ? "\")" : "\"");
	}
	if (rc)
		return HORCH_ETOOBIG;
	return out->len > 0;
}

/* Append " AND ..." for the filters that store_search() and store_stats()
 * share: time, source, language, author.  Values are named parameters,
 * bound by bind_common().  With a topic, the time is the copy in match
 * (m.created_at, part of its key, where an unknown time is :none, the
 * smallest integer: since excludes it by itself, until needs saying). */
static int append_common(struct buf *sql, const struct store_query *q)
{
	int rc = 0;

	if (q->topic) {
		if (q->since != HORCH_TIME_NONE)
			rc |= buf_puts(sql, " AND m.created_at >= :since");
		if (q->until != HORCH_TIME_NONE)
			rc |= buf_puts(sql, " AND m.created_at > :none AND m.created_at < :until");
	} else {
		if (q->since != HORCH_TIME_NONE)
			rc |= buf_puts(sql, " AND p.created_at >= :since");
		if (q->until != HORCH_TIME_NONE)
			rc |= buf_puts(sql, " AND p.created_at < :until");
	}
	if (given(q->source))
		rc |= buf_puts(sql, " AND p.source = :source");
	if (given(q->lang))
		rc |= buf_puts(sql, " AND p.lang = :lang");
	if (author_filter(q->author))
		rc |= buf_puts(sql, " AND p.author = :author COLLATE NOCASE");
	if (given(q->sentiment))
		rc |= buf_puts(sql, " AND p.sentiment_label = :sentiment");
	if (given(q->intent))
		rc |= buf_puts(sql, " AND p.intent = :intent");
	if (q->needs_review)
		rc |= buf_puts(sql, " AND p.needs_review = 1");
	/* Posts stored before analysis (is_spam NULL) are not spam. */
	if (q->spam == STORE_SPAM_HIDE)
		rc |= buf_puts(sql, " AND p.is_spam IS NOT 1");
	else if (q->spam == STORE_SPAM_ONLY)
		rc |= buf_puts(sql, " AND p.is_spam = 1");
	return rc;
}

/* Bind a named parameter if the statement has it. */
static void bind_named_text(sqlite3_stmt *stmt, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(stmt, name);

	if (i)
		sqlite3_bind_text(stmt, i, v, -1, SQLITE_STATIC);
}

static void bind_named_int64(sqlite3_stmt *stmt, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(stmt, name);

	if (i)
		sqlite3_bind_int64(stmt, i, v);
}

static void bind_common(sqlite3_stmt *stmt, const struct store_query *q)
{
	bind_named_int64(stmt, ":topic", q->topic);
	bind_named_int64(stmt, ":none", HORCH_TIME_NONE);
	bind_named_int64(stmt, ":since", q->since);
	bind_named_int64(stmt, ":until", q->until);
	bind_named_text(stmt, ":source", q->source);
	bind_named_text(stmt, ":lang", q->lang);
	bind_named_text(stmt, ":author", author_filter(q->author));
	bind_named_text(stmt, ":sentiment", q->sentiment);
	bind_named_text(stmt, ":intent", q->intent);
}

/* A post from the current row of a search statement.  The strings point
 * into the row and are valid until the next step. */
static void row_to_post(sqlite3_stmt *stmt, struct post *p)
{
	const char *kind;

#define TEXT(col) ((char *)sqlite3_column_text(stmt, (col)))
#define COUNT(col) (sqlite3_column_type(stmt, (col)) == SQLITE_NULL \
		    ? (int64_t)POST_COUNT_NONE : (int64_t)sqlite3_column_int64(stmt, (col)))
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(stmt, COL_ID);
	p->source = TEXT(COL_SOURCE);
	p->external_id = TEXT(COL_EXTERNAL_ID);
	p->url = TEXT(COL_URL);
	p->author = TEXT(COL_AUTHOR);
	p->author_name = TEXT(COL_AUTHOR_NAME);
	p->author_followers = COUNT(COL_AUTHOR_FOLLOWERS);
	p->author_verified = sqlite3_column_int(stmt, COL_AUTHOR_VERIFIED) != 0;
	p->created_at = sqlite3_column_type(stmt, COL_CREATED_AT) == SQLITE_NULL
		? HORCH_TIME_NONE : sqlite3_column_int64(stmt, COL_CREATED_AT);
	p->fetched_at = sqlite3_column_int64(stmt, COL_FETCHED_AT);
	p->title = TEXT(COL_TITLE);
	p->text = TEXT(COL_TEXT);
	p->html = NULL;
	p->lang = TEXT(COL_LANG);
	p->parent = TEXT(COL_PARENT);
	kind = (const char *)sqlite3_column_text(stmt, COL_KIND);
	/* The schema's CHECK admits only names that parse. */
	if (!kind || post_kind_parse(kind, strlen(kind), &p->kind))
		p->kind = POST_KIND_POST;
	p->rating = sqlite3_column_type(stmt, COL_RATING) == SQLITE_NULL
		? -1.0 : sqlite3_column_double(stmt, COL_RATING);
	p->product = TEXT(COL_PRODUCT);
	p->likes = COUNT(COL_LIKES);
	p->reposts = COUNT(COL_REPOSTS);
	p->replies = COUNT(COL_REPLIES);
	p->views = COUNT(COL_VIEWS);
	p->country = TEXT(COL_COUNTRY);
	p->n_repaired = (size_t)sqlite3_column_int64(stmt, COL_N_REPAIRED);
	/* A post is analysed when it has a sentiment label (007). */
	if (sqlite3_column_type(stmt, COL_SENTIMENT_LABEL) != SQLITE_NULL) {
		int v;

		p->analysed = 1;
		p->lang_conf = (float)sqlite3_column_double(stmt, COL_LANG_CONF);
		p->sentiment = (float)sqlite3_column_double(stmt, COL_SENTIMENT);
		if (post_sentiment_parse(TEXT(COL_SENTIMENT_LABEL),
					 (size_t)sqlite3_column_bytes(stmt, COL_SENTIMENT_LABEL),
					 &v) == 0)
			p->sentiment_label = (uint8_t)v;
		p->sentiment_conf = (float)sqlite3_column_double(stmt, COL_SENTIMENT_CONF);
		p->needs_review = sqlite3_column_int(stmt, COL_NEEDS_REVIEW) != 0;
		p->spam = (float)sqlite3_column_double(stmt, COL_SPAM);
		p->is_spam = sqlite3_column_int(stmt, COL_IS_SPAM) != 0;
		p->simhash = (uint64_t)sqlite3_column_int64(stmt, COL_SIMHASH);
		p->dup_of = sqlite3_column_int64(stmt, COL_DUP_OF);
		if (sqlite3_column_type(stmt, COL_INTENT) != SQLITE_NULL &&
		    post_intent_parse(TEXT(COL_INTENT), (size_t)sqlite3_column_bytes(stmt, COL_INTENT),
				      &v) == 0)
			p->intent = (uint8_t)v;
		p->reach = (float)sqlite3_column_double(stmt, COL_REACH);
		p->priority = (float)sqlite3_column_double(stmt, COL_PRIORITY);
	}
#undef TEXT
#undef COUNT
}

/* The error of a failed search statement.  With an FTS expression, a plain
 * SQLITE_ERROR can only come from the expression (the rest of the statement
 * is fixed), so it is the user's syntax error: HORCH_EPARSE. */
static int search_fail(struct sqlite_store *s, int rc, const char *fts,
		       struct horch_err *err)
{
	const char *msg = sqlite3_errmsg(s->db);
	size_t len = strlen(msg);
	static const char at_end[] = " near \"\"";

	if (!fts || rc != SQLITE_ERROR)
		return db_fail(s, err, "search");
	static const char at_paren[] = " near \")\"";

	/* FTS5 reports a missing operand as "near """; say it plainly.  The
	 * user's expression is wrapped in "{title text} : (...)" (see
	 * build_match()), so an error at the closing parenthesis of an
	 * expression that has none of its own is also at its end. */
	if (len >= sizeof at_end - 1 && strcmp(msg + len - (sizeof at_end - 1), at_end) == 0)
		return horch_err_set(err, HORCH_EPARSE,
				     "search expression: %.*s at the end of the expression",
				     (int)(len - (sizeof at_end - 1)), msg);
	if (len >= sizeof at_paren - 1 &&
	    strcmp(msg + len - (sizeof at_paren - 1), at_paren) == 0 && !strchr(fts, ')'))
		return horch_err_set(err, HORCH_EPARSE,
				     "search expression: %.*s at the end of the expression",
				     (int)(len - (sizeof at_paren - 1)), msg);
	return horch_err_set(err, HORCH_EPARSE, "search expression: %s", msg);
}

/* Where a search resumes: after the post with id, whose created_at is
 * created_at (HORCH_TIME_NONE when it has none). */
struct cursor {
	int set;          /* 0: from the start */
	int64_t created_at;
	int64_t id;
};

/* One part of a search.  Posts with a time (timed = 1) come first, newest
 * first; then the posts of unknown time (timed = 0), newest id first.  The
 * two parts are separate statements so that each is one range of an index
 * in result order (a single statement with "OR created_at IS NULL" defeats
 * the index, and keyset paging with it).  Calls fn for at most *left rows
 * and decreases *left.  Returns 0, HORCH_ESTOP, HORCH_EPARSE or
 * HORCH_ESTORE. */
/* Read the entities of the stored post p (from the search's row) into p,
 * preparing *stmt on first use.  Returns 0 or an SQLite error code. */
static int load_entities(struct sqlite_store *s, sqlite3_stmt **stmt, struct post *p)
{
	int rc;

	if (!*stmt && (rc = sqlite3_prepare_v2(s->db, "SELECT kind, value, part, off, len, "
					       "product_id FROM entity WHERE post_id = ?1",
					       -1, stmt, NULL)) != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(*stmt, 1, p->id);
	while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(*stmt, 0);
		const char *v = (const char *)sqlite3_column_text(*stmt, 1);
		int k;

		if (!kind || !v || post_entity_kind_parse(kind, strlen(kind), &k))
			continue; /* the schema's CHECK rules this out */
		post_add_entity(p, k, sqlite3_column_int(*stmt, 2),
				(uint32_t)sqlite3_column_int64(*stmt, 3),
				(uint32_t)sqlite3_column_int64(*stmt, 4), v,
				(size_t)sqlite3_column_bytes(*stmt, 1), sqlite3_column_int64(*stmt, 5));
	}
	sqlite3_reset(*stmt);
	return rc == SQLITE_DONE ? 0 : rc;
}

static int search_part(struct sqlite_store *s, const struct store_query *q,
		       const char *fts, const char *match, const struct cursor *cur, int timed,
		       size_t *left, store_post_fn fn, void *ctx, struct horch_err *err)
{
	sqlite3_stmt *stmt = NULL, *ent = NULL;
	struct buf sql;
	struct post p;
	int rc, brc = 0, stop;

	buf_init(&sql, SQL_MAX);
	brc |= buf_puts(&sql, "SELECT " POST_COLUMNS);
	if (q->topic) {
		/* The order is the key of match read backwards (003_topics.sql):
		 * a topic's newest posts are one range of it, the cursor too. */
		if (match)
			brc |= buf_puts(&sql, " FROM post_fts JOIN post p ON p.id = post_fts.rowid"
					" JOIN match m ON m.post_id = p.id AND m.topic_id = :topic"
					" WHERE post_fts MATCH :fts");
		else
			brc |= buf_puts(&sql, " FROM match m JOIN post p ON p.id = m.post_id"
					" WHERE m.topic_id = :topic");
		brc |= append_common(&sql, q);
		if (timed) {
			brc |= buf_puts(&sql, " AND m.created_at > :none");
			if (cur->set)
				brc |= buf_puts(&sql, " AND (m.created_at, m.post_id) < "
						"(:cur_at, :cur_id)");
			brc |= buf_puts(&sql, " ORDER BY m.created_at DESC, m.post_id DESC"
					" LIMIT :limit");
		} else {
			brc |= buf_puts(&sql, " AND m.created_at = :none");
			if (cur->set && cur->created_at == HORCH_TIME_NONE)
				brc |= buf_puts(&sql, " AND m.post_id < :cur_id");
			brc |= buf_puts(&sql, " ORDER BY m.post_id DESC LIMIT :limit");
		}
		goto built;
	}
	if (match)
		brc |= buf_puts(&sql, " FROM post_fts JOIN post p ON p.id = post_fts.rowid"
				" WHERE post_fts MATCH :fts");
	else
		brc |= buf_puts(&sql, " FROM post p WHERE 1");
	brc |= append_common(&sql, q);
	if (timed) {
		brc |= buf_puts(&sql, " AND p.created_at IS NOT NULL");
		/* Row values: strictly after (created_at, id) in descending order. */
		if (cur->set)
			brc |= buf_puts(&sql, " AND (p.created_at, p.id) < (:cur_at, :cur_id)");
		brc |= buf_puts(&sql, " ORDER BY p.created_at DESC, p.id DESC LIMIT :limit");
	} else {
		brc |= buf_puts(&sql, " AND p.created_at IS NULL");
		if (cur->set && cur->created_at == HORCH_TIME_NONE)
			brc |= buf_puts(&sql, " AND p.id < :cur_id");
		brc |= buf_puts(&sql, " ORDER BY p.id DESC LIMIT :limit");
	}
built:
	if (brc) {
		rc = horch_err_set(err, HORCH_ESTORE, "store: search %s: statement too long",
				   s->path);
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, sql.ptr, (int)sql.len, &stmt, NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "search");
		goto out;
	}
	bind_named_text(stmt, ":fts", match);
	bind_common(stmt, q);
	bind_named_int64(stmt, ":cur_at", cur->created_at);
	bind_named_int64(stmt, ":cur_id", cur->id);
	bind_named_int64(stmt, ":limit", *left > (size_t)INT64_MAX ? INT64_MAX
								   : (int64_t)*left);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row_to_post(stmt, &p);
		(*left)--;
		if (load_entities(s, &ent, &p) != 0) {
			post_clear_entities(&p);
			rc = db_fail(s, err, "search (entities)");
			goto out;
		}
		stop = fn(ctx, &p);
		post_clear_entities(&p);
		if (stop) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: search stopped by the caller");
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = search_fail(s, rc, fts, err);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(ent);
	sqlite3_finalize(stmt);
	buf_cleanup(&sql);
	return rc;
}

/* Look up where the cursor post sits in the order.  Returns 0,
 * HORCH_EINVAL when there is no post with that id, or HORCH_ESTORE. */
static int find_cursor(struct sqlite_store *s, int64_t id, struct cursor *cur,
		       struct horch_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT created_at FROM post WHERE id = ?1", -1,
			       &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "search");
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		cur->set = 1;
		cur->id = id;
		cur->created_at = sqlite3_column_type(stmt, 0) == SQLITE_NULL
			? HORCH_TIME_NONE : sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = horch_err_set(err, HORCH_EINVAL,
				   "store: search %s: no post with id %lld to continue after",
				   s->path, (long long)id);
	} else {
		rc = db_fail(s, err, "search");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_search(struct store *st, const struct store_query *q,
			 store_post_fn fn, void *ctx, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	struct cursor cur = { 0, HORCH_TIME_NONE, 0 };
	const char *fts = fts_filter(q->fts);
	const char *match;
	size_t left = q->limit;
	struct buf mbuf;
	int rc;

	/* Quoting at most triples a word ("x" *); the author phrase doubles
	 * its quotes. */
	buf_init(&mbuf, 3 * STORE_FTS_MAX + 2 * POST_FIELD_MAX + 64);
	if (fts && (rc = (int)stray_paren(fts)) != 0) {
		rc = horch_err_at(err, HORCH_EPARSE, 1, rc,
				  "search expression: the ')' at column %d closes no '('", rc);
		goto out;
	}
	rc = build_match(&mbuf, fts, author_filter(q->author));
	if (rc < 0) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "store: search %s: author filter too long",
				   s->path);
		goto out;
	}
	match = rc ? mbuf.ptr : NULL;
	rc = 0;
	if (q->before_id && (rc = find_cursor(s, q->before_id, &cur, err)))
		goto out;
	/* A cursor on a post of unknown time is already past every timed post. */
	if (!(cur.set && cur.created_at == HORCH_TIME_NONE) &&
	    (rc = search_part(s, q, fts, match, &cur, 1, &left, fn, ctx, err)))
		goto out;
	/* A time bound excludes every post of unknown time. */
	if (left && q->since == HORCH_TIME_NONE && q->until == HORCH_TIME_NONE &&
	    (rc = search_part(s, q, fts, match, &cur, 0, &left, fn, ctx, err)))
		goto out;
out:
	buf_cleanup(&mbuf);
	return rc;
}

static int sqlite_stats(struct store *st, enum store_dim dim, const struct store_query *q,
			size_t limit, store_count_fn fn, void *ctx, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	struct buf sql, match;
	int rc, brc = 0, use_fts, need_post;

	buf_init(&sql, SQL_MAX);
	buf_init(&match, 2 * POST_FIELD_MAX + 64);
	/* Only the author filter can need the index: stats ignore q->fts. */
	use_fts = build_match(&match, NULL, author_filter(q->author));
	if (use_fts < 0) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "store: stats %s: author filter too long",
				   s->path);
		goto out;
	}
	need_post = use_fts || dim != STORE_DIM_DAY || given(q->source) || given(q->lang) ||
		    author_filter(q->author) || given(q->sentiment) || given(q->intent) ||
		    q->needs_review || q->spam != STORE_SPAM_SHOW;
	switch (dim) {
	case STORE_DIM_SOURCE:
		brc |= buf_puts(&sql, "SELECT p.source AS k");
		break;
	case STORE_DIM_LANG:
		brc |= buf_puts(&sql, "SELECT coalesce(p.lang, '') AS k");
		break;
	case STORE_DIM_SENTIMENT:
		brc |= buf_puts(&sql, "SELECT coalesce(p.sentiment_label, '') AS k");
		break;
	case STORE_DIM_INTENT:
		brc |= buf_puts(&sql, "SELECT coalesce(p.intent, '') AS k");
		break;
	case STORE_DIM_DAY:
		/* Real division: a negative time still falls on the right day.
		 * With a topic the time is match's copy, where :none is
		 * unknown. */
		brc |= buf_puts(&sql, q->topic
				? "SELECT coalesce(date(nullif(m.created_at, :none) / 1000.0, "
				  "'unixepoch'), '') AS k"
				: "SELECT coalesce(date(p.created_at / 1000.0, 'unixepoch'), '') AS k");
		break;
	}
	if (use_fts)
		brc |= buf_puts(&sql, ", count(*) AS n FROM post_fts JOIN post p"
				" ON p.id = post_fts.rowid");
	else if (q->topic && !need_post)
		/* Posts per day of a topic: match alone has every column used. */
		brc |= buf_puts(&sql, ", count(*) AS n FROM match m");
	else
		brc |= buf_puts(&sql, ", count(*) AS n FROM post p");
	if (q->topic && need_post)
		brc |= buf_puts(&sql, " JOIN match m ON m.post_id = p.id AND m.topic_id = :topic");
	brc |= buf_puts(&sql, use_fts ? " WHERE post_fts MATCH :fts" : " WHERE 1");
	if (q->topic)
		brc |= buf_puts(&sql, " AND m.topic_id = :topic");
	brc |= append_common(&sql, q);
	brc |= buf_puts(&sql, dim == STORE_DIM_DAY ? " GROUP BY k ORDER BY k DESC"
						  : " GROUP BY k ORDER BY n DESC, k");
	brc |= buf_puts(&sql, " LIMIT :limit");
	if (brc) {
		rc = horch_err_set(err, HORCH_ESTORE, "store: stats %s: statement too long",
				   s->path);
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, sql.ptr, (int)sql.len, &stmt, NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "stats");
		goto out;
	}
	bind_named_text(stmt, ":fts", use_fts ? match.ptr : NULL);
	bind_common(stmt, q);
	bind_named_int64(stmt, ":limit", limit == 0 || limit > (size_t)INT64_MAX
					 ? -1 : (int64_t)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(stmt, 0);

		if (fn(ctx, key ? key : "", sqlite3_column_int64(stmt, 1))) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: stats stopped by the caller");
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(s, err, "stats");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(stmt);
	buf_cleanup(&sql);
	buf_cleanup(&match);
	return rc;
}

static int sqlite_count_posts(struct store *st, int64_t *out, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM post", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return db_fail(s, err, "count posts");
	return one_int64(s, stmt, out, "count posts", err);
}

/* See store_scan_posts() in store.h.  One range of the rowid B-tree from
 * after_id up, in its own order: no index, no sort. */
static int sqlite_scan_posts(struct store *st, int64_t since, int64_t after_id, size_t limit,
			     store_post_fn fn, void *ctx, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	struct post p;
	int rc;

	rc = sqlite3_prepare_v2(s->db, since == HORCH_TIME_NONE
				? "SELECT " POST_COLUMNS " FROM post p WHERE p.id > ?1"
				  " ORDER BY p.id LIMIT ?3"
				: "SELECT " POST_COLUMNS " FROM post p WHERE p.id > ?1"
				  " AND p.created_at >= ?2 ORDER BY p.id LIMIT ?3",
				-1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return db_fail(s, err, "scan posts");
	sqlite3_bind_int64(stmt, 1, after_id);
	sqlite3_bind_int64(stmt, 2, since);
	sqlite3_bind_int64(stmt, 3, limit == 0 || limit > (size_t)INT64_MAX
				    ? -1 : (int64_t)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row_to_post(stmt, &p);
		if (fn(ctx, &p)) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: scan stopped by the caller");
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "scan posts");
out:
	sqlite3_finalize(stmt);
	return rc;
}

/* See store_post_matches() in store.h: the posts' ids bound as one JSON
 * array, read by json_each, each looked up in the index match_post. */
static int sqlite_post_matches(struct store *st, const int64_t *ids, size_t n,
			       store_match_fn fn, void *ctx, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	struct buf list;
	int rc;

	buf_init(&list, BUF_NOLIMIT);
	buf_putc(&list, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&list, ']');
	rc = sqlite3_prepare_v2(s->db, "SELECT m.post_id, m.topic_id, m.spans"
				" FROM json_each(?1) j JOIN match m ON m.post_id = j.value"
				" ORDER BY m.post_id, m.topic_id", -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		buf_cleanup(&list);
		return db_fail(s, err, "post matches");
	}
	sqlite3_bind_text(stmt, 1, list.ptr, (int)list.len, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (fn(ctx, sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1),
		       (const char *)sqlite3_column_text(stmt, 2))) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: post matches stopped by the caller");
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "post matches");
out:
	sqlite3_finalize(stmt);
	buf_cleanup(&list);
	return rc;
}

static int sqlite_count_matches(struct store *st, int64_t topic, int64_t *out,
				struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(s->db, topic ? "SELECT count(*) FROM match WHERE topic_id = ?1"
					    : "SELECT count(*) FROM match",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "count matches");
	sqlite3_bind_int64(stmt, 1, topic);
	return one_int64(s, stmt, out, "count matches", err);
}

/* ---- metrics ----
 *
 * Each call is one statement, so that it reads one snapshot of the
 * database.  With topics, the statement reads the range of match's key
 * (topic_id, created_at, post_id) of each topic and the window, and looks
 * each post up by its rowid for the analysis columns; without, the range
 * of the index post_created.  No index is scanned beyond the window: the
 * cost grows with the posts in the window, not with the store.  The
 * topics' ids are bound as one JSON array read by json_each, whose key
 * (the place in the array) keeps the caller's order.
 *
 * Spam is left out (is_spam IS NOT 1: a post not analysed is not spam);
 * near-duplicates are counted (store.h says why). */

/* The bucket start of the time x for the interval :iv, a multiple of :iv
 * also for a time before 1970 (% truncates towards zero). */
#define BUCKET(x) "(" x " - ((" x " % :iv) + :iv) % :iv)"

/* The JSON array of ids[0..n) into list (uncapped: n is checked by
 * store.c). */
static void id_list(struct buf *list, const int64_t *ids, size_t n)
{
	buf_putc(list, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(list, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(list, ']');
}

/* The double total into an int64_t count, clamped: a sum of follower
 * counts that strangers wrote cannot overflow. */
static int64_t clamp_total(double total)
{
	if (!(total > 0))
		return 0;
	if (total >= 9.2e18)
		return INT64_MAX;
	return (int64_t)total;
}

static int sqlite_metrics(struct store *st, const int64_t *topics, size_t n, int64_t since,
			  int64_t until, int64_t interval_ms, store_metrics_fn fn, void *ctx,
			  struct horch_err *err)
{
	/* The sums of the labels use IS (0 or 1, never NULL), the reach
	 * total() (a double: no overflow error from SQLite's integer sum). */
#define METRICS_SUMS                                                          \
	", count(*), sum(p.sentiment_label IS 'positive'),"                    \
	" sum(p.sentiment_label IS 'neutral'), sum(p.sentiment_label IS 'negative'),"   \
	" total(max(p.author_followers, 0))"
	static const char sql_topics[] =
		"SELECT j.key, j.value, " BUCKET("m.created_at") " AS b" METRICS_SUMS
		" FROM json_each(:topics) j"
		" JOIN match m ON m.topic_id = j.value"
		" AND m.created_at >= :since AND m.created_at < :until"
		" JOIN post p ON p.id = m.post_id"
		" WHERE p.is_spam IS NOT 1"
		" GROUP BY j.key, b ORDER BY j.key, b";
	static const char sql_all[] =
		"SELECT 0, 0, " BUCKET("p.created_at") " AS b" METRICS_SUMS
		" FROM post p"
		" WHERE p.created_at >= :since AND p.created_at < :until"
		" AND p.is_spam IS NOT 1"
		" GROUP BY b ORDER BY b";
#undef METRICS_SUMS
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	struct store_metrics_row row;
	struct buf list;
	int rc;

	buf_init(&list, BUF_NOLIMIT);
	id_list(&list, topics, n);
	if (sqlite3_prepare_v2(s->db, n ? sql_topics : sql_all, -1, &stmt, NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "metrics");
		goto out;
	}
	bind_named_text(stmt, ":topics", list.ptr);
	bind_named_int64(stmt, ":since", since);
	bind_named_int64(stmt, ":until", until);
	bind_named_int64(stmt, ":iv", interval_ms);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row.topic = sqlite3_column_int64(stmt, 1);
		row.t = sqlite3_column_int64(stmt, 2);
		row.volume = sqlite3_column_int64(stmt, 3);
		row.positive = sqlite3_column_int64(stmt, 4);
		row.neutral = sqlite3_column_int64(stmt, 5);
		row.negative = sqlite3_column_int64(stmt, 6);
		row.reach = clamp_total(sqlite3_column_double(stmt, 7));
		if (fn(ctx, &row)) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: metrics stopped by the caller");
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "metrics");
out:
	sqlite3_finalize(stmt);
	buf_cleanup(&list);
	return rc;
}

/* One key of one dimension of store_metrics_breakdown(). */
struct mkey {
	char *key;      /* owned */
	int64_t n;
};

struct mkeys {
	struct mkey *v;
	size_t n, cap;
};

static void mkeys_add(struct mkeys *k, const char *key, int64_t n)
{
	k->v = horch_xgrow(k->v, &k->cap, k->n + 1, sizeof *k->v);
	k->v[k->n].key = horch_xstrdup(key);
	k->v[k->n].n = n;
	k->n++;
}

static void mkeys_cleanup(struct mkeys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].key);
	free(k->v);
	memset(k, 0, sizeof *k);
}

static int mkey_by_key(const void *a, const void *b)
{
	return strcmp(((const struct mkey *)a)->key, ((const struct mkey *)b)->key);
}

/* Largest count first, then by key. */
static int mkey_by_count(const void *a, const void *b)
{
	const struct mkey *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Merge the rows of one key into one (sorting by key), then order k by
 * count. */
static void mkeys_finish(struct mkeys *k)
{
	size_t i, o = 0;

	if (k->n == 0)
		return;
	qsort(k->v, k->n, sizeof *k->v, mkey_by_key);
	for (i = 1; i < k->n; i++) {
		if (strcmp(k->v[i].key, k->v[o].key) == 0) {
			k->v[o].n += k->v[i].n;
			free(k->v[i].key);
		} else {
			k->v[++o] = k->v[i];
		}
	}
	k->n = o + 1;
	qsort(k->v, k->n, sizeof *k->v, mkey_by_count);
}

/* See store_metrics_breakdown() in store.h.  One statement groups the
 * window's posts by (source, lang, country); the three dimensions are
 * summed up here from its rows, which are few (one per combination that
 * occurs).  With several topics a post that matched more than one is
 * counted once: the match rows are taken as a set of post ids (IN). */
static int sqlite_metrics_breakdown(struct store *st, const int64_t *topics, size_t n,
				    int64_t since, int64_t until, size_t limit,
				    store_mdim_fn fn, void *ctx, struct horch_err *err)
{
#define BREAKDOWN_KEYS \
	"SELECT p.source, coalesce(p.lang, ''), coalesce(p.country, ''), count(*)"
#define BREAKDOWN_GROUP " AND p.is_spam IS NOT 1 GROUP BY 1, 2, 3"
	static const char sql_one[] =
		BREAKDOWN_KEYS " FROM match m JOIN post p ON p.id = m.post_id"
		" WHERE m.topic_id = :topic AND m.created_at >= :since AND m.created_at < :until"
		BREAKDOWN_GROUP;
	static const char sql_many[] =
		BREAKDOWN_KEYS " FROM post p WHERE p.id IN (SELECT m.post_id"
		" FROM json_each(:topics) j JOIN match m ON m.topic_id = j.value"
		" AND m.created_at >= :since AND m.created_at < :until)"
		BREAKDOWN_GROUP;
	static const char sql_all[] =
		BREAKDOWN_KEYS " FROM post p"
		" WHERE p.created_at >= :since AND p.created_at < :until"
		BREAKDOWN_GROUP;
#undef BREAKDOWN_KEYS
#undef BREAKDOWN_GROUP
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	struct mkeys dims[3];
	struct buf list;
	const char *sql = n == 0 ? sql_all : n == 1 ? sql_one : sql_many;
	int rc;

	memset(dims, 0, sizeof dims);
	buf_init(&list, BUF_NOLIMIT);
	id_list(&list, topics, n);
	if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "breakdown");
		goto out;
	}
	bind_named_text(stmt, ":topics", list.ptr);
	bind_named_int64(stmt, ":topic", n ? topics[0] : 0);
	bind_named_int64(stmt, ":since", since);
	bind_named_int64(stmt, ":until", until);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t count = sqlite3_column_int64(stmt, 3);

		for (int d = 0; d < 3; d++) {
			const char *key = (const char *)sqlite3_column_text(stmt, d);

			mkeys_add(&dims[d], key ? key : "", count);
		}
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(s, err, "breakdown");
		goto out;
	}
	rc = 0;
	for (int d = 0; d < 3; d++) {
		mkeys_finish(&dims[d]);
		for (size_t i = 0; i < dims[d].n && (limit == 0 || i < limit); i++) {
			if (fn(ctx, (enum store_mdim)d, dims[d].v[i].key, dims[d].v[i].n)) {
				rc = horch_err_set(err, HORCH_ESTOP,
						   "store: breakdown stopped by the caller");
				goto out;
			}
		}
	}
out:
	for (int d = 0; d < 3; d++)
		mkeys_cleanup(&dims[d]);
	sqlite3_finalize(stmt);
	buf_cleanup(&list);
	return rc;
}

/* See store_top_authors() in store.h.  The statement groups the window's
 * posts by (source, handle) and keeps, per author, the largest follower
 * count and reach and the id of the post stored last; that post's row
 * then gives the handle as written, the name and the verified mark, as
 * they were most recently (one lookup by rowid per author reported). */
static int sqlite_top_authors(struct store *st, int64_t topic, int64_t since, int64_t until,
			      size_t limit, store_author_fn fn, void *ctx,
			      struct horch_err *err)
{
#define AUTHORS_KEYS \
	"SELECT p.source, p.author COLLATE NOCASE AS h, count(*) AS n," \
	" max(p.author_followers) AS f, max(p.reach) AS r, max(p.id)"
	/* NULLs (unknown) last in each descending key. */
#define AUTHORS_ORDER                                                          \
	" AND p.author IS NOT NULL AND p.author <> '' AND p.is_spam IS NOT 1"    \
	" GROUP BY p.source, h"                                                \
	" ORDER BY f IS NULL, f DESC, r IS NULL, r DESC, n DESC, p.source, h"  \
	" LIMIT :limit"
	static const char sql_topic[] =
		AUTHORS_KEYS " FROM match m JOIN post p ON p.id = m.post_id"
		" WHERE m.topic_id = :topic AND m.created_at >= :since AND m.created_at < :until"
		AUTHORS_ORDER;
	static const char sql_all[] =
		AUTHORS_KEYS " FROM post p"
		" WHERE p.created_at >= :since AND p.created_at < :until"
		AUTHORS_ORDER;
#undef AUTHORS_KEYS
#undef AUTHORS_ORDER
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL, *last = NULL;
	struct store_author a;
	int rc;

	if (sqlite3_prepare_v2(s->db, topic ? sql_topic : sql_all, -1, &stmt, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT author, author_name, author_verified FROM post"
			       " WHERE id = ?1", -1, &last, NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "top authors");
		goto out;
	}
	bind_named_int64(stmt, ":topic", topic);
	bind_named_int64(stmt, ":since", since);
	bind_named_int64(stmt, ":until", until);
	bind_named_int64(stmt, ":limit", (int64_t)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.source = (const char *)sqlite3_column_text(stmt, 0);
		a.handle = (const char *)sqlite3_column_text(stmt, 1);
		a.posts = sqlite3_column_int64(stmt, 2);
		a.followers = sqlite3_column_type(stmt, 3) == SQLITE_NULL
			      ? POST_COUNT_NONE : sqlite3_column_int64(stmt, 3);
		a.reach = sqlite3_column_type(stmt, 4) == SQLITE_NULL
			  ? -1 : sqlite3_column_double(stmt, 4);
		sqlite3_reset(last);
		sqlite3_bind_int64(last, 1, sqlite3_column_int64(stmt, 5));
		rc = sqlite3_step(last);
		if (rc == SQLITE_ROW) {
			a.handle = (const char *)sqlite3_column_text(last, 0);
			a.name = (const char *)sqlite3_column_text(last, 1);
			a.verified = sqlite3_column_int(last, 2) == 1;
		} else if (rc != SQLITE_DONE) {
			rc = db_fail(s, err, "top authors");
			goto out;
		}
		if (fn(ctx, &a)) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: top authors stopped by the "
					   "caller");
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "top authors");
out:
	sqlite3_finalize(last);
	sqlite3_finalize(stmt);
	return rc;
}

/* See store_post_texts() in store.h: the window's range of match's key
 * (or of post_created) read backwards, newest first, with no sort. */
static int sqlite_post_texts(struct store *st, int64_t topic, int64_t since, int64_t until,
			     size_t limit, store_text_fn fn, void *ctx, struct horch_err *err)
{
	static const char sql_topic[] =
		"SELECT p.id, m.created_at, p.title, p.text"
		" FROM match m JOIN post p ON p.id = m.post_id"
		" WHERE m.topic_id = :topic AND m.created_at >= :since AND m.created_at < :until"
		" AND p.is_spam IS NOT 1"
		" ORDER BY m.created_at DESC, m.post_id DESC LIMIT :limit";
	static const char sql_all[] =
		"SELECT p.id, p.created_at, p.title, p.text FROM post p"
		" WHERE p.created_at >= :since AND p.created_at < :until"
		" AND p.is_spam IS NOT 1"
		" ORDER BY p.created_at DESC, p.id DESC LIMIT :limit";
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, topic ? sql_topic : sql_all, -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "post texts");
	bind_named_int64(stmt, ":topic", topic);
	bind_named_int64(stmt, ":since", since);
	bind_named_int64(stmt, ":until", until);
	bind_named_int64(stmt, ":limit", limit > (size_t)INT64_MAX ? -1 : (int64_t)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (fn(ctx, sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1),
		       (const char *)sqlite3_column_text(stmt, 2),
		       (const char *)sqlite3_column_text(stmt, 3))) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: post texts stopped by the "
					   "caller");
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "post texts");
out:
	sqlite3_finalize(stmt);
	return rc;
}

/* ---- topics ---- */

#define TOPIC_COLUMNS \
	"id, name, query, team, color, created_at, updated_at, n_matches, " \
	"coalesce(matched_to, -1), revision"

/* A topic from the current row of a statement selecting TOPIC_COLUMNS.
 * The strings point into the row and are valid until the next step. */
static void row_to_topic(sqlite3_stmt *stmt, struct store_topic *t)
{
	t->id = sqlite3_column_int64(stmt, 0);
	t->name = (char *)sqlite3_column_text(stmt, 1);
	t->query = (char *)sqlite3_column_text(stmt, 2);
	t->team = (char *)sqlite3_column_text(stmt, 3);
	t->color = (char *)sqlite3_column_text(stmt, 4);
	t->created_at = sqlite3_column_int64(stmt, 5);
	t->updated_at = sqlite3_column_int64(stmt, 6);
	t->n_matches = sqlite3_column_int64(stmt, 7);
	t->matched_to = sqlite3_column_int64(stmt, 8);
	t->revision = sqlite3_column_int64(stmt, 9);
}

/* The error for a name that another topic has: HORCH_EINVAL naming the
 * topic as it is stored (it may differ in case from name). */
static int name_taken(struct sqlite_store *s, const char *name, struct horch_err *err)
{
	sqlite3_stmt *stmt = NULL;
	const char *have = name;
	char q[STORE_TOPIC_NAME_MAX * 4 + 16], qh[STORE_TOPIC_NAME_MAX * 4 + 16];
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT name FROM topic WHERE name_key = "
			       "horch_name_key(?1) OR name = ?1", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
			have = (const char *)sqlite3_column_text(stmt, 0);
	}
	store__quote(q, sizeof q, name);
	store__quote(qh, sizeof qh, have);
	if (strcmp(have, name) == 0)
		rc = horch_err_set(err, HORCH_EINVAL, "a topic named '%s' exists already", q);
	else
		rc = horch_err_set(err, HORCH_EINVAL, "a topic named '%s' exists already "
				   "(names ignore case and accents): '%s'", qh, q);
	sqlite3_finalize(stmt);
	return rc;
}

/* Bind name, query, team and color of t to parameters 1-4. */
static void bind_topic(sqlite3_stmt *stmt, const struct store_topic *t)
{
	sqlite3_bind_text(stmt, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, t->query, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, t->team, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, t->color, -1, SQLITE_STATIC);
}

/* Delete the matches of topic id in the open transaction.  Returns 0 or
 * HORCH_ESTORE. */
static int drop_topic_matches(struct sqlite_store *s, int64_t id, const char *op,
			      struct horch_err *err)
{
	sqlite3_bind_int64(s->drop_matches, 1, id);
	if (step_once(s->drop_matches) != SQLITE_DONE)
		return db_fail(s, err, op);
	return mark_stale_topic(s, id, op, err);
}

/* The names whose meaning changed in one transaction (their keys), and
 * the topics that got a new query in it: what reset_referrers() starts
 * from. */
struct refset {
	char **keys;        /* name keys (store__name_key(), or as stored) */
	size_t n_keys, cap_keys;
	int64_t *fresh;     /* topics added or given a new query: not reset again */
	size_t n_fresh, cap_fresh;
};

static void refset_init(struct refset *rs)
{
	memset(rs, 0, sizeof *rs);
}

static void refset_cleanup(struct refset *rs)
{
	for (size_t i = 0; i < rs->n_keys; i++)
		free(rs->keys[i]);
	free(rs->keys);
	free(rs->fresh);
	memset(rs, 0, sizeof *rs);
}

/* Is key one of rs's keys? */
static int refset_has(const struct refset *rs, const char *key)
{
	for (size_t i = 0; i < rs->n_keys; i++)
		if (strcmp(rs->keys[i], key) == 0)
			return 1;
	return 0;
}

/* Add key as it is (a stored name_key; NULL is ignored). */
static void refset_raw_key(struct refset *rs, const char *key)
{
	if (!key || refset_has(rs, key))
		return;
	rs->keys = horch_xgrow(rs->keys, &rs->cap_keys, rs->n_keys + 1, sizeof *rs->keys);
	rs->keys[rs->n_keys++] = horch_xstrdup(key);
}

/* Add the key of the name name[0..len). */
static void refset_key_n(struct refset *rs, const char *name, size_t len)
{
	struct buf key;

	buf_init(&key, BUF_NOLIMIT);
	if (store__name_key(&key, name, len) == 0)
		refset_raw_key(rs, key.ptr ? key.ptr : "");
	buf_cleanup(&key);
}

static void refset_key(struct refset *rs, const char *name)
{
	if (name)
		refset_key_n(rs, name, strlen(name));
}

static void refset_fresh(struct refset *rs, int64_t id)
{
	rs->fresh = horch_xgrow(rs->fresh, &rs->cap_fresh, rs->n_fresh + 1, sizeof *rs->fresh);
	rs->fresh[rs->n_fresh++] = id;
}

/* The topics that may refer to others (their query says "topic"), with
 * the keys of the names they refer to, for reset_referrers(). */
struct referrer {
	int64_t id;
	char *name;     /* the topic's own name and stored key: what others */
	char *key;      /* refer to it by */
	size_t ref0;    /* its references: refs[ref0 .. ref0 + n_refs) */
	size_t n_refs;
	int hit;        /* refers to a changed name, directly or through others */
};

struct referrers {
	struct referrer *t;
	size_t n, cap;
	struct refset refs;  /* every reference's key, in the order found */
};

/* store_refs_fn's callback: one reference of the topic being read. */
static void found_ref(void *fctx, const char *name, size_t len)
{
	struct referrers *r = fctx;
	struct buf key;

	buf_init(&key, BUF_NOLIMIT);
	if (store__name_key(&key, name, len) == 0) {
		struct refset *rs = &r->refs;

		/* refs keeps duplicates: each topic's run is its own. */
		rs->keys = horch_xgrow(rs->keys, &rs->cap_keys, rs->n_keys + 1, sizeof *rs->keys);
		rs->keys[rs->n_keys++] = horch_xstrdup(key.ptr ? key.ptr : "");
		r->t[r->n].n_refs++;
	}
	buf_cleanup(&key);
}

/* In the open transaction: every topic that refers with topic:NAME to a
 * name of rs->keys, directly or through other topics, has its matches
 * deleted, n_matches and matched_to set to 0 and its revision raised,
 * unless it is one of rs->fresh (saved with a new query in this very
 * transaction).  Its matches were of the old meaning of the name; the
 * next history pass matches them again, and a pass that was under way
 * for it stores nothing more (store_put_history() checks the revision).
 * Nothing happens when the store was opened without topic_refs.  Returns
 * 0 or HORCH_ESTORE. */
static int reset_referrers(struct sqlite_store *s, struct refset *rs, const char *op,
			   struct horch_err *err)
{
	struct referrers r;
	sqlite3_stmt *stmt = NULL;
	int rc, more;

	if (!s->topic_refs || rs->n_keys == 0)
		return 0;
	memset(&r, 0, sizeof r);
	/* A reference is written topic:NAME (the field's name in any ASCII
	 * case): a query without "topic" refers to nothing. */
	if (sqlite3_prepare_v2(s->db, "SELECT id, name, name_key, query FROM topic "
			       "WHERE query LIKE '%topic%'", -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, op);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *query = (const char *)sqlite3_column_text(stmt, 3);
		const char *name = (const char *)sqlite3_column_text(stmt, 1);
		const char *key = (const char *)sqlite3_column_text(stmt, 2);
		struct referrer *t;

		r.t = horch_xgrow(r.t, &r.cap, r.n + 1, sizeof *r.t);
		t = &r.t[r.n];
		memset(t, 0, sizeof *t);
		t->id = sqlite3_column_int64(stmt, 0);
		t->name = horch_xstrdup(name ? name : "");
		t->key = horch_xstrdup(key ? key : "");
		t->ref0 = r.refs.n_keys;
		/* A query that does not parse refers to nothing: the topics
		 * it would name never match through it either. */
		if (query && s->topic_refs(query, found_ref, &r) != 0) {
			for (size_t k = t->ref0; k < r.refs.n_keys; k++)
				free(r.refs.keys[k]);
			r.refs.n_keys = t->ref0;
			t->n_refs = 0;
		}
		r.n++;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc != SQLITE_DONE) {
		rc = db_fail(s, err, op);
		goto out;
	}
	/* Through others: a topic hit makes its own names changed ones. */
	do {
		more = 0;
		for (size_t i = 0; i < r.n; i++) {
			struct referrer *t = &r.t[i];

			if (t->hit)
				continue;
			for (size_t k = 0; k < t->n_refs; k++) {
				if (refset_has(rs, r.refs.keys[t->ref0 + k])) {
					t->hit = 1;
					more = 1;
					refset_key(rs, t->name);
					refset_raw_key(rs, t->key);
					break;
				}
			}
		}
	} while (more);
	if (sqlite3_prepare_v2(s->db, "UPDATE topic SET n_matches = 0, matched_to = 0, "
			       "revision = revision + 1 WHERE id = ?1", -1, &stmt,
			       NULL) != SQLITE_OK) {
		rc = db_fail(s, err, op);
		goto out;
	}
	rc = 0;
	for (size_t i = 0; i < r.n && !rc; i++) {
		int fresh = 0;

		if (!r.t[i].hit)
			continue;
		for (size_t k = 0; k < rs->n_fresh; k++)
			fresh |= rs->fresh[k] == r.t[i].id;
		if (fresh)
			continue;
		sqlite3_bind_int64(stmt, 1, r.t[i].id);
		if (step_once(stmt) != SQLITE_DONE)
			rc = db_fail(s, err, op);
		else
			rc = drop_topic_matches(s, r.t[i].id, op, err);
	}
out:
	sqlite3_finalize(stmt);
	for (size_t i = 0; i < r.n; i++) {
		free(r.t[i].name);
		free(r.t[i].key);
	}
	free(r.t);
	refset_cleanup(&r.refs);
	return rc;
}

/* Bind matched_to (STORE_HISTORY_DONE is stored as NULL) to parameter i. */
static void bind_matched_to(sqlite3_stmt *stmt, int i, int64_t matched_to)
{
	if (matched_to == STORE_HISTORY_DONE)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_int64(stmt, i, matched_to);
}

/* The statements of one store_topic_save_many() call, prepared once for
 * all its topics (a bulk import saves thousands). */
struct topic_stmts {
	sqlite3_stmt *ins;  /* INSERT INTO topic */
	sqlite3_stmt *sel;  /* the stored query, name and key of a topic, by id */
	sqlite3_stmt *upd;  /* UPDATE topic */
};

static void topic_stmts_free(struct topic_stmts *ts)
{
	sqlite3_finalize(ts->ins);
	sqlite3_finalize(ts->sel);
	sqlite3_finalize(ts->upd);
}

static int topic_stmts_prepare(struct sqlite_store *s, struct topic_stmts *ts,
			       struct horch_err *err)
{
	if (sqlite3_prepare_v2(s->db, "INSERT INTO topic (name, query, team, color, created_at, "
			       "updated_at, matched_to, name_key) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, horch_name_key(?1))", -1,
			       &ts->ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT query, name, name_key FROM topic WHERE id = ?1", -1,
			       &ts->sel, NULL) != SQLITE_OK ||
	    /* A name whose key stays keeps its stored key: the later of two
	     * old names that clash has a key of its own (migration 006), and
	     * editing it must not give it the other's. */
	    sqlite3_prepare_v2(s->db, "UPDATE topic SET name = ?1, query = ?2, team = ?3, "
			       "color = ?4, updated_at = ?5, "
			       "name_key = CASE WHEN horch_name_key(name) = horch_name_key(?1) "
			       "THEN name_key ELSE horch_name_key(?1) END, "
			       "n_matches = CASE WHEN ?7 THEN 0 ELSE n_matches END, "
			       "matched_to = CASE WHEN ?7 THEN ?6 ELSE matched_to END, "
			       "revision = revision + (?7 <> 0) "
			       "WHERE id = ?8", -1, &ts->upd, NULL) != SQLITE_OK)
		return db_fail(s, err, "save topics");
	return 0;
}

/* Add t (id 0) or change it (see store_topic_update()) in the open
 * transaction.  The keys of the names whose meaning changed (the new
 * name, the old one when renamed) go to rs->keys when t's query or name
 * changed or t is new; t's id to rs->fresh when its query is new.
 * Returns 0, HORCH_EINVAL (a name taken), HORCH_ENOTFOUND or
 * HORCH_ESTORE. */
static int save_one(struct sqlite_store *s, struct topic_stmts *ts, struct store_topic *t,
		    int64_t now, struct refset *rs, struct horch_err *err)
{
	sqlite3_stmt *stmt = t->id ? ts->upd : ts->ins;
	int changed = 0, renamed = 0, rc;

	if (t->id) {
		const char *old, *old_name;

		sqlite3_bind_int64(ts->sel, 1, t->id);
		rc = sqlite3_step(ts->sel);
		if (rc == SQLITE_DONE) {
			sqlite3_reset(ts->sel);
			return horch_err_set(err, HORCH_ENOTFOUND, "no topic with id %lld",
					     (long long)t->id);
		}
		if (rc != SQLITE_ROW) {
			sqlite3_reset(ts->sel);
			return db_fail(s, err, "update topic");
		}
		old = (const char *)sqlite3_column_text(ts->sel, 0);
		old_name = (const char *)sqlite3_column_text(ts->sel, 1);
		changed = !old || strcmp(old, t->query) != 0;
		renamed = !old_name || strcmp(old_name, t->name) != 0;
		if (renamed) {
			refset_key(rs, old_name ? old_name : "");
			refset_raw_key(rs, (const char *)sqlite3_column_text(ts->sel, 2));
		}
		sqlite3_reset(ts->sel);
		sqlite3_bind_int(stmt, 7, changed);
		sqlite3_bind_int64(stmt, 8, t->id);
	}
	bind_topic(stmt, t);
	sqlite3_bind_int64(stmt, 5, now);
	bind_matched_to(stmt, 6, t->matched_to);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		rc = 0;
	} else if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE) {
		sqlite3_reset(stmt);
		rc = name_taken(s, t->name, err);
	} else {
		rc = db_fail(s, err, t->id ? "update topic" : "add topic");
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc)
		return rc;
	if (!t->id || changed || renamed)
		refset_key(rs, t->name);
	if (!t->id) {
		t->id = sqlite3_last_insert_rowid(s->db);
		t->created_at = now;
		t->n_matches = 0;
		refset_fresh(rs, t->id);
	} else if (changed) {
		refset_fresh(rs, t->id);
		/* The old matches are of the old query: gone in the same
		 * transaction as the query. */
		if ((rc = drop_topic_matches(s, t->id, "update topic", err)))
			return rc;
	}
	t->updated_at = now;
	return 0;
}

/* See store_topic_save_many() in store.h: one BEGIN IMMEDIATE ... COMMIT
 * around every topic. */
static int sqlite_topic_save_many(struct store *st, struct store_topic *t, size_t n,
				  size_t *failed, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	struct topic_stmts ts = { 0 };
	int64_t now = horch_now();
	unsigned char *added = NULL;
	struct refset rs;
	size_t i = 0;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, n == 1 && t[0].id ? "update topic" : "add topic", err);
	refset_init(&rs);
	if ((rc = topic_stmts_prepare(s, &ts, err)))
		goto out;
	if (step_once(s->begin) != SQLITE_DONE) {
		rc = db_fail(s, err, "save topics");
		goto out;
	}
	added = horch_xcalloc(n, 1);
	for (i = 0; i < n; i++) {
		added[i] = t[i].id == 0;
		if ((rc = save_one(s, &ts, &t[i], now, &rs, err)))
			goto fail;
	}
	if ((rc = reset_referrers(s, &rs, "save topics", err))) {
		i = n;
		goto fail;
	}
	if (step_once(s->commit) != SQLITE_DONE) {
		rc = db_fail(s, err, "save topics (commit)");
		i = n;
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	*failed = i;
	rollback_quietly(s);
	/* The topics added before the failure are not stored after all. */
	for (size_t k = 0; k < n; k++)
		if (added[k])
			t[k].id = 0;
out:
	free(added);
	topic_stmts_free(&ts);
	refset_cleanup(&rs);
	return rc;
}

static int sqlite_topic_get(struct store *st, const char *name, struct store_topic *out,
			    struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	struct store_topic t;
	char q[STORE_TOPIC_NAME_MAX * 4 + 8];
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT " TOPIC_COLUMNS " FROM topic WHERE name_key = "
			       "horch_name_key(?1) OR name = ?1 ORDER BY name = ?1 DESC LIMIT 1",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "get topic");
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		row_to_topic(stmt, &t);
		*out = t;
		out->name = horch_xstrdup(t.name);
		out->query = horch_xstrdup(t.query);
		out->team = horch_xstrdup(t.team);
		out->color = horch_xstrdup(t.color);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		store__quote(q, sizeof q, name);
		rc = horch_err_set(err, HORCH_ENOTFOUND, "no topic named '%s'", q);
	} else {
		rc = db_fail(s, err, "get topic");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_topic_list(struct store *st, store_topic_fn fn, void *ctx,
			     struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	struct store_topic t;
	int rc;

	/* The column's NOCASE collation orders the names: the unique index. */
	if (sqlite3_prepare_v2(s->db, "SELECT " TOPIC_COLUMNS " FROM topic ORDER BY name, id",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "list topics");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row_to_topic(stmt, &t);
		if (fn(ctx, &t)) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: topic list stopped by the caller");
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "list topics");
out:
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_topic_delete(struct store *st, const char *name, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int64_t id = 0;
	char q[STORE_TOPIC_NAME_MAX * 4 + 16];
	struct refset rs;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "delete topic", err);
	refset_init(&rs);
	if (step_once(s->begin) != SQLITE_DONE)
		return db_fail(s, err, "delete topic");
	if (sqlite3_prepare_v2(s->db, "SELECT id, name, name_key FROM topic WHERE "
			       "name_key = horch_name_key(?1) "
			       "OR name = ?1 ORDER BY name = ?1 DESC LIMIT 1", -1, &stmt,
			       NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "delete topic");
		goto fail;
	}
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
	} else if (rc == SQLITE_DONE) {
		store__quote(q, sizeof q, name);
		rc = horch_err_set(err, HORCH_ENOTFOUND, "no topic named '%s'", q);
		goto fail;
	} else {
		rc = db_fail(s, err, "delete topic");
		goto fail;
	}
	refset_key(&rs, (const char *)sqlite3_column_text(stmt, 1));
	refset_raw_key(&rs, (const char *)sqlite3_column_text(stmt, 2));
	sqlite3_finalize(stmt);
	stmt = NULL;
	if ((rc = drop_topic_matches(s, id, "delete topic", err)))
		goto fail;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM topic WHERE id = ?1", -1, &stmt,
			       NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "delete topic");
		goto fail;
	}
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = db_fail(s, err, "delete topic");
		goto fail;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if ((rc = reset_referrers(s, &rs, "delete topic", err)))
		goto fail;
	if (step_once(s->commit) != SQLITE_DONE) {
		rc = db_fail(s, err, "delete topic (commit)");
		goto fail;
	}
	refset_cleanup(&rs);
	return 0;
fail:
	sqlite3_finalize(stmt);
	rollback_quietly(s);
	refset_cleanup(&rs);
	return rc;
}

static int sqlite_topic_clear_matches(struct store *st, int64_t topic_id,
				      struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "clear matches", err);
	if (step_once(s->begin) != SQLITE_DONE)
		return db_fail(s, err, "clear matches");
	if (sqlite3_prepare_v2(s->db, "UPDATE topic SET n_matches = 0, matched_to = 0, "
			       "revision = revision + 1 WHERE id = ?1", -1,
			       &stmt, NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "clear matches");
		goto fail;
	}
	sqlite3_bind_int64(stmt, 1, topic_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = db_fail(s, err, "clear matches");
		goto fail;
	}
	if (sqlite3_changes(s->db) == 0) {
		rc = horch_err_set(err, HORCH_ENOTFOUND, "no topic with id %lld",
				   (long long)topic_id);
		goto fail;
	}
	if ((rc = drop_topic_matches(s, topic_id, "clear matches", err)))
		goto fail;
	if (step_once(s->commit) != SQLITE_DONE) {
		rc = db_fail(s, err, "clear matches (commit)");
		goto fail;
	}
	sqlite3_finalize(stmt);
	return 0;
fail:
	sqlite3_finalize(stmt);
	rollback_quietly(s);
	return rc;
}

/* See store_put_history() in store.h.  Each topic's matched_to is moved
 * first, on the condition that it is still from and its revision still
 * the pass's; the matches of a topic
 * whose move did not happen are dropped.  Rows written are counted per
 * topic and added to n_matches before the commit. */
static int sqlite_put_history(struct store *st, const int64_t *topics,
			      const int64_t *revisions, size_t n_topics, int64_t from, int64_t to,
			      const struct store_match *m, size_t n_m, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *move = NULL;
	int64_t *count = NULL;
	unsigned char *live = NULL;
	size_t i;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "put history", err);
	if (sqlite3_prepare_v2(s->db, "UPDATE topic SET matched_to = ?2 WHERE id = ?1 AND "
			       "matched_to IS ?3 AND revision = ?4", -1, &move, NULL) != SQLITE_OK)
		return db_fail(s, err, "put history");
	if (step_once(s->begin) != SQLITE_DONE) {
		rc = db_fail(s, err, "put history");
		goto out;
	}
	count = horch_xcalloc(n_topics, sizeof *count);
	live = horch_xcalloc(n_topics, 1);
	for (i = 0; i < n_topics; i++) {
		sqlite3_bind_int64(move, 1, topics[i]);
		bind_matched_to(move, 2, to);
		bind_matched_to(move, 3, from);
		sqlite3_bind_int64(move, 4, revisions[i]);
		if (step_once(move) != SQLITE_DONE) {
			rc = db_fail(s, err, "put history");
			goto fail;
		}
		live[i] = sqlite3_changes(s->db) > 0;
	}
	for (i = 0; i < n_m; i++) {
		/* store.c checked that the topic is in topics[]. */
		size_t lo = store__lower_bound(topics, n_topics, m[i].topic);

		if (!live[lo])
			continue;
		if ((rc = insert_match(s, m, i, "put history", err)) < 0)
			goto fail;
		if (rc == 1)
			count[lo]++;
	}
	for (i = 0; i < n_topics; i++) {
		if (!count[i])
			continue;
		sqlite3_bind_int64(s->bump_topic, 1, topics[i]);
		sqlite3_bind_int64(s->bump_topic, 2, count[i]);
		if (step_once(s->bump_topic) != SQLITE_DONE) {
			rc = db_fail(s, err, "put history");
			goto fail;
		}
		if ((rc = mark_stale_topic(s, topics[i], "put history", err)))
			goto fail;
	}
	if (step_once(s->commit) != SQLITE_DONE) {
		rc = db_fail(s, err, "put history (commit)");
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	rollback_quietly(s);
out:
	clear_write_bindings(s);
	sqlite3_finalize(move);
	free(count);
	free(live);
	return rc;
}

/* ---- near-duplicates (store_recent_prints()) ---- */

static int sqlite_recent_prints(struct store *st, size_t limit, store_print_fn fn, void *ctx,
				struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	/* The newest rows by rowid, then replayed oldest first. */
	if (sqlite3_prepare_v2(s->db, "SELECT id, simhash, source, author, text, repost FROM "
			       "(SELECT id, simhash, source, author, text, kind = 'repost' OR "
			       "substr(text, 1, 4) = 'RT @' AS repost FROM post WHERE simhash IS NOT "
			       "NULL ORDER BY id DESC LIMIT ?1) ORDER BY id", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return db_fail(s, err, "recent fingerprints");
	sqlite3_bind_int64(stmt, 1, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_print pr = {
			.id = sqlite3_column_int64(stmt, 0),
			.simhash = (uint64_t)sqlite3_column_int64(stmt, 1),
			.source = (const char *)sqlite3_column_text(stmt, 2),
			.author = (const char *)sqlite3_column_text(stmt, 3),
			.text = (const char *)sqlite3_column_text(stmt, 4),
			.repost = sqlite3_column_int(stmt, 5),
		};

		if (fn(ctx, &pr)) {
			sqlite3_finalize(stmt);
			return horch_err_set(err, HORCH_ESTOP, "recent fingerprints: stopped");
		}
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(s, err, "recent fingerprints");
		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	return 0;
}

/* ---- the product catalogue ---- */

static int sqlite_product_add(struct store *st, struct store_product *p, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	json_t *arr = json_array();
	char *aliases = NULL, q[STORE_TOPIC_NAME_MAX * 4 + 16];
	int64_t now = horch_now();
	int rc = 0;

	if (s->read_only) {
		json_decref(arr);
		return refuse_read_only(s, "add product", err);
	}
	for (size_t i = 0; i < p->n_aliases; i++)
		json_array_append_new(arr, json_string(p->aliases[i]));
	aliases = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (!aliases)
		return horch_err_set(err, HORCH_EINVAL, "add product: an alias is not valid UTF-8");
	if (sqlite3_prepare_v2(s->db, "INSERT INTO product (name, name_key, sku, aliases, "
			       "created_at) VALUES (?1, horch_name_key(?1), ?2, ?3, ?4)", -1, &stmt,
			       NULL) != SQLITE_OK) {
		rc = db_fail(s, err, "add product");
		goto out;
	}
	sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, p->sku, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, aliases, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, now);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_CONSTRAINT) {
		store__quote(q, sizeof q, p->name);
		rc = horch_err_set(err, HORCH_EINVAL, "a product named '%s' exists already", q);
		goto out;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(s, err, "add product");
		goto out;
	}
	rc = 0;
	p->id = sqlite3_last_insert_rowid(s->db);
	p->created_at = now;
out:
	sqlite3_finalize(stmt);
	free(aliases);
	return rc;
}

static int sqlite_product_list(struct store *st, store_product_fn fn, void *ctx,
			       struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT id, name, sku, aliases, created_at FROM product "
			       "ORDER BY name_key", -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "list products");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_product p = { 0 };
		const char *al = (const char *)sqlite3_column_text(stmt, 3);
		json_t *arr = al ? json_loads(al, 0, NULL) : NULL;
		char *alias[STORE_PRODUCT_ALIASES_MAX];
		int stop;

		p.id = sqlite3_column_int64(stmt, 0);
		p.name = (char *)sqlite3_column_text(stmt, 1);
		p.sku = (char *)sqlite3_column_text(stmt, 2);
		p.created_at = sqlite3_column_int64(stmt, 4);
		p.aliases = alias;
		for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr) &&
		     p.n_aliases < STORE_PRODUCT_ALIASES_MAX; i++)
			if (json_is_string(json_array_get(arr, i)))
				alias[p.n_aliases++] =
					(char *)json_string_value(json_array_get(arr, i));
		stop = fn(ctx, &p);
		json_decref(arr);
		if (stop) {
			sqlite3_finalize(stmt);
			return horch_err_set(err, HORCH_ESTOP, "list products: stopped");
		}
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(s, err, "list products");
		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	return 0;
}

static int sqlite_product_delete(struct store *st, const char *name, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	char q[STORE_TOPIC_NAME_MAX * 4 + 16];

	if (s->read_only)
		return refuse_read_only(s, "remove product", err);
	if (sqlite3_prepare_v2(s->db, "DELETE FROM product WHERE name_key = horch_name_key(?1)",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, "remove product");
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		int rc = db_fail(s, err, "remove product");

		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	if (sqlite3_changes(s->db) == 0) {
		store__quote(q, sizeof q, name);
		return horch_err_set(err, HORCH_ENOTFOUND, "no product named '%s'", q);
	}
	return 0;
}

/* ---- users, sessions, tokens, subscriptions ----
 *
 * Rare, small statements (a sign-in, a command of horch user), so each is
 * prepared per call.  The store hashes nothing: it keeps the strings
 * src/http/auth.c gives it (migrations/008_users.sql). */

char *store__sqlite_col_dup(sqlite3_stmt *stmt, int i)
{
	const char *t = (const char *)sqlite3_column_text(stmt, i);

	return t ? horch_xstrdup(t) : NULL;
}

/* Prepare sql on s's connection into *stmt.  Returns 0 or HORCH_ESTORE
 * naming op. */
static int auth_prepare(struct sqlite_store *s, const char *sql, sqlite3_stmt **stmt,
			const char *op, struct horch_err *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return db_fail(s, err, op);
	return 0;
}

/* Step stmt, a statement that returns no rows, and finalize it.  Returns
 * 0, HORCH_EEXIST (a UNIQUE or PRIMARY KEY constraint failed),
 * HORCH_ENOTFOUND (a FOREIGN KEY constraint failed: the user, token or
 * topic named does not exist) or HORCH_ESTORE naming op. */
static int auth_step_done(struct sqlite_store *s, sqlite3_stmt *stmt, const char *op,
			  struct horch_err *err)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_DONE) {
		rc = 0;
	} else if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE ||
		   sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY) {
		rc = horch_err_set(err, HORCH_EEXIST, "store: %s: exists already", op);
	} else if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_FOREIGNKEY) {
		rc = horch_err_set(err, HORCH_ENOTFOUND, "store: %s: the owner does not exist", op);
	} else {
		rc = db_fail(s, err, op);
	}
	sqlite3_finalize(stmt);
	return rc;
}

#define USER_COLUMNS "id, name, role, pw_hash, must_change, disabled, created_at"

/* Fill u from the current row of a select of USER_COLUMNS; the strings
 * point into the statement when own is 0, are copies when it is 1. */
static void read_user(sqlite3_stmt *stmt, struct store_user *u, int own)
{
	u->id = sqlite3_column_int64(stmt, 0);
	if (own) {
		u->name = store__sqlite_col_dup(stmt, 1);
		u->role = store__sqlite_col_dup(stmt, 2);
		u->pw_hash = store__sqlite_col_dup(stmt, 3);
	} else {
		u->name = (char *)sqlite3_column_text(stmt, 1);
		u->role = (char *)sqlite3_column_text(stmt, 2);
		u->pw_hash = (char *)sqlite3_column_text(stmt, 3);
	}
	u->must_change = sqlite3_column_int(stmt, 4);
	u->disabled = sqlite3_column_int(stmt, 5);
	u->created_at = sqlite3_column_int64(stmt, 6);
}

static int sqlite_user_add(struct store *st, struct store_user *u, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int64_t now = horch_now();
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "add user", err);
	if ((rc = auth_prepare(s, "INSERT INTO users (name, name_key, role, pw_hash, must_change, "
			       "created_at, disabled) VALUES (?1, horch_name_key(?1), ?2, ?3, ?4, "
			       "?5, ?6)", &stmt, "add user", err)))
		return rc;
	sqlite3_bind_text(stmt, 1, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, u->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, u->pw_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, u->must_change != 0);
	sqlite3_bind_int64(stmt, 5, now);
	sqlite3_bind_int(stmt, 6, u->disabled != 0);
	rc = auth_step_done(s, stmt, "add user", err);
	if (rc == HORCH_EEXIST) {
		char q[STORE_USER_NAME_MAX * 4 + 16];

		store__quote(q, sizeof q, u->name);
		return horch_err_set(err, HORCH_EEXIST, "a user named '%s' exists already", q);
	}
	if (rc)
		return rc;
	u->id = sqlite3_last_insert_rowid(s->db);
	u->created_at = now;
	return 0;
}

static int sqlite_user_get(struct store *st, const char *name, int64_t by_id,
			   struct store_user *out, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = auth_prepare(s, name ? "SELECT " USER_COLUMNS " FROM users WHERE name_key = "
			       "horch_name_key(?1)" : "SELECT " USER_COLUMNS " FROM users WHERE "
			       "id = ?2", &stmt, "get user", err)))
		return rc;
	if (name)
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 2, by_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		read_user(stmt, out, 1);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		char q[STORE_USER_NAME_MAX * 4 + 16];

		if (name) {
			store__quote(q, sizeof q, name);
			rc = horch_err_set(err, HORCH_ENOTFOUND, "no user named '%s'", q);
		} else {
			rc = horch_err_set(err, HORCH_ENOTFOUND, "no user with id %lld",
					   (long long)by_id);
		}
	} else {
		rc = db_fail(s, err, "get user");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_user_list(struct store *st, store_user_fn fn, void *ctx,
			    struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = auth_prepare(s, "SELECT " USER_COLUMNS " FROM users ORDER BY name_key", &stmt,
			       "list users", err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_user u = { 0 };

		read_user(stmt, &u, 0);
		if (fn(ctx, &u)) {
			sqlite3_finalize(stmt);
			return horch_err_set(err, HORCH_ESTOP, "list users: stopped");
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "list users");
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_user_delete(struct store *st, const char *name, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "remove user", err);
	/* The sessions and subscriptions go with the user (ON DELETE CASCADE,
	 * in the statement's own transaction). */
	if ((rc = auth_prepare(s, "DELETE FROM users WHERE name_key = horch_name_key(?1)", &stmt,
			       "remove user", err)))
		return rc;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if ((rc = auth_step_done(s, stmt, "remove user", err)))
		return rc;
	if (sqlite3_changes(s->db) == 0) {
		char q[STORE_USER_NAME_MAX * 4 + 16];

		store__quote(q, sizeof q, name);
		return horch_err_set(err, HORCH_ENOTFOUND, "no user named '%s'", q);
	}
	return 0;
}

static int sqlite_user_set_password(struct store *st, int64_t id, const char *pw_hash,
				    int must_change, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "set password", err);
	if ((rc = auth_prepare(s, "UPDATE users SET pw_hash = ?2, must_change = ?3 WHERE id = ?1",
			       &stmt, "set password", err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, pw_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, must_change);
	if ((rc = auth_step_done(s, stmt, "set password", err)))
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no user with id %lld", (long long)id);
	return 0;
}

/* Run the one-value query sql (with ?1 bound to arg unless arg is
 * INT64_MIN) and store its integer result in *out.  Returns 0 or
 * HORCH_ESTORE naming op. */
static int auth_scalar(struct sqlite_store *s, const char *sql, int64_t arg, int64_t *out,
		       const char *op, struct horch_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = auth_prepare(s, sql, &stmt, op, err)))
		return rc;
	if (arg != INT64_MIN)
		sqlite3_bind_int64(stmt, 1, arg);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*out = sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else {
		rc = db_fail(s, err, op);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_user_count(struct store *st, int64_t *out, struct horch_err *err)
{
	return auth_scalar(to_sqlite(st), "SELECT count(*) FROM users", INT64_MIN, out,
			   "count users", err);
}

static int sqlite_session_put(struct store *st, const struct store_session *ses,
			      struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "put session", err);
	if ((rc = auth_prepare(s, "INSERT INTO sessions (hash, user_id, token_id, csrf, "
			       "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &stmt,
			       "put session", err)))
		return rc;
	sqlite3_bind_text(stmt, 1, ses->hash, -1, SQLITE_STATIC);
	if (ses->user_id > 0)
		sqlite3_bind_int64(stmt, 2, ses->user_id);
	if (ses->token_id > 0)
		sqlite3_bind_int64(stmt, 3, ses->token_id);
	sqlite3_bind_text(stmt, 4, ses->csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, ses->created_at);
	sqlite3_bind_int64(stmt, 6, ses->expires_at);
	return auth_step_done(s, stmt, "put session", err);
}

static int sqlite_session_get(struct store *st, const char *hash, struct store_session *out,
			      struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = auth_prepare(s, "SELECT hash, coalesce(user_id, 0), coalesce(token_id, 0), "
			       "csrf, created_at, expires_at FROM sessions WHERE hash = ?1", &stmt,
			       "get session", err)))
		return rc;
	sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->hash = store__sqlite_col_dup(stmt, 0);
		out->user_id = sqlite3_column_int64(stmt, 1);
		out->token_id = sqlite3_column_int64(stmt, 2);
		out->csrf = store__sqlite_col_dup(stmt, 3);
		out->created_at = sqlite3_column_int64(stmt, 4);
		out->expires_at = sqlite3_column_int64(stmt, 5);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = horch_err_set(err, HORCH_ENOTFOUND, "no such session");
	} else {
		rc = db_fail(s, err, "get session");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_session_delete(struct store *st, const char *hash, int64_t user_id,
				 const char *keep, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "end session", err);
	if ((rc = auth_prepare(s, hash ? "DELETE FROM sessions WHERE hash = ?1"
				       : "DELETE FROM sessions WHERE user_id = ?2 AND "
					 "(?3 IS NULL OR hash <> ?3)", &stmt, "end session", err)))
		return rc;
	if (hash) {
		sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(stmt, 2, user_id);
		sqlite3_bind_text(stmt, 3, keep, -1, SQLITE_STATIC);
	}
	return auth_step_done(s, stmt, "end session", err);
}

static int sqlite_session_extend(struct store *st, const char *hash, int64_t expires_at,
				 struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "extend session", err);
	if ((rc = auth_prepare(s, "UPDATE sessions SET expires_at = ?2 WHERE hash = ?1", &stmt,
			       "extend session", err)))
		return rc;
	sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, expires_at);
	if ((rc = auth_step_done(s, stmt, "extend session", err)))
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no such session");
	return 0;
}

static int sqlite_session_purge(struct store *st, int64_t now, int64_t *n,
				struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	*n = 0;
	if (s->read_only)
		return refuse_read_only(s, "purge sessions", err);
	if ((rc = auth_prepare(s, "DELETE FROM sessions WHERE expires_at <= ?1", &stmt,
			       "purge sessions", err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, now);
	if ((rc = auth_step_done(s, stmt, "purge sessions", err)))
		return rc;
	*n = sqlite3_changes(s->db);
	return 0;
}

#define TOKEN_COLUMNS "id, hash, role, label, created_at, coalesce(last_used_at, 0), " \
		      "coalesce(revoked_at, 0)"

/* Fill t from the current row of a select of TOKEN_COLUMNS, as
 * read_user() does. */
static void read_token(sqlite3_stmt *stmt, struct store_token *t, int own)
{
	t->id = sqlite3_column_int64(stmt, 0);
	if (own) {
		t->hash = store__sqlite_col_dup(stmt, 1);
		t->role = store__sqlite_col_dup(stmt, 2);
		t->label = store__sqlite_col_dup(stmt, 3);
	} else {
		t->hash = (char *)sqlite3_column_text(stmt, 1);
		t->role = (char *)sqlite3_column_text(stmt, 2);
		t->label = (char *)sqlite3_column_text(stmt, 3);
	}
	t->created_at = sqlite3_column_int64(stmt, 4);
	t->last_used_at = sqlite3_column_int64(stmt, 5);
	t->revoked_at = sqlite3_column_int64(stmt, 6);
}

static int sqlite_token_add(struct store *st, struct store_token *t, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int64_t now = horch_now();
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "add token", err);
	if ((rc = auth_prepare(s, "INSERT INTO tokens (hash, role, label, created_at) "
			       "VALUES (?1, ?2, ?3, ?4)", &stmt, "add token", err)))
		return rc;
	sqlite3_bind_text(stmt, 1, t->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, t->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, t->label ? t->label : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, now);
	if ((rc = auth_step_done(s, stmt, "add token", err)))
		return rc;
	t->id = sqlite3_last_insert_rowid(s->db);
	t->created_at = now;
	return 0;
}

static int sqlite_token_get(struct store *st, const char *hash, int64_t by_id,
			    struct store_token *out, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = auth_prepare(s, hash ? "SELECT " TOKEN_COLUMNS " FROM tokens WHERE hash = ?1"
				       : "SELECT " TOKEN_COLUMNS " FROM tokens WHERE id = ?2",
			       &stmt, "get token", err)))
		return rc;
	if (hash)
		sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 2, by_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		read_token(stmt, out, 1);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = hash ? horch_err_set(err, HORCH_ENOTFOUND, "no such token")
			  : horch_err_set(err, HORCH_ENOTFOUND, "no token with id %lld",
					  (long long)by_id);
	} else {
		rc = db_fail(s, err, "get token");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_token_list(struct store *st, store_token_fn fn, void *ctx,
			     struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = auth_prepare(s, "SELECT " TOKEN_COLUMNS " FROM tokens ORDER BY id", &stmt,
			       "list tokens", err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_token t = { 0 };

		read_token(stmt, &t, 0);
		if (fn(ctx, &t)) {
			sqlite3_finalize(stmt);
			return horch_err_set(err, HORCH_ESTOP, "list tokens: stopped");
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "list tokens");
	sqlite3_finalize(stmt);
	return rc;
}

static int sqlite_token_revoke(struct store *st, int64_t id, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int64_t found = 0;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "revoke token", err);
	/* The mark and the end of the token's sessions in one transaction:
	 * a crash between them would leave a wall screen signed in. */
	if ((rc = exec_sql(s, "BEGIN IMMEDIATE", "revoke token", err)))
		return rc;
	if ((rc = auth_scalar(s, "SELECT count(*) FROM tokens WHERE id = ?1", id, &found,
			      "revoke token", err)))
		goto out;
	if (!found) {
		rc = horch_err_set(err, HORCH_ENOTFOUND, "no token with id %lld", (long long)id);
		goto out;
	}
	if ((rc = auth_prepare(s, "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND "
			       "revoked_at IS NULL", &stmt, "revoke token", err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, horch_now());
	if ((rc = auth_step_done(s, stmt, "revoke token", err)))
		goto out;
	if ((rc = auth_prepare(s, "DELETE FROM sessions WHERE token_id = ?1", &stmt,
			       "revoke token", err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = auth_step_done(s, stmt, "revoke token", err)))
		goto out;
	rc = exec_sql(s, "COMMIT", "revoke token", err);
out:
	if (rc)
		rollback_quietly(s);
	return rc;
}

static int sqlite_token_touch(struct store *st, int64_t id, int64_t now, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, "use token", err);
	if ((rc = auth_prepare(s, "UPDATE tokens SET last_used_at = ?2 WHERE id = ?1", &stmt,
			       "use token", err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	return auth_step_done(s, stmt, "use token", err);
}

static int sqlite_sub_set(struct store *st, int64_t user_id, int64_t topic_id, int add,
			  struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int64_t found = 0;
	int rc;

	if (s->read_only)
		return refuse_read_only(s, add ? "subscribe" : "unsubscribe", err);
	if ((rc = auth_prepare(s, add ? "INSERT INTO subscriptions (user_id, topic_id, created_at) "
				      "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"
				    : "DELETE FROM subscriptions WHERE user_id = ?1 AND "
				      "topic_id = ?2", &stmt, add ? "subscribe" : "unsubscribe",
			       err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, user_id);
	sqlite3_bind_int64(stmt, 2, topic_id);
	if (add)
		sqlite3_bind_int64(stmt, 3, horch_now());
	rc = auth_step_done(s, stmt, add ? "subscribe" : "unsubscribe", err);
	if (rc != HORCH_ENOTFOUND)
		return rc;
	/* A foreign key failed: say which one. */
	if (auth_scalar(s, "SELECT count(*) FROM users WHERE id = ?1", user_id, &found,
			"subscribe", err) == 0 && !found)
		return horch_err_set(err, HORCH_ENOTFOUND, "no user with id %lld",
				     (long long)user_id);
	return horch_err_set(err, HORCH_ENOTFOUND, "no topic with id %lld", (long long)topic_id);
}

static int sqlite_sub_list(struct store *st, int64_t user_id, store_sub_fn fn, void *ctx,
			   struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = auth_prepare(s, "SELECT t.id, t.name FROM subscriptions AS b JOIN topic AS t "
			       "ON t.id = b.topic_id WHERE b.user_id = ?1 ORDER BY t.name, t.id",
			       &stmt, "list subscriptions", err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, user_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (fn(ctx, sqlite3_column_int64(stmt, 0),
		       (const char *)sqlite3_column_text(stmt, 1))) {
			sqlite3_finalize(stmt);
			return horch_err_set(err, HORCH_ESTOP, "list subscriptions: stopped");
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "list subscriptions");
	sqlite3_finalize(stmt);
	return rc;
}

const struct store_backend store__sqlite = {
	.name = "SQLite",
	.scheme = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.schema_version = sqlite_schema_version,
	.put_posts_matched = sqlite_put_posts_matched,
	.put_matches = sqlite_put_matches,
	.count_matches = sqlite_count_matches,
	.scan_posts = sqlite_scan_posts,
	.post_matches = sqlite_post_matches,
	.search = sqlite_search,
	.stats = sqlite_stats,
	.count_posts = sqlite_count_posts,
	.metrics = sqlite_metrics,
	.metrics_breakdown = sqlite_metrics_breakdown,
	.top_authors = sqlite_top_authors,
	.post_texts = sqlite_post_texts,
	.topics_version = sqlite_topics_version,
	.topic_save_many = sqlite_topic_save_many,
	.topic_get = sqlite_topic_get,
	.topic_list = sqlite_topic_list,
	.topic_delete = sqlite_topic_delete,
	.topic_clear_matches = sqlite_topic_clear_matches,
	.put_history = sqlite_put_history,
	.recent_prints = sqlite_recent_prints,
	.product_add = sqlite_product_add,
	.product_list = sqlite_product_list,
	.product_delete = sqlite_product_delete,
	.user_add = sqlite_user_add,
	.user_get = sqlite_user_get,
	.user_list = sqlite_user_list,
	.user_delete = sqlite_user_delete,
	.user_set_password = sqlite_user_set_password,
	.user_count = sqlite_user_count,
	.session_put = sqlite_session_put,
	.session_get = sqlite_session_get,
	.session_delete = sqlite_session_delete,
	.session_extend = sqlite_session_extend,
	.session_purge = sqlite_session_purge,
	.token_add = sqlite_token_add,
	.token_get = sqlite_token_get,
	.token_list = sqlite_token_list,
	.token_revoke = sqlite_token_revoke,
	.token_touch = sqlite_token_touch,
	.sub_set = sqlite_sub_set,
	.sub_list = sqlite_sub_list,
	.signals = &store__sqlite_signals,
	.sources = &store__sqlite_sources,
};
