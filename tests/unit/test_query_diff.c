/* test_query_diff.c - the matcher against the reference evaluator, on
 * random queries and random posts.
 *
 * A generator writes random topic queries as text (a tenth of them in
 * lenient mode, the rest strict), using every operator and field of
 * docs/query-language.md, and random posts from a small vocabulary of
 * German and English words (with case and accent variants, hashtags,
 * mentions, cashtags, URLs, emoji and sentence ends), so that a good share
 * of the pairs match.  Each round compiles a set of
 * topics into one matcher (so that the presearch index sees many topics at
 * once), prepares each post once, and runs matcher_match() with
 * MATCH_SPANS, with MATCH_SPANS | MATCH_EVERY and without spans; every topic's
 * decision and spans must equal query_ref_match()'s (tests/unit/query_ref.c,
 * the oracle).  match_explain() is checked on a share of the pairs: its spans
 * on a match, and on a miss a failed clause that really fails.  Coverage
 * checks make sure every operator and field was generated and took part in
 * a match, so that the generator cannot rot silently.
 *
 *   test_query_diff                 run with the default seed (TAP)
 *   HORCH_SEED=N test_query_diff    run with seed N (printed on every run)
 *   HORCH_DIFF_ROUNDS=N             rounds of 1 to 40 topics x 20 posts (default 100)
 *   test_query_diff --show N        print N generated queries and posts, no checks
 *
 * A difference prints the seed, the query, the post as JSON and both
 * results; the first 20 are reported, each a failed check.
 * Single-threaded. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "query_ref.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/post.h"
#include "query/match.h"
#include "query/query.h"
#include "query/query_int.h"

#define DEFAULT_SEED    20261122u
#define TOPICS_MAX       40u  /* topics of one round: 1 to 40, 20.5 on average */
#define POSTS_PER_ROUND  20u
#define DEFAULT_ROUNDS   100u
#define MAX_REPORTS      20u
#define MIN_GENERATED    20u  /* each feature at least this often per run */

/* ---- random numbers: splitmix64, so a seed gives the same run everywhere ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* 1 with probability pct/100. */
static int chance(unsigned pct)
{
	return pick(100) < pct;
}

#define ONE_OF(arr) ((arr)[pick((unsigned)(sizeof(arr) / sizeof((arr)[0])))])

/* ---- features: what a query used, for the coverage checks ---- */

enum feature {
	F_WORD, F_PHRASE, F_EXACT, F_HASHTAG, F_MENTION, F_CASHTAG, F_WILD_PREFIX, F_WILD_ONE,
	F_WILD_INNER, F_EMOJI, F_PUNCT_WORD, F_AND, F_IMPLICIT_AND, F_OR, F_NOT, F_MINUS,
	F_OR_NOT, F_NESTED, F_NEAR, F_NEARF, F_ONEAR, F_PHRASE_PROX, F_GROUP_PROX, F_SENTENCE,
	F_TITLE, F_TEXT, F_AUTHOR, F_SITE, F_URL, F_LINKS, F_LANG, F_COUNTRY, F_SOURCE,
	F_PRODUCT, F_IS, F_FOLLOWERS, F_RATING, F_HASHTAG_FIELD, F_MENTION_FIELD, F_NEVER,
	F_FIELD_OR, F_LENIENT, F_FAR,
	F__COUNT
};

static const char *const feature_names[F__COUNT] = {
	"word", "phrase", "{exact}", "#hashtag", "@mention", "$cashtag", "wildcard prefix*",
	"wildcard ?", "wildcard in*ner", "emoji", "word with inner punctuation", "AND",
	"implicit AND", "OR", "NOT", "-x", "OR with a NOT item", "nested brackets", "NEAR/n",
	"NEAR/nf", "ONEAR/n", "\"phrase\"~n", "(group)~n", "SENTENCE", "title:", "text:",
	"author:", "site:", "url:", "links:", "lang:", "country:", "source:", "product:", "is:",
	"authorFollowers:[a TO b]", "rating:[a TO b]", "hashtag:", "mention:",
	"sentiment: intent: is:question topic: (R22)", "field:(a OR b)", "lenient mode", "a distance of 10 or more",
};

/* One generated query: its text and the features it used. */
struct gen {
	struct buf q;
	uint64_t feat;
	int lenient; /* lenient mode: AND and OR mixed, lower-case operators */
};

static void use(struct gen *g, int f)
{
	g->feat |= 1ull << f;
}

/* Append " OP " (op upper case) to the query; in lenient mode now and then
 * in lower case. */
static void put_op(struct gen *g, const char *op)
{
	const char *c;

	buf_putc(&g->q, ' ');
	for (c = op; *c; c++)
		buf_putc(&g->q, g->lenient && chance(30) ? *c - 'A' + 'a' : *c);
	buf_putc(&g->q, ' ');
}

/* ---- the vocabulary ---- */

