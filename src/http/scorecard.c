/* scorecard.c - the launch scorecard (scorecard.h): the windows after a
 * launch from the topic's buckets, the baseline of the week before, the
 * earlier launches, and the clusters of complaints and questions from the
 * posts.
 *
 * A span [from, to) is read from two resolutions of buckets: the hour
 * buckets of the whole hours inside it and the minute buckets of the
 * partial hours at its ends.  A launch on the hour therefore costs about
 * 24 rows for its 24-hour window instead of 1,440, and stays exact after
 * the signal engine has aged out its minute buckets (hours are kept).
 * Bucket times are minutes, so a span counts from the start of the minute
 * it begins in.
 *
 * The posts to cluster are read a page at a time, newest first, leaving
 * out near-duplicates as the buckets do (store_search() has no filter for
 * them), and copied (text cut to SCORECARD_TEXT_MAX bytes, on a word
 * boundary where one is near) into an arena freed when the scorecard is
 * done: store_search() hands out each post for the time of its callback
 * only. */
#include "scorecard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/clock.h"
#include "../core/hll.h"
#include "../core/json.h"
#include "../core/post.h"
#include "../core/utf8.h"
#include "../store/store.h"

#define MIN_MS 60000LL
#define SCORECARD_PAGE 1000u         /* posts of one store_search() call */
#define SCORECARD_READ_MAX 50000u    /* posts read for one set of clusters at most */
#define HOUR_MS 3600000LL

/* The latest and earliest launch time taken: 9999-12-31T23:59:59.999Z and
 * its negative, so that every sum of times below stays far from overflow. */
#define AT_MAX 253402300799999LL

static const int64_t window_ms[SCORECARD_WINDOWS] = { HOUR_MS, 4 * HOUR_MS, 24 * HOUR_MS };
static const char *const window_label[SCORECARD_WINDOWS] = { "1h", "4h", "24h" };

/* t rounded up to a multiple of step, also for times before the epoch. */
static int64_t ceil_to(int64_t t, int64_t step)
{
	int64_t f = horch_time_floor(t, step);

	return f == t ? t : f + step;
}

/* ---- tallies of buckets ---- */

/* What the buckets of a span add up to. */
struct acc {
	int64_t volume, positive, neutral, negative, complaints, questions;
	double reach;
	uint8_t authors[HLL_REGISTERS];
	int64_t first;  /* the earliest bucket start read, INT64_MAX before any */
};

static void acc_init(struct acc *a)
{
	memset(a, 0, sizeof *a);
	a->first = INT64_MAX;
}

/* store_bucket_fn: add the bucket b to the struct acc ctx. */
static int acc_add(void *ctx, const struct store_bucket *b)
{
	struct acc *a = ctx;

	a->volume += b->volume;
	a->positive += b->positive;
	a->neutral += b->neutral;
	a->negative += b->negative;
	a->complaints += b->complaints;
	a->questions += b->questions;
	a->reach += b->reach;
	if (b->authors)
		hll_merge(a->authors, b->authors);
	if (b->t < a->first)
		a->first = b->t;
	return 0;
}

/* (positive - negative) / (positive + negative), NAN when both are 0. */
static double net_of(int64_t positive, int64_t negative)
{
	if (positive + negative <= 0)
		return NAN;
	return (double)(positive - negative) / (double)(positive + negative);
}

/* The figures of a (net sentiment, the authors' estimate) into *t. */
static void acc_finish(const struct acc *a, struct scorecard_tally *t)
{
	t->volume = a->volume;
	t->positive = a->positive;
	t->neutral = a->neutral;
	t->negative = a->negative;
	t->net = net_of(a->positive, a->negative);
	t->authors = llround(hll_count(a->authors));
	t->reach = a->reach;
	t->complaints = a->complaints;
	t->questions = a->questions;
}

