/* cmd_eval.c - `horch eval TASK FILE`: how well an enricher does on a
 * labelled file.
 *
 * Reads the file (evalset.c), runs the enricher on every text as the
 * pipeline would (tokenised once, language detected unless the file or
 * --lang gives it), and counts a confusion matrix: rows are the file's
 * labels, columns horch's answers.  From it: accuracy, precision, recall and
 * F1 of each class, and the macro-averaged F1 over the file's classes (an
 * answer the file never uses, such as "und" for a language, is a column but
 * not a class of the average).  With --folds K, sentiment is scored by
 * models trained on the other folds of the same file (K-fold
 * cross-validation, deterministic: the folds are dealt by a fixed shuffle);
 * with --baseline VADER's rules alone are scored beside horch's in the same
 * run.  docs/accuracy.md holds the figures and the commands.
 *
 * `horch eval spikes DIR --labels FILE` is the other kind of evaluation: it
 * runs the spike detector (src/signal) and NAB's windowed Gaussian over
 * every CSV series of DIR that the NAB label file names, and prints their
 * NAB scores (standard profile) per series and overall; docs/signals.md
 * holds the figures. */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "evalset.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/json.h"
#include "../nlp/nlp.h"
#include "../signal/signal.h"
#include "../text/text.h"

/* The answers of one predictor over the set: answer[i] is an index into
 * names (the set's labels first, then answers the set never uses). */
struct scored {
	const char *name;      /* "horch rules", "VADER", "trained model (5 folds)" */
	size_t *answer;
	char **names;
	size_t n_names;
	double secs;           /* time spent in the enricher */
};

static size_t name_index(struct scored *sc, const char *name)
{
	for (size_t i = 0; i < sc->n_names; i++)
		if (strcmp(sc->names[i], name) == 0)
			return i;
	sc->names = horch_xrealloc(sc->names, (sc->n_names + 1) * sizeof *sc->names);
	sc->names[sc->n_names] = horch_xstrdup(name);
	return sc->n_names++;
}

static void scored_init(struct scored *sc, const struct evalset *set, const char *name)
{
	memset(sc, 0, sizeof *sc);
	sc->name = name;
	sc->answer = horch_xcalloc(set->n ? set->n : 1, sizeof *sc->answer);
	for (size_t i = 0; i < set->n_labels; i++)
		name_index(sc, set->labels[i]);
}

static void scored_cleanup(struct scored *sc)
{
	for (size_t i = 0; i < sc->n_names; i++)
		free(sc->names[i]);
	free(sc->names);
	free(sc->answer);
}

static double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The language a text is scored in: --lang, the file's, or detected. */
static const char *text_lang(const char *opt, const struct evalset_item *it,
			     struct nlp_lang *lg)
{
	if (opt)
		return opt;
	if (it->lang)
		return it->lang;
	nlp_lang_detect(it->text, it->len, lg);
	return lg->code;
}

/* A task's answer when it is not one of the file's labels but the file has
 * "other": intent files that only tell complaints from the rest. */
static const char *fold_answer(const struct evalset *set, const char *answer)
{
	int has_other = 0;

	for (size_t i = 0; i < set->n_labels; i++) {
		if (strcmp(set->labels[i], answer) == 0)
			return answer;
		has_other |= strcmp(set->labels[i], "other") == 0;
	}
	return has_other ? "other" : answer;
}

/* Score every item of set with the enricher of task (sentiment by m, or by
 * model when not NULL).  Returns 0 or an error. */
