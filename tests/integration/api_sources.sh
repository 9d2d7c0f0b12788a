#!/usr/bin/env bash
# api_sources.sh - the sources API of horch serve (src/http/api_sources.c):
# a source of horch.conf and sources made through the API, listed with
# their settings and health; GET /api/sources/kinds; POST, PATCH, DELETE
# with their 400, 403, 404 and 409 answers; the test endpoints against a
# closed port (the error in a 200), against forum_server (a fake Reddit:
# posts shown, the limit kept, nothing stored), against jetstream_server (a
# stream read for the timeout) and against a review export on disk
# (file://).  Credentials are never in an answer, nor in the server's log:
# every body is kept and searched for the tokens at the end.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v curl >/dev/null || skip_all "curl is not installed"

tools=$(dirname "$HORCH_BIN")/tests/tools
db=$T/sources.db
answers=$T/answers.txt
: > "$answers"
secret="tok-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cfg_secret="cfg-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
env_secret="env-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export HORCH_IT_TOKEN=$env_secret

# A port nothing listens on: a server that was started and stopped.
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' \
	2>/dev/null || echo 1)

# call METHOD PATH TOKEN [CURL ARGS...]: api, with the answer kept.
call() {
  local out
  out=$(api "$@")
  printf '%s\n' "$out" >> "$answers"
  printf '%s\n' "$out"
}

admin=$(horch --db "$db" token create --role admin 2>/dev/null)
analyst=$(horch --db "$db" token create --role analyst 2>/dev/null)
viewer=$(horch --db "$db" token create --role viewer 2>/dev/null)
cat > "$T/horch.conf" <<EOF
[source cfgfeed]
kind = reddit
url = http://127.0.0.1:$closed
subreddit = rust
token = $cfg_secret
enabled = no
EOF
serve_start "$db" --config "$T/horch.conf"
ok $? "sources-1.1 horch serve starts with a [source] section"

# ---- list, kinds ----
out=$(call GET /api/sources "$viewer")
is "$(status "$out")" 200 "list-1.1 a viewer lists the sources"
is "$(body "$out" | jq -c '[.sources[] | [.name, .kind, .from_config, .enabled, .state]]')" \
	'[["cfgfeed","reddit",true,false,"disabled"]]' "list-1.2 the source of horch.conf, disabled"
is "$(body "$out" | jq -c '.sources[0].settings')" '{"subreddit":"rust","token":"***"}' \
	"list-1.3 its token shown as ***"
is "$(body "$out" | jq -c '.sources[0] | [.url, .interval, .errors, .posts, .last_poll, .last_error]')" \
	"[\"http://127.0.0.1:$closed\",300,0,0,null,null]" "list-1.4 url, the kind's interval, health"
is "$(body "$out" | jq '.sources[0] | has("cursor")')" false "list-1.5 a viewer does not see the cursor"
out=$(call GET /api/sources "$admin")
is "$(body "$out" | jq -c '.sources[0].cursor')" '""' "list-1.6 an admin does"
is "$(body "$out" | jq -c '.sources[0] | [(.created_at | test("^20[0-9]{2}-[0-9]{2}-[0-9]{2}T")), .why]')" \
	'[true,"disabled"]' "list-1.7 created_at and the why of the state"

out=$(call GET /api/sources/kinds "$viewer")
is "$(status "$out")" 200 "kinds-1.1 the kinds"
is "$(body "$out" | jq -c '[.kinds[] | .kind]')" '["rss","mastodon","bluesky","reddit","hn","reviews"]' \
	"kinds-1.2 every connector, in the table's order"
is "$(body "$out" | jq -c '.kinds[] | select(.kind == "reddit") | [.default_url, .interval,
	(.keys[] | select(.key == "token") | .secret), (.keys[] | select(.key == "subreddit") | .secret)]')" \
	'["https://www.reddit.com",300,true,false]' "kinds-1.3 reddit: default url, interval, which key is a credential"

# ---- add ----
new='{"name":"forum","kind":"reddit","url":"http://127.0.0.1:'$closed'","enabled":false,"interval":"10m",
	"settings":{"subreddit":"golang","token":"'$secret'","pages":2}}'
