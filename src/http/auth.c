/* auth.c - who is calling: passwords (Argon2id), sessions, API tokens,
 * roles, CSRF tokens and the login rate limit (auth.h).
 *
 * Secrets.  A session cookie, a CSRF token and the secret part of an API
 * token are 32 random bytes (randombytes_buf()) written in base64url
 * without padding: 43 characters.  The store keeps only the BLAKE2b-256
 * hash (hex) of a cookie or token, so whoever reads the database cannot
 * sign in with what is there; a secret that arrives is hashed and looked
 * up by its hash, which reveals nothing about near misses.  The CSRF token
 * is compared with sodium_memcmp().
 *
 * Passwords.  crypto_pwhash_str() with the interactive limits (Argon2id,
 * 64 MiB, about a tenth of a second on one core).  A sign-in with a name
 * nobody has still verifies the password against a dummy hash made at
 * auth_new(), so the time taken does not tell which names exist, and the
 * answer is the same HORCH_EDENIED either way.
 *
 * Rate limit.  In memory, per client address and per user name (by the
 * key names are unique by, so "ADA" counts against "ada"): LIMIT_FAILS
 * failures within LIMIT_WINDOW_MS lock the address or the name out for
 * LIMIT_LOCK_MS, doubled with each lock-out in a row up to
 * LIMIT_LOCK_MAX_MS; a successful sign-in clears both.  An attempt is
 * counted as it begins, before its password is verified, so that attempts
 * sent in parallel cannot pass the limit while the first of them are
 * still being verified; a success then takes its count back.  The table has a
 * fixed number of slots: when it is full, the slot least recently failed
 * that is not locked is given to the newcomer.  The keys are hashed with a
 * key drawn at start, so nobody can choose names that collide.
 *
 * Sessions last SESSION_IDLE_MS after their last use (checked and moved
 * forward when half of it has passed, so not every request writes) and at
 * most SESSION_MAX_MS after the sign-in.
 *
 * Threads: struct auth is shared; only its limiter changes after
 * auth_new(), under its mutex.  Each call uses the caller's own store. */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../core/utf8.h"
#include "../store/store.h"

#define LIMIT_FAILS 5u                       /* failures that lock */
#define LIMIT_WINDOW_MS (5 * 60 * 1000)      /* ... when within this time */
#define LIMIT_LOCK_MS (60 * 1000)            /* the first lock-out */
#define LIMIT_LOCK_MAX_MS (60 * 60 * 1000)   /* the longest lock-out */
#define LIMIT_FORGET_MS (24 * 60 * 60 * 1000) /* quiet this long: lock-outs forgotten */
#define LIMIT_SLOTS 4096u

#define SESSION_IDLE_MS ((int64_t)12 * 60 * 60 * 1000) /* 12 h after the last use */
#define SESSION_MAX_MS ((int64_t)7 * 24 * 60 * 60 * 1000) /* 7 d after the sign-in */

#define SECRET_BYTES 32u            /* random bytes of a secret */
#define HASH_HEX (2u * 32u + 1u)    /* a BLAKE2b-256 hash in hex, with its NUL */

/* One address or name that failed to sign in. */
struct limit_slot {
	uint64_t key;          /* keyed hash of "c" + address or "n" + name key; 0: free */
	int64_t window_start;  /* ms of the first failure counted in fails */
	int64_t last_fail;     /* ms of the last failure */
	int64_t locked_until;  /* ms; locked while now is before it */
	unsigned fails;        /* failures since window_start */
	unsigned lockouts;     /* lock-outs in a row: each doubles the next */
};

struct auth {
	pthread_mutex_t lock;                        /* guards slot[] */
	struct limit_slot slot[LIMIT_SLOTS];
	unsigned char key[crypto_generichash_KEYBYTES]; /* for the slot keys */
	char dummy_hash[crypto_pwhash_STRBYTES];     /* verified for unknown names */
};

const char *auth_role_name(enum auth_role r)
{
	switch (r) {
	case AUTH_VIEWER:
		return "viewer";
	case AUTH_AGENT:
		return "agent";
	case AUTH_ANALYST:
		return "analyst";
	case AUTH_ADMIN:
		return "admin";
	default:
		return "none";
	}
}

