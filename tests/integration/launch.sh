#!/usr/bin/env bash
# launch.sh - the launch scorecard end to end: the simulated launch day of
# the Korvo Pro 16 imported after its topic (the query of scripts/demo),
# horch launch add, list, show (tables and --json: the windows, the
# baseline of the hours before, an earlier launch, the hinge among the top
# complaints), rm, the errors (an unknown topic, a name taken, a bad --at
# named as such, an unknown launch), then the API of horch serve: GET,
# POST (by topic name and by id), DELETE, 404, 409, 400, and the roles
# (a viewer reads but may not add or delete).
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v curl >/dev/null || skip_all "curl is not installed"

db=$T/launch.db
horch --db "$db" topic add "Korvo Pro 16" '"pro 16" OR korvopro16 OR #KorvoPro16' >/dev/null 2>&1
ok $? "launch-1.1 the topic of the demo"
horch simulate --scenario launch | horch --db "$db" import - >/dev/null 2>&1
ok $? "launch-1.2 the simulated day imported after it"

# ---- add ----
err=$(horch --db "$db" launch add "Pro 16" --topic "Korvo Pro 16" --at 2026-11-10T09:00:00Z 2>&1)
ok $? "add-1.1 launch add"
like "$err" "^added launch 'Pro 16' \(id [0-9]+\) of topic 'Korvo Pro 16' at 2026-11-10T09:00:00Z" \
	"add-1.2 says what it added"
horch --db "$db" -q launch add "Teaser" --topic "korvo pro 16" --at 2026-11-10T03:00:00Z
ok $? "add-1.3 a second launch, the topic named without regard to case"

err=$(horch --db "$db" launch add X --topic "No such" --at 2026-11-10T09:00:00Z 2>&1)
is $? 1 "add-2.1 an unknown topic: exit 1"
like "$err" "no topic named 'No such'" "add-2.2 naming it"
err=$(horch --db "$db" launch add "pro 16" --topic "Korvo Pro 16" --at 2026-11-10T10:00:00Z 2>&1)
is $? 1 "add-2.3 a name taken (without regard to case): exit 1"
like "$err" 'a launch called "pro 16" exists already' "add-2.4 says so"
err=$(horch --db "$db" launch add Y --topic "Korvo Pro 16" --at 2026-13-45 2>&1)
is $? 2 "add-2.5 a bad --at: a usage error"
like "$err" '^horch: launch: --at: ' "add-2.6 naming the option"
err=$(horch --db "$db" launch add Y --topic "Korvo Pro 16" 2>&1)
is $? 2 "add-2.7 no --at: a usage error"
like "$err" 'add needs --topic TOPIC and --at TIME' "add-2.8 says what it needs"
err=$(horch --db "$db" launch list --topic x 2>&1)
is $? 2 "add-2.9 an option of add given to list"
err=$(horch --db "$db" launch show 2>&1)
is $? 2 "add-2.10 show without a name"

# ---- list ----
out=$(horch --db "$db" launch list)
ok $? "list-1.1 launch list"
like "$out" '^id +name +topic +at +added' "list-1.2 a table"
like "$out" 'Pro 16 +Korvo Pro 16 +2026-11-10T09:00:00Z' "list-1.3 with Pro 16"
is "$(horch --db "$db" launch list --json | jq -r '.name' | tr '\n' ' ')" "Teaser Pro 16 " \
	"list-1.4 JSON Lines, oldest launch first"
is "$(horch --db "$db" launch list --json | jq -c 'select(.name == "Pro 16") | [.topic.name, .at]')" \
	'["Korvo Pro 16","2026-11-10T09:00:00Z"]' "list-1.5 each with its topic and time"

# ---- show ----
json=$(horch --db "$db" launch show "Pro 16" --json)
ok $? "show-1.1 launch show --json"
vol1=$(printf '%s' "$json" | jq '.windows[0].volume')
ok $(( vol1 > 0 ? 0 : 1 )) "show-1.2 the first hour has posts ($vol1)"
is "$(printf '%s' "$json" | jq -c '[.windows[] | .label]')" '["1h","4h","24h"]' "show-1.3 three windows"
is "$(printf '%s' "$json" | jq -c '[.windows[0:2][] | .complete]')" '[true,true]' \
	"show-1.4 1h and 4h are over (the day's last posts are later)"
