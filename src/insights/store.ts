import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { migrate, NewerSchemaError } from './schema';
import type { AnswerRecord, AskedVia, InsightsStatus, QuotedSentence, RecordedAnswer, Vote, VoteResult } from './types';
import { VoterKey } from './voter';

export const DEFAULT_RETENTION_DAYS = 90;
/** How long a write waits for another process (a shard, the CLI) holding the lock before it gives up. */
export const DEFAULT_BUSY_TIMEOUT_MS = 1_000;
/** The most answers one read returns (the newest), so a huge server cannot make /insights slow. */
export const DEFAULT_READ_LIMIT = 50_000;
const DAY_MS = 86_400_000;

export interface InsightsStoreOptions {
  /** The database file, DATA_DIR/bot.sqlite; its folder is created when missing. */
  path: string;
  /** The voter key file (see voter.ts); default `insights.key` beside `path`. */
  keyPath?: string;
  /** Answers (with their quotes and votes) older than this many days are deleted at open and by purgeExpired(); default 90. */
  retentionDays?: number;
  /** One warning when the store stops working, one info line when it works again. */
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** Default DEFAULT_BUSY_TIMEOUT_MS. */
  busyTimeoutMs?: number;
  /** The clock, for tests (Unix ms). */
  now?: () => number;
}

interface AnswerRow {
  id: number;
  guild_id: string;
  channel_id: string;
  asked_at: number;
  via: AskedVia;
  question: string;
  answered: 0 | 1;
  confident: 0 | 1 | null;
  decline_reason: string | null;
  up: number;
  down: number;
}

interface QuoteRow extends QuotedSentence {
  answer_id: number;
}

export type ReadResult = { ok: true; answers: RecordedAnswer[] } | { ok: false; reason: string };

/** Why SQLite (or the file system) refused, in words a moderator can act on. */
export function describeFailure(error: unknown, path: string): string {
  if (error instanceof NewerSchemaError) return `${path}: ${error.message}`;
  const code = (error as { code?: unknown }).code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `${path} is damaged (${detail}); move it away and restart to start a new one`;
    case 'SQLITE_READONLY':
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return `${path} cannot be written (${detail})`;
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return `${path} is locked by another process (${detail})`;
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return `the disk holding ${path} is full`;
    case 'SQLITE_CANTOPEN':
    case 'ENOTDIR':
    case 'EISDIR':
      return `${path} cannot be opened (${detail})`;
    default:
      return `${path}: ${detail}`;
  }
}

/**
 * Questions, answers and votes in a SQLite file (WAL, so shards and the CLI read while one writes).
 * Never the reason an answer fails: every method catches what SQLite throws, logs it once, and returns
 * "not recorded" or a reason; recording resumes by itself when the file works again.
 */
export class InsightsStore {
  private db: Database.Database | undefined;
  private key: VoterKey | undefined;
  private statusNow: InsightsStatus;
  private statements: ReturnType<typeof prepare> | undefined;
  private readonly retentionDays: number;
  private readonly now: () => number;

  private constructor(
    private readonly options: InsightsStoreOptions | undefined,
    status: InsightsStatus,
  ) {
    this.statusNow = status;
    this.retentionDays = options?.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.now = options?.now ?? Date.now;
  }

  /** INSIGHTS=false: records nothing, opens nothing. */
  static off(): InsightsStore {
    return new InsightsStore(undefined, { state: 'off' });
  }

  /** Opens (creating, migrating and purging as needed). Never throws: a file that cannot be used gives an 'unavailable' store. */
  static open(options: InsightsStoreOptions): InsightsStore {
    const { path } = options;
    const store = new InsightsStore(options, { state: 'ready', path });
    try {
      mkdirSync(dirname(path), { recursive: true });
      store.key = VoterKey.load(options.keyPath ?? join(dirname(path), 'insights.key'));
      const db = new Database(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
      store.db = db;
      // WAL: readers never block the writer; NORMAL sync is durable across a crash of the process, and
      // may lose the last commits only on power loss, an acceptable trade for answer statistics.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      store.statements = prepare(db);
      store.purgeExpired();
    } catch (error) {
      const reason = describeFailure(error, path);
      store.closeQuietly();
      store.statusNow = { state: 'unavailable', path, reason };
      options.logger?.warn({ path, reason }, 'insights database unavailable; answering goes on without recording');
    }
    return store;
  }

  /**
   * For the CLI: reads the file a running bot writes, without creating, migrating or purging it.
   * Throws an Error saying why when it cannot.
   */
  static openForReading(path: string): InsightsStore {
    if (!existsSync(path)) {
      throw new Error(`no insights database at ${path}: the bot creates it when it first answers with INSIGHTS on (set DATA_DIR, or --db)`);
    }
    const store = new InsightsStore({ path }, { state: 'ready', path });
    try {
      const db = new Database(path, { readonly: true, fileMustExist: true, timeout: DEFAULT_BUSY_TIMEOUT_MS });
      store.db = db;
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === 0) throw new Error(`${path} holds no insights yet (its schema was never created)`);
      store.statements = prepare(db);
    } catch (error) {
      store.closeQuietly();
      throw new Error(describeFailure(error, path), { cause: error });
    }
    return store;
  }

