/* test_query.c - the topic query parser: case files, error format, API.
 *
 * Most cases live in the .t files of tests/cases/query/parse/ (the format is
 * described at the top of each file and in run_file() below), so that
 * adding one needs no C.  Every case that parses is also printed, parsed
 * again and printed again: the two prints must be equal.  This file then
 * checks what a case file cannot say: the exact four-line error of the
 * spec, the tree's fields (folds, exact bytes, forms, wildcard prefixes,
 * columns), the limits at their edges and the API's edges.
 *
 *   test_query                          run the tests (TAP)
 *   test_query --dump [--lenient] Q...  print Q's case block */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "tap.h"
#include "cases.h"
#include "core/buf.h"
#include "core/err.h"
#include "query/query.h"
#include "query/query_int.h"

/* Parse q, print it, and check that the print parses to the same print. */
static int parse_print(const char *q, size_t len, unsigned flags, struct buf *out,
		       struct query_diag *diag, struct horch_err *err)
{
	struct query *qq = NULL;
	int rc = query_parse(&qq, q, len, flags, diag, err);

	if (rc == 0)
		query_print(qq, out);
	query_free(qq);
	return rc;
}

static void dump(const char *q, unsigned flags)
{
	struct buf b, sb;
	struct query_diag d;
	struct horch_err err;
	size_t i;

	buf_init(&b, BUF_NOLIMIT);
	buf_init(&sb, BUF_NOLIMIT);
	query_diag_init(&d);
	cases_unescape(&sb, q, strlen(q));
	printf("> %s\n", q);
	if (flags & QUERY_LENIENT)
		printf("lenient\n");
	if (parse_print(sb.ptr ? sb.ptr : "", sb.len, flags, &b, &d, &err) == 0)
		printf("= %s\n", b.ptr);
	else
		printf("! %ld %s\nh %s\n", err.col, err.msg, d.hint);
	for (i = 0; i < d.n_warn; i++)
		printf("w %ld %s\n", d.warn[i].col, d.warn[i].msg);
	printf("\n");
	buf_cleanup(&b);
	buf_cleanup(&sb);
	query_diag_cleanup(&d);
}

struct expect {
	char *query;          /* unescaped */
	size_t query_len;
	unsigned flags;
	char *print;          /* "= " line, or NULL */
	long err_col;         /* "! " line */
	char *err_msg;        /* substring, or NULL */
	char *hint;           /* "h " substring, or NULL */
	long warn_col[32];    /* "w " lines */
	char *warn_msg[32];
	size_t n_warn;
};

static void expect_free(struct expect *e)
{
	size_t i;

	free(e->query);
	free(e->print);
	free(e->err_msg);
	free(e->hint);
	for (i = 0; i < e->n_warn; i++)
		free(e->warn_msg[i]);
	memset(e, 0, sizeof *e);
}

/* Run one case, named "file:line". */
static void run_case(const char *name, struct expect *e)
{
	struct buf out, again;
	struct query_diag d;
	struct horch_err err;
	size_t i;
	int rc;

	buf_init(&out, BUF_NOLIMIT);
	buf_init(&again, BUF_NOLIMIT);
	query_diag_init(&d);
	rc = parse_print(e->query ? e->query : "", e->query_len, e->flags, &out, &d, &err);
	if (e->print) {
		if (!ok(rc == 0 && strcmp(out.ptr ? out.ptr : "", e->print) == 0, "%s parses", name))
			diag("  got rc %d \"%s\" (err col %ld: %s), want \"%s\"", rc,
			     out.ptr ? out.ptr : "", err.col, err.msg, e->print);
		if (rc == 0) {
			struct horch_err err2;
			int rc2 = parse_print(out.ptr, out.len, e->flags, &again, NULL, &err2);

			if (!ok(rc2 == 0 && strcmp(again.ptr ? again.ptr : "", out.ptr) == 0,
				"%s round trip", name))
				diag("  reparse rc %d \"%s\" (%s)", rc2, again.ptr ? again.ptr : "",
				     rc2 ? err2.msg : "");
		}
	} else {
		int good = rc != 0 && err.col == e->err_col &&
			   (!e->err_msg || strstr(err.msg, e->err_msg));

		if (!ok(good, "%s is refused", name))
			diag("  got rc %d col %ld \"%s\" (print \"%s\"), want col %ld \"%s\"", rc,
			     err.col, rc ? err.msg : "", out.ptr ? out.ptr : "", e->err_col,
			     e->err_msg ? e->err_msg : "");
		if (e->hint && !ok(strstr(d.hint, e->hint) != NULL, "%s hint", name))
			diag("  got hint \"%s\", want \"%s\"", d.hint, e->hint);
	}
	if (!ok(d.n_warn == e->n_warn, "%s warnings", name)) {
		for (i = 0; i < d.n_warn; i++)
			diag("  got warning col %ld: %s", d.warn[i].col, d.warn[i].msg);
	}
	for (i = 0; i < e->n_warn && i < d.n_warn; i++)
		if (!ok(d.warn[i].col == e->warn_col[i] && strstr(d.warn[i].msg, e->warn_msg[i]),
			"%s warning %zu", name, i + 1))
			diag("  got col %ld \"%s\", want col %ld \"%s\"", d.warn[i].col,
			     d.warn[i].msg, e->warn_col[i], e->warn_msg[i]);
	buf_cleanup(&out);
	buf_cleanup(&again);
	query_diag_cleanup(&d);
}

