/* fuzz_rule.c - libFuzzer target for the two readers of alert rules
 * (src/alert/rules.c): alert_rule_from_json(), the body of POST
 * /api/alert-rules, and alert_rules_from_conf(), the [alert NAME] sections
 * of horch.conf.
 *
 * An input that starts with '{' is JSON text: parsed by jansson and read as
 * a rule.  Any other input is an INI file: written to a file, read by
 * conf_read() with the keys of the [alert NAME] sections (and two of
 * [server] and [log], which the rules must pass over), then read as rules.
 *
 * The rules checked on every rule read: its values are within the bounds
 * rules.c promises (name, signal, threshold, spans, quiet hours, severity,
 * webhook, e-mail, lists); alert_rule_quiet() is quiet for exactly the
 * minutes between quiet_from and quiet_to; alert_rule_covers() covers each
 * of its topics and products; and the rule round-trips: its JSON
 * (alert_rule_json(), the form the API stores in the database and reads
 * back) is valid JSON that reads back into a rule whose JSON is the same
 * bytes.  A configuration read must give one rule per [alert NAME] section
 * with settings, in the file's order, named after it, and must fail when a
 * value or a section name is not UTF-8; an error must have a message (a
 * configuration's naming the file).  A broken rule aborts.
 * Corpus: tests/fuzz/corpus/rule, dictionary: tests/fuzz/rule.dict. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert/alert.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/utf8.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The longest span a rule holds (10^10 s, as rules.c caps it), in ms. */
#define SPAN_MAX_MS 10000000000000LL

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_rule: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

