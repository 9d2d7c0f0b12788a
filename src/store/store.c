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
#include <jansson.h>
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
	return store_put_posts_marked(st, topics_version, posts, n, status, m, n_m, NULL, 0,
				      NULL, 0, err);
}

int store_put_posts_marked(struct store *st, int64_t topics_version,
			   struct post *const *posts, size_t n, int *status,
			   const struct store_match *m, size_t n_m,
			   const struct store_mark *marks, size_t n_marks, const int32_t *post_mark,
			   int64_t at, struct horch_err *err)
{
	size_t i;
	int rc;

	horch_err_clear(err);
	if (n_marks && !marks)
		return horch_err_set(err, HORCH_EINVAL, "store: put posts: no marks given");
	for (i = 0; post_mark && i < n; i++)
		if (post_mark[i] >= 0 && (size_t)post_mark[i] >= n_marks)
			return horch_err_set(err, HORCH_EINVAL, "store: put posts: post %zu names "
					     "mark %d of %zu", i, (int)post_mark[i], n_marks);
	for (i = 0; i < n_marks; i++)
		if (marks[i].cursor && strlen(marks[i].cursor) > STORE_CURSOR_MAX)
			return horch_err_set(err, HORCH_ETOOBIG, "store: put posts: mark %zu: a "
					     "cursor of more than %u bytes", i, STORE_CURSOR_MAX);
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
					      marks, n_marks, post_mark, at, err);
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

/* ---- metrics ---- */

/* Check the arguments every metrics call shares: a callback, a window
 * with both bounds and since < until, and (topics, n).  Returns 0 or
 * HORCH_EINVAL naming op. */
static int metrics_check(const char *op, int has_fn, const int64_t *topics, size_t n,
			 int64_t since, int64_t until, struct horch_err *err)
{
	if (!has_fn)
		return horch_err_set(err, HORCH_EINVAL, "store: %s: no callback given", op);
	if (since == HORCH_TIME_NONE || until == HORCH_TIME_NONE)
		return horch_err_set(err, HORCH_EINVAL, "store: %s: the window needs both bounds",
				     op);
	if (since >= until)
		return horch_err_set(err, HORCH_EINVAL, "store: %s: the window is empty "
				     "(since is not before until)", op);
	if (n > STORE_METRICS_TOPICS_MAX)
		return horch_err_set(err, HORCH_EINVAL, "store: %s: more than %u topics", op,
				     STORE_METRICS_TOPICS_MAX);
	if (n && !topics)
		return horch_err_set(err, HORCH_EINVAL, "store: %s: no topics given", op);
	for (size_t i = 0; i < n; i++)
		if (topics[i] <= 0)
			return horch_err_set(err, HORCH_EINVAL, "store: %s: topic id %lld is not "
					     "valid", op, (long long)topics[i]);
	return 0;
}

int store_metrics(struct store *st, const int64_t *topics, size_t n, int64_t since,
		  int64_t until, int64_t interval_ms, store_metrics_fn fn, void *ctx,
		  struct horch_err *err)
{
	int rc;

	horch_err_clear(err);
	if ((rc = metrics_check("metrics", fn != NULL, topics, n, since, until, err)))
		return rc;
	if (interval_ms <= 0)
		return horch_err_set(err, HORCH_EINVAL, "store: metrics: the interval must be "
				     "positive");
	return st->backend->metrics(st, topics, n, since, until, interval_ms, fn, ctx, err);
}

int store_metrics_breakdown(struct store *st, const int64_t *topics, size_t n, int64_t since,
			    int64_t until, size_t limit, store_mdim_fn fn, void *ctx,
			    struct horch_err *err)
{
	int rc;

	horch_err_clear(err);
	if ((rc = metrics_check("breakdown", fn != NULL, topics, n, since, until, err)))
		return rc;
	return st->backend->metrics_breakdown(st, topics, n, since, until, limit, fn, ctx, err);
}

int store_top_authors(struct store *st, int64_t topic, int64_t since, int64_t until,
		      size_t limit, store_author_fn fn, void *ctx, struct horch_err *err)
{
	int rc;

	horch_err_clear(err);
	if ((rc = metrics_check("top authors", fn != NULL, &topic, topic ? 1 : 0, since,
				until, err)))
		return rc;
	if (limit == 0 || limit > STORE_AUTHORS_MAX)
		return horch_err_set(err, HORCH_EINVAL, "store: top authors: the limit must be "
				     "1 to %u", STORE_AUTHORS_MAX);
	return st->backend->top_authors(st, topic, since, until, limit, fn, ctx, err);
}

