/* fuzz_csv.c - libFuzzer target for the CSV reader of ingest/file.c.
 *
 * The first input byte picks the delimiter (, ; tab |) and whether a --map
 * is used; the rest is the file, read from memory through fmemopen() and
 * file_reader__open_stream() (no temporary file).  Every record is read to
 * the end.  Checked: a record that reads is valid (post_validate), every
 * failure has a message and a negative code, and line numbers never go
 * back.  Corpus: tests/fuzz/corpus/csv, dictionary: tests/fuzz/csv.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/post.h"
#include "ingest/ingest.h"
#include "ingest/ingest_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { ',', ';', '\t', '|' };
	static const char *canon[] = { "text", "external_id", "created_at" };
	static const char *input[] = { "body", "id", "when" };
	const struct post_map map = { 3, canon, input };
	struct file_opts opts = { 0 };
	struct file_reader *r = NULL;
	struct horch_err err;
	long last_line = 0;
	size_t n = 0;
	FILE *f;

	if (size < 2)
		return 0;
	opts.format = FILE_FORMAT_CSV;
	opts.delimiter = delims[data[0] & 3];
	opts.map = data[0] & 4 ? &map : NULL;
	opts.source = data[0] & 8 ? "fuzz" : NULL;
	f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;
	if (file_reader__open_stream(&r, f, "fuzz.csv", 1, &opts, &err) != 0) {
		if (err.msg[0] == '\0' || err.code >= 0)
			abort();
		return 0;
	}
	for (;;) {
		struct post p;
		int rc;

		post_init(&p);
		horch_err_clear(&err);
		rc = file_reader_next(r, &p, &err);
		if (rc == 0)
			break;
		if (err.line < last_line || err.line < 1) {
			fprintf(stderr, "line went from %ld to %ld\n", last_line, err.line);
			abort();
		}
		last_line = err.line;
		if (rc == 1) {
			struct horch_err verr;

			if (post_validate(&p, &verr) != 0)
				abort();
			post_cleanup(&p);
		} else if (rc < 0) {
			if (err.msg[0] == '\0' || rc == HORCH_EIO)
				abort();
		} else {
			abort();
		}
		if (++n > size + 2)
			abort();  /* more records than bytes: the reader is stuck */
	}
	if (file_reader_offset(r) != size - 1)
		abort();
	file_reader_close(r);
	return 0;
}