/* Run every case of one .t file.  Format:
 *   > QUERY        starts a case (escapes \n \t \r \\ \xHH \u{HHHH})
 *   lenient        parse in lenient mode (default strict)
 *   = PRINT        it parses, and prints exactly this
 *   ! COL MESSAGE  it is refused at byte column COL, the message holds MESSAGE
 *   h HINT         the hint holds HINT
 *   w COL MESSAGE  a warning (as many lines as warnings, in order; a case
 *                  without w lines must give none)
 *   a blank line ends the case; # starts a comment. */
static int run_file(const char *path, const char *base)
{
	FILE *f = fopen(path, "r");
	char line[20000], name[300];
	struct expect e;
	int in_case = 0, lineno = 0, case_line = 0, n_cases = 0;

	if (!f)
		return -1;
	memset(&e, 0, sizeof e);
	for (;;) {
		char *got = fgets(line, sizeof line, f);
		size_t n = got ? strlen(line) : 0;

		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!got || n == 0) {
			if (in_case) {
				snprintf(name, sizeof name, "query-%s:%d", base, case_line);
				if (!e.print && !e.err_msg && !e.err_col)
					ok(0, "%s has no = or ! line", name);
				else
					run_case(name, &e);
				expect_free(&e);
				n_cases++;
				in_case = 0;
			}
			if (!got)
				break;
			continue;
		}
		if (line[0] == '#')
			continue;
		if (line[0] == '>' && (line[1] == ' ' || line[1] == '\0')) {
			struct buf b;

			if (in_case)
				expect_free(&e);
			buf_init(&b, BUF_NOLIMIT);
			if (cases_unescape(&b, line + 2 - (line[1] == '\0'), n - 2 + (line[1] == '\0')))
				ok(0, "query-%s:%d bad escape", base, lineno);
			e.query_len = b.len;
			e.query = buf_take(&b);
			in_case = 1;
			case_line = lineno;
		} else if (!in_case) {
			ok(0, "query-%s:%d line outside a case", base, lineno);
		} else if (strcmp(line, "lenient") == 0) {
			e.flags |= QUERY_LENIENT;
		} else if (line[0] == '=' && line[1] == ' ') {
			struct buf b;

			buf_init(&b, BUF_NOLIMIT);
			cases_unescape(&b, line + 2, n - 2);
			e.print = buf_take(&b);
		} else if ((line[0] == '!' || line[0] == 'w') && line[1] == ' ') {
			char *rest;
			long col = strtol(line + 2, &rest, 10);

			while (*rest == ' ')
				rest++;
			if (line[0] == '!') {
				e.err_col = col;
				e.err_msg = strdup(rest);
			} else if (e.n_warn < 32) {
				e.warn_col[e.n_warn] = col;
				e.warn_msg[e.n_warn++] = strdup(rest);
			}
		} else if (line[0] == 'h' && line[1] == ' ') {
			e.hint = strdup(line + 2);
		} else {
			ok(0, "query-%s:%d unknown line: %s", base, lineno, line);
		}
	}
	expect_free(&e);
	fclose(f);
	return n_cases;
}

