#!/usr/bin/env bash
# horch serve on 127.0.0.1:0: ingest, posts, topics, metrics, the live
# stream and its resumption, roles, tokens, CSRF, size caps, malformed
# JSON, the operators' endpoints and a clean stop.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || skip_all "curl is not installed"

db=$T/serve.db
horch --db "$db" topic add battery 'battery AND (swollen OR fire OR smoke)' >/dev/null
horch --db "$db" topic add hinge 'hinge OR scharnier' >/dev/null
horch --db "$db" topic add other 'something AND unrelated' >/dev/null
bat=$(horch --db "$db" topic list --json | jq -r 'select(.name=="battery") | .id')
hin=$(horch --db "$db" topic list --json | jq -r 'select(.name=="hinge") | .id')
viewer=$(horch --db "$db" token create --role viewer --name wall 2>/dev/null)
agent=$(horch --db "$db" token create --role agent 2>/dev/null)
analyst=$(horch --db "$db" token create --role analyst --name feeder 2>/dev/null)
admin=$(horch --db "$db" token create --role admin 2>/dev/null)
like "$analyst" '^hct_[A-Za-z0-9_-]{43}$' "token create prints the token alone on stdout"

serve_start "$db" --config /dev/null
ok $? "serve-1.1 starts on a free port and answers /healthz"
like "$URL" '^http://127\.0\.0\.1:[0-9]+$' "serve-1.2 --print-url prints the URL"
is "$(curl -s "$URL/healthz")" "ok" "serve-1.3 /healthz says ok"
like "$(cat "$T/serve.log")" 'first run: created the user "admin"' \
  "serve-1.4 the first run creates admin and prints its one-time password"

# ---- who may call ----
out=$(curl -s -w '\nHTTP %{http_code}\n' "$URL/api/posts")
is "$(status "$out")" 401 "auth-1.1 no token: 401"
like "$(body "$out")" '"code":"unauthorized"' "auth-1.2 with an error object"
out=$(api GET /api/posts hct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)
is "$(status "$out")" 401 "auth-1.3 an unknown token: 401"
is "$(status "$(api GET /api/posts "$viewer")")" 200 "auth-1.4 a viewer reads posts"
out=$(api POST /api/ingest "$viewer" -d '{"source":"t","text":"hello there"}')
is "$(status "$out")" 403 "auth-1.5 a viewer may not ingest"
like "$(body "$out")" 'needs the role analyst' "auth-1.6 and is told which role it needs"
is "$(status "$(api POST /api/topics "$viewer" -d '{"name":"x","query":"x"}')")" 403 \
  "auth-1.7 a viewer may not create topics"
is "$(status "$(api POST /api/topics "$agent" -d '{"name":"x","query":"x"}')")" 403 \
  "auth-1.8 an agent may not create topics"
is "$(status "$(api PUT "/api/me/subscriptions/$bat" "$viewer")")" 403 \
  "auth-1.9 a viewer has no subscriptions"
is "$(status "$(api PUT "/api/me/subscriptions/$bat" "$agent")")" 403 \
  "auth-1.10 a token is nobody's: no subscriptions through it" 
is "$(status "$(api GET /api/stream "$viewer" --max-time 1)")" 200 \
  "auth-1.11 a viewer may open the stream"

# ---- the live stream ----
curl -sN -H "Authorization: Bearer $viewer" "$URL/api/stream?topics=$bat" > "$T/s1" &
s1=$!
curl -sN -H "Authorization: Bearer $viewer" "$URL/api/stream" > "$T/s2" &
s2=$!
sleep 0.5

# posts FILE: the data of the post events of a captured stream, one a line.
posts() { awk '/^event: post/ {p=1; next} p && /^data: / {print substr($0, 7); p=0}' "$1"; }

