/* cmd_train.c - `horch train sentiment FILE -o MODEL`: fit the sentiment
 * model (src/nlp/model.c) on a company's own labelled posts and save it.
 *
 * The file is any labelled set horch eval reads (evalset.c: CSV, TSV or
 * JSON Lines with negative, neutral and positive labels; exact duplicate
 * texts dropped).  Each example's language is --lang, else the file's
 * language column, else detected.  The model file is written atomically
 * (beside MODEL, then renamed); horch eval sentiment --model MODEL measures
 * it and nlp_opts.sentiment_model loads it for the pipeline.  One line of
 * summary on standard output (none with --quiet): the examples of each
 * class, the time taken and the file written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evalset.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/post.h"
#include "../nlp/nlp.h"

/* Is s a language code as --lang takes it: two or three letters a-z? */
static int lang_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 3)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

/* Fill ex[0..set->n) from the items of set, with the language lang_opt
 * (may be NULL) and count the examples of each label in count[] (indexed
 * by enum post_sentiment).  The examples point into set.  Returns 0, or
 * HORCH_EINVAL naming the line whose label is not a sentiment. */
static int examples_of(struct nlp_example *ex, const struct evalset *set, const char *lang_opt,
		       size_t count[4], struct horch_err *err)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct evalset_item *it = &set->v[i];
		int label;

		if (post_sentiment_parse(it->label, strlen(it->label), &label) != 0 ||
		    label == POST_SENT_NONE)
			return horch_err_at(err, HORCH_EINVAL, (long)it->line, 0,
					    "line %zu: '%s' is not a sentiment label", it->line,
					    it->label);
		ex[i].text = it->text;
		ex[i].len = it->len;
		ex[i].lang = lang_opt ? lang_opt : it->lang;
		ex[i].label = (uint8_t)label;
		count[label]++;
	}
	return 0;
}

int cmd_train(struct cli_args *a)
{
	const char *task = a->pos[0], *path = a->pos[1];
	const char *out_path = cli_get(a, "output"), *lang = cli_get(a, "lang");
	struct evalset set = { 0 };
	struct nlp *m = NULL;
	struct nlp_model *model = NULL;
	struct nlp_example *ex = NULL;
	struct nlp_train_opts to = { 0 };
	struct horch_err err;
	size_t epochs = 0, bits = 0, count[4] = { 0 };
	char n0[32], n1[32], n2[32], n3[32];
	int64_t started;
	double secs;
	int rc;

	horch_err_clear(&err);
	if (strcmp(task, "sentiment") != 0) {
		cli_error(a, "unknown task '%s': horch trains a sentiment model only", task);
		return EXIT_USAGE;
	}
	if (!out_path || !*out_path) {
		cli_error(a, "-o MODEL is required: where to write the model");
		return EXIT_USAGE;
	}
	if (cli_count_opt(a, "epochs", 1, 1000, &epochs) ||
	    cli_count_opt(a, "bits", 10, 24, &bits))
		return EXIT_USAGE;
	if (lang && !lang_ok(lang)) {
		cli_error(a, "--lang: expected an ISO 639-1 code such as en or de, got '%s'", lang);
		return EXIT_USAGE;
	}
	to.epochs = (int)epochs;
	to.bits = (unsigned)bits;

	rc = evalset_read(&set, path, EVALSET_SENTIMENT, &err);
	if (rc)
		goto out;
	ex = horch_xcalloc(set.n ? set.n : 1, sizeof *ex);
	rc = examples_of(ex, &set, lang, count, &err);
	if (rc)
		goto out;
	rc = nlp_new(&m, NULL, &err);
	if (rc)
		goto out;
	started = horch_mono_ns();
	rc = nlp_model_train(&model, m, ex, set.n, &to, &err);
	if (rc) {
		/* The model's message does not name the file; the user's
		 * mistake is in it. */
		struct horch_err e2 = err;

		horch_err_set(&err, rc, "%s: %s", path, e2.msg);
		goto out;
	}
	secs = (double)(horch_mono_ns() - started) / 1e9;
	rc = nlp_model_save(model, out_path, &err);
	if (rc)
		goto out;
	if (cli_flag(a, "quiet"))
		goto out;
	printf("trained on %s examples of %s (%s negative, %s neutral, %s positive",
	       cli_num(set.n, n0), path, cli_num(count[POST_SENT_NEGATIVE], n1),
	       cli_num(count[POST_SENT_NEUTRAL], n2), cli_num(count[POST_SENT_POSITIVE], n3));
	if (set.n_duplicates || set.n_unlabelled)
		printf("; %s exact duplicates and %zu unlabelled left out",
		       cli_num(set.n_duplicates, n0), set.n_unlabelled);
	printf(") in %.2f s: wrote %s\n", secs, out_path);
out:
	nlp_model_free(model);
	nlp_free(m);
	free(ex);
	evalset_cleanup(&set);
	return rc ? cli_fail(a, &err) : EXIT_OK;
}