/* Words as a person types them in a query; each matches some post word. */
static const char *const q_words[] = {
	"dell", "Dell", "DELL", "akku", "Akku", "laptop", "münchen", "munchen", "MÜNCHEN",
	"strasse", "straße", "xps", "13", "heiss", "heiß", "touchpad", "gut", "leer",
	"support", "battery", "hot", "the", "ist", "keyboard", "neu", "new", "müller", "3.5",
	"12:30", "GROSSE",
};
static const char *const q_punct_words[] = {
	"e-mail", "dell.com", "XPS-13", "z.B.", "www.dell.com", "https://www.dell.com/support/home",
};
static const char *const q_emoji[] = { "🔥", "👍", "👍🏽" };
static const char *const q_exact[] = {
	"{Dell}", "{XPS}", "{München}", "{#Dell}", "{akku}", "{DELL}", "{Straße}", "{@dell}",
};
static const char *const q_hashtags[] = { "#dell", "#akku", "#münchen", "#XPS" };
static const char *const q_mentions[] = { "@dell", "@DellCares", "@support" };
static const char *const q_cashtags[] = { "$DELL", "$HPQ" };
static const char *const q_wild_prefix[] = {
	"dell*", "akk*", "lap*", "münch*", "stra*", "touch*", "sup*", "ke*", "13*",
};
static const char *const q_wild_one[] = {
	"stra?e", "stra??e", "d?ll", "akk?", "m?nchen", "x?s", "he?ss", "lapto?",
};
static const char *const q_wild_inner[] = { "mu*en", "st*sse", "la*op", "de*l", "to*ad" };
static const char *const q_phrase_words[] = {
	"dell", "xps", "13", "akku", "ist", "leer", "münchen", "strasse", "gut", "the",
	"battery", "hot", "#dell", "@dell", "new", "laptop",
};

static const char *const q_sites[] = {
	"dell.com", "www.dell.com", "community.dell.com", "reddit.com", "notdell.com", "DELL.com",
};
static const char *const q_urls[] = { "dell.com/de", "reddit.com/r/dell", "/t/", "shop", "HTTPS" };
static const char *const q_links[] = {
	"dell.com", "dell.com/support", "support.dell.com", "community.dell.com", "example.org",
};
static const char *const q_langs[] = { "de", "en", "fr", "EN" };
static const char *const q_countries[] = { "de", "at", "us", "DE" };
static const char *const q_sources[] = { "twitter", "reddit", "rss", "review", "mastodon" };
static const char *const q_products[] = {
	"\"xps 13\"", "inspiron", "\"inspiron 15\"", "dell", "3000", "XPS-13", "akku", "🔥",
	"\"akku 🔥\"",
};
static const char *const q_is[] = { "retweet", "reply", "review" };
static const char *const q_followers[] = {
	"[0 TO 100]", "[100 TO 10000]", "[1000 TO 100000000]", "[500 TO 500]",
};
static const char *const q_ratings[] = { "[1 TO 2]", "[4 TO 5]", "[0 TO 5]", "[3 TO 3]" };
static const char *const q_hashtag_field[] = { "dell", "akku", "#münchen", "XPS" };
static const char *const q_mention_field[] = { "dellcares", "dell", "@support" };
static const char *const q_never[] = {
	"sentiment:negative", "sentiment:positive", "intent:complaint", "intent:praise",
	"is:question", "topic:xps",
};

/* Words of a post's text and title, as people write them. */
static const char *const p_words[] = {
	"Dell", "dell", "DELL", "#Dell", "@dell", "@DellCares", "$DELL", "Akku", "akku", "AKKU",
	"#Akku", "Laptop", "laptops", "laptop", "München", "MÜNCHEN", "Munchen", "#München",
	"Strasse", "Straße", "STRASSE", "XPS", "xps", "#XPS", "13", "heiß", "heiss", "Touchpad",
	"gut", "leer", "Support", "@support", "E-Mail", "email", "🔥", "👍", "battery", "hot",
	"the", "ist", "keyboard", "Keyboards", "neu", "new", "dell.com", "XPS-13", "z.B.",
	"https://www.dell.com/support/home", "http://community.dell.com/t/1",
	"john@support.dell.com", "https://example.org/dell", "$HPQ", "Dellwood",
	"Mu\xcc\x88nchen", /* NFD: u and a combining diaeresis */
	"M\xc3\xbcller", "MÜLLER", "Mueller", "3.5", "12:30", "GROẞE", "große", "Dell's",
	"HTTPS://WWW.DELL.COM/Support", "www.dell.com/de", "www.dell.com", "👍🏽", "👩‍💻",
};
static const char *const p_seps[] = { " ", " ", " ", " ", " ", ", ", ". ", "! ", "? ", " - " };
static const char *const p_handles[] = { "DellCares", "dell", "hans_m", "support", "Akku_Fan" };
static const char *const p_names[] = { "Dell Support", "Hans Müller", "Dell Cares", "XPS fan" };
static const char *const p_url[] = {
	"https://www.dell.com/de-de/shop", "https://community.dell.com/t/123",
	"https://notdell.com/x", "https://www.reddit.com/r/Dell/comments/1",
	"http://DELL.COM:8080/x",
};
static const char *const p_langs[] = { "de", "en", "fr", "EN" };
static const char *const p_countries[] = { "DE", "AT", "US" };
static const char *const p_sources[] = { "twitter", "reddit", "rss", "review", "mastodon" };
static const char *const p_products[] = {
	"Dell XPS 13 Plus", "Inspiron 15 3000", "Dell Akku 🔥", "Inspiron15",
};
static const int64_t p_followers[] = { 50, 100, 500, 5000, 100000 };
static const double p_ratings[] = { 1, 1.5, 2, 3, 4, 4.5, 5 };

/* ---- query generation ---- */

static void gen_chain(struct gen *g, unsigned depth, int in_field);