is "$(status "$(call POST /api/sources "$viewer" -d "$new")")" 403 "add-1.1 a viewer may not add a source"
is "$(status "$(call POST /api/sources "$analyst" -d "$new")")" 403 "add-1.2 nor an analyst"
out=$(call POST /api/sources "$admin" -d "$new")
is "$(status "$out")" 201 "add-1.3 an admin adds one: 201"
is "$(body "$out" | jq -c '[.name, .kind, .enabled, .from_config, .interval, .state, .settings]')" \
	'["forum","reddit",false,false,600,"disabled",{"pages":"2","subreddit":"golang","token":"***"}]' \
	"add-1.4 the source in the answer, its token hidden, a number stored as text"
out=$(call POST /api/sources "$admin" -d '{"name":"envfeed","kind":"reddit","enabled":false,
	"settings":{"subreddit":"rust","token":"env:HORCH_IT_TOKEN"}}')
is "$(status "$out")" 400 "add-1.5 env:NAME is refused through the API (it would send the server's environment)"
horch --db "$db" source add envfeed --kind reddit --disabled subreddit=rust token=env:HORCH_IT_TOKEN -q
out=$(call GET /api/sources/envfeed "$admin")
is "$(body "$out" | jq -c '[.url, .settings.token]')" '["https://www.reddit.com","env:HORCH_IT_TOKEN"]' \
	"add-1.6 one added by the CLI is shown as env:NAME (no secret); the url the kind's default"
out=$(call POST /api/sources "$admin" -d '{"name":"userinfo","kind":"reddit","enabled":false,
	"url":"http://bob:'$secret'@127.0.0.1:'$closed'/","settings":{"subreddit":"x"}}')
is "$(body "$out" | jq -r .url)" "http://bob:***@127.0.0.1:$closed/" "add-1.7 a password in the url is hidden"

err() { body "$1" | jq -r .error.message; }
out=$(call POST /api/sources "$admin" -d '{"name":"FORUM","kind":"reddit","settings":{"subreddit":"x"}}')
is "$(status "$out")" 409 "add-2.1 a name taken (without regard to case): 409"
like "$(err "$out")" 'a source named "FORUM" exists already' "add-2.2 says so"
out=$(call POST /api/sources "$admin" -d '{"name":"x1","kind":"telegraph"}')
is "$(status "$out")" 400 "add-2.3 an unknown kind: 400"
like "$(err "$out")" 'kind "telegraph" is not known' "add-2.4 naming it"
out=$(call POST /api/sources "$admin" -d '{"name":"x1","kind":"rss"}')
is "$(status "$out")" 400 "add-2.5 an rss source without a url: 400"
like "$(err "$out")" 'needs a url' "add-2.6 says what it needs"
out=$(call POST /api/sources "$admin" -d '{"name":"x1","kind":"reddit","settings":{"Sub Reddit":"x"}}')
is "$(status "$out")" 400 "add-2.7 a bad setting key: 400"
like "$(err "$out")" '^setting "Sub Reddit": ' "add-2.8 naming the key"
out=$(call POST /api/sources "$admin" -d '{"name":"x1","kind":"reddit","interval":"soon"}')
is "$(status "$out")" 400 "add-2.9 a bad interval: 400"
like "$(err "$out")" '"interval"' "add-2.10 naming it"
out=$(call POST /api/sources "$admin" -d '{"name":"x1","kind":"reddit","settings":{"token":"***"}}')
is "$(status "$out")" 400 "add-2.11 *** as a credential: 400"
out=$(call POST /api/sources "$admin" -d '{"name":"x 1","kind":"reddit"}')
is "$(status "$out")" 400 "add-2.12 a name with a space: 400"
out=$(call POST /api/sources "$admin" -d '{"name":"kinds","kind":"reddit"}')
is "$(status "$out")" 400 "add-2.13 the name kinds is taken by the API"
out=$(call POST /api/sources "$admin" -d '{"name":"x1","kind":"reddit","colour":"red"}')
is "$(status "$out")" 400 "add-2.14 an unknown member: 400"
like "$(err "$out")" 'unknown member "colour"' "add-2.15 naming it"
out=$(call POST /api/sources "$admin" -d '{"name":"x1","kind":"reddit","settings":{"url":"http://x"}}')
is "$(status "$out")" 400 "add-2.16 url among the settings: 400"
out=$(call POST /api/sources "$admin" -d '{"kind":"reddit"}')
is "$(status "$out")" 400 "add-2.17 no name: 400"
out=$(call POST /api/sources "$admin" -d '{"name":"x1","kind":"reddit","settings":{"search":["a"]}}')
is "$(status "$out")" 400 "add-2.18 a setting that is an array: 400"
out=$(call POST /api/sources "$admin" -d '{"name":"x1",')
is "$(status "$out")" 400 "add-2.19 malformed JSON: 400"
is "$(call GET /api/sources "$admin" | sed '$d' | jq -c '[.sources[] | .name]')" \
	'["cfgfeed","envfeed","forum","userinfo"]' "add-2.20 none of the refused ones was stored"

