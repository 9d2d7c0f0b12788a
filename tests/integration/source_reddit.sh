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
. "$(dirname "$0")/lib_sources.sh"
needs sqlite3 curl jq

[ -x "$TOOLS/forum_server" ] || skip_all "no forum_server (tests/tools)"
ITEMS=100
WANT=99          # 75 posts and 25 comments, one of them removed
SETTINGS="subreddit=korvo comments=yes limit=5"

# 1. The reference.
ref=$T/ref.db
tool_start REF "$TOOLS/forum_server" --posts $ITEMS
horch --db "$ref" source add rd --kind reddit --url "$REF" --interval 1 $SETTINGS > /dev/null 2>&1
poll_until_idle "$ref" rd 10
like "$out" "polled source 'rd' \(reddit\): 0 posts fetched" "reddit-1.1 polls until nothing is new ($polls polls)"
is "$polls" 3 "reddit-1.2 ten pages of five a poll: two polls with posts, one without"
is "$(db_count "$ref")" "$WANT" "reddit-1.3 the reference holds every post and comment"
is "$(sqlite3 "$ref" "SELECT kind || '|' || url || '|' || author || '|' || created_at || '|' || likes || '|' || replies FROM post WHERE external_id = 't3_100001'")" \
   "post|https://www.reddit.com/r/korvo/comments/100001/item_1/|user_1|1700000000000|124|5" \
   "reddit-1.4 a post's kind, permalink, author, time, score and comments"
is "$(sqlite3 "$ref" "SELECT kind || '|' || parent FROM post WHERE external_id = 't1_100007'")" \
   "comment|t3_100006" "reddit-1.5 a comment and its parent"
is "$(sqlite3 "$ref" "SELECT cursor FROM source WHERE name = 'rd'")" \
   '{"posts":{"t":1700000049,"ids":["t3_10002q"]},"comments":{"t":1700000049,"ids":["t1_10002r"]}}' \
   "reddit-1.6 the cursor: each listing's newest second and its fullnames"
like "$(tool_stat "$REF" log)" 'after=t3_' "reddit-1.7 the listing was paged with after"

# 2. Crash and restart.
crash=$T/crash.db
tool_start CRASH "$TOOLS/forum_server" --posts 20 --grow 10 --every 1 --max-items $ITEMS --delay-ms 400
horch --db "$crash" source add rd --kind reddit --url "$CRASH" --interval 1 $SETTINGS > /dev/null 2>&1
serve_until 30 "$crash" '[ "$(db_count "$crash")" -ge 30 ]'
# Kill while a fetch is in flight: 0.2 s into an answer that takes 0.4 s.
kill_mid_fetch "$CRASH" requests 0.02 0.2
n_mid=$(db_count "$crash")
ok $(( n_mid >= 30 && n_mid < WANT ? 0 : 1 )) "reddit-2.1 killed in the middle of the run ($n_mid of $WANT posts)"
sleep 1
serve_until 40 "$crash" '[ "$(tool_stat "$CRASH" items)" = "$ITEMS" ] && [ "$(db_count "$crash")" -ge "$WANT" ]'
sleep 1.5   # one more poll: nothing new may come
serve_end
is "$(db_count "$crash")" "$WANT" "reddit-2.2 as many posts as the clean run"
pairs_equal "$ref" "$crash" "reddit-2.3 the same (source, external_id) pairs: no gap, no duplicate"
is "$(source_field "$crash" rd last_error)" null "reddit-2.4 no error on the source's health"

# 3. Faults: a 429 with Retry-After, then a malformed second page.
faults=$T/faults.db
tool_start F "$TOOLS/forum_server" --posts 40
horch --db "$faults" source add rd --kind reddit --url "$F" --interval 1 subreddit=korvo limit=5 > /dev/null 2>&1
curl -s "$F/_fault?type=429&n=1&secs=7" > /dev/null
out=$(horch --db "$faults" source poll rd 2>&1)
like "$out" "HTTP 429" "reddit-3.1 a 429 fails the poll"
like "$(source_field "$faults" rd last_error)" "HTTP 429" "reddit-3.2 and is the source's last error"
is "$(db_count "$faults")" 0 "reddit-3.3 nothing stored"
curl -s "$F/_fault?type=malformed&n=1&skip=1" > /dev/null
out=$(horch --db "$faults" source poll rd 2>&1)
like "$out" "new.json: not JSON at byte" "reddit-3.4 a malformed second page fails the poll, saying where"
is "$(db_count "$faults")" 5 "reddit-3.5 the first page is stored"
like "$(sqlite3 "$faults" "SELECT cursor FROM source WHERE name = 'rd'")" '"after":"t3_' \
     "reddit-3.6 its cursor keeps the walk's place"
out=$(horch --db "$faults" source poll rd 2>&1)
like "$out" "polled source 'rd' \(reddit\): 25 posts fetched, 25 new" "reddit-3.7 the next poll stores the rest"
is "$(db_count "$faults")" 30 "reddit-3.8 every post once"
done_testing