/* A single term: a word, exact, sigil form, wildcard or emoji. */
static void gen_term(struct gen *g)
{
	unsigned k = pick(100);

	if (k < 40) {
		use(g, F_WORD);
		buf_puts(&g->q, ONE_OF(q_words));
	} else if (k < 45) {
		use(g, F_PUNCT_WORD);
		buf_puts(&g->q, ONE_OF(q_punct_words));
	} else if (k < 48) {
		use(g, F_EMOJI);
		buf_puts(&g->q, ONE_OF(q_emoji));
	} else if (k < 56) {
		use(g, F_EXACT);
		buf_puts(&g->q, ONE_OF(q_exact));
	} else if (k < 63) {
		use(g, F_HASHTAG);
		buf_puts(&g->q, ONE_OF(q_hashtags));
	} else if (k < 70) {
		use(g, F_MENTION);
		buf_puts(&g->q, ONE_OF(q_mentions));
	} else if (k < 74) {
		use(g, F_CASHTAG);
		buf_puts(&g->q, ONE_OF(q_cashtags));
	} else if (k < 84) {
		use(g, F_WILD_PREFIX);
		buf_puts(&g->q, ONE_OF(q_wild_prefix));
	} else if (k < 92) {
		use(g, F_WILD_ONE);
		buf_puts(&g->q, ONE_OF(q_wild_one));
	} else {
		use(g, F_WILD_INNER);
		buf_puts(&g->q, ONE_OF(q_wild_inner));
	}
}

/* A distance for NEAR or ~: mostly small, now and then far. */
static unsigned gen_dist(struct gen *g)
{
	static const unsigned far[] = { 10, 17, 100 };

	if (!chance(10))
		return pick(6);
	use(g, F_FAR);
	return ONE_OF(far);
}

/* A phrase of 2 or 3 words, sometimes with ~n. */
static void gen_phrase(struct gen *g, int allow_prox)
{
	unsigned i, n = 2 + pick(2);

	use(g, F_PHRASE);
	buf_putc(&g->q, '"');
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&g->q, ' ');
		buf_puts(&g->q, ONE_OF(q_phrase_words));
	}
	buf_putc(&g->q, '"');
	if (allow_prox && chance(35)) {
		use(g, F_PHRASE_PROX);
		buf_printf(&g->q, "~%u", gen_dist(g));
	}
}

static void gen_near_operand(struct gen *g, unsigned depth);

/* An OR group of NEAR operands, bracketed: "(a OR b)". */
static void gen_near_group(struct gen *g, unsigned depth)
{
	unsigned i, n = 2 + pick(2);

	use(g, F_OR);
	buf_putc(&g->q, '(');
	for (i = 0; i < n; i++) {
		if (i)
			buf_puts(&g->q, " OR ");
		gen_near_operand(g, depth + 1);
	}
	buf_putc(&g->q, ')');
}

/* NEAR/n, NEAR/nf, ONEAR/n or SENTENCE with a space on each side. */
static void gen_near_op(struct gen *g)
{
	unsigned k = pick(100), dist = gen_dist(g);

	if (k < 35) {
		use(g, F_NEAR);
		buf_printf(&g->q, " NEAR/%u ", dist);
	} else if (k < 55) {
		use(g, F_NEARF);
		buf_printf(&g->q, " NEAR/%uf ", dist);
	} else if (k < 75) {
		use(g, F_ONEAR);
		buf_printf(&g->q, " ONEAR/%u ", dist);
	} else {
		use(g, F_SENTENCE);
		buf_puts(&g->q, " SENTENCE ");
	}
}

/* A ~n group: "(a OR b)~n" (items: NEAR operands), or now and then
 * "(a AND b)~n", which the parser also reads as a group. */
static void gen_group_prox(struct gen *g, unsigned depth)
{
	unsigned i, n = 2 + pick(2);
	int and = chance(25);

	use(g, F_GROUP_PROX);
	use(g, and ? F_AND : F_OR);
	buf_putc(&g->q, '(');
	for (i = 0; i < n; i++) {
		if (i)
			buf_puts(&g->q, and ? " AND " : " OR ");
		gen_near_operand(g, depth + 1);
	}
	buf_printf(&g->q, ")~%u", gen_dist(g));
}

/* What may stand beside NEAR or inside a ~ group: a term, a phrase, an OR
 * group, a ~ group, or a bracketed NEAR. */
static void gen_near_operand(struct gen *g, unsigned depth)
{
	unsigned k = pick(100);

	if (depth >= 3 || k < 55) {
		gen_term(g);
	} else if (k < 72) {
		gen_phrase(g, 1);
	} else if (k < 84) {
		gen_near_group(g, depth);
	} else if (k < 92) {
		gen_group_prox(g, depth);
	} else {
		use(g, F_NESTED);
		buf_putc(&g->q, '(');
		gen_near_operand(g, depth + 1);
		gen_near_op(g);
		gen_near_operand(g, depth + 1);
		buf_putc(&g->q, ')');
	}
}

/* "a NEAR/n b" and chains of them ("a NEAR/2 b NEAR/3 c" is refused:
 * the inner one is bracketed). */
static void gen_near(struct gen *g, unsigned depth)
{
	gen_near_operand(g, depth + 1);
	gen_near_op(g);
	gen_near_operand(g, depth + 1);
}

/* A keyword, range, form or never-matching field; sometimes with the
 * field:(a OR b) form. */
