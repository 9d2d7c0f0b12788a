/* pipeline.c - worker pool and batching writer (see pipeline.h).
 *
 * Each post travels in a struct item (the post, the producer's tag, and an
 * error if a stage refused it) from the in queue to a worker, which runs the
 * stage table on it, and on to the out queue, where the single writer
 * collects items into batches.  Refused items travel to the writer too, so
 * that every callback runs on one thread and in the order the writer sees
 * the posts.
 *
 * The stages are pure functions of the post and read-only models plus a
 * per-worker scratch area (struct worker): no locks on the hot path.  The
 * match stage reads the matcher a worker took from the slot for the batch
 * of posts it popped (one lock per batch, not per post); a matcher swapped
 * in meanwhile is used from the next batch on, so that every post is
 * matched by exactly one matcher, the old one or the new one.  A post's
 * matches travel with it in its item (topic ids, spans as the JSON text the
 * store keeps) to the writer, which stores posts and matches in one
 * transaction.
 *
 * Live topic changes (opts.reload): the writer stores a batch on the
 * condition that the topics version is still the one its matcher was built
 * from (store_put_posts_at(), which reads it under the write lock).  When
 * another process changed the topics, the writer builds a new matcher,
 * swaps it into the slot and raises the pipeline's generation under
 * gen_lock; a worker takes the matcher and the generation together under
 * the same lock, and every item carries the generation it was matched
 * with.  Before storing, the writer matches again, with its own copy of
 * the current matcher, every item of the batch matched with an older
 * generation: items matched by the old matcher after the swap, and the
 * whole batch after a change. */
#include "pipeline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/hash.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../core/queue.h"
#include "../text/text.h"

struct item {
	struct post *post;        /* owned by the item */
	uint64_t tag;             /* the producer's tag */
	struct horch_err *err;    /* set when a stage refused the post */
	int64_t *topics;          /* the topics the post matched, n_matches of them */
	uint32_t *spans_off;      /* for each: the offset of its spans JSON in spans */
	char *spans;              /* the spans texts, each ending in NUL */
	size_t n_matches;
	uint64_t gen;             /* the matcher generation that matched it */
	int64_t source;           /* the store source it was fetched by (> 0), or 0 */
	char *cursor;             /* a cursor item (post NULL): the source's new cursor */
	uint64_t seq;             /* a post: its number among the source's (from 1); a
				   * cursor: it covers the source's posts 1..seq */
	int64_t epoch;            /* a cursor item: the source's cursor epoch */
};

/* The writer's account of one source: up to which of its posts (by the
 * sequence number the producer gave each, from 1) every one has been
 * through a batch (stored, duplicate or refused), the ones beyond that
 * seen already (posts reach the writer in any order: the workers finish
 * when they finish), and its cursors waiting for the posts they cover. */
struct src_cursor {
	uint64_t seq;
	int64_t epoch;
	char *cursor;
};

struct src_state {
	int64_t source;
	uint64_t w;                  /* every post seq <= w has been through a batch */
	uint8_t *seen;               /* a ring: seen[(head + k) & (cap - 1)] is seq w + 1 + k */
	size_t cap, head;
	struct src_cursor *pending;  /* by seq ascending */
	size_t n_pending, cap_pending;
	uint64_t in_batch;           /* its posts in the batch being stored */
	int32_t mark;                /* its mark in the batch, or -1 */
};

/* What one worker thread keeps between posts. */
struct worker {
	struct pipeline *pl;
	pthread_t thread;
	struct buf scratch;       /* reused for every text a stage rewrites */
	struct buf scratch2;
	const struct matcher *m;  /* the matcher of the current batch, or NULL */
	struct match_doc *doc;    /* the post being matched */
	struct match_result res;  /* its matches */
	struct buf spans;         /* the spans texts of one post */
	struct item *it;          /* the item the stages run on */
	uint64_t gen;             /* the generation of m */
	struct nlp_work *nw;      /* the enrich stage's scratch, or NULL */
};

struct pipeline {
	struct store *st;
	struct pipeline_opts opts;
	struct queue *in;          /* producer -> workers */
	struct queue *out;         /* workers -> writer */
	struct worker *workers;
	size_t n_workers;
	size_t n_started;          /* workers whose thread is running */
	pthread_t writer;
	int writer_started;
	atomic_size_t n_running;   /* workers still running; the last closes out */
	atomic_int failed;         /* 1 once the writer met an error */
	atomic_int stopped;        /* 1 once a refusal stopped it (stop_on_reject) */
	struct horch_err werr;     /* the writer's first error */
	pthread_mutex_t gen_lock;  /* a matcher taken from the slot with its generation */
	uint64_t gen;              /* raised by the writer at each reload; gen_lock */
	struct worker wr;          /* the writer's own matching (after a reload) */
	int64_t version;           /* the topics version of the current matcher */
	int finished;

	atomic_uint_least64_t n_in, n_new, n_dup, n_rejected, n_dropped, n_repaired, n_batches;
	atomic_uint_least64_t n_matches, n_reloads, n_near_dups, n_spam;
	atomic_uint_least64_t analyse_ns, commit_ns, commit_max_ns;
	struct simhash_index *dups; /* the writer's near-duplicate index (with opts.nlp) */
	struct dup_author *authors; /* who wrote the posts in dups: slot id % dup_window */
	int64_t *dup_ids, *dup_of; /* dups_hook()'s marks of one batch */
	uint8_t *dup_spam;
	uint64_t batch_near_dups;  /* dups_hook()'s counts of the batch being stored */
	uint64_t batch_spam;
	struct src_state *srcs;    /* the writer's sources (pipeline_push_source()) */
	size_t n_srcs, cap_srcs;
};

