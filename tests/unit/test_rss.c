/* test_rss.c - the RSS and Atom connector (src/ingest/rss.c).
 *
 * First the pure parts, on the sample feeds of tests/cases/rss (found
 * under $HORCH_SOURCE_ROOT, default "."): RSS 2.0, Atom and RSS 1.0 items
 * mapped field by field (ids, relative links, the fuller content, authors,
 * dates in RFC 822, RFC 3339 and garbage, language, duplicates, empty
 * items, enclosures, nested and xhtml content); encodings that lie, a BOM,
 * UTF-16, Shift_JIS, windows-1252 without a declaration, invalid UTF-8;
 * the repairs (bare '&', HTML entities, control characters); the XML bomb,
 * a quadratic blowup, external and parameter entities; bodies that are
 * not feeds; the caps; OPML.  Then the connector's run against
 * tests/tools/feed_server (started here, port 0): paging as the site
 * publishes, the cursor's ETag and seen items, 304, gzip, redirects, 429
 * with Retry-After, 500, a slow answer, a malformed body, a bomb, an
 * oversized body, an HTML page, a lying charset, a stop. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/post.h"
#include "ingest/connector.h"
#include "ingest/rss.h"
#include "source_harness.h"
#include "tap.h"

#define FEED_URL "https://blog.korvo.example/feed.xml"

/* ---- helpers --------------------------------------------------------- */

/* The sample file tests/cases/rss/NAME, in b (initialised here). */
static int sample(struct buf *b, const char *name)
{
	const char *root = getenv("HORCH_SOURCE_ROOT");
	char path[4096];
	FILE *f;
	int rc;

	buf_init(b, BUF_NOLIMIT);
	snprintf(path, sizeof path, "%s/tests/cases/rss/%s", root && *root ? root : ".", name);
	f = fopen(path, "rb");
	if (!f) {
		diag("cannot open %s", path);
		return -1;
	}
	rc = buf_read_stream(b, f, 64u << 20);
	fclose(f);
	return rc;
}

/* Warnings a parse gave, one per line. */
static struct buf warned;

static void keep_warning(void *ctx, const char *msg)
{
	(void)ctx;
	buf_puts(&warned, msg);
	buf_putc(&warned, '\n');
}

/* Parse the sample name (content type ct) into f. */
static int parse_sample(const char *name, const char *ct, struct rss_feed *f,
			struct horch_err *err)
{
	struct rss_opts o = { .feed_url = FEED_URL, .content_type = ct, .warn = keep_warning };
	struct buf b;
	int rc;

	buf_reset(&warned);
	rss_feed_init(f);
	horch_err_clear(err);
	if (sample(&b, name)) {
		buf_cleanup(&b);
		return -100;
	}
	rc = rss_parse(b.ptr, b.len, &o, f, err);
	buf_cleanup(&b);
	return rc;
}

/* Parse the text s with options o (NULL: defaults with FEED_URL). */
static int parse_text(const char *s, const struct rss_opts *o, struct rss_feed *f,
		      struct horch_err *err)
{
	struct rss_opts d = { .feed_url = FEED_URL, .warn = keep_warning };

	buf_reset(&warned);
	rss_feed_init(f);
	horch_err_clear(err);
	return rss_parse(s, strlen(s), o ? o : &d, f, err);
}

static const char *warnings(void)
{
	return warned.ptr ? warned.ptr : "";
}

static const char *time_str(int64_t t, char out[HORCH_TIME_BUFSZ])
{
	if (t == HORCH_TIME_NONE)
		return "none";
	return horch_time_format(t, out);
}

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* ---- RSS 2.0 --------------------------------------------------------- */

static void test_rss2(void)
{
	struct rss_feed f;
	struct horch_err err;
	char t[HORCH_TIME_BUFSZ];
	struct post *p;

	is_int(parse_sample("rss2.xml", NULL, &f, &err), 0, "rss-1.1 rss2.xml parses");
	is_int(f.format, RSS_FORMAT_RSS2, "rss-1.2 format RSS 2.0");
	is_str(f.title, "Korvo Engineering & Friends", "rss-1.3 the channel's title, not the image's");
	is_int(f.n_items, 7, "rss-1.4 seven items seen");
	is_int(f.n_posts, 5, "rss-1.5 five posts (a duplicate and an empty item skipped)");
	is_int(f.n_skipped, 2, "rss-1.6 two skipped");
	ok(has(warnings(), "item 5 (https://blog.korvo.example/?p=101): the id of an earlier item"),
	   "rss-1.7 the duplicate guid is warned about by item and id");
	ok(has(warnings(), "no title and no content (skipped)"), "rss-1.8 the empty item is warned about");
	if (f.n_posts != 5) {
		rss_feed_cleanup(&f);
		return;
	}
	p = f.posts[0];
	is_str(p->source, "rss", "rss-1.9 source");
	is_str(p->external_id, "https://blog.korvo.example/?p=101", "rss-1.10 a permalink guid is the id");
	is_str(p->url, "https://blog.korvo.example/2015/02/touchpad", "rss-1.11 the link is the url");
	is_str(p->title, "The touchpad runs hot: what we found", "rss-1.12 title");
	is_str(p->author, "Jane Doe", "rss-1.13 dc:creator in CDATA is the author");
	is_str(p->author_name, "Jane Doe", "rss-1.14 and the author's name");
	is_str(time_str(p->created_at, t), "2015-02-24T11:35:52Z", "rss-1.15 pubDate in RFC 822");
	is_str(p->html, "<p>The full story of the <b>touchpad</b> & its heat.</p><p>Second paragraph.</p>",
	       "rss-1.16 content:encoded, fuller than the description, is the html");
	ok(p->text == NULL, "rss-1.17 no text besides the html");
	is_str(p->lang, "en", "rss-1.18 the channel's language, given after the items, as ISO 639-1");
	is_int(p->kind, POST_KIND_POST, "rss-1.19 kind post");
	is_int(p->likes, POST_COUNT_NONE, "rss-1.20 no counts");

	p = f.posts[1];
	is_str(p->external_id, FEED_URL "#post-102",
	       "rss-1.21 a guid that is not a URI is made unique by the feed's URL");
	is_str(p->url, "https://blog.korvo.example/2015/02/relative",
	       "rss-1.22 a relative link resolved against the feed's URL");
	is_str(p->title, "Relative links <resolved>", "rss-1.23 entities in the title decoded");
	is_str(p->author, "John Doe", "rss-1.24 the name of an RSS author \"mail (Name)\"");
	is_str(time_str(p->created_at, t), "2015-02-23T17:00:00Z", "rss-1.25 RFC 822 with -0800");
	is_str(p->html, "Escaped <i>HTML</i> in the description, and an entity: \xE2\x82\xAC" "5.",
	       "rss-1.26 an escaped description is HTML source");

	p = f.posts[2];
	is_str(p->url, "https://cdn.korvo.example/ep7.mp3", "rss-1.27 no link: the enclosure is the url");
	is_str(p->external_id, "https://cdn.korvo.example/ep7.mp3", "rss-1.28 and the id");
	is_str(time_str(p->created_at, t), "2015-02-22T07:00:00Z", "rss-1.29 dc:date in RFC 3339");

	p = f.posts[3];
	ok(p->created_at == HORCH_TIME_NONE, "rss-1.30 a garbage date is no date");
	is_int(f.n_bad_dates, 1, "rss-1.31 one unreadable date counted");
	ok(has(warnings(), "such as \"sometime last week\""), "rss-1.32 and warned about with an example");

	p = f.posts[4];
	is_str(p->html, "Before <p>inside <b>bold</b></p> after",
	       "rss-1.33 elements nested in a description are kept as HTML");
	is_str(time_str(p->created_at, t), "2015-02-17T09:00:00Z",
	       "rss-1.34 a German day name in an RFC 822 date");
	rss_feed_cleanup(&f);
}

