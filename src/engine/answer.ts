import { contextSentenceFor } from './context';
import type { AnalysedQuery, RankedSentence, Ranker } from './ranking';
import type { Answer, AskOptions, DeclineReason, Hit } from './types';

export interface AnswerOptions {
  /**
   * The least share of the question's IDF mass the best sentence must contain to count as an answer.
   * Below it the question is about something the articles do not cover.
   */
  minCoverage: number;
  defaultTop: number;
}

export const DEFAULT_ANSWER: AnswerOptions = { minCoverage: 0.5, defaultTop: 3 };

/** Ranks the sentences for a question and decides honestly whether the best of them answers it. */
export function answerQuestion(
  ranker: Ranker,
  question: string,
  ask: AskOptions & { scope?: { from: number; to: number } },
  options: AnswerOptions = DEFAULT_ANSWER,
): Answer {
  const top = Math.max(1, Math.floor(ask.top ?? options.defaultTop));
  const query = ranker.analyse(question);
  const ranked = query.terms.length > 0 ? ranker.search(query, { ...ask.scope, top }) : [];
  const hits = ranked.map((result) => toHit(ranker, result));
  const declineReason = decline(query, ranked, options);
  return declineReason === undefined
    ? { question, answered: true, hits }
    : { question, answered: false, hits, declineReason };
}

function decline(query: AnalysedQuery, ranked: RankedSentence[], options: AnswerOptions): DeclineReason | undefined {
  if (query.terms.length === 0) return 'empty-question';
  const best = ranked[0];
  if (best === undefined) return 'no-match';
  return best.coverage < options.minCoverage ? 'weak-match' : undefined;
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
