/* cmd_alert.c - `horch alert list|show|ack|resolve|rules`: the alerts that
 * horch serve raised, from the database.
 *
 * An acknowledgement or resolution made here is the same as one made on
 * the dashboard: the running server's signal engine notices the change
 * within a tick and publishes it on the live stream, so every wall and
 * radio shows it.  docs/signals.md says what raises an alert. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../alert/alert.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../store/store.h"

struct out {
	struct store *st;
	int json;
	struct table *t;
	struct buf b;
	struct cli_names topics, products;
};

/* The alert as JSON (the API's form) into o->b; *topic and *product get
 * its subject's names (NULL: none), the names read on the first call. */
static void render(struct out *o, const struct store_alert *a, const char **topic,
		   const char **product)
{
	struct horch_err err;

	if (!o->topics.loaded) {
		o->topics.loaded = o->products.loaded = 1;
		store_topic_list(o->st, cli_names_topic, &o->topics, &err);
		store_product_list(o->st, cli_names_product, &o->products, &err);
	}
	*topic = cli_names_find(&o->topics, a->topic_id);
	*product = cli_names_find(&o->products, a->product_id);
	buf_reset(&o->b);
	alert_json(&o->b, a, *topic, *product);
}

static int list_one(void *ctx, const struct store_alert *a)
{
	struct out *o = ctx;
	const char *topic, *product;
	char id[24], at[HORCH_TIME_BUFSZ], fired[24];

	render(o, a, &topic, &product);
	if (o->json) {
		printf("%s\n", o->b.ptr);
		return 0;
	}
	snprintf(id, sizeof id, "%lld", (long long)a->id);
	snprintf(fired, sizeof fired, "%lld", (long long)a->fired);
	horch_time_format(a->at, at);
	{
		/* A source's alert is about the source of its key. */
		const char *src = a->key && !strncmp(a->key, "source:", 7) ? a->key + 7 : NULL;
		const char *cells[8] = { id, a->state, a->kind, a->severity,
					 topic ? topic : product ? product : src ? src : "", at,
					 fired, a->title };

		table_add(o->t, cells);
	}
	return 0;
}

static int parse_id(struct cli_args *a, const char *what, int64_t *id)
{
	const char *s;
	char *end;

	if (a->n_pos != 2) {
		cli_error(a, "%s takes one alert ID (horch alert list shows them)", what);
		return EXIT_USAGE;
	}
	s = a->pos[1];
	*id = *s >= '1' && *s <= '9' ? strtoll(s, &end, 10) : 0;
	if (*id <= 0 || *end) {
		cli_error(a, "%s: '%s' is not an alert id (horch alert list shows them)", what, s);
		return EXIT_USAGE;
	}
	return 0;
}

static int alert_list(struct cli_args *a, struct out *o)
{
	static const char *const headers[8] = { "id", "state", "kind", "severity", "about",
						"at", "fired", "title" };
	const char *state = cli_get(a, "state");
	size_t limit = 50;
	struct horch_err err;

	if (a->n_pos != 1) {
		cli_error(a, "list takes no argument");
		return EXIT_USAGE;
	}
	if (cli_count_opt(a, "limit", 1, 100000, &limit))
		return EXIT_USAGE;
	if (!state)
		state = "active";
	if (strcmp(state, "open") && strcmp(state, "acked") && strcmp(state, "resolved") &&
	    strcmp(state, "active") && strcmp(state, "all")) {
		cli_error(a, "--state: '%s' is not open, acked, resolved, active or all", state);
		return EXIT_USAGE;
	}
	if (!o->json)
		o->t = table_new(stdout, 8, headers);
	if (store_alert_list(o->st, strcmp(state, "all") ? state : NULL, 0, limit, list_one, o,
			     &err)) {
		table_free(o->t);
		return cli_fail(a, &err);
	}
	if (o->t)
		table_print(o->t, 0x41u);
	return EXIT_OK;
}

static int delivery_one(void *ctx, const struct store_delivery *d)
{
	char at[HORCH_TIME_BUFSZ];

	(void)ctx;
	printf("  %-7s %-7s %d attempt%s %s  %s%s%s\n", d->channel, d->state, d->attempts,
	       d->attempts == 1 ? " " : "s", horch_time_format(d->at, at), d->target,
	       d->error ? "  error: " : "", d->error ? d->error : "");
	return 0;
}

