/* test_model.c - unit tests of the trained sentiment model (src/nlp/model.c):
 * training on a small labelled set written for this test, determinism,
 * the model file's round trip, every kind of damaged file, the errors of
 * training, and predictions on empty, invalid and long text.
 *
 * Model files live in a directory made with mkdtemp() and removed at the
 * end.  The sentences are this file's own, in English and German. */
#include "tap.h"

#include <dirent.h>
#include <math.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

#include "tmpdir.h"

#define NEG POST_SENT_NEGATIVE
#define NEU POST_SENT_NEUTRAL
#define POS POST_SENT_POSITIVE

static const struct {
	const char *text;
	const char *lang;
	uint8_t label;
} toy[] = {
	{ "I love this phone, the battery is great", "en", POS },
	{ "Thanks for the quick help, you are awesome", "en", POS },
	{ "Great service today, very happy", "en", POS },
	{ "The new laptop is wonderful and fast", "en", POS },
	{ "Excellent support, thank you so much", "en", POS },
	{ "Happy with my order, it arrived early", "en", POS },
	{ "Best customer care I have had", "en", POS },
	{ "Really pleased with the upgrade", "en", POS },
	{ "Das Gerät ist super, danke!", "de", POS },
	{ "Toller Service, sehr zufrieden", "de", POS },
	{ "My flight was delayed again and nobody helped", "en", NEG },
	{ "Terrible service, I want a refund", "en", NEG },
	{ "The screen broke after two days, awful", "en", NEG },
	{ "Worst support ever, on hold for an hour", "en", NEG },
	{ "I hate this update, everything is slow", "en", NEG },
	{ "Lost my bag and the staff was rude", "en", NEG },
	{ "The charger stopped working, very disappointed", "en", NEG },
	{ "Still waiting for my refund, this is a joke", "en", NEG },
	{ "Das Paket ist kaputt angekommen, ärgerlich", "de", NEG },
	{ "Schlechter Service, nie wieder", "de", NEG },
	{ "What time does the store open on Sunday", "en", NEU },
	{ "The flight leaves at 9 from gate 12", "en", NEU },
	{ "I ordered the blue model last week", "en", NEU },
	{ "Is the update available for older phones", "en", NEU },
	{ "We are driving to Berlin tomorrow", "en", NEU },
	{ "The meeting is moved to Thursday", "en", NEU },
	{ "Where can I find the manual for the printer", "en", NEU },
	{ "My order number is 4711", "en", NEU },
	{ "Wann öffnet der Laden am Samstag", "de", NEU },
	{ "Der Zug fährt um acht Uhr ab", "de", NEU },
};
#define N_TOY (sizeof toy / sizeof toy[0])

/* Texts the model has not seen, with the label it should give them. */
static const struct {
	const char *text;
	uint8_t label;
} unseen[] = {
	{ "great phone, I love it, thanks", POS },
	{ "awesome support and a wonderful upgrade", POS },
	{ "awful, the staff was rude and I want a refund", NEG },
	{ "the update is slow and I hate waiting", NEG },
};
#define N_UNSEEN (sizeof unseen / sizeof unseen[0])

static struct nlp *m;
static struct nlp_work *w;
static struct tokens tk;

static void toy_examples(struct nlp_example *ex)
{
	size_t i;

	for (i = 0; i < N_TOY; i++) {
		ex[i].text = toy[i].text;
		ex[i].len = strlen(toy[i].text);
		ex[i].lang = toy[i].lang;
		ex[i].label = toy[i].label;
	}
}

static void predict(const struct nlp_model *model, const char *text, size_t len,
		    struct nlp_sentiment *out)
{
	if (text_tokenise(&tk, text, len) != 0)
		abort();
	nlp_model_predict(model, m, w, text, len, &tk, "en", out);
}

/* The whole content of the file at path into *out (a new buffer); its
 * length, or 0 when it cannot be read. */
static size_t slurp(const char *path, unsigned char **out)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 0;
	unsigned char *p = NULL;
	int c;

	if (!f)
		return 0;
	while ((c = getc(f)) != EOF) {
		p = horch_xgrow(p, &cap, n + 1, 1);
		p[n++] = (unsigned char)c;
	}
	fclose(f);
	*out = p;
	return n;
}

