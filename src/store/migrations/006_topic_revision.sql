-- 006_topic_revision.sql - a revision per topic, and name keys that ignore
-- the kind of space.
--
-- A history pass (store_put_history()) reads the topics, builds a matcher
-- and then matches the stored posts chunk by chunk for minutes.  Should the
-- topic's query change meanwhile, or the query of a topic it refers to
-- with topic:NAME, the pass's matches are of a query that no longer holds.
-- matched_to alone cannot tell: a change sets it back to 0, and a stale
-- pass on its first chunk starts from 0 as well.  So every topic has a
-- revision, raised in the transaction that gives it a new query, clears
-- its matches, or changes a topic it refers to (store_topic_save_many(),
-- store_topic_delete(), store_topic_clear_matches()).  A pass carries the
-- revision of each topic it was built for, and a chunk stores nothing for
-- a topic whose revision has moved.
--
-- name_key is computed again: a name's key now maps every Unicode space to
-- an ASCII space, collapses runs of spaces and trims them at the ends, so
-- that "a b", "a<NO-BREAK SPACE>b" and "a<THIN SPACE>b" are one name.
-- Should two stored names now fall on one key, the later one (by id) keeps
-- a key of its own (the key, a 0x01 byte and its id) as in 005; the store
-- logs both names when it migrates, and renaming one of them fixes it.
--
-- Applied by src/store/store_sqlite.c inside one transaction together with
-- PRAGMA user_version = 6.  Do not edit a migration once it has shipped.

ALTER TABLE topic ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

DROP INDEX topic_name_key;
UPDATE topic SET name_key = k.key || CASE WHEN k.rn > 1 THEN char(1) || topic.id ELSE '' END
FROM (SELECT id, horch_name_key(name) AS key,
	     row_number() OVER (PARTITION BY horch_name_key(name) ORDER BY id) AS rn
      FROM topic) AS k
WHERE k.id = topic.id;
CREATE UNIQUE INDEX topic_name_key ON topic (name_key);
