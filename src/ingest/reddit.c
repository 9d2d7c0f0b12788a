/* reddit.c - the Reddit connector: the new posts of subreddits, a search
 * (of all of Reddit or within the subreddits), and the new comments of the
 * subreddits, read from Reddit's JSON listings (see connector.h).
 *
 * A listing is newest first and pages backwards with `after` (the fullname
 * of the last item of a page).  A poll walks each listing down from its top
 * until it meets an item at or before the cursor, the end of the listing,
 * or the page cap, and commits after every page.  Reddit's `before` is not
 * used: it pages upwards from an item and answers an empty page when that
 * item has been removed or has left the listing, so a source whose newest
 * post was deleted would hear nothing new again.  Walking down from the top
 * only needs times and fullnames, which no removal changes.
 *
 * The cursor holds, per listing, the second of the newest item stored and
 * the fullnames of that second (items of one second come in any order),
 * and, while a walk is unfinished (a kill, the page cap, a rate limit), the
 * fullname it goes on after and the top it started from.  Until a walk
 * reaches the old cursor the committed cursor stays the old one plus that
 * position, so that a crash mid-walk re-reads at most a page and never
 * skips the part of the listing between the walk and the old cursor.
 *
 * Rate limits: 429 (source_fetch() turns it into HORCH_ELIMIT), and
 * Reddit's X-Ratelimit-Remaining / X-Ratelimit-Reset headers: when a
 * response says nothing remains, the page is stored and the poll ends with
 * HORCH_ELIMIT and the reset's seconds.  The token (OAuth bearer) is only
 * ever put in the Authorization header. */
#include "reddit.h"
#include "connector.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/json.h"
#include "../core/log.h"

#define DEFAULT_URL "https://www.reddit.com"
#define OAUTH_URL "https://oauth.reddit.com"   /* the default with a token */
#define PERMALINK_BASE "https://www.reddit.com"
#define DEFAULT_INTERVAL 300                   /* seconds between polls */
#define DEFAULT_PAGES 10                       /* pages per listing per poll (1000 items) */
#define PAGES_MAX 100
#define LISTING_MAX (8u << 20)                 /* bytes of one page */
#define URL_MAX 4096                           /* bytes of a request URL */
#define TIMEOUT_MAX 3600                       /* seconds, the "timeout" setting's cap */
#define SETTING_MAX 512                        /* bytes of a subreddit or search setting */
#define WHY_MAX 300                            /* bytes of a skipped item's reason */
#define CREATED_MAX 1e11                       /* created_utc beyond this is not a time */

/* ---- reading a listing ---- */

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* 1 when s is a fullname of kind ("t3_" followed by base-36 digits) that
 * fits a cursor; kind NULL accepts any "tN_". */
static int valid_fullname(const char *s, const char *kind)
{
	size_t len = strlen(s), i;

	if (len < 4 || len > REDDIT_FULLNAME_MAX || s[0] != 't' || !isdigit((unsigned char)s[1]) ||
	    s[2] != '_')
		return 0;
	if (kind && strncmp(s, kind, 2) != 0)
		return 0;
	for (i = 3; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'z'))
			return 0;
	return 1;
}

static int removed_text(const char *s)
{
	return !s || !*s || !strcmp(s, "[removed]") || !strcmp(s, "[deleted]");
}

/* A count Reddit gives (a score may be negative: stored as 0). */
static int64_t count_of(const json_t *v)
{
	double d;

	if (!json_is_number(v))
		return POST_COUNT_NONE;
	d = json_number_value(v);
	if (!(d >= 0))
		return 0;
	return d > 9e15 ? (int64_t)9e15 : (int64_t)d;
}

/* Turn child i of a listing into *out.  Returns 1 for a post, 0 for a
 * child to leave out without a word (a "more" stub, a removed comment),
 * -1 for one to report, with the reason in why. */