/* The author of a post the near-duplicate index remembers. */
struct dup_author {
	int64_t id;       /* the post */
	uint64_t author;  /* a hash of its author's handle; 0: unknown */
	uint64_t source;  /* a hash of its source */
	uint32_t copies;  /* posts of others on the same source that repeated it */
};

/* A cluster becomes a campaign (its later copies spam) when this many posts
 * of other authors on the original's source have repeated it. */
#define CAMPAIGN_COPIES 2
/* Shorter posts repeat by themselves ("thanks @airline", "same here"):
 * only a copy of at least this many words counts towards a campaign. */
#define CAMPAIGN_WORDS 6

/* A stage: transforms p in place.  Returns 0, or an error (with err filled)
 * to refuse the post. */
typedef int (*stage_fn)(struct worker *w, struct post *p, struct horch_err *err);

/* Replace *field with the normalised form of itself (UTF-8 repaired, NFC).
 * Leaves it untouched, without copying, when it is already normal.  The
 * result must still fit the field's cap (repairing turns one bad byte into
 * three, NFC can lengthen some text): what is stored can always be
 * exported and imported again. */
static int normalise_field(struct worker *w, char **field, const char *name, size_t cap,
			   size_t *n_repaired, struct horch_err *err)
{
	size_t len;
	int rc;

	if (!*field)
		return 0;
	len = strlen(*field);
	buf_reset(&w->scratch);
	rc = text_normalise(&w->scratch, *field, len, n_repaired);
	if (rc || w->scratch.len > cap)
		return horch_err_set(err, HORCH_ETOOBIG, "field \"%s\": more than %zu bytes "
				     "once invalid UTF-8 is repaired and the text composed (NFC)",
				     name, cap);
	if (w->scratch.len != len || memcmp(w->scratch.ptr, *field, len) != 0) {
		free(*field);
		*field = horch_xstrndup(w->scratch.ptr, w->scratch.len);
	}
	return 0;
}

/* Stage 1: HTML to text, invalid UTF-8 repaired, NFC. */
static int stage_normalise(struct worker *w, struct post *p, struct horch_err *err)
{
	size_t n_repaired = 0;
	int rc;

	if (p->html) {
		/* A source that sends both keeps its own plain text. */
		if (!p->text) {
			buf_reset(&w->scratch2);
			rc = text_html_to_text(&w->scratch2, p->html, strlen(p->html));
			if (rc == HORCH_ETOOBIG)
				return horch_err_set(err, rc, "field \"html\": its text is more than "
						     "%u bytes, or the document is too deeply nested",
						     POST_TEXT_MAX);
			if (rc)
				return horch_err_set(err, rc, "field \"html\": cannot be read as HTML");
			p->text = horch_xstrndup(w->scratch2.ptr, w->scratch2.len);
		}
		free(p->html);
		p->html = NULL;
	}
	rc = normalise_field(w, &p->text, "text", POST_TEXT_MAX, &n_repaired, err);
	if (!rc)
		rc = normalise_field(w, &p->title, "title", POST_TEXT_MAX, &n_repaired, err);
	if (!rc)
		rc = normalise_field(w, &p->author_name, "author_name", POST_FIELD_MAX,
				     &n_repaired, err);
	p->n_repaired += n_repaired;
	return rc;
}

int pipeline_spans_json(const struct match_result *r, const struct match_hit *h,
			struct buf *out)
{
	char one[48];

	if (buf_append(out, "[", 1))
		return HORCH_ETOOBIG;
	for (uint32_t i = 0; i < h->n_spans; i++) {
		const struct match_span *sp = &r->spans[h->span0 + i];
		int len = snprintf(one, sizeof one, "%s[%u,%u,%u]", i ? "," : "",
				   (unsigned)sp->part, (unsigned)sp->off, (unsigned)sp->len);

		if (buf_append(out, one, (size_t)len))
			return HORCH_ETOOBIG;
	}
	return buf_append(out, "]", 1) ? HORCH_ETOOBIG : 0;
}

/* Stage 2: match the post against the topics of the worker's matcher and
 * keep the matches in the item.  Runs after normalise, so that the spans
 * are offsets into the text as it is stored.  A post the matcher cannot
 * prepare (longer than the tokenizer takes) is stored without matches
 * rather than refused: its text is valid, only too long to match. */
