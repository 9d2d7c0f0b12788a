/* mastodon.c - the Mastodon connector: the public, local or hashtag
 * timeline or a search of one instance, over its REST API and, where the
 * instance allows, its streaming API (Server-Sent Events).
 *
 * A poll pages forward from the cursor with min_id, which Mastodon
 * answers with the statuses immediately newer than that id (newest first
 * within the page), so that catching up after a long gap reads every
 * status in between without a hole; the cursor, the greatest status id
 * read, is committed after each page.  A first run without a cursor takes
 * only the newest page, not the instance's history.
 *
 * A streaming source first catches up over REST, then opens the stream;
 * once the stream answers it catches up once more (statuses that came
 * between the two), then takes each "update" event as it comes and
 * commits after each.  When the stream cannot be opened (the instance
 * refuses it, needs a token for it, or has no streaming server) the
 * source polls over REST every interval and tries the stream again with a
 * growing pause.  The stream is read with libcurl directly, not through
 * source_fetch(), which buffers whole bodies: an idle timeout (heartbeats
 * come every 15 s), a cap on each event and the run's stop are checked
 * from libcurl's progress callback.
 *
 * The parsers (mastodon.h) are pure functions of bytes, for the unit test
 * and the fuzz target.  The access token goes only into the Authorization
 * header, never into a URL, a log line or a message. */
#include "mastodon.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connector.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"

/* ---- ids ---- */

static int is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int mastodon_id_valid(const char *s, size_t len)
{
	if (len == 0 || len > MASTODON_ID_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!is_alnum((unsigned char)s[i]))
			return 0;
	return 1;
}

int mastodon_id_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int c;

	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(a, b, la);
	return c < 0 ? -1 : c > 0;
}

/* Read the id v (a string, or a non-negative integer as some servers
 * write it) into id.  Returns 0, or HORCH_EINVAL naming field. */
static int read_id(json_t *v, const char *field, char id[MASTODON_ID_MAX + 1],
		   struct horch_err *err)
{
	id[0] = '\0';
	if (!v || json_is_null(v))
		return horch_err_set(err, HORCH_EINVAL, "field \"%s\": missing", field);
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(id, MASTODON_ID_MAX + 1, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	}
	if (!json_is_string(v))
		return horch_err_set(err, HORCH_EINVAL, "field \"%s\": not a string", field);
	if (!mastodon_id_valid(json_string_value(v), json_string_length(v)))
		return horch_err_set(err, HORCH_EINVAL, "field \"%s\": \"%.40s\" is not an id "
				     "(1 to %d letters and digits)", field, json_string_value(v),
				     MASTODON_ID_MAX);
	memcpy(id, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* ---- statuses ---- */

/* The string o.key: 1 with *s and *len set when it is a non-empty string,
 * 0 when it is absent, null or empty, -1 when it is of another type. */
static int get_str(json_t *o, const char *key, const char **s, size_t *len)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*s = json_string_value(v);
	*len = json_string_length(v);
	return *len ? 1 : 0;
}

/* 1 when s[0..len) may name something (a post, a person, a page): no
 * control character (C0, DEL, C1), as post_validate() wants of the
 * identifying fields.  The JSON reader has checked the UTF-8. */
static int clean_ident(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return 0;
		/* C1 controls are U+0080..U+009F: 0xC2 0x80..0x9F. */
		if (u[i] == 0xc2 && i + 1 < len && u[i + 1] <= 0x9f)
			return 0;
	}
	return 1;
}

enum { REQUIRED = 1, IDENT = 2 };

/* Copy the string o.key (at most cap bytes; with IDENT in flags, without
 * a control character) into *out.  A REQUIRED field that is missing, of
 * another type, too long or not clean fails with HORCH_EINVAL or
 * HORCH_ETOOBIG naming it as name; an optional one is left unset then.
 * Returns 0 or that error. */
static int copy_str(json_t *o, const char *key, const char *name, size_t cap, int flags,
		    char **out, struct horch_err *err)
{
	const char *s = NULL;
	size_t len = 0;
	int got = get_str(o, key, &s, &len), clean = 1;

	if (got == 1 && len <= cap && (!(flags & IDENT) || (clean = clean_ident(s, len)))) {
		free(*out);
		*out = horch_xstrndup(s, len);
		return 0;
	}
	if (!(flags & REQUIRED))
		return 0;
	if (got == 0)
		return horch_err_set(err, HORCH_EINVAL, "field \"%s\": missing", name);
	if (got < 0)
		return horch_err_set(err, HORCH_EINVAL, "field \"%s\": not a string", name);
	if (!clean)
		return horch_err_set(err, HORCH_EINVAL, "field \"%s\": a control character", name);
	return horch_err_set(err, HORCH_ETOOBIG, "field \"%s\": %zu bytes, more than the cap "
			     "of %zu", name, len, cap);
}

/* The count o.key, or POST_COUNT_NONE when it is not a non-negative
 * integer. */
static int64_t get_count(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return POST_COUNT_NONE;
	return (int64_t)json_integer_value(v);
}

/* 1 when the status st may be heard: public or unlisted (a token can let
 * a search see followers-only statuses, which horch does not keep).  A
 * status without a visibility is taken as public. */
static int is_public(json_t *st)
{
	const char *v;
	size_t len;

	if (get_str(st, "visibility", &v, &len) != 1)
		return 1;
	return strcmp(v, "public") == 0 || strcmp(v, "unlisted") == 0;
}

/* The descriptions of st's media attachments, one a line, for a status
 * with no text: a new string, or NULL when there are none. */
static char *media_text(json_t *st)
{
	json_t *media = json_object_get(st, "media_attachments"), *m;
	struct buf b;
	size_t i;
	char *out = NULL;

	if (!json_is_array(media))
		return NULL;
	buf_init(&b, POST_TEXT_MAX);
	json_array_foreach(media, i, m) {
		const char *d;
		size_t len;

		if (!json_is_object(m) || get_str(m, "description", &d, &len) != 1)
			continue;
		if ((b.len && buf_putc(&b, '\n')) || buf_append(&b, d, len))
			break;
	}
	if (b.len)
		out = buf_take(&b);
	buf_cleanup(&b);
	return out;
}

/* The handle of account a: its acct, with "@domain" added for a local
 * account (whose acct is the bare user name), without a leading '@'.  The
 * domain is the host of the account's profile page (its url), which is
 * the instance's own name even when horch reaches it by another address;
 * without one, host (the instance's URL's).  Returns 0 with *out set, or
 * HORCH_EINVAL/HORCH_ETOOBIG. */