static void gen_keyword_field(struct gen *g)
{
	unsigned k = pick(15);
	const char *name = NULL;
	const char *const *vals = NULL;
	unsigned n_vals = 0;
	int f = 0;

#define VALS(arr) (vals = (arr), n_vals = (unsigned)(sizeof(arr) / sizeof((arr)[0])))
	switch (k) {
	case 0: f = F_SITE; name = "site"; VALS(q_sites); break;
	case 1: f = F_URL; name = "url"; VALS(q_urls); break;
	case 2: f = F_LINKS; name = "links"; VALS(q_links); break;
	case 3: f = F_LANG; name = chance(20) ? "language" : "lang"; VALS(q_langs); break;
	case 4: f = F_COUNTRY; name = "country"; VALS(q_countries); break;
	case 5: f = F_SOURCE; name = chance(20) ? "sourcetype" : "source"; VALS(q_sources); break;
	case 6: f = F_PRODUCT; name = chance(20) ? "itemReview" : "product"; VALS(q_products); break;
	case 7: f = F_IS; name = "is"; VALS(q_is); break;
	case 8: f = F_HASHTAG_FIELD; name = "hashtag"; VALS(q_hashtag_field); break;
	case 9: f = F_MENTION_FIELD; name = "mention"; VALS(q_mention_field); break;
	case 10:
	case 11:
		use(g, F_FOLLOWERS);
		buf_printf(&g->q, "authorFollowers:%s", ONE_OF(q_followers));
		return;
	case 12:
		use(g, F_RATING);
		buf_printf(&g->q, "rating:%s", ONE_OF(q_ratings));
		return;
	default:
		use(g, F_NEVER);
		buf_puts(&g->q, ONE_OF(q_never));
		return;
	}
#undef VALS
	use(g, f);
	buf_printf(&g->q, "%s:", name);
	if (chance(20)) {
		unsigned i, n = 2 + pick(2);

		use(g, F_FIELD_OR);
		buf_putc(&g->q, '(');
		for (i = 0; i < n; i++)
			buf_printf(&g->q, "%s%s", i ? " OR " : "", vals[pick(n_vals)]);
		buf_putc(&g->q, ')');
	} else {
		buf_puts(&g->q, vals[pick(n_vals)]);
	}
}

/* title:, text: or author: with a term, a phrase or a bracketed query
 * without fields. */
static void gen_sub_field(struct gen *g, unsigned depth)
{
	unsigned k = pick(100);

	if (k < 40) {
		use(g, F_TITLE);
		buf_puts(&g->q, "title:");
	} else if (k < 80) {
		use(g, F_TEXT);
		buf_puts(&g->q, chance(80) ? "text:" : chance(50) ? "content:" : "message:");
	} else {
		use(g, F_AUTHOR);
		buf_puts(&g->q, "author:");
	}
	k = pick(100);
	if (k < 45) {
		gen_term(g);
	} else if (k < 65) {
		gen_phrase(g, 1);
	} else {
		buf_putc(&g->q, '(');
		gen_chain(g, depth + 1, 1);
		buf_putc(&g->q, ')');
	}
}

/* One operand of an AND or OR chain.  in_field: inside title:( ), where
 * fields may not stand. */
static void gen_operand(struct gen *g, unsigned depth, int in_field)
{
	unsigned k = pick(100);

	if (depth >= 3)
		k = k % 45;
	if (in_field && k >= 70 && k < 90)
		k = pick(45);
	if (k < 30) {
		gen_term(g);
	} else if (k < 42) {
		gen_phrase(g, 1);
	} else if (k < 52) {
		buf_putc(&g->q, '(');
		gen_near(g, depth);
		buf_putc(&g->q, ')');
	} else if (k < 58) {
		gen_group_prox(g, depth);
	} else if (k < 70) {
		if (depth > 0)
			use(g, F_NESTED);
		buf_putc(&g->q, '(');
		gen_chain(g, depth + 1, in_field);
		buf_putc(&g->q, ')');
	} else if (k < 78) {
		gen_sub_field(g, depth);
	} else {
		if (in_field)
			gen_term(g);
		else
			gen_keyword_field(g);
	}
}

/* A negated item after a positive one in an AND chain: " NOT x", " -x",
 * " AND NOT x", or now and then " AND (y OR NOT x)". */
static void gen_not(struct gen *g, unsigned depth, int in_field)
{
	unsigned k = pick(100);

	if (k < 35) {
		use(g, F_NOT);
		put_op(g, "NOT");
	} else if (k < 60) {
		use(g, F_NOT);
		use(g, F_AND);
		put_op(g, "AND");
		buf_puts(&g->q, "NOT ");
	} else if (k < 80) {
		use(g, F_MINUS);
		buf_puts(&g->q, " -");
	} else {
		/* (y OR NOT x): rare in real topics, here to test the NOT inside an OR */
		use(g, F_OR_NOT);
		use(g, F_AND);
		use(g, F_OR);
		buf_puts(&g->q, " AND (");
		gen_operand(g, depth + 1, in_field);
		buf_puts(&g->q, " OR NOT ");
		gen_operand(g, depth + 1, in_field);
		buf_putc(&g->q, ')');
		return;
	}
	gen_operand(g, depth + 1, in_field);
}

