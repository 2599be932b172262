/** What the insights store keeps about one answer; ids are Discord snowflakes as strings. */

export type AskedVia = 'slash' | 'mention' | 'other';

/** One sentence an answer quoted, as it was shown. */
export interface QuotedSentence {
  /** The article's id (its file name). */
  source: string;
  title: string;
  /** 1-based sentence number in the article. */
  sentence: number;
  text: string;
}

/** What is recorded when the bot answers (or declines) a question. */
export interface AnswerRecord {
  guildId: string;
  channelId: string;
  via: AskedVia;
  question: string;
  answered: boolean;
  /** The engine's confidence in an answer; undefined when it did not say (stored as NULL). */
  confident?: boolean;
  declineReason?: string;
  /** The sentences shown, best first; empty for a decline. */
  quotes: QuotedSentence[];
  /** Default: now. */
  askedAt?: Date;
}

/** A recorded answer as read back, with its votes counted. */
export interface RecordedAnswer {
  id: number;
  guildId: string;
  channelId: string;
  askedAt: Date;
  via: AskedVia;
  question: string;
  answered: boolean;
  confident: boolean | null;
  declineReason: string | null;
  quotes: QuotedSentence[];
  up: number;
  down: number;
}

export type Vote = 1 | -1;

export type VoteResult =
  | { kind: 'recorded'; vote: Vote; previous?: Vote }
  /** No such answer in this server (deleted by retention, or a different database). */
  | { kind: 'gone' }
  | { kind: 'unavailable'; reason: string };

export type InsightsStatus =
  /** Recording and reading. */
  | { state: 'ready'; path: string }
  /** INSIGHTS=false: nothing is opened or recorded. */
  | { state: 'off' }
  /** Open, but the last write failed (locked, read-only, disk full, damaged); reads may still work. */
  | { state: 'failing'; path: string; reason: string; since: Date }
  /** Could not be opened at all: nothing is recorded or read until the next start. */
  | { state: 'unavailable'; path: string; reason: string };
