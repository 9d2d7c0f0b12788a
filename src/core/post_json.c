/* post_json.c - the canonical JSON form of a post (see post.h and
 * docs/post-format.md).
 *
 * Reading uses jansson with JSON_REJECT_DUPLICATES (a post with two "text"
 * keys is ambiguous, so it is refused rather than silently taking one) and
 * JSON_DECODE_ANY (so that a top-level array or number gets a message that
 * says so).  Input is lenient where platforms differ: "author" may be the
 * handle or an object, the author's details and the engagement counts may
 * also be flat keys, ids may be strings or integers, times strings or
 * numbers.  Every string goes through post_set_field(), so JSON and CSV
 * accept exactly the same values.  jansson refuses integers beyond 64 bits
 * ("too big integer"): a bigger id must be sent as a string.
 *
 * Writing is done here directly rather than through a jansson tree: it is on
 * the API's hot path, and the order of the keys is fixed this way.  The
 * output always reads back to an equal post (except "id", which input
 * ignores because the store assigns it).
 *
 * Any thread; nothing is shared. */
#include "post.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "json.h"

/* How a canonical field's JSON value is read. */
enum jkind {
	J_STRING,     /* a string */
	J_ID,         /* a string or an integer (external_id, parent) */
	J_AUTHOR,     /* the handle, or an object with handle/name/followers/verified */
	J_COUNT,      /* a whole number >= 0 */
	J_BOOL,       /* true/false (or 0/1) */
	J_TIME,       /* a string in any horch_time_parse form, or epoch seconds/ms */
	J_RATING,     /* a number from 0 to 5 */
};

/* Each canonical field: its kind and, for fields that also live inside an
 * object of the canonical form, that object's key and the member's name. */
static const struct jfield {
	const char *name;
	enum jkind kind;
	const char *nest;     /* "author" or "engagement", or NULL */
	const char *member;   /* the key inside nest */
} jfields[] = {
	{ "external_id", J_ID, NULL, NULL },
	{ "source", J_STRING, NULL, NULL },
	{ "url", J_STRING, NULL, NULL },
	{ "author", J_AUTHOR, NULL, NULL },
	{ "author_name", J_STRING, "author", "name" },
	{ "author_followers", J_COUNT, "author", "followers" },
	{ "author_verified", J_BOOL, "author", "verified" },
	{ "created_at", J_TIME, NULL, NULL },
	{ "fetched_at", J_TIME, NULL, NULL },
	{ "title", J_STRING, NULL, NULL },
	{ "text", J_STRING, NULL, NULL },
	{ "html", J_STRING, NULL, NULL },
	{ "lang", J_STRING, NULL, NULL },
	{ "parent", J_ID, NULL, NULL },
	{ "kind", J_STRING, NULL, NULL },
	{ "rating", J_RATING, NULL, NULL },
	{ "product", J_STRING, NULL, NULL },
	{ "likes", J_COUNT, "engagement", "likes" },
	{ "reposts", J_COUNT, "engagement", "reposts" },
	{ "replies", J_COUNT, "engagement", "replies" },
	{ "views", J_COUNT, "engagement", "views" },
	{ "country", J_STRING, NULL, NULL },
};

#define N_JFIELDS (sizeof jfields / sizeof jfields[0])

/* The largest integer a double holds exactly, for counts sent as reals. */
#define EXACT_DOUBLE_MAX 9007199254740992.0

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* Where a value came from, for messages: the canonical field and, when it
 * differs, the input key it was read from. */
struct origin {
	const char *field;
	const char *key;
};

__attribute__((format(printf, 4, 5)))
static int field_error(struct horch_err *err, int code, const struct origin *o,
		       const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (strcmp(o->field, o->key) == 0)
		return horch_err_set(err, code, "field \"%s\": %s", o->field, what);
	return horch_err_set(err, code, "field \"%s\" (from \"%.100s\"): %s", o->field,
			     o->key, what);
}

static int type_error(struct horch_err *err, const struct origin *o, const char *expected,
		      const json_t *v)
{
	return field_error(err, HORCH_EINVAL, o, "expected %s, got %s", expected, type_name(v));
}

/* Look name up in obj; a name with dots that is not itself a key walks
 * nested objects ("user.screen_name").  Returns a borrowed value or NULL. */
