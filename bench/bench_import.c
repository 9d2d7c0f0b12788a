/* bench_import.c - posts/s into SQLite through the import path.
 *
 * The airline tweets (../shared/data/airline-tweets/Tweets.csv) are
 * replicated with new external ids to HORCH_BENCH_POSTS posts (default
 * 1,000,000) and written once as canonical JSON Lines to a temporary file.
 * That file is then imported the way `horch import` does it (file reader ->
 * pipeline: normalise in the worker pool, one batching writer), into a new
 * database each run:
 *
 *   import-analysed what `horch import` does: every post analysed (language,
 *                   sentiment, spam, near-duplicates, entities, ...: the
 *                   enrich stage), full-text index maintained
 *   import-fts      the store path alone: no analysis, full-text index
 *   import-nofts    the same without the full-text index
 *   naive-import    the straightforward way: read, normalise and store each
 *                   post in its own transaction, one thread, FTS maintained
 *                   (measured on the first 20,000 posts: it is slow)
 *
 * Without the shared data a synthetic English/German corpus with a fixed
 * seed is used instead.  Prints `name  posts/s  ns/post`, the median of
 * HORCH_BENCH_RUNS runs (default 3), and the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_rng.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/post.h"
#include "ingest/ingest.h"
#include "nlp/nlp.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "text/text.h"

static char dir[] = "/tmp/horch-bench-import-XXXXXX";

static void die(const char *what, const struct horch_err *err)
{
	fprintf(stderr, "bench_import: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

static int cmp_id(const void *a, const void *b)
{
	const struct post *x = *(struct post *const *)a, *y = *(struct post *const *)b;
	size_t lx = strlen(x->external_id), ly = strlen(y->external_id);

	/* Tweet ids are decimal: shorter is smaller. */
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x->external_id, y->external_id);
}

/* Sort by external id (for tweets: by time, as a firehose delivers them)
 * and drop repeated ids: Tweets.csv has 155 repeated rows, which would stay
 * duplicates in every copy.  Returns the new count. */
static size_t dedupe(struct post **seed, size_t n)
{
	size_t out = 0;

	qsort(seed, n, sizeof *seed, cmp_id);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && cmp_id(&seed[out - 1], &seed[i]) == 0) {
			post_free(seed[i]);
			continue;
		}
		seed[out++] = seed[i];
	}
	return out;
}

/* Load the seed posts: the airline tweets, or a synthetic corpus. */
static struct post **load_seed(size_t *n_out, const char **what)
{
	const char *shared = getenv("HORCH_SHARED");
	struct post **seed = NULL;
	size_t n = 0, cap = 0;
	char path[4096];
	struct file_reader *r = NULL;
	struct horch_err err;

	if (shared && *shared) {
		static const char *canon[] = { "text", "created_at", "external_id", "author" };
		static const char *input[] = { "text", "tweet_created", "tweet_id", "name" };
		struct post_map map = { 4, canon, input };
		struct file_opts fo = { .format = FILE_FORMAT_CSV, .map = &map, .source = "twitter" };

		snprintf(path, sizeof path, "%s/airline-tweets/Tweets.csv", shared);
		if (access(path, R_OK) == 0 && file_reader_open(&r, path, &fo, &err) == 0) {
			for (;;) {
				struct post *p = post_new();
				int rc = file_reader_next(r, p, &err);

				if (rc <= 0) {
					post_free(p);
					if (rc == 0)
						break;
					continue;
				}
				seed = horch_xgrow(seed, &cap, n + 1, sizeof *seed);
				seed[n++] = p;
			}
			file_reader_close(r);
			n = dedupe(seed, n);
			*what = "airline tweets (Tweets.csv, distinct ids) replicated";
			*n_out = n;
			return seed;
		}
	}
	{
		static const char *words[] = {
			"the", "flight", "was", "delayed", "again", "battery", "Akku", "kaputt",
			"Lieferung", "Verspätung", "thanks", "great", "service", "never", "nie",
			"wieder", "refund", "on", "hold", "for", "hours", "@KorvoCares", "#fail",
			"München", "Straße", "laptop", "screen", "😡", "👍🏽", "is", "und", "der",
		};
		for (n = 0; n < 15000; n++) {
			struct post *p = post_new();
			struct buf b;
			size_t len = 8 + bench_rng() % 20;

			buf_init(&b, BUF_NOLIMIT);
			for (size_t i = 0; i < len; i++) {
				size_t w = bench_rng() % (sizeof words / sizeof words[0]);

				buf_printf(&b, "%s%s", i ? " " : "", words[w]);
			}
			p->text = buf_take(&b);
			p->source = horch_xstrdup("synthetic");
			snprintf(path, sizeof path, "%zu", n);
			p->external_id = horch_xstrdup(path);
			p->author = horch_xstrdup("someone");
			p->created_at = 1424806552000LL + (int64_t)n * 1000;
			seed = horch_xgrow(seed, &cap, n + 1, sizeof *seed);
			seed[n] = p;
		}
		*what = "synthetic English/German posts (no ../shared data)";
		*n_out = n;
		return seed;
	}
}

