#!/usr/bin/env bash
# kill -9 of horch serve under load, then a restart: every post whose
# ingest call was answered 2xx is stored, and none twice.  Four clients
# post batches of 20 posts as fast as they can; each writes down the ids of
# the batches that were answered 200.  The daemon is killed with SIGKILL in
# the middle; its store is then checked against those lists, and the
# clients' retry (sending every batch again) stores each post once.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || skip_all "curl is not installed"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"

db=$T/crash.db
horch --db "$db" topic add battery 'battery OR akku' >/dev/null
tok=$(horch --db "$db" token create --role analyst 2>/dev/null)
serve_start "$db"
ok $? "crash-1.1 the daemon starts"

# client W: post batches until a call fails; list the acknowledged ids.
client() {
  local w=$1 k=0 i body ids code
  while :; do
    body="[" ids=""
    for i in $(seq 1 20); do
      body+="{\"source\":\"load\",\"external_id\":\"w$w-$k-$i\",\"text\":\"battery report $w $k $i: the akku is fine\"},"
      ids+="w$w-$k-$i"$'\n'
    done
    body="${body%,}]"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
      -H "Authorization: Bearer $tok" -d "$body" "$URL/api/ingest") || code=000
    printf '%s' "$body" > "$T/batch.$w.$k"
    [ "$code" = 200 ] || break
    printf '%s' "$ids" >> "$T/acked.$w"
    k=$((k + 1))
  done
  echo "$k" > "$T/batches.$w"
}
for w in 1 2 3 4; do : > "$T/acked.$w"; client "$w" & done
sleep 3
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
SERVE_PID=
wait
acked=$(cat "$T"/acked.* | sort -u | wc -l)
[ "$acked" -gt 0 ]
ok $? "crash-1.2 posts were acknowledged before the kill ($acked)"

sqlite3 "$db" "SELECT external_id FROM post WHERE source = 'load'" | sort > "$T/stored"
cat "$T"/acked.* | sort > "$T/acked"
missing=$(comm -23 "$T/acked" "$T/stored" | wc -l)
is "$missing" 0 "crash-1.3 every acknowledged post is stored after kill -9"
is "$(sqlite3 "$db" "SELECT count(*) - count(DISTINCT source || '/' || external_id) FROM post")" 0 \
  "crash-1.4 none twice"

# The restart: the store opens, and the clients send every batch again
# (what a client does when it got no answer).
serve_start "$db"
ok $? "crash-2.1 the daemon starts again on the same store"
before=$(sqlite3 "$db" "SELECT count(*) FROM post WHERE source = 'load'")
sent=0 stored=0 dups=0
for f in "$T"/batch.*; do
  out=$(curl -s -H "Authorization: Bearer $tok" --data-binary @"$f" "$URL/api/ingest")
  stored=$((stored + $(printf '%s' "$out" | jq .stored)))
  dups=$((dups + $(printf '%s' "$out" | jq .duplicates)))
  sent=$((sent + 20))
done
after=$(sqlite3 "$db" "SELECT count(*) FROM post WHERE source = 'load'")
is "$((after - before))" "$stored" "crash-2.2 sending everything again stores only what was missing"
is "$((stored + dups))" "$sent" "crash-2.3 the rest is counted as duplicates"
is "$(sqlite3 "$db" "SELECT count(*) - count(DISTINCT source || '/' || external_id) FROM post")" 0 \
  "crash-2.4 still none twice"
is "$(sqlite3 "$db" "SELECT count(*) FROM post p WHERE source = 'load' AND NOT EXISTS
  (SELECT 1 FROM match m WHERE m.post_id = p.id)")" 0 "crash-2.5 every stored post has its topic match"
serve_stop
ok $? "crash-2.6 and stops cleanly"
SERVE_PID=

# SIGTERM while a call of 20,000 posts is in progress: the call is
# answered, after its posts are committed.
serve_start "$db"
for i in $(seq 1 20000); do
  printf '{"source":"term","external_id":"%d","text":"post %d, sent as the daemon is told to stop"}\n' "$i" "$i"
done > "$T/term.jsonl"
curl -s -H "Authorization: Bearer $tok" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$T/term.jsonl" "$URL/api/ingest" > "$T/term.answer" &
client=$!
sleep 0.3
serve_stop
ok $? "term-1.1 SIGTERM during an ingest call: a clean stop"
SERVE_PID=
wait "$client"
is "$(jq -c '[.stored, .rejected]' "$T/term.answer")" "[20000,0]" \
  "term-1.2 the call in progress is answered, its posts committed"
is "$(sqlite3 "$db" "SELECT count(*) FROM post WHERE source = 'term'")" 20000 "term-1.3 all of them stored"
done_testing
