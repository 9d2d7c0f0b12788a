/* bench_spam.c - how fast the spam score is (nlp_spam()).
 *
 * The corpus is the "text" of every line of the shared benchmark posts
 * (../shared/bench/posts.jsonl beside the source tree, or
 * $HORCH_SHARED/../bench/posts.jsonl: 63,907 real English and German
 * tweets and review sentences); without it the benchmark says so and
 * exits.  The posts are normalised beforehand.  Measured on one thread,
 * each the median of HORCH_BENCH_RUNS runs (default 5), in the thread's CPU
 * time:
 *
 *   spam           nlp_spam() on the tokens: one pass, the cue words in a
 *                  hash table, no allocation.  The enrich stage tokenises
 *                  once for every enricher, so this is measured on each
 *                  post's tokens just made (run_spam() says how)
 *   tokenise+spam  tokenising and scoring
 *   naive-spam     the straightforward way, written below as naive_spam():
 *                  a malloc'd lower-case copy of the text, then strstr()
 *                  for every cue word and phrase of the same kinds (about
 *                  200), counting "http" and '@' and '#' by scanning, and
 *                  a logistic sum; it needs no tokens
 *
 * Each line reads `name  posts/s  ns/post`; the ratio follows.  The budget
 * of the spam score is 1 microsecond a post (docs/internals/nlp-spam.md). */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_corpus.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/post.h"
#include "nlp/nlp.h"
#include "text/text.h"

/* ---- the naive scorer ---- */

static const char *const naive_cues[] = {
	"subscribe", "sub to", "sub4sub", "subscribers", "check out", "check my",
	"my channel", "my video", "follow me", "add me", "like my", "visit my", "my page",
	"my playlist", "abonniert", "abonniere", "meinen kanal", "folgt mir", "schaut mal",
	"free", "win ", "winner", "prize", "cash", "money", "earn", "gift card", "giftcard",
	"bonus", "bitcoin", "crypto", "paypal", "kostenlos", "gratis", "gewinn", "geld verdienen",
	"gutschein", "sex", "porn", "nude", "naked", "horny", "webcam", "dating", "xxx",
	"hiring", "apply now", "vacancy", "(m/w/d)", "(w/m/d)", "wir suchen", "bewerben",
	"stellenangebot", "please", "plz", "pls", "bitte", "click", "link", "register",
	"download", "klick", "call ", "whatsapp", "telefon", "$$$", "follow 4 follow",
	"like for like", "check it out", "check this out", "our website", "my website",
	"instagram", "twitch", "soundcloud", "my music", "my new", "new video",
	"abonnieren", "besucht", "unsere seite", "job", "career", "salary", "gehalt",
	"teilzeit", "vollzeit", "minijob", "ausbildung", "voucher", "coupon", "discount",
	"rabatt", "giveaway", "lottery", "jackpot", "invest", "forex", "income", "profit",
	"escort", "milf", "hookup", "singles", "erotik", "nackt", "onlyfans", "camgirl",
	"vote", "dm me", "inbox", "telegram", "link in bio", "sign up", "signup", "join",
	"share", "support my", "listen to my", "watch my", "see my", "look at my",
	"my stream", "my remix", "my cover", "my beats", "my rap", "my band", "my shop",
	"my store", "my blog", "my site", "my profile", "my account", "mein kanal",
	"meine seite", "mein profil", "meine musik", "unser kanal", "unsere videos",
	"abo", "abos", "abonnenten", "folge mir", "folgt uns", "hort rein", "reinhoren",
	"reinschauen", "vorbeischauen", "kommentiert", "teilt", "liked", "like this",
	"thumbs up", "comment", "views", "visit", "website", "www.", ".com", ".net", ".org",
	".de", ".ly", "http", "https", "@gmail", "@yahoo", "@hotmail", "@web.de", "+49",
	"+44", "+1 ", "0800", "0900", "hotline", "promo", "offer", "deal", "sale", "cheap",
	"buy now", "order now", "limited", "hurry", "today only", "jetzt", "sofort", "heute",
};

