/* scorecard.h - the launch scorecard: how a product launch was received,
 * at one, four and 24 hours after it (horch launch show, GET
 * /api/launches/{id}, the dashboard's launch page).
 *
 * A launch (store.h: a name, a topic and a time "at") is judged by its
 * topic's buckets and posts.  Each window [at, at + 1 h / 4 h / 24 h)
 * counts the topic's posts in it (volume, the three sentiment labels, net
 * sentiment, unique authors from the merged HyperLogLog sketches, reach,
 * complaints and questions), from the minute buckets of its partial hours
 * and the hour buckets of its whole ones, up to "now" when the window is
 * not over.  Now is the later of the wall clock and the topic's newest
 * post, so that a day replayed from the past is complete.  Beside each
 * window: the topic's baseline (its hour buckets over the seven days
 * before at, or over the history it has when that is shorter, scaled to
 * the window's length) and the same window of earlier launches.  Then the
 * top complaints and the top questions of the 24 hours after at (until
 * now; the posts the windows count: neither spam nor near-duplicates),
 * grouped by cluster_texts() (cluster.h) against the topic's complaints
 * or questions of the week before, each with its share and an example
 * post.  docs/signals.md ("Launch scorecards") has the definitions.
 *
 * The scorecard is computed into a struct and rendered as the API's JSON
 * by scorecard_json(); the CLI prints its tables from the struct.  The
 * buckets are read as they are: the caller brings them up to date first
 * (store_signals_update()).  A struct scorecard belongs to one thread. */
#ifndef HORCH_HTTP_SCORECARD_H
#define HORCH_HTTP_SCORECARD_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "cluster.h"

struct query;
struct store;
struct store_launch;
struct store_topic;

#define SCORECARD_WINDOWS 3u        /* 1 h, 4 h, 24 h */
#define SCORECARD_TOP 5u            /* clusters of complaints, and of questions */
#define SCORECARD_POSTS_MAX 5000u   /* newest posts clustered, and baseline posts */
#define SCORECARD_EARLIER_MAX 10u   /* earlier launches compared: the latest ones */
#define SCORECARD_EXAMPLE_CHARS 280u /* code points of an example's text */
#define SCORECARD_TEXT_MAX 4096u    /* bytes of a post's text that are clustered */
#define SCORECARD_BASELINE_MS (7 * 86400000LL) /* the baseline: the week before */

/* The figures of one span of a topic's buckets. */
struct scorecard_tally {
	int64_t volume;       /* posts (spam and near-duplicates are not counted) */
	int64_t positive;     /* of them positive */
	int64_t neutral;      /* neutral */
	int64_t negative;     /* negative */
	double net;           /* (positive - negative) / (positive + negative); NAN when both are 0 */
	int64_t authors;      /* unique authors, estimated (hll.h) */
	double reach;         /* the authors' followers, summed per post */
	int64_t complaints;   /* posts of intent complaint */
	int64_t questions;    /* posts of intent question */
};

/* One window after the launch. */
struct scorecard_window {
	const char *label;          /* "1h", "4h", "24h" (static) */
	int64_t from, to;           /* [at, at + length), ms UTC */
	int complete;               /* 1: now >= to; 0: counted up to now only */
	struct scorecard_tally t;   /* the topic's posts of [from, min(to, now)] */
	double base_volume;         /* the baseline's volume scaled to the length; NAN: no history */
	double base_net;            /* the baseline's net sentiment; NAN: none */
};

/* An earlier launch (any topic, at before this one's), in the same windows
 * after its own at. */
struct scorecard_earlier {
	int64_t id;
	char *name;                              /* owned */
	int64_t topic_id;
	int64_t at;
	int64_t volume[SCORECARD_WINDOWS];       /* its topic's volume of each window */
	double net[SCORECARD_WINDOWS];           /* its net sentiment; NAN: none */
};

/* One cluster of complaints or questions. */
struct scorecard_item {
	char label[CLUSTER_LABEL_MAX];           /* "hinge · cracked · refund" */
	char term[CLUSTER_TERM_MAX + 1];         /* its main term, folded */
	size_t posts;                            /* posts in it */
	double share;                            /* of the posts clustered */
	int64_t example_id;                      /* its example post */
	char *example_author;                    /* owned, or NULL when the post has none */
	char *example_text;                      /* owned: the text (or title), cut to
						  * SCORECARD_EXAMPLE_CHARS code points with "…" */
};

struct scorecard {
	int64_t id;                              /* the launch */
	char *name;                              /* owned */
	int64_t topic_id;
	char *topic_name;                        /* owned */
	int64_t at;                              /* the launch, ms UTC */
	int64_t now;                             /* max(wall clock, the topic's newest post) */
	int64_t base_from;                       /* the baseline is [base_from, at) */
	double base_hours;                       /* its length in hours; 0: no history before at */
	struct scorecard_tally base;             /* its figures (volume not scaled) */
	struct scorecard_window w[SCORECARD_WINDOWS];
	struct scorecard_earlier *earlier;       /* owned, latest launch first */
	size_t n_earlier;
	struct scorecard_item complaints[SCORECARD_TOP];
	size_t n_complaints;
	size_t complaint_posts;                  /* complaints clustered (at most SCORECARD_POSTS_MAX) */
	struct scorecard_item questions[SCORECARD_TOP];
	size_t n_questions;
	size_t question_posts;                   /* questions clustered */
};

/* Compute the scorecard of launch l, whose topic is called topic_name and
 * has the parsed query q (its terms are left out of the clusters; NULL:
 * none), at the wall-clock time wall_now (ms UTC), into *out (its previous
 * content is not read; scorecard_cleanup() frees it, also after a
 * failure).  Reads the buckets as they are.  Returns 0, or HORCH_ESTORE
 * (err filled). */
int scorecard_compute(struct store *st, const struct store_launch *l, const char *topic_name,
		      const struct query *q, int64_t wall_now, struct scorecard *out,
		      struct horch_err *err);

/* Free what sc owns and zero it.  NULL-safe. */
void scorecard_cleanup(struct scorecard *sc);

/* Append sc as the JSON object of GET /api/launches/{id} to out.  Returns
 * 0, or HORCH_ETOOBIG when out's cap is reached (out then holds a part). */
int scorecard_json(const struct scorecard *sc, struct buf *out);

/* Append the launch object of GET /api/launches to out: {"id","name",
 * "topic":{"id","name"},"at","created_at"}; topic_name NULL writes the
 * topic's name as null.  Returns 0 or HORCH_ETOOBIG. */
int scorecard_launch_json(const struct store_launch *l, const char *topic_name,
			  struct buf *out);

/* Fill *out (zeroed by the caller; freed with store_launch_cleanup()) with
 * the launch whose id is id.  Returns 0, HORCH_ENOTFOUND ("no launch with
 * id N") or HORCH_ESTORE. */
int scorecard_launch_by_id(struct store *st, int64_t id, struct store_launch *out,
			   struct horch_err *err);

/* Fill *out (freed with store_topic_cleanup()) with the topic whose id is
 * id.  Returns 0, HORCH_ENOTFOUND ("no topic with id N") or
 * HORCH_ESTORE. */
int scorecard_topic_by_id(struct store *st, int64_t id, struct store_topic *out,
			  struct horch_err *err);

/* Append the text s cut to at most max_chars code points (an invalid byte
 * counts as one), with "…" when it was cut, to out.  Returns 0 or
 * HORCH_ETOOBIG. */
int scorecard_cut_text(struct buf *out, const char *s, size_t max_chars);

#endif
