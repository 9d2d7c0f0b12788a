# topic.sh - horch topic lint: the query language's errors, warnings and
# canonical form as a user sees them (docs/query-language.md).  The saved
# topics, matching and the tools around them are in topics.sh.
. "$(dirname "$0")/lib.sh"

# Every example of the specification (section 5) is a valid query.
n=0
while IFS= read -r q; do
  n=$((n + 1))
  out=$(horch topic lint "$q"); ok $? "topic-1.$n spec example $n is valid"
  like "$out" '^ok: ' "topic-1.$n.1 and prints its canonical form"
done <<'EOT'
(dell OR {XPS} OR inspiron) AND ((hot OR overheat*) NEAR/5 (touchpad OR keyboard)) AND NOT site:dell.com
("dell cares" OR @DellCares) AND is:reply AND authorFollowers:[10000 TO 100000000]
title:"xps 13" AND lang:de
product:"Inspiron 15" AND rating:[1 TO 2]
"linux preinstalled"~3 OR (ubuntu NEAR/4f dell)
(akku* OR batterie*) AND (brennt OR heiß OR explodiert) AND lang:de   <<< battery incidents, German >>>
EOT

# The error of the specification, exactly as it shows it.
out=$(horch topic lint 'dell AND laptop OR notebook'); is $? 1 "topic-2.1 a query with an error exits 1"
is "$out" "$(printf '%s\n' 'error: AND and OR are mixed without brackets (col 10)' \
  '  dell AND laptop OR notebook' '           ^' '  hint: write  dell AND (laptop OR notebook)')" \
  "topic-2.2 message, query, caret and hint as in the specification"
out=$(horch topic lint 'NOT spam'); is $? 1 "topic-2.3 a query that is only negative is refused"
out=$(horch topic lint --lenient 'dell and laptop or notebook'); is $? 0 "topic-2.4 lenient mode accepts lower-case operators"
like "$out" 'warning: ' "topic-2.5 with a warning for each place strict mode refuses"
out=$(horch topic lint 'dell laptop'); is $? 0 "topic-2.6 an implicit AND is valid"
like "$out" 'warning: implicit AND' "topic-2.7 but warned about"
out=$(horch topic lint --json 'München AND straße')
is "$(printf '%s' "$out" | jq -r .canonical)" "(munchen AND strasse)" "topic-2.8 --json: terms folded as posts are (ß to ss, accents off)"
is "$(horch topic lint --json 'a AND' | jq -r '.ok, (.error.col > 0)')" "$(printf 'false\ntrue')" "topic-2.9 --json carries the error and its column"
out=$(printf 'dell AND\n(laptop OR notebook)\n' | horch topic lint -); ok $? "topic-2.10 a query from standard input"
err=$(horch topic frobnicate x 2>&1); is $? 2 "topic-2.11 an unknown topic command is a usage error"
like "$err" 'available: lint, add, edit, rm, list, show, import, backtest, explain' "topic-2.12 and says what there is"
done_testing
