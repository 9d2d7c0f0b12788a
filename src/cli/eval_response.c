/* eval_response.c - `horch eval response FILE`: first-response times of a
 * company's accounts on a file of support conversations.
 *
 * FILE is the layout of "Customer Support on Twitter" (TWCS): a CSV file
 * with a header naming tweet_id, author_id, inbound (True for a customer's
 * post, False for a company's), created_at (Twitter's "Tue Oct 31 22:10:47
 * +0000 2017"), text and in_response_to_tweet_id (pandas wrote it as a
 * float: "3.0" is post 3); other columns are ignored.  The file is read as a
 * stream by libcsv: only the columns used are kept, the text only for
 * customer posts (the only ones whose @mentions count), so memory grows
 * with the posts, not with the file's other columns.  Every cap (file size,
 * rows, one record, each field) is an error naming the line, and a bad
 * value is an error naming its line and column.
 *
 * The company's accounts are --accounts, or every author of an inbound=False
 * row.  With --accounts, the outbound rows of other accounts are left out:
 * they are other companies, and their replies must not count as customer
 * posts.  The figures are signal.h's answer_brands() per account and
 * answer_total() for all accounts together, printed busiest first as a
 * table (the first 20, then how many more) or as one JSON object with
 * every account.  docs/signals.md ("First-response times") defines them and
 * holds the figures on the TWCS sample. */
#include <csv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../signal/signal.h"

#define RESP_FILE_MAX ((uint64_t)2 << 30)  /* bytes of FILE */
#define RESP_ROWS_MAX ((size_t)20000000)   /* posts of FILE */
#define RESP_RECORD_MAX ((size_t)1 << 20)  /* bytes of one record */
#define RESP_TEXT_MAX ((size_t)64 << 10)   /* bytes of a text */
#define RESP_FIELD_MAX 63                  /* bytes of an id, a handle, a time */
#define RESP_ACCOUNTS_MAX 10000            /* accounts of --accounts */
#define RESP_SLA_MAX ((int64_t)366 * 86400 * 1000)
#define RESP_TOP 20                        /* accounts in the table */
#define RESP_CHUNK 65536                   /* bytes read at a time */

/* The columns used, in the order of col[]. */
enum { C_ID, C_AUTHOR, C_INBOUND, C_TIME, C_TEXT, C_PARENT, N_COLS };
static const char *const col_names[N_COLS] = { "tweet_id", "author_id", "inbound",
						"created_at", "text",
						"in_response_to_tweet_id" };

/* An account: its handle folded to lower case and the spelling printed. */
struct acct {
	char fold[64];
	const char *name;
	int from_file;       /* name is an author's spelling in the file */
};

