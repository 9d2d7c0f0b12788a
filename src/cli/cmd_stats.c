/* cmd_stats.c - `horch stats`: how many posts, from where, in which
 * language, on which day. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../core/clock.h"
#include "../store/store.h"

struct stats_out {
	int format;
	const char *dim;        /* "source", "lang", "day" */
	struct table *table;
	int first;              /* JSON: no comma before the first row */
};

static int add_row(void *ctx, const char *key, int64_t count)
{
	struct stats_out *o = ctx;
	char n[32];

	switch (o->format) {
	case CLI_JSON:
		printf("{\"dimension\":\"%s\",\"key\":", o->dim);
		json_field(stdout, key);
		printf(",\"count\":%lld}\n", (long long)count);
		break;
	case CLI_CSV:
		fputs(o->dim, stdout);
		putchar(',');
		csv_field(stdout, key);
		printf(",%lld\r\n", (long long)count);
		break;
	default: {
		const char *cells[2] = { *key ? key : "(unknown)", cli_num((uint64_t)count, n) };

		table_add(o->table, cells);
	}
	}
	return 0;
}

static int section(struct store *st, const struct store_query *q, enum store_dim dim,
		   const char *name, const char *title, size_t limit, int format,
		   struct horch_err *err)
{
	const char *headers[2] = { title, "posts" };
	struct stats_out o = { .format = format, .dim = name };
	int rc;

	if (format == CLI_TABLE)
		o.table = table_new(stdout, 2, headers);
	rc = store_stats(st, dim, q, limit, add_row, &o, err);
	if (o.table && rc) {
		table_free(o.table);
	} else if (o.table) {
		table_print(o.table, 2u);
		putchar('\n');
	}
	return rc;
}

/* store_count_fn: add every count to the int64_t at ctx. */
static int add_count(void *ctx, const char *key, int64_t count)
{
	(void)key;
	*(int64_t *)ctx += count;
	return 0;
}

int cmd_stats(struct cli_args *a)
{
	struct store_query q;
	struct store_opts so = { .read_only = 1 };
	struct store *st = NULL;
	struct horch_err err;
	struct store_topic t = { 0 };
	int64_t total = 0;
	size_t days = 14;
	char n[32];
	int format, rc, other;

	store_query_init(&q);
	format = cli_format(a);
	if (format < 0)
		return EXIT_USAGE;
	if ((rc = cli_filters(a, &q)) || (rc = cli_count_opt(a, "days", 0, 100000, &days)))
		return rc;
	if (store_open(&st, cli_db_path(a), &so, &err) != 0)
		return cli_fail(a, &err);
	if (cli_get(a, "topic")) {
		if ((rc = cli_topic_get(a, st, cli_get(a, "topic"), &t)) != 0) {
			store_close(st);
			return rc;
		}
		q.topic = t.id;
	}
	/* One rule for the total, with or without --topic: the posts within
	 * the filters, the sum of the counts by source (every post has one).
	 * Without any filter that is the count of every post, read cheaper. */
	other = q.since != HORCH_TIME_NONE || q.until != HORCH_TIME_NONE ||
		(q.source && *q.source) || (q.lang && *q.lang) || (q.author && *q.author) ||
		q.sentiment || q.intent || q.needs_review || q.spam == STORE_SPAM_ONLY;
	/* Spam is left out by default, so the plain count of every post will
	 * not do either. */
	if (q.topic || other || q.spam == STORE_SPAM_HIDE)
		rc = store_stats(st, STORE_DIM_SOURCE, &q, 0, add_count, &total, &err);
	else
		rc = store_count_posts(st, &total, &err);
	if (rc)
		goto out;
	if (format == CLI_TABLE && q.topic) {
		char name[STORE_TOPIC_NAME_MAX * 4 + 16];

		/* The name as stored ("Müller" for --topic muller). */
		cli_quote(name, sizeof name, t.name);
		printf("%s posts of topic '%s' in %s%s\n\n", cli_num((uint64_t)total, n), name,
		       cli_db_path(a), other ? " within the filters" : "");
	} else if (format == CLI_TABLE) {
		int64_t spam = 0;
		struct store_query qs = q;
		char ns[32];

		/* Say what the default left out, so that the total is not a
		 * surprise next to the number of posts imported. */
		qs.spam = STORE_SPAM_ONLY;
		if (q.spam == STORE_SPAM_HIDE &&
		    (rc = store_stats(st, STORE_DIM_SOURCE, &qs, 0, add_count, &spam, &err)))
			goto out;
		printf("%s posts in %s%s", cli_num((uint64_t)total, n), cli_db_path(a),
		       other ? " within the filters" : "");
		if (spam)
			printf(" (%s spam left out; --spam show counts them)",
			       cli_num((uint64_t)spam, ns));
		printf("\n\n");
	}
	if (format == CLI_CSV)
		fputs("dimension,key,count\r\n", stdout);
	else if (format == CLI_JSON)
		printf("{\"dimension\":\"total\",\"key\":\"\",\"count\":%lld}\n", (long long)total);
	if (format == CLI_CSV)
		printf("total,,%lld\r\n", (long long)total);
	rc = section(st, &q, STORE_DIM_SOURCE, "source", "source", 0, format, &err);
	if (!rc)
		rc = section(st, &q, STORE_DIM_LANG, "lang", "language", 0, format, &err);
	if (!rc)
		rc = section(st, &q, STORE_DIM_SENTIMENT, "sentiment", "sentiment", 0, format, &err);
	if (!rc)
		rc = section(st, &q, STORE_DIM_INTENT, "intent", "intent", 0, format, &err);
	if (!rc)
		rc = section(st, &q, STORE_DIM_DAY, "day", "day (UTC)", days, format, &err);
out:
	store_topic_cleanup(&t);
	store_close(st);
	if (rc)
		return cli_fail(a, &err);
	return EXIT_OK;
}
