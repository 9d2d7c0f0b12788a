/* reviews.c - the reviews connector: a feed of ratings and reviews (an
 * export of a shop, a review platform's API, a file on disk) read as JSON,
 * JSON Lines or CSV and stored as posts of kind review, tied to the
 * product catalogue (see connector.h and reviews.h).
 *
 * A feed is fetched whole (http, https or file://, with its ETag and
 * Last-Modified sent back so that an unchanged feed costs a 304), read into
 * posts, and sorted by date: the reviews are then emitted oldest first and
 * committed every BATCH of them with a cursor of the newest date emitted
 * and the ids emitted at that date, so that a crash re-reads nothing that
 * was committed and skips nothing that was not, whatever order the feed
 * lists its reviews in.  Reviews dated before the cursor are not emitted
 * again; a review added later with an older date than the cursor's is
 * therefore missed (docs/sources.md says so).  A review without a date is
 * emitted at every poll (the store keeps it once).  The ETag and
 * Last-Modified go into the cursor with the last batch only, so that a
 * crash mid-feed does not turn the next fetch into a 304.
 *
 * The catalogue: a review names its product as the platform writes it.
 * Where the run can see the catalogue (source_product()), a name or alias
 * of a catalogue product becomes that product's name, so that the ratings
 * per product (horch eval ratings, GET /api/ratings), which join reviews
 * to the catalogue by name, count it; a name the catalogue does not know
 * is reported once per poll with source_warn(). */
#include "reviews.h"
#include "connector.h"

#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/hash.h"
#include "../core/json.h"
#include "../text/text.h"

#define DEFAULT_PLATFORM "review"
#define DEFAULT_INTERVAL 3600       /* seconds between polls */
#define BATCH 500                   /* reviews per commit */
#define TIMEOUT_MAX 3600            /* seconds, the "timeout" setting's cap */
#define WHY_MAX 400
#define WARNED_MAX 64               /* unknown product names reported per poll */
#define PRODUCT_MAX 1024            /* bytes of a product's name */
#define CSV_BLOCK 65536             /* libcsv's growth step */
/* Reviews one feed may hold: they are all in memory at once to be sorted
 * (a few hundred bytes each).  A feed within SOURCE_BODY_MAX of real
 * reviews (hundreds of bytes of text each) holds far fewer. */
#define REVIEWS_MAX 100000

const char *const reviews_field_names[REVIEWS_N_FIELDS] = {
	"id", "product", "stars", "title", "text", "author", "author_name", "date", "url",
	"lang", "country",
};

/* ---- the map ---- */

void reviews_opts_cleanup(struct reviews_opts *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < REVIEWS_N_FIELDS; i++) {
		free(o->names[i]);
		o->names[i] = NULL;
	}
}

static int field_of(const char *name, size_t len)
{
	for (int i = 0; i < REVIEWS_N_FIELDS; i++)
		if (strlen(reviews_field_names[i]) == len &&
		    !strncmp(reviews_field_names[i], name, len))
			return i;
	if (len == 6 && !strncmp(name, "rating", 6))
		return REVIEWS_STARS;
	return -1;
}

int reviews_map_parse(struct reviews_opts *o, const char *spec, struct horch_err *err)
{
	const char *s = spec;

	while (*s) {
		size_t len = strcspn(s, ","), klen;
		const char *eq = memchr(s, '=', len), *v, *end = s + len;
		size_t vlen;
		int f;

		if (len == 0) {
			s++;
			continue;
		}
		if (!eq)
			return horch_err_set(err, HORCH_EINVAL, "setting \"map\": \"%.*s\" is not "
					     "field=name", (int)(len > 64 ? 64 : len), s);
		klen = (size_t)(eq - s);
		while (klen && s[klen - 1] == ' ')
			klen--;
		while (klen && *s == ' ')
			s++, klen--;
		if ((f = field_of(s, klen)) < 0)
			return horch_err_set(err, HORCH_EINVAL, "setting \"map\": \"%.*s\" is not a "
					     "field (id, product, stars, title, text, author, "
					     "author_name, date, url, lang, country)",
					     (int)(klen > 64 ? 64 : klen), s);
		v = eq + 1;
		vlen = (size_t)(end - v);
		while (vlen && *v == ' ')
			v++, vlen--;
		while (vlen && v[vlen - 1] == ' ')
			vlen--;
		if (vlen > REVIEWS_NAME_MAX)
			return horch_err_set(err, HORCH_EINVAL, "setting \"map\": the name for \"%s\" "
					     "is longer than %d bytes", reviews_field_names[f],
					     REVIEWS_NAME_MAX);
		free(o->names[f]);
		o->names[f] = vlen == 1 && *v == '-' ? horch_xstrdup("") : horch_xstrndup(v, vlen);
		s = v + vlen;
		while (*s == ' ')
			s++;
		if (*s == ',')
			s++;
		else if (*s)
			return horch_err_set(err, HORCH_EINVAL, "setting \"map\": a name may not hold "
					     "'='");
	}
	return 0;
}

