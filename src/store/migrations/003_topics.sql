-- 003_topics.sql - topics (named, saved queries) and their matches.
--
-- A topic is a query in the language of docs/query-language.md, saved under
-- a name.  The matcher (src/query/match.h) matches every stored post against
-- every topic; each hit is one row of match, with the byte spans of the
-- terms that satisfied the query.  The store keeps the spans as opaque JSON
-- text.  Times are milliseconds since the Unix epoch, UTC.
--
-- Foreign keys: the store runs with PRAGMA foreign_keys = ON, but match
-- declares no REFERENCES on purpose.  A reference is checked on every
-- insert (two more B-tree lookups per match row, at about 28 rows per post
-- on the import path), and the store writes both tables itself: deleting a
-- topic deletes its matches in the same transaction, and a match is only
-- written for a post of the same batch or one looked up by id.  See
-- docs/internals/store.md.
--
-- Applied by src/store/store_sqlite.c inside one transaction together with
-- PRAGMA user_version = 3.  Do not edit a migration once it has shipped.

CREATE TABLE topic (
	-- AUTOINCREMENT: an id is never given again after its topic is
	-- deleted.  A matcher built before a deletion may still report the old
	-- id; the store then drops those matches (the topic is gone) instead of
	-- filing them under a new topic that happens to get the same id.
	id          INTEGER PRIMARY KEY AUTOINCREMENT, -- store_topic.id; the rowid
	-- Unique without regard to ASCII case: "Dell" and "dell" are one topic,
	-- because people type names on a command line and in query references
	-- (topic:NAME), and two topics told apart only by case would be a trap.
	-- The unique index is also the "name order" of store_topic_list().
	name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
	query       TEXT NOT NULL,                -- as the user wrote it
	team        TEXT,                         -- owner team; NULL: none
	color       TEXT,                         -- display colour ("#d32f2f"); NULL: none
	created_at  INTEGER NOT NULL,             -- ms UTC
	updated_at  INTEGER NOT NULL,             -- ms UTC of the last change
	-- The number of rows of match with this topic_id, kept by the store in
	-- the transaction that changes them, so that the topic list does not
	-- count millions of rows.
	n_matches   INTEGER NOT NULL DEFAULT 0
);

-- One row per (topic, post) that matched.  created_at is a copy of the
-- post's created_at (posts are never changed once stored, so the copy never
-- goes stale), with an unknown time stored as -9223372036854775808
-- (HORCH_TIME_NONE, the smallest integer) because a column of the primary
-- key of a WITHOUT ROWID table cannot be NULL; it also sorts the posts of
-- unknown time last in a descending scan, as store_search() wants them.
--
-- The key (topic_id, created_at, post_id) is the order of store_search()
-- within one topic read backwards, so "the newest posts of topic T" and its
-- keyset cursor are one range of the table itself, with no sort, and "posts
-- per day of topic T" reads only this table.  (topic_id, post_id) is unique
-- too, because created_at is a function of post_id.  WITHOUT ROWID: the
-- rows are stored in key order, with no separate rowid B-tree to write.
CREATE TABLE match (
	topic_id    INTEGER NOT NULL,             -- topic.id
	created_at  INTEGER NOT NULL,             -- post.created_at; HORCH_TIME_NONE: unknown
	post_id     INTEGER NOT NULL,             -- post.id
	spans       TEXT,                         -- JSON [[part,off,len],...]; NULL: none kept
	PRIMARY KEY (topic_id, created_at, post_id)
) WITHOUT ROWID;

-- "Which topics did this post match", and the lookup of one (post, topic)
-- pair when a search with a topic starts from the full-text index.  An
-- index of a WITHOUT ROWID table ends with the primary key, so this holds
-- (post_id, topic_id, created_at).  UNIQUE states the rule above outright:
-- a post matches a topic once.  Post ids only grow, so on import the index
-- is written at its end.
CREATE UNIQUE INDEX match_post ON match (post_id, topic_id);
