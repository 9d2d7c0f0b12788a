/* topicfile.c - the reader of topic files (topicfile.h): lines split, each
 * read as NAME<TAB>QUERY or as a JSON object, the name and the fields
 * checked, the query parsed; every problem reported with its line and its
 * byte column in the line.
 *
 * A column of a query problem is the column in the line, not in the
 * query: after the tab of a NAME<TAB>QUERY line, or, in a JSON line, the
 * place in the raw "query" string that the decoded column came from (its
 * escapes walked one by one). */
#include "topicfile.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../query/query.h"
#include "../store/store.h"

void topicfile_entry_cleanup(struct topicfile_entry *e)
{
	if (!e)
		return;
	free(e->name);
	free(e->query);
	free(e->team);
	free(e->color);
	query_free(e->q);
	memset(e, 0, sizeof *e);
}

/* What one call of topicfile_read() passes around. */
struct reader {
	unsigned flags;
	topicfile_entry_fn on_entry;
	topicfile_problem_fn on_problem;
	void *ctx;
};

/* Check a name as the store will (store_topic_name_canon()), so that
 * every line is checked before anything is saved, and set *out to the
 * name as the store will save it (NFC, spaces squeezed; the caller frees
 * it).  Returns 0, or non-zero with the reason in err (*out NULL). */
static int name_problem(const char *name, char **out, struct horch_err *err)
{
	struct buf canon;
	int rc;

	*out = NULL;
	buf_init(&canon, BUF_NOLIMIT);
	rc = store_topic_name_canon(&canon, name, err);
	if (!rc)
		*out = horch_xstrdup(canon.ptr);
	buf_cleanup(&canon);
	return rc;
}

/* The value of hex digit c, or -1. */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code point of the four hex digits at p, or -1 when they are not
 * four hex digits (the walk stops at the first byte that is not one, so a
 * NUL ends it). */
static long hex4(const char *p)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* The byte column (1-based) in a JSON line of byte col (1-based) of the
 * decoded "query" value: the raw string is walked escape by escape.  1
 * when the value cannot be found (a key written with escapes, or the same
 * text earlier in the line). */
static long json_query_col(const char *line, long col)
{
	const char *p = strstr(line, "\"query\"");
	long decoded = 1;

	if (!p)
		return 1;
	p += 7;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != ':')
		return 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '"')
		return 1;
	while (*p && *p != '"' && decoded < col) {
		long cp;

		if (*p != '\\') {
			p++;
			decoded++;
		} else if (p[1] != 'u') {
			p += p[1] ? 2 : 1;
			decoded++;
		} else if ((cp = hex4(p + 2)) < 0) {
			/* Not what the JSON parser took: give up here. */
			break;
		} else if (cp >= 0xd800 && cp < 0xdc00 && p[6] == '\\' && p[7] == 'u' &&
			   hex4(p + 8) >= 0) {
			/* A surrogate pair: 12 bytes of JSON for 4 of UTF-8. */
			p += 12;
			decoded += 4;
		} else {
			p += 6;
			decoded += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
		}
	}
	return (long)(p - line) + 1;
}

/* The column in the line of column col of the query, which starts after
 * byte qcol of a tab-separated line, or (qcol -1) is a JSON string. */
static long line_col(const char *line, long qcol, long col)
{
	return qcol < 0 ? json_query_col(line, col) : qcol + col;
}

/* The text to save for q (written as src): as written, or in canonical
 * form when it was read leniently (canonical text reads the same in strict
 * mode, so the matcher never needs to know how a topic was written).
 * Returns a new string. */
static char *saved_text(unsigned flags, const struct query *q, const char *src)
{
	struct buf b;
	char *s;

	if (!(flags & QUERY_LENIENT))
		return horch_xstrdup(src);
	buf_init(&b, BUF_NOLIMIT);
	query_print(q, &b);
	s = horch_xstrndup(b.ptr ? b.ptr : "", b.len);
	buf_cleanup(&b);
	return s;
}

/* Read one line (NUL-terminated, at most TOPICFILE_LINE_MAX bytes) into
 * *out.  Returns 0, 1 for a line to skip, or -1 after reporting the
 * problem. */