int store_post_texts(struct store *st, int64_t topic, int64_t since, int64_t until,
		     size_t limit, store_text_fn fn, void *ctx, struct horch_err *err)
{
	int rc;

	horch_err_clear(err);
	if ((rc = metrics_check("post texts", fn != NULL, &topic, topic ? 1 : 0, since,
				until, err)))
		return rc;
	if (limit == 0)
		return horch_err_set(err, HORCH_EINVAL, "store: post texts: no limit given");
	return st->backend->post_texts(st, topic, since, until, limit, fn, ctx, err);
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

/* ---- users, sessions, tokens, subscriptions ---- */

/* Is role one of the four the schema allows? */
static int role_ok(const char *role)
{
	return role && (strcmp(role, "viewer") == 0 || strcmp(role, "agent") == 0 ||
			strcmp(role, "analyst") == 0 || strcmp(role, "admin") == 0);
}

/* Is h a hash the store takes: 1..STORE_HASH_MAX printable ASCII bytes
 * without blanks (hex digits, or the $-separated Argon2id string)? */
static int hash_ok(const char *h)
{
	size_t i;

	if (!h || !*h)
		return 0;
	for (i = 0; h[i]; i++)
		if (i >= STORE_HASH_MAX || h[i] < 0x21 || h[i] > 0x7e)
			return 0;
	return 1;
}

void store_user_cleanup(struct store_user *u)
{
	if (!u)
		return;
	free(u->name);
	free(u->role);
	free(u->pw_hash);
	memset(u, 0, sizeof *u);
}

void store_session_cleanup(struct store_session *s)
{
	if (!s)
		return;
	free(s->hash);
	free(s->csrf);
	memset(s, 0, sizeof *s);
}

void store_token_cleanup(struct store_token *t)
{
	if (!t)
		return;
	free(t->hash);
	free(t->role);
	free(t->label);
	memset(t, 0, sizeof *t);
}

const char *store_user_name_problem(const char *name)
{
	const unsigned char *u = (const unsigned char *)name;
	size_t len, i;
	const char *why;

	if (!name || !*name)
		return "is empty";
	len = strnlen(name, STORE_USER_NAME_MAX + 1);
	if (len > STORE_USER_NAME_MAX)
		return "is longer than 64 bytes";
	if ((why = store_name_problem(name, len)) != NULL)
		return why;
	if (name[0] == '-')
		return "starts with '-'";
	/* Valid UTF-8 now: look for blanks of any kind, which would make a
	 * name that a command line or a log line splits. */
	for (i = 0; i < len;) {
		uint32_t cp = 0;
		size_t n = horch_utf8_decode(u + i, len - i, &cp);

		if (n == 0)
			return "is not valid UTF-8";
		if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ZS ||
		    cp == '\t' || cp == '\n' || cp == '\r')
			return "has a blank";
		i += n;
	}
	return NULL;
}

int store_user_add(struct store *st, struct store_user *u, struct horch_err *err)
{
	const char *why;
	char q[STORE_USER_NAME_MAX * 4 + 16];

	horch_err_clear(err);
	if (!u || !u->name)
		return horch_err_set(err, HORCH_EINVAL, "store: add user: no name given");
	if ((why = store_user_name_problem(u->name)) != NULL) {
		store__quote(q, sizeof q, u->name);
		return horch_err_set(err, HORCH_EINVAL, "the user name '%s' %s", q, why);
	}
	if (!role_ok(u->role))
		return horch_err_set(err, HORCH_EINVAL, "store: add user: the role is not "
				     "viewer, agent, analyst or admin");
	if (!hash_ok(u->pw_hash))
		return horch_err_set(err, HORCH_EINVAL, "store: add user: no valid password hash");
	return st->backend->user_add(st, u, err);
}

int store_user_get(struct store *st, const char *name, struct store_user *out,
		   struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: get user: no result given");
	memset(out, 0, sizeof *out);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: get user: no name given");
	return st->backend->user_get(st, name, 0, out, err);
}

int store_user_get_id(struct store *st, int64_t id, struct store_user *out,
		      struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: get user: no result given");
	memset(out, 0, sizeof *out);
	if (id <= 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no user with id %lld", (long long)id);
	return st->backend->user_get(st, NULL, id, out, err);
}

int store_user_list(struct store *st, store_user_fn fn, void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "store: list users: no callback");
	return st->backend->user_list(st, fn, ctx, err);
}