int auth_role_parse(const char *s, enum auth_role *out, struct horch_err *err)
{
	static const enum auth_role roles[] = { AUTH_VIEWER, AUTH_AGENT, AUTH_ANALYST,
						AUTH_ADMIN };

	for (size_t i = 0; s && i < sizeof roles / sizeof roles[0]; i++) {
		if (strcmp(s, auth_role_name(roles[i])) == 0) {
			*out = roles[i];
			return 0;
		}
	}
	return horch_err_set(err, HORCH_EINVAL, "unknown role '%.32s' (roles: viewer, agent, "
			     "analyst, admin)", s ? s : "");
}

/* The role named by the store's string (AUTH_NONE for anything else,
 * which signs nobody in). */
static enum auth_role role_of(const char *s)
{
	enum auth_role r;

	return s && auth_role_parse(s, &r, NULL) == 0 ? r : AUTH_NONE;
}

/* Make sure libsodium is initialised (sodium_init() is idempotent and
 * thread-safe), for the calls that a command line makes without an
 * auth_new().  Returns 0 or HORCH_EIO. */
static int sodium_ready(struct horch_err *err)
{
	if (sodium_init() < 0)
		return horch_err_set(err, HORCH_EIO, "auth: libsodium could not be initialised");
	return 0;
}