/* ---- one record ---- */

/* A record's values by field: pointers into the record (not NUL-ended). */
struct values {
	const char *v[REVIEWS_N_FIELDS];
	size_t len[REVIEWS_N_FIELDS];
};

/* Copy v[0..len) into *field as a string, NULL when empty. */
static void set_str(char **field, const char *v, size_t len)
{
	if (v && len)
		*field = horch_xstrndup(v, len);
}

/* Read "4", "4.5", " 3 " as stars into *out: 0, or -1 when they are not
 * a number from 0 to 5. */
static int parse_stars(const char *v, size_t len, double *out)
{
	char tmp[64], *end;
	double d;

	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (!len || len >= sizeof tmp)
		return -1;
	memcpy(tmp, v, len);
	tmp[len] = 0;
	errno = 0;
	d = strtod(tmp, &end);
	if (errno || *end || !isfinite(d) || d < 0 || d > 5 || !(tmp[0] >= '0' && tmp[0] <= '9'))
		return -1;
	*out = d;
	return 0;
}

/* The id of a review without one: the derived id mixed with its product. */
static void derive_id(struct post *p)
{
	static const unsigned char sep = 0xFF;
	char out[2 + 16 + 1];
	uint64_t h;

	post_derive_external_id(p);
	if (!p->product)
		return;
	h = horch_fnv1a(HORCH_FNV_BASIS, p->external_id, strlen(p->external_id));
	h = horch_fnv1a(h, &sep, 1);
	h = horch_fnv1a(h, p->product, strlen(p->product));
	snprintf(out, sizeof out, "h:%016" PRIx64, h);
	free(p->external_id);
	p->external_id = horch_xstrdup(out);
}

/* Make the post of one record.  Returns it, or NULL with the reason in
 * why (what names the record: "record 7", "line 3"). */