/* What reading the file passes around. */
struct reader {
	const char *path;
	struct horch_err *err;
	int rc;
	struct arena *arena;
	struct cli_response_row *rows;
	size_t n, cap;
	long col[N_COLS];           /* the index of each column, -1 before the header */
	long n_header;              /* fields of the header */
	int header_done;
	struct buf field[N_COLS];   /* the current record's values of the columns */
	int seen[N_COLS];           /* the current record had the column */
	long n_fields;              /* fields of the current record so far */
	size_t first_len;           /* bytes of the current record's first field */
	int in_record;              /* a record has begun and not ended */
	int ended;                  /* a record ended in the line being fed */
	size_t line;                /* the line where the current record starts */
	size_t cur_line;            /* the line being read */
	uint64_t rec_start;         /* the offset where the current record starts */
	uint64_t offset;            /* bytes fed so far */
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static void fold(char out[64], const char *s)
{
	size_t i;

	for (i = 0; s[i] && i < 63; i++)
		out[i] = (char)lower((unsigned char)s[i]);
	out[i] = '\0';
}

/* An error about the value of column c of the current record. */
__attribute__((format(printf, 3, 4)))
static int col_error(struct reader *rd, int c, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return horch_err_at(rd->err, HORCH_EPARSE, (long)rd->line, rd->col[c] + 1,
			    "%s:%zu: column %ld (%s): %s", rd->path, rd->line, rd->col[c] + 1,
			    col_names[c], msg);
}

/* The value v quoted for a message: control bytes escaped, cut when long. */
static const char *quoted(char out[48], const char *v)
{
	cli_quote(out, 48, v);
	return out;
}

/* Normalise the id in b in place: blanks trimmed, a float's zero fraction
 * dropped ("3.0" -> "3").  An id that starts with a digit and has a '.' or
 * an exponent must be such a float; others are kept as they are.  Returns
 * 0 or an error naming column c. */
static int normalise_id(struct reader *rd, int c, struct buf *b)
{
	char *s = b->ptr ? b->ptr : (char *)"", q[48];
	size_t len = b->len, start = 0, i;
	int zero_fraction;

	while (start < len && (s[start] == ' ' || s[start] == '\t'))
		start++;
	while (len > start && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (start == len) {
		buf_reset(b);
		return 0;
	}
	if (s[start] >= '0' && s[start] <= '9' && strcspn(s + start, ".eE") < len - start) {
		for (i = start; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		zero_fraction = i < len && s[i] == '.';
		for (size_t j = i + 1; zero_fraction && j < len; j++)
			zero_fraction = s[j] == '0';
		if (!zero_fraction)
			return col_error(rd, c, "'%s' is not a whole number (an id written as a "
					 "float ends in .0)", quoted(q, s));
		len = i;
	}
	memmove(s, s + start, len - start);
	b->len = len - start;
	s[b->len] = '\0';
	return 0;
}

/* One data record: check and keep it.  Returns 0 or an error. */
static int take_row(struct reader *rd)
{
	struct buf *f = rd->field;
	struct horch_err terr;
	struct cli_response_row *r;
	const char *author, *in;
	char q[48];
	int rc, inbound;
	int64_t t;

	for (int c = 0; c < N_COLS; c++) {
		if (!rd->seen[c])
			return horch_err_at(rd->err, HORCH_EPARSE, (long)rd->line, rd->n_fields + 1,
					    "%s:%zu: %ld fields, the header has %ld (no column "
					    "%s)", rd->path, rd->line, rd->n_fields, rd->n_header,
					    col_names[c]);
		/* A NUL would cut an id or a handle short without a word. */
		if (c != C_TEXT && f[c].len && memchr(f[c].ptr, '\0', f[c].len))
			return col_error(rd, c, "a NUL byte");
	}
	if ((rc = normalise_id(rd, C_ID, &f[C_ID])) ||
	    (rc = normalise_id(rd, C_PARENT, &f[C_PARENT])))
		return rc;
	if (f[C_ID].len == 0)
		return col_error(rd, C_ID, "empty");
	author = f[C_AUTHOR].ptr ? f[C_AUTHOR].ptr : "";
	if (*author == '@')
		author++;
	if (!*author)
		return col_error(rd, C_AUTHOR, "empty");
	if (strlen(author) > RESP_FIELD_MAX)
		return col_error(rd, C_AUTHOR, "a handle of more than %d bytes", RESP_FIELD_MAX);
	in = f[C_INBOUND].ptr ? f[C_INBOUND].ptr : "";
	if (!strcmp(in, "True") || !strcmp(in, "true") || !strcmp(in, "TRUE") || !strcmp(in, "1"))
		inbound = 1;
	else if (!strcmp(in, "False") || !strcmp(in, "false") || !strcmp(in, "FALSE") ||
		 !strcmp(in, "0"))
		inbound = 0;
	else
		return col_error(rd, C_INBOUND, "expected True or False, got '%s'", quoted(q, in));
	horch_err_clear(&terr);
	if (horch_time_parse(f[C_TIME].ptr ? f[C_TIME].ptr : "", f[C_TIME].len, &t, &terr))
		return col_error(rd, C_TIME, "'%s' is not a time: %s",
				 quoted(q, f[C_TIME].ptr ? f[C_TIME].ptr : ""), terr.msg);
	if (rd->n >= RESP_ROWS_MAX)
		return horch_err_at(rd->err, HORCH_ETOOBIG, (long)rd->line, 0, "%s:%zu: more than "
				    "%zu posts", rd->path, rd->line, RESP_ROWS_MAX);
	rd->rows = horch_xgrow(rd->rows, &rd->cap, rd->n + 1, sizeof *rd->rows);
	r = &rd->rows[rd->n++];
	r->id = arena_strndup(rd->arena, f[C_ID].ptr, f[C_ID].len);
	r->author = arena_strndup(rd->arena, author, strlen(author));
	r->parent = f[C_PARENT].len ? arena_strndup(rd->arena, f[C_PARENT].ptr,
						    f[C_PARENT].len) : NULL;
	/* Only a customer's @mentions address an account: a company's text is
	 * never read, so it is not kept. */
	r->text = inbound && f[C_TEXT].len ? arena_strndup(rd->arena, f[C_TEXT].ptr,
							   f[C_TEXT].len) : NULL;
	r->t = t;
	r->inbound = inbound;
	return 0;
}

/* The header: find the columns by name. */
static int take_header(struct reader *rd)
{
	for (int c = 0; c < N_COLS; c++)
		if (rd->col[c] < 0)
			return horch_err_at(rd->err, HORCH_EPARSE, 1, 0, "%s:1: no column %s in the "
					    "header (expected the Customer Support on Twitter "
					    "layout: tweet_id, author_id, inbound, created_at, "
					    "text, in_response_to_tweet_id)", rd->path,
					    col_names[c]);
	rd->n_header = rd->n_fields;
	return 0;
}

/* libcsv's field callback: in the header, a column's name; after it, the
 * value of a column used (copied, capped) or of one ignored. */
static void on_field(void *s, size_t n, void *ctx)
{
	struct reader *rd = ctx;
	long k = rd->n_fields++;

	if (k == 0)
		rd->first_len = n;
	if (rd->rc)
		return;
	if (!rd->header_done) {
		const char *name = s ? s : "";

		/* A UTF-8 byte order mark before the first name. */
		if (k == 0 && n >= 3 && memcmp(name, "\xef\xbb\xbf", 3) == 0) {
			name += 3;
			n -= 3;
		}
		for (int c = 0; c < N_COLS; c++) {
			if (n == strlen(col_names[c]) && memcmp(name, col_names[c], n) == 0) {
				if (rd->col[c] >= 0) {
					rd->rc = horch_err_at(rd->err, HORCH_EPARSE, 1, k + 1, "%s:1: "
							      "column %ld: a second column %s",
							      rd->path, k + 1, col_names[c]);
					return;
				}
				rd->col[c] = k;
			}
		}
		return;
	}
	for (int c = 0; c < N_COLS; c++) {
		size_t max = c == C_TEXT ? RESP_TEXT_MAX : RESP_FIELD_MAX;

		if (rd->col[c] != k)
			continue;
		if (n > max) {
			rd->rc = horch_err_at(rd->err, HORCH_ETOOBIG, (long)rd->line, k + 1,
					      "%s:%zu: column %ld (%s): more than %zu bytes",
					      rd->path, rd->line, k + 1, col_names[c], max);
			return;
		}
		buf_reset(&rd->field[c]);
		if (buf_append(&rd->field[c], s ? s : "", s ? n : 0) != 0) {
			rd->rc = horch_err_at(rd->err, HORCH_ETOOBIG, (long)rd->line, k + 1,
					      "%s:%zu: column %ld (%s): too long", rd->path,
					      rd->line, k + 1, col_names[c]);
			return;
		}
		rd->seen[c] = 1;
	}
}

/* libcsv's record callback: the header or one post, then a fresh record. */
static void on_record(int c, void *ctx)
{
	struct reader *rd = ctx;

	/* A line of blanks is one empty field: no record. */
	if (rd->rc == 0 && !(rd->n_fields == 1 && rd->first_len == 0)) {
		if (!rd->header_done) {
			rd->rc = take_header(rd);
			rd->header_done = 1;
		} else {
			rd->rc = take_row(rd);
		}
	}
	for (int k = 0; k < N_COLS; k++) {
		rd->seen[k] = 0;
		buf_reset(&rd->field[k]);
	}
	rd->n_fields = 0;
	rd->in_record = 0;
	rd->ended = 1;
	(void)c;
}

/* Feed data[0..len) to p one line at a time, so that a record knows the
 * line it starts on: the first line fed after the previous record ended
 * that is not blank.  Lines end at LF (as sed and grep count them; a CR
 * inside a quoted text is not a line end).  Returns 0 or an error. */
static int feed(struct reader *rd, struct csv_parser *p, const char *data, size_t len)
{
	size_t start = 0;

	while (start < len && rd->rc == 0) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - data) + 1 : len, b;

		if (!rd->in_record) {
			rd->line = rd->cur_line;
			rd->rec_start = rd->offset;
		}
		rd->ended = 0;
		if (csv_parse(p, data + start, end - start, on_field, on_record, rd) != end - start)
			return horch_err_at(rd->err, HORCH_EPARSE, (long)rd->cur_line, 0,
					    "%s:%zu: a quote inside an unquoted field, or text after "
					    "a closing quote (a field with quotes is quoted whole, "
					    "\"\" inside)", rd->path, rd->cur_line);
		rd->offset += end - start;
		if (rd->rc)
			break;
		/* A line that ended no record and is not blank began one (or
		 * went on with it). */
		for (b = start; b < end && !rd->ended; b++)
			if (data[b] != '\n' && data[b] != '\r') {
				rd->in_record = 1;
				break;
			}
		if (rd->in_record && rd->offset - rd->rec_start > RESP_RECORD_MAX)
			return horch_err_at(rd->err, HORCH_ETOOBIG, (long)rd->line, 0,
					    "%s:%zu: a record of more than %zu bytes (a quote that "
					    "never closes?)", rd->path, rd->line, RESP_RECORD_MAX);
		if (nl)
			rd->cur_line++;
		start = end;
	}
	return rd->rc;
}

/* Read the posts of path into rd->rows.  Returns 0 or an error. */
static int read_posts(struct reader *rd)
{
	struct csv_parser p;
	char *chunk = horch_xmalloc(RESP_CHUNK);
	FILE *f = fopen(rd->path, "rb");
	int rc = 0, live = 0;
	size_t got;

	if (!f) {
		rc = horch_err_set(rd->err, HORCH_EIO, "%s: cannot open", rd->path);
		goto out;
	}
	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		rc = horch_err_set(rd->err, HORCH_EIO, "out of memory");
		goto out;
	}
	live = 1;
	csv_set_realloc_func(&p, horch_xrealloc);
	rd->cur_line = 1;
	while ((got = fread(chunk, 1, RESP_CHUNK, f)) > 0) {
		if (rd->offset + got > RESP_FILE_MAX) {
			rc = horch_err_set(rd->err, HORCH_ETOOBIG, "%s: larger than %llu bytes",
					   rd->path, (unsigned long long)RESP_FILE_MAX);
			goto out;
		}
		rc = feed(rd, &p, chunk, got);
		if (rc)
			goto out;
	}
	if (ferror(f)) {
		rc = horch_err_set(rd->err, HORCH_EIO, "%s: cannot read", rd->path);
		goto out;
	}
	if (csv_fini(&p, on_field, on_record, rd) != 0) {
		rc = horch_err_at(rd->err, HORCH_EPARSE, (long)rd->line, 0, "%s:%zu: a quoted "
				  "field that never ends", rd->path, rd->line);
		goto out;
	}
	rc = rd->rc;
	if (rc == 0 && !rd->header_done)
		rc = horch_err_set(rd->err, HORCH_EPARSE, "%s: empty (no header)", rd->path);
out:
	if (live)
		csv_free(&p);
	if (f)
		fclose(f);
	free(chunk);
	return rc;
}