static int read_child(const json_t *child, size_t i, struct reddit_item *out, char *why,
		      size_t why_len)
{
	const json_t *data = json_object_get(child, "data"), *cu;
	const char *kind = jstr(child, "kind"), *name, *id, *s;
	char fullname[REDDIT_FULLNAME_MAX + 8];
	struct horch_err verr;
	struct post *p;
	double created;
	int comment;

	if (!json_is_object(child) || !kind || !json_is_object(data)) {
		snprintf(why, why_len, "child %zu: not an object with \"kind\" and \"data\"", i);
		return -1;
	}
	if (!strcmp(kind, "more"))
		return 0;
	if (strcmp(kind, "t3") && strcmp(kind, "t1")) {
		snprintf(why, why_len, "child %zu: kind \"%.16s\" is neither a post (t3) nor a "
			 "comment (t1)", i, kind);
		return -1;
	}
	comment = kind[1] == '1';
	name = jstr(data, "name");
	if (!name && (id = jstr(data, "id")) && strlen(id) <= REDDIT_FULLNAME_MAX) {
		snprintf(fullname, sizeof fullname, "%s_%s", kind, id);
		name = fullname;
	}
	if (!name || !valid_fullname(name, kind)) {
		snprintf(why, why_len, "child %zu: no valid \"name\" (fullname %s_...)", i, kind);
		return -1;
	}
	cu = json_object_get(data, "created_utc");
	created = json_is_number(cu) ? json_number_value(cu) : -1;
	if (!(created >= 0 && created < CREATED_MAX)) {
		snprintf(why, why_len, "%s: no valid \"created_utc\"", name);
		return -1;
	}
	s = jstr(data, comment ? "body" : "selftext");
	if (comment && !s) {
		snprintf(why, why_len, "%s: no \"body\"", name);
		return -1;
	}
	if (comment && removed_text(s))
		return 0;

	p = post_new();
	p->source = horch_xstrdup("reddit");
	p->external_id = horch_xstrdup(name);
	p->kind = comment ? POST_KIND_COMMENT : POST_KIND_POST;
	p->created_at = (int64_t)floor(created * 1000.0);
	if (!removed_text(s))
		p->text = horch_xstrdup(s);
	if (!comment && (s = jstr(data, "title")) && *s)
		p->title = horch_xstrdup(s);
	if ((s = jstr(data, "author")) && *s && strcmp(s, "[deleted]"))
		p->author = horch_xstrdup(s);
	if ((s = jstr(data, "permalink")) && s[0] == '/') {
		p->url = horch_xmalloc(sizeof PERMALINK_BASE + strlen(s));
		memcpy(p->url, PERMALINK_BASE, sizeof PERMALINK_BASE - 1);
		strcpy(p->url + sizeof PERMALINK_BASE - 1, s);
	}
	if (comment && (s = jstr(data, "parent_id")) && valid_fullname(s, NULL))
		p->parent = horch_xstrdup(s);
	p->likes = count_of(json_object_get(data, "score"));
	if (!comment)
		p->replies = count_of(json_object_get(data, "num_comments"));
	if (post_validate(p, &verr)) {
		snprintf(why, why_len, "%s: %.200s", name, verr.msg);
		post_free(p);
		return -1;
	}
	out->post = p;
	out->created = (int64_t)floor(created);
	return 1;
}

static void warnf(reddit_warn_fn warn, void *ctx, const char *msg)
{
	if (warn)
		warn(ctx, msg);
}

