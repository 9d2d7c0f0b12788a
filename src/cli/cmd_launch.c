/* cmd_launch.c - `horch launch add|list|show|rm`: follow a product launch
 * and print its scorecard.
 *
 *   add NAME --topic T --at TIME   record that the product of topic T was
 *                                  launched at TIME
 *   list [--json]                  every launch, oldest first
 *   show NAME [--json]             the scorecard (src/http/scorecard.h)
 *   rm NAME                        forget a launch
 *
 * show first brings the topic's derived data up to date, as horch serve
 * does on its own: it finishes any unfinished history pass of a topic
 * (cli_resume_history()) and adds the posts stored since the last call to
 * the buckets (store_signals_update()).  Its table is the scorecard's
 * three windows against the topic's baseline, the same windows of the
 * earlier launches beside this one's, and the top complaints and questions
 * with an example each; --json prints the object of GET /api/launches/{id}.
 * A launch is named in the CLI and addressed by its id in the API. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../http/scorecard.h"
#include "../query/query.h"
#include "../store/store.h"

/* ---- add ---- */

/* add NAME --topic T --at TIME.  Returns an exit code; the errors are
 * printed (a missing or bad option names it). */
static int launch_add(struct cli_args *a, struct store *st)
{
	struct store_launch l = { 0 };
	struct store_topic t = { 0 };
	const char *topic = cli_get(a, "topic"), *why;
	struct horch_err err;
	char at[HORCH_TIME_BUFSZ];
	int rc;

	if (!topic || !cli_get(a, "at")) {
		cli_error(a, "add needs --topic TOPIC and --at TIME (usage: horch launch add NAME "
			  "--topic T --at TIME)");
		return EXIT_USAGE;
	}
	if ((why = store_name_problem(a->pos[1], strlen(a->pos[1]))) != NULL) {
		cli_error(a, "the name %s", why);
		return EXIT_USAGE;
	}
	if (!a->pos[1][0] || strlen(a->pos[1]) > STORE_TOPIC_NAME_MAX) {
		cli_error(a, "a launch's name has 1 to %u bytes", STORE_TOPIC_NAME_MAX);
		return EXIT_USAGE;
	}
	if ((rc = cli_time_opt(a, "at", &l.at)) != 0)
		return rc;
	if ((rc = cli_topic_get(a, st, topic, &t)) != 0)
		return rc;
	l.name = a->pos[1];
	l.topic_id = t.id;
	if (store_launch_add(st, &l, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "added launch '%s' (id %lld) of topic '%s' at %s; horch launch "
			"show '%s' prints its scorecard\n", l.name, (long long)l.id, t.name,
			horch_time_format(l.at, at), l.name);
	rc = EXIT_OK;
out:
	store_topic_cleanup(&t);
	return rc;
}

/* ---- list ---- */

struct list_out {
	const struct cli_names *names;  /* the topics' names */
	struct table *t;   /* NULL: JSON Lines */
	struct buf b;
};

/* One launch as a table row, or as a line of JSON when there is no table. */
static int list_one(void *ctx, const struct store_launch *l)
{
	struct list_out *o = ctx;
	const char *topic = cli_names_find(o->names, l->topic_id);
	char id[32], at[HORCH_TIME_BUFSZ], created[HORCH_TIME_BUFSZ];

	if (!o->t) {
		buf_reset(&o->b);
		scorecard_launch_json(l, topic, &o->b);
		printf("%s\n", o->b.ptr);
		return 0;
	}
	snprintf(id, sizeof id, "%lld", (long long)l->id);
	horch_time_format(l->at, at);
	horch_time_format(l->created_at, created);
	{
		const char *cells[5] = { id, l->name, topic ? topic : "?", at, created };

		table_add(o->t, cells);
	}
	return 0;
}

/* list [--json]: every launch, oldest first.  Returns an exit code. */
static int launch_list(struct cli_args *a, struct store *st)
{
	static const char *const headers[5] = { "id", "name", "topic", "at", "added" };
	struct cli_names nm = { 0 };
	struct list_out o = { .names = &nm };
	struct horch_err err;
	int rc = EXIT_OK;

	buf_init(&o.b, BUF_NOLIMIT);
	if (store_topic_list(st, cli_names_topic, &nm, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (!cli_flag(a, "json"))
		o.t = table_new(stdout, 5, headers);
	if (store_launch_list(st, list_one, &o, &err) != 0) {
		table_free(o.t);
		rc = cli_fail(a, &err);
		goto out;
	}
	if (o.t)
		table_print(o.t, 1u);
out:
	cli_names_cleanup(&nm);
	buf_cleanup(&o.b);
	return rc;
}

/* ---- show ---- */

/* Net sentiment as "+0.71", "-0.12", or "-" when there is none. */
static const char *net_str(double v, char out[16])
{
	if (!isfinite(v))
		return "-";
	snprintf(out, 16, "%+.2f", v);
	if (strcmp(out, "-0.00") == 0)
		strcpy(out, "+0.00");
	return out;
}

/* The three windows side by side, one row per figure. */
static void print_windows(const struct scorecard *sc)
{
	static const char *const rows[6] = { "volume", "vs baseline (\xC3\x97)", "net sentiment",
					      "authors", "complaints", "questions" };
	const char *headers[SCORECARD_WINDOWS + 1];
	char head[SCORECARD_WINDOWS][32];
	struct table *t;

	headers[0] = "";
	for (size_t i = 0; i < SCORECARD_WINDOWS; i++) {
		snprintf(head[i], sizeof head[i], "%s%s", sc->w[i].label,
			 sc->w[i].complete ? "" : " (so far)");
		headers[i + 1] = head[i];
	}
	t = table_new(stdout, SCORECARD_WINDOWS + 1, headers);
	for (size_t r = 0; r < 6; r++) {
		char cell[SCORECARD_WINDOWS][32];
		const char *cells[SCORECARD_WINDOWS + 1];

		cells[0] = rows[r];
		for (size_t i = 0; i < SCORECARD_WINDOWS; i++) {
			const struct scorecard_window *w = &sc->w[i];

			switch (r) {
			case 0:
				cli_num((uint64_t)w->t.volume, cell[i]);
				break;
			case 1:
				if (isfinite(w->base_volume) && w->base_volume > 0)
					snprintf(cell[i], sizeof cell[i], "%.1f",
						 (double)w->t.volume / w->base_volume);
				else
					strcpy(cell[i], "-");
				break;
			case 2:
				net_str(w->t.net, cell[i]);
				break;
			case 3:
				cli_num((uint64_t)w->t.authors, cell[i]);
				break;
			case 4:
				cli_num((uint64_t)w->t.complaints, cell[i]);
				break;
			default:
				cli_num((uint64_t)w->t.questions, cell[i]);
				break;
			}
			cells[i + 1] = cell[i];
		}
		table_add(t, cells);
	}
	table_print(t, ~1u);
}

/* One line: the baseline's span, its posts an hour and net sentiment. */
static void print_baseline(const struct scorecard *sc)
{
	char n[16], from[HORCH_TIME_BUFSZ];

	if (sc->base_hours <= 0) {
		printf("\nBaseline: none (the topic has no posts before the launch)\n");
		return;
	}
	printf("\nBaseline: %.4g hours from %s%s: %.2f posts an hour, net sentiment %s\n",
	       sc->base_hours, horch_time_format(sc->base_from, from),
	       sc->base_hours < 168 ? " (all the history the topic has)" : "",
	       (double)sc->base.volume / sc->base_hours, net_str(sc->base.net, n));
}

/* This launch and the earlier ones, window by window. */
static void print_earlier(const struct scorecard *sc)
{
	static const char *const headers[8] = { "launch", "at", "1h", "4h", "24h", "net 1h",
						"net 4h", "net 24h" };
	char at[HORCH_TIME_BUFSZ], c[6][32];
	struct table *t;

	if (!sc->n_earlier) {
		printf("\nEarlier launches: none\n");
		return;
	}
	printf("\nEarlier launches (the same windows after each one's time)\n");
	t = table_new(stdout, 8, headers);
	for (size_t j = 0; j <= sc->n_earlier; j++) {
		const char *cells[8];
		char name[STORE_TOPIC_NAME_MAX + 16];

		for (size_t i = 0; i < SCORECARD_WINDOWS; i++) {
			if (j == 0) {
				cli_num((uint64_t)sc->w[i].t.volume, c[i]);
				net_str(sc->w[i].t.net, c[3 + i]);
			} else {
				cli_num((uint64_t)sc->earlier[j - 1].volume[i], c[i]);
				net_str(sc->earlier[j - 1].net[i], c[3 + i]);
			}
		}
		if (j == 0)
			snprintf(name, sizeof name, "%s (this)", sc->name);
		else
			snprintf(name, sizeof name, "%s", sc->earlier[j - 1].name);
		cells[0] = name;
		cells[1] = horch_time_format(j ? sc->earlier[j - 1].at : sc->at, at);
		for (size_t i = 0; i < 6; i++)
			cells[2 + i] = c[i];
		table_add(t, cells);
	}
	table_print(t, 0xFCu);
}

/* The clusters of complaints or questions (what), of n_posts clustered. */
static void print_items(const char *what, const struct scorecard_item *it, size_t n,
			size_t n_posts)
{
	static const char *const headers[5] = { "#", "cluster", "posts", "share", "example" };
	char total[32];
	struct table *t;
	struct buf ex;

	cli_num(n_posts, total);
	if (!n) {
		printf("\nTop %s: none in the 24 hours after the launch\n", what);
		return;
	}
	printf("\nTop %s (of %s%s)\n", what, total,
	       n_posts >= SCORECARD_POSTS_MAX ? ", the newest" : "");
	buf_init(&ex, BUF_NOLIMIT);
	t = table_new(stdout, 5, headers);
	for (size_t i = 0; i < n; i++) {
		char num[24], posts[32], share[32];
		const char *cells[5];

		snprintf(num, sizeof num, "%zu", i + 1);
		cli_num(it[i].posts, posts);
		snprintf(share, sizeof share, "%.0f %%", it[i].share * 100);
		buf_reset(&ex);
		if (it[i].example_author)
			buf_printf(&ex, "@%s: ", it[i].example_author);
		buf_puts(&ex, it[i].example_text ? it[i].example_text : "");
		cells[0] = num;
		cells[1] = it[i].label;
		cells[2] = posts;
		cells[3] = share;
		cells[4] = ex.ptr ? ex.ptr : "";
		table_add(t, cells);
	}
	table_print(t, 0x0Du);
	buf_cleanup(&ex);
}

static void print_scorecard(const struct scorecard *sc)
{
	char at[HORCH_TIME_BUFSZ], now[HORCH_TIME_BUFSZ];

	printf("Launch '%s' of topic '%s' at %s (now %s)\n\n", sc->name, sc->topic_name,
	       horch_time_format(sc->at, at), horch_time_format(sc->now, now));
	print_windows(sc);
	print_baseline(sc);
	print_earlier(sc);
	print_items("complaints", sc->complaints, sc->n_complaints, sc->complaint_posts);
	print_items("questions", sc->questions, sc->n_questions, sc->question_posts);
}

/* Bring the buckets up to date with the posts stored (as horch serve does
 * every few seconds).  A failure is reported as a warning: the scorecard
 * is then that of the buckets as they are. */
static void update_signals(const struct cli_args *a, struct store *st)
{
	struct store_signals_done done;
	struct horch_err err;

	if (cli_resume_history(a, st, &err) != 0) {
		fprintf(stderr, "horch: launch: warning: %s\n", err.msg);
		return;
	}
	do {
		if (store_signals_update(st, NULL, &done, &err) != 0) {
			fprintf(stderr, "horch: launch: warning: the buckets could not be brought "
				"up to date: %s\n", err.msg);
			return;
		}
	} while (done.more);
}

/* show NAME [--json]: the scorecard at the wall clock's now, after the
 * buckets are brought up to date.  Returns an exit code. */
static int launch_show(struct cli_args *a, struct store *st)
{
	struct store_launch l = { 0 };
	struct store_topic t = { 0 };
	struct scorecard sc = { 0 };
	struct query *q = NULL;
	struct horch_err err;
	int rc;

	update_signals(a, st);
	if (store_launch_get(st, a->pos[1], &l, &err) != 0) {
		if (err.code == HORCH_ENOTFOUND)
			cli_error(a, "no launch called '%s' (horch launch list shows them)",
				  a->pos[1]);
		else
			cli_fail(a, &err);
		return EXIT_RUNTIME;
	}
	if ((rc = scorecard_topic_by_id(st, l.topic_id, &t, &err)) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	/* The topic's own terms are left out of the clusters; a query that
	 * no longer parses leaves nothing out rather than failing. */
	if (cli_topic_parse(&t, &q, &err) != 0) {
		fprintf(stderr, "horch: launch: warning: %s\n", err.msg);
		q = NULL;
	}
	if (scorecard_compute(st, &l, t.name, q, horch_now(), &sc, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (cli_flag(a, "json")) {
		struct buf b;

		buf_init(&b, BUF_NOLIMIT);
		scorecard_json(&sc, &b);
		printf("%s\n", b.ptr);
		buf_cleanup(&b);
	} else {
		print_scorecard(&sc);
	}
	rc = EXIT_OK;
out:
	scorecard_cleanup(&sc);
	query_free(q);
	store_topic_cleanup(&t);
	store_launch_cleanup(&l);
	return rc;
}

/* ---- rm ---- */

/* rm NAME.  Returns an exit code. */
static int launch_rm(struct cli_args *a, struct store *st)
{
	struct horch_err err;

	if (store_launch_delete(st, a->pos[1], &err) != 0) {
		if (err.code == HORCH_ENOTFOUND) {
			cli_error(a, "no launch called '%s' (horch launch list shows them)",
				  a->pos[1]);
			return EXIT_RUNTIME;
		}
		return cli_fail(a, &err);
	}
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "removed launch '%s'\n", a->pos[1]);
	return EXIT_OK;
}

/* ---- the command ---- */

static const struct {
	const char *name;
	int n_args;            /* positional arguments after the subcommand */
	const char *usage;
	const char *opts;      /* the options it takes, separated by spaces */
	int read_only;
	int (*run)(struct cli_args *a, struct store *st);
} subs[] = {
	{ "add", 1, "add NAME --topic T --at TIME", "topic at", 0, launch_add },
	{ "list", 0, "list [--json|--table]", "json table", 1, launch_list },
	{ "show", 1, "show NAME [--json|--table]", "json table", 0, launch_show },
	{ "rm", 1, "rm NAME", "", 0, launch_rm },
};

int cmd_launch(struct cli_args *a)
{
	const char *sub = a->pos[0];
	struct store *st = NULL;
	struct horch_err err;
	int rc;

	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		struct store_opts so = { .read_only = subs[i].read_only };

		if (strcmp(subs[i].name, sub) != 0)
			continue;
		if (cli_sub_opts(a, subs[i].opts, subs[i].usage))
			return EXIT_USAGE;
		if (a->n_pos - 1 != subs[i].n_args) {
			cli_error(a, "usage: horch launch %s", subs[i].usage);
			return EXIT_USAGE;
		}
		if (cli_flag(a, "json") && cli_flag(a, "table")) {
			cli_error(a, "--json and --table exclude each other");
			return EXIT_USAGE;
		}
		so.topic_refs = cli_topic_refs;
		if (store_open(&st, cli_db_path(a), &so, &err) != 0)
			return cli_fail(a, &err);
		rc = subs[i].run(a, st);
		store_close(st);
		return rc;
	}
	cli_error(a, "unknown launch command '%s' (available: add, list, show, rm)", sub);
	return EXIT_USAGE;
}