int store_user_delete(struct store *st, const char *name, struct horch_err *err)
{
	horch_err_clear(err);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: remove user: no name given");
	return st->backend->user_delete(st, name, err);
}

int store_user_set_password(struct store *st, int64_t id, const char *pw_hash, int must_change,
			    struct horch_err *err)
{
	horch_err_clear(err);
	if (!hash_ok(pw_hash))
		return horch_err_set(err, HORCH_EINVAL, "store: set password: no valid hash");
	return st->backend->user_set_password(st, id, pw_hash, must_change != 0, err);
}

int store_user_count(struct store *st, int64_t *out, struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: count users: no result given");
	return st->backend->user_count(st, out, err);
}

int store_session_put(struct store *st, const struct store_session *s, struct horch_err *err)
{
	horch_err_clear(err);
	if (!s || !hash_ok(s->hash) || !hash_ok(s->csrf))
		return horch_err_set(err, HORCH_EINVAL, "store: put session: no valid hash or csrf");
	if ((s->user_id > 0) == (s->token_id > 0) || s->user_id < 0 || s->token_id < 0)
		return horch_err_set(err, HORCH_EINVAL, "store: put session: a session belongs to "
				     "one user or one token");
	return st->backend->session_put(st, s, err);
}

int store_session_get(struct store *st, const char *hash, struct store_session *out,
		      struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: get session: no result given");
	memset(out, 0, sizeof *out);
	if (!hash_ok(hash))
		return horch_err_set(err, HORCH_ENOTFOUND, "no such session");
	return st->backend->session_get(st, hash, out, err);
}

int store_session_delete(struct store *st, const char *hash, struct horch_err *err)
{
	horch_err_clear(err);
	if (!hash_ok(hash))
		return 0;
	return st->backend->session_delete(st, hash, 0, NULL, err);
}

int store_session_delete_user(struct store *st, int64_t user_id, const char *keep,
			      struct horch_err *err)
{
	horch_err_clear(err);
	if (user_id <= 0)
		return 0;
	return st->backend->session_delete(st, NULL, user_id, keep, err);
}

int store_session_extend(struct store *st, const char *hash, int64_t expires_at,
			 struct horch_err *err)
{
	horch_err_clear(err);
	if (!hash_ok(hash))
		return horch_err_set(err, HORCH_ENOTFOUND, "no such session");
	return st->backend->session_extend(st, hash, expires_at, err);
}

int store_session_purge(struct store *st, int64_t now, int64_t *n, struct horch_err *err)
{
	int64_t dummy;

	horch_err_clear(err);
	return st->backend->session_purge(st, now, n ? n : &dummy, err);
}

int store_token_add(struct store *st, struct store_token *t, struct horch_err *err)
{
	horch_err_clear(err);
	if (!t || !hash_ok(t->hash))
		return horch_err_set(err, HORCH_EINVAL, "store: add token: no valid hash");
	if (!role_ok(t->role))
		return horch_err_set(err, HORCH_EINVAL, "store: add token: the role is not "
				     "viewer, agent, analyst or admin");
	if (t->label) {
		size_t len = strnlen(t->label, STORE_TOKEN_LABEL_MAX + 1);

		if (len > STORE_TOKEN_LABEL_MAX)
			return horch_err_set(err, HORCH_EINVAL, "the token's label is longer than "
					     "%u bytes", STORE_TOKEN_LABEL_MAX);
		if (store_name_problem(t->label, len))
			return horch_err_set(err, HORCH_EINVAL, "the token's label %s",
					     store_name_problem(t->label, len));
	}
	return st->backend->token_add(st, t, err);
}

int store_token_get_by_hash(struct store *st, const char *hash, struct store_token *out,
			    struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: get token: no result given");
	memset(out, 0, sizeof *out);
	if (!hash_ok(hash))
		return horch_err_set(err, HORCH_ENOTFOUND, "no such token");
	return st->backend->token_get(st, hash, 0, out, err);
}

int store_token_get_id(struct store *st, int64_t id, struct store_token *out,
		       struct horch_err *err)
{
	horch_err_clear(err);
	if (!out)
		return horch_err_set(err, HORCH_EINVAL, "store: get token: no result given");
	memset(out, 0, sizeof *out);
	if (id <= 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no token with id %lld", (long long)id);
	return st->backend->token_get(st, NULL, id, out, err);
}

int store_token_list(struct store *st, store_token_fn fn, void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "store: list tokens: no callback");
	return st->backend->token_list(st, fn, ctx, err);
}