/* ---- Atom and RSS 1.0 ------------------------------------------------ */

static void test_atom(void)
{
	struct rss_feed f;
	struct horch_err err;
	char t[HORCH_TIME_BUFSZ];
	struct post *p;

	is_int(parse_sample("atom.xml", NULL, &f, &err), 0, "rss-2.1 atom.xml parses");
	is_int(f.format, RSS_FORMAT_ATOM, "rss-2.2 format Atom");
	is_str(f.title, "Korvo News", "rss-2.3 a type=\"html\" feed title as text");
	is_int(f.n_posts, 3, "rss-2.4 three entries");
	if (f.n_posts != 3) {
		rss_feed_cleanup(&f);
		return;
	}
	p = f.posts[0];
	is_str(p->external_id, "tag:news.korvo.example,2015:entry-1", "rss-2.5 the Atom id is the id");
	is_str(p->url, "https://news.korvo.example/blog/entry-1.html",
	       "rss-2.6 the text/html alternate link, resolved against xml:base");
	is_str(p->author, "Anna M\xC3\xBCller", "rss-2.7 author/name");
	is_str(time_str(p->created_at, t), "2015-02-24T10:35:52Z", "rss-2.8 published before updated");
	is_str(p->html, "<p>Hallo <b>Welt</b> &amp; mehr<br>Zeile</p>",
	       "rss-2.9 xhtml content without its wrapper div, text escaped, br void");
	is_str(p->lang, "de", "rss-2.10 the feed's xml:lang");
	is_str(p->title, "Xhtml content", "rss-2.11 the entry's title, not its source's");

	p = f.posts[1];
	is_str(p->title, "Text content & summary", "rss-2.12 a text title");
	ok(p->html == NULL, "rss-2.13 text content, fuller than the html summary: no html");
	is_str(p->text, "Plain text content, a < b, and longer than the summary.",
	       "rss-2.14 it is the text");
	is_str(p->author, "Feed Author", "rss-2.15 no author: the feed's author");
	is_str(p->lang, "en", "rss-2.16 the entry's own xml:lang");
	is_str(time_str(p->created_at, t), "2015-02-23T10:00:00Z", "rss-2.17 no published: updated");

	p = f.posts[2];
	is_str(p->external_id, "https://news.korvo.example/blog/entry-3",
	       "rss-2.18 no id: the link, a javascript: link passed over");
	is_str(p->text, "the summary is text", "rss-2.19 content with src: the summary");
	rss_feed_cleanup(&f);

	is_int(parse_sample("rdf.xml", NULL, &f, &err), 0, "rss-3.1 rdf.xml parses");
	is_int(f.format, RSS_FORMAT_RSS1, "rss-3.2 format RSS 1.0");
	is_str(f.title, "Korvo Forum", "rss-3.3 title");
	is_int(f.n_posts, 2, "rss-3.4 two items (outside the channel)");
	if (f.n_posts == 2) {
		p = f.posts[0];
		is_str(p->external_id, "https://forum.korvo.example/t/1", "rss-3.5 rdf:about is the id");
		is_str(p->url, "https://forum.korvo.example/t/1?utm_source=rss", "rss-3.6 the link is the url");
		is_str(p->author, "pierre", "rss-3.7 dc:creator");
		is_str(p->lang, "fr", "rss-3.8 dc:language of the channel");
		is_str(p->title, "Le pav\xC3\xA9 tactile chauffe", "rss-3.9 title in UTF-8");
		is_str(p->html, "Mon portable <b>chauffe</b>.", "rss-3.10 description");
		is_str(time_str(f.posts[1]->created_at, t), "2015-02-24T00:00:00Z", "rss-3.11 a date alone");
		is_str(f.posts[1]->url, "https://forum.korvo.example/t/2", "rss-3.12 no link: rdf:about");
	}
	rss_feed_cleanup(&f);
}

/* ---- encodings ------------------------------------------------------- */

/* Parse a sample and check its first title and the encoding read. */
static void check_encoding(const char *id, const char *name, const char *ct, const char *title,
			   const char *enc, int lie)
{
	struct rss_feed f;
	struct horch_err err;
	int rc = parse_sample(name, ct, &f, &err);

	is_int(rc, 0, "%s %s parses", id, name);
	is_str(f.n_posts ? f.posts[0]->title : NULL, title, "%s %s: the title", id, name);
	is_str(f.decode.encoding, enc, "%s %s: read as %s", id, name, enc);
	is_int(f.decode.lie, lie, "%s %s: %s", id, name, lie ? "a lie found" : "no lie");
	rss_feed_cleanup(&f);
}

