/* fuzz_query.c - libFuzzer target for the topic query parser.
 *
 * The input is any bytes, parsed in strict and in lenient mode.  A parse
 * must return 0 with a query, or a negative code with a message and a
 * column inside the query (or just past it); formatting the error must
 * work.  When a parse succeeds, the query is printed, the print is parsed
 * again in the same mode and must succeed and print the same (the
 * canonical form is a fixed point).  A broken rule aborts.  Corpus:
 * tests/fuzz/corpus/query, dictionary: tests/fuzz/query.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "query/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *a, const char *b)
{
	fprintf(stderr, "fuzz_query: %s\n  first:  %s\n  second: %s\n", what, a ? a : "",
		b ? b : "");
	abort();
}

static void one_mode(const char *src, size_t len, unsigned flags)
{
	struct query *q = NULL, *q2 = NULL;
	struct query_diag diag;
	struct horch_err err;
	struct buf out, again, msg;
	size_t i;
	int rc;

	query_diag_init(&diag);
	buf_init(&out, BUF_NOLIMIT);
	buf_init(&again, BUF_NOLIMIT);
	buf_init(&msg, BUF_NOLIMIT);
	rc = query_parse(&q, src, len, flags, &diag, &err);
	for (i = 0; i < diag.n_warn; i++) {
		if (diag.warn[i].col < 1 || (size_t)diag.warn[i].col > len + 1)
			fail("warning column outside the query", diag.warn[i].msg, NULL);
		if (query_format_warning(src, len, &diag.warn[i], &msg))
			fail("formatting a warning failed", diag.warn[i].msg, NULL);
	}
	if (rc) {
		if (rc >= 0 || q || !err.msg[0] || err.col < 1 || (size_t)err.col > len + 1)
			fail("a refused query has no proper error", err.msg, NULL);
		if (query_format_error(src, len, &err, diag.hint, &msg))
			fail("formatting an error failed", err.msg, NULL);
		goto out;
	}
	if (!q || query_print(q, &out))
		fail("print failed", NULL, NULL);
	rc = query_parse(&q2, out.ptr, out.len, flags, NULL, &err);
	if (rc)
		fail("the printed query does not parse", out.ptr, err.msg);
	if (query_print(q2, &again))
		fail("second print failed", out.ptr, NULL);
	if (strcmp(out.ptr, again.ptr) != 0)
		fail("the print is not a fixed point", out.ptr, again.ptr);
out:
	query_free(q);
	query_free(q2);
	query_diag_cleanup(&diag);
	buf_cleanup(&out);
	buf_cleanup(&again);
	buf_cleanup(&msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one_mode((const char *)data, size, 0);
	one_mode((const char *)data, size, QUERY_LENIENT);
	return 0;
}
