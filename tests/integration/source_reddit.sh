#!/bin/bash
# source_reddit.sh - the Reddit connector end to end, against the fake
# Reddit of tests/tools/forum_server (r/korvo: item i is a comment when
# i % 4 == 3, else a post; one comment of the first 100 is removed):
#
#   1. a clean reference: `horch source poll` of the new posts and the
#      comments of 100 items until nothing is new, into one database;
#   2. crash and restart: `horch serve` polls a subreddit that grows from
#      20 to the same 100 items, 10 a second, each answer 0.4 s late, into
#      a second database; it is killed with SIGKILL while a fetch is in
#      flight, and started again: the stored (source, external_id) pairs
#      then equal the reference's, no gap and no duplicate;
#   3. a 429 with Retry-After and a malformed page end a poll with an error
#      on the source's health, and the next poll stores everything.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
command -v curl >/dev/null || skip_all "curl is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"

tools=$(dirname "$HORCH_BIN")/tests/tools
[ -x "$tools/forum_server" ] || skip_all "no forum_server (tests/tools)"
FS_PIDS=
trap '[ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null; for p in $FS_PIDS; do kill "$p" 2>/dev/null; done; [ -n "${HORCH_KEEP_TMP:-}" ] && echo "# kept $T" || rm -rf "$T"' EXIT
ITEMS=100
WANT=99          # 75 posts and 25 comments, one of them removed
SETTINGS="subreddit=korvo comments=yes limit=5"

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
horch --db "$ref" source add rd --kind reddit --url "$REF" --interval 1 $SETTINGS > /dev/null 2>&1
polls=0
while [ "$polls" -lt 10 ]; do
  out=$(horch --db "$ref" source poll rd 2>&1) || break
  polls=$((polls + 1))
  case "$out" in *"): 0 posts fetched"*) break ;; esac
done
like "$out" "polled source 'rd' \(reddit\): 0 posts fetched" "reddit-1.1 polls until nothing is new ($polls polls)"
is "$polls" 3 "reddit-1.2 ten pages of five a poll: two polls with posts, one without"
is "$(count "$ref")" "$WANT" "reddit-1.3 the reference holds every post and comment"
is "$(sqlite3 "$ref" "SELECT kind || '|' || url || '|' || author || '|' || created_at || '|' || likes || '|' || replies FROM post WHERE external_id = 't3_100001'")" \
   "post|https://www.reddit.com/r/korvo/comments/100001/item_1/|user_1|1700000000000|124|5" \
   "reddit-1.4 a post's kind, permalink, author, time, score and comments"
is "$(sqlite3 "$ref" "SELECT kind || '|' || parent FROM post WHERE external_id = 't1_100007'")" \
   "comment|t3_100006" "reddit-1.5 a comment and its parent"
is "$(sqlite3 "$ref" "SELECT cursor FROM source WHERE name = 'rd'")" \
   '{"posts":{"t":1700000049,"ids":["t3_10002q"]},"comments":{"t":1700000049,"ids":["t1_10002r"]}}' \
   "reddit-1.6 the cursor: each listing's newest second and its fullnames"
like "$(stat "$REF" log)" 'after=t3_' "reddit-1.7 the listing was paged with after"

# 2. Crash and restart.
crash=$T/crash.db
fs_start crash --posts 20 --grow 10 --every 1 --max-items $ITEMS --delay-ms 400
CRASH=$FS
horch --db "$crash" source add rd --kind reddit --url "$CRASH" --interval 1 $SETTINGS > /dev/null 2>&1
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
ok $(( n_mid >= 30 && n_mid < WANT ? 0 : 1 )) "reddit-2.1 killed in the middle of the run ($n_mid of $WANT posts)"
sleep 1
serve_start "$crash" || exit 1
for _ in $(seq 400); do
  [ "$(stat "$CRASH" items)" = "$ITEMS" ] && [ "$(count "$crash")" -ge "$WANT" ] && break
  sleep 0.1
done
sleep 1.5   # one more poll: nothing new may come
serve_stop
SERVE_PID=
is "$(count "$crash")" "$WANT" "reddit-2.2 as many posts as the clean run"
if [ "$(stored "$crash")" = "$(stored "$ref")" ]; then
  ok 0 "reddit-2.3 the same (source, external_id) pairs: no gap, no duplicate"
else
  ok 1 "reddit-2.3 the same (source, external_id) pairs: no gap, no duplicate"
  diff <(stored "$ref") <(stored "$crash") | head -n 5 | sed 's/^/#   /'
fi
is "$(health "$crash" rd last_error)" null "reddit-2.4 no error on the source's health"

# 3. Faults: a 429 with Retry-After, then a malformed second page.
faults=$T/faults.db
fs_start faults --posts 40
F=$FS
horch --db "$faults" source add rd --kind reddit --url "$F" --interval 1 subreddit=korvo limit=5 > /dev/null 2>&1
curl -s "$F/_fault?type=429&n=1&secs=7" > /dev/null
out=$(horch --db "$faults" source poll rd 2>&1)
like "$out" "HTTP 429" "reddit-3.1 a 429 fails the poll"
like "$(health "$faults" rd last_error)" "HTTP 429" "reddit-3.2 and is the source's last error"
is "$(count "$faults")" 0 "reddit-3.3 nothing stored"
curl -s "$F/_fault?type=malformed&n=1&skip=1" > /dev/null
out=$(horch --db "$faults" source poll rd 2>&1)
like "$out" "new.json: not JSON at byte" "reddit-3.4 a malformed second page fails the poll, saying where"
is "$(count "$faults")" 5 "reddit-3.5 the first page is stored"
like "$(sqlite3 "$faults" "SELECT cursor FROM source WHERE name = 'rd'")" '"after":"t3_' \
     "reddit-3.6 its cursor keeps the walk's place"
out=$(horch --db "$faults" source poll rd 2>&1)
like "$out" "polled source 'rd' \(reddit\): 25 posts fetched, 25 new" "reddit-3.7 the next poll stores the rest"
is "$(count "$faults")" 30 "reddit-3.8 every post once"
done_testing