int cli_eval_response_read(const char *path, struct arena *arena,
			   struct cli_response_row **rows, size_t *n, struct horch_err *err)
{
	struct reader rd;
	int rc;

	memset(&rd, 0, sizeof rd);
	rd.path = path;
	rd.err = err;
	rd.arena = arena;
	for (int c = 0; c < N_COLS; c++) {
		rd.col[c] = -1;
		buf_init(&rd.field[c], c == C_TEXT ? RESP_TEXT_MAX : RESP_FIELD_MAX + 1);
	}
	rc = read_posts(&rd);
	for (int c = 0; c < N_COLS; c++)
		buf_cleanup(&rd.field[c]);
	if (rc) {
		free(rd.rows);
		rd.rows = NULL;
		rd.n = 0;
	}
	*rows = rd.rows;
	*n = rd.n;
	return rc;
}

static int cmp_acct(const void *a, const void *b)
{
	return strcmp(((const struct acct *)a)->fold, ((const struct acct *)b)->fold);
}

/* The account with folded handle s in v[0..n) (sorted), or NULL. */
static struct acct *find_acct(struct acct *v, size_t n, const char *s)
{
	struct acct key;

	if (strlen(s) > 63)
		return NULL;
	fold(key.fold, s);
	return bsearch(&key, v, n, sizeof *v, cmp_acct);
}