int reddit_parse(const char *body, size_t len, const char *where, struct reddit_page *out,
		 reddit_warn_fn warn, void *ctx, struct horch_err *err)
{
	json_error_t jerr;
	json_t *root, *data, *children, *after;
	const char *kind;
	int rc = 0;

	memset(out, 0, sizeof *out);
	root = json_loadb(body, len, 0, &jerr);
	if (!root)
		return horch_err_at(err, HORCH_EPARSE, jerr.line, jerr.column,
				    "%s: not JSON at byte %d (line %d, column %d): %s", where,
				    jerr.position, jerr.line, jerr.column, jerr.text);
	kind = jstr(root, "kind");
	data = json_object_get(root, "data");
	if (!kind || strcmp(kind, "Listing") || !json_is_object(data)) {
		rc = horch_err_set(err, HORCH_EPARSE, "%s: not a Listing (an object with "
				   "\"kind\": \"Listing\" and \"data\")", where);
		goto out;
	}
	children = json_object_get(data, "children");
	if (!json_is_array(children)) {
		rc = horch_err_set(err, HORCH_EPARSE, "%s: field data.children is not an array",
				   where);
		goto out;
	}
	after = json_object_get(data, "after");
	if (json_is_string(after)) {
		if (!valid_fullname(json_string_value(after), NULL)) {
			rc = horch_err_set(err, HORCH_EPARSE, "%s: field data.after is not a "
					   "fullname", where);
			goto out;
		}
		out->after = horch_xstrdup(json_string_value(after));
	} else if (after && !json_is_null(after)) {
		rc = horch_err_set(err, HORCH_EPARSE, "%s: field data.after is neither a string "
				   "nor null", where);
		goto out;
	}
	out->n_children = json_array_size(children);
	if (out->n_children)
		out->items = horch_xcalloc(out->n_children, sizeof *out->items);
	for (size_t i = 0; i < out->n_children; i++) {
		char why[WHY_MAX];
		int got = read_child(json_array_get(children, i), i, &out->items[out->n], why,
				     sizeof why);

		if (got > 0) {
			out->n++;
		} else if (got < 0) {
			out->n_skipped++;
			warnf(warn, ctx, why);
		}
	}
out:
	json_decref(root);
	if (rc)
		reddit_page_cleanup(out);
	return rc;
}

void reddit_page_cleanup(struct reddit_page *pg)
{
	if (!pg)
		return;
	for (size_t i = 0; i < pg->n; i++)
		post_free(pg->items[i].post);
	free(pg->items);
	free(pg->after);
	memset(pg, 0, sizeof *pg);
}

/* ---- the cursor ---- */

static const struct source_mark_caps mark_caps = { REDDIT_IDS_MAX, 0, 0 };

/* 1 when s is a fullname of any kind: what a cursor's marks hold. */
static int any_fullname(const char *s)
{
	return valid_fullname(s, NULL);
}

static void walk_init(struct reddit_walk *w)
{
	source_mark_init(&w->seen, &mark_caps);
	source_mark_init(&w->top, &mark_caps);
	w->after = NULL;
}

static void walk_cleanup(struct reddit_walk *w)
{
	source_mark_cleanup(&w->seen);
	source_mark_cleanup(&w->top);
	free(w->after);
	w->after = NULL;
}

void reddit_cursor_init(struct reddit_cursor *c)
{
	walk_init(&c->posts);
	walk_init(&c->comments);
}

void reddit_cursor_cleanup(struct reddit_cursor *c)
{
	if (!c)
		return;
	walk_cleanup(&c->posts);
	walk_cleanup(&c->comments);
}

/* Read a listing's part o (NULL: none) of the cursor into w.  Returns 0 or
 * HORCH_EPARSE with err saying what is wrong. */
static int read_walk(const json_t *o, struct reddit_walk *w, struct horch_err *err)
{
	const json_t *after;
	int rc;

	if (!o)
		return 0;
	if (!json_is_object(o))
		return horch_err_set(err, HORCH_EPARSE, "cursor: a listing's part is not an object");
	if ((rc = source_mark_read(&w->seen, o, "t", "ids", any_fullname, err)) ||
	    (rc = source_mark_read(&w->top, o, "top_t", "top_ids", any_fullname, err)))
		return rc;
	after = json_object_get(o, "after");
	if (after) {
		if (!json_is_string(after) || !valid_fullname(json_string_value(after), NULL))
			return horch_err_set(err, HORCH_EPARSE, "cursor: \"after\" is not a "
					     "fullname");
		w->after = horch_xstrdup(json_string_value(after));
	}
	return 0;
}

