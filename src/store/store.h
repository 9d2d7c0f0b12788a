/* store.h - where posts, topics and matches are kept: one interface, one
 * file per backend.
 *
 * A store is opened from a URI: "sqlite:PATH" or a plain PATH (SQLite, the
 * default).  Later backends (PostgreSQL) plug in behind the same calls; the
 * rest of horch does not know which one is in use.  Opening applies every
 * pending schema migration.
 *
 * Threads: a struct store is used by one thread at a time.  The pipeline
 * gives its single writer thread its own store; readers open their own. */
#ifndef HORCH_STORE_H
#define HORCH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/post.h"

struct store;

/* Report each topic:NAME reference of the topic query `query` by calling
 * found(fctx, name, len) with the name as written in it.  Returns 0, or
 * non-zero when the query does not parse (it then refers to nothing the
 * store can know of).  The store does not parse queries: the caller that
 * saves topics gives it this (struct store_opts). */
typedef int (*store_refs_fn)(const char *query,
			     void (*found)(void *fctx, const char *name, size_t len),
			     void *fctx);

struct store_opts {
	int no_fts;       /* 1: do not maintain the full-text index (benchmarks only) */
	int read_only;    /* 1: open read-only; fail if the database does not exist */
	/* The topic:NAME references of a query (may be NULL).  With it, every
	 * save, rename or deletion of a topic also resets, in the same
	 * transaction, the topics that refer to it directly or through others:
	 * their matches are deleted, matched_to set to 0 (match the history
	 * again) and revision raised.  Without it they are left as they are. */
	store_refs_fn topic_refs;
};

/* Open (creating if needed, unless read_only) the store named by uri and
 * bring its schema up to date.  opts may be NULL for the defaults.  On
 * success returns 0 and sets *out (free with store_close()).  On failure
 * returns HORCH_ESTORE/HORCH_EINVAL/HORCH_EIO with the reason in err and
 * leaves *out untouched. */
int store_open(struct store **out, const char *uri, const struct store_opts *opts,
	       struct horch_err *err);
void store_close(struct store *st);  /* NULL-safe */

/* The schema version the database is at (after store_open: the latest). */
int store_schema_version(struct store *st);

/* Called once per post found (store_search(): newest first, created_at
 * then id descending; store_scan_posts(): by id ascending).  The post and
 * its strings are valid only during the call.  Return 0 to go on, anything
 * else to stop (the call then returns HORCH_ESTOP). */
typedef int (*store_post_fn)(void *ctx, const struct post *p);

/* Outcome of one post in store_put_posts(). */
enum store_put_status {
	STORE_PUT_NEW = 0,  /* stored; post->id set */
	STORE_PUT_DUP = 1,  /* (source, external_id) was already stored: nothing written */
};

/* Store posts[0..n) in one transaction.  status (may be NULL) receives one
 * enum store_put_status per post; a new post's id is set.  Either the whole
 * batch is committed or, on failure, none of it (returns HORCH_ESTORE with
 * the reason; ids are then left at 0).  The same as
 * store_put_posts_matched() with no matches. */
int store_put_posts(struct store *st, struct post *const *posts, size_t n,
		    int *status, struct horch_err *err);

/* One match of a post against a topic, as the matcher reports it. */
struct store_match {
	int64_t topic;      /* the topic's id (store_topic.id) */
	int64_t post;       /* the post's id; in store_put_posts_matched() an index into posts[] */
	const char *spans;  /* JSON [[part,off,len],...] of the matched terms, or NULL; stored as given */
};

/* Store posts[0..n) as store_put_posts() does and, in the same transaction,
 * the matches m[0..n_m), whose post fields are indexes into posts[] (not
 * ids).  Only the matches of posts that are new (STORE_PUT_NEW) are written:
 * a duplicate's matches were written with its first copy.  A match of a
 * (topic, post) pair that is already stored is ignored (the first spans
 * are kept), and so are the matches of a topic id that no longer exists
 * (deleted while the batch was being matched).  Either the posts and their
 * matches are all committed or nothing is: a crash never leaves a post
 * without its matches.  Returns 0, HORCH_EINVAL (a match's index is not
 * below n, a spans text is longer than STORE_SPANS_MAX), or HORCH_ESTORE;
 * on failure the posts' ids are 0 as for store_put_posts(). */
int store_put_posts_matched(struct store *st, struct post *const *posts, size_t n,
			    int *status, const struct store_match *m, size_t n_m,
			    struct horch_err *err);

/* What store_put_posts_at() returns when the topics changed. */
#define STORE_TOPICS_CHANGED 1

/* As store_put_posts_matched(), on the condition that the topics version
 * (store_topics_version()) is still topics_version when the transaction
 * has begun; -1 stores without the condition.  Returns 0 (stored),
 * STORE_TOPICS_CHANGED (a topic was added, changed or deleted since:
 * nothing is stored, and the caller matches the posts again with the
 * topics as they are now), or an error as store_put_posts_matched().  The
 * version is read under the write lock, so no topic can change between
 * the check and the commit. */
int store_put_posts_at(struct store *st, int64_t topics_version, struct post *const *posts,
		       size_t n, int *status, const struct store_match *m, size_t n_m,
		       struct horch_err *err);

/* Store the matches m[0..n) of posts already stored (m[i].post is a post
 * id), in one transaction, all or nothing: used to match stored history
 * against a new or changed topic.  Pairs already stored and topics that
 * no longer exist are ignored as in store_put_posts_matched().  Returns 0,
 * HORCH_ENOTFOUND (no post with an id given; nothing is written),
 * HORCH_EINVAL or HORCH_ESTORE. */
int store_put_matches(struct store *st, const struct store_match *m, size_t n,
		      struct horch_err *err);

/* The largest spans text a match may carry (bytes). */
#define STORE_SPANS_MAX (256u * 1024)

/* Count the stored matches of one topic (topic > 0) or of all topics
 * (topic 0) into *out by counting rows (the cost grows with the count; the
 * topic list's n_matches is the cheap figure).  Returns 0 or HORCH_ESTORE. */
int store_count_matches(struct store *st, int64_t topic, int64_t *out,
			struct horch_err *err);

/* Called once per stored match by store_post_matches(): post post_id
 * matched topic topic_id with spans (the JSON text stored, or NULL). */
typedef int (*store_match_fn)(void *ctx, int64_t post_id, int64_t topic_id,
			      const char *spans);

/* Call fn for each stored match of the posts ids[0..n) (n at most 1000),
 * ordered by post then topic.  Returns 0, HORCH_ESTOP or HORCH_ESTORE. */
int store_post_matches(struct store *st, const int64_t *ids, size_t n, store_match_fn fn,
		       void *ctx, struct horch_err *err);

