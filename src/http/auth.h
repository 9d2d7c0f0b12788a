/* auth.h - who is calling: users, passwords, sessions, API tokens, roles,
 * CSRF tokens and the login rate limit of `horch serve`.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, the
 * interactive limits); session cookies and API tokens are 256-bit random
 * secrets of which the store keeps only a BLAKE2b hash, so a copy of the
 * database signs nobody in.  Every comparison of a secret with a stored
 * value is constant-time (sodium_memcmp) or a lookup by hash.
 *
 * Roles, weakest first: viewer (read), agent (+ own subscriptions),
 * analyst (+ topics, ingest), admin (+ users, tokens).
 *
 * Threads: struct auth is shared by every HTTP thread (its rate limiter has
 * a lock); each call takes the caller's own struct store. */
#ifndef HORCH_AUTH_H
#define HORCH_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

struct store;

enum auth_role {
	AUTH_NONE = 0,     /* not signed in */
	AUTH_VIEWER = 1,
	AUTH_AGENT = 2,
	AUTH_ANALYST = 3,
	AUTH_ADMIN = 4,
};

#define AUTH_NAME_MAX 64u       /* bytes of a user name */
#define AUTH_PASSWORD_MIN 10u   /* characters of a password, at least */
#define AUTH_PASSWORD_MAX 1024u /* bytes of a password, at most */
#define AUTH_SECRET_LEN 43u     /* chars of a session id or CSRF token (base64url of 32 bytes) */
#define AUTH_TOKEN_PREFIX "hct_"
#define AUTH_TOKEN_LEN (4u + AUTH_SECRET_LEN) /* chars of an API token */

/* "viewer", "agent", "analyst", "admin" ("none" for AUTH_NONE). */
const char *auth_role_name(enum auth_role r);
/* Parse a role name (exact, lower case).  Returns 0 or HORCH_EINVAL naming
 * the roles. */
int auth_role_parse(const char *s, enum auth_role *out, struct horch_err *err);

/* Who a request comes from. */
struct auth_who {
	int64_t user_id;                 /* 0 for an API token */
	int64_t token_id;                /* 0 for a session */
	char name[AUTH_NAME_MAX + 1];    /* the user's name, or the token's label */
	enum auth_role role;
	char csrf[AUTH_SECRET_LEN + 1];  /* the session's CSRF token; "" for a token */
	int must_change_password;        /* 1: the first-run admin's one-time password is
					  * still in use: only /api/me/password and
					  * /api/logout are allowed */
};

/* A new session: the cookie value to send (never stored) and who it is. */
struct auth_session {
	char id[AUTH_SECRET_LEN + 1];   /* the cookie value */
	struct auth_who who;
	int64_t expires_at;             /* ms UTC */
};

struct auth;

/* Initialise libsodium and the rate limiter.  Returns 0 and sets *out, or
 * HORCH_EIO. */
int auth_new(struct auth **out, struct horch_err *err);
void auth_free(struct auth *a); /* NULL-safe */

/* Hash password (Argon2id) into out (a NUL-terminated string of at most
 * 128 bytes).  Returns 0, HORCH_EINVAL (too short, too long, not UTF-8) or
 * HORCH_EIO (out of memory for the hash). */
int auth_hash_password(const char *password, char out[128], struct horch_err *err);

/* A random password for the first-run admin: 20 characters, letters and
 * digits. */
void auth_random_password(char out[21]);

/* Sign in by name and password from client (the peer address, for the rate
 * limit).  Returns 0 with *out filled (a session stored), HORCH_EDENIED
 * (wrong name or password: the message does not say which), or
 * HORCH_ELIMIT (too many failures from client or for name within the
 * window; *retry_after set to seconds). */
int auth_login(struct auth *a, struct store *st, const char *name, const char *password,
	       const char *client, struct auth_session *out, int *retry_after,
	       struct horch_err *err);

/* Sign in with an API token (a wall screen trades its viewer token for a
 * session cookie): as auth_login(). */
int auth_login_token(struct auth *a, struct store *st, const char *token, const char *client,
		     struct auth_session *out, int *retry_after, struct horch_err *err);

/* Who the session cookie value id belongs to.  Returns 0 with *out filled
 * (and the session's expiry extended when it is past half its life), or
 * HORCH_EDENIED (unknown or expired). */
int auth_session_check(struct auth *a, struct store *st, const char *id,
		       struct auth_who *out, struct horch_err *err);

/* Who the API token (the Bearer value) belongs to: as auth_session_check(). */
int auth_token_check(struct auth *a, struct store *st, const char *token,
		     struct auth_who *out, struct horch_err *err);

/* End the session id (no error when it is unknown). */
int auth_logout(struct auth *a, struct store *st, const char *id, struct horch_err *err);

/* Constant-time: does the CSRF header value given equal who->csrf?  0 for
 * a token (no CSRF token) or a NULL/empty given. */
int auth_csrf_ok(const struct auth_who *who, const char *given);

/* Change the password of user_id after checking old (HORCH_EDENIED when
 * wrong; HORCH_ELIMIT after too many wrong ones, as auth_login());
 * clears must_change_password and ends the user's other sessions: every
 * one but the session whose cookie value is keep_id (NULL: all of them).
 * Returns 0 or an error (HORCH_EINVAL: the new password is not valid or is
 * the old one). */
int auth_change_password(struct auth *a, struct store *st, int64_t user_id, const char *old,
			 const char *new_password, const char *keep_id, struct horch_err *err);

/* Create an API token of role for label (NULL or "" for none; at most
 * AUTH_NAME_MAX bytes): the token, AUTH_TOKEN_LEN characters to show once
 * (the store keeps only its hash), into token_out and its id into *id_out
 * (may be NULL).  Returns 0, HORCH_EINVAL (role AUTH_NONE, a label that is
 * not valid) or HORCH_ESTORE. */
int auth_token_create(struct store *st, enum auth_role role, const char *label,
		      char token_out[AUTH_TOKEN_LEN + 1], int64_t *id_out, struct horch_err *err);

/* The daemon's first run: when the store has no user at all, create
 * "admin" (role admin, must change the password) with a random password,
 * written into password_out for the caller to print once, and set
 * *created to 1; otherwise *created is 0 and password_out "".  Returns 0
 * or an error of the store. */
int auth_first_run(struct store *st, char password_out[21], int *created,
		   struct horch_err *err);

#endif