# ---- ingest ----
out=$(api POST /api/ingest "$analyst" -H 'Content-Type: application/json' -d '[
 {"source":"twitter","external_id":"1","text":"My Korvo battery is swollen!","author":"bob","author_followers":1200,"created_at":"2026-11-22T10:00:00Z","lang":"en"},
 {"source":"mastodon","external_id":"2","text":"Das Scharnier ist gebrochen, so ein Mist","author":"eva","created_at":"2026-11-22T10:01:00Z"},
 {"source":"twitter","external_id":"3"},
 {"source":"twitter","external_id":"1","text":"My Korvo battery is swollen!","author":"bob","author_followers":1200,"created_at":"2026-11-22T10:00:00Z","lang":"en"}]')
is "$(status "$out")" 200 "ingest-1.1 an array: 200"
is "$(body "$out" | jq -c '[.accepted,.stored,.duplicates,.rejected]')" '[3,2,1,1]' \
  "ingest-1.2 stored 2, one duplicate (same source and id), one refused"
is "$(body "$out" | jq -c '.errors[] | [.index, .message]')" '[2,"no text, html or title"]' \
  "ingest-1.3 the refused post is named by its index, with the reason"
is "$(body "$out" | jq -c '.ids | map(. != null) | [(.[0] != .[3]), .[1], .[2]]')" '[true,true,false]' \
  "ingest-1.4 ids of the stored posts (one of the two copies), null for the others"
out=$(api POST /api/ingest "$analyst" -d '{"source":"blog","external_id":"b1","title":"Review","text":"the battery caught fire on day two"}')
is "$(body "$out" | jq -c '[.stored,.rejected]')" '[1,0]' "ingest-1.5 one object"
printf '%s\n' '{"source":"forum","external_id":"f1","text":"hinge cracked after a week"}' '' \
  '{"source":"forum","external_id":"f2","text":"happy with my new laptop"}' > "$T/two.jsonl"
out=$(api POST /api/ingest "$analyst" -H 'Content-Type: application/x-ndjson' --data-binary @"$T/two.jsonl")
is "$(body "$out" | jq -c '[.stored,.rejected]')" '[2,0]' "ingest-1.6 JSON Lines (a blank line skipped)"
is "$(total "$db")" 5 "ingest-1.7 five posts stored"

# ---- malformed JSON and caps: nothing stored ----
out=$(api POST /api/ingest "$analyst" -d '[{"source":"t","external_id":"m1","text":"ok"},
 {"source":"t","text": oops}]')
is "$(status "$out")" 400 "ingest-2.1 malformed JSON: 400"
is "$(body "$out" | jq -c '[.error.code,.error.line,.error.column]')" '["parse",2,27]' \
  "ingest-2.2 with the line and column of the fault"
