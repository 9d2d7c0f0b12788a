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
. "$(dirname "$0")/lib_sources.sh"
needs sqlite3 curl jq

[ -x "$TOOLS/feed_server" ] || skip_all "no feed_server (tests/tools)"
ITEMS=60
SITE="--items $ITEMS --step 10 --window 25"

# 1. The reference: a poll publishes 10 more, until 60; then 304.
ref=$T/ref.db
tool_start REF "$TOOLS/feed_server" $SITE
horch --db "$ref" source add blog --kind rss --url "$REF/feed.rss" --interval 1 > /dev/null 2>&1
poll_until_idle "$ref" blog 12
like "$out" "polled source 'blog' \(rss\): 0 posts fetched" "rss-1.1 polls until nothing is new ($polls polls)"
is "$polls" 7 "rss-1.2 six polls with items, one without"
is "$(db_count "$ref")" "$ITEMS" "rss-1.3 the reference holds every item"
is "$(tool_stat "$REF" not_modified)" 1 "rss-1.4 the last poll was answered 304"
is "$(tool_stat "$REF" conditional)" 6 "rss-1.5 every poll after the first was a conditional GET"
ok $(( $(tool_stat "$REF" gzip) >= 6 ? 0 : 1 )) "rss-1.6 the bodies came gzip-encoded"
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
tool_start CRASH "$TOOLS/feed_server" $SITE --fail-first 100000:slow --slow-ms 800
horch --db "$crash" source add blog --kind rss --url "$CRASH/feed.rss" --interval 1 > /dev/null 2>&1
serve_until 30 "$crash" '[ "$(db_count "$crash")" -ge 20 ]'
# Kill while a fetch is in flight: 0.3 s into an answer that takes 0.8 s.
kill_mid_fetch "$CRASH" feed 0.05 0.3
n_mid=$(db_count "$crash")
ok $(( n_mid >= 20 && n_mid < ITEMS ? 0 : 1 )) "rss-2.1 killed in the middle of the run ($n_mid of $ITEMS posts)"
sleep 1  # the answer the killed fetch was waiting for is sent, and lost
pub=$(tool_stat "$CRASH" published)
ok $(( pub > n_mid ? 0 : 1 )) "rss-2.2 the site published items the dead server never saw ($pub published)"
serve_until 40 "$crash" '[ "$(tool_stat "$CRASH" published)" = "$ITEMS" ] && [ "$(tool_stat "$CRASH" not_modified)" -ge 1 ]'
serve_end
n304=$(tool_stat "$CRASH" not_modified)
ok $(( n304 >= 1 ? 0 : 1 )) "rss-2.3 after the restart serve read the site to its end (a 304)"
is "$(db_count "$crash")" "$ITEMS" "rss-2.4 as many posts as the clean run"
pairs_equal "$ref" "$crash" "rss-2.5 the same (source, external_id) pairs: no gap, no duplicate"
is "$(source_field "$crash" blog last_error)" null "rss-2.6 no error on the source's health"

# 3. Health: a bomb, an oversized feed and invalid UTF-8 beside a good feed.
mix=$T/mix.db
tool_start MIX "$TOOLS/feed_server" --items 20 --dir "$HORCH_SOURCE_ROOT/tests/cases/rss"
horch --db "$mix" source add good --kind rss --url "$MIX/feed.rss" --interval 1 > /dev/null 2>&1
horch --db "$mix" source add bomb --kind rss --url "$MIX/files/bomb.xml" --interval 1 > /dev/null 2>&1
horch --db "$mix" source add big --kind rss --url "$MIX/feed.atom" --interval 1 max_bytes=2000 > /dev/null 2>&1
horch --db "$mix" source add bad --kind rss --url "$MIX/files/invalid-utf8.xml" --interval 1 > /dev/null 2>&1
serve_until 20 "$mix" '[ "$(source_field "$mix" bomb errors)" -ge 1 ] && [ "$(source_field "$mix" big errors)" -ge 1 ] &&
  [ "$(db_count "$mix")" -ge 22 ]'
serve_end
like "$(source_field "$mix" bomb last_error)" "bomb.xml: entity expansion: entity 'lol1' refers to another entity" \
     "rss-3.1 the bomb is an error on its source's health"
like "$(source_field "$mix" big last_error)" "feed.atom: the body is more than 2000 bytes" \
     "rss-3.2 the oversized feed too"
like "$(source_field "$mix" bad last_warning)" "invalid UTF-8 sequences replaced by U\+FFFD" \
     "rss-3.3 the invalid UTF-8 is repaired, with a warning on its health"
is "$(source_field "$mix" bad last_error)" null "rss-3.4 and no error"
is "$(sqlite3 "$mix" "SELECT count(*) FROM post WHERE url LIKE 'https://e.example/%'")" 2 \
   "rss-3.5 both items of the repaired feed are stored"
is "$(source_field "$mix" good posts)" 20 "rss-3.6 the good feed beside them stored whole"
is "$(source_field "$mix" good last_error)" null "rss-3.7 without an error"
log=$(cat "$T/serve.log")
like "$log" "source=bomb kind=rss errors=[0-9]+ error=.*entity expansion" "rss-3.8 serve's log names the bomb"
like "$log" "source=bad kind=rss warning=.*U\+FFFD" "rss-3.9 and the repair"
done_testing