static struct post *make_post(const struct values *val, const struct reviews_opts *o,
			      const char *what, char *why, size_t why_len)
{
	struct horch_err verr;
	struct post *p = post_new();
	const char *v;
	size_t len;

	p->source = horch_xstrdup(o->platform && *o->platform ? o->platform : DEFAULT_PLATFORM);
	p->kind = POST_KIND_REVIEW;
	set_str(&p->external_id, val->v[REVIEWS_ID], val->len[REVIEWS_ID]);
	set_str(&p->title, val->v[REVIEWS_TITLE], val->len[REVIEWS_TITLE]);
	set_str(&p->text, val->v[REVIEWS_TEXT], val->len[REVIEWS_TEXT]);
	set_str(&p->author, val->v[REVIEWS_AUTHOR], val->len[REVIEWS_AUTHOR]);
	set_str(&p->author_name, val->v[REVIEWS_AUTHOR_NAME], val->len[REVIEWS_AUTHOR_NAME]);
	set_str(&p->url, val->v[REVIEWS_URL], val->len[REVIEWS_URL]);
	set_str(&p->lang, val->v[REVIEWS_LANG], val->len[REVIEWS_LANG]);
	set_str(&p->country, val->v[REVIEWS_COUNTRY], val->len[REVIEWS_COUNTRY]);
	if ((v = val->v[REVIEWS_PRODUCT]) && (len = val->len[REVIEWS_PRODUCT])) {
		struct buf b;

		buf_init(&b, PRODUCT_MAX);
		if (text_squeeze_spaces(&b, v, len)) {
			buf_cleanup(&b);
			snprintf(why, why_len, "%s: the product's name is longer than %d bytes", what,
				 PRODUCT_MAX);
			goto bad;
		}
		if (b.len)
			p->product = buf_take(&b);
		buf_cleanup(&b);
	}
	if ((v = val->v[REVIEWS_STARS]) && (len = val->len[REVIEWS_STARS])) {
		if (parse_stars(v, len, &p->rating)) {
			snprintf(why, why_len, "%s: stars \"%.*s\" are not a number from 0 to 5", what,
				 (int)(len > 32 ? 32 : len), v);
			goto bad;
		}
	}
	if ((v = val->v[REVIEWS_DATE]) && (len = val->len[REVIEWS_DATE])) {
		struct horch_err terr;

		if (horch_time_parse(v, len, &p->created_at, &terr)) {
			snprintf(why, why_len, "%s: the date \"%.*s\" cannot be read", what,
				 (int)(len > 40 ? 40 : len), v);
			goto bad;
		}
	}
	if (p->external_id && strlen(p->external_id) > REVIEWS_ID_MAX) {
		snprintf(why, why_len, "%s: an id longer than %u bytes", what, REVIEWS_ID_MAX);
		goto bad;
	}
	if (!p->external_id && (p->title || p->text))
		derive_id(p);
	if (post_validate(p, &verr)) {
		snprintf(why, why_len, "%s: %.300s", what, verr.msg);
		goto bad;
	}
	return p;
bad:
	post_free(p);
	return NULL;
}

/* ---- the feed being read ---- */

struct reader {
	const struct reviews_opts *o;
	struct reviews_feed *out;
	size_t cap;
	reviews_warn_fn warn;
	void *ctx;
	int too_many;             /* more than REVIEWS_MAX reviews: the rest dropped */
};

static void reader_add(struct reader *rd, const struct values *val, const char *what)
{
	char why[WHY_MAX];
	struct post *p;

	rd->out->n_records++;
	if (rd->out->n == REVIEWS_MAX) {
		rd->too_many = 1;
		return;
	}
	p = make_post(val, rd->o, what, why, sizeof why);
	if (!p) {
		rd->out->n_skipped++;
		if (rd->warn)
			rd->warn(rd->ctx, why);
		return;
	}
	if (rd->out->n == rd->cap)
		rd->out->posts = horch_xgrow(rd->out->posts, &rd->cap, rd->out->n + 1,
					     sizeof *rd->out->posts);
	rd->out->posts[rd->out->n++] = p;
}

static void reader_skip(struct reader *rd, const char *why)
{
	rd->out->n_records++;
	rd->out->n_skipped++;
	if (rd->warn)
		rd->warn(rd->ctx, why);
}

/* The name field f is read under: the map's, or its own ("rating" too for
 * stars, see json_value() and csv_columns()). */
static const char *input_name(const struct reviews_opts *o, int f)
{
	return o->names[f] ? o->names[f] : reviews_field_names[f];
}

/* ---- JSON ---- */

/* The value at name in obj: the key itself, else a dotted path. */
static const json_t *json_at(const json_t *obj, const char *name)
{
	const json_t *v = json_object_get(obj, name);
	const char *s = name;

	if (v || !strchr(name, '.'))
		return v;
	v = obj;
	while (v && *s) {
		size_t len = strcspn(s, ".");

		v = json_is_object(v) ? json_object_getn(v, s, len) : NULL;
		s += len;
		if (*s == '.')
			s++;
	}
	return v;
}

/* The text of field f of obj into val (scratch holds numbers' text). */
static void json_value(const json_t *obj, const struct reviews_opts *o, int f,
		       struct values *val, char scratch[][40])
{
	const char *name = input_name(o, f);
	const json_t *v;