static json_t *lookup(json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);
	const char *dot;

	if (v || !strchr(name, '.'))
		return v;
	while ((dot = strchr(name, '.')) && json_is_object(obj)) {
		obj = json_object_getn(obj, name, (size_t)(dot - name));
		name = dot + 1;
	}
	return json_is_object(obj) ? json_object_get(obj, name) : NULL;
}

/* The input key for canonical field name under map, or NULL when the map
 * does not rename it. */
static const char *mapped_key(const struct post_map *map, const char *name)
{
	size_t i;

	for (i = 0; map && i < map->n; i++)
		if (strcmp(map->canonical[i], name) == 0)
			return map->input[i];
	return NULL;
}

/* Whether the map reads some field from the input key name. */
static int is_map_input(const struct post_map *map, const char *name)
{
	size_t i;

	for (i = 0; map && i < map->n; i++)
		if (strcmp(map->input[i], name) == 0)
			return 1;
	return 0;
}

/* Set a field through post_set_field(); when the value came from another
 * input key than the field's own, the message ends by naming it. */
static int set_text(struct post *p, const struct origin *o, const char *s, size_t len,
		    struct horch_err *err)
{
	struct horch_err ferr;
	int rc = post_set_field(p, o->field, s, len, &ferr);

	if (rc == 0)
		return 0;
	if (strcmp(o->field, o->key) == 0) {
		if (err)
			*err = ferr;
		return rc;
	}
	return horch_err_set(err, rc, "%s (from \"%.100s\")", ferr.msg, o->key);
}

static int read_string(struct post *p, const struct origin *o, json_t *v,
		       struct horch_err *err)
{
	if (!json_is_string(v))
		return type_error(err, o, "a string", v);
	return set_text(p, o, json_string_value(v), json_string_length(v), err);
}

static int read_id(struct post *p, const struct origin *o, json_t *v, struct horch_err *err)
{
	char num[32];

	if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return set_text(p, o, num, strlen(num), err);
	}
	if (!json_is_string(v))
		return type_error(err, o, "a string or an integer", v);
	return set_text(p, o, json_string_value(v), json_string_length(v), err);
}

static int read_count(int64_t *slot, const struct origin *o, json_t *v, struct horch_err *err)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		if (n < 0)
			return field_error(err, HORCH_EINVAL, o, "%" JSON_INTEGER_FORMAT
					   " is negative", n);
		*slot = n;
		return 0;
	}
	if (json_is_real(v)) {
		double x = json_real_value(v);

		/* 3.0 from an exporter that writes every number as a real. */
		if (x >= 0 && x <= EXACT_DOUBLE_MAX && x == floor(x)) {
			*slot = (int64_t)x;
			return 0;
		}
		return field_error(err, HORCH_EINVAL, o, "expected a whole number >= 0, got %g", x);
	}
	return type_error(err, o, "a number", v);
}

static int read_bool(int *slot, const struct origin *o, json_t *v, struct horch_err *err)
{
	if (json_is_boolean(v)) {
		*slot = json_is_true(v);
		return 0;
	}
	if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
		*slot = (int)json_integer_value(v);
		return 0;
	}
	return type_error(err, o, "true or false", v);
}

/* A time: a string goes to horch_time_parse(); a number is epoch seconds,
 * or milliseconds when it has 13 or more digits (|n| >= 10^12), the same
 * rule as for a string of digits.  The number is written out and parsed as
 * such a string so that both follow one rule and one range check. */
static int read_time(struct post *p, const struct origin *o, json_t *v, struct horch_err *err)
{
	char num[64], *c;

	if (json_is_string(v))
		return set_text(p, o, json_string_value(v), json_string_length(v), err);
	if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return set_text(p, o, num, strlen(num), err);
	}
	if (json_is_real(v)) {
		double x = json_real_value(v);

		if (!(fabs(x) < 1e17))
			return field_error(err, HORCH_EINVAL, o, "%g is not a time", x);
		if (fabs(x) >= 1e12)
			snprintf(num, sizeof num, "%.0f", x);
		else
			snprintf(num, sizeof num, "%.3f", x);
		/* printf follows the locale's decimal point; the parser wants '.'. */
		for (c = num; *c; c++)
			if (*c == ',')
				*c = '.';
		return set_text(p, o, num, strlen(num), err);
	}
	return type_error(err, o, "a time (a string or a number)", v);
}