static void run_case_files(void)
{
	char dir[4096], path[8192];
	char *names[256];
	int n, i, total = 0;

	n = cases_list("query/parse", dir, sizeof dir, names, 256);
	if (!ok(n >= 0, "query-1.0 case directory %s exists", dir))
		return;
	for (i = 0; i < n; i++) {
		int k;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		k = run_file(path, names[i]);
		ok(k > 0, "query-1.1 %s has cases (%d)", names[i], k);
		total += k > 0 ? k : 0;
		free(names[i]);
	}
	ok(total >= 100, "query-1.2 at least 100 cases in all (%d)", total);
}

/* ---- what a case file cannot say ---- */

static struct query *parse_ok(const char *q, unsigned flags)
{
	struct query *qq = NULL;
	struct horch_err err;

	if (query_parse(&qq, q, strlen(q), flags, NULL, &err))
		diag("  parse of \"%s\" failed: %s (col %ld)", q, err.msg, err.col);
	return qq;
}

static void test_error_format(void)
{
	const char *q = "dell AND laptop OR notebook";
	struct query *qq = (struct query *)1;
	struct query_diag d;
	struct horch_err err;
	struct buf out;
	int rc;

	query_diag_init(&d);
	buf_init(&out, BUF_NOLIMIT);
	rc = query_parse(&qq, q, strlen(q), 0, &d, &err);
	is_int(rc, HORCH_EPARSE, "query-2.1 mixed AND and OR is a parse error");
	ok(qq == NULL, "query-2.2 *out is NULL on error");
	is_int(err.col, 10, "query-2.3 the column of the spec's example");
	query_format_error(q, strlen(q), &err, d.hint, &out);
	is_str(out.ptr,
	       "error: AND and OR are mixed without brackets (col 10)\n"
	       "  dell AND laptop OR notebook\n"
	       "           ^\n"
	       "  hint: write  dell AND (laptop OR notebook)\n",
	       "query-2.4 the spec's four-line error, byte for byte");

	/* the caret counts characters, not bytes */
	buf_reset(&out);
	q = "\"münchen\" AND \"";
	rc = query_parse(&qq, q, strlen(q), 0, &d, &err);
	is_int(err.col, 16, "query-2.5 unclosed phrase after an umlaut: byte column");
	query_format_error(q, strlen(q), &err, d.hint, &out);
	is_str(out.ptr,
	       "error: phrase is not closed (col 16)\n"
	       "  \"münchen\" AND \"\n"
	       "                ^\n"
	       "  hint: close it with \"\n",
	       "query-2.6 caret under the character, umlaut counted once");

	/* a long query shows a window around the column */
	{
		struct buf big;
		size_t i;

		buf_init(&big, BUF_NOLIMIT);
		for (i = 0; i < 100; i++)
			buf_puts(&big, "word AND ");
		buf_puts(&big, "x OR y");
		buf_reset(&out);
		rc = query_parse(&qq, big.ptr, big.len, 0, &d, &err);
		is_int(rc, HORCH_EPARSE, "query-2.7 long mixed query refused");
		query_format_error(big.ptr, big.len, &err, d.hint, &out);
		ok(strstr(out.ptr, "  ...") != NULL && strstr(out.ptr, "x OR y") != NULL,
		   "query-2.8 long query: a window with ... around the place");
		{
			/* the caret stands under the 'x' */
			const char *l2 = strchr(out.ptr, '\n') + 1;
			const char *l3 = strchr(l2, '\n') + 1;
			const char *x = strstr(l2, "x OR y");
			const char *caret = strchr(l3, '^');

			is_int(caret - l3, x - l2, "query-2.9 caret under the place in the window");
		}
		buf_cleanup(&big);
	}

	/* no hint: three lines */
	{
		struct horch_err e2 = { .code = HORCH_EPARSE, .line = 1, .col = 1 };

		snprintf(e2.msg, sizeof e2.msg, "x");
		buf_reset(&out);
		query_format_error("ab", 2, &e2, NULL, &out);
		is_str(out.ptr, "error: x (col 1)\n  ab\n  ^\n", "query-2.10 no hint, no hint line");
	}
	/* a warning */
	{
		q = "dell laptop";
		qq = NULL;
		rc = query_parse(&qq, q, strlen(q), 0, &d, &err);
		is_int(rc, 0, "query-2.11 implicit AND parses");
		is_int((long)d.n_warn, 1, "query-2.12 one warning");
		buf_reset(&out);
		if (d.n_warn)
			query_format_warning(q, strlen(q), &d.warn[0], &out);
		is_str(out.ptr, "warning: implicit AND before 'laptop': write AND (col 6)\n"
		       "  dell laptop\n       ^\n", "query-2.13 the warning's form");
		query_free(qq);
	}
	buf_cleanup(&out);
	query_diag_cleanup(&d);
}