static int run_task(const char *task, const struct evalset *set, const struct nlp *m,
		    const struct nlp_model *model, const char *lang_opt, struct scored *sc,
		    const size_t *only, size_t n_only, struct horch_err *err)
{
	struct nlp_work *w = nlp_work_new();
	struct tokens tk;
	struct post p;
	double t0;
	int rc = 0;

	tokens_init(&tk);
	post_init(&p);
	t0 = now_secs();
	for (size_t k = 0; k < (only ? n_only : set->n); k++) {
		size_t i = only ? only[k] : k;
		const struct evalset_item *it = &set->v[i];
		struct nlp_lang lg;
		struct nlp_sentiment s;
		const char *answer;

		if (strcmp(task, "lang") == 0) {
			nlp_lang_detect(it->text, it->len, &lg);
			sc->answer[i] = name_index(sc, lg.code);
			continue;
		}
		rc = text_tokenise(&tk, it->text, it->len);
		if (rc) {
			rc = horch_err_set(err, rc, "line %zu: text too long", it->line);
			break;
		}
		if (strcmp(task, "spam") == 0) {
			p.text = it->text;
			answer = nlp_spam(m, &p, &tk) >= NLP_SPAM_THRESHOLD ? "spam" : "ham";
			p.text = NULL;
			sc->answer[i] = name_index(sc, answer);
			continue;
		}
		const char *lang = text_lang(lang_opt, it, &lg);

		if (model)
			nlp_model_predict(model, m, w, it->text, it->len, &tk, lang, &s);
		else
			nlp_sentiment(m, w, it->text, it->len, &tk, lang, &s);
		if (strcmp(task, "sentiment") == 0) {
			answer = post_sentiment_name(s.label);
		} else {
			int intent = nlp_intent(m, it->text, it->len, &tk, lang, &s);

			answer = fold_answer(set, post_intent_name(intent));
		}
		sc->answer[i] = name_index(sc, answer);
	}
	sc->secs += now_secs() - t0;
	tokens_cleanup(&tk);
	nlp_work_free(w);
	return rc;
}

/* K-fold cross-validation: item i is in fold perm-position % k; each fold
 * is scored by a model trained on the others. */
