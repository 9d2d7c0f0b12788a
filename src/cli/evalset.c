/* evalset.c - read labelled sets for horch eval and horch train (see
 * evalset.h for the formats).
 *
 * The whole file is read into memory (capped at EVALSET_FILE_MAX) and split
 * into records: CSV by libcsv (quoted fields may span lines), TSV by tabs and
 * line ends (the public TSV sets do not quote), JSON Lines by jansson.  The
 * label column is chosen by the task from the header (CSV) or from the
 * shape of the first record (TSV).  Each text is normalised as the
 * pipeline would (text_normalise()), so that eval scores what horch stores.
 * Exact duplicates of an earlier text are dropped: the public sets hold
 * some, and a text counted twice would weigh twice. */
#include "evalset.h"

#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/hash.h"
#include "../text/text.h"

#define EVALSET_FILE_MAX (512u * 1024 * 1024) /* bytes of one labelled file */
#define EVALSET_LABEL_MAX 64                   /* bytes of one label */

/* One record as fields (pointers into a copy owned by the reader). */
struct rec {
	char **f;
	size_t *flen;
	size_t n, cap;
	size_t line;
};

/* What reading one file passes around. */
struct reader {
	struct evalset *out;
	enum evalset_task task;
	struct horch_err *err;
	int rc;
	/* CSV: the columns found in the header; -1 when absent. */
	long text_col, label_col, lang_col, reason_col;
	int header_done;
	int valence;           /* TSV: the label is a number (mean valence) */
	int airline_intent;    /* CSV: intent from airline_sentiment + negativereason */
	struct rec r;          /* the record being collected (CSV) */
	struct buf field;      /* CSV: scratch for fields */
	size_t line;           /* CSV: the line where the current record starts */
	size_t cur_line;       /* CSV: the line being read */
	size_t n0;             /* items of earlier files */
	size_t dup0;           /* duplicates of earlier files */
};

/* A hash of s[0..n), never 0 (0 marks a free slot). */
static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = horch_fnv1a(HORCH_FNV_BASIS, s, n);

	return h ? h : 1;
}

/* 1 when the same text came before; otherwise remembers it as the item
 * about to be added (index out->n).  Open addressing over 64-bit hashes,
 * each slot with its item, so that a hit compares the bytes of one item. */
static int seen_before(struct reader *rd, const char *text, size_t len)
{
	struct evalset *o = rd->out;
	uint64_t h = hash_bytes(text, len);
	size_t i, mask;

	if (o->seen_n * 2 >= o->seen_cap) {
		size_t ncap = o->seen_cap ? o->seen_cap * 2 : 1024;
		struct evalset_seen *nv = horch_xcalloc(ncap, sizeof *nv);

		for (size_t k = 0; k < o->seen_cap; k++) {
			if (!o->seen[k].hash)
				continue;
			for (i = o->seen[k].hash & (ncap - 1); nv[i].hash; i = (i + 1) & (ncap - 1))
				;
			nv[i] = o->seen[k];
		}
		free(o->seen);
		o->seen = nv;
		o->seen_cap = ncap;
	}
	mask = o->seen_cap - 1;
	for (i = h & mask; o->seen[i].hash; i = (i + 1) & mask) {
		const struct evalset_item *it;

		if (o->seen[i].hash != h || o->seen[i].item >= o->n)
			continue;
		it = &o->v[o->seen[i].item];
		if (it->len == len && memcmp(it->text, text, len) == 0)
			return 1;
	}
	o->seen[i].hash = h;
	o->seen[i].item = o->n;
	o->seen_n++;
	return 0;
}

/* The set's own copy of a label, in horch's spelling. */
static const char *intern_label(struct evalset *s, const char *label)
{
	for (size_t i = 0; i < s->n_labels; i++)
		if (strcmp(s->labels[i], label) == 0)
			return s->labels[i];
	s->labels = horch_xrealloc(s->labels, (s->n_labels + 1) * sizeof *s->labels);
	s->labels[s->n_labels] = horch_xstrdup(label);
	return s->labels[s->n_labels++];
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t' || **s == '\r' || **s == '"')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' ||
		      (*s)[*n - 1] == '"'))
		(*n)--;
}

