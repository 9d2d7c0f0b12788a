/* rss.h - the RSS and Atom connector's parsers (rss.c), private to
 * src/ingest/, `horch source import-opml` (src/cli/cmd_source.c), and the
 * tests, fuzz target and benchmark of the connector.
 *
 * Both parsers are pure functions of the bytes they are given: no network,
 * no files, no globals that change.  They read the body in two steps:
 *
 *   1. rss_decode() turns the body into well-formed-as-can-be UTF-8 XML:
 *      it picks the encoding (a byte order mark, else the XML declaration,
 *      else the HTTP charset, else UTF-8; a declaration that the bytes
 *      contradict loses: see rss_decode()), transcodes, and repairs what
 *      publishers commonly get wrong (invalid UTF-8, control characters,
 *      a bare '&', HTML entity names such as &nbsp;).  Every repair is
 *      counted and reported.
 *   2. libxml2's SAX2 push parser reads the result with the network off, no
 *      DTD loaded, no external entity resolved and entity expansion
 *      capped (RSS_EXPANSION_MAX); any remaining well-formedness error
 *      fails the parse with HORCH_EPARSE naming the line and column.
 *
 * Any thread may call them; each call keeps its state on its own. */
#ifndef HORCH_RSS_H
#define HORCH_RSS_H

#include <stddef.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"

#define RSS_ITEMS_MAX 10000u            /* items (entries) read from one feed */
#define RSS_DOC_MAX (64u * 1024 * 1024) /* bytes of a body once decoded and repaired */
#define RSS_EXPANSION_MAX (1024u * 1024) /* bytes that entity references may add */
#define RSS_ENTITIES_MAX 64u            /* entity declarations in a document */
#define OPML_FEEDS_MAX 10000u           /* outlines of one OPML file */

/* The format of a feed, as its root element says. */
enum rss_format {
	RSS_FORMAT_NONE = 0,
	RSS_FORMAT_RSS2,   /* <rss> (RSS 0.91 to 2.0) */
	RSS_FORMAT_RSS1,   /* <rdf:RDF> (RSS 0.90 and 1.0) */
	RSS_FORMAT_ATOM,   /* <feed> (Atom 1.0, also the older 0.3) */
};

/* What rss_decode() did to the body, for the caller's warning. */
struct rss_decode_info {
	char encoding[32];     /* the encoding the bytes were read as: "UTF-8", "windows-1252", ... */
	char declared[32];     /* the XML declaration's encoding, "" when none */
	const char *why;       /* how the encoding was chosen: "byte order mark", "XML declaration", ... */
	int lie;               /* 1: a declared encoding was overruled by the bytes */
	size_t n_invalid;      /* bytes or sequences not valid in the encoding: now U+FFFD */
	size_t n_controls;     /* characters XML does not allow (C0 controls, U+FFFE): now U+FFFD */
	size_t n_amps;         /* bare '&' written as &amp; */
	size_t n_entities;     /* HTML entity names (&nbsp;) written as character references */
	long lines_dropped;    /* line breaks removed before the XML declaration */
};

/* Decode body[0..len) into out (which must be initialised; its content is
 * replaced) as UTF-8 XML without a byte order mark, choosing the encoding
 * in this order:
 *   1. a byte order mark (UTF-8, UTF-16 LE/BE), or the UTF-16 form of
 *      "<?" without one;
 *   2. the encoding of the XML declaration;
 *   3. the charset parameter of content_type (the HTTP header; may be NULL);
 *   4. UTF-8.
 * A declared (2 or 3) encoding loses to the bytes when they contradict it:
 * a single-byte or legacy encoding whose bytes are valid UTF-8 with at
 * least one multi-byte sequence is read as UTF-8; "UTF-16" declared in
 * bytes that read as ASCII is read as UTF-8; an unknown encoding is read
 * as UTF-8; and UTF-8 (declared or assumed) with invalid bytes and not one
 * valid multi-byte sequence is read as windows-1252.  Otherwise invalid
 * sequences become U+FFFD.  ISO-8859-1 and US-ASCII are read as
 * windows-1252, as browsers do.
 *
 * Returns 0 and fills info, or HORCH_ETOOBIG when the result would pass
 * RSS_DOC_MAX. */