static int author_handle(json_t *a, const char *host, char **out, struct horch_err *err)
{
	const char *acct, *url;
	char own[256];
	size_t len, url_len;
	int got;

	if (!json_is_object(a))
		return horch_err_set(err, HORCH_EINVAL, "field \"account\": %s",
				     a ? "not an object" : "missing");
	got = get_str(a, "acct", &acct, &len);
	if (got != 1)
		return horch_err_set(err, HORCH_EINVAL, "field \"account.acct\": %s",
				     got ? "not a string" : "missing");
	while (len && *acct == '@') {
		acct++;
		len--;
	}
	if (get_str(a, "url", &url, &url_len) == 1 && mastodon_url_host(url, own, sizeof own) == 0)
		host = own;
	if (!len || len + 1 + strlen(host) > POST_FIELD_MAX)
		return horch_err_set(err, len ? HORCH_ETOOBIG : HORCH_EINVAL,
				     "field \"account.acct\": %s", len ? "too long" : "empty");
	if (!clean_ident(acct, len))
		return horch_err_set(err, HORCH_EINVAL, "field \"account.acct\": a control "
				     "character");
	if (memchr(acct, '@', len) || !*host)
		*out = horch_xstrndup(acct, len);
	else {
		*out = horch_xmalloc(len + strlen(host) + 2);
		sprintf(*out, "%.*s@%s", (int)len, acct, host);
	}
	return 0;
}

/* A language code as the instance gave it: 2 to 16 letters and '-'. */
static void set_lang(struct post *p, json_t *st)
{
	const char *s;
	size_t len, i;

	if (get_str(st, "language", &s, &len) != 1 || len < 2 || len > 16)
		return;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-'))
			return;
	p->lang = horch_xstrndup(s, len);
}

/* Fill p from the status object st (see mastodon_status_parse()). */
static int status_to_post(json_t *st, const char *host, struct post *p,
			  char id[MASTODON_ID_MAX + 1], struct horch_err *err)
{
	json_t *src = st, *reblog, *v;
	const char *s;
	size_t len;
	int rc, got;

	id[0] = '\0';
	if (!json_is_object(st))
		return horch_err_set(err, HORCH_EINVAL, "a status is not a JSON object");
	rc = read_id(json_object_get(st, "id"), "id", id, err);
	if (rc)
		return rc;
	if (!is_public(st))
		return horch_err_set(err, MASTODON_QUIET, "status %s is not public", id);
	reblog = json_object_get(st, "reblog");
	if (reblog && !json_is_null(reblog)) {
		if (!json_is_object(reblog))
			return horch_err_set(err, HORCH_EINVAL, "field \"reblog\": not an object");
		src = reblog;
		p->kind = POST_KIND_REPOST;
		rc = copy_str(reblog, "uri", "reblog.uri", POST_FIELD_MAX, REQUIRED | IDENT,
			      &p->parent, err);
		if (rc)
			goto out;
	}
	p->source = horch_xstrdup("mastodon");
	rc = copy_str(st, "uri", "uri", POST_FIELD_MAX, REQUIRED | IDENT, &p->external_id, err);
	if (rc)
		goto out;
	/* The web page of the status; a boost has none of its own and links
	 * to the status it boosts. */
	copy_str(st, "url", "url", POST_FIELD_MAX, IDENT, &p->url, err);
	if (!p->url && src != st)
		copy_str(src, "url", "reblog.url", POST_FIELD_MAX, IDENT, &p->url, err);
	if (!p->url && !strncmp(p->external_id, "http", 4))
		p->url = horch_xstrdup(p->external_id);
	rc = author_handle(json_object_get(st, "account"), host, &p->author, err);
	if (rc)
		goto out;
	v = json_object_get(st, "account");
	copy_str(v, "display_name", "account.display_name", POST_FIELD_MAX, IDENT, &p->author_name,
		 err);
	p->author_followers = get_count(v, "followers_count");
	if (get_str(st, "created_at", &s, &len) == 1 &&
	    horch_time_parse(s, len, &p->created_at, NULL) != 0)
		p->created_at = HORCH_TIME_NONE;
	got = get_str(src, "content", &s, &len);
	if (got < 0 || (got == 1 && len > POST_TEXT_MAX)) {
		rc = got < 0 ? horch_err_set(err, HORCH_EINVAL, "field \"%s\": not a string",
					     src == st ? "content" : "reblog.content")
			     : horch_err_set(err, HORCH_ETOOBIG, "field \"%s\": %zu bytes, more than "
					     "the cap of %u", src == st ? "content" : "reblog.content",
					     len, POST_TEXT_MAX);
		goto out;
	}
	if (got == 1)
		p->html = horch_xstrndup(s, len);
	/* The content warning, when there is one, is what a reader sees
	 * first: the post's title. */
	copy_str(src, "spoiler_text", "spoiler_text", POST_TEXT_MAX, 0, &p->title, err);
	if (!p->html && !p->title)
		p->text = media_text(src);
	if (!p->html && !p->title && !p->text) {
		rc = horch_err_set(err, MASTODON_QUIET, "status %s has no text", id);
		goto out;
	}
	set_lang(p, src);
	if (src == st) {
		v = json_object_get(st, "in_reply_to_id");
		if (v && !json_is_null(v))
			p->kind = POST_KIND_REPLY;
	}
	p->likes = get_count(st, "favourites_count");
	p->reposts = get_count(st, "reblogs_count");
	p->replies = get_count(st, "replies_count");
	/* What the store will check, checked here, so that a status it
	 * would refuse is skipped with a reason instead. */
	rc = post_validate(p, err);
out:
	if (rc)
		post_cleanup(p);
	return rc;
}

int mastodon_status_parse(const char *json, size_t len, const char *host, struct post *p,
			  char id[MASTODON_ID_MAX + 1], struct horch_err *err)
{
	json_error_t je;
	json_t *root;
	int rc;

	id[0] = '\0';
	if (len > MASTODON_EVENT_MAX)
		return horch_err_set(err, HORCH_ETOOBIG, "a status of %zu bytes, more than the cap "
				     "of %u", len, MASTODON_EVENT_MAX);
	root = json_loadb(json, len, 0, &je);
	if (!root)
		return horch_err_at(err, HORCH_EPARSE, je.line, je.column,
				    "malformed JSON at line %d column %d (byte %d): %s", je.line,
				    je.column, je.position, je.text);
	rc = status_to_post(root, host, p, id, err);
	json_decref(root);
	return rc;
}