static int run_folds(const struct evalset *set, const struct nlp *m, size_t k,
		     const char *lang_opt, struct scored *sc, struct horch_err *err)
{
	size_t n = set->n, *perm = horch_xmalloc(n * sizeof *perm);
	size_t *test = horch_xmalloc(n * sizeof *test);
	struct nlp_example *ex = horch_xmalloc(n * sizeof *ex);
	const char **lang = horch_xmalloc(n * sizeof *lang);
	uint64_t x = 0x9E3779B97F4A7C15ull;
	struct nlp_lang lg;
	int rc = 0;

	/* Each text's language once, not once per fold it trains in; a
	 * detected code becomes a constant (the rules know en and de only). */
	for (size_t i = 0; i < n; i++) {
		lang[i] = text_lang(lang_opt, &set->v[i], &lg);
		if (lang[i] == lg.code)
			lang[i] = strcmp(lg.code, "de") == 0 ? "de" :
				  strcmp(lg.code, "en") == 0 ? "en" : NULL;
		perm[i] = i;
	}
	for (size_t i = n; i > 1; i--) { /* Fisher-Yates with xorshift64 */
		size_t j, t;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (size_t)(x % i);
		t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	for (size_t f = 0; f < k && rc == 0; f++) {
		struct nlp_train_opts to = { .seed = 1 + f };
		struct nlp_model *model = NULL;
		size_t n_ex = 0, n_test = 0;

		for (size_t r = 0; r < n; r++) {
			const struct evalset_item *it = &set->v[perm[r]];
			int label = 0;

			if (r % k == f) {
				test[n_test++] = perm[r];
				continue;
			}
			post_sentiment_parse(it->label, strlen(it->label), &label);
			ex[n_ex].text = it->text;
			ex[n_ex].len = it->len;
			ex[n_ex].lang = lang[perm[r]];
			ex[n_ex].label = (uint8_t)label;
			n_ex++;
		}
		rc = nlp_model_train(&model, m, ex, n_ex, &to, err);
		if (rc == 0)
			rc = run_task("sentiment", set, m, model, lang_opt, sc, test, n_test, err);
		nlp_model_free(model);
	}
	free(perm);
	free(test);
	free(ex);
	free(lang);
	return rc;
}

/* The order classes are printed in: sentiment and intent in their natural
 * order, spam first, anything else alphabetically. */
static int label_rank(const char *l)
{
	static const char *const order[] = { "negative", "neutral", "positive", "spam", "ham",
					     "complaint", "question", "praise", "purchase", "idea",
					     "other" };

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (strcmp(order[i], l) == 0)
			return (int)i;
	return 100;
}

static int cmp_label(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = label_rank(x), ry = label_rank(y);

	return rx != ry ? rx - ry : strcmp(x, y);
}

/* ---- the figures ---- */

struct figures {
	size_t n_names, n_classes;  /* columns; the first n_classes are the file's labels */
	uint64_t *cm;               /* cm[label * n_names + answer] */
	double accuracy, macro_f1;
	double *prec, *rec, *f1;    /* per name */
	uint64_t *support, *answered;
};

static void figures_of(struct figures *fg, const struct evalset *set, const struct scored *sc)
{
	size_t nn = sc->n_names, nc = set->n_labels;
	uint64_t right = 0;

	memset(fg, 0, sizeof *fg);
	fg->n_names = nn;
	fg->n_classes = nc;
	fg->cm = horch_xcalloc(nn * nn, sizeof *fg->cm);
	fg->prec = horch_xcalloc(nn, sizeof *fg->prec);
	fg->rec = horch_xcalloc(nn, sizeof *fg->rec);
	fg->f1 = horch_xcalloc(nn, sizeof *fg->f1);
	fg->support = horch_xcalloc(nn, sizeof *fg->support);
	fg->answered = horch_xcalloc(nn, sizeof *fg->answered);
	for (size_t i = 0; i < set->n; i++) {
		size_t l = 0;

		while (l < nc && set->labels[l] != set->v[i].label)
			l++;
		fg->cm[l * nn + sc->answer[i]]++;
		fg->support[l]++;
		fg->answered[sc->answer[i]]++;
		right += l == sc->answer[i];
	}
	fg->accuracy = set->n ? (double)right / (double)set->n : 0;
	for (size_t c = 0; c < nn; c++) {
		uint64_t tp = fg->cm[c * nn + c];

		fg->prec[c] = fg->answered[c] ? (double)tp / (double)fg->answered[c] : 0;
		fg->rec[c] = fg->support[c] ? (double)tp / (double)fg->support[c] : 0;
		fg->f1[c] = fg->prec[c] + fg->rec[c] > 0 ?
			2 * fg->prec[c] * fg->rec[c] / (fg->prec[c] + fg->rec[c]) : 0;
		if (c < nc)
			fg->macro_f1 += fg->f1[c] / (double)nc;
	}
}

static void figures_cleanup(struct figures *fg)
{
	free(fg->cm);
	free(fg->prec);
	free(fg->rec);
	free(fg->f1);
	free(fg->support);
	free(fg->answered);
}

static void print_table(const struct evalset *set, const struct scored *sc,
			const struct figures *fg)
{
	const char *h1[5] = { "class", "precision", "recall", "F1", "support" };
	struct table *t;
	char a[32], b[32], c[32], d[32];
	size_t nn = fg->n_names;

	printf("%s: accuracy %.3f, macro-F1 %.3f (%s texts/s)\n\n", sc->name, fg->accuracy,
	       fg->macro_f1, cli_num(sc->secs > 0 ? (uint64_t)((double)set->n / sc->secs) : 0, a));
	t = table_new(stdout, 5, h1);
	for (size_t i = 0; i < nn; i++) {
		const char *cells[5];

		if (i >= fg->n_classes && fg->answered[i] == 0)
			continue;
		snprintf(a, sizeof a, "%.3f", fg->prec[i]);
		snprintf(b, sizeof b, "%.3f", fg->rec[i]);
		snprintf(c, sizeof c, "%.3f", fg->f1[i]);
		cells[0] = sc->names[i];
		cells[1] = a;
		cells[2] = b;
		cells[3] = c;
		cells[4] = cli_num(fg->support[i], d);
		table_add(t, cells);
	}
	table_print(t, 0x1eu);
	putchar('\n');

	/* The confusion matrix: rows the file's labels, columns the answers
	 * that occur. */
	{
		size_t ncol = 1, col[64];
		const char *hd[65];

		hd[0] = "label \\ answer";
		for (size_t j = 0; j < nn && ncol < 65; j++)
			if (j < fg->n_classes || fg->answered[j]) {
				col[ncol - 1] = j;
				hd[ncol++] = sc->names[j];
			}
		t = table_new(stdout, (int)ncol, hd);
		for (size_t i = 0; i < fg->n_classes; i++) {
			const char *cells[65];
			char num[64][32];

			cells[0] = sc->names[i];
			for (size_t j = 1; j < ncol; j++)
				cells[j] = cli_num(fg->cm[i * nn + col[j - 1]], num[j - 1]);
			table_add(t, cells);
		}
		table_print(t, ncol >= 32 ? ~1u : ((1u << ncol) - 2u));
		putchar('\n');
	}
}

static void print_json(FILE *f, const struct scored *sc, const struct figures *fg,
		       const struct evalset *set)
{
	size_t nn = fg->n_names;

	fputs("{\"predictor\":", f);
	json_field(f, sc->name);
	fprintf(f, ",\"accuracy\":%.4f,\"macro_f1\":%.4f,\"texts_per_s\":%.0f,\"classes\":[",
		fg->accuracy, fg->macro_f1, sc->secs > 0 ? (double)set->n / sc->secs : 0);
	for (size_t i = 0; i < nn; i++) {
		fputs(i ? ",{\"label\":" : "{\"label\":", f);
		json_field(f, sc->names[i]);
		fprintf(f, ",\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,\"support\":%llu,"
			"\"answered\":%llu,\"in_file\":%s}", fg->prec[i], fg->rec[i], fg->f1[i],
			(unsigned long long)fg->support[i], (unsigned long long)fg->answered[i],
			i < fg->n_classes ? "true" : "false");
	}
	fputs("],\"confusion\":[", f);
	for (size_t i = 0; i < fg->n_classes; i++) {
		fputs(i ? ",[" : "[", f);
		for (size_t j = 0; j < nn; j++)
			fprintf(f, j ? ",%llu" : "%llu", (unsigned long long)fg->cm[i * nn + j]);
		fputc(']', f);
	}
	fputs("]}", f);
}

static void print_errors(const struct evalset *set, const struct scored *sc, size_t max)
{
	size_t shown = 0;

	for (size_t i = 0; i < set->n && shown < max; i++) {
		const char *ans = sc->names[sc->answer[i]];

		if (strcmp(ans, set->v[i].label) == 0)
			continue;
		printf("line %zu: label %s, answer %s: %.*s\n", set->v[i].line, set->v[i].label,
		       ans, (int)(set->v[i].len > 200 ? 200 : set->v[i].len), set->v[i].text);
		shown++;
	}
	if (shown)
		putchar('\n');
}

/* ---- spikes: NAB's series and labels ---- */

#define SPIKES_MAX_FILE ((size_t)64 << 20)   /* bytes of one CSV series */
#define SPIKES_MAX_LABELS ((size_t)16 << 20) /* bytes of the label file */
#define SPIKES_MAX_SERIES 1000
#define SPIKES_MAX_WINDOWS 10000             /* windows of one series */
#define SPIKES_MAX_NAME 255                  /* bytes of a file name */

/* One series of DIR with its windows and both detectors' scores. */
struct spike_series {
	char *name;            /* the file name ("Twitter_volume_KO.csv") */
	struct signal_series rows; /* the rows: times (ms UTC) and values */
	int64_t *ws, *we;      /* the windows */
	size_t n_win;
	double *score[2];      /* horch's detector, the Gaussian */
};

static void series_cleanup(struct spike_series *s)
{
	free(s->name);
	signal_series_cleanup(&s->rows);
	free(s->ws);
	free(s->we);
	free(s->score[0]);
	free(s->score[1]);
}

/* Read a whole file of at most max bytes into b.  Returns 0, HORCH_EIO or
 * HORCH_ETOOBIG, with err naming the file. */
static int read_capped(struct buf *b, const char *path, size_t max, struct horch_err *err)
{
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f)
		return horch_err_set(err, HORCH_EIO, "%s: cannot open", path);
	rc = buf_read_stream(b, f, max);
	fclose(f);
	if (rc == 0 && b->len > max)
		rc = HORCH_ETOOBIG;
	if (rc)
		return horch_err_set(err, rc, "%s: %s", path, rc == HORCH_ETOOBIG ?
				     "larger than the cap" : "cannot read");
	return 0;
}