int reddit_cursor_read(struct reddit_cursor *c, const char *s, struct horch_err *err)
{
	json_t *root;
	int rc;

	reddit_cursor_cleanup(c);
	if ((rc = source_mark_cursor(&root, s, err)) || !root)
		return rc;
	rc = read_walk(json_object_get(root, "posts"), &c->posts, err);
	if (!rc)
		rc = read_walk(json_object_get(root, "comments"), &c->comments, err);
	if (rc)
		reddit_cursor_cleanup(c);
	json_decref(root);
	return rc;
}

static int write_walk(struct buf *out, const char *name, const struct reddit_walk *w,
		      int *first_walk)
{
	int first = 1, rc;

	if (w->seen.t < 0 && !w->after)
		return 0;
	if ((rc = buf_printf(out, "%s\"%s\":{", *first_walk ? "" : ",", name)))
		return rc;
	*first_walk = 0;
	if ((rc = source_mark_write(out, "t", "ids", &w->seen, &first)))
		return rc;
	if (w->after) {
		if ((rc = buf_printf(out, "%s\"after\":", first ? "" : ",")) ||
		    (rc = json_put_string(out, w->after)))
			return rc;
		first = 0;
		if ((rc = source_mark_write(out, "top_t", "top_ids", &w->top, &first)))
			return rc;
	}
	return buf_putc(out, '}');
}

int reddit_cursor_write(const struct reddit_cursor *c, struct buf *out)
{
	int first = 1, rc;

	buf_reset(out);
	if ((rc = buf_putc(out, '{')) || (rc = write_walk(out, "posts", &c->posts, &first)) ||
	    (rc = write_walk(out, "comments", &c->comments, &first)))
		return rc;
	return buf_putc(out, '}');
}

/* ---- settings ---- */

static const struct source_key keys[] = {
	{ "subreddit", 0, "subreddits to follow, \"rust\" or \"rust+golang\" (new posts)" },
	{ "search", 0, "a search query (sort=new); within the subreddits when both are set" },
	{ "comments", 0, "yes: also the subreddits' new comments (default no)" },
	{ "token", 0, "OAuth bearer token (or env:NAME); the default url is then "
		      "https://oauth.reddit.com" },
	{ "user_agent", 0, "the User-Agent Reddit asks for: \"platform:app:version (by "
			   "/u/name)\" (default horch's)" },
	{ "pages", 0, "pages read per listing and poll (default 10)" },
	{ "limit", 0, "items per page, 1 to 100 (default 100)" },
	{ "timeout", 0, "seconds one request may take (default 30)" },
	{ NULL, 0, NULL },
};

static int check(const struct source_conf *c, struct horch_err *err)
{
	const char *sub = source_param(c, "subreddit"), *q = source_param(c, "search");
	const char *ua = source_param(c, "user_agent");
	int comments, n, rc;

	if ((!sub || !*sub) && (!q || !*q))
		return horch_err_set(err, HORCH_EINVAL, "setting \"subreddit\" or \"search\": "
				     "one of them is needed");
	if (sub) {
		size_t len = strlen(sub);

		if (!len || len > SETTING_MAX ||
		    strspn(sub, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+") !=
		    len || sub[0] == '+' || sub[len - 1] == '+' || strstr(sub, "++"))
			return horch_err_set(err, HORCH_EINVAL, "setting \"subreddit\": names of "
					     "letters, digits and '_', joined by '+' (rust+golang)");
	}
	if (q && strlen(q) > SETTING_MAX)
		return horch_err_set(err, HORCH_EINVAL, "setting \"search\": longer than %d bytes",
				     SETTING_MAX);
	if ((rc = source_bool_param(c, "comments", 0, &comments, err)))
		return rc;
	if (comments && (!sub || !*sub))
		return horch_err_set(err, HORCH_EINVAL, "setting \"comments\": needs \"subreddit\"");
	if (ua && (strlen(ua) > SETTING_MAX || strpbrk(ua, "\r\n")))
		return horch_err_set(err, HORCH_EINVAL, "setting \"user_agent\": one line of at "
				     "most %d bytes", SETTING_MAX);
	if ((rc = source_int_param(c, "pages", DEFAULT_PAGES, 1, PAGES_MAX, &n, err)) ||
	    (rc = source_int_param(c, "limit", REDDIT_PAGE_MAX, 1, REDDIT_PAGE_MAX, &n, err)) ||
	    (rc = source_timeout_param(c, TIMEOUT_MAX, &n, err)))
		return rc;
	if (c->url && strncmp(c->url, "http://", 7) && strncmp(c->url, "https://", 8))
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": an http:// or https:// "
				     "URL");
	return 0;
}

