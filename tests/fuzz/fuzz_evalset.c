/* fuzz_evalset.c - libFuzzer target for the labelled-file reader of horch
 * eval and horch train (src/cli/evalset.c): CSV with a header, TSV and JSON
 * Lines, told apart by their shape.
 *
 * The first byte picks the task (lang, sentiment, spam, intent); the rest
 * is the file.  It is read twice into one set, as two files: the second
 * read must find every text a duplicate.  Every item must have a non-empty
 * text of valid UTF-8 without NUL, a line within the file, and a label of the task's
 * spelling; an error must leave the set as it was.  A broken rule aborts.
 * Corpus: tests/fuzz/corpus/evalset, dictionary: tests/fuzz/evalset.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/evalset.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_evalset: %s\n", what);
	abort();
}

static int valid_utf8(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t k = horch_utf8_decode((const unsigned char *)s + i, len - i, &cp);

		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

static int label_ok(enum evalset_task task, const char *l)
{
	static const char *const sent[] = { "negative", "neutral", "positive", NULL };
	static const char *const spam[] = { "spam", "ham", NULL };
	static const char *const intent[] = { "complaint", "question", "praise", "purchase",
					      "idea", "other", NULL };
	const char *const *set = task == EVALSET_SENTIMENT ? sent : task == EVALSET_SPAM ? spam :
				 task == EVALSET_INTENT ? intent : NULL;

	if (!set) {
		size_t n = strlen(l);

		return n >= 2 && n <= 3 && strspn(l, "abcdefghijklmnopqrstuvwxyz") == n;
	}
	for (size_t i = 0; set[i]; i++)
		if (strcmp(set[i], l) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evalset set = { 0 };
	struct horch_err err;
	enum evalset_task task;
	size_t lines = 1, n;

	if (size == 0)
		return 0;
	task = (enum evalset_task)(data[0] % 4);
	data++;
	size--;
	/* Lines end at LF, CR LF or a lone CR (CSV; TSV and JSON Lines count
	 * LF only, fewer). */
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
	if (evalset_read_mem(&set, "fuzz", (const char *)data, size, task, &err) != 0) {
		if (set.n != 0)
			fail("a failed read left texts in the set");
		evalset_cleanup(&set);
		return 0;
	}
	for (size_t i = 0; i < set.n; i++) {
		const struct evalset_item *it = &set.v[i];

		if (it->len == 0 || strlen(it->text) != it->len || !valid_utf8(it->text, it->len))
			fail("an item's text is empty, has a NUL or is not UTF-8");
		if (it->line < 1 || it->line > lines)
			fail("an item's line is outside the file");
		if (!label_ok(task, it->label))
			fail("a label not of the task");
	}
	n = set.n;
	if (evalset_read_mem(&set, "again", (const char *)data, size, task, &err) != 0 ||
	    set.n != n)
		fail("a second read of the same file failed or added texts");
	evalset_cleanup(&set);
	return 0;
}