/* An AND chain (with NOT items) or an OR chain of 1 to 3 operands. */
static void gen_chain(struct gen *g, unsigned depth, int in_field)
{
	unsigned i, n = 1 + pick(3);
	int or = chance(55);

	gen_operand(g, depth, in_field);
	for (i = 1; i < n; i++) {
		/* lenient mode mixes AND and OR at one level (AND binds closer) */
		if (g->lenient && chance(50))
			or = chance(50);
		if (or) {
			use(g, F_OR);
			put_op(g, "OR");
		} else if (chance(20)) {
			use(g, F_IMPLICIT_AND);
			buf_putc(&g->q, ' ');
		} else {
			use(g, F_AND);
			put_op(g, "AND");
		}
		gen_operand(g, depth, in_field);
	}
	if (!or && chance(40))
		gen_not(g, depth, in_field);
}

/* A whole query: a chain, or now and then a bare NEAR at the top. */
static void gen_query(struct gen *g)
{
	buf_reset(&g->q);
	g->feat = 0;
	g->lenient = chance(10);
	if (g->lenient)
		use(g, F_LENIENT);
	if (chance(8))
		gen_near(g, 0);
	else
		gen_chain(g, 0, 0);
}

/* ---- post generation ---- */

static char *gen_words(unsigned n)
{
	struct buf b;
	unsigned i;

	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, ONE_OF(p_seps));
		buf_puts(&b, ONE_OF(p_words));
	}
	if (chance(40))
		buf_putc(&b, ONE_OF(".!?"));
	return buf_take(&b);
}

/* Fill p (initialised) with a random post. */
static void gen_post(struct post *p, unsigned serial)
{
	char id[32];
	unsigned k;

	snprintf(id, sizeof id, "d%u", serial);
	p->source = horch_xstrdup(ONE_OF(p_sources));
	p->external_id = horch_xstrdup(id);
	k = pick(100);
	if (k < 4)
		p->text = horch_xstrdup("");
	else if (k >= 8)
		p->text = gen_words(k < 18 ? 30 + pick(40) : 6 + pick(18));
	if (!p->text || chance(50))
		p->title = gen_words(1 + pick(4));
	if (chance(75))
		p->author = horch_xstrdup(ONE_OF(p_handles));
	if (chance(50))
		p->author_name = horch_xstrdup(ONE_OF(p_names));
	if (chance(65))
		p->url = horch_xstrdup(ONE_OF(p_url));
	if (chance(70))
		p->lang = horch_xstrdup(ONE_OF(p_langs));
	if (chance(60))
		p->country = horch_xstrdup(ONE_OF(p_countries));
	p->kind = (enum post_kind)pick(5);
	if (p->kind == POST_KIND_REVIEW || chance(10)) {
		p->rating = ONE_OF(p_ratings);
		if (chance(80))
			p->product = horch_xstrdup(ONE_OF(p_products));
	}
	if (chance(70))
		p->author_followers = ONE_OF(p_followers);
	/* What the enrich stage would derive (R22). */
	if (chance(80)) {
		p->analysed = 1;
		p->sentiment_label = (uint8_t)(POST_SENT_NEGATIVE + pick(3));
		p->intent = (uint8_t)(POST_INTENT_OTHER + pick(6));
	}
}

/* ---- comparison ---- */

struct stats {
	uint64_t seed;
	unsigned long pairs;       /* topic x post pairs compared */
	unsigned long matched;     /* pairs the reference matches */
	unsigned long queries;     /* queries generated */
	unsigned long refused;     /* of them refused by the parser */
	unsigned long diffs;       /* pairs that differ */
	unsigned long explained;   /* match_explain() calls checked */
	unsigned long expl_clause; /* misses whose failed clause was evaluated alone */
	unsigned long expl_diffs;
	unsigned long generated[F__COUNT];
	unsigned long feat_matched[F__COUNT];
};

static void ref_spans_line(struct buf *out, int rc, const struct query_ref_spans *s)
{
	size_t i;

	if (rc < 0) {
		buf_printf(out, "error %d", rc);
		return;
	}
	buf_puts(out, rc ? "match" : "nomatch");
	for (i = 0; rc && i < s->n; i++)
		buf_printf(out, " %s:%u+%u", s->v[i].part == QUERY_REF_TITLE ? "title" : "text",
			   (unsigned)s->v[i].off, (unsigned)s->v[i].len);
}

static void match_spans_line(struct buf *out, int matched, const struct match_result *r,
			     const struct match_hit *h)
{
	uint32_t i;

	buf_puts(out, matched ? "match" : "nomatch");
	for (i = 0; matched && h && i < h->n_spans; i++) {
		const struct match_span *s = &r->spans[h->span0 + i];

		buf_printf(out, " %s:%u+%u", s->part == MATCH_TITLE ? "title" :
			   s->part == MATCH_TEXT ? "text" : "?", (unsigned)s->off, (unsigned)s->len);
	}
}

/* Do the spans of hit h equal the reference's?  Returns 1 or 0. */
static int same_spans(const struct match_result *r, const struct match_hit *h,
		      const struct query_ref_spans *s)
{
	size_t i;

	if (h->n_spans != s->n || (size_t)h->span0 + h->n_spans > r->n_spans)
		return 0;
	for (i = 0; i < s->n; i++) {
		const struct match_span *m = &r->spans[h->span0 + i];

		if (m->part != (uint32_t)s->v[i].part || m->off != s->v[i].off || m->len != s->v[i].len)
			return 0;
	}
	return 1;
}

/* Print one difference as TAP diagnostics and count it; the first
 * MAX_REPORTS are failed checks. */
