/* bench_lang.c - language identification: nlp_lang_detect() beside CLD2
 * alone and libexttextcat, for speed and for accuracy.
 *
 * The choice of CLD2 for horch (docs/internals/nlp-lang.md) rests on these
 * figures; anyone re-checks it with `make bench`.  Data, found through
 * $HORCH_SHARED (the shared data directory) or else ../shared beside the
 * source tree:
 *
 *   bench/posts.jsonl        63,907 real English and German posts (tweets,
 *                            review sentences) with their language
 *   data/langid/langid_dev.csv  labelled sentences in 20 languages; exact
 *                            duplicate texts are counted once
 *
 * Without posts.jsonl the benchmark says so and exits 0; without
 * langid_dev.csv it leaves that table out.  The engines:
 *
 *   horch        nlp_lang_detect(): the author's own words apart from
 *                quotes, links, mentions and hashtags, then CLD2, "und"
 *                below six letters
 *   cld2         the naive baseline: CLD2 on the whole raw text (best
 *                effort, as horch calls it), its code cut to ISO 639-1
 *   exttextcat   libexttextcat 3.4 with the fingerprints Debian installs
 *                (/usr/share/libexttextcat, fpdb.conf); it is slow, so it
 *                reads every EXTTEXTCAT_STEP-th post only
 *
 * Speed is the median of HORCH_BENCH_RUNS runs (default 5) of the thread's
 * CPU time over all posts, one line each: `name  posts/s  ns/op`.
 * Accuracy counts a post right when the code equals its label; "und" is
 * wrong (the posts and sentences all have a language).  The rows after
 * the languages: all (right of all), und (share answered "und") and given
 * (right of those answered with a language). */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HORCH_HAVE_EXTTEXTCAT
#include <textcat.h>
#endif

#include "bench/bench_corpus.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "nlp/lang_cld2.h"
#include "nlp/nlp.h"

#define EXTTEXTCAT_STEP 16      /* exttextcat reads every 16th post */
#define MAX_LANGS 64            /* labels of one set */
#define RUNS_MAX 64

/* The path of a shared file: $HORCH_SHARED/rel, else
 * SOURCE_ROOT/../shared/data/rel.  Returns 0 when it is readable. */
static int shared_path(char *out, size_t cap, const char *rel)
{
	const char *shared = getenv("HORCH_SHARED");

	if (shared && *shared) {
		snprintf(out, cap, "%s/%s", shared, rel);
		if (access(out, R_OK) == 0)
			return 0;
	}
	snprintf(out, cap, "%s/../shared/data/%s", HORCH_BENCH_SOURCE_ROOT, rel);
	return access(out, R_OK) == 0 ? 0 : -1;
}

/* The CSV reader's state: the fields of the current row. */
struct csv_rows {
	struct bench_corpus *set;
	char label[8];
	char *text;
	size_t len;
	int field;
	long row;
};

static void csv_field(void *data, size_t len, void *ctx)
{
	struct csv_rows *r = ctx;

	if (r->field == 0)
		snprintf(r->label, sizeof r->label, "%.*s", (int)len, (const char *)data);
	else if (r->field == 1) {
		free(r->text);
		r->text = horch_xmalloc(len + 1);
		memcpy(r->text, data, len);
		r->len = len;
	}
	r->field++;
}

static void csv_row(int c, void *ctx)
{
	struct csv_rows *r = ctx;

	if (r->row++ > 0 && r->field == 2 && r->text)
		bench_corpus_add(r->set, r->text, r->len, r->label);
	r->field = 0;
}

static int cmp_text(const void *a, const void *b)
{
	const struct bench_item *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->text, y->text, x->len);
}

/* langid_dev.csv (header labels,text), each distinct text once.  The order
 * of the result is by text, which does not change any figure. */
static int load_langid(struct bench_corpus *s, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct csv_parser p;
	struct csv_rows r = { .set = s };
	char buf[65536];
	size_t n, i, k;

	if (!f)
		return -1;
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		fclose(f);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		csv_parse(&p, buf, n, csv_field, csv_row, &r);
	csv_fini(&p, csv_field, csv_row, &r);
	csv_free(&p);
	free(r.text);
	fclose(f);
	if (s->n == 0)
		return -1;
	qsort(s->v, s->n, sizeof *s->v, cmp_text);
	for (i = 1, k = 1; i < s->n; i++) {
		if (cmp_text(&s->v[i], &s->v[k - 1]) == 0)
			free(s->v[i].text);
		else
			s->v[k++] = s->v[i];
	}
	s->n = k;
	return 0;
}