/* Call fn for every stored post with id > after_id and, unless since is
 * HORCH_TIME_NONE, created_at >= since (a post of unknown time is then left
 * out), in ascending id order, at most limit posts (0: no limit).  For
 * matching stored history in chunks: pass the last id seen as after_id.
 * The post and its strings are valid only during the call.  Returns 0,
 * HORCH_ESTOP (fn returned non-zero) or HORCH_ESTORE. */
int store_scan_posts(struct store *st, int64_t since, int64_t after_id, size_t limit,
		     store_post_fn fn, void *ctx, struct horch_err *err);

/* What store_search() looks for.  Zero/NULL fields do not filter. */
struct store_query {
	const char *fts;        /* FTS5 expression over title and text, or NULL; a word FTS5
				 * cannot take bare (#tag, @handle, e-mail, don't) is a
				 * phrase of its parts, -word excludes */
	int64_t since;          /* created_at >= since (ms); HORCH_TIME_NONE: no bound */
	int64_t until;          /* created_at < until (ms); HORCH_TIME_NONE: no bound */
	const char *source;     /* exact source */
	const char *lang;       /* exact language code */
	const char *author;     /* exact handle (case-insensitive, without '@') */
	int64_t topic;          /* only posts that matched this topic id; 0: any post */
	const char *sentiment;  /* derived sentiment label: "negative", "neutral", "positive" */
	const char *intent;     /* derived intent: "complaint", "question", ... */
	int spam;               /* enum store_spam: spam left out (the default), kept, or only */
	int needs_review;       /* 1: only posts whose sentiment needs a person's review */
	int64_t before_id;      /* cursor: only posts ordered after this id; 0: from the start */
	size_t limit;           /* at most this many; 0 means 100 */
};

/* What a query does with posts marked spam. */
enum store_spam {
	STORE_SPAM_HIDE = 0,  /* leave them out: spam is kept out of feeds and metrics */
	STORE_SPAM_SHOW,      /* keep them */
	STORE_SPAM_ONLY,      /* only them */
};

void store_query_init(struct store_query *q);

/* Find posts matching q.  Returns 0, HORCH_EPARSE for a bad FTS5 expression
 * (the message names the place), HORCH_ESTOP, or HORCH_ESTORE. */
int store_search(struct store *st, const struct store_query *q, store_post_fn fn,
		 void *ctx, struct horch_err *err);

/* One row of store_stats(): count posts per key of one dimension. */
enum store_dim {
	STORE_DIM_SOURCE = 0,  /* key: source */
	STORE_DIM_LANG,        /* key: language code, "" when unknown */
	STORE_DIM_DAY,         /* key: YYYY-MM-DD (UTC) of created_at, "" when unknown */
	STORE_DIM_SENTIMENT,   /* key: derived sentiment label, "" when not analysed */
	STORE_DIM_INTENT,      /* key: derived intent, "" when not analysed */
};
typedef int (*store_count_fn)(void *ctx, const char *key, int64_t count);

/* Count posts by dim, largest count first (by day: newest day first),
 * at most limit rows (0: all), within q's filters (q may be NULL; its fts,
 * before_id and limit are ignored). */
int store_stats(struct store *st, enum store_dim dim, const struct store_query *q,
		size_t limit, store_count_fn fn, void *ctx, struct horch_err *err);

/* Total number of stored posts. */
int store_count_posts(struct store *st, int64_t *out, struct horch_err *err);

/* ---- near-duplicates ---- */

/* Near-duplicate marks for the posts of a batch: post id[i] nearly repeats
 * post dup_of[i], and is_spam[i] (is_spam may be NULL) says it is a copy of
 * a copy-paste campaign (is_spam set to 1, spam raised to at least 0.5,
 * priority 0). */
struct store_dups {
	const int64_t *id;
	const int64_t *dup_of;
	const uint8_t *is_spam;
	size_t n;
};

/* Called inside the transaction of every store_put_posts*() that stores a
 * new post, after the posts are inserted (ids set, status[i] filled) and
 * before the commit: fills *out (zeroed) with the near-duplicate marks of
 * the batch, which the store writes in the same transaction.  The arrays
 * must stay valid until the call returns.  Should the transaction fail
 * after the call, nothing of the batch is stored. */
typedef void (*store_dups_fn)(void *ctx, struct post *const *posts, const int *status,
			      size_t n, struct store_dups *out);

/* Set the near-duplicate hook of st (NULL: none, the default).  One writer
 * thread; the caller unsets it before ctx goes away. */
void store_set_dups_hook(struct store *st, store_dups_fn fn, void *ctx);

/* One stored post's fingerprint, as store_recent_prints() gives it; the
 * strings are valid during the call only. */
struct store_print {
	int64_t id;
	uint64_t simhash;
	const char *source;
	const char *author;      /* or NULL */
	const char *text;        /* or NULL */
	int repost;              /* 1 for a share: kind repost, or a text starting "RT @" */
};

/* Call fn(ctx, print) for the newest `limit` analysed posts that have a
 * SimHash, oldest first (the order they were stored in), so that a new
 * pipeline's near-duplicate index starts where the last one stopped.
 * Returns 0, HORCH_ESTOP or HORCH_ESTORE. */
typedef int (*store_print_fn)(void *ctx, const struct store_print *print);
int store_recent_prints(struct store *st, size_t limit, store_print_fn fn, void *ctx,
			struct horch_err *err);

/* ---- the product catalogue ---- */

#define STORE_PRODUCT_ALIASES_MAX 64u  /* aliases of one product */

struct store_product {
	int64_t id;            /* set by store_product_add() */
	char *name;            /* "Inspiron 15" */
	char *sku;             /* or NULL */
	char **aliases;        /* other spellings, n_aliases of them */
	size_t n_aliases;
	int64_t created_at;    /* ms UTC; set by store_product_add() */
};

void store_product_cleanup(struct store_product *p);   /* NULL-safe; frees the strings */

/* Add p (name, sku, aliases; copied) to the catalogue; sets p->id and
 * p->created_at.  Returns 0, HORCH_EINVAL (a name taken, compared as topic
 * names are, or empty), or HORCH_ESTORE. */
int store_product_add(struct store *st, struct store_product *p, struct horch_err *err);

typedef int (*store_product_fn)(void *ctx, const struct store_product *p);
/* Call fn for every product, in name order (p valid during the call).
 * Returns 0, HORCH_ESTOP or HORCH_ESTORE. */
int store_product_list(struct store *st, store_product_fn fn, void *ctx,
		       struct horch_err *err);

/* Remove the product called name.  Returns 0, HORCH_ENOTFOUND or
 * HORCH_ESTORE. */
int store_product_delete(struct store *st, const char *name, struct horch_err *err);