static void spill(const char *path, const unsigned char *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* Recompute the checksum of the image p[0..n) after a change. */
static void fix_crc(unsigned char *p, size_t n)
{
	put_u32(p + n - 4, nlp__model_crc32(p, n - 4));
}

/* Write p[0..n) as name, load it and check that the load fails with code
 * and a message containing what; the out pointer must stay untouched. */
static void load_fails(const char *id, const unsigned char *p, size_t n, int code,
		       const char *what)
{
	struct nlp_model *model = (struct nlp_model *)&tk;   /* any non-NULL sentinel */
	struct horch_err err;
	int rc;

	horch_err_clear(&err);
	spill(tpath("bad.model"), p, n);
	rc = nlp_model_load(&model, tpath("bad.model"), &err);
	is_int(rc, code, "%s returns the error", id);
	ok(strstr(err.msg, what) != NULL, "%s message says '%s'", id, what);
	if (!strstr(err.msg, what))
		diag("  message: %s", err.msg);
	ok(model == (struct nlp_model *)&tk, "%s leaves *out untouched", id);
}

static void test_train(struct nlp_model **out)
{
	struct nlp_example ex[N_TOY];
	struct nlp_train_opts o = { .epochs = 30, .bits = 12, .seed = 7 };
	struct horch_err err;
	struct nlp_model *model = NULL;
	struct nlp_sentiment s;
	size_t i, n_right = 0;
	int rc;

	toy_examples(ex);
	rc = nlp_model_train(&model, m, ex, N_TOY, &o, &err);
	is_int(rc, 0, "model-1.1 training on the toy set succeeds");
	if (rc) {
		diag("  %s", err.msg);
		exit(tap_done());
	}
	for (i = 0; i < N_TOY; i++) {
		predict(model, toy[i].text, strlen(toy[i].text), &s);
		n_right += s.label == toy[i].label;
		if (s.label != toy[i].label)
			diag("  toy %zu: got %s, want %s", i, post_sentiment_name(s.label),
			     post_sentiment_name(toy[i].label));
	}
	is_int(n_right, N_TOY, "model-1.2 every training sentence gets its own label");
	for (i = 0; i < N_UNSEEN; i++) {
		predict(model, unseen[i].text, strlen(unseen[i].text), &s);
		is_str(post_sentiment_name(s.label), post_sentiment_name(unseen[i].label),
		       "model-1.%zu unseen: %s", i + 3, unseen[i].text);
	}
	predict(model, "great phone, I love it, thanks", 30, &s);
	ok(s.score > 0.3f && s.conf > 0.5f, "model-1.7 a clear positive: score %.3f > 0.3, "
	   "conf %.3f > 0.5", s.score, s.conf);
	predict(model, "awful, I want a refund", 22, &s);
	ok(s.score < -0.3f, "model-1.8 a clear negative: score %.3f < -0.3", s.score);
	*out = model;
}

static void test_determinism(const struct nlp_model *first)
{
	struct nlp_example ex[N_TOY];
	struct nlp_train_opts o = { .epochs = 30, .bits = 12, .seed = 7 };
	struct nlp_model *again = NULL, *other = NULL;
	struct horch_err err;
	unsigned char *a = NULL, *b = NULL, *c = NULL;
	size_t na, nb, nc;

	toy_examples(ex);
	is_int(nlp_model_save(first, tpath("a.model"), &err), 0, "model-2.1 save the first model");
	is_int(nlp_model_train(&again, m, ex, N_TOY, &o, &err), 0, "model-2.2 train again");
	is_int(nlp_model_save(again, tpath("b.model"), &err), 0, "model-2.3 save the second");
	o.seed = 8;
	is_int(nlp_model_train(&other, m, ex, N_TOY, &o, &err), 0,
	       "model-2.4 train with another seed");
	is_int(nlp_model_save(other, tpath("c.model"), &err), 0, "model-2.5 save the third");
	na = slurp(tpath("a.model"), &a);
	nb = slurp(tpath("b.model"), &b);
	nc = slurp(tpath("c.model"), &c);
	is_int(na, 84 + 4 * (12 + 4096 * 3) + 4, "model-2.6 a file of 2^12 slots has its size");
	ok(na == nb && na && memcmp(a, b, na) == 0,
	   "model-2.7 the same seed gives the same weights, byte for byte");
	ok(na == nc && memcmp(a, c, na) != 0, "model-2.8 another seed gives other weights");
	free(a);
	free(b);
	free(c);
	nlp_model_free(again);
	nlp_model_free(other);
}

static void test_round_trip(const struct nlp_model *model)
{
	static const char *const texts[] = {
		"I love this phone", "terrible, I want a refund", "The meeting is on Thursday",
		"", "!!!", "nicht gut", "Das ist super 😀", "don't like it at all",
	};
	struct nlp_model *loaded = NULL;
	struct horch_err err;
	size_t i, n_same = 0;

	is_int(nlp_model_load(&loaded, tpath("a.model"), &err), 0, "model-3.1 load the model");
	if (!loaded) {
		diag("  %s", err.msg);
		return;
	}
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct nlp_sentiment s1, s2;

		predict(model, texts[i], strlen(texts[i]), &s1);
		predict(loaded, texts[i], strlen(texts[i]), &s2);
		n_same += s1.score == s2.score && s1.label == s2.label && s1.conf == s2.conf &&
			  s1.needs_review == s2.needs_review;
	}
	for (i = 0; i < N_TOY; i++) {
		struct nlp_sentiment s1, s2;

		predict(model, toy[i].text, strlen(toy[i].text), &s1);
		predict(loaded, toy[i].text, strlen(toy[i].text), &s2);
		n_same += s1.score == s2.score && s1.label == s2.label && s1.conf == s2.conf;
	}
	is_int(n_same, sizeof texts / sizeof texts[0] + N_TOY,
	       "model-3.2 the loaded model predicts exactly as the saved one");
	is_int(nlp_model_save(loaded, tpath("d.model"), &err), 0, "model-3.3 save it again");
	{
		unsigned char *a = NULL, *d = NULL;
		size_t na = slurp(tpath("a.model"), &a), nd = slurp(tpath("d.model"), &d);

		ok(na == nd && memcmp(a, d, na) == 0, "model-3.4 saving the loaded model gives "
		   "the same file");
		free(a);
		free(d);
	}
	nlp_model_free(loaded);
}

