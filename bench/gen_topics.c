/* gen_topics.c - write topics shaped like the shared benchmark's.
 *
 *   gen_topics [--seed N] COUNT [POSTS.jsonl]
 *
 * Writes COUNT topics, "NAME<TAB>QUERY" a line, to standard output, made by
 * topic_gen (see topic_gen.h) from the words of POSTS.jsonl (default: the
 * shared benchmark's posts.jsonl).  The same seed (default 1), posts and
 * count give the same bytes on every machine.  scripts/gen-topics runs it;
 * bench_match makes its 100,000 and 225,000 topics the same way in memory.
 * Exit status 0, 1 on an error, 2 on a usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/topic_gen.h"
#include "core/buf.h"
#include "core/post.h"

#define COUNT_MAX 10000000ul

static int usage(void)
{
	fprintf(stderr, "usage: gen_topics [--seed N] COUNT [POSTS.jsonl]\n");
	return 2;
}

/* Parse a decimal count of at most max into *out.  Returns 0 or -1. */
static int parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	*out = strtoull(s, &end, 10);
	return errno || *end || *out > max ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1, count;
	const char *posts_path = NULL;
	char path[4096];
	struct post **posts = NULL;
	size_t n_posts = 0;
	struct topic_vocab *v = NULL;
	struct horch_err err;
	struct buf out;
	int i = 1, rc = 1;

	buf_init(&out, BUF_NOLIMIT);
	if (i + 1 < argc && strcmp(argv[i], "--seed") == 0) {
		if (parse_count(argv[i + 1], UINT64_MAX, &seed))
			return usage();
		i += 2;
	}
	if (i >= argc || argc - i > 2 || parse_count(argv[i], COUNT_MAX, &count))
		return usage();
	if (i + 1 < argc) {
		posts_path = argv[i + 1];
	} else if (topic_gen_data_path(path, sizeof path, "posts.jsonl") == 0) {
		posts_path = path;
	} else {
		fprintf(stderr, "gen_topics: no posts.jsonl (set HORCH_SHARED or name the file)\n");
		return 1;
	}
	if (topic_gen_load_posts(posts_path, &posts, &n_posts, &err)) {
		fprintf(stderr, "gen_topics: %s (line %ld)\n", err.msg, err.line);
		goto out;
	}
	v = topic_vocab_new();
	for (size_t k = 0; k < n_posts; k++)
		topic_vocab_add(v, posts[k]->text, strlen(posts[k]->text),
				posts[k]->lang && strcmp(posts[k]->lang, "de") == 0);
	if (topic_gen(v, (size_t)count, (uint64_t)seed, &out)) {
		fprintf(stderr, "gen_topics: %s holds too few words to make topics from\n", posts_path);
		goto out;
	}
	if (fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout) != out.len || fflush(stdout)) {
		fprintf(stderr, "gen_topics: cannot write the topics\n");
		goto out;
	}
	rc = 0;
out:
	topic_vocab_free(v);
	topic_gen_free_posts(posts, n_posts);
	buf_cleanup(&out);
	return rc;
}