/* Sort v[0..*n) and merge handles that differ only in case, keeping the
 * first spelling. */
static void unique_accts(struct acct *v, size_t *n)
{
	size_t k = 0;

	/* qsort is not stable: the index decides among equal handles. */
	qsort(v, *n, sizeof *v, cmp_acct);
	for (size_t i = 0; i < *n; i++)
		if (k == 0 || strcmp(v[k - 1].fold, v[i].fold) != 0)
			v[k++] = v[i];
	*n = k;
}

/* Parse --accounts LIST (handles separated by commas, blanks and a leading
 * '@' dropped) into *out; the strings point into *copy (the caller frees
 * both).  Returns 0, or EXIT_USAGE after printing the problem. */
static int parse_accounts(const struct cli_args *a, const char *list, struct acct **out,
			  size_t *n_out, char **copy)
{
	struct acct *v = NULL;
	size_t n = 0, cap = 0;
	char *s = horch_xstrdup(list), *save = NULL, *tok;

	*copy = s;
	for (char *p = s;; p = NULL) {
		size_t len;

		tok = strtok_r(p, ",", &save);
		if (!tok)
			break;
		while (*tok == ' ' || *tok == '\t')
			tok++;
		len = strlen(tok);
		while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
			tok[--len] = '\0';
		if (*tok == '@') {
			tok++;
			len--;
		}
		if (len == 0 || len > 63) {
			cli_error(a, "response: --accounts: '%s' is not a handle (1 to 63 bytes)", tok);
			goto fail;
		}
		if (n >= RESP_ACCOUNTS_MAX) {
			cli_error(a, "response: --accounts: more than %d accounts", RESP_ACCOUNTS_MAX);
			goto fail;
		}
		v = horch_xgrow(v, &cap, n + 1, sizeof *v);
		fold(v[n].fold, tok);
		v[n].name = tok;
		v[n++].from_file = 0;
	}
	if (n == 0) {
		cli_error(a, "response: --accounts: no account in '%s'", list);
		goto fail;
	}
	unique_accts(v, &n);
	*out = v;
	*n_out = n;
	return 0;
fail:
	free(v);
	return EXIT_USAGE;
}

