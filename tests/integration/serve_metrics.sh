#!/usr/bin/env bash
# horch serve: the numbers of the wall.  GET /api/metrics (volume, reach,
# share of voice, series with empty buckets, the breakdown counting a post
# of two topics once, the argument errors), GET /api/authors/top and GET
# /api/terms/trending (the topic's own terms left out, the window ending
# at until) on seven posts written here, with times, authors and follower
# counts chosen so that every figure can be worked out by hand
# (docs/internals/http-metrics.md).
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || skip_all "curl is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"

db=$T/metrics.db
horch --db "$db" topic add hinge 'hinge' >/dev/null
horch --db "$db" topic add battery 'battery' >/dev/null
hin=$(horch --db "$db" topic list --json | jq -r 'select(.name=="hinge") | .id')
bat=$(horch --db "$db" topic list --json | jq -r 'select(.name=="battery") | .id')
viewer=$(horch --db "$db" token create --role viewer 2>/dev/null)

# p1, p2 between 10:00 and 11:00; the others between 11:00 and 12:00.
post() { # source ext handle followers time text
  local f=$4
  [ "$f" = - ] && f=null
  printf '{"source":"%s","external_id":"%s","author":{"handle":"%s","followers":%s},"created_at":"2026-11-10T%s:00Z","lang":"en","text":"%s"}\n' \
    "$1" "$2" "$3" "$f" "$5" "$6"
}
{
  post twitter p1 a1 100 10:05 "The hinge on my laptop cracked today"
  post twitter p2 a2 50 10:20 "hinge cracked again, really annoyed"
  post mastodon p3 a3 10 11:10 "battery life is great, love it"
  post reddit p4 a4 - 11:30 "battery and hinge both fine"
  post bluesky p5 a5 5 11:40 "hinge squeaks and the screen flickers"
  post bluesky p6 a6 5 11:45 "screen flickers near the hinge"
  post bluesky p7 a7 - 11:50 "my screen flickers since the update, hinge too"
} > "$T/posts.jsonl"
horch --db "$db" import "$T/posts.jsonl" >/dev/null 2>&1
is "$(total "$db")" 7 "setup-1.1 seven posts stored"

serve_start "$db" --config /dev/null
ok $? "setup-1.2 horch serve starts"

w='since=2026-11-10T10:00:00Z&until=2026-11-10T12:00:00Z'
out=$(api GET "/api/metrics?topics=$hin,$bat&$w&interval=hour" "$viewer")
is "$(status "$out")" 200 "metrics-1.1 200"
m=$(body "$out")
is "$(jq -r '.interval' <<<"$m")" hour "metrics-1.2 interval=hour"
is "$(jq -r '[.since,.until]|join(" ")' <<<"$m")" "2026-11-10T10:00:00Z 2026-11-10T12:00:00Z" \
  "metrics-1.3 since and until"
is "$(jq -r '[.topics[]|"\(.name):\(.volume):\(.reach):\(.share_of_voice)"]|join(" ")' <<<"$m")" \
  "hinge:6:160:0.75 battery:2:10:0.25" \
  "metrics-1.4 volume, reach (unknown followers add 0), share of voice, in the order asked"
is "$(jq -r '[.topics[0].series[]|"\(.t):\(.volume):\(.reach)"]|join(" ")' <<<"$m")" \
  "2026-11-10T10:00:00Z:2:150 2026-11-10T11:00:00Z:4:10" "metrics-1.5 hinge by hour"
is "$(jq -r '[.topics[]|.positive+.neutral+.negative==.volume]|all' <<<"$m")" true \
  "metrics-1.6 every analysed post has one sentiment label"
is "$(jq -r '[.by_source[]|"\(.key)=\(.count)"]|join(" ")' <<<"$m")" \
  "bluesky=3 twitter=2 mastodon=1 reddit=1" "metrics-1.7 by source: p4 of both topics once"
is "$(jq -r '[.by_lang[]|"\(.key)=\(.count)"]|join(" ")' <<<"$m")" "en=7" "metrics-1.8 by language"

