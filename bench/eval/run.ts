/**
 * The evaluation itself: asks every question of the project's engine and of natural's TfIdf, one article
 * at a time and with all articles in one index, and scores 3-sentence summaries against Lead-3.
 * The engine is injected (see `EngineApi`) so the harness can be tested with a stand-in.
 */
import type { Answer, AskOptions, SourceDocument, Summary, SummaryOptions } from '../../src/engine/types';
import { Bm25SentenceIndex, leadN, TfIdfSentenceIndex, type ScoredSentence } from './baselines';
import { matchModeFor, SOURCE_LABELS, sourceKey, type QaArticle, type SourceKey, type SummaryArticle } from './data';
import {
  firstCorrectRank,
  hashSeed,
  holdsAnswer,
  meanRouge,
  mulberry32,
  normalizeText,
  questionWord,
  rate,
  rougeF1,
  summarizeRanks,
  type QuestionWord,
  type RankSummary,
  type RougeScores,
} from './metrics';
import { plainTerms } from './natural';

export interface EngineLike {
  ask(question: string, options?: AskOptions): Answer;
  summarize(options?: SummaryOptions): Summary[];
}

export interface ConversationLike {
  ask(question: string, options?: AskOptions): Answer;
  /** Forgets the conversation so far (a new channel). */
  reset(): void;
}

export interface EngineApi {
  parseArticle(id: string, raw: string): SourceDocument;
  createEngine(docs: SourceDocument[]): EngineLike;
  /** A conversation over an engine made by `createEngine` (optional: follow-up scoping). */
  createConversation?(engine: EngineLike): ConversationLike;
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
  /** Rank every sentence of each article and report MAP / MRR over them (TrecQA's metrics; default false). */
  fullRanking?: boolean;
  /** Questions from elsewhere (other sets) asked of the all-articles index, where a decline is right. */
  foreignQuestions?: readonly string[];
  /** Also ask each article's questions in a row as one conversation (needs `createConversation`). */
  conversations?: boolean;
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

/** Everything measured for one question; the figures and the miss breakdown are computed from these. */
export interface QuestionRecord {
  source: SourceKey;
  answerable: boolean;
  reachable: boolean;
  /** How many of the article's sentences hold a gold answer. */
  goldSentences: number;
  questionWord: QuestionWord;
  /** Most content words of the question (plain analysis) that one gold-holding sentence shares. */
  overlap: number;
  projectRank: number;
  projectDeclined: boolean;
  /** undefined when the engine does not say how sure it is. */
  projectConfident: boolean | undefined;
  tfidfRank: number;
  bm25Rank: number;
  projectAllRank: number;
  projectAllDeclined: boolean;
  /** All articles in one index: the first hit is from another article. */
  projectAllWrongArticle: boolean;
  tfidfAllRank: number;
  bm25AllRank: number;
  /** All articles, each article's questions asked in a row as one conversation (0 when not run). */
  conversationRank: number;
  /** Average precision and reciprocal rank over the article's whole candidate list (TrecQA's metrics). */
  full?: { project: [number, number]; tfidf: [number, number]; bm25: [number, number] };
}

interface OffTopicRecord {
  source: SourceKey;
  declined: boolean;
}

/** Answer-sentence selection as the literature scores it (TrecQA: MAP and MRR over every candidate). */
export interface FullRankFigures {
  /** Questions with at least one correct candidate (the others are left out, as is usual). */
  n: number;
  project: { map: number; mrr: number };
  tfidf: { map: number; mrr: number };
  bm25: { map: number; mrr: number };
}

export interface ConfidenceFigures {
  /** Of the reachable answerable questions marked confident, the share whose first sentence is right. */
  precision: number;
  /** Share of the reachable answerable questions marked confident. */
  coverage: number;
  /**
   * Share of the SQuAD 2.0 unanswerable questions (asked of their own article) marked confident: the
   * near misses the target is about. WikiQA's questions without a right sentence are left out:
   * they were not written to look answerable.
   */
  unanswerableConfident: number;
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
  /** Questions of the other sets in the run asked of this set's all-articles index. */
  foreignAsked: number;
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
    allArticlesFalseDeclines: number;
    /** Share of the other sets' questions declined by this set's all-articles index. */
    foreignDeclined: number;
    confidence?: ConfidenceFigures;
    /** All articles, questions of each article in a row as one conversation. */
    conversation?: RankSummary;
  };
  tfidf: { perArticle: RankSummary; perArticleSingleGold: RankSummary; allArticles: RankSummary };
  bm25: { perArticle: RankSummary; allArticles: RankSummary };
  fullRanking?: FullRankFigures;
}