	val->v[f] = NULL;
	val->len[f] = 0;
	if (!*name)
		return;
	v = json_at(obj, name);
	if (!v && f == REVIEWS_STARS && !o->names[f])
		v = json_object_get(obj, "rating");
	if (json_is_string(v)) {
		val->v[f] = json_string_value(v);
		val->len[f] = json_string_length(v);
	} else if (json_is_integer(v)) {
		val->len[f] = (size_t)snprintf(scratch[f], 40, "%" JSON_INTEGER_FORMAT,
					       json_integer_value(v));
		val->v[f] = scratch[f];
	} else if (json_is_real(v)) {
		val->len[f] = (size_t)snprintf(scratch[f], 40, "%.17g", json_real_value(v));
		val->v[f] = scratch[f];
	} else if (json_is_boolean(v)) {
		val->v[f] = json_is_true(v) ? "true" : "false";
		val->len[f] = strlen(val->v[f]);
	}
}

static void json_record(struct reader *rd, const json_t *obj, const char *what)
{
	char scratch[REVIEWS_N_FIELDS][40];
	struct values val;

	if (!json_is_object(obj)) {
		char why[WHY_MAX];

		snprintf(why, sizeof why, "%s: not an object", what);
		reader_skip(rd, why);
		return;
	}
	for (int f = 0; f < REVIEWS_N_FIELDS; f++)
		json_value(obj, rd->o, f, &val, scratch);
	reader_add(rd, &val, what);
}

static int read_json_array(struct reader *rd, const char *body, size_t len, struct horch_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, 0, &jerr);

	if (!root)
		return horch_err_at(err, HORCH_EPARSE, jerr.line, jerr.column,
				    "feed: not JSON at byte %d (line %d, column %d): %s",
				    jerr.position, jerr.line, jerr.column, jerr.text);
	if (!json_is_array(root)) {
		json_decref(root);
		return horch_err_set(err, HORCH_EPARSE, "feed: JSON that is not an array");
	}
	for (size_t i = 0; i < json_array_size(root); i++) {
		char what[48];

		snprintf(what, sizeof what, "review %zu", i + 1);
		json_record(rd, json_array_get(root, i), what);
	}
	json_decref(root);
	return 0;
}

static void read_json_lines(struct reader *rd, const char *body, size_t len)
{
	size_t pos = 0, line = 0;

	while (pos < len) {
		const char *s = body + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, k = 0;
		char what[48];

		pos += n + (nl ? 1 : 0);
		line++;
		while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
			k++;
		if (k == n)
			continue;
		snprintf(what, sizeof what, "line %zu", line);
		{
			json_error_t jerr;
			json_t *obj = json_loadb(s, n, 0, &jerr);

			if (!obj) {
				char why[WHY_MAX];

				snprintf(why, sizeof why, "%s: not JSON at column %d: %s", what,
					 jerr.column, jerr.text);
				reader_skip(rd, why);
				continue;
			}
			json_record(rd, obj, what);
			json_decref(obj);
		}
	}
}

/* ---- CSV ---- */

struct csv_state {
	struct reader *rd;
	struct buf cells;         /* the record's fields, back to back */
	size_t *starts, *lens;    /* field i at cells.ptr + starts[i] */
	size_t n_fields, fields_cap;
	size_t n_cols;            /* columns of the header; 0 until it is read */
	int col[REVIEWS_N_FIELDS];/* the column of each field, -1: none */
	size_t record;            /* records read after the header */
	int failed;               /* a header problem, in err */
	struct horch_err *err;
};

static void on_field(void *s, size_t len, void *ctx)
{
	struct csv_state *st = ctx;

	if (st->n_fields == st->fields_cap) {
		size_t cap = st->fields_cap;

		st->starts = horch_xgrow(st->starts, &cap, st->n_fields + 1, sizeof *st->starts);
		st->lens = horch_xgrow(st->lens, &st->fields_cap, st->n_fields + 1,
				       sizeof *st->lens);
	}
	st->starts[st->n_fields] = st->cells.len;
	st->lens[st->n_fields] = len;
	st->n_fields++;
	if (len)
		buf_append(&st->cells, s, len);
}

/* Find each field's column in the header (the map's name, else its own,
 * "rating" for stars); a name the map gives must be there. */
