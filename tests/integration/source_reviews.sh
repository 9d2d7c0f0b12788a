#!/bin/bash
# source_reviews.sh - the reviews connector end to end, against the review
# feed of tests/tools/forum_server (reviews of "Korvo One" (also written
# "Korvo 1"), "Korvo Two", "korvo mini" and "Zeta Phone", which the
# catalogue lacks; the feed in a shuffled order):
#
#   1. a clean reference: `horch source poll` of 100 reviews (JSON Lines)
#      with the catalogue: products named as the catalogue names them, the
#      unknown one reported, a second poll answered 304;
#   2. the ratings per product (GET /api/ratings) count the reviews;
#   3. crash and restart: `horch serve` polls the same feed as CSV, growing
#      from 20 to 100 reviews, 10 a second, each answer 0.4 s late; it is
#      killed with SIGKILL while a fetch is in flight, and started again:
#      the stored (source, external_id) pairs then equal the reference's,
#      no gap and no duplicate;
#   4. a malformed feed fails the poll and stores nothing; a file:// feed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sources.sh"
needs sqlite3 curl jq

[ -x "$TOOLS/forum_server" ] || skip_all "no forum_server (tests/tools)"
ITEMS=100
WANT=100

# catalogue DB: the three products the feed's reviews are about.
catalogue() {
  horch --db "$1" product add "Korvo One" --alias "Korvo 1" > /dev/null 2>&1
  horch --db "$1" product add "Korvo Two" > /dev/null 2>&1
  horch --db "$1" product add "Korvo Mini" > /dev/null 2>&1
}

# 1. The reference.
ref=$T/ref.db
tool_start REF "$TOOLS/forum_server" --posts $ITEMS
catalogue "$ref"
horch --db "$ref" source add rv --kind reviews --url "$REF/reviews.jsonl" --interval 1 > /dev/null 2>&1
out=$(horch --db "$ref" source poll rv 2>&1)
like "$out" "polled source 'rv' \(reviews\): 100 posts fetched, 100 new" "reviews-1.1 a poll stores the feed"
like "$out" "product 'Zeta Phone' is not in the catalogue" "reviews-1.2 the unknown product is reported"
is "$(printf '%s\n' "$out" | grep -c "not in the catalogue")" 2 "reviews-1.3 once (a log line and the poll's warning)"
is "$(sqlite3 "$ref" "SELECT group_concat(product, '|') FROM (SELECT DISTINCT product FROM post ORDER BY 1)")" \
   "Korvo Mini|Korvo One|Korvo Two|Zeta Phone" "reviews-1.4 products as the catalogue names them"
is "$(sqlite3 "$ref" "SELECT source || '|' || kind || '|' || rating || '|' || created_at || '|' || author FROM post WHERE external_id = 'r7'")" \
   "review|review|5.0|1700000003000|user7" "reviews-1.5 a review's source, kind, stars, date and author"
like "$(sqlite3 "$ref" "SELECT cursor FROM source WHERE name = 'rv'")" \
     '^\{"t":1700000049000,"ids":\["r98","r99"\],"etag":"\\"reviews-100-1\\"","last_modified":"Tue, 14 Nov 2023 22:14:09 GMT"\}$' \
     "reviews-1.6 the cursor: the newest date, its ids, the feed's validators"
out=$(horch --db "$ref" source poll rv 2>&1)
like "$out" "polled source 'rv' \(reviews\): 0 posts fetched" "reviews-1.7 a second poll finds nothing new"
is "$(tool_stat "$REF" not_modified)" 1 "reviews-1.8 it was answered 304"

# 2. The ratings per product count the reviews, aliases included.
vtok=$(horch --db "$ref" token create --role viewer 2>/dev/null)
serve_start "$ref" || exit 1
r=$(api GET "/api/ratings?min_reviews=1" "$vtok" | sed '$d')
serve_end
want=$(sqlite3 "$ref" "SELECT group_concat(product || ':' || n || ':' || printf('%.3f', m), ' ') FROM (SELECT product, count(*) AS n, avg(rating) AS m FROM post WHERE product != 'Zeta Phone' GROUP BY product ORDER BY product)")
got=$(printf '%s' "$r" | jq -r '[.products[] | "\(.name):\(.n):\(.mean)"] | join(" ")')
is "$got" "$want" "reviews-2.1 GET /api/ratings counts each product's reviews"
ok $(( $(sqlite3 "$ref" "SELECT count(*) FROM post WHERE product = 'Korvo One'") > 0 ? 0 : 1 )) \
   "reviews-2.2 the reviews of 'Korvo 1' count for Korvo One"

# 3. Crash and restart.
crash=$T/crash.db
tool_start CRASH "$TOOLS/forum_server" --posts 20 --grow 10 --every 1 --max-items $ITEMS --delay-ms 400
catalogue "$crash"
horch --db "$crash" source add rv --kind reviews --url "$CRASH/reviews.csv" --interval 1 > /dev/null 2>&1
serve_until 30 "$crash" '[ "$(db_count "$crash")" -ge 30 ]'
kill_mid_fetch "$CRASH" requests 0.02 0.2
n_mid=$(db_count "$crash")
ok $(( n_mid >= 30 && n_mid < WANT ? 0 : 1 )) "reviews-3.1 killed in the middle of the run ($n_mid of $WANT reviews)"
sleep 1
serve_until 40 "$crash" '[ "$(tool_stat "$CRASH" items)" = "$ITEMS" ] && [ "$(db_count "$crash")" -ge "$WANT" ]'
sleep 1.5
serve_end
is "$(db_count "$crash")" "$WANT" "reviews-3.2 as many reviews as the clean run"
pairs_equal "$ref" "$crash" "reviews-3.3 the same (source, external_id) pairs: no gap, no duplicate"
is "$(sqlite3 "$crash" "SELECT count(*) FROM post p JOIN product pr ON pr.name = p.product")" \
   "$(sqlite3 "$ref" "SELECT count(*) FROM post p JOIN product pr ON pr.name = p.product")" \
   "reviews-3.4 as many tied to the catalogue"
is "$(source_field "$crash" rv last_error)" null "reviews-3.5 no error on the source's health"

# 4. A malformed feed; a file on disk.
faults=$T/faults.db
tool_start F "$TOOLS/forum_server" --posts 10
horch --db "$faults" source add rv --kind reviews --url "$F/reviews.json" > /dev/null 2>&1
curl -s "$F/_fault?type=malformed&n=1" > /dev/null
out=$(horch --db "$faults" source poll rv 2>&1)
like "$out" "feed: not JSON at byte" "reviews-4.1 a cut JSON feed fails the poll"
like "$(source_field "$faults" rv last_error)" "not JSON at byte" "reviews-4.2 on the source's health"
is "$(db_count "$faults")" 0 "reviews-4.3 nothing stored"
printf 'id;rating;title;text;date\nf1;4;Fine;From a file;2024-05-01\nf2;2;Meh;Also;2024-05-02\n' > "$T/export.csv"
horch --db "$faults" source add disk --kind reviews --url "file://$T/export.csv" platform=shop delimiter=";" > /dev/null 2>&1
out=$(horch --db "$faults" source poll disk 2>&1)
like "$out" "polled source 'disk' \(reviews\): 2 posts fetched, 2 new" "reviews-4.4 a file:// feed with ';' between fields"
is "$(sqlite3 "$faults" "SELECT group_concat(source || ':' || external_id || ':' || rating, ' ') FROM post WHERE source = 'shop'")" \
   "shop:f1:4.0 shop:f2:2.0" "reviews-4.5 stored under its platform"
done_testing
