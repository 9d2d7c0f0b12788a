/* file.c - posts from files: JSON Lines and CSV (see ingest.h).
 *
 * Both formats are streamed: the reader takes up to FILE_READ_BLOCK bytes
 * at a time (what has arrived, on a pipe) and never holds more than one
 * record beyond that block, so a file of any size is read in constant
 * memory.  Every record is capped at
 * POST_JSON_MAX bytes; a longer one is reported as one bad record and the
 * reader goes on after it.
 *
 * JSON Lines: one post (docs/post-format.md) per line.  A UTF-8 byte order
 * mark at the start of the file is skipped, CRLF line ends are accepted,
 * lines holding only blanks are skipped, and the last line needs no newline.
 * A line that is not a valid post is one bad record with its line number.
 *
 * CSV: parsed by libcsv in strict mode (CSV_STRICT | CSV_STRICT_FINI):
 * RFC 4180 quoting, "" for a quote inside a quoted field, newlines inside
 * quoted fields, spaces and tabs around unquoted fields trimmed (libcsv's
 * rule).  Strict mode turns a stray quote ("ab"c, or a"b) into a bad record
 * instead of guessing; since libcsv cannot resume after a parse error, the
 * parser is restarted and reading goes on at the next line.  An unclosed
 * quote at the end of the file is a bad record too.  The first record is the
 * header; a byte order mark before it is skipped.
 *
 * Line numbers: libcsv does not report positions, so the reader feeds it one
 * line at a time (each chunk ends at a CR or LF, or at the end of the block).
 * A record can only end at such a byte, so at most one record ends per chunk
 * and the reader knows the line it is on, counting every line end (CR, LF or
 * CRLF), including those inside quoted fields.  A record's line is the line
 * of its first byte.
 *
 * Threads: a reader belongs to one thread at a time. */
#include "ingest.h"
#include "ingest_int.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"

#define N_FIELDS 22  /* entries of post_field_names[] */
#define CSV_BLOCK 65536  /* libcsv's buffer growth step */

struct file_reader {
	FILE *fp;                 /* the stream read */
	int own_fp;               /* 1: fclose() it in file_reader_close() */
	char *name;               /* as opened, for messages */
	enum file_format format;  /* JSONL or CSV, never AUTO */
	const struct post_map *map; /* the caller's --map, or NULL */
	char *source;             /* source for records that name none */

	char *block;              /* FILE_READ_BLOCK bytes read from fp */
	size_t pos;               /* next unread byte of block */
	size_t len;               /* bytes in block */
	uint64_t n_read;          /* bytes read from fp so far */
	uint64_t size;            /* file size, 0 if unknown */
	int eof;                  /* fread() returned nothing more */
	int failed;               /* a read error happened; reading is over */
	int started;              /* the first block (and BOM) was looked at */
	long line;                /* lines (LF) consumed so far */

	struct buf linebuf;       /* JSON Lines: a line that crosses blocks */

	struct csv_parser csv;    /* CSV: libcsv's state */
	int csv_live;             /* csv was initialised */
	char delimiter;           /* CSV field delimiter */
	size_t n_cols;            /* columns in the header */
	char **cols;              /* header names */
	int field_col[N_FIELDS];  /* column feeding post_field_names[i], or -1 */
	struct buf rec;           /* bytes of the fields of the current record */
	size_t *starts;           /* where field i starts in rec */
	size_t *lens;             /* its length */
	size_t fields_cap;        /* room in starts/lens */
	size_t store_max;         /* fields stored per record (more are counted) */
	size_t n_fields;          /* fields seen in the current record */
	int rec_done;             /* libcsv ended the current record */
	int in_record;            /* a record has begun and not ended */
	long rec_line;            /* line where the current record began */
	size_t rec_bytes;         /* bytes fed to libcsv for the current record */
	int skip_to_nl;           /* discard input up to the next line end */
	int prev_cr;              /* the last chunk fed ended with a CR */
	int fini_done;            /* csv_fini() was called at the end */
};