static void report(struct stats *st, const char *what, const char *query, const struct post *p,
		   const char *want, const char *got)
{
	struct buf json;

	st->diffs++;
	if (st->diffs > MAX_REPORTS)
		return;
	buf_init(&json, BUF_NOLIMIT);
	post_to_json(p, &json);
	ok(0, "diff-1.3 %s differs from the reference (seed %" PRIu64 ")", what, st->seed);
	diag("  query: %s", query);
	diag("  post:  %s", json.ptr ? json.ptr : "");
	diag("  reference: %s", want);
	diag("  matcher:   %s", got);
	buf_cleanup(&json);
}

/* The topics of one round. */
struct round {
	struct query *q[TOPICS_MAX];
	char *text[TOPICS_MAX];
	uint64_t feat[TOPICS_MAX];
	unsigned flags[TOPICS_MAX]; /* query_parse() flags */
	int64_t id[TOPICS_MAX];
	size_t n;
};

/* Compare result r of matcher_match() with flags against the reference
 * results ref[i] / spans[i] of every topic of rd. */
static void compare(struct stats *st, const struct round *rd, const struct post *p,
		    const int *ref, const struct query_ref_spans *spans, const struct match_result *r,
		    size_t n_ret, unsigned flags)
{
	const char *fname = flags == (MATCH_SPANS | MATCH_EVERY) ? "MATCH_SPANS|MATCH_EVERY" :
			    flags == MATCH_SPANS ? "MATCH_SPANS" : "flags 0";
	struct buf want, got;
	size_t i, k = 0;
	char what[200];

	buf_init(&want, BUF_NOLIMIT);
	buf_init(&got, BUF_NOLIMIT);
	if (n_ret != r->n) {
		snprintf(what, sizeof what, "%s return value %zu vs out->n %zu", fname, n_ret, r->n);
		report(st, what, "(all topics)", p, "equal", "different");
	}
	for (i = 0; i < rd->n; i++) {
		const struct match_hit *h = k < r->n && r->hits[k].topic == rd->id[i] ? &r->hits[k] : NULL;
		int diff;

		if (h)
			k++;
		if (ref[i] < 0)
			continue;
		diff = (ref[i] == 1) != (h != NULL);
		if (!diff && h && (flags & MATCH_SPANS))
			diff = !same_spans(r, h, &spans[i]);
		if (!diff && h && !(flags & MATCH_SPANS))
			diff = h->n_spans != 0;
		if (!diff)
			continue;
		buf_reset(&want);
		buf_reset(&got);
		ref_spans_line(&want, ref[i], &spans[i]);
		match_spans_line(&got, h != NULL, r, h);
		snprintf(what, sizeof what, "%s topic %zu%s", fname, i,
			 rd->flags[i] & QUERY_LENIENT ? " (query parsed lenient)" : "");
		report(st, what, rd->text[i], p, want.ptr, got.ptr);
	}
	if (k != r->n) {
		buf_reset(&got);
		buf_printf(&got, "%zu hits, %zu of them in build order:", r->n, k);
		for (i = 0; i < r->n; i++)
			buf_printf(&got, " %" PRId64, r->hits[i].topic);
		snprintf(what, sizeof what, "%s hit list", fname);
		report(st, what, "(all topics)", p, "hits in build order, each once", got.ptr);
	}
	buf_cleanup(&want);
	buf_cleanup(&got);
}

/* ---- match_explain() ---- */

/* Find the nodes of the tree whose byte range is [off, end); collect up to
 * max of them (with whether they lie inside a title:/text:/author:). */
static void find_nodes(const struct qnode *n, uint32_t off, uint32_t end, int in_field,
		       const struct qnode **found, int *found_in_field, size_t *n_found, size_t max)
{
	uint32_t i;

	if (n->off == off && n->end == end && *n_found < max) {
		found[*n_found] = n;
		found_in_field[*n_found] = in_field;
		(*n_found)++;
	}
	for (i = 0; i < n->n_kids; i++)
		find_nodes(n->kids[i], off, end, in_field || n->kind == QN_FIELD, found,
			   found_in_field, n_found, max);
}

/* Evaluate node n of query text src alone: parse its text as a query of its
 * own and check that it prints as the node does (so it means the same).
 * Returns the reference's decision (1 or 0), or -1 when the text does not
 * stand alone. */
static int eval_alone(const char *src, unsigned flags, const struct qnode *n,
		      const struct post *p)
{
	struct query *q = NULL;
	struct horch_err err;
	struct buf a, b;
	int rc = -1;

	buf_init(&a, BUF_NOLIMIT);
	buf_init(&b, BUF_NOLIMIT);
	if (query_parse(&q, src + n->off, n->end - n->off, flags, NULL, &err) != 0)
		goto out;
	if (query__print_node(n, &a) != 0 || query_print(q, &b) != 0 || a.len != b.len ||
	    memcmp(a.ptr, b.ptr, a.len) != 0)
		goto out;
	rc = query_ref_match(q, p, NULL);
out:
	query_free(q);
	buf_cleanup(&a);
	buf_cleanup(&b);
	return rc;
}