int auth_new(struct auth **out, struct horch_err *err)
{
	struct auth *a;
	char pw[21];

	horch_err_clear(err);
	if (sodium_ready(err) != 0)
		return HORCH_EIO;
	a = horch_xcalloc(1, sizeof *a);
	if (pthread_mutex_init(&a->lock, NULL) != 0) {
		free(a);
		return horch_err_set(err, HORCH_EIO, "auth: no mutex");
	}
	randombytes_buf(a->key, sizeof a->key);
	/* The dummy hash is of a password nobody knows, with the limits of
	 * every real one, so that verifying against it costs the same. */
	auth_random_password(pw);
	if (crypto_pwhash_str(a->dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		pthread_mutex_destroy(&a->lock);
		free(a);
		return horch_err_set(err, HORCH_EIO, "auth: out of memory for a password hash");
	}
	sodium_memzero(pw, sizeof pw);
	*out = a;
	return 0;
}

void auth_free(struct auth *a)
{
	if (!a)
		return;
	pthread_mutex_destroy(&a->lock);
	sodium_memzero(a->key, sizeof a->key);
	free(a);
}

/* ---- secrets ---- */

/* 32 random bytes in base64url without padding into out (43 characters
 * and a NUL). */
static void new_secret(char out[AUTH_SECRET_LEN + 1])
{
	unsigned char bin[SECRET_BYTES];

	randombytes_buf(bin, sizeof bin);
	sodium_bin2base64(out, AUTH_SECRET_LEN + 1, bin, sizeof bin,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(bin, sizeof bin);
}

/* Is s a secret as new_secret() writes them: exactly AUTH_SECRET_LEN
 * characters of the base64url alphabet?  Anything else is refused before
 * it is hashed or looked up. */
static int is_secret(const char *s)
{
	size_t i;

	for (i = 0; i < AUTH_SECRET_LEN; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return s[i] == '\0';
}

/* The hex BLAKE2b-256 hash of s into out: what the store keeps of a
 * cookie or token. */
static void hash_secret(const char *s, char out[HASH_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(out, HASH_HEX, h, sizeof h);
}

void auth_random_password(char out[21])
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	/* randombytes_uniform() has no modulo bias; it works even when
	 * sodium_init() failed (it then reads /dev/urandom itself), so the
	 * result of the initialisation does not matter here. */
	if (sodium_init() < 0)
		horch_log(LOG_WARN, "auth", "op=sodium_init failed=1");
	for (int i = 0; i < 20; i++)
		out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
	out[20] = '\0';
}

int auth_hash_password(const char *password, char out[128], struct horch_err *err)
{
	const unsigned char *u = (const unsigned char *)password;
	size_t len, i, chars = 0;

	horch_err_clear(err);
	if (!password)
		return horch_err_set(err, HORCH_EINVAL, "no password given");
	if (sodium_ready(err) != 0)
		return HORCH_EIO;
	len = strnlen(password, AUTH_PASSWORD_MAX + 1);
	if (len > AUTH_PASSWORD_MAX)
		return horch_err_set(err, HORCH_EINVAL, "the password is longer than %u bytes",
				     AUTH_PASSWORD_MAX);
	for (i = 0; i < len; chars++) {
		uint32_t cp;
		size_t n = horch_utf8_decode(u + i, len - i, &cp);

		if (n == 0)
			return horch_err_set(err, HORCH_EINVAL, "the password is not valid UTF-8");
		i += n;
	}
	if (chars < AUTH_PASSWORD_MIN)
		return horch_err_set(err, HORCH_EINVAL, "the password is shorter than %u "
				     "characters", AUTH_PASSWORD_MIN);
	if (crypto_pwhash_str(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return horch_err_set(err, HORCH_EIO, "out of memory for the password hash");
	return 0;
}

/* Does password match the Argon2id string hash?  Takes the time of one
 * Argon2id verification whatever the answer.  An over-long password is
 * checked against nothing and answers no. */
static int verify(const char *hash, const char *password)
{
	size_t len = strnlen(password, AUTH_PASSWORD_MAX + 1);

	if (len > AUTH_PASSWORD_MAX)
		return 0;
	return crypto_pwhash_str_verify(hash, password, len) == 0;
}

/* ---- the rate limit ---- */

/* The slot key of kind ('c' address, 'n' name) and s[0..len): the first
 * 8 bytes of a keyed BLAKE2b hash; never 0. */
static uint64_t limit_key(const struct auth *a, char kind, const char *s, size_t len)
{
	crypto_generichash_state st;
	unsigned char h[crypto_generichash_BYTES_MIN];
	uint64_t k;

	crypto_generichash_init(&st, a->key, sizeof a->key, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)&kind, 1);
	crypto_generichash_update(&st, (const unsigned char *)s, len);
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(&k, h, sizeof k);
	return k ? k : 1;
}

/* The key of the user name name: by the key names are unique by
 * (store_topic_name_key(): case folded, accents removed), so that every
 * spelling of one name shares its count. */
static uint64_t name_key(const struct auth *a, const char *name)
{
	size_t len = strnlen(name, AUTH_NAME_MAX + 1);
	struct buf b;
	uint64_t k;

	buf_init(&b, 4 * AUTH_NAME_MAX + 64);
	if (len <= AUTH_NAME_MAX && store_user_name_problem(name) == NULL &&
	    store_topic_name_key(&b, name, len) == 0 && b.ptr)
		k = limit_key(a, 'n', b.ptr, b.len);
	else
		k = limit_key(a, 'n', name, len);
	buf_cleanup(&b);
	return k;
}

/* The slot of key, or NULL.  Called with the lock held. */
static struct limit_slot *limit_find(struct auth *a, uint64_t key)
{
	for (size_t i = 0; i < LIMIT_SLOTS; i++)
		if (a->slot[i].key == key)
			return &a->slot[i];
	return NULL;
}

/* Seconds (at least 1) until the lock of key ends, or 0 when it is not
 * locked.  Called with the lock held. */
static int limit_locked(struct auth *a, uint64_t key, int64_t now)
{
	struct limit_slot *s = limit_find(a, key);

	if (s && s->locked_until > now)
		return (int)((s->locked_until - now + 999) / 1000);
	return 0;
}

/* Count a failure of key at now; lock it when it is the LIMIT_FAILS-th
 * within the window.  Returns the seconds of a lock it started, or 0.
 * Called with the lock held. */
static int limit_fail(struct auth *a, uint64_t key, int64_t now)
{
	struct limit_slot *s = limit_find(a, key);
	int secs = 0;

	if (!s) {
		struct limit_slot *victim = NULL;

		/* A free slot, else the one failed longest ago that is not
		 * locked, else the one whose lock ends first. */
		for (size_t i = 0; i < LIMIT_SLOTS; i++) {
			struct limit_slot *c = &a->slot[i];

			if (!c->key) {
				victim = c;
				break;
			}
			if (!victim || (c->locked_until <= now && (victim->locked_until > now ||
								   c->last_fail < victim->last_fail)) ||
			    (c->locked_until > now && victim->locked_until > now &&
			     c->locked_until < victim->locked_until))
				victim = c;
		}
		s = victim;
		memset(s, 0, sizeof *s);
		s->key = key;
	}
	if (s->last_fail && now - s->last_fail > LIMIT_FORGET_MS)
		s->lockouts = 0;
	if (!s->fails || now - s->window_start > LIMIT_WINDOW_MS) {
		s->window_start = now;
		s->fails = 0;
	}
	s->last_fail = now;
	if (++s->fails >= LIMIT_FAILS) {
		int64_t ms = LIMIT_LOCK_MS;

		for (unsigned i = 0; i < s->lockouts && ms < LIMIT_LOCK_MAX_MS; i++)
			ms *= 2;
		if (ms > LIMIT_LOCK_MAX_MS)
			ms = LIMIT_LOCK_MAX_MS;
		s->locked_until = now + ms;
		s->lockouts++;
		s->fails = 0;
		secs = (int)(ms / 1000);
	}
	return secs;
}

/* Before an attempt to sign in from ckey for the name nkey (0: no name):
 * HORCH_ELIMIT with *retry_after (may be NULL) set when either is locked.
 * Else the attempt is counted as a failure of both at once, under one
 * lock, before the password is verified: attempts sent in parallel cannot
 * slip past the limit while the first ones are still being verified.  A
 * success then clears the count (limit_reset()).  Returns 0 or
 * HORCH_ELIMIT. */
static int begin_attempt(struct auth *a, uint64_t ckey, uint64_t nkey, int *retry_after,
			 struct horch_err *err)
{
	int64_t now = horch_now();
	int secs, n;

	pthread_mutex_lock(&a->lock);
	secs = limit_locked(a, ckey, now);
	if (nkey && (n = limit_locked(a, nkey, now)) > secs)
		secs = n;
	if (!secs) {
		limit_fail(a, ckey, now);
		if (nkey)
			limit_fail(a, nkey, now);
	}
	pthread_mutex_unlock(&a->lock);
	if (!secs)
		return 0;
	if (retry_after)
		*retry_after = secs;
	return horch_err_set(err, HORCH_ELIMIT, "too many failed sign-ins; try again in %d s",
			     secs);
}

/* Forget the failures of key (a sign-in succeeded). */
static void limit_reset(struct auth *a, uint64_t key)
{
	struct limit_slot *s;

	pthread_mutex_lock(&a->lock);
	if ((s = limit_find(a, key)) != NULL)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&a->lock);
}

/* ---- sessions ---- */

/* Fill who from the user u (a session's csrf is the caller's). */
static void who_of_user(const struct store_user *u, struct auth_who *who)
{
	memset(who, 0, sizeof *who);
	who->user_id = u->id;
	snprintf(who->name, sizeof who->name, "%s", u->name ? u->name : "");
	who->role = role_of(u->role);
	who->must_change_password = u->must_change != 0;
}

/* Fill who from the token t: its label, or "token N" when it has none. */
static void who_of_token(const struct store_token *t, struct auth_who *who)
{
	memset(who, 0, sizeof *who);
	who->token_id = t->id;
	if (t->label && *t->label)
		snprintf(who->name, sizeof who->name, "%s", t->label);
	else
		snprintf(who->name, sizeof who->name, "token %lld", (long long)t->id);
	who->role = role_of(t->role);
}

/* Start a session for who (a user's or a token's, who->user_id or
 * who->token_id set): store its hash and fill out.  Expired sessions are
 * purged on the way, so the table does not grow with abandoned ones.
 * Returns 0 or the store's error. */
static int session_start(struct store *st, const struct auth_who *who,
			 struct auth_session *out, struct horch_err *err)
{
	struct store_session s = { 0 };
	char hash[HASH_HEX];
	int64_t now = horch_now();
	int rc;

	memset(out, 0, sizeof *out);
	out->who = *who;
	new_secret(out->id);
	new_secret(out->who.csrf);
	hash_secret(out->id, hash);
	s.hash = hash;
	s.user_id = who->user_id;
	s.token_id = who->token_id;
	s.csrf = out->who.csrf;
	s.created_at = now;
	s.expires_at = now + SESSION_IDLE_MS;
	if ((rc = store_session_put(st, &s, err)) != 0) {
		sodium_memzero(out, sizeof *out);
		return rc;
	}
	out->expires_at = s.expires_at;
	/* A session is no token (auth.h: token_id is 0 for a session), also
	 * when a token bought it: the server asks a cookie's caller for the
	 * CSRF token by that, and a cookie is what a forged request from
	 * another site would carry. */
	out->who.token_id = 0;
	if (store_session_purge(st, now, NULL, NULL) != 0)
		horch_log(LOG_WARN, "auth", "op=purge_sessions failed=1");
	return 0;
}

/* Answer a refused sign-in from client (begin_attempt() has counted it):
 * log it, with the lock it started if it did, and say HORCH_EDENIED. */
static int refuse(struct auth *a, uint64_t ckey, uint64_t nkey, const char *client,
		  struct horch_err *err)
{
	int64_t now = horch_now();
	int locked, n;

	pthread_mutex_lock(&a->lock);
	locked = limit_locked(a, ckey, now);
	if (nkey && (n = limit_locked(a, nkey, now)) > locked)
		locked = n;
	pthread_mutex_unlock(&a->lock);
	if (locked)
		horch_log(LOG_WARN, "auth", "client=%s login=denied locked_s=%d "
			  "reason=failed_logins", client, locked);
	else
		horch_log(LOG_INFO, "auth", "client=%s login=denied", client);
	return horch_err_set(err, HORCH_EDENIED, "wrong name or password");
}

int auth_login(struct auth *a, struct store *st, const char *name, const char *password,
	       const char *client, struct auth_session *out, int *retry_after,
	       struct horch_err *err)
{
	struct store_user u = { 0 };
	uint64_t ckey, nkey;
	struct horch_err lerr;
	int rc, good;

	horch_err_clear(err);
	if (retry_after)
		*retry_after = 0;
	if (!client)
		client = "";
	if (!name)
		name = "";
	if (!password)
		password = "";
	ckey = limit_key(a, 'c', client, strnlen(client, 256));
	nkey = name_key(a, name);
	if ((rc = begin_attempt(a, ckey, nkey, retry_after, err)) != 0)
		return rc;
	rc = strnlen(name, AUTH_NAME_MAX + 1) <= AUTH_NAME_MAX && *name
		     ? store_user_get(st, name, &u, &lerr)
		     : HORCH_ENOTFOUND;
	if (rc != 0 && rc != HORCH_ENOTFOUND) {
		*err = lerr;
		return rc;
	}
	/* The same work whether the name exists or not. */
	good = verify(rc == 0 ? u.pw_hash : a->dummy_hash, password);
	if (rc != 0 || !good || u.disabled || role_of(u.role) == AUTH_NONE) {
		store_user_cleanup(&u);
		return refuse(a, ckey, nkey, client, err);
	}
	limit_reset(a, ckey);
	limit_reset(a, nkey);
	/* A hash made with weaker limits than today's is made again now that
	 * the password is at hand. */
	if (crypto_pwhash_str_needs_rehash(u.pw_hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					   crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		char h[128];

		if (auth_hash_password(password, h, &lerr) == 0 &&
		    store_user_set_password(st, u.id, h, u.must_change, &lerr) == 0)
			horch_log(LOG_INFO, "auth", "user_id=%lld rehashed=1", (long long)u.id);
	}
	{
		struct auth_who who;

		who_of_user(&u, &who);
		rc = session_start(st, &who, out, err);
	}
	store_user_cleanup(&u);
	return rc;
}

int auth_login_token(struct auth *a, struct store *st, const char *token, const char *client,
		     struct auth_session *out, int *retry_after, struct horch_err *err)
{
	struct auth_who who;
	uint64_t ckey;
	struct horch_err lerr;
	int rc;

	horch_err_clear(err);
	if (retry_after)
		*retry_after = 0;
	if (!client)
		client = "";
	ckey = limit_key(a, 'c', client, strnlen(client, 256));
	if ((rc = begin_attempt(a, ckey, 0, retry_after, err)) != 0)
		return rc;
	rc = auth_token_check(a, st, token, &who, &lerr);
	if (rc == HORCH_EDENIED) {
		refuse(a, ckey, 0, client, err);
		return horch_err_set(err, HORCH_EDENIED, "unknown or revoked token");
	}
	if (rc) {
		*err = lerr;
		return rc;
	}
	limit_reset(a, ckey);
	return session_start(st, &who, out, err);
}

int auth_session_check(struct auth *a, struct store *st, const char *id,
		       struct auth_who *out, struct horch_err *err)
{
	struct store_session s = { 0 };
	char hash[HASH_HEX];
	int64_t now = horch_now();
	struct horch_err lerr;
	int rc;

	(void)a;
	horch_err_clear(err);
	memset(out, 0, sizeof *out);
	if (!id || !is_secret(id))
		return horch_err_set(err, HORCH_EDENIED, "not signed in");
	hash_secret(id, hash);
	rc = store_session_get(st, hash, &s, &lerr);
	if (rc == HORCH_ENOTFOUND)
		return horch_err_set(err, HORCH_EDENIED, "not signed in");
	if (rc) {
		*err = lerr;
		return rc;
	}
	if (s.expires_at <= now) {
		store_session_delete(st, hash, NULL);
		rc = horch_err_set(err, HORCH_EDENIED, "the session has expired");
		goto out;
	}
	if (s.user_id) {
		struct store_user u;

		rc = store_user_get_id(st, s.user_id, &u, &lerr);
		if (rc == 0 && (u.disabled || role_of(u.role) == AUTH_NONE))
			rc = HORCH_ENOTFOUND;
		if (rc == 0)
			who_of_user(&u, out);
		store_user_cleanup(&u);
	} else {
		struct store_token t;

		rc = store_token_get_id(st, s.token_id, &t, &lerr);
		if (rc == 0 && (t.revoked_at || role_of(t.role) == AUTH_NONE))
			rc = HORCH_ENOTFOUND;
		if (rc == 0) {
			who_of_token(&t, out);
			out->token_id = 0; /* a session: see session_start() */
		}
		store_token_cleanup(&t);
	}
	if (rc == HORCH_ENOTFOUND) {
		store_session_delete(st, hash, NULL);
		memset(out, 0, sizeof *out);
		rc = horch_err_set(err, HORCH_EDENIED, "not signed in");
		goto out;
	}
	if (rc) {
		*err = lerr;
		memset(out, 0, sizeof *out);
		goto out;
	}
	snprintf(out->csrf, sizeof out->csrf, "%s", s.csrf ? s.csrf : "");
	/* Slide the expiry once half the idle time has passed, never past
	 * the longest life of a session. */
	if (s.expires_at - now < SESSION_IDLE_MS / 2) {
		int64_t until = now + SESSION_IDLE_MS;

		if (until > s.created_at + SESSION_MAX_MS)
			until = s.created_at + SESSION_MAX_MS;
		if (until > s.expires_at && store_session_extend(st, hash, until, &lerr) != 0)
			horch_log(LOG_WARN, "auth", "op=extend_session error=\"%s\"", lerr.msg);
	}
	rc = 0;
out:
	store_session_cleanup(&s);
	return rc;
}

int auth_token_check(struct auth *a, struct store *st, const char *token,
		     struct auth_who *out, struct horch_err *err)
{
	struct store_token t = { 0 };
	char hash[HASH_HEX];
	struct horch_err lerr;
	int64_t now = horch_now();
	int rc;

	(void)a;
	horch_err_clear(err);
	memset(out, 0, sizeof *out);
	if (!token || strncmp(token, AUTH_TOKEN_PREFIX, 4) != 0 || !is_secret(token + 4))
		return horch_err_set(err, HORCH_EDENIED, "unknown or revoked token");
	hash_secret(token, hash);
	rc = store_token_get_by_hash(st, hash, &t, &lerr);
	if (rc == 0 && (t.revoked_at || role_of(t.role) == AUTH_NONE))
		rc = HORCH_ENOTFOUND;
	if (rc == HORCH_ENOTFOUND) {
		rc = horch_err_set(err, HORCH_EDENIED, "unknown or revoked token");
		goto out;
	}
	if (rc) {
		*err = lerr;
		goto out;
	}
	who_of_token(&t, out);
	/* last_used_at to the minute: a script calling every second does not
	 * write every second. */
	if (now - t.last_used_at >= 60 * 1000 && store_token_touch(st, t.id, now, &lerr) != 0)
		horch_log(LOG_WARN, "auth", "op=touch_token error=\"%s\"", lerr.msg);
out:
	store_token_cleanup(&t);
	return rc;
}

int auth_logout(struct auth *a, struct store *st, const char *id, struct horch_err *err)
{
	char hash[HASH_HEX];

	(void)a;
	horch_err_clear(err);
	if (!id || !is_secret(id))
		return 0;
	hash_secret(id, hash);
	return store_session_delete(st, hash, err);
}

int auth_csrf_ok(const struct auth_who *who, const char *given)
{
	size_t len;

	if (!who || !given || !*given || !who->csrf[0])
		return 0;
	len = strlen(who->csrf);
	if (strnlen(given, len + 1) != len)
		return 0;
	return sodium_memcmp(who->csrf, given, len) == 0;
}

int auth_change_password(struct auth *a, struct store *st, int64_t user_id, const char *old,
			 const char *new_password, const char *keep_id, struct horch_err *err)
{
	struct store_user u = { 0 };
	char h[128], keep[HASH_HEX];
	uint64_t nkey;
	int rc;

	horch_err_clear(err);
	if ((rc = store_user_get_id(st, user_id, &u, err)) != 0)
		return rc;
	/* Guessing the old password through a stolen session is limited
	 * like guessing it at the sign-in. */
	nkey = name_key(a, u.name);
	if ((rc = begin_attempt(a, nkey, 0, NULL, err)) != 0)
		goto out;
	if (!old || !verify(u.pw_hash, old)) {
		horch_log(LOG_WARN, "auth", "user_id=%lld password_change=denied", (long long)user_id);
		rc = horch_err_set(err, HORCH_EDENIED, "the old password is wrong");
		goto out;
	}
	limit_reset(a, nkey);
	if (new_password && strcmp(old, new_password) == 0) {
		rc = horch_err_set(err, HORCH_EINVAL, "the new password is the old one");
		goto out;
	}
	if ((rc = auth_hash_password(new_password, h, err)) != 0)
		goto out;
	if ((rc = store_user_set_password(st, user_id, h, 0, err)) != 0)
		goto out;
	if (keep_id && is_secret(keep_id))
		hash_secret(keep_id, keep);
	rc = store_session_delete_user(st, user_id, keep_id && is_secret(keep_id) ? keep : NULL,
				       err);
out:
	store_user_cleanup(&u);
	return rc;
}

int auth_token_create(struct store *st, enum auth_role role, const char *label,
		      char token_out[AUTH_TOKEN_LEN + 1], int64_t *id_out, struct horch_err *err)
{
	struct store_token t = { 0 };
	char hash[HASH_HEX];
	int rc;

	horch_err_clear(err);
	if (role < AUTH_VIEWER || role > AUTH_ADMIN)
		return horch_err_set(err, HORCH_EINVAL, "a token needs a role");
	if (sodium_ready(err) != 0)
		return HORCH_EIO;
	if (label && strnlen(label, AUTH_NAME_MAX + 1) > AUTH_NAME_MAX)
		return horch_err_set(err, HORCH_EINVAL, "the token's label is longer than %u bytes",
				     AUTH_NAME_MAX);
	memcpy(token_out, AUTH_TOKEN_PREFIX, 4);
	new_secret(token_out + 4);
	hash_secret(token_out, hash);
	t.hash = hash;
	t.role = (char *)auth_role_name(role);
	t.label = (char *)(label ? label : "");
	if ((rc = store_token_add(st, &t, err)) != 0) {
		sodium_memzero(token_out, AUTH_TOKEN_LEN + 1);
		return rc;
	}
	if (id_out)
		*id_out = t.id;
	return 0;
}

int auth_first_run(struct store *st, char password_out[21], int *created,
		   struct horch_err *err)
{
	struct store_user u = { 0 };
	char h[128];
	int64_t n = 0;
	int rc;

	horch_err_clear(err);
	*created = 0;
	password_out[0] = '\0';
	if ((rc = store_user_count(st, &n, err)) != 0 || n > 0)
		return rc;
	auth_random_password(password_out);
	if ((rc = auth_hash_password(password_out, h, err)) != 0)
		goto fail;
	u.name = "admin";
	u.role = "admin";
	u.pw_hash = h;
	u.must_change = 1;
	rc = store_user_add(st, &u, err);
	if (rc == HORCH_EEXIST) {
		/* Another process made the first user meanwhile. */
		horch_err_clear(err);
		rc = 0;
		goto fail;
	}
	if (rc)
		goto fail;
	*created = 1;
	return 0;
fail:
	sodium_memzero(password_out, 21);
	return rc;
}