static int valid_utf8(const char *s)
{
	size_t i = 0, len = strlen(s);

	while (i < len) {
		uint32_t cp;
		size_t k = horch_utf8_decode((const unsigned char *)s + i, len - i, &cp);

		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

static void check_list(char *const *v, size_t n, const char *what)
{
	if (n && !v)
		fail("a list without its array", what);
	for (size_t i = 0; i < n; i++)
		if (!v[i] || !v[i][0] || !valid_utf8(v[i]))
			fail("a list item empty or not UTF-8", what);
}

/* The bounds of every field of a rule read. */
static void check_rule(const struct alert_rule *r)
{
	int n_quiet = 0, want;

	if (!r->name || !r->name[0] || store_name_problem(r->name, strlen(r->name)))
		fail("a rule without a proper name", r->name);
	if (!alert_signal_name(r->signal))
		fail("a signal out of range", r->name);
	if (!(r->threshold >= 0 && r->threshold <= 100) ||
	    (r->signal == ALERT_SPIKE && r->threshold > 1))
		fail("a threshold out of range", r->name);
	if (r->min_reviews < 1 || r->min_reviews > 1000000)
		fail("min_reviews out of range", r->name);
	if (!(r->min_priority >= 0 && r->min_priority <= 100))
		fail("min_priority out of range", r->name);
	if (r->window_ms < 1000 || r->window_ms > SPAN_MAX_MS || r->cooldown_ms < 0 ||
	    r->cooldown_ms > SPAN_MAX_MS || r->sla_ms < 1000 || r->sla_ms > SPAN_MAX_MS)
		fail("a span out of range", r->name);
	if ((r->quiet_from < 0) != (r->quiet_to < 0) || r->quiet_from < -1 ||
	    r->quiet_from >= 1440 || r->quiet_to < -1 || r->quiet_to >= 1440)
		fail("quiet hours out of range", r->name);
	if (!r->severity || (strcmp(r->severity, "info") && strcmp(r->severity, "warning") &&
			     strcmp(r->severity, "critical")))
		fail("a severity not info, warning or critical", r->name);
	if (r->webhook && strncmp(r->webhook, "http://", 7) && strncmp(r->webhook, "https://", 8))
		fail("a webhook that is no http(s) URL", r->webhook);
	if (r->email && (!strchr(r->email, '@') || strpbrk(r->email, "\r\n<>")))
		fail("an e-mail address without '@' or with a line break", r->email);
	if ((unsigned)r->format > DELIVER_TEAMS)
		fail("a webhook format out of range", r->name);
	check_list(r->topics, r->n_topics, "topics");
	check_list(r->products, r->n_products, "products");
	check_list(r->recipients, r->n_recipients, "recipients");

	/* Quiet hours may wrap midnight; from == to is never quiet. */
	for (int m = 0; m < 1440; m++)
		n_quiet += alert_rule_quiet(r, m) != 0;
	want = r->quiet_from < 0 ? 0 : (r->quiet_to - r->quiet_from + 1440) % 1440;
	if (n_quiet != want)
		fail("alert_rule_quiet() is quiet for the wrong number of minutes", r->name);
	for (size_t i = 0; i < r->n_topics; i++)
		if (!alert_rule_covers(r, r->topics[i], 0))
			fail("a rule does not cover its own topic", r->topics[i]);
	for (size_t i = 0; i < r->n_products; i++)
		if (!alert_rule_covers(r, r->products[i], 1))
			fail("a rule does not cover its own product", r->products[i]);
	if (!r->n_topics && !alert_rule_covers(r, "any topic", 0))
		fail("a rule without topics does not cover every topic", r->name);
}

/* Write r as JSON, read that back, write it again: the same bytes. */
static void check_round_trip(const struct alert_rule *r)
{
	struct alert_rule back;
	struct horch_err err;
	struct buf b1, b2;
	json_error_t jerr;
	json_t *o;

	buf_init(&b1, BUF_NOLIMIT);
	buf_init(&b2, BUF_NOLIMIT);
	alert_rule_json(&b1, r);
	if (!(o = json_loadb(b1.ptr, b1.len, 0, &jerr)))
		fail("alert_rule_json() wrote no valid JSON", b1.ptr);
	memset(&back, 0, sizeof back);
	horch_err_clear(&err);
	if (alert_rule_from_json(&back, o, &err) != 0) {
		fprintf(stderr, "fuzz_rule: %s\n", err.msg);
		fail("a rule's own JSON does not read back", b1.ptr);
	}
	back.origin = r->origin;
	check_rule(&back);
	alert_rule_json(&b2, &back);
	if (b1.len != b2.len || memcmp(b1.ptr, b2.ptr, b1.len) != 0) {
		fprintf(stderr, "fuzz_rule: first  %s\nfuzz_rule: second %s\n", b1.ptr, b2.ptr);
		fail("a rule's JSON changes when read back", NULL);
	}
	alert_rule_cleanup(&back);
	json_decref(o);
	buf_cleanup(&b1);
	buf_cleanup(&b2);
}

static void fuzz_json(const uint8_t *data, size_t size)
{
	struct alert_rule r;
	struct horch_err err;
	json_error_t jerr;
	json_t *o = json_loadb((const char *)data, size, 0, &jerr);

	if (!o)
		return;
	memset(&r, 0, sizeof r);
	horch_err_clear(&err);
	if (alert_rule_from_json(&r, o, &err) != 0) {
		if (err.code != HORCH_EINVAL || !err.msg[0])
			fail("an error that is not HORCH_EINVAL with a message", NULL);
	} else {
		if (r.origin != ALERT_ORIGIN_DEFAULT)
			fail("a rule read from JSON with an origin", r.name);
		check_rule(&r);
		check_round_trip(&r);
	}
	alert_rule_cleanup(&r);
	json_decref(o);
}

/* The keys conf_read() takes: the rules' and two others. */
static const char *const *conf_keys(void)
{
	static const char *all[64];

	if (!all[0]) {
		size_t n = 0;

		all[n++] = "server.listen";
		all[n++] = "log.level";
		for (size_t i = 0; alert_conf_keys[i] && n + 1 < sizeof all / sizeof all[0]; i++)
			all[n++] = alert_conf_keys[i];
		all[n] = NULL;
	}
	return all;
}

/* The length of the section part of an [alert NAME] item's key ("alert
 * NAME" of "alert NAME.key"), or 0 for another key. */
static size_t alert_section(const char *key)
{
	const char *dot = strrchr(key, '.');

	return strncmp(key, "alert ", 6) == 0 && dot ? (size_t)(dot - key) : 0;
}

static void fuzz_conf(const uint8_t *data, size_t size)
{
	static char path[64];
	struct conf c = { 0 };
	struct alert_rule *rules = (struct alert_rule *)1;
	struct horch_err err;
	size_t n = 12345, n_sections = 0;
	int bad_utf8 = 0;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fuzz_rule.%ld.ini", (long)getpid());
	if (!(f = fopen(path, "wb")))
		return;
	fwrite(data, 1, size, f);
	fclose(f);
	horch_err_clear(&err);
	if (conf_read(&c, path, conf_keys(), &err) != 0)
		goto out;
	/* The sections with settings, each once; their values and names must
	 * be UTF-8 (jansson would drop them). */
	for (size_t i = 0; i < c.n; i++) {
		size_t len = alert_section(c.items[i].key), j;

		if (!len)
			continue;
		if (!valid_utf8(c.items[i].key) || !valid_utf8(c.items[i].value))
			bad_utf8 = 1;
		for (j = 0; j < i; j++)
			if (alert_section(c.items[j].key) == len &&
			    strncmp(c.items[j].key, c.items[i].key, len) == 0)
				break;
		n_sections += j == i;
	}
	horch_err_clear(&err);
	if (alert_rules_from_conf(&c, &rules, &n, &err) != 0) {
		if (rules || n)
			fail("a failed read left rules", NULL);
		if (err.code != HORCH_EINVAL || strncmp(err.msg, path, strlen(path)) != 0)
			fail("an error that is not HORCH_EINVAL naming the file", err.msg);
		goto out;
	}
	if (bad_utf8)
		fail("a value or a section name that is not UTF-8 was taken", NULL);
	if (n != n_sections)
		fail("not one rule per [alert NAME] section", NULL);
	for (size_t i = 0, k = 0; i < c.n; i++) {
		size_t len = alert_section(c.items[i].key), j;

		if (!len)
			continue;
		for (j = 0; j < i; j++)
			if (alert_section(c.items[j].key) == len &&
			    strncmp(c.items[j].key, c.items[i].key, len) == 0)
				break;
		if (j < i)
			continue;
		/* A new section: the next rule, named after it. */
		if (strlen(rules[k].name) != len - 6 ||
		    memcmp(rules[k].name, c.items[i].key + 6, len - 6) != 0)
			fail("a rule not named after its section", rules[k].name);
		if (rules[k].origin != ALERT_ORIGIN_CONFIG)
			fail("a rule of the configuration without its origin", rules[k].name);
		check_rule(&rules[k]);
		check_round_trip(&rules[k]);
		k++;
	}
	alert_rules_free(rules, n);
out:
	conf_cleanup(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == '{')
		fuzz_json(data, size);
	else
		fuzz_conf(data, size);
	return 0;
}