/* ---- a poll ---- */

/* One listing being walked. */
struct listing {
	const char *name;         /* "posts" or "comments", for messages */
	char *url;                /* its first page, without after= */
	struct reddit_walk *walk; /* its part of the cursor */
};

struct poll {
	struct source_run *r;
	const char *headers[3];   /* Authorization, User-Agent, NULL */
	char *auth;               /* the Authorization line (a secret) */
	char *agent;              /* the User-Agent line */
	int timeout_ms;
	int pages_max;            /* pages per listing and poll */
	struct reddit_cursor cur;
	struct buf cbuf;          /* the cursor as committed */
};

/* Reddit's X-Ratelimit-Remaining says nothing is left: the seconds of
 * X-Ratelimit-Reset (1 to 3600; 60 when it is not sent), else 0. */
static int limit_spent(const struct source_resp *resp)
{
	const char *rem = resp->ratelimit_remaining, *reset = resp->ratelimit_reset;
	double left, secs = 60;
	char *end;

	if (!rem)
		return 0;
	left = strtod(rem, &end);
	if (end == rem || !(left < 1))
		return 0;
	if (reset) {
		secs = strtod(reset, &end);
		if (end == reset)
			secs = 60;
	}
	if (!(secs >= 1))
		secs = 1;
	if (secs > 3600)
		secs = 3600;
	return (int)ceil(secs);
}

static int commit(struct poll *pl)
{
	int rc = reddit_cursor_write(&pl->cur, &pl->cbuf);

	return rc ? rc : source_commit(pl->r, pl->cbuf.ptr);
}

/* Fetch and read one page of ls.  Returns 0 with *pg filled, or an error
 * (HORCH_ELIMIT with the wait told to the runner). */
static int fetch_page(struct poll *pl, struct listing *ls, struct reddit_page *pg,
		      int *spent, struct horch_err *err)
{
	struct source_req req = { 0 };
	struct source_resp resp;
	struct buf url;
	char *where;
	int rc;

	buf_init(&url, URL_MAX);
	source_resp_init(&resp);
	memset(pg, 0, sizeof *pg);
	*spent = 0;
	if ((rc = buf_puts(&url, ls->url)) ||
	    (ls->walk->after && ((rc = buf_puts(&url, "&after=")) ||
				 (rc = buf_puts(&url, ls->walk->after))))) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "%s: a request URL of more than %d bytes",
				   ls->name, URL_MAX);
		goto out;
	}
	req.url = url.ptr;
	req.headers = pl->headers;
	req.max_bytes = LISTING_MAX;
	req.timeout_ms = pl->timeout_ms;
	rc = source_fetch(pl->r, &req, &resp, err);
	if (rc == HORCH_ELIMIT && resp.retry_after < 0) {
		/* A 429 without Retry-After: Reddit's own headers say how
		 * long, else a minute. */
		int secs = limit_spent(&resp);

		source_retry_after(pl->r, secs ? secs : 60);
	}
	if (rc)
		goto out;
	if (resp.status != 200) {
		rc = source_http_error(&req, &resp, err);
		goto out;
	}
	where = horch_xstrndup(url.ptr, strcspn(url.ptr, "?"));
	rc = reddit_parse(resp.body.ptr ? resp.body.ptr : "", resp.body.len, where, pg,
			  source_warn_cb, pl->r, err);
	free(where);
	if (rc == 0)
		*spent = limit_spent(&resp);
