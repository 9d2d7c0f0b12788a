/* api_auth.c - signing in and out, who am I, my subscriptions and my
 * password over HTTP (the "Authentication" section of docs/http-api.md).
 *
 * The server has checked the caller, the role and the CSRF token of every
 * route here but POST /api/login before the handler runs (server.c); these
 * handlers only do the work, with the calls of auth.h.  A session is
 * answered with its cookie (HttpOnly, SameSite=Strict, Secure behind TLS:
 * http_set_session_cookie()) and its CSRF token in the body, which the
 * page sends back as X-CSRF-Token on every state-changing call.  A wrong
 * name or password answers 401 without saying which was wrong; too many
 * answer 429 with Retry-After. */
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "../core/log.h"
#include "../store/store.h"
#include "auth.h"
#include "http_int.h"

/* Append "user":{"name":...,"role":...},"csrf":...,"must_change_password":
 * of who to b (inside an object). */
static void who_json(struct buf *b, const struct auth_who *who)
{
	buf_puts(b, "\"user\":{\"name\":");
	http_json_str(b, who->name);
	buf_puts(b, ",\"role\":");
	http_json_str(b, auth_role_name(who->role));
	buf_puts(b, "},\"csrf\":");
	http_json_str(b, who->csrf);
	buf_printf(b, ",\"must_change_password\":%s",
		   who->must_change_password ? "true" : "false");
}

/* Is the media type of Content-Type value ct application/json (its
 * parameters, such as charset, aside; case does not matter)? */
