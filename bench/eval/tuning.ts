/**
 * In-process measurement for fitting the engine's settings (bench/eval/fit-ranking.ts,
 * bench/eval/fit-confidence.ts): every dev set parsed and indexed once, then any ranking and answer
 * options measured over it in a second or two, split into the fold they are fitted on and the fold held
 * apart (by a hash of the article id, so a set's fold never changes). The figures are defined as in
 * `npm run eval` (same sentences, same answer matcher, same off-topic questions).
 */
import { answerQuestion, type AnswerOptions } from '../../src/engine/answer';
import { DEFAULT_EXPANSION, type ExpansionOptions } from '../../src/engine/expansion';
import { Ranker, type AnalysedQuery, type RankingOptions, type SearchResult } from '../../src/engine/ranking';
import { SentenceIndex } from '../../src/engine/sentence-index';
import { answerSignals } from '../../src/engine/signals';
import type { SourceDocument } from '../../src/engine/types';
import { parseArticle } from '../../src/sources/parse';
import { loadQaFile, matchModeFor, sourceKey, type QaArticle } from './data';
import { hashSeed, holdsAnswer } from './metrics';
import { articleDocId, articleRaw, pickOffTopic, RANK_DEPTH } from './run';

/**
 * Questions are held apart by article: those of an article whose id hashes to 0 mod FOLDS. A long article
 * (SQuAD's have hundreds of questions) is cut into blocks of QUESTION_BLOCK consecutive questions, each
 * block its own unit, so that one fifth of every set is held apart and not one fifth of its articles.
 */
export const FOLDS = 5;
export const QUESTION_BLOCK = 20;

export type Fold = 'fit' | 'held';

export function foldOf(articleId: string, question = 0): Fold {
  return hashSeed(`fold:${articleId}:${Math.floor(question / QUESTION_BLOCK)}`) % FOLDS === 0 ? 'held' : 'fit';
}

interface PreparedQuestion {
  question: string;
  answerable: boolean;
  /** Whether each sentence of the article holds a gold answer. */
  held: boolean[];
  reachable: boolean;
  fold: Fold;
  /** A SQuAD 2.0 unanswerable question: written to look answerable (the near misses). */
  nearMiss: boolean;
}

interface PreparedArticle {
  /** The fold of its off-topic questions (those of its first block). */
  fold: Fold;
  doc: SourceDocument;
  index: SentenceIndex;
  questions: PreparedQuestion[];
  offTopic: string[];
}

export interface PreparedSet {
  name: string;
  articles: PreparedArticle[];
  /** Every article of the set in one index (the all-articles mode). */
  all: SentenceIndex;
}

export function setNameOf(file: string): string {
  return (file.split('/').pop() ?? file).replace(/\.json$/, '');
}

export function prepareSet(file: string): PreparedSet {
  const articles: QaArticle[] = loadQaFile(file);
  const offTopic = pickOffTopic(articles, 5, 'eval');
  const prepared = articles.map((article, i): PreparedArticle => {
    const doc = parseArticle(articleDocId(i, article.id), articleRaw(article.title, article.text));
    const mode = matchModeFor(article.source);
    const squad = sourceKey(article.source) === 'squad';
    const questions = article.questions.map((q, j) => {
      const held = doc.sentences.map((s) => q.answerable && holdsAnswer(s, q.answers, mode));
      return { question: q.question, answerable: q.answerable, held, reachable: held.some(Boolean), fold: foldOf(article.id, j), nearMiss: squad && !q.answerable };
    });
    return { fold: foldOf(article.id), doc, index: SentenceIndex.build([doc]), questions, offTopic: offTopic[i] ?? [] };
  });
  return { name: setNameOf(file), articles: prepared, all: SentenceIndex.build(prepared.map((a) => a.doc)) };
}

export interface Settings {
  ranking: RankingOptions;
  answer: AnswerOptions;
  /** Scoped vocabulary expansion as the engine has it (default DEFAULT_EXPANSION); false: none. */
  expansion?: ExpansionOptions | false;
}

/** The Ranker the engine would build over `index` with these settings. */
export function rankerFor(index: SentenceIndex, settings: Settings): Ranker {
  const expansion = settings.expansion ?? DEFAULT_EXPANSION;
  return new Ranker(index, settings.ranking, expansion === false ? undefined : expansion);
}