/* Write n_posts posts, replicated from seed with new ids, as JSON Lines. */
static void write_corpus(const char *path, struct post **seed, size_t n_seed, size_t n_posts,
			 uint64_t *bytes)
{
	FILE *f = fopen(path, "w");
	struct buf b;
	char id[128];

	if (!f)
		die("cannot write the corpus", NULL);
	int64_t first = INT64_MAX, last = INT64_MIN, span;

	/* Each copy is shifted later by the seed's time span, so that the
	 * replicated stream arrives in time order as a real one does, instead
	 * of repeating the same week over and over. */
	for (size_t i = 0; i < n_seed; i++) {
		if (seed[i]->created_at == HORCH_TIME_NONE)
			continue;
		if (seed[i]->created_at < first)
			first = seed[i]->created_at;
		if (seed[i]->created_at > last)
			last = seed[i]->created_at;
	}
	span = last > first ? last - first + 1000 : 1000;
	buf_init(&b, BUF_NOLIMIT);
	for (size_t i = 0; i < n_posts; i++) {
		struct post *p = seed[i % n_seed];
		char *orig = p->external_id;
		int64_t when = p->created_at;

		/* Copy number first: ids then increase along the stream, as a
		 * platform's ids increase with time ("%s-%zu" would interleave
		 * the copies all over the unique index). */
		snprintf(id, sizeof id, "%06zu-%s", i / n_seed, orig);
		p->external_id = id;
		if (when != HORCH_TIME_NONE)
			p->created_at = when + (int64_t)(i / n_seed) * span;
		buf_reset(&b);
		post_to_json(p, &b);
		p->external_id = orig;
		p->created_at = when;
		buf_putc(&b, '\n');
		fwrite(b.ptr, 1, b.len, f);
		*bytes += b.len;
	}
	buf_cleanup(&b);
	if (fclose(f) != 0)
		die("cannot write the corpus", NULL);
}

static void remove_db(const char *db)
{
	char p[4200];

	unlink(db);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
}

/* Import path into a new database the way cmd_import does; returns ns. */
static int64_t run_import(const char *corpus, const char *db, int no_fts, const struct nlp *nlp,
			  size_t *n_stored)
{
	struct store_opts so = { .no_fts = no_fts };
	struct pipeline_opts po = { .nlp = nlp };
	struct store *st = NULL;
	struct pipeline *pl = NULL;
	struct file_reader *r = NULL;
	struct file_opts fo = { .format = FILE_FORMAT_JSONL };
	struct pipeline_stats stats;
	struct horch_err err;
	int64_t t0;
	uint64_t line = 0;

	remove_db(db);
	t0 = horch_mono_ns();
	if (store_open(&st, db, &so, &err))
		die("store_open", &err);
	if (pipeline_new(&pl, st, &po, &err))
		die("pipeline_new", &err);
	if (file_reader_open(&r, corpus, &fo, &err))
		die("file_reader_open", &err);
	for (;;) {
		struct post *p = post_new();
		int rc = file_reader_next(r, p, &err);

		if (rc == 0) {
			post_free(p);
			break;
		}
		if (rc < 0)
			die("bad record in the corpus", &err);
		pipeline_push(pl, p, ++line);
	}
	file_reader_close(r);
	if (pipeline_finish(pl, &stats, &err))
		die("pipeline", &err);
	pipeline_free(pl);
	store_close(st);
	*n_stored = stats.n_new;
	return horch_mono_ns() - t0;
}

