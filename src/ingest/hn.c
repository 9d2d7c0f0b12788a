/* hn.c - the Hacker News connector: stories and comments that match a
 * query, through Algolia's HN Search API (search_by_date; see
 * connector.h and https://hn.algolia.com/api).
 *
 * search_by_date answers newest first, hitsPerPage at a time, and pages
 * through at most 1000 hits of one query.  A poll asks for the hits at or
 * after the cursor's second (numericFilters=created_at_i>=T) and reads
 * page after page until nbPages.  From the second page on it also bounds
 * the query by the first page's newest second, so that hits arriving
 * during the walk do not push the pages down.  When the query has more
 * hits than Algolia pages to, the walk goes on with a new query bounded
 * by the oldest second read (created_at_i<=L).
 *
 * The cursor: the newest second stored and the objectIDs of that second
 * (equal timestamps are frequent and come in any order, so that a second
 * is neither skipped nor read twice), and, while a walk is unfinished (a
 * kill, the page cap, a rate limit), its top and the oldest second it read
 * with the objectIDs read there.  Until the walk reaches the old cursor,
 * the committed cursor keeps the old one beside that place, so a crash
 * re-reads at most a page and skips nothing.
 *
 * The first poll of a source without a cursor reads back to "since"
 * (default: one day). */
#include "hn.h"
#include "connector.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/json.h"

#define DEFAULT_URL "https://hn.algolia.com"
#define DEFAULT_TAGS "(story,comment)"
#define DEFAULT_SINCE "1d"
#define ITEM_URL "https://news.ycombinator.com/item?id="
#define DEFAULT_INTERVAL 300        /* seconds between polls */
#define DEFAULT_PAGES 10            /* pages per poll */
#define PAGES_MAX 1000
#define DEFAULT_HITS 100            /* hitsPerPage */
#define HITS_MAX 1000               /* Algolia's own limit */
#define TIMEOUT_MAX 3600            /* seconds, the "timeout" setting's cap */
#define PAGE_MAX_BYTES (16u << 20)  /* bytes of one answer */
#define URL_MAX 4096
#define SETTING_MAX 512             /* bytes of the query or tags setting */
#define WHY_MAX 300
/* Seconds: a created_at_i at or beyond this is not a time (nor could the
 * cursor's mark keep it). */
#define TIME_MAX SOURCE_MARK_SECONDS_MAX

/* ---- reading an answer ---- */

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int valid_id(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len <= HN_ID_MAX && strspn(s, "0123456789") == len;
}

/* An id that Algolia gives as a number or a string, into out; 0 or -1. */
static int id_of(const json_t *v, char out[HN_ID_MAX + 1])
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(out, HN_ID_MAX + 1, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	if (json_is_string(v) && valid_id(json_string_value(v))) {
		snprintf(out, HN_ID_MAX + 1, "%s", json_string_value(v));
		return 0;
	}
	return -1;
}

static int64_t count_of(const json_t *v)
{
	json_int_t n;

	if (!json_is_integer(v))
		return POST_COUNT_NONE;
	n = json_integer_value(v);
	return n < 0 ? 0 : (int64_t)n;
}

static int has_tag(const json_t *tags, const char *tag)
{
	for (size_t i = 0; i < json_array_size(tags); i++) {
		const json_t *t = json_array_get(tags, i);

		if (json_is_string(t) && !strcmp(json_string_value(t), tag))
			return 1;
	}
	return 0;
}

/* Turn hit i into *out.  Returns 1 for a post, -1 for a hit to report,
 * with the reason in why. */
