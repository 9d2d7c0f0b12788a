/* test_conf.c - the configuration file reader (src/core/conf.c): known
 * and unknown settings, the first error's line, a setting given twice,
 * syntax errors, and the typed getters with their bounds and units. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "tap.h"
#include "tmpdir.h"

static const char *const known[] = {
	"server.listen", "server.max_body", "server.cookie_secure", "pipeline.batch_ms",
	"stream.tick", "log.level", "alert *.signal", "alert *.topics", NULL,
};

/* Write text to a file of the temporary directory; its path. */
static const char *file(const char *name, const char *text)
{
	const char *p = tpath(name);
	FILE *f = fopen(p, "w");

	fputs(text, f);
	fclose(f);
	return p;
}

static int read_text(struct conf *c, const char *text, struct horch_err *err)
{
	memset(c, 0, sizeof *c);
	horch_err_clear(err);
	return conf_read(c, file("t.conf", text), known, err);
}

static void test_read(void)
{
	struct conf c;
	struct horch_err err;
	const char *s = NULL;

	is_int(read_text(&c, "; a comment\n[server]\nlisten = 127.0.0.1:9\n# another\n"
			 "max_body = 2k\n[log]\nlevel = debug\n", &err), 0, "conf-1.1 a good file reads");
	conf_str(&c, "server.listen", &s, &err);
	is_str(s, "127.0.0.1:9", "conf-1.2 a value");
	is_int(conf_get(&c, "log.level")->line, 7, "conf-1.3 with its line");
	ok(conf_get(&c, "stream.tick") == NULL, "conf-1.4 a setting not given is absent");
	conf_cleanup(&c);

	is_int(read_text(&c, "[server]\nlisten = x\nlistn = y\n[nope]\nfoo = 1\n", &err),
	       HORCH_EPARSE, "conf-2.1 an unknown setting is an error");
	ok(strstr(err.msg, ":3: unknown setting \"server.listn\"") != NULL,
	   "conf-2.2 the first one, named with its line: %s", err.msg);
	conf_cleanup(&c);
	is_int(read_text(&c, "[server]\nlisten = a\nlisten = b\n", &err), HORCH_EPARSE,
	       "conf-2.3 a setting given twice is an error");
	ok(strstr(err.msg, ":3:") && strstr(err.msg, "first on line 2"),
	   "conf-2.4 naming both lines: %s", err.msg);
	conf_cleanup(&c);
	is_int(read_text(&c, "listen = a\n", &err), HORCH_EPARSE,
	       "conf-2.5 a setting outside a section is an error");
	ok(strstr(err.msg, "[section]") != NULL, "conf-2.6 saying so: %s", err.msg);
	conf_cleanup(&c);
	is_int(read_text(&c, "[server\nlisten = a\n", &err), HORCH_EPARSE,
	       "conf-2.7 a broken section header is an error");
	is_int((int)err.line, 1, "conf-2.8 on its line");
	conf_cleanup(&c);
	memset(&c, 0, sizeof c);
	is_int(conf_read(&c, tpath("missing.conf"), known, &err), HORCH_EIO,
	       "conf-2.9 a missing file: HORCH_EIO");
	conf_cleanup(&c);
}

static void test_types(void)
{
	struct conf c;
	struct horch_err err;
	size_t z = 7;
	int64_t ms = 7;
	int b = 7;

	read_text(&c, "[server]\nmax_body = 16M\ncookie_secure = yes\n[pipeline]\nbatch_ms = 5s\n"
		  "[stream]\ntick = 250ms\n[log]\nlevel = loud\n", &err);
	is_int(conf_size(&c, "server.max_body", 1, (size_t)1 << 30, 1, &z, &err), 0,
	       "conf-3.1 a size with a unit");
	ok(z == 16u << 20, "conf-3.2 16M is 16 MiB");
	is_int(conf_bool(&c, "server.cookie_secure", &b, &err), 0, "conf-3.3 a boolean");
	is_int(b, 1, "conf-3.4 yes is true");
	is_int(conf_ms(&c, "pipeline.batch_ms", 1, 10000, &ms, &err), 0, "conf-3.5 a duration");
	ok(ms == 5000, "conf-3.6 5s is 5000 ms");
	conf_ms(&c, "stream.tick", 1, 10000, &ms, &err);
	ok(ms == 250, "conf-3.7 250ms");
	is_int(conf_bool(&c, "log.level", &b, &err), HORCH_EINVAL, "conf-3.8 not a boolean");
	ok(strstr(err.msg, ":9: log.level: \"loud\" is not true or false") != NULL,
	   "conf-3.9 named with file, line and key: %s", err.msg);
	is_int(conf_size(&c, "server.max_body", 1, 1024, 1, &z, &err), HORCH_EINVAL,
	       "conf-3.10 a size over its bound");
	is_int(conf_ms(&c, "pipeline.batch_ms", 1, 1000, &ms, &err), HORCH_EINVAL,
	       "conf-3.11 a duration over its bound");
	z = 3;
	is_int(conf_size(&c, "stream.queue", 1, 10, 0, &z, &err), 0,
	       "conf-3.12 a setting not given leaves the value");
	ok(z == 3, "conf-3.13 as it was");
	conf_cleanup(&c);
	read_text(&c, "[pipeline]\nbatch_ms = 5 s\n[server]\nmax_body = -1\n", &err);
	is_int(conf_ms(&c, "pipeline.batch_ms", 1, 10000, &ms, &err), HORCH_EINVAL,
	       "conf-3.14 a duration with a space before its unit is refused");
	is_int(conf_size(&c, "server.max_body", 0, 100, 1, &z, &err), HORCH_EINVAL,
	       "conf-3.15 a negative size is refused");
	conf_cleanup(&c);
}

static void test_named(void)
{
	struct conf c;
	struct horch_err err;

	memset(&c, 0, sizeof c);
	conf_cleanup(&c);
	is_int(read_text(&c, "[alert buzz]\nsignal = spike\ntopics = a, b\n[alert quiet one]\n"
			 "signal = shift\n", &err), 0, "conf-9.1 named sections [alert NAME]");
	is_str(conf_get(&c, "alert buzz.topics") ? conf_get(&c, "alert buzz.topics")->value : "",
	       "a, b", "conf-9.2 keyed by the section's whole name");
	is_str(conf_get(&c, "alert quiet one.signal") ? conf_get(&c, "alert quiet one.signal")->value
	       : "", "shift", "conf-9.3 a name with a space");
	conf_cleanup(&c);
	is_int(read_text(&c, "[alert]\nsignal = spike\n", &err), HORCH_EPARSE,
	       "conf-9.4 [alert] without a name is unknown");
	conf_cleanup(&c);
	is_int(read_text(&c, "[alert x]\nsignl = spike\n", &err), HORCH_EPARSE,
	       "conf-9.5 a typo in a named section is an error");
	ok(strstr(err.msg, "unknown setting \"alert x.signl\"") != NULL, "conf-9.6 named: %s",
	   err.msg);
	conf_cleanup(&c);
	is_int(read_text(&c, "[alerts x]\nsignal = spike\n", &err), HORCH_EPARSE,
	       "conf-9.7 another kind of section is not taken for it");
	conf_cleanup(&c);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/horch-test-conf-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_read();
	test_named();
	test_types();
	remove_tmpdir();
	return tap_done();
}