static void test_corrupt(void)
{
	unsigned char *img = NULL, *p;
	size_t n = slurp(tpath("a.model"), &img);
	struct nlp_model *model = NULL;
	struct horch_err err;
	float nan_f = NAN;
	uint32_t nan_bits;

	if (n < 200) {
		tap_skip(1, "no model file to damage");
		return;
	}
	p = horch_xmalloc(n + 1);

	horch_err_clear(&err);
	is_int(nlp_model_load(&model, tpath("none.model"), &err), HORCH_EIO,
	       "model-4.1 a missing file is HORCH_EIO");
	ok(strstr(err.msg, "none.model") != NULL, "model-4.2 the message names the file");
	is_int(nlp_model_load(&model, tmpdir, &err), HORCH_EIO,
	       "model-4.3 a directory is HORCH_EIO");

	load_fails("model-4.4 an empty file", img, 0, HORCH_EPARSE, "truncated");
	load_fails("model-4.5 five bytes of the magic", img, 5, HORCH_EPARSE, "truncated");
	load_fails("model-4.6 the header alone", img, 84, HORCH_EPARSE, "truncated");
	load_fails("model-4.7 the last byte cut", img, n - 1, HORCH_EPARSE, "truncated");
	load_fails("model-4.8 half the weights", img, n / 2, HORCH_EPARSE, "truncated");

	memcpy(p, img, n);
	memcpy(p, "GIF89a\0\0", 8);
	load_fails("model-4.9 another file type", p, n, HORCH_EPARSE, "bad magic");

	memcpy(p, img, n);
	put_u32(p + 8, 2);
	fix_crc(p, n);
	load_fails("model-4.10 version 2", p, n, HORCH_EPARSE, "wrong version");

	memcpy(p, img, n);
	put_u32(p + 12, 31);
	fix_crc(p, n);
	load_fails("model-4.11 31 hash bits", p, n, HORCH_EPARSE, "hash bits");

	memcpy(p, img, n);
	put_u32(p + 12, 3);
	load_fails("model-4.12 3 hash bits", p, n, HORCH_EPARSE, "hash bits");

	memcpy(p, img, n);
	put_u32(p + 12, 13);
	fix_crc(p, n);
	load_fails("model-4.13 13 hash bits in a file of 12", p, n, HORCH_EPARSE, "truncated");

	memcpy(p, img, n);
	put_u32(p + 12, 11);
	fix_crc(p, n);
	load_fails("model-4.14 11 hash bits in a file of 12", p, n, HORCH_EPARSE, "trailing");

	memcpy(p, img, n);
	put_u32(p + 16, 2);
	load_fails("model-4.15 two classes", p, n, HORCH_EPARSE, "classes");

	memcpy(p, img, n);
	put_u32(p + 20, 9);
	load_fails("model-4.16 nine dense features", p, n, HORCH_EPARSE, "dense");

	memcpy(p, img, n);
	memcpy(p + 24 + 16, "happy", 5);
	load_fails("model-4.17 a class of another name", p, n, HORCH_EPARSE, "class 2");

	memcpy(p, img, n);
	p[n / 2] ^= 0x40;
	load_fails("model-4.18 one bit of a weight flipped", p, n, HORCH_EPARSE,
		   "bad checksum");

	memcpy(p, img, n);
	p[n - 1] ^= 0x01;
	load_fails("model-4.19 the checksum itself damaged", p, n, HORCH_EPARSE,
		   "bad checksum");

	memcpy(p, img, n);
	p[n] = 0;
	load_fails("model-4.20 a byte after the checksum", p, n + 1, HORCH_EPARSE, "trailing");

	memcpy(p, img, n);
	memcpy(&nan_bits, &nan_f, 4);
	put_u32(p + 84 + 4 * 20, nan_bits);
	fix_crc(p, n);
	load_fails("model-4.21 a weight that is not a number", p, n, HORCH_EPARSE,
		   "not a finite");

	memcpy(p, img, n);
	put_u32(p + 84 + 4 * 30, 0x7f000000u);   /* 1.7e38, finite */
	fix_crc(p, n);
	load_fails("model-4.22 a weight of 1.7e38", p, n, HORCH_EPARSE, "out of range");

	memcpy(p, img, n);
	is_int(nlp__model_parse(&model, p, n, "memory", &err), 0,
	       "model-4.23 the undamaged image parses");
	nlp_model_free(model);
	free(p);
	free(img);
}