is "$(printf '%s' "$json" | jq -c '[.windows[] | .volume] | (.[0] <= .[1] and .[1] <= .[2])')" true \
	"show-1.5 each window holds the one before"
is "$(printf '%s' "$json" | jq -c '.windows[0] | (.positive + .neutral + .negative) <= .volume')" true \
	"show-1.6 the labels add up to at most the volume"
is "$(printf '%s' "$json" | jq '.windows[0].baseline.hours')" 9 \
	"show-1.7 the baseline: the nine hours of the day before 09:00"
like "$(printf '%s' "$json" | jq '.windows[0].baseline.volume')" '^[0-9]+(\.[0-9]+)?$' \
	"show-1.8 a baseline volume"
is "$(printf '%s' "$json" | jq -c '[.windows[0].earlier[] | .launch]')" '["Teaser"]' \
	"show-1.9 the earlier launch"
top3=$(printf '%s' "$json" | jq -r '.complaints[0:3][] | .label')
like "$top3" 'hinge' "show-1.10 the hinge among the top three complaints"
is "$(printf '%s' "$json" | jq -c '[.complaints[] | select(.term == "hinge") | (.example.text | length > 0)]')" \
	'[true]' "show-1.11 with an example"
ok $(( $(printf '%s' "$json" | jq '.questions | length') > 0 ? 0 : 1 )) "show-1.12 questions too"
is "$(printf '%s' "$json" | jq -c '[.complaints[] | .share] | (add <= 1)')" true \
	"show-1.13 shares of one whole"

out=$(horch --db "$db" launch show "Pro 16")
ok $? "show-2.1 launch show: tables"
like "$out" "^Launch 'Pro 16' of topic 'Korvo Pro 16' at 2026-11-10T09:00:00Z" "show-2.2 the header line"
like "$out" "^volume +$(commas "$vol1") " "show-2.3 the volume row, as in the JSON"
like "$out" '^vs baseline' "show-2.4 against the baseline"
like "$out" '^net sentiment +[+-][0-9]\.[0-9]{2} ' "show-2.5 net sentiment"
like "$out" '^Baseline: 9 hours from 2026-11-10T00:00:00Z \(all the history the topic has\)' \
	"show-2.6 the baseline's span"
like "$out" '^Teaser +2026-11-10T03:00:00Z' "show-2.7 the earlier launch's row"
like "$out" '^Top complaints \(of [0-9,]+\)' "show-2.8 the complaints"
like "$(printf '%s\n' "$out" | sed -n '/^Top complaints/,/^Top questions/p' | sed -n '3,5p')" \
	'hinge' "show-2.9 the hinge in the table's top three"
like "$out" '^Top questions' "show-2.10 the questions"

err=$(horch --db "$db" launch show "Nope" 2>&1)
is $? 1 "show-3.1 an unknown launch: exit 1"
like "$err" "no launch called 'Nope'" "show-3.2 naming it"

# ---- rm ----
horch --db "$db" -q launch rm Teaser
ok $? "rm-1.1 launch rm"
is "$(horch --db "$db" launch list --json | jq -r '.name')" "Pro 16" "rm-1.2 one launch left"
err=$(horch --db "$db" launch rm Teaser 2>&1)
is $? 1 "rm-1.3 removing it again: exit 1"

# ---- the API ----
viewer=$(horch --db "$db" token create --role viewer 2>/dev/null)
analyst=$(horch --db "$db" token create --role analyst 2>/dev/null)
serve_start "$db" --config /dev/null
ok $? "api-1.1 horch serve starts"

out=$(api GET /api/launches "$viewer")
is "$(status "$out")" 200 "api-1.2 a viewer lists the launches"
is "$(body "$out" | jq -c '[.launches[] | [.name, .topic.name, .at]]')" \
	'[["Pro 16","Korvo Pro 16","2026-11-10T09:00:00Z"]]' "api-1.3 name, topic and time"
id=$(body "$out" | jq '.launches[0].id')
like "$(body "$out" | jq -r '.launches[0].created_at')" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T' "api-1.4 created_at"

out=$(api GET "/api/launches/$id" "$viewer")
is "$(status "$out")" 200 "api-2.1 the scorecard"
is "$(body "$out" | jq '.windows[0].volume')" "$vol1" "api-2.2 the same 1h volume as the CLI"
like "$(body "$out" | jq -r '.complaints[0:3][] | .label')" 'hinge' "api-2.3 the hinge in the top three"
is "$(body "$out" | jq -c '[.id, .name, .topic.name, (.now | type)]')" "[$id,\"Pro 16\",\"Korvo Pro 16\",\"string\"]" \
	"api-2.4 the launch and now"