static int fail_io(struct file_reader *r, struct horch_err *err)
{
	r->failed = 1;
	return horch_err_set(err, HORCH_EIO, "%s: read error: %s", r->name, strerror(errno));
}

/* Read what the stream has, up to cap bytes.  A stream with a descriptor
 * is read with read(2), which returns what has arrived: fread() would wait
 * for a whole block, so `tail -f log | horch import -` would see nothing
 * until 64 KiB had come.  (fmemopen() streams have no descriptor.)
 * Returns the count, 0 at the end, or -1 with errno set. */
static ssize_t read_some(struct file_reader *r, char *buf, size_t cap)
{
	int fd = fileno(r->fp);
	size_t n;

	if (fd >= 0)
		return read(fd, buf, cap);
	n = fread(buf, 1, cap, r->fp);
	return n == 0 && ferror(r->fp) ? -1 : (ssize_t)n;
}

/* Make sure unread bytes are in the block, unless the file is over.
 * Returns 0 (check r->pos < r->len for data) or HORCH_EIO. */
static int fill(struct file_reader *r, struct horch_err *err)
{
	ssize_t n;

	if (r->pos < r->len || r->eof)
		return 0;
	if (r->failed)
		return horch_err_set(err, HORCH_EIO, "%s: reading stopped after a read error",
				     r->name);
	n = read_some(r, r->block, FILE_READ_BLOCK);
	/* The first read must see three bytes (or the end) to tell a BOM. */
	while (!r->started && n > 0 && n < 3) {
		ssize_t more = read_some(r, r->block + n, FILE_READ_BLOCK - (size_t)n);

		if (more <= 0) {
			if (more < 0)
				n = -1;
			break;
		}
		n += more;
	}
	if (n < 0)
		return fail_io(r, err);
	r->pos = 0;
	r->len = (size_t)n;
	r->n_read += (size_t)n;
	if (n == 0)
		r->eof = 1;
	if (!r->started) {
		r->started = 1;
		if (n >= 3 && memcmp(r->block, "\xEF\xBB\xBF", 3) == 0)
			r->pos = 3;
	}
	return 0;
}

/* Give p what every record needs and check it: the default source, a
 * derived external id, the time it was read.  Returns 1 when p is a good
 * post, or a negative code with err set (p is then cleaned up). */
static int finish_post(struct file_reader *r, struct post *p, long line,
		       struct horch_err *err)
{
	struct horch_err verr;
	int rc;

	if (!p->source)
		p->source = horch_xstrdup(r->source);
	post_derive_external_id(p);
	if (p->fetched_at == HORCH_TIME_NONE)
		p->fetched_at = horch_now();
	if ((rc = post_validate(p, &verr))) {
		post_cleanup(p);
		return horch_err_at(err, rc, line, 0, "%s", verr.msg);
	}
	if (err) {
		err->code = 0;
		err->line = line;
		err->col = 0;
		err->msg[0] = '\0';
	}
	return 1;
}

/* ---- JSON Lines ---- */

/* Read the next line into *out and *out_len (without its LF; valid until the
 * next call).  *too_long is set when the line passed the cap (its bytes are
 * then dropped).  Returns 1 for a line, 0 at the end, or HORCH_EIO. */
static int read_line(struct file_reader *r, const char **out, size_t *out_len,
		     int *too_long, struct horch_err *err)
{
	int have = 0, rc;

	buf_reset(&r->linebuf);
	*too_long = 0;
	for (;;) {
		const char *start, *nl;
		size_t n;

		if ((rc = fill(r, err)))
			return rc;
		if (r->pos == r->len)
			break;  /* the end of the file */
		have = 1;
		start = r->block + r->pos;
		nl = memchr(start, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - start) : r->len - r->pos;
		r->pos += n + (nl ? 1 : 0);
		if (nl && r->linebuf.len == 0 && !*too_long) {
			/* The common case: the whole line is in the block. */
			*out = start;
			*out_len = n;
			r->line++;
			return 1;
		}
		if (!*too_long && buf_append(&r->linebuf, start, n)) {
			*too_long = 1;
			buf_reset(&r->linebuf);
		}
		if (nl)
			break;
	}
	if (!have)
		return 0;
	*out = r->linebuf.ptr ? r->linebuf.ptr : "";
	*out_len = r->linebuf.len;
	r->line++;
	return 1;
}