void mastodon_page_init(struct mastodon_page *page)
{
	memset(page, 0, sizeof *page);
}

void mastodon_page_cleanup(struct mastodon_page *page)
{
	if (!page)
		return;
	for (size_t i = 0; i < page->n_posts; i++)
		post_free(page->items[i].post);
	free(page->items);
	for (size_t i = 0; i < page->n_warnings; i++)
		free(page->warnings[i]);
	mastodon_page_init(page);
}

struct post *mastodon_page_take(struct mastodon_page *page, size_t i)
{
	struct post *p = page->items[i].post;

	page->items[i].post = NULL;
	return p;
}

static int item_cmp(const void *a, const void *b)
{
	const struct mastodon_item *x = a, *y = b;

	return mastodon_id_cmp(x->id, y->id);
}

int mastodon_page_parse(const char *body, size_t len, int search, const char *host,
			struct mastodon_page *page, struct horch_err *err)
{
	json_error_t je;
	json_t *root = NULL, *arr, *st;
	size_t i;
	int rc = 0;

	mastodon_page_cleanup(page);
	if (len > MASTODON_PAGE_MAX)
		return horch_err_set(err, HORCH_ETOOBIG, "a page of %zu bytes, more than the cap "
				     "of %u", len, MASTODON_PAGE_MAX);
	root = json_loadb(body, len, 0, &je);
	if (!root)
		return horch_err_at(err, HORCH_EPARSE, je.line, je.column,
				    "malformed JSON at line %d column %d (byte %d): %s", je.line,
				    je.column, je.position, je.text);
	arr = !search ? root : json_is_object(root) ? json_object_get(root, "statuses") : NULL;
	if (!json_is_array(arr)) {
		rc = horch_err_set(err, HORCH_EPARSE, search ? "not a search result: no "
				   "\"statuses\" array" : "not an array of statuses");
		goto out;
	}
	page->n_items = json_array_size(arr);
	if (page->n_items > MASTODON_PAGE_ITEMS) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "%zu statuses in one page, more than the "
				   "cap of %d", page->n_items, MASTODON_PAGE_ITEMS);
		goto out;
	}
	page->items = horch_xcalloc(page->n_items ? page->n_items : 1, sizeof *page->items);
	json_array_foreach(arr, i, st) {
		struct mastodon_item *it = &page->items[page->n_posts];
		struct horch_err e;
		int got;

		it->post = post_new();
		horch_err_clear(&e);
		got = status_to_post(st, host, it->post, it->id, &e);
		if (it->id[0] && (!page->newest[0] || mastodon_id_cmp(it->id, page->newest) > 0))
			memcpy(page->newest, it->id, sizeof page->newest);
		if (got == MASTODON_TAKEN) {
			page->n_posts++;
			continue;
		}
		post_free(it->post);
		it->post = NULL;
		if (got == MASTODON_QUIET) {
			page->n_quiet++;
			continue;
		}
		page->n_bad++;
		if (page->n_warnings < MASTODON_WARN_KEEP) {
			char msg[700];

			snprintf(msg, sizeof msg, "status %zu of the page%s%s%s skipped: %s", i + 1,
				 it->id[0] ? " (id " : "", it->id, it->id[0] ? ")" : "", e.msg);
			page->warnings[page->n_warnings++] = horch_xstrdup(msg);
		}
	}
	/* Timelines come newest first; the pipeline gets them in the order
	 * they were written. */
	qsort(page->items, page->n_posts, sizeof *page->items, item_cmp);
out:
	if (rc) {
		size_t n = page->n_items;

		mastodon_page_cleanup(page);
		page->n_items = rc == HORCH_ETOOBIG ? n : 0;
	}
	json_decref(root);
	return rc;
}

/* ---- the Link header ---- */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* 1 when the rel value v[0..len) (space-separated relation types) holds
 * rel, compared without case. */
static int rel_has(const char *v, size_t len, const char *rel)
{
	size_t rl = strlen(rel), i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && v[j] != ' ')
			j++;
		if (j - i == rl && strncasecmp(v + i, rel, rl) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}

/* Copy the value of query parameter param of url[0..len) to out. */
static int query_param(const char *url, size_t len, const char *param, char *out, size_t size)
{
	const char *q = memchr(url, '?', len), *end = url + len;
	size_t pl = strlen(param);

	if (!q)
		return 0;
	for (q++; q < end;) {
		const char *amp = memchr(q, '&', (size_t)(end - q)), *stop = amp ? amp : end;
		const char *hash = memchr(q, '#', (size_t)(stop - q));

		if (hash)
			stop = hash;
		if ((size_t)(stop - q) > pl && !memcmp(q, param, pl) && q[pl] == '=') {
			size_t vl = (size_t)(stop - q) - pl - 1;

			if (vl + 1 > size)
				return 0;
			memcpy(out, q + pl + 1, vl);
			out[vl] = '\0';
			return 1;
		}
		if (hash || !amp)
			break;
		q = amp + 1;
	}
	return 0;
}

int mastodon_link_param(const char *link, const char *rel, const char *param, char *out,
			size_t size)
{
	const char *s = link;

	if (size)
		out[0] = '\0';
	if (!link || !size)
		return 0;
	for (;;) {
		const char *url, *url_end;
		int match = 0;

		s = skip_ws(s);
		while (*s == ',' || *s == ' ' || *s == '\t')
			s++;
		if (*s != '<')
			return 0;
		url = s + 1;
		url_end = strchr(url, '>');
		if (!url_end)
			return 0;
		s = url_end + 1;
		/* The link's parameters: ; name=value or ; name="value". */
		for (;;) {
			const char *name, *val;
			size_t nl, vl;

			s = skip_ws(s);
			if (*s != ';')
				break;
			s = skip_ws(s + 1);
			name = s;
			while (*s && *s != '=' && *s != ';' && *s != ',' && *s != ' ')
				s++;
			nl = (size_t)(s - name);
			s = skip_ws(s);
			if (*s != '=')
				continue;
			s = skip_ws(s + 1);
			if (*s == '"') {
				val = ++s;
				while (*s && *s != '"') {
					if (*s == '\\' && s[1])
						s++;
					s++;
				}
				vl = (size_t)(s - val);
				if (*s == '"')
					s++;
			} else {
				val = s;
				while (*s && *s != ';' && *s != ',' && *s != ' ' && *s != '\t')
					s++;
				vl = (size_t)(s - val);
			}
			if (nl == 3 && strncasecmp(name, "rel", 3) == 0 && rel_has(val, vl, rel))
				match = 1;
		}
		if (match)
			return query_param(url, (size_t)(url_end - url), param, out, size);
		/* On to the next link, past anything this one had left. */
		while (*s && *s != ',')
			s++;
		if (!*s)
			return 0;
	}
}