static void test_tree(void)
{
	struct query *q;
	const struct qnode *n;

	q = parse_ok("{XPS}", 0);
	ok(q != NULL, "query-3.1 exact term parses");
	if (q) {
		n = q->root;
		ok(n->kind == QN_TERM && (n->flags & QN_F_EXACT), "query-3.2 exact flag");
		is_str(n->exact, "XPS", "query-3.3 exact bytes kept");
		is_str(n->fold, "xps", "query-3.4 fold beside them for the index");
		is_int(n->off, 0, "query-3.5 offset");
		is_int(n->end, 5, "query-3.6 end");
	}
	query_free(q);

	q = parse_ok("customi*ation", 0);
	if (q) {
		n = q->root;
		ok(n->kind == QN_TERM && (n->flags & QN_F_WILDCARD), "query-3.7 wildcard flag");
		is_str(n->fold, "customi*ation", "query-3.8 pattern");
		is_int(n->prefix_len, 7, "query-3.9 literal prefix length");
	} else {
		ok(0, "query-3.7 wildcard parses");
	}
	query_free(q);

	q = parse_ok("Straße?", 0);
	if (q) {
		is_str(q->root->fold, "strasse?", "query-3.10 wildcard parts folded, ß to ss");
		is_int(q->root->prefix_len, 7, "query-3.11 prefix of the folded part");
	} else {
		ok(0, "query-3.10 wildcard parses");
	}
	query_free(q);

	q = parse_ok("dell NEAR/5f #xps", 0);
	if (q) {
		n = q->root;
		ok(n->kind == QN_NEAR && n->dist == 5 && (n->flags & QN_F_ORDERED) && n->n_kids == 2,
		   "query-3.12 NEAR/5f node");
		ok(n->kids[1]->kind == QN_TERM && n->kids[1]->form == QFORM_HASHTAG,
		   "query-3.13 hashtag form");
		is_int(n->kids[1]->off, 13, "query-3.14 column of the second operand");
	} else {
		ok(0, "query-3.12 NEAR parses");
	}
	query_free(q);

	q = parse_ok("rating:[1 TO 2] AND dell", 0);
	if (q) {
		n = q->root->kids[0];
		ok(n->kind == QN_RANGE && n->field == QF_RATING && n->lo == 1 && n->hi == 2,
		   "query-3.15 range node");
		is_int((long)query_n_terms(q), 2, "query-3.16 terms counted");
	} else {
		ok(0, "query-3.15 range parses");
	}
	query_free(q);

	q = parse_ok("site:WWW.Dell.com", 0);
	if (q)
		is_str(q->root->fold, "dell.com", "query-3.17 site: lower case, www. removed");
	else
		ok(0, "query-3.17 site parses");
	query_free(q);
}