/* The windows of s from the labels' array wins ([[start, end], ...]).
 * Returns 0 or HORCH_EPARSE with err naming key. */
static int parse_windows(struct spike_series *s, const char *key, json_t *wins,
			 struct horch_err *err)
{
	size_t n = json_array_size(wins);

	if (!json_is_array(wins))
		return horch_err_set(err, HORCH_EPARSE, "labels: %s: expected an array of windows",
				     key);
	if (n > SPIKES_MAX_WINDOWS)
		return horch_err_set(err, HORCH_ETOOBIG, "labels: %s: more than %d windows", key,
				     SPIKES_MAX_WINDOWS);
	s->ws = horch_xcalloc(n ? n : 1, sizeof *s->ws);
	s->we = horch_xcalloc(n ? n : 1, sizeof *s->we);
	for (size_t k = 0; k < n; k++) {
		json_t *w = json_array_get(wins, k);
		const char *a, *b;
		int64_t ta, tb;

		a = json_string_value(json_array_get(w, 0));
		b = json_string_value(json_array_get(w, 1));
		if (!json_is_array(w) || json_array_size(w) != 2 || !a || !b)
			return horch_err_set(err, HORCH_EPARSE, "labels: %s: window %zu: expected "
					     "[start, end]", key, k + 1);
		if (horch_time_parse(a, strlen(a), &ta, err) ||
		    horch_time_parse(b, strlen(b), &tb, err))
			return horch_err_set(err, HORCH_EPARSE, "labels: %s: window %zu: %s", key,
					     k + 1, err->msg);
		if (tb < ta || (k && ta <= s->we[k - 1]))
			return horch_err_set(err, HORCH_EPARSE, "labels: %s: window %zu ends before "
					     "it starts or overlaps the one before", key, k + 1);
		s->ws[k] = ta;
		s->we[k] = tb;
		s->n_win = k + 1;
	}
	return 0;
}