static int stage_match(struct worker *w, struct post *p, struct horch_err *err)
{
	struct item *it = w->it;
	size_t n;

	(void)err;
	if (!w->m)
		return 0;
	if (match_doc_set(w->doc, p) != 0)
		return 0;
	n = matcher_match(w->m, w->doc, MATCH_SPANS, &w->res);
	if (n == 0)
		return 0;
	buf_reset(&w->spans);
	it->topics = horch_xmalloc(n * sizeof *it->topics);
	it->spans_off = horch_xmalloc(n * sizeof *it->spans_off);
	for (size_t i = 0; i < n; i++) {
		size_t start = w->spans.len;

		/* The buffer holds STORE_SPANS_MAX per post: a post with more
		 * spans than that keeps its match, without spans. */
		if (pipeline_spans_json(&w->res, &w->res.hits[i], &w->spans) ||
		    w->spans.len - start > STORE_SPANS_MAX ||
		    buf_append(&w->spans, "", 1)) {
			w->spans.len = start;
			if (w->spans.ptr)
				w->spans.ptr[start] = '\0';
			it->spans_off[i] = UINT32_MAX;
		} else {
			it->spans_off[i] = (uint32_t)start;
		}
		it->topics[i] = w->res.hits[i].topic;
	}
	it->n_matches = n;
	it->spans = horch_xmalloc(w->spans.len ? w->spans.len : 1);
	memcpy(it->spans, w->spans.ptr ? w->spans.ptr : "", w->spans.len);
	return 0;
}

/* Stage 2, enrich: every enricher of src/nlp on the posts of a worker's
 * batch that normalise accepted, one enricher at a time over the batch
 * (nlp_analyse_batch()).  Before match, so that topics can ask for
 * sentiment:, intent:, lang: and is:question.  A text the tokenizer refuses
 * (longer than TEXT_MAX, beyond the post's own cap) is stored without
 * analysis rather than refused. */
static void enrich_batch(struct worker *w, struct item **items, size_t n)
{
	struct post *posts[NLP_BATCH_MAX];
	size_t k = 0;

	if (!w->pl->opts.nlp)
		return;
	for (size_t i = 0; i < n; i++) {
		if (items[i]->err)
			continue;
		posts[k++] = items[i]->post;
		if (k == NLP_BATCH_MAX) {
			nlp_analyse_batch(w->pl->opts.nlp, w->nw, posts, k);
			k = 0;
		}
	}
	if (k)
		nlp_analyse_batch(w->pl->opts.nlp, w->nw, posts, k);
}

/* The stages every post goes through, in order: those before enrich, then
 * enrich_batch() over the whole batch, then those after it. */
struct stage {
	const char *name;
	stage_fn run;
};

static const struct stage stages_before[] = {
	{ "normalise", stage_normalise },
};

static const struct stage stages_after[] = {
	{ "match", stage_match },
};

/* Run the stages t[0..n) on it, up to the first that refuses the post; the
 * refusal is kept in the item. */
static void run_stages(struct worker *w, struct item *it, const struct stage *t, size_t n)
{
	for (size_t i = 0; i < n && !it->err; i++) {
		struct horch_err err;

		horch_err_clear(&err);
		w->it = it;
		if (t[i].run(w, it->post, &err)) {
			it->err = horch_xmalloc(sizeof *it->err);
			*it->err = err;
		}
	}
}

#define N_STAGES(t) (sizeof(t) / sizeof((t)[0]))

static void free_item(struct item *it)
{
	free(it->cursor);
	post_free(it->post);
	free(it->err);
	free(it->topics);
	free(it->spans_off);
	free(it->spans);
	free(it);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pipeline *pl = w->pl;
	void *batch[64];
	int64_t t0;
	size_t n;

	/* Named for top -H, perf and gdb. */
	prctl(PR_SET_NAME, "horch-worker", 0, 0, 0);
	while ((n = queue_pop_many(pl->in, batch, 64, -1)) > 0) {
		/* One matcher for the whole batch: a swap takes effect at the
		 * next one. */
		pthread_mutex_lock(&pl->gen_lock);
		w->m = pl->opts.matchers ? matcher_slot_get(pl->opts.matchers) : NULL;
		w->gen = pl->gen;
		pthread_mutex_unlock(&pl->gen_lock);
		t0 = horch_mono_ns();
		for (size_t i = 0; i < n; i++) {
			struct item *it = batch[i];

			it->gen = w->gen;
			run_stages(w, it, stages_before, N_STAGES(stages_before));
		}
		enrich_batch(w, (struct item **)batch, n);
		for (size_t i = 0; i < n; i++) {
			struct item *it = batch[i];

			run_stages(w, it, stages_after, N_STAGES(stages_after));
			if (i == n - 1)
				atomic_fetch_add(&pl->analyse_ns, (uint64_t)(horch_mono_ns() - t0));
			if (queue_push(pl->out, it)) {
				/* The out queue closes only after every worker
				 * has left this loop; kept for safety. */
				free_item(it);
			}
		}
		matcher_put(w->m);
		w->m = NULL;
	}
	/* The last worker out closes the writer's queue. */
	if (atomic_fetch_sub(&pl->n_running, 1) == 1)
		queue_close(pl->out);
	return NULL;
}

static void free_items(struct item **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_item(items[i]);
}

/* The writer's arrays, sized to one batch (the matches grow as needed). */
struct batch {
	struct item **items;
	struct item **ok;      /* the accepted items of the batch */
	struct post **posts;
	int *status;
	uint64_t *tags;
	struct store_match *m;
	size_t cap_m;
	struct store_mark *marks;  /* the sources' marks of the batch */
	size_t cap_marks;
	int32_t *post_mark;        /* for each accepted post: its mark, or -1 */
};

/* Forget the matches of item it and match its post again with the
 * writer's matcher (the match stage on the writer's own struct worker). */
static void rematch_item(struct pipeline *pl, struct item *it)
{
	struct horch_err err;

	free(it->topics);
	free(it->spans_off);
	free(it->spans);
	it->topics = NULL;
	it->spans_off = NULL;
	it->spans = NULL;
	it->n_matches = 0;
	it->gen = pl->gen;
	pl->wr.it = it;
	stage_match(&pl->wr, it->post, &err);
}

