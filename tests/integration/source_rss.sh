#!/bin/bash
# source_rss.sh - the RSS connector end to end, against the feed host of
# tests/tools/feed_server (a site that publishes 10 items each time its
# feed is fetched, showing the newest 25, until 60):
#
#   1. a clean reference: `horch source poll` until the site has published
#      everything and answers 304, into one database;
#   2. crash and restart: `horch serve` polls the same site, whose answers
#      take 0.8 s, into a second database; it is killed with SIGKILL while
#      a fetch is in flight, in the middle of the run, and started again:
#      the stored (source, external_id) pairs then equal the reference's,
#      no gap and no duplicate;
#   3. health: beside a good feed, an XML bomb, a feed over its size cap
#      and a feed with invalid UTF-8 run in one serve: the first two end as
#      errors on their sources' health with a clear message and log line,
#      the third is repaired with a warning, and the good feed is stored
#      whole.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
command -v curl >/dev/null || skip_all "curl is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"

tools=$(dirname "$HORCH_BIN")/tests/tools
[ -x "$tools/feed_server" ] || skip_all "no feed_server (tests/tools)"
FS_PIDS=
trap '[ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null; for p in $FS_PIDS; do kill "$p" 2>/dev/null; done; [ -n "${HORCH_KEEP_TMP:-}" ] && echo "# kept $T" || rm -rf "$T"' EXIT
ITEMS=60
SITE="--items $ITEMS --step 10 --window 25"

# fs_start NAME ARGS...: start a feed host; sets FS (its base URL).
fs_start() {
  local name=$1; shift
  "$tools/feed_server" --port-file "$T/$name.port" "$@" > /dev/null 2> "$T/$name.log" &
  FS_PIDS="$FS_PIDS $!"
  for _ in $(seq 50); do [ -s "$T/$name.port" ] && break; sleep 0.1; done
  FS="http://127.0.0.1:$(cat "$T/$name.port")"
}
# stat BASE KEY: a counter of the feed host's /_stats.
stat() { curl -s "$1/_stats" | jq -r ".$2"; }
# stored DB: the stored (source, external_id) pairs, sorted.
stored() { sqlite3 "$1" "SELECT source || ' ' || external_id FROM post ORDER BY 1"; }
count() { sqlite3 "$1" "SELECT count(*) FROM post"; }
# health DB NAME FIELD: a field of the source's line in `source list --json`.
health() { horch --db "$1" source list --json | jq -r "select(.name == \"$2\") | .$3"; }

# 1. The reference: a poll publishes 10 more, until 60; then 304.
ref=$T/ref.db
fs_start ref $SITE
REF=$FS
horch --db "$ref" source add blog --kind rss --url "$REF/feed.rss" --interval 1 > /dev/null 2>&1
polls=0
while [ "$polls" -lt 12 ]; do
  out=$(horch --db "$ref" source poll blog 2>&1) || break
  polls=$((polls + 1))
  case "$out" in *"): 0 posts fetched"*) break ;; esac
done
like "$out" "polled source 'blog' \(rss\): 0 posts fetched" "rss-1.1 polls until nothing is new ($polls polls)"
is "$polls" 7 "rss-1.2 six polls with items, one without"
is "$(count "$ref")" "$ITEMS" "rss-1.3 the reference holds every item"
is "$(stat "$REF" not_modified)" 1 "rss-1.4 the last poll was answered 304"
is "$(stat "$REF" conditional)" 6 "rss-1.5 every poll after the first was a conditional GET"
ok $(( $(stat "$REF" gzip) >= 6 ? 0 : 1 )) "rss-1.6 the bodies came gzip-encoded"
is "$(sqlite3 "$ref" "SELECT url || '|' || title || '|' || author || '|' || created_at || '|' || lang FROM post WHERE external_id = 'tag:feed-server.test,2026:item-1'")" \
   "https://blog.feed-server.test/posts/1|Item 1: broken support great love|Author 1|1767225660000|en" \
   "rss-1.7 an item's url, title, author, date and language"
like "$(sqlite3 "$ref" "SELECT text FROM post WHERE external_id = 'tag:feed-server.test,2026:item-1'")" \
   '^slow update support' "rss-1.8 its HTML content stored as text"
like "$(sqlite3 "$ref" "SELECT cursor FROM source WHERE name = 'blog'")" \
   '^\{"etag":"\\"r-60-1\\"","modified":"Thu, 01 Jan 2026 01:00:00 GMT","ids":"[0-9a-f]{400}"\}$' \
   "rss-1.9 the cursor: ETag, Last-Modified and the hashes of the 25 items shown"

