/* store_signal.c - the SQLite backend's signal calls: the buckets of each
 * topic and product, the posts that wait for an answer, launches, alert
 * rules, alerts and their deliveries (store.h's "signals" section; the
 * tables are those of migrations/009_signals.sql).
 *
 * store_signals_update() is the one that does work: it reads the posts
 * stored after the mark (by id, at most max_posts), their matches and
 * their product entities, adds each post to an in-memory table of bucket
 * increments (one entry per subject, resolution and bucket start, with the
 * authors' HyperLogLog sketch), then writes each entry with one upsert and
 * moves the mark, in one transaction.  The live path of the writer thread
 * is not slowed: it writes posts and matches only, and a call every few
 * seconds turns thousands of posts into one upsert per touched bucket.
 * Topics marked stale (their matches changed by a backfill, a rematch or
 * a deletion: store_sqlite.c marks them) are rebuilt from their matches up
 * to the old mark in the same transaction. */
#include "store_sqlite_int.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/hll.h"
#include "../core/log.h"

#define MS_MIN 60000LL
#define MS_HOUR 3600000LL
#define MS_DAY 86400000LL

static struct sqlite_store *to_sqlite(struct store *st)
{
	return (struct sqlite_store *)st;
}

#define fail store__sqlite_fail
#define step_once store__sqlite_step_once

/* The end of a loop over q's rows: r is the last step's result, rc 0 or
 * what the loop stopped with.  Finalises q; returns rc, or HORCH_ESTORE
 * naming op when the rows ended in an error. */
static int rows_end(struct sqlite_store *s, sqlite3_stmt *q, int r, int rc, const char *op,
		    struct horch_err *err)
{
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, err, op);
	sqlite3_finalize(q);
	return rc;
}

/* The caller's callback asked to stop listing what. */
static int stopped(struct horch_err *err, const char *what)
{
	return horch_err_set(err, HORCH_ESTOP, "store: %s stopped by the caller", what);
}

/* ---- the HyperLogLog union of an upsert ---- */

/* hll_union(a, b): the register-wise maximum of two sketches; a NULL or a
 * blob of another size counts as empty. */
