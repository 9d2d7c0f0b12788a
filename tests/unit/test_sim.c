/* test_sim.c - the simulated day (src/sim): determinism, the shape of the
 * launch scenario (the daily rhythm, the launch wave, the hinge fault's
 * spike), its mix of languages and sources, and that every post is a valid
 * post that reads back from its JSON. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tap.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/post.h"
#include "sim/sim.h"

#define HOUR_MS (3600LL * 1000)

/* The day as JSON Lines, for byte comparisons (the caller frees it). */
static char *day_json(const struct sim_day *d)
{
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	for (size_t i = 0; i < d->n; i++) {
		if (post_to_json(&d->posts[i], &b) != 0)
			abort();
		buf_putc(&b, '\n');
	}
	return buf_take(&b);
}

static int gen(struct sim_day *d, uint64_t seed, int64_t start, size_t n)
{
	struct sim_opts o = { .scenario = "launch", .seed = seed, .start = start, .n_posts = n };
	struct horch_err err;

	horch_err_clear(&err);
	return sim_generate(&o, d, &err);
}

static int contains_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; s && *s; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

static void test_determinism(void)
{
	struct sim_day a, b, c;
	char *ja, *jb, *jc;

	is_int(gen(&a, 1, SIM_START_DEFAULT, SIM_POSTS_DEFAULT), 0, "sim-1.1 the default day generates");
	is_int(gen(&b, 1, SIM_START_DEFAULT, SIM_POSTS_DEFAULT), 0, "sim-1.2 twice");
	is_int(gen(&c, 2, SIM_START_DEFAULT, SIM_POSTS_DEFAULT), 0, "sim-1.3 and with another seed");
	is_int(a.n, 6000, "sim-1.4 the default day has 6,000 posts");
	is_int(c.n, 6000, "sim-1.5 another seed too");
	ja = day_json(&a);
	jb = day_json(&b);
	jc = day_json(&c);
	ok(strcmp(ja, jb) == 0, "sim-1.6 the same seed gives the same bytes");
	ok(strcmp(ja, jc) != 0, "sim-1.7 another seed gives another day");
	free(ja);
	free(jb);
	free(jc);
	sim_day_cleanup(&b);
	sim_day_cleanup(&c);

	/* The start moves the day and nothing else: the same texts, each an
	 * exact day later. */
	is_int(gen(&b, 1, SIM_START_DEFAULT + SIM_DAY_MS, SIM_POSTS_DEFAULT), 0,
	       "sim-1.8 a day that starts a day later");
	{
		size_t same_text = 0, shifted = 0;

		for (size_t i = 0; i < a.n && i < b.n; i++) {
			const char *ta = a.posts[i].text ? a.posts[i].text : "";
			const char *tb = b.posts[i].text ? b.posts[i].text : "";

			same_text += strcmp(ta, tb) == 0;
			shifted += b.posts[i].created_at - a.posts[i].created_at == SIM_DAY_MS;
		}
		is_int(shifted, a.n, "sim-1.9 has every post a day later");
		/* Posts of the same second may sort otherwise by their ids. */
		ok(same_text > a.n * 95 / 100, "sim-1.10 with the same texts (%zu of %zu in place)",
		   same_text, a.n);
	}
	sim_day_cleanup(&a);
	sim_day_cleanup(&b);
}

