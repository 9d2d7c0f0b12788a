# import.sh - horch import: formats, mapping, duplicates, bad records,
# --strict, standard input, and search/stats on what was imported.
. "$(dirname "$0")/lib.sh"
db=$T/h.db
ex=$HORCH_SOURCE_ROOT/examples

n_posts=$(grep -c . "$ex/posts.jsonl")
err=$(horch --db "$db" import "$ex/posts.jsonl" 2>&1); ok $? "import-1.1 the example posts import"
like "$err" "imported $n_posts new posts \($n_posts read, 0 duplicates, 0 bad\)" "import-1.2 summary counts them"
is "$(total "$db")" "$n_posts" "import-1.3 all stored"
err=$(horch --db "$db" import "$ex/posts.jsonl" 2>&1); ok $? "import-1.4 importing again succeeds"
like "$err" "nothing new: all $n_posts posts were already stored" "import-1.5 and says nothing new"
is "$(total "$db")" "$n_posts" "import-1.6 count unchanged"

# A CSV export with its own column names.
err=$(horch --db "$db" import "$ex/reviews.csv" --source shop \
  --map external_id=review_id,product=product_name,rating=stars,title=headline,text=body,author=reviewer,created_at=review_date 2>&1)
ok $? "import-2.1 a CSV with a column mapping"
n_rev=$(horch --db "$db" stats --source shop --json | jq -r 'select(.dimension=="source") | .count')
is "$n_rev" 40 "import-2.2 its 40 reviews are stored under the given source"
out=$(horch --db "$db" search --source shop --json --limit 100 | jq -s 'map(select(.rating != null)) | length')
is "$out" 40 "import-2.3 ratings come from the mapped column"
err=$(horch --db "$db" import "$ex/reviews.csv" --map text=nosuchcolumn 2>&1); is $? 2 "import-2.4 a map naming a missing column is a usage error"
like "$err" 'nosuchcolumn' "import-2.5 naming the column"
err=$(horch --db "$db" import "$ex/reviews.csv" --map words=body 2>&1); is $? 2 "import-2.6 an unknown field in --map"
like "$err" 'words' "import-2.7 names the field"