static int read_rating(struct post *p, const struct origin *o, json_t *v,
		       struct horch_err *err)
{
	double x;

	if (!json_is_number(v))
		return type_error(err, o, "a number", v);
	x = json_number_value(v);
	if (!(x >= 0 && x <= 5))
		return field_error(err, HORCH_EINVAL, o, "%g out of range 0..5", x);
	p->rating = x;
	return 0;
}

/* Read one value v into the canonical field f. */
static int read_value(struct post *p, const struct jfield *f, const struct origin *o,
		      json_t *v, struct horch_err *err)
{
	int64_t *count = NULL;

	if (json_is_null(v))
		return 0;
	switch (f->kind) {
	case J_STRING:
		return read_string(p, o, v, err);
	case J_ID:
		return read_id(p, o, v, err);
	case J_AUTHOR:
		if (json_is_object(v)) {
			json_t *h = json_object_get(v, "handle");
			struct origin ho = { o->field, "author.handle" };

			if (!h || json_is_null(h))
				return 0;
			return read_string(p, &ho, h, err);
		}
		return read_string(p, o, v, err);
	case J_COUNT:
		if (!strcmp(f->name, "author_followers"))
			count = &p->author_followers;
		else if (!strcmp(f->name, "likes"))
			count = &p->likes;
		else if (!strcmp(f->name, "reposts"))
			count = &p->reposts;
		else if (!strcmp(f->name, "replies"))
			count = &p->replies;
		else
			count = &p->views;
		return read_count(count, o, v, err);
	case J_BOOL:
		return read_bool(&p->author_verified, o, v, err);
	case J_TIME:
		return read_time(p, o, v, err);
	case J_RATING:
		return read_rating(p, o, v, err);
	}
	return 0;
}

/* A number member of an analysis object in lo..hi, or the default. */
static int analysis_number(json_t *obj, const char *key, const char *field, double lo,
			   double hi, float *out, struct horch_err *err)
{
	json_t *v = json_object_get(obj, key);
	struct origin o = { field, field };

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return type_error(err, &o, "a number", v);
	if (!(json_number_value(v) >= lo && json_number_value(v) <= hi))
		return field_error(err, HORCH_EINVAL, &o, "expected %g to %g", lo, hi);
	*out = (float)json_number_value(v);
	return 0;
}

/* The "analysis" object of the output (write_analysis()), read back: the
 * sentiment label and score, the intent and the spam mark.  The pipeline's
 * enrich stage computes them again; reading them lets a post that skips it
 * (tests, a post analysed elsewhere) carry them.  Absent: nothing. */
static int read_analysis(struct post *p, json_t *a, struct horch_err *err)
{
	json_t *s, *v;
	int rc, label;

	/* Another program's "analysis" that is not ours is ignored, as any
	 * unknown member is. */
	if (!json_is_object(a))
		return 0;
	s = json_object_get(a, "sentiment");
	if (s && !json_is_null(s)) {
		struct origin so = { "analysis.sentiment", "analysis.sentiment" };

		if (!json_is_object(s))
			return type_error(err, &so, "an object", s);
		v = json_object_get(s, "label");
		if (v) {
			struct origin lo = { "analysis.sentiment.label", "analysis.sentiment.label" };

			if (!json_is_string(v) ||
			    post_sentiment_parse(json_string_value(v), json_string_length(v), &label))
				return field_error(err, HORCH_EINVAL, &lo, "expected negative, neutral "
						   "or positive");
			p->sentiment_label = (uint8_t)label;
		}
		if ((rc = analysis_number(s, "score", "analysis.sentiment.score", -1, 1,
					  &p->sentiment, err)) ||
		    (rc = analysis_number(s, "confidence", "analysis.sentiment.confidence", 0, 1,
					  &p->sentiment_conf, err)))
			return rc;
	}
	v = json_object_get(a, "intent");
	if (v && !json_is_null(v)) {
		struct origin io = { "analysis.intent", "analysis.intent" };

		if (!json_is_string(v) ||
		    post_intent_parse(json_string_value(v), json_string_length(v), &label))
			return field_error(err, HORCH_EINVAL, &io, "expected complaint, question, "
					   "praise, purchase, idea or other");
		p->intent = (uint8_t)label;
	}
	s = json_object_get(a, "spam");
	if (s && json_is_object(s)) {
		v = json_object_get(s, "is_spam");
		p->is_spam = json_is_true(v);
		if ((rc = analysis_number(s, "score", "analysis.spam.score", 0, 1, &p->spam, err)))
			return rc;
	}
	p->analysed = 1;
	return 0;
}