/* ---- the engines ---- */

enum { E_HORCH, E_CLD2, E_TEXTCAT, N_ENGINES };
static const char *const engine_name[N_ENGINES] = { "horch", "cld2", "exttextcat" };

#ifdef HORCH_HAVE_EXTTEXTCAT
static void *textcat;
#endif

/* The ISO 639-1 part of a CLD2 or exttextcat code into out: up to the
 * first '-', "un"/"UNKNOWN"/"SHORT" as "und", CLD2's old "iw" as "he". */
static void iso(const char *code, size_t len, char out[8])
{
	size_t n = 0;

	while (n < len && n < 7 && code[n] != '-')
		n++;
	memcpy(out, code, n);
	out[n] = '\0';
	if (n == 0 || strcmp(out, "un") == 0 || strcmp(out, "xx") == 0 || n > 3 ||
	    (out[0] >= 'A' && out[0] <= 'Z'))
		strcpy(out, "und");
	else if (strcmp(out, "iw") == 0)
		strcpy(out, "he");
}

/* The language engine e gives s[0..len). */
static void identify(int e, const char *s, size_t len, char out[8])
{
	switch (e) {
	case E_HORCH: {
		struct nlp_lang l;

		nlp_lang_detect(s, len, &l);
		snprintf(out, 8, "%s", l.code);
		return;
	}
	case E_CLD2: {
		struct nlp__cld2_result r;

		nlp__cld2_detect(s, len, NLP__CLD2_BEST_EFFORT, &r);
		iso(r.code[0], strlen(r.code[0]), out);
		return;
	}
	}
#ifdef HORCH_HAVE_EXTTEXTCAT
	{
		const char *r = textcat_Classify(textcat, s, len);
		const char *end;

		if (r && r[0] == '[' && (end = strchr(r, ']')) != NULL) {
			iso(r + 1, (size_t)(end - r - 1), out);
			return;
		}
	}
#endif
	strcpy(out, "und");
}

static int have_engine(int e)
{
#ifdef HORCH_HAVE_EXTTEXTCAT
	return e != E_TEXTCAT || textcat != NULL;
#else
	return e != E_TEXTCAT;
#endif
}

static size_t sink;

/* CPU ns to identify every step-th item of s with engine e. */
static long long time_engine(int e, const struct bench_corpus *s, size_t step)
{
	long long t0 = bench_cpu_ns();
	char code[8];

	for (size_t i = 0; i < s->n; i += step) {
		identify(e, s->v[i].text, s->v[i].len, code);
		sink += (size_t)code[0];
	}
	return bench_cpu_ns() - t0;
}

/* Per-language counts of one engine on one set. */
struct tally {
	char lang[MAX_LANGS][8];
	size_t total[MAX_LANGS], right[MAX_LANGS], und[MAX_LANGS];
	size_t n_langs, all, all_right, all_und;
};

static void tally_add(struct tally *t, const char *label, const char *got)
{
	size_t i;

	for (i = 0; i < t->n_langs && strcmp(t->lang[i], label) != 0; i++)
		;
	if (i == t->n_langs) {
		if (t->n_langs == MAX_LANGS)
			return;
		snprintf(t->lang[t->n_langs++], 8, "%s", label);
	}
	t->total[i]++;
	t->all++;
	if (strcmp(label, got) == 0) {
		t->right[i]++;
		t->all_right++;
	}
	if (strcmp(got, "und") == 0) {
		t->und[i]++;
		t->all_und++;
	}
}

