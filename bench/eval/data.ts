/**
 * Loading and slicing the eval data files (shapes: see data/README.md).
 */
import { readFileSync } from 'node:fs';
import { matchModeForSource, type MatchMode } from '../answer-match';

export interface QaQuestion {
  id: string;
  question: string;
  answers: string[];
  answerable: boolean;
}

export interface QaArticle {
  id: string;
  title: string;
  source: string;
  text: string;
  questions: QaQuestion[];
}

export interface SummaryArticle {
  id: string;
  source: string;
  text: string;
  reference: string[];
}

/** Short name of a data source, used for the per-source breakdown and for `--slice`. */
export type SourceKey = 'squad' | 'xquad' | 'wikiqa' | 'newsqa' | 'trecqa' | 'cnndm' | 'other';

export const SOURCE_LABELS: Record<SourceKey, string> = {
  squad: 'SQuAD 2.0',
  xquad: 'XQuAD',
  wikiqa: 'WikiQA',
  newsqa: 'NewsQA',
  trecqa: 'TrecQA',
  cnndm: 'CNN/DailyMail',
  other: 'other',
};

export function sourceKey(source: string): SourceKey {
  const s = source.toLowerCase();
  if (s.startsWith('squad')) return 'squad';
  if (s.startsWith('xquad')) return 'xquad';
  if (s.startsWith('wikiqa')) return 'wikiqa';
  if (s.startsWith('newsqa')) return 'newsqa';
  if (s.startsWith('trecqa')) return 'trecqa';
  if (s.startsWith('cnn')) return 'cnndm';
  return 'other';
}

/** WikiQA's and TrecQA's gold answers are whole sentences; the others' are spans. */
export function matchModeFor(source: string): MatchMode {
  return matchModeForSource(source);
}

function fail(file: string, where: string, what: string): never {
  throw new Error(`${file}: ${where}: ${what}`);
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every(isString);
}

function readJsonArray(file: string): unknown[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) fail(file, 'top level', 'expected a JSON array');
  return parsed;
}

/** Parses and checks a QA file: a JSON array of articles, each with its questions. */
export function parseQaData(items: unknown[], file = '<qa>'): QaArticle[] {
  return items.map((raw, i) => {
    const a = raw as Partial<Record<keyof QaArticle, unknown>>;
    const where = `item ${i}`;
    if (!isString(a.id) || !isString(a.title) || !isString(a.source) || !isString(a.text)) {
      fail(file, where, 'expected string id, title, source and text');
    }
    if (!Array.isArray(a.questions)) fail(file, where, 'expected a questions array');
    const questions = a.questions.map((rq: unknown, j: number): QaQuestion => {
      const q = rq as Partial<Record<keyof QaQuestion, unknown>>;
      if (!isString(q.id) || !isString(q.question) || !isStringArray(q.answers) || typeof q.answerable !== 'boolean') {
        fail(file, `${where} question ${j}`, 'expected id, question, answers[] and answerable');
      }
      return { id: q.id, question: q.question, answers: q.answers, answerable: q.answerable };
    });
    return { id: a.id, title: a.title, source: a.source, text: a.text, questions };
  });
}

/** Parses and checks a summaries file: a JSON array of `{id, source, text, reference[]}`. */
export function parseSummaryData(items: unknown[], file = '<summaries>'): SummaryArticle[] {
  return items.map((raw, i) => {
    const a = raw as Partial<Record<keyof SummaryArticle, unknown>>;
    if (!isString(a.id) || !isString(a.source) || !isString(a.text) || !isStringArray(a.reference)) {
      fail(file, `item ${i}`, 'expected string id, source, text and a reference string array');
    }
    return { id: a.id, source: a.source, text: a.text, reference: a.reference };
  });
}

export function loadQaFile(file: string): QaArticle[] {
  return parseQaData(readJsonArray(file), file);
}

export function loadSummaryFile(file: string): SummaryArticle[] {
  return parseSummaryData(readJsonArray(file), file);
}

/**
 * Selects articles by a slice spec: comma-separated terms, each either
 * - a source key (`squad`, `xquad`, `wikiqa`, `cnndm`) optionally with `:N` = its first N articles in file
 *   order, or
 * - any other text: the articles whose id or title contains it (case-insensitive).
 * An article matching several terms is kept once, in file order. An empty spec keeps everything.
 */
export function sliceArticles<T extends { id: string; source: string; title?: string }>(
  articles: readonly T[],
  spec: string | undefined,
): T[] {
  if (spec === undefined || spec.trim() === '') return [...articles];
  const keep = new Set<T>();
  const keys = new Set<string>(Object.keys(SOURCE_LABELS));
  for (const rawTerm of spec.split(',')) {
    const term = rawTerm.trim();
    if (term === '') continue;
    const m = /^([a-z]+)(?::(\d+))?$/i.exec(term);
    const key = m?.[1]?.toLowerCase();
    if (m && key !== undefined && keys.has(key)) {
      const limit = m[2] === undefined ? Infinity : Number(m[2]);
      articles.filter((a) => sourceKey(a.source) === key).slice(0, limit).forEach((a) => keep.add(a));
    } else {
      const needle = term.toLowerCase();
      for (const a of articles) {
        if (a.id.toLowerCase().includes(needle) || (a.title ?? '').toLowerCase().includes(needle)) keep.add(a);
      }
    }
  }
  return articles.filter((a) => keep.has(a));
}

/** Keeps at most `max` questions per article (the first ones, in file order). */
export function capQuestions(articles: readonly QaArticle[], max: number | undefined): QaArticle[] {
  if (max === undefined || !Number.isFinite(max)) return [...articles];
  return articles.map((a) => ({ ...a, questions: a.questions.slice(0, max) }));
}