static void test_posts(void)
{
	struct sim_day d;
	size_t n_sorted = 1, n_valid = 0, n_round = 0, n_unique = 0, n_parent_ok = 0;
	size_t n_parents = 0, n_replies = 0, n_care = 0, n_reposts = 0, n_rss_titled = 0;
	size_t n_rss = 0, n_de = 0, sources[7] = { 0 };
	static const char *const src[7] = { "twitter", "mastodon", "bluesky", "reddit", "hn",
					    "rss", "forum" };
	uint64_t *seen;
	size_t cap = 1 << 15, dup_texts = 0;
	struct buf b, b2;

	if (gen(&d, 42, SIM_START_DEFAULT, SIM_POSTS_DEFAULT) != 0) {
		ok(0, "sim-2.0 generates");
		return;
	}
	seen = calloc(cap, sizeof *seen);
	buf_init(&b, BUF_NOLIMIT);
	buf_init(&b2, BUF_NOLIMIT);
	for (size_t i = 0; i < d.n; i++) {
		const struct post *p = &d.posts[i];
		struct post q;
		struct horch_err err;
		uint64_t h;
		size_t k;

		if (i > 0 && p->created_at >= d.posts[i - 1].created_at)
			n_sorted++;
		horch_err_clear(&err);
		n_valid += post_validate(p, &err) == 0;
		/* Every line parses with post_from_json, to an equal post. */
		buf_reset(&b);
		post_to_json(p, &b);
		post_init(&q);
		if (post_from_json(&q, b.ptr, b.len, NULL, &err) == 0) {
			buf_reset(&b2);
			post_to_json(&q, &b2);
			n_round += strcmp(b.ptr, b2.ptr) == 0;
			post_cleanup(&q);
		}
		/* (source, external_id) is unique. */
		h = horch_fnv1a(horch_fnv1a(HORCH_FNV_BASIS, p->source, strlen(p->source) + 1),
				p->external_id, strlen(p->external_id));
		for (k = h & (cap - 1); seen[k] && seen[k] != h; k = (k + 1) & (cap - 1))
			;
		n_unique += seen[k] == 0;
		seen[k] = h;
		/* A reply, repost or comment points to an earlier post of the day. */
		if (p->parent) {
			n_parents++;
			for (size_t j = 0; j < i; j++) {
				if (strcmp(d.posts[j].source, p->source) == 0 &&
				    strcmp(d.posts[j].external_id, p->parent) == 0 &&
				    d.posts[j].created_at < p->created_at) {
					n_parent_ok++;
					break;
				}
			}
		}
		if (p->kind == POST_KIND_REPLY) {
			n_replies++;
			n_care += contains_ci(p->author, "korvocares");
		}
		n_reposts += p->kind == POST_KIND_REPOST;
		n_de += strcmp(p->lang, "de") == 0;
		for (k = 0; k < 7; k++)
			if (strcmp(p->source, src[k]) == 0)
				sources[k]++;
		if (strcmp(p->source, "rss") == 0) {
			n_rss++;
			n_rss_titled += p->title != NULL && p->text != NULL;
		}
	}
	is_int(n_sorted, d.n, "sim-2.1 sorted by created_at");
	is_int(n_valid, d.n, "sim-2.2 every post passes post_validate");
	is_int(n_round, d.n, "sim-2.3 every post parses back from its JSON to the same JSON");
	is_int(n_unique, d.n, "sim-2.4 (source, external_id) is unique");
	is_int(n_parent_ok, n_parents, "sim-2.5 every parent is an earlier post of the day");
	ok(n_parents > 1000, "sim-2.6 with threads, answers and reposts (%zu)", n_parents);
	is_int(n_replies, 210, "sim-2.7 @KorvoCares answers 3.5%% of the day");
	is_int(n_care, n_replies, "sim-2.8 every reply is from a KorvoCares account");
	is_int(n_reposts, 300, "sim-2.9 reposts are 5%% of the day");
	ok(n_de * 100 >= d.n * 30 && n_de * 100 <= d.n * 40,
	   "sim-2.10 about a third is German (%zu of %zu)", n_de, d.n);
	for (size_t k = 0; k < 7; k++)
		ok(sources[k] >= 60, "sim-2.11.%zu source %s is there (%zu posts)", k + 1, src[k],
		   sources[k]);
	is_int(n_rss_titled, n_rss, "sim-2.12 blog posts have a title and a text");

	/* No two texts are the same unless they are deliberate copies
	 * (reposts, spam campaigns). */
	memset(seen, 0, cap * sizeof *seen);
	for (size_t i = 0; i < d.n; i++) {
		const struct post *p = &d.posts[i];
		uint64_t h;
		size_t k;

		if (!p->text || p->kind == POST_KIND_REPOST || d.topic[i] == SIM_TOPIC_SPAM)
			continue;
		h = horch_fnv1a(HORCH_FNV_BASIS, p->text, strlen(p->text));
		for (k = h & (cap - 1); seen[k] && seen[k] != h; k = (k + 1) & (cap - 1))
			;
		dup_texts += seen[k] != 0;
		seen[k] = h;
	}
	is_int(dup_texts, 0, "sim-2.13 no text repeats but reposts and spam");
	buf_cleanup(&b);
	buf_cleanup(&b2);
	free(seen);
	sim_day_cleanup(&d);
}

