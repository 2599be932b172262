/**
 * The evaluation itself: asks every question of the project's engine and of natural's TfIdf, one article
 * at a time and with all articles in one index, and scores 3-sentence summaries against Lead-3.
 * The engine is injected (see `EngineApi`) so the harness can be tested with a stand-in.
 */
import type { Answer, AskOptions, SourceDocument, Summary, SummaryOptions } from '../../src/engine/types';
import { leadN, TfIdfSentenceIndex } from './baselines';
import { matchModeFor, SOURCE_LABELS, sourceKey, type QaArticle, type SourceKey, type SummaryArticle } from './data';
import {
  firstCorrectRank,
  hashSeed,
  holdsAnswer,
  meanRouge,
  mulberry32,
  normalizeText,
  rate,
  rougeF1,
  summarizeRanks,
  type RankSummary,
  type RougeScores,
} from './metrics';

export interface EngineLike {
  ask(question: string, options?: AskOptions): Answer;
  summarize(options?: SummaryOptions): Summary[];
}

export interface EngineApi {
  parseArticle(id: string, raw: string): SourceDocument;
  createEngine(docs: SourceDocument[]): EngineLike;
}

/** Ranks are cut at this depth: MRR is MRR@10. */
export const RANK_DEPTH = 10;

export interface QaOptions {
  /** Off-topic questions asked of each article (default 5). */
  offTopicPerArticle?: number;
  /** Seed for the off-topic sampling (default "eval"). */
  seed?: string;
  /** Skip the all-articles index (default false). */
  skipAllArticles?: boolean;
}

/** The raw text handed to `parseArticle`: the article's text under a `title:` front matter. */
export function articleRaw(title: string, text: string): string {
  const safeTitle = title.replace(/[\r\n]+/g, ' ').trim();
  return safeTitle === '' ? text : `---\ntitle: ${safeTitle}\n---\n${text}`;
}

/** A file-like, unique, stable document id for an article. */
export function articleDocId(index: number, articleId: string): string {
  const slug = articleId.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
  return `${String(index).padStart(3, '0')}_${slug}.txt`;
}

export interface Miss {
  article: string;
  source: SourceKey;
  question: string;
  golds: string[];
  /** 1-based rank of the first gold-holding sentence within the top RANK_DEPTH, 0 if not there. */
  rank: number;
  declined: boolean;
  declineReason?: string;
  top?: { sentence: number; text: string; score: number };
  /** The first sentence that holds a gold answer. */
  gold: { sentence: number; text: string };
  /** How many of the article's sentences hold a gold answer. */
  goldSentences: number;
}

interface QuestionRecord {
  source: SourceKey;
  answerable: boolean;
  reachable: boolean;
  /** How many of the article's sentences hold a gold answer. */
  goldSentences: number;
  projectRank: number;
  projectDeclined: boolean;
  tfidfRank: number;
  projectAllRank: number;
  tfidfAllRank: number;
}

interface OffTopicRecord {
  source: SourceKey;
  declined: boolean;
}

export interface QaFigures {
  articles: number;
  questions: number;
  answerable: number;
  /** Answerable questions where at least one of our sentences holds a gold answer. */
  reachable: number;
  unreachable: number;
  /**
   * Reachable questions whose gold strings occur in more than one sentence (short golds such as a year
   * or a name): any of those sentences counts as correct, which flatters every ranker alike.
   */
  ambiguous: number;
  /** reachable / answerable: the ceiling for top-k over all answerable questions. */
  oracle: number;
  unanswerable: number;
  offTopicAsked: number;
  project: {
    perArticle: RankSummary;
    /** perArticle over the reachable questions with exactly one gold-holding sentence. */
    perArticleSingleGold: RankSummary;
    /** Share of reachable answerable questions the engine declined (asked of their own article). */
    falseDeclines: number;
    /** Share of unanswerable questions declined. */
    unanswerableDeclined: number;
    /** Share of off-topic questions (from another article) declined. */
    offTopicDeclined: number;
    allArticles: RankSummary;
  };
  tfidf: { perArticle: RankSummary; perArticleSingleGold: RankSummary; allArticles: RankSummary };
}

export interface QaResult {
  overall: QaFigures;
  bySource: Partial<Record<SourceKey, QaFigures>>;
  misses: Miss[];
  timings: { parseMs: number; projectMs: number; tfidfMs: number; projectAllMs: number; tfidfAllMs: number };
}

function now(): number {
  return performance.now();
}

/**
 * For each article, the deterministic off-topic questions: K questions drawn (seeded by `seed` and the
 * article id) from other articles with a different id and title, no question twice.
 */