out=$(api GET /api/launches/999999 "$viewer")
is "$(status "$out")" 404 "api-2.5 an unknown id: 404"
is "$(body "$out" | jq -r .error.code)" not_found "api-2.6 not_found"

out=$(api POST /api/launches "$viewer" -d '{"name":"Air 13","topic":"Korvo Pro 16","at":"2026-11-10T06:00:00Z"}')
is "$(status "$out")" 403 "api-3.1 a viewer may not add a launch"
out=$(api POST /api/launches "$analyst" -d '{"name":"Air 13","topic":"Korvo Pro 16","at":"2026-11-10T06:00:00Z"}')
is "$(status "$out")" 201 "api-3.2 an analyst adds one: 201"
is "$(body "$out" | jq -c '[.name, .topic.name, .at]')" '["Air 13","Korvo Pro 16","2026-11-10T06:00:00Z"]' \
	"api-3.3 the launch in the answer"
air=$(body "$out" | jq .id)
tid=$(body "$out" | jq .topic.id)
out=$(api POST /api/launches "$analyst" -d '{"name":"air 13","topic":"Korvo Pro 16","at":"2026-11-10T07:00:00Z"}')
is "$(status "$out")" 409 "api-3.4 a name taken: 409"
is "$(body "$out" | jq -r .error.code)" conflict "api-3.5 conflict"
out=$(api POST /api/launches "$analyst" -d "{\"name\":\"By id\",\"topic\":$tid,\"at\":\"2026-11-10T12:00:00Z\"}")
is "$(status "$out")" 201 "api-3.6 the topic given by id"
byid=$(body "$out" | jq .id)
out=$(api POST /api/launches "$analyst" -d '{"name":"Z","topic":"No such","at":"2026-11-10T06:00:00Z"}')
is "$(status "$out")" 404 "api-3.7 an unknown topic: 404"
like "$(body "$out" | jq -r .error.message)" "No such" "api-3.8 naming it"
out=$(api POST /api/launches "$analyst" -d '{"name":"Z","topic":"Korvo Pro 16","at":"soon"}')
is "$(status "$out")" 400 "api-3.9 a bad time: 400"
like "$(body "$out" | jq -r .error.message)" '^at: ' "api-3.10 naming the member"
out=$(api POST /api/launches "$analyst" -d '{"topic":"Korvo Pro 16","at":"2026-11-10T06:00:00Z"}')
is "$(status "$out")" 400 "api-3.11 no name: 400"
out=$(api POST /api/launches "$analyst" -d '{"name":"Z","topic":[1],"at":"2026-11-10T06:00:00Z"}')
is "$(status "$out")" 400 "api-3.12 a topic that is neither a name nor an id: 400"
out=$(api POST /api/launches "$analyst" -d '{"name":"Z","topic":')
is "$(status "$out")" 400 "api-3.13 malformed JSON: 400"

out=$(api GET "/api/launches/$id" "$viewer")
is "$(body "$out" | jq -c '[.windows[0].earlier[] | .launch]')" '["Air 13"]' \
	"api-4.1 Air 13 (06:00) is earlier than Pro 16; By id (12:00) is not"

is "$(status "$(api DELETE "/api/launches/$air" "$viewer")")" 403 "api-5.1 a viewer may not delete"
is "$(status "$(api DELETE "/api/launches/$air" "$analyst")")" 204 "api-5.2 an analyst deletes: 204"
is "$(status "$(api GET "/api/launches/$air" "$viewer")")" 404 "api-5.3 then it is gone"
is "$(status "$(api DELETE "/api/launches/$air" "$analyst")")" 404 "api-5.4 deleting it again: 404"
is "$(status "$(api DELETE "/api/launches/$byid" "$analyst")")" 204 "api-5.5 the other one too"
is "$(api GET /api/launches "$viewer" | sed '$d' | jq -c '[.launches[] | .name]')" '["Pro 16"]' \
	"api-5.6 Pro 16 is left"
serve_stop
ok $? "api-6.1 a clean stop"
SERVE_PID=

done_testing