/* Add the buckets of topic over [from, to) to a: minute buckets for the
 * partial hours at the ends, hour buckets for the whole hours between.
 * Returns 0 or the store's error. */
static int tally_span(struct store *st, int64_t topic, int64_t from, int64_t to, struct acc *a,
		      struct horch_err *err)
{
	int64_t h0, h1;
	int rc;

	if (from >= to)
		return 0;
	from = horch_time_floor(from, MIN_MS);
	h0 = ceil_to(from, HOUR_MS);
	h1 = horch_time_floor(to, HOUR_MS);
	if (h0 >= h1)
		return store_buckets(st, STORE_SCOPE_TOPIC, &topic, 1, 60, from, to, acc_add, a,
				     err);
	if ((rc = store_buckets(st, STORE_SCOPE_TOPIC, &topic, 1, 60, from, h0, acc_add, a,
				err)) != 0 ||
	    (rc = store_buckets(st, STORE_SCOPE_TOPIC, &topic, 1, 3600, h0, h1, acc_add, a,
				err)) != 0)
		return rc;
	return store_buckets(st, STORE_SCOPE_TOPIC, &topic, 1, 60, h1, to, acc_add, a, err);
}

/* The end of a window [from, from + len) counted at now: the window's end
 * when it is over, else just after now (the newest post, whose time now
 * may be, counts), but not before from. */
static int64_t counted_end(int64_t from, int64_t len, int64_t now)
{
	if (now >= from + len)
		return from + len;
	return now < from ? from : now + 1;
}

/* store_bucket_fn: keep the first bucket's start in the int64_t ctx, and
 * stop. */
static int first_bucket(void *ctx, const struct store_bucket *b)
{
	*(int64_t *)ctx = b->t;
	return 1;
}

/* The start of the topic's first hour bucket before at into *out
 * (INT64_MAX when there is none).  Returns 0 or the store's error. */
static int history_start(struct store *st, int64_t topic, int64_t at, int64_t *out,
			 struct horch_err *err)
{
	int rc;

	*out = INT64_MAX;
	rc = store_buckets(st, STORE_SCOPE_TOPIC, &topic, 1, 3600, -AT_MAX, at, first_bucket, out,
			   err);
	if (rc == HORCH_ESTOP) {
		horch_err_clear(err);
		rc = 0;
	}
	return rc;
}

/* ---- the newest post ---- */

/* store_post_fn: the latest created_at seen, into the int64_t ctx. */
static int newest_post(void *ctx, const struct post *p)
{
	int64_t *t = ctx;

	if (p->created_at != HORCH_TIME_NONE && p->created_at > *t)
		*t = p->created_at;
	return 0;
}

/* ---- earlier launches ---- */

struct earlier_list {
	const struct store_launch *self;
	struct scorecard_earlier *v;  /* SCORECARD_EARLIER_MAX, oldest first while collecting */
	size_t n;
};

/* store_launch_fn: keep l when it is earlier than the scorecard's launch. */
static int earlier_one(void *ctx, const struct store_launch *l)
{
	struct earlier_list *e = ctx;
	struct scorecard_earlier *x;

	if (l->id == e->self->id || l->at >= e->self->at)
		return 0;
	/* The list comes oldest first: keep the latest SCORECARD_EARLIER_MAX. */
	if (e->n == SCORECARD_EARLIER_MAX) {
		free(e->v[0].name);
		memmove(e->v, e->v + 1, (e->n - 1) * sizeof *e->v);
		e->n--;
	}
	x = &e->v[e->n++];
	memset(x, 0, sizeof *x);
	x->id = l->id;
	x->name = horch_xstrdup(l->name);
	x->topic_id = l->topic_id;
	x->at = l->at;
	return 0;
}

/* ---- the posts to cluster ---- */

/* Posts copied from store_search(), as cluster_texts() takes them. */
struct docs {
	struct cluster_doc *v;
	char **author;        /* author of v[i] (NULL: none); kept for the examples */
	size_t n, cap, cap_author;
	struct arena *ar;
	int keep_author;
	size_t n_read;        /* posts read, near-duplicates included */
	int64_t last_id;      /* the last post read: where the next page starts */
};

