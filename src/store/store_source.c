/* store_source.c - the SQLite backend's sources: settings, cursors and
 * health of the connectors (store.h's "sources" section, migration 010).
 *
 * The cursor moves in store_put_posts_marked(), in the transaction of the
 * posts it covers (store_sqlite.c); this file keeps the rest: the rows
 * themselves, the runner's reports, and the figures of health read from
 * the hourly counts. */
#include "store_sqlite_int.h"

#include <sqlite3.h>
#include <string.h>

#include "../core/clock.h"

#define fail store__sqlite_fail
#define step_once store__sqlite_step_once

#define HOUR_MS 3600000LL

static struct sqlite_store *to_sqlite(struct store *st)
{
	return (struct sqlite_store *)st;
}

static void bind_text_or_null(sqlite3_stmt *q, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static int sqlite_source_put(struct store *st, const struct store_source *src, int64_t now,
			     int64_t *id, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int r;

	if (s->read_only)
		return store__sqlite_read_only(s, "put source", err);
	/* The row keeps its cursor and health; another kind or url makes
	 * the cursor meaningless, so it is cleared.  updated_at moves only
	 * when a setting changed, so that the runner restarts only the
	 * sources whose settings did. */
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO source (name, kind, url, interval, enabled, from_config, "
			       "params, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			       "?8, ?8) ON CONFLICT (name) DO UPDATE SET "
			       "cursor = CASE WHEN kind IS NOT excluded.kind OR url IS NOT "
			       "excluded.url THEN '' ELSE cursor END, "
			       "cursor_epoch = cursor_epoch + (kind IS NOT excluded.kind OR url IS "
			       "NOT excluded.url), "
			       "updated_at = CASE WHEN kind IS NOT excluded.kind OR url IS NOT "
			       "excluded.url OR interval IS NOT excluded.interval OR enabled IS NOT "
			       "excluded.enabled OR params IS NOT excluded.params OR from_config IS "
			       "NOT excluded.from_config THEN excluded.updated_at ELSE updated_at END, "
			       "kind = excluded.kind, url = excluded.url, interval = excluded.interval, "
			       "enabled = excluded.enabled, from_config = excluded.from_config, "
			       "params = excluded.params RETURNING id", -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "put source");
	sqlite3_bind_text(q, 1, src->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, src->kind, -1, SQLITE_STATIC);
	bind_text_or_null(q, 3, src->url && *src->url ? src->url : NULL);
	sqlite3_bind_int(q, 4, src->interval);
	sqlite3_bind_int(q, 5, src->enabled != 0);
	sqlite3_bind_int(q, 6, src->from_config != 0);
	sqlite3_bind_text(q, 7, src->params ? src->params : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, now);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW && id)
		*id = sqlite3_column_int64(q, 0);
	if (r == SQLITE_ROW)
		r = sqlite3_step(q);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? 0 : fail(s, err, "put source");
}

static int64_t col_time(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? HORCH_TIME_NONE
							: sqlite3_column_int64(q, i);
}

static int sqlite_source_list(struct store *st, const char *name, int64_t now,
			      store_source_fn fn, void *ctx, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int64_t hour = horch_time_floor(now, HOUR_MS);
	int rc = 0, r, found = 0;

	/* The hour before now is the current (partial) hour and the full one
	 * before it, weighted: the posts of the last 60 minutes are not kept
	 * per minute, so "the last hour" is the current hour plus the share
	 * of the previous one that lies within 60 minutes of now. */
	if (sqlite3_prepare_v2(s->db,
			       "SELECT s.id, s.name, s.kind, s.url, s.interval, s.enabled, "
			       "s.from_config, s.params, s.cursor, s.created_at, s.updated_at, "
			       "s.last_poll, s.last_ok, s.last_post, s.last_error_at, "
			       "s.last_warning_at, s.last_error, s.last_warning, s.errors, s.n_posts, "
			       "s.cursor_epoch, "
			       "(SELECT coalesce(sum(CASE WHEN h.hour = ?2 THEN h.posts ELSE "
			       "  h.posts * (1.0 - (?3 - ?2) / 3600000.0) END), 0) FROM source_hour h "
			       "  WHERE h.source = s.id AND h.hour >= ?2 - 3600000), "
			       "(SELECT coalesce(sum(h.posts), 0) FROM source_hour h WHERE h.source = "
			       "  s.id AND h.hour >= ?2 - 5 * 3600000), "
			       "(SELECT coalesce(sum(h.posts), 0) FROM source_hour h WHERE h.source = "
			       "  s.id AND h.hour >= ?2 - 169 * 3600000 AND h.hour < ?2 - 3600000), "
			       "max(0, min(168, (?2 - 3600000 - (s.created_at / 3600000 + 1) * "
			       "  3600000) / 3600000)) "
			       "FROM source s WHERE ?1 IS NULL OR s.name = ?1 ORDER BY s.name",
			       -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "list sources");
	bind_text_or_null(q, 1, name);
	sqlite3_bind_int64(q, 2, hour);
	sqlite3_bind_int64(q, 3, now);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_source x = { 0 };
		int64_t base_sum;

		found = 1;
		x.id = sqlite3_column_int64(q, 0);
		x.name = (const char *)sqlite3_column_text(q, 1);
		x.kind = (const char *)sqlite3_column_text(q, 2);
		x.url = (const char *)sqlite3_column_text(q, 3);
		x.interval = sqlite3_column_int(q, 4);
		x.enabled = sqlite3_column_int(q, 5);
		x.from_config = sqlite3_column_int(q, 6);
		x.params = (const char *)sqlite3_column_text(q, 7);
		x.cursor = (const char *)sqlite3_column_text(q, 8);
		x.created_at = sqlite3_column_int64(q, 9);
		x.updated_at = sqlite3_column_int64(q, 10);
		x.last_poll = col_time(q, 11);
		x.last_ok = col_time(q, 12);
		x.last_post = col_time(q, 13);
		x.last_error_at = col_time(q, 14);
		x.last_warning_at = col_time(q, 15);
		x.last_error = (const char *)sqlite3_column_text(q, 16);
		x.last_warning = (const char *)sqlite3_column_text(q, 17);
		x.errors = sqlite3_column_int(q, 18);
		x.n_posts = sqlite3_column_int64(q, 19);
		x.cursor_epoch = sqlite3_column_int64(q, 20);
		x.posts_hour = (int64_t)(sqlite3_column_double(q, 21) + 0.5);
		x.posts_6h = sqlite3_column_int64(q, 22);
		base_sum = sqlite3_column_int64(q, 23);
		x.baseline_hours = sqlite3_column_int64(q, 24);
		x.baseline_hour = x.baseline_hours ? (double)base_sum / (double)x.baseline_hours : 0;
		if (fn(ctx, &x)) {
			rc = horch_err_set(err, HORCH_ESTOP, "store: sources stopped by the caller");
			break;
		}
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, err, "list sources");
	sqlite3_finalize(q);
	if (!rc && name && !found)
		rc = horch_err_set(err, HORCH_ENOTFOUND, "no source named \"%.128s\"", name);
	return rc;
}

