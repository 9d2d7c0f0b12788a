# nlp.sh - what horch derives from each post, end to end: import analyses
# every post (language, sentiment, intent, spam, near-duplicates, entities,
# products, reach, priority), search and stats filter by it, topics match
# on it, and horch eval measures it on labelled files.  The texts are our
# own; the last part checks the issue's accuracy goals on the public sets
# in ../shared/data when they are there.
. "$(dirname "$0")/lib.sh"
db=$T/nlp.db
# awk compares the decimals jq prints: gt A B is true when A > B.
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

horch --db "$db" product add 'Korvo Pro 15' --alias 'korvopro15,Korvo-Pro 15' --sku KP15 2>/dev/null
ok $? "nlp-1.1 product add"
out=$(horch --db "$db" product add 'korvo  pro 15' 2>&1)
is $? 1 "nlp-1.2 a second product of the same name (case and spaces ignored) is refused"
like "$out" "a product named 'korvo  pro 15' exists already" "nlp-1.2.1 and the message says so"
out=$(horch --db "$db" product list --json | jq -r '.name + "|" + .sku + "|" + (.aliases | join(","))')
is "$out" "Korvo Pro 15|KP15|korvopro15,Korvo-Pro 15" "nlp-1.3 product list --json"
horch --db "$db" product add 'Korvo Air' 2>/dev/null
horch --db "$db" product rm 'KORVO AIR' 2>/dev/null
ok $? "nlp-1.4 product rm (the name compared as topic names are)"
out=$(horch --db "$db" product add '!!!' 2>&1)
is $? 2 "nlp-1.6 a product without a word is refused"
like "$out" 'the name or alias "!!!" has no words' "nlp-1.6.1 saying why"
out=$(horch --db "$db" product rm 'Korvo Air' 2>&1)
like "$out" "no product named 'Korvo Air'" "nlp-1.5 removing it twice names it"

cat > "$T/posts.jsonl" <<'EOF'
{"source":"t","external_id":"1","text":"My Korvo Pro 15 is the worst laptop I ever bought. The battery died after two days and support never answered!","author":{"handle":"ann","followers":120000,"verified":true},"engagement":{"likes":40,"reposts":12}}
{"source":"t","external_id":"2","author":"ben","text":"Der neue Korvo Pro 15 ist wirklich super, ich bin total begeistert von dem Bildschirm."}
{"source":"t","external_id":"3","author":"cat","text":"How do I change the keyboard language on my korvopro15? Thanks in advance."}
{"source":"t","external_id":"4","author":"dan","text":"FREE GIFT CARDS!!! Subscribe to my channel and click http://win.example.com/now http://win.example.com/free http://win.example.com/prize to win $1000 now"}
{"source":"t","external_id":"5","author":"eve","text":"Flash sale on every laptop at the big store downtown this weekend, doors open at nine, bring your friends along"}
{"source":"t","external_id":"6","author":"fay","text":"Flash sale on every laptop at the big store downtown this weekend, doors open at nine, bring your friends along!"}
{"source":"t","external_id":"7","author":"eve","text":"Quarterly results of #KorvoTech are out: $KRVO up, see https://www.news.example.org/korvo for details @korvo"}
{"source":"t","external_id":"8","author":"gus","text":"Flash sale on every laptop at the big store downtown this weekend, doors open at nine, bring your friends along"}
{"source":"t","external_id":"9","author":"hal","text":"Flash sale on every laptop at the big store downtown this weekend, doors open at nine, bring your friends along!!"}
{"source":"t","external_id":"10","author":"ivy","text":"RT @eve: Flash sale on every laptop at the big store downtown this weekend, doors open at nine, bring your friends along"}
EOF
# One worker keeps the file's order, so that "the earlier post" is the
# earlier line (with several, posts of one batch may be stored in any order).
err=$(horch --db "$db" import --workers 1 "$T/posts.jsonl" 2>&1)
ok $? "nlp-2.1 import analyses the posts"
like "$err" "imported 10 new posts" "nlp-2.1.1 all ten stored"
like "$err" "4 near-duplicates of earlier posts, 2 spam" "nlp-2.1.2 the four copies of post 5 are near-duplicates; the gift cards and the campaign's third copy spam"