/* Score text[0..len) the straightforward way.  Returns 0..1. */
static float naive_spam(const char *text, size_t len)
{
	char *low = horch_xmalloc(len + 1);
	size_t i, n_cues = 0, n_links = 0, n_at = 0, n_hash = 0, n_upper = 0, n_alpha = 0;
	const char *p;
	float z = -3.5f;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (isalpha(c)) {
			n_alpha++;
			if (isupper(c))
				n_upper++;
		}
		if (c == '@')
			n_at++;
		if (c == '#')
			n_hash++;
		low[i] = (char)tolower(c);
	}
	low[len] = '\0';
	for (i = 0; i < sizeof naive_cues / sizeof naive_cues[0]; i++)
		for (p = low; (p = strstr(p, naive_cues[i])) != NULL; p++)
			n_cues++;
	for (p = low; (p = strstr(p, "http")) != NULL; p++)
		n_links++;
	z += 1.0f * (float)(n_cues < 6 ? n_cues : 6) + 2.0f * (float)(n_links > 0);
	z += 0.6f * (float)(n_at > 2 ? n_at - 2 : 0) + 0.6f * (float)(n_hash > 3 ? n_hash - 3 : 0);
	z += n_alpha ? 0.7f * (float)n_upper / (float)n_alpha : 0.0f;
	free(low);
	return 1.0f / (1.0f + expf(-z));
}

/* ---- timing ---- */

static double sink;     /* keeps the optimiser from dropping the work */

/* Tokenise every post into one reused struct tokens (as an analysis
 * worker does) and, with spam set, score it REPEAT times: the spam score's
 * own cost is the difference of the two runs divided by REPEAT, measured
 * on tokens hot in the cache as the enrich stage has them. */
#define REPEAT 10

static long long run_spam(const struct bench_corpus *c, struct tokens *tk, int spam)
{
	long long t0 = bench_cpu_ns();
	struct post p;
	size_t i;
	int k;

	post_init(&p);
	for (i = 0; i < c->n; i++) {
		text_tokenise(tk, c->v[i].text, c->v[i].len);
		p.text = c->v[i].text;
		for (k = 0; k < (spam ? REPEAT : 0); k++)
			sink += nlp_spam(NULL, &p, tk);
		sink += (double)tk->n;
	}
	p.text = NULL;
	return bench_cpu_ns() - t0;
}

static long long run_naive(const struct bench_corpus *c)
{
	long long t0 = bench_cpu_ns();
	size_t i;

	for (i = 0; i < c->n; i++)
		sink += naive_spam(c->v[i].text, c->v[i].len);
	return bench_cpu_ns() - t0;
}

int main(void)
{
	int runs = bench_runs(5, 64), r;
	long long sp[64], tk_only[64], nv[64], sp_ns, tk_ns, nv_ns, own_ns;
	struct tokens tk;
	struct bench_corpus c;
	size_t i, n_spam = 0;
	struct post p;

	if (bench_corpus_load(&c, BENCH_CORPUS_NORMALISE) != 0) {
		printf("bench_spam: skipped: the benchmark posts (%s) are not there\n", c.where);
		bench_corpus_free(&c);
		return 0;
	}
	tokens_init(&tk);
	post_init(&p);
	for (i = 0; i < c.n; i++) {
		text_tokenise(&tk, c.v[i].text, c.v[i].len);
		p.text = c.v[i].text;
		n_spam += nlp_spam(NULL, &p, &tk) >= NLP_SPAM_THRESHOLD;
	}
	p.text = NULL;
	printf("bench_spam: %zu posts of %s, one thread, median of %d runs\n", c.n, c.path,
	       runs);
	for (r = 0; r < runs; r++) {
		tk_only[r] = run_spam(&c, &tk, 0);
		sp[r] = run_spam(&c, &tk, 1);
		nv[r] = run_naive(&c);
	}
	tk_ns = bench_median(tk_only, runs);
	sp_ns = bench_median(sp, runs);
	nv_ns = bench_median(nv, runs);
	own_ns = sp_ns > tk_ns ? (sp_ns - tk_ns) / REPEAT : 1;
	sp_ns = tk_ns + own_ns;
	printf("%-18s %12s %10s\n", "name", "posts/s", "ns/post");
	printf("%-18s %12.0f %10.0f\n", "spam", 1e9 * (double)c.n / (double)own_ns,
	       (double)own_ns / (double)c.n);
	printf("%-18s %12.0f %10.0f\n", "tokenise+spam", 1e9 * (double)c.n / (double)sp_ns,
	       (double)sp_ns / (double)c.n);
	printf("%-18s %12.0f %10.0f\n", "naive-spam", 1e9 * (double)c.n / (double)nv_ns,
	       (double)nv_ns / (double)c.n);
	printf("spam is %.1fx faster than naive-spam (%.1fx with its tokenising); %zu of the "
	       "posts (%.1f%%) score as spam\n", (double)nv_ns / (double)own_ns,
	       (double)nv_ns / (double)sp_ns, n_spam, 100.0 * (double)n_spam / (double)c.n);
	tokens_cleanup(&tk);
	bench_corpus_free(&c);
	return sink < 0;
}
