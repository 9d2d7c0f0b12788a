# auth.sh - signing in to horch serve as a browser does: the first-run
# admin and its one-time password, sessions and their cookie, what each
# role may do through a session, CSRF, a wall screen trading its token for
# a session, password changes, logout and the login rate limit.  The same
# checks through API tokens (Bearer) are in serve.sh.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || skip_all "curl is not installed"

db=$T/auth.db
horch --db "$db" topic add battery 'battery AND swollen' >/dev/null 2>&1
bat=$(horch --db "$db" topic list --json | jq -r 'select(.name=="battery") | .id')

serve_start "$db" --config /dev/null
ok $? "auth-0.1 the server starts"

# login NAME PASSWORD: sign in with a cookie jar of NAME's own; prints
# the answer (body, then "HTTP code") and keeps the headers in $T/NAME.h.
login() {
  curl -s -c "$T/$1.jar" -D "$T/$1.h" -w '\nHTTP %{http_code}\n' -X POST \
    -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$URL/api/login"
}
# sapi METHOD PATH JAR CSRF [CURL ARGS]: a call with the session of JAR,
# and the X-CSRF-Token header CSRF unless it is "-".
sapi() {
  local method=$1 path=$2 jar=$3 csrf=$4; shift 4
  if [ "$csrf" = - ]; then
    curl -s -b "$T/$jar.jar" -X "$method" -w '\nHTTP %{http_code}\n' "$@" "$URL$path"
  else
    curl -s -b "$T/$jar.jar" -X "$method" -H "X-CSRF-Token: $csrf" -w '\nHTTP %{http_code}\n' \
      "$@" "$URL$path"
  fi
}

# ---- the first run ----
pw=$(sed -n 's/^    \([A-Za-z0-9]\{20\}\)$/\1/p' "$T/serve.log" | head -n 1)
like "$pw" '^[A-Za-z0-9]{20}$' "first-1.1 the first run printed a one-time password for admin"
out=$(login admin "$pw")
is "$(status "$out")" 200 "first-1.2 admin signs in with it"
is "$(body "$out" | jq -c '[.user.name, .user.role, .must_change_password]')" '["admin","admin",true]' \
  "first-1.3 as admin, with the password to change"
acsrf=$(body "$out" | jq -r .csrf)
like "$acsrf" '^[A-Za-z0-9_-]{43}$' "first-1.4 with a CSRF token"
cookie=$(grep -i '^Set-Cookie:' "$T/admin.h" | tr -d '\r')
like "$cookie" '^Set-Cookie: horch_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=(4319[0-9]|43200); HttpOnly; SameSite=Strict$' \
  "first-1.5 the cookie: HttpOnly, SameSite=Strict, 12 h, not Secure without TLS"
out=$(sapi GET /api/topics admin -)
is "$(status "$out")" 403 "first-2.1 nothing else before the password is changed"
like "$(body "$out")" 'change the one-time password first' "first-2.2 saying so"
is "$(status "$(sapi GET /api/me admin -)")" 200 "first-2.3 /api/me answers"
out=$(sapi POST /api/me/password admin - -d "{\"old\":\"$pw\",\"new\":\"admin-password-1\"}")
is "$(status "$out")" 403 "first-2.4 a password change without the CSRF header"
is "$(body "$out" | jq -r .error.code)" csrf "first-2.5 is refused as csrf"
out=$(sapi POST /api/me/password admin "$acsrf" -d '{"old":"wrong-password","new":"admin-password-1"}')
is "$(status "$out")" 403 "first-2.6 a wrong old password: 403 (not 401: still signed in)"
out=$(sapi POST /api/me/password admin "$acsrf" -d "{\"old\":\"$pw\",\"new\":\"short\"}")
is "$(status "$out")" 400 "first-2.7 a new password too short: 400"
out=$(sapi POST /api/me/password admin "$acsrf" -d "{\"old\":\"$pw\",\"new\":\"admin-password-1\"}")
is "$(status "$out")" 204 "first-2.8 changed"
is "$(status "$(sapi GET /api/topics admin -)")" 200 "first-2.9 the same session may now read topics"
is "$(body "$(sapi GET /api/me admin -)" | jq .must_change_password)" false "first-2.10 nothing to change"
is "$(status "$(login admin "$pw")")" 401 "first-2.11 the one-time password is gone"

