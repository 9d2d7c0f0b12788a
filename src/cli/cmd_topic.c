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
#include "topicfile.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/hash.h"
#include "../core/clock.h"
#include "../pipeline/pipeline.h"
#include "../query/match.h"
#include "../query/query.h"
#include "../store/store.h"

#define IMPORT_FILE_MAX (256u * 1024 * 1024) /* bytes of an import file */
#define SAMPLE_MAX 1000u           /* backtest --limit */

/* ---- shared ---- */

/* Read all of f into b, at most max + 1 bytes (one more lets the caller
 * report the limit).  Returns 0 or EXIT_RUNTIME after printing the error. */
static int read_all(FILE *f, const char *what, size_t max, struct buf *b,
		    const struct cli_args *a)
{
	if (buf_read_stream(b, f, max) != 0) {
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

/* A query read with --lenient is saved in its canonical form, which can be
 * longer than what was typed.  Returns 0, or EXIT_RUNTIME after saying
 * that the canonical form is too long. */
static int check_saved_len(const struct cli_args *a, const char *text)
{
	if (strlen(text) <= STORE_TOPIC_QUERY_MAX)
		return 0;
	cli_error(a, "the query's canonical form (saved with --lenient) is longer than 16 KiB "
		  "(%zu bytes): nothing saved", strlen(text));
	return EXIT_RUNTIME;
}

/* Match the stored history of the topics whose history is unfinished
 * (cli_finish_history()) and print the outcome after prefix: of the topic
 * just saved, or with referrers, after a change that matched no history
 * of its own (a rename, rm, --no-backfill), of the topics that refer to
 * the changed one with topic:NAME, whose matches the store reset in the
 * change's transaction (said only when there were any).  Returns 0 or
 * EXIT_RUNTIME. */
static int backfill(const struct cli_args *a, struct store *st, const char *prefix,
		    int referrers)
{
	struct cli_rematch_stats rs;
	struct horch_err err;
	char n1[32], n2[32];

	if (cli_finish_history(a, st, &rs, &err) != 0) {
		cli_error(a, "%s; matching the stored posts%s failed: %s (the next horch topic or "
			  "import command goes on with it)", prefix,
			  referrers ? " of the topics that refer to it" : "", err.msg);
		return EXIT_RUNTIME;
	}
	if (cli_flag(a, "quiet"))
		return 0;
	if (!referrers)
		printf("%s: %s matches in %s posts (%.2f s)\n", prefix,
		       cli_num(rs.n_matches, n1), cli_num(rs.n_posts, n2), rs.secs);
	else if (rs.n_topics)
		printf("%s; %zu topic%s referring to it matched again: %s matches in %s posts "
		       "(%.2f s)\n", prefix, rs.n_topics, rs.n_topics == 1 ? "" : "s",
		       cli_num(rs.n_matches, n1), cli_num(rs.n_posts, n2), rs.secs);
	return 0;
}

/* Open the database for writing (rw) or reading.  A writing store knows
 * how to read topic:NAME references, so that saving, renaming or deleting
 * a topic resets the topics that refer to it (store_opts.topic_refs). */
static int open_db(const struct cli_args *a, int rw, struct store **st)
{
	struct store_opts so = { .read_only = !rw, .topic_refs = rw ? cli_topic_refs : NULL };
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

/* ---- topic:NAME references ---- */

/* The stored topics with one change applied, for matcher_check_refs():
 * set.mt[i] is stored topic i (names and queries of all), changed[i] marks
 * the topics added or changed. */
struct refset {
	struct cli_topics all;     /* the stored topics */
	struct matcher_topic *mt;  /* the topics after the change */
	unsigned char *changed;
	size_t n, cap_mt, cap_ch;
	char **keys;               /* name keys whose topic changed (old and new names) */
	size_t n_keys, cap_keys;
};

/* Add the key of name to rs->keys (once). */
static void refset_key(struct refset *rs, const char *name)
{
	struct buf key;

	if (!name)
		return;
	buf_init(&key, BUF_NOLIMIT);
	store_topic_name_key(&key, name, strlen(name));
	buf_append(&key, "", 0);
	for (size_t i = 0; i < rs->n_keys; i++) {
		if (strcmp(rs->keys[i], key.ptr) == 0) {
			buf_cleanup(&key);
			return;
		}
	}
	rs->keys = horch_xgrow(rs->keys, &rs->cap_keys, rs->n_keys + 1, sizeof *rs->keys);
	rs->keys[rs->n_keys++] = horch_xstrdup(key.ptr);
	buf_cleanup(&key);
}

/* What refers_to_changed() passes to cli_query_refs(). */
struct ref_probe {
	const struct refset *rs;
	int hit;
};

static void probe_ref(void *ctx, const char *name, size_t len)
{
	struct ref_probe *p = ctx;
	struct buf key;

	if (p->hit)
		return;
	buf_init(&key, BUF_NOLIMIT);
	store_topic_name_key(&key, name, len);
	buf_append(&key, "", 0);
	for (size_t i = 0; i < p->rs->n_keys && !p->hit; i++)
		p->hit = strcmp(p->rs->keys[i], key.ptr) == 0;
	buf_cleanup(&key);
}

/* Mark in hit[0..rs->n) the unchanged topics that refer to a changed name,
 * directly or through other topics: the only ones a change can break.
 * Adds the names of those found to rs->keys as it goes. */
static void refset_hits(struct refset *rs, unsigned char *hit)
{
	int more;

	do {
		more = 0;
		for (size_t i = 0; i < rs->n; i++) {
			struct ref_probe p = { rs, 0 };

			if (hit[i] || rs->changed[i] || !cli_query_has_refs(rs->mt[i].q))
				continue;
			cli_query_refs(rs->mt[i].q, probe_ref, &p);
			if (p.hit) {
				hit[i] = 1;
				more = 1;
				refset_key(rs, rs->mt[i].name);
			}
		}
	} while (more);
}

/* Load the stored topics into rs, unchanged so far.  Returns 0 or an exit
 * code after printing the error. */
static int refset_load(const struct cli_args *a, struct store *st, struct refset *rs)
{
	struct horch_err err;

	memset(rs, 0, sizeof *rs);
	if (cli_topics_load(st, &rs->all, &err) != 0)
		return cli_fail(a, &err);
	rs->mt = horch_xgrow(NULL, &rs->cap_mt, rs->all.n + 1, sizeof *rs->mt);
	rs->changed = horch_xgrow(NULL, &rs->cap_ch, rs->all.n + 1, 1);
	if (rs->all.n)
		memcpy(rs->mt, rs->all.mt, rs->all.n * sizeof *rs->mt);
	memset(rs->changed, 0, rs->all.n + 1);
	rs->n = rs->all.n;
	return 0;
}

static void refset_cleanup(struct refset *rs)
{
	cli_topics_cleanup(&rs->all);
	free(rs->mt);
	free(rs->changed);
	for (size_t i = 0; i < rs->n_keys; i++)
		free(rs->keys[i]);
	free(rs->keys);
}

/* Set topic id (0: a new one) to name and q in rs.  q and name must
 * outlive rs. */
static void refset_put(struct refset *rs, int64_t id, const char *name, const struct query *q)
{
	ssize_t i = id ? cli_topics_find(&rs->all, id) : -1;

	refset_key(rs, name);
	if (i >= 0)
		refset_key(rs, rs->all.mt[i].name);
	if (i < 0) {
		rs->mt = horch_xgrow(rs->mt, &rs->cap_mt, rs->n + 1, sizeof *rs->mt);
		rs->changed = horch_xgrow(rs->changed, &rs->cap_ch, rs->n + 1, 1);
		i = (ssize_t)rs->n++;
		rs->mt[i].id = id;
	}
	rs->mt[i].name = name;
	rs->mt[i].q = q;
	rs->changed[i] = 1;
}

/* Remove topic id from rs (the all list keeps it). */
static void refset_drop(struct refset *rs, int64_t id)
{
	for (size_t i = 0; i < rs->n; i++) {
		if (rs->mt[i].id == id) {
			refset_key(rs, rs->mt[i].name);
			memmove(rs->mt + i, rs->mt + i + 1, (rs->n - i - 1) * sizeof *rs->mt);
			memmove(rs->changed + i, rs->changed + i + 1, rs->n - i - 1);
			rs->n--;
			return;
		}
	}
}

/* Do the references of the changed topics of rs resolve, and (others too)
 * do the unchanged topics whose references resolved before the change
 * still?  Returns 0, or EXIT_RUNTIME after printing the first that does
 * not, with the matcher's reason; for an unchanged topic, what the change
 * is (done, e.g. "cannot remove 'X'") and the way round it (hint, may be
 * NULL). */
static int refset_check(const struct cli_args *a, struct refset *rs, int others,
			const char *done, const char *hint)
{
	struct horch_err err;
	char q[STORE_TOPIC_NAME_MAX * 4 + 16];
	unsigned char *hit = horch_xcalloc(rs->n + 1, 1);
	int rc = 0;

	/* Each check costs a pass over every name: check only the changed
	 * topics and those that refer to one. */
	if (others)
		refset_hits(rs, hit);
	for (size_t i = 0; i < rs->n && !rc; i++) {
		if (!(rs->changed[i] || hit[i]) || !cli_query_has_refs(rs->mt[i].q))
			continue;
		horch_err_clear(&err);
		if (matcher_check_refs(rs->mt, rs->n, i, &err) == 0)
			continue;
		if (!rs->changed[i]) {
			struct horch_err before;
			ssize_t k = cli_topics_find(&rs->all, rs->mt[i].id);

			/* A topic that did not resolve before is not this
			 * change's fault. */
			if (k < 0 || matcher_check_refs(rs->all.mt, rs->all.n, (size_t)k, &before))
				continue;
			cli_quote(q, sizeof q, rs->mt[i].name);
			cli_error(a, "%s: topic '%s' refers to it and would no longer match: %s%s%s",
				  done, q, err.msg, hint ? " " : "", hint ? hint : "");
			rc = EXIT_RUNTIME;
			break;
		}
		cli_quote(q, sizeof q, rs->mt[i].name);
		cli_error(a, "topic '%s': %s (nothing saved)", q, err.msg);
		rc = EXIT_RUNTIME;
	}
	free(hit);
	return rc;
}

/* ---- add, edit, rm ---- */

/* A copy of the name as the store will save it (store_topic_name_canon():
 * NFC, spaces squeezed), so that messages and the reference checks use
 * the stored name; the name as given when the store would refuse it (the
 * store then says why).  The caller frees it. */
static char *canon_name(const char *name)
{
	struct horch_err err;
	struct buf canon;
	char *out;

	buf_init(&canon, BUF_NOLIMIT);
	if (store_topic_name_canon(&canon, name, &err) == 0)
		out = horch_xstrdup(canon.ptr);
	else
		out = horch_xstrdup(name);
	buf_cleanup(&canon);
	return out;
}

/* topic add NAME QUERY: check, save, match the history.  Returns an exit
 * code; nothing is saved when the query has an error. */
static int sub_add(struct cli_args *a)
{
	struct refset rs = { 0 };
	char qname[STORE_TOPIC_NAME_MAX * 4 + 8];
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct query *q = NULL;
	struct horch_err err;
	struct buf src;
	char prefix[STORE_TOPIC_NAME_MAX * 4 + 64];
	int rc;

	buf_init(&src, BUF_NOLIMIT);
	rc = query_arg(a, a->pos[2], &src);
	if (rc || (rc = check_query(a, src.ptr, src.len, stderr, &q)) != 0)
		goto out;
	if ((rc = open_db(a, 1, &st)) != 0)
		goto out;
	t.name = canon_name(a->pos[1]);
	t.query = saved_query(a, q, src.ptr);
	if ((rc = check_saved_len(a, t.query)) != 0)
		goto out;
	t.team = cli_get(a, "team") && *cli_get(a, "team") ? horch_xstrdup(cli_get(a, "team"))
							     : NULL;
	t.color = cli_get(a, "color") && *cli_get(a, "color") ? horch_xstrdup(cli_get(a, "color"))
							       : NULL;
	/* Saved with its history to be matched: a crash from here on leaves
	 * a topic that the next command finishes. */
	t.matched_to = cli_flag(a, "no-backfill") ? STORE_HISTORY_DONE : 0;
	if ((rc = refset_load(a, st, &rs)) != 0)
		goto out;
	refset_put(&rs, 0, t.name, q);
	if ((rc = refset_check(a, &rs, 0, NULL, NULL)) != 0)
		goto out;
	if (store_topic_add(st, &t, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	cli_quote(qname, sizeof qname, t.name);
	snprintf(prefix, sizeof prefix, "added topic '%s' (id %lld)", qname, (long long)t.id);
	if (cli_flag(a, "no-backfill")) {
		if (!cli_flag(a, "quiet"))
			printf("%s; the stored posts were not matched (--no-backfill)\n", prefix);
		rc = backfill(a, st, prefix, 1);
	} else {
		rc = backfill(a, st, prefix, 0);
	}
out:
	refset_cleanup(&rs);
	store_topic_cleanup(&t);
	store_close(st);
	query_free(q);
	buf_cleanup(&src);
	return rc;
}

/* Set *field to value when it is given: "" clears it (NULL). */
static void replace_field(char **field, const char *value)
{
	if (!value)
		return;
	free(*field);
	*field = *value ? horch_xstrdup(value) : NULL;
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
	const struct query *q_old = NULL;
	struct refset rs = { 0 };
	char prefix[STORE_TOPIC_NAME_MAX * 4 + 64], qname[STORE_TOPIC_NAME_MAX * 4 + 8];
	char done[STORE_TOPIC_NAME_MAX * 4 + 32];
	int rc, changed, renamed;

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
	if (cli_get(a, "name") && !*cli_get(a, "name")) {
		cli_error(a, "--name: a topic's name cannot be empty");
		rc = EXIT_USAGE;
		goto out;
	}
	renamed = cli_get(a, "name") != NULL;
	if (renamed) {
		free(t.name);
		t.name = canon_name(cli_get(a, "name"));
	} else {
		/* A name saved by an older horch under looser rules cannot be
		 * saved again as it is: say how to get out. */
		struct buf canon;

		buf_init(&canon, BUF_NOLIMIT);
		rc = store_topic_name_canon(&canon, t.name, &err);
		buf_cleanup(&canon);
		if (rc) {
			cli_error(a, "%s; it was saved by an older horch: rename it with --name NEW",
				  err.msg);
			rc = EXIT_RUNTIME;
			goto out;
		}
		/* Saved in its canonical form from now on. */
		{
			char *c = canon_name(t.name);

			free(t.name);
			t.name = c;
		}
	}
	replace_field(&t.team, cli_get(a, "team"));
	replace_field(&t.color, cli_get(a, "color"));
	changed = 0;
	if (q) {
		char *text = saved_query(a, q, src.ptr);

		if ((rc = check_saved_len(a, text)) != 0) {
			free(text);
			goto out;
		}
		changed = strcmp(text, t.query) != 0;
		free(t.query);
		t.query = text;
	}
	/* A new query: the store clears the old matches and marks the
	 * history as unmatched in the transaction that saves the query. */
	t.matched_to = cli_flag(a, "no-backfill") ? STORE_HISTORY_DONE : 0;
	if (changed || renamed) {
		if ((rc = refset_load(a, st, &rs)) != 0)
			goto out;
		if (!q) {
			ssize_t k = cli_topics_find(&rs.all, t.id);

			q_old = k >= 0 ? rs.all.q[k] : NULL;
		}
		refset_put(&rs, t.id, t.name, q ? q : q_old);
		cli_quote(qname, sizeof qname, a->pos[1]);
		snprintf(done, sizeof done, "cannot change '%s'", qname);
		if ((rc = refset_check(a, &rs, 1, done, NULL)) != 0)
			goto out;
	}
	if (store_topic_update(st, &t, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	cli_quote(qname, sizeof qname, t.name);
	snprintf(prefix, sizeof prefix, "changed topic '%s' (id %lld)", qname, (long long)t.id);
	if (!changed) {
		if (!cli_flag(a, "quiet"))
			printf("%s%s\n", prefix, q ? "; the query is the same, matches kept" : "");
		if (renamed)
			rc = backfill(a, st, prefix, 1);
		goto out;
	}
	if (cli_flag(a, "no-backfill")) {
		if (!cli_flag(a, "quiet"))
			printf("%s; its matches were cleared and the stored posts not matched "
			       "(--no-backfill)\n", prefix);
		rc = backfill(a, st, prefix, 1);
	} else {
		rc = backfill(a, st, prefix, 0);
	}
out:
	refset_cleanup(&rs);
	store_topic_cleanup(&t);
	store_close(st);
	query_free(q);
	buf_cleanup(&src);
	return rc;
}

/* topic rm NAME: delete the topic and its matches.  Returns an exit code. */
static int sub_rm(struct cli_args *a)
{
	struct refset rs = { 0 };
	char qname[STORE_TOPIC_NAME_MAX * 4 + 8], done[STORE_TOPIC_NAME_MAX * 4 + 32];
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct horch_err err;
	char n[32];
	int rc;

	if ((rc = open_db(a, 1, &st)) != 0)
		return rc;
	if ((rc = cli_topic_get(a, st, a->pos[1], &t)) != 0)
		goto out;
	cli_quote(qname, sizeof qname, t.name);
	if (!cli_flag(a, "force")) {
		if ((rc = refset_load(a, st, &rs)) != 0)
			goto out;
		refset_drop(&rs, t.id);
		snprintf(done, sizeof done, "cannot remove '%s'", qname);
		if ((rc = refset_check(a, &rs, 1, done, "(--force removes it anyway)")) != 0)
			goto out;
	}
	if (store_topic_delete(st, t.name, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (!cli_flag(a, "quiet"))
		printf("removed topic '%s' and its %s matches\n", qname,
		       cli_num((uint64_t)t.n_matches, n));
	snprintf(done, sizeof done, "removed topic '%s'", qname);
	rc = backfill(a, st, done, 1);
out:
	refset_cleanup(&rs);
	store_topic_cleanup(&t);
	store_close(st);
	return rc;
}

/* topic rematch NAME: clear the topic's matches and match its stored
 * history again (for a topic saved with --no-backfill, or after matching
 * rules changed).  The store clears the matches and sets matched_to to 0
 * in one transaction; the pass is then the one of add and edit, chunk by
 * chunk with its progress, so that a crash leaves it for the next command
 * to finish.  Returns an exit code. */
static int sub_rematch(struct cli_args *a)
{
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct horch_err err;
	char prefix[STORE_TOPIC_NAME_MAX * 4 + 64], qname[STORE_TOPIC_NAME_MAX * 4 + 8];
	int rc;

	if ((rc = open_db(a, 1, &st)) != 0)
		return rc;
	if ((rc = cli_topic_get(a, st, a->pos[1], &t)) != 0)
		goto out;
	if (store_topic_clear_matches(st, t.id, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	cli_quote(qname, sizeof qname, t.name);
	snprintf(prefix, sizeof prefix, "rematched topic '%s' (id %lld)", qname, (long long)t.id);
	rc = backfill(a, st, prefix, 0);
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

#define DAY_MS 86400000LL
#define SHOW_DAYS 7

/* The UTC day (days since 1970-01-01) of time t, rounded down also before
 * 1970. */
static int64_t day_of(int64_t t)
{
	return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS);
}

/* Count the matches of topic on each of the SHOW_DAYS calendar days (UTC)
 * that end with the day of until, into d: newest day first, a day without
 * matches as 0.  Returns 0 or the store's error. */
static int last_days(struct store *st, int64_t topic, int64_t until, struct days *d,
		     struct horch_err *err)
{
	struct store_query sq;
	struct days got = { 0 };
	int64_t last = day_of(until);
	int rc;

	store_query_init(&sq);
	sq.topic = topic;
	sq.since = (last - SHOW_DAYS + 1) * DAY_MS;
	sq.until = (last + 1) * DAY_MS;
	rc = store_stats(st, STORE_DIM_DAY, &sq, 0, add_day, &got, err);
	for (int64_t day = last; !rc && day > last - SHOW_DAYS; day--) {
		char full[HORCH_TIME_BUFSZ];
		int64_t count = 0;

		horch_time_format(day * DAY_MS, full);
		full[10] = '\0';
		for (size_t i = 0; i < got.n; i++)
			if (strcmp(got.day[i], full) == 0)
				count = got.count[i];
		add_day(d, full, count);
	}
	days_free(&got);
	return rc;
}

/* topic show NAME: every field, the canonical query and the matches on
 * each of the last 7 calendar days (UTC; the days up to --until, default
 * today).  Returns an exit code. */
static int sub_show(struct cli_args *a)
{
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct query *q = NULL;
	struct days d = { 0 };
	struct horch_err err;
	struct buf canon;
	char created[HORCH_TIME_BUFSZ], updated[HORCH_TIME_BUFSZ], n[32];
	int64_t until = HORCH_TIME_NONE;
	int rc;

	buf_init(&canon, BUF_NOLIMIT);
	if ((rc = cli_time_opt(a, "until", &until)) != 0)
		return rc;
	if (until == HORCH_TIME_NONE)
		until = horch_now();
	if ((rc = open_db(a, 0, &st)) != 0)
		return rc;
	if ((rc = cli_topic_get(a, st, a->pos[1], &t)) != 0)
		goto out;
	if (cli_topic_parse(&t, &q, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	query_print(q, &canon);
	if (last_days(st, t.id, until, &d, &err) != 0) {
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
	if (t.matched_to != STORE_HISTORY_DONE)
		printf("history    matched up to post %lld (unfinished: the next horch topic or "
		       "import command that writes finishes it)\n", (long long)t.matched_to);
	printf("\nmatches on the last 7 days:\n");
	print_days_table(&d);
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
	struct topicfile_entry e;  /* the line as read (owned) */
	char *key;                 /* its name's key (store_topic_name_key()), owned */
	int64_t old_id;            /* a stored topic of that name (--replace), or 0 */
	char *old_team;            /* its team and colour, kept when the line gives none */
	char *old_color;
};

struct import {
	const struct cli_args *a;
	const char *file;           /* the name shown in messages */
	struct import_topic *topics;
	size_t n, cap;
	size_t *names;              /* hash set of the names' keys so far: index + 1, 0 empty */
	size_t cap_names;           /* a power of two, at least twice n */
	size_t n_bad;               /* lines refused for their name (the reader counts its own) */
	struct store *st;
};

/* Report a problem of line at byte column col (topicfile_problem_fn). */
static void import_problem(void *ctx, long line, long col, const char *kind, const char *msg)
{
	const struct import *im = ctx;

	fprintf(stderr, "%s:%ld:%ld: %s: %s\n", im->file, line, col, kind, msg);
}

/* FNV-1a of a name's key. */
static size_t name_hash(const char *key)
{
	return (size_t)horch_fnv1a(HORCH_FNV_BASIS, key, strlen(key));
}

/* The slot of the name key `key` in the hash set of im: the slot that
 * holds it, or the empty one where it would go.  Keyed as the store keys
 * names (store_topic_name_key()), so that two lines the store would take
 * for one topic are found here, before anything is saved. */
static size_t *name_slot(struct import *im, const char *key)
{
	size_t mask = im->cap_names - 1, i = name_hash(key) & mask;

	while (im->names[i] && strcmp(im->topics[im->names[i] - 1].key, key) != 0)
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
		*name_slot(im, im->topics[k].key) = k + 1;
}

/* A good line of the file (topicfile_entry_fn): kept unless its name is in
 * the file twice, or stored already (unless --replace: then its old_id is
 * set); a refused line is reported and counted. */
static void import_entry(void *ctx, struct topicfile_entry *e)
{
	struct import *im = ctx;
	struct store_topic old = { 0 };
	struct horch_err err;
	char msg[3 * (STORE_TOPIC_NAME_MAX * 4 + 16) + 160];
	char q1[STORE_TOPIC_NAME_MAX * 4 + 16], q2[STORE_TOPIC_NAME_MAX * 4 + 16];
	int64_t old_id = 0;
	char *old_team = NULL, *old_color = NULL;
	struct buf key;
	size_t *slot;
	int bad = 0;

	names_grow(im);
	buf_init(&key, BUF_NOLIMIT);
	store_topic_name_key(&key, e->name, strlen(e->name));
	buf_append(&key, "", 0);
	slot = name_slot(im, key.ptr);
	cli_quote(q1, sizeof q1, e->name);
	if (*slot) {
		const struct import_topic *first = &im->topics[*slot - 1];

		cli_quote(q2, sizeof q2, first->e.name);
		if (strcmp(first->e.name, e->name) == 0)
			snprintf(msg, sizeof msg, "topic '%s' is in the file twice: a duplicate of "
				 "%s:%ld", q1, im->file, first->e.line);
		else
			snprintf(msg, sizeof msg, "topic '%s' is in the file twice: a duplicate of "
				 "'%s' at %s:%ld (names ignore case and accents)", q1, q2,
				 im->file, first->e.line);
		bad = 1;
	}
	if (!bad && store_topic_get(im->st, e->name, &old, &err) == 0) {
		if (cli_flag(im->a, "replace")) {
			old_id = old.id;
			old_team = old.team;
			old_color = old.color;
			old.team = old.color = NULL;
		} else {
			cli_quote(q2, sizeof q2, old.name);
			snprintf(msg, sizeof msg, "a topic named '%s' exists already (--replace "
				 "changes it)", q2);
			bad = 1;
		}
	}
	store_topic_cleanup(&old);
	if (bad) {
		import_problem(im, e->line, 1, "error", msg);
		topicfile_entry_cleanup(e);
		buf_cleanup(&key);
		im->n_bad++;
		return;
	}
	im->topics = horch_xgrow(im->topics, &im->cap, im->n + 1, sizeof *im->topics);
	im->topics[im->n].e = *e;
	im->topics[im->n].key = horch_xstrdup(key.ptr);
	buf_cleanup(&key);
	im->topics[im->n].old_id = old_id;
	im->topics[im->n].old_team = old_team;
	im->topics[im->n].old_color = old_color;
	*slot = im->n + 1;
	im->n++;
	memset(e, 0, sizeof *e);
}

/* Save the checked topics, all in one transaction (store_topic_save_many():
 * 10,000 topics took 1.5 s as one transaction each).  The topics are saved
 * with their history to be matched (matched_to 0) unless --no-backfill.
 * Returns 0 (*n_replaced set) or EXIT_RUNTIME after printing the error;
 * then nothing is saved. */
static int import_save(struct import *im, size_t *n_replaced)
{
	struct store_topic *ts = horch_xcalloc(im->n ? im->n : 1, sizeof *ts);
	int64_t matched_to = cli_flag(im->a, "no-backfill") ? STORE_HISTORY_DONE : 0;
	struct horch_err err;
	size_t failed;
	int rc = 0;

	*n_replaced = 0;
	for (size_t i = 0; i < im->n; i++) {
		const struct import_topic *it = &im->topics[i];

		ts[i].id = it->old_id;
		ts[i].name = it->e.name;
		ts[i].query = it->e.query;
		/* --replace: a field the line does not give keeps its stored
		 * value (a TSV line gives neither; JSON null clears). */
		ts[i].team = it->e.has_team ? it->e.team : it->old_team;
		ts[i].color = it->e.has_color ? it->e.color : it->old_color;
		ts[i].matched_to = matched_to;
		*n_replaced += it->old_id != 0;
	}
	if (store_topic_save_many(im->st, ts, im->n, &failed, &err) != 0) {
		if (failed < im->n)
			cli_error(im->a, "%s:%ld: %s (no topic imported)", im->file,
				  im->topics[failed].e.line, err.msg);
		else
			cli_error(im->a, "%s: %s (no topic imported)", im->file, err.msg);
		*n_replaced = 0;
		rc = EXIT_RUNTIME;
	}
	free(ts);
	return rc;
}

/* topic import FILE: check every line, report every bad one, save (all or,
 * with --skip-bad, the good ones) in one transaction, then match the
 * history against all the new topics in one pass.  Returns an exit code:
 * 1 when a line was bad. */
static int sub_import(struct cli_args *a)
{
	struct import im = { .a = a };
	struct cli_rematch_stats rs;
	struct horch_err err;
	struct buf b;
	const char *path = a->pos[1];
	FILE *f = NULL;
	size_t n_replaced = 0, n_bad, n_unres = 0;
	struct refset refs = { 0 };
	char n1[32], n2[32], n3[32];
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	memset(&rs, 0, sizeof rs);
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
	n_bad = topicfile_read(b.ptr, b.len, parse_flags(a), import_entry, import_problem, &im);
	n_bad += im.n_bad;
	if (n_bad && !cli_flag(a, "skip-bad")) {
		cli_error(a, "%s: %zu bad line%s: no topic imported (--skip-bad imports the good "
			  "ones)", im.file, n_bad, n_bad == 1 ? "" : "s");
		rc = EXIT_RUNTIME;
		goto out;
	}
	/* Every imported topic's references must resolve against the
	 * stored topics and the file's. */
	if ((rc = refset_load(a, im.st, &refs)) != 0)
		goto out;
	for (size_t i = 0; i < im.n; i++)
		refset_put(&refs, im.topics[i].old_id, im.topics[i].e.name, im.topics[i].e.q);
	for (size_t i = 0; i < refs.n; i++) {
		char qname[STORE_TOPIC_NAME_MAX * 4 + 8];

		if (!refs.changed[i] || !cli_query_has_refs(refs.mt[i].q) ||
		    matcher_check_refs(refs.mt, refs.n, i, &err) == 0)
			continue;
		for (size_t k = 0; k < im.n; k++) {
			if (im.topics[k].e.name != refs.mt[i].name)
				continue;
			cli_quote(qname, sizeof qname, refs.mt[i].name);
			fprintf(stderr, "%s:%ld:1: error: topic '%s': %s\n", im.file,
				im.topics[k].e.line, qname, err.msg);
		}
		n_unres++;
	}
	if (n_unres) {
		cli_error(a, "%s: %zu topic%s whose references do not resolve: no topic imported",
			  im.file, n_unres, n_unres == 1 ? "" : "s");
		rc = EXIT_RUNTIME;
		goto out;
	}
	if ((rc = import_save(&im, &n_replaced)) != 0)
		goto out;
	/* With --no-backfill too: the topics that refer to a replaced one
	 * were reset by the store and are matched again here. */
	if (im.n && cli_finish_history(a, im.st, &rs, &err) != 0) {
		cli_error(a, "the %zu topics are saved, but matching the stored posts failed: %s "
			  "(the next horch topic or import command goes on with it)", im.n,
			  err.msg);
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (!cli_flag(a, "quiet")) {
		printf("imported %s topic%s (%s replaced, %s bad line%s skipped)",
		       cli_num(im.n, n1), im.n == 1 ? "" : "s", cli_num(n_replaced, n2),
		       cli_num(n_bad, n3), n_bad == 1 ? "" : "s");
		if (im.n && (!cli_flag(a, "no-backfill") || rs.n_topics))
			printf(": %s matches in %s posts (%.2f s)", cli_num(rs.n_matches, n1),
			       cli_num(rs.n_posts, n2), rs.secs);
		putchar('\n');
	}
	if (n_bad)
		rc = EXIT_RUNTIME;
out:
	refset_cleanup(&refs);
	for (size_t i = 0; i < im.n; i++) {
		topicfile_entry_cleanup(&im.topics[i].e);
		free(im.topics[i].key);
		free(im.topics[i].old_team);
		free(im.topics[i].old_color);
	}
	free(im.topics);
	free(im.names);
	store_close(im.st);
	if (f && f != stdin)
		fclose(f);
	buf_cleanup(&b);
	return rc;
}

/* ---- backtest ---- */

struct backtest {
	struct cli_backtest scan;  /* the query, the scan and its hits */
	int format;
	int bold;         /* mark spans in bold (stdout is a terminal) */
	size_t n_shown;   /* sample posts printed */
	struct buf line;
};

/* The id of the backtested query in its matcher: no stored topic has it. */
#define BACKTEST_ID 0

/* Print one sample post with its spans marked. */
static int sample_one(void *ctx, const struct post *p)
{
	struct backtest *bt = ctx;
	const struct match_span *sp = NULL;
	const struct match_hit *h;
	size_t n_sp = 0;
	char when[HORCH_TIME_BUFSZ];

	if (match_doc_set(bt->scan.doc, p) == 0 &&
	    matcher_match(bt->scan.m, bt->scan.doc, MATCH_SPANS, &bt->scan.res) > 0 &&
	    (h = cli_backtest_hit(&bt->scan.res, BACKTEST_ID)) != NULL) {
		sp = bt->scan.res.spans + h->span0;
		n_sp = h->n_spans;
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

/* Count bt->scan.hits (sorted) by day into d. */
static void hits_by_day(const struct backtest *bt, struct days *d)
{
	for (size_t i = 0; i < bt->scan.n_hits;) {
		char full[HORCH_TIME_BUFSZ] = "";
		size_t k = i;

		if (bt->scan.hits[i].created_at != HORCH_TIME_NONE)
			horch_time_format(bt->scan.hits[i].created_at, full);
		while (k < bt->scan.n_hits) {
			char other[HORCH_TIME_BUFSZ] = "";

			if (bt->scan.hits[k].created_at != HORCH_TIME_NONE)
				horch_time_format(bt->scan.hits[k].created_at, other);
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
	struct refset rs = { 0 };
	struct matcher_topic mt = { .id = BACKTEST_ID };
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
	/* A query with topic:NAME references is matched in the set of the
	 * stored topics (only its own hits are kept); one without is
	 * matched alone. */
	if (matcher_check_refs(&mt, 1, 0, &err) != 0) {
		if ((rc = refset_load(a, st, &rs)) != 0)
			goto out;
		refset_put(&rs, BACKTEST_ID, NULL, q);
		if (matcher_check_refs(rs.mt, rs.n, rs.n - 1, &err) != 0) {
			cli_error(a, "the query: %s", err.msg);
			rc = EXIT_RUNTIME;
			goto out;
		}
		rc = matcher_build(&m, rs.mt, rs.n, &err);
	} else {
		rc = matcher_build(&m, &mt, 1, &err);
	}
	if (rc) {
		rc = cli_fail(a, &err);
		goto out;
	}
	cli_backtest_init(&bt.scan, m, BACKTEST_ID);
	bt.bold = isatty(STDOUT_FILENO);
	rc = cli_backtest_scan(&bt.scan, st, since, 0, &err);
	if (rc) {
		rc = cli_fail(a, &err);
		goto out;
	}
	hits_by_day(&bt, &d);
	n_sample = bt.scan.n_hits < limit ? bt.scan.n_hits : limit;
	query_print(q, &canon);
	if (bt.format == CLI_JSON) {
		fputs("{\"query\":", stdout);
		json_field(stdout, src.ptr);
		fputs(",\"canonical\":", stdout);
		json_field(stdout, canon.ptr);
		printf(",\"scanned\":%llu,\"matched\":%zu,", (unsigned long long)bt.scan.n_posts,
		       bt.scan.n_hits);
		print_days_json(&d);
		fputs(",\"sample\":[", stdout);
	} else if (bt.scan.n_hits == 0) {
		printf("no post matched\n");
	} else {
		print_days_table(&d);
		if (n_sample)
			printf("\nnewest %zu of %s matching posts:\n", n_sample,
			       cli_num(bt.scan.n_hits, n1));
	}
	for (size_t i = 0; i < n_sample && !rc; i++)
		rc = store_scan_posts(st, HORCH_TIME_NONE, bt.scan.hits[i].id - 1, 1, sample_one, &bt,
				      &err);
	if (rc) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (bt.format == CLI_JSON)
		fputs("]}\n", stdout);
	else if (bt.scan.n_hits)
		printf("\n%s of %s posts matched (%.1f%%)\n", cli_num(bt.scan.n_hits, n1),
		       cli_num(bt.scan.n_posts, n2),
		       bt.scan.n_posts ? 100.0 * (double)bt.scan.n_hits / (double)bt.scan.n_posts : 0.0);
out:
	refset_cleanup(&rs);
	days_free(&d);
	cli_backtest_cleanup(&bt.scan);
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
	const struct matcher_topic *topics; /* the stored topics, for topic:NAME */
	size_t n_topics;
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
	ex->matched = match_explain_with(ex->q, ex->topics, ex->n_topics, doc, &res, &fail_off,
					 &fail_end);
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
	struct cli_topics all = { 0 };
	struct store_topic t = { 0 };
	struct store *st = NULL;
	struct query *q = NULL;
	struct horch_err err;
	struct buf src;
	const char *qarg = cli_get(a, "query"), *idarg;
	char what[STORE_TOPIC_NAME_MAX * 4 + 32], qn[STORE_TOPIC_NAME_MAX * 4 + 8], *end;
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
	errno = 0;
	id = strtoll(idarg, &end, 10);
	if (!*idarg || *end || id <= 0 || errno == ERANGE) {
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
		cli_quote(qn, sizeof qn, t.name);
		snprintf(what, sizeof what, "topic '%s'", qn);
	}
	if (cli_topics_load(st, &all, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	ex.topics = all.mt;
	ex.n_topics = all.n;
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
	cli_topics_cleanup(&all);
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
	int uses_db;           /* reads the database: an unfinished history is finished first */
	int (*run)(struct cli_args *a);
} subs[] = {
	{ "lint", 1, 1, "lint [--lenient] [--json] QUERY", "lenient json", 0, sub_lint },
	{ "add", 2, 2, "add NAME QUERY [--team T] [--color C] [--no-backfill]",
	  "lenient team color no-backfill", 1, sub_add },
	{ "edit", 1, 1, "edit NAME [--query Q] [--name NEW] [--team T] [--color C]",
	  "lenient query name team color no-backfill", 1, sub_edit },
	{ "rm", 1, 1, "rm NAME [--force]", "force", 1, sub_rm },
	{ "rematch", 1, 1, "rematch NAME", "", 1, sub_rematch },
	{ "list", 0, 0, "list [--json|--csv]", "json csv table", 1, sub_list },
	{ "show", 1, 1, "show NAME [--until TIME] [--json]", "until json", 1, sub_show },
	{ "import", 1, 1, "import FILE [--skip-bad] [--replace] [--no-backfill]",
	  "lenient skip-bad replace no-backfill", 1, sub_import },
	{ "backtest", 1, 1, "backtest QUERY [--since TIME] [--limit N] [--json]",
	  "lenient since limit json table", 1, sub_backtest },
	{ "explain", 1, 2, "explain NAME POST_ID, or explain --query QUERY POST_ID",
	  "lenient query", 1, sub_explain },
};

/* Before a subcommand that reads the database: finish the history pass
 * of any topic whose pass a crash cut short (cli_resume_history()), so that
 * what it shows or changes is complete.  A database that does not exist
 * yet, or that cannot be opened for writing (a read-only file), is left to
 * the subcommand.  Returns 0 or an exit code after printing the error. */
static int resume(const struct cli_args *a)
{
	const char *path = cli_db_path(a);
	struct store *st = NULL;
	struct horch_err err;
	int rc;

	if (strncmp(path, "sqlite:", 7) == 0)
		path += 7;
	if (access(path, W_OK) != 0 || store_open(&st, cli_db_path(a), NULL, &err) != 0)
		return 0;
	rc = cli_resume_history(a, st, &err) ? cli_fail(a, &err) : 0;
	store_close(st);
	return rc;
}

int cmd_topic(struct cli_args *a)
{
	const char *sub = a->pos[0];
	int rc;

	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(subs[i].name, sub) != 0)
			continue;
		if (cli_sub_opts(a, subs[i].opts, subs[i].usage))
			return EXIT_USAGE;
		if (a->n_pos - 1 < subs[i].min_pos || a->n_pos - 1 > subs[i].max_pos) {
			cli_error(a, "usage: horch topic %s", subs[i].usage);
			return EXIT_USAGE;
		}
		if (subs[i].uses_db && (rc = resume(a)) != 0)
			return rc;
		return subs[i].run(a);
	}
	cli_error(a, "unknown topic command '%s' (available: lint, add, edit, rm, list, show, "
		  "import, backtest, explain)", sub);
	return EXIT_USAGE;
}