/* Parse a span such as 4h, 30m, 1h30m, 2d or 90s into ms (at most a year).
 * Returns 0 or EXIT_USAGE after printing the problem. */
static int parse_sla(const struct cli_args *a, const char *s, int64_t *out)
{
	int64_t total = 0;
	const char *p = s;

	if (!*p)
		goto bad;
	while (*p) {
		int64_t v = 0, unit;

		if (*p < '0' || *p > '9')
			goto bad;
		for (; *p >= '0' && *p <= '9'; p++) {
			v = v * 10 + (*p - '0');
			if (v > RESP_SLA_MAX)
				goto big;
		}
		switch (*p++) {
		case 's': unit = 1000; break;
		case 'm': unit = 60000; break;
		case 'h': unit = 3600000; break;
		case 'd': unit = 86400000; break;
		case 'w': unit = 7 * (int64_t)86400000; break;
		default: goto bad;
		}
		if (v > RESP_SLA_MAX / unit || total + v * unit > RESP_SLA_MAX)
			goto big;
		total += v * unit;
	}
	*out = total;
	return 0;
bad:
	cli_error(a, "response: --sla: '%s' is not a span (e.g. 4h, 30m, 1h30m, 2d)", s);
	return EXIT_USAGE;
big:
	cli_error(a, "response: --sla: '%s' is longer than a year", s);
	return EXIT_USAGE;
}

