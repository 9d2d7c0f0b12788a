/* cmd_user.c - `horch user add|list|rm|passwd|subscribe|unsubscribe`: the
 * people who may sign in to `horch serve`, and the topics each follows.
 *
 * A password comes from standard input with --password-stdin (the first
 * line, without its line end), else from the terminal (asked twice,
 * without echo), else - no terminal and no flag, as in a script - horch
 * makes a random one, prints it once on standard output and marks it to
 * be changed at the first sign-in.  Passwords are hashed with Argon2id
 * (src/http/auth.c); the database never holds one in clear. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../http/auth.h"
#include "../store/store.h"

/* Overwrite n bytes of p so that a password does not linger in memory
 * (volatile: the compiler may not drop the stores as dead). */
static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

/* Read one line of at most AUTH_PASSWORD_MAX bytes from f into out (size
 * AUTH_PASSWORD_MAX + 1), without its line end ("\n" or "\r\n").  Returns
 * 0, or -1 after printing the problem (nothing to read, too long). */
static int read_line(const struct cli_args *a, FILE *f, char *out)
{
	char line[AUTH_PASSWORD_MAX + 3];
	size_t len;

	if (!fgets(line, sizeof line, f)) {
		cli_error(a, "no password given on %s", f == stdin ? "standard input" : "the terminal");
		return -1;
	}
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	else if (len == sizeof line - 1) {
		wipe(line, sizeof line);
		cli_error(a, "the password is longer than %u bytes", AUTH_PASSWORD_MAX);
		return -1;
	}
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (len > AUTH_PASSWORD_MAX) {
		wipe(line, sizeof line);
		cli_error(a, "the password is longer than %u bytes", AUTH_PASSWORD_MAX);
		return -1;
	}
	memcpy(out, line, len + 1);
	wipe(line, sizeof line);
	return 0;
}

/* Ask for a password on the terminal tty with echo off.  Returns 0 or -1
 * after printing the problem. */
static int ask(const struct cli_args *a, FILE *tty, const char *prompt, char *out)
{
	struct termios old, quiet;
	int fd = fileno(tty), rc;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(fd, &old) != 0) {
		cli_error(a, "the terminal: %s", strerror(errno));
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	rc = read_line(a, tty, out);
	tcsetattr(fd, TCSAFLUSH, &old);
	return rc;
}

/* How the password of add or passwd was given. */
enum pw_source { PW_GIVEN, PW_GENERATED };

/* The new password into out (AUTH_PASSWORD_MAX + 1 bytes), as the file's
 * comment says, and its hash into hash.  *src says whether it was made
 * here.  Returns 0 or an exit code after printing the problem. */
static int new_password(const struct cli_args *a, char *out, char hash[128],
			enum pw_source *src)
{
	struct horch_err err;

	*src = PW_GIVEN;
	if (cli_flag(a, "password-stdin")) {
		if (read_line(a, stdin, out))
			return EXIT_USAGE;
	} else if (isatty(STDIN_FILENO)) {
		char *again = malloc(AUTH_PASSWORD_MAX + 1);
		int rc = 0;

		if (!again)
			abort();
		if (ask(a, stdin, "New password: ", out) ||
		    ask(a, stdin, "The same again: ", again)) {
			rc = EXIT_USAGE;
		} else if (strcmp(out, again) != 0) {
			cli_error(a, "the two passwords differ");
			rc = EXIT_USAGE;
		}
		wipe(again, AUTH_PASSWORD_MAX + 1);
		free(again);
		if (rc)
			return rc;
	} else {
		auth_random_password(out);
		*src = PW_GENERATED;
	}
	if (auth_hash_password(out, hash, &err) != 0) {
		cli_error(a, "%s", err.msg);
		return err.code == HORCH_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
	}
	return 0;
}

/* Print a generated password once, on standard output, alone on its line
 * (for `pw=$(horch user add ...)`), and say on stderr what it is. */
static void show_generated(const struct cli_args *a, const char *name, const char *pw)
{
	printf("%s\n", pw);
	fflush(stdout);
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "the one-time password of '%s' is above; it is shown only now, "
			"and must be changed at the first sign-in\n", name);
}