static int next_jsonl(struct file_reader *r, struct post *p, struct horch_err *err)
{
	for (;;) {
		const char *line = NULL;
		size_t len = 0, i;
		int too_long, rc;

		rc = read_line(r, &line, &len, &too_long, err);
		if (rc <= 0)
			return rc;
		if (too_long)
			return horch_err_at(err, HORCH_ETOOBIG, r->line, 0,
					    "longer than %u bytes", POST_JSON_MAX);
		if (len && line[len - 1] == '\r')
			len--;
		for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
			;
		if (i == len)
			continue;
		if (len > POST_JSON_MAX)
			return horch_err_at(err, HORCH_ETOOBIG, r->line, 0,
					    "longer than %u bytes", POST_JSON_MAX);
		if ((rc = post_from_json(p, line, len, r->map, err))) {
			if (err)
				err->line = r->line;
			return rc;
		}
		return finish_post(r, p, r->line, err);
	}
}

/* ---- CSV ---- */

/* libcsv's field callback: keep the field's bytes (up to store_max fields;
 * the rest are only counted, for the field-count check). */
static void on_field(void *s, size_t len, void *data)
{
	struct file_reader *r = data;

	if (r->n_fields < r->store_max) {
		if (r->n_fields >= r->fields_cap) {
			size_t cap = r->fields_cap;

			r->starts = horch_xgrow(r->starts, &cap, r->n_fields + 1, sizeof *r->starts);
			r->lens = horch_xrealloc(r->lens, cap * sizeof *r->lens);
			r->fields_cap = cap;
		}
		r->starts[r->n_fields] = r->rec.len;
		r->lens[r->n_fields] = len;
		/* Cannot fail: rec has no cap and the record's bytes are capped
		 * before they reach libcsv. */
		buf_append(&r->rec, s, len);
	}
	r->n_fields++;
}

static void on_record(int c, void *data)
{
	struct file_reader *r = data;

	(void)c;
	r->rec_done = 1;
}

/* (Re)start libcsv: after a parse error it cannot go on. */
static void csv_start(struct file_reader *r)
{
	if (r->csv_live)
		csv_free(&r->csv);
	csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_delim(&r->csv, (unsigned char)r->delimiter);
	csv_set_realloc_func(&r->csv, horch_xrealloc);
	/* libcsv grows a field's buffer by blk_size at a time (linearly, not
	 * doubling), so a long field needs a large step: 64 KiB makes a 4 MiB
	 * field 64 reallocations rather than 32,768 of libcsv's default. */
	csv_set_blk_size(&r->csv, CSV_BLOCK);
	r->csv_live = 1;
}

/* Count the line end that the chunk block[start, end) ends with, if any:
 * CR, LF and CRLF each end one line (the LF of a CRLF split over two chunks
 * is not counted again).  Returns whether the chunk ended a line. */
static int count_line_end(struct file_reader *r, size_t start, size_t end)
{
	char last = r->block[end - 1];

	if (last == '\r') {
		r->line++;
		r->prev_cr = 1;
		return 1;
	}
	if (last == '\n') {
		if (!(r->prev_cr && end - start == 1))
			r->line++;
		r->prev_cr = 0;
		return 1;
	}
	r->prev_cr = 0;
	return 0;
}

/* After a bad record: restart the parser and drop the rest of the line the
 * current chunk [pos, end) belongs to. */
