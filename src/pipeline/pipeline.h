/* pipeline.h - the stages wired together: queue, worker pool, batching
 * writer.
 *
 *   producer ──push──► [in queue] ──► workers (normalise → enrich → match)
 *                                        │
 *                                        ▼
 *                                    [out queue] ──► one writer: batches of
 *                                                     posts, one transaction
 *                                                     each, then callbacks
 *
 * `horch import` and `horch serve` both feed posts through a pipeline; a
 * new stage is added to the stage table in pipeline.c, never to the
 * callers.  The enrich stage runs every enricher of src/nlp on the post
 * (language, sentiment, spam, SimHash, entities, intent, reach, priority)
 * with the models in opts.nlp; in each batch's transaction the writer looks
 * the new posts up in its near-duplicate index and records the earlier post
 * each one nearly repeats (dup_of; the copies of a copy-paste campaign, a
 * text posted again and again by others on one source, are marked spam).  The match stage matches each post against the topics of the
 * matcher in opts.matchers, and the writer stores the post and its matches
 * (topic ids and spans) in the same transaction.  The producer blocks when the in queue
 * is full (back-pressure); nothing is dropped.  A batch closes after
 * batch_max posts or batch_ms milliseconds, whichever comes first, so a
 * slow trickle of posts is still committed promptly.
 *
 * Threads: pipeline_new() and pipeline_finish() from one thread;
 * pipeline_push() from any number of producer threads; the callbacks run on
 * the writer thread, one at a time. */
#ifndef HORCH_PIPELINE_H
#define HORCH_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"
#include "../nlp/nlp.h"
#include "../query/match.h"
#include "../store/store.h"

/* A committed batch: posts[i] was stored as status[i] (enum
 * store_put_status; posts[i]->id is its row id when new, 0 when it was
 * stored before), tags[i] is what the producer passed with it, and m[0..n_m) are
 * the topic matches stored with the new posts (m[k].post indexes posts). */
struct pipeline_batch {
	struct post *const *posts;
	const int *status;
	const uint64_t *tags;
	size_t n;
	const struct store_match *m;
	size_t n_m;
};

/* After a batch is committed (on the writer thread; the posts are freed
 * when it returns). */
typedef void (*pipeline_commit_fn)(void *ctx, const struct pipeline_batch *b);
/* A post a stage refused (it is not stored); err says why. */
typedef void (*pipeline_reject_fn)(void *ctx, const struct post *post, uint64_t tag,
				   const struct horch_err *err);

/* Build a matcher of the topics stored in st now into *out (the caller
 * owns it) and the topics version it was built from into *version (read
 * before the topics).  Returns 0 or an error with err filled. */
typedef int (*pipeline_reload_fn)(void *ctx, struct store *st, struct matcher **out,
				  int64_t *version, struct horch_err *err);

struct pipeline_opts {
	size_t n_workers;   /* analysis threads; 0: one per online core */
	size_t batch_max;   /* posts per transaction; 0: 2000 */
	int batch_ms;       /* longest a batch stays open, ms; 0: 200 */
	size_t queue_max;   /* posts waiting in each queue; 0: 8192 */
	pipeline_commit_fn on_commit;  /* may be NULL */
	pipeline_reject_fn on_reject;  /* may be NULL */
	int stop_on_reject; /* 1: after the first refused post store nothing more (with one
			     * worker, nothing that was pushed after it) */
	struct matcher_slot *matchers; /* the topics to match each post against (the match
				 * stage), or NULL: no matching.  The caller owns the slot,
				 * may swap matchers in it at any time (hot reload) and
				 * frees it after pipeline_finish(). */
	/* Live topic changes (with matchers): the version of the topics the
	 * slot's matcher was built from (store_topics_version(), read before
	 * they were), and a function that builds a matcher of the topics as
	 * they are now.  The writer stores each batch with
	 * store_put_posts_at(topics_version); when a topic was added, changed
	 * or deleted meanwhile, it calls reload (on the writer thread, with
	 * the pipeline's store, outside any transaction) for a new matcher
	 * and the version it was built from, swaps it into the slot (the
	 * workers take it from their next batch), matches the posts of the
	 * batch again with it and stores them.  A topic saved by another
	 * process thus matches every post committed after its own commit.
	 * reload NULL: the version is not checked. */
	pipeline_reload_fn reload;
	int64_t topics_version;
	void *ctx;          /* passed to the callbacks */
	const struct nlp *nlp; /* the models of the enrich stage, or NULL: posts are stored
				* without analysis.  The caller owns them and frees them
				* after pipeline_finish(). */
	size_t dup_window;  /* with nlp: how many recent posts the near-duplicate index
			     * remembers (seeded from the store at the start); 0: 1,000,000 */
};