/* A span in ms as the shortest of 1w2d3h4m5s (ms left out). */
static void fmt_span(char out[48], int64_t ms)
{
	static const struct { int64_t ms; char u; } units[] = {
		{ 7 * (int64_t)86400000, 'w' }, { 86400000, 'd' }, { 3600000, 'h' },
		{ 60000, 'm' }, { 1000, 's' },
	};
	size_t o = 0;

	for (size_t i = 0; i < 5; i++) {
		if (ms >= units[i].ms) {
			o += (size_t)snprintf(out + o, 48 - o, "%lld%c",
					      (long long)(ms / units[i].ms), units[i].u);
			ms %= units[i].ms;
		}
	}
	if (o == 0)
		snprintf(out, 48, "0s");
}

/* The printed name of a row: the account's spelling, "all" for the total. */
static const char *name_of(struct acct *v, size_t n, const struct answer_brand *r)
{
	struct acct *ac;

	if (!r->handle[0])
		return "all";
	ac = find_acct(v, n, r->handle);
	return ac ? ac->name : r->handle;
}

static void fmt_min(char out[48], double m)
{
	if (isnan(m))
		snprintf(out, 48, "-");
	else
		snprintf(out, 48, "%.1f", m);
}

static void fmt_pct(char out[48], size_t part, size_t whole)
{
	if (whole == 0)
		snprintf(out, 48, "-");
	else
		snprintf(out, 48, "%.1f%%", 100.0 * (double)part / (double)whole);
}

static void table_row(struct table *t, const char *name, const struct answer_brand *r)
{
	char c[8][48];
	const char *cells[8];

	snprintf(c[0], sizeof c[0], "%s", name);
	cli_num(r->asked, c[1]);
	cli_num(r->answered, c[2]);
	fmt_pct(c[3], r->answered, r->asked);
	fmt_min(c[4], r->median_min);
	fmt_min(c[5], r->mean_min);
	fmt_min(c[6], r->p90_min);
	fmt_pct(c[7], r->within_sla, r->asked);
	for (int k = 0; k < 8; k++)
		cells[k] = c[k];
	table_add(t, cells);
}

static void json_num(double v, int decimals)
{
	if (isnan(v))
		printf("null");
	else
		printf("%.*f", decimals, v);
}

