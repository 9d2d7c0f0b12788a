# response.sh - horch eval response: first-response times per company
# account.  A small conversation file written here has known answers (first
# reply wins, a reply to a customer's reply, a post addressed to two
# accounts, an unanswered post, a reply dated before its post, a reply to a
# post not in the file); the real Customer Support on Twitter sample
# (../shared/data/support) gives the figures docs/signals.md quotes, pinned
# here; --json's shape, --accounts restricting and bad rows refused with
# their line and column.  The checks on the real file skip without
# HORCH_SHARED.
. "$(dirname "$0")/lib.sh"

# skip N REASON: N skipped checks.
skip() {
  local k
  for k in $(seq 1 "$1"); do _n=$((_n + 1)); echo "ok $_n # SKIP $2"; done
}

cat > "$T/known.csv" <<'EOF'
tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
1,111,True,Tue Oct 31 10:00:00 +0000 2017,@DellCares my laptop runs hot,"2,3",
2,DellCares,False,Tue Oct 31 10:10:00 +0000 2017,@111 sorry! DM us,4,1.0
3,DellCares,False,Tue Oct 31 10:30:00 +0000 2017,@111 a second answer,,1.0
4,111,True,Tue Oct 31 10:20:00 +0000 2017,done,5,2.0
5,DellCares,False,Tue Oct 31 10:25:00 +0000 2017,@111 thanks,,4.0
6,222,True,Tue Oct 31 11:00:00 +0000 2017,"@dellcares @AlienwareSupport hello, anyone?",7,
7,AlienwareSupport,False,Tue Oct 31 16:00:00 +0000 2017,@222 five hours later,,6.0
8,333,True,Tue Oct 31 12:00:00 +0000 2017,@AlienwareSupport anyone?,,
9,DellCares,False,Tue Oct 31 11:59:00 +0000 2017,@444 dated before the post,,10.0
10,444,True,Tue Oct 31 12:00:00 +0000 2017,@DellCares clock skew,9,
11,DellCares,False,Tue Oct 31 13:00:00 +0000 2017,@555 to a post not in the file,,99.0
EOF

# DellCares: posts 1 (10 min; the second reply at 30 does not count), 4 (a
# reply to its reply, 5 min), 6 (named, answered by the other account
# only) and 10 (its only reply is dated before it).  AlienwareSupport:
# post 6 after 300 min, post 8 never.  All: 5 posts, 3 answered (10, 5 and
# 300 min).
out=$(horch eval response "$T/known.csv")
ok $? "response-1.1 eval response runs on a constructed file"
like "$out" "11 posts, 5 by customers and 6 by 2 company accounts; SLA 4h" \
	"response-1.2 the heading counts the posts"
like "$out" "^DellCares +4 +2 +50\.0% +7\.5 +7\.5 +10\.0 +50\.0%$" \
	"response-1.3 DellCares: first reply wins, a reply to a reply, skew left out"
like "$out" "^AlienwareSupport +2 +1 +50\.0% +300\.0 +300\.0 +300\.0 +0\.0%$" \
	"response-1.4 AlienwareSupport: five hours is outside a 4 h SLA"
like "$out" "^all +5 +3 +60\.0% +10\.0 +105\.0 +300\.0 +40\.0%$" \
	"response-1.5 all: a post addressed to two accounts counted once"
like "$out" "dated before their post: 1; replies to posts not in the file: 1" \
	"response-1.6 the replies left out are counted"
is "$(printf '%s\n' "$out" | grep -nE '^(DellCares|AlienwareSupport|all) ' | cut -d: -f1 | tr '\n' ' ')" \
	"4 5 6 " "response-1.7 busiest first, the all row last"

json=$(horch eval response "$T/known.csv" --json --sla 5h)
ok $? "response-2.1 --json"
is "$(printf '%s' "$json" | jq -c '[.task, .sla_ms, .posts, .customer_posts, .company_posts, .other_posts, .accounts]')" \
	'["response",18000000,11,5,6,0,2]' "response-2.2 the file's counts"
is "$(printf '%s' "$json" | jq -c '.brands[1] | [.account, .addressed, .answered, .median_min, .within_sla, .within_sla_rate]')" \
	'["AlienwareSupport",2,1,300,1,0.5]' "response-2.3 --sla 5h takes the five-hour answer in"
is "$(printf '%s' "$json" | jq -c '.brands[0] | [.skewed, .orphans, .p90_min]')" '[1,1,10]' \
	"response-2.4 DellCares' replies left out and its p90"