static int read_hit(const json_t *hit, size_t i, struct hn_item *out, char *why, size_t why_len)
{
	const json_t *tags, *at;
	const char *s, *text;
	char id[HN_ID_MAX + 1], parent[HN_ID_MAX + 1];
	struct horch_err verr;
	struct post *p;
	int64_t created;
	int comment;

	if (!json_is_object(hit)) {
		snprintf(why, why_len, "hit %zu: not an object", i);
		return -1;
	}
	if (id_of(json_object_get(hit, "objectID"), id)) {
		snprintf(why, why_len, "hit %zu: no valid \"objectID\"", i);
		return -1;
	}
	at = json_object_get(hit, "created_at_i");
	if (json_is_integer(at)) {
		created = json_integer_value(at);
	} else if ((s = jstr(hit, "created_at")) &&
		   horch_time_parse(s, strlen(s), &created, NULL) == 0) {
		created = created / 1000;
	} else {
		snprintf(why, why_len, "hit %s: no valid \"created_at_i\" or \"created_at\"", id);
		return -1;
	}
	if (created < 0 || created >= TIME_MAX) {
		snprintf(why, why_len, "hit %s: \"created_at_i\" out of range", id);
		return -1;
	}
	tags = json_object_get(hit, "_tags");
	text = jstr(hit, "comment_text");
	comment = has_tag(tags, "comment") || (!has_tag(tags, "story") && text);
	if (!comment)
		text = jstr(hit, "story_text");

	p = post_new();
	p->source = horch_xstrdup("hackernews");
	p->external_id = horch_xstrdup(id);
	p->url = horch_xmalloc(sizeof ITEM_URL + strlen(id));
	memcpy(p->url, ITEM_URL, sizeof ITEM_URL - 1);
	strcpy(p->url + sizeof ITEM_URL - 1, id);
	p->created_at = created * 1000;
	p->kind = comment ? POST_KIND_COMMENT : POST_KIND_POST;
	if (text && *text)
		p->html = horch_xstrdup(text);
	if (!comment && (s = jstr(hit, "title")) && *s)
		p->title = horch_xstrdup(s);
	if ((s = jstr(hit, "author")) && *s)
		p->author = horch_xstrdup(s);
	if (comment && id_of(json_object_get(hit, "parent_id"), parent) == 0)
		p->parent = horch_xstrdup(parent);
	p->likes = count_of(json_object_get(hit, "points"));
	if (!comment)
		p->replies = count_of(json_object_get(hit, "num_comments"));
	if (post_validate(p, &verr)) {
		snprintf(why, why_len, "hit %s: %.200s", id, verr.msg);
		post_free(p);
		return -1;
	}
	out->post = p;
	out->created = created;
	return 1;
}

/* The integer field key of o into *out (0 when absent).  0 or -1. */
static int int_field(const json_t *o, const char *key, long *out)
{
	const json_t *v = json_object_get(o, key);

	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 1000000000)
		return -1;
	*out = (long)json_integer_value(v);
	return 0;
}

int hn_parse(const char *body, size_t len, const char *where, struct hn_page *out,
	     hn_warn_fn warn, void *ctx, struct horch_err *err)
{
	static const char *const ints[] = { "page", "nbPages", "nbHits", "hitsPerPage" };
	json_error_t jerr;
	json_t *root, *hits;
	long *fields[4];
	int rc = 0;

	memset(out, 0, sizeof *out);
	fields[0] = &out->page;
	fields[1] = &out->nb_pages;
	fields[2] = &out->nb_hits;
	fields[3] = &out->hits_per_page;
	root = json_loadb(body, len, 0, &jerr);
	if (!root)
		return horch_err_at(err, HORCH_EPARSE, jerr.line, jerr.column,
				    "%s: not JSON at byte %d (line %d, column %d): %s", where,
				    jerr.position, jerr.line, jerr.column, jerr.text);
	hits = json_object_get(root, "hits");
	if (!json_is_object(root) || !json_is_array(hits)) {
		rc = horch_err_set(err, HORCH_EPARSE, "%s: not a search answer (an object with "
				   "\"hits\": [...])", where);
		goto out;
	}
	for (size_t k = 0; k < 4; k++) {
		if (int_field(root, ints[k], fields[k])) {
			rc = horch_err_set(err, HORCH_EPARSE, "%s: field %s is not a count", where,
					   ints[k]);
			goto out;
		}
	}
	out->n_hits = json_array_size(hits);
	if (out->n_hits)
		out->items = horch_xcalloc(out->n_hits, sizeof *out->items);
	for (size_t i = 0; i < out->n_hits; i++) {
		char why[WHY_MAX];

		if (read_hit(json_array_get(hits, i), i, &out->items[out->n], why, sizeof why) > 0) {
			out->n++;
		} else {
			out->n_skipped++;
			if (warn)
				warn(ctx, why);
		}
	}
out:
	json_decref(root);
	if (rc)
		hn_page_cleanup(out);
	return rc;
}