static void csv_resync(struct file_reader *r, size_t end)
{
	size_t start = r->pos;

	csv_start(r);
	r->in_record = 0;
	r->pos = end;
	if (!count_line_end(r, start, end))
		r->skip_to_nl = 1;
}

/* Is c skipped by libcsv before a record begins? */
static int csv_blank(const struct file_reader *r, int c)
{
	if (c == '\r' || c == '\n')
		return 1;
	return (c == ' ' || c == '\t') && c != r->delimiter;
}

/* Read the next CSV record into rec/starts/lens/n_fields.  Returns 1 for a
 * record (its line in r->rec_line), 0 at the end of the file, or a negative
 * code for a bad record (err set, the reader positioned after it). */
static int csv_read_record(struct file_reader *r, struct horch_err *err)
{
	int rc;

	r->n_fields = 0;
	r->rec_done = 0;
	buf_reset(&r->rec);
	for (;;) {
		const char *start;
		size_t end, n, done;

		if ((rc = fill(r, err)))
			return rc;
		if (r->pos == r->len) {
			if (r->fini_done)
				return 0;
			r->fini_done = 1;
			if (csv_fini(&r->csv, on_field, on_record, r) != 0) {
				csv_start(r);
				r->in_record = 0;
				return horch_err_at(err, HORCH_EPARSE, r->rec_line, 0,
						    "a quoted field is not closed at the end of "
						    "the file");
			}
			r->in_record = 0;
			return r->rec_done ? 1 : 0;
		}
		start = r->block + r->pos;
		for (end = r->pos; end < r->len; end++)
			if (r->block[end] == '\n' || r->block[end] == '\r')
				break;
		if (end < r->len)
			end++;
		n = end - r->pos;
		if (r->skip_to_nl) {
			size_t from = r->pos;

			r->pos = end;
			if (count_line_end(r, from, end))
				r->skip_to_nl = 0;
			continue;
		}
		if (!r->in_record) {
			size_t k;

			for (k = r->pos; k < end && csv_blank(r, (unsigned char)r->block[k]); k++)
				;
			if (k < end) {
				r->in_record = 1;
				r->rec_line = r->line + 1;
				r->rec_bytes = 0;
			}
		}
		if (r->in_record) {
			if (r->rec_bytes + n > POST_JSON_MAX) {
				long line = r->rec_line;

				csv_resync(r, end);
				return horch_err_at(err, HORCH_ETOOBIG, line, 0,
						    "record longer than %u bytes", POST_JSON_MAX);
			}
			r->rec_bytes += n;
		}
		done = csv_parse(&r->csv, start, n, on_field, on_record, r);
		if (done != n) {
			long line = r->rec_line, at = r->line + 1;
			int e = csv_error(&r->csv);

			csv_resync(r, end);
			if (e == CSV_EPARSE)
				return horch_err_at(err, HORCH_EPARSE, line, 0,
						    "bad quoting on line %ld: a quote inside an "
						    "unquoted field, or text after a closing quote",
						    at);
			return horch_err_at(err, HORCH_EPARSE, line, 0, "CSV: %s", csv_strerror(e));
		}
		{
			size_t from = r->pos;

			r->pos = end;
			count_line_end(r, from, end);
		}
		if (r->rec_done) {
			r->in_record = 0;
			return 1;
		}
	}
}

/* The index of the header column named name, or -1.  *twice is set when
 * the name appears more than once. */
static int find_column(const struct file_reader *r, const char *name, int *twice)
{
	int found = -1;
	size_t i;

	*twice = 0;
	for (i = 0; i < r->n_cols; i++) {
		if (strcmp(r->cols[i], name) == 0) {
			if (found >= 0)
				*twice = 1;
			else
				found = (int)i;
		}
	}
	return found;
}

