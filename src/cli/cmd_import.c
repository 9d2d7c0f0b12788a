/* cmd_import.c - `horch import FILE...`: files into the store through the
 * pipeline.
 *
 * The main thread reads records (ingest/file.c) and pushes posts into the
 * pipeline; the pipeline's writer commits them in batches and reports each
 * outcome back through callbacks.  A bad record is reported with file, line
 * and reason and counted; with --strict reading stops at the first one.
 * Posts already pushed are always committed, so an interrupted import
 * (Ctrl-C, --strict, a crash) loses nothing that was committed, and running
 * the same import again stores only what is missing.
 *
 * Every stored topic is compiled into one matcher before reading starts
 * (with word statistics of a sample of the stored posts); the pipeline
 * matches each new post against it and stores the matches with the post,
 * so that a topic's history is complete without a second pass.  A topic
 * added, changed or deleted by another process while the import runs is
 * seen by every batch committed after it: the pipeline's writer checks the
 * store's topics version in each batch's transaction and rebuilds the
 * matcher (reload_topics()) when it moved. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../nlp/nlp.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/post.h"
#include "../ingest/ingest.h"
#include "../pipeline/pipeline.h"
#include "../query/match.h"
#include "../store/store.h"

/* A tag carries the file's index and the record's line. */
#define TAG(file, line) (((uint64_t)(file) << 40) | (uint64_t)(line))
#define TAG_FILE(tag) ((size_t)((tag) >> 40))
#define TAG_LINE(tag) ((long)((tag) & ((1ull << 40) - 1)))

struct import {
	const struct cli_args *args;
	char **files;
	pthread_mutex_t out_lock;  /* stderr is shared by the reader and the writer */
	int progress;              /* 1: draw a progress bar on stderr */
	int bar_shown;             /* a bar is on the screen now */
	const char *lang;          /* --lang: for records that name no language */
	atomic_int stop;           /* --strict saw a bad record */
	atomic_uint_least64_t n_bad;
};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Take the progress bar off the screen; out_lock held. */
static void clear_bar(struct import *im)
{
	cli_bar_clear(&im->bar_shown);
}

/* Print one problem with its place, clearing the progress bar first. */
static void report(struct import *im, size_t file, long line, long col, const char *msg)
{
	pthread_mutex_lock(&im->out_lock);
	clear_bar(im);
	fprintf(stderr, "horch: import: %s:%ld:", im->files[file], line);
	if (col > 0)
		fprintf(stderr, "%ld:", col);
	fprintf(stderr, " %s\n", msg);
	pthread_mutex_unlock(&im->out_lock);
}

static void on_reject(void *ctx, const struct post *post, uint64_t tag,
		      const struct horch_err *err)
{
	struct import *im = ctx;

	(void)post;
	atomic_fetch_add(&im->n_bad, 1);
	report(im, TAG_FILE(tag), TAG_LINE(tag), 0, err->msg);
	if (cli_flag(im->args, "strict"))
		atomic_store(&im->stop, 1);
}

/* The pipeline's reload: the topics changed while the import runs
 * (another horch topic add, edit, rm or import).  Writer thread; the
 * history of the changed topics is matched by the process that saved
 * them. */
static int reload_topics(void *ctx, struct store *st, struct matcher **out, int64_t *version,
			 struct horch_err *err)
{
	(void)ctx;
	return cli_build_matcher(st, out, NULL, version, 1, err);
}

static void draw_bar(struct import *im, struct file_reader *r, uint64_t rows,
		     int64_t started_ns)
{
	uint64_t size = file_reader_size(r), off = file_reader_offset(r);
	double frac = size == 0 ? -1.0 : off >= size ? 1.0 : (double)off / (double)size;

	pthread_mutex_lock(&im->out_lock);
	cli_bar(file_reader_name(r), frac, rows, "rows", started_ns);
	im->bar_shown = 1;
	pthread_mutex_unlock(&im->out_lock);
}

/* Read one file into the pipeline.  Returns 0, or EXIT_RUNTIME when the
 * file cannot be opened or the pipeline stopped. */
