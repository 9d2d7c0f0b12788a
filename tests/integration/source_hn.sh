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
. "$(dirname "$0")/lib_sources.sh"
needs sqlite3 curl jq

[ -x "$TOOLS/forum_server" ] || skip_all "no forum_server (tests/tools)"
ITEMS=100
WANT=100         # 34 stories and 66 comments
SETTINGS="since=1700000000 hits=5"

# 1. The reference.
ref=$T/ref.db
tool_start REF "$TOOLS/forum_server" --posts $ITEMS
horch --db "$ref" source add news --kind hn --url "$REF" --interval 1 $SETTINGS > /dev/null 2>&1
poll_until_idle "$ref" news 10
like "$out" "polled source 'news' \(hn\): 0 posts fetched" "hn-1.1 polls until nothing is new ($polls polls)"
# Ten pages of five a poll: 50 hits, then the walk goes on below its
# oldest second, whose two hits it reads again but does not store: 48,
# then the last 2, then none.
is "$polls" 4 "hn-1.2 three polls with hits, one without"
is "$(db_count "$ref")" "$WANT" "hn-1.3 the reference holds every story and comment"
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
like "$(tool_stat "$REF" log)" 'numericFilters=created_at_i>=1700000000,created_at_i<=1700000049&hitsPerPage=5&page=1' \
     "hn-1.8 later pages bounded by the first page's newest second"

# 2. Crash and restart.
crash=$T/crash.db
tool_start CRASH "$TOOLS/forum_server" --posts 20 --grow 10 --every 1 --max-items $ITEMS --delay-ms 400
horch --db "$crash" source add news --kind hn --url "$CRASH" --interval 1 $SETTINGS > /dev/null 2>&1
serve_until 30 "$crash" '[ "$(db_count "$crash")" -ge 30 ]'
# Kill while a fetch is in flight: 0.2 s into an answer that takes 0.4 s.
kill_mid_fetch "$CRASH" requests 0.02 0.2
n_mid=$(db_count "$crash")
ok $(( n_mid >= 30 && n_mid < WANT ? 0 : 1 )) "hn-2.1 killed in the middle of the run ($n_mid of $WANT posts)"
sleep 1
serve_until 40 "$crash" '[ "$(tool_stat "$CRASH" items)" = "$ITEMS" ] && [ "$(db_count "$crash")" -ge "$WANT" ]'
sleep 1.5   # one more poll: nothing new may come
serve_end
is "$(db_count "$crash")" "$WANT" "hn-2.2 as many posts as the clean run"
pairs_equal "$ref" "$crash" "hn-2.3 the same (source, external_id) pairs: no gap, no duplicate"
is "$(source_field "$crash" news last_error)" null "hn-2.4 no error on the source's health"

# 3. Faults: a 503 with Retry-After, a slow answer.
faults=$T/faults.db
tool_start F "$TOOLS/forum_server" --posts 30
horch --db "$faults" source add news --kind hn --url "$F" --interval 1 since=1700000000 hits=10 timeout=1 > /dev/null 2>&1
curl -s "$F/_fault?type=503&n=1&secs=5" > /dev/null
out=$(horch --db "$faults" source poll news 2>&1)
like "$out" "HTTP 503" "hn-3.1 a 503 with Retry-After fails the poll"
like "$(source_field "$faults" news last_error)" "HTTP 503" "hn-3.2 and is the source's last error"
curl -s "$F/_fault?type=slow&n=1&skip=1&secs=2500" > /dev/null
out=$(horch --db "$faults" source poll news 2>&1)
like "$out" "[Tt]imeout" "hn-3.3 a second page slower than the timeout fails the poll"
is "$(db_count "$faults")" 10 "hn-3.4 the first page is stored"
out=$(horch --db "$faults" source poll news 2>&1)
like "$out" "polled source 'news' \(hn\): 20 posts fetched, 20 new" "hn-3.5 the next poll stores the rest"
is "$(db_count "$faults")" 30 "hn-3.6 every hit once"
done_testing