static void csv_columns(struct csv_state *st)
{
	const struct reviews_opts *o = st->rd->o;

	st->n_cols = st->n_fields;
	for (int f = 0; f < REVIEWS_N_FIELDS; f++) {
		const char *name = input_name(o, f);

		st->col[f] = -1;
		if (!*name)
			continue;
		for (size_t i = 0; i < st->n_fields && st->col[f] < 0; i++)
			if (st->lens[i] == strlen(name) &&
			    !memcmp(st->cells.ptr + st->starts[i], name, st->lens[i]))
				st->col[f] = (int)i;
		if (st->col[f] < 0 && f == REVIEWS_STARS && !o->names[f])
			for (size_t i = 0; i < st->n_fields && st->col[f] < 0; i++)
				if (st->lens[i] == 6 &&
				    !memcmp(st->cells.ptr + st->starts[i], "rating", 6))
					st->col[f] = (int)i;
		if (st->col[f] < 0 && o->names[f] && !st->failed) {
			st->failed = 1;
			horch_err_set(st->err, HORCH_EPARSE, "feed: the CSV header has no column "
				      "\"%.64s\" (setting \"map\", field %s)", name,
				      reviews_field_names[f]);
		}
	}
}

static void on_record(int c, void *ctx)
{
	struct csv_state *st = ctx;
	struct values val;
	char what[48];

	(void)c;
	if (st->failed)
		goto out;
	if (!st->n_cols) {
		if (st->n_fields > REVIEWS_COLUMNS_MAX) {
			st->failed = 1;
			horch_err_set(st->err, HORCH_EPARSE, "feed: a CSV header of more than %d "
				      "columns", REVIEWS_COLUMNS_MAX);
		} else {
			csv_columns(st);
		}
		goto out;
	}
	st->record++;
	snprintf(what, sizeof what, "record %zu", st->record);
	if (st->n_fields != st->n_cols) {
		char why[WHY_MAX];

		snprintf(why, sizeof why, "%s: %zu fields, the header has %zu", what, st->n_fields,
			 st->n_cols);
		reader_skip(st->rd, why);
		goto out;
	}
	for (int f = 0; f < REVIEWS_N_FIELDS; f++) {
		val.v[f] = st->col[f] >= 0 ? st->cells.ptr + st->starts[st->col[f]] : NULL;
		val.len[f] = st->col[f] >= 0 ? st->lens[st->col[f]] : 0;
	}
	reader_add(st->rd, &val, what);
out:
	buf_reset(&st->cells);
	st->n_fields = 0;
}

static int read_csv(struct reader *rd, const char *body, size_t len, struct horch_err *err)
{
	struct csv_state st = { .rd = rd, .err = err };
	struct csv_parser csv;
	int rc = 0;

	buf_init(&st.cells, BUF_NOLIMIT);
	csv_init(&csv, 0);
	csv_set_delim(&csv, (unsigned char)(rd->o->delimiter ? rd->o->delimiter : ','));
	csv_set_realloc_func(&csv, horch_xrealloc);
	csv_set_blk_size(&csv, CSV_BLOCK);
	if (csv_parse(&csv, body, len, on_field, on_record, &st) != len ||
	    csv_fini(&csv, on_field, on_record, &st) != 0) {
		if (!st.failed)
			rc = horch_err_set(err, HORCH_EPARSE, "feed: CSV: %s",
					   csv_strerror(csv_error(&csv)));
	}
	if (st.failed)
		rc = HORCH_EPARSE;
	else if (!rc && !st.n_cols)
		rc = horch_err_set(err, HORCH_EPARSE, "feed: CSV without a header");
	csv_free(&csv);
	buf_cleanup(&st.cells);
	free(st.starts);
	free(st.lens);
	return rc;
}

/* ---- the whole feed ---- */

static int by_date(const void *a, const void *b)
{
	const struct post *p = *(struct post *const *)a, *q = *(struct post *const *)b;

	if (p->created_at != q->created_at)
		return p->created_at < q->created_at ? -1 : 1;
	return strcmp(p->external_id, q->external_id);
}

