#!/bin/bash
# source_hn.sh - the Hacker News connector end to end, against the fake
# Algolia HN Search of tests/tools/forum_server (item i is a story when
# i % 3 == 0, else a comment; two items a second):
#
#   1. a clean reference: `horch source poll` of 100 stories and comments,
#      five hits a page, until nothing is new, into one database;
#   2. crash and restart: `horch serve` polls a search that grows from 20
#      to the same 100 items, 10 a second, each answer 0.4 s late, into a
#      second database; it is killed with SIGKILL while a fetch is in
#      flight, and started again: the stored (source, external_id) pairs
#      then equal the reference's, no gap and no duplicate;
#   3. a 503 with Retry-After and a slow answer (past the source's timeout)
#      end a poll with an error on the source's health, and the next poll
#      stores everything.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
command -v curl >/dev/null || skip_all "curl is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"

tools=$(dirname "$HORCH_BIN")/tests/tools
[ -x "$tools/forum_server" ] || skip_all "no forum_server (tests/tools)"
FS_PIDS=
trap '[ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null; for p in $FS_PIDS; do kill "$p" 2>/dev/null; done; [ -n "${HORCH_KEEP_TMP:-}" ] && echo "# kept $T" || rm -rf "$T"' EXIT
ITEMS=100
WANT=100         # 34 stories and 66 comments
SETTINGS="since=1700000000 hits=5"

# fs_start NAME ARGS...: start a forum_server; sets FS (its base URL).
fs_start() {
  local name=$1; shift
  "$tools/forum_server" --port-file "$T/$name.port" "$@" > /dev/null 2> "$T/$name.log" &
  FS_PIDS="$FS_PIDS $!"
  for _ in $(seq 50); do [ -s "$T/$name.port" ] && break; sleep 0.1; done
  FS="http://127.0.0.1:$(cat "$T/$name.port")"
}
stat() { curl -s "$1/_stats" | jq -r ".$2"; }
stored() { sqlite3 "$1" "SELECT source || ' ' || external_id FROM post ORDER BY 1"; }
count() { sqlite3 "$1" "SELECT count(*) FROM post"; }
health() { horch --db "$1" source list --json | jq -r "select(.name == \"$2\") | .$3"; }

# 1. The reference.
ref=$T/ref.db
fs_start ref --posts $ITEMS
REF=$FS
horch --db "$ref" source add news --kind hn --url "$REF" --interval 1 $SETTINGS > /dev/null 2>&1
polls=0
while [ "$polls" -lt 10 ]; do
  out=$(horch --db "$ref" source poll news 2>&1) || break
  polls=$((polls + 1))
  case "$out" in *"): 0 posts fetched"*) break ;; esac
done
like "$out" "polled source 'news' \(hn\): 0 posts fetched" "hn-1.1 polls until nothing is new ($polls polls)"
# Ten pages of five a poll: 50 hits, then the walk goes on below its
# oldest second, whose two hits it reads again but does not store: 48,
# then the last 2, then none.
is "$polls" 4 "hn-1.2 three polls with hits, one without"
is "$(count "$ref")" "$WANT" "hn-1.3 the reference holds every story and comment"
is "$(sqlite3 "$ref" "SELECT source || '|' || kind || '|' || url || '|' || author || '|' || created_at || '|' || title FROM post WHERE external_id = '38000003'")" \
   "hackernews|post|https://news.ycombinator.com/item?id=38000003|user3|1700000001000|Item 3: firmware camera broken firmware" \
   "hn-1.4 a story's source, kind, URL, author, time and title"
is "$(sqlite3 "$ref" "SELECT kind || '|' || parent FROM post WHERE external_id = '38000005'")" \
   "comment|38000004" "hn-1.5 a comment and its parent"
like "$(sqlite3 "$ref" "SELECT text FROM post WHERE external_id = '38000005'")" \
     "> a quote 'here'$" "hn-1.6 its HTML stored as text"
is "$(sqlite3 "$ref" "SELECT cursor FROM source WHERE name = 'news'")" \
   '{"t":1700000049,"ids":["38000099","38000098"]}' \
   "hn-1.7 the cursor: the newest second and its objectIDs"
like "$(stat "$REF" log)" 'numericFilters=created_at_i>=1700000000,created_at_i<=1700000049&hitsPerPage=5&page=1' \
     "hn-1.8 later pages bounded by the first page's newest second"

# 2. Crash and restart.
crash=$T/crash.db
fs_start crash --posts 20 --grow 10 --every 1 --max-items $ITEMS --delay-ms 400
CRASH=$FS
horch --db "$crash" source add news --kind hn --url "$CRASH" --interval 1 $SETTINGS > /dev/null 2>&1
serve_start "$crash" || exit 1
for _ in $(seq 300); do
  [ "$(count "$crash")" -ge 30 ] && break
  sleep 0.1
done
# Kill while a fetch is in flight: 0.2 s into an answer that takes 0.4 s.
r0=$(stat "$CRASH" requests)
for _ in $(seq 100); do
  [ "$(stat "$CRASH" requests)" -gt "$r0" ] && break
  sleep 0.02
done
sleep 0.2
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
SERVE_PID=
n_mid=$(count "$crash")
ok $(( n_mid >= 30 && n_mid < WANT ? 0 : 1 )) "hn-2.1 killed in the middle of the run ($n_mid of $WANT posts)"
sleep 1
serve_start "$crash" || exit 1
for _ in $(seq 400); do
  [ "$(stat "$CRASH" items)" = "$ITEMS" ] && [ "$(count "$crash")" -ge "$WANT" ] && break
  sleep 0.1
done
sleep 1.5   # one more poll: nothing new may come
serve_stop
SERVE_PID=
is "$(count "$crash")" "$WANT" "hn-2.2 as many posts as the clean run"
if [ "$(stored "$crash")" = "$(stored "$ref")" ]; then
  ok 0 "hn-2.3 the same (source, external_id) pairs: no gap, no duplicate"
else
  ok 1 "hn-2.3 the same (source, external_id) pairs: no gap, no duplicate"
  diff <(stored "$ref") <(stored "$crash") | head -n 5 | sed 's/^/#   /'
fi
is "$(health "$crash" news last_error)" null "hn-2.4 no error on the source's health"

# 3. Faults: a 503 with Retry-After, a slow answer.
faults=$T/faults.db
fs_start faults --posts 30
F=$FS
horch --db "$faults" source add news --kind hn --url "$F" --interval 1 since=1700000000 hits=10 timeout=1 > /dev/null 2>&1
curl -s "$F/_fault?type=503&n=1&secs=5" > /dev/null
out=$(horch --db "$faults" source poll news 2>&1)
like "$out" "HTTP 503" "hn-3.1 a 503 with Retry-After fails the poll"
like "$(health "$faults" news last_error)" "HTTP 503" "hn-3.2 and is the source's last error"
curl -s "$F/_fault?type=slow&n=1&skip=1&secs=2500" > /dev/null
out=$(horch --db "$faults" source poll news 2>&1)
like "$out" "[Tt]imeout" "hn-3.3 a second page slower than the timeout fails the poll"
is "$(count "$faults")" 10 "hn-3.4 the first page is stored"
out=$(horch --db "$faults" source poll news 2>&1)
like "$out" "polled source 'news' \(hn\): 20 posts fetched, 20 new" "hn-3.5 the next poll stores the rest"
is "$(count "$faults")" 30 "hn-3.6 every hit once"
done_testing