/* ---- metrics ----
 *
 * The numbers of the wall (GET /api/metrics, /api/authors/top,
 * /api/terms/trending).  Every call counts the posts of a window
 * [since, until) that matched a set of topics (or every post when no topic
 * is given), by their created_at; posts of unknown time are never counted.
 *
 * What counts as a post of the conversation: posts marked spam (is_spam,
 * copy-paste campaigns included, which the pipeline marks spam) are left
 * out, as DESIGN.md's metrics want.  Near-duplicates (dup_of set: a repost,
 * a quote, the same link shared again) are counted: each is one more
 * person repeating the message, which is what volume and reach measure on
 * the listening platforms ("mentions"), and the copies that are not people
 * talking are the campaigns, already spam.  A post stored twice (the same
 * source and external id) is one row, counted once. */

#define STORE_METRICS_TOPICS_MAX 64u  /* topics of one store_metrics() call */

/* One (topic, bucket) of store_metrics(). */
struct store_metrics_row {
	int64_t topic;     /* the topic's id; 0 when the call gave no topics (all posts) */
	int64_t t;         /* the bucket's start, ms UTC: a multiple of the interval */
	int64_t volume;    /* posts */
	int64_t positive;  /* of them with the sentiment label positive */
	int64_t neutral;   /* ... neutral */
	int64_t negative;  /* ... negative (posts not analysed have no label: in none of the three) */
	int64_t reach;     /* sum of the authors' followers (an unknown count adds 0) */
};

typedef int (*store_metrics_fn)(void *ctx, const struct store_metrics_row *row);

/* Count the posts of [since, until) per topic of topics[0..n) (n at most
 * STORE_METRICS_TOPICS_MAX; n 0: all posts, reported as topic 0) and per
 * bucket of interval_ms (> 0; buckets start at multiples of interval_ms
 * from the Unix epoch, so hours start on the hour).  since and until must
 * be given (not HORCH_TIME_NONE), since < until.  Calls fn once per
 * (topic, bucket) that has posts, topic by topic in the order given, each
 * topic's buckets in time order; buckets without posts are not reported.
 * Returns 0, HORCH_EINVAL (bad arguments), HORCH_ESTOP or HORCH_ESTORE. */
int store_metrics(struct store *st, const int64_t *topics, size_t n, int64_t since,
		  int64_t until, int64_t interval_ms, store_metrics_fn fn, void *ctx,
		  struct horch_err *err);

/* The dimensions of store_metrics_breakdown(). */
enum store_mdim {
	STORE_MDIM_SOURCE = 0,  /* key: source */
	STORE_MDIM_LANG,        /* key: language code, "" when unknown */
	STORE_MDIM_COUNTRY,     /* key: country code, "" when unknown */
};

typedef int (*store_mdim_fn)(void *ctx, enum store_mdim dim, const char *key,
			     int64_t count);

/* Count the posts of [since, until) that matched any of topics[0..n) (a
 * post that matched several counts once; n 0: all posts) by source, by
 * language and by country, in one pass.  Calls fn for the `limit` largest
 * keys of each dimension (0: all), dimension by dimension in the order of
 * enum store_mdim, largest count first (ties by key).  Arguments as for
 * store_metrics().  Returns 0, HORCH_EINVAL, HORCH_ESTOP or HORCH_ESTORE. */
int store_metrics_breakdown(struct store *st, const int64_t *topics, size_t n, int64_t since,
			    int64_t until, size_t limit, store_mdim_fn fn, void *ctx,
			    struct horch_err *err);

/* One author of store_top_authors(); the strings are valid during the
 * call only. */
struct store_author {
	const char *source;   /* where the author posts */
	const char *handle;   /* the handle (of the newest post; handles compare without regard to case) */
	const char *name;     /* display name of the newest post, or NULL */
	int64_t followers;    /* the largest follower count of the posts; POST_COUNT_NONE: unknown */
	int verified;         /* 1 when the newest post marks the author verified */
	int64_t posts;        /* the author's posts in the window */
	double reach;         /* the largest analysed reach (0..10) of the posts; -1: not analysed */
};

typedef int (*store_author_fn)(void *ctx, const struct store_author *a);

#define STORE_AUTHORS_MAX 1000u  /* limit of one store_top_authors() call */

/* Call fn for the authors of the posts of [since, until) (bounds as for
 * store_metrics()) that matched topic (0: of every post), at most limit
 * (1..STORE_AUTHORS_MAX) of them, by (source, handle), ordered by
 * followers (unknown last), then reach, then posts, then source and
 * handle.  Posts without an author are left out.  Returns 0,
 * HORCH_EINVAL, HORCH_ESTOP or HORCH_ESTORE. */
int store_top_authors(struct store *st, int64_t topic, int64_t since, int64_t until,
		      size_t limit, store_author_fn fn, void *ctx, struct horch_err *err);

/* Called once per post by store_post_texts(): its id, created_at, title
 * and text (either may be NULL), valid during the call only. */
typedef int (*store_text_fn)(void *ctx, int64_t id, int64_t created_at, const char *title,
			     const char *text);

/* Call fn for the posts of [since, until) (bounds as for store_metrics())
 * that matched topic (0: every post), newest first, at most limit of them
 * (> 0): the texts of the trending terms.  Returns 0, HORCH_EINVAL,
 * HORCH_ESTOP or HORCH_ESTORE. */
int store_post_texts(struct store *st, int64_t topic, int64_t since, int64_t until,
		     size_t limit, store_text_fn fn, void *ctx, struct horch_err *err);

/* ---- topics ---- */

/* A topic: a named, saved query (docs/query-language.md).  The store keeps
 * the query as text and does not parse it; check it (query_parse()) before
 * saving.  store_topic_get() fills one with strings the caller owns (free
 * them with store_topic_cleanup()); a struct given to a store_topic_fn
 * callback points into the store and is valid only during the call. */
struct store_topic {
	int64_t id;           /* set by the store; > 0 */
	char *name;           /* unique without regard to case; saved in NFC; 1..STORE_TOPIC_NAME_MAX bytes */
	char *query;          /* the query text; 1..STORE_TOPIC_QUERY_MAX bytes */
	char *team;           /* owner team, or NULL */
	char *color;          /* display colour ("#d32f2f"), or NULL */
	int64_t created_at;   /* ms UTC; set by the store */
	int64_t updated_at;   /* ms UTC of the last change; set by the store */
	int64_t n_matches;    /* stored matches; filled by get and list, ignored on write */
	/* How far the stored history is matched against the query:
	 * STORE_HISTORY_DONE when it is complete (or was not wanted), else the
	 * post id up to which it is (0: not yet begun).  See
	 * store_put_history() and migrations/004_topic_history.sql. */
	int64_t matched_to;
	/* Raised by the store in every transaction that gives the topic a new
	 * query, clears its matches or changes a topic it refers to; filled
	 * by get and list, ignored on write.  A history pass carries it to
	 * store_put_history() (migrations/006_topic_revision.sql). */
	int64_t revision;
};