static void test_train_errors(void)
{
	struct nlp_example ex[N_TOY];
	struct nlp_train_opts o = { .epochs = 2, .bits = 10 };
	struct nlp_model *model = NULL;
	struct horch_err err;
	size_t i;

	toy_examples(ex);
	horch_err_clear(&err);
	is_int(nlp_model_train(&model, m, ex, 0, &o, &err), HORCH_EINVAL,
	       "model-5.1 no examples is HORCH_EINVAL");
	is_int(nlp_model_train(&model, m, ex, 10, &o, &err), HORCH_EINVAL,
	       "model-5.2 only positive examples is HORCH_EINVAL");
	ok(strstr(err.msg, "positive") && strstr(err.msg, "two classes"),
	   "model-5.3 the message says all are positive and two classes are needed");
	is_int(nlp_model_train(&model, m, ex + 20, 10, &o, &err), HORCH_EINVAL,
	       "model-5.4 only neutral examples is HORCH_EINVAL");
	ok(model == NULL, "model-5.5 a failed training leaves *out untouched");
	o.bits = 3;
	is_int(nlp_model_train(&model, m, ex, N_TOY, &o, &err), HORCH_EINVAL,
	       "model-5.6 3 hash bits is HORCH_EINVAL");
	o.bits = 25;
	is_int(nlp_model_train(&model, m, ex, N_TOY, &o, &err), HORCH_EINVAL,
	       "model-5.7 25 hash bits is HORCH_EINVAL");
	o.bits = 10;
	o.epochs = -1;
	is_int(nlp_model_train(&model, m, ex, N_TOY, &o, &err), HORCH_EINVAL,
	       "model-5.8 negative epochs is HORCH_EINVAL");
	o.epochs = 2;
	ex[3].label = POST_SENT_NONE;
	is_int(nlp_model_train(&model, m, ex, N_TOY, &o, &err), HORCH_EINVAL,
	       "model-5.9 an example without a label is HORCH_EINVAL");
	ok(strstr(err.msg, "example 4") != NULL, "model-5.10 the message names example 4");
	ex[3].label = POS;

	/* Two classes are enough; the third is then never the answer. */
	is_int(nlp_model_train(&model, m, ex, 20, &o, &err), 0,
	       "model-5.11 positive and negative examples alone train");
	if (model) {
		size_t n_neutral = 0;

		for (i = 0; i < N_TOY; i++) {
			struct nlp_sentiment s;

			predict(model, toy[i].text, strlen(toy[i].text), &s);
			n_neutral += s.label == NEU;
		}
		is_int(n_neutral, 0, "model-5.12 a model without neutral examples never says "
		       "neutral");
	}
	nlp_model_free(model);
}

