/* opts.c - the one table of subcommands and options, and what is built from
 * it: the command-line parser, --help, and the man page's COMMANDS section
 * (`horch --man`, used by the build; see docs/man/). */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../core/post.h"
#include "../store/store.h"

static const struct cli_opt global_opts[] = {
	{ "db", 0, "PATH", "Database file (default: $HORCH_DB, else ./horch.db)." },
	{ "help", 'h', NULL, "Show help for horch or for the command, and exit." },
	{ "verbose", 'v', NULL, "Log more: informational events on stderr." },
	{ "quiet", 'q', NULL, "Print only errors: no progress bar, no summary." },
	{ "version", 0, NULL, "Print the version and exit." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt import_opts[] = {
	{ "format", 'f', "FMT", "Input format: jsonl or csv (default: from the file name, .csv is CSV)." },
	{ "map", 'm', "SPEC", "Take fields from differently named columns or keys: "
			      "canonical=input,... (e.g. text=body,created_at=date)." },
	{ "source", 's', "NAME", "Source for records that name none (default: import)." },
	{ "lang", 'l', "CODE", "Language (ISO 639-1) for records that name none." },
	{ "delimiter", 'd', "CHAR", "CSV field delimiter (default: ,; \\t for tab)." },
	{ "strict", 0, NULL, "Stop at the first bad record: the posts before it are stored, "
			     "nothing after it (reads with one worker)." },
	{ "batch", 0, "N", "Posts per transaction (default: 2000)." },
	{ "workers", 0, "N", "Analysis threads (default: one per core)." },
	{ "sentiment-model", 0, "MODEL", "Score sentiment with this model of horch train "
					 "sentiment instead of the lexicon rules." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt simulate_opts[] = {
	{ "scenario", 0, "NAME", "The scenario to play (default: launch, the only one so far)." },
	{ "seed", 0, "N", "Seed of the random numbers (default: 1): the same seed gives the same "
			  "posts, byte for byte." },
	{ "start", 0, "TIME", "When the simulated day starts (default: 2026-11-10T00:00:00Z)." },
	{ "posts", 'n', "N", "Posts in the day (default: 6000; 100 to 200000)." },
	{ "output", 'o', "FILE", "Write to FILE instead of standard output." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt replay_opts[] = {
	{ "url", 'u', "URL", "The server (default: $HORCH_URL, else http://127.0.0.1:8080)." },
	{ "token", 't', "TOKEN", "API token of an analyst or admin (default: $HORCH_TOKEN; horch "
				 "token create --role analyst makes one)." },
	{ "speed", 0, "X", "Play X times faster than the posts were written: 60 plays an hour in "
			   "a minute, 1 in real time, 0 as fast as the server takes them (default: "
			   "60)." },
	{ "batch", 0, "N", "At most N posts per request (default: 100)." },
	{ "live", 0, NULL, "Send the posts without their created_at, so that the server dates "
			   "each at its arrival: the stream plays as if it were happening now "
			   "(make demo)." },
	{ NULL, 0, NULL, NULL },
};

#define FILTER_OPTS                                                                       \
	{ "since", 0, "TIME", "Only posts written at or after TIME: a date, an RFC 3339 time, " \
			      "or a span back from now such as 2h, 7d, 4w." },                   \
	{ "until", 0, "TIME", "Only posts written before TIME (same forms as --since)." },     \
	{ "source", 's', "NAME", "Only posts from this source." },                             \
	{ "lang", 'l', "CODE", "Only posts in this language (ISO 639-1, e.g. en, de)." },      \
	{ "author", 'a', "HANDLE", "Only posts by this author (case-insensitive, @ optional)." }, \
	{ "topic", 't', "NAME", "Only posts that matched the topic NAME (horch topic list)." }, \
	{ "sentiment", 0, "LABEL", "Only posts of this derived sentiment: negative, neutral or " \
				   "positive." },                                                \
	{ "intent", 0, "INTENT", "Only posts of this derived intent: complaint, question, "  \
				 "praise, purchase, idea or other." },                         \
	{ "review", 0, NULL, "Only posts whose sentiment is unclear (needs a person's review)." }, \
	{ "spam", 0, "MODE", "Posts marked spam: hide (the default), show or only." }

#define FORMAT_OPTS                                                                       \
	{ "json", 'j', NULL, "Print JSON Lines: one canonical JSON object per line." },         \
	{ "csv", 0, NULL, "Print CSV (RFC 4180) with a header row." },                         \
	{ "table", 0, NULL, "Print a table (the default)." }

static const struct cli_opt search_opts[] = {
	FILTER_OPTS,
	{ "limit", 'n', "N", "Print at most N posts (default: 20)." },
	{ "before", 0, "ID", "Continue a listing: only posts after the post with id ID in the order "
			     "shown (newest first)." },
	FORMAT_OPTS,
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt stats_opts[] = {
	FILTER_OPTS,
	{ "days", 0, "N", "Days shown in the by-day count (default: 14; 0: all)." },
	FORMAT_OPTS,
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt topic_opts[] = {
	{ "lenient", 0, NULL, "Lenient mode: NOT > AND > OR precedence and lower-case operators, "
			      "each place strict mode would refuse named in a warning. A topic "
			      "saved this way is saved in its canonical form." },
	{ "team", 0, "TEAM", "add, edit: the team that owns the topic ('' clears it)." },
	{ "color", 0, "COLOR", "add, edit: the topic's display colour, e.g. #d32f2f ('' clears "
			       "it)." },
	{ "query", 0, "QUERY", "edit: the new query (- reads it from standard input); explain: "
			       "explain this query instead of a saved topic." },
	{ "name", 0, "NEW", "edit: rename the topic." },
	{ "no-backfill", 0, NULL, "add, edit, import: do not match the stored posts (only posts "
				  "imported later are matched; topic rematch NAME matches them "
				  "later)." },
	{ "force", 0, NULL, "rm: remove the topic even when other topics refer to it "
			    "(topic:NAME); they then match nothing." },
	{ "replace", 0, NULL, "import: change the topics whose names exist already, instead of "
			      "refusing the file." },
	{ "skip-bad", 0, NULL, "import: import the good lines of a file with bad ones." },
	{ "since", 0, "TIME", "backtest: only posts written at or after TIME (a date, an RFC 3339 "
			      "time or a span back from now such as 30d; default: all)." },
	{ "until", 0, "TIME", "show: the 7 days shown end with the day (UTC) of TIME (default: "
			      "today)." },
	{ "limit", 'n', "N", "backtest: show at most N matching posts (default: 10)." },
	{ "json", 'j', NULL, "lint, show, backtest: print one JSON object; list: JSON Lines." },
	{ "csv", 0, NULL, "list: print CSV (RFC 4180) with a header row." },
	{ "table", 0, NULL, "list, backtest: print a table (the default)." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt eval_opts[] = {
	{ "model", 'm', "MODEL", "sentiment: score with this model of horch train sentiment "
				 "instead of the lexicon rules." },
	{ "folds", 'k', "K", "sentiment: K-fold cross-validation of a model trained on FILE "
			     "itself (each fold scored by a model trained on the others)." },
	{ "baseline", 0, NULL, "sentiment: also score with VADER's published rules and lexicon "
			       "alone (English), beside horch's, in the same run." },
	{ "lang", 0, "LANG", "The language of every text (ISO 639-1; default: detected, or the "
			     "file's language column)." },
	{ "errors", 0, "N", "Print up to N misclassified texts with their label and the "
			    "prediction." },
	{ "labels", 0, "FILE", "spikes: NAB's label windows (combined_windows.json)." },
	{ "below", 0, "STARS", "ratings: the two-star rule's limit (default: 2)." },
	{ "min-reviews", 0, "N", "ratings: reviews the two-star rule needs in its window "
				 "(default: 10)." },
	{ "window", 0, "SPAN", "ratings: the two-star rule's window and the trend's (default: "
			       "30d)." },
	{ "accounts", 0, "LIST", "response: the company's accounts, separated by commas "
				 "(default: every author of the file's outbound posts)." },
	{ "sla", 0, "SPAN", "response: the first-response target (default: 4h)." },
	{ "json", 'j', NULL, "Print one JSON object." },
	{ "table", 0, NULL, "Print tables (the default)." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt train_opts[] = {
	{ "output", 'o', "MODEL", "Write the model to MODEL (required)." },
	{ "epochs", 0, "N", "Passes over the examples (default: 8)." },
	{ "bits", 0, "N", "Hash 2^N features per class (default: 18; 10..24)." },
	{ "lang", 0, "LANG", "The language of every example (ISO 639-1; default: detected)." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt product_opts[] = {
	{ "alias", 0, "LIST", "add: other spellings found as the product, separated by commas "
			      "(e.g. 'inspiron15,Inspiron-15')." },
	{ "sku", 0, "SKU", "add: the product's stock-keeping unit." },
	{ "json", 'j', NULL, "list: print JSON Lines." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt user_opts[] = {
	{ "role", 'r', "ROLE", "add: viewer, agent, analyst or admin." },
	{ "password-stdin", 0, NULL, "add, passwd: read the password from the first line of "
				     "standard input." },
	{ "json", 'j', NULL, "list: print JSON Lines." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt token_opts[] = {
	{ "role", 'r', "ROLE", "create: viewer, agent, analyst or admin." },
	{ "name", 'n', "LABEL", "create: what the token is for (\"wall 3\"), shown by list." },
	{ "json", 'j', NULL, "list: print JSON Lines." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt source_opts[] = {
	{ "kind", 'k', "KIND", "add, test: the connector: rss, mastodon, bluesky, reddit, hn or "
			       "reviews (horch source kinds)." },
	{ "url", 'u', "URL", "add, set, test: the feed, instance or endpoint (default: the "
			     "kind's)." },
	{ "interval", 'i', "SECS", "add, set, import-opml: seconds between polls (600, 10m, 2h; "
				   "default: the kind's)." },
	{ "disabled", 0, NULL, "add, set: keep the source but do not run it." },
	{ "limit", 'n', "N", "test: stop after N posts (default: 20)." },
	{ "for", 0, "SECS", "test, poll: stop after SECS seconds (a stream; default: 30 for "
			    "test, 10 for poll)." },
	{ "from-cursor", 0, NULL, "test: start from the stored cursor, as the next poll would "
				  "(default: from now, as a new source)." },
	{ "sentiment-model", 0, "MODEL", "poll: score sentiment with this model of horch train "
					 "sentiment." },
	{ "json", 'j', NULL, "list, kinds: JSON Lines, one object a source." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt launch_opts[] = {
	{ "topic", 't', "TOPIC", "add: the topic that follows the launch (required)." },
	{ "at", 0, "TIME", "add: when the product was launched (RFC 3339, a date, or a span "
			   "back from now such as 2h; required)." },
	{ "json", 'j', NULL, "list, show: print JSON (list: JSON Lines)." },
	{ "table", 0, NULL, "list, show: print tables (the default)." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt alert_opts[] = {
	{ "state", 's', "STATE", "list: only alerts in STATE: open, acked, resolved or active "
				 "(open or acked; the default); all: every alert." },
	{ "limit", 'n', "N", "list: at most N alerts, newest first (default: 50)." },
	{ "by", 0, "NAME", "ack, resolve: who does it (default: $USER)." },
	{ "json", 'j', NULL, "list: JSON Lines; show: one JSON object." },
	{ "table", 0, NULL, "list: a table (the default)." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt serve_opts[] = {
	{ "config", 'c', "FILE", "Read the settings from FILE (INI; see the reference horch.conf)." },
	{ "listen", 'l', "ADDR:PORT", "Listen on ADDR:PORT (default: 127.0.0.1:8080; port 0 "
				      "picks a free one)." },
	{ "workers", 'w', "N", "Analysis threads (default: one per core)." },
	{ "sentiment-model", 0, "MODEL", "Score sentiment with a model of `horch train`." },
	{ "print-url", 0, NULL, "Print the URL listened on as the first line of standard output "
				"(for scripts that start the server on port 0)." },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_cmd commands[] = {
	{
		"serve", "", 0, 0,
		"Run the daemon: the HTTP API, the live stream and the dashboard.",
		"Listens on 127.0.0.1:8080 unless told otherwise, and serves the dashboard "
		"(/wall, /radio, /topics, /search, /alerts, /launches), the JSON API (/api/..., "
		"docs/http-api.md), the "
		"live stream of Server-Sent Events (/api/stream), /healthz and the Prometheus "
		"/metrics. Posts sent to POST /api/ingest go through the same pipeline as import "
		"(analysis, topic matching) and the call is answered once they are committed.\n\n"
		"Every API call needs a session (sign in on /login) or an API token (`horch token "
		"create`). On the first run, with no user in the database, serve creates the user "
		"admin and prints its one-time password once.\n\n"
		"A signal engine watches every topic and product on the stream's own time and "
		"raises alerts (buzz, sentiment shift, posts unanswered past their SLA, the "
		"two-star rule, no resonance) with their evidence: on the live stream, on /alerts "
		"and, by the rules of [alert NAME] sections, by webhook and e-mail "
		"(docs/signals.md).\n\n"
		"Settings come from --config FILE (INI, documented in the reference horch.conf), "
		"then from the options. SIGTERM or SIGINT stop the server cleanly: the calls in "
		"progress are answered and every accepted post is committed. SIGHUP re-reads the "
		"log level and the topics; topics saved through the API or the topic command are "
		"matched from the next batch on without it.",
		serve_opts,
		"horch serve  # on 127.0.0.1:8080, database ./horch.db\n"
		"horch serve --config /etc/horch/horch.conf\n"
		"horch --db demo.db serve --listen 127.0.0.1:0 --print-url",
		cmd_serve,
	},
	{
		"import", "FILE...", 1, -1,
		"Read posts from JSON Lines or CSV files into the database.",
		"Reads each FILE (- for standard input) and passes every post through the "
		"pipeline: HTML to text, invalid UTF-8 repaired, Unicode NFC; then analysed "
		"(language, sentiment, intent, spam, near-duplicates, entities and catalogue "
		"products, reach and priority: docs/accuracy.md) and matched against the topics; "
		"then stored in batches of one transaction each. Posts are unique by source and external id: "
		"a post already stored is counted as a duplicate and not stored again, so an "
		"interrupted import can simply be run again.\n\n"
		"JSON Lines files hold one post per line in horch's canonical form "
		"(docs/post-format.md). CSV files need a header row; a column named like a "
		"canonical field fills it, and --map names the others. Records without an "
		"external id get one derived from author, time, title and text.\n\n"
		"A bad record is reported on stderr with its file, line and reason, skipped and "
		"counted; the import goes on (unless --strict). On a terminal a progress bar "
		"shows rows per second and the time left. The exit status is 1 when any record "
		"was bad.",
		import_opts,
		"horch import posts.jsonl  # canonical JSON Lines\n"
		"horch import Tweets.csv --source twitter \\\n"
		"    --map text=text,created_at=tweet_created,external_id=tweet_id,author=name\n"
		"zcat posts.jsonl.gz | horch import -  # from standard input",
		cmd_import,
	},
	{
		"simulate", "", 0, 0,
		"Write a simulated day of posts about the demo company Korvo.",
		"Generates a realistic day of public posts as JSON Lines in the canonical post "
		"format (docs/post-format.md), sorted by time: for demos (make demo plays it "
		"through horch replay), tests and the training of new staff. The same options "
		"give the same output, byte for byte; another --seed gives another day with the "
		"same story.\n\n"
		"The scenario launch is the launch day of the Korvo Pro 16: a daily rhythm (quiet "
		"at night, busy by day), the announcement at 09:00 with a wave of praise, "
		"questions (price, availability, specs), purchase intent and comparisons with the "
		"Lumina Book 16; from 14:00 a hardware fault, cracked hinges (Scharnier in "
		"German), rising sharply for two hours and then decaying; @KorvoCares answering "
		"complaints, reposts of popular posts, copy-paste spam campaigns, job ads and "
		"promotions. About a third of the posts are in German; the sources are twitter, "
		"mastodon, bluesky, reddit, hn, rss (blogs, with titles) and a forum. "
		"docs/simulate.md tells the day hour by hour.",
		simulate_opts,
		"horch simulate --scenario launch > day.jsonl\n"
		"horch simulate --seed 7 --posts 20000 -o big-day.jsonl\n"
		"horch simulate --start 2027-03-01 | horch import -  # into the database",
		cmd_simulate,
	},
	{
		"replay", "FILE...", 1, -1,
		"Play posts from JSON Lines files into horch serve, in time order.",
		"Reads every post of the FILEs (- for standard input; the formats of horch import), "
		"sorts them by created_at and sends them to the server's POST /api/ingest, so "
		"that the stream's time passes --speed times faster than real time: the first post "
		"goes at once, and a post written an hour later goes a minute later at --speed 60. "
		"Posts due within the same quarter of a second go in one request of up to --batch "
		"posts. Each post must have a created_at; a bad record is reported with its file "
		"and line, and then nothing is sent.\n\n"
		"A request that fails because the server cannot be reached or is busy (503, 429 "
		"with Retry-After) is sent again, with a growing pause, for up to five minutes: a "
		"restart of the server loses nothing, and since the server stores a post once by "
		"source and external id, a post sent twice is counted as a duplicate. On a "
		"terminal a progress line shows the stream's clock; at the end a summary counts "
		"the posts sent, stored, duplicate and rejected (each rejection with its file, "
		"line and the server's reason). The exit status is 1 when a post was rejected or "
		"not sent.",
		replay_opts,
		"horch replay day.jsonl --token \"$TOKEN\"  # an hour a minute\n"
		"horch simulate | horch replay - --speed 600 --url http://127.0.0.1:8080\n"
		"horch replay archive/*.jsonl --speed 0 --batch 500  # as fast as it goes",
		cmd_replay,
	},
	{
		"search", "[QUERY]", 0, 1,
		"Find stored posts by full text and filters, newest first.",
		"QUERY is an SQLite FTS5 expression over title and text: words (case and accents "
		"ignored), \"exact phrases\", prefix*, AND, OR, NOT (upper case), -word (not), "
		"NEAR(a b, 5), title:word and parentheses. A word with punctuation is searched as "
		"the phrase of its parts: #KorvoPro15, @KorvoCares, e-mail, dell.com. Without a "
		"QUERY, the newest posts that pass the filters are listed. Filters also select "
		"by what horch understood of each post: --sentiment, --intent, --review (the "
		"sentiment is unclear); posts marked spam are left out unless --spam show or "
		"--spam only says otherwise.\n\n"
		"Prints a table by default (cut to the terminal's width on a terminal); --json "
		"prints canonical JSON Lines with the analysis of each post, which horch import "
		"reads back; --csv prints CSV. To page through many results, pass the id of the "
		"last post shown to --before.",
		search_opts,
		"horch search 'battery AND fire' --since 2015-02-01 --lang en --limit 20\n"
		"horch search 'delayed' --json | jq .text\n"
		"horch search '\"lost luggage\" OR lost*' --source twitter --csv > lost.csv\n"
		"horch search --author united --since 7d\n"
		"horch search --sentiment negative --intent complaint --since 1d",
		cmd_search,
	},
	{
		"stats", "", 0, 0,
		"Count stored posts by source, language, sentiment, intent and day.",
		"Prints the number of stored posts within the filters given (with --topic, of "
		"the posts the topic matched), then the counts by source, by language, by "
		"sentiment, by intent and by day (UTC) of writing, within the same filters. Posts "
		"marked spam are left out unless --spam show or --spam only says otherwise; the "
		"first line says how many were.",
		stats_opts,
		"horch stats\n"
		"horch stats --since 30d --days 30\n"
		"horch stats --source twitter --json",
		cmd_stats,
	},
	{
		"topic", "SUBCOMMAND [ARGS]", 1, -1,
		"Save topics, match posts against them, check and try out queries.",
		"horch topic lint checks QUERY against the rules of the topic query language "
		"(docs/query-language.md): the Brandwatch dialect with words, \"phrases\", "
		"wildcards, {exact case}, AND, OR, NOT, NEAR/n, ~n, SENTENCE, fields such as "
		"lang:, site: and rating:[1 TO 2], and <<< comments >>>. An error is shown with "
		"its column, a caret under the place and a hint on how to fix it; warnings name "
		"places that are valid but probably not meant (an implicit AND, a wildcard with a "
		"short stem, ~n on one word). A valid query is printed in its canonical, fully "
		"bracketed form, its terms folded as posts are (case and accents removed, "
		"ss for ß). QUERY - reads the query from standard input.\n\n"
		"The exit status is 0 for a valid query (warnings or not) and 1 for a query with "
		"an error.\n\n"
		"horch topic add NAME QUERY saves a topic (its query checked as lint checks it: "
		"nothing is saved when it has an error) and matches every stored post against it, "
		"so that its history is complete; horch import matches each new post against every "
		"topic as it stores it. A match keeps the byte spans of the terms that satisfied "
		"the query. --team and --color label the topic. horch topic edit NAME changes a "
		"topic; a new --query clears its matches and matches the history again. horch "
		"topic rm NAME deletes a topic and its matches; it refuses while another topic "
		"refers to it (topic:NAME) unless --force. Changing, renaming or removing a topic "
		"(and adding one under a name that a reference names) clears the matches of the "
		"topics that refer to it, directly or through others, and matches their history "
		"again. horch topic rematch NAME clears a "
		"topic's matches and matches the stored history again: the way to give a topic "
		"saved with --no-backfill its history. A query may refer to another topic with "
		"topic:NAME (the post must match that topic's query); add, edit and import refuse "
		"a topic whose references name no topic, form a cycle, or nest too deep or grow "
		"too large. A topic added or changed while an import runs is matched against every "
		"post that import stores after the change.\n\n"
		"Names: 1 to 128 bytes of UTF-8 in NFC (saved so); names ignore case and accents "
		"(Über, über and Uber are one topic); every Unicode space is saved as an ASCII "
		"space, runs of spaces as one, and spaces at either end are dropped; a name with a "
		"control, format or other invisible character (such as U+200B) or that starts with "
		"a combining mark is refused, and messages show such characters escaped "
		"(\\u200b).\n\n"
		"horch topic list shows every topic "
		"with its number of matches, horch topic show NAME one topic, its canonical query "
		"and its matches on each of the last 7 days (UTC; --until TIME ends them on "
		"another day). The history is matched in chunks, and the database records how far "
		"each topic has got: when a crash cuts the pass short, the next topic command or "
		"import finishes it first.\n\n"
		"horch topic import FILE saves many topics: one NAME<TAB>QUERY per line, or JSON "
		"Lines {\"name\":...,\"query\":...,\"team\":...,\"color\":...}; blank lines and "
		"lines starting with # are skipped. Every line is checked first and every bad one "
		"reported as FILE:LINE:COL; with any bad line nothing is saved (unless --skip-bad), "
		"and a name that exists is an error unless --replace. All topics are saved in one "
		"transaction, and the stored posts are then matched against all the new topics in "
		"one pass.\n\n"
		"horch topic backtest QUERY shows what a query would match, without saving it: "
		"matches per day, the newest matching posts with the matched terms marked ([like "
		"this] in a pipe, bold on a terminal), and how many of the posts read matched. "
		"horch topic explain NAME POST_ID shows why a post matches a topic (each span: "
		"part, byte offset, length, text) or, when it does not, the first clause of the "
		"query that failed, marked with carets; its exit status is 0 for a match and 1 for "
		"none. --query QUERY explains a query that is not saved.\n\n"
		"search --topic NAME and stats --topic NAME show the posts a topic matched.",
		topic_opts,
		"horch topic lint 'dell AND (laptop OR notebook)'\n"
		"horch topic lint 'dell AND laptop OR notebook'  # an error, with a hint\n"
		"horch topic lint --lenient 'dell and laptop or notebook'\n"
		"horch topic lint --json '(akku* OR batterie*) AND brennt AND lang:de'\n"
		"horch topic lint - < topic.txt\n"
		"horch topic add battery-de '(akku* OR batterie*) AND brennt AND lang:de' --team support\n"
		"horch topic list\n"
		"horch topic backtest '\"lost luggage\" OR (lost NEAR/3 bag*)' --since 30d\n"
		"horch topic explain battery-de 4711\n"
		"horch topic edit battery-de --query '(akku* OR batterie*) AND (brennt OR raucht)'\n"
		"horch topic import topics.tsv --replace\n"
		"horch topic add dell-fire 'topic:battery-de AND dell'  # refers to a topic\n"
		"horch topic rematch battery-de  # match the history again\n"
		"horch search --topic battery-de --since 7d",
		cmd_topic,
	},
	{
		"product", "add|list|rm [NAME]", 1, 2,
		"Keep the catalogue of products that horch finds in posts.",
		"add NAME saves a product; list shows the catalogue; rm NAME removes one. Every "
		"post imported afterwards is searched for each product's name and aliases, "
		"compared word by word with case, accents and spacing ignored: 'Inspiron 15' "
		"finds \"INSPIRON 15\" and \"inspiron  15\" but not \"Inspiron 150\". Each "
		"mention is stored as an entity of the post (kind product).",
		product_opts,
		"horch product add 'Inspiron 15' --alias inspiron15 --sku I15-3520\n"
		"horch product list\n"
		"horch product rm 'Inspiron 15'",
		cmd_product,
	},
	{
		"user", "add|list|rm|passwd|subscribe|unsubscribe [NAME] [TOPIC]", 1, 3,
		"Manage the people who may sign in to horch serve.",
		"add NAME --role ROLE creates a user; list shows them; rm NAME removes one with "
		"their sessions and subscriptions; passwd NAME sets a new password and ends the "
		"user's sessions; subscribe NAME TOPIC and unsubscribe NAME TOPIC change the topics "
		"the user follows. Roles, weakest first: viewer (reads everything), agent (+ own "
		"subscriptions), analyst (+ topics and ingest), admin (+ users and tokens). Names "
		"are unique without regard to case and accents.\n\n"
		"The password of add and passwd is read from standard input with --password-stdin, "
		"else asked twice on the terminal. Without either, horch makes a random password, "
		"prints it once on standard output and marks it to be changed at the first "
		"sign-in. Passwords are at least 10 characters; horch keeps only their Argon2id "
		"hash. On its first start, horch serve creates the user admin the same way when "
		"there is no user at all.",
		user_opts,
		"horch user add ada --role analyst  # asks for the password\n"
		"horch user add ada --role analyst --password-stdin <pw.txt\n"
		"horch user add wall --role viewer </dev/null  # prints a one-time password\n"
		"horch user list\n"
		"horch user subscribe ada battery\n"
		"horch user rm ada",
		cmd_user,
	},
	{
		"token", "create|list|revoke [ID]", 1, 2,
		"Manage API tokens for screens and scripts.",
		"create --role ROLE prints a new token once on standard output (nothing else goes "
		"there) and keeps only its hash; list shows the tokens without their secrets; "
		"revoke ID ends a token and the sessions it was traded for. A client sends a token "
		"as the header Authorization: Bearer TOKEN, or trades it for a session cookie at "
		"POST /api/login; a wall screen gets a viewer token.",
		token_opts,
		"horch token create --role viewer --name 'wall 3'\n"
		"horch token list\n"
		"horch token revoke 2",
		cmd_token,
	},
	{
		"launch", "add NAME|list|show NAME|rm NAME", 1, 2,
		"Follow a product launch and show its scorecard.",
		"add NAME --topic T --at TIME records that the product of topic T was launched at "
		"TIME; show NAME prints its scorecard at one, four and 24 hours after TIME "
		"(volume, net sentiment, unique authors, against the topic's own baseline of the "
		"week before and against earlier launches) and the top complaints and questions, "
		"grouped by the terms they share. list shows every launch; rm NAME forgets one. "
		"The dashboard's /launches page shows the same.",
		launch_opts,
		"horch launch add 'Pro 16' --topic 'Korvo Pro 16' --at 2026-11-10T09:00:00Z\n"
		"horch launch show 'Pro 16'\n"
		"horch launch list --json",
		cmd_launch,
	},
	{
		"source", "add|set|list|rm|reset|test|poll|kinds|import-opml [NAME] [KEY=VALUE...]",
		1, -1,
		"Add, check and watch the live sources horch serve listens to.",
		"A source is a connector (rss for blogs, news and feeds; mastodon; bluesky, the "
		"Jetstream firehose; reddit; hn, Hacker News through Algolia; reviews, a ratings "
		"feed) with a url, a poll interval and settings of its own given as KEY=VALUE "
		"(horch source kinds lists them; docs/sources.md says what each can see). add NAME "
		"--kind KIND stores one and a running horch serve starts it within seconds; set NAME "
		"KEY=VALUE changes it (KEY= removes a setting; enabled=no pauses it); rm NAME "
		"forgets it, its posts stay. Sources may also be [source NAME] sections of "
		"horch.conf. list shows each source's health: its state (new, ok, erroring after "
		"3 failed fetches in a row, silent when no post came for 6 hours where its own "
		"baseline expects 10, stalled when nothing fetched it for 3 intervals, disabled), "
		"posts in the last hour against its usual rate, its last success and last error; "
		"horch serve raises an alert for a source that errors or falls silent. test NAME "
		"fetches once and prints the posts as JSON Lines without storing anything (all of "
		"them: the Bluesky firehose's topic pre-filter applies to what is stored; test "
		"--kind K --url U tries one before adding it); poll NAME fetches once now and "
		"stores, as serve would, cursor and health included. reset NAME makes the source "
		"read again from the start; import-opml FILE adds an rss source per feed of an "
		"OPML list. A credential (token, password, *_token, *_secret) is never printed; "
		"give it as env:NAME to keep it in the environment.",
		source_opts,
		"horch source add korvo-blog --kind rss --url https://blog.korvo.example/feed.xml\n"
		"horch source add fosstodon --kind mastodon --url https://fosstodon.org "
		"timeline=tag:korvo\n"
		"horch source add bsky --kind bluesky\n"
		"horch source test korvo-blog --limit 5\n"
		"horch source list",
		cmd_source,
	},
	{
		"alert", "list|show ID|ack ID|resolve ID|rules", 1, 2,
		"List, acknowledge and resolve the alerts of horch serve.",
		"list shows the alerts (the active ones unless --state says otherwise), newest "
		"first; show ID prints one with its evidence (the chart window, the top posts, the "
		"top terms) and its deliveries; ack ID acknowledges it (someone is on it) and "
		"resolve ID closes it. rules prints the alert rules of the database (those of "
		"horch.conf are in the file). docs/signals.md says what raises an alert.",
		alert_opts,
		"horch alert list\n"
		"horch alert ack 12 --by cara\n"
		"horch alert show 12 --json",
		cmd_alert,
	},
	{
		"eval", "TASK FILE...", 2, -1,
		"Measure an enricher (lang, sentiment, spam, intent) on a labelled file.",
		"Runs the enricher TASK over every text of the FILEs and compares its answer with the "
		"file's label: prints how many texts were read (exact duplicate texts are counted "
		"once), the accuracy, the macro-averaged F1, precision, recall and F1 of each "
		"class, and the confusion matrix (rows: the label, columns: horch's answer). "
		"Several FILEs are scored as one set.\n\n"
		"TASK is lang (ISO 639-1 codes), sentiment (negative, neutral, positive), spam "
		"(spam, ham) or intent (complaint, question, praise, purchase, idea, other). "
		"FILE is a CSV file with a header (a text column and a label column named for the "
		"task), a TSV file without one (id, label, text; id, valence, text, with valence "
		"bucketed at +-0.5; text, label; or GermEval 2017's layout), or JSON Lines with "
		"\"text\" and a label member; docs/accuracy.md lists the formats and the public "
		"data sets they fit. A record that cannot be read is an error naming its line.\n\n"
		"TASK spikes takes a directory: every CSV series (timestamp,value) in it that "
		"the NAB label file of --labels names is run through horch's spike detector and "
		"NAB's windowed Gaussian, and scored as NAB does (standard profile, the threshold "
		"that maximises the total); docs/signals.md explains the figures.\n\n"
		"TASK ratings takes a CSV file of product reviews (Datafiniti's layout: name, "
		"asins, reviews.rating, reviews.date, reviews.text, reviews.username) and prints per "
		"product the review count, mean stars, the Wilson lower bound of the share of 4- "
		"and 5-star reviews, the trend and whether the two-star rule (--below, "
		"--min-reviews, --window) would pull it. TASK response takes a CSV file of support "
		"conversations (the Customer Support on Twitter layout: tweet_id, author_id, "
		"inbound, created_at, text, in_response_to_tweet_id) and prints per company "
		"account the posts addressed to it, the share answered, and the median, mean and "
		"90th percentile first-response time and the share within --sla.",
		eval_opts,
		"horch eval sentiment Tweets.csv  # rules, 3 classes\n"
		"horch eval sentiment Tweets.csv --baseline  # and VADER's rules beside them\n"
		"horch eval sentiment Tweets.csv --folds 5  # a trained model, cross-validated\n"
		"horch eval lang langid_dev.csv --json\n"
		"horch eval spikes realTweets --labels combined_windows.json  # NAB scores\n"
		"horch eval ratings reviews.csv --below 2 --min-reviews 10\n"
		"horch eval response twcs.csv --sla 4h",
		cmd_eval,
	},
	{
		"train", "sentiment FILE", 2, 2,
		"Fit a sentiment model on labelled posts of your own.",
		"Reads labelled texts from FILE (the formats of horch eval: negative, neutral and "
		"positive labels) and fits a linear model on hashed word and character n-grams and "
		"the lexicon rules' score, then writes it to MODEL. horch eval sentiment --model "
		"MODEL measures it; horch eval sentiment FILE --folds 5 estimates how well a model "
		"trained on FILE does on texts it has not seen.",
		train_opts,
		"horch train sentiment labelled.csv -o care.model\n"
		"horch eval sentiment holdout.csv --model care.model",
		cmd_train,
	},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct cli_args *current;  /* for messages */

static size_t count_opts(const struct cli_opt *o)
{
	size_t n = 0;

	while (o[n].name)
		n++;
	return n;
}

static const char *cmd_name(const struct cli_args *a)
{
	return a && a->cmd ? a->cmd->name : NULL;
}

void cli_error(const struct cli_args *a, const char *fmt, ...)
{
	va_list ap;
	const char *name = cmd_name(a ? a : current);

	fprintf(stderr, "horch: ");
	if (name)
		fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_fail(const struct cli_args *a, const struct horch_err *err)
{
	cli_error(a, "%s", err->msg[0] ? err->msg : horch_strerror(err->code));
	return err->code == HORCH_EUSAGE ? EXIT_USAGE : EXIT_RUNTIME;
}

const char *cli_get(const struct cli_args *a, const char *name)
{
	if (a->cmd) {
		for (size_t i = 0; a->cmd->opts[i].name; i++)
			if (strcmp(a->cmd->opts[i].name, name) == 0 && a->value[i])
				return a->value[i];
	}
	for (size_t i = 0; global_opts[i].name; i++)
		if (strcmp(global_opts[i].name, name) == 0)
			return a->global[i];
	return NULL;
}

int cli_flag(const struct cli_args *a, const char *name)
{
	return cli_get(a, name) != NULL;
}

const char *cli_db_path(const struct cli_args *a)
{
	const char *db = cli_get(a, "db");

	/* cli_parse() refuses an empty --db. */
	if (!db)
		db = getenv("HORCH_DB");
	return db && *db ? db : "horch.db";
}

int cli_time_opt(const struct cli_args *a, const char *name, int64_t *out)
{
	const char *v = cli_get(a, name);
	struct horch_err err;

	*out = HORCH_TIME_NONE;
	if (!v)
		return 0;
	if (horch_time_parse_relative(v, horch_now(), out, &err) != 0) {
		cli_error(a, "--%s: %s", name, err.msg);
		return EXIT_USAGE;
	}
	return 0;
}

int cli_sub_opts(const struct cli_args *a, const char *allowed, const char *usage)
{
	/* An option of another subcommand is a mistake, not noise. */
	for (size_t k = 0; a->cmd->opts[k].name; k++) {
		const char *o = a->cmd->opts[k].name, *p = allowed;
		size_t len = strlen(o);
		int ok = 0;

		if (!a->value[k])
			continue;
		while ((p = strstr(p, o)) != NULL && !ok) {
			ok = (p == allowed || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0');
			p += len;
		}
		if (!ok) {
			cli_error(a, "option --%s does not apply to %s %s (usage: horch %s %s)", o,
				  a->cmd->name, a->pos[0], a->cmd->name, usage);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int cli_count_opt(const struct cli_args *a, const char *name, size_t min, size_t max,
		  size_t *out)
{
	const char *v = cli_get(a, name);
	char *end;
	unsigned long long n;

	if (!v)
		return 0;
	/* strtoull() would take blanks and a sign ("-5" wraps around). */
	n = *v >= '0' && *v <= '9' ? strtoull(v, &end, 10) : 0;
	if (!(*v >= '0' && *v <= '9') || *end || n < min || n > max) {
		cli_error(a, "--%s: expected a number from %zu to %zu, got '%s'", name, min, max, v);
		return EXIT_USAGE;
	}
	*out = (size_t)n;
	return 0;
}

int cli_filters(const struct cli_args *a, struct store_query *q)
{
	const char *v;
	int rc;

	if ((rc = cli_time_opt(a, "since", &q->since)) || (rc = cli_time_opt(a, "until", &q->until)))
		return rc;
	q->source = cli_get(a, "source");
	q->lang = cli_get(a, "lang");
	q->author = cli_get(a, "author");
	if ((v = cli_get(a, "sentiment"))) {
		int label;

		if (post_sentiment_parse(v, strlen(v), &label)) {
			cli_error(a, "--sentiment: expected negative, neutral or positive, got '%s'", v);
			return EXIT_USAGE;
		}
		q->sentiment = post_sentiment_name(label);
	}
	if ((v = cli_get(a, "intent"))) {
		int intent;

		if (post_intent_parse(v, strlen(v), &intent)) {
			cli_error(a, "--intent: expected complaint, question, praise, purchase, idea "
				  "or other, got '%s'", v);
			return EXIT_USAGE;
		}
		q->intent = post_intent_name(intent);
	}
	q->needs_review = cli_flag(a, "review");
	if ((v = cli_get(a, "spam"))) {
		if (strcmp(v, "hide") == 0) {
			q->spam = STORE_SPAM_HIDE;
		} else if (strcmp(v, "show") == 0) {
			q->spam = STORE_SPAM_SHOW;
		} else if (strcmp(v, "only") == 0) {
			q->spam = STORE_SPAM_ONLY;
		} else {
			cli_error(a, "--spam: expected hide, show or only, got '%s'", v);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int cli_format(const struct cli_args *a)
{
	int json = cli_flag(a, "json"), csv = cli_flag(a, "csv"), table = cli_flag(a, "table");

	if (json + csv + table > 1) {
		cli_error(a, "choose one of --json, --csv and --table");
		return -1;
	}
	return json ? CLI_JSON : csv ? CLI_CSV : CLI_TABLE;
}

static void print_wrapped_from(FILE *f, const char *text, int indent, int width);

/* Print the options of a table, aligned. */
static void print_opts(FILE *f, const struct cli_opt *o)
{
	for (size_t i = 0; o[i].name; i++) {
		char left[64];

		if (o[i].short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o[i].short_name, o[i].name,
				 o[i].arg ? " " : "", o[i].arg ? o[i].arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o[i].name,
				 o[i].arg ? " " : "", o[i].arg ? o[i].arg : "");
		fprintf(f, "  %-24s", left);
		print_wrapped_from(f, o[i].help, 27, 80);
	}
}

static void print_wrapped_at(FILE *f, const char *text, int indent, int width, int first);

/* Print text wrapped at width columns (ASCII text: the help is ours), every
 * line indented by indent. */
static void print_wrapped(FILE *f, const char *text, int indent, int width)
{
	print_wrapped_at(f, text, indent, width, 1);
}

/* The same, for a text that starts on a line whose first indent columns
 * are already written (an option's help after its name). */
static void print_wrapped_from(FILE *f, const char *text, int indent, int width)
{
	fputc(' ', f);
	print_wrapped_at(f, text, indent, width, 0);
}

static void print_wrapped_at(FILE *f, const char *text, int indent, int width, int first)
{
	const char *p = text;

	while (*p) {
		const char *line_end = strchr(p, '\n');
		const char *end = line_end ? line_end : p + strlen(p);
		int col = indent;

		if (first)
			fprintf(f, "%*s", indent, "");
		first = 1;
		while (p < end) {
			const char *w = p;
			int wlen;

			while (w < end && *w != ' ')
				w++;
			wlen = (int)(w - p);
			if (col > indent && col + 1 + wlen > width) {
				fprintf(f, "\n%*s", indent, "");
				col = indent;
			} else if (col > indent) {
				fputc(' ', f);
				col++;
			}
			fwrite(p, 1, (size_t)wlen, f);
			col += wlen;
			p = w;
			while (p < end && *p == ' ')
				p++;
		}
		fputc('\n', f);
		p = line_end ? line_end + 1 : end;
	}
}

static void print_usage(FILE *f)
{
	fprintf(f, "usage: horch [--db PATH] COMMAND [OPTIONS] [ARGS]\n\n"
		   "horch listens: it collects public posts about a company, understands them and\n"
		   "shows them to the people who can act on them.\n\nCommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nGlobal options:\n");
	print_opts(f, global_opts);
	fprintf(f, "\n`horch COMMAND --help` shows a command's options; `man horch` has it all.\n");
}

static void print_cmd_help(FILE *f, const struct cli_cmd *c)
{
	fprintf(f, "usage: horch %s [OPTIONS]%s%s\n\n", c->name, *c->args ? " " : "", c->args);
	print_wrapped(f, c->summary, 0, 80);
	fputc('\n', f);
	print_wrapped(f, c->description, 0, 80);
	fprintf(f, "\nOptions:\n");
	print_opts(f, c->opts);
	fprintf(f, "\nGlobal options:\n");
	print_opts(f, global_opts);
	fprintf(f, "\nExamples:\n");
	/* Verbatim: examples are commands, aligned by hand. */
	for (const char *p = c->examples; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		fprintf(f, "  %.*s\n", (int)len, p);
		p += len + (nl != NULL);
	}
}

/* Escape the characters scdoc treats specially. */
static void man_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '*' || *s == '_' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void man_opts(FILE *f, const struct cli_opt *o)
{
	for (size_t i = 0; o[i].name; i++) {
		fputs("*", f);
		if (o[i].short_name)
			fprintf(f, "-%c*, *", o[i].short_name);
		fprintf(f, "--%s*", o[i].name);
		if (o[i].arg)
			fprintf(f, " _%s_", o[i].arg);
		fputs("\n\t", f);
		man_text(f, o[i].help);
		fputs("\n\n", f);
	}
}

void cli_print_man(FILE *f)
{
	fputs("# GLOBAL OPTIONS\n\n", f);
	man_opts(f, global_opts);
	fputs("# COMMANDS\n\n", f);
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const struct cli_cmd *c = &commands[i];
		const char *p;

		fprintf(f, "## horch %s [_options_]%s", c->name, *c->args ? " " : "");
		man_text(f, c->args);
		fputs("\n\n", f);
		man_text(f, c->summary);
		fputs("\n\n", f);
		for (p = c->description; *p; p++) {
			if (*p == '*' || *p == '_' || *p == '\\')
				fputc('\\', f);
			fputc(*p, f);
		}
		fputs("\n\n", f);
		man_opts(f, c->opts);
		fputs("Examples:\n\n```\n", f);
		fputs(c->examples, f);
		fputs("\n```\n\n", f);
	}
}

/* Find option arg (a "--name", "--name=value" or "-x") in opts; returns
 * its index or -1.  *inline_val is set for "--name=value". */
static int find_opt(const struct cli_opt *opts, const char *arg, const char **inline_val)
{
	*inline_val = NULL;
	if (arg[1] == '-') {
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);

		for (int i = 0; opts[i].name; i++) {
			if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) {
				*inline_val = eq ? eq + 1 : NULL;
				return i;
			}
		}
		return -1;
	}
	if (arg[2] != '\0')
		return -1;
	for (int i = 0; opts[i].name; i++)
		if (opts[i].short_name == arg[1])
			return i;
	return -1;
}

int cli_parse(int argc, char **argv, struct cli_args *out)
{
	static char *pos[256];
	int want_help = 0;

	memset(out, 0, sizeof *out);
	current = out;
	out->pos = pos;
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		const struct cli_opt *table;
		const char **slot;
		const char *val;
		int k;

		if (arg[0] != '-' || arg[1] == '\0' || (arg[1] == '-' && arg[2] == '\0')) {
			if (arg[0] == '-' && arg[1] == '-') {
				/* "--": the rest are positional. */
				for (i++; i < argc; i++) {
					if (out->n_pos >= 255)
						goto too_many;
					pos[out->n_pos++] = argv[i];
				}
				break;
			}
			if (!out->cmd) {
				for (size_t c = 0; c < N_COMMANDS; c++)
					if (strcmp(commands[c].name, arg) == 0)
						out->cmd = &commands[c];
				if (!out->cmd && strcmp(arg, "help") == 0 && i + 1 < argc) {
					want_help = 1;
					continue;
				}
				if (!out->cmd && strcmp(arg, "help") == 0) {
					print_usage(stdout);
					return EXIT_OK;
				}
				if (!out->cmd) {
					char names[512];
					size_t len = 0;

					/* Every command of the table, so the list never
					 * falls behind it. */
					names[0] = '\0';
					for (size_t c = 0; c < N_COMMANDS && len < sizeof names; c++)
						len += (size_t)snprintf(names + len, sizeof names - len,
									"%s%s", c ? ", " : "",
									commands[c].name);
					cli_error(out, "unknown command '%s' (commands: %s; see horch --help)",
						  arg, names);
					return EXIT_USAGE;
				}
				if (count_opts(out->cmd->opts) > CLI_MAX_OPTS)
					abort();
				continue;
			}
			if (out->n_pos >= 255)
				goto too_many;
			pos[out->n_pos++] = arg;
			continue;
		}
		table = global_opts;
		slot = out->global;
		k = find_opt(global_opts, arg, &val);
		if (k < 0 && out->cmd) {
			table = out->cmd->opts;
			slot = out->value;
			k = find_opt(table, arg, &val);
		}
		if (k < 0) {
			const char *owner = NULL;

			/* An option of a command given before the command. */
			for (size_t c = 0; !out->cmd && c < N_COMMANDS && !owner; c++)
				if (find_opt(commands[c].opts, arg, &val) >= 0)
					owner = commands[c].name;
			if (owner)
				cli_error(out, "option '%s' belongs after the command (horch %s %s ...)",
					  arg, owner, arg);
			else
				cli_error(out, "unknown option '%s' (see horch %s%s--help)", arg,
					  out->cmd ? out->cmd->name : "", out->cmd ? " " : "");
			return EXIT_USAGE;
		}
		if (table[k].arg) {
			if (!val) {
				if (i + 1 >= argc) {
					cli_error(out, "option --%s needs a value (%s)", table[k].name,
						  table[k].arg);
					return EXIT_USAGE;
				}
				val = argv[++i];
			}
		} else if (val) {
			cli_error(out, "option --%s takes no value", table[k].name);
			return EXIT_USAGE;
		} else {
			val = "";
		}
		/* --team '' and --color '' clear the field. */
		if (table[k].arg && !*val && strcmp(table[k].name, "team") != 0 &&
		    strcmp(table[k].name, "color") != 0) {
			cli_error(out, "option --%s needs a value (%s), not an empty string",
				  table[k].name, table[k].arg);
			return EXIT_USAGE;
		}
		slot[k] = val;
	}

	/* After --version or --help there is nothing to run: out->cmd is
	 * cleared so that the caller stops. */
	if (cli_get(out, "version")) {
		printf("horch %s\n", HORCH_VERSION);
		out->cmd = NULL;
		return EXIT_OK;
	}
	if (want_help || cli_get(out, "help")) {
		if (out->cmd)
			print_cmd_help(stdout, out->cmd);
		else
			print_usage(stdout);
		out->cmd = NULL;
		return EXIT_OK;
	}
	if (!out->cmd) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (out->n_pos < out->cmd->min_pos ||
	    (out->cmd->max_pos >= 0 && out->n_pos > out->cmd->max_pos)) {
		cli_error(out, "%s (usage: horch %s [OPTIONS]%s%s)",
			  out->n_pos < out->cmd->min_pos ? "missing argument" : "too many arguments",
			  out->cmd->name, *out->cmd->args ? " " : "", out->cmd->args);
		return EXIT_USAGE;
	}
	if (cli_get(out, "verbose"))
		horch_log_level = LOG_INFO;
	if (cli_get(out, "quiet"))
		horch_log_level = LOG_ERROR;
	return 0;

too_many:
	cli_error(out, "too many arguments (at most 255)");
	return EXIT_USAGE;
}
