/* fuzz_topicfile.c - libFuzzer target for the topic-file reader of
 * `horch topic import` (src/cli/topicfile.c).
 *
 * The input is a whole file: lines of NAME<TAB>QUERY or JSON objects,
 * read in strict and in lenient mode.  Every problem must name a line of
 * the file and a column from 1 to one past the line's end; every good line
 * must come with a name the store would take, a query within its cap that
 * parses again (strictly: a lenient query is saved in canonical form), and
 * team and colour within theirs.  A broken rule aborts; ASan and UBSan
 * catch the rest, LeakSanitizer an entry not freed.  Corpus:
 * tests/fuzz/corpus/topicfile, dictionary: tests/fuzz/topicfile.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/topicfile.h"
#include "core/err.h"
#include "query/query.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The lines of the input, to check the places the reader reports. */
struct check {
	const uint8_t *data;
	size_t size;
	long n_lines;
	size_t n_entries, n_errors;
	long last_error_line;
};

static void fail(const char *what, long line, long col)
{
	fprintf(stderr, "fuzz_topicfile: %s (line %ld, col %ld)\n", what, line, col);
	abort();
}

/* The byte length of line (1-based) of the input, CR LF counted as the
 * reader counts it. */
static size_t line_len(const struct check *c, long line)
{
	size_t pos = 0, len;
	const uint8_t *nl;

	for (long i = 1; i < line; i++) {
		nl = memchr(c->data + pos, '\n', c->size - pos);
		pos = (size_t)(nl - c->data) + 1;
	}
	nl = memchr(c->data + pos, '\n', c->size - pos);
	len = nl ? (size_t)(nl - c->data) - pos : c->size - pos;
	if (len && c->data[pos + len - 1] == '\r')
		len--;
	return len;
}

static void on_problem(void *ctx, long line, long col, const char *kind, const char *msg)
{
	struct check *c = ctx;

	if (line < 1 || line > c->n_lines)
		fail("a problem on a line the file does not have", line, col);
	if (col < 1 || (size_t)col > line_len(c, line) + 1)
		fail("a column outside the line", line, col);
	if (!msg || !*msg)
		fail("a problem without a message", line, col);
	if (strcmp(kind, "error") == 0) {
		if (line == c->last_error_line)
			fail("two errors for one line", line, col);
		c->last_error_line = line;
		c->n_errors++;
	} else if (strcmp(kind, "warning") != 0) {
		fail("a problem that is neither an error nor a warning", line, col);
	}
}

static void on_entry(void *ctx, struct topicfile_entry *e)
{
	struct check *c = ctx;
	struct query *q = NULL;
	struct horch_err err;
	size_t len = strlen(e->name);

	c->n_entries++;
	if (e->line < 1 || e->line > c->n_lines)
		fail("an entry on a line the file does not have", e->line, 0);
	if (len == 0 || len > STORE_TOPIC_NAME_MAX || e->name[0] == ' ' || e->name[len - 1] == ' ')
		fail("a name the store refuses", e->line, 0);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)e->name[i] < 0x20 || e->name[i] == 0x7f)
			fail("a name with a control character", e->line, 0);
	if (!e->q || strlen(e->query) > STORE_TOPIC_QUERY_MAX)
		fail("an entry without its query", e->line, 0);
	if ((e->team && strlen(e->team) > STORE_TOPIC_FIELD_MAX) ||
	    (e->color && strlen(e->color) > STORE_TOPIC_FIELD_MAX))
		fail("a team or colour over the cap", e->line, 0);
	horch_err_clear(&err);
	if (query_parse(&q, e->query, strlen(e->query), 0, NULL, &err) != 0)
		fail("a saved query that does not parse strictly", e->line, err.col);
	query_free(q);
	topicfile_entry_cleanup(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned modes[] = { 0, QUERY_LENIENT };
	char *text;

	if (size > 256 * 1024)
		return 0;
	text = malloc(size + 1);
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		struct check c = { data, size, 0, 0, 0, 0 };
		size_t n_bad;

		for (size_t i = 0; i < size; i++)
			c.n_lines += data[i] == '\n';
		if (size && data[size - 1] != '\n')
			c.n_lines++;
		memcpy(text, data, size);
		text[size] = '\0';
		n_bad = topicfile_read(text, size, modes[m], on_entry, on_problem, &c);
		if (n_bad != c.n_errors)
			fail("the count of bad lines is not the count of errors", (long)n_bad,
			     (long)c.n_errors);
		if (c.n_entries + n_bad > (size_t)c.n_lines)
			fail("more entries and bad lines than lines", c.n_lines, 0);
	}
	free(text);
	return 0;
}