/* The byte length of s cut to at most max bytes: on a UTF-8 boundary, and
 * at the last blank of the final 64 bytes when there is one there, so that
 * no word is cut in two. */
static size_t cut_len(const char *s, size_t len, size_t max)
{
	size_t n = max;

	if (len <= max)
		return len;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	for (size_t k = n; k > 0 && k + 64 > n; k--)
		if (s[k - 1] == ' ' || s[k - 1] == '\n' || s[k - 1] == '\t')
			return k - 1;
	return n;
}

/* store_post_fn: copy p into the struct docs ctx (title, text cut, author
 * when kept) unless it is spam or a near-duplicate.  Returns 1 (stop) when
 * the docs hold SCORECARD_POSTS_MAX posts. */
static int doc_add(void *ctx, const struct post *p)
{
	struct docs *d = ctx;
	struct cluster_doc *c;

	d->n_read++;
	d->last_id = p->id;
	/* A near-duplicate (a repost, the same text again) is counted apart in
	 * the buckets, so not in the window's complaints: not here either. */
	if (p->dup_of || p->is_spam)
		return 0;
	d->v = horch_xgrow(d->v, &d->cap, d->n + 1, sizeof *d->v);
	c = &d->v[d->n];
	c->id = p->id;
	c->weight = p->priority;
	c->title = p->title ? arena_strndup(d->ar, p->title, strlen(p->title)) : NULL;
	c->text = NULL;
	if (p->text) {
		size_t len = strlen(p->text);

		c->text = arena_strndup(d->ar, p->text, cut_len(p->text, len, SCORECARD_TEXT_MAX));
	}
	if (d->keep_author) {
		d->author = horch_xgrow(d->author, &d->cap_author, d->n + 1, sizeof *d->author);
		d->author[d->n] = p->author ? arena_strndup(d->ar, p->author, strlen(p->author))
					    : NULL;
	}
	d->n++;
	return d->n == SCORECARD_POSTS_MAX;
}

static void docs_cleanup(struct docs *d)
{
	free(d->v);
	free(d->author);
	memset(d, 0, sizeof *d);
}

/* Read the newest SCORECARD_POSTS_MAX posts of topic with intent in
 * [since, until) that are neither spam nor near-duplicates into d, a page
 * at a time, reading at most SCORECARD_READ_MAX.  Returns 0 or the
 * store's error. */
static int read_docs(struct store *st, int64_t topic, const char *intent, int64_t since,
		     int64_t until, struct docs *d, struct horch_err *err)
{
	struct store_query q;
	int rc;

	if (since >= until)
		return 0;
	store_query_init(&q);
	q.topic = topic;
	q.intent = intent;
	q.since = since;
	q.until = until;
	q.limit = SCORECARD_PAGE;
	for (;;) {
		size_t read_before = d->n_read;

		rc = store_search(st, &q, doc_add, d, err);
		if (rc == HORCH_ESTOP) {
			/* doc_add() has SCORECARD_POSTS_MAX posts. */
			horch_err_clear(err);
			return 0;
		}
		if (rc || d->n_read - read_before < q.limit || d->n_read >= SCORECARD_READ_MAX)
			return rc;
		q.before_id = d->last_id;
	}
}

/* Cluster the posts of intent of the 24 hours after at (until now)
 * against those of the week before, into items[0..*n_items) and the number
 * clustered into *n_posts.  Returns 0 or an error. */