int reviews_parse(const char *body, size_t len, const struct reviews_opts *o,
		  struct reviews_feed *out, reviews_warn_fn warn, void *ctx, struct horch_err *err)
{
	struct reader rd = { o, out, 0, warn, ctx, 0 };
	enum reviews_format format = o->format;
	size_t k = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) {
		body += 3;
		len -= 3;
	}
	while (k < len && (body[k] == ' ' || body[k] == '\t' || body[k] == '\r' || body[k] == '\n'))
		k++;
	if (format == REVIEWS_FORMAT_AUTO)
		format = k < len && (body[k] == '[' || body[k] == '{') ? REVIEWS_FORMAT_JSON
								      : REVIEWS_FORMAT_CSV;
	out->format = format;
	if (format == REVIEWS_FORMAT_CSV)
		rc = read_csv(&rd, body, len, err);
	else if (k < len && body[k] == '[')
		rc = read_json_array(&rd, body, len, err);
	else if (k == len && format == REVIEWS_FORMAT_JSON)
		rc = 0;   /* an empty JSON Lines feed */
	else
		read_json_lines(&rd, body, len), rc = 0;
	if (rc == 0 && rd.too_many)
		rc = horch_err_set(err, HORCH_ETOOBIG, "feed: more than %d reviews (split the "
				   "export)", REVIEWS_MAX);
	if (rc) {
		reviews_feed_cleanup(out);
		return rc;
	}
	if (out->n > 1)
		qsort(out->posts, out->n, sizeof *out->posts, by_date);
	return 0;
}

void reviews_feed_cleanup(struct reviews_feed *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		post_free(f->posts[i]);
	free(f->posts);
	memset(f, 0, sizeof *f);
}

/* ---- the cursor ---- */

static const struct source_mark_caps mark_caps = { 0, REVIEWS_IDS_BYTES, REVIEWS_ID_MAX };

void reviews_cursor_init(struct reviews_cursor *c)
{
	source_mark_init(&c->seen, &mark_caps);
	c->etag = NULL;
	c->last_modified = NULL;
}

void reviews_cursor_cleanup(struct reviews_cursor *c)
{
	if (!c)
		return;
	source_mark_cleanup(&c->seen);
	free(c->etag);
	free(c->last_modified);
	c->etag = NULL;
	c->last_modified = NULL;
}

static int opt_str(const json_t *root, const char *key, char **out, const char **why)
{
	const json_t *v = json_object_get(root, key);

	if (!v)
		return 0;
	if (!json_is_string(v) || json_string_length(v) > POST_FIELD_MAX) {
		*why = "etag or last_modified is not a short string";
		return -1;
	}
	*out = horch_xstrdup(json_string_value(v));
	return 0;
}

int reviews_cursor_read(struct reviews_cursor *c, const char *s, struct horch_err *err)
{
	const char *why = NULL;
	const json_t *t, *ids;
	json_t *root;
	int rc;

	reviews_cursor_cleanup(c);
	if ((rc = source_mark_cursor(&root, s, err)) || !root)
		return rc;
	t = json_object_get(root, "t");
	ids = json_object_get(root, "ids");
	if (t && !json_is_integer(t)) {
		why = "\"t\" is not a time in ms";
	} else if (ids && (!t || !json_is_array(ids))) {
		why = "\"ids\" is not an array beside \"t\"";
	} else if (opt_str(root, "etag", &c->etag, &why) ||
		   opt_str(root, "last_modified", &c->last_modified, &why)) {
		;
	} else if (t) {
		/* Ids beyond the caps are left out as when they were noted. */
		c->seen.t = json_integer_value(t);
		for (size_t i = 0; i < json_array_size(ids) && !why; i++) {
			const json_t *v = json_array_get(ids, i);

			if (!json_is_string(v))
				why = "an id is not a string";
			else
				source_mark_newest(&c->seen, c->seen.t, json_string_value(v));
		}
	}
	if (why) {
		rc = horch_err_set(err, HORCH_EPARSE, "cursor: %s", why);
		reviews_cursor_cleanup(c);
	}
	json_decref(root);
	return rc;
}

