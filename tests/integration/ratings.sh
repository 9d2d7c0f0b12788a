# ratings.sh - horch eval ratings: the ratings per product and the two-star
# rule on a small CSV written here (one product pulled with 12 bad reviews
# in its window, one not with 9, a syndicated duplicate, a quoted text over
# two lines, the options of the rule), bad input refused naming line and
# column, and the real Datafiniti reviews of ../shared/data/reviews (the
# product and review counts, the duplicates, the JSON's shape).  The checks
# of the real file are skipped without HORCH_SHARED; the others run
# everywhere.
. "$(dirname "$0")/lib.sh"

# skip N REASON: record N skipped checks.
skip() {
	local k
	for k in $(seq 1 "$1"); do
		_n=$((_n + 1))
		echo "ok $_n # SKIP $2"
	done
}

# A CSV in Datafiniti's layout (with its byte order mark and columns the
# command does not read).  now is the newest review: 2018-06-30T12:00:00Z.
# Bad Lamp: 10 five-star reviews in May (the previous window), then 12 of
# 1 and 2 stars in June (mean 1.5) and a syndicated copy of one of them.
# Meh Kettle: 9 one-star reviews in June.  Good Radio: 3 good ones.
csv=$T/reviews.csv
{
	printf '\357\273\277id,name,asins,brand,reviews.date,reviews.rating,reviews.text,'
	printf 'reviews.title,reviews.username\n'
	for d in 10 11 12 13 14 15 16 17 18 19; do
		printf 'a%s,Bad Lamp,"BL00000001,BL00000002",Acme,2018-05-%sT10:00:00.000Z,5,' "$d" "$d"
		printf 'Bright and fine %s,ok,may%s\n' "$d" "$d"
	done
	for d in 05 06 07 08 09 10 11 12 13 14 15 16; do
		stars=$(( (10#$d % 2) + 1 ))
		printf 'b%s,Bad Lamp,BL00000001,Acme,2018-06-%sT09:30:00.000Z,%s,' "$d" "$d" "$stars"
		printf '"It flickers, day %s",bad,june%s\n' "$d" "$d"
	done
	# The same review syndicated to the product again: dropped.
	printf 'b99,Bad Lamp,BL00000002,Acme,2018-06-05T09:30:00.000Z,2,"It flickers, day 05",bad,june05\n'
	for d in 01 02 03 04 05 06 07 08 09; do
		printf 'c%s,Meh Kettle,MK00000001,Acme,2018-06-%s,1,Leaks %s,meh,k%s\n' "$d" "$d" "$d" "$d"
	done
	printf 'd1,Good Radio,GR00000001,Acme,2018-06-30T12:00:00Z,5,"Great sound.\n'
	printf 'Two lines of it.",good,r1\n'
	printf 'd2,Good Radio,GR00000001,Acme,2018-06-29,4.5,Fine,good,r2\n'
	printf 'd3,Good Radio,GR00000001,Acme,2018-06-28,4,Fine too,good,r3\n'
} > "$csv"

out=$(horch eval ratings "$csv")
ok $? "ratings-1.1 eval ratings on a constructed file"
like "$out" "35 records, 34 reviews of 3 products \(1 syndicated duplicate dropped" \
	"ratings-1.2 records, reviews, products and the dropped duplicate"
like "$out" "now is 2018-06-30T12:00:00Z, the newest review" "ratings-1.3 now is the newest review"
like "$out" "^ *22 +3\.09 .* 12 +1\.50 +-3\.50 +PULL +BL00000001 +Bad Lamp" \
	"ratings-1.4 Bad Lamp: 22 reviews, 12 in 30 days at 1.5, a trend of -3.5, pulled"
like "$out" "^ *9 +1\.00 .* 9 +1\.00 +- +MK00000001 +Meh Kettle" \
	"ratings-1.5 Meh Kettle: 9 reviews at 1 star, not pulled"
unlike "$out" "PULL.*Meh Kettle" "ratings-1.6 Meh Kettle is not flagged"
like "$out" "pulls 1 of 3 products" "ratings-1.7 the rule pulls one product"
first=$(printf '%s\n' "$out" | grep -E 'Lamp|Kettle|Radio' | head -n 1)
like "$first" "Bad Lamp" "ratings-1.8 sorted by review count"

json=$(horch eval ratings "$csv" --json)
ok $? "ratings-2.1 --json"
is "$(printf '%s' "$json" | jq -c '[.records, .reviews, .duplicates, .products_total, .pulled, .now]')" \
	'[35,34,1,3,1,"2018-06-30T12:00:00Z"]' "ratings-2.2 the totals"
is "$(printf '%s' "$json" | jq -c '.products[] | select(.product == "Bad Lamp") |
	[.asin, .records, .n, .n_recent, .mean_recent, .n_prev, .mean_prev, .trend, .pull]')" \
	'["BL00000001",23,22,12,1.5,10,5,-3.5,true]' "ratings-2.3 Bad Lamp's figures"
is "$(printf '%s' "$json" | jq -c '.products[] | select(.product == "Meh Kettle") |
	[.n, .n_recent, .mean_recent, .trend, .pull]')" '[9,9,1,null,false]' \
	"ratings-2.4 Meh Kettle: 9 recent reviews are under the minimum of 10"
is "$(printf '%s' "$json" | jq -c '.products[] | select(.product == "Good Radio") |
	[.n, .mean, .wilson]')" '[3,4.5,0.438494]' "ratings-2.5 Good Radio: fractional stars, Wilson 3 of 3"
is "$(printf '%s' "$json" | jq -c '.rule')" \
	'{"below":2,"min_reviews":10,"window":"30d","window_ms":2592000000}' "ratings-2.6 the default rule"

is "$(horch eval ratings "$csv" --json --min-reviews 9 | jq '.pulled')" 2 \
	"ratings-3.1 --min-reviews 9 pulls Meh Kettle too"
is "$(horch eval ratings "$csv" --json --below 1.5 | jq '.pulled')" 0 \
	"ratings-3.2 --below 1.5: a mean of 1.5 is not under it"
is "$(horch eval ratings "$csv" --json --window 7d | jq '.pulled')" 0 \
	"ratings-3.3 --window 7d: the bad reviews are older than a week"
is "$(horch eval ratings "$csv" --json --window 7d | jq -c '.products[] |
	select(.product == "Good Radio") | [.n_recent, .mean_recent]')" '[3,4.5]' \
	"ratings-3.4 --window 7d: Good Radio's reviews are in it"
out=$(horch eval ratings "$csv" --window 30x 2>&1)
is $? 2 "ratings-3.5 a bad --window is a usage error"
like "$out" "--window: expected a span such as 30d" "ratings-3.6 ... saying what a span is"
out=$(horch eval ratings "$csv" --below 0 2>&1)
is $? 2 "ratings-3.7 --below 0 is a usage error"
out=$(horch eval ratings "$csv" --labels x.json 2>&1)
is $? 2 "ratings-3.8 an option of another task is a usage error"

head -n 3 "$csv" > "$T/bad.csv"
printf 'x1,Bad Lamp,BL00000001,Acme,2018-06-05,4 stars,text,t,u\n' >> "$T/bad.csv"
out=$(horch eval ratings "$T/bad.csv" 2>&1)
is $? 1 "ratings-4.1 a bad rating is an error (exit 1, as eval's other bad rows)"
like "$out" "bad.csv:4: column 6 \(reviews.rating\): the rating '4 stars' is not a number from 1 to 5" \
	"ratings-4.2 naming file, line and column"
sed -n '1p;34,35p' "$csv" > "$T/bad.csv"
printf 'x2,Bad Lamp,BL00000001,Acme,2018-06-05,9,text,t,u\n' >> "$T/bad.csv"
out=$(horch eval ratings "$T/bad.csv" 2>&1)
is $? 1 "ratings-4.3 a rating over 5 is an error"
like "$out" "bad.csv:4: column 6" "ratings-4.4 ... on the line after a quoted text of two lines"
printf '\357\273\277id,name,asins,reviews.date,reviews.rating,reviews.text,reviews.username\n' \
	> "$T/bad.csv"
printf 'x3,Lamp,L1,June 5th,2,text,u\n' >> "$T/bad.csv"
out=$(horch eval ratings "$T/bad.csv" 2>&1)
is $? 1 "ratings-4.5 a bad date is an error"
like "$out" "bad.csv:2: column 4 \(reviews.date\): the date 'June 5th' is not a date" \
	"ratings-4.6 naming file, line and column"
printf 'id,name,asins,reviews.date,reviews.rating,reviews.text\nx,Lamp,L1,2018-06-05,2,t\n' \
	> "$T/bad.csv"
out=$(horch eval ratings "$T/bad.csv" 2>&1)
is $? 1 "ratings-4.7 a missing column is an error"
like "$out" "bad.csv:1: no column named 'reviews.username'" "ratings-4.8 naming the column"

data=${HORCH_SHARED:-}/reviews/datafiniti_amazon_consumer_reviews_5000.csv
if [ -z "${HORCH_SHARED:-}" ] || [ ! -f "$data" ]; then
	skip 9 "HORCH_SHARED is not set or has no reviews/"
	done_testing
	exit
fi
out=$(horch eval ratings "$data")
ok $? "ratings-5.1 eval ratings on Datafiniti's 5,000 reviews"
# SOURCE.md counts 24 products by their ids: the asins column has 24
# values, but one name (the Echo Show) has two of them, B010CEHQTG and
# B01J24C0TI; a product is a name, so there are 23.
like "$out" "5,000 records, 4,805 reviews of 23 products \(195 syndicated duplicates dropped" \
	"ratings-5.2 23 products (24 ASINs), 195 duplicates of 5,000 records"
like "$out" "now is 2018-09-15T16:34:29Z" "ratings-5.3 now is the newest review"
like "$out" "pulls 0 of 23 products" "ratings-5.4 the default rule pulls nothing"
json=$(horch eval ratings "$data" --json)
ok $? "ratings-5.5 --json on the real file"
is "$(printf '%s' "$json" | jq -c '[.records, .reviews, .duplicates, .products_total,
	(.products | length), ([.products[].n] | add), ([.products[].records] | add)]')" \
	'[5000,4805,195,23,23,4805,5000]' "ratings-5.6 the counts add up"
is "$(printf '%s' "$json" | jq -c '[.products[0] | .n, .asin, .mean, .wilson]')" \
	'[796,"B01AHB9CN2",4.59799,0.936587]' "ratings-5.7 the busiest product"
is "$(printf '%s' "$json" | jq -c '.products[] | select(.asin == "B010CEHQTG") |
	[.records, .n, .n_recent, .mean_recent]')" '[845,751,5,5]' \
	"ratings-5.8 the Echo Show: 845 records, 751 reviews, 5 in the last 30 days"
is "$(printf '%s' "$json" | jq -c '[.products[0] | keys[]]')" \
	'["asin","mean","mean_prev","mean_recent","n","n_prev","n_recent","product","pull","records","trend","wilson"]' \
	"ratings-5.9 the members of a product"
done_testing
