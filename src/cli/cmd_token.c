/* cmd_token.c - `horch token create|list|revoke`: API tokens for the
 * programs and screens that call `horch serve` without a person signing
 * in (a wall screen's viewer token, a script's analyst token).
 *
 * A token is shown once, by create, on standard output and nowhere else;
 * the database keeps only its hash (src/http/auth.c), so a lost token is
 * revoked and a new one created.  A client sends it as
 * `Authorization: Bearer hct_...`, or trades it for a session cookie at
 * POST /api/login {"token":...}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../core/clock.h"
#include "../http/auth.h"
#include "../store/store.h"

static int token_create(struct cli_args *a, struct store *st)
{
	char token[AUTH_TOKEN_LEN + 1];
	struct horch_err err;
	enum auth_role role;
	const char *v, *label = cli_get(a, "name");
	int64_t id = 0;

	if (a->n_pos != 1) {
		cli_error(a, "create takes no argument (the label is --name LABEL)");
		return EXIT_USAGE;
	}
	if (!(v = cli_get(a, "role"))) {
		cli_error(a, "create needs --role (viewer, agent, analyst or admin)");
		return EXIT_USAGE;
	}
	if (auth_role_parse(v, &role, &err) != 0) {
		cli_error(a, "--role: %s", err.msg);
		return EXIT_USAGE;
	}
	if (auth_token_create(st, role, label, token, &id, &err) != 0) {
		if (err.code != HORCH_EINVAL)
			return cli_fail(a, &err);
		cli_error(a, "%s", err.msg);
		return EXIT_USAGE;
	}
	/* Nothing else on stdout: `tok=$(horch token create --role viewer)`. */
	printf("%s\n", token);
	fflush(stdout);
	memset(token, 0, sizeof token);
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "created token %lld (%s%s%s); it is shown only now\n", (long long)id,
			auth_role_name(role), label && *label ? ", " : "", label ? label : "");
	return EXIT_OK;
}

struct list_out {
	int json;
	struct table *t;
};

static int list_one(void *ctx, const struct store_token *t)
{
	struct list_out *o = ctx;
	char id[32], created[HORCH_TIME_BUFSZ], used[HORCH_TIME_BUFSZ], revoked[HORCH_TIME_BUFSZ];

	horch_time_format(t->created_at, created);
	if (t->last_used_at)
		horch_time_format(t->last_used_at, used);
	else
		used[0] = '\0';
	if (t->revoked_at)
		horch_time_format(t->revoked_at, revoked);
	else
		revoked[0] = '\0';
	if (o->json) {
		printf("{\"id\":%lld,\"label\":", (long long)t->id);
		json_field(stdout, t->label ? t->label : "");
		printf(",\"role\":");
		json_field(stdout, t->role);
		printf(",\"created_at\":\"%s\",\"last_used_at\":", created);
		if (used[0])
			printf("\"%s\"", used);
		else
			fputs("null", stdout);
		printf(",\"revoked_at\":");
		if (revoked[0])
			printf("\"%s\"", revoked);
		else
			fputs("null", stdout);
		printf("}\n");
		return 0;
	}
	snprintf(id, sizeof id, "%lld", (long long)t->id);
	{
		const char *cells[6] = { id, t->label ? t->label : "", t->role, created,
					 used[0] ? used : "never", revoked[0] ? revoked : "" };

		table_add(o->t, cells);
	}
	return 0;
}

static int token_list(struct cli_args *a, struct store *st)
{
	static const char *const headers[6] = { "id", "label", "role", "created", "last used",
						"revoked" };
	struct list_out o = { .json = cli_flag(a, "json") };
	struct horch_err err;

	if (a->n_pos != 1) {
		cli_error(a, "list takes no argument");
		return EXIT_USAGE;
	}
	if (!o.json)
		o.t = table_new(stdout, 6, headers);
	if (store_token_list(st, list_one, &o, &err) != 0) {
		table_free(o.t);
		return cli_fail(a, &err);
	}
	if (o.t)
		table_print(o.t, 1u);
	return EXIT_OK;
}

static int token_revoke(struct cli_args *a, struct store *st)
{
	struct horch_err err;
	const char *s;
	char *end;
	long long id;

	if (a->n_pos != 2) {
		cli_error(a, "revoke takes one ID (horch token list)");
		return EXIT_USAGE;
	}
	s = a->pos[1];
	id = *s >= '1' && *s <= '9' ? strtoll(s, &end, 10) : 0;
	if (id <= 0 || *end) {
		cli_error(a, "revoke: '%s' is not a token id (horch token list shows them)", s);
		return EXIT_USAGE;
	}
	if (store_token_revoke(st, id, &err) != 0)
		return cli_fail(a, &err);
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "revoked token %lld; its sessions have ended\n", id);
	return EXIT_OK;
}

int cmd_token(struct cli_args *a)
{
	const char *sub = a->pos[0];
	struct store_opts so = { .read_only = strcmp(sub, "list") == 0 };
	struct store *st = NULL;
	struct horch_err err;
	int rc;

	if (strcmp(sub, "create") && strcmp(sub, "list") && strcmp(sub, "revoke")) {
		cli_error(a, "unknown subcommand '%s' (create, list or revoke)", sub);
		return EXIT_USAGE;
	}
	if (store_open(&st, cli_db_path(a), &so, &err) != 0)
		return cli_fail(a, &err);
	if (strcmp(sub, "create") == 0)
		rc = token_create(a, st);
	else if (strcmp(sub, "list") == 0)
		rc = token_list(a, st);
	else
		rc = token_revoke(a, st);
	store_close(st);
	return rc;
}
