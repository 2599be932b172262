import { hasNovel } from './answer-type';
import type { AnalysedQuery, Ranker, SearchResult } from './ranking';

/**
 * What the engine knows about how good its best sentence is, beyond its score: the inputs of the
 * confidence model (`confidence.ts`). Each is a number in a small range so one set of weights fits
 * every index size.
 */
export interface AnswerSignals {
  /** Share of the question's topicality the best sentence holds (0..1). */
  coverage: number;
  /** Share of the question's topicality the searched articles hold anywhere (0..1). */
  scopeCoverage: number;
  /** How far the best sentence is ahead of the second: (s1 − s2) / s1 (0..1; 1 when alone). */
  margin: number;
  /** 1 when the question asks for a kind of thing (a date, a number, a name, a place) and the best sentence has one the question does not already give. */
  novelType: number;
  /** 1 when the question asks for a kind of thing the best sentence lacks altogether. */
  missingType: number;
  /** 1 when the question's rarest word (in general English) is absent from the best sentence and both its neighbours. */
  rarestMissing: number;
  /** Number of distinct question terms (capped at 8, over 8). */
  length: number;
}

export function answerSignals(ranker: Ranker, question: string, query: AnalysedQuery, result: SearchResult): AnswerSignals {
  const best = result.sentences[0];
  const second = result.sentences[1];
  const { index } = ranker;
  const signals: AnswerSignals = {
    coverage: best?.coverage ?? 0,
    scopeCoverage: result.scopeCoverage,
    margin: best === undefined ? 0 : best.score <= 0 ? 0 : second === undefined ? 1 : Math.max(0, (best.score - second.score) / best.score),
    novelType: 0,
    missingType: 0,
    rarestMissing: 1,
    length: Math.min(8, query.terms.length) / 8,
  };
  if (best === undefined) return signals;
  const text = index.documents[index.sentenceDoc[best.sentence]!]!.sentences[index.positionInDocument(best.sentence)] ?? '';
  if (query.answerType !== 0) {
    const has = (index.features[best.sentence]! & query.answerType) !== 0;
    signals.missingType = has ? 0 : 1;
    signals.novelType = has && hasNovel(query.answerType, text, question.toLowerCase()) ? 1 : 0;
  }
  let rarest = query.terms[0];
  for (const term of query.terms) if (rarest === undefined || term.topicality > rarest.topicality) rarest = term;
  if (rarest !== undefined && rarest.id >= 0) {
    const doc = index.sentenceDoc[best.sentence]!;
    const from = Math.max(index.docStart[doc]!, best.sentence - 1);
    const to = Math.min(index.docStart[doc + 1]!, best.sentence + 2);
    for (let k = index.tokenStart[from]!; k < index.tokenStart[to]!; k++) {
      if (index.tokens[k] === rarest.id) {
        signals.rarestMissing = 0;
        break;
      }
    }
  }
  return signals;
}