/* Check match_explain() of topic i of rd on the post prepared in d. */
static void check_explain(struct stats *st, const struct round *rd, size_t i,
			  struct match_doc *d, const struct post *p, int ref,
			  const struct query_ref_spans *spans, struct match_result *r)
{
	const char *src = rd->text[i];
	uint32_t len = (uint32_t)strlen(src), fo = UINT32_MAX, fe = UINT32_MAX;
	const struct qnode *found[8];
	int in_field[8];
	size_t n_found = 0, k;
	struct buf want, got;
	int rc, bad = 0;

	st->explained++;
	buf_init(&want, BUF_NOLIMIT);
	buf_init(&got, BUF_NOLIMIT);
	rc = match_explain(rd->q[i], d, r, &fo, &fe);
	ref_spans_line(&want, ref, spans);
	if (rc != ref) {
		buf_printf(&got, "returns %d", rc);
		bad = 1;
	} else if (rc == 1) {
		if (r->n != 1 || r->hits[0].topic != 0 || !same_spans(r, &r->hits[0], spans)) {
			match_spans_line(&got, 1, r, r->n ? &r->hits[0] : NULL);
			buf_printf(&got, " (%zu hits)", r->n);
			bad = 1;
		}
	} else if (fo >= fe || fe > len) {
		buf_printf(&got, "fail range [%u, %u) outside the query (length %u)", fo, fe, len);
		bad = 1;
	} else {
		find_nodes(rd->q[i]->root, fo, fe, 0, found, in_field, &n_found, 8);
		if (n_found == 0) {
			buf_printf(&got, "fail range [%u, %u) \"%.*s\" is no clause of the query", fo,
				   fe, (int)(fe - fo), src + fo);
			bad = 1;
		}
		for (k = 0; k < n_found && !bad; k++) {
			const struct qnode *n = found[k];
			int alone;

			if (in_field[k])
				continue;
			if (n->kind == QN_NOT) {
				alone = n->n_kids ? eval_alone(src, rd->flags[i], n->kids[0], p) : -1;
				if (alone == 0)
					bad = 1;
			} else {
				alone = eval_alone(src, rd->flags[i], n, p);
				if (alone == 1)
					bad = 1;
			}
			if (alone >= 0)
				st->expl_clause++;
			if (bad)
				buf_printf(&got, "failed clause [%u, %u) \"%.*s\" %s when evaluated alone",
					   fo, fe, (int)(fe - fo), src + fo,
					   n->kind == QN_NOT ? "has an item that does not match" :
					   "matches");
		}
	}
	if (bad) {
		st->expl_diffs++;
		report(st, rd->flags[i] & QUERY_LENIENT ? "match_explain() (query parsed lenient)" :
		       "match_explain()", src, p, want.ptr, got.ptr);
	}
	buf_cleanup(&want);
	buf_cleanup(&got);
}

/* ---- the run ---- */

/* Generate the topics of one round; refused queries are counted and
 * replaced. */
static void gen_round(struct stats *st, struct round *rd, unsigned round_no)
{
	struct gen g;
	struct horch_err err;
	unsigned tries;

	buf_init(&g.q, BUF_NOLIMIT);
	size_t want = 1 + pick(TOPICS_MAX);

	rd->n = 0;
	while (rd->n < want) {
		struct query *q = NULL;

		for (tries = 0; tries < 100; tries++) {
			gen_query(&g);
			st->queries++;
			if (query_parse(&q, g.q.ptr, g.q.len, g.lenient ? QUERY_LENIENT : 0, NULL,
					&err) == 0)
				break;
			st->refused++;
			if (st->refused <= 5)
				diag("  refused (col %ld: %s): %s", err.col, err.msg, g.q.ptr);
		}
		if (!q)
			break;
		rd->q[rd->n] = q;
		rd->text[rd->n] = horch_xstrndup(g.q.ptr, g.q.len);
		rd->feat[rd->n] = g.feat;
		rd->flags[rd->n] = g.lenient ? QUERY_LENIENT : 0;
		/* ids that are neither sequential nor sorted, to catch index mix-ups */
		rd->id[rd->n] = (int64_t)round_no * 1000003 + (int64_t)((rd->n * 7919) % 1009) - 500;
		rd->n++;
	}
	buf_cleanup(&g.q);
}

static void free_round(struct round *rd)
{
	size_t i;

	for (i = 0; i < rd->n; i++) {
		query_free(rd->q[i]);
		free(rd->text[i]);
	}
	rd->n = 0;
}

static void run_round(struct stats *st, unsigned round_no, struct match_doc *d,
		      struct match_result *r)
{
	struct round rd;
	struct matcher_topic topics[TOPICS_MAX];
	struct matcher *m = NULL;
	struct horch_err err;
	struct query_ref_spans spans[TOPICS_MAX];
	int ref[TOPICS_MAX];
	size_t i, n_ret;
	unsigned j, f;