/* Byte column (1-based) of jansson's error position within its line. */
static long byte_column(const char *json, size_t len, const json_error_t *jerr)
{
	size_t pos = jerr->position > 0 ? (size_t)jerr->position : 0, start;

	if (pos > len)
		pos = len;
	start = pos;
	while (start > 0 && json[start - 1] != '\n')
		start--;
	return (long)(pos - start) + (pos == start || pos == 0 ? 1 : 0);
}

int post_from_json(struct post *p, const char *json, size_t len,
		   const struct post_map *map, struct horch_err *err)
{
	json_error_t jerr;
	json_t *root = NULL;
	size_t i;
	int rc = 0;

	if (len > POST_JSON_MAX) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "post is %zu bytes, more than the cap of %u",
				   len, POST_JSON_MAX);
		goto out;
	}
	for (i = 0; map && i < map->n; i++) {
		size_t k;

		for (k = 0; k < N_JFIELDS; k++)
			if (strcmp(map->canonical[i], jfields[k].name) == 0)
				break;
		if (k == N_JFIELDS) {
			rc = horch_err_set(err, HORCH_EINVAL, "map: unknown field \"%.100s\"",
					   map->canonical[i]);
			goto out;
		}
	}
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root) {
		long col = byte_column(json, len, &jerr);

		if (jerr.line > 1)
			rc = horch_err_at(err, HORCH_EPARSE, jerr.line, col,
					  "bad JSON: %s at line %d, column %ld%s", jerr.text,
					  jerr.line, col,
					  json_error_code(&jerr) == json_error_numeric_overflow
					  ? " (send ids beyond 64 bits as strings)" : "");
		else
			rc = horch_err_at(err, HORCH_EPARSE, 0, col, "bad JSON: %s at column %ld%s",
					  jerr.text, col,
					  json_error_code(&jerr) == json_error_numeric_overflow
					  ? " (send ids beyond 64 bits as strings)" : "");
		goto out;
	}
	if (!json_is_object(root)) {
		rc = horch_err_set(err, HORCH_EINVAL, "expected a JSON object, got %s",
				   type_name(root));
		goto out;
	}
	for (i = 0; i < N_JFIELDS; i++) {
		const struct jfield *f = &jfields[i];
		const char *key = mapped_key(map, f->name);
		struct origin o = { f->name, key ? key : f->name };
		char nested[32];
		json_t *v;

		if (key) {
			v = lookup(root, key);
		} else {
			v = json_object_get(root, f->name);
			if (!v && f->nest) {
				json_t *obj = json_object_get(root, f->nest);

				v = json_is_object(obj) ? json_object_get(obj, f->member) : NULL;
				snprintf(nested, sizeof nested, "%s.%s", f->nest, f->member);
				o.key = nested;
			}
		}
		if (v && (rc = read_value(p, f, &o, v, err)))
			goto out;
	}
	/* "engagement" and "author" must be objects (or, for "author", a
	 * string) when given; a wrong type would otherwise be ignored without a
	 * word.  ("author" is checked by its own reader.) */
	{
		json_t *e = json_object_get(root, "engagement");
		struct origin eo = { "engagement", "engagement" };

		if (e && !json_is_object(e) && !json_is_null(e) && !is_map_input(map, "engagement")) {
			rc = type_error(err, &eo, "an object", e);
			goto out;
		}
	}
	rc = read_analysis(p, json_object_get(root, "analysis"), err);
out:
	json_decref(root);
	if (rc)
		post_cleanup(p);
	return rc;
}

/* Append `,"key":` (without the comma for the first member). */
static int put_key(struct buf *out, int *first, const char *key)
{
	int rc;

	if (!*first && (rc = buf_putc(out, ',')))
		return rc;
	*first = 0;
	return buf_printf(out, "\"%s\":", key);
}

