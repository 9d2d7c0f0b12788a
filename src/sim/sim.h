/* sim.h - simulated streams of posts, for demos, tests and training.
 *
 * A scenario is a day of public conversation about the demo company Korvo
 * (a laptop maker; its care account is @KorvoCares), generated from a seed:
 * the same options give the same posts, byte for byte, on the same build.
 * The one scenario so far, "launch", is the launch day of the Korvo Pro 16:
 * a daily rhythm, the announcement at 09:00 with its wave of praise,
 * questions, purchase intent and comparisons with the Lumina Book 16, a
 * hardware fault (cracked hinges) from 14:00 that rises sharply for two
 * hours and then decays, @KorvoCares answering complaints, reposts of
 * popular posts, copy-paste spam campaigns, job ads and promotions; in
 * English and German (about a third), on twitter, mastodon, bluesky,
 * reddit, hn, rss (blogs, with titles) and a forum.  docs/simulate.md
 * describes it hour by hour.
 *
 * The generator is a pure function of its options (its own PRNG, no
 * globals, no clock): any thread may call it. */
#ifndef HORCH_SIM_H
#define HORCH_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/post.h"

#define SIM_POSTS_DEFAULT 6000      /* posts in a day unless asked otherwise */
#define SIM_POSTS_MIN 100           /* fewer cannot hold the scripted events */
#define SIM_POSTS_MAX 200000        /* the day is built in memory */
#define SIM_START_DEFAULT 1794268800000LL /* 2026-11-10T00:00:00Z */
#define SIM_DAY_MS (24LL * 3600 * 1000)

/* Times of the launch scenario, in ms after the start of the day. */
#define SIM_LAUNCH_AT (9LL * 3600 * 1000)   /* the announcement */
#define SIM_FAULT_AT (14LL * 3600 * 1000)   /* the first hinge reports */
#define SIM_FAULT_PEAK (15LL * 3600 * 1000) /* the fault's busiest hour starts */

/* The names of the scenarios, NULL-terminated: "launch". */
extern const char *const sim_scenario_names[];

struct sim_opts {
	const char *scenario;  /* one of sim_scenario_names */
	uint64_t seed;         /* the same seed gives the same posts */
	int64_t start;         /* the day's first moment, ms UTC (SIM_START_DEFAULT) */
	size_t n_posts;        /* posts to make, SIM_POSTS_MIN..SIM_POSTS_MAX */
};

/* What the generator meant a post to be (for tests and for trainers: the
 * JSON carries none of it). */
enum sim_topic {
	SIM_TOPIC_CHATTER = 0, /* everyday talk about Korvo's older products */
	SIM_TOPIC_LAUNCH,      /* the Korvo Pro 16 launch */
	SIM_TOPIC_FAULT,       /* the cracked hinges of the Pro 16 */
	SIM_TOPIC_SPAM,        /* campaigns, job ads, promotions */
	SIM_TOPIC_CARE,        /* @KorvoCares and Korvo's own posts */
};

/* A generated day: posts sorted by created_at, then source and external
 * id; (source, external_id) unique; each reply's and comment's parent is
 * an earlier post of the day. */
struct sim_day {
	struct post *posts;    /* n posts, owned */
	uint8_t *topic;        /* enum sim_topic of each post, owned */
	size_t n;
};

/* Generate the day that opts describe into *out (the caller releases it
 * with sim_day_cleanup()).  Returns 0, or HORCH_EINVAL (an unknown
 * scenario, a post count out of range, a start outside the years 1970 to
 * 9998) with err->msg saying which; *out is then empty. */
int sim_generate(const struct sim_opts *opts, struct sim_day *out, struct horch_err *err);

void sim_day_cleanup(struct sim_day *d);  /* NULL-safe; leaves d empty */

#endif
