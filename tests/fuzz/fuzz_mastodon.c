/* fuzz_mastodon.c - libFuzzer target for the Mastodon connector's parsers
 * (src/ingest/mastodon.h): a page of statuses (a timeline and a search
 * result), one status, the Link header, and the Server-Sent Events of the
 * streaming API with each event's status.
 *
 * Besides not crashing, it checks what the connector relies on: every
 * post a parser takes passes post_validate() (the store would refuse it
 * otherwise); a page's posts are in ascending id order, none newer than
 * its newest id; every failure says why; and the events of a stream are
 * the same whether it is read at once or cut in two anywhere.  Corpus:
 * tests/fuzz/corpus/mastodon, dictionary: tests/fuzz/mastodon.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/post.h"
#include "ingest/mastodon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_post(const struct post *p)
{
	struct horch_err err;

	if (post_validate(p, &err) != 0) {
		fprintf(stderr, "a taken post is not valid: %s\n", err.msg);
		abort();
	}
}

static void check_page(const char *s, size_t len, int search)
{
	struct mastodon_page page;
	struct horch_err err;
	int rc;

	mastodon_page_init(&page);
	horch_err_clear(&err);
	rc = mastodon_page_parse(s, len, search, "fuzz.example", &page, &err);
	if (rc) {
		if (rc > 0 || !err.msg[0] || page.n_posts)
			abort();
	} else {
		if (page.n_posts + page.n_quiet + page.n_bad != page.n_items)
			abort();
		for (size_t i = 0; i < page.n_posts; i++) {
			check_post(page.items[i].post);
			if (!mastodon_id_valid(page.items[i].id, strlen(page.items[i].id)) ||
			    mastodon_id_cmp(page.items[i].id, page.newest) > 0 ||
			    (i && mastodon_id_cmp(page.items[i - 1].id, page.items[i].id) > 0))
				abort();
		}
	}
	mastodon_page_cleanup(&page);
}

/* A stream's events, written down to compare two readings. */
struct log {
	struct buf text;
};

static int on_event(void *ctx, const char *event, const char *data, size_t len)
{
	struct log *l = ctx;
	struct horch_err err;
	struct post p;
	char id[MASTODON_ID_MAX + 1];

	buf_printf(&l->text, "%s:%zu:", event, len);
	if (!data)
		return 0;
	if (strlen(data) != len && memchr(data, '\0', len) == NULL)
		abort();
	buf_append(&l->text, data, len);
	buf_putc(&l->text, '\n');
	post_init(&p);
	if (mastodon_status_parse(data, len, "fuzz.example", &p, id, &err) == MASTODON_TAKEN) {
		check_post(&p);
		post_cleanup(&p);
	}
	return 0;
}

static void read_stream(const char *s, size_t len, size_t cut, size_t max, struct log *l)
{
	struct mastodon_sse sse;

	buf_init(&l->text, BUF_NOLIMIT);
	mastodon_sse_init(&sse, max, on_event, l);
	mastodon_sse_feed(&sse, s, cut);
	mastodon_sse_feed(&sse, s + cut, len - cut);
	mastodon_sse_cleanup(&sse);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *z, out[MASTODON_ID_MAX + 1];
	struct horch_err err;
	struct post p;
	struct log a, b;
	int rc;

	check_page(s, size, 0);
	check_page(s, size, 1);

	post_init(&p);
	horch_err_clear(&err);
	rc = mastodon_status_parse(s, size, "fuzz.example", &p, out, &err);
	if (rc == MASTODON_TAKEN)
		check_post(&p);
	else if (!err.msg[0] || p.source)
		abort();
	post_cleanup(&p);

	z = malloc(size + 1);
	memcpy(z, data, size);
	z[size] = '\0';
	if (mastodon_link_param(z, "prev", "min_id", out, sizeof out) && strlen(out) >= sizeof out)
		abort();
	mastodon_link_param(z, "next", "max_id", out, sizeof out);
	free(z);

	/* The same stream at once and cut in two; a small cap so that
	 * dropping is reached too. */
	read_stream(s, size, size, 64, &a);
	read_stream(s, size, size ? data[0] % size : 0, 64, &b);
	if (a.text.len != b.text.len || (a.text.len && memcmp(a.text.ptr, b.text.ptr, a.text.len))) {
		fprintf(stderr, "the stream read in two pieces differs\n");
		abort();
	}
	buf_cleanup(&a.text);
	buf_cleanup(&b.text);
	read_stream(s, size, size / 2, 0, &a);
	buf_cleanup(&a.text);
	return 0;
}
