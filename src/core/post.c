/* post.c - the post value type: life cycle, kinds, validation, derived ids
 * and setting fields from their text form (see post.h).
 *
 * post_set_field() is the one place where a field's text form (a CSV cell,
 * a JSON string, a --map'ed input) becomes a value: it applies the caps,
 * checks numbers, times and codes, and normalises what has one spelling
 * (lang lower case, country upper case, author without '@').  The JSON
 * reader in post_json.c uses it for every string value, so both inputs
 * accept and reject exactly the same things.  docs/post-format.md describes
 * every field.
 *
 * A post belongs to one thread at a time; the functions here keep no state. */
#include "post.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "hash.h"
#include "clock.h"
#include "utf8.h"

const char *const post_field_names[] = {
	"external_id", "source", "url", "author", "author_name", "author_followers",
	"author_verified", "created_at", "fetched_at", "title", "text", "html", "lang",
	"parent", "kind", "rating", "product", "likes", "reposts", "replies", "views",
	"country", NULL,
};

static const char *const kind_names[] = {
	[POST_KIND_POST] = "post",
	[POST_KIND_REPLY] = "reply",
	[POST_KIND_REPOST] = "repost",
	[POST_KIND_REVIEW] = "review",
	[POST_KIND_COMMENT] = "comment",
};

#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

/* Longest language tag accepted (BCP 47 recommends support up to 35). */
#define LANG_MAX 35

void post_init(struct post *p)
{
	memset(p, 0, sizeof *p);
	p->author_followers = POST_COUNT_NONE;
	p->created_at = HORCH_TIME_NONE;
	p->fetched_at = HORCH_TIME_NONE;
	p->kind = POST_KIND_POST;
	p->rating = -1;
	p->likes = POST_COUNT_NONE;
	p->reposts = POST_COUNT_NONE;
	p->replies = POST_COUNT_NONE;
	p->views = POST_COUNT_NONE;
}

void post_cleanup(struct post *p)
{
	if (!p)
		return;
	free(p->source);
	free(p->external_id);
	free(p->url);
	free(p->author);
	free(p->author_name);
	free(p->title);
	free(p->text);
	free(p->html);
	free(p->lang);
	free(p->parent);
	free(p->product);
	free(p->country);
	free(p->entities);
	free(p->entity_pool);
	post_init(p);
}

struct post *post_new(void)
{
	struct post *p = horch_xmalloc(sizeof *p);

	post_init(p);
	return p;
}

void post_free(struct post *p)
{
	if (!p)
		return;
	post_cleanup(p);
	free(p);
}