static int cmp_series(const void *a, const void *b)
{
	return strcmp(((const struct spike_series *)a)->name,
		      ((const struct spike_series *)b)->name);
}

/* The labels' entry for file name: the key whose last path component is
 * name, or NULL. */
static json_t *labels_for(json_t *labels, const char *name, const char **key_out)
{
	const char *key;
	json_t *val;

	json_object_foreach(labels, key, val) {
		const char *slash = strrchr(key, '/');

		if (strcmp(slash ? slash + 1 : key, name) == 0) {
			*key_out = key;
			return val;
		}
	}
	return NULL;
}

/* Read the series of dir that labels names into *out (sorted by name).
 * Returns 0 or an error with err filled. */
static int read_spike_dir(const char *dir, json_t *labels, struct spike_series **out,
			  size_t *n_out, struct horch_err *err)
{
	struct spike_series *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	struct buf b, path;
	DIR *d = opendir(dir);
	int rc = 0;

	buf_init(&b, BUF_NOLIMIT);
	buf_init(&path, 4096);
	if (!d) {
		rc = horch_err_set(err, HORCH_EIO, "%s: cannot open the directory", dir);
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		const char *key = NULL;
		json_t *wins;

		if (len < 5 || len > SPIKES_MAX_NAME || strcmp(de->d_name + len - 4, ".csv") != 0)
			continue;
		wins = labels_for(labels, de->d_name, &key);
		if (!wins)
			continue;
		if (n >= SPIKES_MAX_SERIES) {
			rc = horch_err_set(err, HORCH_ETOOBIG, "%s: more than %d labelled series",
					   dir, SPIKES_MAX_SERIES);
			goto out;
		}
		v = horch_xgrow(v, &cap, n + 1, sizeof *v);
		memset(&v[n], 0, sizeof v[n]);
		v[n].name = horch_xstrdup(de->d_name);
		n++;
		buf_reset(&path);
		buf_reset(&b);
		rc = buf_printf(&path, "%s/%s", dir, de->d_name);
		if (rc) {
			rc = horch_err_set(err, rc, "%s: the path is too long", dir);
			goto out;
		}
		rc = read_capped(&b, path.ptr, SPIKES_MAX_FILE, err);
		if (rc == 0)
			rc = signal_series_parse(&v[n - 1].rows, path.ptr, b.ptr ? b.ptr : "", b.len, err);
		if (rc == 0)
			rc = parse_windows(&v[n - 1], key, wins, err);
		if (rc)
			goto out;
	}
	if (n == 0) {
		rc = horch_err_set(err, HORCH_ENOTFOUND, "%s: no *.csv file that the labels name",
				   dir);
		goto out;
	}
	qsort(v, n, sizeof *v, cmp_series);
out:
	if (d)
		closedir(d);
	buf_cleanup(&b);
	buf_cleanup(&path);
	if (rc) {
		for (size_t i = 0; i < n; i++)
			series_cleanup(&v[i]);
		free(v);
		v = NULL;
		n = 0;
	}
	*out = v;
	*n_out = n;
	return rc;
}

/* Read and parse the label file (a JSON object of arrays of windows).
 * Returns 0 and a new reference in *out, or an error. */
static int read_labels(const char *path, json_t **out, struct horch_err *err)
{
	struct buf b;
	json_error_t je;
	json_t *j;
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	rc = read_capped(&b, path, SPIKES_MAX_LABELS, err);
	if (rc)
		goto out;
	j = json_loadb(b.ptr ? b.ptr : "", b.len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		rc = horch_err_at(err, HORCH_EPARSE, je.line, je.column, "%s:%d: %s", path,
				  je.line, je.text);
		goto out;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		rc = horch_err_set(err, HORCH_EPARSE, "%s: expected an object of windows per "
				   "file", path);
		goto out;
	}
	*out = j;
out:
	buf_cleanup(&b);
	return rc;
}