# ---- what each role may do through a session ----
for r in viewer agent analyst; do
  printf '%s-password-1\n' "$r" | horch --db "$db" user add "$r" --role "$r" --password-stdin 2>/dev/null
done
declare -A csrf
for r in viewer agent analyst admin; do
  p=$r-password-1
  out=$(login "$r" "$p")
  is "$(status "$out")" 200 "role-1.$r $r signs in"
  csrf[$r]=$(body "$out" | jq -r .csrf)
done
# The expected status of each call, for viewer agent analyst admin.
check() {
  local name=$1 method=$2 path=$3 want=$4; shift 4
  local got="" r
  for r in viewer agent analyst admin; do
    got="$got $(status "$(sapi "$method" "$path" "$r" "${csrf[$r]}" "$@")")"
  done
  is "${got# }" "$want" "$name"
}
check "role-2.1 everybody reads topics" GET /api/topics "200 200 200 200"
check "role-2.2 everybody reads posts" GET "/api/posts?limit=1" "200 200 200 200"
check "role-2.3 an agent and up subscribe" PUT "/api/me/subscriptions/$bat" "403 204 204 204"
got=""
for r in viewer agent analyst admin; do
  out=$(sapi POST /api/topics "$r" "${csrf[$r]}" -d "{\"name\":\"t-$r\",\"query\":\"korvo\"}")
  got="$got $(status "$out")"
done
is "${got# }" "403 403 201 201" "role-2.4 an analyst and up create topics"
got=""
for r in viewer agent analyst admin; do
  out=$(sapi POST /api/ingest "$r" "${csrf[$r]}" -d "{\"source\":\"t\",\"external_id\":\"$r\",\"text\":\"hello from $r\"}")
  got="$got $(status "$out")"
done
is "${got# }" "403 403 200 200" "role-2.5 an analyst and up ingest"
like "$(body "$(sapi POST /api/ingest viewer "${csrf[viewer]}" -d '{}')")" 'needs the role analyst' \
  "role-2.6 a refusal names the role needed"
out=$(sapi GET /api/me agent -)
is "$(body "$out" | jq -c '[.user.name, .user.role, .subscriptions, (.subscription_ids == ['"$bat"'])]')" \
  '["agent","agent",["battery"],true]' "role-3.1 /api/me: name, role, subscriptions by name and id"
is "$(status "$(sapi DELETE "/api/me/subscriptions/$bat" agent "${csrf[agent]}")")" 204 "role-3.2 unsubscribe"
is "$(body "$(sapi GET /api/me agent -)" | jq -c .subscriptions)" '[]' "role-3.3 gone"
is "$(status "$(sapi PUT /api/me/subscriptions/9999 agent "${csrf[agent]}")")" 404 "role-3.4 an unknown topic: 404"

# ---- CSRF ----
out=$(sapi POST /api/topics analyst - -d '{"name":"c1","query":"x"}')
is "$(status "$out")" 403 "csrf-1.1 a cookie's write without X-CSRF-Token"
is "$(body "$out" | jq -r .error.code)" csrf "csrf-1.2 answers code csrf"
is "$(status "$(sapi POST /api/topics analyst "${csrf[admin]}" -d '{"name":"c1","query":"x"}')")" 403 \
  "csrf-1.3 another session's token does not do"
is "$(status "$(sapi POST /api/topics analyst "${csrf[analyst]}x" -d '{"name":"c1","query":"x"}')")" 403 \
  "csrf-1.4 nor one character more"
is "$(status "$(sapi DELETE "/api/me/subscriptions/$bat" analyst -)")" 403 "csrf-1.5 DELETE needs it too"
is "$(status "$(sapi POST /api/logout analyst -)")" 403 "csrf-1.6 and logout"
is "$(horch --db "$db" topic list --json | jq -r 'select(.name=="c1") | .name')" "" "csrf-1.7 nothing was saved"
is "$(status "$(sapi GET /api/topics analyst -)")" 200 "csrf-1.8 a read needs no CSRF token"