static int clusters(struct store *st, const struct scorecard *sc, const struct query *q,
		    const char *intent, struct scorecard_item *items, size_t *n_items,
		    size_t *n_posts, struct arena *ar, struct horch_err *err)
{
	struct docs d = { .ar = ar, .keep_author = 1 }, base = { .ar = ar };
	struct cluster out[SCORECARD_TOP];
	struct buf text;
	size_t n_out = 0;
	int rc;

	buf_init(&text, BUF_NOLIMIT);
	*n_items = 0;
	*n_posts = 0;
	if ((rc = read_docs(st, sc->topic_id, intent, sc->at,
			    counted_end(sc->at, window_ms[SCORECARD_WINDOWS - 1], sc->now), &d,
			    err)) != 0 ||
	    (rc = read_docs(st, sc->topic_id, intent, sc->at - SCORECARD_BASELINE_MS, sc->at,
			    &base, err)) != 0)
		goto out;
	*n_posts = d.n;
	if (!d.n)
		goto out;
	if ((rc = cluster_texts(d.v, d.n, base.n ? base.v : NULL, base.n, q, SCORECARD_TOP, out,
				&n_out, err)) != 0)
		goto out;
	for (size_t i = 0; i < n_out; i++) {
		struct scorecard_item *it = &items[i];
		size_t k = 0;

		while (k < d.n && d.v[k].id != out[i].example)
			k++;
		memcpy(it->label, out[i].label, sizeof it->label);
		memcpy(it->term, out[i].term, sizeof it->term);
		it->posts = out[i].n;
		it->share = out[i].share;
		it->example_id = out[i].example;
		it->example_author = NULL;
		it->example_text = NULL;
		if (k < d.n) {
			const char *s = d.v[k].text && *d.v[k].text ? d.v[k].text : d.v[k].title;

			it->example_author = horch_xstrdup(d.author[k]);
			buf_reset(&text);
			scorecard_cut_text(&text, s ? s : "", SCORECARD_EXAMPLE_CHARS);
			it->example_text = buf_take(&text);
		}
		(*n_items)++;
	}
out:
	docs_cleanup(&d);
	docs_cleanup(&base);
	buf_cleanup(&text);
	return rc;
}

/* ---- the scorecard ---- */

int scorecard_compute(struct store *st, const struct store_launch *l, const char *topic_name,
		      const struct query *q, int64_t wall_now, struct scorecard *out,
		      struct horch_err *err)
{
	struct earlier_list el = { .self = l };
	struct store_query sq;
	struct arena ar;
	struct acc a;
	int64_t newest = INT64_MIN, first;
	int rc;

	memset(out, 0, sizeof *out);
	horch_err_clear(err);
	arena_init(&ar, 64 * 1024);
	if (l->at < -AT_MAX || l->at > AT_MAX) {
		rc = horch_err_set(err, HORCH_EINVAL, "launch \"%s\": its time is out of range",
				   l->name);
		goto out;
	}
	out->id = l->id;
	out->name = horch_xstrdup(l->name);
	out->topic_id = l->topic_id;
	out->topic_name = horch_xstrdup(topic_name);
	out->at = l->at;

	/* Now: the wall clock, or the topic's newest post when that is later
	 * (a day replayed from the future, or a clock behind the sources). */
	store_query_init(&sq);
	sq.topic = l->topic_id;
	sq.spam = STORE_SPAM_SHOW;
	sq.limit = 1;
	if ((rc = store_search(st, &sq, newest_post, &newest, err)) != 0)
		goto out;
	out->now = newest > wall_now ? newest : wall_now;

	/* The windows. */
	for (size_t i = 0; i < SCORECARD_WINDOWS; i++) {
		struct scorecard_window *w = &out->w[i];

		w->label = window_label[i];
		w->from = l->at;
		w->to = l->at + window_ms[i];
		w->complete = out->now >= w->to;
		acc_init(&a);
		if ((rc = tally_span(st, l->topic_id, w->from, counted_end(w->from, window_ms[i],
									   out->now), &a, err)) != 0)
			goto out;
		acc_finish(&a, &w->t);
	}

