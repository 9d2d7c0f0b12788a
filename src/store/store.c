/* store.c - the store's public calls: pick a backend, then dispatch.
 *
 * store_open() reads the scheme of its URI ("sqlite:PATH"; a plain PATH
 * means SQLite), finds the backend that serves it in store__available[] and
 * lets it open the store.  Every other call forwards to the backend that
 * opened the store, after the argument checks that are the same for every
 * backend.  See store.h for the contract and docs/internals/store.md for how
 * the pieces fit. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/utf8.h"
#include "../text/text.h"

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
	static const struct store_opts defaults = { 0, 0, NULL };
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
	return store_put_posts_at(st, -1, posts, n, status, m, n_m, err);
}

int store_put_posts_at(struct store *st, int64_t topics_version, struct post *const *posts,
		       size_t n, int *status, const struct store_match *m, size_t n_m,
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
	return st->backend->put_posts_matched(st, topics_version, posts, n, status, m, n_m,
					      err);
}

int store_topics_version(struct store *st, int64_t *out, struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: topics version: no result given");
	return st->backend->topics_version(st, out, err);
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

int store_post_matches(struct store *st, const int64_t *ids, size_t n, store_match_fn fn,
		       void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn || (n && !ids))
		return horch_err_set(err, HORCH_EINVAL, "store: post matches: no callback given");
	if (n > 1000)
		return horch_err_set(err, HORCH_EINVAL,
				     "store: post matches: %zu posts, more than 1000", n);
	if (n == 0)
		return 0;
	return st->backend->post_matches(st, ids, n, fn, ctx, err);
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
	if ((unsigned)dim > (unsigned)STORE_DIM_INTENT)
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

/* ---- near-duplicates ---- */

void store_set_dups_hook(struct store *st, store_dups_fn fn, void *ctx)
{
	st->dups_fn = fn;
	st->dups_ctx = fn ? ctx : NULL;
}

int store_recent_prints(struct store *st, size_t limit, store_print_fn fn, void *ctx,
			struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "store: recent prints: no callback");
	if (limit == 0)
		return 0;
	return st->backend->recent_prints(st, limit, fn, ctx, err);
}

/* ---- the product catalogue ---- */

void store_product_cleanup(struct store_product *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->sku);
	for (size_t i = 0; i < p->n_aliases; i++)
		free(p->aliases[i]);
	free(p->aliases);
	memset(p, 0, sizeof *p);
}

int store_product_add(struct store *st, struct store_product *p, struct horch_err *err)
{
	horch_err_clear(err);
	if (!p || !p->name || !*p->name)
		return horch_err_set(err, HORCH_EINVAL, "store: add product: the name is empty");
	if (strlen(p->name) > STORE_TOPIC_NAME_MAX)
		return horch_err_set(err, HORCH_EINVAL, "store: add product: the name is longer "
				     "than %u bytes", STORE_TOPIC_NAME_MAX);
	if (p->n_aliases > STORE_PRODUCT_ALIASES_MAX)
		return horch_err_set(err, HORCH_EINVAL, "store: add product: more than %u aliases",
				     STORE_PRODUCT_ALIASES_MAX);
	for (size_t i = 0; i <= p->n_aliases; i++) {
		const char *n = i ? p->aliases[i - 1] : p->name, *why;

		if (!n || strlen(n) > STORE_TOPIC_NAME_MAX)
			return horch_err_set(err, HORCH_EINVAL, "store: add product: alias %zu is "
					     "missing or longer than %u bytes", i,
					     STORE_TOPIC_NAME_MAX);
		if ((why = store_name_problem(n, strlen(n))) != NULL)
			return horch_err_set(err, HORCH_EINVAL, "store: add product: the %s %s",
					     i ? "alias" : "name", why);
	}
	return st->backend->product_add(st, p, err);
}

int store_product_list(struct store *st, store_product_fn fn, void *ctx,
		       struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "store: list products: no callback");
	return st->backend->product_list(st, fn, ctx, err);
}

int store_product_delete(struct store *st, const char *name, struct horch_err *err)
{
	horch_err_clear(err);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: remove product: no name");
	return st->backend->product_delete(st, name, err);
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

/* name[0..len) in NFC with its spaces squeezed (text_squeeze_spaces()),
 * into out.  Returns 0 or HORCH_ETOOBIG (out's cap). */
static int name_canon(struct buf *out, const char *name, size_t len)
{
	struct buf nfc;
	int rc;

	buf_init(&nfc, BUF_NOLIMIT);
	rc = text_normalise(&nfc, name, len, NULL);
	if (!rc)
		rc = text_squeeze_spaces(out, nfc.ptr ? nfc.ptr : "", nfc.len);
	buf_cleanup(&nfc);
	return rc;
}

int store__name_key(struct buf *out, const char *name, size_t len)
{
	return text_name_key(out, name, len);
}

int store_topic_name_key(struct buf *out, const char *name, size_t len)
{
	return store__name_key(out, name, len);
}

/* Is cp one that a quoted name shows escaped: a code point one cannot see
 * or tell apart from another (format characters, separators, surrogates,
 * private use, spaces other than U+0020, combining marks)? */
static int quote_escapes(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CS:
	case UTF8PROC_CATEGORY_CO:
	case UTF8PROC_CATEGORY_CN:
		return 1;
	case UTF8PROC_CATEGORY_ZS:
		return cp != ' ';
	default:
		return 0;
	}
}

