#!/bin/bash
# source_bluesky.sh - the Bluesky connector end to end, against the fake
# Jetstream of tests/tools/jetstream_server:
#
#   1. a clean reference: `horch source poll` reads a whole stream (the
#      server closes it after its last event) into one database;
#   2. crash and restart: `horch serve` streams the same events, sent
#      slowly, into a second database; it is killed with SIGKILL in the
#      middle of the stream, started again, and resumes from the cursor it
#      stored with its posts: the stored (source, external_id) pairs then
#      equal the reference's, no gap and no duplicate;
#   3. the topic pre-filter in serve: with a topic "korvo" and the default
#      filter, exactly the posts the topic matches are stored (those the
#      same topic matches among the reference's posts).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sources.sh"
needs sqlite3 curl

[ -x "$TOOLS/jetstream_server" ] || skip_all "no jetstream_server (tests/tools)"
EVENTS=1500

# jet_start VAR ARGS...: start a fake Jetstream (its URL in VAR); sets JET_URL (its ws:// address).
jet_start() {
  local var=$1; shift
  tool_start "$var" "$TOOLS/jetstream_server" --posts "$EVENTS" "$@"
  JET_URL="ws://${!var#http://}/subscribe"
}
# cursor DB: the stored cursor of the source bsky.
cursor() { sqlite3 "$1" "SELECT cursor FROM source WHERE name = 'bsky'"; }

# 1. The reference.
ref=$T/ref.db
jet_start JREF --close-at-end
horch --db "$ref" source add bsky --kind bluesky --url "$JET_URL" filter=none > /dev/null 2>&1
out=$(horch --db "$ref" source poll bsky --for 60 2>&1)
ok $? "bluesky-1.1 a poll reads the whole stream: $out"
n_ref=$(db_count "$ref")
ok $(( n_ref > 500 ? 0 : 1 )) "bluesky-1.2 the reference holds the stream's posts ($n_ref)"
last=$(cursor "$ref")
like "$last" '^17259111[0-9]{8}$' "bluesky-1.3 its cursor is a time_us"
is "$(sqlite3 "$ref" "SELECT count(*) FROM post WHERE source = 'bluesky' AND external_id LIKE 'at://did:plc:%/app.bsky.feed.post/%' AND url LIKE 'https://bsky.app/profile/did:plc:%/post/%' AND author LIKE 'did:plc:%'")" \
   "$n_ref" "bluesky-1.4 every post has its at:// id, its bsky.app link and its DID"
ok $(( $(sqlite3 "$ref" "SELECT count(*) FROM post WHERE kind = 'reply' AND parent LIKE 'at://%'") > 50 ? 0 : 1 )) \
   "bluesky-1.5 replies are stored with their parent"

# 2. Crash and restart: 200 events a second, killed after about 3 s.
crash=$T/crash.db
jet_start JSLOW --rate 200
horch --db "$crash" source add bsky --kind bluesky --url "$JET_URL" filter=none > /dev/null 2>&1
# Killed once a cursor is stored (the connector commits every second), so
# that the restart resumes from it rather than from the start.
serve_until 20 "$crash" '[ "$(db_count "$crash")" -gt 150 ] && [ -n "$(cursor "$crash")" ]'
serve_kill
n_mid=$(db_count "$crash")
mid_cursor=$(cursor "$crash")
ok $(( n_mid > 0 && n_mid < n_ref ? 0 : 1 )) "bluesky-2.1 killed in the middle of the stream ($n_mid of $n_ref posts)"
like "$mid_cursor" '^17259111[0-9]{8}$' "bluesky-2.2 with a cursor stored ($mid_cursor)"
serve_until 30 "$crash" '[ "$(cursor "$crash")" = "$last" ] && [ "$(db_count "$crash")" -ge "$n_ref" ]'
is "$(cursor "$crash")" "$last" "bluesky-2.3 after the restart the stream is read to its end"
serve_end
is "$(db_count "$crash")" "$n_ref" "bluesky-2.4 as many posts as the clean run"
pairs_equal "$ref" "$crash" "bluesky-2.5 the same (source, external_id) pairs: no gap, no duplicate"
like "$(cat "$T/serve.log")" 'module=bluesky.*connected=127.0.0.1|connected=127.0.0.1' \
  "bluesky-2.6 serve's log says when it connected"

# 3. The topic pre-filter in serve.
topics=$T/topics.db
jet_start JFAST
horch --db "$topics" topic add korvo 'korvo' > /dev/null 2>&1
horch --db "$topics" source add bsky --kind bluesky --url "$JET_URL" > /dev/null 2>&1
# What the topic matches, by the matcher's own rules, among the reference's
# posts ("Korvo's" is one word to it, and no match for korvo).
horch --db "$ref" topic add korvo 'korvo' > /dev/null 2>&1
matched() {
  sqlite3 "$1" "SELECT p.source || ' ' || p.external_id FROM post p JOIN match m ON m.post_id = p.id ORDER BY 1"
}
n_korvo=$(matched "$ref" | wc -l)
serve_until 20 "$topics" '[ "$(cursor "$topics")" = "$last" ]'
serve_end
is "$(cursor "$topics")" "$last" "bluesky-3.1 serve read the whole stream"
is "$(db_count "$topics")" "$n_korvo" "bluesky-3.2 as many posts as the topic matches in the reference ($n_korvo)"
if [ "$(db_pairs "$topics")" = "$(matched "$ref")" ] && [ "$(matched "$topics" | wc -l)" = "$n_korvo" ]; then
  ok 0 "bluesky-3.3 exactly those: the pre-filter kept every post the topic matches, and no other"
else
  ok 1 "bluesky-3.3 exactly those: the pre-filter kept every post the topic matches, and no other"
  diff <(matched "$ref") <(db_pairs "$topics") | head -n 5 | sed 's/^/#   /'
fi
done_testing