/** Counts behind one fold's figures. */
export interface FoldCounts {
  reachable: number;
  top1: number;
  top3: number;
  rr: number;
  falseDeclines: number;
  offTopic: number;
  offTopicDeclined: number;
  /** Off-topic questions answered and marked confident: the harm a missed decline does. */
  offTopicConfident: number;
  allTop1: number;
  allWrongArticle: number;
}

export interface Figures {
  n: number;
  top1: number;
  top3: number;
  mrr: number;
  falseDeclines: number;
  offTopicDeclined: number;
  offTopicConfident: number;
  allTop1: number;
  allWrongArticle: number;
}

function emptyCounts(): FoldCounts {
  return { reachable: 0, top1: 0, top3: 0, rr: 0, falseDeclines: 0, offTopic: 0, offTopicDeclined: 0, offTopicConfident: 0, allTop1: 0, allWrongArticle: 0 };
}

export function figuresOf(c: FoldCounts): Figures {
  const share = (x: number, n: number): number => (n === 0 ? Number.NaN : x / n);
  return {
    n: c.reachable,
    top1: share(c.top1, c.reachable),
    top3: share(c.top3, c.reachable),
    mrr: share(c.rr, c.reachable),
    falseDeclines: share(c.falseDeclines, c.reachable),
    offTopicDeclined: share(c.offTopicDeclined, c.offTopic),
    offTopicConfident: share(c.offTopicConfident, c.offTopic),
    allTop1: share(c.allTop1, c.reachable),
    allWrongArticle: share(c.allWrongArticle, c.reachable),
  };
}

export function addCounts(a: FoldCounts, b: FoldCounts): FoldCounts {
  const out = emptyCounts();
  for (const key of Object.keys(out) as (keyof FoldCounts)[]) out[key] = a[key] + b[key];
  return out;
}

export interface MeasureOptions {
  /** Skip the all-articles index (faster; for settings that only act within one article). */
  skipAll?: boolean;
  /** Skip the off-topic questions. */
  skipOffTopic?: boolean;
}

function firstCorrect(hits: readonly { source: string; sentence: number }[], source: string, held: readonly boolean[]): number {
  for (let k = 0; k < hits.length && k < RANK_DEPTH; k++) {
    const hit = hits[k]!;
    if (hit.source === source && held[hit.sentence - 1] === true) return k + 1;
  }
  return 0;
}

/** The figures of one set under `settings`, per fold. */
export function measureSet(set: PreparedSet, settings: Settings, options: MeasureOptions = {}): Record<Fold, FoldCounts> {
  const counts: Record<Fold, FoldCounts> = { fit: emptyCounts(), held: emptyCounts() };
  for (const article of set.articles) {
    const ranker = rankerFor(article.index, settings);
    const scope = { from: 0, to: article.index.sentenceCount };
    for (const q of article.questions) {
      if (!q.reachable) continue;
      const c = counts[q.fold];
      const answer = answerQuestion(ranker, q.question, { top: RANK_DEPTH, scope }, settings.answer);
      const rank = firstCorrect(answer.hits, article.doc.id, q.held);
      c.reachable++;
      if (rank === 1) c.top1++;
      if (rank >= 1 && rank <= 3) c.top3++;
      if (rank >= 1) c.rr += 1 / rank;
      if (!answer.answered) c.falseDeclines++;
    }
    if (options.skipOffTopic !== true) {
      const c = counts[article.fold];
      for (const question of article.offTopic) {
        c.offTopic++;
        const answer = answerQuestion(ranker, question, { top: 1, scope }, settings.answer);
        if (!answer.answered) c.offTopicDeclined++;
        else if (answer.confident) c.offTopicConfident++;
      }
    }
  }
  if (options.skipAll !== true) {
    const ranker = rankerFor(set.all, settings);
    for (const article of set.articles) {
      for (const q of article.questions) {
        if (!q.reachable) continue;
        const c = counts[q.fold];
        const answer = answerQuestion(ranker, q.question, { top: 1 }, settings.answer);
        const first = answer.hits[0];
        if (first === undefined) continue;
        if (first.source !== article.doc.id) c.allWrongArticle++;
        else if (q.held[first.sentence - 1] === true) c.allTop1++;
      }
    }
  }
  return counts;
}

/**
 * One answered question's confidence signals (the engine's `AnswerSignals` by name, and any extra values
 * asked for) and whether its first sentence is right (unanswerable: never).
 */