export function pickOffTopic(articles: readonly QaArticle[], k: number, seed: string): string[][] {
  return articles.map((article) => {
    const title = normalizeText(article.title);
    const donors = articles.filter(
      (other) => other.id !== article.id && normalizeText(other.title) !== title && other.questions.length > 0,
    );
    if (donors.length === 0 || k <= 0) return [];
    const random = mulberry32(hashSeed(`${seed}:${article.id}`));
    const picked = new Set<string>();
    const out: string[] = [];
    for (let tries = 0; out.length < k && tries < k * 20; tries++) {
      const donor = donors[Math.floor(random() * donors.length)] as QaArticle;
      const q = donor.questions[Math.floor(random() * donor.questions.length)];
      if (q === undefined || picked.has(`${donor.id}\u0000${q.id}`)) continue;
      picked.add(`${donor.id}\u0000${q.id}`);
      out.push(q.question);
    }
    return out;
  });
}

function figures(records: readonly QuestionRecord[], offTopic: readonly OffTopicRecord[], articles: number): QaFigures {
  const answerable = records.filter((r) => r.answerable);
  const reachable = answerable.filter((r) => r.reachable);
  const unanswerable = records.filter((r) => !r.answerable);
  const single = reachable.filter((r) => r.goldSentences === 1);
  return {
    articles,
    questions: records.length,
    answerable: answerable.length,
    reachable: reachable.length,
    unreachable: answerable.length - reachable.length,
    ambiguous: reachable.length - single.length,
    oracle: rate(reachable.length, answerable.length),
    unanswerable: unanswerable.length,
    offTopicAsked: offTopic.length,
    project: {
      perArticle: summarizeRanks(reachable.map((r) => r.projectRank)),
      perArticleSingleGold: summarizeRanks(single.map((r) => r.projectRank)),
      falseDeclines: rate(reachable.filter((r) => r.projectDeclined).length, reachable.length),
      unanswerableDeclined: rate(unanswerable.filter((r) => r.projectDeclined).length, unanswerable.length),
      offTopicDeclined: rate(offTopic.filter((r) => r.declined).length, offTopic.length),
      allArticles: summarizeRanks(reachable.map((r) => r.projectAllRank)),
    },
    tfidf: {
      perArticle: summarizeRanks(reachable.map((r) => r.tfidfRank)),
      perArticleSingleGold: summarizeRanks(single.map((r) => r.tfidfRank)),
      allArticles: summarizeRanks(reachable.map((r) => r.tfidfAllRank)),
    },
  };
}

/** Runs the QA evaluation. */
export function runQa(api: EngineApi, articles: readonly QaArticle[], options: QaOptions = {}): QaResult {
  const k = options.offTopicPerArticle ?? 5;
  const seed = options.seed ?? 'eval';
  const timings = { parseMs: 0, projectMs: 0, tfidfMs: 0, projectAllMs: 0, tfidfAllMs: 0 };

  let t = now();
  const docs = articles.map((a, i) => api.parseArticle(articleDocId(i, a.id), articleRaw(a.title, a.text)));
  const docIndex = new Map(docs.map((d, i) => [d.id, i]));
  // holds[article][question][sentence]: whether that sentence holds one of the question's gold answers.
  const holds = articles.map((a, i) => {
    const sentences = (docs[i] as SourceDocument).sentences;
    const mode = matchModeFor(a.source);
    return a.questions.map((q) => sentences.map((s) => q.answerable && holdsAnswer(s, q.answers, mode)));
  });
  timings.parseMs = now() - t;

  const records: QuestionRecord[][] = articles.map((a, i) =>
    a.questions.map((q, j) => ({
      source: sourceKey(a.source),
      answerable: q.answerable,
      reachable: q.answerable && (holds[i]?.[j] ?? []).some(Boolean),
      goldSentences: (holds[i]?.[j] ?? []).filter(Boolean).length,
      projectRank: 0,
      projectDeclined: false,
      tfidfRank: 0,
      projectAllRank: 0,
      tfidfAllRank: 0,
    })),
  );
  const offTopicQuestions = pickOffTopic(articles, k, seed);
  const offTopic: OffTopicRecord[] = [];
  const misses: Miss[] = [];

  // One article at a time: the project.
  t = now();
  articles.forEach((article, i) => {
    const doc = docs[i] as SourceDocument;
    const engine = api.createEngine([doc]);
    article.questions.forEach((q, j) => {
      const answer = engine.ask(q.question, { source: doc.id, top: RANK_DEPTH });
      const record = records[i]?.[j] as QuestionRecord;
      const held = holds[i]?.[j] ?? [];
      record.projectDeclined = !answer.answered;
      record.projectRank = firstCorrectRank(answer.hits, (h) => h.source === doc.id && held[h.sentence - 1] === true);
      if (record.reachable && (record.projectRank !== 1 || !answer.answered)) {
        const goldIndex = held.indexOf(true);
        const top = answer.hits[0];
        const miss: Miss = {
          article: article.title,
          source: record.source,
          question: q.question,
          golds: q.answers,
          rank: record.projectRank,
          declined: !answer.answered,
          gold: { sentence: goldIndex + 1, text: doc.sentences[goldIndex] ?? '' },
          goldSentences: record.goldSentences,
        };
        if (answer.declineReason !== undefined) miss.declineReason = answer.declineReason;
        if (top !== undefined) miss.top = { sentence: top.sentence, text: top.text, score: top.score };
        misses.push(miss);
      }
    });
    for (const question of offTopicQuestions[i] ?? []) {
      const answer = engine.ask(question, { source: doc.id, top: 1 });
      offTopic.push({ source: sourceKey(article.source), declined: !answer.answered });
    }
  });
  timings.projectMs = now() - t;

  // One article at a time: natural's TfIdf.
  t = now();
  articles.forEach((article, i) => {
    const index = new TfIdfSentenceIndex([(docs[i] as SourceDocument).sentences]);
    article.questions.forEach((q, j) => {
      const held = holds[i]?.[j] ?? [];
      const record = records[i]?.[j] as QuestionRecord;
      if (!record.reachable) return;
      record.tfidfRank = firstCorrectRank(index.search(q.question, RANK_DEPTH), (h) => held[h.sentence - 1] === true);
    });
  });
  timings.tfidfMs = now() - t;

  if (!options.skipAllArticles) {
    t = now();
    const engine = api.createEngine(docs);
    articles.forEach((article, i) => {
      article.questions.forEach((q, j) => {
        const record = records[i]?.[j] as QuestionRecord;
        if (!record.reachable) return;
        const held = holds[i]?.[j] ?? [];
        const answer = engine.ask(q.question, { top: RANK_DEPTH });
        record.projectAllRank = firstCorrectRank(
          answer.hits,
          (h) => docIndex.get(h.source) === i && held[h.sentence - 1] === true,
        );
      });
    });
    timings.projectAllMs = now() - t;

    t = now();
    const index = new TfIdfSentenceIndex(docs.map((d) => d.sentences));
    articles.forEach((article, i) => {
      article.questions.forEach((q, j) => {
        const record = records[i]?.[j] as QuestionRecord;
        if (!record.reachable) return;
        const held = holds[i]?.[j] ?? [];
        record.tfidfAllRank = firstCorrectRank(
          index.search(q.question, RANK_DEPTH),
          (h) => h.doc === i && held[h.sentence - 1] === true,
        );
      });
    });
    timings.tfidfAllMs = now() - t;
  }

  const flat = records.flat();
  const bySource: Partial<Record<SourceKey, QaFigures>> = {};
  for (const key of Object.keys(SOURCE_LABELS) as SourceKey[]) {
    const rs = flat.filter((r) => r.source === key);
    if (rs.length === 0) continue;
    const count = articles.filter((a) => sourceKey(a.source) === key).length;
    bySource[key] = figures(rs, offTopic.filter((o) => o.source === key), count);
  }
  return { overall: figures(flat, offTopic, articles.length), bySource, misses, timings };
}