const char *post_kind_name(enum post_kind kind)
{
	if ((unsigned)kind >= N_KINDS)
		return "post";
	return kind_names[kind];
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

int post_kind_parse(const char *s, size_t len, enum post_kind *out)
{
	size_t i, k;

	for (i = 0; i < N_KINDS; i++) {
		if (strlen(kind_names[i]) != len)
			continue;
		for (k = 0; k < len; k++)
			if (ascii_lower((unsigned char)s[k]) != kind_names[i][k])
				break;
		if (k == len) {
			*out = (enum post_kind)i;
			return 0;
		}
	}
	return HORCH_EINVAL;
}

static const char *const sentiment_names[] = {
	[POST_SENT_NONE] = "",
	[POST_SENT_NEGATIVE] = "negative",
	[POST_SENT_NEUTRAL] = "neutral",
	[POST_SENT_POSITIVE] = "positive",
};

static const char *const intent_names[] = {
	[POST_INTENT_NONE] = "",
	[POST_INTENT_OTHER] = "other",
	[POST_INTENT_COMPLAINT] = "complaint",
	[POST_INTENT_QUESTION] = "question",
	[POST_INTENT_PRAISE] = "praise",
	[POST_INTENT_PURCHASE] = "purchase",
	[POST_INTENT_IDEA] = "idea",
};

static const char *const entity_kind_names[] = {
	[POST_ENTITY_HASHTAG] = "hashtag",
	[POST_ENTITY_MENTION] = "mention",
	[POST_ENTITY_CASHTAG] = "cashtag",
	[POST_ENTITY_URL] = "url",
	[POST_ENTITY_PRODUCT] = "product",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

const char *post_sentiment_name(int label)
{
	return label >= 0 && (size_t)label < N_OF(sentiment_names) ? sentiment_names[label] : "";
}

const char *post_intent_name(int intent)
{
	return intent >= 0 && (size_t)intent < N_OF(intent_names) ? intent_names[intent] : "";
}

const char *post_entity_kind_name(int kind)
{
	return kind >= 0 && (size_t)kind < N_OF(entity_kind_names) ? entity_kind_names[kind] : "";
}

/* The index of s[0..len) among names[1..n) (case-insensitive), or -1. */
static int name_index(const char *const *names, size_t n, const char *s, size_t len)
{
	for (size_t i = 1; i < n; i++) {
		size_t k;

		if (strlen(names[i]) != len)
			continue;
		for (k = 0; k < len; k++)
			if (ascii_lower((unsigned char)s[k]) != names[i][k])
				break;
		if (k == len)
			return (int)i;
	}
	return -1;
}

int post_sentiment_parse(const char *s, size_t len, int *out)
{
	int i = name_index(sentiment_names, N_OF(sentiment_names), s, len);

	if (i < 0)
		return HORCH_EINVAL;
	*out = i;
	return 0;
}

int post_entity_kind_parse(const char *s, size_t len, int *out)
{
	for (size_t i = 0; i < N_OF(entity_kind_names); i++)
		if (strlen(entity_kind_names[i]) == len && memcmp(entity_kind_names[i], s, len) == 0) {
			*out = (int)i;
			return 0;
		}
	return HORCH_EINVAL;
}

int post_intent_parse(const char *s, size_t len, int *out)
{
	int i = name_index(intent_names, N_OF(intent_names), s, len);

	if (i < 0)
		return HORCH_EINVAL;
	*out = i;
	return 0;
}

void post_add_entity(struct post *p, int kind, int part, uint32_t off, uint32_t len,
		     const char *value, size_t vlen, int64_t product)
{
	struct post_entity *e;

	if (p->n_entities == p->entities_cap) {
		p->entities_cap = p->entities_cap ? 2 * p->entities_cap : 8;
		p->entities = horch_xrealloc(p->entities, p->entities_cap * sizeof *p->entities);
	}
	if (p->entity_pool_len + vlen + 1 > p->entity_pool_cap) {
		while (p->entity_pool_len + vlen + 1 > p->entity_pool_cap)
			p->entity_pool_cap = p->entity_pool_cap ? 2 * p->entity_pool_cap : 128;
		p->entity_pool = horch_xrealloc(p->entity_pool, p->entity_pool_cap);
	}
	memcpy(p->entity_pool + p->entity_pool_len, value, vlen);
	p->entity_pool[p->entity_pool_len + vlen] = '\0';
	e = &p->entities[p->n_entities++];
	e->kind = (uint8_t)kind;
	e->part = (uint8_t)part;
	e->off = off;
	e->len = len;
	e->value = (uint32_t)p->entity_pool_len;
	e->product = product;
	p->entity_pool_len += vlen + 1;
}

void post_clear_entities(struct post *p)
{
	free(p->entities);
	free(p->entity_pool);
	p->entities = NULL;
	p->entity_pool = NULL;
	p->n_entities = p->entities_cap = 0;
	p->entity_pool_len = p->entity_pool_cap = 0;
}

/* Check that s[0..len) is valid UTF-8 (no overlong forms, surrogates or
 * code points above U+10FFFF) and, when no_controls is set, has no C0 or
 * C1 control character or DEL.  Returns 0, or the 1-based byte offset of
 * the first fault with *what describing it. */
static size_t utf8_check(const char *s, size_t len, int no_controls, const char **what)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = horch_utf8_decode(u + i, len - i, &cp);

		if (n == 0) {
			*what = "invalid UTF-8";
			return i + 1;
		}
		if (no_controls && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9F))) {
			*what = "a control character";
			return i + 1;
		}
		i += n;
	}
	return 0;
}