/* The topics changed: build a matcher of them as they are now, swap it into
 * the slot and raise the generation.  Writer thread.  Returns 0 or the
 * reload's error (in pl->werr). */
static int reload(struct pipeline *pl)
{
	struct matcher *m = NULL;
	int64_t version = -1;
	int rc;

	horch_err_clear(&pl->werr);
	if ((rc = pl->opts.reload(pl->opts.ctx, pl->st, &m, &version, &pl->werr)) != 0)
		return rc;
	pthread_mutex_lock(&pl->gen_lock);
	matcher_slot_swap(pl->opts.matchers, m);
	pl->gen++;
	matcher_put(pl->wr.m);
	pl->wr.m = matcher_slot_get(pl->opts.matchers);
	pthread_mutex_unlock(&pl->gen_lock);
	pl->version = version;
	atomic_fetch_add(&pl->n_reloads, 1);
	horch_log(LOG_INFO, "pipeline", "msg=\"topics changed: matcher rebuilt\" "
		  "topics_version=%lld topics=%zu", (long long)version,
		  m ? matcher_n_topics(m) : (size_t)0);
	return 0;
}

/* A hash of str, never 0; 0 for no string (unknown). */
static uint64_t str_hash(const char *str)
{
	uint64_t h;

	if (!str || !*str)
		return 0;
	h = horch_fnv1a(HORCH_FNV_BASIS, str, strlen(str));
	return h ? h : 1;
}

/* Remember post id (by author hash a, on source hash src), and say
 * whether it makes the cluster of its original dup a copy-paste campaign:
 * a copy by someone else on the same source, after CAMPAIGN_COPIES others
 * did the same.  An original whose slot a newer post took meanwhile is
 * forgotten (no campaign). */
static int campaign(struct pipeline *pl, int64_t id, uint64_t a, uint64_t src, int64_t dup,
		    int repost)
{
	size_t w = pl->opts.dup_window;
	struct dup_author *d = &pl->authors[(uint64_t)dup % w];
	int spam = 0;

	if (dup && !repost && d->id == dup && d->author && a && d->author != a &&
	    d->source == src)
		spam = ++d->copies > CAMPAIGN_COPIES;
	pl->authors[(uint64_t)id % w] = (struct dup_author){ id, a, src, 0 };
	return spam;
}


/* 1 when text has at least n words (runs of letters or digits). */
static int has_words(const char *text, int n)
{
	int in = 0;

	for (const unsigned char *c = (const unsigned char *)(text ? text : ""); *c && n > 0; c++) {
		/* Any byte of a multi-byte character counts as a letter. */
		int word = (*c >= '0' && *c <= '9') || ((*c | 32) >= 'a' && (*c | 32) <= 'z') ||
			   *c >= 0x80;

		if (word && !in)
			n--;
		in = word;
	}
	return n <= 0;
}

/* A share of someone else's post: a repost, or a post that starts "RT @". */
static int is_repost(const struct post *p)
{
	return p->kind == POST_KIND_REPOST || (p->text && strncmp(p->text, "RT @", 4) == 0);
}

/* store_print_fn: seed the near-duplicate index with a stored post, as
 * dups_hook() did when it was stored. */
static int seed_print(void *ctx, const struct store_print *pr)
{
	struct pipeline *pl = ctx;
	int64_t dup = simhash_index_put(pl->dups, pr->simhash, pr->id);

	campaign(pl, pr->id, str_hash(pr->author), str_hash(pr->source), dup,
		 pr->repost || !has_words(pr->text, CAMPAIGN_WORDS));
	return 0;
}

/* store_dups_fn, inside the store's transaction once the batch's posts are
 * inserted: look each new post up in the near-duplicate index (in the order
 * they were stored, so that a copy within the batch finds its original),
 * and hand the store the duplicates to mark in the same transaction.  A
 * retweet wave or a syndicated post is one conversation, not spam; but when
 * more than CAMPAIGN_COPIES posts of other authors on one source repeat a
 * post of CAMPAIGN_WORDS words or more (not as reposts), the cluster is a
 * copy-paste campaign and its further copies are marked spam.  Writer
 * thread.  Should the transaction fail afterwards, the index remembers
 * posts that were not stored; the pipeline stops then anyway. */
static void dups_hook(void *ctx, struct post *const *posts, const int *status, size_t n,
		      struct store_dups *out)
{
	struct pipeline *pl = ctx;
	size_t n_dup = 0;
	uint64_t n_spam = 0;

	for (size_t i = 0; i < n; i++) {
		struct post *p = posts[i];
		int64_t dup;
		int spam;

		if (status[i] != STORE_PUT_NEW || !p->analysed)
			continue;
		n_spam += p->is_spam;
		if (!p->simhash)
			continue;
		dup = simhash_index_put(pl->dups, p->simhash, p->id);
		/* A short post or a repost never makes a campaign. */
		spam = campaign(pl, p->id, str_hash(p->author), str_hash(p->source), dup,
				is_repost(p) || !has_words(p->text, CAMPAIGN_WORDS));
		if (!dup)
			continue;
		p->dup_of = dup;
		pl->dup_ids[n_dup] = p->id;
		pl->dup_of[n_dup] = dup;
		pl->dup_spam[n_dup] = spam && !p->is_spam;
		if (pl->dup_spam[n_dup]) {
			p->is_spam = 1;
			if (p->spam < NLP_SPAM_THRESHOLD)
				p->spam = NLP_SPAM_THRESHOLD;
			p->priority = 0;
			n_spam++;
		}
		n_dup++;
	}
	pl->batch_near_dups = n_dup;
	pl->batch_spam = n_spam;
	out->id = pl->dup_ids;
	out->dup_of = pl->dup_of;
	out->is_spam = pl->dup_spam;
	out->n = n_dup;
}