/* Counters; read at any time with pipeline_stats(). */
struct pipeline_stats {
	uint64_t n_in;        /* posts pushed */
	uint64_t n_new;       /* stored */
	uint64_t n_dup;       /* already stored, skipped */
	uint64_t n_rejected;  /* refused by a stage */
	uint64_t n_dropped;   /* not stored because stop_on_reject stopped the pipeline */
	uint64_t n_repaired;  /* invalid UTF-8 sequences repaired, over all posts */
	uint64_t n_batches;   /* transactions committed */
	uint64_t n_matches;   /* topic matches stored with new posts */
	uint64_t n_reloads;   /* matchers rebuilt because the topics changed */
	uint64_t n_near_dups; /* new posts that nearly repeat an earlier post */
	uint64_t n_spam;      /* new posts marked spam */
	uint64_t analyse_ns;  /* time the workers spent analysing and matching, summed */
	uint64_t commit_ns;   /* time the writer spent in transactions, summed */
	uint64_t commit_max_ns; /* the longest transaction */
};

struct pipeline;

/* Start the workers and the writer.  The pipeline uses st from its writer
 * thread only; the caller keeps ownership and must not use st until
 * pipeline_finish() has returned.  Returns 0 and sets *out, or
 * HORCH_EINVAL/HORCH_EIO (a thread could not be started). */
int pipeline_new(struct pipeline **out, struct store *st, const struct pipeline_opts *opts,
		 struct horch_err *err);

/* Hand post to the pipeline, which owns it from now on (it is freed after it
 * is stored or refused).  tag is returned in the callbacks (import passes
 * the line number).  Waits while the pipeline is full.  Returns 0, or
 * HORCH_ESTOP when the pipeline has failed, was stopped or is finishing: the post is then
 * freed. */
int pipeline_push(struct pipeline *pl, struct post *post, uint64_t tag);

/* As pipeline_push(), for a post fetched by source `source` (a store
 * source id > 0; 0: none), its seq-th (from 1, consecutive over the
 * pipeline's life: the producer numbers its posts) so that the source's
 * cursors are stored with the posts they cover (pipeline_push_cursor()),
 * and the source's health counts its new ones. */
int pipeline_push_source(struct pipeline *pl, struct post *post, uint64_t tag,
			 int64_t source, uint64_t seq);

/* Source `source`'s cursor now covers its posts 1..n_posts (as numbered
 * for pipeline_push_source(), refused ones included).  The writer stores
 * it in the same transaction as the last of those posts to go through a
 * batch (posts reach it in any order: it waits until none of 1..n_posts
 * is missing), or in a transaction of its own when they are all stored
 * already; so a crash keeps either the posts and their cursor, or neither.
 * epoch is the source's cursor epoch when the connector started
 * (store_source.cursor_epoch): a cursor of an older epoch (the source's
 * url changed, or it was reset, meanwhile) is not stored.  A newer cursor
 * replaces an older one not yet stored.  Nothing is stored once a refusal
 * stopped the pipeline (stop_on_reject).  cursor is copied.  Returns 0,
 * HORCH_EINVAL (source 0, cursor NULL) or HORCH_ESTOP (the pipeline failed
 * or is finishing). */
int pipeline_push_cursor(struct pipeline *pl, int64_t source, int64_t epoch,
			 const char *cursor, uint64_t n_posts);

/* Drain every queued post, commit the last batch, stop the threads.
 * Returns 0, or the first error the writer met (its message in err): the
 * batches committed before it stay committed.  Fills *stats if not NULL. */
int pipeline_finish(struct pipeline *pl, struct pipeline_stats *stats,
		    struct horch_err *err);

/* 1 once the writer has failed (nothing more will be committed), else 0.
 * Any thread. */
int pipeline_failed(struct pipeline *pl);

/* A snapshot of the counters (any thread). */
void pipeline_stats(struct pipeline *pl, struct pipeline_stats *out);

/* Append the spans of hit h of r to out as the JSON text the store keeps,
 * [[part,off,len],...] (part 0 the title, 1 the text; byte offsets).
 * Returns 0 or HORCH_ETOOBIG (out's cap).  Any thread. */
int pipeline_spans_json(const struct match_result *r, const struct match_hit *h,
			struct buf *out);

/* Free a finished pipeline (calls pipeline_finish() first if needed).
 * NULL-safe. */
void pipeline_free(struct pipeline *pl);

#endif