static void test_encodings(void)
{
	struct rss_feed f;
	struct horch_err err;

	check_encoding("rss-4.1", "lie-latin1-utf8.xml", NULL,
		       "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln \xE2\x80\x93 \xE2\x80\x9Cquoted\xE2\x80\x9D",
		       "UTF-8", 1);
	ok(has(warnings(), "declares the encoding ISO-8859-1 but its bytes are not: read as UTF-8"),
	   "rss-4.2 the lie is warned about");
	check_encoding("rss-4.3", "latin1.xml", NULL, "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln",
		       "windows-1252", 0);
	check_encoding("rss-4.4", "cp1252-undeclared.xml", NULL,
		       "\xE2\x80\x9CSmart\xE2\x80\x9D quotes cost 5\xE2\x82\xAC \xE2\x80\x93 caf\xC3\xA9",
		       "windows-1252", 0);
	ok(has(warnings(), "declares no encoding and is not UTF-8: read as windows-1252"),
	   "rss-4.5 undeclared windows-1252 is warned about");
	check_encoding("rss-4.6", "utf16le-bom.xml", NULL,
		       "\xC3\x84rger \xC3\xBC" "ber \xF0\x9D\x84\x9E Noten", "UTF-16LE", 0);
	check_encoding("rss-4.7", "bom-vs-decl.xml", NULL, "Gr\xC3\xBC\xC3\x9F" "e", "UTF-8", 0);
	parse_sample("bom-vs-decl.xml", NULL, &f, &err);
	is_str(f.decode.why, "byte order mark", "rss-4.8 the BOM wins over the declaration");
	is_str(f.decode.declared, "ISO-8859-1", "rss-4.8b which is kept as declared");
	rss_feed_cleanup(&f);
	check_encoding("rss-4.9", "sjis.xml", "application/rss+xml; charset=Shift_JIS",
		       "\xE3\x82\xBF\xE3\x83\x83\xE3\x83\x81\xE3\x83\x91\xE3\x83\x83\xE3\x83\x89"
		       "\xE3\x81\x8C\xE7\x86\xB1\xE3\x81\x84", "Shift_JIS", 0);
	/* The declaration wins over the HTTP charset; the HTTP charset over
	 * the default. */
	check_encoding("rss-4.10", "latin1.xml", "text/xml; charset=utf-8",
		       "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln", "windows-1252", 0);
	{
		static const char doc[] = "<rss version=\"2.0\"><channel><item><title>K\xF6ln</title>"
					  "<link>https://e.example/1</link></item></channel></rss>";
		struct rss_opts o = { .content_type = "application/rss+xml; charset=\"ISO-8859-1\"" };

		rss_feed_init(&f);
		is_int(rss_parse(doc, strlen(doc), &o, &f, &err), 0, "rss-4.11 HTTP charset only parses");
		is_str(f.n_posts ? f.posts[0]->title : NULL, "K\xC3\xB6ln", "rss-4.12 read as the HTTP charset says");
		is_str(f.decode.why, "HTTP charset", "rss-4.13 and says why");
		rss_feed_cleanup(&f);
	}

	is_int(parse_sample("invalid-utf8.xml", NULL, &f, &err), 0,
	       "rss-4.14 invalid UTF-8 in an item does not drop the feed");
	is_int(f.n_posts, 2, "rss-4.15 both items");
	is_str(f.n_posts ? f.posts[0]->html : NULL, "bad byte: \xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD cut",
	       "rss-4.16 each bad byte is U+FFFD");
	is_int(f.decode.n_invalid, 3, "rss-4.17 three repairs counted");
	ok(has(warnings(), "3 invalid UTF-8 sequences replaced by U+FFFD"), "rss-4.18 and warned about");
	rss_feed_cleanup(&f);
}

static void test_decode(void)
{
	struct rss_decode_info info;
	struct horch_err err;
	struct buf out;
	/* "<?xml version="1.0"?><a>é</a>" in UTF-16BE, no BOM. */
	static const char be[] = "\0<\0?\0x\0m\0l\0 \0v\0=\0'\0\x31\0'\0?\0>\0<\0a\0>\0\xE9\0<\0/\0a\0>";

	buf_init(&out, BUF_NOLIMIT);
	is_int(rss_decode(be, sizeof be - 1, NULL, &out, &info, &err), 0, "rss-10.1 UTF-16BE without BOM");
	is_str(out.ptr, "<?xml v='1'?><a>\xC3\xA9</a>", "rss-10.2 decoded");
	is_str(info.encoding, "UTF-16BE", "rss-10.3 named");
	is_int(rss_decode("<?xml version=\"1.0\" encoding=\"x-no-such\"?><a>\xC3\xA9</a>", 50, NULL,
			  &out, &info, &err), 0, "rss-10.4 an unknown encoding");
	is_str(info.encoding, "UTF-8", "rss-10.5 is read as UTF-8");
	is_int(info.lie, 1, "rss-10.6 and counts as a lie");
	is_int(rss_decode("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>x</a>", 47, NULL, &out,
			  &info, &err), 0, "rss-10.7 UTF-16 declared in ASCII bytes");
	is_str(info.encoding, "UTF-8", "rss-10.8 is read as UTF-8");
	static const char rep[] = "<a b='x&y'><![CDATA[&]]><!-- & --><?pi & ?>&#0;&#x1F600;&amp;</a>";
	static const char dt[] = "<!DOCTYPE a [<!ENTITY e \"&#38;\"> <!-- ' -->]><a>&e; &nbsp;</a>";

	is_int(rss_decode(rep, strlen(rep), NULL, &out, &info, &err), 0, "rss-10.9 repairs");
	is_str(out.ptr, "<a b='x&amp;y'><![CDATA[&]]><!-- & --><?pi & ?>&#65533;&#x1F600;&amp;</a>",
	       "rss-10.10 '&' repaired in attributes, not in CDATA, comments or PIs; &#0; refused");
	is_int(info.n_amps, 1, "rss-10.11 one bare '&'");
	is_int(info.n_controls, 1, "rss-10.12 one forbidden character reference");
	is_int(rss_decode(dt, strlen(dt), NULL, &out, &info, &err), 0, "rss-10.13 a DOCTYPE with a subset");
	is_str(out.ptr, "<!DOCTYPE a [<!ENTITY e \"&#38;\"> <!-- ' -->]><a>&e; &#160;</a>",
	       "rss-10.14 a declared entity kept, an HTML entity made numeric");
	buf_cleanup(&out);
}

