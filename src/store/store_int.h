/* store_int.h - inside the store module: the backend table.
 *
 * store.c parses the URI given to store_open(), picks a backend from
 * store__available[] by its scheme, and forwards every public call through
 * the backend's table of functions.  A backend is one file (store_sqlite.c,
 * later store_pg.c) that defines one const struct store_backend and a
 * struct of its own whose first member is the struct store head below, so
 * that a struct store * and the backend's struct convert into each other.
 *
 * Nothing outside src/store/ includes this header, except the store's unit
 * test (which needs the embedded migrations to build an old database).
 * docs/internals/store.md says how to add a backend. */
#ifndef HORCH_STORE_INT_H
#define HORCH_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/embedded.h"
#include "../core/err.h"
#include "../core/post.h"
#include "store.h"

/* The signal calls of a backend (store.h's "signals" section), each with
 * the contract of the public function of the same name; store.c has
 * checked the arguments the contract rules out (a bad scope or res, NULL
 * callbacks, an unknown state) and cleared err. */
struct store_signal_backend {
	int (*buckets)(struct store *st, int scope, const int64_t *refs, size_t n, int res,
		       int64_t since, int64_t until, store_bucket_fn fn, void *ctx,
		       struct horch_err *err);
	/* o is never NULL; its defaults are resolved. */
	int (*signals_update)(struct store *st, const struct store_signals_opts *o,
			      struct store_signals_done *out, struct horch_err *err);
	int (*answers_waiting)(struct store *st, int64_t before, int64_t sla_ms,
			       double min_priority, size_t limit, store_waiting_fn fn, void *ctx,
			       struct horch_err *err);
	int (*answers_alerted)(struct store *st, const int64_t *ids, size_t n,
			       struct horch_err *err);
	int (*answer_mark)(struct store *st, int64_t post_id, const char *by, int64_t at,
			   struct horch_err *err);
	int (*answer_stats)(struct store *st, int64_t since, int64_t until, int64_t sla_ms,
			    struct store_answer_stats *out, struct horch_err *err);
	int (*launch_add)(struct store *st, struct store_launch *l, struct horch_err *err);
	int (*launch_get)(struct store *st, const char *name, struct store_launch *out,
			  struct horch_err *err);
	int (*launch_list)(struct store *st, store_launch_fn fn, void *ctx,
			   struct horch_err *err);
	int (*launch_delete)(struct store *st, const char *name, struct horch_err *err);
	int (*alert_raise)(struct store *st, struct store_alert *a, int64_t cooldown_ms,
			   int refresh, enum store_raise *out, struct horch_err *err);
	int (*alert_get)(struct store *st, int64_t id, struct store_alert *out,
			 struct horch_err *err);
	int (*alert_open_id)(struct store *st, const char *rule, const char *key, int64_t *id,
			     struct horch_err *err);
	int (*alert_list)(struct store *st, const char *state, int64_t before_id, size_t limit,
			  store_alert_fn fn, void *ctx, struct horch_err *err);
	int (*alert_set_state)(struct store *st, int64_t id, const char *state, const char *by,
			       int64_t at, struct horch_err *err);
	int (*delivery_put)(struct store *st, int64_t *id, int64_t alert_id, const char *channel,
			    const char *target, const char *state, int attempts,
			    const char *error, int64_t at, struct horch_err *err);
	int (*delivery_list)(struct store *st, int64_t alert_id, store_delivery_fn fn, void *ctx,
			     struct horch_err *err);
	int (*deliveries_abandon)(struct store *st, const char *why, int64_t at, int64_t *n,
				  struct horch_err *err);
	int (*rule_put)(struct store *st, const char *name, const char *spec,
			struct horch_err *err);
	int (*rule_list)(struct store *st, store_rule_fn fn, void *ctx, struct horch_err *err);
	int (*rule_delete)(struct store *st, const char *name, struct horch_err *err);
};

/* What a backend provides.  Each function has the contract of the public
 * function of the same name in store.h; store.c has already checked the
 * arguments that the public contract rules out (NULL store, NULL callback)
 * and cleared err. */
struct store_backend {
	const char *name;    /* for messages and docs: "SQLite" */
	const char *scheme;  /* the URI scheme that selects it: "sqlite" */

