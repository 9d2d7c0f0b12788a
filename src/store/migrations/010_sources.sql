-- Sources (issue 6): the connectors horch serve runs, their cursors and
-- their health.
--
-- A source is a kind (the connector), a URL, a poll interval and the other
-- settings its connector reads (params, a JSON object of strings; a
-- credential is best given as "env:NAME").  cursor is the connector's own
-- text saying how far it has read; it is written in the same transaction
-- as the posts it covers (store_put_posts_marked()), so that a crash
-- neither loses nor repeats a post.  Sources of horch.conf are stored too
-- (from_config = 1) so that their cursor and health survive a restart.
CREATE TABLE source (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
	kind            TEXT NOT NULL,
	url             TEXT,
	interval        INTEGER NOT NULL DEFAULT 0,   -- seconds; 0: the kind's default
	enabled         INTEGER NOT NULL DEFAULT 1,
	from_config     INTEGER NOT NULL DEFAULT 0,
	params          TEXT NOT NULL DEFAULT '{}',
	cursor          TEXT NOT NULL DEFAULT '',
	cursor_epoch    INTEGER NOT NULL DEFAULT 0,   -- raised when the cursor is cleared: the
	                                              -- cursors a connector of the old settings
	                                              -- still hands on are then not stored
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,             -- the settings' last change
	-- health, as the runner reports it
	last_poll       INTEGER,                      -- the last fetch ended (or a stream reported)
	last_ok         INTEGER,                      -- the last fetch that succeeded
	last_post       INTEGER,                      -- the last new post stored
	last_error      TEXT,
	last_error_at   INTEGER,
	errors          INTEGER NOT NULL DEFAULT 0,   -- failed fetches in a row
	last_warning    TEXT,
	last_warning_at INTEGER,
	n_posts         INTEGER NOT NULL DEFAULT 0    -- new posts stored, ever
);

-- New posts, fetches and errors of each source per hour (hour: ms at the
-- hour's start): the baseline a source's posts per hour are held against.
CREATE TABLE source_hour (
	source  INTEGER NOT NULL,                     -- source.id
	hour    INTEGER NOT NULL,
	posts   INTEGER NOT NULL DEFAULT 0,
	fetches INTEGER NOT NULL DEFAULT 0,
	errors  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (source, hour)
) WITHOUT ROWID;

CREATE TRIGGER source_hours_gone AFTER DELETE ON source BEGIN
	DELETE FROM source_hour WHERE source = OLD.id;
END;

-- Alerts gain the kind "source": a source that errors or falls silent.
-- SQLite cannot change a CHECK constraint in place: the table is made
-- again with the rows copied.
CREATE TABLE alert_new (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	rule        TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('spike', 'shift', 'rating', 'resonance',
	                                          'unanswered', 'source')),
	key         TEXT NOT NULL,            -- "topic:3", "product:2", "team:care", "source:blog"
	topic_id    INTEGER,
	product_id  INTEGER,
	severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
	title       TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT '',
	evidence    TEXT NOT NULL DEFAULT '{}',
	recipients  TEXT NOT NULL DEFAULT '[]',
	state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acked', 'resolved')),
	at          INTEGER NOT NULL,
	last_at     INTEGER NOT NULL,
	fired       INTEGER NOT NULL DEFAULT 1,
	opened_at   INTEGER NOT NULL,
	acked_by    TEXT,
	acked_at    INTEGER,
	resolved_by TEXT,
	resolved_at INTEGER
);
INSERT INTO alert_new SELECT * FROM alert;
-- The ids of deleted alerts are not given again: the sequence goes along.
INSERT INTO sqlite_sequence (name, seq)
	SELECT 'alert_new', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'alert_new');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence
	WHERE name = 'alert'), 0)) WHERE name = 'alert_new';
DROP TABLE alert;
ALTER TABLE alert_new RENAME TO alert;
CREATE INDEX alert_key ON alert (key, rule, id);
CREATE INDEX alert_state ON alert (state, id);
