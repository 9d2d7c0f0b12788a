#!/bin/bash
# sources.sh - horch serve's source runner against a real feed host
# (tests/tools/feed_server): sources of horch.conf and of the CLI picked up
# live, a source changed and removed while serve runs, Retry-After obeyed,
# back-off after errors, a source that errors raising an alert that resolves
# when it recovers, the wall's stream carrying it, SIGHUP re-reading the
# sources of the file, and one source's XML bomb harming no other.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sources.sh"

[ -x "$TOOLS/feed_server" ] || skip_all "tests/tools/feed_server not built"

# feed_start VAR ARGS...: a feed host on a free port; its URL in $VAR.
feed_start() { tool_start "$1" "$TOOLS/feed_server" --port 0 "${@:2}"; }
stored() { total "$db"; }
state() { source_field "$db" "$1" state; }
open_alert() { horch --db "$db" alert list --json | jq -e "select(.kind==\"source\" and .key==\"source:$1\" and .state==\"open\")"; }
resolved_alert() { horch --db "$db" alert list --state resolved --json | jq -e "select(.key==\"source:$1\")"; }

db=$T/s.db
feed_start A --items 30
feed_start B --items 5

cat > "$T/horch.conf" <<EOF
[source blog]
kind = rss
url = $A/feed.rss
interval = 1
EOF

horch --db "$db" user add ana --role admin --password 'correct horse battery' -q 2>/dev/null
serve_start "$db" --config "$T/horch.conf"
ok $? "sources-1.1 serve starts with a [source blog] section"
wait_for 20 '[ "$(stored)" = 30 ]'
is "$(stored)" 30 "sources-1.2 the 30 items of the feed are stored"
is "$(horch --db "$db" source list blog --json | jq -r '[.from_config, .state] | @tsv')" \
   "$(printf 'true\tok')" "sources-1.3 the source is from the config, and ok"
like "$(source_field "$db" blog cursor)" '.' \
   "sources-1.4 its cursor is stored"
before=$(tool_stat "$A" conditional)
sleep 3
ok $(( $(tool_stat "$A" conditional) > before ? 0 : 1 )) \
   "sources-1.5 it polls again every second or so, with a conditional GET"
is "$(tool_stat "$A" not_modified)" "$(( $(tool_stat "$A" feed) - 1 ))" \
   "sources-1.6 every poll after the first is answered 304 Not Modified"
out=$(horch --db "$db" source set blog interval=5 2>&1)
like "$out" "source 'blog' is defined in horch.conf: change it there" \
   "sources-1.7 a source of the config is changed in the file, not by the CLI"

# A source added by the CLI while serve runs.
horch --db "$db" source add news --kind rss --url "$B/feed.rdf" --interval 1 -q
wait_for 10 '[ "$(stored)" = 35 ]'
is "$(stored)" 35 "sources-2.1 a source added while serve runs is fetched within seconds"

# Retry-After: a 429 asking for 4 s is obeyed.
curl -s "$B/_fault?kind=429&n=1&retry=4" >/dev/null
wait_for 10 '[ "$(tool_stat "$B" faults)" = 1 ]'
n429=$(tool_stat "$B" feed)
sleep 2.5
is "$(tool_stat "$B" feed)" "$n429" "sources-3.1 no request in the 4 s a 429 asked for"
wait_for 6 '[ "$(tool_stat "$B" feed)" -gt "$n429" ]'
ok $? "sources-3.2 and polling goes on after them"
like "$(grep 'source=news' "$T/serve.log" | grep 'errors=1')" 'HTTP 429.*retry_after_given=1' \
   "sources-3.3 the log says so"

# Errors: back-off, health, an alert, and its resolution.
curl -s "$B/_fault?kind=500&n=3" >/dev/null
wait_for 60 '[ "$(state news)" = erroring ]'
is "$(state news)" erroring "sources-4.1 three failed fetches in a row: erroring"
like "$(source_field "$db" news why)" \
   '^3 failed fetches in a row: GET http://127.0.0.1:[0-9]+/feed.rdf: HTTP 500$' \
   "sources-4.2 why, naming the URL and the status"