get() { horch --db "$db" search --spam show --json --limit 100 | jq -r "select(.external_id==\"$1\") | $2"; }
is "$(get 1 .lang)" "en" "nlp-2.2 language: English"
is "$(get 2 .lang)" "de" "nlp-2.2.1 language: German"
is "$(get 1 .analysis.sentiment.label)" "negative" "nlp-2.3 sentiment: the complaint is negative"
is "$(get 2 .analysis.sentiment.label)" "positive" "nlp-2.3.1 sentiment: the German praise is positive"
is "$(get 1 .analysis.intent)" "complaint" "nlp-2.4 intent: complaint"
is "$(get 3 .analysis.intent)" "question" "nlp-2.4.1 intent: a help-seeking question"
is "$(get 4 .analysis.spam.is_spam)" "true" "nlp-2.5 spam: the gift-card post"
is "$(get 1 .analysis.spam.is_spam)" "false" "nlp-2.5.1 not spam: the complaint"
is "$(get 6 .analysis.dup_of)" "$(get 5 .id)" "nlp-2.6 near-duplicate: post 6 repeats post 5"
is "$(get 6 .analysis.spam.is_spam)" "false" "nlp-2.6.1 one copy by another author is a conversation, not spam"
is "$(get 5 '.analysis.dup_of // ""')" "" "nlp-2.6.2 the original has no dup_of"
is "$(get 9 .analysis.dup_of)" "$(get 5 .id)" "nlp-2.6.3 every copy points to the original"
is "$(get 9 .analysis.spam.is_spam)" "true" "nlp-2.6.4 the third copy by others on the same source: a campaign, spam"
is "$(get 10 .analysis.dup_of),$(get 10 .analysis.spam.is_spam)" "$(get 5 .id),false" "nlp-2.6.5 a retweet is a duplicate, never campaign spam"
is "$(get 9 .analysis.priority)" "0" "nlp-2.6.6 the campaign's copy has no priority in the store either"

# The index is seeded from the store: a second import sees the first's posts
# (and knows which were reposts).
db2=$T/nlp2.db
txt="Flash sale on every laptop at the big store downtown this weekend, doors open at nine"
printf '{"source":"t","external_id":"a","author":"eve","text":"%s"}\n{"source":"t","external_id":"b","author":"x","kind":"repost","text":"%s"}\n{"source":"t","external_id":"c","author":"y","text":"RT @eve: %s"}\n' "$txt" "$txt" "$txt" > "$T/wave1.jsonl"
printf '{"source":"t","external_id":"d","author":"z","text":"%s"}\n{"source":"t","external_id":"e","author":"w","text":"%s"}\n{"source":"t","external_id":"f","author":"v","text":"%s"}\n' "$txt" "$txt" "$txt" > "$T/wave2.jsonl"
horch --db "$db2" --quiet import --workers 1 "$T/wave1.jsonl" &&
	horch --db "$db2" --quiet import --workers 1 "$T/wave2.jsonl"
ok $? "nlp-2.11 two imports"
out=$(horch --db "$db2" search --spam show --json | jq -r '[.external_id, (.analysis.dup_of != null), .analysis.spam.is_spam] | join(":")' | sort | tr '\n' ' ')
is "$out" "a:false:false b:true:false c:true:false d:true:false e:true:false f:true:true " \
	"nlp-2.11.1 across imports: the reposts are no campaign; the third plain copy by others is"
for u in p1 p2 p3 p4 p5; do printf '{"source":"t","external_id":"%s","author":"%s","text":"thanks @korvo, same here"}\n' "$u" "$u"; done > "$T/thanks.jsonl"
horch --db "$db2" --quiet import --workers 1 "$T/thanks.jsonl"
out=$(horch --db "$db2" search --spam only --json | jq -r .external_id | tr '\n' ' ')
is "$out" "f " "nlp-2.11.2 five people saying the same short thing are no campaign"
printf '{"source":"t","external_id":"p6","author":"p6","text":"thanks @korvo, same here"}\n' > "$T/thanks2.jsonl"
horch --db "$db2" --quiet import "$T/thanks2.jsonl"
out=$(horch --db "$db2" search --spam only --json | jq -r .external_id | tr '\n' ' ')
is "$out" "f " "nlp-2.11.3 nor after a restart (the stored short posts are seeded as short)"
is "$(get 1 '[.analysis.entities[] | select(.kind=="product") | .value] | join(",")')" "Korvo Pro 15" \
	"nlp-2.7 the catalogue product is found in the text"
is "$(get 3 '[.analysis.entities[] | select(.kind=="product") | .value] | join(",")')" "Korvo Pro 15" \
	"nlp-2.7.1 by its alias"
is "$(get 7 '[.analysis.entities[] | .kind + ":" + .value] | join(" ")')" \
	"hashtag:korvotech cashtag:KRVO url:news.example.org mention:korvo" \
	"nlp-2.8 hashtags, cashtags, URL hosts and mentions"