export interface SummaryFigures {
  articles: number;
  /** Sentences per summary. */
  length: number;
  project: RougeScores;
  lead: RougeScores;
  /** Mean ROUGE tokens per summary. */
  projectTokens: number;
  leadTokens: number;
  referenceTokens: number;
  bySource: Partial<Record<SourceKey, { articles: number; project: RougeScores; lead: RougeScores }>>;
  timings: { parseMs: number; projectMs: number };
}

function tokenCount(text: string): number {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== '').length;
}

/**
 * Runs the summary evaluation: an engine per article, `summarize({source, sentences: length})`, against
 * the reference highlights joined with spaces; Lead-N = the first N of our sentences.
 */
export function runSummaries(api: EngineApi, articles: readonly SummaryArticle[], length = 3): SummaryFigures {
  let t = now();
  const docs = articles.map((a, i) => api.parseArticle(articleDocId(i, a.id), a.text));
  const parseMs = now() - t;
  t = now();
  const rows = articles.map((article, i) => {
    const doc = docs[i] as SourceDocument;
    const engine = api.createEngine([doc]);
    const summary = engine.summarize({ source: doc.id, sentences: length })[0];
    const picked = (summary?.sentences ?? []).map((s) => doc.sentences[s.sentence - 1] ?? s.text).join(' ');
    const lead = leadN(doc.sentences, length).join(' ');
    const reference = article.reference.join(' ');
    return {
      source: sourceKey(article.source),
      project: rougeF1(picked, reference),
      lead: rougeF1(lead, reference),
      projectTokens: tokenCount(picked),
      leadTokens: tokenCount(lead),
      referenceTokens: tokenCount(reference),
    };
  });
  const projectMs = now() - t;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const bySource: SummaryFigures['bySource'] = {};
  for (const key of Object.keys(SOURCE_LABELS) as SourceKey[]) {
    const rs = rows.filter((r) => r.source === key);
    if (rs.length === 0) continue;
    bySource[key] = {
      articles: rs.length,
      project: meanRouge(rs.map((r) => r.project)),
      lead: meanRouge(rs.map((r) => r.lead)),
    };
  }
  return {
    articles: articles.length,
    length,
    project: meanRouge(rows.map((r) => r.project)),
    lead: meanRouge(rows.map((r) => r.lead)),
    projectTokens: mean(rows.map((r) => r.projectTokens)),
    leadTokens: mean(rows.map((r) => r.leadTokens)),
    referenceTokens: mean(rows.map((r) => r.referenceTokens)),
    bySource,
    timings: { parseMs, projectMs },
  };
}