	/* The baseline: the week before, or the history there is. */
	if ((rc = history_start(st, l->topic_id, l->at, &first, err)) != 0)
		goto out;
	out->base_from = l->at - SCORECARD_BASELINE_MS;
	if (first > out->base_from)
		out->base_from = first < l->at ? first : l->at;
	acc_init(&a);
	if ((rc = tally_span(st, l->topic_id, out->base_from, l->at, &a, err)) != 0)
		goto out;
	acc_finish(&a, &out->base);
	out->base_hours = (double)(l->at - out->base_from) / (double)HOUR_MS;
	for (size_t i = 0; i < SCORECARD_WINDOWS; i++) {
		struct scorecard_window *w = &out->w[i];

		if (l->at > out->base_from) {
			w->base_volume = (double)out->base.volume * (double)window_ms[i] /
					 (double)(l->at - out->base_from);
			w->base_net = out->base.net;
		} else {
			w->base_volume = NAN;
			w->base_net = NAN;
		}
	}

	/* Earlier launches, latest first. */
	el.v = horch_xcalloc(SCORECARD_EARLIER_MAX, sizeof *el.v);
	rc = store_launch_list(st, earlier_one, &el, err);
	out->earlier = el.v;
	out->n_earlier = el.n;
	if (rc)
		goto out;
	for (size_t j = 0; j < out->n_earlier / 2; j++) {
		struct scorecard_earlier tmp = out->earlier[j];

		out->earlier[j] = out->earlier[out->n_earlier - 1 - j];
		out->earlier[out->n_earlier - 1 - j] = tmp;
	}
	for (size_t j = 0; j < out->n_earlier; j++) {
		struct scorecard_earlier *e = &out->earlier[j];

		for (size_t i = 0; i < SCORECARD_WINDOWS; i++) {
			acc_init(&a);
			if ((rc = tally_span(st, e->topic_id, e->at,
					     counted_end(e->at, window_ms[i], out->now), &a, err)) != 0)
				goto out;
			e->volume[i] = a.volume;
			e->net[i] = net_of(a.positive, a.negative);
		}
	}

	/* The clusters. */
	if ((rc = clusters(st, out, q, "complaint", out->complaints, &out->n_complaints,
			   &out->complaint_posts, &ar, err)) != 0 ||
	    (rc = clusters(st, out, q, "question", out->questions, &out->n_questions,
			   &out->question_posts, &ar, err)) != 0)
		goto out;
out:
	arena_cleanup(&ar);
	return rc;
}

void scorecard_cleanup(struct scorecard *sc)
{
	if (!sc)
		return;
	free(sc->name);
	free(sc->topic_name);
	for (size_t i = 0; i < sc->n_earlier; i++)
		free(sc->earlier[i].name);
	free(sc->earlier);
	for (size_t i = 0; i < sc->n_complaints; i++) {
		free(sc->complaints[i].example_author);
		free(sc->complaints[i].example_text);
	}
	for (size_t i = 0; i < sc->n_questions; i++) {
		free(sc->questions[i].example_author);
		free(sc->questions[i].example_text);
	}
	memset(sc, 0, sizeof *sc);
}

/* ---- text ---- */

int scorecard_cut_text(struct buf *out, const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), off = 0, chars = 0;

	while (off < len && chars < max_chars) {
		uint32_t cp;
		size_t n = horch_utf8_decode(p + off, len - off, &cp);

		off += n ? n : 1;
		chars++;
	}
	if (buf_append(out, s, off) != 0)
		return HORCH_ETOOBIG;
	if (off < len && buf_puts(out, "\xE2\x80\xA6") != 0)
		return HORCH_ETOOBIG;
	return 0;
}

/* ---- JSON ---- */

/* Append v with at most decimals digits after the point, trailing zeros
 * dropped ("12.5", "0.709", "168"); null when v is not finite. */
