/* cmd_search.c - `horch search [QUERY]`: stored posts by full text and
 * filters, newest first, as a table, JSON Lines or CSV. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/post.h"
#include "../store/store.h"

struct search {
	int format;            /* enum cli_format */
	struct table *table;
	struct buf json;
	size_t n;              /* posts printed */
	int64_t last_id;       /* id of the last post printed, for --before */
	int64_t failed_id;     /* a post that could not be written as JSON */
};

static int print_post(void *ctx, const struct post *p)
{
	struct search *s = ctx;
	char when[HORCH_TIME_BUFSZ] = "", id[24];

	s->n++;
	s->last_id = p->id;
	if (p->created_at != HORCH_TIME_NONE)
		horch_time_format(p->created_at, when);
	snprintf(id, sizeof id, "%lld", (long long)p->id);
	switch (s->format) {
	case CLI_JSON:
		buf_reset(&s->json);
		/* The buffer's cap is twice the largest post: a stored post
		 * always fits, so a failure is a bug, not input. */
		if (post_to_json(p, &s->json) != 0) {
			s->failed_id = p->id;
			return 1;
		}
		fwrite(s->json.ptr, 1, s->json.len, stdout);
		fputc('\n', stdout);
		break;
	case CLI_CSV: {
		const char *cells[] = { id, p->source, p->external_id, when, p->author, p->lang,
					p->url, p->title, p->text,
					post_sentiment_name(p->sentiment_label),
					post_intent_name(p->intent),
					p->analysed ? (p->is_spam ? "1" : "0") : "" };

		for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
			if (i)
				fputc(',', stdout);
			csv_field(stdout, cells[i]);
		}
		fputs("\r\n", stdout);
		break;
	}
	default: {
		char day[HORCH_TIME_BUFSZ];
		const char *text = p->text && *p->text ? p->text : p->title;
		char *both = NULL;
		const char *cells[7];

		/* "2015-02-24T11:35:52Z" shows as "2015-02-24 11:35". */
		snprintf(day, sizeof day, "%.10s %.5s", when, when[0] ? when + 11 : "");
		if (p->title && *p->title && p->text && *p->text) {
			static const char sep[] = " — ";
			size_t len = strlen(p->title) + strlen(p->text) + sizeof sep;

			both = horch_xmalloc(len);
			snprintf(both, len, "%s%s%s", p->title, sep, p->text);
			text = both;
		}
		cells[0] = id;
		cells[1] = when[0] ? day : "";
		cells[2] = p->source;
		cells[3] = p->author;
		cells[4] = p->lang;
		cells[5] = post_sentiment_name(p->sentiment_label);
		cells[6] = text;
		table_add(s->table, cells);
		free(both);
	}
	}
	return 0;
}

int cmd_search(struct cli_args *a)
{
	static const char *const headers[] = { "id", "time (UTC)", "source", "author", "lang",
					       "sentiment", "text" };
	struct search s = { 0 };
	struct store_query q;
	struct store_opts so = { .read_only = 1 };
	struct store *st = NULL;
	struct horch_err err;
	const char *v;
	int rc;

	store_query_init(&q);
	s.format = cli_format(a);
	if (s.format < 0)
		return EXIT_USAGE;
	if ((rc = cli_filters(a, &q)))
		return rc;
	q.fts = a->n_pos ? a->pos[0] : NULL;
	q.limit = 20;
	if ((rc = cli_count_opt(a, "limit", 1, 1000000, &q.limit)))
		return rc;
	if ((v = cli_get(a, "before"))) {
		char *end;
		long long id = strtoll(v, &end, 10);

		if (!*v || *end || id <= 0) {
			cli_error(a, "--before: expected a post id, got '%s'", v);
			return EXIT_USAGE;
		}
		q.before_id = id;
	}
	if (store_open(&st, cli_db_path(a), &so, &err) != 0)
		return cli_fail(a, &err);
	if ((rc = cli_topic_id(a, st, &q)) != 0) {
		store_close(st);
		return rc;
	}

	buf_init(&s.json, POST_JSON_MAX * 2);
	if (s.format == CLI_TABLE)
		s.table = table_new(stdout, 7, headers);
	if (s.format == CLI_CSV)
		fputs("id,source,external_id,created_at,author,lang,url,title,text,sentiment,intent,"
		      "spam\r\n", stdout);
	rc = store_search(st, &q, print_post, &s, &err);
	if (s.table && rc) {
		table_free(s.table);
	} else if (s.table) {
		table_print(s.table, 1u);
		if (rc == 0 && isatty(fileno(stderr)) && !cli_flag(a, "quiet")) {
			if (s.n == q.limit)
				fprintf(stderr, "%zu posts shown; more with --before %lld\n", s.n,
					(long long)s.last_id);
			else
				fprintf(stderr, "%zu post%s\n", s.n, s.n == 1 ? "" : "s");
		}
	}
	buf_cleanup(&s.json);
	store_close(st);
	if (rc == HORCH_ESTOP && s.failed_id) {
		cli_error(a, "post %lld cannot be written as JSON", (long long)s.failed_id);
		return EXIT_RUNTIME;
	}
	if (rc) {
		/* A bad FTS expression is the user's to fix: a usage error. */
		cli_error(a, "%s", err.msg);
		return rc == HORCH_EPARSE ? EXIT_USAGE : EXIT_RUNTIME;
	}
	return EXIT_OK;
}