/* The string fields: name, cap, and whether the field identifies something
 * (and so must be clean UTF-8 without control characters). */
struct str_field {
	const char *name;
	size_t offset;
	size_t cap;
	int identifier;
};

#define STR_FIELD(f, cap, id) { #f, offsetof(struct post, f), cap, id }

static const struct str_field str_fields[] = {
	STR_FIELD(source, POST_FIELD_MAX, 1),
	STR_FIELD(external_id, POST_FIELD_MAX, 1),
	STR_FIELD(url, POST_FIELD_MAX, 1),
	STR_FIELD(author, POST_FIELD_MAX, 1),
	STR_FIELD(author_name, POST_FIELD_MAX, 1),
	STR_FIELD(title, POST_TEXT_MAX, 0),
	STR_FIELD(text, POST_TEXT_MAX, 0),
	STR_FIELD(html, POST_TEXT_MAX, 0),
	STR_FIELD(lang, POST_FIELD_MAX, 1),
	STR_FIELD(parent, POST_FIELD_MAX, 1),
	STR_FIELD(product, POST_FIELD_MAX, 1),
	STR_FIELD(country, POST_FIELD_MAX, 1),
};

#define N_STR_FIELDS (sizeof str_fields / sizeof str_fields[0])

static char *const *str_slot(const struct post *p, const struct str_field *f)
{
	return (char *const *)((const char *)p + f->offset);
}

int post_validate(const struct post *p, struct horch_err *err)
{
	size_t i;

	if (!p->source || !*p->source)
		return horch_err_set(err, HORCH_EINVAL, "field \"source\": missing");
	if (!p->external_id || !*p->external_id)
		return horch_err_set(err, HORCH_EINVAL, "field \"external_id\": missing");
	if ((!p->text || !*p->text) && (!p->html || !*p->html) && (!p->title || !*p->title))
		return horch_err_set(err, HORCH_EINVAL, "no text, html or title");
	for (i = 0; i < N_STR_FIELDS; i++) {
		const struct str_field *f = &str_fields[i];
		const char *s = *str_slot(p, f), *what = NULL;
		size_t len, at;

		if (!s)
			continue;
		len = strlen(s);
		if (len > f->cap)
			return horch_err_set(err, HORCH_ETOOBIG,
					     "field \"%s\": %zu bytes, more than the cap of %zu",
					     f->name, len, f->cap);
		if (f->identifier && (at = utf8_check(s, len, 1, &what)))
			return horch_err_set(err, HORCH_EINVAL, "field \"%s\": %s at byte %zu",
					     f->name, what, at);
	}
	if ((unsigned)p->kind >= N_KINDS)
		return horch_err_set(err, HORCH_EINVAL, "field \"kind\": %d is not a kind",
				     (int)p->kind);
	if (isnan(p->rating) || p->rating > 5)
		return horch_err_set(err, HORCH_EINVAL, "field \"rating\": %g out of range 0..5",
				     p->rating);
	if (p->author_followers < POST_COUNT_NONE || p->likes < POST_COUNT_NONE ||
	    p->reposts < POST_COUNT_NONE || p->replies < POST_COUNT_NONE ||
	    p->views < POST_COUNT_NONE)
		return horch_err_set(err, HORCH_EINVAL, "a negative count");
	return 0;
}

/* The hash is FNV-1a 64 over, in this order: author, created_at as 8 bytes
 * little-endian, title, text, html; each followed by the byte 0xFF (which
 * never occurs in UTF-8, so "ab"+"c" and "a"+"bc" differ).  A field not
 * given counts as empty.  docs/post-format.md documents it: a program that
 * exports to horch may compute the same id. */