/* The writer's state of source `source`, made when first seen. */
static struct src_state *src_get(struct pipeline *pl, int64_t source)
{
	struct src_state *ss;

	for (size_t i = 0; i < pl->n_srcs; i++)
		if (pl->srcs[i].source == source)
			return &pl->srcs[i];
	pl->srcs = horch_xgrow(pl->srcs, &pl->cap_srcs, pl->n_srcs + 1, sizeof *pl->srcs);
	ss = &pl->srcs[pl->n_srcs++];
	memset(ss, 0, sizeof *ss);
	ss->source = source;
	ss->mark = -1;
	return ss;
}

/* File cursor item it under its source, in seq order (a producer pushes
 * its cursors in order; the sort only guards against a mistake). */
static void src_add_cursor(struct pipeline *pl, struct item *it)
{
	struct src_state *ss = src_get(pl, it->source);
	size_t k;

	ss->pending = horch_xgrow(ss->pending, &ss->cap_pending, ss->n_pending + 1,
				  sizeof *ss->pending);
	for (k = ss->n_pending; k > 0 && ss->pending[k - 1].seq > it->seq; k--)
		ss->pending[k] = ss->pending[k - 1];
	ss->pending[k].seq = it->seq;
	ss->pending[k].epoch = it->epoch;
	ss->pending[k].cursor = it->cursor;
	ss->n_pending++;
	it->cursor = NULL;
}

/* Post seq of ss has been through the batch being stored: advance the
 * watermark over every post seen without a gap. */
static void src_seen(struct src_state *ss, uint64_t seq)
{
	uint64_t off;

	if (seq <= ss->w)
		return;
	off = seq - ss->w - 1;
	if (off >= ss->cap) {
		size_t cap = ss->cap ? ss->cap : 64;
		uint8_t *ring;

		while (cap <= off)
			cap *= 2;
		ring = horch_xcalloc(cap, 1);
		for (size_t k = 0; k < ss->cap; k++)
			ring[k] = ss->seen[(ss->head + k) & (ss->cap - 1)];
		free(ss->seen);
		ss->seen = ring;
		ss->cap = cap;
		ss->head = 0;
	}
	ss->seen[(ss->head + off) & (ss->cap - 1)] = 1;
	while (ss->seen[ss->head]) {
		ss->seen[ss->head] = 0;
		ss->head = (ss->head + 1) & (ss->cap - 1);
		ss->w++;
	}
}

/* The newest cursor of ss whose posts have all been through a batch
 * (this one included), or NULL. */
static const struct src_cursor *src_ready(const struct src_state *ss)
{
	const struct src_cursor *c = NULL;

	for (size_t k = 0; k < ss->n_pending && ss->pending[k].seq <= ss->w; k++)
		c = &ss->pending[k];
	return c;
}

/* The batch is stored: the cursors it wrote (and any older ones) are
 * forgotten. */
static void src_settle(struct pipeline *pl)
{
	for (size_t i = 0; i < pl->n_srcs; i++) {
		struct src_state *ss = &pl->srcs[i];
		size_t k = 0;

		while (k < ss->n_pending && ss->pending[k].seq <= ss->w)
			free(ss->pending[k++].cursor);
		if (k) {
			memmove(ss->pending, ss->pending + k,
				(ss->n_pending - k) * sizeof *ss->pending);
			ss->n_pending -= k;
		}
		ss->in_batch = 0;
		ss->mark = -1;
	}
}

/* The marks of the batch: one per source with posts in it or a cursor it
 * completes, into b->marks; b->post_mark[i] for the accepted posts.
 * Returns how many.  Nothing once a refusal stopped the pipeline: the
 * posts it dropped were not stored, so no cursor may cover them. */
static size_t src_marks(struct pipeline *pl, struct batch *b, struct item **ok, size_t n_ok)
{
	size_t n_marks = 0;

	if (atomic_load(&pl->stopped)) {
		for (size_t i = 0; i < n_ok; i++)
			b->post_mark[i] = -1;
		return 0;
	}
	for (size_t i = 0; i < pl->n_srcs; i++) {
		struct src_state *ss = &pl->srcs[i];
		const struct src_cursor *c = src_ready(ss);

		if (!ss->in_batch && !c)
			continue;
		b->marks = horch_xgrow(b->marks, &b->cap_marks, n_marks + 1, sizeof *b->marks);
		b->marks[n_marks].source = ss->source;
		b->marks[n_marks].cursor = c ? c->cursor : NULL;
		b->marks[n_marks].epoch = c ? c->epoch : 0;
		ss->mark = (int32_t)n_marks++;
	}
	for (size_t i = 0; i < n_ok; i++)
		b->post_mark[i] = ok[i]->source ? src_get(pl, ok[i]->source)->mark : -1;
	return n_marks;
}