void store__quote(char *out, size_t size, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, len = strlen(s), i = 0;

	while (i < len && o + 12 < size) {
		unsigned char c = u[i];
		uint32_t cp;
		size_t n;

		if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
			i++;
			continue;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		n = horch_utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
			i++;
		} else if (quote_escapes(cp) || cp < 0xa0 ||
			   (i == 0 && utf8proc_category((utf8proc_int32_t)cp) >=
					      UTF8PROC_CATEGORY_MN &&
			    utf8proc_category((utf8proc_int32_t)cp) <= UTF8PROC_CATEGORY_ME)) {
			o += (size_t)snprintf(out + o, size - o,
					      cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned)cp);
			i += n;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	if (i < len && o + 4 <= size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

void store_topic_name_quote(char *out, size_t size, const char *s)
{
	if (size == 0)
		return;
	if (size < 16) {
		out[0] = '\0';
		return;
	}
	store__quote(out, size, s);
}

const char *store_name_problem(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = horch_utf8_decode(u + i, len - i, &cp);

		if (n == 0)
			return "is not valid UTF-8";
		switch (utf8proc_category((utf8proc_int32_t)cp)) {
		case UTF8PROC_CATEGORY_CC:
			return "has a control character";
		case UTF8PROC_CATEGORY_CF:
		case UTF8PROC_CATEGORY_ZL:
		case UTF8PROC_CATEGORY_ZP:
		case UTF8PROC_CATEGORY_CS:
		case UTF8PROC_CATEGORY_CO:
			return "has an invisible or format character";
		default:
			break;
		}
		i += n;
	}
	return NULL;
}

int store_topic_name_canon(struct buf *out, const char *name, struct horch_err *err)
{
	char q[STORE_TOPIC_NAME_MAX * 4 + 16];
	const char *why;
	size_t len, start = out->len;
	uint32_t cp = 0;
	int cat, rc;

	horch_err_clear(err);
	if (!name || !*name)
		return horch_err_set(err, HORCH_EINVAL, "the topic name is empty");
	/* Raw bytes bound the work; the cap that counts is the NFC one. */
	len = strnlen(name, STORE_TOPIC_NAME_RAW_MAX + 1);
	if (len > STORE_TOPIC_NAME_RAW_MAX)
		return horch_err_set(err, HORCH_EINVAL,
				     "the topic name is longer than %u bytes", STORE_TOPIC_NAME_MAX);
	store__quote(q, sizeof q, name);
	if ((why = store_name_problem(name, len)) != NULL)
		return horch_err_set(err, HORCH_EINVAL, "the topic name '%s' %s", q, why);
	if (name_canon(out, name, len) != 0) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "the topic name '%s' does not fit", q);
		goto fail;
	}
	if (out->len == start)
		return horch_err_set(err, HORCH_EINVAL, "the topic name '%s' has only blanks", q);
	horch_utf8_decode((const unsigned char *)out->ptr + start, out->len - start, &cp);
	cat = utf8proc_category((utf8proc_int32_t)cp);
	if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) {
		rc = horch_err_set(err, HORCH_EINVAL,
				   "the topic name '%s' starts with a combining mark", q);
		goto fail;
	}
	if (out->len - start > STORE_TOPIC_NAME_MAX) {
		rc = horch_err_set(err, HORCH_EINVAL, "the topic name is longer than %u bytes",
				   STORE_TOPIC_NAME_MAX);
		goto fail;
	}
	return 0;
fail:
	/* out is left as it was. */
	out->len = start;
	if (out->ptr)
		out->ptr[start] = '\0';
	return rc;
}

/* Check the fields of t that the store writes.  Returns 0 or HORCH_EINVAL
 * with the reason (a name is quoted with its control bytes escaped). */
static int topic_check(const struct store_topic *t, struct horch_err *err)
{
	char q[STORE_TOPIC_NAME_MAX * 4 + 16];
	struct buf canon;
	int rc;

	buf_init(&canon, BUF_NOLIMIT);
	rc = store_topic_name_canon(&canon, t->name, err);
	buf_cleanup(&canon);
	if (rc)
		return rc;
	store__quote(q, sizeof q, t->name);
	if (!t->query || !*t->query)
		return horch_err_set(err, HORCH_EINVAL, "topic %s: the query is empty", q);
	if (strnlen(t->query, STORE_TOPIC_QUERY_MAX + 1) > STORE_TOPIC_QUERY_MAX)
		return horch_err_set(err, HORCH_EINVAL,
				     "topic %s: the query is longer than %u bytes", q,
				     STORE_TOPIC_QUERY_MAX);
	if (t->team && strnlen(t->team, STORE_TOPIC_FIELD_MAX + 1) > STORE_TOPIC_FIELD_MAX)
		return horch_err_set(err, HORCH_EINVAL,
				     "topic %s: the team is longer than %u bytes", q,
				     STORE_TOPIC_FIELD_MAX);
	if (t->color && strnlen(t->color, STORE_TOPIC_FIELD_MAX + 1) > STORE_TOPIC_FIELD_MAX)
		return horch_err_set(err, HORCH_EINVAL,
				     "topic %s: the colour is longer than %u bytes", q,
				     STORE_TOPIC_FIELD_MAX);
	if (t->matched_to < STORE_HISTORY_DONE)
		return horch_err_set(err, HORCH_EINVAL, "topic %s: matched_to %lld is not valid",
				     q, (long long)t->matched_to);
	return 0;
}

