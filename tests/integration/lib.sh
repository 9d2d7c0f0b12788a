# lib.sh - TAP helpers for the integration tests (sourced, not run).
#
# Each test script drives the real horch binary ($HORCH_BIN, set by
# tests/run) on databases in its own temporary directory, $T, removed when
# the script ends.  Checks: ok, is, like, unlike.  The script ends with
# `done_testing`.
set -u
# A crash anywhere in `horch ... | jq` fails the pipeline, not just jq.
set -o pipefail
: "${HORCH_BIN:?set by tests/run}"
: "${HORCH_SOURCE_ROOT:?set by tests/run}"
T=$(mktemp -d "${TMPDIR:-/tmp}/horch-it-XXXXXX")
SERVE_PID=
# A daemon a test started (serve_start) is killed if the test ends early.
# HORCH_KEEP_TMP=1 keeps $T (the databases, serve.log) for a post-mortem.
trap '[ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null; [ -n "${HORCH_KEEP_TMP:-}" ] && echo "# kept $T" || rm -rf "$T"' EXIT
_n=0
_failed=0

# horch ARGS...: the binary under test.
horch() { "$HORCH_BIN" "$@"; }

# ok COND-EXIT-STATUS NAME: pass when the previous command's status is 0.
ok() {
  local status=$1; shift
  _n=$((_n + 1))
  if [ "$status" -eq 0 ]; then echo "ok $_n - $*"; else echo "not ok $_n - $*"; _failed=$((_failed + 1)); fi
}
# is GOT WANT NAME
is() {
  local got=$1 want=$2; shift 2
  _n=$((_n + 1))
  if [ "$got" = "$want" ]; then echo "ok $_n - $*"
  else
    echo "not ok $_n - $*"; _failed=$((_failed + 1))
    printf '#   got:  %s\n#   want: %s\n' "$got" "$want"
  fi
}
# like TEXT REGEX NAME
like() {
  local text=$1 re=$2; shift 2
  _n=$((_n + 1))
  if printf '%s' "$text" | grep -qE -- "$re"; then echo "ok $_n - $*"
  else
    echo "not ok $_n - $*"; _failed=$((_failed + 1))
    printf '#   no match for /%s/ in:\n' "$re"; printf '%s\n' "$text" | head -n 10 | sed 's/^/#     /'
  fi
}
unlike() {
  local text=$1 re=$2; shift 2
  _n=$((_n + 1))
  if ! printf '%s' "$text" | grep -qE -- "$re"; then echo "ok $_n - $*"
  else echo "not ok $_n - $*"; _failed=$((_failed + 1)); printf '#   unexpected /%s/\n' "$re"; fi
}
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
done_testing() { echo "1..$_n"; [ "$_failed" -eq 0 ]; }
# total DB: the number of stored posts.
total() { horch --db "$1" stats --spam show --json | jq -r 'select(.dimension=="total") | .count'; }
# commas N: N with thousands separators, as horch prints counts (14,640).
commas() { printf '%s\n' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

# serve_start DB [ARGS...]: start `horch serve` on a free port of
# 127.0.0.1 with database DB; sets URL and SERVE_PID, and logs to
# $T/serve.log.  Waits until /healthz answers.
serve_start() {
  local db=$1; shift
  : > "$T/serve.url"
  "$HORCH_BIN" --db "$db" serve --listen 127.0.0.1:0 --print-url "$@" \
    > "$T/serve.url" 2>> "$T/serve.log" &
  SERVE_PID=$!
  local i
  for i in $(seq 1 100); do
    URL=$(head -n 1 "$T/serve.url" 2>/dev/null)
    if [ -n "$URL" ] && curl -sf "$URL/healthz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "# horch serve did not start:"; sed 's/^/#   /' "$T/serve.log" | tail -n 20
  return 1
}
# serve_stop: SIGTERM and wait; returns the daemon's exit status.
serve_stop() {
  kill -TERM "$SERVE_PID" 2>/dev/null
  wait "$SERVE_PID"
}
# api METHOD PATH TOKEN [CURL ARGS...]: call the API with a Bearer token;
# prints the body, then a line "HTTP NNN".
api() {
  local method=$1 path=$2 tok=$3; shift 3
  curl -s -X "$method" -H "Authorization: Bearer $tok" -w '\nHTTP %{http_code}\n' "$@" "$URL$path"
}
# status OUTPUT: the status code of api's output; body OUTPUT: its body.
status() { printf '%s\n' "$1" | tail -n 1 | sed 's/^HTTP //'; }
body() { printf '%s\n' "$1" | sed '$d'; }
