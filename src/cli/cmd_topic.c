/* cmd_topic.c - `horch topic SUBCOMMAND`: saving topics and working with
 * their queries.
 *
 *   lint QUERY             check a query, print its canonical form
 *   add NAME QUERY         save a topic and match the stored history
 *   edit NAME [--query Q]  change a topic (a new query re-matches history)
 *   rm NAME                delete a topic and its matches
 *   list, show NAME        what is saved, with match counts
 *   import FILE            many topics at once (name<TAB>query or JSON lines)
 *   backtest QUERY         what a query would match, without saving it
 *   explain NAME POST_ID   why a post matches a topic, or where it fails
 *
 * A query is always checked the way `lint` checks it, and an error is
 * printed the same way (message, query, caret, hint); nothing is saved
 * when a query has an error.  A query saved with --lenient is saved in its
 * canonical form, which reads the same in strict mode, so that the
 * matcher never needs to know how a topic was written.  History matching
 * is cli_rematch() (topics.c). */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../pipeline/pipeline.h"
#include "../query/match.h"
#include "../query/query.h"
#include "../store/store.h"

#define IMPORT_LINE_MAX (STORE_TOPIC_NAME_MAX + STORE_TOPIC_QUERY_MAX + 4096) /* bytes */
#define IMPORT_FILE_MAX (256u * 1024 * 1024) /* bytes of an import file */
#define SAMPLE_MAX 1000u           /* backtest --limit */

/* ---- shared ---- */

/* Read all of f into b, at most max + 1 bytes (one more lets the caller
 * report the limit).  Returns 0 or EXIT_RUNTIME after printing the error. */
static int read_all(FILE *f, const char *what, size_t max, struct buf *b,
		    const struct cli_args *a)
{
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > max + 1)
			n = max + 1 - b->len;
		buf_append(b, chunk, n);
		if (b->len > max)
			break;
	}
	if (ferror(f)) {
		cli_error(a, "cannot read %s", what);
		return EXIT_RUNTIME;
	}
	return 0;
}

/* The query argument: the text itself, or standard input for "-" (its
 * trailing line breaks are the shell's, not the query's).  The text is in
 * b (NUL-terminated, owned by the caller's b). */
static int query_arg(const struct cli_args *a, const char *arg, struct buf *b)
{
	int rc;

	if (strcmp(arg, "-") != 0) {
		buf_append(b, arg, strlen(arg));
		return 0;
	}
	rc = read_all(stdin, "the query from standard input", QUERY_MAX_LEN, b, a);
	while (!rc && b->len && (b->ptr[b->len - 1] == '\n' || b->ptr[b->len - 1] == '\r'))
		b->ptr[--b->len] = '\0';
	if (!rc && !b->ptr)
		buf_append(b, "", 0);
	return rc;
}

static unsigned parse_flags(const struct cli_args *a)
{
	return cli_flag(a, "lenient") ? QUERY_LENIENT : 0;
}

/* Parse a query as `lint` does, printing its warnings and, on an error,
 * the error (message, query, caret, hint) on f.  On success returns 0 with
 * *out set (the caller frees it); on an error returns EXIT_RUNTIME. */
static int check_query(const struct cli_args *a, const char *src, size_t len, FILE *f,
		       struct query **out)
{
	struct query_diag diag;
	struct horch_err err;
	struct buf msg;
	int rc;

	query_diag_init(&diag);
	buf_init(&msg, BUF_NOLIMIT);
	horch_err_clear(&err);
	rc = query_parse(out, src, len, parse_flags(a), &diag, &err);
	for (size_t i = 0; i < diag.n_warn; i++)
		query_format_warning(src, len, &diag.warn[i], &msg);
	if (rc)
		query_format_error(src, len, &err, diag.hint, &msg);
	if (msg.len)
		fwrite(msg.ptr, 1, msg.len, f);
	buf_cleanup(&msg);
	query_diag_cleanup(&diag);
	return rc ? EXIT_RUNTIME : 0;
}

/* The text to save for a query: as written, or in canonical form when it
 * was read leniently (see the top of the file).  Returns a new string. */
static char *saved_query(const struct cli_args *a, const struct query *q, const char *src)
{
	struct buf b;
	char *s;

	if (!cli_flag(a, "lenient"))
		return horch_xstrdup(src);
	buf_init(&b, BUF_NOLIMIT);
	query_print(q, &b);
	s = horch_xstrndup(b.ptr ? b.ptr : "", b.len);
	buf_cleanup(&b);
	return s;
}

/* Match the stored history against the one topic (id, q) and print the
 * outcome after prefix.  Returns 0 or EXIT_RUNTIME. */
static int backfill(const struct cli_args *a, struct store *st, int64_t id,
		    const struct query *q, const char *prefix)
{
	struct matcher_topic mt = { .id = id, .q = q };
	struct matcher *m = NULL;
	struct cli_rematch_stats rs;
	struct horch_err err;
	char n1[32], n2[32];
	int rc;

	rc = matcher_build(&m, &mt, 1, &err);
	if (!rc)
		rc = cli_rematch(a, st, m, HORCH_TIME_NONE, &rs, &err);
	matcher_free(m);
	if (rc) {
		cli_error(a, "%s; matching the stored posts failed: %s", prefix, err.msg);
		return EXIT_RUNTIME;
	}
	if (!cli_flag(a, "quiet"))
		printf("%s: %s matches in %s posts (%.2f s)\n", prefix,
		       cli_num(rs.n_matches, n1), cli_num(rs.n_posts, n2), rs.secs);
	return 0;
}

/* Open the database for writing (rw) or reading. */
static int open_db(const struct cli_args *a, int rw, struct store **st)
{
	struct store_opts so = { .read_only = !rw };
	struct horch_err err;

	if (store_open(st, cli_db_path(a), &so, &err) != 0)
		return cli_fail(a, &err);
	return 0;
}

/* The text of part (MATCH_TITLE or MATCH_TEXT) of p, "" when absent. */
static const char *part_text(const struct post *p, uint32_t part)
{
	const char *s = part == MATCH_TITLE ? p->title : p->text;

	return s ? s : "";
}

/* Append s to out with the spans of part marked: between [ and ] or, when
 * bold, as bold on a terminal.  Control characters become spaces. */