# ---- a wall screen trades its token for a session ----
wall=$(horch --db "$db" token create --role viewer --name 'wall 3' 2>/dev/null)
out=$(curl -s -c "$T/wall.jar" -w '\nHTTP %{http_code}\n' -X POST -H "Content-Type: application/json" -d "{\"token\":\"$wall\"}" "$URL/api/login")
is "$(status "$out")" 200 "token-1.1 a token signs in"
is "$(body "$out" | jq -c '[.user.name, .user.role]')" '["wall 3","viewer"]' "token-1.2 as its label, a viewer"
wcsrf=$(body "$out" | jq -r .csrf)
is "$(status "$(sapi GET /api/posts wall -)")" 200 "token-1.3 its session reads"
is "$(status "$(sapi POST /api/logout wall -)")" 403 "token-1.4 and, being a cookie, needs CSRF to write"
is "$(status "$(sapi PUT "/api/me/subscriptions/$bat" wall "$wcsrf")")" 403 "token-1.5 a viewer subscribes to nothing"
horch --db "$db" token revoke 1 2>/dev/null
is "$(status "$(sapi GET /api/posts wall -)")" 401 "token-1.6 revoking the token ends its session"
out=$(curl -s -w '\nHTTP %{http_code}\n' -X POST -H "Content-Type: application/json" -d "{\"token\":\"$wall\"}" "$URL/api/login")
is "$(status "$out")" 401 "token-1.7 and it buys no new one"
out=$(curl -s -w '\nHTTP %{http_code}\n' -X POST -H "Content-Type: text/plain" -d '{"name":"ada","password":"x"}' "$URL/api/login")
is "$(status "$out")" 415 "login-csrf-1.1 a sign-in that is not application/json (a form of another site): 415"
out=$(curl -s -w '\nHTTP %{http_code}\n' -X POST -H "Content-Type: Application/JSON; charset=utf-8" -d "{\"token\":\"$wall\"}" "$URL/api/login")
is "$(status "$out")" 401 "login-csrf-1.2 the media type's case and parameters do not matter (the revoked token: 401, not 415)"

# ---- password change ends the other sessions; logout ----
cp "$T/agent.jar" "$T/agent2.jar"
out=$(login agent agent-password-1); is "$(status "$out")" 200 "pw-1.1 a second session of agent"
c2=$(body "$out" | jq -r .csrf)
out=$(sapi POST /api/me/password agent "$c2" -d '{"old":"agent-password-1","new":"agent-password-2"}')
is "$(status "$out")" 204 "pw-1.2 the password changed from it"
is "$(status "$(sapi GET /api/me agent -)")" 200 "pw-1.3 that session goes on"
out=$(sapi GET /api/me agent2 -)
is "$(status "$out")" 401 "pw-1.4 the first session has ended"
is "$(status "$(sapi POST /api/logout agent "$c2")")" 204 "pw-2.1 logout"
is "$(status "$(sapi GET /api/me agent -)")" 401 "pw-2.2 the session is over"
out=$(curl -s -D - -o /dev/null -b "$T/agent.jar" "$URL/api/me" | tr -d '\r')
like "$out" 'Set-Cookie: horch_session=; Path=/; Max-Age=0' "pw-2.3 a stale cookie is cleared"
is "$(status "$(curl -s -w '\nHTTP %{http_code}\n' "$URL/api/me")")" 401 "pw-2.4 no cookie, no token: 401"

# ---- wrong passwords and the rate limit (last: it locks 127.0.0.1) ----
out=$(login viewer wrong-password)
is "$(status "$out")" 401 "limit-1.1 a wrong password: 401"
w1=$(body "$out" | jq -c .error)
out=$(login nosuchuser wrong-password)
is "$(body "$out" | jq -c .error)" "$w1" "limit-1.2 an unknown name answers the same"
for i in 1 2 3; do login viewer wrong-password >/dev/null; done
out=$(login viewer viewer-password-1)
is "$(status "$out")" 429 "limit-1.3 after five failures even the right password: 429"
is "$(body "$out" | jq -r .error.code)" rate_limited "limit-1.4 code rate_limited"
like "$(tr -d '\r' < "$T/viewer.h")" '^Retry-After: (59|60)$' "limit-1.5 with Retry-After: 60 (59 on a slow machine)"
is "$(status "$(sapi GET /api/topics analyst -)")" 200 "limit-1.6 sessions already open go on"

serve_stop
done_testing