#define STORE_HISTORY_DONE (-1)  /* matched_to of a topic whose history is complete */

#define STORE_TOPIC_NAME_MAX 128u          /* bytes of a name, as saved (NFC) */
#define STORE_TOPIC_NAME_RAW_MAX (4u * STORE_TOPIC_NAME_MAX) /* bytes of a name as given */
#define STORE_TOPIC_QUERY_MAX (16u * 1024) /* bytes of a query (QUERY_MAX_LEN) */
#define STORE_TOPIC_FIELD_MAX 256u         /* bytes of team and color */

struct buf;

/* Append the name `name` to out as the store saves it: in NFC, every
 * Unicode space (Zs) an ASCII space, runs of spaces one, White_Space
 * trimmed at both ends.  Returns 0, or HORCH_EINVAL with the reason when
 * the name cannot be a topic's name (empty or only blanks, over
 * STORE_TOPIC_NAME_RAW_MAX bytes as given or STORE_TOPIC_NAME_MAX as saved,
 * not valid UTF-8, a control, format or other invisible character, a
 * combining mark first), or HORCH_ETOOBIG (out's cap); out is then as it
 * was.  Messages quote the name as store_topic_name_quote() does. */
int store_topic_name_canon(struct buf *out, const char *name, struct horch_err *err);

/* Append the key under which the name name[0..len) is unique to out: the
 * name as saved (store_topic_name_canon()), case folded, accents removed.
 * Two names with one key are one topic ("Über", "über", "Uber", "a b" with
 * a no-break space).  Returns 0 or HORCH_ETOOBIG (out's cap). */
int store_topic_name_key(struct buf *out, const char *name, size_t len);

/* Copy the name s into out[0..size) (size >= 16) for a message: a
 * backslash doubled, control and invalid bytes as \xNN, code points one
 * cannot see or tell apart (format characters, spaces other than U+0020,
 * a combining mark first, private use) as \uXXXX, cut with "..." when it
 * does not fit. */
void store_topic_name_quote(char *out, size_t size, const char *s);

/* Why s[0..len) cannot be the name of a topic or a product (or a product's
 * alias): NULL when it can, else the reason ("is not valid UTF-8", "has a
 * control character", ...).  Refused: invalid UTF-8, and characters one
 * cannot see or type apart from others: controls, format characters
 * (U+FEFF, the zero width space and joiners, direction marks), line and
 * paragraph separators, surrogates and private use. */
const char *store_name_problem(const char *s, size_t len);

/* Free the strings of t and zero it (NULL-safe).  For a struct filled by
 * store_topic_get() or one whose strings the caller allocated. */
void store_topic_cleanup(struct store_topic *t);

/* Save t as a new topic (its id, created_at and n_matches are ignored; its
 * matched_to is written as given: 0 for a topic whose stored history is
 * still to be matched, STORE_HISTORY_DONE for one whose history is not
 * wanted).  On success returns 0 and sets t->id, t->created_at and
 * t->updated_at (now) and t->n_matches (0).  Returns HORCH_EINVAL when a
 * field is not valid (the name as store_topic_name_canon() refuses it;
 * the query is empty or too long; team or color
 * too long; matched_to below STORE_HISTORY_DONE) or the name is taken ("a
 * topic named 'X' exists already": names are unique by their key,
 * store_topic_name_key(), without regard to case, accents and the kind of
 * space), or HORCH_ESTORE.  The name is saved as store_topic_name_canon()
 * writes it.  The messages carry no "topic:" prefix (the caller adds its
 * own), and quote a name with its control bytes escaped. */
int store_topic_add(struct store *st, struct store_topic *t, struct horch_err *err);

/* Change the topic with id t->id to t's name, query, team and color, and
 * set its updated_at to now.  When t->query differs from the stored query,
 * the same transaction deletes the topic's matches (they are of the old
 * query), sets its n_matches to 0 and its matched_to to t->matched_to (0:
 * match the history again with store_put_history(); STORE_HISTORY_DONE:
 * not wanted), so that a crash never leaves matches that disagree with the
 * query.  With the same query the matches and matched_to stay.  Returns 0,
 * HORCH_ENOTFOUND (no topic with that id), HORCH_EINVAL (as for
 * store_topic_add(), including a name another topic has) or
 * HORCH_ESTORE.  A topic keeps its key when its name keeps it (a clash of
 * two names from before migration 006 leaves the later one a key of its
 * own; such a topic can be edited, and renaming it fixes the clash). */
int store_topic_update(struct store *st, const struct store_topic *t,
		       struct horch_err *err);

/* Save t[0..n) in one transaction, all or nothing: a topic with id 0 is
 * added as by store_topic_add() (its id, created_at, updated_at and
 * n_matches are set), one with an id is changed as by store_topic_update().
 * For bulk imports: one commit instead of one per topic.  On failure
 * nothing is saved, the ids of the added topics are 0 again, *failed (may
 * be NULL) is the index of the topic at fault (n when no one topic is) and
 * the error is that of store_topic_add() or store_topic_update(). */
int store_topic_save_many(struct store *st, struct store_topic *t, size_t n, size_t *failed,
			  struct horch_err *err);

/* Find the topic called name (without regard to case: by its folded
 * form, as names are unique) and fill *out
 * with copies the caller owns (store_topic_cleanup()).  Returns 0,
 * HORCH_ENOTFOUND ("no topic named 'X'"; *out is then zeroed) or
 * HORCH_ESTORE. */
int store_topic_get(struct store *st, const char *name, struct store_topic *out,
		    struct horch_err *err);

/* Called once per topic by store_topic_list(); t is valid only during the
 * call.  Return 0 to go on, anything else to stop. */
typedef int (*store_topic_fn)(void *ctx, const struct store_topic *t);

/* Call fn for every topic in name order (ASCII case ignored), with
 * n_matches filled.  Returns 0, HORCH_ESTOP or HORCH_ESTORE. */
int store_topic_list(struct store *st, store_topic_fn fn, void *ctx, struct horch_err *err);

/* The topics version into *out: a number that the store raises in the
 * transaction of every topic added, renamed, given a new query or deleted
 * (migrations/005_topic_version.sql).  A process that built a matcher from
 * the topics compares it later to know whether the matcher is stale.
 * Returns 0 or HORCH_ESTORE. */
int store_topics_version(struct store *st, int64_t *out, struct horch_err *err);