int store_topic_add(struct store *st, struct store_topic *t, struct horch_err *err)
{
	horch_err_clear(err);
	if (!t)
		return horch_err_set(err, HORCH_EINVAL, "no topic given");
	t->id = 0;
	return store_topic_save_many(st, t, 1, NULL, err);
}

int store_topic_update(struct store *st, const struct store_topic *t,
		       struct horch_err *err)
{
	struct store_topic local;

	horch_err_clear(err);
	if (!t)
		return horch_err_set(err, HORCH_EINVAL, "no topic given");
	if (t->id <= 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no topic with id %lld",
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
		return horch_err_set(err, HORCH_EINVAL, "no topic given");
	for (i = 0; i < n; i++) {
		if (t[i].id < 0) {
			*failed = i;
			return horch_err_set(err, HORCH_ENOTFOUND, "no topic with id %lld",
					     (long long)t[i].id);
		}
		if ((rc = topic_check(&t[i], err))) {
			*failed = i;
			return rc;
		}
	}
	/* The names are saved as store_topic_name_canon() writes them (NFC,
	 * spaces squeezed): the backend gets a copy of the topics with their
	 * names so, and the caller's topics receive what the backend set
	 * (ids and times). */
	{
		struct store_topic *local = horch_xcalloc(n, sizeof *local);
		char **own = horch_xcalloc(n, sizeof *own);
		struct buf canon;

		buf_init(&canon, BUF_NOLIMIT);
		for (i = 0; i < n; i++) {
			local[i] = t[i];
			buf_reset(&canon);
			/* topic_check() above took the name, so this does too. */
			if ((rc = store_topic_name_canon(&canon, t[i].name, err)) != 0) {
				*failed = i;
				goto done;
			}
			if (strcmp(canon.ptr, t[i].name) != 0) {
				own[i] = horch_xstrndup(canon.ptr, canon.len);
				local[i].name = own[i];
			}
		}
		rc = st->backend->topic_save_many(st, local, n, failed, err);
		for (i = 0; i < n; i++) {
			t[i].id = local[i].id;
			t[i].created_at = local[i].created_at;
			t[i].updated_at = local[i].updated_at;
			t[i].n_matches = local[i].n_matches;
		}
done:
		for (i = 0; i < n; i++)
			free(own[i]);
		free(own);
		free(local);
		buf_cleanup(&canon);
	}
	return rc;
}

int store_topic_get(struct store *st, const char *name, struct store_topic *out,
		    struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "no result given for the topic");
	memset(out, 0, sizeof *out);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "no topic name given");
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
		return horch_err_set(err, HORCH_EINVAL, "no topic name given");
	return st->backend->topic_delete(st, name, err);
}

int store_topic_clear_matches(struct store *st, int64_t topic_id, struct horch_err *err)
{
	horch_err_clear(err);
	return st->backend->topic_clear_matches(st, topic_id, err);
}

int store_put_history(struct store *st, const int64_t *topics, const int64_t *revisions,
		      size_t n_topics, int64_t from, int64_t to, const struct store_match *m,
		      size_t n_m, struct horch_err *err)
{
	size_t i;
	int rc;

	horch_err_clear(err);
	if ((n_topics && (!topics || !revisions)) || (n_m && !m))
		return horch_err_set(err, HORCH_EINVAL, "store: put history: no %s given",
				     n_m && !m ? "matches" : n_topics && topics ? "revisions"
									     : "topics");
	if (from < STORE_HISTORY_DONE || to < STORE_HISTORY_DONE)
		return horch_err_set(err, HORCH_EINVAL, "store: put history: a post id below -1");
	for (i = 0; i < n_topics; i++)
		if (topics[i] <= 0 || (i && topics[i] <= topics[i - 1]))
			return horch_err_set(err, HORCH_EINVAL, "store: put history: topic ids not "
					     "ascending (index %zu)", i);
	for (i = 0; i < n_m; i++) {
		size_t lo = store__lower_bound(topics, n_topics, m[i].topic);

		if (lo == n_topics || topics[lo] != m[i].topic)
			return horch_err_set(err, HORCH_EINVAL, "store: put history: match %zu is "
					     "of topic %lld, not one of the chunk's", i,
					     (long long)m[i].topic);
	}
	if ((rc = check_spans(m, n_m, "put history", err)))
		return rc;
	if (!n_topics)
		return 0;
	return st->backend->put_history(st, topics, revisions, n_topics, from, to, m, n_m, err);
}