/* The naive way: one post at a time, one transaction each, one thread. */
static int64_t run_naive(const char *corpus, const char *db, size_t max, size_t *n_stored)
{
	struct store *st = NULL;
	struct file_reader *r = NULL;
	struct file_opts fo = { .format = FILE_FORMAT_JSONL };
	struct horch_err err;
	struct buf norm;
	int64_t t0;
	size_t n = 0;

	remove_db(db);
	buf_init(&norm, POST_TEXT_MAX * 4);
	t0 = horch_mono_ns();
	if (store_open(&st, db, NULL, &err))
		die("store_open", &err);
	if (file_reader_open(&r, corpus, &fo, &err))
		die("file_reader_open", &err);
	while (n < max) {
		struct post *p = post_new();
		int status;

		if (file_reader_next(r, p, &err) <= 0) {
			post_free(p);
			break;
		}
		buf_reset(&norm);
		text_normalise(&norm, p->text, strlen(p->text), &p->n_repaired);
		free(p->text);
		p->text = horch_xstrndup(norm.ptr, norm.len);
		if (store_put_posts(st, &p, 1, &status, &err))
			die("store_put_posts", &err);
		post_free(p);
		n++;
	}
	file_reader_close(r);
	store_close(st);
	buf_cleanup(&norm);
	*n_stored = n;
	return horch_mono_ns() - t0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static double median_rate(int64_t *ns, int runs, size_t n)
{
	qsort(ns, (size_t)runs, sizeof *ns, cmp_i64);
	return (double)n / ((double)ns[runs / 2] / 1e9);
}

int main(void)
{
	const char *env = getenv("HORCH_BENCH_POSTS");
	const char *env_runs = getenv("HORCH_BENCH_RUNS");
	size_t n_posts = env ? strtoul(env, NULL, 10) : 1000000;
	int runs = env_runs ? atoi(env_runs) : 3;
	size_t n_seed, n_stored = 0, n_naive = 20000;
	const char *what;
	struct post **seed;
	char corpus[256], db[256], cmd[300];
	uint64_t bytes = 0;
	int64_t ns_fts[9], ns_nofts[9], ns_naive[9], ns_nlp[9];
	double fts, nofts, naive, analysed;
	struct nlp *nlp = NULL;
	struct horch_err err;

	if (runs < 1 || runs > 9)
		runs = 3;
	if (!mkdtemp(dir))
		die("mkdtemp", NULL);
	snprintf(corpus, sizeof corpus, "%s/corpus.jsonl", dir);
	snprintf(db, sizeof db, "%s/bench.db", dir);
	seed = load_seed(&n_seed, &what);
	if (n_naive > n_posts)
		n_naive = n_posts;
	write_corpus(corpus, seed, n_seed, n_posts, &bytes);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("corpus: %zu posts (%.1f MB of JSON Lines) from %s; database in %s; median of %d runs\n",
	       n_posts, (double)bytes / 1e6, what, dir, runs);

	if (nlp_new(&nlp, NULL, &err))
		die("nlp_new", &err);
	for (int i = 0; i < runs; i++) {
		ns_nlp[i] = run_import(corpus, db, 0, nlp, &n_stored);
		if (n_stored != n_posts)
			die("import-analysed stored the wrong number of posts", NULL);
		ns_fts[i] = run_import(corpus, db, 0, NULL, &n_stored);
		if (n_stored != n_posts)
			die("import-fts stored the wrong number of posts", NULL);
		ns_nofts[i] = run_import(corpus, db, 1, NULL, &n_stored);
		ns_naive[i] = run_naive(corpus, db, n_naive, &n_stored);
	}
	analysed = median_rate(ns_nlp, runs, n_posts);
	fts = median_rate(ns_fts, runs, n_posts);
	nofts = median_rate(ns_nofts, runs, n_posts);
	naive = median_rate(ns_naive, runs, n_naive);
	printf("%-26s %10.0f posts/s %8.0f ns/post   (%zu posts)\n", "import-analysed", analysed,
	       1e9 / analysed, n_posts);
	printf("%-26s %10.0f posts/s %8.0f ns/post   (%zu posts)\n", "import-fts", fts, 1e9 / fts, n_posts);
	printf("%-26s %10.0f posts/s %8.0f ns/post   (%zu posts)\n", "import-nofts", nofts, 1e9 / nofts, n_posts);
	printf("%-26s %10.0f posts/s %8.0f ns/post   (%zu posts, one transaction each)\n",
	       "naive-import-fts", naive, 1e9 / naive, n_naive);
	printf("import-fts is %.1fx the naive way; the full-text index costs %.0f%%\n",
	       fts / naive, 100.0 * (1.0 - fts / nofts));

	nlp_free(nlp);
	for (size_t i = 0; i < n_seed; i++)
		post_free(seed[i]);
	free(seed);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