void hn_page_cleanup(struct hn_page *pg)
{
	if (!pg)
		return;
	for (size_t i = 0; i < pg->n; i++)
		post_free(pg->items[i].post);
	free(pg->items);
	memset(pg, 0, sizeof *pg);
}

/* ---- the cursor ---- */

static const struct source_mark_caps mark_caps = { HN_IDS_MAX, 0, 0 };

void hn_cursor_init(struct hn_cursor *c)
{
	source_mark_init(&c->seen, &mark_caps);
	source_mark_init(&c->top, &mark_caps);
	source_mark_init(&c->low, &mark_caps);
}

void hn_cursor_cleanup(struct hn_cursor *c)
{
	if (!c)
		return;
	source_mark_cleanup(&c->seen);
	source_mark_cleanup(&c->top);
	source_mark_cleanup(&c->low);
}

int hn_cursor_read(struct hn_cursor *c, const char *s, struct horch_err *err)
{
	json_t *root;
	int rc;

	hn_cursor_cleanup(c);
	if ((rc = source_mark_cursor(&root, s, err)) || !root)
		return rc;
	rc = source_mark_read(&c->seen, root, "t", "ids", valid_id, err);
	if (!rc)
		rc = source_mark_read(&c->top, root, "top_t", "top_ids", valid_id, err);
	if (!rc)
		rc = source_mark_read(&c->low, root, "low_t", "low_ids", valid_id, err);
	if (!rc && ((c->top.t >= 0) != (c->low.t >= 0) || (c->top.t >= 0 && c->low.t > c->top.t)))
		rc = horch_err_set(err, HORCH_EPARSE, "cursor: a walk needs a top and a low, the "
				   "low not above the top");
	if (rc)
		hn_cursor_cleanup(c);
	json_decref(root);
	return rc;
}

int hn_cursor_write(const struct hn_cursor *c, struct buf *out)
{
	int first = 1, rc;

	buf_reset(out);
	if ((rc = buf_putc(out, '{')) ||
	    (rc = source_mark_write(out, "t", "ids", &c->seen, &first)) ||
	    (rc = source_mark_write(out, "top_t", "top_ids", &c->top, &first)) ||
	    (rc = source_mark_write(out, "low_t", "low_ids", &c->low, &first)))
		return rc;
	return buf_putc(out, '}');
}

/* ---- settings ---- */

static const struct source_key keys[] = {
	{ "query", 0, "words to search for (default: every story and comment)" },
	{ "tags", 0, "Algolia tags: \"(story,comment)\" (the default), \"story\", "
		     "\"comment\", \"author_NAME\", \"story_ID\", joined by commas" },
	{ "since", 0, "how far back the first poll reads: 1d (the default), 12h, or a date" },
	{ "pages", 0, "pages read per poll (default 10)" },
	{ "hits", 0, "hits per page, 1 to 1000 (default 100)" },
	{ "timeout", 0, "seconds one request may take (default 30)" },
	{ NULL, 0, NULL },
};

/* The time "since" names, in seconds, into *out. */
static int setting_since(const struct source_conf *c, int64_t *out, struct horch_err *err)
{
	const char *v = source_param(c, "since");
	struct horch_err terr;
	int64_t ms;

	if (!v)
		v = DEFAULT_SINCE;
	if (horch_time_parse_relative(v, horch_now(), &ms, &terr) || ms < 0)
		return horch_err_set(err, HORCH_EINVAL, "setting \"since\": \"%.64s\" is neither "
				     "a span (1d, 12h) nor a time", v);
	*out = ms / 1000;
	return 0;
}