int reviews_cursor_write(const struct reviews_cursor *c, struct buf *out)
{
	int rc = 0, first = 1;

	buf_reset(out);
	if ((rc = buf_putc(out, '{')) || (rc = source_mark_write(out, "t", "ids", &c->seen, &first)))
		return rc;
	if (c->etag) {
		if ((rc = buf_puts(out, first ? "\"etag\":" : ",\"etag\":")) ||
		    (rc = json_put_string(out, c->etag)))
			return rc;
		first = 0;
	}
	if (c->last_modified) {
		if ((rc = buf_puts(out, first ? "\"last_modified\":" : ",\"last_modified\":")) ||
		    (rc = json_put_string(out, c->last_modified)))
			return rc;
	}
	return buf_putc(out, '}');
}

/* ---- settings ---- */

static const struct source_key keys[] = {
	{ "format", 0, "json, csv or auto (the default: JSON when the feed starts with [ or {)" },
	{ "map", 0, "the feed's names of the fields: \"stars=overall,text=reviewText,id=-\"" },
	{ "platform", 0, "the posts' source (default \"review\"): amazon, trustpilot, ..." },
	{ "delimiter", 0, "CSV's field delimiter: one character or \"tab\" (default ',')" },
	{ "timeout", 0, "seconds the fetch may take (default 30)" },
	{ NULL, 0, NULL },
};

/* Read the settings of c into o.  Returns 0 or HORCH_EINVAL naming the
 * key; o is then cleaned up. */
static int read_opts(const struct source_conf *c, struct reviews_opts *o, int *timeout_ms,
		     struct horch_err *err)
{
	const char *f = source_param(c, "format"), *map = source_param(c, "map");
	const char *platform = source_param(c, "platform"), *d = source_param(c, "delimiter");
	int rc;

	memset(o, 0, sizeof *o);
	if (!f || !strcmp(f, "auto"))
		o->format = REVIEWS_FORMAT_AUTO;
	else if (!strcmp(f, "json") || !strcmp(f, "jsonl"))
		o->format = REVIEWS_FORMAT_JSON;
	else if (!strcmp(f, "csv"))
		o->format = REVIEWS_FORMAT_CSV;
	else
		return horch_err_set(err, HORCH_EINVAL, "setting \"format\": json, csv or auto");
	if (platform && (!*platform || strlen(platform) > 32 ||
			 strspn(platform, "abcdefghijklmnopqrstuvwxyz0123456789_-.") !=
			 strlen(platform)))
		return horch_err_set(err, HORCH_EINVAL, "setting \"platform\": 1 to 32 lower case "
				     "letters, digits, '_', '-' or '.'");
	o->platform = platform ? platform : DEFAULT_PLATFORM;
	if (d) {
		if (!strcmp(d, "tab"))
			o->delimiter = '\t';
		else if (strlen(d) == 1 && d[0] != '"' && d[0] != '\n' && d[0] != '\r')
			o->delimiter = d[0];
		else
			return horch_err_set(err, HORCH_EINVAL, "setting \"delimiter\": one "
					     "character or \"tab\"");
	}
	if ((rc = source_timeout_param(c, TIMEOUT_MAX, timeout_ms, err)))
		return rc;
	if (map && (rc = reviews_map_parse(o, map, err))) {
		reviews_opts_cleanup(o);
		return rc;
	}
	return 0;
}

static int check(const struct source_conf *c, struct horch_err *err)
{
	struct reviews_opts o;
	int timeout, rc;

	if (!c->url || !*c->url)
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": the feed's URL is needed "
				     "(http://, https:// or file://)");
	if (strncmp(c->url, "http://", 7) && strncmp(c->url, "https://", 8) &&
	    strncmp(c->url, "file://", 7))
		return horch_err_set(err, HORCH_EINVAL, "setting \"url\": an http://, https:// or "
				     "file:// URL");
	if ((rc = read_opts(c, &o, &timeout, err)))
		return rc;
	reviews_opts_cleanup(&o);
	return 0;
}

/* ---- the catalogue ---- */

/* Names of unknown products already reported in this poll. */
struct warned {
	char *names[WARNED_MAX];
	size_t n;
};