/* Write "a, b, c" (the header's columns) into out, cut with "..." to fit. */
static void list_columns(const struct file_reader *r, char *out, size_t size)
{
	size_t used = 0, i;

	out[0] = '\0';
	for (i = 0; i < r->n_cols; i++) {
		size_t need = strlen(r->cols[i]) + (i ? 2 : 0);

		if (used + need + 4 >= size) {
			snprintf(out + used, size - used, "%s...", i ? ", " : "");
			return;
		}
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", r->cols[i]);
	}
}

/* Whether map names an input for the canonical field name. */
static int mapped(const struct post_map *map, const char *name)
{
	size_t i;

	for (i = 0; map && i < map->n; i++)
		if (strcmp(map->canonical[i], name) == 0)
			return 1;
	return 0;
}

static int field_index(const char *name)
{
	int i;

	for (i = 0; post_field_names[i]; i++)
		if (strcmp(post_field_names[i], name) == 0)
			return i;
	return -1;
}

/* Read the header and decide which column feeds each canonical field. */
static int csv_open(struct file_reader *r, struct horch_err *err)
{
	struct horch_err rerr;
	char cols[300];
	size_t i;
	int rc, twice;

	csv_start(r);
	r->store_max = FILE_CSV_MAX_COLUMNS + 1;
	rc = csv_read_record(r, &rerr);
	if (rc == 0)
		return horch_err_set(err, HORCH_EPARSE, "%s: no header row (the file is empty)",
				     r->name);
	if (rc == HORCH_EIO) {
		if (err)
			*err = rerr;
		return rc;
	}
	if (rc < 0)
		return horch_err_set(err, HORCH_EPARSE, "%s: cannot read the header on line "
				     "%ld: %s", r->name, rerr.line, rerr.msg);
	if (r->n_fields > FILE_CSV_MAX_COLUMNS)
		return horch_err_set(err, HORCH_EPARSE, "%s: the header has more than %d columns",
				     r->name, FILE_CSV_MAX_COLUMNS);
	r->n_cols = r->n_fields;
	r->cols = horch_xcalloc(r->n_cols, sizeof *r->cols);
	for (i = 0; i < r->n_cols; i++)
		r->cols[i] = horch_xstrndup(r->rec.ptr + r->starts[i], r->lens[i]);
	r->store_max = r->n_cols;

	/* A column named like a canonical field feeds it, unless the map
	 * names another column for that field. */
	for (i = 0; i < N_FIELDS; i++) {
		int c;

		r->field_col[i] = -1;
		if (mapped(r->map, post_field_names[i]))
			continue;
		c = find_column(r, post_field_names[i], &twice);
		if (c >= 0 && twice)
			return horch_err_set(err, HORCH_EPARSE, "%s: column \"%s\" appears twice "
					     "in the header", r->name, post_field_names[i]);
		r->field_col[i] = c;
	}
	for (i = 0; r->map && i < r->map->n; i++) {
		int f = field_index(r->map->canonical[i]);
		int c = find_column(r, r->map->input[i], &twice);

		if (c < 0) {
			list_columns(r, cols, sizeof cols);
			return horch_err_set(err, HORCH_EINVAL, "--map: column \"%.100s\" not in the "
					     "header of %.100s (columns: %s)", r->map->input[i],
					     r->name, cols);
		}
		if (twice)
			return horch_err_set(err, HORCH_EPARSE, "%s: column \"%.100s\" appears twice "
					     "in the header", r->name, r->map->input[i]);
		r->field_col[f] = c;
	}
	return 0;
}

