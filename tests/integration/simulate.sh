# simulate.sh - horch simulate: the launch day on standard output and in a
# file, determinism, its options and their errors, and the day imported.
. "$(dirname "$0")/lib.sh"

horch simulate > "$T/a.jsonl"; ok $? "simulate-1.1 the default scenario runs"
is "$(wc -l < "$T/a.jsonl" | tr -d ' ')" 6000 "simulate-1.2 6,000 posts by default"
horch simulate --scenario launch --seed 1 > "$T/b.jsonl"
cmp -s "$T/a.jsonl" "$T/b.jsonl"; ok $? "simulate-1.3 the same seed gives the same bytes"
horch simulate --seed 2 > "$T/c.jsonl"
! cmp -s "$T/a.jsonl" "$T/c.jsonl"; ok $? "simulate-1.4 another seed another day"
is "$(jq -s 'map(select(.source and .external_id and .created_at and (.text or .title) and .author.handle)) | length' "$T/a.jsonl")" 6000 \
  "simulate-1.5 every line is a post with source, id, time, text and author"
is "$(jq -r .created_at "$T/a.jsonl" | sort -c && echo sorted)" sorted "simulate-1.6 sorted by time"
is "$(jq -r .created_at "$T/a.jsonl" | head -n 1 | cut -c1-10)" 2026-11-10 "simulate-1.7 the day is 2026-11-10"
is "$(jq -r '[.source, .external_id] | @tsv' "$T/a.jsonl" | sort | uniq -d | wc -l | tr -d ' ')" 0 \
  "simulate-1.8 source and external id are unique"
de=$(jq -r .lang "$T/a.jsonl" | grep -c '^de$')
ok $(( de > 1800 && de < 2400 ? 0 : 1 )) "simulate-1.9 about a third in German ($de)"
is "$(jq -r .source "$T/a.jsonl" | sort -u | tr '\n' ' ')" "bluesky forum hn mastodon reddit rss twitter " \
  "simulate-1.10 seven sources"
# The fault: hinge posts from 14:00, none before.
early=$(jq -r 'select((.text // "") | test("hinge|scharnier"; "i")) | .created_at[11:13]' "$T/a.jsonl" | awk '$1 < 14' | wc -l | tr -d ' ')
peak=$(jq -r 'select((.text // "") | test("hinge|scharnier"; "i")) | .created_at[11:13]' "$T/a.jsonl" | grep -c '^15$')
is "$early" 0 "simulate-1.11 nobody writes of the hinge before 14:00"
ok $(( peak > 200 ? 0 : 1 )) "simulate-1.12 hundreds do at 15:00 ($peak)"
replies=$(jq -r 'select(.kind=="reply") | .author.handle' "$T/a.jsonl" | sort -u | tr '\n' ' ')
like "$replies" '^(KorvoCares[^ ]* |korvocares[^ ]* )+$' "simulate-1.13 the replies are @KorvoCares's"

# A file: the same bytes, a summary on stderr, no temporary file left.
err=$(horch simulate -o "$T/o.jsonl" 2>&1); ok $? "simulate-2.1 -o FILE"
cmp -s "$T/a.jsonl" "$T/o.jsonl"; ok $? "simulate-2.2 writes what standard output gets"
like "$err" '^wrote 6,000 posts of the launch scenario \(seed 1, 2026-11-10T00:00:00Z to 2026-11-11T00:00:00Z\) to .*o\.jsonl$' \
  "simulate-2.3 and says what it wrote"
is "$(ls "$T" | grep -c tmp)" 0 "simulate-2.4 no temporary file is left"
horch simulate --posts 500 --start 2027-03-01T06:00:00Z --seed 9 > "$T/s.jsonl"
is "$(wc -l < "$T/s.jsonl" | tr -d ' ')" 500 "simulate-2.5 --posts sets the size"
is "$(jq -r .created_at "$T/s.jsonl" | head -n 1 | cut -c1-10)" 2027-03-01 "simulate-2.6 --start moves the day"
last=$(jq -r .created_at "$T/s.jsonl" | tail -n 1)
ok $([ "$last" \< 2027-03-02T06:00:00Z ] && echo 0 || echo 1) "simulate-2.7 within 24 hours ($last)"
out=$(horch simulate -q -o "$T/q.jsonl" 2>&1); is "$out" "" "simulate-2.8 --quiet prints nothing"

# Errors: usage errors with the problem named; nothing written.
err=$(horch simulate --scenario lunch 2>&1); is $? 2 "simulate-3.1 an unknown scenario is a usage error"
like "$err" "unknown scenario 'lunch' \(scenarios: launch\)" "simulate-3.2 listing the scenarios"
err=$(horch simulate --posts 5 2>&1); is $? 2 "simulate-3.3 too few posts"
like "$err" '--posts: expected a number from 100 to 200000' "simulate-3.4 names the range"
err=$(horch simulate --seed -3 2>&1); is $? 2 "simulate-3.5 a negative seed"
err=$(horch simulate --seed 18446744073709551616 2>&1); is $? 2 "simulate-3.6 a seed beyond 64 bits"
horch simulate --seed 18446744073709551615 --posts 100 > /dev/null; ok $? "simulate-3.7 the largest seed"
err=$(horch simulate --start yesterday-ish 2>&1); is $? 2 "simulate-3.8 a bad --start"
like "$err" '--start: bad time' "simulate-3.9 says so"
err=$(horch simulate -o "$T/no/such/dir/x.jsonl" 2>&1); is $? 1 "simulate-3.10 an unwritable file is a runtime error"
like "$err" 'no/such/dir/x\.jsonl\.tmp: No such file' "simulate-3.11 naming it"
err=$(horch simulate extra 2>&1); is $? 2 "simulate-3.12 no positional arguments"

# The day imports, and horch understands it: spam, complaints at the fault.
err=$(horch --db "$T/h.db" import "$T/a.jsonl" 2>&1); ok $? "simulate-4.1 the day imports"
like "$err" 'imported 6,000 new posts' "simulate-4.2 every post"
spam=$(horch --db "$T/h.db" stats --spam only --json | jq -r 'select(.dimension=="total") | .count')
ok $(( spam > 300 && spam < 900 ? 0 : 1 )) "simulate-4.3 the spam is recognised as spam ($spam)"
neg13=$(horch --db "$T/h.db" stats --since 2026-11-10T13:00:00Z --until 2026-11-10T14:00:00Z --sentiment negative --json | jq -r 'select(.dimension=="total") | .count')
neg15=$(horch --db "$T/h.db" stats --since 2026-11-10T15:00:00Z --until 2026-11-10T16:00:00Z --sentiment negative --json | jq -r 'select(.dimension=="total") | .count')
ok $(( neg15 > 3 * neg13 ? 0 : 1 )) "simulate-4.4 negative posts triple at the fault ($neg13 at 13:00, $neg15 at 15:00)"
done_testing