/* ---- repairs, safety, non-feeds ------------------------------------- */

static void test_repairs(void)
{
	struct rss_feed f;
	struct horch_err err;
	int64_t t0;

	is_int(parse_sample("repairs.xml", NULL, &f, &err), 0, "rss-5.1 a feed that needs repairs parses");
	is_str(f.title, "AT&T & Co", "rss-5.2 a bare '&' in the title");
	is_str(f.n_posts ? f.posts[0]->title : NULL,
	       "Caf\xC3\xA9 \xE2\x80\x94 &bogus; x\xEF\xBF\xBDy\xEF\xBF\xBDz\xEF\xBF\xBD",
	       "rss-5.3 HTML entities decoded, an unknown one shown, control characters U+FFFD");
	is_str(f.n_posts ? f.posts[0]->url : NULL, "https://e.example/1?a=1&b=2", "rss-5.4 a bare '&' in a link");
	is_str(f.n_posts ? f.posts[0]->html : NULL, "In CDATA & stays &nbsp; as is", "rss-5.5 CDATA untouched");
	is_int(f.decode.n_amps, 3, "rss-5.6 three bare '&' counted");
	is_int(f.decode.n_entities, 3, "rss-5.7 three HTML entities");
	is_int(f.decode.n_controls, 3, "rss-5.8 three control characters");
	is_int(f.decode.lines_dropped, 2, "rss-5.9 two blank lines before the declaration");
	rss_feed_cleanup(&f);

	t0 = horch_mono_ns();
	is_int(parse_sample("bomb.xml", NULL, &f, &err), HORCH_EPARSE, "rss-6.1 the billion laughs are refused");
	ok(has(err.msg, "entity expansion"), "rss-6.2 the message names entity expansion: %s", err.msg);
	is_int(err.line, 4, "rss-6.3 at the first nested declaration");
	ok(horch_mono_ns() - t0 < 1000000000LL, "rss-6.4 in well under a second");
	is_int(f.n_posts, 0, "rss-6.5 no post");
	rss_feed_cleanup(&f);

	t0 = horch_mono_ns();
	is_int(parse_sample("quadratic.xml", NULL, &f, &err), HORCH_ETOOBIG,
	       "rss-6.6 a quadratic blowup is stopped");
	ok(has(err.msg, "entity expansion"), "rss-6.7 the message names entity expansion: %s", err.msg);
	ok(horch_mono_ns() - t0 < 1000000000LL, "rss-6.8 in well under a second");
	rss_feed_cleanup(&f);

	is_int(parse_sample("entities-ok.xml", NULL, &f, &err), 0, "rss-6.9 internal entities parse");
	is_str(f.n_posts ? f.posts[0]->title : NULL, "News from Korvo & S\xC3\xB6hne", "rss-6.10 expanded");
	is_str(f.n_posts ? f.posts[0]->html : NULL,
	       "Hello\xC2\xA0Korvo & S\xC3\xB6hne and Korvo & S\xC3\xB6hne", "rss-6.11 each time");
	rss_feed_cleanup(&f);

	is_int(parse_sample("xxe.xml", NULL, &f, &err), HORCH_EPARSE, "rss-6.12 an external entity is refused");
	ok(has(err.msg, "external entity 'xxe' refused"), "rss-6.13 by name: %s", err.msg);
	ok(!has(err.msg, "root:"), "rss-6.14 nothing of /etc/passwd");
	rss_feed_cleanup(&f);
	is_int(parse_sample("pe.xml", NULL, &f, &err), HORCH_EPARSE, "rss-6.15 a parameter entity is refused");
	rss_feed_cleanup(&f);

	is_int(parse_sample("page.html", NULL, &f, &err), HORCH_EPARSE, "rss-7.1 an HTML page is not a feed");
	is_str(err.msg, "not a feed: an HTML page (it names the feed https://blog.korvo.example/feed.xml)",
	       "rss-7.2 the message names the feed it links to");
	rss_feed_cleanup(&f);
	is_int(parse_sample("json.txt", NULL, &f, &err), HORCH_EPARSE, "rss-7.3 JSON is not XML");
	ok(has(err.msg, "not XML"), "rss-7.4 says so: %s", err.msg);
	rss_feed_cleanup(&f);
	is_int(parse_sample("truncated.xml", NULL, &f, &err), HORCH_EPARSE, "rss-7.5 a cut feed");
	is_int(err.line, 7, "rss-7.6 the line of the cut");
	ok(has(err.msg, "not well-formed XML at line 7"), "rss-7.7 named in the message: %s", err.msg);
	is_int(f.n_posts, 0, "rss-7.8 no post from a feed that failed");
	rss_feed_cleanup(&f);
	is_int(parse_text("", NULL, &f, &err), HORCH_EPARSE, "rss-7.9 an empty body");
	rss_feed_cleanup(&f);
	is_int(parse_text("<opml version=\"2.0\"><body/></opml>", NULL, &f, &err), HORCH_EPARSE,
	       "rss-7.10 OPML is not a feed");
	ok(has(err.msg, "import-opml"), "rss-7.11 and the message says what reads it");
	rss_feed_cleanup(&f);
	is_int(parse_text("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>", NULL, &f,
			  &err), HORCH_EPARSE, "rss-7.12 another XML document");
	is_str(err.msg, "not a feed: the root element is <svg>", "rss-7.13 named by its root");
	rss_feed_cleanup(&f);
	is_int(parse_text("<rss><channel><item><title>a</title></item><item></channel></rss>", NULL,
			  &f, &err), HORCH_EPARSE, "rss-7.14 mismatched tags");
	ok(err.col > 0, "rss-7.15 with a column");
	rss_feed_cleanup(&f);
	is_int(parse_text("<rss><channel><item><title>a</title></item></channel></rss>", NULL, &f, &err),
	       0, "rss-7.16 no XML declaration, no namespace: fine");
	is_str(f.n_posts ? f.posts[0]->external_id : NULL, FEED_URL "#h:09104bd1985638e9",
	       "rss-7.17 neither guid nor link: a hash of the item, made unique by the feed");
	rss_feed_cleanup(&f);
	is_int(parse_text("<rss><channel><item><title>a</title></item></channel></rss>junk", NULL, &f,
			  &err), HORCH_EPARSE, "rss-7.18 content after the root element");
	rss_feed_cleanup(&f);
}

