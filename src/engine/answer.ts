import { contextSentenceFor } from './context';
import { wholeCount } from './counts';
import type { AnalysedQuery, RankedSentence, Ranker, SearchResult } from './ranking';
import { withinBestArticle } from './best-article';
import { answerSignals, type AnswerSignals } from './signals';
import { DEFAULT_CONFIDENCE, isConfident, type ConfidenceModel } from './confidence';
import type { Answer, AskOptions, DeclineReason, Hit } from './types';

/**
 * When to decline. Both thresholds are shares of the question's topicality (its words weighted by how
 * rare they are in general English), so they mean the same for a one-article index and a large one.
 * Calibrated on the dev set: questions about other articles fall below them, answerable ones do not.
 */
export interface AnswerOptions {
  /** The least share the best sentence (with the sentence it refers back to) must hold. */
  minCoverage: number;
  /** The least share the searched articles must hold anywhere: below it they are about something else. */
  minScopeCoverage: number;
  /**
   * A short question (at most `unheldMaxTerms` distinct words) with at least `unheldShare` of its weight in
   * words the searched articles do not hold at all, nor any related word or near spelling of them, must
   * find `unheldScopeCoverage` of it there, not only `minScopeCoverage`: its rare words name something the
   * articles never mention ("What does alfalfa do for animals?" of an article that has "animals"). A longer
   * question is more often a paraphrase in the asker's own words.
   */
  unheldShare: number;
  unheldScopeCoverage: number;
  unheldMaxTerms: number;
  defaultTop: number;

  /** When an answer is marked confident. */
  confidence: ConfidenceModel;
  /**
   * Over several articles, the first sentence is the one the best article gives when the question is
   * asked of it alone (`best-article.ts`: its related words and near spellings), the others those of the whole search.
   */
  articleFirst: boolean;
}

export const DEFAULT_ANSWER: AnswerOptions = {
  minCoverage: 0.2,
  minScopeCoverage: 0.3,
  unheldShare: 0.4,
  unheldScopeCoverage: 0.4,
  unheldMaxTerms: 4,
  defaultTop: 3,
  confidence: DEFAULT_CONFIDENCE,
  articleFirst: true,
};

/** Ranks the sentences for a question and decides honestly whether the best of them answers it. */
export function answerQuestion(
  ranker: Ranker,
  question: string,
  ask: AskOptions & { scope?: { from: number; to: number } },
  options: AnswerOptions = DEFAULT_ANSWER,
): Answer {
  const top = wholeCount(ask.top, options.defaultTop, ranker.index.sentenceCount);
  const query = ranker.analyse(question);
  const found = query.terms.length > 0 ? ranker.search(query, { ...ask.scope, top }) : { sentences: [], scopeCoverage: 0, unheldShare: 1 };
  const declineReason = decline(query, found, options);
  // The decline stays the whole search's, and so does the scope coverage the confidence reads (over the best
  // article's range alone it marked more answers confident but fewer of them right: README "Quality"). The
  // confidence's coverage and margin are those of the sentences shown, the re-asked first one among them.
  const result = declineReason === undefined && ask.scope === undefined && options.articleFirst ? withinBestArticle(ranker, query, found, top) : found;
  const hits = result.sentences.map((ranked) => toHit(ranker, ranked));
  if (declineReason !== undefined) return { question, answered: false, confident: false, hits, declineReason };
  const signals = answerSignals(ranker, question, query, result, ask.scope);
  return { question, answered: true, confident: isConfident(signals, options.confidence), hits };
}

/** The answer signals of a question (for the evaluation's fitting of the confidence model). */
export function signalsFor(ranker: Ranker, question: string, ask: { scope?: { from: number; to: number }; top?: number }): AnswerSignals {
  const query = ranker.analyse(question);
  const result = query.terms.length > 0 ? ranker.search(query, { ...ask.scope, top: ask.top ?? 3 }) : { sentences: [], scopeCoverage: 0, unheldShare: 1 };
  return answerSignals(ranker, question, query, result, ask.scope);
}

function decline(query: AnalysedQuery, result: SearchResult, options: AnswerOptions): DeclineReason | undefined {
  if (query.terms.length === 0) return 'empty-question';
  const best = result.sentences[0];
  if (best === undefined) return 'no-match';
  if (best.coverage < options.minCoverage || result.scopeCoverage < options.minScopeCoverage) return 'weak-match';
  if (query.terms.length <= options.unheldMaxTerms && result.unheldShare >= options.unheldShare && result.scopeCoverage < options.unheldScopeCoverage) return 'weak-match';
  return undefined;
}

function toHit(ranker: Ranker, result: RankedSentence): Hit {
  const { index } = ranker;
  const document = index.documents[index.sentenceDoc[result.sentence]!]!;
  const position = index.positionInDocument(result.sentence);
  const hit: Hit = {
    source: document.id,
    title: document.title,
    sentence: position + 1,
    total: document.sentences.length,
    text: document.sentences[position] ?? '',
    score: Math.round(result.score * 1000) / 1000,
  };
  if (document.url !== undefined) hit.url = document.url;
  const context = contextSentenceFor(document, position);
  if (context !== undefined) hit.context = { sentence: context + 1, text: document.sentences[context] ?? '' };
  return hit;
}