static int user_add(struct cli_args *a, struct store *st)
{
	struct store_user u = { 0 };
	struct horch_err err;
	enum auth_role role;
	enum pw_source src;
	char *pw = NULL, hash[128];
	const char *v, *why;
	int rc;

	if (a->n_pos != 2) {
		cli_error(a, "add takes one NAME");
		return EXIT_USAGE;
	}
	if ((why = store_user_name_problem(a->pos[1])) != NULL) {
		char q[STORE_USER_NAME_MAX * 4 + 16];

		cli_quote(q, sizeof q, a->pos[1]);
		cli_error(a, "the name '%s' %s", q, why);
		return EXIT_USAGE;
	}
	if (!(v = cli_get(a, "role"))) {
		cli_error(a, "add needs --role (viewer, agent, analyst or admin)");
		return EXIT_USAGE;
	}
	if (auth_role_parse(v, &role, &err) != 0) {
		cli_error(a, "--role: %s", err.msg);
		return EXIT_USAGE;
	}
	pw = malloc(AUTH_PASSWORD_MAX + 1);
	if (!pw)
		abort();
	if ((rc = new_password(a, pw, hash, &src)) != 0)
		goto out;
	u.name = a->pos[1];
	u.role = (char *)auth_role_name(role);
	u.pw_hash = hash;
	u.must_change = src == PW_GENERATED;
	if (store_user_add(st, &u, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (src == PW_GENERATED)
		show_generated(a, u.name, pw);
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "added user '%s' (%s, id %lld)\n", u.name, u.role, (long long)u.id);
	rc = EXIT_OK;
out:
	wipe(pw, AUTH_PASSWORD_MAX + 1);
	free(pw);
	wipe(hash, sizeof hash);
	return rc;
}

static int user_passwd(struct cli_args *a, struct store *st)
{
	struct store_user u = { 0 };
	struct horch_err err;
	enum pw_source src;
	char *pw = NULL, hash[128];
	int rc;

	if (a->n_pos != 2) {
		cli_error(a, "passwd takes one NAME");
		return EXIT_USAGE;
	}
	if (store_user_get(st, a->pos[1], &u, &err) != 0)
		return cli_fail(a, &err);
	pw = malloc(AUTH_PASSWORD_MAX + 1);
	if (!pw)
		abort();
	if ((rc = new_password(a, pw, hash, &src)) != 0)
		goto out;
	/* The new password, then the end of every session signed in with
	 * the old one. */
	if (store_user_set_password(st, u.id, hash, src == PW_GENERATED, &err) != 0 ||
	    store_session_delete_user(st, u.id, NULL, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (src == PW_GENERATED)
		show_generated(a, u.name, pw);
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "changed the password of '%s'; their sessions have ended\n", u.name);
	rc = EXIT_OK;
out:
	wipe(pw, AUTH_PASSWORD_MAX + 1);
	free(pw);
	wipe(hash, sizeof hash);
	store_user_cleanup(&u);
	return rc;
}

struct list_out {
	int json;
	struct table *t;
};

static int list_one(void *ctx, const struct store_user *u)
{
	struct list_out *o = ctx;
	char id[32], created[HORCH_TIME_BUFSZ];

	horch_time_format(u->created_at, created);
	if (o->json) {
		printf("{\"id\":%lld,\"name\":", (long long)u->id);
		json_field(stdout, u->name);
		printf(",\"role\":");
		json_field(stdout, u->role);
		printf(",\"must_change_password\":%s,\"disabled\":%s,\"created_at\":\"%s\"}\n",
		       u->must_change ? "true" : "false", u->disabled ? "true" : "false", created);
		return 0;
	}
	snprintf(id, sizeof id, "%lld", (long long)u->id);
	{
		const char *cells[5] = { id, u->name, u->role,
					 u->disabled ? "disabled"
					 : u->must_change ? "must change password" : "",
					 created };

		table_add(o->t, cells);
	}
	return 0;
}

static int user_list(struct cli_args *a, struct store *st)
{
	static const char *const headers[5] = { "id", "name", "role", "state", "created" };
	struct list_out o = { .json = cli_flag(a, "json") };
	struct horch_err err;

	if (a->n_pos != 1) {
		cli_error(a, "list takes no NAME");
		return EXIT_USAGE;
	}
	if (!o.json)
		o.t = table_new(stdout, 5, headers);
	if (store_user_list(st, list_one, &o, &err) != 0) {
		table_free(o.t);
		return cli_fail(a, &err);
	}
	if (o.t)
		table_print(o.t, 1u);
	return EXIT_OK;
}

static int user_rm(struct cli_args *a, struct store *st)
{
	struct horch_err err;

	if (a->n_pos != 2) {
		cli_error(a, "rm takes one NAME");
		return EXIT_USAGE;
	}
	if (store_user_delete(st, a->pos[1], &err) != 0)
		return cli_fail(a, &err);
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "removed user '%s' with their sessions and subscriptions\n",
			a->pos[1]);
	return EXIT_OK;
}

/* subscribe NAME TOPIC / unsubscribe NAME TOPIC. */
static int user_sub(struct cli_args *a, struct store *st, int add)
{
	struct store_user u = { 0 };
	struct store_topic t = { 0 };
	struct horch_err err;
	int rc;

	if (a->n_pos != 3) {
		cli_error(a, "%s takes a user's NAME and a TOPIC", a->pos[0]);
		return EXIT_USAGE;
	}
	if (store_user_get(st, a->pos[1], &u, &err) != 0)
		return cli_fail(a, &err);
	if ((rc = cli_topic_get(a, st, a->pos[2], &t)) != 0)
		goto out;
	rc = add ? store_sub_add(st, u.id, t.id, &err) : store_sub_delete(st, u.id, t.id, &err);
	if (rc) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "'%s' %s topic '%s'\n", u.name,
			add ? "now follows" : "no longer follows", t.name);
	rc = EXIT_OK;
out:
	store_user_cleanup(&u);
	store_topic_cleanup(&t);
	return rc;
}

int cmd_user(struct cli_args *a)
{
	static const char *const subs[] = { "add", "list", "rm", "passwd", "subscribe",
					    "unsubscribe" };
	const char *sub = a->pos[0];
	struct store_opts so = { .read_only = strcmp(sub, "list") == 0 };
	struct store *st = NULL;
	struct horch_err err;
	size_t i;
	int rc;

	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(sub, subs[i]) == 0)
			break;
	if (i == sizeof subs / sizeof subs[0]) {
		cli_error(a, "unknown subcommand '%s' (add, list, rm, passwd, subscribe or "
			  "unsubscribe)", sub);
		return EXIT_USAGE;
	}
	if (store_open(&st, cli_db_path(a), &so, &err) != 0)
		return cli_fail(a, &err);
	switch (i) {
	case 0:
		rc = user_add(a, st);
		break;
	case 1:
		rc = user_list(a, st);
		break;
	case 2:
		rc = user_rm(a, st);
		break;
	case 3:
		rc = user_passwd(a, st);
		break;
	default:
		rc = user_sub(a, st, i == 4);
		break;
	}
	store_close(st);
	return rc;
}