static int put_str_member(struct buf *out, int *first, const char *key, const char *s)
{
	int rc;

	if (!s)
		return 0;
	if ((rc = put_key(out, first, key)))
		return rc;
	return json_put_string(out, s);
}

static int put_int_member(struct buf *out, int *first, const char *key, int64_t v)
{
	int rc;

	if (v < 0)
		return 0;
	if ((rc = put_key(out, first, key)))
		return rc;
	return buf_printf(out, "%lld", (long long)v);
}

static int put_time_member(struct buf *out, int *first, const char *key, int64_t t)
{
	char when[HORCH_TIME_BUFSZ];
	int rc;

	if (t == HORCH_TIME_NONE)
		return 0;
	if ((rc = put_key(out, first, key)))
		return rc;
	return buf_printf(out, "\"%s\"", horch_time_format(t, when));
}

/* The shortest decimal form of x that reads back as the same double. */
static int put_double(struct buf *out, double x)
{
	char num[40], *c;
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(num, sizeof num, "%.*g", prec, x);
		if (strtod(num, NULL) == x)
			break;
	}
	/* printf and strtod agree on the locale's decimal point; JSON wants '.'. */
	for (c = num; *c; c++)
		if (*c == ',')
			*c = '.';
	return buf_puts(out, num);
}

/* A score rounded to 4 decimals: the analysis is not more precise, and
 * the output stays short. */
static int put_score(struct buf *out, int *first, const char *key, double v)
{
	int rc;

	if (!isfinite(v))
		v = 0;
	if ((rc = put_key(out, first, key)))
		return rc;
	return buf_printf(out, "%.4g", v);
}

/* The "analysis" member: what the enrich stage derived (docs/post-format.md).
 * read_analysis() reads part of it back; import computes it again. */
static int write_analysis(const struct post *p, struct buf *out, int *first)
{
	int afirst = 1, sfirst = 1, rc;

	if ((rc = put_key(out, first, "analysis")) || (rc = buf_putc(out, '{')) ||
	    (rc = put_score(out, &afirst, "lang_conf", p->lang_conf)) ||
	    (rc = put_key(out, &afirst, "sentiment")) || (rc = buf_putc(out, '{')) ||
	    (rc = put_str_member(out, &sfirst, "label", post_sentiment_name(p->sentiment_label))) ||
	    (rc = put_score(out, &sfirst, "score", p->sentiment)) ||
	    (rc = put_score(out, &sfirst, "confidence", p->sentiment_conf)) ||
	    (rc = put_key(out, &sfirst, "needs_review")) ||
	    (rc = buf_puts(out, p->needs_review ? "true}" : "false}")))
		return rc;
	sfirst = 1;
	if ((rc = put_key(out, &afirst, "spam")) || (rc = buf_putc(out, '{')) ||
	    (rc = put_score(out, &sfirst, "score", p->spam)) ||
	    (rc = put_key(out, &sfirst, "is_spam")) ||
	    (rc = buf_puts(out, p->is_spam ? "true}" : "false}")))
		return rc;
	if (*post_intent_name(p->intent) &&
	    (rc = put_str_member(out, &afirst, "intent", post_intent_name(p->intent))))
		return rc;
	if ((rc = put_score(out, &afirst, "reach", p->reach)) ||
	    (rc = put_score(out, &afirst, "priority", p->priority)))
		return rc;
	if (p->simhash && ((rc = put_key(out, &afirst, "simhash")) ||
			   (rc = buf_printf(out, "\"%016llx\"", (unsigned long long)p->simhash))))
		return rc;
	if (p->dup_of > 0 && ((rc = put_key(out, &afirst, "dup_of")) ||
			      (rc = buf_printf(out, "%lld", (long long)p->dup_of))))
		return rc;
	if (p->n_entities) {
		if ((rc = put_key(out, &afirst, "entities")) || (rc = buf_putc(out, '[')))
			return rc;
		for (size_t i = 0; i < p->n_entities; i++) {
			const struct post_entity *e = &p->entities[i];
			int efirst = 1;

			if ((i && (rc = buf_putc(out, ','))) || (rc = buf_putc(out, '{')) ||
			    (rc = put_str_member(out, &efirst, "kind", post_entity_kind_name(e->kind))) ||
			    (rc = put_str_member(out, &efirst, "value", post_entity_value(p, i))) ||
			    (rc = put_key(out, &efirst, "part")) ||
			    (rc = buf_puts(out, e->part ? "\"text\"" : "\"title\"")) ||
			    (rc = put_key(out, &efirst, "off")) ||
			    (rc = buf_printf(out, "%u", (unsigned)e->off)) ||
			    (rc = put_key(out, &efirst, "len")) ||
			    (rc = buf_printf(out, "%u", (unsigned)e->len)))
				return rc;
			if (e->product && ((rc = put_key(out, &efirst, "product")) ||
					   (rc = buf_printf(out, "%lld", (long long)e->product))))
				return rc;
			if ((rc = buf_putc(out, '}')))
				return rc;
		}
		if ((rc = buf_putc(out, ']')))
			return rc;
	}
	return buf_putc(out, '}');
}