static int next_csv(struct file_reader *r, struct post *p, struct horch_err *err)
{
	size_t i;
	int rc;

	rc = csv_read_record(r, err);
	if (rc <= 0)
		return rc;
	if (r->n_fields != r->n_cols)
		return horch_err_at(err, HORCH_EPARSE, r->rec_line, 0, "%zu field%s, header has %zu",
				    r->n_fields, r->n_fields == 1 ? "" : "s", r->n_cols);
	for (i = 0; i < N_FIELDS; i++) {
		struct horch_err ferr;
		int c = r->field_col[i];

		if (c < 0)
			continue;
		rc = post_set_field(p, post_field_names[i], r->rec.ptr + r->starts[c], r->lens[c],
				    &ferr);
		if (rc) {
			post_cleanup(p);
			/* The message names the field; the column too when its
			 * name is another. */
			if (strcmp(r->cols[c], post_field_names[i]) == 0)
				return horch_err_at(err, rc, r->rec_line, 0, "%s", ferr.msg);
			return horch_err_at(err, rc, r->rec_line, 0, "column \"%.100s\": %s",
					    r->cols[c], ferr.msg);
		}
	}
	return finish_post(r, p, r->rec_line, err);
}

/* ---- the reader ---- */

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++) {
		int c = (unsigned char)s[n - k + i];

		if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != suffix[i])
			return 0;
	}
	return 1;
}

int file_reader__open_stream(struct file_reader **out, FILE *fp, const char *name, int own,
			     const struct file_opts *opts, struct horch_err *err)
{
	struct file_reader *r;
	size_t i;
	int rc = 0;

	r = horch_xcalloc(1, sizeof *r);
	r->fp = fp;
	r->own_fp = own;
	r->name = horch_xstrdup(name);
	r->format = opts->format == FILE_FORMAT_CSV ? FILE_FORMAT_CSV : FILE_FORMAT_JSONL;
	r->map = opts->map;
	r->source = horch_xstrdup(opts->source && *opts->source ? opts->source : "import");
	r->delimiter = opts->delimiter ? opts->delimiter : ',';
	r->block = horch_xmalloc(FILE_READ_BLOCK);
	buf_init(&r->linebuf, POST_JSON_MAX + 1);
	buf_init(&r->rec, BUF_NOLIMIT);

	for (i = 0; r->map && i < r->map->n; i++) {
		if (field_index(r->map->canonical[i]) < 0) {
			rc = horch_err_set(err, HORCH_EINVAL, "--map: unknown field \"%.100s\"",
					   r->map->canonical[i]);
			goto out;
		}
	}
	if (r->format == FILE_FORMAT_CSV) {
		if (r->delimiter == '"' || r->delimiter == '\r' || r->delimiter == '\n') {
			rc = horch_err_set(err, HORCH_EINVAL, "a quote or a line end cannot be the "
					   "CSV delimiter");
			goto out;
		}
		if ((rc = csv_open(r, err)))
			goto out;
	}
out:
	if (rc) {
		if (!own)
			r->fp = NULL;  /* the caller keeps its stream */
		file_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int file_reader_open(struct file_reader **out, const char *path,
		     const struct file_opts *opts, struct horch_err *err)
{
	static const struct file_opts defaults = { 0 };
	struct file_opts o = opts ? *opts : defaults;
	struct stat st;
	FILE *fp;
	int rc, is_stdin = strcmp(path, "-") == 0;

	if (o.format == FILE_FORMAT_AUTO)
		o.format = !is_stdin && has_suffix(path, ".csv") ? FILE_FORMAT_CSV
								  : FILE_FORMAT_JSONL;
	if (is_stdin) {
		fp = stdin;
	} else {
		fp = fopen(path, "rb");
		if (!fp)
			return horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno));
	}
	if (fstat(fileno(fp), &st) != 0)
		memset(&st, 0, sizeof st);  /* size unknown */
	if (S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			fclose(fp);
		return horch_err_set(err, HORCH_EIO, "%s: is a directory", path);
	}
	rc = file_reader__open_stream(out, fp, path, !is_stdin, &o, err);
	if (rc == 0 && S_ISREG(st.st_mode))
		(*out)->size = (uint64_t)st.st_size;
	return rc;
}