/* Give p the catalogue's name of its product, or report the name once. */
static void tie_product(struct source_run *r, struct post *p, struct warned *w)
{
	char name[PRODUCT_MAX + 1];
	int got;

	if (!p->product)
		return;
	got = source_product(r, p->product, name, sizeof name);
	if (got > 0) {
		if (strcmp(name, p->product)) {
			free(p->product);
			p->product = horch_xstrdup(name);
		}
		return;
	}
	if (got < 0)
		return;
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->names[i], p->product))
			return;
	if (w->n < WARNED_MAX)
		w->names[w->n++] = horch_xstrdup(p->product);
	source_warn(r, "product \"%.100s\" is not in the catalogue: its reviews count for no "
		    "product (horch product add, or an alias)", p->product);
}

/* ---- a poll ---- */

static int commit(struct source_run *r, const struct reviews_cursor *c, struct buf *b)
{
	int rc = reviews_cursor_write(c, b);

	return rc ? rc : source_commit(r, b->ptr);
}

static int run(struct source_run *r, struct horch_err *err)
{
	const struct source_conf *c = source_run_conf(r);
	struct reviews_cursor cur;
	struct reviews_opts o;
	struct source_req req = { 0 };
	struct source_resp resp;
	struct reviews_feed feed = { 0 };
	struct warned warned = { { 0 }, 0 };
	struct horch_err cerr;
	struct buf cbuf;
	int timeout, rc;
	size_t since_commit = 0;

	reviews_cursor_init(&cur);
	source_resp_init(&resp);
	buf_init(&cbuf, SOURCE_CURSOR_MAX);
	memset(&o, 0, sizeof o);
	if ((rc = check(c, err)) || (rc = read_opts(c, &o, &timeout, err)))
		goto out;
	if (reviews_cursor_read(&cur, source_run_cursor(r), &cerr))
		source_warn(r, "%s; reading the whole feed again", cerr.msg);
	req.url = c->url;
	req.etag = cur.etag;
	req.last_modified = cur.last_modified;
	req.timeout_ms = timeout;
	if ((rc = source_fetch(r, &req, &resp, err)))
		goto out;
	if (resp.status == 304)
		goto out;
	if (resp.status != 200) {
		rc = source_http_error(&req, &resp, err);
		goto out;
	}
	if ((rc = reviews_parse(resp.body.ptr ? resp.body.ptr : "", resp.body.len, &o, &feed,
				source_warn_cb, r, err)))
		goto out;
	/* The validators of this answer are the cursor's only once every
	 * review of it is committed: cur keeps the old ones until then. */
	for (size_t i = 0; i < feed.n; i++) {
		struct post *p = feed.posts[i];

		if (source_mark_covers(&cur.seen, p->created_at, p->external_id))
			continue;
		source_mark_newest(&cur.seen, p->created_at, p->external_id);
		tie_product(r, p, &warned);
		feed.posts[i] = NULL;
		if ((rc = source_emit(r, p)))
			goto out;
		if (++since_commit == BATCH) {
			since_commit = 0;
			if ((rc = commit(r, &cur, &cbuf)))
				goto out;
		}
	}
	free(cur.etag);
	free(cur.last_modified);
	cur.etag = horch_xstrdup(resp.etag);
	cur.last_modified = horch_xstrdup(resp.last_modified);
	rc = commit(r, &cur, &cbuf);
out:
	for (size_t i = 0; i < warned.n; i++)
		free(warned.names[i]);
	reviews_feed_cleanup(&feed);
	reviews_opts_cleanup(&o);
	reviews_cursor_cleanup(&cur);
	source_resp_cleanup(&resp);
	buf_cleanup(&cbuf);
	return rc;
}

const struct connector connector_reviews = {
	.kind = "reviews",
	.summary = "Reviews: a feed of ratings and reviews (JSON, JSON Lines or CSV), tied to "
		   "the product catalogue",
	.default_url = NULL,
	.interval = DEFAULT_INTERVAL,
	.keys = keys,
	.catalogue = 1,
	.check = check,
	.run = run,
};