/* ---- Server-Sent Events ---- */

void mastodon_sse_init(struct mastodon_sse *s, size_t max, mastodon_sse_fn fn, void *ctx)
{
	memset(s, 0, sizeof *s);
	s->max = max ? max : MASTODON_EVENT_MAX;
	buf_init(&s->line, BUF_NOLIMIT);
	buf_init(&s->data, BUF_NOLIMIT);
	s->fn = fn;
	s->ctx = ctx;
}

void mastodon_sse_cleanup(struct mastodon_sse *s)
{
	if (!s)
		return;
	buf_cleanup(&s->line);
	buf_cleanup(&s->data);
}

/* Forget the event being read. */
static void sse_reset(struct mastodon_sse *s)
{
	buf_reset(&s->data);
	s->event[0] = '\0';
	s->dropped = 0;
	s->has_data = 0;
}

/* The line s->line is complete: act on it.  Returns a callback's
 * nonzero result, else 0. */
static int sse_line(struct mastodon_sse *s)
{
	const char *l = s->line.ptr ? s->line.ptr : "", *val;
	size_t len = s->line.len, nl, vl;
	int rc = 0;

	if (!s->started) {
		s->started = 1;
		if (len >= 3 && !memcmp(l, "\xEF\xBB\xBF", 3)) {
			l += 3;
			len -= 3;
		}
	}
	if (s->in_line_overflow) {
		/* A line past the cap (its bytes counted in dropped as they
		 * came): the event it belongs to is lost. */
		s->in_line_overflow = 0;
		buf_reset(&s->line);
		return 0;
	}
	if (len == 0) {
		const char *type = s->event[0] ? s->event : "message";

		if (s->dropped) {
			s->n_dropped++;
			rc = s->fn(s->ctx, type, NULL, s->dropped);
		} else if (s->has_data) {
			/* The data lines were each followed by "\n": drop the last. */
			s->data.len--;
			s->data.ptr[s->data.len] = '\0';
			s->n_events++;
			rc = s->fn(s->ctx, type, s->data.ptr, s->data.len);
		}
		sse_reset(s);
		return rc;
	}
	if (l[0] == ':')
		goto out;  /* a comment: Mastodon's heartbeat */
	val = memchr(l, ':', len);
	nl = val ? (size_t)(val - l) : len;
	if (val) {
		val++;
		vl = len - nl - 1;
		if (vl && *val == ' ') {
			val++;
			vl--;
		}
	} else {
		val = "";
		vl = 0;
	}
	if (nl == 4 && !memcmp(l, "data", 4)) {
		s->has_data = 1;
		if (s->dropped) {
			s->dropped += vl + 1;
		} else if (s->data.len + vl + 1 > s->max) {
			s->dropped = s->data.len + vl + 1;
			buf_reset(&s->data);
		} else {
			buf_append(&s->data, val, vl);
			buf_putc(&s->data, '\n');
		}
	} else if (nl == 5 && !memcmp(l, "event", 5)) {
		if (vl >= sizeof s->event)
			vl = sizeof s->event - 1;
		memcpy(s->event, val, vl);
		s->event[vl] = '\0';
	}
	/* "id" and "retry" are not used by Mastodon; other fields are to be
	 * ignored. */
out:
	buf_reset(&s->line);
	return 0;
}

int mastodon_sse_feed(struct mastodon_sse *s, const char *p, size_t len)
{
	size_t i = 0;
	int rc;

	while (i < len) {
		size_t j = i;

		if (s->after_cr) {
			s->after_cr = 0;
			if (p[i] == '\n') {
				i++;
				continue;
			}
		}
		while (j < len && p[j] != '\n' && p[j] != '\r')
			j++;
		if (!s->in_line_overflow) {
			/* A line may hold "data: " and an event's worth of data. */
			if (s->line.len + (j - i) > s->max + 64) {
				s->in_line_overflow = 1;
				s->dropped = s->dropped ? s->dropped : s->data.len + 1;
				s->dropped += s->line.len + (j - i);
				buf_reset(&s->line);
			} else {
				buf_append(&s->line, p + i, j - i);
			}
		} else {
			s->dropped += j - i;
		}
		if (j == len)
			break;
		s->after_cr = p[j] == '\r';
		i = j + 1;
		if ((rc = sse_line(s)))
			return rc;
	}
	return 0;
}

/* ---- settings ---- */

