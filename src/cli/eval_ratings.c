/* eval_ratings.c - `horch eval ratings FILE`: the ratings of every product
 * of a CSV file of reviews, and what the two-star rule would pull.
 *
 * The file is Datafiniti's layout of Amazon reviews (a UTF-8 byte order mark,
 * a header, one review per record; quoted texts may span lines).  Its
 * columns are found by their header names: name (the product), asins (one
 * or several ASINs separated by commas; the first is shown), reviews.rating
 * (1 to 5 stars, fractions allowed), reviews.date (any form of
 * horch_time_parse()), reviews.text and reviews.username.  A product is one
 * name.  The same review is syndicated to a product's variants: a second
 * record of one product with the same text and user name is dropped and
 * counted (SOURCE.md of the shared reviews says so).  A record without a
 * name, a rating or a date is left out and counted; a rating or a date that
 * is there but cannot be read is an error naming the file, the line and the
 * column, as is a missing column of the header.
 *
 * The summary of each product (rating_summarise() of src/signal) is taken
 * at the newest review of the file, so that an old file can be judged as if
 * on the day it was taken; the output says which day that is.  Products are
 * printed busiest first, then the reviews of all products together and how
 * many products the two-star rule pulls under --below, --min-reviews and
 * --window.  The whole file is read into memory (at most
 * RATINGS_MAX_FILE bytes); memory is about twice the file's size.
 * Single-threaded. */
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/hash.h"
#include "../signal/signal.h"

#define RATINGS_MAX_FILE ((size_t)256 << 20)  /* bytes of the file */
#define RATINGS_MAX_ROWS ((size_t)4 << 20)    /* records after the header */
#define RATINGS_MAX_COLS 1000                 /* fields of one record */
#define RATINGS_MAX_NAME 1024                 /* bytes of a product name */
#define RATINGS_MAX_TEXT ((size_t)1 << 20)    /* bytes of a review's text or user name */
#define RATINGS_MAX_VALUE 64                  /* bytes of a rating or a date */
#define RATINGS_MAX_ASIN 32                   /* bytes of the first ASIN kept */
#define RATINGS_CSV_BLOCK (64 * 1024)         /* libcsv's growth step of a field */
#define RATINGS_Z95 1.96

/* The columns read, in the order of col_names[]. */
enum { COL_NAME, COL_ASINS, COL_RATING, COL_DATE, COL_TEXT, COL_USER, N_COLS };

static const char *const col_names[N_COLS] = {
	"name", "asins", "reviews.rating", "reviews.date", "reviews.text", "reviews.username",
};

static const size_t col_max[N_COLS] = {
	RATINGS_MAX_NAME, RATINGS_MAX_ASIN, RATINGS_MAX_VALUE, RATINGS_MAX_VALUE,
	RATINGS_MAX_TEXT, RATINGS_MAX_TEXT,
};

/* A slot of an open-addressing hash set: idx is an index + 1, 0 is free. */
struct slot {
	uint64_t h;
	size_t idx;
};

struct hset {
	struct slot *s;
	size_t cap;  /* a power of two, or 0 */
	size_t n;
};

/* One product: a name and what its reviews say. */
struct product {
	char *name;                  /* in the arena */
	size_t name_len;             /* its bytes (a name may hold a NUL) */
	char asin[RATINGS_MAX_ASIN + 1]; /* the first ASIN of its first record */
	size_t n_rows;               /* its records, duplicates included */
	size_t n;                    /* its reviews after de-duplication */
	struct rating_review *r;     /* its reviews: a slice of the grouped array */
	struct rating_summary sum;
};

/* A kept review: its product and the de-duplication key (text, user). */
struct review {
	size_t product;
	struct rating_review rv;
	const char *text, *user;     /* in the arena */
	size_t text_len, user_len;
};

