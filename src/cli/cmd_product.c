/* cmd_product.c - `horch product add|list|rm`: the product catalogue, and
 * loading the analysis models (with the catalogue) for the commands that
 * store posts.
 *
 * A product is found in posts by its name and its aliases, compared as
 * folded word sequences (src/nlp/entities.c): `horch product add 'Inspiron
 * 15' --alias inspiron15` finds "INSPIRON 15", "Inspiron  15" and
 * "inspiron15", not "Inspiron 150".  Each mention becomes an entity of the
 * post (kind product).  Posts stored before a product was added are not
 * searched again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../nlp/nlp.h"
#include "../store/store.h"

/* Every product of the store, as nlp_opts wants them. */
struct catalogue {
	struct nlp_product *v;
	size_t n, cap;
	char **strs;            /* every string the products point to */
	size_t n_strs, cap_strs;
};

static char *keep(struct catalogue *c, const char *s)
{
	char *d = horch_xstrdup(s);

	c->strs = horch_xgrow(c->strs, &c->cap_strs, c->n_strs + 1, sizeof *c->strs);
	c->strs[c->n_strs++] = d;
	return d;
}

static int collect(void *ctx, const struct store_product *p)
{
	struct catalogue *c = ctx;
	struct nlp_product *np, check = { p->id, p->name, (const char *const *)p->aliases,
					  p->n_aliases };
	struct horch_err err;
	const char **al;

	/* A product saved by an older horch with other limits is left out,
	 * not the whole import. */
	if (nlp_product_check(&check, &err) != 0) {
		fprintf(stderr, "horch: warning: %s; it is not searched for\n", err.msg);
		return 0;
	}
	c->v = horch_xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
	np = &c->v[c->n++];
	np->id = p->id;
	np->name = keep(c, p->name);
	al = horch_xcalloc(p->n_aliases ? p->n_aliases : 1, sizeof *al);
	for (size_t i = 0; i < p->n_aliases; i++)
		al[i] = keep(c, p->aliases[i]);
	np->aliases = al;
	np->n_aliases = p->n_aliases;
	return 0;
}

static void catalogue_cleanup(struct catalogue *c)
{
	for (size_t i = 0; i < c->n; i++)
		free((void *)c->v[i].aliases);
	for (size_t i = 0; i < c->n_strs; i++)
		free(c->strs[i]);
	free(c->v);
	free(c->strs);
}

int cli_load_nlp(const struct cli_args *a, struct store *st, struct nlp **out,
		 struct horch_err *err)
{
	return cli_load_nlp_model(a ? cli_get(a, "sentiment-model") : NULL, st, out, err);
}

int cli_load_nlp_model(const char *model, struct store *st, struct nlp **out,
		       struct horch_err *err)
{
	struct catalogue c = { 0 };
	struct nlp_opts o = { 0 };
	int rc;

	if (st && (rc = store_product_list(st, collect, &c, err)) != 0)
		goto out;
	o.products = c.v;
	o.n_products = c.n;
	o.sentiment_model = model;
	rc = nlp_new(out, &o, err);
out:
	catalogue_cleanup(&c);
	return rc;
}

/* Split "a,b, c" into trimmed non-empty parts (copied into p->aliases).
 * Returns 0 or EXIT_USAGE after printing the problem. */
