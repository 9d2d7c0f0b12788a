/* fuzz_conf.c - libFuzzer target for the configuration file reader
 * (src/core/conf.c on libinih): horch.conf.
 *
 * The input is written to a file and read with the keys of horch serve
 * (a few of them); then every typed getter runs on every key.  A success
 * must hold only known keys, each once; an error must have a message.  A
 * broken rule aborts.  Corpus: tests/fuzz/corpus/conf. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const known[] = {
	"server.listen", "server.max_body", "server.cookie_secure", "pipeline.batch_ms",
	"stream.tick", "log.level", NULL,
};

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_conf: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct conf c = { 0 };
	struct horch_err err;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fuzz_conf.%ld.ini", (long)getpid());
	if (!(f = fopen(path, "wb")))
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	horch_err_clear(&err);
	if (conf_read(&c, path, known, &err) != 0) {
		if (!err.msg[0])
			fail("an error without a message");
	} else {
		for (size_t i = 0; i < c.n; i++) {
			size_t k, n = 0;

			for (k = 0; known[k]; k++)
				if (strcmp(known[k], c.items[i].key) == 0)
					break;
			if (!known[k])
				fail("an unknown key was kept");
			for (size_t j = 0; j < c.n; j++)
				n += strcmp(c.items[j].key, c.items[i].key) == 0;
			if (n != 1)
				fail("a key kept twice");
		}
		for (size_t k = 0; known[k]; k++) {
			const char *s = NULL;
			int b = 0;
			size_t z = 0;
			int64_t ms = 0;

			horch_err_clear(&err);
			conf_str(&c, known[k], &s, &err);
			conf_bool(&c, known[k], &b, &err);
			conf_size(&c, known[k], 1, (size_t)1 << 30, 1, &z, &err);
			conf_ms(&c, known[k], 1, 3600000, &ms, &err);
			if (z > ((size_t)1 << 30) || ms < 0 || ms > 3600000)
				fail("a value outside its bounds");
		}
	}
	conf_cleanup(&c);
	return 0;
}