out:
	source_resp_cleanup(&resp);
	buf_cleanup(&url);
	return rc;
}

/* Walk ls down from its top, or on from its unfinished walk, emitting what
 * its cursor does not cover, until the walk meets the cursor or the end of
 * the listing (*done = 1) or the page cap (*done = 0).  *pages counts the
 * pages fetched.  Commits after every page.  Returns 0, HORCH_ESTOP,
 * HORCH_ELIMIT or an error. */
static int walk(struct poll *pl, struct listing *ls, int *pages, int *done,
		struct horch_err *err)
{
	struct reddit_walk *w = ls->walk;
	int resumed = w->after != NULL, first = 1, rc = 0;

	*done = 0;
	if (!resumed)
		source_mark_cleanup(&w->top);
	while (*pages < pl->pages_max) {
		struct reddit_page pg;
		int reached = 0, spent, end;

		if ((rc = fetch_page(pl, ls, &pg, &spent, err)))
			return rc;
		(*pages)++;
		if (resumed && first && pg.n_children == 0) {
			/* The item the walk went on after has left the listing:
			 * Reddit answers an empty page.  Walking again from the
			 * top re-reads, but skips nothing. */
			source_warn(pl->r, "%s: the walk's place %s is gone from the listing; "
				    "reading again from the top", ls->name, w->after);
			reddit_page_cleanup(&pg);
			free(w->after);
			w->after = NULL;
			source_mark_cleanup(&w->top);
			resumed = 0;
			continue;
		}
		first = 0;
		for (size_t i = 0; i < pg.n; i++) {
			struct reddit_item *it = &pg.items[i];
			const char *id = it->post->external_id;

			if (w->seen.t >= 0 && it->created < w->seen.t) {
				reached = 1;
				break;
			}
			source_mark_newest(&w->top, it->created, id);
			if (source_mark_covers(&w->seen, it->created, id))
				continue;
			rc = source_emit(pl->r, it->post);
			it->post = NULL;
			if (rc) {
				reddit_page_cleanup(&pg);
				return rc;
			}
		}
		end = reached || !pg.after || pg.n_children == 0;
		if (end) {
			if (!reached && w->seen.t >= 0 && pg.n_children)
				source_warn(pl->r, "%s: the listing ended before the cursor (Reddit "
					    "lists about 1000 items): older items may be missed",
					    ls->name);
			source_mark_advance(&w->seen, &w->top);
			free(w->after);
			w->after = NULL;
		} else {
			free(w->after);
			w->after = horch_xstrdup(pg.after);
		}
		reddit_page_cleanup(&pg);
		if ((rc = commit(pl)))
			return rc;
		if (spent) {
			source_retry_after(pl->r, spent);
			return horch_err_set(err, HORCH_ELIMIT, "%s: Reddit's rate limit is spent "
					     "for %d s (X-Ratelimit-Remaining: 0)", ls->name, spent);
		}
		if (end) {
			*done = 1;
			return 0;
		}
	}
	return 0;
}

/* Read ls for this poll: an unfinished walk is finished first, then a walk
 * from the top finds what is new, within the page cap. */
static int poll_listing(struct poll *pl, struct listing *ls, struct horch_err *err)
{
	int pages = 0, done, rc;

	for (;;) {
		int resumed = ls->walk->after != NULL;

		if ((rc = walk(pl, ls, &pages, &done, err)))
			return rc;
		if (!done) {
			source_warn(pl->r, "%s: %d pages read without reaching the cursor; the next "
				    "poll goes on from there", ls->name, pl->pages_max);
			return 0;
		}
		if (!resumed)
			return 0;
	}
}

