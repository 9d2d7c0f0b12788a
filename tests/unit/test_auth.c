/* test_auth.c - unit tests of users, passwords, sessions, tokens, roles,
 * CSRF tokens and the login rate limit (src/http/auth.c) and of the store
 * calls under them (the users section of src/store/store.h).
 *
 * Each group works on a database of its own in a directory made with
 * mkdtemp() and removed at the end.  Times that a test cannot wait for
 * (a session's expiry) are moved in the store directly: the test hashes a
 * cookie as auth.c does (BLAKE2b-256, hex) to find its row. */
#include "tap.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/clock.h"
#include "../../src/core/log.h"
#include "../../src/http/auth.h"
#include "../../src/store/store.h"
#include "tmpdir.h"

#define HOUR ((int64_t)60 * 60 * 1000)

static struct auth *a;

/* The hex hash under which the store keeps the cookie or token s. */
static const char *hash_of(const char *s)
{
	static char hex[65];
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return hex;
}

static struct store *open_db(const char *name)
{
	struct store *st = NULL;
	struct horch_err err;

	if (store_open(&st, tpath(name), NULL, &err) != 0) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
	return st;
}

/* Add user name with role and password; returns its id (0 on failure,
 * with a failed check). */
static int64_t add_user(struct store *st, const char *name, const char *role,
			const char *password, int must_change)
{
	struct store_user u = { 0 };
	char h[128];
	struct horch_err err;

	if (auth_hash_password(password, h, &err) != 0) {
		ok(0, "add user %s: %s", name, err.msg);
		return 0;
	}
	u.name = (char *)name;
	u.role = (char *)role;
	u.pw_hash = h;
	u.must_change = must_change;
	if (store_user_add(st, &u, &err) != 0) {
		ok(0, "add user %s: %s", name, err.msg);
		return 0;
	}
	return u.id;
}

static void test_roles(void)
{
	enum auth_role r = AUTH_NONE;
	struct horch_err err;

	is_int(auth_role_parse("viewer", &r, &err), 0, "role-1.1 viewer parses");
	is_int(r, AUTH_VIEWER, "role-1.2 to AUTH_VIEWER");
	is_int(auth_role_parse("admin", &r, &err), 0, "role-1.3 admin parses");
	is_int(r, AUTH_ADMIN, "role-1.4 to AUTH_ADMIN");
	auth_role_parse("agent", &r, &err);
	is_int(r, AUTH_AGENT, "role-1.5 agent");
	auth_role_parse("analyst", &r, &err);
	is_int(r, AUTH_ANALYST, "role-1.6 analyst");
	r = AUTH_VIEWER;
	is_int(auth_role_parse("Admin", &r, &err), HORCH_EINVAL, "role-1.7 exact lower case only");
	is_int(r, AUTH_VIEWER, "role-1.8 out untouched on failure");
	ok(strstr(err.msg, "viewer, agent, analyst, admin") != NULL,
	   "role-1.9 the message names the roles");
	is_int(auth_role_parse("none", &r, &err), HORCH_EINVAL, "role-1.10 none is not a role");
	is_int(auth_role_parse("", &r, &err), HORCH_EINVAL, "role-1.11 empty");
	is_int(auth_role_parse(NULL, &r, &err), HORCH_EINVAL, "role-1.12 NULL");
	is_str(auth_role_name(AUTH_ANALYST), "analyst", "role-1.13 name of analyst");
	is_str(auth_role_name(AUTH_NONE), "none", "role-1.14 name of none");
	ok(AUTH_VIEWER < AUTH_AGENT && AUTH_AGENT < AUTH_ANALYST && AUTH_ANALYST < AUTH_ADMIN,
	   "role-1.15 weakest first");
}