int mastodon_url_host(const char *url, char *out, size_t size)
{
	const char *h, *end, *at;
	size_t len;

	if (!strncasecmp(url, "https://", 8))
		h = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		h = url + 7;
	else
		return HORCH_EINVAL;
	end = h + strcspn(h, "/?#");
	for (at = h; at < end; at++)
		if (*at == '@')
			h = at + 1;
	if (h < end && *h == '[') {
		const char *close = memchr(h, ']', (size_t)(end - h));

		if (!close)
			return HORCH_EINVAL;
		h++;
		end = close;
	} else {
		const char *colon = memchr(h, ':', (size_t)(end - h));

		if (colon)
			end = colon;
	}
	len = (size_t)(end - h);
	if (!len || len >= size)
		return HORCH_EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = h[i];

		if (!is_alnum((unsigned char)c) && c != '.' && c != '-' && c != ':' && c != '_')
			return HORCH_EINVAL;
		out[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	out[len] = '\0';
	return 0;
}

/* ---- the connector ---- */

#define DEFAULT_INTERVAL 60          /* seconds between polls */
#define PAGE_LIMIT 40                /* Mastodon's largest page */
#define DEFAULT_PAGES 100            /* pages one poll reads at most */
#define DEFAULT_IDLE 60              /* seconds a stream may be silent (heartbeats: 15 s) */
#define TIMEOUT_MAX 600              /* seconds, the "timeout" setting's cap */
#define STREAM_BACKOFF_MAX 1800      /* seconds between attempts at a failing stream */
#define URL_MAX 2048                 /* bytes of the instance's URL */
#define SEARCH_MAX 500               /* bytes of the search terms */
#define TAG_MAX 200                  /* bytes of a hashtag */

enum timeline { TL_PUBLIC, TL_LOCAL, TL_TAG, TL_HOME, TL_SEARCH };

/* A source's settings, read and checked. */
struct settings {
	enum timeline tl;
	const char *tag;             /* TL_TAG: the tag, without '#' (points into conf) */
	const char *search;          /* TL_SEARCH: the terms (points into conf) */
	int stream;
	int limit, pages, idle, lookback;
	int timeout_ms;              /* ms one request may take (the "timeout" setting) */
	char host[256];
};

/* Read and check the settings of c into s.  Returns 0 or HORCH_EINVAL
 * with err naming the setting. */
static int read_settings(const struct source_conf *c, struct settings *s,
			 struct horch_err *err)
{
	const char *tl = source_param(c, "timeline");
	const char *auth;
	int rc;

	memset(s, 0, sizeof *s);
	if (!c->url || !*c->url)
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": the instance "
				     "(https://mastodon.example) is required");
	auth = strstr(c->url, "://");
	if (strlen(c->url) > URL_MAX || mastodon_url_host(c->url, s->host, sizeof s->host) ||
	    strpbrk(c->url, "?# \t\r\n") ||
	    (auth && memchr(auth, '@', strcspn(auth + 3, "/") + 3)))
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": \"%.80s\" is not the "
				     "http or https URL of an instance (no query, no user "
				     "name: give a token with --set token=...)", c->url);
	s->search = source_param(c, "search");
	if (s->search) {
		if (!*s->search || strlen(s->search) > SEARCH_MAX)
			return horch_err_set(err, HORCH_EINVAL, "setting \"search\": 1 to %d bytes "
					     "of search terms", SEARCH_MAX);
		if (tl)
			return horch_err_set(err, HORCH_EINVAL, "settings \"search\" and \"timeline\": "
					     "one source reads one of them (make two sources)");
		s->tl = TL_SEARCH;
	} else if (!tl || !strcmp(tl, "public")) {
		s->tl = TL_PUBLIC;
	} else if (!strcmp(tl, "local")) {
		s->tl = TL_LOCAL;
	} else if (!strcmp(tl, "home")) {
		if (!source_param(c, "token"))
			return horch_err_set(err, HORCH_EINVAL, "setting \"timeline\": home is the "
					     "timeline of the token's account: set a token");
		s->tl = TL_HOME;
	} else if (!strncmp(tl, "tag:", 4)) {
		s->tag = tl + 4;
		if (*s->tag == '#')
			s->tag++;
		if (!*s->tag || strlen(s->tag) > TAG_MAX)
			return horch_err_set(err, HORCH_EINVAL, "setting \"timeline\": a tag of 1 to "
					     "%d bytes after \"tag:\"", TAG_MAX);
		s->tl = TL_TAG;
	} else {
		return horch_err_set(err, HORCH_EINVAL, "setting \"timeline\": \"%.64s\" is not "
				     "public, local, home or tag:NAME", tl);
	}
	if ((rc = source_bool_param(c, "stream", 0, &s->stream, err)))
		return rc;
	if (s->stream && s->tl == TL_SEARCH)
		return horch_err_set(err, HORCH_EINVAL, "setting \"stream\": a search cannot be "
				     "streamed, only a timeline");
	if ((rc = source_int_param(c, "limit", PAGE_LIMIT, 1, PAGE_LIMIT, &s->limit, err)) ||
	    (rc = source_int_param(c, "pages", DEFAULT_PAGES, 1, 1000, &s->pages, err)) ||
	    (rc = source_timeout_param(c, TIMEOUT_MAX, &s->timeout_ms, err)) ||
	    (rc = source_int_param(c, "idle", DEFAULT_IDLE, 1, 3600, &s->idle, err)) ||
	    (rc = source_int_param(c, "lookback", 0, 0, 86400, &s->lookback, err)))
		return rc;
	return 0;
}

static int check(const struct source_conf *c, struct horch_err *err)
{
	struct settings s;

	return read_settings(c, &s, err);
}

static int streams(const struct source_conf *c)
{
	struct settings s;

	return read_settings(c, &s, NULL) == 0 && s.stream;
}

/* One run of the connector. */
struct mastodon {
	struct source_run *run;
	struct settings set;
	char *base;                  /* the instance's URL without a trailing '/' */
	char *auth;                  /* "Authorization: Bearer ..." or NULL; wiped when done */
	const char *headers[2];      /* auth, NULL */
	int interval;                /* seconds between polls when the stream is down */
	char cursor[MASTODON_ID_MAX + 1]; /* the greatest status id read; "" none yet */
};

/* Append to u the REST URL of the source's timeline or search, one page of
 * set.limit statuses immediately newer than min_id (NULL: the newest). */
static void rest_url(const struct mastodon *m, struct buf *u, const char *min_id)
{
	buf_puts(u, m->base);
	switch (m->set.tl) {
	case TL_PUBLIC:
		buf_puts(u, "/api/v1/timelines/public?");
		break;
	case TL_LOCAL:
		buf_puts(u, "/api/v1/timelines/public?local=true&");
		break;
	case TL_TAG:
		buf_puts(u, "/api/v1/timelines/tag/");
		source_url_escape(u, m->set.tag);
		buf_putc(u, '?');
		break;
	case TL_HOME:
		buf_puts(u, "/api/v1/timelines/home?");
		break;
	case TL_SEARCH:
		buf_puts(u, "/api/v2/search?q=");
		source_url_escape(u, m->set.search);
		buf_puts(u, "&type=statuses&resolve=false&");
		break;
	}
	buf_printf(u, "limit=%d", m->set.limit);
	if (min_id)
		buf_printf(u, "&min_id=%s", min_id);
}

/* Fetch and parse the page of url into page.  Returns 0, or the error of
 * the fetch (HORCH_ELIMIT with the wait reported to the runner,
 * HORCH_EIO, HORCH_ETOOBIG, HORCH_ESTOP), of an HTTP status other than
 * 200 (source_http_error()), or of the body (HORCH_EPARSE naming the URL
 * and the place). */