static int run(struct source_run *r, struct horch_err *err)
{
	const struct source_conf *c = source_run_conf(r);
	const char *sub = source_param(c, "subreddit"), *q = source_param(c, "search");
	const char *token = source_secret(c, "token"), *ua = source_param(c, "user_agent");
	const char *base = c->url && *c->url ? c->url : DEFAULT_URL;
	struct listing ls[2];
	struct poll pl = { 0 };
	struct horch_err cerr;
	struct buf u;
	size_t n_ls = 0, blen = strlen(base), nh = 0;
	int comments, limit, rc;

	memset(ls, 0, sizeof ls);
	reddit_cursor_init(&pl.cur);
	buf_init(&pl.cbuf, SOURCE_CURSOR_MAX);
	if ((rc = check(c, err)) ||
	    (rc = source_int_param(c, "pages", DEFAULT_PAGES, 1, PAGES_MAX, &pl.pages_max, err)) ||
	    (rc = source_int_param(c, "limit", REDDIT_PAGE_MAX, 1, REDDIT_PAGE_MAX, &limit, err)) ||
	    (rc = source_timeout_param(c, TIMEOUT_MAX, &pl.timeout_ms, err)) ||
	    (rc = source_bool_param(c, "comments", 0, &comments, err)))
		goto out;
	pl.r = r;
	/* Reddit takes a bearer token only at oauth.reddit.com. */
	if (token && !strcmp(base, DEFAULT_URL))
		base = OAUTH_URL;
	blen = strlen(base);
	if (token) {
		size_t len = strlen(token);

		pl.auth = horch_xmalloc(len + sizeof "Authorization: bearer ");
		snprintf(pl.auth, len + sizeof "Authorization: bearer ", "Authorization: bearer %s",
			 token);
		pl.headers[nh++] = pl.auth;
	}
	if (ua) {
		pl.agent = horch_xmalloc(strlen(ua) + sizeof "User-Agent: ");
		sprintf(pl.agent, "User-Agent: %s", ua);
		pl.headers[nh++] = pl.agent;
	}
	pl.headers[nh] = NULL;
	if (reddit_cursor_read(&pl.cur, source_run_cursor(r), &cerr))
		source_warn(r, "%s; reading the listings again from their top", cerr.msg);

	while (blen && base[blen - 1] == '/')
		blen--;
	/* The listings' first pages; the settings were checked, but the url
	 * may still be too long for a request. */
	buf_init(&u, URL_MAX);
	if (buf_append(&u, base, blen) || (sub && *sub && buf_printf(&u, "/r/%s", sub)) ||
	    (q && *q ? buf_puts(&u, "/search.json?q=") || source_url_escape(&u, q) ||
		       buf_puts(&u, sub && *sub ? "&restrict_sr=1&sort=new&" : "&sort=new&")
		     : buf_puts(&u, "/new.json?")) ||
	    buf_printf(&u, "limit=%d&raw_json=1", limit)) {
		buf_cleanup(&u);
		rc = horch_err_set(err, HORCH_EINVAL, "setting \"url\": too long for a request");
		goto out;
	}
	ls[n_ls++] = (struct listing){ "posts", buf_take(&u), &pl.cur.posts };
	if (comments) {
		if (buf_append(&u, base, blen) ||
		    buf_printf(&u, "/r/%s/comments.json?limit=%d&raw_json=1", sub, limit)) {
			buf_cleanup(&u);
			rc = horch_err_set(err, HORCH_EINVAL, "setting \"url\": too long for a "
					   "request");
			goto out;
		}
		ls[n_ls++] = (struct listing){ "comments", buf_take(&u), &pl.cur.comments };
	}
	buf_cleanup(&u);
	for (size_t i = 0; i < n_ls && rc == 0; i++)
		rc = poll_listing(&pl, &ls[i], err);
out:
	for (size_t i = 0; i < n_ls; i++)
		free(ls[i].url);
	free(pl.auth);
	free(pl.agent);
	reddit_cursor_cleanup(&pl.cur);
	buf_cleanup(&pl.cbuf);
	return rc;
}

const struct connector connector_reddit = {
	.kind = "reddit",
	.summary = "Reddit: new posts of subreddits, a search, new comments (JSON listings)",
	.default_url = DEFAULT_URL,
	.interval = DEFAULT_INTERVAL,
	.keys = keys,
	.check = check,
	.run = run,
};
