-- 007_analysis.sql - what the enrich stage derives from each post, its
-- entities, and the product catalogue.
--
-- The derived columns are NULL for posts stored before this migration (and
-- for posts stored without analysis): "not analysed", never a guess.  Their
-- meaning is that of the fields of struct post (src/core/post.h); how they
-- are computed and how accurate they are is in docs/accuracy.md.  lang,
-- from 001, now holds the detected language (or the source's claim when
-- detection could not tell, or "und").

ALTER TABLE post ADD COLUMN lang_conf REAL;        -- 0..1; 0: lang not detected
ALTER TABLE post ADD COLUMN sentiment REAL;        -- -1..1
ALTER TABLE post ADD COLUMN sentiment_label TEXT
	CHECK (sentiment_label IN ('negative', 'neutral', 'positive'));
ALTER TABLE post ADD COLUMN sentiment_conf REAL;   -- 0..1
ALTER TABLE post ADD COLUMN needs_review INTEGER;  -- 1: sentiment unclear, for a person
ALTER TABLE post ADD COLUMN spam REAL;             -- 0..1
ALTER TABLE post ADD COLUMN is_spam INTEGER;       -- 1: kept out of metrics and feeds
ALTER TABLE post ADD COLUMN simhash INTEGER;       -- 64-bit SimHash, as a signed integer
ALTER TABLE post ADD COLUMN dup_of INTEGER;        -- id of the post this one nearly repeats
ALTER TABLE post ADD COLUMN intent TEXT
	CHECK (intent IN ('other', 'complaint', 'question', 'praise', 'purchase', 'idea'));
ALTER TABLE post ADD COLUMN reach REAL;            -- 0..10
ALTER TABLE post ADD COLUMN priority REAL;         -- 0..100

-- The near-duplicate index is rebuilt from the newest posts' fingerprints
-- when a pipeline starts: the rowid order is the order they were stored in.

-- Entities: one row per mention of a hashtag, handle, cashtag, URL host or
-- catalogue product in a post, clustered by post (WITHOUT ROWID, keyed by
-- the post and the place): a new post's entities are appended at the end
-- of the table, and a post's entities are one range of it.  There is no
-- index by value yet: each index is paid for on every insert, and only
-- the queries of "top hashtags" and "posts with #tag" need one; the
-- migration that brings those queries adds it.
CREATE TABLE entity (
	post_id    INTEGER NOT NULL,     -- post.id
	part       INTEGER NOT NULL,     -- 0: the title, 1: the text
	off        INTEGER NOT NULL,     -- byte offset in that part
	kind       TEXT NOT NULL
	           CHECK (kind IN ('hashtag', 'mention', 'cashtag', 'url', 'product')),
	len        INTEGER NOT NULL,     -- byte length
	value      TEXT NOT NULL,        -- folded tag or handle, upper-case ticker, host, product name
	product_id INTEGER,              -- product.id of a product
	PRIMARY KEY (post_id, part, off, kind)
) WITHOUT ROWID;

-- The product catalogue (horch product add).  name_key compares names as
-- topic names are compared (text_name_key()); aliases are a JSON array of
-- other spellings matched in text like the name.
CREATE TABLE product (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL UNIQUE,
	sku        TEXT,
	aliases    TEXT NOT NULL DEFAULT '[]',
	created_at INTEGER NOT NULL      -- ms UTC
);