export interface SignalRow {
  set: string;
  fold: Fold;
  answerable: boolean;
  /** A question of another article, asked of this one (answered: the decline missed it). */
  offTopic: boolean;
  /**
   * A SQuAD 2.0 unanswerable question asked of its own article: what "unanswerable marked confident" counts,
   * as the eval does (WikiQA's questions without a right sentence are unanswerable too, but not near misses).
   * Only answered questions have rows, so the fitting's share is of those answered: on qa-dev about a point
   * above the eval's, which divides by all of them (677 confident of 1,105 answered, 61.3 %, against 60.1 % of
   * 1,126 in the review's count).
   */
  nearMiss: boolean;
  right: boolean;
  values: Record<string, number>;
}

/** Values computed beside the engine's signals (bench/eval/confidence-candidates-signals.ts). */
export type ExtraValues = (ranker: Ranker, question: string, query: AnalysedQuery, result: SearchResult) => Record<string, number>;

/**
 * The signals of every answered question asked of its own article (reachable or unanswerable), and of
 * every answered off-topic question (a question of another article): an answer to those is never right.
 */
export function signalRows(set: PreparedSet, settings: Settings, extra?: ExtraValues): SignalRow[] {
  const rows: SignalRow[] = [];
  for (const article of set.articles) {
    const ranker = rankerFor(article.index, settings);
    const scope = { from: 0, to: article.index.sentenceCount };
    const valuesOf = (question: string): Record<string, number> => {
      const query = ranker.analyse(question);
      const result = ranker.search(query, { ...scope, top: RANK_DEPTH });
      const signals: Record<string, number> = { ...answerSignals(ranker, question, query, result, scope) };
      return extra === undefined ? signals : { ...signals, ...extra(ranker, question, query, result) };
    };
    for (const q of article.questions) {
      if (q.answerable && !q.reachable) continue;
      const answer = answerQuestion(ranker, q.question, { top: RANK_DEPTH, scope }, settings.answer);
      if (!answer.answered) continue;
      const first = answer.hits[0];
      const right = q.answerable && first !== undefined && q.held[first.sentence - 1] === true;
      rows.push({ set: set.name, fold: q.fold, answerable: q.answerable, offTopic: false, nearMiss: q.nearMiss, right, values: valuesOf(q.question) });
    }
    for (const question of article.offTopic) {
      if (!answerQuestion(ranker, question, { top: 1, scope }, settings.answer).answered) continue;
      rows.push({ set: set.name, fold: article.fold, answerable: false, offTopic: true, nearMiss: false, right: false, values: valuesOf(question) });
    }
  }
  return rows;
}

/** The set's reachable questions of a fold (declined ones too). */
export function reachableCount(set: PreparedSet, fold: Fold): number {
  return set.articles.reduce((sum, a) => sum + a.questions.filter((q) => q.reachable && q.fold === fold).length, 0);
}

/** How a ranking lab asks a question: one article at a time, or of all the set's articles in one index. */
export type AskMode = 'one' | 'all';

/**
 * Every reachable question of `set`, asked as the ranking labs ask it (bench/eval/rerank-lab.ts, top3-lab.ts):
 * of its own article with a ranker per article, then, when the set has several, of all of them in one
 * index; `isRight(s)` tells whether sentence `s` of the ranker's index holds a gold answer.
 */
export function forEachReachable(
  set: PreparedSet,
  makeRanker: (index: SentenceIndex) => Ranker,
  visit: (mode: AskMode, ranker: Ranker, question: string, fold: Fold, scope: { from?: number; to?: number }, isRight: (s: number) => boolean) => void,
): void {
  for (const article of set.articles) {
    const ranker = makeRanker(article.index);
    const scope = { from: 0, to: article.index.sentenceCount };
    for (const q of article.questions) if (q.reachable) visit('one', ranker, q.question, q.fold, scope, (s) => q.held[s] === true);
  }
  if (set.articles.length < 2) return;
  const ranker = makeRanker(set.all);
  set.articles.forEach((article, a) => {
    const start = set.all.docStart[a]!;
    for (const q of article.questions) if (q.reachable) visit('all', ranker, q.question, q.fold, {}, (s) => set.all.sentenceDoc[s] === a && q.held[s - start] === true);
  });
}