/* Delete the topic called name and all its matches, in one transaction.
 * Returns 0, HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_topic_delete(struct store *st, const char *name, struct horch_err *err);

/* Delete every match of the topic with id topic_id, set its n_matches to 0
 * and its matched_to to 0 (the history is to be matched again), in one
 * transaction.  Returns 0, HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_topic_clear_matches(struct store *st, int64_t topic_id, struct horch_err *err);

/* Store one chunk of a history pass, in one transaction: the matches
 * m[0..n_m) (m[i].post is a post id) of the topics topics[0..n_topics)
 * (ids in ascending order), whose matched_to was from and whose revision
 * was revisions[i] when the pass read them (revisions[0..n_topics)), and move their matched_to to `to`: the last post id the chunk read,
 * or STORE_HISTORY_DONE when the chunk reached the end of the stored posts.
 * A crash therefore loses at most the chunk being matched, and the pass
 * goes on from the matched_to it left.
 *
 * A topic whose matched_to is no longer from, or whose revision is no
 * longer the pass's (deleted, its query changed, its matches cleared, a
 * topic it refers to changed, or its pass finished by another process
 * meanwhile) is left alone and its matches in m dropped: the pass was
 * built for a query that no longer holds.  A (topic, post) pair already stored (a post that
 * the pipeline stored and matched while the history was unfinished) is not
 * written or counted again, so n_matches stays the number of rows.
 * Returns 0, HORCH_EINVAL (topics not ascending, a match of a topic not in
 * topics, from or to below STORE_HISTORY_DONE, a spans text over
 * STORE_SPANS_MAX), HORCH_ENOTFOUND (no post with an id given; nothing is
 * written) or HORCH_ESTORE. */
int store_put_history(struct store *st, const int64_t *topics, const int64_t *revisions,
		      size_t n_topics, int64_t from, int64_t to, const struct store_match *m,
		      size_t n_m, struct horch_err *err);

/* ---- users, sessions, tokens, subscriptions ---- */

/* The store keeps what src/http/auth.c gives it and hashes nothing
 * itself: a password arrives as its Argon2id string, a session cookie or
 * an API token as the hex BLAKE2b hash of the secret.  A role is one of
 * "viewer", "agent", "analyst", "admin" (the store refuses anything
 * else).  See migrations/008_users.sql. */

#define STORE_USER_NAME_MAX 64u    /* bytes of a user name */
#define STORE_TOKEN_LABEL_MAX 64u  /* bytes of a token's label */
#define STORE_HASH_MAX 256u        /* bytes of a password hash or secret hash */

/* A user.  store_user_get() and store_user_get_id() fill one with strings
 * the caller owns (store_user_cleanup()); one given to a store_user_fn
 * points into the store and is valid only during the call. */
struct store_user {
	int64_t id;           /* set by store_user_add(); > 0 */
	char *name;           /* 1..STORE_USER_NAME_MAX bytes, unique by its key as topic names are */
	char *role;           /* "viewer", "agent", "analyst" or "admin" */
	char *pw_hash;        /* the password's Argon2id string */
	int must_change;      /* 1: a one-time password, to be changed at the next sign-in */
	int disabled;         /* 1: may not sign in */
	int64_t created_at;   /* ms UTC; set by store_user_add() */
};

void store_user_cleanup(struct store_user *u);  /* NULL-safe; frees the strings, zeroes u */

/* Why name cannot be a user's name, or NULL when it can: 1 to
 * STORE_USER_NAME_MAX bytes of valid UTF-8 (store_name_problem()), no
 * blank or control character, not starting with '-'. */
const char *store_user_name_problem(const char *name);

/* Add the user u (name, role, pw_hash, must_change, disabled; copied); sets
 * u->id and u->created_at.  Returns 0, HORCH_EINVAL (a name, role or hash
 * that is not valid), HORCH_EEXIST ("a user named 'X' exists already":
 * names compare without regard to case and accents) or HORCH_ESTORE. */
int store_user_add(struct store *st, struct store_user *u, struct horch_err *err);

/* Fill *out with the user called name (by its key: "ADA" finds "ada"), or
 * with the user of id id.  Returns 0, HORCH_ENOTFOUND (*out zeroed) or
 * HORCH_ESTORE. */
int store_user_get(struct store *st, const char *name, struct store_user *out,
		   struct horch_err *err);
int store_user_get_id(struct store *st, int64_t id, struct store_user *out,
		      struct horch_err *err);

typedef int (*store_user_fn)(void *ctx, const struct store_user *u);
/* Call fn for every user in name order.  Returns 0, HORCH_ESTOP or
 * HORCH_ESTORE. */
int store_user_list(struct store *st, store_user_fn fn, void *ctx, struct horch_err *err);

/* Remove the user called name with their sessions and subscriptions.
 * Returns 0, HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_user_delete(struct store *st, const char *name, struct horch_err *err);

/* Set the password hash and must_change flag of user id.  Returns 0,
 * HORCH_EINVAL (no hash), HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_user_set_password(struct store *st, int64_t id, const char *pw_hash, int must_change,
			    struct horch_err *err);

/* The number of users into *out.  Returns 0 or HORCH_ESTORE. */
int store_user_count(struct store *st, int64_t *out, struct horch_err *err);

/* A session: a signed-in browser, of a user or of an API token (exactly
 * one of user_id and token_id is non-zero). */
struct store_session {
	char *hash;           /* hex hash of the cookie value: the key */
	int64_t user_id;      /* the user, or 0 */
	int64_t token_id;     /* the token, or 0 */
	char *csrf;           /* the session's CSRF token */
	int64_t created_at;   /* ms UTC */
	int64_t expires_at;   /* ms UTC */
};

void store_session_cleanup(struct store_session *s);  /* NULL-safe; zeroes s */

/* Store the new session s (copied).  Returns 0, HORCH_EINVAL (no hash or
 * csrf, not exactly one owner), HORCH_EEXIST (the hash is taken),
 * HORCH_ENOTFOUND (no such user or token) or HORCH_ESTORE. */
int store_session_put(struct store *st, const struct store_session *s, struct horch_err *err);

/* Fill *out with the session whose hash is hash (expired or not: the
 * caller compares expires_at).  Returns 0, HORCH_ENOTFOUND (*out zeroed)
 * or HORCH_ESTORE. */
int store_session_get(struct store *st, const char *hash, struct store_session *out,
		      struct horch_err *err);

/* End the session hash (0 also when there is none), or every session of
 * user_id except the one whose hash is keep (NULL: all of them).  Return 0
 * or HORCH_ESTORE. */
int store_session_delete(struct store *st, const char *hash, struct horch_err *err);
int store_session_delete_user(struct store *st, int64_t user_id, const char *keep,
			      struct horch_err *err);

/* Move the expiry of session hash to expires_at.  Returns 0,
 * HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_session_extend(struct store *st, const char *hash, int64_t expires_at,
			 struct horch_err *err);

/* Delete every session that expired at or before now; the number deleted
 * into *n (may be NULL).  Returns 0 or HORCH_ESTORE. */
int store_session_purge(struct store *st, int64_t now, int64_t *n, struct horch_err *err);