/* The figures of one detector: each series' NAB result at the threshold
 * that maximises the total. */
struct spike_figures {
	const char *name;
	double threshold;
	struct nab_result *per, total;
	double secs;
};

static int spike_figures_of(struct spike_figures *f, const struct spike_series *v, size_t n,
			    int which, struct horch_err *err)
{
	struct nab_series *ns = horch_xcalloc(n, sizeof *ns);
	int rc;

	for (size_t i = 0; i < n; i++) {
		ns[i].name = v[i].name;
		ns[i].n = v[i].rows.n;
		ns[i].t = v[i].rows.t;
		ns[i].score = v[i].score[which];
		ns[i].n_win = v[i].n_win;
		ns[i].win_start = v[i].ws;
		ns[i].win_end = v[i].we;
	}
	f->per = horch_xcalloc(n, sizeof *f->per);
	rc = nab_optimise(ns, n, &nab_standard, &f->threshold, err);
	if (rc == 0)
		rc = nab_score(ns, n, f->threshold, &nab_standard, f->per, &f->total, err);
	free(ns);
	return rc;
}

static void spikes_table(const struct spike_series *v, size_t n, const struct spike_figures *f,
			 size_t n_f)
{
	const char *hd[] = { "series", "rows", "windows", "horch", "horch TP/FP/FN", "Gaussian",
			     "Gaussian TP/FP/FN" };
	struct table *t = table_new(stdout, 7, hd);
	char c[7][48];
	const char *cells[7];

	for (size_t i = 0; i <= n; i++) {
		const struct nab_result *r[2];

		if (i < n) {
			snprintf(c[0], sizeof c[0], "%s", v[i].name);
			cli_num(v[i].rows.n, c[1]);
			snprintf(c[2], sizeof c[2], "%zu", v[i].n_win);
		} else {
			size_t rows = 0, wins = 0;

			for (size_t k = 0; k < n; k++) {
				rows += v[k].rows.n;
				wins += v[k].n_win;
			}
			snprintf(c[0], sizeof c[0], "overall");
			cli_num(rows, c[1]);
			snprintf(c[2], sizeof c[2], "%zu", wins);
		}
		for (size_t k = 0; k < n_f && k < 2; k++) {
			r[k] = i < n ? &f[k].per[i] : &f[k].total;
			snprintf(c[3 + 2 * k], sizeof c[0], "%.1f", r[k]->score);
			snprintf(c[4 + 2 * k], sizeof c[0], "%zu/%zu/%zu", r[k]->tp, r[k]->fp,
				 r[k]->fn);
		}
		for (int k = 0; k < 7; k++)
			cells[k] = c[k];
		table_add(t, cells);
	}
	table_print(t, 0x7eu);
}

static void spikes_json(const struct spike_series *v, size_t n, const struct spike_figures *f,
			size_t n_f)
{
	printf("{\"task\":\"spikes\",\"profile\":\"standard\",\"detectors\":[");
	for (size_t k = 0; k < n_f; k++) {
		printf("%s{\"detector\":", k ? "," : "");
		json_field(stdout, f[k].name);
		printf(",\"threshold\":%.6f,\"score\":%.2f,\"tp\":%zu,\"fp\":%zu,\"fn\":%zu,"
		       "\"series\":[", f[k].threshold, f[k].total.score, f[k].total.tp,
		       f[k].total.fp, f[k].total.fn);
		for (size_t i = 0; i < n; i++) {
			const struct nab_result *r = &f[k].per[i];

			printf("%s{\"file\":", i ? "," : "");
			json_field(stdout, v[i].name);
			printf(",\"rows\":%zu,\"windows\":%zu,\"score\":%.2f,\"raw\":%.4f,"
			       "\"tp\":%zu,\"fp\":%zu,\"fn\":%zu}", v[i].rows.n, v[i].n_win, r->score,
			       r->raw, r->tp, r->fp, r->fn);
		}
		printf("]}");
	}
	printf("]}\n");
}

