-- 005_topic_version.sql - the topics version, and names unique without
-- regard to case in every script.
--
-- A running import (or daemon) matches each post against a matcher built
-- from the topics when it started.  So that a topic added, changed or
-- deleted by another process meanwhile is seen by the posts committed
-- after it, the store counts every change to the set of topics in
-- topic_version.n, in the transaction of the change itself (the triggers
-- below: a new topic, a new name or query, a deleted topic).  The writer of
-- a pipeline reads the number inside each batch's transaction
-- (store_put_posts_at()): when it has moved, the batch is matched again
-- with a matcher rebuilt from the store before it is stored.  Counting
-- matches (n_matches) and history progress (matched_to) do not move it.
--
-- name_key is the name folded (NFC, Unicode case folding, accents removed:
-- horch_name_key(), a function the store registers on its connection), so
-- that "Über" and "über" are one topic as "Dell" and "dell" always were.
-- Topics saved before this migration get their key here; should two old
-- names fold to one key, the later one (by id) keeps a key of its own
-- (the folded name, a 0x01 byte and its id) and is found by its exact name.
--
-- Applied by src/store/store_sqlite.c inside one transaction together with
-- PRAGMA user_version = 5.  Do not edit a migration once it has shipped.

CREATE TABLE topic_version (
	n INTEGER NOT NULL  -- changes to the set of topics so far
);
INSERT INTO topic_version (n) VALUES (0);

CREATE TRIGGER topic_version_add AFTER INSERT ON topic
BEGIN
	UPDATE topic_version SET n = n + 1;
END;
CREATE TRIGGER topic_version_rm AFTER DELETE ON topic
BEGIN
	UPDATE topic_version SET n = n + 1;
END;
CREATE TRIGGER topic_version_edit AFTER UPDATE OF name, query ON topic
WHEN old.name IS NOT new.name OR old.query IS NOT new.query
BEGIN
	UPDATE topic_version SET n = n + 1;
END;

ALTER TABLE topic ADD COLUMN name_key TEXT;  -- horch_name_key(name)
UPDATE topic SET name_key = k.key || CASE WHEN k.rn > 1 THEN char(1) || topic.id ELSE '' END
FROM (SELECT id, horch_name_key(name) AS key,
	     row_number() OVER (PARTITION BY horch_name_key(name) ORDER BY id) AS rn
      FROM topic) AS k
WHERE k.id = topic.id;
CREATE UNIQUE INDEX topic_name_key ON topic (name_key);