export interface QaResult {
  overall: QaFigures;
  bySource: Partial<Record<SourceKey, QaFigures>>;
  records: QuestionRecord[];
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

function confidenceFigures(reachable: readonly QuestionRecord[], unanswerable: readonly QuestionRecord[]): ConfidenceFigures | undefined {
  if (reachable.some((r) => r.projectConfident === undefined)) return undefined;
  const confident = reachable.filter((r) => r.projectConfident === true);
  return {
    precision: rate(confident.filter((r) => r.projectRank === 1).length, confident.length),
    coverage: rate(confident.length, reachable.length),
    unanswerableConfident: rate(unanswerable.filter((r) => r.projectConfident === true).length, unanswerable.length),
  };
}

function fullFigures(reachable: readonly QuestionRecord[]): FullRankFigures | undefined {
  const scored = reachable.filter((r) => r.full !== undefined);
  if (scored.length === 0) return undefined;
  const mean = (pick: (r: QuestionRecord) => number): number => scored.reduce((sum, r) => sum + pick(r), 0) / scored.length;
  const system = (key: 'project' | 'tfidf' | 'bm25') => ({ map: mean((r) => r.full?.[key][0] ?? 0), mrr: mean((r) => r.full?.[key][1] ?? 0) });
  return { n: scored.length, project: system('project'), tfidf: system('tfidf'), bm25: system('bm25') };
}

function figures(
  records: readonly QuestionRecord[],
  offTopic: readonly OffTopicRecord[],
  foreign: readonly boolean[],
  articles: number,
): QaFigures {
  const answerable = records.filter((r) => r.answerable);
  const reachable = answerable.filter((r) => r.reachable);
  const unanswerable = records.filter((r) => !r.answerable);
  const single = reachable.filter((r) => r.goldSentences === 1);
  const out: QaFigures = {
    articles,
    questions: records.length,
    answerable: answerable.length,
    reachable: reachable.length,
    unreachable: answerable.length - reachable.length,
    ambiguous: reachable.length - single.length,
    oracle: rate(reachable.length, answerable.length),
    unanswerable: unanswerable.length,
    offTopicAsked: offTopic.length,
    foreignAsked: foreign.length,
    project: {
      perArticle: summarizeRanks(reachable.map((r) => r.projectRank)),
      perArticleSingleGold: summarizeRanks(single.map((r) => r.projectRank)),
      falseDeclines: rate(reachable.filter((r) => r.projectDeclined).length, reachable.length),
      unanswerableDeclined: rate(unanswerable.filter((r) => r.projectDeclined).length, unanswerable.length),
      offTopicDeclined: rate(offTopic.filter((r) => r.declined).length, offTopic.length),
      allArticles: summarizeRanks(reachable.map((r) => r.projectAllRank)),
      allArticlesFalseDeclines: rate(reachable.filter((r) => r.projectAllDeclined).length, reachable.length),
      foreignDeclined: rate(foreign.filter(Boolean).length, foreign.length),
    },
    tfidf: {
      perArticle: summarizeRanks(reachable.map((r) => r.tfidfRank)),
      perArticleSingleGold: summarizeRanks(single.map((r) => r.tfidfRank)),
      allArticles: summarizeRanks(reachable.map((r) => r.tfidfAllRank)),
    },
    bm25: {
      perArticle: summarizeRanks(reachable.map((r) => r.bm25Rank)),
      allArticles: summarizeRanks(reachable.map((r) => r.bm25AllRank)),
    },
  };
  const confidence = confidenceFigures(reachable, unanswerable.filter((r) => r.source === 'squad'));
  if (confidence) out.project.confidence = confidence;
  if (reachable.some((r) => r.conversationRank !== 0)) out.project.conversation = summarizeRanks(reachable.map((r) => r.conversationRank));
  const full = fullFigures(reachable);
  if (full) out.fullRanking = full;
  return out;
}

/** Sentence numbers (1-based) of a ranking, completed with the sentences it left out in article order. */
function completeRanking(ranked: readonly number[], total: number): number[] {
  const seen = new Set(ranked);
  const out = [...ranked];
  for (let s = 1; s <= total; s++) if (!seen.has(s)) out.push(s);
  return out;
}

/** [average precision, reciprocal rank] of a complete ranking of sentence numbers. */
function apAndRr(order: readonly number[], held: readonly boolean[]): [number, number] {
  let correct = 0;
  let precisionSum = 0;
  let rr = 0;
  order.forEach((sentence, i) => {
    if (held[sentence - 1] !== true) return;
    correct++;
    precisionSum += correct / (i + 1);
    if (rr === 0) rr = 1 / (i + 1);
  });
  return [correct === 0 ? 0 : precisionSum / correct, rr];
}

function isConfident(answer: Answer): boolean | undefined {
  const { confident } = answer as Answer & { confident?: boolean };
  return confident === undefined ? undefined : answer.answered && confident;
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
  const sentenceTerms = docs.map((d) => d.sentences.map((s) => new Set(plainTerms(s))));
  timings.parseMs = now() - t;

  const records: QuestionRecord[][] = articles.map((a, i) =>
    a.questions.map((q, j) => {
      const held = holds[i]?.[j] ?? [];
      const asked = new Set(plainTerms(q.question));
      let overlap = 0;
      held.forEach((h, s) => {
        if (!h) return;
        let shared = 0;
        for (const term of sentenceTerms[i]?.[s] ?? []) if (asked.has(term)) shared++;
        overlap = Math.max(overlap, shared);
      });
      return {
        source: sourceKey(a.source),
        answerable: q.answerable,
        reachable: q.answerable && held.some(Boolean),
        goldSentences: held.filter(Boolean).length,
        questionWord: questionWord(q.question),
        overlap,
        projectRank: 0,
        projectDeclined: false,
        projectConfident: undefined,
        tfidfRank: 0,
        bm25Rank: 0,
        projectAllRank: 0,
        projectAllDeclined: false,
        projectAllWrongArticle: false,
        tfidfAllRank: 0,
        bm25AllRank: 0,
        conversationRank: 0,
      };
    }),
  );
  const offTopicQuestions = pickOffTopic(articles, k, seed);
  const offTopic: OffTopicRecord[] = [];
  const misses: Miss[] = [];
  const full = options.fullRanking === true;

  // One article at a time: the project.
  t = now();
  articles.forEach((article, i) => {
    const doc = docs[i] as SourceDocument;
    const engine = api.createEngine([doc]);
    article.questions.forEach((q, j) => {
      const answer = engine.ask(q.question, { source: doc.id, top: full ? Math.max(RANK_DEPTH, doc.sentences.length) : RANK_DEPTH });
      const record = records[i]?.[j] as QuestionRecord;
      const held = holds[i]?.[j] ?? [];
      record.projectDeclined = !answer.answered;
      record.projectConfident = isConfident(answer);
      record.projectRank = firstCorrectRank(answer.hits.slice(0, RANK_DEPTH), (h) => h.source === doc.id && held[h.sentence - 1] === true);
      if (full && record.reachable) {
        const order = completeRanking(answer.hits.map((h) => h.sentence), doc.sentences.length);
        record.full = { project: apAndRr(order, held), tfidf: [0, 0], bm25: [0, 0] };
      }
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

  // One article at a time: natural's TfIdf and plain BM25.
  t = now();
  articles.forEach((article, i) => {
    const sentences = (docs[i] as SourceDocument).sentences;
    const tfidf = new TfIdfSentenceIndex([sentences]);
    const bm25 = new Bm25SentenceIndex([sentences]);
    article.questions.forEach((q, j) => {
      const held = holds[i]?.[j] ?? [];
      const record = records[i]?.[j] as QuestionRecord;
      if (!record.reachable) return;
      const isGold = (h: { sentence: number }): boolean => held[h.sentence - 1] === true;
      const depth = full ? Math.max(RANK_DEPTH, sentences.length) : RANK_DEPTH;
      const tfidfHits = tfidf.search(q.question, depth);
      const bm25Hits = bm25.search(q.question, depth);
      record.tfidfRank = firstCorrectRank(tfidfHits.slice(0, RANK_DEPTH), isGold);
      record.bm25Rank = firstCorrectRank(bm25Hits.slice(0, RANK_DEPTH), isGold);
      if (record.full) {
        record.full.tfidf = apAndRr(completeRanking(tfidfHits.map((h) => h.sentence), sentences.length), held);
        record.full.bm25 = apAndRr(completeRanking(bm25Hits.map((h) => h.sentence), sentences.length), held);
      }
    });
  });
  timings.tfidfMs = now() - t;

  const foreign: boolean[] = [];
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
        record.projectAllDeclined = !answer.answered;
        const first = answer.hits[0];
        record.projectAllWrongArticle = first !== undefined && docIndex.get(first.source) !== i;
      });
    });
    for (const question of options.foreignQuestions ?? []) foreign.push(!engine.ask(question, { top: 1 }).answered);
    if (options.conversations === true && api.createConversation) {
      const conversation = api.createConversation(engine);
      articles.forEach((article, i) => {
        conversation.reset();
        article.questions.forEach((q, j) => {
          const record = records[i]?.[j] as QuestionRecord;
          const answer = conversation.ask(q.question, { top: RANK_DEPTH });
          if (!record.reachable) return;
          const held = holds[i]?.[j] ?? [];
          record.conversationRank = firstCorrectRank(answer.hits, (h) => docIndex.get(h.source) === i && held[h.sentence - 1] === true);
        });
      });
    }
    timings.projectAllMs = now() - t;

    t = now();
    const tfidf = new TfIdfSentenceIndex(docs.map((d) => d.sentences));
    const bm25 = new Bm25SentenceIndex(docs.map((d) => d.sentences));
    articles.forEach((article, i) => {
      article.questions.forEach((q, j) => {
        const record = records[i]?.[j] as QuestionRecord;
        if (!record.reachable) return;
        const held = holds[i]?.[j] ?? [];
        const isGold = (h: ScoredSentence): boolean => h.doc === i && held[h.sentence - 1] === true;
        record.tfidfAllRank = firstCorrectRank(tfidf.search(q.question, RANK_DEPTH), isGold);
        record.bm25AllRank = firstCorrectRank(bm25.search(q.question, RANK_DEPTH), isGold);
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
    bySource[key] = figures(rs, offTopic.filter((o) => o.source === key), [], count);
  }
  return { overall: figures(flat, offTopic, foreign, articles.length), bySource, records: flat, misses, timings };
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