/* horch eval spikes DIR --labels FILE [--json]. */
static int eval_spikes(struct cli_args *a)
{
	const char *labels_path = cli_get(a, "labels");
	struct spike_series *v = NULL;
	struct spike_figures f[2];
	size_t n = 0, n_f = 0;
	json_t *labels = NULL;
	struct horch_err err;
	int rc, format = cli_format(a);

	horch_err_clear(&err);
	if (format < 0 || format == CLI_CSV) {
		cli_error(a, "--csv is not a format of eval (--json or --table)");
		return EXIT_USAGE;
	}
	if (!labels_path || !*labels_path) {
		cli_error(a, "spikes: --labels FILE (NAB's combined_windows.json) is required");
		return EXIT_USAGE;
	}
	if (a->n_pos != 2) {
		cli_error(a, "spikes: expected one directory of CSV series");
		return EXIT_USAGE;
	}
	memset(f, 0, sizeof f);
	rc = read_labels(labels_path, &labels, &err);
	if (rc == 0)
		rc = read_spike_dir(a->pos[1], labels, &v, &n, &err);
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct spike *det = spike_new(NULL);
		struct gauss *g = gauss_new(0, 0);
		double t0;

		v[i].score[0] = horch_xmalloc(v[i].rows.n * sizeof *v[i].score[0]);
		v[i].score[1] = horch_xmalloc(v[i].rows.n * sizeof *v[i].score[1]);
		t0 = now_secs();
		for (size_t r = 0; r < v[i].rows.n; r++)
			v[i].score[0][r] = spike_update(det, v[i].rows.t[r], v[i].rows.v[r]);
		f[0].secs += now_secs() - t0;
		t0 = now_secs();
		for (size_t r = 0; r < v[i].rows.n; r++)
			v[i].score[1][r] = gauss_update(g, v[i].rows.v[r]);
		f[1].secs += now_secs() - t0;
		spike_free(det);
		gauss_free(g);
	}
	f[0].name = "horch spike detector";
	f[1].name = "windowed Gaussian (baseline)";
	for (n_f = 0; n_f < 2; n_f++) {
		rc = spike_figures_of(&f[n_f], v, n, (int)n_f, &err);
		if (rc)
			goto out;
	}
	if (format == CLI_JSON) {
		spikes_json(v, n, f, n_f);
	} else {
		printf("spikes on %s: %zu series, NAB standard profile (A_TP 1.0, A_FP 0.11, "
		       "A_FN 1.0), threshold optimised over all series\n\n", a->pos[1], n);
		spikes_table(v, n, f, n_f);
		printf("\n");
		for (size_t k = 0; k < n_f; k++)
			printf("%s: NAB score %.1f at threshold %.4f\n", f[k].name,
			       f[k].total.score, f[k].threshold);
	}
out:
	for (size_t k = 0; k < 2; k++)
		free(f[k].per);
	for (size_t i = 0; i < n; i++)
		series_cleanup(&v[i]);
	free(v);
	json_decref(labels);
	return rc ? cli_fail(a, &err) : EXIT_OK;
}