# Bad records: reported with file and line, skipped, counted; the good ones stay.
cat > "$T/mixed.jsonl" <<'EOT'
{"source":"t","external_id":"a1","text":"first good post"}
{"source":"t","external_id":"a2","text":"broken json
{"source":"t","external_id":"a3","text":"third good post"}

{"source":"t","external_id":"a4","rating":"five","text":"bad rating"}
{"source":"t","external_id":"a5","text":"fifth good post","created_at":"2015-02-24 11:35:52 -0800"}
{"source":"t","external_id":"a6"}
EOT
err=$(horch --db "$T/m.db" import "$T/mixed.jsonl" 2>&1); is $? 1 "import-3.1 bad records make the exit status 1"
like "$err" 'mixed\.jsonl:2:' "import-3.2 the bad JSON line is named (line 2)"
like "$err" 'mixed\.jsonl:5:.*rating' "import-3.3 a bad field names line and field"
like "$err" 'mixed\.jsonl:7:' "import-3.4 a post without text is refused (line 7)"
like "$err" '3 new posts \(3 read, 0 duplicates, 3 bad\)' "import-3.5 the summary counts good and bad"
is "$(total "$T/m.db")" 3 "import-3.6 the good records are stored"
out=$(horch --db "$T/m.db" search 'fifth' --json | jq -r .created_at)
is "$out" "2015-02-24T19:35:52Z" "import-3.7 times are stored in UTC"

err=$(horch --db "$T/s.db" import --strict "$T/mixed.jsonl" 2>&1); is $? 1 "import-4.1 --strict fails"
like "$err" 'first bad record' "import-4.2 and says why it stopped"
is "$(total "$T/s.db")" 1 "import-4.3 the post before the bad one is kept"

# A record the pipeline refuses (not the reader): its text grows past the
# cap when its invalid bytes are repaired (each becomes the 3-byte U+FFFD).
{
  echo 'id,body'
  echo '1,first'
  printf '2,'; head -c 100000 /dev/zero | tr '\0' '\377'; echo
  for i in $(seq 3 2002); do echo "$i,row $i"; done
} > "$T/grow.csv"
err=$(horch --db "$T/g.db" import "$T/grow.csv" --source t --map external_id=id,text=body 2>&1)
is $? 1 "import-4.4 a record refused by the pipeline makes the status 1"
like "$err" 'grow\.csv:3: field "text": more than 262144 bytes once invalid UTF-8 is repaired' "import-4.5 named with its line and the cap"
is "$(total "$T/g.db")" 2001 "import-4.6 the other records are stored"
err=$(horch --db "$T/gs.db" import --strict "$T/grow.csv" --source t --map external_id=id,text=body 2>&1)
is $? 1 "import-4.7 --strict fails on it"
is "$(total "$T/gs.db")" 1 "import-4.8 --strict stores nothing after the refused record"
printf 'id,body\n1,ok \377\376 bytes\n' > "$T/rep.csv"
horch --db "$T/r.db" import "$T/rep.csv" --source t --map external_id=id,text=body -q
horch --db "$T/r.db" search --json > "$T/rep.jsonl"
horch --db "$T/r2.db" import "$T/rep.jsonl" -q; ok $? "import-4.9 repaired text exports and imports again"
is "$(horch --db "$T/r2.db" search --json | jq -r .text)" "ok �� bytes" "import-4.10 as U+FFFD"

# Standard input, CSV with quoting, a BOM and CRLF line ends.
printf '\xef\xbb\xbfid,body,who\r\n1,"Hallo, Welt",anna\r\n2,"Zeile eins\r\nZeile ""zwei""",bernd\r\n3,plain,carla\r\n' > "$T/q.csv"
err=$(horch --db "$T/q.db" import --format csv --source forum --map external_id=id,text=body,author=who - < "$T/q.csv" 2>&1)
ok $? "import-5.1 CSV from standard input"
is "$(total "$T/q.db")" 3 "import-5.2 three rows"
out=$(horch --db "$T/q.db" search zwei --json | jq -r .text)
is "$out" "$(printf 'Zeile eins\nZeile "zwei"')" "import-5.3 embedded newline and quotes kept"
out=$(horch --db "$T/q.db" search --author ANNA --json | jq -r .external_id)
is "$out" "1" "import-5.4 the BOM does not hide the first column; author matches without case"

# A slow pipe: each line is stored as it arrives, not when a block is full.
( echo '{"source":"p","external_id":"1","text":"first line"}'; sleep 8
  echo '{"source":"p","external_id":"2","text":"second line"}' ) |
  horch --db "$T/pipe.db" import - -q &
pipe_pid=$!
seen=0
for _ in $(seq 1 50); do
  seen=$(total "$T/pipe.db" 2>/dev/null || echo 0)
  [ "${seen:-0}" -ge 1 ] && break
  sleep 0.1
done
is "$seen" 1 "import-5.5 a line from a slow pipe is stored while the pipe stays open"
wait $pipe_pid
is "$(total "$T/pipe.db")" 2 "import-5.6 and the next one when it comes"

# JSON output is canonical: it imports back to the same posts.
horch --db "$db" search --spam show --json --limit 1000 > "$T/export.jsonl"
is "$(wc -l < "$T/export.jsonl" | tr -d ' ')" "$((n_posts + 40))" "import-6.1 search --json exports every post"
horch --db "$T/copy.db" import "$T/export.jsonl" -q; ok $? "import-6.2 the export imports cleanly"
# Ids differ between the two databases: the post ids, and dup_of, which names one.
a=$(horch --db "$db" search --spam show --json --limit 1000 | jq -c 'del(.id, .fetched_at, .analysis.dup_of)' | sort | md5sum)
b=$(horch --db "$T/copy.db" search --spam show --json --limit 1000 | jq -c 'del(.id, .fetched_at, .analysis.dup_of)' | sort | md5sum)
is "$b" "$a" "import-6.3 and round-trips every field"

# Search and stats on the examples.
out=$(horch --db "$db" search 'battery AND (fire OR smoke OR swollen)' --json | jq -s length)
[ "$out" -gt 0 ]; ok $? "import-7.1 FTS finds the battery incidents ($out)"
out=$(horch --db "$db" search akku --lang de --json | jq -r .lang | sort -u)
is "$out" "de" "import-7.2 --lang filters"
out=$(horch --db "$db" search '#KorvoPro15 -refund' --json | jq -s length)
[ "$out" -gt 0 ]; ok $? "import-7.3.1 a hashtag with an exclusion, as a user types it ($out)"
out=$(horch --db "$db" search '@KorvoCares' --json | jq -s length)
[ "$out" -gt 0 ]; ok $? "import-7.3.2 a mention ($out)"
out=$(horch --db "$db" search 'verspatung' --json | jq -s length)
[ "$out" -gt 0 ]; ok $? "import-7.3 search ignores accents (verspatung finds Verspätung)"
out=$(horch --db "$db" search --csv --limit 3 | head -n 1)
is "$out" "$(printf 'id,source,external_id,created_at,author,lang,url,title,text,sentiment,intent,spam\r')" "import-7.4 --csv has a header"
out=$(horch --db "$db" search 'AND battery' 2>&1); is $? 2 "import-7.5 a bad search expression is a usage error"
like "$out" 'search' "import-7.6 with a message"
out=$(horch --db "$db" stats --spam show)
like "$out" "$((n_posts + 40)) posts" "import-7.7 stats shows the total"
like "$out" 'twitter' "import-7.8 and the sources"
# Paging with --before visits every post once.
all=$(horch --db "$db" search --json --limit 100000 | jq -r .id)
pages="" before=""
while :; do
  page=$(horch --db "$db" search --json --limit 17 ${before:+--before "$before"} | jq -r .id)
  [ -z "$page" ] && break
  pages="$pages$page"$'\n'
  before=$(printf '%s\n' "$page" | tail -n 1)
done
is "$(printf '%s' "$pages" | sed '/^$/d' | md5sum)" "$(printf '%s\n' "$all" | md5sum)" "import-7.9 pages of 17 with --before list every post once, in order"
done_testing