static int import_file(struct import *im, size_t idx, struct pipeline *pl,
		       const struct file_opts *fo, uint64_t *rows)
{
	struct file_reader *r = NULL;
	struct horch_err err;
	int64_t started = horch_mono_ns(), last_draw = 0;
	int rc;

	if (file_reader_open(&r, im->files[idx], fo, &err) != 0) {
		pthread_mutex_lock(&im->out_lock);
		clear_bar(im);
		cli_error(im->args, "%s", err.msg);
		pthread_mutex_unlock(&im->out_lock);
		return err.code == HORCH_EINVAL || err.code == HORCH_EUSAGE ? EXIT_USAGE
									      : EXIT_RUNTIME;
	}
	for (;;) {
		struct post *p;

		if (interrupted || atomic_load(&im->stop))
			break;
		p = post_new();
		horch_err_clear(&err);
		rc = file_reader_next(r, p, &err);
		if (rc == 0) {
			post_free(p);
			break;
		}
		if (rc < 0) {
			post_free(p);
			/* A read cut short by Ctrl-C is not a bad record. */
			if (interrupted)
				break;
			atomic_fetch_add(&im->n_bad, 1);
			report(im, idx, err.line, err.col, err.msg);
			if (cli_flag(im->args, "strict"))
				atomic_store(&im->stop, 1);
			continue;
		}
		(*rows)++;
		if (!p->lang && im->lang)
			p->lang = horch_xstrdup(im->lang);
		if (pipeline_push(pl, p, TAG(idx, err.line)) != 0)
			break;  /* the writer failed; pipeline_finish() says why */
		if (im->progress && (*rows & 1023) == 0) {
			int64_t now = horch_mono_ns();

			if (now - last_draw > 100000000) {
				draw_bar(im, r, *rows, started);
				last_draw = now;
			}
		}
	}
	file_reader_close(r);
	return 0;
}

