# crash.sh - kill -9 in the middle of an import: the database opens, is
# intact, holds whole batches, and running the same import again completes it
# without duplicates.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed (scripts/bootstrap installs it)"
n=300000
awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++)
  printf "{\"source\":\"crash\",\"external_id\":\"c%d\",\"created_at\":%d,\"text\":\"Post number %d about the Korvo Pro %d, akku und Lieferung\"}\n",
    i, 1424806552 + i, i, i % 97 }' > "$T/big.jsonl"
db=$T/crash.db

# The binary itself in the background, so that $! is horch and not a subshell.
"$HORCH_BIN" --db "$db" import --batch 500 --workers 1 "$T/big.jsonl" -q 2>/dev/null &
pid=$!
# Wait until some batches are committed, then kill without warning.
before=0
for _ in $(seq 1 600); do
  before=$(total "$db" 2>/dev/null || true)
  [ -n "$before" ] && [ "$before" -gt 2000 ] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
before=$(total "$db")
[ "$before" -gt 0 ] && [ "$before" -lt $n ]; ok $? "crash-1.1 killed mid-import with $before of $n posts committed"

out=$(sqlite3 "$db" 'PRAGMA integrity_check'); is "$out" "ok" "crash-1.2 the database is intact"
sqlite3 "$db" "INSERT INTO post_fts(post_fts) VALUES('integrity-check')"; ok $? "crash-1.3 the full-text index agrees with the posts"
missing=$(sqlite3 "$db" "SELECT count(*) FROM post WHERE text IS NULL OR text = ''")
is "$missing" 0 "crash-1.4 every stored post is whole"
# With one worker the writer gets the posts in file order and commits them
# batch after batch, so what survived is exactly the first posts of the file:
# no batch half there, none missing in between.
last=$(sqlite3 "$db" "SELECT max(CAST(substr(external_id, 2) AS INTEGER)) FROM post")
is "$last" "$before" "crash-1.5 the stored posts are exactly the first $before of the file"

err=$(horch --db "$db" import --batch 500 "$T/big.jsonl" 2>&1); ok $? "crash-2.1 the same import runs again"
like "$err" "imported $(commas $((n - before))) new posts \($(commas $n) read, $(commas "$before") duplicates, 0 bad\)" "crash-2.2 it stores exactly what was missing"
is "$(total "$db")" "$n" "crash-2.3 every post is stored"
dups=$(sqlite3 "$db" "SELECT count(*) - count(DISTINCT external_id) FROM post")
is "$dups" 0 "crash-2.4 no duplicates"
out=$(horch --db "$db" search '"number 299999"' --json | jq -r .external_id)
is "$out" "c299999" "crash-2.5 the last post is searchable"
done_testing