/* An API token.  Filled as struct store_user is. */
struct store_token {
	int64_t id;            /* set by store_token_add(); > 0 */
	char *hash;            /* hex hash of the token */
	char *role;            /* as a user's */
	char *label;           /* 0..STORE_TOKEN_LABEL_MAX bytes of UTF-8; never NULL when read */
	int64_t created_at;    /* ms UTC; set by store_token_add() */
	int64_t last_used_at;  /* ms UTC, 0: never */
	int64_t revoked_at;    /* ms UTC, 0: valid */
};

void store_token_cleanup(struct store_token *t);  /* NULL-safe; zeroes t */

/* Add the token t (hash, role, label; copied); sets t->id and
 * t->created_at.  Returns 0, HORCH_EINVAL, HORCH_EEXIST (the hash is
 * taken) or HORCH_ESTORE. */
int store_token_add(struct store *st, struct store_token *t, struct horch_err *err);

/* Fill *out with the token whose hash is hash (revoked or not) or whose id
 * is id.  Returns 0, HORCH_ENOTFOUND (*out zeroed) or HORCH_ESTORE. */
int store_token_get_by_hash(struct store *st, const char *hash, struct store_token *out,
			    struct horch_err *err);
int store_token_get_id(struct store *st, int64_t id, struct store_token *out,
		       struct horch_err *err);

typedef int (*store_token_fn)(void *ctx, const struct store_token *t);
/* Call fn for every token, revoked ones included, by id.  Returns 0,
 * HORCH_ESTOP or HORCH_ESTORE. */
int store_token_list(struct store *st, store_token_fn fn, void *ctx, struct horch_err *err);

/* Revoke token id (its revoked_at set to now, its sessions ended; revoking
 * a revoked token changes nothing).  Returns 0, HORCH_ENOTFOUND or
 * HORCH_ESTORE. */
int store_token_revoke(struct store *st, int64_t id, struct horch_err *err);

/* Record that token id was used at now.  Returns 0 or HORCH_ESTORE (an
 * unknown id is no error). */
int store_token_touch(struct store *st, int64_t id, int64_t now, struct horch_err *err);

/* Subscribe user_id to topic_id (subscribing twice is one subscription).
 * Returns 0, HORCH_ENOTFOUND (no such user or topic) or HORCH_ESTORE. */
int store_sub_add(struct store *st, int64_t user_id, int64_t topic_id, struct horch_err *err);

/* End the subscription of user_id to topic_id (0 also when there was
 * none).  Returns 0 or HORCH_ESTORE. */
int store_sub_delete(struct store *st, int64_t user_id, int64_t topic_id,
		     struct horch_err *err);

/* Called once per subscription by store_sub_list(): the topic's id and
 * name (valid during the call). */
typedef int (*store_sub_fn)(void *ctx, int64_t topic_id, const char *topic_name);

/* Call fn for each topic user_id subscribes to, in topic name order.
 * Returns 0, HORCH_ESTOP or HORCH_ESTORE. */
int store_sub_list(struct store *st, int64_t user_id, store_sub_fn fn, void *ctx,
		   struct horch_err *err);

/* ---- signals: buckets, answers, launches, alerts (009_signals.sql) ----
 *
 * Buckets and the posts waiting for an answer are derived from the posts
 * and matches, by store_signals_update(): it reads the posts stored since
 * its last call (a mark kept in the database), adds them to the buckets
 * of their topics and products and to the answer table, and moves the
 * mark, all in one transaction, so that a crash neither loses nor counts
 * twice.  A topic whose matches changed outside the live path (a backfill,
 * a rematch, a deletion) has its buckets rebuilt from its matches by the
 * next call.  horch serve calls it every few seconds on a thread of its
 * own, and horch launch show before it reads; posts imported while no
 * server runs are counted by the next of them. */

enum store_scope {
	STORE_SCOPE_TOPIC = 0,
	STORE_SCOPE_PRODUCT = 1,
};

/* One bucket (see 009_signals.sql for the meaning of each figure). */
struct store_bucket {
	int scope;               /* enum store_scope */
	int64_t ref;             /* the topic's or product's id */
	int res;                 /* seconds: 60, 3600, 86400 */
	int64_t t;               /* its start, ms UTC */
	int64_t volume, positive, neutral, negative;
	double sentiment_sum, reach;
	int64_t complaints, questions;
	double rating_sum;
	int64_t rating_n;
	int64_t spam, dups;
	const uint8_t *authors;  /* HLL_REGISTERS bytes (src/core/hll.h), or NULL */
};

typedef int (*store_bucket_fn)(void *ctx, const struct store_bucket *b);

/* Call fn for each bucket of resolution res (60, 3600 or 86400) of scope
 * whose ref is in refs[0..n) (n 0: every subject) and whose t is in
 * [since, until), by ref then t (b valid during the call).  Returns 0,
 * HORCH_EINVAL (a bad res or scope), HORCH_ESTOP or HORCH_ESTORE. */
int store_buckets(struct store *st, int scope, const int64_t *refs, size_t n, int res,
		  int64_t since, int64_t until, store_bucket_fn fn, void *ctx,
		  struct horch_err *err);

struct store_signals_opts {
	const char *const *accounts;  /* the company's handles (no '@'); their replies answer.
				       * Stored for the calls that pass NULL, which use the
				       * last ones given (an empty list is a list) */
	size_t n_accounts;
	size_t max_posts;             /* posts read by one call; 0: 20,000 */
	int64_t keep_minutes_ms;      /* minute buckets older than the newest minus this are
				       * deleted (once a day); 0: 35 days; < 0: kept */
	/* Called after the commit with what the call added to each minute
	 * bucket (res 60; the figures are the increments, authors the posts'
	 * sketch), by scope, ref and t; NULL: not called.  Rebuilt topics are
	 * not reported.  Its return value is ignored. */
	store_bucket_fn on_minute;
	void *ctx;
};

struct store_signals_done {
	int64_t posts;        /* posts read */
	int64_t mark;         /* the id of the last post read (the new mark) */
	int64_t answered;     /* posts answered by a reply read */
	int64_t waiting;      /* posts that need an answer, added */
	size_t rebuilt;       /* topics whose buckets were rebuilt */
	int more;             /* 1: posts are left beyond max_posts: call again */
	int64_t newest_before;/* the start of the newest minute bucket before the call
			       * (0: none): where a restarted reader picks up */
};

/* Bring the buckets and answers up to date with the posts stored, as the
 * section's comment says.  Returns 0 (out filled), or HORCH_ESTORE. */
int store_signals_update(struct store *st, const struct store_signals_opts *o,
			 struct store_signals_done *out, struct horch_err *err);