static int read_line(struct reader *r, long lineno, char *line, struct topicfile_entry *out)
{
	struct horch_err err;
	struct query_diag diag;
	const char *team = NULL, *color = NULL, *name, *query;
	char *canon = NULL;
	json_t *root = NULL;
	long qcol, skip;
	int rc = -1;

	/* Columns are counted from the line's first byte, blanks included:
	 * skip is added to every column counted after them. */
	for (skip = 0; line[skip] == ' ' || line[skip] == '\t'; skip++)
		;
	line += skip;
	if (*line == '\0' || *line == '#')
		return 1;
	query_diag_init(&diag);
	if (*line == '[') {
		r->on_problem(r->ctx, lineno, skip + 1, "error", "a JSON array: use JSON Lines, one "
			      "object per line");
		goto out;
	}
	if (*line == '{') {
		json_error_t jerr;
		json_t *v;

		root = json_loads(line, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
		if (!root || !json_is_object(root)) {
			/* jansson's column counts characters; its position
			 * is the byte offset just past the place at fault. */
			long pos = root || jerr.position < 1 ? 1 : (long)jerr.position;

			if ((size_t)pos > strlen(line))
				pos = (long)strlen(line) + 1;
			r->on_problem(r->ctx, lineno, skip + pos, "error",
				      root ? "expected a JSON object" : jerr.text);
			goto out;
		}
		name = json_string_value(json_object_get(root, "name"));
		query = json_string_value(json_object_get(root, "query"));
		if (!name || !query) {
			r->on_problem(r->ctx, lineno, skip + 1, "error", "expected \"name\" and \"query\" "
				      "strings");
			goto out;
		}
		/* A NUL written as \u0000 would cut the strings short. */
		if (strlen(name) != json_string_length(json_object_get(root, "name")) ||
		    strlen(query) != json_string_length(json_object_get(root, "query"))) {
			r->on_problem(r->ctx, lineno, skip + 1, "error", "a NUL character in a string");
			goto out;
		}
		out->has_team = json_object_get(root, "team") != NULL;
		out->has_color = json_object_get(root, "color") != NULL;
		if ((v = json_object_get(root, "team")) && !json_is_null(v) &&
		    !(team = json_string_value(v))) {
			r->on_problem(r->ctx, lineno, skip + 1, "error", "\"team\" is not a string");
			goto out;
		}
		if ((v = json_object_get(root, "color")) && !json_is_null(v) &&
		    !(color = json_string_value(v))) {
			r->on_problem(r->ctx, lineno, skip + 1, "error", "\"color\" is not a string");
			goto out;
		}
		qcol = -1;  /* mapped per column below */
	} else {
		char *tab = strchr(line, '\t');

		if (!tab) {
			/* "\tQUERY": the blanks skipped held the tab. */
			r->on_problem(r->ctx, lineno, skip + (long)strlen(line) + 1, "error",
				      memchr(line - skip, '\t', (size_t)skip)
					      ? "expected NAME<TAB>QUERY: the line starts with a "
						"tab, so its name is empty"
					      : "expected NAME<TAB>QUERY (no tab on the line)");
			goto out;
		}
		*tab = '\0';
		name = line;
		query = tab + 1;
		qcol = (long)(tab - line) + 1;
	}
	if (name_problem(name, &canon, &err) != 0) {
		r->on_problem(r->ctx, lineno, skip + 1, "error", err.msg);
		goto out;
	}
	if ((team && strlen(team) > STORE_TOPIC_FIELD_MAX) ||
	    (color && strlen(color) > STORE_TOPIC_FIELD_MAX)) {
		r->on_problem(r->ctx, lineno, skip + 1, "error", "team or color is longer than 256 bytes");
		goto out;
	}
	horch_err_clear(&err);
	rc = query_parse(&out->q, query, strlen(query), r->flags, &diag, &err);
	for (size_t i = 0; i < diag.n_warn; i++)
		r->on_problem(r->ctx, lineno, skip + line_col(line, qcol, diag.warn[i].col),
			      "warning", diag.warn[i].msg);
	if (rc) {
		char msg[sizeof err.msg + sizeof diag.hint + 16];

		snprintf(msg, sizeof msg, "%s%s%s%s", err.msg, diag.hint[0] ? " (hint: " : "",
			 diag.hint, diag.hint[0] ? ")" : "");
		r->on_problem(r->ctx, lineno,
			      skip + line_col(line, qcol, err.col > 0 ? err.col : 1), "error", msg);
		out->q = NULL;
		rc = -1;
		goto out;
	}
	out->line = lineno;
	out->name = canon;
	canon = NULL;
	out->query = saved_text(r->flags, out->q, query);
	if (strlen(out->query) > STORE_TOPIC_QUERY_MAX) {
		r->on_problem(r->ctx, lineno, skip + 1, "error", "the query's canonical form "
			      "(saved with --lenient) is longer than 16 KiB");
		topicfile_entry_cleanup(out);
		rc = -1;
		goto out;
	}
	out->team = team ? horch_xstrdup(team) : NULL;
	out->color = color ? horch_xstrdup(color) : NULL;
out:
	free(canon);
	json_decref(root);
	query_diag_cleanup(&diag);
	return rc;
}

size_t topicfile_read(char *text, size_t len, unsigned flags, topicfile_entry_fn on_entry,
		      topicfile_problem_fn on_problem, void *ctx)
{
	struct reader r = { flags, on_entry, on_problem, ctx };
	char *p = text, *end = text + len;
	long lineno = 0;
	size_t n_bad = 0;

	/* A byte order mark (editors on Windows write one) is not part of
	 * the first name. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *line_end = nl ? nl : end;
		size_t line_len = (size_t)(line_end - p), nul;
		struct topicfile_entry e = { 0 };
		int rc;

		lineno++;
		*line_end = '\0';
		if (line_len && line_end[-1] == '\r') {
			line_end[-1] = '\0';
			line_len--;
		}
		nul = strlen(p);
		if (line_len > TOPICFILE_LINE_MAX) {
			on_problem(ctx, lineno, 1, "error", "the line is longer than 20 KiB");
			rc = -1;
		} else if (nul != line_len) {
			on_problem(ctx, lineno, (long)nul + 1, "error", "a NUL byte in the line");
			rc = -1;
		} else {
			rc = read_line(&r, lineno, p, &e);
		}
		p = line_end + 1;
		if (rc < 0)
			n_bad++;
		if (rc == 0)
			on_entry(ctx, &e);
	}
	return n_bad;
}
