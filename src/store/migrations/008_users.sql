-- 008_users.sql - who may use `horch serve`: users, their sessions, API
-- tokens, and the topics each user subscribes to.
--
-- The store hashes nothing: src/http/auth.c hands it an Argon2id string for
-- a password and a BLAKE2b hash (64 hex digits) of each session cookie and
-- API token, so a copy of the database signs nobody in.  Times are
-- milliseconds since the Unix epoch, UTC.
--
-- The table of users is "users", not "user": USER is a reserved word of
-- SQL (PostgreSQL refuses it as a table name), and the schema is to be
-- portable to the PostgreSQL backend.
--
-- Applied by src/store/store_sqlite.c inside one transaction together with
-- PRAGMA user_version = 8.  Do not edit a migration once it has shipped.

CREATE TABLE users (
	id          INTEGER PRIMARY KEY AUTOINCREMENT, -- store_user.id; never given again
	name        TEXT NOT NULL,                -- as given (1..64 bytes of UTF-8)
	-- Unique as topic and product names are (horch_name_key(): case folded,
	-- accents removed), so that "Ada" and "ada" cannot be two people and a
	-- name cannot be imitated with a look-alike spelling.
	name_key    TEXT NOT NULL UNIQUE,
	role        TEXT NOT NULL CHECK (role IN ('viewer', 'agent', 'analyst', 'admin')),
	pw_hash     TEXT NOT NULL,                -- crypto_pwhash_str() output (Argon2id)
	must_change INTEGER NOT NULL DEFAULT 0,   -- 1: a one-time password, to be changed
	created_at  INTEGER NOT NULL,             -- ms UTC
	disabled    INTEGER NOT NULL DEFAULT 0    -- 1: may not sign in
);

-- API tokens (horch token create): a wall screen's viewer token, a script's
-- analyst token.  A revoked token stays listed (revoked_at set) so that the
-- administrator sees what existed; it signs nobody in.
CREATE TABLE tokens (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	hash         TEXT NOT NULL UNIQUE,        -- hex BLAKE2b-256 of the token
	role         TEXT NOT NULL CHECK (role IN ('viewer', 'agent', 'analyst', 'admin')),
	label        TEXT NOT NULL DEFAULT '',    -- what the token is for ("wall 3")
	created_at   INTEGER NOT NULL,            -- ms UTC
	last_used_at INTEGER,                     -- ms UTC; NULL: never used
	revoked_at   INTEGER                      -- ms UTC; NULL: valid
);

-- Signed-in browsers.  The key is the hash of the cookie value.  A session
-- belongs either to a user (a password login) or to a token (a wall screen
-- that traded its token for a cookie); deleting the user or the token ends
-- its sessions.
CREATE TABLE sessions (
	hash        TEXT PRIMARY KEY,             -- hex BLAKE2b-256 of the cookie value
	user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
	token_id    INTEGER REFERENCES tokens (id) ON DELETE CASCADE,
	csrf        TEXT NOT NULL,                -- the X-CSRF-Token value of the session
	created_at  INTEGER NOT NULL,             -- ms UTC
	expires_at  INTEGER NOT NULL,             -- ms UTC; extended while in use
	CHECK ((user_id IS NULL) <> (token_id IS NULL))
) WITHOUT ROWID;

-- "End every session of this user" (a password change, a removal) and the
-- purge of expired sessions.
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_token ON sessions (token_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- The topics a user follows (the "radio" of DESIGN.md).  A topic's id is
-- its rowid (003_topics.sql): deleting the topic or the user deletes the
-- subscription with it.
CREATE TABLE subscriptions (
	user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	topic_id    INTEGER NOT NULL REFERENCES topic (id) ON DELETE CASCADE,
	created_at  INTEGER NOT NULL,             -- ms UTC
	PRIMARY KEY (user_id, topic_id)
) WITHOUT ROWID;

-- The cascade from topic looks subscriptions up by topic.
CREATE INDEX subscriptions_topic ON subscriptions (topic_id);
