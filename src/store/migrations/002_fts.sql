-- 002_fts.sql - full-text search over title and text.
--
-- An FTS5 external-content table: the index refers to post rows by id and
-- keeps no copy of the text (content='post', content_rowid='id').  Its rows
-- are written by store_put_posts() itself, in the same transaction as the
-- post, and not by triggers, so that a store opened with opts.no_fts (the
-- import benchmark) can skip the index entirely.
--
-- unicode61 folds case and, with remove_diacritics 2, strips the accents of
-- every Latin letter: "munchen" finds "München", "cafe" finds "café".
-- Words are split on anything that is not a letter or digit; '#' and '@'
-- are separators, so "#dell" is found by "dell".

-- The author column is the index of author handles: store_search() never
-- matches the user's expression against it (it scopes that expression to
-- {title text}) and looks a handle up as a phrase ("jen_codes" is the
-- phrase "jen codes"), then compares post.author exactly.
CREATE VIRTUAL TABLE post_fts USING fts5(
	title,
	text,
	author,
	content = 'post',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

-- Index the posts a database already holds when it is migrated from
-- version 1.  On a new database this does nothing.
INSERT INTO post_fts (post_fts) VALUES ('rebuild');

-- Small facts about the store itself, as key/value rows.  Used keys:
--   fts_stale  '1' while posts exist that a store opened with no_fts wrote
--              without index rows; the next store_open() that maintains the
--              index rebuilds it and deletes the key.
CREATE TABLE store_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