	gen_round(st, &rd, round_no);
	for (i = 0; i < rd.n; i++) {
		topics[i].id = rd.id[i];
		topics[i].q = rd.q[i];
		topics[i].name = NULL;
		query_ref_spans_init(&spans[i]);
		for (f = 0; f < F__COUNT; f++)
			if (rd.feat[i] & (1ull << f))
				st->generated[f]++;
	}
	if (matcher_build(&m, topics, rd.n, &err) != 0) {
		ok(0, "diff-1.2 matcher_build round %u (seed %" PRIu64 "): %s", round_no, st->seed,
		   err.msg);
		goto out;
	}
	for (j = 0; j < POSTS_PER_ROUND; j++) {
		struct post p;

		post_init(&p);
		gen_post(&p, round_no * POSTS_PER_ROUND + j);
		for (i = 0; i < rd.n; i++) {
			ref[i] = query_ref_match(rd.q[i], &p, &spans[i]);
			st->pairs++;
			if (ref[i] == 1) {
				st->matched++;
				for (f = 0; f < F__COUNT; f++)
					if (rd.feat[i] & (1ull << f))
						st->feat_matched[f]++;
			}
		}
		if (match_doc_set(d, &p) != 0) {
			report(st, "match_doc_set()", "(all topics)", &p, "0", "an error");
			post_cleanup(&p);
			continue;
		}
		n_ret = matcher_match(m, d, MATCH_SPANS | MATCH_ORDERED, r);
		compare(st, &rd, &p, ref, spans, r, n_ret, MATCH_SPANS);
		n_ret = matcher_match(m, d, MATCH_SPANS | MATCH_EVERY | MATCH_ORDERED, r);
		compare(st, &rd, &p, ref, spans, r, n_ret, MATCH_SPANS | MATCH_EVERY);
		n_ret = matcher_match(m, d, MATCH_ORDERED, r);
		compare(st, &rd, &p, ref, spans, r, n_ret, 0);
		/* explain every fourth topic */
		for (i = j % 4; i < rd.n; i += 4)
			if (ref[i] >= 0)
				check_explain(st, &rd, i, d, &p, ref[i], &spans[i], r);
		post_cleanup(&p);
	}
out:
	matcher_free(m);
	for (i = 0; i < rd.n; i++)
		query_ref_spans_cleanup(&spans[i]);
	free_round(&rd);
}

/* --show N: print N generated queries (and as many posts) to look at. */
static int show_main(unsigned n)
{
	struct gen g;
	struct horch_err err;
	struct buf json;
	unsigned i;

	buf_init(&g.q, BUF_NOLIMIT);
	buf_init(&json, BUF_NOLIMIT);
	for (i = 0; i < n; i++) {
		struct query *q = NULL;
		struct post p;
		int rc;

		gen_query(&g);
		rc = query_parse(&q, g.q.ptr, g.q.len, g.lenient ? QUERY_LENIENT : 0, NULL, &err);
		printf("%s%s%s\n", g.lenient ? "(lenient) " : "", g.q.ptr, rc ? "    <- refused" : "");
		post_init(&p);
		gen_post(&p, i);
		buf_reset(&json);
		post_to_json(&p, &json);
		printf("    %s\n", json.ptr);
		post_cleanup(&p);
		query_free(q);
	}
	buf_cleanup(&g.q);
	buf_cleanup(&json);
	return 0;
}

int main(int argc, char **argv)
{
	struct stats st;
	const char *env = getenv("HORCH_SEED");
	const char *env_rounds = getenv("HORCH_DIFF_ROUNDS");
	unsigned rounds = DEFAULT_ROUNDS, i, f;
	struct match_doc *d;
	struct match_result r;
	clock_t t0;
	double secs, rate;

	memset(&st, 0, sizeof st);
	st.seed = env && *env ? strtoull(env, NULL, 0) : DEFAULT_SEED;
	if (env_rounds && *env_rounds)
		rounds = (unsigned)strtoul(env_rounds, NULL, 0);
	rng_state = st.seed;
	if (argc > 2 && strcmp(argv[1], "--show") == 0)
		return show_main((unsigned)strtoul(argv[2], NULL, 0));
	diag("seed %" PRIu64 " (set HORCH_SEED=N to vary it), %u rounds of 1 to %u topics x %u posts",
	     st.seed, rounds, TOPICS_MAX, POSTS_PER_ROUND);

	d = match_doc_new();
	match_result_init(&r);
	t0 = clock();
	for (i = 0; i < rounds; i++)
		run_round(&st, i, d, &r);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	match_result_cleanup(&r);
	match_doc_free(d);

	rate = st.pairs ? (double)st.matched / (double)st.pairs : 0;
	diag("%lu pairs in %.2f s, %.1f%% matched; %lu queries generated, %lu refused; "
	     "%lu explained, %lu failed clauses evaluated alone", st.pairs, secs, 100 * rate,
	     st.queries, st.refused, st.explained, st.expl_clause);
	ok(st.refused * 100 <= st.queries, "diff-1.0 the parser refuses at most 1%% of the "
	   "generated queries (%lu of %lu)", st.refused, st.queries);
	ok(st.pairs >= (unsigned long)rounds * 10 * POSTS_PER_ROUND,
	   "diff-1.1 %lu query/post pairs compared", st.pairs);
	ok(rounds < DEFAULT_ROUNDS || (rate >= 0.15 && rate <= 0.70),
	   "diff-1.2 a good share of the pairs match (%.1f%%)", 100 * rate);
	if (st.diffs > MAX_REPORTS)
		diag("  %lu more differences not shown", st.diffs - MAX_REPORTS);
	ok(st.diffs == 0, "diff-1.4 matcher and reference agree on every pair (%lu differences, "
	   "%lu of them in match_explain(); seed %" PRIu64 ")", st.diffs, st.expl_diffs, st.seed);
	ok(rounds < DEFAULT_ROUNDS || st.expl_clause >= 100,
	   "diff-1.5 failed clauses of match_explain() evaluated alone (%lu)", st.expl_clause);
	for (f = 0; f < F__COUNT; f++) {
		if (rounds < DEFAULT_ROUNDS) {
			tap_skip(1, "fewer rounds than the default: coverage not counted");
			continue;
		}
		ok(st.generated[f] >= MIN_GENERATED && st.feat_matched[f] >= 1,
		   "diff-2.%u %s generated %lu times, in a matching query %lu times", f + 1,
		   feature_names[f], st.generated[f], st.feat_matched[f]);
	}
	return tap_done();
}