/* ---- caps ------------------------------------------------------------ */

static void test_caps(void)
{
	struct rss_feed f;
	struct horch_err err;
	struct rss_opts o = { .feed_url = FEED_URL, .max_items = 3, .warn = keep_warning };
	struct buf doc;
	size_t len;

	buf_init(&doc, BUF_NOLIMIT);
	buf_puts(&doc, "<rss><channel>");
	for (int i = 0; i < 5; i++)
		buf_printf(&doc, "<item><title>%d</title><link>https://e.example/%d</link></item>", i, i);
	buf_puts(&doc, "</channel></rss>");
	is_int(parse_text(doc.ptr, &o, &f, &err), 0, "rss-8.1 more items than max_items: fine");
	is_int(f.n_posts, 3, "rss-8.2 the first three");
	ok(has(warnings(), "more than 3 items"), "rss-8.3 warned about");
	rss_feed_cleanup(&f);

	/* A title of 3,000 two-byte characters: cut at POST_FIELD_MAX, on a
	 * character's start. */
	buf_reset(&doc);
	buf_puts(&doc, "<rss><channel><item><link>https://e.example/1</link><title>x");
	for (int i = 0; i < 3000; i++)
		buf_puts(&doc, "\xC3\xA9");
	buf_puts(&doc, "</title><description>");
	for (size_t i = 0; i < POST_TEXT_MAX / 6 + 10; i++)
		buf_puts(&doc, "abc&amp;de");
	buf_puts(&doc, "</description></item></channel></rss>");
	is_int(parse_text(doc.ptr, NULL, &f, &err), 0, "rss-8.4 over-long fields: fine");
	len = f.n_posts && f.posts[0]->title ? strlen(f.posts[0]->title) : 0;
	is_int(len, POST_FIELD_MAX - 1, "rss-8.5 the title cut to the last whole character");
	is_int(f.n_posts && f.posts[0]->html ? strlen(f.posts[0]->html) : 0, POST_TEXT_MAX,
	       "rss-8.6 the html cut at POST_TEXT_MAX");
	is_int(f.n_cut, 2, "rss-8.7 two fields cut");
	ok(has(warnings(), "2 fields cut to their size caps"), "rss-8.8 warned about");
	rss_feed_cleanup(&f);

	/* Items beyond RSS_ITEMS_MAX. */
	buf_reset(&doc);
	buf_puts(&doc, "<rss><channel>");
	for (unsigned i = 0; i < RSS_ITEMS_MAX + 5; i++)
		buf_printf(&doc, "<item><title>%u</title></item>", i);
	buf_puts(&doc, "</channel></rss>");
	is_int(parse_text(doc.ptr, NULL, &f, &err), 0, "rss-8.9 more than RSS_ITEMS_MAX items");
	is_int(f.n_posts, RSS_ITEMS_MAX, "rss-8.10 RSS_ITEMS_MAX posts");
	rss_feed_cleanup(&f);

	/* Deep nesting: libxml2's own depth limit is an error, not a crash. */
	buf_reset(&doc);
	buf_puts(&doc, "<rss><channel><item><title>t</title><description>");
	for (int i = 0; i < 2000; i++)
		buf_puts(&doc, "<b>");
	buf_puts(&doc, "</description></item></channel></rss>");
	is_int(parse_text(doc.ptr, NULL, &f, &err), HORCH_EPARSE, "rss-8.11 very deep nesting fails cleanly");
	rss_feed_cleanup(&f);
	buf_cleanup(&doc);
}

/* ---- OPML ------------------------------------------------------------ */

struct opml_seen {
	struct buf lines;
	int stop_after;
	int n;
};

static int on_outline(void *ctx, const char *title, const char *xml_url, const char *html_url)
{
	struct opml_seen *s = ctx;

	buf_printf(&s->lines, "%s|%s|%s\n", title ? title : "-", xml_url, html_url ? html_url : "-");
	return ++s->n == s->stop_after ? 42 : 0;
}

static void test_opml(void)
{
	static const char doc[] =
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
		"<opml version=\"2.0\"><head><title>Subscriptions</title></head><body>\n"
		" <outline text=\"Tech\">\n"
		"  <outline type=\"rss\" text=\"Korvo blog\" title=\"Korvo &amp; Co\" "
		"xmlUrl=\"https://blog.korvo.example/feed.xml\" htmlUrl=\"https://blog.korvo.example/\"/>\n"
		"  <outline text=\"Deeper\"><outline type=\"atom\" text=\"K\xF6ln news\" "
		"xmlUrl=\"https://news.example/atom?a=1&amp;b=2\"/></outline>\n"
		" </outline>\n"
		" <outline type=\"link\" text=\"A web page\" xmlUrl=\"https://not.a.feed/\"/>\n"
		" <outline text=\"No type\" xmlurl=\"https://lower.example/rss\"/>\n"
		" <outline text=\"Empty\" xmlUrl=\"  \"/>\n"
		"</body></opml>\n";
	struct opml_seen s = { .stop_after = 0 };
	struct horch_err err;

	buf_init(&s.lines, BUF_NOLIMIT);
	is_int(opml_parse(doc, strlen(doc), on_outline, &s, &err), 0, "rss-9.1 OPML parses");
	is_str(s.lines.ptr,
	       "Korvo & Co|https://blog.korvo.example/feed.xml|https://blog.korvo.example/\n"
	       "K\xC3\xB6ln news|https://news.example/atom?a=1&b=2|-\n"
	       "No type|https://lower.example/rss|-\n",
	       "rss-9.2 nested outlines, title else text, type filter, any case of xmlUrl, Latin-1");
	buf_reset(&s.lines);
	s.n = 0;
	s.stop_after = 2;
	is_int(opml_parse(doc, strlen(doc), on_outline, &s, &err), 42, "rss-9.3 the callback's result stops it");
	is_int(s.n, 2, "rss-9.4 after two calls");
	s.stop_after = 0;
	is_int(opml_parse("<rss/>", 6, on_outline, &s, &err), HORCH_EPARSE, "rss-9.5 not OPML");
	is_str(err.msg, "not an OPML document: the root element is <rss>", "rss-9.6 says so");
	is_int(opml_parse("<opml><body><outline xmlUrl='x'>", 33, on_outline, &s, &err), HORCH_EPARSE,
	       "rss-9.7 cut OPML");
	buf_cleanup(&s.lines);
}