static int put_num(struct buf *b, double v, int decimals)
{
	char s[64];
	int n;

	if (!isfinite(v))
		return buf_puts(b, "null");
	n = snprintf(s, sizeof s, "%.*f", decimals, v);
	if (n <= 0 || (size_t)n >= sizeof s)
		return buf_puts(b, "null");
	if (strchr(s, '.')) {
		while (n > 0 && s[n - 1] == '0')
			s[--n] = '\0';
		if (n > 0 && s[n - 1] == '.')
			s[--n] = '\0';
	}
	if (strcmp(s, "-0") == 0)
		return buf_puts(b, "0");
	return buf_puts(b, s);
}

static int put_time(struct buf *b, int64_t t)
{
	char tb[HORCH_TIME_BUFSZ];

	if (t == HORCH_TIME_NONE)
		return buf_puts(b, "null");
	return buf_printf(b, "\"%s\"", horch_time_format(t, tb));
}

static int put_str(struct buf *b, const char *s)
{
	return s ? json_put_string(b, s) : buf_puts(b, "null");
}

/* Append the clusters it[0..n) as a JSON array; non-zero when b's cap was
 * reached. */
static int put_items(struct buf *b, const struct scorecard_item *it, size_t n)
{
	int bad = 0;

	bad |= buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		bad |= buf_puts(b, i ? ",{\"label\":" : "{\"label\":");
		bad |= json_put_string(b, it[i].label);
		bad |= buf_puts(b, ",\"term\":");
		bad |= json_put_string(b, it[i].term);
		bad |= buf_printf(b, ",\"posts\":%zu,\"share\":", it[i].posts);
		bad |= put_num(b, it[i].share, 3);
		bad |= buf_printf(b, ",\"example\":{\"id\":%lld,\"author\":",
				  (long long)it[i].example_id);
		bad |= put_str(b, it[i].example_author);
		bad |= buf_puts(b, ",\"text\":");
		bad |= put_str(b, it[i].example_text);
		bad |= buf_puts(b, "}}");
	}
	bad |= buf_putc(b, ']');
	return bad;
}

int scorecard_json(const struct scorecard *sc, struct buf *b)
{
	int bad = 0;

	bad |= buf_printf(b, "{\"id\":%lld,\"name\":", (long long)sc->id);
	bad |= put_str(b, sc->name);
	bad |= buf_printf(b, ",\"topic\":{\"id\":%lld,\"name\":", (long long)sc->topic_id);
	bad |= put_str(b, sc->topic_name);
	bad |= buf_puts(b, "},\"at\":");
	bad |= put_time(b, sc->at);
	bad |= buf_puts(b, ",\"now\":");
	bad |= put_time(b, sc->now);
	bad |= buf_puts(b, ",\"windows\":[");
	for (size_t i = 0; i < SCORECARD_WINDOWS; i++) {
		const struct scorecard_window *w = &sc->w[i];

		bad |= buf_printf(b, "%s{\"label\":\"%s\",\"from\":", i ? "," : "", w->label);
		bad |= put_time(b, w->from);
		bad |= buf_puts(b, ",\"to\":");
		bad |= put_time(b, w->to);
		bad |= buf_printf(b, ",\"complete\":%s,\"volume\":%lld,\"positive\":%lld,"
				  "\"neutral\":%lld,\"negative\":%lld,\"net_sentiment\":",
				  w->complete ? "true" : "false", (long long)w->t.volume,
				  (long long)w->t.positive, (long long)w->t.neutral,
				  (long long)w->t.negative);
		bad |= put_num(b, w->t.net, 3);
		bad |= buf_printf(b, ",\"authors\":%lld,\"reach\":", (long long)w->t.authors);
		bad |= put_num(b, w->t.reach, 0);
		bad |= buf_printf(b, ",\"complaints\":%lld,\"questions\":%lld,\"baseline\":{"
				  "\"hours\":", (long long)w->t.complaints, (long long)w->t.questions);
		bad |= put_num(b, sc->base_hours, 3);
		bad |= buf_puts(b, ",\"volume\":");
		bad |= put_num(b, w->base_volume, 3);
		bad |= buf_puts(b, ",\"net_sentiment\":");
		bad |= put_num(b, w->base_net, 3);
		bad |= buf_puts(b, "},\"earlier\":[");
		for (size_t j = 0; j < sc->n_earlier; j++) {
			const struct scorecard_earlier *e = &sc->earlier[j];

			bad |= buf_puts(b, j ? ",{\"launch\":" : "{\"launch\":");
			bad |= put_str(b, e->name);
			bad |= buf_puts(b, ",\"at\":");
			bad |= put_time(b, e->at);
			bad |= buf_printf(b, ",\"volume\":%lld,\"net_sentiment\":",
					  (long long)e->volume[i]);
			bad |= put_num(b, e->net[i], 3);
			bad |= buf_putc(b, '}');
		}
		bad |= buf_puts(b, "]}");
	}
	bad |= buf_puts(b, "],\"complaints\":");
	bad |= put_items(b, sc->complaints, sc->n_complaints);
	bad |= buf_puts(b, ",\"questions\":");
	bad |= put_items(b, sc->questions, sc->n_questions);
	bad |= buf_putc(b, '}');
	return bad ? HORCH_ETOOBIG : 0;
}

