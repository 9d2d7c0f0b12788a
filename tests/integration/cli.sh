# cli.sh - the command line: help, version, usage errors and exit codes.
. "$(dirname "$0")/lib.sh"
cd "$T"

out=$(horch --help); ok $? "cli-1.1 --help exits 0"
like "$out" 'import .*Read posts' "cli-1.2 --help lists the commands"
out=$(horch --version); ok $? "cli-1.3 --version exits 0"
like "$out" '^horch [0-9]+\.[0-9]+\.[0-9]+' "cli-1.4 --version prints the version"
for c in import search stats; do
  out=$(horch $c --help); ok $? "cli-2.$c $c --help exits 0"
  like "$out" "usage: horch $c" "cli-2.$c.1 $c --help has a usage line"
  like "$out" 'Examples:' "cli-2.$c.2 $c --help has examples"
done
out=$(horch help search); like "$out" 'usage: horch search' "cli-2.4 horch help COMMAND"
(cd "$T" && horch import --help >/dev/null && horch search --help >/dev/null && horch stats --version >/dev/null)
[ ! -e "$T/horch.db" ]; ok $? "cli-2.5 --help and --version run nothing (no database appears)"
out=$(horch import --help | awk 'length > 80' | head -n 3)
is "$out" "" "cli-2.6 help lines fit in 80 columns"

err=$(horch frobnicate 2>&1); is $? 2 "cli-3.1 unknown command exits 2"
like "$err" "unknown command 'frobnicate'" "cli-3.2 and says which"
err=$(horch search --frob 2>&1); is $? 2 "cli-3.3 unknown option exits 2"
like "$err" "^horch: search: unknown option '--frob'" "cli-3.4 one line naming the command and option"
err=$(horch import 2>&1); is $? 2 "cli-3.5 missing argument exits 2"
err=$(horch search --limit 2>&1); is $? 2 "cli-3.6 option without its value exits 2"
like "$err" 'needs a value' "cli-3.7 and says so"
err=$(horch search --limit=abc 2>&1); is $? 2 "cli-3.8 bad number exits 2"
err=$(horch search --since yesterdayish 2>&1); is $? 2 "cli-3.9 bad time exits 2"
like "$err" 'since' "cli-3.10 names the option"
err=$(horch search --json --csv 2>&1); is $? 2 "cli-3.11 two output formats exit 2"
err=$(horch --db= stats 2>&1); is $? 2 "cli-3.11.1 an empty --db is a usage error, not the default database"
err=$(horch --json search 2>&1); is $? 2 "cli-3.11.2 a command's option before the command"
like "$err" "belongs after the command" "cli-3.11.3 says where it goes"
err=$(horch stats extra 2>&1); like "$err" 'usage: horch stats \[OPTIONS\]\)' "cli-3.11.4 usage without a stray space"
err=$(horch --db "$T/none/x.db" search foo 2>&1); is $? 1 "cli-3.12 a database that cannot be opened exits 1"
like "$err" '^horch: search: .*x\.db' "cli-3.13 naming the file"
err=$(horch --db "$T/absent.db" stats 2>&1); is $? 1 "cli-3.14 reading commands do not create a database"
[ ! -e "$T/absent.db" ]; ok $? "cli-3.15 no file was created"

HORCH_DB="$T/env.db" horch import "$HORCH_SOURCE_ROOT/examples/posts.jsonl" -q
[ -s "$T/env.db" ]; ok $? "cli-4.1 HORCH_DB names the database"
HORCH_DB="$T/env.db" horch --db "$T/flag.db" import "$HORCH_SOURCE_ROOT/examples/posts.jsonl" -q
[ -s "$T/flag.db" ]; ok $? "cli-4.2 --db wins over HORCH_DB"
(cd "$T" && horch import "$HORCH_SOURCE_ROOT/examples/posts.jsonl" -q)
[ -s "$T/horch.db" ]; ok $? "cli-4.3 ./horch.db by default"

man="$(dirname "$HORCH_BIN")/docs/man/horch.1"
[ -s "$man" ]; ok $? "cli-5.1 the man page is built"
page=$(cat "$man")
like "$page" 'horch import' "cli-5.2 it documents import (generated from the option table)"
like "$page" 'strict' "cli-5.3 with the options of each command"
like "$page" 'EXIT STATUS' "cli-5.4 and the exit codes"
done_testing
