# lib_sources.sh - helpers of the source tests (sourced after lib.sh, not
# run: tests/run skips lib*.sh).
#
# The source tests drive horch against fake servers of tests/tools
# (feed_server, forum_server, mastodon_server, jetstream_server): each is
# started on a free port it writes to a port file (tool_start), asked for
# its counters (tool_stat), and killed when the script ends, with the serve
# of serve_start, by the one EXIT trap below.  The databases are read with
# db_count, db_pairs and source_field; the crash-and-restart checks kill
# serve while a fetch is in flight (kill_mid_fetch) and compare the stored
# (source, external_id) pairs with a clean run's (pairs_equal).

# needs CMD...: skip the whole script unless every CMD is installed.
needs() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null || skip_all "$c is not installed"; done
}
# The fake servers' programs, built beside horch.
TOOLS=$(dirname "$HORCH_BIN")/tests/tools
# The pids of the fake servers tool_start started.
TOOL_PIDS=
trap '[ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null; for p in $TOOL_PIDS; do kill "$p" 2>/dev/null; done; [ -n "${HORCH_KEEP_TMP:-}" ] && echo "# kept $T" || rm -rf "$T"' EXIT

# tool_start VAR BIN ARGS...: start BIN ARGS... --port-file, logging to $T/VAR.log; waits for its port (5 s) and sets VAR to http://127.0.0.1:PORT.
tool_start() {
  local var=$1 bin=$2; shift 2
  rm -f "$T/$var.port"
  "$bin" "$@" --port-file "$T/$var.port" > "$T/$var.log" 2>&1 &
  TOOL_PIDS="$TOOL_PIDS $!"
  for _ in $(seq 1 100); do [ -s "$T/$var.port" ] && break; sleep 0.05; done
  printf -v "$var" 'http://127.0.0.1:%s' "$(cat "$T/$var.port" 2>/dev/null)"
}
# tool_stat URL KEY: a counter of the fake server's /_stats.
tool_stat() { curl -s "$1/_stats" | jq -r ".$2"; }
# wait_for SECONDS 'SHELL CONDITION': until the condition (evaluated anew every 0.1 s) holds (0) or the time is up (1).
wait_for() {
  local n=$(( $1 * 10 )); shift
  for _ in $(seq 1 "$n"); do eval "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}
# db_count DB: the number of stored posts.
db_count() { sqlite3 "$1" "SELECT count(*) FROM post"; }
# db_pairs DB: the stored (source, external_id) pairs, one a line, sorted.
db_pairs() { sqlite3 "$1" "SELECT source || ' ' || external_id FROM post ORDER BY 1"; }
# source_field DB NAME FIELD: a field (jq path) of the source's line in `source list --json`.
source_field() { horch --db "$1" source list --json | jq -r "select(.name == \"$2\") | .$3"; }
# poll_until_idle DB NAME MAX: `source poll` until a poll fetches nothing, fails, or MAX polls; sets out (the last output) and polls (how many).
poll_until_idle() {
  polls=0
  while [ "$polls" -lt "$3" ]; do
    out=$(horch --db "$1" source poll "$2" 2>&1) || break
    polls=$((polls + 1))
    case "$out" in *"): 0 posts fetched"*) break ;; esac
  done
}
# serve_until SECONDS DB 'SHELL CONDITION': serve_start DB (the script ends if it does not start), then wait_for the condition.
serve_until() {
  serve_start "$2" || exit 1
  wait_for "$1" "$3"
}
# serve_end: serve_stop, then forget the pid (so the EXIT trap kills nothing); returns serve's exit status.
serve_end() {
  local rc
  serve_stop; rc=$?
  SERVE_PID=
  return $rc
}
# serve_kill: SIGKILL the serve of serve_start and reap it.
serve_kill() {
  kill -9 "$SERVE_PID"
  wait "$SERVE_PID" 2>/dev/null
  SERVE_PID=
}
# kill_mid_fetch URL KEY STEP DELAY: once the server at URL counts one more KEY (a fetch begun; 100 looks STEP s apart), DELAY s into it, serve_kill.
kill_mid_fetch() {
  local url=$1 key=$2 step=$3 delay=$4 n0
  n0=$(tool_stat "$url" "$key")
  for _ in $(seq 100); do
    [ "$(tool_stat "$url" "$key")" -gt "$n0" ] && break
    sleep "$step"
  done
  sleep "$delay"
  serve_kill
}
# pairs_equal REF_DB DB NAME: a check that DB stores the same (source, external_id) pairs as REF_DB; the first lines of their diff if not.
pairs_equal() {
  local ref=$1 db=$2; shift 2
  if [ "$(db_pairs "$db")" = "$(db_pairs "$ref")" ]; then
    ok 0 "$*"
  else
    ok 1 "$*"
    diff <(db_pairs "$ref") <(db_pairs "$db") | head -n 5 | sed 's/^/#   /'
  fi
}