static void test_limits(void)
{
	struct buf b;
	struct query *q = NULL;
	struct horch_err err;
	size_t i;
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	/* 1000 terms pass, 1001 do not */
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%sw%zu", i ? " OR " : "", i);
	rc = query_parse(&q, b.ptr, b.len, 0, NULL, &err);
	is_int(rc, 0, "query-4.1 1,000 terms are accepted");
	query_free(q);
	q = NULL;
	buf_puts(&b, " OR last");
	rc = query_parse(&q, b.ptr, b.len, 0, NULL, &err);
	is_int(rc, HORCH_ETOOBIG, "query-4.2 1,001 terms are refused");
	ok(strstr(err.msg, "more than 1000 terms") != NULL, "query-4.3 message says the limit");
	is_int(err.col, (long)(b.len - 4 + 1), "query-4.4 column of the 1,001st term");

	/* 16 KiB */
	buf_reset(&b);
	while (b.len + 16 < QUERY_MAX_LEN - 4)
		buf_puts(&b, "<<< comment >>> ");
	while (b.len < QUERY_MAX_LEN - 4)
		buf_putc(&b, ' ');
	buf_puts(&b, "dell");
	is_int((long)b.len, QUERY_MAX_LEN, "query-4.5 a query of exactly 16 KiB");
	rc = query_parse(&q, b.ptr, b.len, 0, NULL, &err);
	is_int(rc, 0, "query-4.6 16 KiB are accepted");
	query_free(q);
	q = NULL;
	buf_putc(&b, 's');
	rc = query_parse(&q, b.ptr, b.len, 0, NULL, &err);
	is_int(rc, HORCH_ETOOBIG, "query-4.7 16 KiB + 1 is refused");
	is_int(err.col, QUERY_MAX_LEN + 1, "query-4.8 column just past the limit");

	/* nesting 64 and 65 */
	buf_reset(&b);
	for (i = 0; i < 64; i++)
		buf_putc(&b, '(');
	buf_puts(&b, "dell");
	for (i = 0; i < 64; i++)
		buf_putc(&b, ')');
	rc = query_parse(&q, b.ptr, b.len, 0, NULL, &err);
	is_int(rc, 0, "query-4.9 64 nested brackets are accepted");
	query_free(q);
	q = NULL;
	buf_reset(&b);
	for (i = 0; i < 65; i++)
		buf_putc(&b, '(');
	buf_puts(&b, "dell");
	for (i = 0; i < 65; i++)
		buf_putc(&b, ')');
	rc = query_parse(&q, b.ptr, b.len, 0, NULL, &err);
	is_int(rc, HORCH_ETOOBIG, "query-4.10 65 nested brackets are refused");
	is_int(err.col, 65, "query-4.11 at the 65th bracket");

	/* deep brackets never recurse without bound: 100,000 of them */
	buf_reset(&b);
	for (i = 0; i < 16000; i++)
		buf_putc(&b, '(');
	rc = query_parse(&q, b.ptr, b.len, 0, NULL, &err);
	is_int(rc, HORCH_ETOOBIG, "query-4.12 16,000 open brackets: refused, no crash");
	buf_cleanup(&b);
}

static void test_api(void)
{
	struct query *q = NULL;
	struct horch_err err;
	struct buf out;
	int rc;

	rc = query_parse(&q, "dell", 4, 0, NULL, NULL);
	is_int(rc, 0, "query-5.1 diag and err may be NULL");
	query_free(q);
	q = NULL;
	rc = query_parse(&q, "NOT dell", 8, 0, NULL, NULL);
	is_int(rc, HORCH_EPARSE, "query-5.2 the code without err");
	rc = query_parse(&q, "dell\0x", 6, 0, NULL, &err);
	is_int(rc, HORCH_EPARSE, "query-5.3 a NUL byte is refused");
	is_int(err.col, 5, "query-5.4 at its column");
	rc = query_parse(&q, "dell \xff", 6, 0, NULL, &err);
	is_int(rc, HORCH_EPARSE, "query-5.5 invalid UTF-8 is refused");
	is_int(err.col, 6, "query-5.6 at its column");
	rc = query_parse(&q, "", 0, 0, NULL, &err);
	is_int(rc, HORCH_EPARSE, "query-5.7 the empty query is refused");
	is_int(err.col, 1, "query-5.8 at column 1");
	query_free(NULL);
	query_diag_cleanup(NULL);
	ok(1, "query-5.9 query_free(NULL) and query_diag_cleanup(NULL)");

	/* print keeps what out held and respects its cap */
	q = parse_ok("dell AND laptop", 0);
	buf_init(&out, 8);
	buf_puts(&out, "x");
	rc = q ? query_print(q, &out) : -1;
	is_int(rc, HORCH_ETOOBIG, "query-5.10 print past the cap is too big");
	is_str(out.ptr, "x", "query-5.11 out left as it was");
	buf_cleanup(&out);
	query_free(q);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--dump") == 0) {
		unsigned flags = 0;
		int i = 2;

		if (i < argc && strcmp(argv[i], "--lenient") == 0)
			flags = QUERY_LENIENT, i++;
		for (; i < argc; i++)
			dump(argv[i], flags);
		return 0;
	}
	run_case_files();
	test_error_format();
	test_tree();
	test_limits();
	test_api();
	return tap_done();
}