	/* Open the store at target (the URI with "scheme:" removed; for the
	 * default backend the whole plain path).  opts is never NULL. */
	int (*open)(struct store **out, const char *target,
		    const struct store_opts *opts, struct horch_err *err);
	void (*close)(struct store *st);  /* never called with NULL */
	int (*schema_version)(struct store *st);
	/* store_put_posts() is this with no matches.  The match indexes and
	 * spans lengths are already checked. */
	int (*put_posts_matched)(struct store *st, int64_t topics_version,
				 struct post *const *posts, size_t n, int *status,
				 const struct store_match *m, size_t n_m,
				 const struct store_mark *marks, size_t n_marks,
				 const int32_t *post_mark, int64_t at, struct horch_err *err);
	int (*topics_version)(struct store *st, int64_t *out, struct horch_err *err);
	/* n is never 0 here; the spans lengths are already checked. */
	int (*put_matches)(struct store *st, const struct store_match *m, size_t n,
			   struct horch_err *err);
	int (*count_matches)(struct store *st, int64_t topic, int64_t *out,
			     struct horch_err *err);
	/* n is 1..1000 here. */
	int (*post_matches)(struct store *st, const int64_t *ids, size_t n,
			    store_match_fn fn, void *ctx, struct horch_err *err);
	int (*scan_posts)(struct store *st, int64_t since, int64_t after_id, size_t limit,
			  store_post_fn fn, void *ctx, struct horch_err *err);
	/* q is never NULL here; its limit is already resolved (never 0). */
	int (*search)(struct store *st, const struct store_query *q,
		      store_post_fn fn, void *ctx, struct horch_err *err);
	/* q is never NULL here (store.c passes an empty query instead). */
	int (*stats)(struct store *st, enum store_dim dim, const struct store_query *q,
		     size_t limit, store_count_fn fn, void *ctx, struct horch_err *err);
	int (*count_posts)(struct store *st, int64_t *out, struct horch_err *err);
	/* ---- metrics ----
	 * store.c has checked the bounds (both given, since < until), the
	 * interval (> 0), n (at most STORE_METRICS_TOPICS_MAX, topics
	 * non-NULL when n > 0) and limits. */
	int (*metrics)(struct store *st, const int64_t *topics, size_t n, int64_t since,
		       int64_t until, int64_t interval_ms, store_metrics_fn fn, void *ctx,
		       struct horch_err *err);
	int (*metrics_breakdown)(struct store *st, const int64_t *topics, size_t n,
				 int64_t since, int64_t until, size_t limit, store_mdim_fn fn,
				 void *ctx, struct horch_err *err);
	int (*top_authors)(struct store *st, int64_t topic, int64_t since, int64_t until,
			   size_t limit, store_author_fn fn, void *ctx, struct horch_err *err);
	int (*post_texts)(struct store *st, int64_t topic, int64_t since, int64_t until,
			  size_t limit, store_text_fn fn, void *ctx, struct horch_err *err);
	/* The topic calls get a topic whose fields store.c has already
	 * validated, a non-NULL name and a non-NULL callback. */
	/* store_topic_add() and store_topic_update() are this with n = 1;
	 * n is never 0 here and failed never NULL. */
	int (*topic_save_many)(struct store *st, struct store_topic *t, size_t n,
			       size_t *failed, struct horch_err *err);
	int (*topic_get)(struct store *st, const char *name, struct store_topic *out,
			 struct horch_err *err);
	int (*topic_list)(struct store *st, store_topic_fn fn, void *ctx,
			  struct horch_err *err);
	int (*topic_delete)(struct store *st, const char *name, struct horch_err *err);
	int (*topic_clear_matches)(struct store *st, int64_t topic_id,
				   struct horch_err *err);
	/* topics is ascending and every match's topic is in it; the spans
	 * lengths are already checked. */
	int (*put_history)(struct store *st, const int64_t *topics, const int64_t *revisions,
			   size_t n_topics, int64_t from, int64_t to, const struct store_match *m,
			   size_t n_m, struct horch_err *err);
	int (*recent_prints)(struct store *st, size_t limit, store_print_fn fn, void *ctx,
			     struct horch_err *err);
	/* p->name is non-empty valid UTF-8 here. */
	int (*product_add)(struct store *st, struct store_product *p, struct horch_err *err);
	int (*product_list)(struct store *st, store_product_fn fn, void *ctx,
			    struct horch_err *err);
	int (*product_delete)(struct store *st, const char *name, struct horch_err *err);
	/* ---- users, sessions, tokens, subscriptions ----
	 * store.c has checked the strings (a valid name, a known role, a hash)
	 * and passes out zeroed. */
	int (*user_add)(struct store *st, struct store_user *u, struct horch_err *err);
	/* name is non-NULL; by_id (> 0) is used when name is NULL. */
	int (*user_get)(struct store *st, const char *name, int64_t by_id, struct store_user *out,
			struct horch_err *err);
	int (*user_list)(struct store *st, store_user_fn fn, void *ctx, struct horch_err *err);
	int (*user_delete)(struct store *st, const char *name, struct horch_err *err);
	int (*user_set_password)(struct store *st, int64_t id, const char *pw_hash,
				 int must_change, struct horch_err *err);
	int (*user_count)(struct store *st, int64_t *out, struct horch_err *err);
	int (*session_put)(struct store *st, const struct store_session *s,
			   struct horch_err *err);
	int (*session_get)(struct store *st, const char *hash, struct store_session *out,
			   struct horch_err *err);
	/* user_id 0: delete the session hash; else every session of user_id
	 * but keep (may be NULL). */
	int (*session_delete)(struct store *st, const char *hash, int64_t user_id,
			      const char *keep, struct horch_err *err);
	int (*session_extend)(struct store *st, const char *hash, int64_t expires_at,
			      struct horch_err *err);
	int (*session_purge)(struct store *st, int64_t now, int64_t *n, struct horch_err *err);
	int (*token_add)(struct store *st, struct store_token *t, struct horch_err *err);
	/* hash non-NULL, or by id (> 0) when hash is NULL. */
	int (*token_get)(struct store *st, const char *hash, int64_t by_id,
			 struct store_token *out, struct horch_err *err);
	int (*token_list)(struct store *st, store_token_fn fn, void *ctx, struct horch_err *err);
	int (*token_revoke)(struct store *st, int64_t id, struct horch_err *err);
	int (*token_touch)(struct store *st, int64_t id, int64_t now, struct horch_err *err);
	/* add 1: subscribe; add 0: unsubscribe. */
	int (*sub_set)(struct store *st, int64_t user_id, int64_t topic_id, int add,
		       struct horch_err *err);
	int (*sub_list)(struct store *st, int64_t user_id, store_sub_fn fn, void *ctx,
			struct horch_err *err);
	/* ---- signals (store_signal_backend above) ---- */
	const struct store_signal_backend *signals;
	/* ---- sources (store_source_backend below) ---- */
	const struct store_source_backend *sources;
};