void post_derive_external_id(struct post *p)
{
	static const unsigned char sep = 0xFF;
	const char *parts[3] = { p->title, p->text, p->html };
	unsigned char when[8];
	uint64_t h = HORCH_FNV_BASIS, t = (uint64_t)p->created_at;
	char out[2 + 16 + 1];
	size_t i;

	if (p->external_id)
		return;
	if (p->author)
		h = horch_fnv1a(h, p->author, strlen(p->author));
	h = horch_fnv1a(h, &sep, 1);
	for (i = 0; i < 8; i++)
		when[i] = (unsigned char)(t >> (8 * i));
	h = horch_fnv1a(h, when, 8);
	h = horch_fnv1a(h, &sep, 1);
	for (i = 0; i < 3; i++) {
		if (parts[i])
			h = horch_fnv1a(h, parts[i], strlen(parts[i]));
		h = horch_fnv1a(h, &sep, 1);
	}
	snprintf(out, sizeof out, "h:%016" PRIx64, h);
	p->external_id = horch_xstrdup(out);
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim blanks from both ends of the text at *s (*len bytes), for numbers,
 * flags and codes. */
static void trim(const char **s, size_t *len)
{
	while (*len && is_space((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* Quote at most 40 bytes of a bad value for a message, controls as '?'. */
static void excerpt(char out[48], const char *s, size_t len)
{
	size_t n = len > 40 ? 40 : len, i;

	while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	strcpy(out + n, n < len ? "..." : "");
}

/* A plain non-negative decimal integer: digits only, no sign, no grouping. */
static int parse_count(const char *field, const char *s, size_t len, int64_t *out,
		       struct horch_err *err)
{
	char q[48];
	int64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		int d = s[i] - '0';

		if (d < 0 || d > 9)
			break;
		if (v > (INT64_MAX - d) / 10) {
			excerpt(q, s, len);
			return horch_err_set(err, HORCH_EINVAL, "field \"%s\": %s is too large",
					     field, q);
		}
		v = v * 10 + d;
	}
	if (i == 0 || i != len) {
		excerpt(q, s, len);
		return horch_err_set(err, HORCH_EINVAL,
				     "field \"%s\": expected a whole number, got \"%s\"", field, q);
	}
	*out = v;
	return 0;
}

/* A rating: digits with an optional decimal fraction ("4", "4.0", "3.5"),
 * from 0 to 5.  The value is computed as digits / 10^k, which is correctly
 * rounded because both are exact doubles (at most 15 digits); strtod() is
 * avoided because it follows the locale's decimal point. */
static int parse_rating(const char *s, size_t len, double *out, struct horch_err *err)
{
	char q[48];
	double mant = 0, scale = 1;
	size_t i, n_digits = 0;
	int seen_point = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '.' && !seen_point) {
			seen_point = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || ++n_digits > 15)
			goto bad;
		mant = mant * 10 + (s[i] - '0');
		if (seen_point)
			scale *= 10;
	}
	if (n_digits == 0)
		goto bad;
	if (mant / scale > 5) {
		excerpt(q, s, len);
		return horch_err_set(err, HORCH_EINVAL, "field \"rating\": %s out of range 0..5", q);
	}
	*out = mant / scale;
	return 0;
bad:
	excerpt(q, s, len);
	return horch_err_set(err, HORCH_EINVAL, "field \"rating\": expected a number from 0 "
			     "to 5, got \"%s\"", q);
}

static int parse_flag(const char *s, size_t len, int *out, struct horch_err *err)
{
	static const struct {
		const char *word;
		int value;
	} words[] = {
		{ "true", 1 }, { "false", 0 }, { "1", 1 }, { "0", 0 }, { "yes", 1 }, { "no", 0 },
	};
	char q[48];
	size_t i, k;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i].word) != len)
			continue;
		for (k = 0; k < len; k++)
			if (ascii_lower((unsigned char)s[k]) != words[i].word[k])
				break;
		if (k == len) {
			*out = words[i].value;
			return 0;
		}
	}
	excerpt(q, s, len);
	return horch_err_set(err, HORCH_EINVAL, "field \"author_verified\": expected "
			     "true/false/1/0/yes/no, got \"%s\"", q);
}

