/* cmd_topic.c - `horch topic SUBCOMMAND`: working with topic queries.
 *
 * Today one subcommand: `lint`, which checks a query against the rules of
 * the topic language (docs/query-language.md) without saving anything:
 * errors with the column, a caret and a hint, lint warnings, and the
 * canonical form of a valid query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../core/buf.h"
#include "../query/query.h"

/* Read the whole query from standard input, at most QUERY_MAX_LEN + 1
 * bytes (one more lets the parser report the limit). */
static int read_stdin(struct buf *b, const struct cli_args *a)
{
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		if (b->len + n > QUERY_MAX_LEN + 1)
			n = QUERY_MAX_LEN + 1 - b->len;
		buf_append(b, chunk, n);
		if (b->len > QUERY_MAX_LEN)
			break;
	}
	if (ferror(stdin)) {
		cli_error(a, "cannot read the query from standard input");
		return EXIT_RUNTIME;
	}
	/* A trailing line break is the shell's, not the query's. */
	while (b->len && (b->ptr[b->len - 1] == '\n' || b->ptr[b->len - 1] == '\r'))
		b->ptr[--b->len] = '\0';
	return 0;
}

static int lint(struct cli_args *a, const char *src, size_t len)
{
	struct query_diag diag;
	struct horch_err err;
	struct query *q = NULL;
	struct buf out;
	unsigned flags = cli_flag(a, "lenient") ? QUERY_LENIENT : 0;
	int json = cli_flag(a, "json"), rc;

	query_diag_init(&diag);
	buf_init(&out, BUF_NOLIMIT);
	horch_err_clear(&err);
	rc = query_parse(&q, src, len, flags, &diag, &err);
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

int cmd_topic(struct cli_args *a)
{
	const char *sub = a->pos[0];
	struct buf in;
	int rc;

	if (strcmp(sub, "lint") != 0) {
		cli_error(a, "unknown topic command '%s' (available: lint)", sub);
		return EXIT_USAGE;
	}
	if (a->n_pos != 2) {
		cli_error(a, "usage: horch topic lint [--lenient] [--json] QUERY (or - to read it "
			  "from standard input)");
		return EXIT_USAGE;
	}
	if (strcmp(a->pos[1], "-") != 0)
		return lint(a, a->pos[1], strlen(a->pos[1]));
	buf_init(&in, BUF_NOLIMIT);
	rc = read_stdin(&in, a);
	if (!rc)
		rc = lint(a, in.ptr ? in.ptr : "", in.len);
	buf_cleanup(&in);
	return rc;
}
