/* embedded.h - files compiled into the binary by scripts/embed (SQL
 * migrations, later the dashboard's assets).  Read-only; any thread. */
#ifndef HORCH_EMBEDDED_H
#define HORCH_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;  /* base name of the source file */
	const char *data;  /* its bytes, followed by a NUL */
	size_t len;        /* byte length, not counting the NUL */
};

#endif