/* A post that waits for an answer, with one of the topics it matched. */
struct store_waiting {
	int64_t post_id;
	int64_t created_at;
	double priority;
	int64_t topic_id;      /* 0: it matched no topic */
};

typedef int (*store_waiting_fn)(void *ctx, const struct store_waiting *w);

/* Call fn for each post that needed an answer and did not get one within
 * sla_ms (none yet, or a later one), written in [before - 7 days, before)
 * with priority >= min_priority and not named by an alert yet, once per
 * topic it matched, oldest first, at most limit posts.  Checked at the
 * stream's time, this is the same whether the answer came later or not at
 * all.  Returns 0, HORCH_ESTOP or HORCH_ESTORE. */
int store_answers_waiting(struct store *st, int64_t before, int64_t sla_ms, double min_priority,
			  size_t limit, store_waiting_fn fn, void *ctx, struct horch_err *err);

/* Mark posts ids[0..n) as named by an alert.  Returns 0 or HORCH_ESTORE. */
int store_answers_alerted(struct store *st, const int64_t *ids, size_t n,
			  struct horch_err *err);

/* Mark post_id answered by `by` (a user's name) at `at`, if it had no
 * answer yet.  Returns 0, HORCH_ENOTFOUND (no such post), HORCH_EINVAL (a
 * post that needs no answer: not a complaint or a question) or
 * HORCH_ESTORE. */
int store_answer_mark(struct store *st, int64_t post_id, const char *by, int64_t at,
		      struct horch_err *err);

/* The answers of the posts that needed one and were written in [since,
 * until). */
struct store_answer_stats {
	int64_t needing;       /* posts that needed an answer */
	int64_t answered;      /* of them answered */
	int64_t within_sla;    /* answered within sla_ms */
	double median_ms;      /* first-response time; NAN without answers */
	double mean_ms;
};

int store_answer_stats(struct store *st, int64_t since, int64_t until, int64_t sla_ms,
		       struct store_answer_stats *out, struct horch_err *err);

/* A launch (horch launch add). */
struct store_launch {
	int64_t id;            /* set by store_launch_add() */
	char *name;
	int64_t topic_id;
	int64_t at;            /* the launch, ms UTC */
	int64_t created_at;    /* set by store_launch_add() */
};

void store_launch_cleanup(struct store_launch *l); /* NULL-safe; frees name */

/* Add l (name copied).  Returns 0, HORCH_EEXIST (the name is taken, without
 * regard to case), HORCH_ENOTFOUND (no such topic) or HORCH_ESTORE. */
int store_launch_add(struct store *st, struct store_launch *l, struct horch_err *err);

/* The launch called name into *out (zeroed by the caller; cleaned up by
 * it).  Returns 0, HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_launch_get(struct store *st, const char *name, struct store_launch *out,
		     struct horch_err *err);

typedef int (*store_launch_fn)(void *ctx, const struct store_launch *l);

/* Call fn for each launch, oldest launch first.  Returns 0, HORCH_ESTOP or
 * HORCH_ESTORE. */
int store_launch_list(struct store *st, store_launch_fn fn, void *ctx, struct horch_err *err);

/* Remove the launch called name.  Returns 0, HORCH_ENOTFOUND or
 * HORCH_ESTORE. */
int store_launch_delete(struct store *st, const char *name, struct horch_err *err);

/* An alert (see 009_signals.sql).  The strings are owned by the struct
 * when it was filled by the store, and cleaned up by
 * store_alert_cleanup(). */
struct store_alert {
	int64_t id;
	char *rule, *kind, *key;
	int64_t topic_id, product_id;   /* 0: none */
	char *severity, *title, *summary;
	char *evidence;                  /* JSON object */
	char *recipients;                /* JSON array */
	char *state;                     /* "open", "acked", "resolved" */
	int64_t at, last_at, fired, opened_at;
	char *acked_by;                  /* NULL: not acknowledged */
	int64_t acked_at;
	char *resolved_by;               /* NULL: not resolved */
	int64_t resolved_at;
};

void store_alert_cleanup(struct store_alert *a); /* NULL-safe; frees the strings, zeroes a */

/* What store_alert_raise() did. */
enum store_raise {
	STORE_RAISE_NEW = 0,       /* a new alert: a->id set */
	STORE_RAISE_BUMPED = 1,    /* the open alert of the same rule and key fired again:
				    * a->id is its id; its fired and last_at updated (and
				    * with refresh its title, summary and evidence) */
	STORE_RAISE_COOLING = 2,   /* the last alert of the same rule and key was resolved
				    * less than cooldown_ms before a->at: nothing written */
};

/* Raise alert a (its rule, kind, key, subject, severity, title, summary,
 * evidence, recipients and at; the rest is set here) in one transaction:
 * one incident is one alert (see enum store_raise).  refresh: a bump
 * replaces the title, summary and evidence (a count that grows); else they
 * stay those of the onset.  *out says which.  Returns 0, HORCH_EINVAL (a
 * bad kind or severity) or HORCH_ESTORE. */
int store_alert_raise(struct store *st, struct store_alert *a, int64_t cooldown_ms,
		      int refresh, enum store_raise *out, struct horch_err *err);

/* The id of the open or acknowledged alert of rule and key into *id (0:
 * none).  Returns 0 or HORCH_ESTORE. */
int store_alert_open_id(struct store *st, const char *rule, const char *key, int64_t *id,
			struct horch_err *err);

/* Alert id into *out (zeroed by the caller).  Returns 0, HORCH_ENOTFOUND
 * or HORCH_ESTORE. */
int store_alert_get(struct store *st, int64_t id, struct store_alert *out,
		    struct horch_err *err);

typedef int (*store_alert_fn)(void *ctx, const struct store_alert *a);

/* Call fn for the alerts in state (NULL: any; "active": open or acked) with
 * an id below before_id (0: no bound), newest first, at most limit.
 * Returns 0, HORCH_ESTOP or HORCH_ESTORE. */
int store_alert_list(struct store *st, const char *state, int64_t before_id, size_t limit,
		     store_alert_fn fn, void *ctx, struct horch_err *err);

/* Acknowledge (state "acked") or resolve (state "resolved") alert id by
 * `by` at `at`.  Acknowledging a resolved alert changes nothing; resolving
 * twice keeps the first.  Returns 0, HORCH_EINVAL (another state),
 * HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_alert_set_state(struct store *st, int64_t id, const char *state, const char *by,
			  int64_t at, struct horch_err *err);

/* Record a delivery of an alert: a new row when *id is 0 (then set), else
 * row *id's state, attempts, error and time updated (its alert, channel
 * and target stay).  channel "webhook" or "email"; state "pending", "sent",
 * "failed" or "held".  Returns 0, HORCH_EINVAL or HORCH_ESTORE. */