int scorecard_launch_json(const struct store_launch *l, const char *topic_name,
			  struct buf *b)
{
	int bad = 0;

	bad |= buf_printf(b, "{\"id\":%lld,\"name\":", (long long)l->id);
	bad |= put_str(b, l->name);
	bad |= buf_printf(b, ",\"topic\":{\"id\":%lld,\"name\":", (long long)l->topic_id);
	bad |= put_str(b, topic_name);
	bad |= buf_puts(b, "},\"at\":");
	bad |= put_time(b, l->at);
	bad |= buf_puts(b, ",\"created_at\":");
	bad |= put_time(b, l->created_at);
	bad |= buf_putc(b, '}');
	return bad ? HORCH_ETOOBIG : 0;
}

/* ---- by id ---- */

struct launch_find {
	int64_t id;
	struct store_launch *out;
	int found;
};

/* store_launch_fn: copy the launch with the wanted id, and stop. */
static int launch_match(void *ctx, const struct store_launch *l)
{
	struct launch_find *f = ctx;

	if (l->id != f->id)
		return 0;
	*f->out = *l;
	f->out->name = horch_xstrdup(l->name);
	f->found = 1;
	return 1;
}

int scorecard_launch_by_id(struct store *st, int64_t id, struct store_launch *out,
			   struct horch_err *err)
{
	struct launch_find f = { id, out, 0 };
	int rc = store_launch_list(st, launch_match, &f, err);

	if (f.found) {
		horch_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	return horch_err_set(err, HORCH_ENOTFOUND, "no launch with id %lld", (long long)id);
}

struct topic_find {
	int64_t id;
	struct store_topic *out;
	int found;
};

/* store_topic_fn: copy the topic with the wanted id, and stop. */
static int topic_match(void *ctx, const struct store_topic *t)
{
	struct topic_find *f = ctx;

	if (t->id != f->id)
		return 0;
	*f->out = *t;
	f->out->name = horch_xstrdup(t->name);
	f->out->query = horch_xstrdup(t->query);
	f->out->team = horch_xstrdup(t->team);
	f->out->color = horch_xstrdup(t->color);
	f->found = 1;
	return 1;
}

int scorecard_topic_by_id(struct store *st, int64_t id, struct store_topic *out,
			  struct horch_err *err)
{
	struct topic_find f = { id, out, 0 };
	int rc;

	memset(out, 0, sizeof *out);
	rc = store_topic_list(st, topic_match, &f, err);
	if (f.found) {
		horch_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	return horch_err_set(err, HORCH_ENOTFOUND, "no topic with id %lld", (long long)id);
}