int store_token_revoke(struct store *st, int64_t id, struct horch_err *err)
{
	horch_err_clear(err);
	if (id <= 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no token with id %lld", (long long)id);
	return st->backend->token_revoke(st, id, err);
}

int store_token_touch(struct store *st, int64_t id, int64_t now, struct horch_err *err)
{
	horch_err_clear(err);
	if (id <= 0)
		return 0;
	return st->backend->token_touch(st, id, now, err);
}

int store_sub_add(struct store *st, int64_t user_id, int64_t topic_id, struct horch_err *err)
{
	horch_err_clear(err);
	if (user_id <= 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no user with id %lld",
				     (long long)user_id);
	if (topic_id <= 0)
		return horch_err_set(err, HORCH_ENOTFOUND, "no topic with id %lld",
				     (long long)topic_id);
	return st->backend->sub_set(st, user_id, topic_id, 1, err);
}

int store_sub_delete(struct store *st, int64_t user_id, int64_t topic_id,
		     struct horch_err *err)
{
	horch_err_clear(err);
	if (user_id <= 0 || topic_id <= 0)
		return 0;
	return st->backend->sub_set(st, user_id, topic_id, 0, err);
}

int store_sub_list(struct store *st, int64_t user_id, store_sub_fn fn, void *ctx,
		   struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return horch_err_set(err, HORCH_EINVAL, "store: list subscriptions: no callback");
	if (user_id <= 0)
		return 0;
	return st->backend->sub_list(st, user_id, fn, ctx, err);
}

/* ---- signals ---- */

static int no_callback(struct horch_err *err, const char *op)
{
	return horch_err_set(err, HORCH_EINVAL, "store: %s: no callback", op);
}

int store_buckets(struct store *st, int scope, const int64_t *refs, size_t n, int res,
		  int64_t since, int64_t until, store_bucket_fn fn, void *ctx,
		  struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return no_callback(err, "buckets");
	if (scope != STORE_SCOPE_TOPIC && scope != STORE_SCOPE_PRODUCT)
		return horch_err_set(err, HORCH_EINVAL, "store: buckets: scope %d is not valid",
				     scope);
	if (res != 60 && res != 3600 && res != 86400)
		return horch_err_set(err, HORCH_EINVAL, "store: buckets: a resolution is 60, "
				     "3600 or 86400 seconds, not %d", res);
	if (n && !refs)
		return horch_err_set(err, HORCH_EINVAL, "store: buckets: no subjects");
	if (since >= until)
		return 0;
	return st->backend->signals->buckets(st, scope, refs, n, res, since, until, fn, ctx,
					     err);
}

int store_signals_update(struct store *st, const struct store_signals_opts *o,
			 struct store_signals_done *out, struct horch_err *err)
{
	struct store_signals_opts d = { 0 };

	horch_err_clear(err);
	if (o)
		d = *o;
	if (!d.max_posts)
		d.max_posts = 20000;
	if (!d.keep_minutes_ms)
		d.keep_minutes_ms = 35LL * 86400000;
	memset(out, 0, sizeof *out);
	return st->backend->signals->signals_update(st, &d, out, err);
}

int store_answers_waiting(struct store *st, int64_t before, int64_t sla_ms, double min_priority,
			  size_t limit, store_waiting_fn fn, void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return no_callback(err, "answers waiting");
	if (!limit)
		return 0;
	return st->backend->signals->answers_waiting(st, before, sla_ms, min_priority, limit, fn,
						     ctx, err);
}

int store_answers_alerted(struct store *st, const int64_t *ids, size_t n,
			  struct horch_err *err)
{
	horch_err_clear(err);
	if (!n)
		return 0;
	return st->backend->signals->answers_alerted(st, ids, n, err);
}

int store_answer_mark(struct store *st, int64_t post_id, const char *by, int64_t at,
		      struct horch_err *err)
{
	horch_err_clear(err);
	if (!by || !*by)
		return horch_err_set(err, HORCH_EINVAL, "store: answer: who answered is not given");
	return st->backend->signals->answer_mark(st, post_id, by, at, err);
}

int store_answer_stats(struct store *st, int64_t since, int64_t until, int64_t sla_ms,
		       struct store_answer_stats *out, struct horch_err *err)
{
	horch_err_clear(err);
	memset(out, 0, sizeof *out);
	return st->backend->signals->answer_stats(st, since, until, sla_ms, out, err);
}

void store_launch_cleanup(struct store_launch *l)
{
	if (!l)
		return;
	free(l->name);
	memset(l, 0, sizeof *l);
}

int store_launch_add(struct store *st, struct store_launch *l, struct horch_err *err)
{
	const char *why;

	horch_err_clear(err);
	if (!l->name || (why = store_name_problem(l->name, strlen(l->name))))
		return horch_err_set(err, HORCH_EINVAL, "store: launch name: %s",
				     l->name ? why : "not given");
	return st->backend->signals->launch_add(st, l, err);
}

int store_launch_get(struct store *st, const char *name, struct store_launch *out,
		     struct horch_err *err)
{
	horch_err_clear(err);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: launch: no name");
	return st->backend->signals->launch_get(st, name, out, err);
}

int store_launch_list(struct store *st, store_launch_fn fn, void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return no_callback(err, "launches");
	return st->backend->signals->launch_list(st, fn, ctx, err);
}

int store_launch_delete(struct store *st, const char *name, struct horch_err *err)
{
	horch_err_clear(err);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: launch: no name");
	return st->backend->signals->launch_delete(st, name, err);
}

void store_alert_cleanup(struct store_alert *a)
{
	if (!a)
		return;
	free(a->rule);
	free(a->kind);
	free(a->key);
	free(a->severity);
	free(a->title);
	free(a->summary);
	free(a->evidence);
	free(a->recipients);
	free(a->state);
	free(a->acked_by);
	free(a->resolved_by);
	memset(a, 0, sizeof *a);
}

static int one_of(const char *s, const char *const *v)
{
	for (; s && *v; v++)
		if (strcmp(s, *v) == 0)
			return 1;
	return 0;
}

static const char *const alert_kinds[] = { "spike", "shift", "rating", "resonance",
					   "unanswered", "source", NULL };
static const char *const alert_severities[] = { "info", "warning", "critical", NULL };

int store_alert_raise(struct store *st, struct store_alert *a, int64_t cooldown_ms,
		      int refresh, enum store_raise *out, struct horch_err *err)
{
	horch_err_clear(err);
	if (!one_of(a->kind, alert_kinds))
		return horch_err_set(err, HORCH_EINVAL, "store: alert: kind \"%s\" is not valid",
				     a->kind ? a->kind : "");
	if (!one_of(a->severity, alert_severities))
		return horch_err_set(err, HORCH_EINVAL, "store: alert: severity \"%s\" is not "
				     "valid", a->severity ? a->severity : "");
	if (!a->rule || !a->key || !a->title)
		return horch_err_set(err, HORCH_EINVAL, "store: alert: rule, key and title are "
				     "required");
	return st->backend->signals->alert_raise(st, a, cooldown_ms, refresh, out, err);
}

int store_alert_open_id(struct store *st, const char *rule, const char *key, int64_t *id,
			struct horch_err *err)
{
	horch_err_clear(err);
	*id = 0;
	if (!rule || !key)
		return horch_err_set(err, HORCH_EINVAL, "store: alert: rule and key are required");
	return st->backend->signals->alert_open_id(st, rule, key, id, err);
}

int store_alert_get(struct store *st, int64_t id, struct store_alert *out,
		    struct horch_err *err)
{
	horch_err_clear(err);
	return st->backend->signals->alert_get(st, id, out, err);
}

int store_alert_list(struct store *st, const char *state, int64_t before_id, size_t limit,
		     store_alert_fn fn, void *ctx, struct horch_err *err)
{
	static const char *const states[] = { "open", "acked", "resolved", "active", NULL };

	horch_err_clear(err);
	if (!fn)
		return no_callback(err, "alerts");
	if (state && !one_of(state, states))
		return horch_err_set(err, HORCH_EINVAL, "store: alerts: state \"%s\" is not open, "
				     "acked, resolved or active", state);
	if (!limit)
		return 0;
	return st->backend->signals->alert_list(st, state, before_id, limit, fn, ctx, err);
}

int store_alert_set_state(struct store *st, int64_t id, const char *state, const char *by,
			  int64_t at, struct horch_err *err)
{
	horch_err_clear(err);
	if (!state || (strcmp(state, "acked") && strcmp(state, "resolved")))
		return horch_err_set(err, HORCH_EINVAL, "store: alert: a state is acked or "
				     "resolved");
	if (!by || !*by)
		return horch_err_set(err, HORCH_EINVAL, "store: alert: who is not given");
	return st->backend->signals->alert_set_state(st, id, state, by, at, err);
}

int store_delivery_put(struct store *st, int64_t *id, int64_t alert_id, const char *channel,
		       const char *target, const char *state, int attempts, const char *error,
		       int64_t at, struct horch_err *err)
{
	static const char *const channels[] = { "webhook", "email", NULL };
	static const char *const states[] = { "pending", "sent", "failed", "held", NULL };

	horch_err_clear(err);
	if (!one_of(channel, channels) || !one_of(state, states) || !target)
		return horch_err_set(err, HORCH_EINVAL, "store: delivery: a bad channel, state "
				     "or target");
	return st->backend->signals->delivery_put(st, id, alert_id, channel, target, state,
						  attempts, error, at, err);
}

int store_delivery_list(struct store *st, int64_t alert_id, store_delivery_fn fn, void *ctx,
			struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return no_callback(err, "deliveries");
	return st->backend->signals->delivery_list(st, alert_id, fn, ctx, err);
}

int store_deliveries_abandon(struct store *st, const char *why, int64_t at, int64_t *n,
			     struct horch_err *err)
{
	horch_err_clear(err);
	*n = 0;
	if (!why)
		return horch_err_set(err, HORCH_EINVAL, "store: deliveries: no reason");
	return st->backend->signals->deliveries_abandon(st, why, at, n, err);
}

int store_rule_put(struct store *st, const char *name, const char *spec, struct horch_err *err)
{
	const char *why;

	horch_err_clear(err);
	if (!name || (why = store_name_problem(name, strlen(name))))
		return horch_err_set(err, HORCH_EINVAL, "store: rule name: %s",
				     name ? why : "not given");
	if (!spec)
		return horch_err_set(err, HORCH_EINVAL, "store: rule %s: no spec", name);
	return st->backend->signals->rule_put(st, name, spec, err);
}

int store_rule_list(struct store *st, store_rule_fn fn, void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return no_callback(err, "rules");
	return st->backend->signals->rule_list(st, fn, ctx, err);
}

int store_rule_delete(struct store *st, const char *name, struct horch_err *err)
{
	horch_err_clear(err);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: rule: no name");
	return st->backend->signals->rule_delete(st, name, err);
}

/* ---- sources ---- */

int store_source_put(struct store *st, const struct store_source *s, int64_t now,
		     int64_t *id, struct horch_err *err)
{
	const char *why;
	json_t *params;

	horch_err_clear(err);
	if (!s || !s->name || (why = store_name_problem(s->name, strlen(s->name))))
		return horch_err_set(err, HORCH_EINVAL, "store: source name: %s",
				     s && s->name ? why : "not given");
	if (!s->kind || !*s->kind)
		return horch_err_set(err, HORCH_EINVAL, "store: source %s: no kind", s->name);
	params = json_loads(s->params ? s->params : "{}", JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(params)) {
		json_decref(params);
		return horch_err_set(err, HORCH_EINVAL, "store: source %s: params is not a JSON "
				     "object", s->name);
	}
	json_decref(params);
	return st->backend->sources->put(st, s, now, id, err);
}

int store_source_get(struct store *st, const char *name, int64_t now, store_source_fn fn,
		     void *ctx, struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return no_callback(err, "source");
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: source: no name");
	return st->backend->sources->list(st, name, now, fn, ctx, err);
}

int store_source_list(struct store *st, int64_t now, store_source_fn fn, void *ctx,
		      struct horch_err *err)
{
	horch_err_clear(err);
	if (!fn)
		return no_callback(err, "sources");
	return st->backend->sources->list(st, NULL, now, fn, ctx, err);
}

int store_source_delete(struct store *st, const char *name, struct horch_err *err)
{
	horch_err_clear(err);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: source: no name");
	return st->backend->sources->del(st, name, err);
}

int store_source_report(struct store *st, int64_t id, const struct store_source_report *r,
			struct horch_err *err)
{
	horch_err_clear(err);
	if (!r)
		return horch_err_set(err, HORCH_EINVAL, "store: source report: none given");
	return st->backend->sources->report(st, id, r, err);
}

int store_source_set_cursor(struct store *st, const char *name, const char *cursor,
			    struct horch_err *err)
{
	horch_err_clear(err);
	if (!name)
		return horch_err_set(err, HORCH_EINVAL, "store: source: no name");
	if (!cursor)
		cursor = "";
	if (strlen(cursor) > STORE_CURSOR_MAX)
		return horch_err_set(err, HORCH_ETOOBIG, "store: source %s: a cursor of more "
				     "than %u bytes", name, STORE_CURSOR_MAX);
	return st->backend->sources->set_cursor(st, name, cursor, err);
}