static int write_post(const struct post *p, struct buf *out)
{
	int first = 1, rc;

	if ((rc = buf_putc(out, '{')))
		return rc;
	if (p->id != 0) {
		if ((rc = put_key(out, &first, "id")) ||
		    (rc = buf_printf(out, "%lld", (long long)p->id)))
			return rc;
	}
	if ((rc = put_str_member(out, &first, "source", p->source)) ||
	    (rc = put_str_member(out, &first, "external_id", p->external_id)) ||
	    (rc = put_str_member(out, &first, "url", p->url)))
		return rc;
	if (p->author || p->author_name || p->author_followers >= 0 || p->author_verified) {
		int afirst = 1;

		if ((rc = put_key(out, &first, "author")) || (rc = buf_putc(out, '{')) ||
		    (rc = put_str_member(out, &afirst, "handle", p->author)) ||
		    (rc = put_str_member(out, &afirst, "name", p->author_name)) ||
		    (rc = put_int_member(out, &afirst, "followers", p->author_followers)) ||
		    (rc = put_key(out, &afirst, "verified")) ||
		    (rc = buf_puts(out, p->author_verified ? "true}" : "false}")))
			return rc;
	}
	if ((rc = put_time_member(out, &first, "created_at", p->created_at)) ||
	    (rc = put_time_member(out, &first, "fetched_at", p->fetched_at)) ||
	    (rc = put_str_member(out, &first, "title", p->title)) ||
	    (rc = put_str_member(out, &first, "text", p->text)) ||
	    (rc = put_str_member(out, &first, "html", p->html)) ||
	    (rc = put_str_member(out, &first, "lang", p->lang)) ||
	    (rc = put_str_member(out, &first, "parent", p->parent)) ||
	    (rc = put_str_member(out, &first, "kind", post_kind_name(p->kind))))
		return rc;
	if (p->rating >= 0 && isfinite(p->rating)) {
		if ((rc = put_key(out, &first, "rating")) || (rc = put_double(out, p->rating)))
			return rc;
	}
	if ((rc = put_str_member(out, &first, "product", p->product)))
		return rc;
	if (p->likes >= 0 || p->reposts >= 0 || p->replies >= 0 || p->views >= 0) {
		int efirst = 1;

		if ((rc = put_key(out, &first, "engagement")) || (rc = buf_putc(out, '{')) ||
		    (rc = put_int_member(out, &efirst, "likes", p->likes)) ||
		    (rc = put_int_member(out, &efirst, "reposts", p->reposts)) ||
		    (rc = put_int_member(out, &efirst, "replies", p->replies)) ||
		    (rc = put_int_member(out, &efirst, "views", p->views)) ||
		    (rc = buf_putc(out, '}')))
			return rc;
	}
	if ((rc = put_str_member(out, &first, "country", p->country)))
		return rc;
	if (p->analysed && (rc = write_analysis(p, out, &first)))
		return rc;
	return buf_putc(out, '}');
}

int post_to_json(const struct post *p, struct buf *out)
{
	size_t start = out->len;
	int rc = write_post(p, out);

	if (rc) {
		/* Leave out as it was: no half-written post. */
		out->len = start;
		if (out->ptr)
			out->ptr[start] = '\0';
	}
	return rc;
}
