/* fuzz_reviews.c - libFuzzer target for the reviews connector's readers
 * (src/ingest/reviews.h): reviews_parse() on a feed, reviews_map_parse()
 * on a map, reviews_cursor_read() on a cursor.
 *
 * The first input byte picks the format (auto, JSON, CSV), the CSV
 * delimiter (, ; tab |) and whether a map is used, whose names point at
 * other fields and at a dotted path; the rest is the feed.  Checked: a
 * failure has a message and a negative code and leaves the feed empty;
 * every review read is a valid post of kind review with its stars within
 * 0..5 or none, and the reviews come sorted by date then id; the skipped
 * records are each reported; a cursor that reads writes out, reads back
 * and writes out to the very same bytes.  The rest is also read as a map.
 * Corpus: tests/fuzz/corpus/reviews, dictionary: tests/fuzz/reviews.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/post.h"
#include "ingest/reviews.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *ctx, const char *msg)
{
	if (!msg[0])
		abort();
	(*(size_t *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { ',', ';', '\t', '|' };
	struct reviews_opts o;
	struct reviews_feed f;
	struct reviews_cursor c;
	struct horch_err err;
	struct buf b1, b2;
	size_t warned = 0;
	const char *body;
	char *s;

	if (size == 0)
		return 0;
	memset(&o, 0, sizeof o);
	o.format = (enum reviews_format)(data[0] % 3);
	o.delimiter = delims[(data[0] >> 2) & 3];
	o.platform = "review";
	if (data[0] & 0x10 &&
	    reviews_map_parse(&o, "stars=score,text=body.text,id=review_id,date=when", &err))
		abort();
	body = (const char *)data + 1;
	if (reviews_parse(body, size - 1, &o, &f, count, &warned, &err) == 0) {
		if (warned != f.n_skipped || f.n + f.n_skipped > f.n_records || f.format == 0)
			abort();
		for (size_t i = 0; i < f.n; i++) {
			const struct post *p = f.posts[i];

			if (post_validate(p, NULL) || p->kind != POST_KIND_REVIEW ||
			    strcmp(p->source, "review") || p->rating > 5 ||
			    (p->rating < 0 && p->rating != -1))
				abort();
			if (i && (f.posts[i - 1]->created_at > p->created_at ||
				  (f.posts[i - 1]->created_at == p->created_at &&
				   strcmp(f.posts[i - 1]->external_id, p->external_id) > 0)))
				abort();
		}
		reviews_feed_cleanup(&f);
	} else if (!err.msg[0] || err.code >= 0 || f.n || f.posts) {
		abort();
	}
	reviews_opts_cleanup(&o);

	s = malloc(size);
	memcpy(s, body, size - 1);
	s[size - 1] = 0;
	memset(&o, 0, sizeof o);
	if (reviews_map_parse(&o, s, &err) && (!err.msg[0] || err.code >= 0))
		abort();
	reviews_opts_cleanup(&o);
	reviews_cursor_init(&c);
	buf_init(&b1, BUF_NOLIMIT);
	buf_init(&b2, BUF_NOLIMIT);
	if (reviews_cursor_read(&c, s, &err) == 0) {
		if (reviews_cursor_write(&c, &b1) || reviews_cursor_read(&c, b1.ptr, &err) ||
		    reviews_cursor_write(&c, &b2) || b1.len != b2.len || memcmp(b1.ptr, b2.ptr, b1.len)) {
			fprintf(stderr, "cursor round trip: %s | %s\n", b1.ptr, b2.ptr ? b2.ptr : "");
			abort();
		}
	} else if (!err.msg[0] || err.code >= 0) {
		abort();
	}
	reviews_cursor_cleanup(&c);
	buf_cleanup(&b1);
	buf_cleanup(&b2);
	free(s);
	return 0;
}