/* Store one batch: the accepted posts and their matches in one
 * transaction, with the cursors of the sources they came from, then the
 * callbacks.  Returns 0 or the store's error. */
static int write_batch(struct pipeline *pl, struct batch *b, size_t n)
{
	struct item **items = b->items, **ok = b->ok;
	struct post **posts = b->posts;
	int *status = b->status;
	uint64_t *tags = b->tags;
	size_t n_ok = 0, n_m = 0, n_marks = 0;
	uint64_t n_new = 0, n_repaired = 0, n_matches = 0;
	int64_t t0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (items[i]->cursor) {
			src_add_cursor(pl, items[i]);
			continue;
		}
		if (items[i]->source) {
			struct src_state *ss = src_get(pl, items[i]->source);

			ss->in_batch++;
			src_seen(ss, items[i]->seq);
		}
		if (atomic_load(&pl->stopped)) {
			/* Behind the refusal that stopped the pipeline. */
			atomic_fetch_add(&pl->n_dropped, 1);
			continue;
		}
		if (items[i]->err) {
			atomic_fetch_add(&pl->n_rejected, 1);
			if (pl->opts.on_reject)
				pl->opts.on_reject(pl->opts.ctx, items[i]->post,
						   items[i]->tag, items[i]->err);
			if (pl->opts.stop_on_reject) {
				atomic_store(&pl->stopped, 1);
				queue_close(pl->in);
			}
			continue;
		}
		ok[n_ok] = items[i];
		posts[n_ok] = items[i]->post;
		tags[n_ok] = items[i]->tag;
		n_ok++;
	}
	if (pl->n_srcs)
		n_marks = src_marks(pl, b, ok, n_ok);
	if (n_ok == 0) {
		/* Only cursors (their posts were stored earlier, or refused):
		 * a transaction of their own. */
		if (n_marks && (rc = store_put_posts_marked(pl->st, -1, NULL, 0, NULL, NULL, 0,
							    b->marks, n_marks, NULL, horch_now(),
							    &pl->werr)))
			return rc;
		src_settle(pl);
		return 0;
	}
	for (;;) {
		n_m = 0;
		for (size_t i = 0; i < n_ok; i++) {
			struct item *it = ok[i];

			if (pl->opts.reload && it->gen != pl->gen)
				rematch_item(pl, it);
			if (!it->n_matches)
				continue;
			b->m = horch_xgrow(b->m, &b->cap_m, n_m + it->n_matches, sizeof *b->m);
			for (size_t k = 0; k < it->n_matches; k++) {
				uint32_t off = it->spans_off[k];

				b->m[n_m].topic = it->topics[k];
				b->m[n_m].post = (int64_t)i;
				b->m[n_m].spans = off == UINT32_MAX ? NULL : it->spans + off;
				n_m++;
			}
		}
		t0 = horch_mono_ns();
		rc = store_put_posts_marked(pl->st, pl->opts.reload ? pl->version : -1, posts,
					    n_ok, status, b->m, n_m, b->marks, n_marks,
					    n_marks ? b->post_mark : NULL, horch_now(), &pl->werr);
		t0 = horch_mono_ns() - t0;
		atomic_fetch_add(&pl->commit_ns, (uint64_t)t0);
		if ((uint64_t)t0 > atomic_load(&pl->commit_max_ns))
			atomic_store(&pl->commit_max_ns, (uint64_t)t0);
		if (rc != STORE_TOPICS_CHANGED)
			break;
		/* Another process changed the topics: match the batch again
		 * with them as they are now. */
		if ((rc = reload(pl)) != 0)
			return rc;
	}
	if (rc)
		return rc;
	src_settle(pl);
	/* Counted by dups_hook() in the transaction that just committed. */
	atomic_fetch_add(&pl->n_near_dups, pl->batch_near_dups);
	atomic_fetch_add(&pl->n_spam, pl->batch_spam);
	pl->batch_near_dups = pl->batch_spam = 0;
	/* Counted here, added to the shared counters once per batch.  Only
	 * a new post's matches are stored (a duplicate's were stored with
	 * its first copy); a match of a topic deleted meanwhile is counted
	 * although the store left it out. */
	for (size_t k = 0; k < n_m; k++)
		n_matches += status[b->m[k].post] == STORE_PUT_NEW;
	for (size_t i = 0; i < n_ok; i++) {
		n_new += status[i] == STORE_PUT_NEW;
		n_repaired += posts[i]->n_repaired;
	}
	atomic_fetch_add(&pl->n_batches, 1);
	atomic_fetch_add(&pl->n_new, n_new);
	atomic_fetch_add(&pl->n_dup, n_ok - n_new);
	atomic_fetch_add(&pl->n_repaired, n_repaired);
	atomic_fetch_add(&pl->n_matches, n_matches);
	if (pl->opts.on_commit) {
		struct pipeline_batch cb = { posts, status, tags, n_ok, b->m, n_m };

		pl->opts.on_commit(pl->opts.ctx, &cb);
	}
	return 0;
}