void file_reader_close(struct file_reader *r)
{
	size_t i;

	if (!r)
		return;
	if (r->fp && r->own_fp)
		fclose(r->fp);
	if (r->csv_live)
		csv_free(&r->csv);
	for (i = 0; i < r->n_cols; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r->starts);
	free(r->lens);
	buf_cleanup(&r->rec);
	buf_cleanup(&r->linebuf);
	free(r->block);
	free(r->source);
	free(r->name);
	free(r);
}

int file_reader_next(struct file_reader *r, struct post *p, struct horch_err *err)
{
	if (r->format == FILE_FORMAT_CSV)
		return next_csv(r, p, err);
	return next_jsonl(r, p, err);
}

uint64_t file_reader_offset(const struct file_reader *r)
{
	return r->n_read - (r->len - r->pos);
}

uint64_t file_reader_size(const struct file_reader *r)
{
	return r->size;
}

const char *file_reader_name(const struct file_reader *r)
{
	return r->name;
}

/* ---- --map ---- */

/* "external_id, source, ..." for messages. */
static void list_fields(char *out, size_t size)
{
	size_t used = 0, i;

	out[0] = '\0';
	for (i = 0; post_field_names[i] && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
					 post_field_names[i]);
}

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

int post_map_parse(struct post_map *out, const char *spec, struct horch_err *err)
{
	struct post_map m = { 0, NULL, NULL };
	const char *p = spec;
	char fields[400];
	int rc = 0;

	m.canonical = horch_xcalloc(N_FIELDS, sizeof *m.canonical);
	m.input = horch_xcalloc(N_FIELDS, sizeof *m.input);
	for (;;) {
		const char *comma = strchr(p, ','), *eq, *c = p, *in;
		size_t len = comma ? (size_t)(comma - p) : strlen(p), clen, ilen, k;
		int f;

		trim(&c, &len);
		if (len == 0) {
			rc = horch_err_set(err, HORCH_EUSAGE, "an empty entry in \"%.200s\"", spec);
			goto out;
		}
		eq = memchr(c, '=', len);
		if (!eq) {
			rc = horch_err_set(err, HORCH_EUSAGE, "\"%.*s\" has no '=' (write "
					   "canonical=input, e.g. text=body)", (int)(len > 100 ? 100 : len),
					   c);
			goto out;
		}
		clen = (size_t)(eq - c);
		in = eq + 1;
		ilen = len - clen - 1;
		trim(&c, &clen);
		trim(&in, &ilen);
		for (f = 0; post_field_names[f]; f++)
			if (strlen(post_field_names[f]) == clen &&
			    memcmp(post_field_names[f], c, clen) == 0)
				break;
		if (!post_field_names[f]) {
			list_fields(fields, sizeof fields);
			rc = horch_err_set(err, HORCH_EUSAGE, "unknown field \"%.*s\" (fields: %s)",
					   (int)(clen > 100 ? 100 : clen), c, fields);
			goto out;
		}
		if (ilen == 0) {
			rc = horch_err_set(err, HORCH_EUSAGE, "no input name for \"%s\"",
					   post_field_names[f]);
			goto out;
		}
		for (k = 0; k < m.n; k++) {
			if (m.canonical[k] == post_field_names[f]) {
				rc = horch_err_set(err, HORCH_EUSAGE, "field \"%s\" is mapped twice",
						   post_field_names[f]);
				goto out;
			}
		}
		m.canonical[m.n] = post_field_names[f];
		m.input[m.n] = horch_xstrndup(in, ilen);
		m.n++;
		if (!comma)
			break;
		p = comma + 1;
	}
out:
	if (rc) {
		post_map_cleanup(&m);
		out->n = 0;
		out->canonical = NULL;
		out->input = NULL;
		return rc;
	}
	*out = m;
	return 0;
}

void post_map_cleanup(struct post_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		free((void *)m->input[i]);
	free((void *)m->canonical);
	free((void *)m->input);
	m->n = 0;
	m->canonical = NULL;
	m->input = NULL;
}
