import { hasNovel } from './answer-type';
import { hasFineType, hasNovelFineType } from './fine-answer-type';
import type { AnalysedQuery, Ranker, SearchResult } from './ranking';
import type { SentenceIndex } from './sentence-index';

/**
 * What the engine knows about how good its best sentence is, beyond its score: the inputs of the
 * confidence model (`confidence.ts`). Each is a number in a small range so one set of weights fits
 * every index size. Measured and dropped (README "Quality"): the share of the question the searched
 * articles hold, whether the single rarest question word is near the best sentence, and a dozen more.
 */
export interface AnswerSignals {
  /** Share of the question's topicality the best sentence holds (0..1). */
  coverage: number;
  /** How far the best sentence is ahead of the second stage's runner-up (`SearchResult.runnerUp`, else the second): (s1 − s2) / s1 (0..1; 1 when alone). */
  margin: number;
  /**
   * 1 when the question asks for a kind of thing (a date, a number, a name, a place) and the best sentence
   * has one the question does not already give. The kind is the one the ranking used: for "how long / often
   * / old / far", a span, a frequency, an age or a distance when some candidate had one (a year alone does
   * not answer "How long did the war last?"), else the coarse type.
   */
  novelType: number;
  /** 1 when the question asks for a kind of thing (read as `novelType` reads it) the best sentence lacks altogether. */
  missingType: number;
  /** Number of distinct question terms (capped at 8, over 8). */
  length: number;
  /**
   * A near miss: the topicality (over 12, at most 1) of the rarest question word that the searched
   * articles hold but the best sentence and both its neighbours do not. A question with one word
   * changed (SQuAD 2.0's unanswerable ones, "Why did Vilnius become the capital?") finds its sentence
   * without that word, which the article has elsewhere.
   */
  nearMiss: number;
  /**
   * The topicality (over 12, at most 1) of the rarest question word the searched articles lack
   * altogether: a word of the asker's own (a paraphrase), which `coverage` counts as missed although no
   * sentence could hold it.
   */
  absentWord: number;
  /** 1 for a what/which question (the asked-for thing has no type the sentence features can check). */
  whatQuestion: number;
  /** 1 when the question is negated ("Who did not…", "never") and the best sentence is not. */
  unmatchedNegation: number;
}

/** Sentences [from, to) of the index that were searched. */
export interface SignalScope {
  from?: number;
  to?: number;
}

const TOPICALITY_UNIT = 12;
const NEGATION = /\b(not|never|no|none|nobody|nothing|without)\b|n't\b/i;
const WHAT = /\b(what|which)\b/i;

export function answerSignals(ranker: Ranker, question: string, query: AnalysedQuery, result: SearchResult, scope: SignalScope = {}): AnswerSignals {
  const best = result.sentences[0];
  const second = result.sentences[1];
  const { index } = ranker;
  const signals: AnswerSignals = {
    coverage: best?.coverage ?? 0,
    margin: best === undefined ? 0 : best.score <= 0 ? 0 : second === undefined ? 1 : Math.max(0, (best.score - (result.runnerUp ?? second.score)) / best.score),
    novelType: 0,
    missingType: 0,
    length: Math.min(8, query.terms.length) / 8,
    nearMiss: 0,
    absentWord: 0,
    whatQuestion: WHAT.test(question) ? 1 : 0,
    unmatchedNegation: 0,
  };
  if (best === undefined) return signals;
  const text = index.documents[index.sentenceDoc[best.sentence]!]!.sentences[index.positionInDocument(best.sentence)] ?? '';
  const fineType = result.fineType ?? 0;
  if (fineType !== 0) {
    const has = hasFineType(fineType, text);
    signals.missingType = has ? 0 : 1;
    signals.novelType = has && hasNovelFineType(fineType, text, question.toLowerCase()) ? 1 : 0;
  } else if (query.answerType !== 0) {
    const has = (index.features[best.sentence]! & query.answerType) !== 0;
    signals.missingType = has ? 0 : 1;
    signals.novelType = has && hasNovel(query.answerType, text, question.toLowerCase()) ? 1 : 0;
  }
  signals.unmatchedNegation = NEGATION.test(question) && !NEGATION.test(text) ? 1 : 0;
  const doc = index.sentenceDoc[best.sentence]!;
  const near = { from: Math.max(index.docStart[doc]!, best.sentence - 1), to: Math.min(index.docStart[doc + 1]!, best.sentence + 2) };
  const from = scope.from ?? 0;
  const to = scope.to ?? index.sentenceCount;
  let nearMiss = 0;
  let absent = 0;
  for (const term of query.terms) {
    if (term.id >= 0 && holdsToken(index, term.id, near.from, near.to)) continue;
    if (term.id >= 0 && index.holdsTermIn(term.id, from, to)) nearMiss = Math.max(nearMiss, term.topicality);
    else absent = Math.max(absent, term.topicality);
  }
  signals.nearMiss = Math.min(1, nearMiss / TOPICALITY_UNIT);
  signals.absentWord = Math.min(1, absent / TOPICALITY_UNIT);
  return signals;
}

/** Whether one of sentences [from, to) holds the term (a scan of their tokens: a few sentences). */
function holdsToken(index: SentenceIndex, id: number, from: number, to: number): boolean {
  for (let k = index.tokenStart[from]!; k < index.tokenStart[to]!; k++) if (index.tokens[k] === id) return true;
  return false;
}