static void test_hash(void)
{
	char h[128], h2[128], pw[21];
	struct horch_err err;
	int rc;

	rc = auth_hash_password("correct horse battery", h, &err);
	is_int(rc, 0, "hash-1.1 a password hashes");
	ok(strncmp(h, "$argon2id$", 10) == 0, "hash-1.2 as Argon2id (%.20s)", h);
	is_int(crypto_pwhash_str_verify(h, "correct horse battery", 21), 0,
	       "hash-1.3 the hash verifies the password");
	ok(crypto_pwhash_str_verify(h, "correct horse batterx", 21) != 0,
	   "hash-1.4 and not another");
	auth_hash_password("correct horse battery", h2, &err);
	ok(strcmp(h, h2) != 0, "hash-1.5 salted: two hashes of one password differ");
	is_int(auth_hash_password("short", h, &err), HORCH_EINVAL, "hash-2.1 too short");
	is_int(auth_hash_password("123456789", h, &err), HORCH_EINVAL,
	       "hash-2.2 nine characters are too few");
	is_int(auth_hash_password("1234567890", h, &err), 0, "hash-2.3 ten are enough");
	/* Ten characters, twenty bytes: characters are counted, not bytes. */
	is_int(auth_hash_password("äöüäöüäöüä", h, &err), 0, "hash-2.4 ten umlauts are ten");
	is_int(auth_hash_password("äöüäö", h, &err), HORCH_EINVAL,
	       "hash-2.5 five umlauts (ten bytes) are five");
	is_int(auth_hash_password("abcdefghij\xff", h, &err), HORCH_EINVAL, "hash-2.6 not UTF-8");
	{
		char *big = malloc(AUTH_PASSWORD_MAX + 2);

		memset(big, 'x', AUTH_PASSWORD_MAX + 1);
		big[AUTH_PASSWORD_MAX + 1] = '\0';
		is_int(auth_hash_password(big, h, &err), HORCH_EINVAL, "hash-2.7 over the cap");
		big[AUTH_PASSWORD_MAX] = '\0';
		is_int(auth_hash_password(big, h, &err), 0, "hash-2.8 at the cap");
		free(big);
	}
	is_int(auth_hash_password(NULL, h, &err), HORCH_EINVAL, "hash-2.9 NULL");

	auth_random_password(pw);
	is_int((long long)strlen(pw), 20, "hash-3.1 a random password has 20 characters");
	is_int((long long)strspn(pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789"), 20, "hash-3.2 letters and digits");
	{
		char pw2[21];

		auth_random_password(pw2);
		ok(strcmp(pw, pw2) != 0, "hash-3.3 two differ");
	}
}

static void test_login(void)
{
	struct store *st = open_db("login.db");
	struct auth_session s;
	struct horch_err err;
	int retry = -1, rc;
	int64_t ada;

	ada = add_user(st, "ada", "analyst", "lovelace-1815", 0);
	ok(ada > 0, "login-1.0 user added");
	rc = auth_login(a, st, "ada", "lovelace-1815", "10.0.0.1", &s, &retry, &err);
	is_int(rc, 0, "login-1.1 the right password signs in");
	is_int(retry, 0, "login-1.2 no Retry-After");
	is_int((long long)strlen(s.id), AUTH_SECRET_LEN, "login-1.3 a 43-character cookie");
	is_int((long long)strspn(s.id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789-_"), AUTH_SECRET_LEN, "login-1.4 in base64url");
	is_int((long long)strlen(s.who.csrf), AUTH_SECRET_LEN, "login-1.5 a CSRF token");
	ok(strcmp(s.id, s.who.csrf) != 0, "login-1.6 which is not the cookie");
	is_str(s.who.name, "ada", "login-1.7 who: the name");
	is_int(s.who.role, AUTH_ANALYST, "login-1.8 who: the role");
	is_int(s.who.user_id, ada, "login-1.9 who: the user id");
	is_int(s.who.token_id, 0, "login-1.10 who: no token");
	{
		int64_t d = s.expires_at - horch_now();

		ok(d > 12 * HOUR - 60000 && d <= 12 * HOUR, "login-1.11 expires in 12 h (%lld ms)",
		   (long long)d);
	}
	{
		struct store_session row;

		is_int(store_session_get(st, s.id, &row, &err), HORCH_ENOTFOUND,
		       "login-1.12 the cookie itself is not stored");
		is_int(store_session_get(st, hash_of(s.id), &row, &err), 0,
		       "login-1.13 its hash is");
		is_str(row.csrf, s.who.csrf, "login-1.14 with the CSRF token");
		store_session_cleanup(&row);
	}
	is_int(auth_login(a, st, "ADA", "lovelace-1815", "10.0.0.1", &s, &retry, &err), 0,
	       "login-1.15 the name without regard to case");
	is_str(s.who.name, "ada", "login-1.16 who carries the stored name");

	rc = auth_login(a, st, "ada", "lovelace-1816", "10.0.0.1", &s, &retry, &err);
	is_int(rc, HORCH_EDENIED, "login-2.1 a wrong password is denied");
	is_str(err.msg, "wrong name or password", "login-2.2 without saying which");
	{
		struct horch_err err2;

		rc = auth_login(a, st, "bob", "lovelace-1815", "10.0.0.1", &s, &retry, &err2);
		is_int(rc, HORCH_EDENIED, "login-2.3 an unknown name is denied");
		is_str(err2.msg, err.msg, "login-2.4 with the same message");
	}
	is_int(auth_login(a, st, "", "x", "10.0.0.1", &s, &retry, &err), HORCH_EDENIED,
	       "login-2.5 an empty name");
	is_int(auth_login(a, st, NULL, NULL, NULL, &s, &retry, &err), HORCH_EDENIED,
	       "login-2.6 NULLs");
	/* The same Argon2id work for a name nobody has: the medians of three
	 * tries each are within a factor of two. */
	{
		int64_t known[3], unknown[3], t;

		for (int i = 0; i < 3; i++) {
			t = horch_mono_ns();
			auth_login(a, st, "ada", "wrong-password", "10.9.0.1", &s, &retry, &err);
			known[i] = horch_mono_ns() - t;
			t = horch_mono_ns();
			auth_login(a, st, "nobody-here", "wrong-password", "10.9.0.2", &s, &retry,
				   &err);
			unknown[i] = horch_mono_ns() - t;
		}
		for (int i = 0; i < 3; i++)
			for (int j = i + 1; j < 3; j++) {
				if (known[j] < known[i]) {
					t = known[i]; known[i] = known[j]; known[j] = t;
				}
				if (unknown[j] < unknown[i]) {
					t = unknown[i]; unknown[i] = unknown[j]; unknown[j] = t;
				}
			}
		ok(unknown[1] * 2 > known[1] && known[1] * 2 > unknown[1],
		   "login-2.7 an unknown name takes as long (%.1f ms against %.1f ms)",
		   unknown[1] / 1e6, known[1] / 1e6);
	}

	/* A disabled user cannot sign in; the store has no call to disable
	 * yet, so a user added disabled stands for one. */
	{
		struct store_user u = { 0 };
		char h[128];

		auth_hash_password("disabled-pass", h, &err);
		u.name = "eve";
		u.role = "viewer";
		u.pw_hash = h;
		u.disabled = 1;
		is_int(store_user_add(st, &u, &err), 0, "login-3.1 a disabled user added");
		is_int(auth_login(a, st, "eve", "disabled-pass", "10.0.0.3", &s, &retry, &err),
		       HORCH_EDENIED, "login-3.2 cannot sign in with the right password");
	}
	store_close(st);
}

static void test_rate_limit(void)
{
	struct store *st = open_db("limit.db");
	struct auth_session s;
	struct horch_err err;
	struct auth *b;
	int retry, rc, i;

	if (auth_new(&b, &err) != 0) {
		ok(0, "limit-0 auth_new: %s", err.msg);
		return;
	}
	add_user(st, "grace", "viewer", "hopper-1906", 0);
	add_user(st, "alan", "viewer", "turing-1912", 0);
	for (i = 0; i < 5; i++) {
		retry = -1;
		rc = auth_login(b, st, "grace", "bad-guess-01", "192.0.2.1", &s, &retry, &err);
		if (rc != HORCH_EDENIED)
			break;
	}
	is_int(i, 5, "limit-1.1 five failures are each denied");
	retry = 0;
	rc = auth_login(b, st, "grace", "hopper-1906", "192.0.2.1", &s, &retry, &err);
	is_int(rc, HORCH_ELIMIT, "limit-1.2 then even the right password is refused");
	/* 60 s from the fifth attempt's start, which was a verification
	 * ago (a second on a loaded machine). */
	ok(retry == 60 || retry == 59, "limit-1.3 with Retry-After 60 s (%d)", retry);
	ok(strstr(err.msg, "too many") != NULL, "limit-1.4 saying why (%s)", err.msg);
	/* The name is locked from any address, and the address for any name. */
	rc = auth_login(b, st, "Grace", "hopper-1906", "192.0.2.99", &s, &retry, &err);
	is_int(rc, HORCH_ELIMIT, "limit-1.5 the name is locked from another address, in any case");
	rc = auth_login(b, st, "alan", "turing-1912", "192.0.2.1", &s, &retry, &err);
	is_int(rc, HORCH_ELIMIT, "limit-1.6 the address is locked for another name");
	rc = auth_login(b, st, "alan", "turing-1912", "192.0.2.2", &s, &retry, &err);
	is_int(rc, 0, "limit-1.7 another name from another address signs in");
	rc = auth_login_token(b, st, "hct_whatever", "192.0.2.1", &s, &retry, &err);
	is_int(rc, HORCH_ELIMIT, "limit-1.8 a locked address cannot trade a token either");

	/* Four failures, a success, four more: the success cleared the count. */
	for (i = 0; i < 4; i++)
		auth_login(b, st, "alan", "bad-guess-02", "198.51.100.1", &s, &retry, &err);
	is_int(auth_login(b, st, "alan", "turing-1912", "198.51.100.1", &s, &retry, &err), 0,
	       "limit-2.1 four failures do not lock");
	for (i = 0; i < 4; i++)
		auth_login(b, st, "alan", "bad-guess-03", "198.51.100.1", &s, &retry, &err);
	is_int(auth_login(b, st, "alan", "turing-1912", "198.51.100.1", &s, &retry, &err), 0,
	       "limit-2.2 a success reset the count: four more do not lock either");
	/* Failures for names nobody has count too, per address. */
	for (i = 0; i < 5; i++)
		auth_login(b, st, i % 2 ? "x1" : "x2", "whatever-pw", "203.0.113.5", &s, &retry,
			   &err);
	is_int(auth_login(b, st, "alan", "turing-1912", "203.0.113.5", &s, &retry, &err),
	       HORCH_ELIMIT, "limit-2.3 unknown names lock the address");
	/* Other addresses than the ones used above fill the table beyond its
	 * slots without a crash, and the limits still hold for a fresh one. */
	{
		char client[32];
		struct auth_who who;

		for (i = 0; i < 5000; i++) {
			snprintf(client, sizeof client, "10.%d.%d.%d", i >> 16, (i >> 8) & 255,
				 i & 255);
			/* A token that is malformed costs no Argon2id. */
			auth_login_token(b, st, "hct_bad", client, &s, &retry, &err);
		}
		ok(auth_token_check(b, st, "hct_bad", &who, &err) == HORCH_EDENIED,
		   "limit-2.4 5000 addresses failed once each");
		for (i = 0; i < 5; i++)
			auth_login_token(b, st, "hct_bad", "2001:db8::1", &s, &retry, &err);
		is_int(auth_login_token(b, st, "hct_bad", "2001:db8::1", &s, &retry, &err),
		       HORCH_ELIMIT, "limit-2.5 a full table still locks an address");
	}
	auth_free(b);
	store_close(st);
}

/* One of the sign-ins test_parallel() sends at once. */
struct racer {
	pthread_t thread;
	struct store *st;
	struct auth *b;
	char client[32];
	int rc;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct auth_session s;
	struct horch_err err;
	int retry;

	r->rc = auth_login(r->b, r->st, "linus", "a-wrong-password", r->client, &s, &retry, &err);
	return NULL;
}

/* Eight wrong passwords for one name sent at once, from eight addresses:
 * at most five may be verified before the name is locked, however the
 * threads interleave. */
static void test_parallel(void)
{
	struct store *st = open_db("race.db");
	struct racer r[8];
	struct horch_err err;
	struct auth *b;
	int denied = 0, limited = 0;

	if (auth_new(&b, &err) != 0) {
		ok(0, "race-0 auth_new: %s", err.msg);
		return;
	}
	add_user(st, "linus", "viewer", "torvalds-1969", 0);
	store_close(st);
	for (int i = 0; i < 8; i++) {
		r[i].st = open_db("race.db");
		r[i].b = b;
		snprintf(r[i].client, sizeof r[i].client, "192.0.2.%d", 10 + i);
	}
	for (int i = 0; i < 8; i++)
		pthread_create(&r[i].thread, NULL, race, &r[i]);
	for (int i = 0; i < 8; i++) {
		pthread_join(r[i].thread, NULL);
		denied += r[i].rc == HORCH_EDENIED;
		limited += r[i].rc == HORCH_ELIMIT;
		store_close(r[i].st);
	}
	is_int(denied, 5, "race-1.1 eight at once: five are verified and denied");
	is_int(limited, 3, "race-1.2 three are refused by the limit");
	auth_free(b);
}

static void test_sessions(void)
{
	struct store *st = open_db("session.db");
	struct auth_session s, s2;
	struct auth_who who;
	struct store_session row;
	struct horch_err err;
	int retry;
	int64_t now;

	add_user(st, "ken", "agent", "thompson-43", 0);
	is_int(auth_login(a, st, "ken", "thompson-43", "127.0.0.1", &s, &retry, &err), 0,
	       "session-1.0 signed in");
	is_int(auth_session_check(a, st, s.id, &who, &err), 0, "session-1.1 the cookie checks");
	is_str(who.name, "ken", "session-1.2 who: the name");
	is_int(who.role, AUTH_AGENT, "session-1.3 who: the role");
	is_str(who.csrf, s.who.csrf, "session-1.4 who: the session's CSRF token");
	is_int(who.must_change_password, 0, "session-1.5 no password to change");
	is_int(auth_session_check(a, st, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &who, &err),
	       HORCH_EDENIED, "session-1.6 an unknown cookie is denied");
	is_int(auth_session_check(a, st, "x", &who, &err), HORCH_EDENIED,
	       "session-1.7 a malformed cookie");
	is_int(auth_session_check(a, st, NULL, &who, &err), HORCH_EDENIED, "session-1.8 NULL");
	is_int(who.role, AUTH_NONE, "session-1.9 who is nobody after a denial");

	/* Half its life left or more: no write. */
	now = horch_now();
	store_session_get(st, hash_of(s.id), &row, &err);
	{
		int64_t before = row.expires_at;

		store_session_cleanup(&row);
		auth_session_check(a, st, s.id, &who, &err);
		store_session_get(st, hash_of(s.id), &row, &err);
		is_int(row.expires_at, before, "session-2.1 a fresh session is not extended");
		store_session_cleanup(&row);
	}
	/* Less than half: moved to 12 h from now. */
	store_session_extend(st, hash_of(s.id), now + HOUR, &err);
	is_int(auth_session_check(a, st, s.id, &who, &err), 0, "session-2.2 still valid");
	store_session_get(st, hash_of(s.id), &row, &err);
	ok(row.expires_at >= now + 12 * HOUR && row.expires_at <= horch_now() + 12 * HOUR,
	   "session-2.3 slid to 12 h from now");
	store_session_cleanup(&row);
	/* Never beyond 7 days after the sign-in. */
	{
		struct store_session old = { 0 };
		char id[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

		old.hash = (char *)hash_of(id);
		old.user_id = who.user_id;
		old.csrf = "csrf-value";
		old.created_at = now - 7 * 24 * HOUR + 2 * HOUR;
		old.expires_at = now + HOUR;
		is_int(store_session_put(st, &old, &err), 0, "session-2.4 an old session stored");
		is_int(auth_session_check(a, st, id, &who, &err), 0, "session-2.5 still valid");
		store_session_get(st, hash_of(id), &row, &err);
		is_int(row.expires_at, old.created_at + 7 * 24 * HOUR,
		       "session-2.6 extended only to 7 days after the sign-in");
		store_session_cleanup(&row);
	}
	/* Expired: denied and removed. */
	store_session_extend(st, hash_of(s.id), now - 1, &err);
	is_int(auth_session_check(a, st, s.id, &who, &err), HORCH_EDENIED,
	       "session-3.1 an expired session is denied");
	is_str(err.msg, "the session has expired", "session-3.2 saying so");
	is_int(store_session_get(st, hash_of(s.id), &row, &err), HORCH_ENOTFOUND,
	       "session-3.3 and removed");

	/* Logout. */
	auth_login(a, st, "ken", "thompson-43", "127.0.0.1", &s, &retry, &err);
	auth_login(a, st, "ken", "thompson-43", "127.0.0.1", &s2, &retry, &err);
	is_int(auth_logout(a, st, s.id, &err), 0, "session-4.1 logout");
	is_int(auth_session_check(a, st, s.id, &who, &err), HORCH_EDENIED,
	       "session-4.2 the session is over");
	is_int(auth_session_check(a, st, s2.id, &who, &err), 0,
	       "session-4.3 the user's other session is not");
	is_int(auth_logout(a, st, s.id, &err), 0, "session-4.4 a second logout is no error");
	is_int(auth_logout(a, st, "junk", &err), 0, "session-4.5 nor is a malformed one");

	/* A removed user's sessions end with them. */
	is_int(store_user_delete(st, "KEN", &err), 0, "session-5.1 the user removed");
	is_int(store_session_get(st, hash_of(s2.id), &row, &err), HORCH_ENOTFOUND,
	       "session-5.2 and their sessions");
	is_int(auth_session_check(a, st, s2.id, &who, &err), HORCH_EDENIED,
	       "session-5.3 which sign nobody in");

	/* Expired sessions are purged at the next sign-in. */
	{
		struct store_session dead = { 0 };
		int64_t n = -1;

		add_user(st, "dmr", "viewer", "ritchie-1941", 0);
		auth_login(a, st, "dmr", "ritchie-1941", "127.0.0.1", &s, &retry, &err);
		dead.hash = "00ff";
		dead.user_id = s.who.user_id;
		dead.csrf = "c";
		dead.created_at = now - 2 * HOUR;
		dead.expires_at = now - HOUR;
		store_session_put(st, &dead, &err);
		auth_login(a, st, "dmr", "ritchie-1941", "127.0.0.1", &s, &retry, &err);
		is_int(store_session_get(st, "00ff", &row, &err), HORCH_ENOTFOUND,
		       "session-6.1 an expired session is purged by a sign-in");
		store_session_purge(st, horch_now(), &n, &err);
		is_int(n, 0, "session-6.2 nothing else was expired");
	}
	store_close(st);
}

static void test_tokens(void)
{
	struct store *st = open_db("token.db");
	char tok[AUTH_TOKEN_LEN + 1], tok2[AUTH_TOKEN_LEN + 1];
	struct auth_session s;
	struct auth_who who;
	struct store_token row;
	struct horch_err err;
	int64_t id = 0, id2 = 0;
	int retry;

	is_int(auth_token_create(st, AUTH_VIEWER, "wall 3", tok, &id, &err), 0,
	       "token-1.1 a viewer token created");
	ok(id > 0, "token-1.2 with an id");
	is_int((long long)strlen(tok), AUTH_TOKEN_LEN, "token-1.3 of 47 characters");
	ok(strncmp(tok, "hct_", 4) == 0, "token-1.4 starting hct_");
	is_int(store_token_get_by_hash(st, tok, &row, &err), HORCH_ENOTFOUND,
	       "token-1.5 the token itself is not stored");
	is_int(store_token_get_by_hash(st, hash_of(tok), &row, &err), 0, "token-1.6 its hash is");
	is_str(row.label, "wall 3", "token-1.7 with its label");
	is_str(row.role, "viewer", "token-1.8 and role");
	is_int(row.last_used_at, 0, "token-1.9 never used");
	store_token_cleanup(&row);

	is_int(auth_token_check(a, st, tok, &who, &err), 0, "token-2.1 the token checks");
	is_int(who.role, AUTH_VIEWER, "token-2.2 who: viewer");
	is_int(who.token_id, id, "token-2.3 who: the token id");
	is_int(who.user_id, 0, "token-2.4 who: no user");
	is_str(who.name, "wall 3", "token-2.5 who: the label");
	is_str(who.csrf, "", "token-2.6 who: no CSRF token");
	store_token_get_id(st, id, &row, &err);
	ok(row.last_used_at > 0, "token-2.7 last use recorded");
	store_token_cleanup(&row);
	tok[10] ^= 1;
	is_int(auth_token_check(a, st, tok, &who, &err), HORCH_EDENIED,
	       "token-2.8 one character off is denied");
	tok[10] ^= 1;
	is_int(auth_token_check(a, st, tok + 4, &who, &err), HORCH_EDENIED,
	       "token-2.9 without its prefix");
	is_int(auth_token_check(a, st, "", &who, &err), HORCH_EDENIED, "token-2.10 empty");
	is_int(auth_token_check(a, st, NULL, &who, &err), HORCH_EDENIED, "token-2.11 NULL");

	/* A wall screen trades its token for a session. */
	is_int(auth_login_token(a, st, tok, "10.1.1.1", &s, &retry, &err), 0,
	       "token-3.1 a token signs in");
	is_int(s.who.role, AUTH_VIEWER, "token-3.2 as a viewer");
	is_int(auth_session_check(a, st, s.id, &who, &err), 0, "token-3.3 its session checks");
	is_int(who.token_id + who.user_id, 0, "token-3.4 a session, of no user and no token");
	{
		struct store_session srow;

		store_session_get(st, hash_of(s.id), &srow, &err);
		is_int(srow.token_id, id, "token-3.4.1 stored as the token's");
		store_session_cleanup(&srow);
	}
	ok(who.csrf[0] != '\0', "token-3.5 a token's session has a CSRF token");
	is_int(auth_login_token(a, st, "hct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "10.1.1.1",
				&s, &retry, &err), HORCH_EDENIED,
	       "token-3.6 an unknown token does not");

	/* Revoked. */
	auth_token_create(st, AUTH_ANALYST, NULL, tok2, &id2, &err);
	is_int(auth_token_check(a, st, tok2, &who, &err), 0, "token-4.1 a second token");
	is_str(who.name, "token 2", "token-4.2 named by its id without a label");
	is_int(store_token_revoke(st, id, &err), 0, "token-4.3 the first revoked");
	is_int(auth_token_check(a, st, tok, &who, &err), HORCH_EDENIED,
	       "token-4.4 a revoked token is denied");
	is_int(auth_session_check(a, st, s.id, &who, &err), HORCH_EDENIED,
	       "token-4.5 and the session it bought ends");
	is_int(auth_login_token(a, st, tok, "10.1.1.2", &s, &retry, &err), HORCH_EDENIED,
	       "token-4.6 and it buys no new one");
	is_int(auth_token_check(a, st, tok2, &who, &err), 0, "token-4.7 the other still works");
	is_int(store_token_revoke(st, id, &err), 0, "token-4.8 revoking twice is no error");
	is_int(store_token_revoke(st, 99, &err), HORCH_ENOTFOUND, "token-4.9 an unknown id is");

	is_int(auth_token_create(st, AUTH_NONE, "x", tok, &id, &err), HORCH_EINVAL,
	       "token-5.1 a token needs a role");
	is_int(auth_token_create(st, AUTH_VIEWER, "a\nb", tok, &id, &err), HORCH_EINVAL,
	       "token-5.2 a label with a control character is refused");
	{
		char label[AUTH_NAME_MAX + 2];

		memset(label, 'l', sizeof label - 1);
		label[sizeof label - 1] = '\0';
		is_int(auth_token_create(st, AUTH_VIEWER, label, tok, &id, &err), HORCH_EINVAL,
		       "token-5.3 a label over 64 bytes is refused");
	}
	store_close(st);
}

static void test_csrf(void)
{
	struct auth_who who;

	memset(&who, 0, sizeof who);
	snprintf(who.csrf, sizeof who.csrf, "%s", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");
	is_int(auth_csrf_ok(&who, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"), 1,
	       "csrf-1.1 the same token passes");
	is_int(auth_csrf_ok(&who, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPq"), 0,
	       "csrf-1.2 the last character differs");
	is_int(auth_csrf_ok(&who, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"), 0,
	       "csrf-1.3 a prefix");
	is_int(auth_csrf_ok(&who, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR"), 0,
	       "csrf-1.4 one character more");
	is_int(auth_csrf_ok(&who, ""), 0, "csrf-1.5 empty");
	is_int(auth_csrf_ok(&who, NULL), 0, "csrf-1.6 NULL");
	who.csrf[0] = '\0';
	is_int(auth_csrf_ok(&who, ""), 0, "csrf-1.7 a token caller has no CSRF token to match");
	is_int(auth_csrf_ok(NULL, "x"), 0, "csrf-1.8 nobody");
}

static void test_password_change(void)
{
	struct store *st = open_db("passwd.db");
	struct auth_session s, other;
	struct auth_who who;
	struct horch_err err;
	char pw[21];
	int created = -1, retry;

	is_int(auth_first_run(st, pw, &created, &err), 0, "first-1.1 first run");
	is_int(created, 1, "first-1.2 creates the admin");
	is_int((long long)strlen(pw), 20, "first-1.3 with a 20-character password");
	{
		char pw2[21];
		int created2 = -1;

		is_int(auth_first_run(st, pw2, &created2, &err), 0, "first-1.4 a second run");
		is_int(created2, 0, "first-1.5 creates nobody");
		is_str(pw2, "", "first-1.6 and gives no password");
	}
	is_int(auth_login(a, st, "admin", pw, "::1", &s, &retry, &err), 0,
	       "first-2.1 the admin signs in with it");
	is_int(s.who.role, AUTH_ADMIN, "first-2.2 as admin");
	is_int(s.who.must_change_password, 1, "first-2.3 and must change the password");
	auth_login(a, st, "admin", pw, "::1", &other, &retry, &err);
	is_int(auth_session_check(a, st, s.id, &who, &err), 0, "first-2.4 the session checks");
	is_int(who.must_change_password, 1, "first-2.5 with must_change_password");

	is_int(auth_change_password(a, st, who.user_id, "wrong-old-pw", "new-password-1", s.id,
				    &err), HORCH_EDENIED, "passwd-1.1 a wrong old password");
	is_int(auth_change_password(a, st, who.user_id, pw, pw, s.id, &err), HORCH_EINVAL,
	       "passwd-1.2 the new one may not be the old one");
	is_int(auth_change_password(a, st, who.user_id, pw, "short", s.id, &err), HORCH_EINVAL,
	       "passwd-1.3 nor too short");
	is_int(auth_change_password(a, st, who.user_id, pw, "new-password-1", s.id, &err), 0,
	       "passwd-1.4 changed");
	is_int(auth_session_check(a, st, s.id, &who, &err), 0, "passwd-1.5 this session goes on");
	is_int(who.must_change_password, 0, "passwd-1.6 with nothing to change any more");
	is_int(auth_session_check(a, st, other.id, &who, &err), HORCH_EDENIED,
	       "passwd-1.7 the other session has ended");
	is_int(auth_login(a, st, "admin", pw, "::1", &s, &retry, &err), HORCH_EDENIED,
	       "passwd-1.8 the one-time password is gone");
	is_int(auth_login(a, st, "admin", "new-password-1", "::1", &s, &retry, &err), 0,
	       "passwd-1.9 the new one signs in");
	is_int(s.who.must_change_password, 0, "passwd-1.10 with nothing to change");
	/* Guessing the old password is rate limited: the wrong guesses lock. */
	for (int i = 0; i < 5; i++)
		auth_change_password(a, st, s.who.user_id, "guess-guess", "newer-password", NULL,
				     &err);
	is_int(auth_change_password(a, st, s.who.user_id, "new-password-1", "newer-password",
				    NULL, &err), HORCH_ELIMIT,
	       "passwd-2.1 five wrong old passwords lock the change");
	store_close(st);
}

static int count_user(void *ctx, const struct store_user *u)
{
	(void)u;
	(*(int *)ctx)++;
	return 0;
}

struct subs {
	char names[256];
};

static int collect_sub(void *ctx, int64_t id, const char *name)
{
	struct subs *s = ctx;
	size_t len = strlen(s->names);

	snprintf(s->names + len, sizeof s->names - len, "%s%s=%lld", len ? "," : "", name,
		 (long long)id);
	return 0;
}

static void test_store_users(void)
{
	struct store *st = open_db("users.db");
	struct store_user u = { 0 };
	struct store_topic t = { 0 };
	struct horch_err err;
	struct subs subs = { "" };
	int64_t n = -1, ada, t1, t2;
	int count = 0;

	store_user_count(st, &n, &err);
	is_int(n, 0, "user-1.1 no users at first");
	ada = add_user(st, "ada", "analyst", "lovelace-1815", 0);
	u.name = "Ada";
	u.role = "viewer";
	u.pw_hash = "$argon2id$x";
	is_int(store_user_add(st, &u, &err), HORCH_EEXIST, "user-1.2 names are unique in any case");
	is_str(err.msg, "a user named 'Ada' exists already", "user-1.3 saying so");
	u.name = "Àda";
	is_int(store_user_add(st, &u, &err), HORCH_EEXIST, "user-1.4 and without accents");
	u.name = "bob";
	u.role = "root";
	is_int(store_user_add(st, &u, &err), HORCH_EINVAL, "user-1.5 an unknown role");
	u.role = "viewer";
	u.name = "bob smith";
	is_int(store_user_add(st, &u, &err), HORCH_EINVAL, "user-1.6 a name with a blank");
	u.name = "-bob";
	is_int(store_user_add(st, &u, &err), HORCH_EINVAL, "user-1.7 a name starting with -");
	u.name = "";
	is_int(store_user_add(st, &u, &err), HORCH_EINVAL, "user-1.8 an empty name");
	u.name = "bob\xe2\x80\x8b";
	is_int(store_user_add(st, &u, &err), HORCH_EINVAL, "user-1.9 a zero width space");
	u.name = "bob";
	u.pw_hash = "";
	is_int(store_user_add(st, &u, &err), HORCH_EINVAL, "user-1.10 no hash");
	u.name = "x123456789x123456789x123456789x123456789x123456789x123456789xyzw";
	u.pw_hash = "h";
	is_int(store_user_add(st, &u, &err), 0, "user-1.11 a 64-byte name");
	u.name = "x123456789x123456789x123456789x123456789x123456789x123456789xyzwv";
	is_int(store_user_add(st, &u, &err), HORCH_EINVAL, "user-1.12 a 65-byte name");
	u.name = "Jürgen";
	is_int(store_user_add(st, &u, &err), 0, "user-1.13 a name with an umlaut");
	store_user_count(st, &n, &err);
	is_int(n, 3, "user-1.14 three users");
	store_user_list(st, count_user, &count, &err);
	is_int(count, 3, "user-1.15 three listed");
	is_int(store_user_get(st, "JURGEN", &u, &err), 0, "user-1.16 found by its key");
	is_str(u.name, "Jürgen", "user-1.17 with its name as given");
	store_user_cleanup(&u);
	is_int(store_user_get(st, "nobody", &u, &err), HORCH_ENOTFOUND, "user-1.18 unknown");
	is_int(store_user_get_id(st, 999, &u, &err), HORCH_ENOTFOUND, "user-1.19 unknown id");
	is_int(store_user_set_password(st, 999, "h", 0, &err), HORCH_ENOTFOUND,
	       "user-1.20 set password: unknown id");

	/* Subscriptions. */
	t.name = "battery";
	t.query = "battery";
	store_topic_add(st, &t, &err);
	t1 = t.id;
	t.name = "Korvo Pro 16";
	t.query = "korvo";
	store_topic_add(st, &t, &err);
	t2 = t.id;
	is_int(store_sub_add(st, ada, t2, &err), 0, "sub-1.1 subscribed");
	is_int(store_sub_add(st, ada, t1, &err), 0, "sub-1.2 to a second topic");
	is_int(store_sub_add(st, ada, t1, &err), 0, "sub-1.3 twice is once");
	store_sub_list(st, ada, collect_sub, &subs, &err);
	{
		char want[64];

		snprintf(want, sizeof want, "battery=%lld,Korvo Pro 16=%lld", (long long)t1,
			 (long long)t2);
		is_str(subs.names, want, "sub-1.4 listed in name order");
	}
	is_int(store_sub_add(st, ada, 999, &err), HORCH_ENOTFOUND, "sub-1.5 an unknown topic");
	is_str(err.msg, "no topic with id 999", "sub-1.6 named");
	is_int(store_sub_add(st, 999, t1, &err), HORCH_ENOTFOUND, "sub-1.7 an unknown user");
	is_str(err.msg, "no user with id 999", "sub-1.8 named");
	is_int(store_sub_delete(st, ada, t2, &err), 0, "sub-2.1 unsubscribed");
	is_int(store_sub_delete(st, ada, t2, &err), 0, "sub-2.2 twice is no error");
	subs.names[0] = '\0';
	store_sub_list(st, ada, collect_sub, &subs, &err);
	ok(strncmp(subs.names, "battery=", 8) == 0 && !strchr(subs.names, ','),
	   "sub-2.3 one left (%s)", subs.names);
	is_int(store_topic_delete(st, "battery", &err), 0, "sub-3.1 the topic deleted");
	subs.names[0] = '\0';
	store_sub_list(st, ada, collect_sub, &subs, &err);
	is_str(subs.names, "", "sub-3.2 its subscriptions with it");
	store_sub_add(st, ada, t2, &err);
	is_int(store_user_delete(st, "ada", &err), 0, "sub-3.3 the user removed");
	is_int(store_user_delete(st, "ada", &err), HORCH_ENOTFOUND, "sub-3.4 gone");
	subs.names[0] = '\0';
	store_sub_list(st, ada, collect_sub, &subs, &err);
	is_str(subs.names, "", "sub-3.5 their subscriptions with them");
	store_close(st);

	/* A read-only store refuses writes. */
	{
		struct store_opts ro = { .read_only = 1 };
		struct store *rs = NULL;

		store_open(&rs, tpath("users.db"), &ro, &err);
		u.name = "carol";
		u.role = "viewer";
		u.pw_hash = "h";
		is_int(rs ? store_user_add(rs, &u, &err) : -1, HORCH_ESTORE,
		       "user-2.1 read-only: no user added");
		store_close(rs);
	}
}

int main(void)
{
	const char *base = getenv("TMPDIR");
	struct horch_err err;

	snprintf(tmpdir, sizeof tmpdir, "%s/horch-test-auth-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	horch_log_level = LOG_ERROR;
	if (auth_new(&a, &err) != 0) {
		printf("Bail out! auth_new: %s\n", err.msg);
		return 1;
	}
	test_roles();
	test_hash();
	test_csrf();
	test_store_users();
	test_login();
	test_rate_limit();
	test_parallel();
	test_sessions();
	test_tokens();
	test_password_change();
	auth_free(a);
	remove_tmpdir();
	return tap_done();
}
