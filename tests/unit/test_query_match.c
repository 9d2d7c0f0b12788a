/* test_query_match.c - the reference evaluator and the matcher against the
 * case files.
 *
 * Every case file of tests/cases/query/match/ (the format is at the top of
 * each file and in run_file() below) is a query, posts, and for each post
 * whether the query matches it and with which spans.  They pin down
 * query_ref_match() (tests/unit/query_ref.c), the oracle the matcher is
 * checked against, rule by rule of docs/query-language.md.  Each file's
 * queries are then compiled into one matcher (src/query/match.h), and every
 * post is matched against all of them at once, with and without the
 * presearch index: the case's own topic must give the same line.  This file
 * then checks the reference's API edges that a case file cannot state.
 *
 *   test_query_match                      run the tests (TAP)
 *   test_query_match --dump QUERY JSON    print the result line for a post */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "cases.h"
#include "query_ref.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/post.h"
#include "query/match.h"
#include "query/query.h"

/* Append the result line of a query_ref_match() outcome to out: "match"
 * and the spans, or "nomatch", or "error N". */
static void result_line(struct buf *out, int rc, const struct query_ref_spans *s)
{
	size_t i;

	if (rc < 0) {
		buf_printf(out, "error %d", rc);
		return;
	}
	if (rc == 0) {
		buf_puts(out, "nomatch");
		return;
	}
	buf_puts(out, "match");
	for (i = 0; i < s->n; i++)
		buf_printf(out, " %s:%u+%u", s->v[i].part == QUERY_REF_TITLE ? "title" : "text",
			   (unsigned)s->v[i].off, (unsigned)s->v[i].len);
}

/* Run query q against post JSON json and compare the result line with
 * want.  name names the check. */
static void run_case(const char *name, const struct query *q, const char *json,
		     const char *want)
{
	struct post p;
	struct horch_err err;
	struct query_ref_spans spans;
	struct buf got;

	post_init(&p);
	if (!ok(post_from_json(&p, json, strlen(json), NULL, &err) == 0, "%s post parses", name)) {
		diag("  %s", err.msg);
		return;
	}
	query_ref_spans_init(&spans);
	buf_init(&got, BUF_NOLIMIT);
	result_line(&got, query_ref_match(q, &p, &spans), &spans);
	is_str(got.ptr, want, "%s", name);
	buf_cleanup(&got);
	query_ref_spans_cleanup(&spans);
	post_cleanup(&p);
}

/* One post check of a case file, kept for the matcher. */
struct check {
	size_t topic; /* index of the case's query in the file's list */
	int lineno;   /* of the result line */
	char *post;   /* the post's JSON */
	char *want;   /* the result line */
};

/* What one case file gives the matcher: its queries and its checks. */
struct file_cases {
	struct query **q; /* NULL where a query did not parse */
	char **text;      /* each query as written */
	size_t n_q, cap_q;
	struct check *c;
	size_t n_c, cap_c;
};

/* Append the result line of topic id in matcher result r to out, in the
 * form of result_line(). */
static void matcher_line(struct buf *out, const struct match_result *r, int64_t id)
{
	size_t h;
	uint32_t i;

	for (h = 0; h < r->n && r->hits[h].topic != id; h++)
		;
	if (h == r->n) {
		buf_puts(out, "nomatch");
		return;
	}
	buf_puts(out, "match");
	for (i = 0; i < r->hits[h].n_spans; i++) {
		const struct match_span *sp = &r->spans[r->hits[h].span0 + i];

		buf_printf(out, " %s:%u+%u", sp->part == MATCH_TITLE ? "title" : "text",
			   (unsigned)sp->off, (unsigned)sp->len);
	}
}

/* Compile every query of file fc into one matcher (topic id = the query's
 * index) and run each check through it, with the presearch index and with
 * MATCH_EVERY.  base names the file. */