/* What reading the file passes around. */
struct reader {
	const char *path;
	struct horch_err *err;
	int rc;                      /* the first error of a callback */
	int header_done;
	long col[N_COLS];            /* the field index of each column, -1 when absent */
	long need;                   /* 1 + the largest of col[] */
	size_t field;                /* index of the next field of the record */
	size_t rec_bytes;            /* bytes of the record's fields so far */
	struct buf val[N_COLS];      /* this record's fields of the columns */
	int too_big[N_COLS];         /* the field passed its cap */
	size_t line;                 /* the line where the current record starts */
	size_t cur_line;             /* the line being fed */
	size_t n_rows;               /* records after the header */
	size_t n_dup;                /* duplicates dropped */
	size_t n_no_name, n_no_rating, n_no_date; /* records left out */
	struct arena mem;            /* names and keys */
	struct product *prod;
	size_t n_prod, cap_prod;
	struct hset prod_set;        /* name -> product */
	struct review *rev;
	size_t n_rev, cap_rev;
	struct hset rev_set;         /* (product, text, user) -> review */
};

/* ---- the hash sets ---- */

/* Find h in hs: the slot of the entry for which eq(ctx, index) holds, or
 * the free slot where it would go. */
static struct slot *hset_slot(struct hset *hs, uint64_t h,
			      int (*eq)(const struct reader *, size_t, const void *),
			      const struct reader *rd, const void *key)
{
	size_t mask = hs->cap - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		struct slot *s = &hs->s[i];

		if (s->idx == 0 || (s->h == h && eq(rd, s->idx - 1, key)))
			return s;
	}
}

/* Room for one more entry: the table stays at most half full. */
static void hset_reserve(struct hset *hs)
{
	struct slot *old = hs->s;
	size_t old_cap = hs->cap;

	if (hs->cap && (hs->n + 1) * 2 <= hs->cap)
		return;
	hs->cap = hs->cap ? hs->cap * 2 : 64;
	hs->s = horch_xcalloc(hs->cap, sizeof *hs->s);
	for (size_t k = 0; k < old_cap; k++) {
		size_t i;

		if (old[k].idx == 0)
			continue;
		for (i = (size_t)old[k].h & (hs->cap - 1); hs->s[i].idx;
		     i = (i + 1) & (hs->cap - 1))
			;
		hs->s[i] = old[k];
	}
	free(old);
}

/* ---- reading the records ---- */