r1=$(get 1 .analysis.reach); r2=$(get 2 .analysis.reach)
gt "$r1" "$r2"; ok $? "nlp-2.9 reach: 120,000 verified followers reach further ($r1 > $r2)"
p1=$(get 1 .analysis.priority); p2=$(get 2 .analysis.priority)
gt "$p1" "$p2"; ok $? "nlp-2.10 priority: the far-reaching complaint comes first ($p1 > $p2)"
is "$(get 4 .analysis.priority)" "0" "nlp-2.10.1 spam has no priority"

out=$(horch --db "$db" search --json | jq -r .external_id | sort | tr '\n' ' ')
is "$out" "1 10 2 3 5 6 7 8 " "nlp-3.1 search leaves spam out by default"
out=$(horch --db "$db" search --spam only --json | jq -r .external_id | sort | tr '\n' ' ')
is "$out" "4 9 " "nlp-3.2 --spam only"
out=$(horch --db "$db" search --sentiment negative --json | jq -r .external_id)
is "$out" "1" "nlp-3.3 --sentiment negative"
out=$(horch --db "$db" search --intent question --json | jq -r .external_id)
is "$out" "3" "nlp-3.4 --intent question"
out=$(horch --db "$db" search --sentiment angry 2>&1)
is $? 2 "nlp-3.5 a bad --sentiment is a usage error"
like "$out" "expected negative, neutral or positive, got 'angry'" "nlp-3.5.1 naming the choices"
out=$(horch --db "$db" stats --json | jq -r 'select(.dimension=="sentiment" and .key=="negative") | .count')
is "$out" "1" "nlp-3.6 stats count by sentiment"
out=$(horch --db "$db" stats --json | jq -r 'select(.dimension=="total") | .count')
is "$out" "8" "nlp-3.7 stats leave spam out"
like "$(horch --db "$db" stats | head -n 1)" "^8 posts in .* \\(2 spam left out; --spam show counts them\\)" "nlp-3.7.1 and say so"

horch --db "$db" topic add 'Korvo complaints' 'korvo* AND sentiment:negative' 2>/dev/null
ok $? "nlp-4.1 a topic on derived sentiment is saved (no warning needed)"
out=$(horch --db "$db" search --topic 'Korvo complaints' --json | jq -r .external_id)
is "$out" "1" "nlp-4.2 it matched the stored history"
horch --db "$db" topic add 'Help wanted' 'is:question' 2>/dev/null
out=$(horch --db "$db" search --topic 'Help wanted' --json | jq -r .external_id)
is "$out" "3" "nlp-4.3 is:question matches the help-seeking post"

# ---- horch eval on files of our own ----
cat > "$T/sent.csv" <<'EOF'
id,text,sentiment
1,"I love this phone, the camera is amazing!",positive
2,"Worst customer service ever, I am so angry.",negative
3,"The store opens at nine on Mondays.",neutral
4,"Absolutely fantastic support team, thank you so much!",positive
5,"My order was cancelled again and nobody answers. Terrible.",negative
6,"I love this phone, the camera is amazing!",positive
EOF
out=$(horch eval sentiment "$T/sent.csv")
ok $? "nlp-5.1 eval sentiment on a CSV file"
like "$out" "5 texts \\(1 exact duplicates and 0 unlabelled left out\\)" "nlp-5.1.1 the repeated text counted once"
like "$out" "accuracy 1.000, macro-F1 1.000" "nlp-5.1.2 all five right"
like "$out" "label \\\\ answer +negative +neutral +positive" "nlp-5.1.3 the confusion matrix, classes in order"
out=$(horch eval sentiment "$T/sent.csv" --json | jq -r '.results[0].classes[] | .label + "=" + (.support|tostring)' | tr '\n' ' ')
is "$out" "negative=2 neutral=1 positive=2 " "nlp-5.2 --json: support per class"
out=$(horch eval sentiment "$T/sent.csv" --baseline --json | jq -r '.results[1].predictor')
is "$out" "VADER rules (baseline)" "nlp-5.3 --baseline scores VADER's rules beside horch's"
printf '1\tpositive\tWhat a lovely day, I am so happy!\n2\tnegative\tThis is awful and I hate it.\n' > "$T/sent.tsv"
out=$(horch eval sentiment "$T/sent.tsv" --json | jq -r '.results[0].accuracy')
is "$out" "1" "nlp-5.4 TSV: id, label, text"
printf '1\t3.1\tWhat a lovely day, I am so happy!\n2\t-2.5\tThis is awful and I hate it.\n3\t0.1\tThe bus leaves at noon.\n' > "$T/valence.tsv"
out=$(horch eval sentiment "$T/valence.tsv" --json | jq -r '.results[0].classes[] | .label + "=" + (.support|tostring)' | tr '\n' ' ')
is "$out" "negative=1 neutral=1 positive=1 " "nlp-5.5 TSV with a valence: bucketed at +-0.5"
printf '{"text":"Das ist ein schöner Tag.","lang":"de"}\n{"text":"This is a lovely day for a walk.","lang":"en"}\n' > "$T/lang.jsonl"
out=$(horch eval lang "$T/lang.jsonl" --json | jq -r '.results[0].accuracy')
is "$out" "1" "nlp-5.6 eval lang on JSON Lines"
printf 'COMMENT_ID,CONTENT,CLASS\n1,"Check out my channel and subscribe!!! http://x.example.com",1\n2,"This song always makes me smile",0\n' > "$T/spam.csv"
out=$(horch eval spam "$T/spam.csv" --json | jq -r '.results[0].classes[] | .label' | tr '\n' ' ')
is "$out" "spam ham " "nlp-5.7 eval spam: CLASS 1 is spam, 0 ham"

