/* fuzz_response.c - libFuzzer target for the reader of horch eval response
 * (src/cli/eval_response.c, cli_eval_response_read()): a CSV file of
 * support conversations in the layout of "Customer Support on Twitter"
 * (tweet_id, author_id, inbound, created_at, text,
 * in_response_to_tweet_id), and the first-response figures of its posts
 * (answer_brands(), answer_total()).
 *
 * The input is written to a file and read.  Every post kept must have an
 * id and an author of 1 to 63 bytes, an id and a parent normalised (no
 * blanks around them; one that starts with a digit has no fraction or
 * exponent left), and a text only when a customer wrote it; there are no
 * more posts than lines.  The posts then go through the figures as the
 * command computes them when no --accounts is given (every author of a
 * company post is an account): each account's answered posts are no more
 * than its addressed ones, its times are there exactly when it answered
 * one (median <= 90th percentile, none negative), and all accounts
 * together address no more posts than the customers wrote.  An error must
 * leave no posts and have a message and a line within the file.  A broken
 * rule aborts.  Corpus: tests/fuzz/corpus/response, dictionary:
 * tests/fuzz/response.dict. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "signal/signal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SLA_MS ((int64_t)4 * 3600000)

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_response: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

/* An id as the reader leaves it: 1 to 63 bytes, no blank at either end,
 * and no '.', 'e' or 'E' after a leading digit. */
static void check_id(const char *id, const char *what)
{
	size_t len = strlen(id);

	if (len == 0 || len > 63)
		fail("an id empty or longer than 63 bytes", what);
	if (id[0] == ' ' || id[0] == '\t' || id[len - 1] == ' ' || id[len - 1] == '\t')
		fail("an id with blanks around it", id);
	if (id[0] >= '0' && id[0] <= '9' && strpbrk(id, ".eE"))
		fail("a float id not normalised", id);
}

/* The figures of the posts, with every author of a company post an
 * account (each handle once, without regard to case). */
static void check_figures(const struct cli_response_row *in, size_t n)
{
	struct answer_post *posts = horch_xcalloc(n ? n : 1, sizeof *posts);
	const char **texts = horch_xcalloc(n ? n : 1, sizeof *texts);
	const char **acct = horch_xcalloc(n ? n : 1, sizeof *acct);
	struct answer_brand *rows = NULL, total;
	struct horch_err err;
	size_t n_acct = 0, n_rows = 0, n_customer = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j;

		posts[i].id = in[i].id;
		posts[i].author = in[i].author;
		posts[i].parent = in[i].parent;
		posts[i].t = in[i].t;
		texts[i] = in[i].text;
		if (in[i].inbound)
			continue;
		for (j = 0; j < n_acct && strcasecmp(acct[j], in[i].author) != 0; j++)
			;
		if (j == n_acct)
			acct[n_acct++] = in[i].author;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < n_acct && strcasecmp(acct[j], in[i].author) != 0; j++)
			;
		n_customer += j == n_acct;
	}
	horch_err_clear(&err);
	if (answer_brands(posts, texts, n, acct, n_acct, SLA_MS, &rows, &n_rows, &err) != 0 ||
	    answer_total(posts, texts, n, acct, n_acct, SLA_MS, &total, &err) != 0)
		fail("the figures failed on posts the reader kept", err.msg);
	if (n_rows > n_acct)
		fail("more rows of figures than accounts", NULL);
	for (size_t i = 0; i <= n_rows; i++) {
		const struct answer_brand *r = i < n_rows ? &rows[i] : &total;

		if (r->answered > r->asked || r->within_sla > r->answered)
			fail("more answered than addressed, or more within the SLA than answered",
			     r->handle);
		if (r->answered ? !(r->median_min >= 0 && r->median_min <= r->p90_min &&
				    r->mean_min >= 0) :
		    !(isnan(r->median_min) && isnan(r->mean_min) && isnan(r->p90_min)))
			fail("response times out of range, or without answers", r->handle);
		if (r->asked > n_customer)
			fail("more posts addressed than customers wrote", r->handle);
	}
	if (total.handle[0])
		fail("the total has a handle", total.handle);
	free(rows);
	free(posts);
	free(texts);
	free(acct);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct cli_response_row *in = (struct cli_response_row *)1;
	struct arena arena;
	struct horch_err err;
	size_t n = 12345, lines = 1;
	FILE *f;
	int rc;

	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fuzz_response.%ld.csv", (long)getpid());
	if (!(f = fopen(path, "wb")))
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	/* Lines end at LF, as for the reader. */
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	arena_init(&arena, 4096);
	horch_err_clear(&err);
	rc = cli_eval_response_read(path, &arena, &in, &n, &err);
	if (rc != 0) {
		if (in || n)
			fail("a failed read left posts", NULL);
		if ((rc != HORCH_EPARSE && rc != HORCH_ETOOBIG) || err.code != rc || !err.msg[0])
			fail("an error that is not a parse or size error with a message", err.msg);
		if (err.line < 0 || (size_t)err.line > lines)
			fail("an error on a line outside the file", err.msg);
		goto out;
	}
	if (n > lines)
		fail("more posts than lines", NULL);
	for (size_t i = 0; i < n; i++) {
		const struct cli_response_row *r = &in[i];
		size_t alen = strlen(r->author);

		check_id(r->id, "tweet_id");
		if (r->parent)
			check_id(r->parent, "in_response_to_tweet_id");
		if (alen == 0 || alen > 63)
			fail("an author empty or longer than 63 bytes", r->author);
		if (r->inbound != 0 && r->inbound != 1)
			fail("inbound neither 0 nor 1", NULL);
		if (r->text && !r->inbound)
			fail("a text kept of a company post", r->text);
	}
	check_figures(in, n);
	free(in);
out:
	arena_cleanup(&arena);
	return 0;
}