# ---- one ----
out=$(call GET /api/sources/Forum "$viewer")
is "$(status "$out")" 200 "get-1.1 one source, named without regard to case"
is "$(body "$out" | jq -c '[.name, .settings.token, has("cursor")]')" '["forum","***",false]' \
	"get-1.2 with its token hidden and no cursor for a viewer"
out=$(call GET /api/sources/nosuch "$viewer")
is "$(status "$out")" 404 "get-1.3 an unknown source: 404"
is "$(body "$out" | jq -r .error.code)" not_found "get-1.4 not_found"

# ---- change ----
patch='{"enabled":true,"interval":900,"settings":{"subreddit":null,"search":"horch","token":"***"}}'
is "$(status "$(call PATCH /api/sources/forum "$viewer" -d "$patch")")" 403 "patch-1.1 a viewer may not change a source"
out=$(call PATCH /api/sources/forum "$admin" -d '{"enabled":false,"interval":900,
	"settings":{"subreddit":null,"search":"horch","token":"***"}}')
is "$(status "$out")" 200 "patch-1.2 an admin changes one"
is "$(body "$out" | jq -c '[.enabled, .interval, .settings]')" \
	'[false,900,{"pages":"2","search":"horch","token":"***"}]' \
	"patch-1.3 a setting removed (null), one added, the token kept (***)"
if command -v sqlite3 >/dev/null; then
  is "$(sqlite3 "$db" "SELECT json_extract(params, '\$.token') FROM source WHERE name = 'forum'")" "$secret" \
	"patch-1.4 the stored token is the one given at first"
else
  ok 0 "patch-1.4 # SKIP no sqlite3 to read the store"
fi
out=$(call PATCH /api/sources/forum "$admin" -d '{"url":null}')
is "$(body "$out" | jq -r .url)" "https://www.reddit.com" "patch-1.5 url null: the kind's default"
out=$(call PATCH /api/sources/forum "$admin" -d '{"kind":"rss"}')
is "$(status "$out")" 400 "patch-2.1 the kind cannot be changed"
out=$(call PATCH /api/sources/forum "$admin" -d '{"name":"other"}')
is "$(status "$out")" 400 "patch-2.2 nor the name"
out=$(call PATCH /api/sources/forum "$admin" -d '{"settings":{"limit":"lots"}}')
is "$(status "$out")" 400 "patch-2.3 a value the connector refuses: 400"
like "$(err "$out")" 'limit' "patch-2.4 naming the key"
out=$(call PATCH /api/sources/forum "$admin" -d '{"enabled":"yes"}')
is "$(status "$out")" 400 "patch-2.5 enabled is a boolean"
out=$(call PATCH /api/sources/cfgfeed "$admin" -d '{"enabled":true}')
is "$(status "$out")" 409 "patch-2.6 a source of horch.conf: 409"
like "$(err "$out")" 'defined in horch.conf; change it there' "patch-2.7 says where to change it"
is "$(status "$(call PATCH /api/sources/nosuch "$admin" -d '{"enabled":true}')")" 404 "patch-2.8 an unknown source: 404"
is "$(call GET /api/sources/forum "$admin" | sed '$d' | jq -c '[.interval, .settings.search]')" '[900,"horch"]' \
	"patch-2.9 the refused changes changed nothing"