int store_delivery_put(struct store *st, int64_t *id, int64_t alert_id, const char *channel,
		       const char *target, const char *state, int attempts, const char *error,
		       int64_t at, struct horch_err *err);

/* Deliveries still pending or held when a server stopped (its queue is in
 * memory) are marked failed with why, at `at`; *n gets how many.  Returns 0
 * or HORCH_ESTORE. */
int store_deliveries_abandon(struct store *st, const char *why, int64_t at, int64_t *n,
			     struct horch_err *err);

/* One delivery, as store_delivery_list() gives it (strings valid during
 * the call). */
struct store_delivery {
	int64_t id, alert_id;
	const char *channel, *target, *state, *error;
	int attempts;
	int64_t at;
};

typedef int (*store_delivery_fn)(void *ctx, const struct store_delivery *d);

int store_delivery_list(struct store *st, int64_t alert_id, store_delivery_fn fn, void *ctx,
			struct horch_err *err);

/* Alert rules made through the API: spec is the rule as JSON.  put adds
 * or replaces (by name, without regard to case).  Return 0, HORCH_ENOTFOUND
 * (delete of an unknown name), HORCH_ESTOP or HORCH_ESTORE. */
typedef int (*store_rule_fn)(void *ctx, const char *name, const char *spec);
int store_rule_put(struct store *st, const char *name, const char *spec, struct horch_err *err);
int store_rule_list(struct store *st, store_rule_fn fn, void *ctx, struct horch_err *err);
int store_rule_delete(struct store *st, const char *name, struct horch_err *err);

/* ---- sources (the connectors' settings, cursors and health) ----
 *
 * A source row holds what `horch source add` or a [source NAME] section of
 * horch.conf gave (the store does not interpret the settings: params is a
 * JSON object of strings), the connector's cursor, and its health as the
 * runner reports it. */

struct store_source {
	int64_t id;
	const char *name, *kind, *url;  /* url NULL: the kind's default */
	int interval;                   /* seconds; 0: the kind's default */
	int enabled, from_config;
	const char *params;             /* JSON object of the other settings */
	const char *cursor;             /* "" when none yet */
	int64_t cursor_epoch;           /* raised each time the cursor is cleared */
	int64_t created_at, updated_at;
	/* health; HORCH_TIME_NONE when never */
	int64_t last_poll, last_ok, last_post, last_error_at, last_warning_at;
	const char *last_error, *last_warning; /* NULL: none */
	int errors;                     /* failed fetches in a row */
	int64_t n_posts;                /* new posts stored, ever */
	/* filled by store_source_list() and store_source_get() for `now` */
	int64_t posts_hour;             /* new posts in the hour before now */
	double baseline_hour;           /* mean new posts per hour over the 7 days before
					 * that hour (only the hours since the source was
					 * added) */
	int64_t posts_6h;               /* new posts in the 6 hours before now */
	int64_t baseline_hours;         /* hours the baseline is taken over (0: none yet) */
};

/* Called once per source (strings valid during the call only).  Return 0
 * to go on, anything else to stop (HORCH_ESTOP). */
typedef int (*store_source_fn)(void *ctx, const struct store_source *s);

/* Add source s (by name; id, cursor and health ignored) or, when one of
 * that name exists, replace its settings (kind, url, interval, enabled,
 * from_config, params), keeping its cursor and health; a changed kind or
 * url also clears the cursor (it belonged to another feed) and raises the
 * cursor epoch.  updated_at is
 * set to now when anything changed.  *id (may be NULL) gets the row id.
 * Returns 0, HORCH_EINVAL (no name or kind, params not a JSON object) or
 * HORCH_ESTORE. */
int store_source_put(struct store *st, const struct store_source *s, int64_t now,
		     int64_t *id, struct horch_err *err);

/* Call fn for the source named name (without regard to case), with its
 * health figures for now.  Returns 0, HORCH_ENOTFOUND, HORCH_ESTOP or
 * HORCH_ESTORE. */
int store_source_get(struct store *st, const char *name, int64_t now, store_source_fn fn,
		     void *ctx, struct horch_err *err);

/* Call fn for every source, by name, with its health figures for now.
 * Returns 0, HORCH_ESTOP or HORCH_ESTORE. */
int store_source_list(struct store *st, int64_t now, store_source_fn fn, void *ctx,
		      struct horch_err *err);

/* Delete the source named name with its hourly counts (its posts stay).
 * Returns 0, HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_source_delete(struct store *st, const char *name, struct horch_err *err);

/* The outcome of one fetch (or, for a stream, of one stretch of it), as
 * the runner reports it. */
struct store_source_report {
	int64_t at;                /* when it ended */
	int ok;                    /* 1: succeeded (errors set to 0), 0: failed */
	const char *error;         /* with ok 0: what failed (no credentials in it) */
	const char *warning;       /* something to know, or NULL */
};

/* Record report r of source id: last_poll, and last_ok or last_error and
 * errors, last_warning, and the hour's fetches and errors.  Returns 0,
 * HORCH_ENOTFOUND (the source was deleted meanwhile) or HORCH_ESTORE. */
int store_source_report(struct store *st, int64_t id, const struct store_source_report *r,
			struct horch_err *err);

/* Set the cursor of source name (the way to make a connector read again
 * from the start: ""; or to skip ahead), raise its cursor epoch (so that
 * what a running connector still hands on does not overwrite it) and its
 * updated_at (so that horch serve restarts it from the new cursor).
 * Returns 0, HORCH_ENOTFOUND or HORCH_ESTORE. */
int store_source_set_cursor(struct store *st, const char *name, const char *cursor,
			    struct horch_err *err);

/* The longest cursor a source may keep (bytes). */
#define STORE_CURSOR_MAX 4096u

/* A mark of store_put_posts_marked(): source `source`'s cursor moves to
 * cursor (NULL: it stays) and the batch's new posts of that source count
 * towards its health. */
struct store_mark {
	int64_t source;            /* source.id */
	const char *cursor;        /* the new cursor, or NULL */
	int64_t epoch;             /* with a cursor: the cursor epoch it belongs to; the
				    * cursor is not written when the source's is another */
};

/* As store_put_posts_at(), and in the same transaction the marks
 * marks[0..n_marks): for each mark k its cursor, and the number of new
 * posts i (status STORE_PUT_NEW) with post_mark[i] == k added to the
 * source's n_posts and to its hour at `at`.  post_mark may be NULL (no
 * post counts) and n may be 0 (only the marks are written).  A mark of a
 * source deleted meanwhile is ignored.  Returns as store_put_posts_at(). */
int store_put_posts_marked(struct store *st, int64_t topics_version,
			   struct post *const *posts, size_t n, int *status,
			   const struct store_match *m, size_t n_m,
			   const struct store_mark *marks, size_t n_marks, const int32_t *post_mark,
			   int64_t at, struct horch_err *err);

#endif