# The waits between the failures grew: 5 s doubling, with jitter (>= half).
t=$(grep 'source=news' "$T/serve.log" | grep -c 'HTTP 500')
is "$t" 3 "sources-4.3 three failures logged, no more (back-off, not a busy loop)"
wait_for 15 'open_alert news'
ok $? "sources-4.4 a source alert is raised"
alert_of() { (horch --db "$db" alert list --json; horch --db "$db" alert list --state resolved --json) |
  jq -c "select(.key==\"source:$1\")" | head -n 1; }
wait_for 10 '[ -n "$(alert_of news)" ]'
alert=$(alert_of news 2>&1)
is "$(printf '%s' "$alert" | jq -r .title)" "Source news is erroring" "sources-4.5 its title"
is "$(printf '%s' "$alert" | jq -r .rule)" "source-health" "sources-4.6 of the built-in rule"
wait_for 60 '[ "$(state news)" = ok ]'
is "$(state news)" ok "sources-4.7 the feed recovers: ok again"
wait_for 20 'resolved_alert news'
ok $? "sources-4.8 and its alert is resolved"
is "$(tool_stat "$B" faults)" 4 "sources-4.9 every fault was met once (no retry storm)"

# An XML bomb in one feed harms no other.
curl -s "$B/_fault?kind=bomb&n=1" >/dev/null
wait_for 30 'horch --db "$db" source list news --json | jq -e ".last_error | test(\"entit\")"'
ok $? "sources-5.1 the bomb is refused, the source's health says why: $(source_field "$db" news last_error)"
is "$(state blog)" ok "sources-5.2 the other source is still ok"
like "$(grep 'source=news' "$T/serve.log" | tail -n 3)" 'entit' "sources-5.3 a clear log line"

# Removed and disabled while serve runs.
horch --db "$db" source set news enabled=no -q
wait_for 10 'grep -q "source=news msg=stopped why=disabled" "$T/serve.log"'
ok $? "sources-6.1 a disabled source stops"
n=$(tool_stat "$B" feed)
sleep 2.5
is "$(tool_stat "$B" feed)" "$n" "sources-6.2 and fetches nothing more"
is "$(state news)" disabled "sources-6.3 its state says disabled"
horch --db "$db" source rm news -q
is "$(horch --db "$db" source list --json | jq -r .name | tr '\n' ' ')" "blog " \
   "sources-6.4 removed"

# SIGHUP: the file's sources again (blog's interval changed, a new one).
cat > "$T/horch.conf" <<EOF
[source blog]
kind = rss
url = $A/feed.rss
interval = 2

[source second]
kind = rss
url = $B/feed.atom
interval = 1
EOF
kill -HUP "$SERVE_PID"
wait_for 10 'horch --db "$db" source list second'
ok $? "sources-7.1 SIGHUP stores the new section"
is "$(source_field "$db" blog interval)" 2 "sources-7.2 and the changed one"
wait_for 10 'grep -q "source=blog msg=\"settings changed: restarted\"" "$T/serve.log"'
ok $? "sources-7.3 which restarts with its new settings"

# The API and the dashboard see the same health.
tok=$(horch --db "$db" token create --role viewer --name wall)
out=$(api GET /api/sources "$tok")
is "$(status "$out")" 200 "sources-8.1 GET /api/sources"
is "$(body "$out" | jq -r '.sources[] | select(.name=="blog") | .state')" ok \
   "sources-8.2 blog is ok there too"

serve_stop
ok $? "sources-9.1 serve stops cleanly with sources running"
like "$(tail -n 5 "$T/serve.log")" 'stopped stored=' "sources-9.2 after committing its queue"
done_testing