m=$(body "$(api GET "/api/metrics?topics=$hin&since=2026-11-10T10:30:00Z&until=2026-11-10T13:00:00Z&interval=hour" "$viewer")")
is "$(jq -r '[.since, (.topics[0].series|length), (.topics[0].series[2].volume)]|join(" ")' <<<"$m")" \
  "2026-11-10T10:00:00Z 3 0" "metrics-1.9 since goes back to the hour; an empty hour is 0"
is "$(jq -r '.topics[0].volume' <<<"$m")" 4 "metrics-1.10 but p1 and p2 (before 10:30) are not counted"
m=$(body "$(api GET "/api/metrics?$w" "$viewer")")
is "$(jq -r '[.interval, .topics[0].id, .topics[0].volume, (.topics[0].series|length), .topics[0].share_of_voice]|join(" ")' <<<"$m")" \
  "minute 0 7 120 1" "metrics-1.11 no topics: every post, as id 0; two hours: by the minute"

is "$(status "$(api GET "/api/metrics?topics=$hin&since=30d&interval=minute" "$viewer")")" 400 \
  "metrics-2.1 more than 1500 buckets: 400"
is "$(status "$(api GET "/api/metrics?topics=$hin&interval=week" "$viewer")")" 400 \
  "metrics-2.2 an unknown interval: 400"
is "$(status "$(api GET "/api/metrics?topics=$hin,$hin" "$viewer")")" 400 \
  "metrics-2.3 a topic twice: 400"
is "$(status "$(api GET "/api/metrics?topics=9999" "$viewer")")" 404 "metrics-2.4 no such topic: 404"
is "$(status "$(api GET "/api/metrics?since=2026-11-10T12:00:00Z&until=2026-11-10T11:00:00Z" "$viewer")")" 400 \
  "metrics-2.5 since after until: 400"
is "$(status "$(curl -s -o /dev/null -w 'HTTP %{http_code}' "$URL/api/metrics")")" 401 \
  "metrics-2.6 no token: 401"

a=$(body "$(api GET "/api/authors/top?topic=$hin&$w&limit=2" "$viewer")")
is "$(jq -r '[.authors[]|"\(.source)/\(.handle)/\(.followers)/\(.posts)"]|join(" ")' <<<"$a")" \
  "twitter/a1/100/1 twitter/a2/50/1" "authors-1.1 by followers, limited"
a=$(body "$(api GET "/api/authors/top?topic=$bat&$w" "$viewer")")
is "$(jq -r '[.authors[]|"\(.handle)/\(.followers)"]|join(" ")' <<<"$a")" "a3/10 a4/null" \
  "authors-1.2 unknown followers are null, and last"
is "$(status "$(api GET "/api/authors/top?limit=101" "$viewer")")" 400 "authors-2.1 limit over 100"

t=$(body "$(api GET "/api/terms/trending?topic=$hin&window=1h&baseline=1h&until=2026-11-10T12:00:00Z" "$viewer")")
is "$(jq -r '[.terms[]|"\(.term):\(.count):\(.expected):\(.score)"]|join(" ")' <<<"$t")" \
  "flickers:3:0:4 screen:3:0:4" \
  "trending-1.1 new terms of 3 posts score 4; hinge (the topic's own) and stop words left out"
is "$(jq -r '[.window_posts,.baseline_posts,.sampled]|join(" ")' <<<"$t")" "4 2 false" \
  "trending-1.2 the posts read in each period"
t=$(body "$(api GET "/api/terms/trending?window=1h&baseline=1h&until=2026-11-10T12:00:00Z" "$viewer")")
is "$(jq -r '[.terms[]|.term]|join(" ")' <<<"$t")" "flickers screen" \
  "trending-1.3 without a topic, hinge (4 of 5 posts against 2 of 2) keeps its share: not rising"
is "$(status "$(api GET "/api/terms/trending?window=2h&baseline=1h" "$viewer")")" 400 \
  "trending-2.1 a baseline shorter than the window: 400"
is "$(status "$(api GET "/api/terms/trending?window=1x" "$viewer")")" 400 "trending-2.2 a bad span: 400"

serve_stop
ok $? "serve-9.1 a clean stop"
done_testing
