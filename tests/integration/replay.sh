# replay.sh - horch replay into a real horch serve: everything stored once,
# a second replay counted as duplicates, the pace of --speed, bad input
# refused before anything is sent, tokens, and a server restart in the
# middle of a replay that loses nothing.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || skip_all "curl is not installed"
declare -F serve_start >/dev/null || skip_all "lib.sh has no serve_start"
horch serve --help >/dev/null 2>&1 || skip_all "this horch has no serve command"

db=$T/r.db
tok=$(horch --db "$db" token create --role analyst 2>/dev/null)
viewer=$(horch --db "$db" token create --role viewer 2>/dev/null)
serve_start "$db"; ok $? "replay-1.0 horch serve runs"
horch simulate --posts 400 --seed 3 -o "$T/day.jsonl" -q

err=$(horch replay "$T/day.jsonl" --url "$URL" --token "$tok" --speed 0 2>&1)
ok $? "replay-1.1 a simulated day replays as fast as it goes"
like "$err" 'replayed 400 of 400 posts in [0-9.]+ s: 400 stored, 0 duplicates, 0 rejected' \
  "replay-1.2 the summary counts them"
is "$(total "$db")" 400 "replay-1.3 the server stored every post"
first=$(jq -r .external_id "$T/day.jsonl" | head -n 1)
is "$(horch --db "$db" search --spam show --json --limit 1000 | jq -r --arg id "$first" 'select(.external_id==$id) | .created_at')" \
  "$(jq -r .created_at "$T/day.jsonl" | head -n 1)" "replay-1.4 posts keep their time"
err=$(HORCH_URL=$URL HORCH_TOKEN=$tok horch replay "$T/day.jsonl" --speed 0 --batch 7 2>&1)
ok $? "replay-1.5 again, with the URL and token from the environment"
like "$err" '400 of 400 posts .*: 0 stored, 400 duplicates, 0 rejected' "replay-1.6 every post is a duplicate"
is "$(total "$db")" 400 "replay-1.7 and stored once"

# The pace: posts 0, 2 and 4 s apart at --speed 2 take 2 s; the order is
# the posts' time, not the file's.
cat > "$T/three.jsonl" <<'EOT'
{"source":"t","external_id":"p3","text":"third post of three","created_at":"2026-11-10T10:00:04Z"}
{"source":"t","external_id":"p1","text":"first post of three","created_at":"2026-11-10T10:00:00Z"}
{"source":"t","external_id":"p2","text":"second post of three","created_at":"2026-11-10T10:00:02Z"}
EOT
start=$(date +%s%N)
err=$(horch replay - --url "$URL" --token "$tok" --speed 2 < "$T/three.jsonl" 2>&1)
ok $? "replay-2.1 from standard input"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok $(( ms >= 1900 && ms < 4000 ? 0 : 1 )) "replay-2.2 4 s of stream at --speed 2 take 2 s ($ms ms)"
is "$(horch --db "$db" search --source t --json | jq -r .external_id | tac | tr '\n' ' ')" "p1 p2 p3 " \
  "replay-2.3 stored in time order"

# Bad input: named with its place; nothing is sent.
cat > "$T/bad.jsonl" <<'EOT'
{"source":"t","external_id":"b1","text":"good","created_at":"2026-11-10T10:00:00Z"}
{"source":"t","external_id":"b2","text":"broken
{"source":"t","external_id":"b3","text":"no time"}
EOT
err=$(horch replay "$T/bad.jsonl" --url "$URL" --token "$tok" 2>&1); is $? 1 "replay-3.1 bad records fail"
like "$err" 'bad\.jsonl:2:(47:)? bad JSON' "replay-3.2 the bad line is named"
like "$err" 'bad\.jsonl:3: no created_at' "replay-3.3 so is a post without a time"
like "$err" '2 bad records: nothing was sent' "replay-3.4 and nothing is sent"
is "$(total "$db")" 403 "replay-3.5 nothing was stored"

err=$(env -u HORCH_TOKEN "$HORCH_BIN" replay "$T/day.jsonl" --url "$URL" 2>&1); is $? 2 "replay-4.1 no token is a usage error"
like "$err" 'no API token' "replay-4.2 saying how to get one"
err=$(horch replay "$T/three.jsonl" --url "$URL" --token hct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA 2>&1)
is $? 1 "replay-4.3 an unknown token fails"
like "$err" 'refused the request \(401\).*--token' "replay-4.4 with the server's 401"
err=$(horch replay "$T/three.jsonl" --url "$URL" --token "$viewer" 2>&1)
is $? 1 "replay-4.5 a viewer's token fails"
like "$err" '\(403\).*role analyst' "replay-4.6 the role is named"
err=$(horch replay "$T/three.jsonl" --url ftp://x --token "$tok" 2>&1); is $? 2 "replay-4.7 a URL that is not HTTP"
err=$(horch replay "$T/three.jsonl" --url "$URL" --token "$tok" --speed fast 2>&1); is $? 2 "replay-4.8 a bad --speed"
err=$(horch replay "$T/nosuch.jsonl" --url "$URL" --token "$tok" 2>&1); is $? 1 "replay-4.9 a missing file"

# A restart in the middle of a replay: the player waits and goes on; every
# post is stored once.
db2=$T/r2.db
tok2=$(horch --db "$db2" token create --role analyst 2>/dev/null)
serve_stop
serve_start "$db2"; ok $? "replay-5.1 a second server"
port=${URL##*:}
horch replay "$T/day.jsonl" --url "$URL" --token "$tok2" --speed 14400 > "$T/rp.out" 2>&1 &
rp=$!
sleep 2
serve_stop
sleep 1
"$HORCH_BIN" --db "$db2" serve --listen "127.0.0.1:$port" >> "$T/serve.log" 2>&1 &
SERVE_PID=$!
wait "$rp"; ok $? "replay-5.2 the replay ends well"
like "$(cat "$T/rp.out")" 'trying again' "replay-5.3 it said it was waiting"
like "$(cat "$T/rp.out")" 'replayed 400 of 400 posts' "replay-5.4 and sent every post"
is "$(total "$db2")" 400 "replay-5.5 all stored, once"
serve_stop
done_testing
