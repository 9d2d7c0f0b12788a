/* store.c - the store's public calls: pick a backend, then dispatch.
 *
 * store_open() reads the scheme of its URI ("sqlite:PATH"; a plain PATH
 * means SQLite), finds the backend that serves it in store__available[] and
 * lets it open the store.  Every other call forwards to the backend that
 * opened the store, after the argument checks that are the same for every
 * backend.  See store.h for the contract and docs/internals/store.md for how
 * the pieces fit. */
#include "store_int.h"

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
	horch_err_clear(err);
	if (n && !posts)
		return horch_err_set(err, HORCH_EINVAL, "store: put posts: no posts given");
	return st->backend->put_posts(st, posts, n, status, err);
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