/* The invariants of one prediction: below 0.55 confidence it needs a
 * review; above it only when mixed (positive and negative each more than
 * 0.2 likely, so the score is within +-0.6). */
static int sane(const struct nlp_sentiment *s)
{
	return s->label >= NEG && s->label <= POS && s->score >= -1.0f && s->score <= 1.0f &&
	       s->conf >= 1.0f / 3 - 1e-6f && s->conf <= 1.0f &&
	       (s->conf >= 0.55f || s->needs_review) &&
	       (!s->needs_review || s->conf < 0.55f || (s->score > -0.6f && s->score < 0.6f));
}

static void test_predict_edges(const struct nlp_model *model)
{
	struct nlp_sentiment s;
	struct buf b;
	size_t i;
	static const char bad[] = "gr\xe9" "at \xff\xfe serv\xc3 ice \xed\xa0\x80 love";

	predict(model, "", 0, &s);
	ok(sane(&s), "model-6.1 an empty text: label %d, score %.3f, conf %.3f", s.label,
	   s.score, s.conf);
	predict(model, bad, sizeof bad - 1, &s);
	ok(sane(&s), "model-6.2 invalid UTF-8: label %d, score %.3f, conf %.3f", s.label,
	   s.score, s.conf);

	/* 2 MB of one sentence repeated: more features than are looked at. */
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; b.len < 2u * 1024 * 1024; i++)
		buf_puts(&b, "Terrible service, I want a refund and nobody helped. ");
	predict(model, b.ptr, b.len, &s);
	ok(sane(&s) && s.label == NEG, "model-6.3 a 2 MB negative text: label %d, score %.3f",
	   s.label, s.score);
	buf_cleanup(&b);

	/* Scores agree with probabilities: a label positive or negative has
	 * the sign of the score. */
	predict(model, "Thanks, you are awesome", 23, &s);
	ok(sane(&s) && s.label == POS && s.score > 0, "model-6.4 positive label, positive "
	   "score %.3f", s.score);
}

int main(void)
{
	struct nlp_model *model = NULL;
	struct horch_err err;

	snprintf(tmpdir, sizeof tmpdir, "%s/horch-test-model-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	if (nlp_new(&m, NULL, &err) != 0) {
		printf("Bail out! nlp_new: %s\n", err.msg);
		remove_tmpdir();
		return 1;
	}
	w = nlp_work_new();
	tokens_init(&tk);

	test_train(&model);
	test_determinism(model);
	test_round_trip(model);
	test_corrupt();
	test_train_errors();
	test_predict_edges(model);

	nlp_model_free(model);
	tokens_cleanup(&tk);
	nlp_work_free(w);
	nlp_free(m);
	remove_tmpdir();
	return tap_done();
}