static int parse_time_field(const char *field, const char *s, size_t len, int64_t *out,
			    struct horch_err *err)
{
	struct horch_err terr;
	int rc = horch_time_parse(s, len, out, &terr);

	/* err->col stays 0: the column in the message is within the value,
	 * not within the line of a file the value came from. */
	if (rc)
		return horch_err_set(err, rc == HORCH_EPARSE ? HORCH_EINVAL : rc,
				     "field \"%s\": %s", field, terr.msg);
	return 0;
}

/* Store a copy of s[0..len) in *slot, checking the cap and refusing NUL
 * bytes (a C string would silently cut there).  transform, if given, maps
 * each byte (case folding). */
static int set_string(char **slot, const char *field, size_t cap, const char *s,
		      size_t len, int (*transform)(int), struct horch_err *err)
{
	char *copy;
	size_t i;

	if (len > cap)
		return horch_err_set(err, HORCH_ETOOBIG,
				     "field \"%s\": %zu bytes, more than the cap of %zu",
				     field, len, cap);
	if (memchr(s, '\0', len))
		return horch_err_set(err, HORCH_EINVAL, "field \"%s\": contains a NUL byte",
				     field);
	copy = horch_xstrndup(s, len);
	if (transform)
		for (i = 0; i < len; i++)
			copy[i] = (char)transform((unsigned char)copy[i]);
	free(*slot);
	*slot = copy;
	return 0;
}