static void *writer_main(void *arg)
{
	struct pipeline *pl = arg;
	size_t max = pl->opts.batch_max;
	struct batch b = { 0 };
	struct item **items;
	int done = 0;

	b.items = horch_xcalloc(max, sizeof *b.items);
	b.ok = horch_xcalloc(max, sizeof *b.ok);
	b.posts = horch_xcalloc(max, sizeof *b.posts);
	b.status = horch_xcalloc(max, sizeof *b.status);
	b.tags = horch_xcalloc(max, sizeof *b.tags);
	b.post_mark = horch_xcalloc(max, sizeof *b.post_mark);
	items = b.items;

	prctl(PR_SET_NAME, "horch-writer", 0, 0, 0);
	while (!done) {
		size_t n = 0;
		int64_t opened = 0;

		/* Fill a batch until it is full, its time is up, or the
		 * workers are gone. */
		while (n < max) {
			int wait = -1;
			size_t got;

			if (n > 0) {
				int64_t left = pl->opts.batch_ms -
					       (horch_mono_ns() - opened) / 1000000;
				if (left <= 0)
					break;
				wait = (int)left;
			}
			got = queue_pop_many(pl->out, (void **)items + n, max - n, wait);
			if (got == 0) {
				if (queue_closed(pl->out))
					done = 1;
				if (done || n > 0)
					break;
				continue;
			}
			if (n == 0)
				opened = horch_mono_ns();
			n += got;
		}
		if (n == 0)
			continue;
		if (!atomic_load(&pl->failed) &&
		    write_batch(pl, &b, n) != 0) {
			/* pipeline_finish() hands the error to the caller, who
			 * reports it; the log line is for operators. */
			horch_log(LOG_INFO, "pipeline", "msg=\"batch not stored\" posts=%zu error=\"%s\"",
				  n, pl->werr.msg);
			atomic_store(&pl->failed, 1);
			/* Stop taking posts; keep draining so that nobody
			 * waits forever on a full queue. */
			queue_close(pl->in);
		}
		free_items(items, n);
	}
	/* The slot may be freed as soon as pipeline_finish() returns. */
	matcher_put(pl->wr.m);
	pl->wr.m = NULL;
	free(b.items);
	free(b.ok);
	free(b.posts);
	free(b.status);
	free(b.tags);
	free(b.m);
	free(b.marks);
	free(b.post_mark);
	return NULL;
}

static size_t online_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (size_t)n : 1;
}

int pipeline_new(struct pipeline **out, struct store *st, const struct pipeline_opts *opts,
		 struct horch_err *err)
{
	struct pipeline *pl = horch_xcalloc(1, sizeof *pl);
	int rc = 0;

	if (opts)
		pl->opts = *opts;
	if (!pl->opts.n_workers)
		pl->opts.n_workers = online_cores();
	if (!pl->opts.batch_max)
		pl->opts.batch_max = 2000;
	if (pl->opts.batch_ms <= 0)
		pl->opts.batch_ms = 200;
	if (!pl->opts.queue_max)
		pl->opts.queue_max = 8192;
	pl->st = st;
	pthread_mutex_init(&pl->gen_lock, NULL);
	pl->version = pl->opts.topics_version;
	if (!pl->opts.matchers)
		pl->opts.reload = NULL;
	pl->wr.pl = pl;
	if (pl->opts.nlp) {
		if (!pl->opts.dup_window)
			pl->opts.dup_window = 1000000;
		pl->dups = simhash_index_new(pl->opts.dup_window);
		pl->authors = horch_xcalloc(pl->opts.dup_window, sizeof *pl->authors);
		pl->dup_ids = horch_xcalloc(pl->opts.batch_max, sizeof *pl->dup_ids);
		pl->dup_of = horch_xcalloc(pl->opts.batch_max, sizeof *pl->dup_of);
		pl->dup_spam = horch_xcalloc(pl->opts.batch_max, sizeof *pl->dup_spam);
	}
	buf_init(&pl->wr.spans, BUF_NOLIMIT);
	pl->wr.doc = pl->opts.reload ? match_doc_new() : NULL;
	match_result_init(&pl->wr.res);
	pl->in = queue_new(pl->opts.queue_max);
	pl->out = queue_new(pl->opts.queue_max);
	/* The writer thread is not running yet: the store is ours. */
	if (pl->dups) {
		if ((rc = store_recent_prints(st, pl->opts.dup_window, seed_print, pl, err)) != 0)
			goto out;
		store_set_dups_hook(st, dups_hook, pl);
	}
	pl->n_workers = pl->opts.n_workers;
	pl->workers = horch_xcalloc(pl->n_workers, sizeof *pl->workers);
	atomic_store(&pl->n_running, pl->n_workers);

	if (pthread_create(&pl->writer, NULL, writer_main, pl) != 0) {
		rc = horch_err_set(err, HORCH_EIO, "pipeline: cannot start the writer thread");
		goto out;
	}
	pl->writer_started = 1;
	for (size_t i = 0; i < pl->n_workers; i++) {
		struct worker *w = &pl->workers[i];

		w->pl = pl;
		buf_init(&w->scratch, POST_TEXT_MAX);
		buf_init(&w->scratch2, POST_TEXT_MAX);
		buf_init(&w->spans, BUF_NOLIMIT);
		w->doc = pl->opts.matchers ? match_doc_new() : NULL;
		w->nw = pl->opts.nlp ? nlp_work_new() : NULL;
		match_result_init(&w->res);
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			size_t never = pl->n_workers - i;

			rc = horch_err_set(err, HORCH_EIO, "pipeline: cannot start worker %zu", i);
			/* The workers that never ran must not hold the out
			 * queue open. */
			if (atomic_fetch_sub(&pl->n_running, never) == never)
				queue_close(pl->out);
			goto out;
		}
		pl->n_started++;
	}