/* Run sql (one statement, ?1 bound to name, ?2 to text2 if not NULL) on
 * the source named name.  Returns 0, HORCH_ENOTFOUND or HORCH_ESTORE. */
static int on_named(struct sqlite_store *s, const char *sql, const char *name,
		    const char *text2, const char *op, struct horch_err *err)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (s->read_only)
		return store__sqlite_read_only(s, op, err);
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, op);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (text2)
		sqlite3_bind_text(q, 2, text2, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return fail(s, err, op);
	if (sqlite3_changes(s->db) == 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no source named \"%.128s\"", name);
	return 0;
}

static int sqlite_source_delete(struct store *st, const char *name, struct horch_err *err)
{
	return on_named(to_sqlite(st), "DELETE FROM source WHERE name = ?1", name, NULL,
			"delete source", err);
}

static int sqlite_source_set_cursor(struct store *st, const char *name, const char *cursor,
				    struct horch_err *err)
{
	/* updated_at moves so that a running serve restarts the source from
	 * this cursor; the epoch so that the cursors its old run still hands
	 * on are not stored over it. */
	return on_named(to_sqlite(st), "UPDATE source SET cursor = ?2, cursor_epoch = "
			"cursor_epoch + 1, updated_at = max(updated_at + 1, CAST(strftime('%s', "
			"'now') AS INTEGER) * 1000) WHERE name = ?1", name, cursor,
			"set source cursor", err);
}

static int sqlite_source_report(struct store *st, int64_t id,
				const struct store_source_report *rep, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int r, rc = 0, changed;

	if (s->read_only)
		return store__sqlite_read_only(s, "report source", err);
	if (step_once(s->begin) != SQLITE_DONE)
		return fail(s, err, "report source");
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE source SET last_poll = ?2, "
			       "last_ok = CASE WHEN ?3 THEN ?2 ELSE last_ok END, "
			       "errors = CASE WHEN ?3 THEN 0 ELSE errors + 1 END, "
			       "last_error = CASE WHEN ?3 THEN last_error ELSE ?4 END, "
			       "last_error_at = CASE WHEN ?3 THEN last_error_at ELSE ?2 END, "
			       "last_warning = CASE WHEN ?5 IS NULL THEN last_warning ELSE ?5 END, "
			       "last_warning_at = CASE WHEN ?5 IS NULL THEN last_warning_at ELSE ?2 END "
			       "WHERE id = ?1", -1, &q, NULL) != SQLITE_OK) {
		rc = fail(s, err, "report source");
		goto out;
	}
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, rep->at);
	sqlite3_bind_int(q, 3, rep->ok != 0);
	bind_text_or_null(q, 4, rep->ok ? NULL : rep->error ? rep->error : "failed");
	bind_text_or_null(q, 5, rep->warning && *rep->warning ? rep->warning : NULL);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	q = NULL;
	if (r != SQLITE_DONE) {
		rc = fail(s, err, "report source");
		goto out;
	}
	changed = sqlite3_changes(s->db);
	if (!changed) {
		rc = horch_err_set(err, HORCH_ENOTFOUND, "no source with id %lld", (long long)id);
		goto out;
	}
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO source_hour (source, hour, fetches, errors) VALUES "
			       "(?1, ?2, 1, ?3) ON CONFLICT (source, hour) DO UPDATE SET "
			       "fetches = fetches + 1, errors = errors + excluded.errors",
			       -1, &q, NULL) != SQLITE_OK) {
		rc = fail(s, err, "report source");
		goto out;
	}
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, horch_time_floor(rep->at, HOUR_MS));
	sqlite3_bind_int(q, 3, rep->ok ? 0 : 1);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE) {
		rc = fail(s, err, "report source");
		goto out;
	}
	if (step_once(s->commit) != SQLITE_DONE)
		rc = fail(s, err, "report source (commit)");
out:
	if (rc)
		store__sqlite_rollback(s);
	return rc;
}

const struct store_source_backend store__sqlite_sources = {
	.put = sqlite_source_put,
	.list = sqlite_source_list,
	.del = sqlite_source_delete,
	.report = sqlite_source_report,
	.set_cursor = sqlite_source_set_cursor,
};