printf 'id,body\n1,hello\n' > "$T/nolabel.csv"
out=$(horch eval sentiment "$T/nolabel.csv" 2>&1)
is $? 1 "nlp-6.1 a file without a label column is an error"
like "$out" "nolabel.csv: line 1: no label column in the header" "nlp-6.1.1 naming the file and line"
printf 'id,sentiment\n1,positive\n' > "$T/notext.csv"
out=$(horch eval sentiment "$T/notext.csv" 2>&1)
like "$out" "notext.csv: line 1: no text column in the header" "nlp-6.1.2 so is one without a text column"
printf '1\tpositive\tfine\n2\tnegative\n' > "$T/short.tsv"
out=$(horch eval sentiment "$T/short.tsv" 2>&1)
like "$out" "short.tsv: line 2: 2 tab-separated fields, fewer than the first line's" "nlp-6.2 a short TSV line is named"
printf '{"text":"a","sentiment":"positive"}\n{"text": oops}\n' > "$T/bad.jsonl"
out=$(horch eval sentiment "$T/bad.jsonl" 2>&1)
like "$out" "bad.jsonl: line 2, column" "nlp-6.3 bad JSON is named by line and column"
out=$(horch eval mood "$T/sent.csv" 2>&1)
is $? 2 "nlp-6.4 an unknown task is a usage error"
out=$(horch eval spam "$T/spam.csv" --folds 5 2>&1)
is $? 2 "nlp-6.5 --folds belongs to sentiment"

# ---- the goals of issue 4, on the public sets ----
D=${HORCH_SHARED:-/nonexistent}
if [ -r "$D/airline-tweets/Tweets.csv" ]; then
	f1=$(horch eval sentiment "$D/airline-tweets/Tweets.csv" --json | jq -r '.results[0].macro_f1')
	ge "$f1" 0.62; ok $? "nlp-7.1 airline-tweets: sentiment macro-F1 $f1 >= 0.62"
	f1=$(horch eval sentiment "$D/de-sentiment/sb10k.tsv" --json | jq -r '.results[0].macro_f1')
	ge "$f1" 0.60; ok $? "nlp-7.2 SB10k: sentiment macro-F1 $f1 >= 0.60"
	out=$(horch eval lang "$D/langid/langid_dev.csv" --json)
	acc=$(echo "$out" | jq -r '.results[0].accuracy')
	ge "$acc" 0.97; ok $? "nlp-7.3 langid_dev: accuracy $acc >= 0.97"
	de=$(echo "$out" | jq -r '.results[0].classes[] | select(.label=="de") | .recall')
	en=$(echo "$out" | jq -r '.results[0].classes[] | select(.label=="en") | .recall')
	ge "$de" 0.99 && ge "$en" 0.99; ok $? "nlp-7.4 langid_dev: de $de and en $en >= 0.99"
	f1=$(horch eval spam "$D"/spam/*.csv --json | jq -r '.results[0].classes[] | select(.label=="spam") | .f1')
	ge "$f1" 0.90; ok $? "nlp-7.5 YouTube spam: F1 $f1 >= 0.90"
else
	echo "# the shared data sets are absent: the accuracy goals are not checked"
fi
done_testing