/* ---- check() --------------------------------------------------------- */

static void test_check(void)
{
	static const struct {
		const char *url, *key, *value;
		int rc;
		const char *name;
	} cases[] = {
		{ "https://blog.example/feed", NULL, NULL, 0, "rss-11.1 an https URL" },
		{ "file:///tmp/feed.xml", NULL, NULL, 0, "rss-11.2 a file URL" },
		{ NULL, NULL, NULL, HORCH_EINVAL, "rss-11.3 no URL" },
		{ "ftp://blog.example/feed", NULL, NULL, HORCH_EINVAL, "rss-11.4 ftp" },
		{ "https://b.example/f", "timeout", "0", HORCH_EINVAL, "rss-11.5 timeout 0" },
		{ "https://b.example/f", "timeout", "5", 0, "rss-11.6 timeout 5" },
		{ "https://b.example/f", "max_bytes", "20000000", HORCH_EINVAL, "rss-11.7 max_bytes over the cap" },
		{ "https://b.example/f", "max_items", "ten", HORCH_EINVAL, "rss-11.8 max_items not a number" },
	};
	const struct connector *k = connector_find("rss");
	struct horch_err err;

	ok(k == &connector_rss, "rss-11.0 the connector is registered as \"rss\"");
	is_int(connector_rss.interval, 900, "rss-11.0b default interval 900 s");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct source_conf c;

		source_conf_init(&c);
		c.kind = strdup("rss");
		c.name = strdup("t");
		if (cases[i].url)
			c.url = strdup(cases[i].url);
		if (cases[i].key)
			source_param_set(&c, cases[i].key, cases[i].value, &err);
		horch_err_clear(&err);
		is_int(connector_rss.check(&c, &err), cases[i].rc, "%s", cases[i].name);
		source_conf_cleanup(&c);
	}
}

/* ---- the run against feed_server ------------------------------------ */

/* Set a fault on the server (its /_fault?QUERY). */
static void server_fault(const struct fake *s, const char *query)
{
	char path[256], *body;

	snprintf(path, sizeof path, "/_fault?%s", query);
	body = fake_get(s, path);
	if (!body || strcmp(body, "ok\n") != 0)
		diag("fault %s not set", query);
	free(body);
}

/* What one run handed over. */
struct got {
	struct buf ids;        /* external ids, one per line, in emit order */
	size_t n_posts;
	size_t n_commits;
	char cursor[SOURCE_CURSOR_MAX + 1];
	int stop_after;        /* emit says stop after this many; 0: never */
	struct post first;     /* a copy of the first post's title and url */
};

static int got_emit(void *ctx, struct post *p)
{
	struct got *g = ctx;

	buf_puts(&g->ids, p->external_id);
	buf_putc(&g->ids, '\n');
	if (!g->n_posts++) {
		post_cleanup(&g->first);
		g->first.title = p->title ? strdup(p->title) : NULL;
		g->first.url = p->url ? strdup(p->url) : NULL;
		g->first.html = p->html ? strdup(p->html) : NULL;
	}
	post_free(p);
	return g->stop_after && (int)g->n_posts >= g->stop_after ? HORCH_ESTOP : 0;
}

static int got_commit(void *ctx, const char *cursor)
{
	struct got *g = ctx;

	g->n_commits++;
	snprintf(g->cursor, sizeof g->cursor, "%s", cursor);
	return 0;
}

static void got_init(struct got *g)
{
	memset(g, 0, sizeof *g);
	buf_init(&g->ids, BUF_NOLIMIT);
	post_init(&g->first);
}

static void got_reset(struct got *g)
{
	buf_reset(&g->ids);
	g->n_posts = 0;
	g->n_commits = 0;
	g->cursor[0] = '\0';
}

static void got_cleanup(struct got *g)
{
	buf_cleanup(&g->ids);
	post_cleanup(&g->first);
}

/* One run of an rss source at url (a path on the server) from cursor,
 * with settings key=value pairs (NULL-terminated).  Returns the run's
 * result; the retry and warning in *retry and warning. */
static int run_once(const struct fake *s, const char *path, const char *cursor, struct got *g,
		    struct horch_err *err, int *retry, char *warning, size_t warning_size,
		    const char *const *settings)
{
	struct source_hooks hooks = { .emit = got_emit, .commit = got_commit, .ctx = g };
	struct source_conf c;
	char url[512];
	int rc;

	snprintf(url, sizeof url, "%s%s", s->base, path);
	harness_conf(&c, "feed", "rss", url, settings);
	rc = harness_run(&c, cursor, &hooks, err, retry, warning, warning_size);
	source_conf_cleanup(&c);
	return rc;
}