static void mark(struct buf *out, const char *s, uint32_t part, const struct match_span *sp,
		 size_t n, int bold)
{
	const char *open = bold ? "\033[1m" : "[", *close = bold ? "\033[0m" : "]";
	size_t len = strlen(s), pos = 0;

	for (size_t i = 0; i <= n; i++) {
		size_t start = len, end = len;

		if (i < n) {
			if (sp[i].part != part || sp[i].off < pos || sp[i].off > len)
				continue;
			start = sp[i].off;
			end = start + sp[i].len > len ? len : start + sp[i].len;
		}
		for (size_t k = pos; k < start; k++)
			buf_append(out, (unsigned char)s[k] < 0x20 ? " " : s + k, 1);
		if (i == n)
			break;
		buf_append(out, open, strlen(open));
		buf_append(out, s + start, end - start);
		buf_append(out, close, strlen(close));
		pos = end;
	}
	buf_append(out, "", 0);
}

/* Print s as a JSON string, or null when it is NULL. */
static void json_or_null(const char *s)
{
	if (s)
		json_field(stdout, s);
	else
		fputs("null", stdout);
}

/* Print spans as JSON [[part,off,len],...]. */
static void print_spans_json(const struct match_span *sp, size_t n)
{
	putchar('[');
	for (size_t i = 0; i < n; i++)
		printf("%s[%u,%u,%u]", i ? "," : "", (unsigned)sp[i].part, (unsigned)sp[i].off,
		       (unsigned)sp[i].len);
	putchar(']');
}

/* "2026-10-20T14:00:00Z" as "2026-10-20 14:00", "" for an unknown time. */
static void short_time(int64_t t, char out[HORCH_TIME_BUFSZ])
{
	char full[HORCH_TIME_BUFSZ];

	out[0] = '\0';
	if (t == HORCH_TIME_NONE)
		return;
	horch_time_format(t, full);
	snprintf(out, HORCH_TIME_BUFSZ, "%.10s %.5s", full, full + 11);
}

/* ---- lint ---- */

static int lint(struct cli_args *a, const char *src, size_t len)
{
	struct query_diag diag;
	struct horch_err err;
	struct query *q = NULL;
	struct buf out;
	int json = cli_flag(a, "json"), rc;

	query_diag_init(&diag);
	buf_init(&out, BUF_NOLIMIT);
	horch_err_clear(&err);
	rc = query_parse(&q, src, len, parse_flags(a), &diag, &err);
	if (json) {
		printf("{\"ok\":%s", rc ? "false" : "true");
		if (!rc) {
			query_print(q, &out);
			printf(",\"canonical\":");
			json_field(stdout, out.ptr);
			printf(",\"terms\":%zu", query_n_terms(q));
		} else {
			printf(",\"error\":{\"col\":%ld,\"message\":", err.col);
			json_field(stdout, err.msg);
			printf(",\"hint\":");
			json_field(stdout, diag.hint);
			putchar('}');
		}
		printf(",\"warnings\":[");
		for (size_t i = 0; i < diag.n_warn; i++) {
			printf("%s{\"col\":%ld,\"message\":", i ? "," : "", diag.warn[i].col);
			json_field(stdout, diag.warn[i].msg);
			putchar('}');
		}
		printf("]}\n");
	} else {
		for (size_t i = 0; i < diag.n_warn; i++) {
			buf_reset(&out);
			query_format_warning(src, len, &diag.warn[i], &out);
			fputs(out.ptr, stdout);
		}
		buf_reset(&out);
		if (rc) {
			query_format_error(src, len, &err, diag.hint, &out);
			fputs(out.ptr, stdout);
		} else {
			query_print(q, &out);
			printf("ok: %s\n", out.ptr);
		}
	}
	query_free(q);
	query_diag_cleanup(&diag);
	buf_cleanup(&out);
	/* A query with an error is a finding, like a linter's: status 1. */
	return rc ? EXIT_RUNTIME : EXIT_OK;
}

/* topic lint QUERY: the exit code of lint(). */
static int sub_lint(struct cli_args *a)
{
	struct buf in;
	int rc;

	buf_init(&in, BUF_NOLIMIT);
	rc = query_arg(a, a->pos[1], &in);
	if (!rc)
		rc = lint(a, in.ptr, in.len);
	buf_cleanup(&in);
	return rc;
}

/* ---- add, edit, rm ---- */

/* topic add NAME QUERY: check, save, match the history.  Returns an exit
 * code; nothing is saved when the query has an error. */