int rss_decode(const char *body, size_t len, const char *content_type, struct buf *out,
	       struct rss_decode_info *info, struct horch_err *err);

/* How to read one feed. */
struct rss_opts {
	const char *feed_url;     /* the configured URL: prefixes ids that are not URIs; may be NULL */
	const char *base_url;     /* relative links resolve against it (the URL after
				   * redirects); NULL: feed_url */
	const char *content_type; /* the HTTP Content-Type (its charset); may be NULL */
	size_t max_items;         /* 0: RSS_ITEMS_MAX; at most RSS_ITEMS_MAX */
	/* Called once per repair of the body and per skipped item, with a
	 * one-line message; NULL: not told. */
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
};

/* A feed read by rss_parse(). */
struct rss_feed {
	int format;               /* enum rss_format */
	char *title;              /* the feed's title, or NULL */
	struct post **posts;      /* the items as posts, in document order; owned here */
	size_t n_posts;
	size_t posts_cap;         /* allocated entries of posts */
	size_t n_items;           /* items seen, including skipped ones */
	size_t n_skipped;         /* items skipped (duplicate, empty, over max_items) */
	size_t n_cut;             /* fields cut to their caps */
	size_t n_bad_dates;       /* items whose date could not be read */
	struct rss_decode_info decode; /* what decoding the body did */
};

void rss_feed_init(struct rss_feed *f);
/* Frees the posts still held in f->posts (a NULL entry is one handed
 * on) and the title.  NULL-safe; re-inits. */
void rss_feed_cleanup(struct rss_feed *f);

/* Read the RSS 2.0, RSS 1.0 or Atom feed body[0..len) into out (freshly
 * initialised).  Each item becomes a post: source "rss"; external_id the
 * guid, else (RSS 1.0) rdf:about, (Atom) the id, else the link, else a
 * hash of the title, date and content, with "FEED_URL#" before any id that
 * is not an absolute URI; url the link (http or https only) resolved
 * against xml:base and base_url; title as text; html the fuller of the
 * content (content:encoded, Atom content) and the description (Atom
 * summary), or text for Atom type="text"; author and author_name the
 * dc:creator, Atom author name or RSS author; created_at the pubDate,
 * dc:date, published or updated; lang the primary subtag of the item's
 * xml:lang or the feed's language; kind POST.  Fields are cut to
 * POST_FIELD_MAX (html and text: POST_TEXT_MAX), not refused.  An item
 * with the id of an earlier one or without title and content is skipped
 * (o->warn is told); items after o->max_items are ignored.
 *
 * Returns 0 with the posts in out, or, with out emptied of posts:
 * HORCH_EPARSE when the body is not XML, not a feed (an HTML page names
 * the feed it links to, if any), declares nested or too many entities, or
 * is not well-formed after the repairs (err->line and err->col say where,
 * in the decoded text); HORCH_ETOOBIG when entity expansion passes
 * RSS_EXPANSION_MAX ("entity expansion" in the message) or the decoded
 * body passes RSS_DOC_MAX. */
int rss_parse(const char *body, size_t len, const struct rss_opts *o, struct rss_feed *out,
	      struct horch_err *err);

/* Read the OPML document body[0..len) (the same decoding and safe XML as
 * rss_parse()) and call fn once per outline with an xmlUrl attribute, at
 * any depth, in document order: title is its title attribute, else its
 * text attribute, else NULL; html_url its htmlUrl or NULL.  Outlines whose
 * type is set to something other than "rss", "atom" or "feed" are passed
 * over.  The strings are valid during the call only.
 *
 * Returns 0; fn's nonzero result (then no more calls); HORCH_EPARSE when
 * the body is not XML or its root is not <opml> (err->line says where);
 * HORCH_ETOOBIG when there are more than OPML_FEEDS_MAX feeds or an
 * xmlUrl is longer than POST_FIELD_MAX. */
int opml_parse(const char *body, size_t len,
	       int (*fn)(void *ctx, const char *title, const char *xml_url, const char *html_url),
	       void *ctx, struct horch_err *err);

#endif
