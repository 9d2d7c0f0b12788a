-- 001_init.sql - the post table: one row per post heard from one source.
--
-- Every field of struct post (src/core/post.h) has a column here, except
-- html, which is input only: the normalise stage turns it into text and it
-- is never stored.  Times are milliseconds since the Unix epoch, UTC.  A
-- value the source did not give is NULL (an unknown time, count or rating);
-- author_verified and n_repaired are never unknown.
--
-- Applied by src/store/store_sqlite.c inside one transaction together with
-- PRAGMA user_version = 1.  Do not edit a migration once it has shipped:
-- add a new numbered file instead (see docs/internals/store.md).

CREATE TABLE post (
	id               INTEGER PRIMARY KEY,  -- post->id; the rowid
	source           TEXT NOT NULL,        -- "twitter", "rss", "mastodon", ...
	external_id      TEXT NOT NULL,        -- the post's id at its source
	url              TEXT,
	author           TEXT,                 -- handle, without a leading '@'
	author_name      TEXT,
	author_followers INTEGER,              -- NULL: unknown
	author_verified  INTEGER NOT NULL DEFAULT 0
	                 CHECK (author_verified IN (0, 1)),
	created_at       INTEGER,              -- ms UTC; NULL: unknown
	fetched_at       INTEGER NOT NULL,     -- ms UTC
	title            TEXT,
	text             TEXT,                 -- plain text, UTF-8 NFC
	lang             TEXT,                 -- ISO 639-1 as the source gave it
	parent           TEXT,                 -- external_id of the parent post
	kind             TEXT NOT NULL DEFAULT 'post'
	                 CHECK (kind IN ('post', 'reply', 'repost', 'review', 'comment')),
	rating           REAL,                 -- stars 0..5 of a review; NULL: none
	product          TEXT,
	likes            INTEGER,              -- engagement counts; NULL: unknown
	reposts          INTEGER,
	replies          INTEGER,
	views            INTEGER,
	country          TEXT,                 -- ISO 3166-1 alpha-2, upper case
	n_repaired       INTEGER NOT NULL DEFAULT 0,
	-- A post is stored once: store_put_posts() inserts with
	-- ON CONFLICT (source, external_id) DO NOTHING.
	UNIQUE (source, external_id)
);

-- Search results and the day statistics are ordered by time.  Every index
-- ends with the rowid, so this index is ordered by (created_at, id), the
-- exact order of store_search() read backwards.  NULL sorts first, so a
-- backward scan yields the posts of unknown time last.
CREATE INDEX post_created ON post (created_at);

-- The filters of store_search() and store_stats().  Each ends with
-- created_at so that "the newest posts of one source" is a range of the
-- index in result order, with no sort.
CREATE INDEX post_source ON post (source, created_at);
CREATE INDEX post_lang ON post (lang, created_at);
-- Authors have no B-tree index: handles arrive in random order, so every
-- insert would dirty a different page of it, and that index alone cost a
-- fifth of import speed.  The author is indexed in the full-text index
-- instead (post_fts.author, 002_fts.sql), whose segments are written in
-- sorted runs; store_search() finds candidates there and compares the
-- handle exactly.
