/* store.c - the store's public calls: pick a backend, then dispatch.
 *
 * store_open() reads the scheme of its URI ("sqlite:PATH"; a plain PATH
 * means SQLite), finds the backend that serves it in store__available[] and
 * lets it open the store.  Every other call forwards to the backend that
 * opened the store, after the argument checks that are the same for every
 * backend.  See store.h for the contract and docs/internals/store.md for how
 * the pieces fit. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"

const struct store_backend *const store__available[] = {
	&store__sqlite,
	NULL,
};

/* Length of the URI scheme at the start of uri (letters, then letters,
 * digits, '+', '-' or '.', then ':'), or 0 when uri does not start with one
 * and is therefore a plain path.  "./a:b" and "dir/x:y" are plain paths. */
static size_t scheme_len(const char *uri)
{
	size_t i;

	if (!((uri[0] >= 'a' && uri[0] <= 'z') || (uri[0] >= 'A' && uri[0] <= 'Z')))
		return 0;
	for (i = 1; uri[i]; i++) {
		char c = uri[i];

		if (c == ':')
			return i;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
			return 0;
	}
	return 0;
}

/* The backend whose scheme is uri[0..len), compared case-insensitively as
 * URI schemes are, or NULL. */
static const struct store_backend *find_backend(const char *uri, size_t len)
{
	size_t i, j;

	for (i = 0; store__available[i]; i++) {
		const char *s = store__available[i]->scheme;

		if (strlen(s) != len)
			continue;
		for (j = 0; j < len; j++) {
			char c = uri[j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != s[j])
				break;
		}
		if (j == len)
			return store__available[i];
	}
	return NULL;
}

int store_open(struct store **out, const char *uri, const struct store_opts *opts,
	       struct horch_err *err)
{
	static const struct store_opts defaults = { 0, 0 };
	const struct store_backend *be = store__available[0];
	const char *target = uri;
	size_t len;

	horch_err_clear(err);
	if (!out || !uri || !*uri)
		return horch_err_set(err, HORCH_EINVAL, "store: no database given");
	len = scheme_len(uri);
	if (len) {
		be = find_backend(uri, len);
		if (!be) {
			struct buf names;
			size_t i;
			int rc;

			/* The list is short and fixed; the cap only bounds it. */
			buf_init(&names, 256);
			for (i = 0; store__available[i]; i++)
				if (buf_printf(&names, "%s%s", i ? ", " : "",
					       store__available[i]->scheme))
					break;
			rc = horch_err_set(err, HORCH_EINVAL,
					   "unknown store scheme '%.*s' (available: %s)",
					   len > 64 ? 64 : (int)len, uri,
					   names.ptr ? names.ptr : "");
			buf_cleanup(&names);
			return rc;
		}
		target = uri + len + 1;
		if (!*target)
			return horch_err_set(err, HORCH_EINVAL,
					     "store: %s: no database path given", be->scheme);
	}
	return be->open(out, target, opts ? opts : &defaults, err);
}

void store_close(struct store *st)
{
	if (!st)
		return;
	st->backend->close(st);
}

int store_schema_version(struct store *st)
{
	return st->backend->schema_version(st);
}

int store_put_posts(struct store *st, struct post *const *posts, size_t n,
		    int *status, struct horch_err *err)
{
	return store_put_posts_matched(st, posts, n, status, NULL, 0, err);
}

/* Check the spans of m[0..n): each NULL or at most STORE_SPANS_MAX bytes.
 * Returns 0 or HORCH_EINVAL naming the match. */
static int check_spans(const struct store_match *m, size_t n, const char *op,
		       struct horch_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i].spans && strnlen(m[i].spans, STORE_SPANS_MAX + 1) > STORE_SPANS_MAX)
			return horch_err_set(err, HORCH_EINVAL,
					     "store: %s: match %zu: spans longer than %u bytes",
					     op, i, STORE_SPANS_MAX);
	return 0;
}

int store_put_posts_matched(struct store *st, struct post *const *posts, size_t n,
			    int *status, const struct store_match *m, size_t n_m,
			    struct horch_err *err)
{
	size_t i;
	int rc;

	horch_err_clear(err);
	if (n && !posts)
		return horch_err_set(err, HORCH_EINVAL, "store: put posts: no posts given");
	if (n_m && !m)
		return horch_err_set(err, HORCH_EINVAL, "store: put posts: no matches given");
	for (i = 0; i < n_m; i++)
		if (m[i].post < 0 || (uint64_t)m[i].post >= (uint64_t)n)
			return horch_err_set(err, HORCH_EINVAL,
					     "store: put posts: match %zu names post %lld of a "
					     "batch of %zu", i, (long long)m[i].post, n);
	if ((rc = check_spans(m, n_m, "put posts", err)))
		return rc;
	return st->backend->put_posts_matched(st, posts, n, status, m, n_m, err);
}

