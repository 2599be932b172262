import type { Database } from 'better-sqlite3';

/**
 * The insights schema, one migration per version. `PRAGMA user_version` holds the version a file is at;
 * migrations run in order at start, inside one IMMEDIATE transaction that re-reads the version, so two
 * shards starting together migrate a new file once. Never edit a migration that has shipped: add one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: answers, the sentences they quoted, and the votes on them.
  `
  CREATE TABLE answers (
    id             INTEGER PRIMARY KEY,
    guild_id       TEXT    NOT NULL,
    channel_id     TEXT    NOT NULL,
    asked_at       INTEGER NOT NULL,            -- Unix time in ms
    via            TEXT    NOT NULL CHECK (via IN ('slash', 'mention', 'other')),
    question       TEXT    NOT NULL,
    answered       INTEGER NOT NULL CHECK (answered IN (0, 1)),
    confident      INTEGER          CHECK (confident IN (0, 1)),   -- NULL: the engine did not say
    decline_reason TEXT
  );
  CREATE INDEX answers_by_guild_time ON answers (guild_id, asked_at);
  CREATE INDEX answers_by_time ON answers (asked_at);

  CREATE TABLE quotes (
    answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    rank      INTEGER NOT NULL,                 -- 1 = the sentence shown first
    source    TEXT    NOT NULL,                 -- the article's id (its file name)
    title     TEXT    NOT NULL,
    sentence  INTEGER NOT NULL,                 -- 1-based sentence number in the article
    text      TEXT    NOT NULL,
    PRIMARY KEY (answer_id, rank)
  ) WITHOUT ROWID;
  CREATE INDEX quotes_by_source ON quotes (source);

  CREATE TABLE votes (
    answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    voter     TEXT    NOT NULL,                 -- keyed hash of (answer, member): see voter.ts
    vote      INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    voted_at  INTEGER NOT NULL,
    PRIMARY KEY (answer_id, voter)
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The file was written by a newer version of the bot: it is left untouched. */
export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`its schema is version ${found}, newer than this bot's ${SCHEMA_VERSION}; upgrade the bot or move the file away`);
    this.name = 'NewerSchemaError';
  }
}

/** Brings the file to SCHEMA_VERSION. Throws NewerSchemaError, or the SQLite error that stopped it (nothing half-done). */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current === SCHEMA_VERSION) return;
  if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
    for (let next = version; next < SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