# ---- test ----
out=$(call POST "/api/sources/forum/test?timeout=10" "$viewer")
is "$(status "$out")" 403 "test-1.1 a viewer may not test a source"
out=$(call POST "/api/sources/cfgfeed/test?timeout=10" "$admin")
is "$(status "$out")" 200 "test-1.2 a test of a source at a closed port: 200"
is "$(body "$out" | jq -c '[.name, .n, .posts, .ended]')" '["cfgfeed",0,[],"error"]' "test-1.3 no posts, ended in an error"
like "$(body "$out" | jq -r .error)" "^GET http://127.0.0.1:$closed/r/rust/new.json\\?\\.\\.\\.: " \
	"test-1.4 the error names the request (without its query)"
out=$(call POST "/api/sources/test?timeout=10" "$admin" \
	-d '{"kind":"reddit","url":"http://127.0.0.1:'$closed'","settings":{"subreddit":"go","token":"'$secret'"}}')
is "$(status "$out")" 200 "test-1.5 a test of settings not stored"
like "$(body "$out" | jq -r .error)" "127.0.0.1:$closed" "test-1.6 the error reported in the answer"
is "$(status "$(call POST "/api/sources/test" "$admin" -d '{"kind":"rss"}')")" 400 "test-1.7 bad settings: 400"
is "$(status "$(call POST "/api/sources/forum/test?limit=0" "$admin")")" 400 "test-1.8 limit 0: 400"
is "$(status "$(call POST "/api/sources/forum/test?timeout=61" "$admin")")" 400 "test-1.9 a timeout over 60 s: 400"
is "$(status "$(call POST "/api/sources/nosuch/test" "$admin")")" 404 "test-1.10 an unknown source: 404"

if [ -x "$tools/forum_server" ]; then
  "$tools/forum_server" --posts 30 --port-file "$T/forum.port" > "$T/forum.out" 2>&1 &
  forum_pid=$!
  for _ in $(seq 50); do [ -s "$T/forum.port" ] && break; sleep 0.1; done
  fport=$(cat "$T/forum.port" 2>/dev/null)
  out=$(call POST "/api/sources/test?limit=5&timeout=20" "$admin" \
	-d '{"kind":"reddit","url":"http://127.0.0.1:'$fport'","settings":{"subreddit":"rust","token":"'$secret'"}}')
  is "$(status "$out")" 200 "test-2.1 a test against a fake Reddit"
  is "$(body "$out" | jq -c '[.n, (.posts | length), .error, .ended]')" '[5,5,null,"limit"]' \
	"test-2.2 five posts (the limit), no error"
  is "$(body "$out" | jq -c '[.posts[] | (.source == "reddit" and ((.title // "") + (.text // "") | length > 0) and (.author.handle | length > 0))] | all')" \
	true "test-2.3 each a Reddit post with an author and a title or text"
  out=$(call POST "/api/sources/test?limit=100&timeout=20" "$admin" \
	-d '{"kind":"reddit","url":"http://127.0.0.1:'$fport'","settings":{"subreddit":"rust","pages":"1"}}')
  is "$(body "$out" | jq -c '[.n, .error, .ended]')" '[23,null,"done"]' \
	"test-2.4 under the limit: the poll's posts (30 items, of which 7 comments), done"
  out=$(call GET "/api/posts?spam=show" "$viewer")
  is "$(body "$out" | jq '.posts | length')" 0 "test-2.5 nothing was stored"
  kill "$forum_pid" 2>/dev/null
  wait "$forum_pid" 2>/dev/null
else
  for i in 1 2 3 4 5; do ok 0 "test-2.$i # SKIP no forum_server (tests/tools)"; done
fi

if [ -x "$tools/jetstream_server" ]; then
  "$tools/jetstream_server" --posts 20 --port-file "$T/jet.port" > "$T/jet.out" 2>&1 &
  jet_pid=$!
  for _ in $(seq 50); do [ -s "$T/jet.port" ] && break; sleep 0.1; done
  jport=$(cat "$T/jet.port" 2>/dev/null)
  started=$(date +%s)
  out=$(call POST "/api/sources/test?limit=100&timeout=3" "$admin" \
	-d '{"kind":"bluesky","url":"ws://127.0.0.1:'$jport'/subscribe","settings":{"filter":"none"}}')
  took=$(( $(date +%s) - started ))
  is "$(status "$out")" 200 "test-3.1 a test of a stream (Bluesky Jetstream)"
  is "$(body "$out" | jq -c '[.streams, .ended, .error]')" '[true,"timeout",null]' \
	"test-3.2 read for the timeout, which is no error for a stream"
  ok $(( $(body "$out" | jq .n) > 0 ? 0 : 1 )) "test-3.3 with the stream's posts ($(body "$out" | jq .n))"
  ok $(( took >= 2 && took <= 8 ? 0 : 1 )) "test-3.4 answered after about the timeout (${took} s)"
  kill "$jet_pid" 2>/dev/null
  wait "$jet_pid" 2>/dev/null