int store_put_matches(struct store *st, const struct store_match *m, size_t n,
		      struct horch_err *err)
{
	int rc;

	horch_err_clear(err);
	if (!n)
		return 0;
	if (!m)
		return horch_err_set(err, HORCH_EINVAL, "store: put matches: no matches given");
	if ((rc = check_spans(m, n, "put matches", err)))
		return rc;
	return st->backend->put_matches(st, m, n, err);
}

int store_count_matches(struct store *st, int64_t topic, int64_t *out,
			struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: count matches: no result given");
	return st->backend->count_matches(st, topic, out, err);
}

int store_scan_posts(struct store *st, int64_t since, int64_t after_id, size_t limit,
		     store_post_fn fn, void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "store: scan posts: no callback given");
	return st->backend->scan_posts(st, since, after_id, limit, fn, ctx, err);
}

void store_query_init(struct store_query *q)
{
	memset(q, 0, sizeof *q);
	q->since = HORCH_TIME_NONE;
	q->until = HORCH_TIME_NONE;
}

int store_search(struct store *st, const struct store_query *q, store_post_fn fn,
		 void *ctx, struct horch_err *err)
{
	struct store_query local;

	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "store: search: no callback given");
	if (q)
		local = *q;
	else
		store_query_init(&local);
	if (!local.limit)
		local.limit = 100;
	if (local.fts && strlen(local.fts) > STORE_FTS_MAX)
		return horch_err_set(err, HORCH_ETOOBIG,
				     "search expression: longer than %u bytes", STORE_FTS_MAX);
	return st->backend->search(st, &local, fn, ctx, err);
}

int store_stats(struct store *st, enum store_dim dim, const struct store_query *q,
		size_t limit, store_count_fn fn, void *ctx, struct horch_err *err)
{
	struct store_query local;

	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "store: stats: no callback given");
	if (dim != STORE_DIM_SOURCE && dim != STORE_DIM_LANG && dim != STORE_DIM_DAY)
		return horch_err_set(err, HORCH_EINVAL, "store: stats: unknown dimension %d",
				     (int)dim);
	if (q)
		local = *q;
	else
		store_query_init(&local);
	return st->backend->stats(st, dim, &local, limit, fn, ctx, err);
}

int store_count_posts(struct store *st, int64_t *out, struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: count posts: no result given");
	return st->backend->count_posts(st, out, err);
}

/* ---- topics ---- */

void store_topic_cleanup(struct store_topic *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->query);
	free(t->team);
	free(t->color);
	memset(t, 0, sizeof *t);
}