int cmd_eval(struct cli_args *a)
{
	const char *task = a->pos[0], *lang = cli_get(a, "lang");
	const char *model_path = cli_get(a, "model");
	struct nlp *m = NULL, *vader = NULL;
	struct nlp_opts mo = { .sentiment_model = model_path };
	struct scored sc[2];
	size_t n_sc = 0, folds = 0, n_errors = 0;
	struct evalset set = { 0 };
	enum evalset_task et;
	struct horch_err err;
	int rc, format = cli_format(a), baseline = cli_flag(a, "baseline");
	char n1[32], n2[32];

	if (format < 0 || format == CLI_CSV) {
		cli_error(a, "--csv is not a format of eval (--json or --table)");
		return EXIT_USAGE;
	}
	if (strcmp(task, "spikes") == 0)
		return eval_spikes(a);
	if (strcmp(task, "ratings") == 0)
		return cli_eval_ratings(a);
	if (strcmp(task, "response") == 0)
		return cli_eval_response(a);
	if (cli_get(a, "below") || cli_get(a, "min-reviews") || cli_get(a, "window")) {
		cli_error(a, "--below, --min-reviews and --window are options of the ratings task");
		return EXIT_USAGE;
	}
	if (cli_get(a, "accounts") || cli_get(a, "sla")) {
		cli_error(a, "--accounts and --sla are options of the response task");
		return EXIT_USAGE;
	}
	if (cli_get(a, "labels")) {
		cli_error(a, "--labels is an option of the spikes task");
		return EXIT_USAGE;
	}
	if (strcmp(task, "lang") == 0) {
		et = EVALSET_LANG;
	} else if (strcmp(task, "sentiment") == 0) {
		et = EVALSET_SENTIMENT;
	} else if (strcmp(task, "spam") == 0) {
		et = EVALSET_SPAM;
	} else if (strcmp(task, "intent") == 0) {
		et = EVALSET_INTENT;
	} else {
		cli_error(a, "unknown task '%s' (lang, sentiment, spam, intent, spikes, ratings or "
			  "response)", task);
		return EXIT_USAGE;
	}
	if (cli_count_opt(a, "folds", 2, 100, &folds) || cli_count_opt(a, "errors", 0,
									  1000000, &n_errors))
		return EXIT_USAGE;
	if ((folds || model_path || baseline) && et != EVALSET_SENTIMENT) {
		cli_error(a, "--folds, --model and --baseline are options of the sentiment task");
		return EXIT_USAGE;
	}
	if (folds && model_path) {
		cli_error(a, "--folds trains its own models; it does not take --model");
		return EXIT_USAGE;
	}
	if (lang && (strlen(lang) < 2 || strlen(lang) > 3 ||
		     strspn(lang, "abcdefghijklmnopqrstuvwxyz") != strlen(lang))) {
		cli_error(a, "--lang: expected a lower-case ISO 639-1 code such as en or de, got "
			  "'%s'", lang);
		return EXIT_USAGE;
	}

	for (int i = 1; i < a->n_pos; i++) {
		rc = evalset_read(&set, a->pos[i], et, &err);
		if (rc) {
			evalset_cleanup(&set);
			return cli_fail(a, &err);
		}
	}
	/* The items point at the labels, not into the array: sorting it is safe. */
	qsort(set.labels, set.n_labels, sizeof *set.labels, cmp_label);
	rc = nlp_new(&m, folds ? NULL : &mo, &err);
	if (rc)
		goto out;

	scored_init(&sc[n_sc], &set, folds ? "trained model, cross-validated" :
		    model_path ? "trained model" : et == EVALSET_SENTIMENT ? "horch rules" : "horch");
	if (folds)
		rc = run_folds(&set, m, folds, lang, &sc[n_sc], &err);
	else
		rc = run_task(task, &set, m, NULL, lang, &sc[n_sc], NULL, 0, &err);
	n_sc++;
	if (rc)
		goto out;
	if (baseline) {
		struct nlp_opts vo = { .vader_only = 1 };

		rc = nlp_new(&vader, &vo, &err);
		if (rc)
			goto out;
		scored_init(&sc[n_sc], &set, "VADER rules (baseline)");
		rc = run_task(task, &set, vader, NULL, lang, &sc[n_sc], NULL, 0, &err);
		n_sc++;
		if (rc)
			goto out;
	}

	if (format == CLI_JSON) {
		printf("{\"task\":");
		json_field(stdout, task);
		printf(",\"files\":[");
		for (int i = 1; i < a->n_pos; i++) {
			if (i > 1)
				putchar(',');
			json_field(stdout, a->pos[i]);
		}
		printf("],\"texts\":%zu,\"duplicates\":%zu,\"unlabelled\":%zu",
		       set.n, set.n_duplicates, set.n_unlabelled);
		if (folds)
			printf(",\"folds\":%zu", folds);
		printf(",\"results\":[");
		for (size_t i = 0; i < n_sc; i++) {
			struct figures fg;

			figures_of(&fg, &set, &sc[i]);
			if (i)
				putchar(',');
			print_json(stdout, &sc[i], &fg, &set);
			figures_cleanup(&fg);
		}
		printf("]}\n");
	} else {
		printf("%s on %s%s: %s texts", task, a->pos[1], a->n_pos > 2 ? " and more" : "",
		       cli_num(set.n, n1));
		if (set.n_duplicates || set.n_unlabelled)
			printf(" (%s exact duplicates and %zu unlabelled left out)",
			       cli_num(set.n_duplicates, n2), set.n_unlabelled);
		if (folds)
			printf(", %zu-fold cross-validation", folds);
		printf("\n\n");
		for (size_t i = 0; i < n_sc; i++) {
			struct figures fg;

			figures_of(&fg, &set, &sc[i]);
			print_table(&set, &sc[i], &fg);
			figures_cleanup(&fg);
		}
		if (n_errors)
			print_errors(&set, &sc[0], n_errors);
	}
out:
	for (size_t i = 0; i < n_sc; i++)
		scored_cleanup(&sc[i]);
	nlp_free(m);
	nlp_free(vader);
	evalset_cleanup(&set);
	return rc ? cli_fail(a, &err) : EXIT_OK;
}