static int sub_add(struct cli_args *a)
{
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct query *q = NULL;
	struct horch_err err;
	struct buf src;
	char prefix[STORE_TOPIC_NAME_MAX + 64];
	int rc;

	buf_init(&src, BUF_NOLIMIT);
	rc = query_arg(a, a->pos[2], &src);
	if (rc || (rc = check_query(a, src.ptr, src.len, stderr, &q)) != 0)
		goto out;
	if ((rc = open_db(a, 1, &st)) != 0)
		goto out;
	t.name = horch_xstrdup(a->pos[1]);
	t.query = saved_query(a, q, src.ptr);
	t.team = cli_get(a, "team") ? horch_xstrdup(cli_get(a, "team")) : NULL;
	t.color = cli_get(a, "color") ? horch_xstrdup(cli_get(a, "color")) : NULL;
	if (store_topic_add(st, &t, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	snprintf(prefix, sizeof prefix, "added topic '%s' (id %lld)", t.name, (long long)t.id);
	if (cli_flag(a, "no-backfill")) {
		if (!cli_flag(a, "quiet"))
			printf("%s; the stored posts were not matched (--no-backfill)\n", prefix);
	} else {
		rc = backfill(a, st, t.id, q, prefix);
	}
out:
	store_topic_cleanup(&t);
	store_close(st);
	query_free(q);
	buf_cleanup(&src);
	return rc;
}

static void replace_field(char **field, const char *value)
{
	if (!value)
		return;
	free(*field);
	*field = horch_xstrdup(value);
}

/* topic edit NAME: change the fields given; a changed query clears the
 * topic's matches and matches the history again.  Returns an exit code. */
static int sub_edit(struct cli_args *a)
{
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct query *q = NULL;
	struct horch_err err;
	struct buf src;
	const char *qarg = cli_get(a, "query");
	char prefix[STORE_TOPIC_NAME_MAX + 64];
	int rc, changed;

	buf_init(&src, BUF_NOLIMIT);
	if (!qarg && !cli_get(a, "name") && !cli_get(a, "team") && !cli_get(a, "color")) {
		cli_error(a, "nothing to change: give --query, --name, --team or --color");
		return EXIT_USAGE;
	}
	if (qarg && ((rc = query_arg(a, qarg, &src)) != 0 ||
		     (rc = check_query(a, src.ptr, src.len, stderr, &q)) != 0))
		goto out;
	if ((rc = open_db(a, 1, &st)) != 0)
		goto out;
	if ((rc = cli_topic_get(a, st, a->pos[1], &t)) != 0)
		goto out;
	replace_field(&t.name, cli_get(a, "name"));
	replace_field(&t.team, cli_get(a, "team"));
	replace_field(&t.color, cli_get(a, "color"));
	changed = 0;
	if (q) {
		char *text = saved_query(a, q, src.ptr);

		changed = strcmp(text, t.query) != 0;
		free(t.query);
		t.query = text;
	}
	if (store_topic_update(st, &t, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	snprintf(prefix, sizeof prefix, "changed topic '%s' (id %lld)", t.name, (long long)t.id);
	if (!changed) {
		if (!cli_flag(a, "quiet"))
			printf("%s%s\n", prefix, q ? "; the query is the same, matches kept" : "");
		goto out;
	}
	/* The old matches are of the old query. */
	if (store_topic_clear_matches(st, t.id, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (cli_flag(a, "no-backfill")) {
		if (!cli_flag(a, "quiet"))
			printf("%s; its matches were cleared and the stored posts not matched "
			       "(--no-backfill)\n", prefix);
	} else {
		rc = backfill(a, st, t.id, q, prefix);
	}
out:
	store_topic_cleanup(&t);
	store_close(st);
	query_free(q);
	buf_cleanup(&src);
	return rc;
}

/* topic rm NAME: delete the topic and its matches.  Returns an exit code. */
static int sub_rm(struct cli_args *a)
{
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct horch_err err;
	char n[32];
	int rc;

	if ((rc = open_db(a, 1, &st)) != 0)
		return rc;
	if ((rc = cli_topic_get(a, st, a->pos[1], &t)) != 0)
		goto out;
	if (store_topic_delete(st, t.name, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (!cli_flag(a, "quiet"))
		printf("removed topic '%s' and its %s matches\n", t.name,
		       cli_num((uint64_t)t.n_matches, n));
out:
	store_topic_cleanup(&t);
	store_close(st);
	return rc;
}

/* ---- list, show ---- */

struct list_out {
	int format;
	struct table *table;
};

static int list_one(void *ctx, const struct store_topic *t)
{
	struct list_out *o = ctx;
	char n[32];

	switch (o->format) {
	case CLI_JSON:
		printf("{\"id\":%lld,\"name\":", (long long)t->id);
		json_field(stdout, t->name);
		printf(",\"matches\":%lld,\"team\":", (long long)t->n_matches);
		json_or_null(t->team);
		fputs(",\"color\":", stdout);
		json_or_null(t->color);
		fputs(",\"query\":", stdout);
		json_field(stdout, t->query);
		fputs("}\n", stdout);
		break;
	case CLI_CSV:
		csv_field(stdout, t->name);
		printf(",%lld,", (long long)t->n_matches);
		csv_field(stdout, t->team);
		putchar(',');
		csv_field(stdout, t->color);
		putchar(',');
		csv_field(stdout, t->query);
		fputs("\r\n", stdout);
		break;
	default: {
		const char *cells[5] = { t->name, cli_num((uint64_t)t->n_matches, n), t->team,
					 t->color, t->query };

		table_add(o->table, cells);
	}
	}
	return 0;
}

/* topic list: every topic by name, as a table, JSON Lines or CSV. */
static int sub_list(struct cli_args *a)
{
	static const char *const headers[] = { "name", "matches", "team", "color", "query" };
	struct list_out o = { 0 };
	struct store *st = NULL;
	struct horch_err err;
	int rc;

	o.format = cli_format(a);
	if (o.format < 0)
		return EXIT_USAGE;
	if ((rc = open_db(a, 0, &st)) != 0)
		return rc;
	if (o.format == CLI_TABLE)
		o.table = table_new(stdout, 5, headers);
	if (o.format == CLI_CSV)
		fputs("name,matches,team,color,query\r\n", stdout);
	rc = store_topic_list(st, list_one, &o, &err);
	if (o.table && rc)
		table_free(o.table);
	else if (o.table)
		table_print(o.table, 2u);
	store_close(st);
	return rc ? cli_fail(a, &err) : EXIT_OK;
}

/* The rows of the by-day count of `show` and `backtest`. */
struct days {
	char (*day)[11];
	int64_t *count;
	size_t n, cap_day, cap_count;
};

static int add_day(void *ctx, const char *key, int64_t count)
{
	struct days *d = ctx;

	d->day = horch_xgrow(d->day, &d->cap_day, d->n + 1, sizeof *d->day);
	d->count = horch_xgrow(d->count, &d->cap_count, d->n + 1, sizeof *d->count);
	snprintf(d->day[d->n], sizeof d->day[d->n], "%s", *key ? key : "unknown");
	d->count[d->n++] = count;
	return 0;
}

static void days_free(struct days *d)
{
	free(d->day);
	free(d->count);
}

static void print_days_table(const struct days *d)
{
	static const char *const headers[] = { "day (UTC)", "posts" };
	struct table *t = table_new(stdout, 2, headers);
	char n[32];

	for (size_t i = 0; i < d->n; i++) {
		const char *cells[2] = { d->day[i], cli_num((uint64_t)d->count[i], n) };

		table_add(t, cells);
	}
	table_print(t, 2u);
}

static void print_days_json(const struct days *d)
{
	fputs("\"days\":[", stdout);
	for (size_t i = 0; i < d->n; i++)
		printf("%s{\"day\":\"%s\",\"count\":%lld}", i ? "," : "", d->day[i],
		       (long long)d->count[i]);
	putchar(']');
}

/* topic show NAME: every field, the canonical query and the matches on
 * the topic's 7 newest days (store_stats() by day).  Returns an exit
 * code. */
static int sub_show(struct cli_args *a)
{
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct query *q = NULL;
	struct store_query sq;
	struct days d = { 0 };
	struct horch_err err;
	struct buf canon;
	char created[HORCH_TIME_BUFSZ], updated[HORCH_TIME_BUFSZ], n[32];
	int rc;

	buf_init(&canon, BUF_NOLIMIT);
	if ((rc = open_db(a, 0, &st)) != 0)
		return rc;
	if ((rc = cli_topic_get(a, st, a->pos[1], &t)) != 0)
		goto out;
	if (cli_topic_parse(&t, &q, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	query_print(q, &canon);
	store_query_init(&sq);
	sq.topic = t.id;
	if (store_stats(st, STORE_DIM_DAY, &sq, 7, add_day, &d, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	horch_time_format(t.created_at, created);
	horch_time_format(t.updated_at, updated);
	if (cli_flag(a, "json")) {
		printf("{\"id\":%lld,\"name\":", (long long)t.id);
		json_field(stdout, t.name);
		fputs(",\"team\":", stdout);
		json_or_null(t.team);
		fputs(",\"color\":", stdout);
		json_or_null(t.color);
		printf(",\"created_at\":\"%s\",\"updated_at\":\"%s\",\"matches\":%lld,\"query\":",
		       created, updated, (long long)t.n_matches);
		json_field(stdout, t.query);
		fputs(",\"canonical\":", stdout);
		json_field(stdout, canon.ptr);
		putchar(',');
		print_days_json(&d);
		fputs("}\n", stdout);
		goto out;
	}
	printf("name       %s\n", t.name);
	printf("id         %lld\n", (long long)t.id);
	printf("team       %s\n", t.team ? t.team : "-");
	printf("color      %s\n", t.color ? t.color : "-");
	printf("created    %s\n", created);
	printf("updated    %s\n", updated);
	printf("matches    %s\n", cli_num((uint64_t)t.n_matches, n));
	printf("query      %s\n", t.query);
	printf("canonical  %s\n", canon.ptr);
	if (d.n) {
		printf("\nmatches on its 7 newest days:\n");
		print_days_table(&d);
	}
out:
	days_free(&d);
	buf_cleanup(&canon);
	query_free(q);
	store_topic_cleanup(&t);
	store_close(st);
	return rc;
}

/* ---- import ---- */

/* One topic of an import file. */
struct import_topic {
	long line;             /* line in the file */
	struct store_topic t;  /* name, query, team, color (owned) */
	struct query *q;
	int64_t old_id;        /* a stored topic of that name (--replace), or 0 */
};

struct import {
	const struct cli_args *a;
	const char *file;           /* the name shown in messages */
	struct import_topic *topics;
	size_t n, cap;
	size_t *names;              /* hash set of the names so far: index + 1, 0 empty */
	size_t cap_names;           /* a power of two, at least twice n */
	size_t n_bad;
	struct store *st;
};

/* Report a problem of line at byte column col. */
static void import_problem(struct import *im, long line, long col, const char *kind,
			   const char *msg)
{
	fprintf(stderr, "%s:%ld:%ld: %s: %s\n", im->file, line, col, kind, msg);
}

/* Check a name as the store will (so that every line is checked before
 * anything is saved).  Returns NULL or the reason. */
static const char *name_problem(const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return "the name is empty";
	if (len > STORE_TOPIC_NAME_MAX)
		return "the name is longer than 128 bytes";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return "the name has a control character";
	if (name[0] == ' ' || name[len - 1] == ' ')
		return "the name has blanks at its start or end";
	return NULL;
}

/* The byte column (1-based) in a JSON line of byte col (1-based) of the
 * decoded "query" value: the raw string is walked escape by escape.  1
 * when the value cannot be found (a key written with escapes). */
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
		if (*p != '\\') {
			p++;
			decoded++;
		} else if (p[1] != 'u') {
			p += p[1] ? 2 : 1;
			decoded++;
		} else {
			unsigned cp = (unsigned)strtoul((char[5]){ p[2], p[3], p[4], p[5], 0 }, NULL, 16);

			/* \uXXXX: the UTF-8 length of the code point; a
			 * surrogate pair is 12 bytes of JSON for 4 of UTF-8. */
			if (cp >= 0xd800 && cp < 0xdc00 && p[6] == '\\' && p[7] == 'u') {
				p += 12;
				decoded += 4;
			} else {
				p += 6;
				decoded += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
			}
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

/* Read one line into *out (name, query, team, color); returns 0, 1 for a
 * line to skip, or -1 after reporting the problem. */
static int import_line(struct import *im, long lineno, char *line, struct import_topic *out)
{
	struct horch_err err;
	struct query_diag diag;
	const char *team = NULL, *color = NULL, *name, *query, *problem;
	json_t *root = NULL;
	long qcol;
	int rc = -1;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '#')
		return 1;
	query_diag_init(&diag);
	if (*line == '{') {
		json_error_t jerr;
		json_t *v;

		root = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
		if (!root || !json_is_object(root)) {
			import_problem(im, lineno, root ? 1 : jerr.column > 0 ? jerr.column : 1,
				       "error", root ? "expected a JSON object" : jerr.text);
			goto out;
		}
		name = json_string_value(json_object_get(root, "name"));
		query = json_string_value(json_object_get(root, "query"));
		if (!name || !query) {
			import_problem(im, lineno, 1, "error", "expected \"name\" and \"query\" "
				       "strings");
			goto out;
		}
		if ((v = json_object_get(root, "team")) && !json_is_null(v) &&
		    !(team = json_string_value(v))) {
			import_problem(im, lineno, 1, "error", "\"team\" is not a string");
			goto out;
		}
		if ((v = json_object_get(root, "color")) && !json_is_null(v) &&
		    !(color = json_string_value(v))) {
			import_problem(im, lineno, 1, "error", "\"color\" is not a string");
			goto out;
		}
		qcol = -1;  /* mapped per column below */
	} else {
		char *tab = strchr(line, '\t');

		if (!tab) {
			import_problem(im, lineno, (long)strlen(line) + 1, "error",
				       "expected NAME<TAB>QUERY (no tab on the line)");
			goto out;
		}
		*tab = '\0';
		name = line;
		query = tab + 1;
		qcol = (long)(tab - line) + 1;
	}
	if ((problem = name_problem(name)) != NULL) {
		import_problem(im, lineno, 1, "error", problem);
		goto out;
	}
	if ((team && strlen(team) > STORE_TOPIC_FIELD_MAX) ||
	    (color && strlen(color) > STORE_TOPIC_FIELD_MAX)) {
		import_problem(im, lineno, 1, "error", "team or color is longer than 256 bytes");
		goto out;
	}
	horch_err_clear(&err);
	rc = query_parse(&out->q, query, strlen(query), parse_flags(im->a), &diag, &err);
	for (size_t i = 0; i < diag.n_warn; i++)
		import_problem(im, lineno, line_col(line, qcol, diag.warn[i].col), "warning",
			       diag.warn[i].msg);
	if (rc) {
		char msg[sizeof err.msg + sizeof diag.hint + 16];

		snprintf(msg, sizeof msg, "%s%s%s", err.msg, diag.hint[0] ? " (hint: " : "",
			 diag.hint[0] ? diag.hint : "");
		if (diag.hint[0])
			strcat(msg, ")");
		import_problem(im, lineno, line_col(line, qcol, err.col > 0 ? err.col : 1), "error",
			       msg);
		rc = -1;
		goto out;
	}
	out->line = lineno;
	out->t.name = horch_xstrdup(name);
	out->t.query = saved_query(im->a, out->q, query);
	out->t.team = team ? horch_xstrdup(team) : NULL;
	out->t.color = color ? horch_xstrdup(color) : NULL;
out:
	json_decref(root);
	query_diag_cleanup(&diag);
	return rc;
}

/* FNV-1a of name without regard to ASCII case (names are unique so). */
static size_t name_hash(const char *name)
{
	uint64_t h = 14695981039346656037ull;

	for (; *name; name++)
		h = (h ^ (unsigned char)tolower((unsigned char)*name)) * 1099511628211ull;
	return (size_t)h;
}

/* The slot of name in the hash set of im: the slot that holds it, or the
 * empty one where it would go. */
static size_t *name_slot(struct import *im, const char *name)
{
	size_t mask = im->cap_names - 1, i = name_hash(name) & mask;

	while (im->names[i] && strcasecmp(im->topics[im->names[i] - 1].t.name, name) != 0)
		i = (i + 1) & mask;
	return &im->names[i];
}

/* Make room in the hash set for one more name (rebuilt at twice the size
 * when it is half full). */
static void names_grow(struct import *im)
{
	if (im->cap_names >= 2 * (im->n + 1))
		return;
	free(im->names);
	im->cap_names = im->cap_names ? 2 * im->cap_names : 1024;
	im->names = horch_xcalloc(im->cap_names, sizeof *im->names);
	for (size_t k = 0; k < im->n; k++)
		*name_slot(im, im->topics[k].t.name) = k + 1;
}

/* A name twice in the file, or stored already (unless --replace: then
 * it->old_id is set).  Returns 0, or -1 after reporting the problem. */
static int check_name(struct import *im, struct import_topic *it)
{
	struct store_topic old = { 0 };
	struct horch_err err;
	char msg[2 * STORE_TOPIC_NAME_MAX + 128];
	size_t *slot;
	int bad = 0;

	names_grow(im);
	slot = name_slot(im, it->t.name);
	if (*slot) {
		snprintf(msg, sizeof msg, "topic '%s' is in the file twice (first on line %ld)",
			 it->t.name, im->topics[*slot - 1].line);
		bad = 1;
	}
	if (!bad && store_topic_get(im->st, it->t.name, &old, &err) == 0) {
		if (cli_flag(im->a, "replace")) {
			it->old_id = old.id;
		} else {
			snprintf(msg, sizeof msg, "a topic named '%s' exists already (--replace "
				 "changes it)", old.name);
			bad = 1;
		}
	}
	store_topic_cleanup(&old);
	if (!bad)
		return 0;
	import_problem(im, it->line, 1, "error", msg);
	store_topic_cleanup(&it->t);
	query_free(it->q);
	return -1;
}

/* Read and check every line of the file (already in b).  Good lines are
 * added to im->topics; bad ones reported and counted. */
static void import_read(struct import *im, struct buf *b)
{
	char *p = b->ptr, *end = b->ptr + b->len;
	long lineno = 0;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *line_end = nl ? nl : end;
		struct import_topic it = { 0 };
		int rc;

		lineno++;
		*line_end = '\0';
		if (line_end > p && line_end[-1] == '\r')
			line_end[-1] = '\0';
		if ((size_t)(line_end - p) > IMPORT_LINE_MAX) {
			import_problem(im, lineno, 1, "error", "the line is longer than 20 KiB");
			rc = -1;
		} else if (strlen(p) != (size_t)(line_end - p) &&
			   strlen(p) + 1 != (size_t)(line_end - p)) {
			import_problem(im, lineno, (long)strlen(p) + 1, "error",
				       "a NUL byte in the line");
			rc = -1;
		} else {
			rc = import_line(im, lineno, p, &it);
			if (rc == 0)
				rc = check_name(im, &it);
		}
		p = line_end + 1;
		if (rc < 0)
			im->n_bad++;
		if (rc)
			continue;
		im->topics = horch_xgrow(im->topics, &im->cap, im->n + 1, sizeof *im->topics);
		im->topics[im->n] = it;
		*name_slot(im, it.t.name) = im->n + 1;
		im->n++;
	}
}

/* Save the checked topics.  Returns 0 or EXIT_RUNTIME. */
static int import_save(struct import *im, size_t *n_replaced)
{
	struct horch_err err;

	*n_replaced = 0;
	for (size_t i = 0; i < im->n; i++) {
		struct import_topic *it = &im->topics[i];
		int rc;

		if (it->old_id) {
			it->t.id = it->old_id;
			rc = store_topic_update(im->st, &it->t, &err);
			if (!rc)
				rc = store_topic_clear_matches(im->st, it->t.id, &err);
			*n_replaced += !rc;
		} else {
			rc = store_topic_add(im->st, &it->t, &err);
		}
		if (rc) {
			cli_error(im->a, "%s:%ld: %s (the %zu topics before it are saved)", im->file,
				  it->line, err.msg, i);
			return EXIT_RUNTIME;
		}
	}
	return 0;
}

/* topic import FILE: check every line, report every bad one, save (all or,
 * with --skip-bad, the good ones), then match the history against all the
 * new topics in one pass.  Returns an exit code: 1 when a line was bad. */
static int sub_import(struct cli_args *a)
{
	struct import im = { .a = a };
	struct matcher_topic *mt = NULL;
	struct matcher *m = NULL;
	struct cli_rematch_stats rs;
	struct horch_err err;
	struct buf b;
	const char *path = a->pos[1];
	FILE *f = NULL;
	size_t n_replaced = 0;
	char n1[32], n2[32], n3[32];
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	im.file = strcmp(path, "-") == 0 ? "(stdin)" : path;
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		cli_error(a, "cannot open %s: %s", path, strerror(errno));
		rc = EXIT_RUNTIME;
		goto out;
	}
	if ((rc = read_all(f, im.file, IMPORT_FILE_MAX, &b, a)) != 0)
		goto out;
	if (b.len > IMPORT_FILE_MAX) {
		cli_error(a, "%s is larger than %u MiB", im.file, IMPORT_FILE_MAX >> 20);
		rc = EXIT_RUNTIME;
		goto out;
	}
	buf_append(&b, "", 0);
	if ((rc = open_db(a, 1, &im.st)) != 0)
		goto out;
	import_read(&im, &b);
	if (im.n_bad && !cli_flag(a, "skip-bad")) {
		cli_error(a, "%s: %zu bad line%s: no topic imported (--skip-bad imports the good "
			  "ones)", im.file, im.n_bad, im.n_bad == 1 ? "" : "s");
		rc = EXIT_RUNTIME;
		goto out;
	}
	if ((rc = import_save(&im, &n_replaced)) != 0)
		goto out;
	memset(&rs, 0, sizeof rs);
	if (im.n && !cli_flag(a, "no-backfill")) {
		/* One pass over the posts for all the new topics. */
		mt = horch_xcalloc(im.n, sizeof *mt);
		for (size_t i = 0; i < im.n; i++) {
			mt[i].id = im.topics[i].t.id;
			mt[i].q = im.topics[i].q;
		}
		if (matcher_build(&m, mt, im.n, &err) != 0 ||
		    cli_rematch(a, im.st, m, HORCH_TIME_NONE, &rs, &err) != 0) {
			cli_error(a, "the %zu topics are saved, but matching the stored posts "
				  "failed: %s", im.n, err.msg);
			rc = EXIT_RUNTIME;
			goto out;
		}
	}
	if (!cli_flag(a, "quiet")) {
		printf("imported %s topic%s (%s replaced, %s bad line%s skipped)",
		       cli_num(im.n, n1), im.n == 1 ? "" : "s", cli_num(n_replaced, n2),
		       cli_num(im.n_bad, n3), im.n_bad == 1 ? "" : "s");
		if (im.n && !cli_flag(a, "no-backfill"))
			printf(": %s matches in %s posts (%.2f s)", cli_num(rs.n_matches, n1),
			       cli_num(rs.n_posts, n2), rs.secs);
		putchar('\n');
	}
	if (im.n_bad)
		rc = EXIT_RUNTIME;
out:
	for (size_t i = 0; i < im.n; i++) {
		store_topic_cleanup(&im.topics[i].t);
		query_free(im.topics[i].q);
	}
	free(im.topics);
	free(im.names);
	free(mt);
	matcher_free(m);
	store_close(im.st);
	if (f && f != stdin)
		fclose(f);
	buf_cleanup(&b);
	return rc;
}

/* ---- backtest ---- */

/* A matching post: enough to count it by day and fetch it for the sample. */
struct hit {
	int64_t created_at;
	int64_t id;
};

struct backtest {
	const struct matcher *m;
	struct match_doc *doc;
	struct match_result res;
	struct hit *hits;
	size_t n_hits, cap_hits;
	uint64_t n_posts;
	int64_t last_id;
	size_t n_read;
	int format;
	int bold;         /* mark spans in bold (stdout is a terminal) */
	size_t n_shown;   /* sample posts printed */
	struct buf line;
};

static int backtest_one(void *ctx, const struct post *p)
{
	struct backtest *bt = ctx;

	bt->last_id = p->id;
	bt->n_read++;
	bt->n_posts++;
	if (match_doc_set(bt->doc, p) != 0 || matcher_match(bt->m, bt->doc, 0, &bt->res) == 0)
		return 0;
	bt->hits = horch_xgrow(bt->hits, &bt->cap_hits, bt->n_hits + 1, sizeof *bt->hits);
	bt->hits[bt->n_hits].created_at = p->created_at;
	bt->hits[bt->n_hits++].id = p->id;
	return 0;
}

/* Newest first, as search lists posts (an unknown time last). */
static int hit_cmp(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;

	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? 1 : -1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* Print one sample post with its spans marked. */
static int sample_one(void *ctx, const struct post *p)
{
	struct backtest *bt = ctx;
	const struct match_span *sp = NULL;
	size_t n_sp = 0;
	char when[HORCH_TIME_BUFSZ];

	if (match_doc_set(bt->doc, p) == 0 &&
	    matcher_match(bt->m, bt->doc, MATCH_SPANS, &bt->res) > 0) {
		sp = bt->res.spans + bt->res.hits[0].span0;
		n_sp = bt->res.hits[0].n_spans;
	}
	if (bt->format == CLI_JSON) {
		char full[HORCH_TIME_BUFSZ] = "";

		if (p->created_at != HORCH_TIME_NONE)
			horch_time_format(p->created_at, full);
		printf("%s{\"id\":%lld,\"created_at\":", bt->n_shown ? "," : "", (long long)p->id);
		json_or_null(full[0] ? full : NULL);
		fputs(",\"source\":", stdout);
		json_field(stdout, p->source);
		fputs(",\"author\":", stdout);
		json_field(stdout, p->author);
		fputs(",\"title\":", stdout);
		json_or_null(p->title);
		fputs(",\"text\":", stdout);
		json_field(stdout, p->text);
		fputs(",\"spans\":", stdout);
		print_spans_json(sp, n_sp);
		putchar('}');
	} else {
		short_time(p->created_at, when);
		printf("#%lld  %s  %s  @%s\n", (long long)p->id, when[0] ? when : "(no time)",
		       p->source, p->author ? p->author : "");
		buf_reset(&bt->line);
		if (p->title && *p->title) {
			mark(&bt->line, p->title, MATCH_TITLE, sp, n_sp, bt->bold);
			buf_append(&bt->line, " — ", strlen(" — "));
		}
		mark(&bt->line, part_text(p, MATCH_TEXT), MATCH_TEXT, sp, n_sp, bt->bold);
		printf("    %s\n", bt->line.ptr);
	}
	bt->n_shown++;
	return 0;
}

/* Count bt->hits (sorted) by day into d. */
static void hits_by_day(const struct backtest *bt, struct days *d)
{
	for (size_t i = 0; i < bt->n_hits;) {
		char full[HORCH_TIME_BUFSZ] = "";
		size_t k = i;

		if (bt->hits[i].created_at != HORCH_TIME_NONE)
			horch_time_format(bt->hits[i].created_at, full);
		while (k < bt->n_hits) {
			char other[HORCH_TIME_BUFSZ] = "";

			if (bt->hits[k].created_at != HORCH_TIME_NONE)
				horch_time_format(bt->hits[k].created_at, other);
			if (strncmp(full, other, 10) != 0)
				break;
			k++;
		}
		full[10] = '\0';
		add_day(d, full, (int64_t)(k - i));
		i = k;
	}
}

/* topic backtest QUERY: match the stored posts (since --since) against an
 * unsaved query; print the matches per day, the newest --limit matching
 * posts with their spans marked, and the total.  The posts' ids and times
 * are kept in memory (16 bytes per matching post) to sort them newest
 * first; the sample posts are read again by id.  Returns an exit code. */
static int sub_backtest(struct cli_args *a)
{
	struct backtest bt = { 0 };
	struct matcher_topic mt = { .id = 1 };
	struct matcher *m = NULL;
	struct store *st = NULL;
	struct query *q = NULL;
	struct days d = { 0 };
	struct horch_err err;
	struct buf src, canon;
	int64_t since = HORCH_TIME_NONE;
	size_t limit = 10, n_sample;
	char n1[32], n2[32];
	int rc;

	buf_init(&src, BUF_NOLIMIT);
	buf_init(&canon, BUF_NOLIMIT);
	buf_init(&bt.line, BUF_NOLIMIT);
	match_result_init(&bt.res);
	bt.format = cli_format(a);
	if (bt.format < 0 || bt.format == CLI_CSV) {
		if (bt.format == CLI_CSV)
			cli_error(a, "backtest prints a table or --json, not --csv");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_time_opt(a, "since", &since)) ||
	    (rc = cli_count_opt(a, "limit", 0, SAMPLE_MAX, &limit)))
		goto out;
	if ((rc = query_arg(a, a->pos[1], &src)) != 0 ||
	    (rc = check_query(a, src.ptr, src.len, stderr, &q)) != 0)
		goto out;
	if ((rc = open_db(a, 0, &st)) != 0)
		goto out;
	mt.q = q;
	if (matcher_build(&m, &mt, 1, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	bt.m = m;
	bt.doc = match_doc_new();
	bt.bold = isatty(STDOUT_FILENO);
	do {
		bt.n_read = 0;
		rc = store_scan_posts(st, since, bt.last_id, 5000, backtest_one, &bt, &err);
	} while (!rc && bt.n_read == 5000);
	if (rc) {
		rc = cli_fail(a, &err);
		goto out;
	}
	qsort(bt.hits, bt.n_hits, sizeof *bt.hits, hit_cmp);
	hits_by_day(&bt, &d);
	n_sample = bt.n_hits < limit ? bt.n_hits : limit;
	query_print(q, &canon);
	if (bt.format == CLI_JSON) {
		fputs("{\"query\":", stdout);
		json_field(stdout, src.ptr);
		fputs(",\"canonical\":", stdout);
		json_field(stdout, canon.ptr);
		printf(",\"scanned\":%llu,\"matched\":%zu,", (unsigned long long)bt.n_posts,
		       bt.n_hits);
		print_days_json(&d);
		fputs(",\"sample\":[", stdout);
	} else {
		print_days_table(&d);
		if (n_sample)
			printf("\nnewest %zu of %s matching posts:\n", n_sample,
			       cli_num(bt.n_hits, n1));
	}
	for (size_t i = 0; i < n_sample && !rc; i++)
		rc = store_scan_posts(st, HORCH_TIME_NONE, bt.hits[i].id - 1, 1, sample_one, &bt,
				      &err);
	if (rc) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (bt.format == CLI_JSON)
		fputs("]}\n", stdout);
	else
		printf("\n%s of %s posts matched (%.1f%%)\n", cli_num(bt.n_hits, n1),
		       cli_num(bt.n_posts, n2),
		       bt.n_posts ? 100.0 * (double)bt.n_hits / (double)bt.n_posts : 0.0);
out:
	days_free(&d);
	free(bt.hits);
	match_doc_free(bt.doc);
	match_result_cleanup(&bt.res);
	matcher_free(m);
	query_free(q);
	store_close(st);
	buf_cleanup(&bt.line);
	buf_cleanup(&canon);
	buf_cleanup(&src);
	return rc;
}

/* ---- explain ---- */

struct explain {
	const struct query *q;
	const char *src;     /* the query's text */
	const char *what;    /* "topic 'NAME'" or "the query" */
	int64_t id;          /* the post asked for */
	int found;
	int matched;
	int bold;
	struct buf line;
};

/* Print src with tabs and line breaks as spaces and, under it, carets from
 * byte off to end (at least one), counted in characters. */
static void print_caret(const char *src, uint32_t off, uint32_t end)
{
	size_t len = strlen(src);

	if (off > len)
		off = (uint32_t)len;
	if (end > len)
		end = (uint32_t)len;
	fputs("  ", stdout);
	for (size_t i = 0; i < len; i++)
		putchar((unsigned char)src[i] < 0x20 ? ' ' : src[i]);
	fputs("\n  ", stdout);
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)src[i] & 0xc0) != 0x80)
			putchar(' ');
	putchar('^');
	for (size_t i = off + 1; i < end; i++)
		if (((unsigned char)src[i] & 0xc0) != 0x80)
			putchar('^');
	putchar('\n');
}

static int explain_one(void *ctx, const struct post *p)
{
	struct explain *ex = ctx;
	struct match_doc *doc = match_doc_new();
	struct match_result res;
	uint32_t fail_off = 0, fail_end = 0;

	/* The scan returns the next post when there is none with the id. */
	if (p->id != ex->id) {
		match_doc_free(doc);
		return 0;
	}
	ex->found = 1;
	match_result_init(&res);
	if (match_doc_set(doc, p) != 0)
		fprintf(stderr, "horch: topic: post %lld is longer than the matcher takes: only "
			"field-free clauses can match\n", (long long)p->id);
	ex->matched = match_explain(ex->q, doc, &res, &fail_off, &fail_end);
	if (ex->matched) {
		const struct match_span *sp = res.n ? res.spans + res.hits[0].span0 : NULL;
		size_t n = res.n ? res.hits[0].n_spans : 0;

		printf("post %lld matches %s\n", (long long)p->id, ex->what);
		if (p->title && *p->title) {
			buf_reset(&ex->line);
			mark(&ex->line, p->title, MATCH_TITLE, sp, n, ex->bold);
			printf("  title: %s\n", ex->line.ptr);
		}
		buf_reset(&ex->line);
		mark(&ex->line, part_text(p, MATCH_TEXT), MATCH_TEXT, sp, n, ex->bold);
		printf("  text:  %s\n", ex->line.ptr);
		printf("spans (part, byte offset, byte length, the text):\n");
		for (size_t i = 0; i < n; i++) {
			const char *s = part_text(p, sp[i].part);
			size_t len = strlen(s);
			size_t off = sp[i].off < len ? sp[i].off : len;
			size_t l = off + sp[i].len <= len ? sp[i].len : len - off;

			printf("  %-5s %5u %4u  %.*s\n", sp[i].part == MATCH_TITLE ? "title" : "text",
			       (unsigned)sp[i].off, (unsigned)sp[i].len, (int)l, s + off);
		}
	} else {
		printf("post %lld does not match %s: the first failing clause is\n",
		       (long long)p->id, ex->what);
		print_caret(ex->src, fail_off, fail_end);
	}
	match_result_cleanup(&res);
	match_doc_free(doc);
	return 0;
}

/* topic explain NAME POST_ID (or --query Q POST_ID): match_explain() on one
 * post.  Returns 0 for a match, 1 for none or an error, 2 for usage. */
static int sub_explain(struct cli_args *a)
{
	struct explain ex = { 0 };
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct query *q = NULL;
	struct horch_err err;
	struct buf src;
	const char *qarg = cli_get(a, "query"), *idarg;
	char what[STORE_TOPIC_NAME_MAX + 16], *end;
	long long id;
	int rc;

	buf_init(&src, BUF_NOLIMIT);
	buf_init(&ex.line, BUF_NOLIMIT);
	if (a->n_pos != (qarg ? 2 : 3)) {
		cli_error(a, "usage: horch topic explain NAME POST_ID, or horch topic explain "
			  "--query QUERY POST_ID");
		rc = EXIT_USAGE;
		goto out;
	}
	idarg = a->pos[a->n_pos - 1];
	id = strtoll(idarg, &end, 10);
	if (!*idarg || *end || id <= 0) {
		cli_error(a, "expected a post id (a number as search shows it), got '%s'", idarg);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = open_db(a, 0, &st)) != 0)
		goto out;
	if (qarg) {
		if ((rc = query_arg(a, qarg, &src)) != 0 ||
		    (rc = check_query(a, src.ptr, src.len, stderr, &q)) != 0)
			goto out;
		snprintf(what, sizeof what, "the query");
	} else {
		if ((rc = cli_topic_get(a, st, a->pos[1], &t)) != 0)
			goto out;
		if (cli_topic_parse(&t, &q, &err) != 0) {
			rc = cli_fail(a, &err);
			goto out;
		}
		buf_append(&src, t.query, strlen(t.query));
		snprintf(what, sizeof what, "topic '%s'", t.name);
	}
	ex.q = q;
	ex.id = id;
	ex.src = src.ptr;
	ex.what = what;
	ex.bold = isatty(STDOUT_FILENO);
	/* After id - 1 in id order, the first post is the one with this id,
	 * if it exists. */
	if (store_scan_posts(st, HORCH_TIME_NONE, id - 1, 1, explain_one, &ex, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (!ex.found) {
		cli_error(a, "no post with id %lld", id);
		rc = EXIT_RUNTIME;
		goto out;
	}
	/* Like grep: 0 for a match, 1 for none. */
	rc = ex.matched ? EXIT_OK : EXIT_RUNTIME;
out:
	store_topic_cleanup(&t);
	store_close(st);
	query_free(q);
	buf_cleanup(&src);
	buf_cleanup(&ex.line);
	return rc;
}

/* ---- dispatch ---- */

static const struct {
	const char *name;
	int min_pos, max_pos;  /* positional arguments after the subcommand */
	const char *usage;
	const char *opts;      /* the options it takes, space-separated */
	int (*run)(struct cli_args *a);
} subs[] = {
	{ "lint", 1, 1, "lint [--lenient] [--json] QUERY", "lenient json", sub_lint },
	{ "add", 2, 2, "add NAME QUERY [--team T] [--color C] [--no-backfill]",
	  "lenient team color no-backfill", sub_add },
	{ "edit", 1, 1, "edit NAME [--query Q] [--name NEW] [--team T] [--color C]",
	  "lenient query name team color no-backfill", sub_edit },
	{ "rm", 1, 1, "rm NAME", "", sub_rm },
	{ "list", 0, 0, "list [--json|--csv]", "json csv table", sub_list },
	{ "show", 1, 1, "show NAME [--json]", "json", sub_show },
	{ "import", 1, 1, "import FILE [--skip-bad] [--replace] [--no-backfill]",
	  "lenient skip-bad replace no-backfill", sub_import },
	{ "backtest", 1, 1, "backtest QUERY [--since TIME] [--limit N] [--json]",
	  "lenient since limit json table", sub_backtest },
	{ "explain", 1, 2, "explain NAME POST_ID, or explain --query QUERY POST_ID",
	  "lenient query", sub_explain },
};

int cmd_topic(struct cli_args *a)
{
	const char *sub = a->pos[0];

	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(subs[i].name, sub) != 0)
			continue;
		/* An option of another subcommand is a mistake, not noise. */
		for (size_t k = 0; a->cmd->opts[k].name; k++) {
			const char *o = a->cmd->opts[k].name, *p = subs[i].opts;
			size_t len = strlen(o);
			int allowed = 0;

			if (!a->value[k])
				continue;
			while ((p = strstr(p, o)) != NULL && !allowed) {
				allowed = (p == subs[i].opts || p[-1] == ' ') &&
					  (p[len] == ' ' || p[len] == '\0');
				p += len;
			}
			if (!allowed) {
				cli_error(a, "option --%s does not apply to topic %s (usage: horch "
					  "topic %s)", o, sub, subs[i].usage);
				return EXIT_USAGE;
			}
		}
		if (a->n_pos - 1 < subs[i].min_pos || a->n_pos - 1 > subs[i].max_pos) {
			cli_error(a, "usage: horch topic %s", subs[i].usage);
			return EXIT_USAGE;
		}
		return subs[i].run(a);
	}
	cli_error(a, "unknown topic command '%s' (available: lint, add, edit, rm, list, show, "
		  "import, backtest, explain)", sub);
	return EXIT_USAGE;
}
