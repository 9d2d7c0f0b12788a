#!/bin/bash
# webhook_script.sh - the webhook script of docs/http-api.md ("Bringing
# another source"), taken from the page as it is and run against a forum
# served by tests/tools/feed_server and a real horch serve: two posts stored,
# then the same two counted as duplicates.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sources.sh"

[ -x "$TOOLS/feed_server" ] || skip_all "tests/tools/feed_server not built"
command -v jq >/dev/null || skip_all "jq is not installed"

# The script: the first sh block after the heading.
awk '/^### Bringing another source: a webhook script/ {h=1} h && /^```sh$/ {s=1; next}
     s && /^```$/ {exit} s {print}' "$HORCH_SOURCE_ROOT/docs/http-api.md" > "$T/forward.sh"
like "$(head -n 2 "$T/forward.sh")" 'forward.sh - bring the latest posts' \
  "webhook-1.1 the script is read from docs/http-api.md"

mkdir -p "$T/forum"
cat > "$T/forum/posts.json" <<'JSON'
{"latest_posts":[
 {"id":101,"name":"Ana Silva","username":"ana","created_at":"2026-11-20T09:15:00.000Z",
  "cooked":"<p>The hinge of my <strong>Korvo Pro 16</strong> cracked.</p>","post_number":1,
  "reply_count":2,"topic_id":7,"topic_slug":"hinge-cracked","topic_title":"Hinge cracked"},
 {"id":102,"name":"Ben","username":"ben","created_at":"2026-11-20T09:40:00.000Z",
  "cooked":"<p>Same here, after a week.</p>","post_number":2,"reply_count":0,
  "topic_id":7,"topic_slug":"hinge-cracked","topic_title":"Hinge cracked"}
]}
JSON
tool_start FORUM_HOST "$TOOLS/feed_server" --port 0 --dir "$T/forum"

db=$T/w.db
serve_start "$db"
ok $? "webhook-1.2 serve starts"
tok=$(horch --db "$db" token create --role analyst --name forward 2>/dev/null)
export HORCH="$URL" HORCH_TOKEN="$tok" FORUM="$FORUM_HOST/files"
is "$(sh "$T/forward.sh")" "stored 2, duplicates 0, rejected 0" "webhook-1.3 two posts stored"
is "$(sh "$T/forward.sh")" "stored 0, duplicates 2, rejected 0" "webhook-1.4 then duplicates"
post=$(horch --db "$db" search --source discourse --json | jq -c 'select(.external_id=="101")')
is "$(printf '%s' "$post" | jq -r .text)" "The hinge of my Korvo Pro 16 cracked." \
  "webhook-1.5 the HTML became text"
is "$(printf '%s' "$post" | jq -r .url)" "$FORUM/t/hinge-cracked/7/1" "webhook-1.6 its URL"
is "$(horch --db "$db" search --source discourse --json | jq -r 'select(.external_id=="102") | .kind')" \
  comment "webhook-1.7 a reply in the thread is a comment"
serve_stop
done_testing