static double pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Accuracy of each engine on s (every step[e]-th item), per language. */
static void accuracy(const char *title, const struct bench_corpus *s,
		     const size_t step[N_ENGINES])
{
	static struct tally t[N_ENGINES];
	const char *order[MAX_LANGS];
	char code[8];
	int e;

	memset(t, 0, sizeof t);
	for (e = 0; e < N_ENGINES; e++) {
		if (!have_engine(e))
			continue;
		for (size_t i = 0; i < s->n; i += step[e]) {
			identify(e, s->v[i].text, s->v[i].len, code);
			tally_add(&t[e], s->v[i].lang, code);
		}
	}
	printf("\naccuracy on %s (%zu texts; %% right, und counted wrong)\n", title, s->n);
	printf("%-6s", "lang");
	for (e = 0; e < N_ENGINES; e++)
		if (have_engine(e))
			printf(" %12s", engine_name[e]);
	printf("\n");
	for (size_t l = 0; l < t[E_HORCH].n_langs; l++)
		order[l] = t[E_HORCH].lang[l];
	qsort(order, t[E_HORCH].n_langs, sizeof order[0], cmp_str);
	for (size_t l = 0; l < t[E_HORCH].n_langs; l++) {
		printf("%-6s", order[l]);
		for (e = 0; e < N_ENGINES; e++) {
			size_t k;

			if (!have_engine(e))
				continue;
			for (k = 0; k < t[e].n_langs && strcmp(t[e].lang[k], order[l]); k++)
				;
			printf(" %11.2f%%", k < t[e].n_langs ? pct(t[e].right[k], t[e].total[k]) : 0);
		}
		printf("\n");
	}
	printf("%-6s", "all");
	for (e = 0; e < N_ENGINES; e++)
		if (have_engine(e))
			printf(" %11.2f%%", pct(t[e].all_right, t[e].all));
	printf("\n%-6s", "und");
	for (e = 0; e < N_ENGINES; e++)
		if (have_engine(e))
			printf(" %11.2f%%", pct(t[e].all_und, t[e].all));
	printf("\n%-6s", "given");        /* right of those not "und" */
	for (e = 0; e < N_ENGINES; e++)
		if (have_engine(e))
			printf(" %11.2f%%", pct(t[e].all_right, t[e].all - t[e].all_und));
	printf("\n%-6s", "texts");
	for (e = 0; e < N_ENGINES; e++)
		if (have_engine(e))
			printf(" %12zu", t[e].all);
	printf("\n");
}

int main(void)
{
	const char *env_runs = getenv("HORCH_BENCH_RUNS");
	int runs = env_runs ? atoi(env_runs) : 5;
	static struct bench_corpus posts, langid;
	char path[4096];
	long long v[N_ENGINES][RUNS_MAX];
	size_t step[N_ENGINES] = { 1, 1, EXTTEXTCAT_STEP };
	int e, r;

	if (runs < 1 || runs > RUNS_MAX)
		runs = 5;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (bench_corpus_load(&posts, BENCH_CORPUS_NEED_LANG) != 0) {
		printf("bench_lang: skipped: no shared workload (%s not readable)\n",
		       posts.where);
		bench_corpus_free(&posts);
		return 0;
	}
	printf("posts: %s (%zu)\n", posts.path, posts.n);
#ifdef HORCH_HAVE_EXTTEXTCAT
	textcat = special_textcat_Init("/usr/share/libexttextcat/fpdb.conf",
				       "/usr/share/libexttextcat/");
	if (!textcat)
		printf("exttextcat: fingerprints not found in /usr/share/libexttextcat\n");
#endif

	for (e = 0; e < N_ENGINES; e++)
		if (have_engine(e))
			time_engine(e, &posts, step[e] * 8);    /* warm up */
	for (r = 0; r < runs; r++)
		for (e = 0; e < N_ENGINES; e++)
			if (have_engine(e) && (e != E_TEXTCAT || r == 0))
				v[e][r] = time_engine(e, &posts, step[e]);
	printf("median of %d runs (exttextcat: one run on every %dth post)\n", runs,
	       EXTTEXTCAT_STEP);
	for (e = 0; e < N_ENGINES; e++) {
		long long ns;
		size_t n = (posts.n + step[e] - 1) / step[e];

		if (!have_engine(e))
			continue;
		ns = e == E_TEXTCAT ? v[e][0] : bench_median(v[e], runs);
		printf("%-12s %10.0f posts/s %8.0f ns/op\n", engine_name[e],
		       (double)n / ((double)ns / 1e9), (double)ns / (double)n);
	}

	accuracy("posts.jsonl", &posts, step);
	if (shared_path(path, sizeof path, "langid/langid_dev.csv") == 0 &&
	    load_langid(&langid, path) == 0) {
		size_t all[N_ENGINES] = { 1, 1, 1 };

		accuracy("langid_dev.csv, duplicates once", &langid, all);
	} else {
		printf("\nlangid_dev.csv not readable: no accuracy across languages\n");
	}
#ifdef HORCH_HAVE_EXTTEXTCAT
	if (textcat)
		textcat_Done(textcat);
#endif
	bench_corpus_free(&posts);
	bench_corpus_free(&langid);
	return sink == 0;
}
