# airline.sh - importing a real data set: 14,640 tweets to US airlines
# (../shared/data/airline-tweets/Tweets.csv), with a column mapping.
. "$(dirname "$0")/lib.sh"
csv=${HORCH_SHARED:-/nonexistent}/airline-tweets/Tweets.csv
[ -r "$csv" ] || skip_all "shared data absent (../shared/data/airline-tweets/Tweets.csv)"
db=$T/air.db
map=text=text,created_at=tweet_created,external_id=tweet_id,author=name,reposts=retweet_count
err=$(horch --db "$db" import "$csv" --map "$map" --source twitter --lang en 2>&1)
ok $? "airline-1.1 Tweets.csv imports with a mapping"
# The file repeats 155 rows (14,485 distinct tweet ids): they are duplicates.
like "$err" 'imported 14,485 new posts \(14,640 read, 155 duplicates, 0 bad\)' "airline-1.2 all 14,640 rows read, the 155 repeated tweets counted as duplicates"
is "$(total "$db")" 14485 "airline-1.3 each tweet stored once"
err=$(horch --db "$db" import "$csv" --map "$map" --source twitter --lang en 2>&1)
like "$err" 'nothing new: all 14,640 posts were already stored' "airline-1.4 a second import stores nothing"

out=$(horch --db "$db" search 'lost AND (bag OR luggage)' --since 2015-02-20 --lang en --limit 20 --json | jq -s length)
ok $? "airline-2.1 the README's search runs"
is "$out" 20 "airline-2.1.1 and fills its page of 20"
out=$(horch --db "$db" search delayed --json --limit 1000 | jq -s length)
[ "$out" -gt 100 ]; ok $? "airline-2.2 'delayed' finds many tweets ($out)"
out=$(horch --db "$db" search --json --limit 1 | jq -r .created_at)
is "$out" "2015-02-24T19:53:37Z" "airline-2.3 newest first, converted to UTC from -0800"
out=$(horch --db "$db" stats --json | jq -r 'select(.dimension=="day") | .key' | sort | head -n 1)
is "$out" "2015-02-17" "airline-2.4 stats by day starts on 2015-02-17 (UTC)"
out=$(horch --db "$db" search --author jnardino --json | jq -s length)
[ "$out" -ge 1 ]; ok $? "airline-2.5 --author finds a user's tweets"
done_testing