like "$(body "$out" | jq -r .error.message)" 'nothing was stored' "ingest-2.3 saying nothing was stored"
printf '%s\n' '{"source":"t","external_id":"m2","text":"fine"}' '{"source":"t","text":"broken' > "$T/bad.jsonl"
out=$(api POST /api/ingest "$analyst" -H 'Content-Type: application/x-ndjson' --data-binary @"$T/bad.jsonl")
is "$(body "$out" | jq -c '[.error.code,.error.line]')" '["parse",2]' "ingest-2.4 JSON Lines: the bad line is named"
out=$(api POST /api/ingest "$analyst" -d '')
is "$(status "$out")" 400 "ingest-2.5 an empty body: 400"
out=$(api POST /api/ingest "$analyst" -d '[]')
is "$(status "$out")" 400 "ingest-2.5a an empty array: 400"
is "$(total "$db")" 5 "ingest-2.6 nothing of the refused calls was stored"
out=$(api POST /api/ingest "$analyst" -d '{"source":"t","text":"nobody"}' -H 'Content-Length: 99999999')
is "$(status "$out")" 413 "ingest-2.7 a body over the cap: 413 before it is read"
out=$(api POST /api/ingest "$analyst" -d '{"source":1,"text":"x"}')
is "$(status "$out")" 422 "ingest-2.8 no valid post at all: 422"
# Bodies of 2^k - 1 bytes: the terminating NUL grows the buffer (a bug
# once read the body after it moved).
n_ok=0
for n in 255 511 1023 4095; do
  pre="{\"source\":\"t\",\"external_id\":\"p$n\",\"text\":\""
  pad=$(head -c $((n - ${#pre} - 2)) /dev/zero | tr '\0' a)
  b="$pre$pad\"}"
  out=$(api POST /api/ingest "$analyst" --data-binary "$b")
  [ "${#b}" = "$n" ] && [ "$(body "$out" | jq .stored)" = 1 ] && n_ok=$((n_ok + 1))
done
is "$n_ok" 4 "ingest-2.9 bodies of 255, 511, 1023 and 4095 bytes are read whole"

# ---- the stream saw what was committed ----
sleep 0.5
is "$(grep -c '^event: post' "$T/s1")" 2 "sse-1.1 the battery stream got the 2 battery posts"
is "$(posts "$T/s1" | jq -r '.external_id' | tr '\n' ' ')" "1 b1 " \
  "sse-1.2 in commit order"
is "$(grep -c '^event: post' "$T/s2")" 9 "sse-1.3 the unfiltered stream got all 9"
is "$(posts "$T/s1" | head -n 1 | jq -c '[.matches[0].topic, (.analysis.sentiment.label | length > 0)]')" \
  '["battery",true]' "sse-1.4 an event is the post with its matches and analysis"
like "$(grep '^id:' "$T/s1" | head -n 1)" '^id: [0-9]+$' "sse-1.5 every event has an id"
last=$(grep -B1 '^event: post' "$T/s2" | grep '^id:' | tail -n 1 | sed 's/^id: //')
kill "$s1" "$s2" 2>/dev/null; wait "$s1" "$s2" 2>/dev/null

# Missed while away: three posts, then a resume from the last id seen.
for i in 1 2 3; do
  api POST /api/ingest "$analyst" -d "{\"source\":\"t\",\"external_id\":\"away$i\",\"text\":\"battery smoke $i\"}" >/dev/null
done
curl -sN --max-time 2 -H "Authorization: Bearer $viewer" -H "Last-Event-ID: $last" \
  "$URL/api/stream" > "$T/s3"
is "$(posts "$T/s3" | jq -r .external_id | tr '\n' ' ')" "away1 away2 away3 " \
  "sse-2.1 a stream resumed with Last-Event-ID gets exactly what it missed, in order"
curl -sN --max-time 2 -H "Authorization: Bearer $viewer" "$URL/api/stream?topics=$hin&last_event_id=0" > "$T/s4"
is "$(posts "$T/s4" | jq -r .external_id | tr '\n' ' ')" "2 f1 " \
  "sse-2.2 resumed from 0 with a topic filter: that topic's posts only"
out=$(curl -s -w '\nHTTP %{http_code}\n' -H "Authorization: Bearer $viewer" "$URL/api/stream?topics=abc")
is "$(status "$out")" 400 "sse-2.3 a bad topics list: 400"
out=$(curl -s -w '\nHTTP %{http_code}\n' -H "Authorization: Bearer $viewer" "$URL/api/stream?topics=9999")
is "$(status "$out")" 404 "sse-2.4 a topic that does not exist: 404"

# ---- posts ----
out=$(api GET "/api/posts?topic=$bat" "$viewer")
is "$(body "$out" | jq -r '[.posts[].external_id] | join(" ")')" "away3 away2 away1 b1 1" \
  "posts-1.1 a topic's posts, newest first (a post without a time has its arrival's)"
is "$(body "$out" | jq -r '[.posts[] | .matches | map(.topic) | index("battery") != null] | all')" \
  true "posts-1.1a every post of the page has its matches (newest first, matches by id)"
out=$(api GET "/api/posts?q=scharnier" "$viewer")
is "$(body "$out" | jq -r '.posts[0].external_id')" "2" "posts-1.2 full-text search"
out=$(api GET "/api/posts?source=forum&limit=1" "$viewer")
is "$(body "$out" | jq -r '.posts | length')" 1 "posts-1.3 limit"
cur=$(body "$out" | jq -r .next_cursor)
out=$(api GET "/api/posts?source=forum&limit=1&cursor=$cur" "$viewer")
a=$(body "$out" | jq -r '.posts[0].external_id')
is "$(body "$out" | jq -r '.next_cursor')" "$(body "$out" | jq -r '.next_cursor')" "posts-1.4 next page"
like "$a" '^f[12]$' "posts-1.5 the cursor gives the other forum post"
out=$(api GET "/api/posts?lang=de" "$viewer")
is "$(body "$out" | jq -r '[.posts[].external_id] | join(" ")')" "2" "posts-1.6 by language"
out=$(api GET "/api/posts?sentiment=bad" "$viewer")
is "$(status "$out")" 400 "posts-1.7 a bad filter value: 400"
out=$(api GET "/api/posts?since=yesterday-ish" "$viewer")
is "$(status "$out")" 400 "posts-1.8 a bad time: 400"
out=$(api GET '/api/posts?q=%22unclosed' "$viewer")
is "$(body "$out" | jq -r .error.code)" "parse" "posts-1.9 a bad full-text query: a parse error"

# ---- topics ----
out=$(api POST /api/topics "$analyst" -d '{"name":"fire","query":"fire OR smoke","color":"#d32f2f","team":"care"}')
is "$(status "$out")" 201 "topics-1.1 create: 201"
fire=$(body "$out" | jq -r .id)
is "$(body "$out" | jq -c '[.name,.n_matches,.team,.color]')" '["fire",4,"care","#d32f2f"]' \
  "topics-1.2 its history is matched before the answer"
out=$(api POST /api/topics "$analyst" -d '{"name":"broken","query":"korvo AND (battery OR"}')
is "$(status "$out")" 422 "topics-1.3 a query that does not parse: 422"
is "$(body "$out" | jq -c '[.error.code, .lint[0].severity, .lint[0].column]')" '["lint","error",20]' \
  "topics-1.4 the lint error comes as data, with its column"
out=$(api POST /api/topics "$analyst" -d '{"name":"FIRE","query":"x"}')
is "$(status "$out")" 409 "topics-1.5 a name taken (without regard to case): 409"
out=$(api POST /api/topics "$analyst" -d '{"name":"loop","query":"topic:nosuch"}')
is "$(status "$out")" 422 "topics-1.6 a reference to no topic: 422"
out=$(api PUT "/api/topics/$fire" "$analyst" -d '{"query":"smoke"}')
is "$(body "$out" | jq -c '[.query,.n_matches]')" '["smoke",3]' "topics-1.7 update re-matches the history"
out=$(api GET "/api/topics/$fire" "$viewer")
is "$(body "$out" | jq -r .name)" "fire" "topics-1.8 get by id"
out=$(api GET "/api/topics/$fire/backtest?since=3650d" "$viewer")
is "$(body "$out" | jq -c '[.matched, (.sample|length)]')" '[3,3]' "topics-1.9 backtest of a stored topic"
is "$(body "$out" | jq -c '.sample[0].matches[0] | [.topic_id, (.spans | length > 0)]')" '[0,true]' \
  "topics-1.9a each sample post carries the spans of the query (topic id 0)"
out=$(api POST /api/backtest "$viewer" -d '{"query":"hinge OR scharnier","since":"3650d"}')
is "$(body "$out" | jq -c '[.scanned,.matched]')" '[12,2]' "topics-1.10 backtest of an unsaved query"
out=$(api POST /api/lint "$viewer" -d '{"query":"a AND b OR c"}')
is "$(body "$out" | jq -c '[.ok, .lint[0].severity]')" '[false,"error"]' "topics-1.11 live lint"
out=$(api POST /api/lint "$viewer" -d '{"query":"(a AND b) OR c"}')
is "$(body "$out" | jq -c '.ok')" 'true' "topics-1.12 lint of a good query"
is "$(status "$(api DELETE "/api/topics/$fire" "$analyst")")" 204 "topics-1.13 delete: 204"
is "$(status "$(api GET "/api/topics/$fire" "$viewer")")" 404 "topics-1.14 then it is gone"
is "$(status "$(api GET /api/topics/abc "$viewer")")" 404 "topics-1.15 a bad id: 404"
out=$(curl -si -X PATCH -H "Authorization: Bearer $analyst" "$URL/api/topics" | tr -d '\r')
like "$out" '^HTTP/1.1 405' "topics-1.16 a method not allowed: 405"
like "$out" 'Allow: GET, POST' "topics-1.17 with the methods that are"

# ---- numbers ----
out=$(api GET "/api/metrics?topics=$bat,$hin&since=30d&interval=day" "$viewer")
is "$(status "$out")" 200 "metrics-1.1 /api/metrics"
is "$(body "$out" | jq -c '[.topics[] | .volume]')" '[5,2]' "metrics-1.2 volume per topic"
is "$(body "$out" | jq -c '[.topics[] | .share_of_voice] | map(. * 100 | round)')" '[71,29]' \
  "metrics-1.3 share of voice across the topics asked for"
out=$(api GET "/api/authors/top?since=3650d" "$viewer")
is "$(body "$out" | jq -r '.authors[0].handle')" "bob" "metrics-1.4 top authors by followers"
out=$(api GET "/api/terms/trending?since=3650d" "$viewer")
is "$(status "$out")" 200 "metrics-1.5 trending terms answer"

# ---- operators ----
m=$(curl -s "$URL/metrics")
like "$m" 'horch_stored_posts_total 12' "ops-1.1 /metrics: posts stored"
like "$m" '# TYPE horch_commit_seconds summary' "ops-1.2 commit latency"
like "$m" 'horch_sse_clients [0-9]+' "ops-1.3 stream clients"
like "$m" 'horch_queue_depth 0' "ops-1.4 queue depth"
like "$m" 'horch_ingest_refused_total 2' "ops-1.4a posts refused at ingest"
h=$(curl -sI "$URL/wall")
like "$h" "Content-Security-Policy: default-src 'none'; script-src 'self'" "ops-1.5 pages carry a strict CSP"
like "$(curl -sI "$URL/" | tr -d '\r')" 'Location: /wall' "ops-1.6 / goes to the wall"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/assets/nosuch.js")" 404 "ops-1.7 an unknown file: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' --data-binary 'x=1' "$URL/wall")" 413 \
  "ops-1.8 a page takes no body: 413 before it is read"

# ---- a clean stop ----
serve_stop
ok $? "stop-1.1 SIGTERM: exit status 0"
like "$(tail -n 2 "$T/serve.log")" 'stopped stored=12' "stop-1.2 says what it stored"
SERVE_PID=

# ---- configuration ----
printf '[server]\nlisten = 127.0.0.1:0\nmax_body = 1k\n[pipeline]\nbatch_ms = 5ms\n' > "$T/small.conf"
serve_start "$db" --config "$T/small.conf"
big=$(head -c 3000 /dev/zero | tr '\0' a)
out=$(api POST /api/ingest "$analyst" -d "{\"source\":\"t\",\"text\":\"$big\"}")
is "$(status "$out")" 413 "conf-1.1 server.max_body caps the body"
pre="{\"source\":\"t\",\"external_id\":\"cap1\",\"text\":\""
pad=$(head -c $((1024 - ${#pre} - 2)) /dev/zero | tr '\0' b)
b="$pre$pad\"}"
out=$(api POST /api/ingest "$analyst" --data-binary "$b")
is "${#b}/$(status "$out")" "1024/200" "conf-1.1a a body of exactly max_body bytes is taken"
out=$(api POST /api/ingest "$analyst" --data-binary "${b}x" -H 'Transfer-Encoding: chunked')
is "$(status "$out")" 413 "conf-1.1b one byte more, sent chunked (no Content-Length): 413"
serve_stop; SERVE_PID=
printf '[server]\nlisten = 127.0.0.1:0\nmax_bodi = 1k\n' > "$T/typo.conf"
out=$(horch --db "$db" serve --config "$T/typo.conf" 2>&1)
is "$?" 2 "conf-1.2 an unknown setting: usage error"
like "$out" 'typo.conf:3: unknown setting "server.max_bodi"' "conf-1.3 naming file, line and key"
printf '[pipeline]\nbatch_ms = soon\n' > "$T/bad.conf"
out=$(horch --db "$db" serve --config "$T/bad.conf" 2>&1)
like "$out" 'bad.conf:2: pipeline.batch_ms: "soon" is not a duration' "conf-1.4 a bad value names its line"

done_testing