# 2. Crash and restart: serve polls every second, each answer takes 0.8 s.
crash=$T/crash.db
fs_start crash $SITE --fail-first 100000:slow --slow-ms 800
CRASH=$FS
horch --db "$crash" source add blog --kind rss --url "$CRASH/feed.rss" --interval 1 > /dev/null 2>&1
serve_start "$crash" || exit 1
for _ in $(seq 300); do
  [ "$(count "$crash")" -ge 20 ] && break
  sleep 0.1
done
# Kill while a fetch is in flight: 0.3 s into an answer that takes 0.8 s.
f0=$(stat "$CRASH" feed)
for _ in $(seq 100); do
  [ "$(stat "$CRASH" feed)" -gt "$f0" ] && break
  sleep 0.05
done
sleep 0.3
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
SERVE_PID=
n_mid=$(count "$crash")
ok $(( n_mid >= 20 && n_mid < ITEMS ? 0 : 1 )) "rss-2.1 killed in the middle of the run ($n_mid of $ITEMS posts)"
sleep 1  # the answer the killed fetch was waiting for is sent, and lost
pub=$(stat "$CRASH" published)
ok $(( pub > n_mid ? 0 : 1 )) "rss-2.2 the site published items the dead server never saw ($pub published)"
serve_start "$crash" || exit 1
for _ in $(seq 400); do
  [ "$(stat "$CRASH" published)" = "$ITEMS" ] && [ "$(stat "$CRASH" not_modified)" -ge 1 ] && break
  sleep 0.1
done
serve_stop
SERVE_PID=
n304=$(stat "$CRASH" not_modified)
ok $(( n304 >= 1 ? 0 : 1 )) "rss-2.3 after the restart serve read the site to its end (a 304)"
is "$(count "$crash")" "$ITEMS" "rss-2.4 as many posts as the clean run"
if [ "$(stored "$crash")" = "$(stored "$ref")" ]; then
  ok 0 "rss-2.5 the same (source, external_id) pairs: no gap, no duplicate"
else
  ok 1 "rss-2.5 the same (source, external_id) pairs: no gap, no duplicate"
  diff <(stored "$ref") <(stored "$crash") | head -n 5 | sed 's/^/#   /'
fi
is "$(health "$crash" blog last_error)" null "rss-2.6 no error on the source's health"

# 3. Health: a bomb, an oversized feed and invalid UTF-8 beside a good feed.
mix=$T/mix.db
fs_start mix --items 20 --dir "$HORCH_SOURCE_ROOT/tests/cases/rss"
MIX=$FS
horch --db "$mix" source add good --kind rss --url "$MIX/feed.rss" --interval 1 > /dev/null 2>&1
horch --db "$mix" source add bomb --kind rss --url "$MIX/files/bomb.xml" --interval 1 > /dev/null 2>&1
horch --db "$mix" source add big --kind rss --url "$MIX/feed.atom" --interval 1 max_bytes=2000 > /dev/null 2>&1
horch --db "$mix" source add bad --kind rss --url "$MIX/files/invalid-utf8.xml" --interval 1 > /dev/null 2>&1
serve_start "$mix" || exit 1
for _ in $(seq 200); do
  [ "$(health "$mix" bomb errors)" -ge 1 ] 2>/dev/null && [ "$(health "$mix" big errors)" -ge 1 ] 2>/dev/null &&
    [ "$(count "$mix")" -ge 22 ] && break
  sleep 0.1
done
serve_stop
SERVE_PID=
like "$(health "$mix" bomb last_error)" "bomb.xml: entity expansion: entity 'lol1' refers to another entity" \
     "rss-3.1 the bomb is an error on its source's health"
like "$(health "$mix" big last_error)" "feed.atom: the body is more than 2000 bytes" \
     "rss-3.2 the oversized feed too"
like "$(health "$mix" bad last_warning)" "invalid UTF-8 sequences replaced by U\+FFFD" \
     "rss-3.3 the invalid UTF-8 is repaired, with a warning on its health"
is "$(health "$mix" bad last_error)" null "rss-3.4 and no error"
is "$(sqlite3 "$mix" "SELECT count(*) FROM post WHERE url LIKE 'https://e.example/%'")" 2 \
   "rss-3.5 both items of the repaired feed are stored"
is "$(health "$mix" good posts)" 20 "rss-3.6 the good feed beside them stored whole"
is "$(health "$mix" good last_error)" null "rss-3.7 without an error"
log=$(cat "$T/serve.log")
like "$log" "source=bomb kind=rss errors=[0-9]+ error=.*entity expansion" "rss-3.8 serve's log names the bomb"
like "$log" "source=bad kind=rss warning=.*U\+FFFD" "rss-3.9 and the repair"
done_testing