static void test_shape(void)
{
	struct sim_day d;
	size_t all[24] = { 0 }, launch[24] = { 0 }, fault[24] = { 0 }, neg_words[24] = { 0 };
	size_t n_fault = 0, fault_worded = 0, n_spam = 0, fault_early = 0;

	if (gen(&d, 7, SIM_START_DEFAULT, SIM_POSTS_DEFAULT) != 0) {
		ok(0, "sim-3.0 generates");
		return;
	}
	for (size_t i = 0; i < d.n; i++) {
		const struct post *p = &d.posts[i];
		int h = (int)((p->created_at - SIM_START_DEFAULT) / HOUR_MS);

		if (h < 0 || h > 23) {
			ok(0, "sim-3.0 post %zu is outside the day (hour %d)", i, h);
			continue;
		}
		all[h]++;
		if (d.topic[i] == SIM_TOPIC_LAUNCH)
			launch[h]++;
		if (d.topic[i] == SIM_TOPIC_FAULT) {
			fault[h]++;
			n_fault++;
			fault_early += p->created_at < SIM_START_DEFAULT + SIM_FAULT_AT;
			/* One vocabulary for the fault: hinge, Scharnier. */
			fault_worded += contains_ci(p->text, "hinge") || contains_ci(p->text, "scharnier") ||
					contains_ci(p->title, "hinge") || contains_ci(p->title, "scharnier");
		}
		if (contains_ci(p->text, "hinge") || contains_ci(p->text, "scharnier"))
			neg_words[h]++;
		n_spam += d.topic[i] == SIM_TOPIC_SPAM;
	}
	/* The daily rhythm: the night is quiet. */
	ok(all[3] * 4 < all[12], "sim-3.1 03:00 is quieter than noon (%zu, %zu)", all[3], all[12]);
	/* The launch: a wave at 09:00. */
	ok(launch[9] > 4 * launch[8], "sim-3.2 the launch wave starts at 09:00 (%zu after %zu)",
	   launch[9], launch[8]);
	is_int(launch[5], 0, "sim-3.3 nobody talks of the launch before 06:00");
	/* The fault: nothing before 14:00, then a sharp rise. */
	is_int(fault_early, 0, "sim-3.4 no fault post before 14:00");
	ok(all[15] > 2 * all[13], "sim-3.5 15:00 has more than twice the posts of 13:00 (%zu, %zu)",
	   all[15], all[13]);
	ok(all[15] > all[10], "sim-3.6 the fault's hour is the busiest, above the launch (%zu, %zu)",
	   all[15], all[10]);
	ok(fault[14] + fault[15] + fault[16] > n_fault / 2,
	   "sim-3.7 most fault posts fall from 14:00 to 17:00 (%zu of %zu)",
	   fault[14] + fault[15] + fault[16], n_fault);
	ok(fault[20] * 3 < fault[15], "sim-3.8 and it decays by the evening (%zu, %zu)", fault[20],
	   fault[15]);
	ok(fault_worded * 100 >= n_fault * 90, "sim-3.9 fault posts name the hinge (%zu of %zu)",
	   fault_worded, n_fault);
	ok(neg_words[13] == 0 && neg_words[15] > 200,
	   "sim-3.10 hinge words appear at the fault (13:00 %zu, 15:00 %zu)", neg_words[13],
	   neg_words[15]);
	ok(n_spam > d.n * 7 / 100 && n_spam < d.n * 12 / 100, "sim-3.11 spam is about a tenth (%zu)",
	   n_spam);
	sim_day_cleanup(&d);
}

static void test_errors(void)
{
	struct sim_opts o = { .scenario = "launch", .seed = 1, .start = SIM_START_DEFAULT,
			      .n_posts = SIM_POSTS_DEFAULT };
	struct sim_day d;
	struct horch_err err;

	o.scenario = "lunch";
	horch_err_clear(&err);
	is_int(sim_generate(&o, &d, &err), HORCH_EINVAL, "sim-4.1 an unknown scenario");
	ok(strstr(err.msg, "lunch") && strstr(err.msg, "launch"),
	   "sim-4.2 is named, with the scenarios (%s)", err.msg);
	is_int(d.n, 0, "sim-4.3 and makes nothing");
	o.scenario = "launch";
	o.n_posts = SIM_POSTS_MIN - 1;
	is_int(sim_generate(&o, &d, &err), HORCH_EINVAL, "sim-4.4 too few posts");
	o.n_posts = SIM_POSTS_MAX + 1;
	is_int(sim_generate(&o, &d, &err), HORCH_EINVAL, "sim-4.5 too many posts");
	o.n_posts = SIM_POSTS_DEFAULT;
	o.start = -1;
	is_int(sim_generate(&o, &d, &err), HORCH_EINVAL, "sim-4.6 a start before 1970");

	/* The smallest day still holds the script and stays valid. */
	o.start = 0;
	o.n_posts = SIM_POSTS_MIN;
	is_int(sim_generate(&o, &d, &err), 0, "sim-4.7 the smallest day, in 1970");
	is_int(d.n, SIM_POSTS_MIN, "sim-4.8 has the posts asked for");
	sim_day_cleanup(&d);
	/* A larger day: every template gets used, the texts stay unique. */
	o.n_posts = 30000;
	o.seed = 99;
	is_int(sim_generate(&o, &d, &err), 0, "sim-4.9 a day of 30,000 posts");
	is_int(d.n, 30000, "sim-4.10 has them all");
	sim_day_cleanup(&d);
	sim_day_cleanup(NULL);
	ok(1, "sim-4.11 sim_day_cleanup(NULL) is safe");
}

int main(void)
{
	test_determinism();
	test_posts();
	test_shape();
	test_errors();
	return tap_done();
}