static int fetch_page(struct mastodon *m, const char *url, struct mastodon_page *page,
		      char *prev_min_id, size_t prev_size, struct horch_err *err)
{
	struct source_req req = {
		.url = url,
		.headers = m->auth ? m->headers : NULL,
		.max_bytes = MASTODON_PAGE_MAX,
		.timeout_ms = m->set.timeout_ms,
	};
	struct source_resp resp;
	struct horch_err e;
	int rc;

	source_resp_init(&resp);
	prev_min_id[0] = '\0';
	rc = source_fetch(m->run, &req, &resp, err);
	if (rc == HORCH_ELIMIT && resp.retry_after >= 0)
		source_retry_after(m->run, resp.retry_after);
	if (rc)
		goto out;
	if (resp.status != 200) {
		rc = source_http_error(&req, &resp, err);
		goto out;
	}
	horch_err_clear(&e);
	rc = mastodon_page_parse(resp.body.ptr ? resp.body.ptr : "", resp.body.len,
				 m->set.tl == TL_SEARCH, m->set.host, page, &e);
	if (rc) {
		horch_err_at(err, rc, e.line, e.col, "GET %s: %s", url, e.msg);
		goto out;
	}
	for (size_t i = 0; i < page->n_warnings; i++)
		source_warn(m->run, "GET %s: %s", url, page->warnings[i]);
	if (page->n_bad > page->n_warnings)
		source_warn(m->run, "GET %s: %zu more statuses skipped", url,
			    page->n_bad - page->n_warnings);
	if (page->n_quiet)
		horch_log(LOG_DEBUG, "mastodon", "source=%s quiet=%zu", source_run_conf(m->run)->name,
			  page->n_quiet);
	mastodon_link_param(resp.link, "prev", "min_id", prev_min_id, prev_size);
out:
	source_resp_cleanup(&resp);
	return rc;
}

/* Hand the page's posts to the runner, oldest first.  Returns 0 or
 * HORCH_ESTOP. */
static int emit_page(struct mastodon *m, struct mastodon_page *page)
{
	for (size_t i = 0; i < page->n_posts; i++)
		if (source_emit(m->run, mastodon_page_take(page, i)))
			return HORCH_ESTOP;
	return 0;
}

/* The id from which a poll re-reads lookback seconds before the cursor:
 * a Mastodon id holds its status's milliseconds above its low 16 bits.
 * Copies the cursor itself when it is not such a number. */
static void lookback_id(const char *cursor, int lookback, char out[MASTODON_ID_MAX + 1])
{
	unsigned long long id, ms, back = (unsigned long long)lookback * 1000;
	char *end;

	strcpy(out, cursor);
	if (!lookback || strspn(cursor, "0123456789") != strlen(cursor) || strlen(cursor) > 20)
		return;
	errno = 0;
	id = strtoull(cursor, &end, 10);
	if (errno || *end)
		return;
	ms = id >> 16;
	if (ms <= back)
		return;
	snprintf(out, MASTODON_ID_MAX + 1, "%llu", (ms - back) << 16);
}

/* One poll: without a cursor the newest page, else every page newer than
 * the cursor, max_pages at most (0: until the newest), committing after
 * each.  Returns 0 or the error of a page (the pages before it stay
 * committed). */
static int poll_once(struct mastodon *m, int max_pages, struct horch_err *err)
{
	struct mastodon_page page;
	struct buf url;
	char from[MASTODON_ID_MAX + 1], prev[MASTODON_ID_MAX + 1];
	int rc = 0, first = !m->cursor[0];

	mastodon_page_init(&page);
	buf_init(&url, BUF_NOLIMIT);
	if (!first)
		lookback_id(m->cursor, m->set.lookback, from);
	for (int n = 0; !max_pages || n < max_pages; n++) {
		const char *next;

		if (source_stopping(m->run)) {
			rc = HORCH_ESTOP;
			break;
		}
		buf_reset(&url);
		rest_url(m, &url, first ? NULL : from);
		rc = fetch_page(m, url.ptr, &page, prev, sizeof prev, err);
		if (rc)
			break;
		if ((rc = emit_page(m, &page)))
			break;
		/* Where the next page starts: after the greatest id of this
		 * one, or where the instance's Link says when no id could be
		 * read. */
		next = page.newest[0] ? page.newest : mastodon_id_valid(prev, strlen(prev)) ? prev
										    : NULL;
		if (next && (!m->cursor[0] || mastodon_id_cmp(next, m->cursor) > 0))
			strcpy(m->cursor, next);
		if (first && !m->cursor[0] && page.n_items == 0)
			/* An empty timeline: everything that comes is new, so
			 * the next poll starts from its beginning. */
			strcpy(m->cursor, "0");
		if (m->cursor[0] && (rc = source_commit(m->run, m->cursor)))
			break;
		if (first || page.n_items < (size_t)m->set.limit)
			break;
		if (!next || mastodon_id_cmp(next, from) <= 0) {
			source_warn(m->run, "GET %s: a full page that leads nowhere (no id newer "
				    "than %s); the next poll goes on", url.ptr, from);
			break;
		}
		strcpy(from, next);
		mastodon_page_cleanup(&page);
	}
	mastodon_page_cleanup(&page);
	buf_cleanup(&url);
	return rc;
}

/* ---- the stream ---- */

/* One connection to the streaming API. */
struct stream {
	struct mastodon *m;
	CURL *curl;
	struct mastodon_sse sse;
	struct horch_err *err;       /* the run's: for a failed catch-up */
	int connected;               /* 200 and an event stream: caught up over REST */
	int failed;                  /* what stopped the transfer from a callback: an error */
	int idle;                    /* no byte for set.idle seconds */
	long status;                 /* the HTTP status, once known */
	int64_t last_ns;             /* when the last byte came (monotonic) */
	size_t n_updates;            /* statuses taken from the stream */
};

/* A complete event of the stream. */
static int on_event(void *ctx, const char *event, const char *data, size_t len)
{
	struct stream *s = ctx;
	struct mastodon *m = s->m;
	char id[MASTODON_ID_MAX + 1];
	struct horch_err e;
	struct post *p;
	int update = !strcmp(event, "update"), rc;

	if (!data) {
		source_warn(m->run, "stream: a \"%.40s\" event of more than %zu bytes dropped",
			    event, s->sse.max);
		return 0;
	}
	/* "delete" names a status by its local id only, which horch does
	 * not keep; notifications and the rest are not for a public stream. */
	if (!update && strcmp(event, "status.update"))
		return 0;
	p = post_new();
	horch_err_clear(&e);
	rc = mastodon_status_parse(data, len, m->set.host, p, id, &e);
	if (rc == MASTODON_TAKEN) {
		if (source_emit(m->run, p))
			return HORCH_ESTOP;
		s->n_updates++;
	} else {
		if (rc != MASTODON_QUIET)
			source_warn(m->run, "stream: a \"%s\" event skipped: %s", event, e.msg);
		post_free(p);
	}
	/* A new status moves the cursor, taken or skipped (as in a page);
	 * an edit is an old status and does not. */
	if (update && id[0] && (!m->cursor[0] || mastodon_id_cmp(id, m->cursor) > 0))
		strcpy(m->cursor, id);
	else if (rc != MASTODON_TAKEN)
		return 0;
	return source_commit(m->run, m->cursor);
}