out:
	if (rc) {
		pipeline_free(pl);
		return rc;
	}
	*out = pl;
	return 0;
}

int pipeline_push_source(struct pipeline *pl, struct post *post, uint64_t tag,
			 int64_t source, uint64_t seq)
{
	struct item *it = horch_xcalloc(1, sizeof *it);

	it->post = post;
	it->tag = tag;
	it->source = source > 0 && seq > 0 ? source : 0;
	it->seq = seq;
	if (atomic_load(&pl->failed) || atomic_load(&pl->stopped) ||
	    queue_push(pl->in, it) != 0) {
		post_free(post);
		free(it);
		return HORCH_ESTOP;
	}
	atomic_fetch_add(&pl->n_in, 1);
	return 0;
}

int pipeline_push(struct pipeline *pl, struct post *post, uint64_t tag)
{
	return pipeline_push_source(pl, post, tag, 0, 0);
}

int pipeline_push_cursor(struct pipeline *pl, int64_t source, int64_t epoch,
			 const char *cursor, uint64_t n_posts)
{
	struct item *it;

	if (source <= 0 || !cursor)
		return HORCH_EINVAL;
	it = horch_xcalloc(1, sizeof *it);
	it->source = source;
	it->cursor = horch_xstrdup(cursor);
	it->seq = n_posts;
	it->epoch = epoch;
	/* Straight to the writer: it holds the cursor until the posts it
	 * covers, which may still be with the workers, are stored. */
	if (atomic_load(&pl->failed) || atomic_load(&pl->stopped) ||
	    queue_push(pl->out, it) != 0) {
		free_item(it);
		return HORCH_ESTOP;
	}
	return 0;
}

int pipeline_finish(struct pipeline *pl, struct pipeline_stats *stats,
		    struct horch_err *err)
{
	if (!pl->finished) {
		pl->finished = 1;
		queue_close(pl->in);
		for (size_t i = 0; i < pl->n_started; i++)
			pthread_join(pl->workers[i].thread, NULL);
		if (pl->writer_started)
			pthread_join(pl->writer, NULL);
		/* The store outlives us: its hook must not. */
		if (pl->dups)
			store_set_dups_hook(pl->st, NULL, NULL);
		/* Anything left (only when a thread failed to start) is
		 * freed here. */
		for (;;) {
			void *rest[64];
			size_t n = queue_pop_many(pl->in, rest, 64, 0);

			if (!n)
				n = queue_pop_many(pl->out, rest, 64, 0);
			if (!n)
				break;
			free_items((struct item **)rest, n);
		}
	}
	if (stats)
		pipeline_stats(pl, stats);
	if (atomic_load(&pl->failed)) {
		if (err)
			*err = pl->werr;
		return pl->werr.code ? pl->werr.code : HORCH_ESTORE;
	}
	return 0;
}

int pipeline_failed(struct pipeline *pl)
{
	return atomic_load(&pl->failed);
}

void pipeline_stats(struct pipeline *pl, struct pipeline_stats *out)
{
	out->n_in = atomic_load(&pl->n_in);
	out->n_new = atomic_load(&pl->n_new);
	out->n_dup = atomic_load(&pl->n_dup);
	out->n_rejected = atomic_load(&pl->n_rejected);
	out->n_dropped = atomic_load(&pl->n_dropped);
	out->n_repaired = atomic_load(&pl->n_repaired);
	out->n_batches = atomic_load(&pl->n_batches);
	out->n_matches = atomic_load(&pl->n_matches);
	out->n_reloads = atomic_load(&pl->n_reloads);
	out->n_near_dups = atomic_load(&pl->n_near_dups);
	out->n_spam = atomic_load(&pl->n_spam);
	out->analyse_ns = atomic_load(&pl->analyse_ns);
	out->commit_ns = atomic_load(&pl->commit_ns);
	out->commit_max_ns = atomic_load(&pl->commit_max_ns);
}

void pipeline_free(struct pipeline *pl)
{
	if (!pl)
		return;
	pipeline_finish(pl, NULL, NULL);
	for (size_t i = 0; i < pl->n_workers; i++) {
		buf_cleanup(&pl->workers[i].scratch);
		buf_cleanup(&pl->workers[i].scratch2);
		buf_cleanup(&pl->workers[i].spans);
		match_doc_free(pl->workers[i].doc);
		match_result_cleanup(&pl->workers[i].res);
		nlp_work_free(pl->workers[i].nw);
	}
	free(pl->workers);
	simhash_index_free(pl->dups);
	free(pl->authors);
	free(pl->dup_ids);
	free(pl->dup_of);
	free(pl->dup_spam);
	for (size_t i = 0; i < pl->n_srcs; i++) {
		for (size_t k = 0; k < pl->srcs[i].n_pending; k++)
			free(pl->srcs[i].pending[k].cursor);
		free(pl->srcs[i].pending);
		free(pl->srcs[i].seen);
	}
	free(pl->srcs);
	buf_cleanup(&pl->wr.spans);
	match_doc_free(pl->wr.doc);
	match_result_cleanup(&pl->wr.res);
	pthread_mutex_destroy(&pl->gen_lock);
	queue_free(pl->in);
	queue_free(pl->out);
	free(pl);
}