/* The source calls of a backend (store.h's "sources" section), each with
 * the contract of the public function of the same name; store.c has
 * checked names, callbacks and the params JSON and cleared err. */
struct store_source_backend {
	int (*put)(struct store *st, const struct store_source *s, int64_t now, int64_t *id,
		   struct horch_err *err);
	/* name NULL: every source. */
	int (*list)(struct store *st, const char *name, int64_t now, store_source_fn fn,
		    void *ctx, struct horch_err *err);
	int (*del)(struct store *st, const char *name, struct horch_err *err);
	int (*report)(struct store *st, int64_t id, const struct store_source_report *r,
		      struct horch_err *err);
	int (*set_cursor)(struct store *st, const char *name, const char *cursor,
			  struct horch_err *err);
};

/* The index of the first of v[0..n) (ascending) that is not below key; n
 * when none is.  For the topics of a history chunk. */
static inline size_t store__lower_bound(const int64_t *v, size_t n, int64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The head of every open store; a backend's own struct starts with it. */
struct store {
	const struct store_backend *backend;  /* the table this store dispatches to */
	store_dups_fn dups_fn;                /* store_set_dups_hook(), or NULL */
	void *dups_ctx;
};

/* Every backend, the default (plain paths) first.  NULL-terminated. */
extern const struct store_backend *const store__available[];

/* The backends themselves (one per store_*.c file). */
extern const struct store_backend store__sqlite;

/* The SQLite migrations, src/store/migrations/NNN_*.sql in order, compiled
 * into the binary by scripts/embed (see src/store/meson.build).  Migration
 * i (0-based) brings a database from user_version i to i + 1. */
extern const struct embedded_file store__migrations[];
extern const size_t store__migrations_n;

/* Append the key under which a topic's name is unique to out: the name
 * name[0..len) in NFC, case folded, accents removed (text_fold()), so that
 * "Über" and "über" are one topic.  Returns 0 or HORCH_ETOOBIG (out's
 * cap). */
struct buf;
int store__name_key(struct buf *out, const char *name, size_t len);

/* Copy s into out[0..size) for an error message: control bytes as \xNN,
 * a backslash doubled, cut with "..." when it does not fit. */
void store__quote(char *out, size_t size, const char *s);

/* Searches accept an FTS expression of at most this many bytes. */
#define STORE_FTS_MAX 4096u

#endif