static void run_matcher(const struct file_cases *fc, const char *base)
{
	struct matcher_topic *t = horch_xcalloc(fc->n_q + 1, sizeof *t);
	struct matcher *m = NULL;
	struct match_doc *d = match_doc_new();
	struct match_result r;
	struct horch_err err;
	struct buf got;
	size_t i, n = 0;

	match_result_init(&r);
	buf_init(&got, BUF_NOLIMIT);
	for (i = 0; i < fc->n_q; i++) {
		if (!fc->q[i])
			continue;
		t[n].id = (int64_t)i;
		t[n].q = fc->q[i];
		n++;
	}
	if (!ok(matcher_build(&m, t, n, &err) == 0, "match-3.0 %s: one matcher of its %zu queries",
		base, n)) {
		diag("  %s", err.msg);
		goto out;
	}
	for (i = 0; i < fc->n_c; i++) {
		const struct check *c = &fc->c[i];
		unsigned pass;
		struct post p;

		if (!fc->q[c->topic])
			continue;
		post_init(&p);
		if (post_from_json(&p, c->post, strlen(c->post), NULL, &err) != 0 ||
		    match_doc_set(d, &p) != 0) {
			ok(0, "match-%s:%d (matcher) post prepared", base, c->lineno);
			post_cleanup(&p);
			continue;
		}
		for (pass = 0; pass < 2; pass++) {
			matcher_match(m, d, (pass ? MATCH_SPANS | MATCH_EVERY : MATCH_SPANS) | MATCH_ORDERED, &r);
			buf_reset(&got);
			matcher_line(&got, &r, (int64_t)c->topic);
			is_str(got.ptr, c->want, "match-%s:%d (matcher%s) %s", base, c->lineno,
			       pass ? ", MATCH_EVERY" : "", fc->text[c->topic]);
		}
		post_cleanup(&p);
	}
out:
	matcher_free(m);
	match_doc_free(d);
	match_result_cleanup(&r);
	buf_cleanup(&got);
	free(t);
}

static void file_cases_cleanup(struct file_cases *fc)
{
	size_t i;

	for (i = 0; i < fc->n_q; i++) {
		query_free(fc->q[i]);
		free(fc->text[i]);
	}
	for (i = 0; i < fc->n_c; i++) {
		free(fc->c[i].post);
		free(fc->c[i].want);
	}
	free(fc->q);
	free(fc->text);
	free(fc->c);
}

/* Run the cases of one file; returns the number of post checks, or -1 when
 * the file cannot be opened.  Format:
 *   > QUERY        starts a case (the rest of the line, as written)
 *   lenient        parse in lenient mode (default: strict)
 *   p JSON         a post, one line of JSON (docs/post-format.md)
 *   match SPANS    the post before matches; SPANS are every span reported,
 *                  "title:OFF+LEN" or "text:OFF+LEN", space-separated, in
 *                  order (a match without spans is just "match")
 *   nomatch        the post before does not match
 *   a blank line ends the case; # starts a comment. */
static int run_file(const char *path, const char *base)
{
	FILE *f = fopen(path, "r");
	char line[20000], name[400];
	char *query = NULL, *post = NULL;
	unsigned flags = 0;
	struct query *q = NULL;
	struct file_cases fc;
	int lineno = 0, n = 0, parsed = 0;

	if (!f)
		return -1;
	memset(&fc, 0, sizeof fc);
	while (fgets(line, sizeof line, f)) {
		size_t len = strlen(line);

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (line[0] == '#')
			continue;
		if (len == 0) {
			q = NULL;
			free(query);
			query = NULL;
			parsed = 0;
			flags = 0;
			continue;
		}
		if (line[0] == '>' && line[1] == ' ') {
			free(query);
			q = NULL;
			parsed = 0;
			query = strdup(line + 2);
			continue;
		}
		if (!query) {
			ok(0, "match-%s:%d line outside a case", base, lineno);
			continue;
		}
		if (strcmp(line, "lenient") == 0) {
			flags |= QUERY_LENIENT;
			continue;
		}
		if (line[0] == 'p' && line[1] == ' ') {
			free(post);
			post = strdup(line + 2);
			continue;
		}
		if (strcmp(line, "nomatch") != 0 && strncmp(line, "match", 5) != 0) {
			ok(0, "match-%s:%d unknown line: %s", base, lineno, line);
			continue;
		}
		snprintf(name, sizeof name, "match-%s:%d %s", base, lineno, query);
		if (!parsed) {
			struct horch_err err;

			parsed = 1;
			if (query_parse(&q, query, strlen(query), flags, NULL, &err) != 0) {
				ok(0, "%s parses", name);
				diag("  col %ld: %s", err.col, err.msg);
			}
			/* the file's list owns the query from now on (NULL if refused) */
			fc.q = horch_xgrow(fc.q, &fc.cap_q, fc.n_q + 1, sizeof *fc.q);
			fc.text = horch_xrealloc(fc.text, fc.cap_q * sizeof *fc.text);
			fc.q[fc.n_q] = q;
			fc.text[fc.n_q] = horch_xstrdup(query);
			fc.n_q++;
		}
		if (!post) {
			ok(0, "%s has no post", name);
			continue;
		}
		if (q) {
			struct check *c;

			run_case(name, q, post, line);
			fc.c = horch_xgrow(fc.c, &fc.cap_c, fc.n_c + 1, sizeof *fc.c);
			c = &fc.c[fc.n_c++];
			c->topic = fc.n_q - 1;
			c->lineno = lineno;
			c->post = post;
			c->want = horch_xstrdup(line);
		} else {
			free(post);
		}
		post = NULL;
		n++;
	}
	free(query);
	free(post);
	fclose(f);
	run_matcher(&fc, base);
	file_cases_cleanup(&fc);
	return n;
}

