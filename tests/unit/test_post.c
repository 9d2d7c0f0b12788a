/* test_post.c - unit tests for core/post.c and core/post_json.c: the life
 * cycle, kinds, validation, derived ids, every field's text form, the JSON
 * reader (every field, both author forms, flat forms, big ids, wrong types,
 * syntax errors, maps) and the writer (exact output, escaping, round trips). */
#include <math.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/post.h"
#include "tap.h"

#define T0 1424806552000LL  /* 2015-02-24T19:35:52Z */

/* Parse json into p (initialised here); returns the code. */
static int from_json(struct post *p, const char *json, const struct post_map *map,
		     struct horch_err *err)
{
	post_init(p);
	horch_err_clear(err);
	return post_from_json(p, json, strlen(json), map, err);
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every field but id (which input ignores) and n_repaired (not in JSON). */
static int post_equal(const struct post *a, const struct post *b)
{
	return str_eq(a->source, b->source) && str_eq(a->external_id, b->external_id) &&
	       str_eq(a->url, b->url) && str_eq(a->author, b->author) &&
	       str_eq(a->author_name, b->author_name) &&
	       a->author_followers == b->author_followers &&
	       a->author_verified == b->author_verified && a->created_at == b->created_at &&
	       a->fetched_at == b->fetched_at && str_eq(a->title, b->title) &&
	       str_eq(a->text, b->text) && str_eq(a->html, b->html) &&
	       str_eq(a->lang, b->lang) && str_eq(a->parent, b->parent) && a->kind == b->kind &&
	       a->rating == b->rating && str_eq(a->product, b->product) &&
	       a->likes == b->likes && a->reposts == b->reposts && a->replies == b->replies &&
	       a->views == b->views && str_eq(a->country, b->country);
}

/* Write p as JSON, read it back and compare; returns the JSON (static). */
static const char *round_trip(const struct post *p, const char *name)
{
	static char last[4096];
	struct buf b;
	struct post q;
	struct horch_err err;
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	is_int(post_to_json(p, &b), 0, "%s: to_json", name);
	rc = from_json(&q, b.ptr ? b.ptr : "", NULL, &err);
	if (rc)
		diag("  %s: %s", b.ptr, err.msg);
	is_int(rc, 0, "%s: reads back", name);
	ok(post_equal(p, &q), "%s: equal after the round trip", name);
	snprintf(last, sizeof last, "%s", b.ptr ? b.ptr : "");
	post_cleanup(&q);
	buf_cleanup(&b);
	return last;
}

static void test_life_cycle(void)
{
	struct post p, *h;
	enum post_kind k = POST_KIND_POST;

	post_init(&p);
	ok(!p.source && !p.external_id && !p.text && !p.html && !p.title, "post-1.1 strings NULL");
	is_int(p.created_at, HORCH_TIME_NONE, "post-1.2 created_at none");
	is_int(p.fetched_at, HORCH_TIME_NONE, "post-1.3 fetched_at none");
	is_int(p.author_followers, POST_COUNT_NONE, "post-1.4 followers unknown");
	is_int(p.likes, POST_COUNT_NONE, "post-1.5 likes unknown");
	is_int(p.views, POST_COUNT_NONE, "post-1.6 views unknown");
	ok(p.rating < 0, "post-1.7 rating none");
	is_int(p.kind, POST_KIND_POST, "post-1.8 kind post");
	is_int(p.id, 0, "post-1.9 id 0");
	p.text = strdup("x");
	p.likes = 3;
	post_cleanup(&p);
	ok(!p.text && p.likes == POST_COUNT_NONE, "post-1.10 cleanup re-initialises");
	post_cleanup(NULL);
	post_free(NULL);
	h = post_new();
	is_int(h->created_at, HORCH_TIME_NONE, "post-1.11 post_new initialises");
	post_free(h);

	is_str(post_kind_name(POST_KIND_REVIEW), "review", "post-1.12 kind name review");
	is_str(post_kind_name(POST_KIND_COMMENT), "comment", "post-1.13 kind name comment");
	is_int(post_kind_parse("Repost", 6, &k), 0, "post-1.14 kind parse is case-insensitive");
	is_int(k, POST_KIND_REPOST, "post-1.15 kind parse value");
	is_int(post_kind_parse("retweet", 7, &k), HORCH_EINVAL, "post-1.16 unknown kind");
	is_int(post_kind_parse("rep", 3, &k), HORCH_EINVAL, "post-1.17 prefix is not a kind");
	is_int(k, POST_KIND_REPOST, "post-1.18 failed parse leaves out alone");
}

/* A minimal valid post for the validation tests. */
static void minimal(struct post *p)
{
	post_init(p);
	p->source = strdup("twitter");
	p->external_id = strdup("570306133677760513");
	p->text = strdup("hello");
}

static void test_validate(void)
{
	struct horch_err err;
	struct post p;
	char *big;

	minimal(&p);
	is_int(post_validate(&p, &err), 0, "post-2.1 minimal post is valid");
	free(p.source);
	p.source = NULL;
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.2 no source");
	is_str(err.msg, "field \"source\": missing", "post-2.3 message names source");
	post_cleanup(&p);

	minimal(&p);
	free(p.external_id);
	p.external_id = strdup("");
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.4 empty external_id");
	is_str(err.msg, "field \"external_id\": missing", "post-2.5 message");
	post_cleanup(&p);

	minimal(&p);
	free(p.text);
	p.text = NULL;
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.6 no text, html or title");
	is_str(err.msg, "no text, html or title", "post-2.7 message");
	p.title = strdup("A title");
	is_int(post_validate(&p, &err), 0, "post-2.8 a title is enough");
	free(p.title);
	p.title = NULL;
	p.html = strdup("<p>hi</p>");
	is_int(post_validate(&p, &err), 0, "post-2.9 html is enough");
	post_cleanup(&p);

	minimal(&p);
	big = malloc(POST_TEXT_MAX + 2);
	memset(big, 'a', POST_TEXT_MAX + 1);
	big[POST_TEXT_MAX + 1] = '\0';
	free(p.text);
	p.text = big;
	is_int(post_validate(&p, &err), HORCH_ETOOBIG, "post-2.10 text over the cap");
	is_str(err.msg, "field \"text\": 262145 bytes, more than the cap of 262144",
	       "post-2.11 message");
	big[POST_TEXT_MAX] = '\0';
	is_int(post_validate(&p, &err), 0, "post-2.12 text at the cap");
	post_cleanup(&p);

	minimal(&p);
	big = malloc(POST_FIELD_MAX + 2);
	memset(big, 'u', POST_FIELD_MAX + 1);
	big[POST_FIELD_MAX + 1] = '\0';
	p.url = big;
	is_int(post_validate(&p, &err), HORCH_ETOOBIG, "post-2.13 url over the field cap");
	big[POST_FIELD_MAX] = '\0';
	is_int(post_validate(&p, &err), 0, "post-2.14 url at the field cap");
	post_cleanup(&p);

	minimal(&p);
	p.author = strdup("jon\xC3");
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.15 author with cut UTF-8");
	is_str(err.msg, "field \"author\": invalid UTF-8 at byte 4", "post-2.16 message");
	free(p.author);
	p.author = strdup("jo\nn");
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.17 author with a newline");
	is_str(err.msg, "field \"author\": a control character at byte 3", "post-2.18 message");
	free(p.author);
	p.author = strdup("j\xC2\x85on");
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.19 author with C1 control NEL");
	free(p.author);
	p.author = strdup("J\xC3\xBCrgen \xF0\x9F\x98\x82");
	is_int(post_validate(&p, &err), 0, "post-2.20 author with umlaut and emoji");
	free(p.author);
	p.author = NULL;
	free(p.external_id);
	p.external_id = strdup("\xED\xA0\x80");
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.21 external_id with a surrogate");
	free(p.external_id);
	p.external_id = strdup("\xC0\xAF");
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.22 external_id overlong");
	free(p.external_id);
	p.external_id = strdup("1");
	free(p.text);
	p.text = strdup("bad \xFF text is repaired later");
	is_int(post_validate(&p, &err), 0, "post-2.23 invalid UTF-8 in text is left to normalise");
	p.rating = 5.5;
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.24 rating above 5");
	p.rating = NAN;
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.25 rating NaN");
	p.rating = -1;
	p.likes = -7;
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.26 negative count");
	p.likes = 0;
	p.kind = (enum post_kind)17;
	is_int(post_validate(&p, &err), HORCH_EINVAL, "post-2.27 kind out of range");
	post_cleanup(&p);
}

static void test_derive(void)
{
	struct post p, q;

	post_init(&p);
	p.author = strdup("jnardino");
	p.created_at = T0;
	p.text = strdup("hello");
	post_derive_external_id(&p);
	is_str(p.external_id, "h:fb60acffd549489f", "post-3.1 FNV-1a value as documented");
	post_init(&q);
	q.author = strdup("jnardino");
	q.created_at = T0;
	q.text = strdup("hello");
	post_derive_external_id(&q);
	is_str(q.external_id, p.external_id, "post-3.2 same fields, same id");
	free(q.external_id);
	q.external_id = NULL;
	q.created_at = T0 + 1;
	post_derive_external_id(&q);
	ok(strcmp(q.external_id, p.external_id) != 0, "post-3.3 another time, another id");
	post_cleanup(&q);

	post_init(&q);
	q.author = strdup("jnardin");
	q.created_at = T0;
	q.title = strdup("o");
	q.text = strdup("hello");
	post_derive_external_id(&q);
	ok(strcmp(q.external_id, p.external_id) != 0, "post-3.4 separators keep fields apart");
	post_cleanup(&q);

	post_init(&q);
	q.text = strdup("hello");
	post_derive_external_id(&q);
	is_str(q.external_id, "h:4b3fda1da6fe11fa", "post-3.5 no author, no time");
	free(q.text);
	q.text = strdup("other");
	post_derive_external_id(&q);
	is_str(q.external_id, "h:4b3fda1da6fe11fa", "post-3.6 an existing id is kept");
	post_cleanup(&q);
	post_cleanup(&p);
}

/* Set field to val and return the code, keeping the message in err. */
static int set(struct post *p, const char *field, const char *val, struct horch_err *err)
{
	horch_err_clear(err);
	return post_set_field(p, field, val, strlen(val), err);
}

static void test_set_field(void)
{
	struct horch_err err;
	struct post p;
	size_t n;
	char *big;

	for (n = 0; post_field_names[n]; n++)
		;
	is_int(n, 22, "post-4.1 22 canonical fields");
	is_str(post_field_names[0], "external_id", "post-4.2 first field");
	is_str(post_field_names[21], "country", "post-4.3 last field");

	post_init(&p);
	is_int(set(&p, "external_id", " 570306133677760513 ", &err), 0, "post-4.4 external_id");
	is_str(p.external_id, "570306133677760513", "post-4.5 external_id trimmed");
	set(&p, "source", "twitter", &err);
	is_str(p.source, "twitter", "post-4.6 source");
	set(&p, "url", "https://twitter.com/x/status/1", &err);
	is_str(p.url, "https://twitter.com/x/status/1", "post-4.7 url");
	set(&p, "author", "@jnardino", &err);
	is_str(p.author, "jnardino", "post-4.8 author loses its '@'");
	set(&p, "author", " @@ @amy ", &err);
	is_str(p.author, "amy", "post-4.8a every leading '@' and blank goes");
	set(&p, "author", "cairdin", &err);
	is_str(p.author, "cairdin", "post-4.9 author replaced");
	set(&p, "author_name", "Jon Nardino", &err);
	is_str(p.author_name, "Jon Nardino", "post-4.10 author_name");
	is_int(set(&p, "author_followers", "1234", &err), 0, "post-4.11 followers");
	is_int(p.author_followers, 1234, "post-4.12 followers value");
	is_int(set(&p, "author_followers", "1,234", &err), HORCH_EINVAL,
	       "post-4.13 grouped number refused");
	is_str(err.msg, "field \"author_followers\": expected a whole number, got \"1,234\"",
	       "post-4.14 message names the field");
	is_int(set(&p, "author_followers", "-5", &err), HORCH_EINVAL, "post-4.15 negative refused");
	is_int(set(&p, "author_followers", "99999999999999999999", &err), HORCH_EINVAL,
	       "post-4.16 overflow refused");
	is_str(err.msg, "field \"author_followers\": 99999999999999999999 is too large",
	       "post-4.17 overflow message");
	is_int(p.author_followers, 1234, "post-4.18 failed set keeps the value");
	is_int(set(&p, "author_verified", "Yes", &err), 0, "post-4.19 verified yes");
	is_int(p.author_verified, 1, "post-4.20 verified value");
	set(&p, "author_verified", "false", &err);
	is_int(p.author_verified, 0, "post-4.21 verified false");
	set(&p, "author_verified", "1", &err);
	is_int(p.author_verified, 1, "post-4.22 verified 1");
	is_int(set(&p, "author_verified", "maybe", &err), HORCH_EINVAL, "post-4.23 verified maybe");
	is_int(set(&p, "created_at", "2015-02-24 11:35:52 -0800", &err), 0, "post-4.24 created_at");
	is_int(p.created_at, T0, "post-4.25 created_at value");
	is_int(set(&p, "fetched_at", "Tue Feb 24 11:35:52 -0800 2015", &err), 0,
	       "post-4.26 fetched_at Twitter form");
	is_int(p.fetched_at, T0, "post-4.27 fetched_at value");
	is_int(set(&p, "created_at", "2015-13-01", &err), HORCH_EINVAL, "post-4.28 bad time");
	is_str(err.msg, "field \"created_at\": bad time \"2015-13-01\": month 13 out of range "
	       "at column 6", "post-4.29 bad time message");
	is_int(err.col, 0, "post-4.30 no err->col: the column is within the value");
	set(&p, "title", "  A title  ", &err);
	is_str(p.title, "  A title  ", "post-4.31 title keeps its blanks");
	set(&p, "text", "@VirginAmerica What @dhepburn said.", &err);
	is_str(p.text, "@VirginAmerica What @dhepburn said.", "post-4.32 text");
	set(&p, "html", "<p>hi</p>", &err);
	is_str(p.html, "<p>hi</p>", "post-4.33 html");
	set(&p, "lang", "EN", &err);
	is_str(p.lang, "en", "post-4.34 lang lower-cased");
	set(&p, "lang", "pt-BR", &err);
	is_str(p.lang, "pt-br", "post-4.35 lang with region");
	is_int(set(&p, "lang", "en us", &err), HORCH_EINVAL, "post-4.36 lang with a space");
	set(&p, "parent", "570306133677760512", &err);
	is_str(p.parent, "570306133677760512", "post-4.37 parent");
	is_int(set(&p, "kind", "REVIEW", &err), 0, "post-4.38 kind");
	is_int(p.kind, POST_KIND_REVIEW, "post-4.39 kind value");
	is_int(set(&p, "kind", "tweet", &err), HORCH_EINVAL, "post-4.40 unknown kind");
	is_str(err.msg, "field \"kind\": expected post, reply, repost, review or comment, "
	       "got \"tweet\"", "post-4.41 kind message");
	is_int(set(&p, "rating", "4.0", &err), 0, "post-4.42 rating 4.0");
	is_dbl(p.rating, 4.0, 0, "post-4.43 rating value");
	set(&p, "rating", "3.5", &err);
	is_dbl(p.rating, 3.5, 0, "post-4.44 rating 3.5");
	set(&p, "rating", "0", &err);
	is_dbl(p.rating, 0, 0, "post-4.45 rating 0");
	is_int(set(&p, "rating", "5.5", &err), HORCH_EINVAL, "post-4.46 rating 5.5");
	is_str(err.msg, "field \"rating\": 5.5 out of range 0..5", "post-4.47 rating message");
	is_int(set(&p, "rating", "4,5", &err), HORCH_EINVAL, "post-4.48 rating with comma");
	is_int(set(&p, "rating", "four", &err), HORCH_EINVAL, "post-4.49 rating word");
	is_int(set(&p, "rating", ".", &err), HORCH_EINVAL, "post-4.50 rating just a point");
	set(&p, "product", "XPS 13", &err);
	is_str(p.product, "XPS 13", "post-4.51 product");
	set(&p, "likes", "3", &err);
	set(&p, "reposts", "1", &err);
	set(&p, "replies", "0", &err);
	set(&p, "views", " 100 ", &err);
	ok(p.likes == 3 && p.reposts == 1 && p.replies == 0 && p.views == 100,
	   "post-4.52 engagement counts");
	is_int(set(&p, "views", "12abc", &err), HORCH_EINVAL, "post-4.53 views with garbage");
	is_str(err.msg, "field \"views\": expected a whole number, got \"12abc\"",
	       "post-4.54 views message");
	set(&p, "country", "us", &err);
	is_str(p.country, "US", "post-4.55 country upper-cased");
	is_int(set(&p, "country", "USA", &err), HORCH_EINVAL, "post-4.56 three-letter country");
	is_int(set(&p, "id", "12", &err), HORCH_ENOTFOUND, "post-4.57 id is not a field");
	is_int(set(&p, "color", "red", &err), HORCH_ENOTFOUND, "post-4.58 unknown field");
	is_str(err.msg, "unknown field \"color\"", "post-4.59 unknown field message");

	/* An empty value puts the field back to "not given". */
	set(&p, "likes", "", &err);
	is_int(p.likes, POST_COUNT_NONE, "post-4.60 empty count is unknown");
	set(&p, "text", "", &err);
	ok(p.text == NULL, "post-4.61 empty text is not given");
	set(&p, "created_at", "", &err);
	is_int(p.created_at, HORCH_TIME_NONE, "post-4.62 empty time is not given");
	set(&p, "rating", "", &err);
	ok(p.rating < 0, "post-4.63 empty rating is none");
	set(&p, "author", "@", &err);
	ok(p.author == NULL, "post-4.64 a lone '@' is no author");
	set(&p, "kind", "", &err);
	is_int(p.kind, POST_KIND_POST, "post-4.65 empty kind is post");

	is_int(post_set_field(&p, "text", "a\0b", 3, &err), HORCH_EINVAL, "post-4.66 NUL byte");
	is_str(err.msg, "field \"text\": contains a NUL byte", "post-4.67 NUL message");
	big = malloc(POST_FIELD_MAX + 1);
	memset(big, 'x', POST_FIELD_MAX + 1);
	is_int(post_set_field(&p, "author", big, POST_FIELD_MAX + 1, &err), HORCH_ETOOBIG,
	       "post-4.68 author over the cap");
	is_str(err.msg, "field \"author\": 2049 bytes, more than the cap of 2048",
	       "post-4.69 cap message");
	is_int(post_set_field(&p, "text", big, POST_FIELD_MAX + 1, &err), 0,
	       "post-4.70 text takes more than the field cap");
	free(big);
	post_cleanup(&p);
}

static void test_json_read(void)
{
	struct horch_err err;
	struct post p;
	const char *full =
		"{\"id\": 12, \"source\": \"twitter\", \"external_id\": \"570306133677760513\","
		" \"url\": \"https://twitter.com/jnardino/status/570306133677760513\","
		" \"author\": {\"handle\": \"jnardino\", \"name\": \"Jon\", \"followers\": 120,"
		" \"verified\": true}, \"created_at\": \"2015-02-24T19:35:52Z\","
		" \"fetched_at\": \"2015-02-24T19:36:00.250Z\", \"title\": \"T\","
		" \"text\": \"@VirginAmerica hi\", \"html\": \"<b>hi</b>\", \"lang\": \"EN\","
		" \"parent\": \"570306133677760512\", \"kind\": \"reply\", \"rating\": 4,"
		" \"product\": \"seat\", \"engagement\": {\"likes\": 3, \"reposts\": 1,"
		" \"replies\": 0, \"views\": 100}, \"country\": \"us\", \"extra\": [1, {\"x\": 2}]}";

	is_int(from_json(&p, full, NULL, &err), 0, "post-5.1 the full form parses");
	is_int(p.id, 0, "post-5.2 input id ignored");
	is_str(p.source, "twitter", "post-5.3 source");
	is_str(p.external_id, "570306133677760513", "post-5.4 external_id");
	is_str(p.url, "https://twitter.com/jnardino/status/570306133677760513", "post-5.5 url");
	is_str(p.author, "jnardino", "post-5.6 author.handle");
	is_str(p.author_name, "Jon", "post-5.7 author.name");
	is_int(p.author_followers, 120, "post-5.8 author.followers");
	is_int(p.author_verified, 1, "post-5.9 author.verified");
	is_int(p.created_at, T0, "post-5.10 created_at");
	is_int(p.fetched_at, T0 + 8250, "post-5.11 fetched_at");
	is_str(p.title, "T", "post-5.12 title");
	is_str(p.text, "@VirginAmerica hi", "post-5.13 text");
	is_str(p.html, "<b>hi</b>", "post-5.14 html");
	is_str(p.lang, "en", "post-5.15 lang lower-cased");
	is_str(p.parent, "570306133677760512", "post-5.16 parent");
	is_int(p.kind, POST_KIND_REPLY, "post-5.17 kind");
	is_dbl(p.rating, 4, 0, "post-5.18 rating");
	is_str(p.product, "seat", "post-5.19 product");
	ok(p.likes == 3 && p.reposts == 1 && p.replies == 0 && p.views == 100,
	   "post-5.20 engagement");
	is_str(p.country, "US", "post-5.21 country upper-cased");
	post_cleanup(&p);

	is_int(from_json(&p, "{\"source\": \"x\", \"author\": \"@jon\", \"author_name\": \"Jon\","
			 " \"author_followers\": 5, \"author_verified\": false, \"likes\": 7,"
			 " \"reposts\": 2.0, \"replies\": 1, \"views\": 9}", NULL, &err), 0,
	       "post-5.22 flat forms parse");
	is_str(p.author, "jon", "post-5.23 author as a string, '@' dropped");
	is_str(p.author_name, "Jon", "post-5.24 flat author_name");
	is_int(p.author_followers, 5, "post-5.25 flat author_followers");
	is_int(p.author_verified, 0, "post-5.26 flat author_verified");
	ok(p.likes == 7 && p.reposts == 2 && p.replies == 1 && p.views == 9,
	   "post-5.27 flat counts (2.0 taken as 2)");
	post_cleanup(&p);

	is_int(from_json(&p, "{\"author\": {\"handle\": \"a\", \"followers\": 1},"
			 " \"author_followers\": 2}", NULL, &err), 0, "post-5.28 flat and nested");
	is_int(p.author_followers, 2, "post-5.29 the flat key wins");
	post_cleanup(&p);

	is_int(from_json(&p, "{\"external_id\": 570306133677760513}", NULL, &err), 0,
	       "post-5.30 integer external_id");
	is_str(p.external_id, "570306133677760513", "post-5.31 integer id keeps every digit");
	post_cleanup(&p);
	is_int(from_json(&p, "{\"external_id\": 9223372036854775807}", NULL, &err), 0,
	       "post-5.32 largest 64-bit id");
	is_str(p.external_id, "9223372036854775807", "post-5.33 its digits");
	post_cleanup(&p);
	is_int(from_json(&p, "{\"external_id\": 18446744073709551616}", NULL, &err), HORCH_EPARSE,
	       "post-5.34 id beyond 64 bits refused");
	is_str(err.msg, "bad JSON: too big integer near '18446744073709551616' at column 36 "
	       "(send ids beyond 64 bits as strings)", "post-5.35 message says why");
	is_int(from_json(&p, "{\"external_id\": \"18446744073709551616\"}", NULL, &err), 0,
	       "post-5.36 as a string it is fine");
	is_str(p.external_id, "18446744073709551616", "post-5.37 its digits");
	post_cleanup(&p);
	is_int(from_json(&p, "{\"external_id\": 1.5}", NULL, &err), HORCH_EINVAL,
	       "post-5.38 real external_id");
	is_str(err.msg, "field \"external_id\": expected a string or an integer, got a number",
	       "post-5.39 message");

	is_int(from_json(&p, "{\"created_at\": 1424806552}", NULL, &err), 0,
	       "post-5.40 created_at epoch seconds");
	is_int(p.created_at, T0, "post-5.41 value");
	post_cleanup(&p);
	is_int(from_json(&p, "{\"created_at\": 1424806552123}", NULL, &err), 0,
	       "post-5.42 created_at epoch ms");
	is_int(p.created_at, T0 + 123, "post-5.43 value");
	post_cleanup(&p);
	is_int(from_json(&p, "{\"created_at\": 1424806552.25}", NULL, &err), 0,
	       "post-5.44 created_at fractional seconds");
	is_int(p.created_at, T0 + 250, "post-5.45 value");
	post_cleanup(&p);
	is_int(from_json(&p, "{\"created_at\": \"Tue, 24 Feb 2015 11:35:52 -0800\"}", NULL, &err),
	       0, "post-5.46 created_at RFC 2822");
	is_int(p.created_at, T0, "post-5.47 value");
	post_cleanup(&p);
	is_int(from_json(&p, "{\"created_at\": \"2015-02-30\"}", NULL, &err), HORCH_EINVAL,
	       "post-5.48 bad date");
	is_str(err.msg, "field \"created_at\": bad time \"2015-02-30\": day 30 out of range "
	       "(2015-02 has 28 days) at column 9", "post-5.49 message");
	is_int(from_json(&p, "{\"created_at\": true}", NULL, &err), HORCH_EINVAL,
	       "post-5.50 boolean time");

	is_int(from_json(&p, "{\"rating\": \"4\"}", NULL, &err), HORCH_EINVAL,
	       "post-5.51 rating as a string");
	is_str(err.msg, "field \"rating\": expected a number, got a string", "post-5.52 message");
	is_int(from_json(&p, "{\"rating\": 6}", NULL, &err), HORCH_EINVAL, "post-5.53 rating 6");
	is_str(err.msg, "field \"rating\": 6 out of range 0..5", "post-5.54 message");
	is_int(from_json(&p, "{\"engagement\": {\"likes\": \"3\"}}", NULL, &err), HORCH_EINVAL,
	       "post-5.55 nested count as a string");
	is_str(err.msg, "field \"likes\" (from \"engagement.likes\"): expected a number, "
	       "got a string", "post-5.56 message names where it came from");
	is_int(from_json(&p, "{\"likes\": -1}", NULL, &err), HORCH_EINVAL, "post-5.57 negative");
	is_int(from_json(&p, "{\"likes\": 2.5}", NULL, &err), HORCH_EINVAL, "post-5.58 fraction");
	is_int(from_json(&p, "{\"engagement\": [1]}", NULL, &err), HORCH_EINVAL,
	       "post-5.59 engagement not an object");
	is_int(from_json(&p, "{\"author\": 5}", NULL, &err), HORCH_EINVAL, "post-5.60 author 5");
	is_str(err.msg, "field \"author\": expected a string, got an integer", "post-5.61 message");
	is_int(from_json(&p, "{\"author\": {\"verified\": \"yes\"}}", NULL, &err), HORCH_EINVAL,
	       "post-5.62 verified as a string");
	is_int(from_json(&p, "{\"text\": 12}", NULL, &err), HORCH_EINVAL, "post-5.63 text 12");
	is_int(from_json(&p, "{\"kind\": \"tweet\"}", NULL, &err), HORCH_EINVAL,
	       "post-5.64 unknown kind");
	is_int(from_json(&p, "{\"lang\": \"en us\"}", NULL, &err), HORCH_EINVAL, "post-5.65 lang");
	is_int(from_json(&p, "{\"text\": \"a\", \"lang\": 5}", NULL, &err), HORCH_EINVAL,
	       "post-5.66 failure after a good field");
	ok(p.text == NULL, "post-5.67 the post is cleaned up after a failure");

	is_int(from_json(&p, "{\"text\": null, \"likes\": null, \"author\": null}", NULL, &err), 0,
	       "post-5.68 null means not given");
	ok(p.text == NULL && p.likes == POST_COUNT_NONE, "post-5.69 nothing set");
	post_cleanup(&p);
	is_int(from_json(&p, "{\"text\": \"\"}", NULL, &err), 0, "post-5.70 empty string");
	ok(p.text == NULL, "post-5.71 empty string is not given");
	post_cleanup(&p);

	is_int(from_json(&p, "{\"text\": \"a\",}", NULL, &err), HORCH_EPARSE,
	       "post-5.72 trailing comma");
	is_str(err.msg, "bad JSON: string or '}' expected near '}' at column 14",
	       "post-5.73 jansson's text and column");
	is_int(err.col, 14, "post-5.74 err->col");
	is_int(from_json(&p, "{\"t\xC3\xA4xt\": x}", NULL, &err), HORCH_EPARSE,
	       "post-5.75 bad token after a two-byte character");
	is_int(err.col, 11, "post-5.76 column counts bytes");
	is_int(from_json(&p, "{\"a\":\n\n x}", NULL, &err), HORCH_EPARSE, "post-5.77 multi-line");
	ok(err.line == 3 && err.col == 2, "post-5.78 line 3 column 2 (got %ld:%ld)", err.line,
	   err.col);
	is_int(from_json(&p, "{\"text\": \"a\", \"text\": \"b\"}", NULL, &err), HORCH_EPARSE,
	       "post-5.79 duplicate keys refused");
	is_str(err.msg, "bad JSON: duplicate object key near '\"text\"' at column 20",
	       "post-5.80 duplicate message");
	is_int(from_json(&p, "[1, 2]", NULL, &err), HORCH_EINVAL, "post-5.81 an array");
	is_str(err.msg, "expected a JSON object, got an array", "post-5.82 message");
	is_int(from_json(&p, "", NULL, &err), HORCH_EPARSE, "post-5.83 empty input");
	is_int(from_json(&p, "{\"text\": \"a\"} {}", NULL, &err), HORCH_EPARSE,
	       "post-5.84 two objects");
	is_int(from_json(&p, "{\"text\": \"\\u0000\"}", NULL, &err), HORCH_EPARSE,
	       "post-5.85 NUL escape refused");
	is_int(from_json(&p, "{\"text\": \"\xFF\"}", NULL, &err), HORCH_EPARSE,
	       "post-5.86 invalid UTF-8 refused");

	{
		size_t len = POST_JSON_MAX;
		char *huge = malloc(len + 1);

		memset(huge, ' ', len + 1);
		huge[0] = '{';
		huge[len - 1] = '}';
		post_init(&p);
		is_int(post_from_json(&p, huge, len + 1, NULL, &err), HORCH_ETOOBIG,
		       "post-5.87 input over POST_JSON_MAX");
		is_str(err.msg, "post is 4194305 bytes, more than the cap of 4194304",
		       "post-5.88 message");
		is_int(post_from_json(&p, huge, len, NULL, &err), 0,
		       "post-5.89 input at POST_JSON_MAX");
		free(huge);
	}
	{
		size_t len = POST_TEXT_MAX + 1;
		struct buf b;

		buf_init(&b, BUF_NOLIMIT);
		buf_puts(&b, "{\"text\": \"");
		while (len--)
			buf_putc(&b, 'a');
		buf_puts(&b, "\"}");
		is_int(from_json(&p, b.ptr, NULL, &err), HORCH_ETOOBIG, "post-5.90 text over its cap");
		is_str(err.msg, "field \"text\": 262145 bytes, more than the cap of 262144",
		       "post-5.91 message");
		buf_cleanup(&b);
	}
}

static void test_json_map(void)
{
	static const char *canon[] = { "external_id", "source", "author", "author_followers" };
	static const char *input[] = { "id", "src", "user.screen_name", "user.followers_count" };
	struct post_map map = { 4, canon, input };
	static const char *bad_canon[] = { "colour" };
	static const char *bad_input[] = { "c" };
	struct post_map bad = { 1, bad_canon, bad_input };
	struct horch_err err;
	struct post p;

	is_int(from_json(&p, "{\"id\": 7, \"text\": \"hi\", \"lang\": \"en\", \"src\": \"tse\","
			 " \"external_id\": \"ignored\", \"source\": \"ignored\","
			 " \"user\": {\"screen_name\": \"@amy\", \"followers_count\": 42}}",
			 &map, &err), 0, "post-6.1 map external_id=id,source=src");
	is_str(p.external_id, "7", "post-6.2 the input's id is the external id");
	is_str(p.source, "tse", "post-6.3 src is the source");
	is_str(p.text, "hi", "post-6.4 unmapped canonical keys still read");
	is_str(p.author, "amy", "post-6.5 a dotted path reads a nested key");
	is_int(p.author_followers, 42, "post-6.6 nested count");
	is_int(p.id, 0, "post-6.7 the store id stays 0");
	post_cleanup(&p);

	is_int(from_json(&p, "{\"id\": 1.5}", &map, &err), HORCH_EINVAL, "post-6.8 mapped type error");
	is_str(err.msg, "field \"external_id\" (from \"id\"): expected a string or an integer, "
	       "got a number", "post-6.9 message names the input key");
	is_int(from_json(&p, "{\"user\": {\"followers_count\": \"x\"}}", &map, &err), HORCH_EINVAL,
	       "post-6.10 mapped nested type error");
	is_int(from_json(&p, "{\"text\": \"a\"}", &bad, &err), HORCH_EINVAL,
	       "post-6.11 a map with an unknown field");
	is_str(err.msg, "map: unknown field \"colour\"", "post-6.12 message");
}

static void test_json_write(void)
{
	struct horch_err err;
	struct post p;
	struct buf b;
	const char *json;

	post_init(&p);
	p.id = 12;
	p.source = strdup("twitter");
	p.external_id = strdup("570306133677760513");
	p.url = strdup("https://twitter.com/jnardino/status/570306133677760513");
	p.author = strdup("jnardino");
	p.author_name = strdup("Jon");
	p.author_followers = 120;
	p.created_at = T0;
	p.fetched_at = T0 + 8250;
	p.title = strdup("T");
	p.text = strdup("@VirginAmerica hi");
	p.lang = strdup("en");
	p.parent = strdup("570306133677760512");
	p.kind = POST_KIND_REPLY;
	p.rating = 4;
	p.product = strdup("seat");
	p.likes = 3;
	p.reposts = 1;
	p.replies = 0;
	p.views = 100;
	p.country = strdup("US");
	json = round_trip(&p, "post-7.1 full post");
	is_str(json, "{\"id\":12,\"source\":\"twitter\",\"external_id\":\"570306133677760513\","
	       "\"url\":\"https://twitter.com/jnardino/status/570306133677760513\","
	       "\"author\":{\"handle\":\"jnardino\",\"name\":\"Jon\",\"followers\":120,"
	       "\"verified\":false},\"created_at\":\"2015-02-24T19:35:52Z\","
	       "\"fetched_at\":\"2015-02-24T19:36:00.250Z\",\"title\":\"T\","
	       "\"text\":\"@VirginAmerica hi\",\"lang\":\"en\",\"parent\":\"570306133677760512\","
	       "\"kind\":\"reply\",\"rating\":4,\"product\":\"seat\",\"engagement\":{\"likes\":3,"
	       "\"reposts\":1,\"replies\":0,\"views\":100},\"country\":\"US\"}",
	       "post-7.2 exact canonical output");
	p.rating = 3.7;
	p.author_verified = 1;
	json = round_trip(&p, "post-7.3 rating 3.7, verified");
	ok(strstr(json, "\"rating\":3.7,") != NULL, "post-7.4 rating written shortest (%s)",
	   strstr(json, "\"rating\""));
	ok(strstr(json, "\"verified\":true}") != NULL, "post-7.5 verified true");
	post_cleanup(&p);

	post_init(&p);
	p.source = strdup("rss");
	json = round_trip(&p, "post-7.6 nearly empty post");
	is_str(json, "{\"source\":\"rss\",\"kind\":\"post\"}", "post-7.7 unknown fields left out");
	p.author_verified = 1;
	json = round_trip(&p, "post-7.8 only verified");
	is_str(json, "{\"source\":\"rss\",\"author\":{\"verified\":true},\"kind\":\"post\"}",
	       "post-7.9 author object for verified alone");
	p.author_verified = 0;
	p.views = 5;
	json = round_trip(&p, "post-7.10 only views");
	is_str(json, "{\"source\":\"rss\",\"kind\":\"post\",\"engagement\":{\"views\":5}}",
	       "post-7.11 engagement with views alone");
	p.views = POST_COUNT_NONE;

	p.text = strdup("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f \xC3\xA4 \xE2\x80\xA8 \xE2\x80\xA9 "
			"\xF0\x9F\x98\x82 \xE2\x82\xAC");
	json = round_trip(&p, "post-7.12 escaping");
	is_str(json, "{\"source\":\"rss\",\"text\":\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f"
	       "\x7f \xC3\xA4 \\u2028 \\u2029 \xF0\x9F\x98\x82 \xE2\x82\xAC\",\"kind\":\"post\"}",
	       "post-7.13 controls escaped, UTF-8 kept, U+2028/9 escaped");
	free(p.text);
	p.text = strdup("a\xFF" "b\xC3(\xED\xA0\x80z\xF0\x9F\x98");
	buf_init(&b, BUF_NOLIMIT);
	is_int(post_to_json(&p, &b), 0, "post-7.14 invalid UTF-8 written");
	is_str(b.ptr, "{\"source\":\"rss\",\"text\":\"a\\ufffdb\\ufffd(\\ufffd\\ufffd\\ufffdz"
	       "\\ufffd\\ufffd\\ufffd\",\"kind\":\"post\"}",
	       "post-7.15 each invalid byte becomes U+FFFD");
	{
		struct post q;

		is_int(from_json(&q, b.ptr, NULL, &err), 0, "post-7.16 and it is valid JSON");
		is_str(q.text, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz"
		       "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "post-7.17 read back");
		post_cleanup(&q);
	}
	buf_cleanup(&b);

	/* A capped buffer: the failed write leaves it as it was. */
	buf_init(&b, 20);
	buf_puts(&b, "[");
	is_int(post_to_json(&p, &b), HORCH_ETOOBIG, "post-7.18 cap reached");
	is_str(b.ptr, "[", "post-7.19 buffer unchanged after the failure");
	is_int(b.len, 1, "post-7.20 length unchanged");
	buf_cleanup(&b);
	post_cleanup(&p);

	post_init(&p);
	p.source = strdup("x");
	p.created_at = -143465399750LL;
	p.rating = 0;
	p.html = strdup("<p>x</p>");
	p.kind = POST_KIND_COMMENT;
	json = round_trip(&p, "post-7.21 time before 1970, rating 0, html");
	is_str(json, "{\"source\":\"x\",\"created_at\":\"1965-06-15T12:30:00.250Z\","
	       "\"html\":\"<p>x</p>\",\"kind\":\"comment\",\"rating\":0}", "post-7.22 output");
	p.rating = 0.1 + 0.2;
	round_trip(&p, "post-7.23 rating 0.1+0.2 survives exactly");
	post_cleanup(&p);

	/* The example of docs/post-format.md, input to output. */
	is_int(from_json(&p, "{\"source\": \"twitter\", \"external_id\": 570306133677760513, "
			 "\"author\": \"@jnardino\", \"author_name\": \"Jon Nardino\", "
			 "\"author_followers\": 120, \"created_at\": \"Tue Feb 24 11:35:52 -0800 2015\", "
			 "\"text\": \"@VirginAmerica plus you've added commercials to the experience... "
			 "tacky.\", \"lang\": \"EN\", \"likes\": 3, \"reposts\": 1, \"country\": \"us\", "
			 "\"retweeted\": false}", NULL, &err), 0, "post-7.24 the documented example reads");
	json = round_trip(&p, "post-7.25 the documented example");
	is_str(json, "{\"source\":\"twitter\",\"external_id\":\"570306133677760513\","
	       "\"author\":{\"handle\":\"jnardino\",\"name\":\"Jon Nardino\",\"followers\":120,"
	       "\"verified\":false},\"created_at\":\"2015-02-24T19:35:52Z\","
	       "\"text\":\"@VirginAmerica plus you've added commercials to the experience... "
	       "tacky.\",\"lang\":\"en\",\"kind\":\"post\",\"engagement\":{\"likes\":3,"
	       "\"reposts\":1},\"country\":\"US\"}", "post-7.26 the documented output");
	post_cleanup(&p);
}

int main(void)
{
	test_life_cycle();
	test_validate();
	test_derive();
	test_set_field();
	test_json_read();
	test_json_map();
	test_json_write();
	return tap_done();
}