/* A language tag: letters, digits, '-' or '_', starting with a letter. */
static int check_lang(const char *s, size_t len, struct horch_err *err)
{
	char q[48];
	size_t i;

	if (len > LANG_MAX || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
		goto bad;
	for (i = 0; i < len; i++) {
		int c = (unsigned char)s[i] | 0x20;

		if (!((c >= 'a' && c <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			goto bad;
	}
	return 0;
bad:
	excerpt(q, s, len);
	return horch_err_set(err, HORCH_EINVAL, "field \"lang\": expected a language code "
			     "such as en or pt-br, got \"%s\"", q);
}

static int check_country(const char *s, size_t len, struct horch_err *err)
{
	char q[48];

	if (len == 2 && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') &&
	    ((s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'z'))
		return 0;
	excerpt(q, s, len);
	return horch_err_set(err, HORCH_EINVAL, "field \"country\": expected a two-letter "
			     "code such as US or DE, got \"%s\"", q);
}

/* Put field back to "not given". */
static void unset(struct post *p, const char *field)
{
	struct post blank;
	size_t i;

	post_init(&blank);
	for (i = 0; i < N_STR_FIELDS; i++) {
		if (strcmp(str_fields[i].name, field) == 0) {
			char **slot = (char **)str_slot(p, &str_fields[i]);

			free(*slot);
			*slot = NULL;
			return;
		}
	}
	if (!strcmp(field, "author_followers"))
		p->author_followers = blank.author_followers;
	else if (!strcmp(field, "author_verified"))
		p->author_verified = blank.author_verified;
	else if (!strcmp(field, "created_at"))
		p->created_at = blank.created_at;
	else if (!strcmp(field, "fetched_at"))
		p->fetched_at = blank.fetched_at;
	else if (!strcmp(field, "kind"))
		p->kind = blank.kind;
	else if (!strcmp(field, "rating"))
		p->rating = blank.rating;
	else if (!strcmp(field, "likes"))
		p->likes = blank.likes;
	else if (!strcmp(field, "reposts"))
		p->reposts = blank.reposts;
	else if (!strcmp(field, "replies"))
		p->replies = blank.replies;
	else if (!strcmp(field, "views"))
		p->views = blank.views;
}

static int is_field_name(const char *field)
{
	size_t i;

	for (i = 0; post_field_names[i]; i++)
		if (strcmp(post_field_names[i], field) == 0)
			return 1;
	return 0;
}

int post_set_field(struct post *p, const char *field, const char *val, size_t len,
		   struct horch_err *err)
{
	const char *t = val;
	size_t tlen = len, i;
	int rc = 0;

	if (!is_field_name(field))
		return horch_err_set(err, HORCH_ENOTFOUND, "unknown field \"%s\"", field);
	if (len == 0) {
		unset(p, field);
		return 0;
	}
	trim(&t, &tlen);

	if (!strcmp(field, "author_followers") || !strcmp(field, "likes") ||
	    !strcmp(field, "reposts") || !strcmp(field, "replies") || !strcmp(field, "views")) {
		int64_t v = 0;

		if (tlen == 0) {
			unset(p, field);
			return 0;
		}
		if ((rc = parse_count(field, t, tlen, &v, err)))
			return rc;
		if (!strcmp(field, "author_followers"))
			p->author_followers = v;
		else if (!strcmp(field, "likes"))
			p->likes = v;
		else if (!strcmp(field, "reposts"))
			p->reposts = v;
		else if (!strcmp(field, "replies"))
			p->replies = v;
		else
			p->views = v;
		return 0;
	}
	if (!strcmp(field, "created_at") || !strcmp(field, "fetched_at")) {
		int64_t when = 0;

		if (tlen == 0) {
			unset(p, field);
			return 0;
		}
		if ((rc = parse_time_field(field, val, len, &when, err)))
			return rc;
		if (field[0] == 'c')
			p->created_at = when;
		else
			p->fetched_at = when;
		return 0;
	}
	if (!strcmp(field, "author_verified")) {
		if (tlen == 0) {
			unset(p, field);
			return 0;
		}
		return parse_flag(t, tlen, &p->author_verified, err);
	}
	if (!strcmp(field, "rating")) {
		if (tlen == 0) {
			unset(p, field);
			return 0;
		}
		return parse_rating(t, tlen, &p->rating, err);
	}
	if (!strcmp(field, "kind")) {
		char q[48];

		if (tlen == 0) {
			unset(p, field);
			return 0;
		}
		if (post_kind_parse(t, tlen, &p->kind) == 0)
			return 0;
		excerpt(q, t, tlen);
		return horch_err_set(err, HORCH_EINVAL, "field \"kind\": expected post, reply, "
				     "repost, review or comment, got \"%s\"", q);
	}
	for (i = 0; i < N_STR_FIELDS; i++) {
		const struct str_field *f = &str_fields[i];
		char **slot;

		if (strcmp(f->name, field))
			continue;
		slot = (char **)str_slot(p, f);
		if (!strcmp(field, "lang")) {
			if (tlen == 0) {
				unset(p, field);
				return 0;
			}
			if ((rc = check_lang(t, tlen, err)))
				return rc;
			return set_string(slot, field, f->cap, t, tlen, ascii_lower, err);
		}
		if (!strcmp(field, "country")) {
			if (tlen == 0) {
				unset(p, field);
				return 0;
			}
			if ((rc = check_country(t, tlen, err)))
				return rc;
			return set_string(slot, field, f->cap, t, tlen, ascii_upper, err);
		}
		if (!strcmp(field, "author")) {
			/* "@jnardino" and "jnardino" are the same handle.  Every
			 * leading '@' and blank goes, so that the stored value
			 * reads back unchanged. */
			while (tlen && (t[0] == '@' || is_space((unsigned char)t[0]))) {
				t++;
				tlen--;
			}
			if (tlen == 0) {
				unset(p, field);
				return 0;
			}
			return set_string(slot, field, f->cap, t, tlen, NULL, err);
		}
		/* Free text keeps its blanks; identifiers lose them, since a
		 * trailing space in an id or URL is never meant. */
		if (f->identifier) {
			if (tlen == 0) {
				unset(p, field);
				return 0;
			}
			return set_string(slot, field, f->cap, t, tlen, NULL, err);
		}
		return set_string(slot, field, f->cap, val, len, NULL, err);
	}
	return horch_err_set(err, HORCH_ENOTFOUND, "unknown field \"%s\"", field);
}