static void run_case_files(void)
{
	char dir[4096], path[8192];
	char *names[256];
	int n, i, total = 0;

	n = cases_list("query/match", dir, sizeof dir, names, 256);
	if (!ok(n >= 0, "match-1.0 case directory %s exists", dir))
		return;
	for (i = 0; i < n; i++) {
		int k;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		k = run_file(path, names[i]);
		ok(k > 0, "match-1.1 %s has cases (%d)", names[i], k);
		total += k > 0 ? k : 0;
		free(names[i]);
	}
	ok(total >= 150, "match-1.2 at least 150 post checks in all (%d)", total);
}

/* The API's edges: spans may be NULL, old spans are replaced, a miss
 * leaves the list empty. */
static void test_api(void)
{
	struct query *q = NULL;
	struct horch_err err;
	struct post p;
	struct query_ref_spans s;
	const char *json = "{\"source\":\"rss\",\"external_id\":\"1\",\"title\":\"Dell\","
			   "\"text\":\"a dell\"}";

	post_init(&p);
	query_ref_spans_init(&s);
	if (!ok(query_parse(&q, "dell", 4, 0, NULL, &err) == 0, "match-2.0 query parses") ||
	    !ok(post_from_json(&p, json, strlen(json), NULL, &err) == 0, "match-2.0 post parses"))
		goto out;
	is_int(query_ref_match(q, &p, NULL), 1, "match-2.1 spans may be NULL");
	is_int(query_ref_match(q, &p, &s), 1, "match-2.2 a match");
	is_int(s.n, 2, "match-2.2 two spans");
	is_int(s.v[0].part, QUERY_REF_TITLE, "match-2.2 title first");
	is_int(s.v[1].off, 2, "match-2.2 text offset");
	is_int(query_ref_match(q, &p, &s), 1, "match-2.3 again");
	is_int(s.n, 2, "match-2.3 the spans are replaced, not appended");
	query_free(q);
	q = NULL;
	if (!ok(query_parse(&q, "hp", 2, 0, NULL, &err) == 0, "match-2.4 query parses"))
		goto out;
	is_int(query_ref_match(q, &p, &s), 0, "match-2.4 a miss");
	is_int(s.n, 0, "match-2.4 a miss leaves no spans");
out:
	query_free(q);
	post_cleanup(&p);
	query_ref_spans_cleanup(&s);
}

/* --dump QUERY JSON: the result line, to write a case (read it first). */
static int dump_main(int argc, char **argv)
{
	struct query *q = NULL;
	struct horch_err err;
	struct post p;
	struct query_ref_spans s;
	struct buf out;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: test_query_match --dump QUERY JSON\n");
		return 2;
	}
	if (query_parse(&q, argv[2], strlen(argv[2]), 0, NULL, &err)) {
		fprintf(stderr, "query: col %ld: %s\n", err.col, err.msg);
		return 1;
	}
	post_init(&p);
	if (post_from_json(&p, argv[3], strlen(argv[3]), NULL, &err)) {
		fprintf(stderr, "post: %s\n", err.msg);
		query_free(q);
		return 1;
	}
	query_ref_spans_init(&s);
	buf_init(&out, BUF_NOLIMIT);
	rc = query_ref_match(q, &p, &s);
	result_line(&out, rc, &s);
	printf("%s\n", out.ptr);
	buf_cleanup(&out);
	query_ref_spans_cleanup(&s);
	post_cleanup(&p);
	query_free(q);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--dump") == 0)
		return dump_main(argc, argv);
	run_case_files();
	test_api();
	return tap_done();
}