  status(): InsightsStatus {
    return this.statusNow;
  }

  /** True when answers are being recorded (a vote button makes sense). */
  get recording(): boolean {
    return this.statusNow.state === 'ready';
  }

  /** Stores one answer with its quotes; returns its row id, or undefined when it was not recorded. */
  record(entry: AnswerRecord): number | undefined {
    return this.write((s) => {
      const id = Number(
        s.insertAnswer.run({
          guild_id: entry.guildId,
          channel_id: entry.channelId,
          asked_at: (entry.askedAt?.getTime() ?? this.now()),
          via: entry.via,
          question: entry.question,
          answered: entry.answered ? 1 : 0,
          confident: entry.confident === undefined ? null : entry.confident ? 1 : 0,
          decline_reason: entry.declineReason ?? null,
        }).lastInsertRowid,
      );
      entry.quotes.forEach((quote, index) => s.insertQuote.run({ answer_id: id, rank: index + 1, ...quote }));
      return id;
    }, true);
  }

  /** A member's vote on an answer of their own server: recorded once, and changed when they vote again. */
  vote(answerId: number, guildId: string, userId: string, vote: Vote): VoteResult {
    if (this.statusNow.state === 'off') return { kind: 'unavailable', reason: 'insights are turned off (INSIGHTS=false)' };
    if (this.statusNow.state === 'unavailable') return { kind: 'unavailable', reason: this.statusNow.reason };
    let result: VoteResult | undefined;
    this.write((s) => {
      if (s.answerInGuild.get(answerId, guildId) === undefined) {
        result = { kind: 'gone' };
        return;
      }
      const voter = this.key!.voter(answerId, userId);
      const previous = s.existingVote.get(answerId, voter) as { vote: Vote } | undefined;
      s.upsertVote.run({ answer_id: answerId, voter, vote, voted_at: this.now() });
      result = previous === undefined || previous.vote === vote ? { kind: 'recorded', vote } : { kind: 'recorded', vote, previous: previous.vote };
    }, true);
    return result ?? { kind: 'unavailable', reason: this.failureReason() };
  }

  /** One server's answers since `since` (default: all kept), oldest first, at most `limit` (the newest). */
  read(guildId: string, since?: Date, limit = DEFAULT_READ_LIMIT): ReadResult {
    if (this.statusNow.state === 'off') return { ok: false, reason: 'insights are turned off (INSIGHTS=false)' };
    if (this.statusNow.state === 'unavailable' || this.statements === undefined) return { ok: false, reason: this.failureReason() };
    const s = this.statements;
    const from = since?.getTime() ?? 0;
    try {
      const rows = (s.answersSince.all(guildId, from, limit) as AnswerRow[]).reverse();
      const quotes = new Map<number, QuotedSentence[]>();
      for (const q of s.quotesSince.all(guildId, from) as QuoteRow[]) {
        let list = quotes.get(q.answer_id);
        if (list === undefined) quotes.set(q.answer_id, (list = []));
        list.push({ source: q.source, title: q.title, sentence: q.sentence, text: q.text });
      }
      return { ok: true, answers: rows.map((row) => toRecordedAnswer(row, quotes.get(row.id) ?? [])) };
    } catch (error) {
      return { ok: false, reason: describeFailure(error, this.path) };
    }
  }

  /** The servers with recorded answers, for the CLI. */
  guilds(): string[] {
    if (this.statements === undefined) return [];
    try {
      return (this.statements.guilds.all() as { guild_id: string }[]).map((row) => row.guild_id);
    } catch {
      return [];
    }
  }

  /** Deletes answers (with their quotes and votes) older than the retention; returns how many. */
  purgeExpired(): number {
    const cutoff = this.now() - this.retentionDays * DAY_MS;
    return this.write((st) => st.deleteBefore.run(cutoff).changes, false) ?? 0;
  }