is "$(printf '%s' "$json" | jq -c '.all | keys')" \
	'["account","addressed","answered","mean_min","median_min","orphans","p90_min","rate","skewed","within_sla","within_sla_rate"]' \
	"response-2.5 the members of a row"

out=$(horch eval response "$T/known.csv" --accounts ' @alienwaresupport')
ok $? "response-3.1 --accounts"
like "$out" "1 by 1 company account \(5 by other accounts left out\)" \
	"response-3.2 the other account's posts are left out"
like "$out" "^AlienwareSupport +2 +1 +50\.0% +300\.0" "response-3.3 the file's spelling is printed"
unlike "$out" "DellCares" "response-3.4 no DellCares row"
err=$(horch eval response "$T/known.csv" --accounts 'AlienwareSupport,Nobody' 2>&1 >/dev/null)
like "$err" "account 'Nobody': no post" "response-3.5 an account the file does not know is reported"

sed 's/^8,333,True,/8,333,Maybe,/' "$T/known.csv" > "$T/bad.csv"
out=$(horch eval response "$T/bad.csv" 2>&1)
is $? 1 "response-4.1 a bad row is an error"
like "$out" "bad.csv:9: column 3 \(inbound\): expected True or False, got 'Maybe'" \
	"response-4.2 naming line and column"
sed 's/^9,DellCares,False,Tue Oct 31 11:59:00/9,DellCares,False,Tue Oct 32 11:59:00/' \
	"$T/known.csv" > "$T/bad.csv"
out=$(horch eval response "$T/bad.csv" 2>&1)
is $? 1 "response-4.3 a bad time is an error"
like "$out" "bad.csv:10: column 4 \(created_at\): 'Tue Oct 32 11:59:00 \+0000 2017' is not a time" \
	"response-4.4 naming line and column"
sed 's/,,99\.0$/,,99.5/' "$T/known.csv" > "$T/bad.csv"
out=$(horch eval response "$T/bad.csv" 2>&1)
like "$out" "bad.csv:12: column 7 \(in_response_to_tweet_id\): '99.5' is not a whole number" \
	"response-4.5 a parent id must be a whole number"
printf 'tweet_id,author_id,inbound,created_at,text\n' > "$T/bad.csv"
out=$(horch eval response "$T/bad.csv" 2>&1)
like "$out" "no column in_response_to_tweet_id in the header" "response-4.6 a missing column"
out=$(horch eval response "$T/known.csv" --sla 4x 2>&1)
is $? 2 "response-4.7 a bad --sla is a usage error"
out=$(horch eval response "$T/known.csv" --labels x 2>&1)
is $? 2 "response-4.8 another task's option is refused"

if [ -z "${HORCH_SHARED:-}" ] || [ ! -f "$HORCH_SHARED/support/twcs_first5000.csv" ]; then
  skip 10 "HORCH_SHARED/support is absent"
  done_testing
  exit
fi
twcs=$HORCH_SHARED/support/twcs_first5000.csv

out=$(horch eval response "$twcs")
ok $? "response-5.1 the TWCS sample"
like "$out" "5,000 posts, 2,778 by customers and 2,222 by 76 company accounts; SLA 4h" \
	"response-5.2 76 accounts"
like "$out" "^ChipotleTweets +231 +208 +90\.0% +9\.8 +9\.6 +13\.2 +90\.0%$" \
	"response-5.3 the busiest account's figures"
like "$out" "^\(56 more\)" "response-5.4 the first 20 and how many more"
like "$out" "^all +2,638 +2,083 +79\.0% +11\.5 +196\.7 +380\.2 +68\.3%$" "response-5.5 all accounts"

json=$(horch eval response "$twcs" --json)
ok $? "response-6.1 --json on the sample"
is "$(printf '%s' "$json" | jq '.brands | length')" 76 "response-6.2 every account in JSON"
is "$(printf '%s' "$json" | jq -c '[.all.skewed, .all.orphans]')" '[0,3]' \
	"response-6.3 no reply before its post, three to posts cut off by the sample"
amazon=$(printf '%s' "$json" | jq -c '.brands[] | select(.account == "AmazonHelp")')
only=$(horch eval response "$twcs" --json --accounts amazonhelp | jq -c '.brands[0]')
is "$only" "$amazon" "response-6.4 --accounts AmazonHelp gives AmazonHelp's row unchanged"
is "$(printf '%s' "$only" | jq -c '[.addressed, .answered, .median_min]')" '[224,187,8.8833]' \
	"response-6.5 AmazonHelp's figures"
done_testing