int cmd_import(struct cli_args *a)
{
	struct import im = { .args = a, .files = a->pos };
	struct file_opts fo = { 0 };
	struct pipeline_opts po = { 0 };
	struct pipeline_stats st;
	struct post_map map = { 0 };
	struct store *store = NULL;
	struct pipeline *pl = NULL;
	struct matcher *m = NULL;
	struct matcher_slot *slot = NULL;
	struct nlp *nlp = NULL;
	size_t n_topics = 0;
	struct horch_err err;
	struct sigaction sa, old_sa;
	const char *v;
	uint64_t rows = 0;
	int64_t started;
	int rc = EXIT_OK, prc;

	pthread_mutex_init(&im.out_lock, NULL);
	if ((v = cli_get(a, "format"))) {
		if (strcmp(v, "jsonl") == 0 || strcmp(v, "json") == 0) {
			fo.format = FILE_FORMAT_JSONL;
		} else if (strcmp(v, "csv") == 0) {
			fo.format = FILE_FORMAT_CSV;
		} else {
			cli_error(a, "--format: expected jsonl or csv, got '%s'", v);
			return EXIT_USAGE;
		}
	}
	if ((v = cli_get(a, "delimiter"))) {
		if (strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0) {
			fo.delimiter = '\t';
		} else if (strlen(v) == 1) {
			fo.delimiter = v[0];
		} else {
			cli_error(a, "--delimiter: expected one character, got '%s'", v);
			return EXIT_USAGE;
		}
	}
	fo.source = cli_get(a, "source");
	if ((v = cli_get(a, "lang"))) {
		size_t len = strlen(v);

		if (len < 2 || len > 3 || strspn(v, "abcdefghijklmnopqrstuvwxyz") != len) {
			cli_error(a, "--lang: expected a lower-case ISO 639-1 code such as en or de, "
				  "got '%s'", v);
			return EXIT_USAGE;
		}
		im.lang = v;
	}
	if ((v = cli_get(a, "map"))) {
		if (post_map_parse(&map, v, &err) != 0) {
			cli_error(a, "--map: %s", err.msg);
			return EXIT_USAGE;
		}
		fo.map = &map;
	}
	if ((rc = cli_count_opt(a, "batch", 1, 1000000, &po.batch_max)) ||
	    (rc = cli_count_opt(a, "workers", 1, 256, &po.n_workers)))
		goto out;
	po.on_reject = on_reject;
	po.ctx = &im;
	if (cli_flag(a, "strict")) {
		/* One worker keeps the posts in file order, so that the writer
		 * can store exactly those before the first refused one. */
		po.n_workers = 1;
		po.stop_on_reject = 1;
	}
	im.progress = isatty(STDERR_FILENO) && !cli_flag(a, "quiet");

	if (store_open(&store, cli_db_path(a), NULL, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (cli_load_matcher(store, &m, &n_topics, &po.topics_version, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	/* Always a slot, even without topics: a topic saved by another
	 * process while the import runs is matched from then on. */
	slot = matcher_slot_new(n_topics > 0 ? m : NULL);
	if (n_topics == 0)
		matcher_free(m);
	m = NULL;
	po.matchers = slot;
	po.reload = reload_topics;
	if (cli_load_nlp(a, store, &nlp, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	po.nlp = nlp;
	if (pipeline_new(&pl, store, &po, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	/* Ctrl-C stops reading and commits what was read.  No SA_RESTART, so
	 * that a read waiting on a terminal or pipe returns.  A shell that
	 * started us with SIGINT ignored (a background job) keeps it so. */
	sigaction(SIGINT, NULL, &old_sa);
	if (old_sa.sa_handler != SIG_IGN) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sigint;
		sigaction(SIGINT, &sa, NULL);
	}

	started = horch_mono_ns();
	for (int i = 0; i < a->n_pos && !interrupted && !atomic_load(&im.stop); i++) {
		/* A file that cannot be opened is reported; the others
		 * are still read. */
		int frc = import_file(&im, (size_t)i, pl, &fo, &rows);

		if (frc > rc)
			rc = frc;
	}
	prc = pipeline_finish(pl, &st, &err);
	sigaction(SIGINT, &old_sa, NULL);
	clear_bar(&im);  /* the threads are gone: no lock needed */
	if (prc) {
		cli_error(a, "%s (posts committed before this stay stored)", err.msg);
		rc = EXIT_RUNTIME;
	}
	if (!cli_flag(a, "quiet")) {
		double secs = (double)(horch_mono_ns() - started) / 1e9;
		uint64_t bad = atomic_load(&im.n_bad);
		char n1[32], n2[32], n3[32], n4[32], n5[32];

		if (st.n_new == 0 && st.n_dup > 0 && bad == 0 && !interrupted && !prc &&
		    st.n_dup == rows)
			fprintf(stderr, "nothing new: all %s posts were already stored\n",
				cli_num(st.n_dup, n1));
		else
			fprintf(stderr, "imported %s new posts (%s read, %s duplicates, %s bad) "
				"in %.2f s, %.0f posts/s, %s topic matches\n",
				cli_num(st.n_new, n1), cli_num(rows, n2), cli_num(st.n_dup, n3),
				cli_num(bad, n4), secs, secs > 0 ? (double)rows / secs : 0.0,
				cli_num(st.n_matches, n5));
		if (st.n_new)
			fprintf(stderr, "%s near-duplicates of earlier posts, %s spam\n",
				cli_num(st.n_near_dups, n1), cli_num(st.n_spam, n2));
		if (st.n_repaired)
			fprintf(stderr, "repaired %s invalid UTF-8 sequences (replaced by U+FFFD)\n",
				cli_num(st.n_repaired, n1));
		if (interrupted)
			fprintf(stderr, "interrupted: the posts above are stored; run the same "
				"import again to finish it\n");
		else if (atomic_load(&im.stop))
			fprintf(stderr, "stopped at the first bad record (--strict): nothing after "
				"it was stored\n");
	}
	if (rc == EXIT_OK && (atomic_load(&im.n_bad) > 0 || interrupted))
		rc = EXIT_RUNTIME;
out:
	pipeline_free(pl);
	nlp_free(nlp);
	matcher_slot_free(slot);
	store_close(store);
	post_map_cleanup(&map);
	pthread_mutex_destroy(&im.out_lock);
	return rc;
}