/* Spell label l[0..n) for the task into out (EVALSET_LABEL_MAX bytes).
 * Returns 1, or 0 when it is not a label of the task (the record is
 * skipped as unlabelled). */
static int spell_label(enum evalset_task task, int valence, const char *l, size_t n,
		       char *out)
{
	char low[EVALSET_LABEL_MAX];
	size_t i;

	trim(&l, &n);
	if (n == 0 || n >= sizeof low)
		return 0;
	for (i = 0; i < n; i++)
		low[i] = (char)((l[i] >= 'A' && l[i] <= 'Z') ? l[i] + 32 : l[i]);
	low[n] = '\0';
	if (valence) {
		char *end;
		double v;

		errno = 0;
		v = strtod(low, &end);
		if (errno || *end)
			return 0;
		strcpy(out, v > 0.5 ? "positive" : v < -0.5 ? "negative" : "neutral");
		return 1;
	}
	switch (task) {
	case EVALSET_SENTIMENT: {
		static const struct { const char *in, *out; } map[] = {
			/* Numbers are not taken: 0 is neutral in some sets and
			 * negative in others (SST-2, IMDB). */
			{ "negative", "negative" }, { "neg", "negative" }, { "negativ", "negative" },
			{ "neutral", "neutral" }, { "neu", "neutral" }, { "positive", "positive" },
			{ "pos", "positive" }, { "positiv", "positive" },
		};
		for (i = 0; i < sizeof map / sizeof map[0]; i++)
			if (strcmp(low, map[i].in) == 0) {
				strcpy(out, map[i].out);
				return 1;
			}
		return 0;
	}
	case EVALSET_SPAM:
		if (!strcmp(low, "1") || !strcmp(low, "spam") || !strcmp(low, "true")) {
			strcpy(out, "spam");
			return 1;
		}
		if (!strcmp(low, "0") || !strcmp(low, "ham") || !strcmp(low, "false")) {
			strcpy(out, "ham");
			return 1;
		}
		return 0;
	case EVALSET_LANG:
		/* "de-DE", "zh_Hant": the primary subtag. */
		for (i = 0; low[i] && low[i] != '-' && low[i] != '_'; i++)
			if (low[i] < 'a' || low[i] > 'z')
				return 0;
		if (i < 2 || i > 3)
			return 0;
		memcpy(out, low, i);
		out[i] = '\0';
		return 1;
	case EVALSET_INTENT:
		if (!strcmp(low, "complaint") || !strcmp(low, "question") || !strcmp(low, "praise") ||
		    !strcmp(low, "purchase") || !strcmp(low, "idea") || !strcmp(low, "other")) {
			strcpy(out, low);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* Add one labelled text (raw bytes) from line `line`.  Returns 0 or an
 * error (a text over its cap). */
static int add_item(struct reader *rd, const char *text, size_t len, const char *label,
		    const char *lang, size_t lang_len, size_t line)
{
	struct evalset *s = rd->out;
	struct evalset_item *it;
	struct buf b;
	int rc;

	buf_init(&b, TEXT_MAX);
	rc = text_normalise(&b, text, len, NULL);
	if (rc) {
		buf_cleanup(&b);
		return horch_err_at(rd->err, rc, (long)line, 0, "line %zu: a text of more than "
				    "%u bytes", line, TEXT_MAX);
	}
	if (b.len == 0 || seen_before(rd, b.ptr ? b.ptr : "", b.len)) {
		if (b.len)
			s->n_duplicates++;
		else
			s->n_unlabelled++;
		buf_cleanup(&b);
		return 0;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = horch_xrealloc(s->v, s->cap * sizeof *s->v);
	}
	it = &s->v[s->n++];
	it->text = b.ptr;
	it->len = b.len;
	it->label = intern_label(s, label);
	it->lang = NULL;
	if (lang && lang_len) {
		char code[EVALSET_LABEL_MAX];

		if (spell_label(EVALSET_LANG, 0, lang, lang_len, code))
			it->lang = horch_xstrdup(code);
	}
	it->line = line;
	return 0;
}

/* ---- CSV with a header ---- */

static long find_col(const struct rec *r, const char *const *names)
{
	for (size_t k = 0; names[k]; k++)
		for (size_t i = 0; i < r->n; i++)
			if (r->flen[i] == strlen(names[k]) &&
			    strncasecmp(r->f[i], names[k], r->flen[i]) == 0)
				return (long)i;
	return -1;
}

static int csv_header(struct reader *rd)
{
	static const char *const text_names[] = { "text", "content", "sentence", "review",
						  "review_text", "body", NULL };
	static const char *const lang_labels[] = { "lang", "language", "labels", "label", NULL };
	static const char *const sent_labels[] = { "sentiment", "airline_sentiment", "label",
						   "labels", "polarity", NULL };
	static const char *const spam_labels[] = { "class", "spam", "label", "labels", NULL };
	static const char *const intent_labels[] = { "intent", "label", "labels", NULL };
	static const char *const lang_cols[] = { "lang", "language", NULL };
	static const char *const reason_cols[] = { "negativereason", NULL };
	const char *const *labels = rd->task == EVALSET_LANG ? lang_labels :
		rd->task == EVALSET_SENTIMENT ? sent_labels :
		rd->task == EVALSET_SPAM ? spam_labels : intent_labels;

	rd->text_col = find_col(&rd->r, text_names);
	rd->label_col = find_col(&rd->r, labels);
	rd->lang_col = rd->task == EVALSET_LANG ? -1 : find_col(&rd->r, lang_cols);
	if (rd->task == EVALSET_INTENT && rd->label_col < 0) {
		/* The airline set: complaints are its negative tweets with a reason. */
		static const char *const air[] = { "airline_sentiment", NULL };

		rd->reason_col = find_col(&rd->r, reason_cols);
		rd->label_col = find_col(&rd->r, air);
		rd->airline_intent = rd->reason_col >= 0 && rd->label_col >= 0;
	}
	if (rd->text_col < 0)
		return horch_err_at(rd->err, HORCH_EPARSE, 1, 0, "line 1: no text column in the "
				    "header (expected one named text or content)");
	if (rd->label_col < 0)
		return horch_err_at(rd->err, HORCH_EPARSE, 1, 0, "line 1: no label column in the "
				    "header (expected one of %s%s%s%s)", labels[0],
				    labels[1] ? ", " : "", labels[1] ? labels[1] : "",
				    labels[1] && labels[2] ? ", ..." : "");
	return 0;
}

static int csv_record(struct reader *rd)
{
	struct rec *r = &rd->r;
	char label[EVALSET_LABEL_MAX];
	long lc = rd->label_col;

	if (!rd->header_done) {
		rd->header_done = 1;
		return csv_header(rd);
	}
	if (r->n == 1 && r->flen[0] == 0)
		return 0; /* a blank line */
	if ((size_t)rd->text_col >= r->n || (size_t)lc >= r->n ||
	    (rd->airline_intent && (size_t)rd->reason_col >= r->n))
		return horch_err_at(rd->err, HORCH_EPARSE, (long)r->line, 0,
				    "line %zu: %zu fields, fewer than the header's columns",
				    r->line, r->n);
	if (rd->airline_intent) {
		const char *reason = r->f[rd->reason_col];
		size_t rn = r->flen[rd->reason_col];

		if (r->flen[lc] == 8 && memcmp(r->f[lc], "negative", 8) == 0) {
			if (rn == 0 || (rn == 10 && memcmp(reason, "Can't Tell", 10) == 0)) {
				rd->out->n_unlabelled++;
				return 0;
			}
			strcpy(label, "complaint");
		} else {
			strcpy(label, "other");
		}
	} else if (!spell_label(rd->task, 0, r->f[lc], r->flen[lc], label)) {
		rd->out->n_unlabelled++;
		return 0;
	}
	return add_item(rd, r->f[rd->text_col], r->flen[rd->text_col], label,
			rd->lang_col >= 0 && (size_t)rd->lang_col < r->n ? r->f[rd->lang_col] : NULL,
			rd->lang_col >= 0 && (size_t)rd->lang_col < r->n ? r->flen[rd->lang_col] : 0,
			r->line);
}

static void rec_push(struct rec *r, const char *s, size_t n)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = horch_xrealloc(r->f, r->cap * sizeof *r->f);
		r->flen = horch_xrealloc(r->flen, r->cap * sizeof *r->flen);
	}
	r->f[r->n] = horch_xmalloc(n + 1);
	memcpy(r->f[r->n], s, n);
	r->f[r->n][n] = '\0';
	r->flen[r->n++] = n;
}

static void rec_clear(struct rec *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
}

static void on_field(void *s, size_t n, void *ctx)
{
	struct reader *rd = ctx;

	if (rd->r.n == 0)
		rd->r.line = rd->line;
	rec_push(&rd->r, s ? s : "", s ? n : 0);
}

static void on_record(int c, void *ctx)
{
	struct reader *rd = ctx;

	if (rd->rc == 0 && rd->r.n)
		rd->rc = csv_record(rd);
	rec_clear(&rd->r);
	rd->line = rd->cur_line + (c == '\n' || c == '\r');
}

static int read_csv(struct reader *rd, const char *data, size_t len)
{
	struct csv_parser p;
	size_t i, start = 0;
	int rc = 0;

	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
		return horch_err_set(rd->err, HORCH_EIO, "out of memory");
	csv_set_realloc_func(&p, horch_xrealloc);
	rd->line = rd->cur_line = 1;
	/* Feed line by line so that records know where they start. */
	/* A line ends at LF, CR LF or a lone CR, as for libcsv. */
	for (i = 0; i <= len && rd->rc == 0; i++) {
		if (i < len && data[i] != '\n' &&
		    !(data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
			continue;
		size_t end = i < len ? i + 1 : len;

		if (csv_parse(&p, data + start, end - start, on_field, on_record, rd) !=
		    end - start) {
			rc = horch_err_at(rd->err, HORCH_EPARSE, (long)rd->cur_line, 0,
					  "line %zu: %s", rd->cur_line, csv_error(&p) == CSV_EPARSE ?
					  "a quote inside an unquoted field, or text after a closing "
					  "quote (a field with quotes is quoted whole, \"\" inside)" :
					  csv_strerror(csv_error(&p)));
			break;
		}
		start = end;
		rd->cur_line++;
	}
	if (rc == 0 && rd->rc == 0 && csv_fini(&p, on_field, on_record, rd) != 0)
		rc = horch_err_at(rd->err, HORCH_EPARSE, (long)rd->line, 0, "line %zu: a quoted "
				  "field that never ends", rd->line);
	csv_free(&p);
	rec_clear(&rd->r);
	return rc ? rc : rd->rc;
}

/* ---- TSV without a header ---- */

static int all_number(const char *s, size_t n)
{
	char tmp[64], *end;

	trim(&s, &n);
	if (n == 0 || n >= sizeof tmp)
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	(void)strtod(tmp, &end);
	return *end == '\0';
}

static int read_tsv(struct reader *rd, const char *data, size_t len)
{
	const char *f[8];
	size_t fl[8];
	size_t line = 0, pos = 0;
	int shape = 0; /* 1: id label text, 2: text label, 3: germeval, 4: id valence text */

	while (pos < len) {
		const char *ln = data + pos, *nl = memchr(ln, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - ln) : len - pos, nf = 0, k, s0 = 0;
		char label[EVALSET_LABEL_MAX];
		int rc;

		pos += n + (nl != NULL);
		line++;
		if (n && ln[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		for (k = 0; k <= n && nf < 8; k++)
			if (k == n || ln[k] == '\t') {
				f[nf] = ln + s0;
				fl[nf++] = k - s0;
				s0 = k + 1;
			}
		if (!shape) {
			if (nf >= 4 && fl[0] >= 4 && memcmp(f[0], "http", 4) == 0)
				shape = 3;
			else if (nf == 3 && all_number(f[1], fl[1]) && rd->task == EVALSET_SENTIMENT)
				shape = 4;
			else if (nf == 3)
				shape = 1;
			else if (nf == 2)
				shape = 2;
			else
				return horch_err_at(rd->err, HORCH_EPARSE, (long)line, 0, "line %zu: "
						    "%zu tab-separated fields; expected id, label, "
						    "text or text, label (see docs/accuracy.md)", line, nf);
			rd->valence = shape == 4;
		}
		const char *text, *lab;
		size_t tl, ll;

		switch (shape) {
		case 1: case 4:
			if (nf < 3)
				goto short_line;
			lab = f[1]; ll = fl[1];
			text = f[2]; tl = (size_t)(ln + n - f[2]); /* the rest, tabs and all */
			break;
		case 2:
			if (nf < 2)
				goto short_line;
			text = f[0]; tl = fl[0];
			lab = f[1]; ll = fl[1];
			break;
		default:
			if (nf < 4)
				goto short_line;
			text = f[1]; tl = fl[1];
			lab = f[3]; ll = fl[3];
			break;
		}
		if (!spell_label(rd->task, rd->valence, lab, ll, label)) {
			rd->out->n_unlabelled++;
			continue;
		}
		rc = add_item(rd, text, tl, label, NULL, 0, line);
		if (rc)
			return rc;
		continue;
short_line:
		return horch_err_at(rd->err, HORCH_EPARSE, (long)line, 0, "line %zu: %zu "
				    "tab-separated fields, fewer than the first line's", line, nf);
	}
	return 0;
}

/* ---- JSON Lines ---- */

static int read_jsonl(struct reader *rd, const char *data, size_t len)
{
	static const char *const lang_keys[] = { "lang", "label", "language", NULL };
	static const char *const sent_keys[] = { "sentiment", "label", NULL };
	static const char *const spam_keys[] = { "spam", "label", "class", NULL };
	static const char *const intent_keys[] = { "intent", "label", NULL };
	const char *const *keys = rd->task == EVALSET_LANG ? lang_keys :
		rd->task == EVALSET_SENTIMENT ? sent_keys :
		rd->task == EVALSET_SPAM ? spam_keys : intent_keys;
	size_t line = 0, pos = 0;

	while (pos < len) {
		const char *ln = data + pos, *nl = memchr(ln, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - ln) : len - pos;
		json_error_t je;
		json_t *o, *t, *l = NULL, *lg;
		char label[EVALSET_LABEL_MAX], num[32];
		const char *ls;
		size_t lsn;
		int rc;

		pos += n + (nl != NULL);
		line++;
		while (n && (ln[n - 1] == '\r' || ln[n - 1] == ' '))
			n--;
		if (n == 0)
			continue;
		o = json_loadb(ln, n, JSON_REJECT_DUPLICATES, &je);
		if (!o)
			return horch_err_at(rd->err, HORCH_EPARSE, (long)line, je.column,
					    "line %zu, column %d: %s", line, je.column, je.text);
		t = json_object_get(o, "text");
		for (size_t k = 0; keys[k] && !l; k++)
			l = json_object_get(o, keys[k]);
		if (!json_is_string(t)) {
			json_decref(o);
			return horch_err_at(rd->err, HORCH_EPARSE, (long)line, 0, "line %zu: field "
					    "\"text\": expected a string", line);
		}
		if (json_is_string(l)) {
			ls = json_string_value(l);
			lsn = json_string_length(l);
		} else if (json_is_integer(l) || json_is_boolean(l)) {
			snprintf(num, sizeof num, "%lld", json_is_boolean(l) ?
				 (long long)json_is_true(l) : (long long)json_integer_value(l));
			ls = num;
			lsn = strlen(num);
		} else {
			ls = "";
			lsn = 0;
		}
		if (!spell_label(rd->task, 0, ls, lsn, label)) {
			rd->out->n_unlabelled++;
			json_decref(o);
			continue;
		}
		lg = rd->task == EVALSET_LANG ? NULL : json_object_get(o, "lang");
		rc = add_item(rd, json_string_value(t), json_string_length(t), label,
			      json_is_string(lg) ? json_string_value(lg) : NULL,
			      json_is_string(lg) ? json_string_length(lg) : 0, line);
		json_decref(o);
		if (rc)
			return rc;
	}
	return 0;
}

/* Read path whole into *out (NUL-terminated), at most EVALSET_FILE_MAX
 * bytes. */
static int slurp(const char *path, char **out, size_t *len, struct horch_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct buf b;
	int rc = 0;

	if (!f)
		return horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno));
	buf_init(&b, BUF_NOLIMIT);
	if (buf_read_stream(&b, f, EVALSET_FILE_MAX) != 0)
		rc = horch_err_set(err, HORCH_EIO, "%s: %s", path, strerror(errno));
	else if (b.len > EVALSET_FILE_MAX)
		rc = horch_err_set(err, HORCH_ETOOBIG, "%s: more than %u bytes", path,
				   EVALSET_FILE_MAX);
	if (f != stdin)
		fclose(f);
	if (rc) {
		buf_cleanup(&b);
		return rc;
	}
	*out = b.ptr ? b.ptr : horch_xstrdup("");
	*len = b.len;
	return 0;
}

int evalset_read_mem(struct evalset *out, const char *name, const char *data, size_t len,
		     enum evalset_task task, struct horch_err *err)
{
	struct reader rd = { .out = out, .task = task, .err = err, .text_col = -1,
			     .label_col = -1, .lang_col = -1, .reason_col = -1 };
	const char *p = data, *nl;
	size_t i = 0, nlpos;
	int rc;

	rd.n0 = out->n;
	rd.dup0 = out->n_duplicates;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3; /* a byte order mark */
		len -= 3;
	}
	nl = memchr(p, '\n', len);
	nlpos = nl ? (size_t)(nl - p) : len;
	while (i < len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r'))
		i++;
	if (i < len && p[i] == '{') {
		out->format = "jsonl";
		rc = read_jsonl(&rd, p, len);
	} else if (memchr(p, '\t', nlpos)) {
		out->format = "tsv";
		rc = read_tsv(&rd, p, len);
	} else {
		out->format = "csv";
		rc = read_csv(&rd, p, len);
	}
	free(rd.r.f);
	free(rd.r.flen);
	if (rc == 0 && out->n == rd.n0 && out->n_duplicates == rd.dup0)
		rc = horch_err_set(err, HORCH_EINVAL, "%s: no labelled texts", name);
	if (rc) {
		/* Name the file in every message. */
		if (err && strncmp(err->msg, name, strlen(name)) != 0) {
			char msg[sizeof err->msg];
			int n = snprintf(msg, sizeof msg, "%s: ", name);

			if (n > 0 && (size_t)n < sizeof msg) {
				size_t room = sizeof msg - (size_t)n - 1, ml = strlen(err->msg);

				memcpy(msg + n, err->msg, ml < room ? ml : room);
				msg[n + (ml < room ? ml : room)] = '\0';
				memcpy(err->msg, msg, sizeof msg);
			}
		}
		/* Keep what earlier files gave; drop this one's part. */
		for (size_t k = rd.n0; k < out->n; k++) {
			free(out->v[k].text);
			free(out->v[k].lang);
		}
		out->n = rd.n0;
	}
	return rc;
}

int evalset_read(struct evalset *out, const char *path, enum evalset_task task,
		 struct horch_err *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc = slurp(path, &data, &len, err);

	if (rc)
		return rc;
	rc = evalset_read_mem(out, path, data, len, task, err);
	free(data);
	return rc;
}

void evalset_cleanup(struct evalset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].text);
		free(s->v[i].lang);
	}
	free(s->v);
	for (size_t i = 0; i < s->n_labels; i++)
		free(s->labels[i]);
	free(s->labels);
	free(s->seen);
	memset(s, 0, sizeof *s);
}