/* The number of lines of s. */
static size_t lines(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static void test_run_paging(void)
{
	static const char *const args[] = { "--items", "30", "--step", "10", "--window", "15", NULL };
	struct fake s;
	struct got g;
	struct horch_err err;
	struct buf all;
	char cursor[SOURCE_CURSOR_MAX + 1] = "";
	json_t *j;

	if (fake_start(&s, args)) {
		ok(0, "rss-20.0 feed_server starts");
		return;
	}
	got_init(&g);
	buf_init(&all, BUF_NOLIMIT);
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), 0, "rss-20.1 the first poll");
	is_int(g.n_posts, 10, "rss-20.2 ten items published so far");
	is_int(g.n_commits, 1, "rss-20.3 one commit");
	ok(has(g.ids.ptr, "tag:feed-server.test,2026:item-1\n"), "rss-20.4 the oldest is there");
	ok(g.ids.ptr && !strncmp(g.ids.ptr, "tag:feed-server.test,2026:item-1\n", 33),
	   "rss-20.5 emitted oldest first");
	is_str(g.first.url, "https://blog.feed-server.test/posts/1", "rss-20.6 the url");
	j = json_loads(g.cursor, 0, NULL);
	is_str(j ? json_string_value(json_object_get(j, "etag")) : NULL, "\"r-10-1\"",
	       "rss-20.7 the cursor keeps the ETag");
	is_str(j ? json_string_value(json_object_get(j, "modified")) : NULL,
	       "Thu, 01 Jan 2026 00:10:00 GMT", "rss-20.8 and the Last-Modified");
	is_int(j ? strlen(json_string_value(json_object_get(j, "ids"))) : 0, 160,
	       "rss-20.9 and the hashes of the ten items");
	json_decref(j);
	buf_puts(&all, g.ids.ptr);
	snprintf(cursor, sizeof cursor, "%s", g.cursor);

	got_reset(&g);
	is_int(run_once(&s, "/feed.rss", cursor, &g, &err, NULL, NULL, 0, NULL), 0, "rss-20.10 the second poll");
	is_int(g.n_posts, 10, "rss-20.11 the ten new items only (five seen before are in the window)");
	ok(!has(g.ids.ptr, "item-10\n") && has(g.ids.ptr, "item-11\n") && has(g.ids.ptr, "item-20\n"),
	   "rss-20.12 items 11 to 20");
	buf_puts(&all, g.ids.ptr);
	snprintf(cursor, sizeof cursor, "%s", g.cursor);

	got_reset(&g);
	is_int(run_once(&s, "/feed.rss", cursor, &g, &err, NULL, NULL, 0, NULL), 0, "rss-20.13 the third poll");
	is_int(g.n_posts, 10, "rss-20.14 items 21 to 30");
	buf_puts(&all, g.ids.ptr);
	snprintf(cursor, sizeof cursor, "%s", g.cursor);

	got_reset(&g);
	is_int(run_once(&s, "/feed.rss", cursor, &g, &err, NULL, NULL, 0, NULL), 0,
	       "rss-20.15 the fourth poll: nothing new");
	is_int(g.n_posts, 0, "rss-20.16 no post");
	is_int(g.n_commits, 0, "rss-20.17 a 304 commits nothing");
	is_int(fake_stat(&s, "not_modified"), 1, "rss-20.18 the server answered 304 once");
	is_int(fake_stat(&s, "conditional"), 3, "rss-20.19 every poll with a cursor was conditional");
	is_int(lines(all.ptr), 30, "rss-20.20 thirty posts in all");
	{
		/* No id twice. */
		int dup = 0;

		for (int i = 1; i <= 30; i++) {
			char id[64];
			const char *at;

			snprintf(id, sizeof id, "tag:feed-server.test,2026:item-%d\n", i);
			at = strstr(all.ptr, id);
			if (!at || strstr(at + 1, id))
				dup++;
		}
		is_int(dup, 0, "rss-20.21 each item exactly once: no gap, no repeat");
	}
	ok(fake_stat(&s, "gzip") >= 3, "rss-20.22 the bodies came gzip-encoded");

	/* A cursor that cannot be read: a full fetch, and a warning. */
	{
		char warning[256];

		got_reset(&g);
		is_int(run_once(&s, "/feed.rss", "{not json", &g, &err, NULL, warning, sizeof warning,
				NULL), 0, "rss-20.23 a broken cursor");
		is_int(g.n_posts, 15, "rss-20.24 the whole window is emitted again");
		ok(has(warning, "cursor cannot be read"), "rss-20.25 warned: %s", warning);
	}
	buf_cleanup(&all);
	got_cleanup(&g);
	fake_stop(&s);
}

