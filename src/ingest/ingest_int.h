/* ingest_int.h - what the files of the ingest module (and its tests and
 * fuzz targets) share beyond ingest.h.
 *
 * Not for use outside src/ingest/, tests/unit/test_file.c and
 * tests/fuzz/fuzz_csv.c. */
#ifndef HORCH_INGEST_INT_H
#define HORCH_INGEST_INT_H

#include <stdio.h>

#include "ingest.h"

/* Bytes the file reader asks fread() for at a time.  Records and lines
 * that cross a block boundary are stitched together; the tests place one
 * there on purpose.  A build may define a tiny block (-DFILE_READ_BLOCK=7)
 * to fuzz the stitching. */
#ifndef FILE_READ_BLOCK
#define FILE_READ_BLOCK 65536
#endif

/* Most columns a CSV header may have. */
#define FILE_CSV_MAX_COLUMNS 4096

/* As file_reader_open(), on a stream that is already open: name is used in
 * messages, and fp is closed by file_reader_close() (and on failure here)
 * when own is set.  opts->format must not be FILE_FORMAT_AUTO (there is no
 * file name to guess from); AUTO reads JSON Lines.  This lets the fuzz
 * target read from fmemopen() without a file. */
int file_reader__open_stream(struct file_reader **out, FILE *fp, const char *name, int own,
			     const struct file_opts *opts, struct horch_err *err);

#endif