/* s[0..*len) without the blanks around it. */
static const char *trim(const char *s, size_t *len)
{
	while (*len && (*s == ' ' || *s == '\t'))
		s++, (*len)--;
	while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

struct name_key {
	const char *s;
	size_t len;
};

static int name_eq(const struct reader *rd, size_t idx, const void *key)
{
	const struct name_key *k = key;
	const struct product *p = &rd->prod[idx];

	return p->name_len == k->len && memcmp(p->name, k->s, k->len) == 0;
}

/* The index of the product called name[0..len), added when new. */
static size_t product_of(struct reader *rd, const char *name, size_t len, const char *asins,
			 size_t asins_len)
{
	struct name_key key = { name, len };
	uint64_t h = horch_fnv1a(HORCH_FNV_BASIS, name, len);
	struct product *p;
	struct slot *s;

	hset_reserve(&rd->prod_set);
	s = hset_slot(&rd->prod_set, h, name_eq, rd, &key);
	if (s->idx)
		return s->idx - 1;
	rd->prod = horch_xgrow(rd->prod, &rd->cap_prod, rd->n_prod + 1, sizeof *rd->prod);
	p = &rd->prod[rd->n_prod];
	memset(p, 0, sizeof *p);
	p->name = arena_strndup(&rd->mem, name, len);
	p->name_len = len;
	/* The first ASIN: up to the first comma (asins holds at most
	 * RATINGS_MAX_ASIN bytes of the field, which may end inside a longer
	 * list). */
	{
		const char *comma = memchr(asins, ',', asins_len);
		size_t alen = comma ? (size_t)(comma - asins) : asins_len;

		asins = trim(asins, &alen);
		memcpy(p->asin, asins, alen);
		p->asin[alen] = '\0';
	}
	s->h = h;
	s->idx = ++rd->n_prod;
	rd->prod_set.n++;
	return rd->n_prod - 1;
}

static int review_eq(const struct reader *rd, size_t idx, const void *key)
{
	const struct review *a = &rd->rev[idx], *b = key;

	return a->product == b->product && a->text_len == b->text_len &&
	       a->user_len == b->user_len && memcmp(a->text, b->text, a->text_len) == 0 &&
	       memcmp(a->user, b->user, a->user_len) == 0;
}

/* Keep the review *rv unless its product already has one with the same
 * text and user name (then count a duplicate).  rv's strings point into
 * the record; a kept review's are copied into the arena. */
static void add_review(struct reader *rd, struct review *rv)
{
	uint64_t h = horch_fnv1a(HORCH_FNV_BASIS, &rv->product, sizeof rv->product);
	struct slot *s;

	h = horch_fnv1a(h, rv->text, rv->text_len);
	h = horch_fnv1a(h, "", 1); /* the text ends: ("ab", "c") is not ("a", "bc") */
	h = horch_fnv1a(h, rv->user, rv->user_len);
	hset_reserve(&rd->rev_set);
	s = hset_slot(&rd->rev_set, h, review_eq, rd, rv);
	if (s->idx) {
		rd->n_dup++;
		return;
	}
	rv->text = arena_strndup(&rd->mem, rv->text, rv->text_len);
	rv->user = arena_strndup(&rd->mem, rv->user, rv->user_len);
	rd->rev = horch_xgrow(rd->rev, &rd->cap_rev, rd->n_rev + 1, sizeof *rd->rev);
	rd->rev[rd->n_rev] = *rv;
	s->h = h;
	s->idx = ++rd->n_rev;
	rd->rev_set.n++;
}

/* An error at column c of the current record: "FILE:LINE: column K
 * (NAME): " and the message. */
static int field_error(struct reader *rd, int c, const char *what, const char *value,
		       size_t len)
{
	char shown[80], quoted[256];

	snprintf(shown, sizeof shown, "%.*s%s", (int)(len > 60 ? 60 : len), value,
		 len > 60 ? "..." : "");
	cli_quote(quoted, sizeof quoted, shown);
	return horch_err_at(rd->err, HORCH_EPARSE, (long)rd->line, 0,
			    "%s:%zu: column %ld (%s): the %s '%s' %s", rd->path, rd->line,
			    rd->col[c] + 1, col_names[c], c == COL_RATING ? "rating" : "date",
			    quoted, what);
}

/* Parse a rating: digits, optionally a point and more digits, from 1 to 5.
 * Returns 0 with *out set, or -1. */
static int parse_stars(const char *s, size_t len, double *out)
{
	size_t i = 0, n_int = 0;
	char tmp[RATINGS_MAX_VALUE + 1];
	double v;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, n_int++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != len || n_int == 0 || len > RATINGS_MAX_VALUE || (s[len - 1] == '.'))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	v = strtod(tmp, NULL);
	if (!(v >= 1 && v <= 5))
		return -1;
	*out = v;
	return 0;
}