else
  for i in 1 2 3 4; do ok 0 "test-3.$i # SKIP no jetstream_server (tests/tools)"; done
fi

# A review export on disk, when the reviews connector is built (a skeleton
# says "not built yet").
cat > "$T/reviews.json" <<'EOF'
[{"id":"r1","product":"Korvo Pro 16","stars":2,"title":"Hinge","text":"The hinge cracked after a week.","author":"ann","date":"2026-11-01T10:00:00Z"},
 {"id":"r2","product":"Korvo Pro 16","stars":5,"title":"Great","text":"Fast and quiet, a fine machine.","author":"ben","date":"2026-11-02T10:00:00Z"}]
EOF
out=$(call POST "/api/sources/test?timeout=10" "$admin" -d '{"kind":"reviews","url":"file:///etc/passwd","settings":{"format":"csv"}}')
is "$(status "$out")" 400 "test-4.0 the API names no file on the server's disk"
horch --db "$db" source add revfile --kind reviews --url "file://$T/reviews.json" --disabled -q
out=$(call POST "/api/sources/revfile/test?timeout=10" "$admin")
if printf '%s' "$out" | grep -q 'not built yet'; then
  for i in 1 2 3; do ok 0 "test-4.$i # SKIP the reviews connector is not built yet"; done
else
  is "$(status "$out")" 200 "test-4.1 a test of a review export at a file:// URL the operator added"
  is "$(body "$out" | jq -c '[.n, .error]')" '[2,null]' "test-4.2 both reviews"
  is "$(body "$out" | jq -c '[.posts[] | .text] | sort')" \
	'["Fast and quiet, a fine machine.","The hinge cracked after a week."]' "test-4.3 with their texts"
fi

# ---- delete ----
is "$(status "$(call DELETE /api/sources/forum "$viewer")")" 403 "delete-1.1 a viewer may not delete a source"
out=$(call DELETE /api/sources/cfgfeed "$admin")
is "$(status "$out")" 409 "delete-1.2 a source of horch.conf: 409"
is "$(status "$(call DELETE /api/sources/forum "$admin")")" 204 "delete-1.3 an admin deletes one: 204"
is "$(status "$(call GET /api/sources/forum "$admin")")" 404 "delete-1.4 then it is gone"
is "$(status "$(call DELETE /api/sources/forum "$admin")")" 404 "delete-1.5 deleting it again: 404"

# ---- the page, the secrets ----
page=$(curl -s -w '\nHTTP %{http_code}\n' "$URL/sources")
is "$(status "$page")" 200 "page-1.1 GET /sources"
like "$page" '<script type="module" src="/assets/sources.js">' "page-1.2 the sources page"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/assets/sources.js")" 200 "page-1.3 its script"

i=0
for s in "$secret" "$cfg_secret" "$env_secret"; do
  i=$((i + 1))
  is "$(grep -cF -- "$s" "$answers")" 0 "secret-1.$i no answer holds the credential ${s:0:4}..."
done
is "$(grep -cF -e "$secret" -e "$cfg_secret" -e "$env_secret" "$T/serve.log")" 0 \
	"secret-1.4 nor does the server's log"
ok $(( $(wc -l < "$answers") > 60 ? 0 : 1 )) "secret-1.5 the answers searched ($(wc -l < "$answers") lines)"
ok $(( $(grep -c '"\*\*\*"' "$answers") > 5 ? 0 : 1 )) "secret-1.6 where the credentials were shown as ***"

serve_stop
ok $? "sources-2.1 a clean stop"
SERVE_PID=

done_testing