static int split_aliases(const struct cli_args *a, const char *list, struct store_product *p)
{
	const char *s = list;

	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *t = s;

		while (n && (*t == ' ' || *t == '\t')) {
			t++;
			n--;
		}
		while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			n--;
		if (n) {
			if (p->n_aliases == STORE_PRODUCT_ALIASES_MAX) {
				cli_error(a, "--alias: more than %u aliases", STORE_PRODUCT_ALIASES_MAX);
				return EXIT_USAGE;
			}
			if (n > STORE_TOPIC_NAME_MAX || store_name_problem(t, n)) {
				cli_error(a, "--alias: '%.*s' is not a valid name (valid UTF-8 without "
					  "control or invisible characters, at most %u bytes)",
					  (int)(n > 64 ? 64 : n), t, STORE_TOPIC_NAME_MAX);
				return EXIT_USAGE;
			}
			p->aliases = horch_xrealloc(p->aliases,
						    (p->n_aliases + 1) * sizeof *p->aliases);
			p->aliases[p->n_aliases++] = horch_xstrndup(t, n);
		}
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

static int product_add(struct cli_args *a, struct store *st)
{
	struct store_product p = { 0 };
	struct horch_err err;
	const char *v, *why;
	int rc;

	if (a->n_pos != 2) {
		cli_error(a, "add takes one NAME");
		return EXIT_USAGE;
	}
	if ((why = store_name_problem(a->pos[1], strlen(a->pos[1]))) != NULL) {
		cli_error(a, "the name %s", why);
		return EXIT_USAGE;
	}
	p.name = horch_xstrdup(a->pos[1]);
	if ((v = cli_get(a, "sku")))
		p.sku = horch_xstrdup(v);
	if ((v = cli_get(a, "alias")) && (rc = split_aliases(a, v, &p)) != 0)
		goto out;
	{
		struct nlp_product check = { 0, p.name, (const char *const *)p.aliases,
					     p.n_aliases };

		if (nlp_product_check(&check, &err) != 0) {
			/* The message names the product by its id, which a new
			 * one does not have yet. */
			cli_error(a, "%s", strncmp(err.msg, "product 0: ", 11) == 0 ? err.msg + 11
										 : err.msg);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (store_product_add(st, &p, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "added product '%s' (id %lld, %zu alias%s); posts imported from "
			"now on are searched for it\n", p.name, (long long)p.id, p.n_aliases,
			p.n_aliases == 1 ? "" : "es");
	rc = EXIT_OK;
out:
	store_product_cleanup(&p);
	return rc;
}

struct list_out {
	int json;
	struct table *t;
};

static int list_one(void *ctx, const struct store_product *p)
{
	struct list_out *o = ctx;
	char id[32], aliases[1024] = "";
	size_t used = 0;

	if (o->json) {
		printf("{\"id\":%lld,\"name\":", (long long)p->id);
		json_field(stdout, p->name);
		printf(",\"sku\":");
		if (p->sku)
			json_field(stdout, p->sku);
		else
			fputs("null", stdout);
		printf(",\"aliases\":[");
		for (size_t i = 0; i < p->n_aliases; i++) {
			if (i)
				putchar(',');
			json_field(stdout, p->aliases[i]);
		}
		printf("]}\n");
		return 0;
	}
	for (size_t i = 0; i < p->n_aliases && used + 8 < sizeof aliases; i++) {
		int n = snprintf(aliases + used, sizeof aliases - used, "%s%s", i ? ", " : "",
				 p->aliases[i]);

		if (n < 0 || (size_t)n >= sizeof aliases - used)
			break;
		used += (size_t)n;
	}
	snprintf(id, sizeof id, "%lld", (long long)p->id);
	{
		const char *cells[4] = { id, p->name, p->sku ? p->sku : "", aliases };

		table_add(o->t, cells);
	}
	return 0;
}

static int product_list(struct cli_args *a, struct store *st)
{
	static const char *const headers[4] = { "id", "name", "sku", "aliases" };
	struct list_out o = { .json = cli_flag(a, "json") };
	struct horch_err err;

	if (a->n_pos != 1) {
		cli_error(a, "list takes no NAME");
		return EXIT_USAGE;
	}
	if (!o.json)
		o.t = table_new(stdout, 4, headers);
	if (store_product_list(st, list_one, &o, &err) != 0) {
		table_free(o.t);
		return cli_fail(a, &err);
	}
	if (o.t)
		table_print(o.t, 1u);
	return EXIT_OK;
}

static int product_rm(struct cli_args *a, struct store *st)
{
	struct horch_err err;

	if (a->n_pos != 2) {
		cli_error(a, "rm takes one NAME");
		return EXIT_USAGE;
	}
	if (store_product_delete(st, a->pos[1], &err) != 0)
		return cli_fail(a, &err);
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "removed product '%s'; its mentions in stored posts stay\n",
			a->pos[1]);
	return EXIT_OK;
}

int cmd_product(struct cli_args *a)
{
	const char *sub = a->pos[0];
	struct store_opts so = { .read_only = strcmp(sub, "list") == 0 };
	struct store *st = NULL;
	struct horch_err err;
	int rc;

	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "rm")) {
		cli_error(a, "unknown subcommand '%s' (add, list or rm)", sub);
		return EXIT_USAGE;
	}
	if (store_open(&st, cli_db_path(a), &so, &err) != 0)
		return cli_fail(a, &err);
	if (strcmp(sub, "add") == 0)
		rc = product_add(a, st);
	else if (strcmp(sub, "list") == 0)
		rc = product_list(a, st);
	else
		rc = product_rm(a, st);
	store_close(st);
	return rc;
}
