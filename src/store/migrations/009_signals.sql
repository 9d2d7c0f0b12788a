-- 009_signals.sql - what the signals and alerts of horch serve keep:
-- per-minute buckets of each topic and product (rolled up to hours and
-- days), the posts that wait for an answer, launches, alert rules made
-- through the API, alerts with their evidence, and their deliveries.
--
-- Times are milliseconds since the Unix epoch, UTC.  Applied by
-- src/store/store_sqlite.c inside one transaction together with PRAGMA
-- user_version = 9.  Do not edit a migration once it has shipped.

-- Buckets: the store adds each committed post to the buckets of every topic
-- it matched and every catalogue product it names, at three resolutions
-- (res: 60 s, 3,600 s and 86,400 s; t is the bucket's start, a multiple of
-- res from the epoch), in the transaction that stores the post.  A post's
-- time is its created_at, or its fetched_at when the source gave none.
-- Spam and near-duplicates are counted apart (spam, dups) and are in no
-- other column but the stars (a near-duplicate review is still a review):
-- volume and the figures after it are the conversation's own posts.  authors is a HyperLogLog sketch (256 one-byte registers, see
-- src/core/hll.h) of the posts' authors, so that buckets can be merged
-- into a count of unique authors over any span; NULL when no author.
-- WITHOUT ROWID, keyed as read: one subject's buckets of one resolution
-- over a span are one range.  Old minute buckets are deleted (the signal
-- engine keeps 35 days of them); hours and days stay.
CREATE TABLE bucket (
	scope         INTEGER NOT NULL CHECK (scope IN (0, 1)), -- 0: topic, 1: product
	ref           INTEGER NOT NULL,   -- topic.id or product.id
	res           INTEGER NOT NULL CHECK (res IN (60, 3600, 86400)),
	t             INTEGER NOT NULL,   -- ms UTC
	volume        INTEGER NOT NULL DEFAULT 0,
	positive      INTEGER NOT NULL DEFAULT 0,
	neutral       INTEGER NOT NULL DEFAULT 0,
	negative      INTEGER NOT NULL DEFAULT 0,
	sentiment_sum REAL NOT NULL DEFAULT 0,   -- sum of the posts' scores (-1..1)
	reach         REAL NOT NULL DEFAULT 0,   -- sum of the authors' followers
	complaints    INTEGER NOT NULL DEFAULT 0, -- intent complaint
	questions     INTEGER NOT NULL DEFAULT 0, -- intent question
	rating_sum    REAL NOT NULL DEFAULT 0,    -- stars of the reviews
	rating_n      INTEGER NOT NULL DEFAULT 0, -- reviews with stars
	spam          INTEGER NOT NULL DEFAULT 0,
	dups          INTEGER NOT NULL DEFAULT 0,
	authors       BLOB,
	PRIMARY KEY (scope, ref, res, t)
) WITHOUT ROWID;
-- The buckets of one resolution over a span, every subject (the signal
-- engine's warm-up, the ageing of minute buckets).  A row's index entry is
-- written once, when the row is made; updates do not touch it.
CREATE INDEX bucket_time ON bucket (res, t);

-- How far store_signals_update() has read: the id of the last post it
-- added to the buckets and answers.  0 in a database upgraded to 9, so
-- that the posts stored before are counted by the first calls.
-- newest: the start of the newest minute bucket written, from which old
-- minute buckets are aged out; purged: the day that was last done.
CREATE TABLE signal_mark (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	post_id INTEGER NOT NULL,
	newest  INTEGER NOT NULL DEFAULT 0,
	purged  INTEGER NOT NULL DEFAULT 0,
	-- The company's accounts of the last reader that knew them (horch serve's
	-- [answers] accounts), JSON: a reader that does not (horch launch show)
	-- answers posts with them all the same.
	accounts TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO signal_mark (id, post_id) VALUES (1, 0);

-- Topics whose matches changed outside the live path (a backfill, a
-- rematch): their buckets are rebuilt by the next store_signals_update().
CREATE TABLE bucket_stale (
	topic_id INTEGER PRIMARY KEY
);

-- A deleted topic or product leaves no buckets behind.
CREATE TRIGGER topic_buckets_gone AFTER DELETE ON topic BEGIN
	DELETE FROM bucket WHERE scope = 0 AND ref = OLD.id;
	DELETE FROM bucket_stale WHERE topic_id = OLD.id;
	DELETE FROM launch WHERE topic_id = OLD.id;
END;
CREATE TRIGGER product_buckets_gone AFTER DELETE ON product BEGIN
	DELETE FROM bucket WHERE scope = 1 AND ref = OLD.id;
END;

-- The posts that need an answer: a complaint or a question that is not
-- spam, not a repost and not written by one of the company's own accounts
-- (serve's [answers] accounts).  A reply of one of those accounts to it
-- (post.parent is its external id at the same source) answers it, and so
-- does a person marking it answered (POST /api/posts/{id}/answered).
-- alerted: an "unanswered" alert has named it already.
CREATE TABLE answer (
	post_id     INTEGER PRIMARY KEY,      -- post.id
	created_at  INTEGER NOT NULL,         -- the post's time
	priority    REAL NOT NULL DEFAULT 0,  -- post.priority
	answered_at INTEGER,                  -- the first answer's time; NULL: none yet
	answered_by TEXT,                     -- the account or the user
	reply_id    INTEGER,                  -- the answering post; NULL when marked
	alerted     INTEGER NOT NULL DEFAULT 0
);
-- The posts not yet named by an alert, by time: what the check of the SLA
-- reads (the last 7 days of it).
CREATE INDEX answer_waiting ON answer (created_at) WHERE alerted = 0;

-- Launches (horch launch add): a topic and the moment its product was
-- launched; the scorecard is computed from the buckets and the posts.
CREATE TABLE launch (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
	topic_id   INTEGER NOT NULL,          -- topic.id
	at         INTEGER NOT NULL,          -- the launch
	created_at INTEGER NOT NULL
);

-- Alert rules made through the API (those of horch.conf are not stored).
-- spec is the rule as JSON, as GET /api/alert-rules gives it.
CREATE TABLE alert_rule (
	name       TEXT PRIMARY KEY COLLATE NOCASE,
	spec       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- Alerts.  One incident is one row: while an alert of the same rule and
-- subject (key) is open, a signal that fires again bumps fired and
-- last_at instead of opening another.  at is the signal's time (the
-- stream's time, which a replay sets), opened_at the server's.  evidence
-- is JSON: the chart window, the top posts, the top terms.
CREATE TABLE alert (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	rule        TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('spike', 'shift', 'rating', 'resonance',
	                                          'unanswered')),
	key         TEXT NOT NULL,            -- "topic:3", "product:2", "team:care"
	topic_id    INTEGER,
	product_id  INTEGER,
	severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
	title       TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT '',
	evidence    TEXT NOT NULL DEFAULT '{}',
	recipients  TEXT NOT NULL DEFAULT '[]', -- JSON array of user names and teams
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
CREATE INDEX alert_key ON alert (key, rule, id);
CREATE INDEX alert_state ON alert (state, id);

-- Each delivery of an alert (a webhook, an e-mail): its outcome.
CREATE TABLE alert_delivery (
	id        INTEGER PRIMARY KEY,
	alert_id  INTEGER NOT NULL,           -- alert.id
	channel   TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
	target    TEXT NOT NULL,              -- the URL without its query, or the addresses
	state     TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'held')),
	attempts  INTEGER NOT NULL DEFAULT 0,
	error     TEXT,
	at        INTEGER NOT NULL            -- last change
);
CREATE INDEX alert_delivery_alert ON alert_delivery (alert_id);