static int alert_show(struct cli_args *a, struct out *o)
{
	struct store_alert al;
	const char *topic, *product;
	struct horch_err err;
	int64_t id;
	json_t *ev, *v;
	size_t i;
	char at[HORCH_TIME_BUFSZ];

	if (parse_id(a, "show", &id))
		return EXIT_USAGE;
	memset(&al, 0, sizeof al);
	if (store_alert_get(o->st, id, &al, &err))
		return cli_fail(a, &err);
	render(o, &al, &topic, &product);
	if (o->json) {
		printf("%s\n", o->b.ptr);
		store_alert_cleanup(&al);
		return EXIT_OK;
	}
	printf("alert %lld: %s\n\n%s\n\n", (long long)al.id, al.title, al.summary);
	printf("  kind      %s (rule %s), %s\n", al.kind, al.rule, al.severity);
	if (topic)
		printf("  topic     %s\n", topic);
	if (product)
		printf("  product   %s\n", product);
	printf("  at        %s", horch_time_format(al.at, at));
	printf(" (last %s, fired %lld time%s)\n", horch_time_format(al.last_at, at),
	       (long long)al.fired, al.fired == 1 ? "" : "s");
	printf("  state     %s", al.state);
	if (al.acked_by)
		printf(", acknowledged by %s at %s", al.acked_by,
		       horch_time_format(al.acked_at, at));
	if (al.resolved_by)
		printf(", resolved by %s at %s", al.resolved_by,
		       horch_time_format(al.resolved_at, at));
	printf("\n  notify    %s\n", al.recipients);
	ev = json_loads(al.evidence, 0, NULL);
	if ((v = json_object_get(ev, "series")) && json_is_array(json_object_get(v, "counts"))) {
		json_t *c;

		printf("\n  posts per %lld min from %s:\n   ",
		       (long long)json_integer_value(json_object_get(v, "step_s")) / 60,
		       json_string_value(json_object_get(v, "t0")));
		json_array_foreach(json_object_get(v, "counts"), i, c)
			printf(" %lld", (long long)json_integer_value(c));
		printf("\n");
	}
	if ((v = json_object_get(ev, "terms")) && json_array_size(v)) {
		json_t *t;

		printf("\n  top terms:");
		json_array_foreach(v, i, t)
			printf("%s %s (%lld)", i ? "," : "",
			       json_string_value(json_object_get(t, "term")),
			       (long long)json_integer_value(json_object_get(t, "count")));
		printf("\n");
	}
	if ((v = json_object_get(ev, "posts")) && json_array_size(v)) {
		json_t *p;

		printf("\n  top posts:\n");
		json_array_foreach(v, i, p) {
			const char *au = json_string_value(json_object_get(p, "author"));

			printf("    #%lld @%s: %.200s\n",
			       (long long)json_integer_value(json_object_get(p, "id")),
			       au ? au : "?", json_string_value(json_object_get(p, "text")));
		}
	}
	json_decref(ev);
	printf("\n  deliveries:\n");
	if (store_delivery_list(o->st, al.id, delivery_one, NULL, &err)) {
		store_alert_cleanup(&al);
		return cli_fail(a, &err);
	}
	store_alert_cleanup(&al);
	return EXIT_OK;
}

static int alert_state(struct cli_args *a, struct out *o, const char *what, const char *state)
{
	const char *by = cli_get(a, "by");
	struct store_alert al;
	struct horch_err err;
	int64_t id;

	if (parse_id(a, what, &id))
		return EXIT_USAGE;
	if (!by)
		by = getenv("USER");
	if (!by || !*by)
		by = "cli";
	if (store_alert_set_state(o->st, id, state, by, horch_now(), &err))
		return cli_fail(a, &err);
	memset(&al, 0, sizeof al);
	if (store_alert_get(o->st, id, &al, &err))
		return cli_fail(a, &err);
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "alert %lld is %s (%s)\n", (long long)id, al.state, al.title);
	store_alert_cleanup(&al);
	return EXIT_OK;
}

static int rule_one(void *ctx, const char *name, const char *spec)
{
	(void)ctx;
	(void)name;
	printf("%s\n", spec);
	return 0;
}

int cmd_alert(struct cli_args *a)
{
	const char *sub = a->pos[0];
	int ro = !strcmp(sub, "list") || !strcmp(sub, "show") || !strcmp(sub, "rules");
	struct store_opts so = { .read_only = ro };
	struct out o = { .json = cli_flag(a, "json") };
	struct horch_err err;
	int rc;

	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "ack") &&
	    strcmp(sub, "resolve") && strcmp(sub, "rules")) {
		cli_error(a, "unknown subcommand '%s' (list, show, ack, resolve or rules)", sub);
		return EXIT_USAGE;
	}
	if (store_open(&o.st, cli_db_path(a), &so, &err) != 0)
		return cli_fail(a, &err);
	buf_init(&o.b, BUF_NOLIMIT);
	if (!strcmp(sub, "list")) {
		rc = alert_list(a, &o);
	} else if (!strcmp(sub, "show")) {
		rc = alert_show(a, &o);
	} else if (!strcmp(sub, "ack")) {
		rc = alert_state(a, &o, "ack", "acked");
	} else if (!strcmp(sub, "resolve")) {
		rc = alert_state(a, &o, "resolve", "resolved");
	} else {
		if (a->n_pos != 1) {
			cli_error(a, "rules takes no argument");
			rc = EXIT_USAGE;
		} else {
			rc = store_rule_list(o.st, rule_one, NULL, &err) ? cli_fail(a, &err)
									  : EXIT_OK;
		}
	}
	buf_cleanup(&o.b);
	cli_names_cleanup(&o.topics);
	cli_names_cleanup(&o.products);
	store_close(o.st);
	return rc;
}