  /** Runs purgeExpired() every `intervalMs` (default daily) until the returned function is called. */
  scheduleRetention(intervalMs = DAY_MS): () => void {
    const timer = setInterval(() => this.purgeExpired(), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  close(): void {
    this.closeQuietly();
    if (this.statusNow.state !== 'off') this.statusNow = { state: 'unavailable', path: this.path, reason: 'the database was closed' };
  }

  private get path(): string {
    return this.options?.path ?? '';
  }

  private failureReason(): string {
    const status = this.statusNow;
    return status.state === 'failing' || status.state === 'unavailable' ? status.reason : 'insights are turned off (INSIGHTS=false)';
  }

  /**
   * Runs a write in one transaction. A failure turns the status to 'failing' (one warning per outage, not
   * per write) and returns undefined; the next success turns it back to 'ready'.
   */
  private write<T>(work: (s: ReturnType<typeof prepare>) => T, immediate: boolean): T | undefined {
    const { db, statements } = this;
    if (db === undefined || statements === undefined || this.statusNow.state === 'off' || this.statusNow.state === 'unavailable') return undefined;
    try {
      const run = db.transaction(() => work(statements));
      const result = immediate ? run.immediate() : run();
      if (this.statusNow.state === 'failing') {
        this.options?.logger?.info({ path: this.path }, 'insights database works again; recording resumed');
        this.statusNow = { state: 'ready', path: this.path };
      }
      return result;
    } catch (error) {
      const reason = describeFailure(error, this.path);
      if (this.statusNow.state !== 'failing') {
        this.options?.logger?.warn({ path: this.path, reason }, 'insights database cannot be written; answering goes on without recording');
        this.statusNow = { state: 'failing', path: this.path, reason, since: new Date(this.now()) };
      }
      return undefined;
    }
  }

  private closeQuietly(): void {
    try {
      this.db?.close();
    } catch {
      // Closing a damaged file can throw too; there is nothing left to do with it.
    }
    this.db = undefined;
    this.statements = undefined;
  }
}

function prepare(db: Database.Database) {
  return {
    insertAnswer: db.prepare(
      `INSERT INTO answers (guild_id, channel_id, asked_at, via, question, answered, confident, decline_reason)
       VALUES (@guild_id, @channel_id, @asked_at, @via, @question, @answered, @confident, @decline_reason)`,
    ),
    insertQuote: db.prepare(
      'INSERT INTO quotes (answer_id, rank, source, title, sentence, text) VALUES (@answer_id, @rank, @source, @title, @sentence, @text)',
    ),
    answerInGuild: db.prepare('SELECT 1 FROM answers WHERE id = ? AND guild_id = ?'),
    existingVote: db.prepare('SELECT vote FROM votes WHERE answer_id = ? AND voter = ?'),
    upsertVote: db.prepare(
      `INSERT INTO votes (answer_id, voter, vote, voted_at) VALUES (@answer_id, @voter, @vote, @voted_at)
       ON CONFLICT (answer_id, voter) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
    ),
    answersSince: db.prepare(
      `SELECT a.*,
              (SELECT COUNT(*) FROM votes v WHERE v.answer_id = a.id AND v.vote = 1) AS up,
              (SELECT COUNT(*) FROM votes v WHERE v.answer_id = a.id AND v.vote = -1) AS down
       FROM answers a WHERE a.guild_id = ? AND a.asked_at >= ? ORDER BY a.asked_at DESC, a.id DESC LIMIT ?`,
    ),
    quotesSince: db.prepare(
      `SELECT q.* FROM quotes q JOIN answers a ON a.id = q.answer_id
       WHERE a.guild_id = ? AND a.asked_at >= ? ORDER BY q.answer_id, q.rank`,
    ),
    guilds: db.prepare('SELECT DISTINCT guild_id FROM answers ORDER BY guild_id'),
    deleteBefore: db.prepare('DELETE FROM answers WHERE asked_at < ?'),
  };
}

function toRecordedAnswer(row: AnswerRow, quotes: QuotedSentence[]): RecordedAnswer {
  return {
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    askedAt: new Date(row.asked_at),
    via: row.via,
    question: row.question,
    answered: row.answered === 1,
    confident: row.confident === null ? null : row.confident === 1,
    declineReason: row.decline_reason,
    quotes,
    up: row.up,
    down: row.down,
  };
}