/* One record of the file: the header, or a review. */
static int on_row(struct reader *rd)
{
	const char *v[N_COLS];
	size_t len[N_COLS];
	struct review rv;
	struct horch_err terr;
	double stars = 0;
	int64_t t = 0;
	int has_rating, has_date;

	if (!rd->header_done) {
		rd->header_done = 1;
		rd->need = 0;
		for (int c = 0; c < N_COLS; c++) {
			if (rd->col[c] < 0)
				return horch_err_at(rd->err, HORCH_EPARSE, (long)rd->line, 0,
						    "%s:%zu: no column named '%s' in the header "
						    "(expected name, asins, reviews.rating, "
						    "reviews.date, reviews.text and "
						    "reviews.username)", rd->path, rd->line,
						    col_names[c]);
			if (rd->col[c] + 1 > rd->need)
				rd->need = rd->col[c] + 1;
		}
		return 0;
	}
	if (rd->field == 1 && rd->rec_bytes == 0)
		return 0; /* a line of blanks */
	if (++rd->n_rows > RATINGS_MAX_ROWS)
		return horch_err_at(rd->err, HORCH_ETOOBIG, (long)rd->line, 0, "%s:%zu: more "
				    "than %zu reviews", rd->path, rd->line, RATINGS_MAX_ROWS);
	if ((long)rd->field < rd->need)
		return horch_err_at(rd->err, HORCH_EPARSE, (long)rd->line, 0, "%s:%zu: %zu "
				    "fields, fewer than the header's columns", rd->path, rd->line,
				    rd->field);
	for (int c = 0; c < N_COLS; c++) {
		len[c] = rd->val[c].len;
		v[c] = trim(rd->val[c].ptr ? rd->val[c].ptr : "", &len[c]);
		if (rd->too_big[c] && c != COL_ASINS) {
			if (c == COL_RATING || c == COL_DATE)
				return field_error(rd, c, "is too long", v[c], len[c]);
			return horch_err_at(rd->err, HORCH_ETOOBIG, (long)rd->line, 0,
					    "%s:%zu: column %ld (%s): more than %zu bytes",
					    rd->path, rd->line, rd->col[c] + 1, col_names[c],
					    col_max[c]);
		}
	}
	/* A rating or a date that is there must be readable, even in a record
	 * left out for another reason. */
	has_rating = len[COL_RATING] > 0;
	has_date = len[COL_DATE] > 0;
	if (has_rating && parse_stars(v[COL_RATING], len[COL_RATING], &stars))
		return field_error(rd, COL_RATING, "is not a number from 1 to 5", v[COL_RATING],
				   len[COL_RATING]);
	horch_err_clear(&terr);
	if (has_date && horch_time_parse(v[COL_DATE], len[COL_DATE], &t, &terr))
		return field_error(rd, COL_DATE, "is not a date (RFC 3339, such as "
				   "2017-09-20T00:00:00.000Z)", v[COL_DATE], len[COL_DATE]);
	if (len[COL_NAME] == 0) {
		rd->n_no_name++;
		return 0;
	}
	if (!has_rating) {
		rd->n_no_rating++;
		return 0;
	}
	if (!has_date) {
		rd->n_no_date++;
		return 0;
	}
	memset(&rv, 0, sizeof rv);
	rv.product = product_of(rd, v[COL_NAME], len[COL_NAME], v[COL_ASINS], len[COL_ASINS]);
	rd->prod[rv.product].n_rows++;
	rv.rv.t = t;
	rv.rv.stars = stars;
	/* The text and the user name as written: the copies of a syndicated
	 * review are byte for byte the same. */
	rv.text = rd->val[COL_TEXT].ptr ? rd->val[COL_TEXT].ptr : "";
	rv.text_len = rd->val[COL_TEXT].len;
	rv.user = rd->val[COL_USER].ptr ? rd->val[COL_USER].ptr : "";
	rv.user_len = rd->val[COL_USER].len;
	add_review(rd, &rv);
	return 0;
}

static void on_field(void *s, size_t n, void *ctx)
{
	struct reader *rd = ctx;
	const char *f = s ? s : "";
	size_t k = rd->field++;

	if (!s)
		n = 0;
	if (rd->rc)
		return;
	rd->rec_bytes += n;
	if (k == 0) {
		/* The record starts on the line where its first field ends,
		 * less the line breaks inside that field (a quoted one). */
		size_t breaks = 0;

		for (size_t i = 0; i < n; i++)
			breaks += f[i] == '\n' || (f[i] == '\r' && (i + 1 == n || f[i + 1] != '\n'));
		rd->line = rd->cur_line > breaks ? rd->cur_line - breaks : 1;
	}
	if (k >= RATINGS_MAX_COLS) {
		if (k == RATINGS_MAX_COLS)
			rd->rc = horch_err_at(rd->err, HORCH_ETOOBIG, (long)rd->cur_line, 0,
					      "%s:%zu: more than %d fields in a record",
					      rd->path, rd->line, RATINGS_MAX_COLS);
		return;
	}
	if (!rd->header_done) {
		/* The header: which field is which column (the first of a name). */
		for (int c = 0; c < N_COLS; c++)
			if (rd->col[c] < 0 && strlen(col_names[c]) == n &&
			    strncasecmp(f, col_names[c], n) == 0)
				rd->col[c] = (long)k;
		return;
	}
	for (int c = 0; c < N_COLS; c++) {
		if (rd->col[c] != (long)k)
			continue;
		if (c == COL_ASINS && n > RATINGS_MAX_ASIN)
			n = RATINGS_MAX_ASIN; /* only the first ASIN is shown */
		if (buf_append(&rd->val[c], f, n))
			rd->too_big[c] = 1;
	}
}

static void on_record(int c, void *ctx)
{
	struct reader *rd = ctx;

	(void)c;
	if (rd->rc == 0 && rd->field)
		rd->rc = on_row(rd);
	for (int k = 0; k < N_COLS; k++) {
		buf_reset(&rd->val[k]);
		rd->too_big[k] = 0;
	}
	rd->field = 0;
	rd->rec_bytes = 0;
}