static void test_run_formats(void)
{
	static const char *const args[] = { "--items", "12", "--dir", NULL, NULL };
	const char *root = getenv("HORCH_SOURCE_ROOT");
	char dir[4096];
	const char *a[5];
	struct fake s;
	struct got g;
	struct horch_err err;
	char warning[256];
	int retry;

	snprintf(dir, sizeof dir, "%s/tests/cases/rss", root && *root ? root : ".");
	memcpy(a, args, sizeof a);
	a[3] = dir;
	if (fake_start(&s, a)) {
		ok(0, "rss-21.0 feed_server starts");
		return;
	}
	got_init(&g);
	is_int(run_once(&s, "/feed.atom", "", &g, &err, NULL, NULL, 0, NULL), 0, "rss-21.1 Atom");
	is_int(g.n_posts, 12, "rss-21.2 twelve entries");
	is_str(g.first.title, "Item 1: broken support great love", "rss-21.3 the first entry's title");
	got_reset(&g);
	is_int(run_once(&s, "/feed.rdf", "", &g, &err, NULL, NULL, 0, NULL), 0, "rss-21.4 RSS 1.0");
	is_int(g.n_posts, 12, "rss-21.5 twelve items");
	ok(has(g.ids.ptr, "https://blog.feed-server.test/posts/12\n"), "rss-21.6 ids from rdf:about");

	/* A redirect, and a loop of them. */
	got_reset(&g);
	is_int(run_once(&s, "/moved/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), 0,
	       "rss-22.1 a 301 is followed");
	is_int(g.n_posts, 12, "rss-22.2 to the feed");
	got_reset(&g);
	is_int(run_once(&s, "/loop", "", &g, &err, NULL, NULL, 0, NULL), HORCH_EIO,
	       "rss-22.3 a redirect loop is an I/O error");
	is_int(g.n_commits, 0, "rss-22.4 nothing committed");

	/* A file with a lying HTTP charset: the declaration wins. */
	got_reset(&g);
	is_int(run_once(&s, "/files/latin1.xml?ct=application/rss%2Bxml;%20charset=utf-8", "", &g, &err,
			NULL, NULL, 0, NULL), 0, "rss-23.1 a Latin-1 feed served as UTF-8");
	is_str(g.first.title, "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln", "rss-23.2 read right");
	got_reset(&g);
	is_int(run_once(&s, "/files/lie-latin1-utf8.xml", "", &g, &err, NULL, warning, sizeof warning,
			NULL), 0, "rss-23.3 a UTF-8 feed that says ISO-8859-1");
	is_str(g.first.title, "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln \xE2\x80\x93 \xE2\x80\x9Cquoted\xE2\x80\x9D",
	       "rss-23.4 read as UTF-8");
	ok(has(warning, "declares the encoding ISO-8859-1"), "rss-23.5 the source's warning says so: %s",
	   warning);
	got_reset(&g);
	is_int(run_once(&s, "/files/invalid-utf8.xml", "", &g, &err, NULL, warning, sizeof warning, NULL),
	       0, "rss-23.6 invalid UTF-8 repaired");
	is_int(g.n_posts, 2, "rss-23.7 both items");
	ok(has(warning, "U+FFFD"), "rss-23.8 warned: %s", warning);

	/* ETag round trip on a file. */
	got_reset(&g);
	is_int(run_once(&s, "/files/rdf.xml", "", &g, &err, NULL, NULL, 0, NULL), 0, "rss-24.1 a file");
	{
		char cursor[SOURCE_CURSOR_MAX + 1];
		long before = fake_stat(&s, "not_modified");

		snprintf(cursor, sizeof cursor, "%s", g.cursor);
		ok(has(cursor, "\"etag\":\"\\\"f-"), "rss-24.2 its ETag in the cursor: %s", cursor);
		got_reset(&g);
		is_int(run_once(&s, "/files/rdf.xml", cursor, &g, &err, NULL, NULL, 0, NULL), 0,
		       "rss-24.3 again with the cursor");
		is_int(fake_stat(&s, "not_modified"), before + 1, "rss-24.4 answered 304");
		is_int(g.n_posts + g.n_commits, 0, "rss-24.5 nothing emitted or committed");
	}

	/* Faults. */
	server_fault(&s, "kind=429&retry=7");
	got_reset(&g);
	is_int(run_once(&s, "/feed.rss", "", &g, &err, &retry, NULL, 0, NULL), HORCH_ELIMIT,
	       "rss-25.1 429 is a rate limit");
	is_int(retry, 7, "rss-25.2 Retry-After: 7 is passed on");
	is_int(g.n_posts + g.n_commits, 0, "rss-25.3 nothing emitted or committed");
	server_fault(&s, "kind=503&retry=11");
	is_int(run_once(&s, "/feed.rss", "", &g, &err, &retry, NULL, 0, NULL), HORCH_ELIMIT,
	       "rss-25.4 503 with Retry-After is a rate limit");
	is_int(retry, 11, "rss-25.5 of 11 s");
	server_fault(&s, "kind=500");
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), HORCH_EIO,
	       "rss-25.6 500 is an I/O error");
	ok(has(err.msg, "HTTP 500"), "rss-25.7 named: %s", err.msg);
	is_int(run_once(&s, "/nothing.xml", "", &g, &err, NULL, NULL, 0, NULL), HORCH_ENOTFOUND,
	       "rss-25.8 404 is not found");

	{
		static const char *const fast[] = { "timeout", "1", NULL };
		int64_t t0 = horch_mono_ns();

		server_fault(&s, "kind=slow&ms=3000");
		is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, fast), HORCH_EIO,
		       "rss-25.9 an answer slower than the timeout setting is an I/O error");
		ok(horch_mono_ns() - t0 < 2500000000LL, "rss-25.10 after about the timeout (1 s)");
		server_fault(&s, "kind=slow&ms=300");
		is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, fast), 0,
		       "rss-25.11 a slow answer within the timeout is fine");
	}

	got_reset(&g);
	server_fault(&s, "kind=malformed");
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), HORCH_EPARSE,
	       "rss-26.1 a cut body is a parse error");
	ok(has(err.msg, "GET http://127.0.0.1:") && has(err.msg, "/feed.rss: not well-formed XML at line"),
	   "rss-26.2 naming the URL and the line: %s", err.msg);
	is_int(g.n_posts + g.n_commits, 0, "rss-26.3 nothing emitted or committed");
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), 0,
	       "rss-26.4 the next poll is fine");
	is_int(g.n_posts, 12, "rss-26.5 and gets every item");

	got_reset(&g);
	server_fault(&s, "kind=bomb");
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), HORCH_EPARSE,
	       "rss-26.6 an XML bomb is refused");
	ok(has(err.msg, "entity expansion"), "rss-26.7 for its entity expansion: %s", err.msg);
	server_fault(&s, "kind=html");
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), HORCH_EPARSE,
	       "rss-26.8 an HTML page is refused");
	ok(has(err.msg, "an HTML page (it names the feed http://127.0.0.1:"),
	   "rss-26.9 naming the feed it links to: %s", err.msg);
	server_fault(&s, "kind=notxml");
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), HORCH_EPARSE,
	       "rss-26.10 JSON is refused");
	server_fault(&s, "kind=big");
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), HORCH_ETOOBIG,
	       "rss-26.11 a body over 16 MiB is too big");
	{
		static const char *const small[] = { "max_bytes", "100000", NULL };

		server_fault(&s, "kind=big");
		is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, small), HORCH_ETOOBIG,
		       "rss-26.12 and over a max_bytes setting");
		ok(has(err.msg, "100000 bytes"), "rss-26.13 the cap in the message: %s", err.msg);
	}
	is_int(g.n_posts + g.n_commits, 0, "rss-26.14 none of them emitted or committed");

	/* A stop from the emit hook. */
	got_reset(&g);
	g.stop_after = 3;
	is_int(run_once(&s, "/feed.rss", "", &g, &err, NULL, NULL, 0, NULL), HORCH_ESTOP,
	       "rss-27.1 a stop while emitting ends the run");
	is_int(g.n_posts, 3, "rss-27.2 after three posts");
	is_int(g.n_commits, 0, "rss-27.3 without a commit");
	got_cleanup(&g);
	fake_stop(&s);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	horch_log_level = LOG_ERROR;
	buf_init(&warned, BUF_NOLIMIT);
	test_rss2();
	test_atom();
	test_encodings();
	test_decode();
	test_repairs();
	test_caps();
	test_opml();
	test_check();
	if (fake_find("feed_server", "FEED_SERVER") != 0) {
		tap_skip(1, "tests/tools/feed_server not built");
	} else {
		test_run_paging();
		test_run_formats();
	}
	buf_cleanup(&warned);
	return tap_done();
}
