#!/bin/bash
# source_mastodon.sh - the Mastodon connector in horch serve, against a fake
# instance (tests/tools/mastodon_server) whose public timeline grows while
# serve reads it: the crash-and-restart check for a polling source and for
# a streaming one (kill -9 in the middle of a fetch, restart, and the
# stored posts are those of a clean run: no gap, no duplicate), the cursor
# and health in `horch source list`, and a token read from the environment
# that shows in no log line and no listing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sources.sh"

[ -x "$TOOLS/mastodon_server" ] || skip_all "tests/tools/mastodon_server not built"
command -v sqlite3 >/dev/null || skip_all "no sqlite3"

# The instance of every run: the same statuses, growing from the first
# request on (20 a second, 240 in all), every REST answer taking 300 ms so
# that a kill lands while a fetch is under way, and a token for everything.
TOKEN=s3cr3t-masto-token
ARGS=(--posts 0 --grow 20 --max 240 --grow-on-request --delay 300 --heartbeat 200
      --token "$TOKEN" --auth-all)

# masto_start VAR: a fake instance on a free port; its URL in $VAR.
masto_start() { tool_start "$1" "$TOOLS/mastodon_server" --port 0 "${ARGS[@]}"; }
# stored DB: the number of mastodon posts stored (none before the database exists).
stored() { sqlite3 "$1" "SELECT count(*) FROM post WHERE source = 'mastodon'" 2>/dev/null; }
# truth URL: what a complete reader of the public timeline has, sorted.
truth() { curl -s "$1/_uris?timeline=public" | awk '{ print "mastodon " $2 }' | sort; }

export MASTO_TEST_TOKEN=$TOKEN

# add DB NAME URL [KEY=VALUE...]: a source polling every second.
add() {
  local db=$1 name=$2 url=$3; shift 3
  horch --db "$db" source add "$name" --kind mastodon --url "$url" --interval 1 \
    token=env:MASTO_TEST_TOKEN "$@" -q
}

# ---- a clean run: poll until the instance has stopped growing ----
masto_start CLEAN
clean_db=$T/clean.db
add "$clean_db" m "$CLEAN" limit=10
serve_start "$clean_db"
ok $? "mastodon-1.1 serve starts with a mastodon source"
wait_for 10 '[ "$(tool_stat "$CLEAN" visible)" = 240 ]'
ok $? "mastodon-1.2 the instance grew to 240 statuses"
want=$(truth "$CLEAN" | wc -l)
wait_for 20 '[ "$(stored "$clean_db")" = "$want" ]'
is "$(stored "$clean_db")" "$want" "mastodon-1.3 the clean run stores every public status ($want)"
is "$(db_pairs "$clean_db")" "$(truth "$CLEAN")" "mastodon-1.4 exactly the instance's public timeline"
is "$(source_field "$clean_db" m cursor)" \
   "$(curl -s "$CLEAN/_uris?timeline=public" | tail -n 1 | cut -d' ' -f1)" \
   "mastodon-1.5 the stored cursor is the newest status id"
is "$(source_field "$clean_db" m state)" ok "mastodon-1.6 the source is ok"
serve_stop
ok $? "mastodon-1.7 serve stops cleanly"

# ---- the crash: kill -9 while a page is being fetched ----
masto_start CRASH
db=$T/crash.db
add "$db" m "$CRASH" limit=10
serve_start "$db"
wait_for 20 '[ "$(stored "$db")" -ge 40 ] && [ "$(tool_stat "$CRASH" busy)" -ge 1 ]'
ok $? "mastodon-2.1 serve is fetching a page, 40 or more posts stored"
serve_kill
at_kill=$(stored "$db")
ok $(( at_kill < want ? 0 : 1 )) "mastodon-2.2 killed mid-way ($at_kill of $want stored)"
serve_start "$db"
ok $? "mastodon-2.3 serve restarts on the same database"
wait_for 30 '[ "$(stored "$db")" = "$want" ]'
is "$(stored "$db")" "$want" "mastodon-2.4 after the restart every status is stored"
is "$(db_pairs "$db")" "$(db_pairs "$clean_db")" "mastodon-2.5 the same posts as the clean run: no gap, no duplicate"
is "$(sqlite3 "$db" "SELECT count(*) - count(DISTINCT external_id) FROM post")" 0 \
   "mastodon-2.6 no external id stored twice"
serve_stop

# ---- the crash of a streaming source ----
masto_start STREAM
sdb=$T/stream.db
add "$sdb" m "$STREAM" stream=yes
serve_start "$sdb"
wait_for 20 '[ "$(tool_stat "$STREAM" open)" -ge 1 ] && [ "$(stored "$sdb")" -ge 40 ]'
ok $? "mastodon-3.1 the stream is open and statuses are stored"
serve_kill
at_kill=$(stored "$sdb")
ok $(( at_kill < want ? 0 : 1 )) "mastodon-3.2 killed mid-stream ($at_kill of $want stored)"
serve_start "$sdb"
wait_for 30 '[ "$(stored "$sdb")" = "$want" ]'
is "$(stored "$sdb")" "$want" "mastodon-3.3 after the restart every status is stored"
is "$(db_pairs "$sdb")" "$(db_pairs "$clean_db")" "mastodon-3.4 the same posts as the clean run"
ok $(( $(tool_stat "$STREAM" stream) >= 2 ? 0 : 1 )) "mastodon-3.5 the restarted serve opened the stream again"
# (A stream reports its health once a minute: its state is not checked here.)
is "$(source_field "$sdb" m cursor)" \
   "$(curl -s "$STREAM/_uris?timeline=public" | tail -n 1 | cut -d' ' -f1)" \
   "mastodon-3.6 the streaming source's cursor is the newest status id"
serve_stop

# ---- the token ----
unlike "$(cat "$T/serve.log")" "$TOKEN" "mastodon-4.1 the token is in no log line"
unlike "$(horch --db "$db" source list --json)" "$TOKEN" "mastodon-4.2 nor in source list"
like "$(source_field "$db" m settings.token)" '^env:MASTO_TEST_TOKEN$|^\*\*\*$' \
   "mastodon-4.3 the setting shows where the token comes from, or ***"

done_testing
