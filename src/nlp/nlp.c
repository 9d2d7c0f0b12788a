/* nlp.c - the models' life cycle, and every enricher run on one post
 * (nlp_analyse()), plus the two small formulas of reach and priority.
 *
 * The enrichers themselves live one to a file (lang.c, sentiment.c, model.c,
 * spam.c, simhash.c, entities.c, intent.c); this file is the order they run
 * in and how their answers become the post's derived fields.  The formulas
 * of reach and priority are documented in docs/accuracy.md; change both
 * together. */
#include "nlp_int.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"

/* The confidence from which detection overrules the source's language. */
#define NLP_LANG_TRUST 0.5f

int nlp_new(struct nlp **out, const struct nlp_opts *opts, struct horch_err *err)
{
	static const struct nlp_opts defaults;
	struct nlp *m = horch_xcalloc(1, sizeof *m);
	int rc;

	if (!opts)
		opts = &defaults;
	m->vader_only = opts->vader_only;
	rc = nlp__sentiment_load(m, err);
	if (rc == 0)
		rc = nlp__intent_load(m, err);
	if (rc == 0 && opts->sentiment_model)
		rc = nlp_model_load(&m->model, opts->sentiment_model, err);
	if (rc == 0 && opts->n_products)
		rc = nlp__products_load(m, opts->products, opts->n_products, err);
	if (rc) {
		nlp_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int nlp_product_check(const struct nlp_product *p, struct horch_err *err)
{
	struct nlp m = { 0 };
	int rc = nlp__products_load(&m, p, 1, err);

	nlp__products_free(m.products);
	return rc;
}

void nlp_free(struct nlp *m)
{
	if (!m)
		return;
	nlp__sentiment_free(m->sent);
	nlp__intent_free(m->intent);
	nlp_model_free(m->model);
	nlp__products_free(m->products);
	free(m);
}

struct nlp_work *nlp_work_new(void)
{
	struct nlp_work *w = horch_xcalloc(1, sizeof *w);

	for (size_t i = 0; i < NLP_BATCH_MAX; i++) {
		tokens_init(&w->slot[i].tk);
		tokens_init(&w->slot[i].title_tk);
	}
	return w;
}

void nlp_work_free(struct nlp_work *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < NLP_BATCH_MAX; i++) {
		tokens_cleanup(&w->slot[i].tk);
		tokens_cleanup(&w->slot[i].title_tk);
	}
	nlp__sent_work_free(w->sent);
	nlp__model_work_free(w->model);
	free(w);
}

/* Engagement as one number: a repost spreads a post further than a like. */
static double engagement(const struct post *p)
{
	double e = 0;

	if (p->likes > 0)
		e += (double)p->likes;
	if (p->reposts > 0)
		e += 2.0 * (double)p->reposts;
	if (p->replies > 0)
		e += (double)p->replies;
	return e;
}

float nlp_reach(const struct post *p)
{
	double r = 0;

	if (p->author_followers > 0)
		r += log10(1.0 + (double)p->author_followers);
	if (p->author_verified)
		r += 1.0;
	r += 0.5 * log10(1.0 + engagement(p));
	return (float)(r > 10.0 ? 10.0 : r);
}

float nlp_priority(const struct post *p)
{
	double neg, intent, reach, velocity = 0, pri;

	if (p->is_spam)
		return 0;
	switch (p->sentiment_label) {
	case POST_SENT_NEGATIVE:
		neg = 0.5 + 0.5 * (p->sentiment < 0 ? -p->sentiment : 0);
		break;
	case POST_SENT_NEUTRAL:
		neg = 0.2;
		break;
	default:
		neg = 0;
	}
	switch (p->intent) {
	case POST_INTENT_COMPLAINT: intent = 1.0; break;
	case POST_INTENT_QUESTION: intent = 0.8; break;
	case POST_INTENT_PURCHASE: intent = 0.7; break;
	case POST_INTENT_IDEA: intent = 0.4; break;
	case POST_INTENT_PRAISE: intent = 0.2; break;
	default: intent = 0.1;
	}
	reach = p->reach / 10.0;
	if (p->created_at != HORCH_TIME_NONE && p->fetched_at != HORCH_TIME_NONE &&
	    p->fetched_at >= p->created_at) {
		/* Engagement an hour, at least a quarter of an hour old: 1,000 an
		 * hour is as fast as it counts. */
		double hours = (double)(p->fetched_at - p->created_at) / 3.6e6;

		if (hours < 0.25)
			hours = 0.25;
		velocity = log10(1.0 + engagement(p) / hours) / 3.0;
		if (velocity > 1)
			velocity = 1;
	}
	pri = 100.0 * (0.35 * intent + 0.30 * neg + 0.20 * reach + 0.15 * velocity);
	return (float)(pri > 100 ? 100 : pri);
}

/* Set p->lang to code unless it is that already. */
static void set_lang(struct post *p, const char *code)
{
	if (p->lang && strcmp(p->lang, code) == 0)
		return;
	free(p->lang);
	p->lang = horch_xstrdup(code);
}

/* The language of p from the judged text (and the title when the text
 * cannot tell). */
static void decide_lang(struct post *p, const struct nlp_slot *sl)
{
	struct nlp_lang lg;

	nlp_lang_detect(sl->text, sl->len, &lg);
	if (strcmp(lg.code, "und") == 0 && sl->title_len && sl->text != p->title)
		nlp_lang_detect(p->title, sl->title_len, &lg);
	/* A doubtful answer (below NLP_LANG_TRUST) does not overrule what the
	 * source said: on the langid set such answers are right about half
	 * the time (docs/internals/nlp-lang.md). */
	if (strcmp(lg.code, "und") != 0 && (lg.conf >= NLP_LANG_TRUST || !p->lang)) {
		set_lang(p, lg.code);
		p->lang_conf = lg.conf;
		return;
	}
	if (!p->lang) {
		set_lang(p, "und");
	} else {
		/* The source's "en-US" or "de_DE": the language is "en". */
		size_t k = strcspn(p->lang, "-_");

		if (p->lang[k])
			p->lang[k] = '\0';
	}
	p->lang_conf = 0;
}

size_t nlp_analyse_batch(const struct nlp *m, struct nlp_work *w, struct post *const *posts,
			 size_t n)
{
	size_t i, done = 0;

	assert(n <= NLP_BATCH_MAX);
	/* Tokens first: every later pass reads them. */
	for (i = 0; i < n; i++) {
		struct nlp_slot *sl = &w->slot[i];
		struct post *p = posts[i];
		size_t len = p->text ? strlen(p->text) : 0;

		sl->title_len = p->title ? strlen(p->title) : 0;
		sl->skip = text_tokenise(&sl->tk, p->text ? p->text : "", len) != 0 ||
			   text_tokenise(&sl->title_tk, sl->title_len ? p->title : "",
					 sl->title_len) != 0;
		/* A post of a title alone (a feed item) is judged by its title. */
		if (len == 0 && sl->title_len) {
			sl->text = p->title;
			sl->len = sl->title_len;
			sl->judged = &sl->title_tk;
		} else {
			sl->text = p->text ? p->text : "";
			sl->len = len;
			sl->judged = &sl->tk;
		}
	}
	for (i = 0; i < n; i++)
		if (!w->slot[i].skip)
			decide_lang(posts[i], &w->slot[i]);
	for (i = 0; i < n; i++) {
		struct nlp_slot *sl = &w->slot[i];
		struct post *p = posts[i];

		if (sl->skip)
			continue;
		nlp_sentiment(m, w, sl->text, sl->len, sl->judged, p->lang, &sl->s);
		p->sentiment = sl->s.score;
		p->sentiment_label = sl->s.label;
		p->sentiment_conf = sl->s.conf;
		p->needs_review = sl->s.needs_review;
	}
	for (i = 0; i < n; i++) {
		struct post *p = posts[i];

		if (w->slot[i].skip)
			continue;
		p->spam = nlp_spam(m, p, &w->slot[i].tk);
		p->is_spam = p->spam >= NLP_SPAM_THRESHOLD;
	}
	for (i = 0; i < n; i++)
		if (!w->slot[i].skip) {
			posts[i]->simhash = nlp_simhash(w->slot[i].judged);
			posts[i]->dup_of = 0;
		}
	for (i = 0; i < n; i++) {
		struct nlp_slot *sl = &w->slot[i];
		struct post *p = posts[i];

		if (sl->skip)
			continue;
		post_clear_entities(p);
		nlp_entities(m, w, p, sl->title_len ? &sl->title_tk : NULL, &sl->tk);
		p->intent = (uint8_t)nlp_intent(m, sl->text, sl->len, sl->judged, p->lang, &sl->s);
		p->reach = nlp_reach(p);
		p->priority = nlp_priority(p);
		p->analysed = 1;
		done++;
	}
	return done;
}

int nlp_analyse(const struct nlp *m, struct nlp_work *w, struct post *p)
{
	return nlp_analyse_batch(m, w, &p, 1) == 1 ? 0 : HORCH_ETOOBIG;
}
