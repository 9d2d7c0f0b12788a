#!/bin/bash
# source_cli.sh - horch source as a user meets it: adding, changing,
# listing (credentials never shown), removing, resetting, trying a source
# before adding it, importing an OPML list, and the mistakes each names.
. "$(dirname "$0")/lib.sh"

db=$T/c.db
h() { horch --db "$db" "$@"; }

is "$(h source kinds --json | jq -r .kind | tr '\n' ' ')" "rss mastodon bluesky reddit hn reviews " \
  "cli-1.1 six kinds"
out=$(h source add blog 2>&1); rc=$?
is "$rc" 2 "cli-1.2 add without --kind: a usage error"
like "$out" 'add needs --kind' "cli-1.3 saying what is missing"
out=$(h source add blog --kind myspace 2>&1); rc=$?
is "$rc" 2 "cli-1.4 an unknown kind"
like "$out" 'kind "myspace" is not known' "cli-1.5 named"
out=$(h source add blog --kind rss 2>&1)
like "$out" 'a rss source needs a url' "cli-1.6 rss needs a url"
out=$(h source add blog --kind rss --url https://blog.example/feed.xml interval=soon 2>&1); rc=$?
is "$rc" 2 "cli-1.7 a bad interval"
like "$out" 'setting "interval": "soon" is not a number of seconds' "cli-1.8 named"
out=$(h source add blog --kind rss --url https://blog.example/feed.xml timeline 2>&1)
like "$out" "'timeline': settings are KEY=VALUE" "cli-1.9 a setting without ="

h source add blog --kind rss --url https://blog.example/feed.xml --interval 10m -q
ok $? "cli-2.1 added"
out=$(h source add blog --kind rss --url https://blog.example/other.xml 2>&1); rc=$?
is "$rc" 1 "cli-2.2 a name taken"
like "$out" "a source called 'blog' exists" "cli-2.3 says so"
h source add tok --kind reddit subreddit=korvo token=s3cr3t-value client_secret=xyz-hidden \
  --url 'https://bot:pa55word@oauth.reddit.com' --disabled -q
all=$(h source list --json)
unlike "$all" 's3cr3t-value|xyz-hidden|pa55word' "cli-2.4 no credential in source list --json"
is "$(printf '%s\n' "$all" | jq -r 'select(.name=="tok") | [.settings.token, .settings.client_secret, .url] | @tsv')" \
  "$(printf '***\t***\thttps://bot:***@oauth.reddit.com')" "cli-2.5 shown as ***"
unlike "$(h source list)" 's3cr3t-value|xyz-hidden|pa55word' "cli-2.6 nor in the table"
is "$(printf '%s\n' "$all" | jq -r 'select(.name=="blog") | [.interval, .state, .enabled] | @tsv')" \
  "$(printf '600\tnew\ttrue')" "cli-2.7 blog: 600 s, new, enabled"
is "$(printf '%s\n' "$all" | jq -r 'select(.name=="tok") | .state')" disabled "cli-2.8 tok: disabled"

h source set blog enabled=no interval=1h -q
is "$(h source list blog --json | jq -r '[.interval, .enabled] | @tsv')" "$(printf '3600\tfalse')" \
  "cli-3.1 set changes settings"
h source set tok token= -q
is "$(h source list tok --json | jq -c .settings)" '{"client_secret":"***","subreddit":"korvo"}' \
  "cli-3.2 KEY= removes a setting"
out=$(h source set nosuch enabled=no 2>&1); rc=$?
is "$rc" 1 "cli-3.3 set of an unknown source"
like "$out" "no source called 'nosuch'" "cli-3.4 named"
sqlite3 "$db" "UPDATE source SET cursor = 'somewhere' WHERE name = 'blog'"
e0=$(sqlite3 "$db" "SELECT cursor_epoch FROM source WHERE name = 'blog'")
h source reset blog -q
is "$(sqlite3 "$db" "SELECT cursor || '|' || (cursor_epoch - $e0) FROM source WHERE name = 'blog'")" "|1" \
  "cli-3.5 reset clears the cursor and raises its epoch"
h source set blog --url https://blog.example/new.xml -q
is "$(sqlite3 "$db" "SELECT cursor_epoch - $e0 FROM source WHERE name = 'blog'")" 2 \
  "cli-3.6 another url raises it too"

# Trying a feed on disk before adding it.
cat > "$T/feed.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>https://e.example/1</link><description>Korvo one</description></item>
<item><title>Two</title><link>https://e.example/2</link><description>Korvo two</description></item>
</channel></rss>
XML
out=$(h source test --kind rss --url "file://$T/feed.xml" 2>/dev/null)
is "$(printf '%s\n' "$out" | jq -r .title | sort | tr '\n' ' ')" "One Two " "cli-4.1 test prints the posts"
is "$(total "$db")" 0 "cli-4.2 and stores nothing"
out=$(h source test --kind rss --url "file://$T/feed.xml" --limit 1 2>&1 >/dev/null)
like "$out" "1 post from rss source 'test' \(--limit reached\); nothing stored" "cli-4.3 --limit"
out=$(h source test --kind rss --url "http://127.0.0.1:1/feed.xml" 2>&1); rc=$?
is "$rc" 1 "cli-4.4 a feed that cannot be fetched"
like "$out" "GET http://127.0.0.1:1/feed.xml: Couldn't connect to server" "cli-4.5 says why"
h source add disk --kind rss --url "file://$T/feed.xml" -q
out=$(h source poll disk 2>&1)
like "$out" "polled source 'disk' \(rss\): 2 posts fetched, 2 new" "cli-4.6 poll stores"
is "$(h source list disk --json | jq -r '[.state, .posts] | @tsv')" "$(printf 'ok\t2')" "cli-4.7 and its health"
out=$(h source poll disk 2>&1)
like "$out" "0 posts fetched, 0 new" "cli-4.8 again: nothing new (the cursor)"

# OPML: http and https feeds only, each once.
cat > "$T/list.opml" <<'XML'
<?xml version="1.0"?><opml version="2.0"><head><title>feeds</title></head><body>
<outline text="Tech"><outline type="rss" text="Korvo News" xmlUrl="https://news.korvo.example/rss"/>
<outline type="rss" text="Blog" xmlUrl="https://blog.example/new.xml"/>
<outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/></outline>
</body></opml>
XML
out=$(h source import-opml "$T/list.opml" --interval 30m 2>&1)
like "$out" "1 feed added, 2 skipped" "cli-5.1 import-opml: one new feed"
like "$out" "skipped feed 'file:///etc/passwd': only http and https" "cli-5.2 a file:// feed refused"
is "$(h source list korvo-news --json | jq -r '[.kind, .url, .interval] | @tsv')" \
  "$(printf 'rss\thttps://news.korvo.example/rss\t1800')" "cli-5.3 named from its title"

h source rm tok -q
is "$(h source list --json | jq -r .name | sort | tr '\n' ' ')" "blog disk korvo-news " "cli-6.1 rm"
out=$(h source rm tok 2>&1); rc=$?
is "$rc" 1 "cli-6.2 rm twice"
done_testing