static int check(const struct source_conf *c, struct horch_err *err)
{
	const char *q = source_param(c, "query"), *tags = source_param(c, "tags");
	int64_t since;
	int n, rc;

	if (q && strlen(q) > SETTING_MAX)
		return horch_err_set(err, HORCH_EINVAL, "setting \"query\": longer than %d bytes",
				     SETTING_MAX);
	if (tags && (!*tags || strlen(tags) > SETTING_MAX ||
		     strspn(tags, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-(),") != strlen(tags)))
		return horch_err_set(err, HORCH_EINVAL, "setting \"tags\": tags of letters, digits "
				     "and '_', joined by ',' and grouped by '(' ')'");
	if ((rc = source_int_param(c, "pages", DEFAULT_PAGES, 1, PAGES_MAX, &n, err)) ||
	    (rc = source_int_param(c, "hits", DEFAULT_HITS, 1, HITS_MAX, &n, err)) ||
	    (rc = source_timeout_param(c, TIMEOUT_MAX, &n, err)) ||
	    (rc = setting_since(c, &since, err)))
		return rc;
	if (c->url && strncmp(c->url, "http://", 7) && strncmp(c->url, "https://", 8))
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": an http:// or https:// "
				     "URL");
	return 0;
}

/* ---- a poll ---- */

struct poll {
	struct source_run *r;
	const char *base;         /* the url without trailing '/' */
	size_t base_len;
	const char *query, *tags;
	int hits;
	int timeout_ms;
	struct hn_cursor cur;
	struct buf cbuf;
};

static int commit(struct poll *pl)
{
	int rc = hn_cursor_write(&pl->cur, &pl->cbuf);

	return rc ? rc : source_commit(pl->r, pl->cbuf.ptr);
}

/* Fetch page of the hits at or after second from (none when < 0) and at
 * or before second to (none when < 0).  Returns 0 with *pg filled, or an
 * error. */
static int fetch_page(struct poll *pl, int64_t from, int64_t to, long page, struct hn_page *pg,
		      struct horch_err *err)
{
	struct source_req req = { 0 };
	struct source_resp resp;
	struct buf url;
	char filters[96];
	int rc;

	memset(pg, 0, sizeof *pg);
	buf_init(&url, URL_MAX);
	source_resp_init(&resp);
	filters[0] = 0;
	if (from >= 0)
		snprintf(filters, sizeof filters, "created_at_i>=%lld", (long long)from);
	if (to >= 0)
		snprintf(filters + strlen(filters), sizeof filters - strlen(filters),
			 "%screated_at_i<=%lld", from >= 0 ? "," : "", (long long)to);
	if (buf_append(&url, pl->base, pl->base_len) ||
	    buf_puts(&url, "/api/v1/search_by_date?query=") || source_url_escape(&url, pl->query) ||
	    buf_puts(&url, "&tags=") || source_url_escape(&url, pl->tags) ||
	    (filters[0] && (buf_puts(&url, "&numericFilters=") || source_url_escape(&url, filters))) ||
	    buf_printf(&url, "&hitsPerPage=%d&page=%ld", pl->hits, page)) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "a request URL of more than %d bytes",
				   URL_MAX);
		goto out;
	}
	req.url = url.ptr;
	req.max_bytes = PAGE_MAX_BYTES;
	req.timeout_ms = pl->timeout_ms;
	if ((rc = source_fetch(pl->r, &req, &resp, err)))
		goto out;
	if (resp.status != 200) {
		rc = source_http_error(&req, &resp, err);
		goto out;
	}
	rc = hn_parse(resp.body.ptr ? resp.body.ptr : "", resp.body.len,
		      "/api/v1/search_by_date", pg, source_warn_cb, pl->r, err);
out:
	source_resp_cleanup(&resp);
	buf_cleanup(&url);
	return rc;
}

/* The walk is over: the cursor moves to its top. */
static void finish_walk(struct hn_cursor *c)
{
	source_mark_advance(&c->seen, &c->top);
	source_mark_cleanup(&c->low);
}