static void json_row(const char *name, const struct answer_brand *r)
{
	printf("{\"account\":");
	json_field(stdout, name);
	printf(",\"addressed\":%zu,\"answered\":%zu,\"rate\":", r->asked, r->answered);
	json_num(r->asked ? (double)r->answered / (double)r->asked : NAN, 4);
	printf(",\"median_min\":");
	json_num(r->median_min, 4);
	printf(",\"mean_min\":");
	json_num(r->mean_min, 4);
	printf(",\"p90_min\":");
	json_num(r->p90_min, 4);
	printf(",\"within_sla\":%zu,\"within_sla_rate\":", r->within_sla);
	json_num(r->asked ? (double)r->within_sla / (double)r->asked : NAN, 4);
	printf(",\"skewed\":%zu,\"orphans\":%zu}", r->skewed, r->orphans);
}

/* What the file held, for the heading. */
struct counts {
	size_t posts, customer, company, other;
};

static void print_table(const char *path, const struct counts *k, size_t n_acct,
			int64_t sla, const struct answer_brand *rows, size_t n_rows,
			const struct answer_brand *total, struct acct *v)
{
	const char *hd[] = { "account", "addressed", "answered", "rate", "median", "mean", "p90",
			     "within SLA" };
	struct table *t = table_new(stdout, 8, hd);
	char n1[32], n2[32], n3[32], span[48];

	fmt_span(span, sla);
	printf("response on %s: %s posts, %s by customers and %s by %zu company account%s",
	       path, cli_num(k->posts, n1), cli_num(k->customer, n2), cli_num(k->company, n3),
	       n_acct, n_acct == 1 ? "" : "s");
	if (k->other)
		printf(" (%s by other accounts left out)", cli_num(k->other, n1));
	printf("; SLA %s\n\n", span);
	for (size_t i = 0; i < n_rows && i < RESP_TOP; i++)
		table_row(t, name_of(v, n_acct, &rows[i]), &rows[i]);
	if (n_rows > RESP_TOP) {
		const char *more[8] = { NULL };
		char m[48];

		snprintf(m, sizeof m, "(%zu more)", n_rows - RESP_TOP);
		more[0] = m;
		table_add(t, more);
	}
	table_row(t, "all", total);
	table_print(t, 0xfeu);
	printf("\nTimes in minutes from a customer's post to the account's first reply; rate "
	       "and within SLA are shares of the posts addressed.\n");
	if (total->skewed || total->orphans)
		printf("Left out: replies dated before their post: %zu; replies to posts not in "
		       "the file: %zu.\n", total->skewed, total->orphans);
}

static void print_json(const char *path, const struct counts *k, size_t n_acct, int64_t sla,
		       const struct answer_brand *rows, size_t n_rows,
		       const struct answer_brand *total, struct acct *v)
{
	printf("{\"task\":\"response\",\"file\":");
	json_field(stdout, path);
	printf(",\"sla_ms\":%lld,\"posts\":%zu,\"customer_posts\":%zu,\"company_posts\":%zu,"
	       "\"other_posts\":%zu,\"accounts\":%zu,\"all\":", (long long)sla, k->posts,
	       k->customer, k->company, k->other, n_acct);
	json_row("all", total);
	printf(",\"brands\":[");
	for (size_t i = 0; i < n_rows; i++) {
		if (i)
			putchar(',');
		json_row(name_of(v, n_acct, &rows[i]), &rows[i]);
	}
	printf("]}\n");
}

/* Options of the other eval tasks are refused here. */
static int check_options(const struct cli_args *a)
{
	static const char *const others[] = { "model", "folds", "baseline", "lang", "errors",
					       "labels", "below", "min-reviews", "window", NULL };

	for (size_t i = 0; others[i]; i++)
		if (cli_get(a, others[i])) {
			cli_error(a, "response: --%s is not an option of the response task",
				  others[i]);
			return EXIT_USAGE;
		}
	if (a->n_pos != 2) {
		cli_error(a, "response: expected one CSV file of support conversations");
		return EXIT_USAGE;
	}
	return 0;
}

