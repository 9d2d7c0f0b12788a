#!/usr/bin/env bash
# A stream that stops reading is dropped, and ingest goes on: a client
# connects to /api/stream and never reads; 12,000 posts of 3 KB are
# ingested while a second stream reads normally.  Once the sockets'
# buffers are full, the silent stream's queue (1,024 events here)
# overflows and it is dropped; every ingest call is answered, the
# reading stream gets every post, and then resumes from the store what it
# would have missed after a drop.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || skip_all "curl is not installed"

db=$T/slow.db
horch --db "$db" topic add rare 'zebra' >/dev/null
rare=$(horch --db "$db" topic list --json | jq -r .id)
tok=$(horch --db "$db" token create --role analyst 2>/dev/null)
printf '[stream]\nqueue = 1024\ntick = 1s\n[pipeline]\nbatch_max = 500\n' > "$T/slow.conf"
serve_start "$db" --config "$T/slow.conf"
ok $? "slow-1.1 the daemon starts with stream queues of 1,024 events"
port=${URL##*:}

# The silent client: a request, then nothing read, ever.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n' "$tok" >&3
# The reading client.
curl -sN -H "Authorization: Bearer $tok" "$URL/api/stream" > "$T/reader" &
reader=$!
sleep 0.5

filler=$(head -c 3000 /dev/zero | tr '\0' 'x' | sed 's/x\{10\}/lorem ips /g')
answered=0
for b in $(seq 1 12); do
  for i in $(seq 1 1000); do
    printf '{"source":"load","external_id":"%d-%d","text":"post %d of batch %d: %s"}\n' \
      "$b" "$i" "$i" "$b" "$filler"
  done > "$T/batch"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/x-ndjson' --data-binary @"$T/batch" "$URL/api/ingest")
  [ "$code" = 200 ] && answered=$((answered + 1))
done
is "$answered" 12 "slow-1.2 every ingest call is answered while a stream does not read"
sleep 2
m=$(curl -s "$URL/metrics")
like "$m" 'horch_sse_dropped_total [1-9]' "slow-1.3 the silent stream was dropped"
like "$m" 'horch_stored_posts_total 12000' "slow-1.4 all 12,000 posts stored"
kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
is "$(grep -c '^event: post' "$T/reader")" 12000 "slow-1.5 the reading stream got every post"

# What a dropped browser does: reconnect with the last id it had.
mid=$(grep -B1 '^event: post' "$T/reader" | grep '^id:' | sed -n '5000p' | sed 's/^id: //')
curl -sN --max-time 3 -H "Authorization: Bearer $tok" -H "Last-Event-ID: $mid" \
  "$URL/api/stream" > "$T/resumed"
is "$(grep -c '^event: post' "$T/resumed")" 7000 "slow-1.6 a resumed stream gets the 7,000 posts after its last id"
# A stream of a rare topic resumed from the start: 24 pages of the store
# without one of its posts, then its one post (a gap once lost it).
api POST /api/ingest "$tok" -d '{"source":"load","external_id":"z1","text":"a zebra at last"}' >/dev/null
curl -sN --max-time 3 -H "Authorization: Bearer $tok" "$URL/api/stream?topics=$rare&last_event_id=0" \
  > "$T/rare"
is "$(awk '/^event: post/ {p=1; next} p && /^data: / {print substr($0, 7); p=0}' "$T/rare" | jq -r .external_id)" \
  "z1" "slow-1.6a a filtered stream resumed over 12,000 posts it does not want gets its one post"

# Stopped with the silent client still connected: it must not hold the
# daemon up.
serve_stop
ok $? "slow-1.7 stops cleanly, the silent client still connected"
SERVE_PID=
exec 3>&-
done_testing
