/* fuzz_series.c - libFuzzer target for the CSV series of `horch eval
 * spikes` (src/signal/series.c): "timestamp,value" then rows.
 *
 * On success the rows must number at least one and at most the cap, in
 * strictly ascending time, with finite values >= 0; on failure the error
 * must have a message and a line within the input.  A broken rule aborts.
 * Corpus: tests/fuzz/corpus/series. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "signal/signal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_series: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct signal_series s = { 0 };
	struct horch_err err;
	size_t lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	horch_err_clear(&err);
	if (signal_series_parse(&s, "fuzz.csv", (const char *)data, size, &err) != 0) {
		if (!err.msg[0])
			fail("an error without a message");
		if (err.line < 0 || (size_t)err.line > lines)
			fail("an error line outside the input");
	} else {
		if (s.n == 0 || s.n > SIGNAL_SERIES_MAX_ROWS)
			fail("a row count outside its bounds");
		for (size_t i = 0; i < s.n; i++) {
			if (!isfinite(s.v[i]) || s.v[i] < 0)
				fail("a value that is not a count");
			if (i && s.t[i] <= s.t[i - 1])
				fail("times not ascending");
		}
	}
	signal_series_cleanup(&s);
	return 0;
}