static int run(struct source_run *r, struct horch_err *err)
{
	const struct source_conf *c = source_run_conf(r);
	struct poll pl = { 0 };
	struct horch_err cerr;
	int64_t since, from, bound;
	long page = 0;
	int pages_max, pages = 0, emitted = 0, rc;

	hn_cursor_init(&pl.cur);
	buf_init(&pl.cbuf, SOURCE_CURSOR_MAX);
	if ((rc = check(c, err)) ||
	    (rc = source_int_param(c, "pages", DEFAULT_PAGES, 1, PAGES_MAX, &pages_max, err)) ||
	    (rc = source_int_param(c, "hits", DEFAULT_HITS, 1, HITS_MAX, &pl.hits, err)) ||
	    (rc = source_timeout_param(c, TIMEOUT_MAX, &pl.timeout_ms, err)) ||
	    (rc = setting_since(c, &since, err)))
		goto out;
	pl.r = r;
	pl.base = c->url && *c->url ? c->url : DEFAULT_URL;
	pl.base_len = strlen(pl.base);
	while (pl.base_len && pl.base[pl.base_len - 1] == '/')
		pl.base_len--;
	pl.query = source_param(c, "query") ? source_param(c, "query") : "";
	pl.tags = source_param(c, "tags") ? source_param(c, "tags") : DEFAULT_TAGS;
	if (hn_cursor_read(&pl.cur, source_run_cursor(r), &cerr))
		source_warn(r, "%s; reading again from \"since\"", cerr.msg);

	/* A first poll starts at "since", which the cursor keeps from then
	 * on, so that a walk cut short reads back to the same second. */
	if (pl.cur.seen.t < 0)
		pl.cur.seen.t = since;
	from = pl.cur.seen.t;
	/* An unfinished walk goes on below its oldest second. */
	bound = pl.cur.top.t >= 0 ? pl.cur.low.t : -1;
	for (;;) {
		struct hn_page pg;
		int last;

		if (pages >= pages_max) {
			source_warn(r, "%d pages read without reaching the cursor; the next poll goes "
				    "on from there", pages);
			break;
		}
		if ((rc = fetch_page(&pl, from, bound, page, &pg, err)))
			goto out;
		pages++;
		for (size_t i = 0; i < pg.n; i++) {
			struct hn_item *it = &pg.items[i];
			const char *id = it->post->external_id;
			int old = it->created < pl.cur.seen.t ||
				  source_mark_has(&pl.cur.seen, it->created, id) ||
				  source_mark_has(&pl.cur.low, it->created, id);

			source_mark_newest(&pl.cur.top, it->created, id);
			source_mark_oldest(&pl.cur.low, it->created, id);
			if (old)
				continue;
			rc = source_emit(r, it->post);
			it->post = NULL;
			emitted = 1;
			if (rc) {
				hn_page_cleanup(&pg);
				goto out;
			}
		}
		last = pg.n_hits == 0 || pg.page + 1 >= pg.nb_pages;
		if (last && pg.nb_hits > pg.nb_pages * pg.hits_per_page && pl.cur.low.t >= 0) {
			/* Algolia pages through 1000 hits only: a new query
			 * goes on below the oldest second read, unless it
			 * found nothing new (more than 1000 hits of one
			 * second, which would not end). */
			if (emitted) {
				bound = pl.cur.low.t;
				page = 0;
				emitted = 0;
				last = 0;
			} else {
				source_warn(r, "more hits at second %lld than Algolia pages through; "
					    "some are missed", (long long)pl.cur.low.t);
			}
		} else if (!last) {
			page++;
			/* Later pages: the same hits as the first one's. */
			if (bound < 0)
				bound = pl.cur.top.t;
		}
		hn_page_cleanup(&pg);
		if (last)
			finish_walk(&pl.cur);
		if ((rc = commit(&pl)))
			goto out;
		if (last)
			break;
	}
out:
	hn_cursor_cleanup(&pl.cur);
	buf_cleanup(&pl.cbuf);
	return rc;
}

const struct connector connector_hn = {
	.kind = "hn",
	.summary = "Hacker News: stories and comments matching a query (Algolia's HN Search)",
	.default_url = DEFAULT_URL,
	.interval = DEFAULT_INTERVAL,
	.keys = keys,
	.check = check,
	.run = run,
};