static int is_json(const char *ct)
{
	size_t n = strcspn(ct, ";");

	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	while (n && (*ct == ' ' || *ct == '\t')) {
		ct++;
		n--;
	}
	return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

void api_login(struct http_req *rq, struct http_resp *rs)
{
	struct auth_session s;
	struct horch_err err;
	const char *name, *password, *token;
	struct store *st;
	json_t *root;
	int retry = 0, rc;

	horch_err_clear(&err);
	/* JSON only: a form of another site can send text/plain or a form
	 * encoding without asking the browser first, and must not sign
	 * anyone in (login CSRF). */
	if (!is_json(rq->content_type)) {
		http_error(rs, 415, "unsupported_media_type",
			   "send the sign-in as Content-Type: application/json");
		return;
	}
	if (!(root = http_body_object(rq, rs)))
		return;
	if (http_member(root, "name", &name, rs) || http_member(root, "password", &password, rs) ||
	    http_member(root, "token", &token, rs))
		goto out;
	if (!token && (!name || !password)) {
		http_error(rs, 400, "bad_request", "send {\"name\",\"password\"} or {\"token\"}");
		goto out;
	}
	if (!(st = http_store(rq, rs)))
		goto out;
	rc = token ? auth_login_token(http_auth(rq->srv), st, token, rq->client, &s, &retry, &err)
		   : auth_login(http_auth(rq->srv), st, name, password, rq->client, &s, &retry,
				&err);
	if (rc == HORCH_EDENIED) {
		http_error(rs, 401, "unauthorized", "%s", err.msg);
		goto out;
	}
	if (rc == HORCH_ELIMIT) {
		rs->retry_after = retry > 0 ? retry : 1;
		http_error(rs, 429, "rate_limited", "%s", err.msg);
		goto out;
	}
	if (rc) {
		http_error_err(rs, &err);
		goto out;
	}
	/* The browser's previous session, if it had one, ends: one cookie,
	 * one session. */
	if (rq->session && auth_logout(http_auth(rq->srv), st, rq->session, &err) != 0)
		horch_log(LOG_WARN, "http", "op=end_old_session error=\"%s\"", err.msg);
	horch_log(LOG_INFO, "http", "login=%s role=%s client=%s", token ? "token" : "password",
		  auth_role_name(s.who.role), rq->client);
	http_set_session_cookie(rq->srv, rs, s.id, s.expires_at);
	buf_reset(&rs->body);
	buf_putc(&rs->body, '{');
	who_json(&rs->body, &s.who);
	buf_putc(&rs->body, '}');
	rs->status = 200;
	memset(&s, 0, sizeof s);
out:
	json_decref(root);
}

void api_logout(struct http_req *rq, struct http_resp *rs)
{
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (!(st = http_store(rq, rs)))
		return;
	/* A Bearer caller has no session to end: nothing to do, and no
	 * error either. */
	if (rq->session && auth_logout(http_auth(rq->srv), st, rq->session, &err) != 0) {
		http_error_err(rs, &err);
		return;
	}
	if (rq->session)
		http_set_session_cookie(rq->srv, rs, "", 0);
	rs->status = 204;
}

/* The subscriptions as two arrays, names (the contract's) and ids. */
struct subs {
	struct buf names;
	struct buf ids;
	size_t n;
};

static int sub_one(void *ctx, int64_t topic_id, const char *topic_name)
{
	struct subs *s = ctx;

	if (s->n) {
		buf_putc(&s->names, ',');
		buf_putc(&s->ids, ',');
	}
	http_json_str(&s->names, topic_name ? topic_name : "");
	buf_printf(&s->ids, "%lld", (long long)topic_id);
	s->n++;
	return 0;
}

void api_me(struct http_req *rq, struct http_resp *rs)
{
	struct subs s = { .n = 0 };
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (!(st = http_store(rq, rs)))
		return;
	/* The store caps topics in the tens of thousands; a user follows a
	 * handful.  The caps only bound a response gone wrong. */
	buf_init(&s.names, 16u << 20);
	buf_init(&s.ids, 4u << 20);
	if (rq->who.user_id && store_sub_list(st, rq->who.user_id, sub_one, &s, &err) != 0) {
		http_error_err(rs, &err);
		goto out;
	}
	buf_reset(&rs->body);
	buf_putc(&rs->body, '{');
	who_json(&rs->body, &rq->who);
	buf_printf(&rs->body, ",\"subscriptions\":[%s],\"subscription_ids\":[%s]}",
		   s.names.ptr ? s.names.ptr : "", s.ids.ptr ? s.ids.ptr : "");
	rs->status = 200;
out:
	buf_cleanup(&s.names);
	buf_cleanup(&s.ids);
}

/* 403 for a caller that is no user (an API token, or a session a token
 * was traded for): it has no subscriptions and no password.  Returns 0
 * for a user. */
static int need_user(struct http_req *rq, struct http_resp *rs, const char *what)
{
	if (rq->who.user_id > 0)
		return 0;
	http_error(rs, 403, "forbidden", "an API token has no %s: sign in as a user", what);
	return -1;
}

/* PUT and DELETE /api/me/subscriptions/{topic id}. */
static void sub_change(struct http_req *rq, struct http_resp *rs, int add)
{
	struct horch_err err;
	struct store *st;
	int rc;

	horch_err_clear(&err);
	if (need_user(rq, rs, "subscriptions") || !(st = http_store(rq, rs)))
		return;
	if (rq->id <= 0) {
		http_error(rs, 404, "not_found", "no topic with id %lld", (long long)rq->id);
		return;
	}
	rc = add ? store_sub_add(st, rq->who.user_id, rq->id, &err)
		 : store_sub_delete(st, rq->who.user_id, rq->id, &err);
	if (rc) {
		http_error_err(rs, &err);
		return;
	}
	rs->status = 204;
}

void api_sub_put(struct http_req *rq, struct http_resp *rs)
{
	sub_change(rq, rs, 1);
}

void api_sub_delete(struct http_req *rq, struct http_resp *rs)
{
	sub_change(rq, rs, 0);
}

void api_me_password(struct http_req *rq, struct http_resp *rs)
{
	struct horch_err err;
	const char *old, *new_password;
	struct store *st;
	json_t *root = NULL;
	int rc;

	horch_err_clear(&err);
	if (need_user(rq, rs, "password"))
		return;
	if (!(root = http_body_object(rq, rs)))
		return;
	if (http_member(root, "old", &old, rs) || http_member(root, "new", &new_password, rs))
		goto out;
	if (!old || !new_password) {
		http_error(rs, 400, "bad_request", "send {\"old\",\"new\"}");
		goto out;
	}
	if (!(st = http_store(rq, rs)))
		goto out;
	/* The caller's own session goes on; every other one of the user's
	 * ends. */
	rc = auth_change_password(http_auth(rq->srv), st, rq->who.user_id, old, new_password,
				  rq->session, &err);
	if (rc == HORCH_EDENIED) {
		/* 403, not 401: the caller is signed in, and a page answered
		 * 401 sends its user to the sign-in page. */
		http_error(rs, 403, "forbidden", "%s", err.msg);
		goto out;
	}
	if (rc) {
		http_error_err(rs, &err);
		goto out;
	}
	horch_log(LOG_INFO, "http", "password_changed user_id=%lld", (long long)rq->who.user_id);
	rs->status = 204;
out:
	json_decref(root);
}