static size_t on_stream(char *p, size_t size, size_t n, void *arg)
{
	struct stream *s = arg;
	size_t len = size * n;
	int rc;

	s->last_ns = horch_mono_ns();
	if (!s->connected) {
		char *type = NULL;

		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &s->status);
		curl_easy_getinfo(s->curl, CURLINFO_CONTENT_TYPE, &type);
		if (s->status != 200 || !type || strncasecmp(type, "text/event-stream", 17))
			return 0;
		s->connected = 1;
		/* The stream is open: what came since the last catch-up is
		 * read over REST before the first event moves the cursor. */
		rc = poll_once(s->m, 0, s->err);
		if (rc) {
			s->failed = rc;
			return 0;
		}
		s->last_ns = horch_mono_ns();
	}
	rc = mastodon_sse_feed(&s->sse, p, len);
	if (rc) {
		s->failed = rc;
		return 0;
	}
	return len;
}

static int on_stream_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
			      curl_off_t ultotal, curl_off_t ulnow)
{
	struct stream *s = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (source_stopping(s->m->run))
		return 1;
	if (horch_mono_ns() - s->last_ns > (int64_t)s->m->set.idle * 1000000000) {
		s->idle = 1;
		return 1;
	}
	return 0;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Open the stream and read it until it ends.  *connected says whether it
 * was opened (and the REST catch-up after its opening done), *updates how
 * many statuses it brought.  Returns 0
 * when the instance ended it; HORCH_ESTOP when the run is stopping; the
 * error of a REST catch-up (*rest set to 1, err filled); else why the
 * stream failed (err filled, with the URL but not the token). */
static int stream_once(struct mastodon *m, int *connected, size_t *updates, int *rest,
		       struct horch_err *err)
{
	struct stream s = { .m = m, .err = err };
	struct curl_slist *headers = NULL;
	struct buf url;
	int https = !strncasecmp(m->base, "https:", 6);
	CURLcode cc;
	int rc = 0;

	*connected = 0;
	*updates = 0;
	*rest = 0;
	buf_init(&url, BUF_NOLIMIT);
	buf_puts(&url, m->base);
	switch (m->set.tl) {
	case TL_LOCAL:
		buf_puts(&url, "/api/v1/streaming/public/local");
		break;
	case TL_TAG:
		buf_puts(&url, "/api/v1/streaming/hashtag?tag=");
		source_url_escape(&url, m->set.tag);
		break;
	case TL_HOME:
		buf_puts(&url, "/api/v1/streaming/user");
		break;
	default:
		buf_puts(&url, "/api/v1/streaming/public");
		break;
	}
	pthread_once(&curl_once, curl_start);
	if (!(s.curl = curl_easy_init())) {
		rc = horch_err_set(err, HORCH_EIO, "stream %s: libcurl did not start", url.ptr);
		goto out;
	}
	mastodon_sse_init(&s.sse, MASTODON_EVENT_MAX, on_event, &s);
	headers = curl_slist_append(headers, "Accept: text/event-stream");
	headers = curl_slist_append(headers, "Cache-Control: no-cache");
	if (m->auth)
		headers = curl_slist_append(headers, m->auth);
	curl_easy_setopt(s.curl, CURLOPT_URL, url.ptr);
	curl_easy_setopt(s.curl, CURLOPT_PROTOCOLS_STR, "http,https");
	/* An instance may redirect its stream to a streaming host of its
	 * own; the token goes along (as Mastodon's apps send it there), but
	 * never from https down to http. */
	curl_easy_setopt(s.curl, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
	curl_easy_setopt(s.curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(s.curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(s.curl, CURLOPT_UNRESTRICTED_AUTH, 1L);
	curl_easy_setopt(s.curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s.curl, CURLOPT_CONNECTTIMEOUT_MS, (long)SOURCE_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(s.curl, CURLOPT_USERAGENT, "horch/" HORCH_VERSION " (+listening)");
	curl_easy_setopt(s.curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(s.curl, CURLOPT_WRITEFUNCTION, on_stream);
	curl_easy_setopt(s.curl, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(s.curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(s.curl, CURLOPT_XFERINFOFUNCTION, on_stream_progress);
	curl_easy_setopt(s.curl, CURLOPT_XFERINFODATA, &s);
	s.last_ns = horch_mono_ns();
	cc = curl_easy_perform(s.curl);
	*connected = s.connected;
	*updates = s.n_updates;
	if (s.failed == HORCH_ESTOP || source_stopping(m->run)) {
		rc = HORCH_ESTOP;
	} else if (s.failed) {
		/* A REST catch-up failed (err is filled), or a commit was
		 * refused. */
		rc = s.failed;
		*rest = 1;
		if (!err->msg[0])
			horch_err_set(err, rc, "stream %s: %s", url.ptr, horch_strerror(rc));
	} else if (s.idle) {
		rc = horch_err_set(err, HORCH_EIO, "stream %s: nothing for %d s (not even a "
				   "heartbeat)", url.ptr, m->set.idle);
	} else if (cc != CURLE_OK && cc != CURLE_WRITE_ERROR) {
		rc = horch_err_set(err, HORCH_EIO, "stream %s: %s", url.ptr, curl_easy_strerror(cc));
	} else {
		char *type = NULL;

		if (!s.status)
			curl_easy_getinfo(s.curl, CURLINFO_RESPONSE_CODE, &s.status);
		curl_easy_getinfo(s.curl, CURLINFO_CONTENT_TYPE, &type);
		if (s.status == 401 || s.status == 403)
			rc = horch_err_set(err, HORCH_EDENIED, "stream %s: HTTP %ld (the instance "
					   "wants a token for its stream)", url.ptr, s.status);
		else if (s.status == 429)
			rc = horch_err_set(err, HORCH_ELIMIT, "stream %s: HTTP 429", url.ptr);
		else if (s.status != 200)
			rc = horch_err_set(err, s.status == 404 || s.status == 410 ? HORCH_ENOTFOUND
					   : HORCH_EIO, "stream %s: HTTP %ld", url.ptr, s.status);
		else if (!s.connected && (!type || strncasecmp(type, "text/event-stream", 17)))
			rc = horch_err_set(err, HORCH_EPARSE, "stream %s: Content-Type \"%.60s\" is not "
					   "text/event-stream", url.ptr, type ? type : "");
		else if (!s.connected)
			rc = horch_err_set(err, HORCH_EIO, "stream %s: closed before it began",
					   url.ptr);
	}
	if (s.connected)
		horch_log(LOG_INFO, "mastodon", "source=%s stream_end=%s updates=%zu dropped=%zu",
			  source_run_conf(m->run)->name, rc ? horch_strerror(rc) : "closed",
			  s.n_updates, s.sse.n_dropped);
out:
	mastodon_sse_cleanup(&s.sse);
	curl_slist_free_all(headers);
	if (s.curl)
		curl_easy_cleanup(s.curl);
	buf_cleanup(&url);
	return rc;
}

/* A streaming source: catch up, then read the stream; when the stream
 * ends, catch up and open it again; when it cannot be opened, poll every
 * interval and try the stream again after a pause that doubles up to
 * STREAM_BACKOFF_MAX.  Returns only for a stop (HORCH_ESTOP) or a failed
 * REST poll (its error, for the runner's back-off). */
static int run_stream(struct mastodon *m, struct horch_err *err)
{
	int pause = 0, rc;

	rc = poll_once(m, 0, err);
	while (!rc) {
		struct horch_err serr;
		int64_t began = horch_mono_ns(), until;
		size_t updates = 0;
		int connected = 0, rest = 0;

		horch_err_clear(&serr);
		rc = stream_once(m, &connected, &updates, &rest, &serr);
		if (rc == HORCH_ESTOP)
			break;
		if (rest) {
			*err = serr;
			break;
		}
		/* A stream that ran a while, or brought statuses, was good:
		 * open it again at once, after reading what came meanwhile. */
		if (connected && (updates || horch_mono_ns() - began > 10 * (int64_t)1000000000)) {
			pause = 0;
			if (rc)
				source_warn(m->run, "%s; reopening it", serr.msg);
			if (source_sleep(m->run, 1000)) {
				rc = HORCH_ESTOP;
				break;
			}
			rc = poll_once(m, 0, err);
			continue;
		}
		pause = pause ? pause * 2 : 2 * m->interval;
		if (pause > STREAM_BACKOFF_MAX)
			pause = STREAM_BACKOFF_MAX;
		source_warn(m->run, "%s; polling every %d s, the stream again in %d s",
			    rc ? serr.msg : "stream: closed at once", m->interval, pause);
		until = horch_mono_ns() + (int64_t)pause * 1000000000;
		for (;;) {
			int64_t left;

			if ((rc = poll_once(m, m->set.pages, err)))
				break;
			left = (until - horch_mono_ns()) / 1000000;
			if (left <= 0)
				break;
			if (source_sleep(m->run, left < m->interval * 1000 ? (int)left
								      : m->interval * 1000)) {
				rc = HORCH_ESTOP;
				break;
			}
		}
	}
	return rc;
}

static int run(struct source_run *r, struct horch_err *err)
{
	const struct source_conf *c = source_run_conf(r);
	const char *raw, *token, *cursor = source_run_cursor(r);
	struct mastodon m = { .run = r };
	size_t len;
	int rc;

	rc = read_settings(c, &m.set, err);
	if (rc)
		return rc;
	len = strlen(c->url);
	while (len && c->url[len - 1] == '/')
		len--;
	m.base = horch_xstrndup(c->url, len);
	raw = source_param(c, "token");
	token = source_secret(c, "token");
	if (raw) {
		/* Only the variable's name is shown, never a token. */
		if (!token || !*token) {
			rc = horch_err_set(err, HORCH_EINVAL, "setting \"token\": %s%.64s%s",
					   token ? "empty" : "the environment variable ",
					   token ? "" : raw + 4, token ? "" : " is not set");
			goto out;
		}
		for (const char *t = token; *t; t++) {
			if ((unsigned char)*t <= ' ' || *t == 0x7f) {
				rc = horch_err_set(err, HORCH_EINVAL, "setting \"token\": a blank or "
						   "control character in it");
				goto out;
			}
		}
		m.auth = horch_xmalloc(strlen(token) + 24);
		sprintf(m.auth, "Authorization: Bearer %s", token);
		m.headers[0] = m.auth;
	}
	m.interval = c->interval > 0 ? c->interval : DEFAULT_INTERVAL;
	if (cursor && *cursor) {
		if (mastodon_id_valid(cursor, strlen(cursor)))
			strcpy(m.cursor, cursor);
		else
			source_warn(r, "the stored cursor \"%.40s\" is not a status id: starting "
				    "from the newest page", cursor);
	}
	rc = m.set.stream ? run_stream(&m, err) : poll_once(&m, m.set.pages, err);
out:
	if (m.auth) {
		explicit_bzero(m.auth, strlen(m.auth));
		free(m.auth);
	}
	free(m.base);
	return rc;
}

static const struct source_key keys[] = {
	{ "timeline", 0, "public (the default), local, tag:NAME, or home (the token's)" },
	{ "search", 0, "search terms instead of a timeline (most instances want a token)" },
	{ "token", 0, "an access token of the instance (Bearer), or env:NAME" },
	{ "stream", 0, "yes: the streaming API (falls back to polling); no (default): poll" },
	{ "limit", 0, "statuses per page, 1 to 40 (default 40)" },
	{ "pages", 0, "pages one poll reads at most, 1 to 1000 (default 100)" },
	{ "timeout", 0, "seconds one request may take (default 30)" },
	{ "idle", 0, "seconds a stream may stay silent before it is reopened (default 60)" },
	{ "lookback", 0, "seconds before the cursor each poll reads again, for late "
			 "federated statuses (default 0)" },
	{ NULL, 0, NULL },
};

const struct connector connector_mastodon = {
	.kind = "mastodon",
	.summary = "a Mastodon instance's public, local or hashtag timeline or a search "
		   "(REST, or its streaming API)",
	.default_url = NULL,
	.interval = DEFAULT_INTERVAL,
	.keys = keys,
	.streams = streams,
	.check = check,
	.run = run,
};
