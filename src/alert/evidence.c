/* evidence.c - what an alert shows (engine_int.h): the chart window of a
 * topic's counts, the top posts of a window by priority and reach, and the
 * terms of a window that rise most against the whole stream of the day
 * before. */
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../bus/bus.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../http/trending.h"
#include "../signal/signal.h"
#include "../store/store.h"
#include "engine_int.h"

/* ---- evidence ---- */

struct series {
	int64_t t0, step;
	double *v;
	size_t n;
};

static int series_add(void *ctx, const struct store_bucket *b)
{
	struct series *s = ctx;
	int64_t i = (b->t - s->t0) / s->step;

	if (i >= 0 && (size_t)i < s->n)
		s->v[i] += (double)b->volume;
	return 0;
}

struct top_posts {
	struct post_pick {
		int64_t id, created_at;
		double priority;
		char *author, *text, *url;
	} v[TOP_POSTS];
	size_t n;
};

static int pick_post(void *ctx, const struct post *p)
{
	struct top_posts *tp = ctx;
	size_t i = tp->n;
	double pr = p->priority + (p->reach > 0 ? p->reach : 0);

	if (tp->n == TOP_POSTS) {
		if (pr <= tp->v[TOP_POSTS - 1].priority)
			return 0;
		i = TOP_POSTS - 1;
		free(tp->v[i].author);
		free(tp->v[i].text);
		free(tp->v[i].url);
	} else {
		tp->n++;
	}
	while (i > 0 && tp->v[i - 1].priority < pr) {
		tp->v[i] = tp->v[i - 1];
		i--;
	}
	tp->v[i].id = p->id;
	tp->v[i].created_at = p->created_at;
	tp->v[i].priority = pr;
	tp->v[i].author = horch_xstrdup(p->author);
	{
		const char *t = p->text ? p->text : (p->title ? p->title : "");
		size_t len = strnlen(t, 500);

		/* Cut on a character boundary, not inside a UTF-8 sequence. */
		while (len && len < strlen(t) && ((unsigned char)t[len] & 0xC0) == 0x80)
			len--;
		tp->v[i].text = horch_xstrndup(t, len);
	}
	tp->v[i].url = horch_xstrdup(p->url);
	return 0;
}

static int trend_text(void *ctx, int64_t id, int64_t created_at, const char *title,
		      const char *text)
{
	void **c = ctx;

	(void)id;
	(void)created_at;
	trend_add(c[0], (enum trend_period)(intptr_t)c[1], title, text);
	return 0;
}

/* Append ,"posts":[...] and (with_terms) ,"terms":[...] for topic over
 * [since, until) to b. */
void engine__evidence_posts_terms(struct engine *e, struct buf *b, int64_t topic,
				  const char *intent, int64_t since, int64_t until,
				  int with_terms)
{
	struct store_query q;
	struct top_posts tp = { 0 };
	struct horch_err err;
	struct trend *tr = trend_new();
	struct trend_term terms[TOP_TERMS];
	size_t n_terms;
	char ts[HORCH_TIME_BUFSZ];

	store_query_init(&q);
	q.topic = topic;
	q.since = since;
	q.until = until;
	q.intent = intent;
	q.limit = 500;
	if (store_search(e->st, &q, pick_post, &tp, &err) && err.code != HORCH_ESTOP)
		horch_log(LOG_WARN, "signals", "evidence error=\"%s\"", err.msg);
	buf_puts(b, ",\"posts\":[");
	for (size_t i = 0; i < tp.n; i++) {
		buf_printf(b, "%s{\"id\":%lld,\"author\":", i ? "," : "", (long long)tp.v[i].id);
		if (tp.v[i].author)
			json_put_string(b, tp.v[i].author);
		else
			buf_puts(b, "null");
		buf_puts(b, ",\"text\":");
		json_put_string(b, tp.v[i].text);
		buf_puts(b, ",\"created_at\":");
		if (tp.v[i].created_at != HORCH_TIME_NONE)
			buf_printf(b, "\"%s\"", horch_time_format(tp.v[i].created_at, ts));
		else
			buf_puts(b, "null");
		buf_puts(b, ",\"url\":");
		if (tp.v[i].url)
			json_put_string(b, tp.v[i].url);
		else
			buf_puts(b, "null");
		buf_putc(b, '}');
		free(tp.v[i].author);
		free(tp.v[i].text);
		free(tp.v[i].url);
	}
	buf_putc(b, ']');
	if (!with_terms) {
		trend_free(tr);
		return;
	}
	buf_puts(b, ",\"terms\":[");
	{
		void *c[2] = { tr, (void *)(intptr_t)TREND_WINDOW };

		/* What the window says that the whole stream of the day before
		 * did not: the topic's own words rise too, as they should (a
		 * topic's own earlier posts would hide them). */
		store_post_texts(e->st, topic, since, until, 2000, trend_text, c, &err);
		c[1] = (void *)(intptr_t)TREND_BASELINE;
		store_post_texts(e->st, 0, since - MS_DAY, since, 5000, trend_text, c, &err);
	}
	n_terms = trend_rank(tr, terms, TOP_TERMS);
	for (size_t i = 0; i < n_terms; i++) {
		buf_printf(b, "%s{\"term\":", i ? "," : "");
		json_put_string(b, terms[i].term);
		buf_printf(b, ",\"count\":%lld}", (long long)terms[i].count);
	}
	buf_putc(b, ']');
	trend_free(tr);
}

/* Append "series":{...} of topic: its counts per step over the SERIES_HOURS
 * before until.  *median gets the median count of the steps before since. */
void engine__evidence_series(struct engine *e, struct buf *b, int64_t topic, int64_t since,
			     int64_t until, double *median)
{
	struct series s;
	struct horch_err err;
	char ts[HORCH_TIME_BUFSZ];
	double *sorted;
	size_t n_before;

	s.step = e->o.step_ms;
	s.t0 = horch_time_floor(until - SERIES_HOURS * MS_HOUR, s.step);
	s.n = (size_t)((until - s.t0 + s.step - 1) / s.step);
	s.v = horch_xcalloc(s.n, sizeof *s.v);
	store_buckets(e->st, STORE_SCOPE_TOPIC, &topic, 1, 60, s.t0, until, series_add, &s, &err);
	buf_printf(b, "\"series\":{\"t0\":\"%s\",\"step_s\":%lld,\"counts\":[",
		   horch_time_format(s.t0, ts), (long long)(s.step / 1000));
	for (size_t i = 0; i < s.n; i++)
		buf_printf(b, "%s%.0f", i ? "," : "", s.v[i]);
	buf_puts(b, "]}");
	n_before = (size_t)((since - s.t0) / s.step);
	if (n_before > s.n)
		n_before = s.n;
	*median = 0;
	if (n_before) {
		sorted = horch_xmalloc(n_before * sizeof *sorted);
		memcpy(sorted, s.v, n_before * sizeof *sorted);
		for (size_t i = 1; i < n_before; i++)
			for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
				double x = sorted[j];

				sorted[j] = sorted[j - 1];
				sorted[j - 1] = x;
			}
		*median = n_before % 2 ? sorted[n_before / 2] :
			  (sorted[n_before / 2 - 1] + sorted[n_before / 2]) / 2;
		free(sorted);
	}
	free(s.v);
}