static void sql_hll_union(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	uint8_t reg[HLL_REGISTERS];
	int any = 0;

	memset(reg, 0, sizeof reg);
	for (int i = 0; i < argc; i++) {
		if (sqlite3_value_type(argv[i]) != SQLITE_BLOB ||
		    sqlite3_value_bytes(argv[i]) != (int)HLL_REGISTERS)
			continue;
		hll_merge(reg, sqlite3_value_blob(argv[i]));
		any = 1;
	}
	if (any)
		sqlite3_result_blob(ctx, reg, sizeof reg, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

int store__signal_functions(sqlite3 *db)
{
	return sqlite3_create_function(db, "hll_union", 2,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
				       NULL, sql_hll_union, NULL, NULL);
}

/* ---- the increments of one call ---- */

/* One bucket's increments.  key: scope, ref, res, t. */
struct inc {
	int64_t ref, t;
	int scope, res;
	int has_authors;
	int64_t volume, positive, neutral, negative, complaints, questions, rating_n, spam,
		dups;
	double sentiment_sum, reach, rating_sum;
	uint8_t authors[HLL_REGISTERS];
};

/* The entries, dense in the order they were made (v[0..n)), and an
 * open-addressing index of them (slot: entry + 1; 0 free), at most half
 * full: a probe reads 4-byte slots and one key, not whole entries. */
struct incs {
	struct inc *v;
	size_t n, cap_v;
	uint32_t *slot;
	size_t cap;
};

/* The key mixed by splitmix64's finaliser: bucket starts are multiples of
 * 60,000 (their low bits are all zero), which a plain multiply would leave
 * in the low bits the table is indexed by. */
static uint64_t inc_hash(int scope, int64_t ref, int res, int64_t t)
{
	uint64_t h = (uint64_t)ref * 0x9E3779B97F4A7C15ull ^ (uint64_t)(t / 60000) ^
		     ((uint64_t)res << 40) ^ ((uint64_t)scope << 62);

	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

/* The index slot of (scope, ref, res, t): its entry's, or the free one. */
static uint32_t *inc_slot(struct incs *s, int scope, int64_t ref, int res, int64_t t)
{
	size_t i = (size_t)inc_hash(scope, ref, res, t) & (s->cap - 1);

	for (;;) {
		const struct inc *e;

		if (!s->slot[i])
			return &s->slot[i];
		e = &s->v[s->slot[i] - 1];
		if (e->ref == ref && e->t == t && e->res == res && e->scope == scope)
			return &s->slot[i];
		i = (i + 1) & (s->cap - 1);
	}
}

/* The entry of (scope, ref, res, t), made zero when new. */
static struct inc *inc_get(struct incs *s, int scope, int64_t ref, int res, int64_t t)
{
	uint32_t *slot;
	struct inc *e;

	if (2 * (s->n + 1) > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		free(s->slot);
		s->slot = horch_xcalloc(s->cap, sizeof *s->slot);
		for (size_t i = 0; i < s->n; i++)
			*inc_slot(s, s->v[i].scope, s->v[i].ref, s->v[i].res, s->v[i].t) =
				(uint32_t)(i + 1);
	}
	slot = inc_slot(s, scope, ref, res, t);
	if (*slot)
		return &s->v[*slot - 1];
	if (s->n == s->cap_v) {
		s->cap_v = s->cap_v ? 2 * s->cap_v : 512;
		s->v = horch_xrealloc(s->v, s->cap_v * sizeof *s->v);
	}
	e = &s->v[s->n];
	memset(e, 0, offsetof(struct inc, authors));
	memset(e->authors, 0, sizeof e->authors);
	e->scope = scope;
	e->ref = ref;
	e->res = res;
	e->t = t;
	*slot = (uint32_t)++s->n;
	return e;
}

static void incs_cleanup(struct incs *s)
{
	free(s->v);
	free(s->slot);
	memset(s, 0, sizeof *s);
}

/* What a post adds to a bucket. */
struct bpost {
	int64_t id;
	int64_t t;            /* created_at, else fetched_at */
	uint64_t author;      /* hll_hash of "source\0author"; 0: no author */
	int label;            /* 1 positive, 0 neutral, -1 negative, 2 none */
	double sentiment;
	double followers;
	int intent;           /* 1 complaint, 2 question, 0 other */
	double rating;        /* < 0: none */
	int spam, dup;
};

/* Add post p to the buckets of (scope, ref) at the three resolutions. */
static void inc_add(struct incs *s, int scope, int64_t ref, const struct bpost *p)
{
	static const int res[3] = { 60, 3600, 86400 };

	for (int k = 0; k < 3; k++) {
		struct inc *e = inc_get(s, scope, ref, res[k], horch_time_floor(p->t, res[k] * 1000LL));

		if (p->spam) {
			e->spam++;
			continue;
		}
		/* A review's stars count even when its text nearly repeats
		 * another's: two people may well write the same short review. */
		if (p->rating >= 0) {
			e->rating_sum += p->rating;
			e->rating_n++;
		}
		if (p->dup) {
			e->dups++;
			continue;
		}
		e->volume++;
		e->positive += p->label == 1;
		e->neutral += p->label == 0;
		e->negative += p->label == -1;
		e->sentiment_sum += p->label == 2 ? 0 : p->sentiment;
		e->reach += p->followers;
		e->complaints += p->intent == 1;
		e->questions += p->intent == 2;
		if (p->author) {
			hll_add(e->authors, p->author);
			e->has_authors = 1;
		}
	}
}

/* The columns a post's bucket figures are read from, after any leading
 * columns of the statement (at offset). */
#define BPOST_COLUMNS                                                          \
	"p.id, coalesce(p.created_at, p.fetched_at), p.source, p.author, "       \
	"p.sentiment_label, p.sentiment, p.author_followers, p.intent, p.rating, " \
	"p.is_spam, p.dup_of"

static void read_bpost(sqlite3_stmt *st, int off, struct bpost *p)
{
	const char *label = (const char *)sqlite3_column_text(st, off + 4);
	const char *intent = (const char *)sqlite3_column_text(st, off + 7);
	const char *src = (const char *)sqlite3_column_text(st, off + 2);
	const char *author = (const char *)sqlite3_column_text(st, off + 3);

	p->id = sqlite3_column_int64(st, off);
	p->t = sqlite3_column_int64(st, off + 1);
	p->author = 0;
	if (author && *author) {
		char key[512];
		size_t ls = src ? strlen(src) : 0, la = strlen(author);

		if (ls > 200)
			ls = 200;
		if (la > 300)
			la = 300;
		memcpy(key, src ? src : "", ls);
		key[ls] = 0;
		memcpy(key + ls + 1, author, la);
		p->author = hll_hash(key, ls + 1 + la);
		if (!p->author)
			p->author = 1;
	}
	p->label = !label ? 2 : strcmp(label, "positive") == 0 ? 1 :
		   strcmp(label, "negative") == 0 ? -1 : 0;
	p->sentiment = sqlite3_column_double(st, off + 5);
	p->followers = sqlite3_column_type(st, off + 6) == SQLITE_NULL ? 0 :
		       sqlite3_column_double(st, off + 6);
	if (p->followers < 0)
		p->followers = 0;
	p->intent = !intent ? 0 : strcmp(intent, "complaint") == 0 ? 1 :
		    strcmp(intent, "question") == 0 ? 2 : 0;
	p->rating = sqlite3_column_type(st, off + 8) == SQLITE_NULL ? -1 :
		    sqlite3_column_double(st, off + 8);
	p->spam = sqlite3_column_int(st, off + 9) == 1;
	p->dup = sqlite3_column_type(st, off + 10) != SQLITE_NULL &&
		 sqlite3_column_int64(st, off + 10) != 0;
}

/* Write every entry of s with one upsert each.  Returns 0 or
 * HORCH_ESTORE. */
static int incs_write(struct sqlite_store *s, const struct incs *in, struct horch_err *err)
{
	static const char sql[] =
		"INSERT INTO bucket (scope, ref, res, t, volume, positive, neutral, negative,"
		" sentiment_sum, reach, complaints, questions, rating_sum, rating_n, spam, dups,"
		" authors) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, ?16, ?17)"
		" ON CONFLICT (scope, ref, res, t) DO UPDATE SET"
		" volume = volume + excluded.volume, positive = positive + excluded.positive,"
		" neutral = neutral + excluded.neutral, negative = negative + excluded.negative,"
		" sentiment_sum = sentiment_sum + excluded.sentiment_sum,"
		" reach = reach + excluded.reach, complaints = complaints + excluded.complaints,"
		" questions = questions + excluded.questions,"
		" rating_sum = rating_sum + excluded.rating_sum,"
		" rating_n = rating_n + excluded.rating_n, spam = spam + excluded.spam,"
		" dups = dups + excluded.dups, authors = hll_union(authors, excluded.authors)";
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(s, err, "signals (buckets)");
	for (size_t i = 0; i < in->n; i++) {
		const struct inc *e = &in->v[i];

		sqlite3_bind_int(st, 1, e->scope);
		sqlite3_bind_int64(st, 2, e->ref);
		sqlite3_bind_int(st, 3, e->res);
		sqlite3_bind_int64(st, 4, e->t);
		sqlite3_bind_int64(st, 5, e->volume);
		sqlite3_bind_int64(st, 6, e->positive);
		sqlite3_bind_int64(st, 7, e->neutral);
		sqlite3_bind_int64(st, 8, e->negative);
		sqlite3_bind_double(st, 9, e->sentiment_sum);
		sqlite3_bind_double(st, 10, e->reach);
		sqlite3_bind_int64(st, 11, e->complaints);
		sqlite3_bind_int64(st, 12, e->questions);
		sqlite3_bind_double(st, 13, e->rating_sum);
		sqlite3_bind_int64(st, 14, e->rating_n);
		sqlite3_bind_int64(st, 15, e->spam);
		sqlite3_bind_int64(st, 16, e->dups);
		if (e->has_authors)
			sqlite3_bind_blob(st, 17, e->authors, HLL_REGISTERS, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 17);
		if (step_once(st) != SQLITE_DONE) {
			rc = fail(s, err, "signals (buckets)");
			break;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Report the minute entries of in to o->on_minute. */
static void incs_report(const struct incs *in, const struct store_signals_opts *o)
{
	struct store_bucket b;

	for (size_t i = 0; i < in->n; i++) {
		const struct inc *e = &in->v[i];

		if (e->res != 60)
			continue;
		b = (struct store_bucket){
			.scope = e->scope, .ref = e->ref, .res = e->res, .t = e->t,
			.volume = e->volume, .positive = e->positive, .neutral = e->neutral,
			.negative = e->negative, .sentiment_sum = e->sentiment_sum,
			.reach = e->reach, .complaints = e->complaints,
			.questions = e->questions, .rating_sum = e->rating_sum,
			.rating_n = e->rating_n, .spam = e->spam, .dups = e->dups,
			.authors = e->has_authors ? e->authors : NULL,
		};
		o->on_minute(o->ctx, &b);
	}
}

/* Rebuild the buckets of the stale topics from their matches of posts up
 * to mark, in the open transaction.  Returns 0 or HORCH_ESTORE. */
static int rebuild_stale(struct sqlite_store *s, int64_t mark, size_t *n_rebuilt,
			 struct horch_err *err)
{
	sqlite3_stmt *list = NULL, *rows = NULL, *del = NULL;
	int64_t *topics = NULL;
	size_t n = 0, cap = 0;
	struct incs in = { 0 };
	struct bpost p;
	int rc = 0, r;

	/* A topic whose history pass is under way is rebuilt once it is done
	 * (matched_to NULL): each chunk of the pass marks it again. */
	if (sqlite3_prepare_v2(s->db, "SELECT b.topic_id FROM bucket_stale b JOIN topic t"
			       " ON t.id = b.topic_id WHERE t.matched_to IS NULL"
			       " ORDER BY b.topic_id", -1, &list, NULL) != SQLITE_OK)
		return fail(s, err, "signals (stale topics)");
	while ((r = sqlite3_step(list)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			topics = horch_xrealloc(topics, cap * sizeof *topics);
		}
		topics[n++] = sqlite3_column_int64(list, 0);
	}
	sqlite3_finalize(list);
	if (r != SQLITE_DONE) {
		rc = fail(s, err, "signals (stale topics)");
		goto out;
	}
	if (!n)
		goto out;
	if (sqlite3_prepare_v2(s->db, "SELECT " BPOST_COLUMNS " FROM match m JOIN post p ON"
			       " p.id = m.post_id WHERE m.topic_id = ?1 AND p.id <= ?2", -1,
			       &rows, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "DELETE FROM bucket WHERE scope = 0 AND ref = ?1", -1,
			       &del, NULL) != SQLITE_OK) {
		rc = fail(s, err, "signals (rebuild)");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(del, 1, topics[i]);
		if (step_once(del) != SQLITE_DONE) {
			rc = fail(s, err, "signals (rebuild)");
			goto out;
		}
		sqlite3_bind_int64(rows, 1, topics[i]);
		sqlite3_bind_int64(rows, 2, mark);
		while ((r = sqlite3_step(rows)) == SQLITE_ROW) {
			read_bpost(rows, 0, &p);
			inc_add(&in, STORE_SCOPE_TOPIC, topics[i], &p);
		}
		sqlite3_reset(rows);
		if (r != SQLITE_DONE) {
			rc = fail(s, err, "signals (rebuild)");
			goto out;
		}
		/* One topic's entries at a time keeps the table small. */
		if ((rc = incs_write(s, &in, err)))
			goto out;
		incs_cleanup(&in);
	}
	{
		sqlite3_stmt *done = NULL;

		if (sqlite3_prepare_v2(s->db, "DELETE FROM bucket_stale WHERE topic_id = ?1", -1,
				       &done, NULL) != SQLITE_OK) {
			rc = fail(s, err, "signals (rebuild)");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			sqlite3_bind_int64(done, 1, topics[i]);
			if (step_once(done) != SQLITE_DONE) {
				sqlite3_finalize(done);
				rc = fail(s, err, "signals (rebuild)");
				goto out;
			}
		}
		sqlite3_finalize(done);
	}
	*n_rebuilt = n;
out:
	sqlite3_finalize(rows);
	sqlite3_finalize(del);
	incs_cleanup(&in);
	free(topics);
	return rc;
}

/* A post of the incremental pass: its bucket figures and what the
 * answers need. */
struct npost {
	struct bpost b;
	char *source, *author, *parent;   /* owned */
	int repost;
	double priority;
};

static int npost_by_id(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key, other = ((const struct npost *)elem)->b.id;

	return id < other ? -1 : id > other;
}

static int is_account(const struct store_signals_opts *o, const char *author)
{
	if (!author)
		return 0;
	for (size_t i = 0; i < o->n_accounts; i++)
		if (o->accounts[i] && strcasecmp(o->accounts[i], author) == 0)
			return 1;
	return 0;
}

/* Record what post p says about answers, in the open transaction: a reply
 * of an account answers its parent (pass 1); a complaint or question of
 * anyone else waits for an answer (pass 0).  Returns 0 or HORCH_ESTORE. */
static int note_answer(struct sqlite_store *s, sqlite3_stmt *answer, sqlite3_stmt *wait,
		       const struct store_signals_opts *o, const struct npost *p, int pass,
		       struct store_signals_done *out, struct horch_err *err)
{
	if (is_account(o, p->author)) {
		if (pass == 0)
			return 0;
		if (!p->parent || !p->source)
			return 0;
		sqlite3_bind_int64(answer, 1, p->b.t);
		sqlite3_bind_text(answer, 2, p->author, -1, SQLITE_STATIC);
		sqlite3_bind_int64(answer, 3, p->b.id);
		sqlite3_bind_text(answer, 4, p->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(answer, 5, p->parent, -1, SQLITE_STATIC);
		if (step_once(answer) != SQLITE_DONE)
			return fail(s, err, "signals (answers)");
		out->answered += sqlite3_changes(s->db);
		return 0;
	}
	if (pass == 1 || !p->b.intent || p->b.spam || p->repost)
		return 0;
	sqlite3_bind_int64(wait, 1, p->b.id);
	sqlite3_bind_int64(wait, 2, p->b.t);
	sqlite3_bind_double(wait, 3, p->priority);
	if (step_once(wait) != SQLITE_DONE)
		return fail(s, err, "signals (answers)");
	out->waiting += sqlite3_changes(s->db);
	return 0;
}

static int sqlite_signals_update(struct store *st, const struct store_signals_opts *o,
				 struct store_signals_done *out, struct horch_err *err)
{
	static const char sql_posts[] =
		"SELECT " BPOST_COLUMNS ", p.kind, p.parent, p.priority FROM post p"
		" WHERE p.id > ?1 ORDER BY p.id LIMIT ?2";
	static const char sql_matches[] =
		"SELECT post_id, topic_id FROM match WHERE post_id > ?1 AND post_id <= ?2";
	static const char sql_products[] =
		"SELECT post_id, product_id FROM entity WHERE post_id > ?1 AND post_id <= ?2"
		" AND kind = 'product' AND product_id IS NOT NULL"
		" UNION SELECT p.id, pr.id FROM post p JOIN product pr"
		" ON pr.name_key = horch_name_key(p.product)"
		" WHERE p.id > ?1 AND p.id <= ?2 AND p.product IS NOT NULL";
	static const char sql_answer[] =
		"UPDATE answer SET answered_at = ?1, answered_by = ?2, reply_id = ?3"
		" WHERE answered_at IS NULL AND created_at <= ?1 AND post_id ="
		" (SELECT id FROM post WHERE source = ?4 AND external_id = ?5)";
	static const char sql_wait[] =
		"INSERT OR IGNORE INTO answer (post_id, created_at, priority) VALUES (?1, ?2, ?3)";
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL, *ans = NULL, *wait = NULL;
	struct store_signals_opts own = *o;
	json_t *stored_accounts = NULL;
	const char **acc_v = NULL;
	size_t acc_n = 0;
	char *acc_json = NULL;
	struct npost *v = NULL;
	size_t n = 0, cap = 0, i;
	struct incs in = { 0 };
	int64_t mark = 0, newest = 0, purged = 0, last;
	int rc = 0, r;

	if (s->read_only)
		return store__sqlite_read_only(s, "update signals", err);
	if (step_once(s->begin) != SQLITE_DONE)
		return fail(s, err, "update signals");
	if (sqlite3_prepare_v2(s->db, "SELECT post_id, newest, purged, accounts FROM signal_mark",
			       -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW) {
		rc = fail(s, err, "update signals (mark)");
		goto fail;
	}
	mark = sqlite3_column_int64(q, 0);
	newest = sqlite3_column_int64(q, 1);
	out->newest_before = newest;
	purged = sqlite3_column_int64(q, 2);
	if (!o->accounts)
		stored_accounts = json_loads((const char *)sqlite3_column_text(q, 3), 0, NULL);
	sqlite3_finalize(q);
	q = NULL;
	if (o->accounts) {
		/* Kept for the readers that do not know them. */
		json_t *a = json_array();

		for (i = 0; i < o->n_accounts; i++)
			if (o->accounts[i])
				json_array_append_new(a, json_string(o->accounts[i]));
		acc_json = json_dumps(a, JSON_COMPACT);
		json_decref(a);
	} else if (json_is_array(stored_accounts)) {
		size_t k;
		json_t *jv;

		acc_v = horch_xcalloc(json_array_size(stored_accounts) + 1, sizeof *acc_v);
		json_array_foreach(stored_accounts, k, jv)
			if (json_is_string(jv))
				acc_v[acc_n++] = json_string_value(jv);
		own.accounts = acc_v;
		own.n_accounts = acc_n;
		o = &own;
	}
	if ((rc = rebuild_stale(s, mark, &out->rebuilt, err)))
		goto fail;

	/* The posts after the mark. */
	if (sqlite3_prepare_v2(s->db, sql_posts, -1, &q, NULL) != SQLITE_OK) {
		rc = fail(s, err, "update signals (posts)");
		goto fail;
	}
	sqlite3_bind_int64(q, 1, mark);
	sqlite3_bind_int64(q, 2, (int64_t)o->max_posts + 1);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind;

		if (n == o->max_posts) {
			out->more = 1;
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = horch_xrealloc(v, cap * sizeof *v);
		}
		memset(&v[n], 0, sizeof v[n]);
		read_bpost(q, 0, &v[n].b);
		v[n].source = store__sqlite_col_dup(q, 2);
		v[n].author = store__sqlite_col_dup(q, 3);
		kind = (const char *)sqlite3_column_text(q, 11);
		v[n].repost = kind && strcmp(kind, "repost") == 0;
		v[n].parent = store__sqlite_col_dup(q, 12);
		v[n].priority = sqlite3_column_double(q, 13);
		n++;
	}
	if (r != SQLITE_DONE && r != SQLITE_ROW) {
		rc = fail(s, err, "update signals (posts)");
		goto fail;
	}
	sqlite3_finalize(q);
	q = NULL;
	out->posts = (int64_t)n;
	last = n ? v[n - 1].b.id : mark;
	out->mark = last;

	if (n) {
		/* Each post's topics and products. */
		const char *const sqls[2] = { sql_matches, sql_products };

		for (int k = 0; k < 2; k++) {
			if (sqlite3_prepare_v2(s->db, sqls[k], -1, &q, NULL) != SQLITE_OK) {
				rc = fail(s, err, "update signals (subjects)");
				goto fail;
			}
			sqlite3_bind_int64(q, 1, mark);
			sqlite3_bind_int64(q, 2, last);
			while ((r = sqlite3_step(q)) == SQLITE_ROW) {
				int64_t id = sqlite3_column_int64(q, 0);
				const struct npost *p = bsearch(&id, v, n, sizeof *v, npost_by_id);

				if (p)
					inc_add(&in, k ? STORE_SCOPE_PRODUCT : STORE_SCOPE_TOPIC,
						sqlite3_column_int64(q, 1), &p->b);
			}
			sqlite3_finalize(q);
			q = NULL;
			if (r != SQLITE_DONE) {
				rc = fail(s, err, "update signals (subjects)");
				goto fail;
			}
		}
		/* Answers: first the posts that wait, then the replies, so that
		 * a reply stored before its post in the same read (the workers
		 * of one batch finish in any order) still answers it.  A reply
		 * read by an earlier call than its post does not. */
		if (sqlite3_prepare_v2(s->db, sql_answer, -1, &ans, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(s->db, sql_wait, -1, &wait, NULL) != SQLITE_OK) {
			rc = fail(s, err, "update signals (answers)");
			goto fail;
		}
		for (int pass = 0; pass < 2; pass++)
			for (i = 0; i < n; i++)
				if ((rc = note_answer(s, ans, wait, o, &v[i], pass, out, err)))
					goto fail;
		if ((rc = incs_write(s, &in, err)))
			goto fail;
	}
	/* The newest minute ages the others out; one dated ahead of the
	 * clock (a wrong date at its source) must not age out the present. */
	{
		int64_t clock = horch_now();

		for (i = 0; i < in.n; i++)
			if (in.v[i].res == 60 && in.v[i].t > newest && in.v[i].t <= clock)
				newest = in.v[i].t;
	}
	/* Minute buckets age out once a day. */
	if (o->keep_minutes_ms > 0 && newest / MS_DAY > purged) {
		if (sqlite3_prepare_v2(s->db, "DELETE FROM bucket WHERE res = 60 AND t < ?1", -1,
				       &q, NULL) != SQLITE_OK) {
			rc = fail(s, err, "update signals (age)");
			goto fail;
		}
		sqlite3_bind_int64(q, 1, newest - o->keep_minutes_ms);
		r = sqlite3_step(q);
		sqlite3_finalize(q);
		q = NULL;
		if (r != SQLITE_DONE) {
			rc = fail(s, err, "update signals (age)");
			goto fail;
		}
		purged = newest / MS_DAY;
	}
	if (sqlite3_prepare_v2(s->db, "UPDATE signal_mark SET post_id = ?1, newest = ?2,"
			       " purged = ?3, accounts = coalesce(?4, accounts)", -1, &q, NULL) !=
	    SQLITE_OK) {
		rc = fail(s, err, "update signals (mark)");
		goto fail;
	}
	sqlite3_bind_int64(q, 1, last);
	sqlite3_bind_int64(q, 2, newest);
	sqlite3_bind_int64(q, 3, purged);
	if (acc_json)
		sqlite3_bind_text(q, 4, acc_json, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	q = NULL;
	if (r != SQLITE_DONE || step_once(s->commit) != SQLITE_DONE) {
		rc = fail(s, err, "update signals (commit)");
		goto fail;
	}
	if (o->on_minute)
		incs_report(&in, o);
	goto out;
fail:
	sqlite3_finalize(q);
	q = NULL;
	store__sqlite_rollback(s);
	memset(out, 0, sizeof *out);
out:
	sqlite3_finalize(ans);
	sqlite3_finalize(wait);
	for (i = 0; i < n; i++) {
		free(v[i].source);
		free(v[i].author);
		free(v[i].parent);
	}
	free(v);
	incs_cleanup(&in);
	free(acc_v);
	free(acc_json);
	json_decref(stored_accounts);
	return rc;
}

/* ---- reading buckets ---- */

static void read_bucket(sqlite3_stmt *q, struct store_bucket *b)
{
	b->scope = sqlite3_column_int(q, 0);
	b->ref = sqlite3_column_int64(q, 1);
	b->res = sqlite3_column_int(q, 2);
	b->t = sqlite3_column_int64(q, 3);
	b->volume = sqlite3_column_int64(q, 4);
	b->positive = sqlite3_column_int64(q, 5);
	b->neutral = sqlite3_column_int64(q, 6);
	b->negative = sqlite3_column_int64(q, 7);
	b->sentiment_sum = sqlite3_column_double(q, 8);
	b->reach = sqlite3_column_double(q, 9);
	b->complaints = sqlite3_column_int64(q, 10);
	b->questions = sqlite3_column_int64(q, 11);
	b->rating_sum = sqlite3_column_double(q, 12);
	b->rating_n = sqlite3_column_int64(q, 13);
	b->spam = sqlite3_column_int64(q, 14);
	b->dups = sqlite3_column_int64(q, 15);
	b->authors = sqlite3_column_bytes(q, 16) == (int)HLL_REGISTERS ?
		     sqlite3_column_blob(q, 16) : NULL;
}

#define BUCKET_COLUMNS                                                          \
	"scope, ref, res, t, volume, positive, neutral, negative, sentiment_sum, reach," \
	" complaints, questions, rating_sum, rating_n, spam, dups, authors"

static int sqlite_buckets(struct store *st, int scope, const int64_t *refs, size_t n, int res,
			  int64_t since, int64_t until, store_bucket_fn fn, void *ctx,
			  struct horch_err *err)
{
	static const char sql_one[] =
		"SELECT " BUCKET_COLUMNS " FROM bucket WHERE scope = ?1 AND ref = ?2"
		" AND res = ?3 AND t >= ?4 AND t < ?5 ORDER BY t";
	static const char sql_all[] =
		"SELECT " BUCKET_COLUMNS " FROM bucket WHERE res = ?3 AND t >= ?4 AND t < ?5"
		" AND scope = ?1 ORDER BY ref, t";
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	struct store_bucket b;
	int rc = 0, r;

	if (sqlite3_prepare_v2(s->db, n ? sql_one : sql_all, -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "buckets");
	sqlite3_bind_int(q, 1, scope);
	sqlite3_bind_int(q, 3, res);
	sqlite3_bind_int64(q, 4, since);
	sqlite3_bind_int64(q, 5, until);
	for (size_t i = 0; i < (n ? n : 1) && !rc; i++) {
		if (n)
			sqlite3_bind_int64(q, 2, refs[i]);
		while ((r = sqlite3_step(q)) == SQLITE_ROW) {
			read_bucket(q, &b);
			if (fn(ctx, &b)) {
				rc = stopped(err, "buckets");
				break;
			}
		}
		if (!rc && r != SQLITE_DONE)
			rc = fail(s, err, "buckets");
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc;
}

/* ---- answers ---- */

static int sqlite_answers_waiting(struct store *st, int64_t before, int64_t sla_ms,
				  double min_priority, size_t limit, store_waiting_fn fn, void *ctx,
				  struct horch_err *err)
{
	static const char sql[] =
		"SELECT a.post_id, a.created_at, a.priority, coalesce(m.topic_id, 0)"
		" FROM (SELECT post_id, created_at, priority FROM answer"
		"       WHERE alerted = 0 AND created_at < ?1 AND created_at >= ?1 - 604800000"
		"       AND (answered_at IS NULL OR answered_at > created_at + ?4)"
		"       AND priority >= ?2 ORDER BY created_at, post_id LIMIT ?3) a"
		" LEFT JOIN match m ON m.post_id = a.post_id"
		" ORDER BY a.created_at, a.post_id, m.topic_id";
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	struct store_waiting w;
	int rc = 0, r;

	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "answers waiting");
	sqlite3_bind_int64(q, 1, before);
	sqlite3_bind_double(q, 2, min_priority);
	sqlite3_bind_int64(q, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
	sqlite3_bind_int64(q, 4, sla_ms);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		w.post_id = sqlite3_column_int64(q, 0);
		w.created_at = sqlite3_column_int64(q, 1);
		w.priority = sqlite3_column_double(q, 2);
		w.topic_id = sqlite3_column_int64(q, 3);
		if (fn(ctx, &w)) {
			rc = stopped(err, "answers");
			break;
		}
	}
	return rows_end(s, q, r, rc, "answers waiting", err);
}

static int sqlite_answers_alerted(struct store *st, const int64_t *ids, size_t n,
				  struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc = 0;

	if (s->read_only)
		return store__sqlite_read_only(s, "answers alerted", err);
	if (step_once(s->begin) != SQLITE_DONE)
		return fail(s, err, "answers alerted");
	if (sqlite3_prepare_v2(s->db, "UPDATE answer SET alerted = 1 WHERE post_id = ?1", -1,
			       &q, NULL) != SQLITE_OK) {
		rc = fail(s, err, "answers alerted");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(q, 1, ids[i]);
		if (step_once(q) != SQLITE_DONE) {
			rc = fail(s, err, "answers alerted");
			goto fail;
		}
	}
	sqlite3_finalize(q);
	if (step_once(s->commit) != SQLITE_DONE) {
		q = NULL;
		rc = fail(s, err, "answers alerted (commit)");
		goto fail;
	}
	return 0;
fail:
	sqlite3_finalize(q);
	store__sqlite_rollback(s);
	return rc;
}

static int sqlite_answer_mark(struct store *st, int64_t post_id, const char *by, int64_t at,
			      struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	char intent[32] = "";
	int r, waits = 0;

	if (s->read_only)
		return store__sqlite_read_only(s, "mark answered", err);
	if (sqlite3_prepare_v2(s->db, "SELECT coalesce(p.intent, ''), a.post_id IS NOT NULL"
			       " FROM post p LEFT JOIN answer a ON a.post_id = p.id WHERE p.id = ?1",
			       -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "mark answered");
	sqlite3_bind_int64(q, 1, post_id);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		snprintf(intent, sizeof intent, "%s", (const char *)sqlite3_column_text(q, 0));
		waits = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);
	if (r == SQLITE_DONE)
		return horch_err_set(err, HORCH_ENOTFOUND, "no post with id %lld",
				     (long long)post_id);
	if (r != SQLITE_ROW)
		return fail(s, err, "mark answered");
	/* Only a post that needs an answer is answered: marking another one
	 * would count it among those that did (and could raise an alert). */
	if (!waits && strcmp(intent, "complaint") && strcmp(intent, "question"))
		return horch_err_set(err, HORCH_EINVAL, "post %lld needs no answer (it is not a "
				     "complaint or a question)", (long long)post_id);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO answer (post_id, created_at, priority,"
			       " answered_at, answered_by) SELECT id, coalesce(created_at,"
			       " fetched_at), coalesce(priority, 0), ?2, ?3 FROM post WHERE id = ?1"
			       " ON CONFLICT (post_id) DO UPDATE SET answered_at ="
			       " excluded.answered_at, answered_by = excluded.answered_by"
			       " WHERE answered_at IS NULL", -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "mark answered");
	sqlite3_bind_int64(q, 1, post_id);
	sqlite3_bind_int64(q, 2, at);
	sqlite3_bind_text(q, 3, by, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? 0 : fail(s, err, "mark answered");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int sqlite_answer_stats(struct store *st, int64_t since, int64_t until, int64_t sla_ms,
			       struct store_answer_stats *out, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	double *d = NULL, sum = 0;
	size_t n = 0, cap = 0;
	int r, rc = 0;

	out->median_ms = out->mean_ms = NAN;
	if (sqlite3_prepare_v2(s->db, "SELECT answered_at - created_at FROM answer"
			       " WHERE created_at >= ?1 AND created_at < ?2", -1, &q, NULL) !=
	    SQLITE_OK)
		return fail(s, err, "answer stats");
	sqlite3_bind_int64(q, 1, since);
	sqlite3_bind_int64(q, 2, until);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		out->needing++;
		if (sqlite3_column_type(q, 0) == SQLITE_NULL)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			d = horch_xrealloc(d, cap * sizeof *d);
		}
		d[n] = sqlite3_column_double(q, 0);
		sum += d[n];
		out->within_sla += d[n] <= (double)sla_ms;
		n++;
	}
	if (r != SQLITE_DONE)
		rc = fail(s, err, "answer stats");
	sqlite3_finalize(q);
	out->answered = (int64_t)n;
	if (!rc && n) {
		qsort(d, n, sizeof *d, cmp_double);
		out->median_ms = n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
		out->mean_ms = sum / (double)n;
	}
	free(d);
	return rc;
}

/* ---- launches ---- */

static int sqlite_launch_add(struct store *st, struct store_launch *l, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int64_t now = horch_now();
	int r;

	if (s->read_only)
		return store__sqlite_read_only(s, "add launch", err);
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM topic WHERE id = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		return fail(s, err, "add launch");
	sqlite3_bind_int64(q, 1, l->topic_id);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r == SQLITE_DONE)
		return horch_err_set(err, HORCH_ENOTFOUND, "no topic with id %lld",
				     (long long)l->topic_id);
	if (r != SQLITE_ROW)
		return fail(s, err, "add launch");
	if (sqlite3_prepare_v2(s->db, "INSERT INTO launch (name, topic_id, at, created_at)"
			       " VALUES (?1, ?2, ?3, ?4)", -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "add launch");
	sqlite3_bind_text(q, 1, l->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, l->topic_id);
	sqlite3_bind_int64(q, 3, l->at);
	sqlite3_bind_int64(q, 4, now);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r == SQLITE_CONSTRAINT)
		return horch_err_set(err, HORCH_EEXIST, "a launch called \"%s\" exists already",
				     l->name);
	if (r != SQLITE_DONE)
		return fail(s, err, "add launch");
	l->id = sqlite3_last_insert_rowid(s->db);
	l->created_at = now;
	return 0;
}

static void read_launch(sqlite3_stmt *q, struct store_launch *l, int own)
{
	l->id = sqlite3_column_int64(q, 0);
	l->name = own ? store__sqlite_col_dup(q, 1) : (char *)sqlite3_column_text(q, 1);
	l->topic_id = sqlite3_column_int64(q, 2);
	l->at = sqlite3_column_int64(q, 3);
	l->created_at = sqlite3_column_int64(q, 4);
}

static int sqlite_launch_get(struct store *st, const char *name, struct store_launch *out,
			     struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int r;

	if (sqlite3_prepare_v2(s->db, "SELECT id, name, topic_id, at, created_at FROM launch"
			       " WHERE name = ?1", -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "launch");
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		read_launch(q, out, 1);
	sqlite3_finalize(q);
	if (r == SQLITE_DONE)
		return horch_err_set(err, HORCH_ENOTFOUND, "no launch called \"%s\"", name);
	return r == SQLITE_ROW ? 0 : fail(s, err, "launch");
}

static int sqlite_launch_list(struct store *st, store_launch_fn fn, void *ctx,
			      struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	struct store_launch l;
	int rc = 0, r;

	if (sqlite3_prepare_v2(s->db, "SELECT id, name, topic_id, at, created_at FROM launch"
			       " ORDER BY at, id", -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "launches");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		read_launch(q, &l, 0);
		if (fn(ctx, &l)) {
			rc = stopped(err, "launches");
			break;
		}
	}
	return rows_end(s, q, r, rc, "launches", err);
}

/* Run a one-parameter text DELETE; HORCH_ENOTFOUND (with what named) when
 * it deleted nothing. */
static int delete_named(struct sqlite_store *s, const char *sql, const char *name,
			const char *what, struct horch_err *err)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (s->read_only)
		return store__sqlite_read_only(s, "delete", err);
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "delete");
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return fail(s, err, "delete");
	if (sqlite3_changes(s->db) == 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no %s called \"%s\"", what, name);
	return 0;
}

static int sqlite_launch_delete(struct store *st, const char *name, struct horch_err *err)
{
	return delete_named(to_sqlite(st), "DELETE FROM launch WHERE name = ?1", name, "launch",
			    err);
}

/* ---- alerts ---- */

#define ALERT_COLUMNS                                                             \
	"id, rule, kind, key, topic_id, product_id, severity, title, summary, evidence," \
	" recipients, state, at, last_at, fired, opened_at, acked_by, acked_at,"       \
	" resolved_by, resolved_at"

static char *col_own(sqlite3_stmt *q, int i, int own)
{
	return own ? store__sqlite_col_dup(q, i) : (char *)sqlite3_column_text(q, i);
}

static void read_alert(sqlite3_stmt *q, struct store_alert *a, int own)
{
	a->id = sqlite3_column_int64(q, 0);
	a->rule = col_own(q, 1, own);
	a->kind = col_own(q, 2, own);
	a->key = col_own(q, 3, own);
	a->topic_id = sqlite3_column_int64(q, 4);
	a->product_id = sqlite3_column_int64(q, 5);
	a->severity = col_own(q, 6, own);
	a->title = col_own(q, 7, own);
	a->summary = col_own(q, 8, own);
	a->evidence = col_own(q, 9, own);
	a->recipients = col_own(q, 10, own);
	a->state = col_own(q, 11, own);
	a->at = sqlite3_column_int64(q, 12);
	a->last_at = sqlite3_column_int64(q, 13);
	a->fired = sqlite3_column_int64(q, 14);
	a->opened_at = sqlite3_column_int64(q, 15);
	a->acked_by = col_own(q, 16, own);
	a->acked_at = sqlite3_column_int64(q, 17);
	a->resolved_by = col_own(q, 18, own);
	a->resolved_at = sqlite3_column_int64(q, 19);
}

static void bind_id_or_null(sqlite3_stmt *q, int i, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

static int sqlite_alert_raise(struct store *st, struct store_alert *a, int64_t cooldown_ms,
			      int refresh, enum store_raise *out, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int64_t now = horch_now();
	int rc = 0, r;

	if (s->read_only)
		return store__sqlite_read_only(s, "raise alert", err);
	if (step_once(s->begin) != SQLITE_DONE)
		return fail(s, err, "raise alert");
	if (sqlite3_prepare_v2(s->db, "SELECT id, state, last_at, resolved_at FROM alert"
			       " WHERE key = ?1 AND rule = ?2 ORDER BY id DESC LIMIT 1", -1, &q,
			       NULL) != SQLITE_OK) {
		rc = fail(s, err, "raise alert");
		goto fail;
	}
	sqlite3_bind_text(q, 1, a->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, a->rule, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0), last = sqlite3_column_int64(q, 2);
		int resolved = strcmp((const char *)sqlite3_column_text(q, 1), "resolved") == 0;

		sqlite3_finalize(q);
		q = NULL;
		if (!resolved) {
			if (sqlite3_prepare_v2(s->db, "UPDATE alert SET fired = fired + 1,"
					       " last_at = max(last_at, ?2),"
					       " evidence = CASE WHEN ?6 THEN ?3 ELSE evidence END,"
					       " summary = CASE WHEN ?6 THEN ?4 ELSE summary END,"
					       " title = CASE WHEN ?6 THEN ?5 ELSE title END"
					       " WHERE id = ?1", -1, &q, NULL) !=
			    SQLITE_OK) {
				rc = fail(s, err, "raise alert");
				goto fail;
			}
			sqlite3_bind_int64(q, 1, id);
			sqlite3_bind_int64(q, 2, a->at);
			sqlite3_bind_text(q, 3, a->evidence ? a->evidence : "{}", -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 4, a->summary ? a->summary : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 5, a->title, -1, SQLITE_STATIC);
			sqlite3_bind_int(q, 6, refresh != 0);
			if (step_once(q) != SQLITE_DONE) {
				rc = fail(s, err, "raise alert");
				goto fail;
			}
			a->id = id;
			*out = STORE_RAISE_BUMPED;
			goto commit;
		}
		if (a->at - last < cooldown_ms) {
			*out = STORE_RAISE_COOLING;
			goto commit;
		}
	} else if (r != SQLITE_DONE) {
		rc = fail(s, err, "raise alert");
		goto fail;
	} else {
		sqlite3_finalize(q);
		q = NULL;
	}
	if (sqlite3_prepare_v2(s->db, "INSERT INTO alert (rule, kind, key, topic_id, product_id,"
			       " severity, title, summary, evidence, recipients, at, last_at,"
			       " opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
			       " ?11, ?12)", -1, &q, NULL) != SQLITE_OK) {
		rc = fail(s, err, "raise alert");
		goto fail;
	}
	sqlite3_bind_text(q, 1, a->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, a->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, a->key, -1, SQLITE_STATIC);
	bind_id_or_null(q, 4, a->topic_id);
	bind_id_or_null(q, 5, a->product_id);
	sqlite3_bind_text(q, 6, a->severity, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, a->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, a->summary ? a->summary : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, a->evidence ? a->evidence : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, a->recipients ? a->recipients : "[]", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 11, a->at);
	sqlite3_bind_int64(q, 12, now);
	if (step_once(q) != SQLITE_DONE) {
		rc = fail(s, err, "raise alert");
		goto fail;
	}
	a->id = sqlite3_last_insert_rowid(s->db);
	*out = STORE_RAISE_NEW;
commit:
	sqlite3_finalize(q);
	q = NULL;
	if (step_once(s->commit) != SQLITE_DONE) {
		rc = fail(s, err, "raise alert (commit)");
		goto fail;
	}
	return 0;
fail:
	sqlite3_finalize(q);
	store__sqlite_rollback(s);
	return rc;
}

static int sqlite_alert_open_id(struct store *st, const char *rule, const char *key,
				int64_t *id, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int r;

	if (sqlite3_prepare_v2(s->db, "SELECT id FROM alert WHERE key = ?1 AND rule = ?2 AND"
			       " state <> 'resolved' ORDER BY id DESC LIMIT 1", -1, &q, NULL) !=
	    SQLITE_OK)
		return fail(s, err, "alert");
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, rule, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : fail(s, err, "alert");
}

static int sqlite_alert_get(struct store *st, int64_t id, struct store_alert *out,
			    struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int r;

	if (sqlite3_prepare_v2(s->db, "SELECT " ALERT_COLUMNS " FROM alert WHERE id = ?1", -1,
			       &q, NULL) != SQLITE_OK)
		return fail(s, err, "alert");
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		read_alert(q, out, 1);
	sqlite3_finalize(q);
	if (r == SQLITE_DONE)
		return horch_err_set(err, HORCH_ENOTFOUND, "no alert with id %lld", (long long)id);
	return r == SQLITE_ROW ? 0 : fail(s, err, "alert");
}

static int sqlite_alert_list(struct store *st, const char *state, int64_t before_id,
			     size_t limit, store_alert_fn fn, void *ctx, struct horch_err *err)
{
	static const char sql[] =
		"SELECT " ALERT_COLUMNS " FROM alert WHERE id < ?1 AND (?2 IS NULL OR state = ?2"
		" OR (?2 = 'active' AND state <> 'resolved')) ORDER BY id DESC LIMIT ?3";
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	struct store_alert a;
	int rc = 0, r;

	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "alerts");
	sqlite3_bind_int64(q, 1, before_id > 0 ? before_id : INT64_MAX);
	if (state)
		sqlite3_bind_text(q, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		read_alert(q, &a, 0);
		if (fn(ctx, &a)) {
			rc = stopped(err, "alerts");
			break;
		}
	}
	return rows_end(s, q, r, rc, "alerts", err);
}

static int sqlite_alert_set_state(struct store *st, int64_t id, const char *state,
				  const char *by, int64_t at, struct horch_err *err)
{
	static const char sql_ack[] =
		"UPDATE alert SET state = 'acked', acked_by = ?2, acked_at = ?3"
		" WHERE id = ?1 AND state = 'open'";
	static const char sql_resolve[] =
		"UPDATE alert SET state = 'resolved', resolved_by = ?2, resolved_at = ?3"
		" WHERE id = ?1 AND state <> 'resolved'";
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int r;

	if (s->read_only)
		return store__sqlite_read_only(s, "alert state", err);
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM alert WHERE id = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		return fail(s, err, "alert state");
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r == SQLITE_DONE)
		return horch_err_set(err, HORCH_ENOTFOUND, "no alert with id %lld", (long long)id);
	if (r != SQLITE_ROW)
		return fail(s, err, "alert state");
	if (sqlite3_prepare_v2(s->db, strcmp(state, "acked") ? sql_resolve : sql_ack, -1, &q,
			       NULL) != SQLITE_OK)
		return fail(s, err, "alert state");
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, at);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? 0 : fail(s, err, "alert state");
}

static int sqlite_delivery_put(struct store *st, int64_t *id, int64_t alert_id,
			       const char *channel, const char *target, const char *state,
			       int attempts, const char *error, int64_t at, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int r;

	if (s->read_only)
		return store__sqlite_read_only(s, "delivery", err);
	if (sqlite3_prepare_v2(s->db, *id ?
			       "UPDATE alert_delivery SET state = ?5, attempts = ?6, error = ?7,"
			       " at = ?8 WHERE id = ?1" :
			       "INSERT INTO alert_delivery (alert_id, channel, target, state,"
			       " attempts, error, at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &q,
			       NULL) != SQLITE_OK)
		return fail(s, err, "delivery");
	if (*id) {
		sqlite3_bind_int64(q, 1, *id);
	} else {
		sqlite3_bind_int64(q, 2, alert_id);
		sqlite3_bind_text(q, 3, channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, target, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(q, 5, state, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, attempts);
	if (error)
		sqlite3_bind_text(q, 7, error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, at);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return fail(s, err, "delivery");
	if (!*id)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int sqlite_delivery_list(struct store *st, int64_t alert_id, store_delivery_fn fn,
				void *ctx, struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	struct store_delivery d;
	int rc = 0, r;

	if (sqlite3_prepare_v2(s->db, "SELECT id, alert_id, channel, target, state, error,"
			       " attempts, at FROM alert_delivery WHERE alert_id = ?1 ORDER BY id",
			       -1, &q, NULL) != SQLITE_OK)
		return fail(s, err, "deliveries");
	sqlite3_bind_int64(q, 1, alert_id);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		d.id = sqlite3_column_int64(q, 0);
		d.alert_id = sqlite3_column_int64(q, 1);
		d.channel = (const char *)sqlite3_column_text(q, 2);
		d.target = (const char *)sqlite3_column_text(q, 3);
		d.state = (const char *)sqlite3_column_text(q, 4);
		d.error = (const char *)sqlite3_column_text(q, 5);
		d.attempts = sqlite3_column_int(q, 6);
		d.at = sqlite3_column_int64(q, 7);
		if (fn(ctx, &d)) {
			rc = stopped(err, "deliveries");
			break;
		}
	}
	return rows_end(s, q, r, rc, "deliveries", err);
}

static int sqlite_deliveries_abandon(struct store *st, const char *why, int64_t at, int64_t *n,
				     struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int r;

	if (s->read_only)
		return store__sqlite_read_only(s, "deliveries", err);
	if (sqlite3_prepare_v2(s->db, "UPDATE alert_delivery SET state = 'failed', error = ?1,"
			       " at = ?2 WHERE state IN ('pending', 'held')", -1, &q, NULL) !=
	    SQLITE_OK)
		return fail(s, err, "deliveries");
	sqlite3_bind_text(q, 1, why, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, at);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return fail(s, err, "deliveries");
	*n = sqlite3_changes(s->db);
	return 0;
}

/* ---- alert rules ---- */

static int sqlite_rule_put(struct store *st, const char *name, const char *spec,
			   struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int64_t now = horch_now();
	int r;

	if (s->read_only)
		return store__sqlite_read_only(s, "put rule", err);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO alert_rule (name, spec, created_at,"
			       " updated_at) VALUES (?1, ?2, ?3, ?3) ON CONFLICT (name) DO UPDATE"
			       " SET spec = excluded.spec, updated_at = excluded.updated_at", -1,
			       &q, NULL) != SQLITE_OK)
		return fail(s, err, "put rule");
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, spec, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? 0 : fail(s, err, "put rule");
}

static int sqlite_rule_list(struct store *st, store_rule_fn fn, void *ctx,
			    struct horch_err *err)
{
	struct sqlite_store *s = to_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc = 0, r;

	if (sqlite3_prepare_v2(s->db, "SELECT name, spec FROM alert_rule ORDER BY name", -1, &q,
			       NULL) != SQLITE_OK)
		return fail(s, err, "rules");
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(q, 0),
		       (const char *)sqlite3_column_text(q, 1))) {
			rc = stopped(err, "rules");
			break;
		}
	return rows_end(s, q, r, rc, "rules", err);
}

static int sqlite_rule_delete(struct store *st, const char *name, struct horch_err *err)
{
	return delete_named(to_sqlite(st), "DELETE FROM alert_rule WHERE name = ?1", name,
			    "alert rule", err);
}

const struct store_signal_backend store__sqlite_signals = {
	.buckets = sqlite_buckets,
	.signals_update = sqlite_signals_update,
	.answers_waiting = sqlite_answers_waiting,
	.answers_alerted = sqlite_answers_alerted,
	.answer_mark = sqlite_answer_mark,
	.answer_stats = sqlite_answer_stats,
	.launch_add = sqlite_launch_add,
	.launch_get = sqlite_launch_get,
	.launch_list = sqlite_launch_list,
	.launch_delete = sqlite_launch_delete,
	.alert_raise = sqlite_alert_raise,
	.alert_get = sqlite_alert_get,
	.alert_open_id = sqlite_alert_open_id,
	.alert_list = sqlite_alert_list,
	.alert_set_state = sqlite_alert_set_state,
	.delivery_put = sqlite_delivery_put,
	.delivery_list = sqlite_delivery_list,
	.deliveries_abandon = sqlite_deliveries_abandon,
	.rule_put = sqlite_rule_put,
	.rule_list = sqlite_rule_list,
	.rule_delete = sqlite_rule_delete,
};