/* 1 if s[0..len) has a byte below 0x20 or 0x7f (DEL). */
static int has_control(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

/* Check the fields of t that the store writes.  Returns 0 or HORCH_EINVAL
 * with the reason. */
static int topic_check(const struct store_topic *t, struct horch_err *err)
{
	size_t len;

	if (!t->name || !*t->name)
		return horch_err_set(err, HORCH_EINVAL, "topic: the name is empty");
	len = strnlen(t->name, STORE_TOPIC_NAME_MAX + 1);
	if (len > STORE_TOPIC_NAME_MAX)
		return horch_err_set(err, HORCH_EINVAL,
				     "topic: the name is longer than %u bytes", STORE_TOPIC_NAME_MAX);
	if (has_control(t->name, len))
		return horch_err_set(err, HORCH_EINVAL,
				     "topic: the name '%s' has a control character", t->name);
	if (t->name[0] == ' ' || t->name[len - 1] == ' ')
		return horch_err_set(err, HORCH_EINVAL,
				     "topic: the name '%s' starts or ends with a blank", t->name);
	if (!t->query || !*t->query)
		return horch_err_set(err, HORCH_EINVAL, "topic %s: the query is empty", t->name);
	if (strnlen(t->query, STORE_TOPIC_QUERY_MAX + 1) > STORE_TOPIC_QUERY_MAX)
		return horch_err_set(err, HORCH_EINVAL,
				     "topic %s: the query is longer than %u bytes", t->name,
				     STORE_TOPIC_QUERY_MAX);
	if (t->team && strnlen(t->team, STORE_TOPIC_FIELD_MAX + 1) > STORE_TOPIC_FIELD_MAX)
		return horch_err_set(err, HORCH_EINVAL,
				     "topic %s: the team is longer than %u bytes", t->name,
				     STORE_TOPIC_FIELD_MAX);
	if (t->color && strnlen(t->color, STORE_TOPIC_FIELD_MAX + 1) > STORE_TOPIC_FIELD_MAX)
		return horch_err_set(err, HORCH_EINVAL,
				     "topic %s: the colour is longer than %u bytes", t->name,
				     STORE_TOPIC_FIELD_MAX);
	if (t->matched_to < STORE_HISTORY_DONE)
		return horch_err_set(err, HORCH_EINVAL, "topic %s: matched_to %lld is not valid",
				     t->name, (long long)t->matched_to);
	return 0;
}

int store_topic_add(struct store *st, struct store_topic *t, struct horch_err *err)
{
	horch_err_clear(err);
	if (!t)
		return horch_err_set(err, HORCH_EINVAL, "topic: none given");
	t->id = 0;
	return store_topic_save_many(st, t, 1, NULL, err);
}

int store_topic_update(struct store *st, const struct store_topic *t,
		       struct horch_err *err)
{
	struct store_topic local;

	horch_err_clear(err);
	if (!t)
		return horch_err_set(err, HORCH_EINVAL, "topic: none given");
	if (t->id <= 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "topic: no topic with id %lld",
				     (long long)t->id);
	/* save_many writes only the times and the count into a topic it
	 * changes; a copy keeps the caller's const. */
	local = *t;
	return store_topic_save_many(st, &local, 1, NULL, err);
}

int store_topic_save_many(struct store *st, struct store_topic *t, size_t n, size_t *failed,
			  struct horch_err *err)
{
	size_t i, bad;
	int rc;

	horch_err_clear(err);
	if (!failed)
		failed = &bad;
	*failed = n;
	if (!n)
		return 0;
	if (!t)
		return horch_err_set(err, HORCH_EINVAL, "topic: none given");
	for (i = 0; i < n; i++) {
		if (t[i].id < 0) {
			*failed = i;
			return horch_err_set(err, HORCH_ENOTFOUND, "topic: no topic with id %lld",
					     (long long)t[i].id);
		}
		if ((rc = topic_check(&t[i], err))) {
			*failed = i;
			return rc;
		}
	}
	return st->backend->topic_save_many(st, t, n, failed, err);
}

int store_topic_get(struct store *st, const char *name, struct store_topic *out,
		    struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "topic: no result given");
	memset(out, 0, sizeof *out);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "topic: no name given");
	return st->backend->topic_get(st, name, out, err);
}

int store_topic_list(struct store *st, store_topic_fn fn, void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "topic list: no callback given");
	return st->backend->topic_list(st, fn, ctx, err);
}

int store_topic_delete(struct store *st, const char *name, struct horch_err *err)
{
	horch_err_clear(err);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "topic: no name given");
	return st->backend->topic_delete(st, name, err);
}

int store_topic_clear_matches(struct store *st, int64_t topic_id, struct horch_err *err)
{
	horch_err_clear(err);
	return st->backend->topic_clear_matches(st, topic_id, err);
}

int store_put_history(struct store *st, const int64_t *topics, size_t n_topics, int64_t from,
		      int64_t to, const struct store_match *m, size_t n_m,
		      struct horch_err *err)
{
	size_t i;
	int rc;

	horch_err_clear(err);
	if ((n_topics && !topics) || (n_m && !m))
		return horch_err_set(err, HORCH_EINVAL, "store: put history: no %s given",
				     n_m && !m ? "matches" : "topics");
	if (from < STORE_HISTORY_DONE || to < STORE_HISTORY_DONE)
		return horch_err_set(err, HORCH_EINVAL, "store: put history: a post id below -1");
	for (i = 0; i < n_topics; i++)
		if (topics[i] <= 0 || (i && topics[i] <= topics[i - 1]))
			return horch_err_set(err, HORCH_EINVAL, "store: put history: topic ids not "
					     "ascending (index %zu)", i);
	for (i = 0; i < n_m; i++) {
		size_t lo = 0, hi = n_topics;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (topics[mid] < m[i].topic)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == n_topics || topics[lo] != m[i].topic)
			return horch_err_set(err, HORCH_EINVAL, "store: put history: match %zu is "
					     "of topic %lld, not one of the chunk's", i,
					     (long long)m[i].topic);
	}
	if ((rc = check_spans(m, n_m, "put history", err)))
		return rc;
	if (!n_topics)
		return 0;
	return st->backend->put_history(st, topics, n_topics, from, to, m, n_m, err);
}