/* Read the CSV text data[0..len) into rd.  Returns 0 or an error with
 * rd->err filled. */
static int read_reviews(struct reader *rd, const char *data, size_t len)
{
	struct csv_parser p;
	size_t i, start = 0;
	int rc = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return horch_err_set(rd->err, HORCH_EIO, "%s: out of memory", rd->path);
	csv_set_realloc_func(&p, horch_xrealloc);
	csv_set_blk_size(&p, RATINGS_CSV_BLOCK);
	rd->cur_line = rd->line = 1;
	/* Fed a line at a time (a line ends at LF, CR LF or a lone CR, as for
	 * libcsv), so that each record knows the line it starts on. */
	for (i = 0; i <= len && rd->rc == 0; i++) {
		size_t end;

		if (i < len && data[i] != '\n' &&
		    !(data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
			continue;
		end = i < len ? i + 1 : len;
		if (end > start && csv_parse(&p, data + start, end - start, on_field, on_record,
					     rd) != end - start) {
			rc = horch_err_at(rd->err, HORCH_EPARSE, (long)rd->cur_line, 0,
					  "%s:%zu: %s", rd->path, rd->cur_line,
					  csv_error(&p) == CSV_EPARSE ? "a quote inside an unquoted "
					  "field, or text after a closing quote" :
					  csv_strerror(csv_error(&p)));
			break;
		}
		start = end;
		/* A last line without a line break is still the last line: a
		 * record that csv_fini() ends is on it. */
		rd->cur_line += i < len;
	}
	if (rc == 0 && rd->rc == 0 && csv_fini(&p, on_field, on_record, rd) != 0)
		rc = horch_err_at(rd->err, HORCH_EPARSE, (long)rd->line, 0, "%s:%zu: a quoted "
				  "field that never ends", rd->path, rd->line);
	csv_free(&p);
	if (rc == 0)
		rc = rd->rc;
	if (rc == 0 && !rd->header_done)
		rc = horch_err_set(rd->err, HORCH_EPARSE, "%s: empty (expected a header with "
				   "name, asins, reviews.rating, reviews.date, reviews.text and "
				   "reviews.username)", rd->path);
	if (rc == 0 && rd->n_rev == 0)
		rc = horch_err_set(rd->err, HORCH_EPARSE, "%s: no review with a product name, a "
				   "rating and a date", rd->path);
	return rc;
}

static void reader_init(struct reader *rd, const char *path, struct horch_err *err)
{
	memset(rd, 0, sizeof *rd);
	rd->path = path;
	rd->err = err;
	for (int c = 0; c < N_COLS; c++) {
		rd->col[c] = -1;
		buf_init(&rd->val[c], col_max[c]);
	}
	arena_init(&rd->mem, 64 * 1024);
}

static void reader_cleanup(struct reader *rd)
{
	for (int c = 0; c < N_COLS; c++)
		buf_cleanup(&rd->val[c]);
	arena_cleanup(&rd->mem);
	free(rd->prod);
	free(rd->prod_set.s);
	free(rd->rev);
	free(rd->rev_set.s);
}

/* ---- options ---- */

/* --window SPAN: a count and a unit (s, m, h, d, w), such as 30d.
 * Returns 0 with *out in ms, or EXIT_USAGE after printing the problem. */
static int span_opt(const struct cli_args *a, const char *name, int64_t *out)
{
	const char *v = cli_get(a, name);
	size_t n_digits = 0;
	int64_t n = 0, unit;

	if (!v)
		return 0;
	while (v[n_digits] >= '0' && v[n_digits] <= '9')
		n_digits++;
	switch (n_digits && n_digits <= 9 && v[n_digits + 1] == '\0' ? v[n_digits] : 0) {
	case 's': unit = 1000; break;
	case 'm': unit = 60 * 1000; break;
	case 'h': unit = 3600 * 1000; break;
	case 'd': unit = 86400 * 1000; break;
	case 'w': unit = (int64_t)7 * 86400 * 1000; break;
	default: unit = 0; break;
	}
	for (size_t i = 0; i < n_digits && unit; i++)
		n = n * 10 + (v[i] - '0');
	if (!unit || n == 0) {
		cli_error(a, "--%s: expected a span such as 30d, 12w or 4h (s, m, h, d or w "
			  "after a count from 1), got '%s'", name, v);
		return EXIT_USAGE;
	}
	*out = n * unit; /* n < 10^9 and unit < 6.1e8: no overflow */
	return 0;
}

/* --below STARS: a number of stars from 1 to 5.  Returns 0 (leaving *out
 * when the option is absent) or EXIT_USAGE after printing the problem. */
static int stars_opt(const struct cli_args *a, const char *name, double *out)
{
	const char *v = cli_get(a, name);
	double d;

	if (!v)
		return 0;
	if (parse_stars(v, strlen(v), &d)) {
		cli_error(a, "--%s: expected a number of stars from 1 to 5, such as 2 or 2.5, "
			  "got '%s'", name, v);
		return EXIT_USAGE;
	}
	*out = d;
	return 0;
}

/* ---- output ---- */

static int cmp_product(const void *pa, const void *pb)
{
	const struct product *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* A number with digits decimals, or "-" for NAN; with a sign when sign. */
static const char *num(char out[32], double v, int digits, int sign)
{
	if (isnan(v))
		snprintf(out, 32, "-");
	else
		snprintf(out, 32, sign ? "%+.*f" : "%.*f", digits, v);
	return out;
}

/* "s" unless n is 1. */
static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* A JSON number with 6 decimals, or null for NAN. */
static void json_num(double v)
{
	if (isnan(v))
		fputs("null", stdout);
	else
		printf("%.6f", v);
}

/* What the run found, for printing. */
struct ratings_run {
	const char *path;
	const char *window;          /* as given, or "30d" */
	struct rating_rule rule;
	int64_t now;
	struct rating_summary all;   /* every kept review together */
	size_t n_pulled;
};

static void print_table(const struct reader *rd, const struct ratings_run *run)
{
	char hn[48], hm[48], when[HORCH_TIME_BUFSZ], n1[32], n2[32], n3[32];
	const char *hd[9] = { "n", "mean", "Wilson", hn, hm, "trend", "pull", "asin", "product" };
	struct table *t;

	snprintf(hn, sizeof hn, "n %s", run->window);
	snprintf(hm, sizeof hm, "mean %s", run->window);
	printf("ratings on %s: %s record%s, %s review%s of %zu product%s (%s syndicated "
	       "duplicate%s dropped: the same text and user name again for one product)\n",
	       run->path, cli_num(rd->n_rows, n1), plural(rd->n_rows), cli_num(rd->n_rev, n2),
	       plural(rd->n_rev), rd->n_prod, plural(rd->n_prod), cli_num(rd->n_dup, n3),
	       plural(rd->n_dup));
	if (rd->n_no_name || rd->n_no_rating || rd->n_no_date)
		printf("left out: %zu without a product name, %zu without a rating, %zu without a "
		       "date\n", rd->n_no_name, rd->n_no_rating, rd->n_no_date);
	printf("now is %s, the newest review in the file; window %s; Wilson: the 95 %% lower "
	       "bound of the share of 4- and 5-star reviews\n\n",
	       horch_time_format(run->now, when), run->window);
	t = table_new(stdout, 9, hd);
	for (size_t i = 0; i <= rd->n_prod; i++) {
		const struct rating_summary *s = i < rd->n_prod ? &rd->prod[i].sum : &run->all;
		char c[7][32], all[64];
		const char *cells[9];

		snprintf(c[0], sizeof c[0], "%zu", s->n);
		num(c[1], s->mean, 2, 0);
		num(c[2], s->wilson, 3, 0);
		snprintf(c[3], sizeof c[3], "%zu", s->n_recent);
		num(c[4], s->mean_recent, 2, 0);
		num(c[5], s->trend, 2, 1);
		snprintf(c[6], sizeof c[6], "%s", i < rd->n_prod && s->pull ? "PULL" : "");
		for (int k = 0; k < 7; k++)
			cells[k] = c[k];
		if (i < rd->n_prod) {
			cells[7] = rd->prod[i].asin;
			cells[8] = rd->prod[i].name;
		} else {
			snprintf(all, sizeof all, "all %zu product%s", rd->n_prod,
				 plural(rd->n_prod));
			cells[7] = "";
			cells[8] = all;
		}
		table_add(t, cells);
	}
	table_print(t, 0x3fu);
	printf("\nthe two-star rule (a mean under %g stars over the last %s, with at least %zu "
	       "review%s in it) pulls %zu of %zu product%s\n", run->rule.below, run->window,
	       run->rule.min_reviews, plural(run->rule.min_reviews), run->n_pulled, rd->n_prod,
	       plural(rd->n_prod));
}

static void print_json(const struct reader *rd, const struct ratings_run *run)
{
	char when[HORCH_TIME_BUFSZ];

	printf("{\"task\":\"ratings\",\"file\":");
	json_field(stdout, run->path);
	printf(",\"now\":\"%s\",\"rule\":{\"below\":%g,\"min_reviews\":%zu,\"window\":",
	       horch_time_format(run->now, when), run->rule.below, run->rule.min_reviews);
	json_field(stdout, run->window);
	printf(",\"window_ms\":%lld},\"records\":%zu,\"reviews\":%zu,\"duplicates\":%zu,"
	       "\"left_out\":{\"no_name\":%zu,\"no_rating\":%zu,\"no_date\":%zu},"
	       "\"products_total\":%zu,\"pulled\":%zu,\"all\":{\"n\":%zu,\"mean\":",
	       (long long)run->rule.window_ms, rd->n_rows, rd->n_rev, rd->n_dup, rd->n_no_name,
	       rd->n_no_rating, rd->n_no_date, rd->n_prod, run->n_pulled, run->all.n);
	json_num(run->all.mean);
	printf(",\"wilson\":");
	json_num(run->all.wilson);
	printf(",\"n_recent\":%zu,\"mean_recent\":", run->all.n_recent);
	json_num(run->all.mean_recent);
	printf("},\"products\":[");
	for (size_t i = 0; i < rd->n_prod; i++) {
		const struct product *p = &rd->prod[i];
		const struct rating_summary *s = &p->sum;

		printf("%s{\"product\":", i ? "," : "");
		json_field(stdout, p->name);
		printf(",\"asin\":");
		json_field(stdout, p->asin);
		printf(",\"records\":%zu,\"n\":%zu,\"mean\":", p->n_rows, s->n);
		json_num(s->mean);
		printf(",\"wilson\":");
		json_num(s->wilson);
		printf(",\"n_recent\":%zu,\"mean_recent\":", s->n_recent);
		json_num(s->mean_recent);
		printf(",\"n_prev\":%zu,\"mean_prev\":", s->n_prev);
		json_num(s->mean_prev);
		printf(",\"trend\":");
		json_num(s->trend);
		printf(",\"pull\":%s}", s->pull ? "true" : "false");
	}
	printf("]}\n");
}

/* ---- the command ---- */

/* Group the kept reviews by product (a counting sort, keeping the file's
 * order within a product) and summarise each product and all together.
 * *grouped receives the array the products' slices point into. */
static void summarise_all(struct reader *rd, struct ratings_run *run,
			  struct rating_review **grouped)
{
	struct rating_review *g = horch_xmalloc(rd->n_rev * sizeof *g);
	size_t *at = horch_xcalloc(rd->n_prod, sizeof *at), off = 0;

	run->now = rd->rev[0].rv.t;
	for (size_t i = 0; i < rd->n_rev; i++)
		if (rd->rev[i].rv.t > run->now)
			run->now = rd->rev[i].rv.t;
	for (size_t i = 0; i < rd->n_rev; i++)
		rd->prod[rd->rev[i].product].n++;
	for (size_t p = 0; p < rd->n_prod; p++) {
		at[p] = off;
		rd->prod[p].r = g + off;
		off += rd->prod[p].n;
	}
	for (size_t i = 0; i < rd->n_rev; i++)
		g[at[rd->rev[i].product]++] = rd->rev[i].rv;
	run->n_pulled = 0;
	for (size_t p = 0; p < rd->n_prod; p++) {
		rating_summarise(rd->prod[p].r, rd->prod[p].n, run->now, &run->rule,
				 &rd->prod[p].sum);
		run->n_pulled += rd->prod[p].sum.pull != 0;
	}
	rating_summarise(g, rd->n_rev, run->now, &run->rule, &run->all);
	free(at);
	*grouped = g;
}

int cli_eval_ratings_read(const char *path, const char *data, size_t len,
			  const struct rating_rule *rule, struct cli_ratings_counts *out,
			  struct rating_summary *all, struct horch_err *err)
{
	struct ratings_run run = { .path = path, .rule = *rule };
	struct rating_review *grouped = NULL;
	struct reader rd;
	int rc;

	horch_err_clear(err);
	reader_init(&rd, path, err);
	rc = read_reviews(&rd, data, len);
	if (rc)
		goto out;
	summarise_all(&rd, &run, &grouped);
	out->records = rd.n_rows;
	out->reviews = rd.n_rev;
	out->duplicates = rd.n_dup;
	out->no_name = rd.n_no_name;
	out->no_rating = rd.n_no_rating;
	out->no_date = rd.n_no_date;
	out->products = rd.n_prod;
	out->pulled = run.n_pulled;
	out->now = run.now;
	if (all)
		*all = run.all;
out:
	free(grouped);
	reader_cleanup(&rd);
	return rc;
}

/* Options of the other tasks of eval, refused here. */
static const char *const other_opts[] = { "model", "folds", "baseline", "lang", "errors",
					  "labels", "accounts", "sla", NULL };

/* Read the whole file path into b (at most RATINGS_MAX_FILE bytes).
 * Returns 0, HORCH_EIO or HORCH_ETOOBIG with err naming the file. */
static int read_file(struct buf *b, const char *path, struct horch_err *err)
{
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f)
		return horch_err_set(err, HORCH_EIO, "%s: cannot open", path);
	rc = buf_read_stream(b, f, RATINGS_MAX_FILE);
	fclose(f);
	if (rc == 0 && b->len > RATINGS_MAX_FILE)
		rc = HORCH_ETOOBIG;
	if (rc == HORCH_ETOOBIG)
		return horch_err_set(err, rc, "%s: larger than %zu MiB", path,
				     RATINGS_MAX_FILE >> 20);
	if (rc)
		return horch_err_set(err, rc, "%s: cannot read", path);
	return 0;
}

/* horch eval ratings FILE [--below STARS] [--min-reviews N] [--window SPAN]
 * [--json].  Returns an exit code. */
int cli_eval_ratings(struct cli_args *a)
{
	struct ratings_run run = { .window = "30d" };
	struct rating_review *grouped = NULL;
	struct reader rd;
	struct horch_err err;
	struct buf b;
	int rc, format = cli_format(a);

	if (format < 0 || format == CLI_CSV) {
		cli_error(a, "--csv is not a format of eval (--json or --table)");
		return EXIT_USAGE;
	}
	for (size_t i = 0; other_opts[i]; i++)
		if (cli_get(a, other_opts[i])) {
			cli_error(a, "--%s is not an option of the ratings task", other_opts[i]);
			return EXIT_USAGE;
		}
	if (a->n_pos != 2) {
		cli_error(a, "ratings: expected one CSV file of reviews");
		return EXIT_USAGE;
	}
	run.path = a->pos[1];
	run.rule.below = 2.0;
	run.rule.min_reviews = 10;
	run.rule.window_ms = (int64_t)30 * 86400 * 1000;
	if (stars_opt(a, "below", &run.rule.below) ||
	    cli_count_opt(a, "min-reviews", 1, 1000000, &run.rule.min_reviews) ||
	    span_opt(a, "window", &run.rule.window_ms))
		return EXIT_USAGE;
	if (cli_get(a, "window"))
		run.window = cli_get(a, "window");

	horch_err_clear(&err);
	buf_init(&b, BUF_NOLIMIT);
	reader_init(&rd, run.path, &err);
	rc = read_file(&b, run.path, &err);
	if (rc == 0)
		rc = read_reviews(&rd, b.ptr ? b.ptr : "", b.len);
	buf_cleanup(&b);
	if (rc)
		goto out;
	summarise_all(&rd, &run, &grouped);
	qsort(rd.prod, rd.n_prod, sizeof *rd.prod, cmp_product);
	if (format == CLI_JSON)
		print_json(&rd, &run);
	else
		print_table(&rd, &run);
out:
	free(grouped);
	reader_cleanup(&rd);
	return rc ? cli_fail(a, &err) : EXIT_OK;
}
