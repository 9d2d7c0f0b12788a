/* fuzz_html.c - libFuzzer target for text_html_to_text().
 *
 * The input is any bytes, parsed as HTML.  The call must return 0 or
 * HORCH_ETOOBIG (an output cap of 64 KiB is reached, or gumbo's memory or
 * CPU budget), never crash; on failure the output buffer must be as it was.
 * On success the text must have no white space at either end and never two
 * blank lines in a row, and it must survive text_normalise() and
 * text_tokenise() (the pipeline's next steps).  Corpus:
 * tests/fuzz/corpus/html, dictionary: tests/fuzz/html.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_html: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out, norm;
	struct tokens t;
	const char *p;
	int rc;

	buf_init(&out, 64 * 1024);
	buf_init(&norm, BUF_NOLIMIT);
	tokens_init(&t);
	buf_puts(&out, "<");
	rc = text_html_to_text(&out, (const char *)data, size);
	if (rc != 0 && rc != HORCH_ETOOBIG)
		fail("unexpected error code");
	if (out.len < 1 || out.ptr[0] != '<' || out.ptr[out.len] != '\0')
		fail("what was in the buffer is damaged");
	if (rc != 0) {
		if (out.len != 1)
			fail("a failed call left output behind");
		goto out;
	}
	p = out.ptr + 1;
	if (out.len > 1) {
		char first = p[0], last = out.ptr[out.len - 1];

		if (first == ' ' || first == '\n' || first == '\t' ||
		    last == ' ' || last == '\n' || last == '\t')
			fail("white space at an end of the text");
	}
	if (strstr(p, "\n\n\n"))
		fail("two blank lines in a row");
	if (text_normalise(&norm, p, out.len - 1, NULL) != 0)
		fail("text_normalise failed");
	if (text_tokenise(&t, norm.ptr ? norm.ptr : "", norm.len) != 0)
		fail("text_tokenise failed");
out:
	buf_cleanup(&out);
	buf_cleanup(&norm);
	tokens_cleanup(&t);
	return 0;
}