int cli_eval_response(struct cli_args *a)
{
	const char *list = cli_get(a, "accounts"), *sla_s = cli_get(a, "sla"), *path;
	struct arena arena;
	struct cli_response_row *in = NULL;
	struct acct *v = NULL;
	struct answer_post *posts = NULL;
	struct answer_brand *rows = NULL, total;
	const char **texts = NULL, **handles = NULL;
	struct counts k = { 0 };
	struct horch_err err;
	size_t n_acct = 0, cap_acct = 0, n_rows = 0, n = 0, n_in = 0;
	char *list_copy = NULL;
	int64_t sla = 4 * (int64_t)3600000;
	int rc, format = cli_format(a), usage = 0;

	horch_err_clear(&err);
	if (format < 0 || format == CLI_CSV) {
		cli_error(a, "--csv is not a format of eval (--json or --table)");
		return EXIT_USAGE;
	}
	if ((usage = check_options(a)) != 0)
		return usage;
	path = a->pos[1];
	if (sla_s && (usage = parse_sla(a, sla_s, &sla)) != 0)
		return usage;
	if (list && (usage = parse_accounts(a, list, &v, &n_acct, &list_copy)) != 0) {
		free(list_copy);
		return usage;
	}

	arena_init(&arena, 1 << 20);
	rc = cli_eval_response_read(path, &arena, &in, &n_in, &err);
	if (rc)
		goto out;

	if (!list) {
		/* Every author of an outbound row is an account. */
		for (size_t i = 0; i < n_in; i++) {
			if (in[i].inbound)
				continue;
			v = horch_xgrow(v, &cap_acct, n_acct + 1, sizeof *v);
			fold(v[n_acct].fold, in[i].author);
			v[n_acct].name = in[i].author;
			v[n_acct++].from_file = 1;
		}
		unique_accts(v, &n_acct);
	} else {
		/* Print the file's spelling of a listed account. */
		for (size_t i = 0; i < n_in; i++) {
			struct acct *ac = find_acct(v, n_acct, in[i].author);

			if (ac && !ac->from_file) {
				ac->name = in[i].author;
				ac->from_file = 1;
			}
		}
	}

	posts = horch_xcalloc(n_in ? n_in : 1, sizeof *posts);
	texts = horch_xcalloc(n_in ? n_in : 1, sizeof *texts);
	for (size_t i = 0; i < n_in; i++) {
		const struct cli_response_row *r = &in[i];
		int is_acct = find_acct(v, n_acct, r->author) != NULL;

		k.posts++;
		if (!r->inbound && !is_acct) {
			k.other++;
			continue;
		}
		if (is_acct)
			k.company++;
		else
			k.customer++;
		posts[n].id = r->id;
		posts[n].author = r->author;
		posts[n].parent = r->parent;
		posts[n].t = r->t;
		texts[n++] = r->text;
	}
	handles = horch_xcalloc(n_acct ? n_acct : 1, sizeof *handles);
	for (size_t i = 0; i < n_acct; i++)
		handles[i] = v[i].fold;
	rc = answer_brands(posts, texts, n, handles, n_acct, sla, &rows, &n_rows, &err);
	if (rc == 0)
		rc = answer_total(posts, texts, n, handles, n_acct, sla, &total, &err);
	if (rc)
		goto out;

	if (list)
		for (size_t i = 0; i < n_acct; i++) {
			size_t j;

			for (j = 0; j < n_rows && strcmp(rows[j].handle, v[i].fold) != 0; j++)
				;
			if (j == n_rows)
				cli_error(a, "response: account '%s': no post of %s is by it or "
					  "addressed to it", v[i].name, path);
		}
	if (format == CLI_JSON)
		print_json(path, &k, n_acct, sla, rows, n_rows, &total, v);
	else
		print_table(path, &k, n_acct, sla, rows, n_rows, &total, v);
out:
	free(in);
	arena_cleanup(&arena);
	free(rows);
	free(posts);
	free(texts);
	free(handles);
	free(v);
	free(list_copy);
	return rc ? cli_fail(a, &err) : EXIT_OK;
}
