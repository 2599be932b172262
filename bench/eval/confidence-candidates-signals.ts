/**
 * Candidate confidence signals measured and dropped (README "Quality"), computed outside the engine for
 * bench/eval/confidence-candidates.ts. Each is named as the README names it; none is used by the bot.
 */
import { terms } from '../../src/text/tokens';
import type { AnalysedQuery, Ranker, SearchResult } from '../../src/engine/ranking';
import { backgroundFrequencies } from '../../src/engine/background';
import { nearSpellings } from '../../src/engine/expansion';
import { wordVectors } from '../../src/engine/word-vectors';
import { nearMissCandidates } from './nearmiss-candidates';

const NAME_IN_QUESTION = /(?<=\s["'“(]?)\p{Lu}[\p{L}\p{M}'-]*/gu;
const NEGATION = /\b(not|never|no|n't|none|nobody|nothing|without)\b|n't\b/i;

export function candidateSignals(ranker: Ranker, question: string, query: AnalysedQuery, result: SearchResult): Record<string, number> {
  const { index } = ranker;
  const best = result.sentences[0];
  const second = result.sentences[1];
  const third = result.sentences[2];
  const out: Record<string, number> = {};
  const total = query.terms.reduce((s, t) => s + t.topicality, 0);
  const maxTop = query.terms.reduce((m, t) => Math.max(m, t.topicality), 0);
  const totalIdf = query.terms.reduce((s, t) => s + t.idf, 0);
  out.nTerms = query.terms.length;
  out.scopeCoverage = result.scopeCoverage;
  out.topicMass = query.topicMass;
  out.maxTop = maxTop;
  out.answerType = query.answerType;
  out.bestScore = best?.score ?? 0;
  out.scoreNorm = best === undefined || totalIdf <= 0 ? 0 : best.score / totalIdf;
  out.margin3 = best === undefined || best.score <= 0 ? 0 : third === undefined ? 1 : Math.max(0, (best.score - third.score) / best.score);
  const gap = best === undefined ? 0 : second === undefined ? best.score : best.score - second.score;
  out.gapMeanIdf = query.meanIdf > 0 ? Math.min(3, gap / query.meanIdf) / 3 : 0;
  out.gapTotalIdf = totalIdf > 0 ? Math.min(1, gap / totalIdf) : 0;
  out.logGap = Math.log(1 + Math.max(0, gap)) / 3;
  out.gap = gap;
  out.secondNear = best !== undefined && second !== undefined && Math.abs(best.sentence - second.sentence) <= 2 ? 1 : 0;
  out.secondCoverage = second?.coverage ?? 0;
  out.position = best === undefined ? 0 : index.positionInDocument(best.sentence);
  const scopeFrom = 0;
  const scopeTo = index.sentenceCount;
  const inRange = (id: number, from: number, to: number): boolean => {
    if (id < 0) return false;
    for (let k = index.tokenStart[from]!; k < index.tokenStart[to]!; k++) if (index.tokens[k] === id) return true;
    return false;
  };
  // Missing from the whole scope.
  let scopeMissMax = 0;
  let scopeMissCount = 0;
  const inScope = query.terms.map((t) => t.id >= 0 && index.documentFrequency(t.id) > 0 && inRange(t.id, scopeFrom, scopeTo));
  query.terms.forEach((t, i) => {
    if (!inScope[i]) {
      scopeMissCount++;
      scopeMissMax = Math.max(scopeMissMax, t.topicality);
    }
  });
  out.scopeMissMax = scopeMissMax;
  out.scopeMissMaxRel = maxTop > 0 ? scopeMissMax / maxTop : 0;
  out.scopeMissShare = query.terms.length > 0 ? scopeMissCount / query.terms.length : 0;
  out.scopeMissCount = scopeMissCount;
  // Names of the question (capitalised, not first word).
  const nameTerms = new Set<string>();
  for (const m of question.matchAll(NAME_IN_QUESTION)) for (const t of terms(m[0])) nameTerms.add(t);
  let namesMissingScope = 0;
  let namesMissingWindow = 0;
  let namesMissingBest = 0;
  out.names = nameTerms.size;
  // Window: best ±1.
  let windowFound = 0;
  let windowMissMax = 0;
  let windowMissCount = 0;
  let bestIdf = 0;
  let expansionOnly = 0;
  if (best !== undefined) {
    const doc = index.sentenceDoc[best.sentence]!;
    const from = Math.max(index.docStart[doc]!, best.sentence - 1);
    const to = Math.min(index.docStart[doc + 1]!, best.sentence + 2);
    query.terms.forEach((t, i) => {
      const inWindow = inRange(t.id, from, to);
      const inBest = inRange(t.id, best.sentence, best.sentence + 1);
      if (inWindow) windowFound += t.topicality;
      else {
        windowMissCount++;
        windowMissMax = Math.max(windowMissMax, t.topicality);
      }
      if (inBest) bestIdf += t.idf;
      if (nameTerms.has(t.term)) {
        if (!inScope[i]) namesMissingScope++;
        if (!inWindow) namesMissingWindow++;
        if (!inBest) namesMissingBest++;
      }
      if (!inBest) {
        for (const r of query.related) {
          if (r.of === i && inRange(index.termId(r.term), best.sentence, best.sentence + 1)) {
            expansionOnly = 1;
            break;
          }
        }
      }
    });
  }
  out.namesMissingScope = namesMissingScope > 0 ? 1 : 0;
  // Expansion-aware: a name missing from the scope with no related term or near spelling in it.
  let namesMissingX = 0;
  let missingWordsX = 0;
  let missingMaxX = 0;
  query.terms.forEach((t, i) => {
    if (inScope[i]) return;
    let stand = query.related.some((r) => r.of === i && inRange(index.termId(r.term), scopeFrom, scopeTo));
    if (!stand && ranker.expansion !== undefined && ranker.expansion.spellingWeight > 0) stand = nearSpellings(index, t.term, scopeFrom, scopeTo, ranker.expansion, backgroundFrequencies()).length > 0;
    if (stand) return;
    missingWordsX++;
    missingMaxX = Math.max(missingMaxX, t.topicality);
    if (nameTerms.has(t.term)) namesMissingX++;
  });
  out.namesMissingX = namesMissingX > 0 ? 1 : 0;
  out.namesMissingXCount = namesMissingX;
  out.missingWordsX = missingWordsX;
  out.missingMaxXRel = maxTop > 0 ? missingMaxX / maxTop : 0;
  out.namesMissingWindow = namesMissingWindow > 0 ? 1 : 0;
  out.namesMissingBest = namesMissingBest > 0 ? 1 : 0;
  out.windowCoverage = total > 0 ? windowFound / total : 0;
  out.windowMissMax = windowMissMax;
  out.windowMissMaxRel = maxTop > 0 ? windowMissMax / maxTop : 0;
  out.windowMissCount = windowMissCount;
  out.idfCoverage = totalIdf > 0 ? bestIdf / totalIdf : 0;
  out.expansionOnly = expansionOnly;
  const text = best === undefined ? '' : index.documents[index.sentenceDoc[best.sentence]!]!.sentences[index.positionInDocument(best.sentence)] ?? '';
  const qNeg = NEGATION.test(question);
  const sNeg = NEGATION.test(text);
  out.negQuestionOnly = qNeg && !sNeg ? 1 : 0;
  out.negSentenceOnly = !qNeg && sNeg ? 1 : 0;
  let numberMissing = 0;
  if (best !== undefined) {
    const doc = index.sentenceDoc[best.sentence]!;
    const from = Math.max(index.docStart[doc]!, best.sentence - 1);
    const to = Math.min(index.docStart[doc + 1]!, best.sentence + 2);
    for (const t of query.terms) if (/^\d/.test(t.term) && !inRange(t.id, from, to)) numberMissing = 1;
  }
  out.numberMissing = numberMissing;
  out.qNeg = qNeg ? 1 : 0;
  out.sentenceLength = best === undefined ? 0 : index.sentenceLength[best.sentence]!;
  out.qWords = question.split(/\s+/).filter(Boolean).length;
  out.sentences = index.sentenceCount;
  const others = result.sentences.slice(1, 6);
  const maxOther = others.reduce((m, r) => Math.max(m, r.coverage), 0);
  out.covIsMax = best !== undefined && best.coverage >= maxOther ? 1 : 0;
  out.covGap = best === undefined ? 0 : best.coverage - maxOther;
  out.ties = best === undefined ? 0 : others.filter((r) => r.score >= 0.9 * best.score).length / 5;
  out.typed = query.answerType !== 0 ? 1 : 0;
  out.secondTypedFirstNot = best !== undefined && second !== undefined && query.answerType !== 0 && (index.features[best.sentence]! & query.answerType) === 0 && (index.features[second.sentence]! & query.answerType) !== 0 ? 1 : 0;
  out.leansBack = best === undefined ? 0 : index.leansBack[best.sentence]!;
  out.lead = best !== undefined && index.positionInDocument(best.sentence) === 0 ? 1 : 0;
  const lower = question.toLowerCase();
  out.qWhat = /\b(what|which)\b/.test(lower) ? 1 : 0;
  out.qWho = /\bwho/.test(lower) ? 1 : 0;
  out.qHow = /\bhow\b/.test(lower) && !/how (many|much)/.test(lower) ? 1 : 0;
  out.qWhy = /\bwhy\b/.test(lower) ? 1 : 0;
  // Near miss: the rarest question term absent from the window, split by whether the article has it elsewhere.
  let missElsewhere = 0;
  let missNowhere = 0;
  let bestTerms = 0;
  if (best !== undefined) {
    const doc = index.sentenceDoc[best.sentence]!;
    const from = Math.max(index.docStart[doc]!, best.sentence - 1);
    const to = Math.min(index.docStart[doc + 1]!, best.sentence + 2);
    query.terms.forEach((t, i) => {
      if (inRange(t.id, best.sentence, best.sentence + 1)) bestTerms++;
      if (inRange(t.id, from, to)) return;
      if (inScope[i]) missElsewhere = Math.max(missElsewhere, t.topicality);
      else missNowhere = Math.max(missNowhere, t.topicality);
    });
  }
  out.missElsewhereRel = maxTop > 0 ? missElsewhere / maxTop : 0;
  out.missNowhereRel = maxTop > 0 ? missNowhere / maxTop : 0;
  out.missElsewhere = missElsewhere / 15;
  out.missNowhere = missNowhere / 15;
  out.bestTermShare = query.terms.length > 0 ? bestTerms / query.terms.length : 0;
  const sorted = [...query.terms].sort((a, b) => b.topicality - a.topicality);
  const second2 = sorted[1];
  out.rare2Missing = 0;
  if (best !== undefined && second2 !== undefined) {
    const doc = index.sentenceDoc[best.sentence]!;
    const from = Math.max(index.docStart[doc]!, best.sentence - 1);
    const to = Math.min(index.docStart[doc + 1]!, best.sentence + 2);
    out.rare2Missing = inRange(second2.id, from, to) ? 0 : 1;
  }
  out.rarestMissing = 1;
  if (best !== undefined && sorted[0] !== undefined) {
    const doc = index.sentenceDoc[best.sentence]!;
    if (inRange(sorted[0].id, Math.max(index.docStart[doc]!, best.sentence - 1), Math.min(index.docStart[doc + 1]!, best.sentence + 2))) out.rarestMissing = 0;
  }
  out.rarestInBest = best !== undefined && sorted[0] !== undefined && inRange(sorted[0].id, best.sentence, best.sentence + 1) ? 1 : 0;
  // Agreement with a plain BM25 (k1 1.2, b 0.75, question terms only), over the whole scope and over the top 10.
  const bm25 = (sentence: number): number => {
    let score = 0;
    const len = index.sentenceLength[sentence]!;
    const norm = 1.2 * (0.25 + (0.75 * len) / index.averageLength);
    for (const t of query.terms) {
      if (t.id < 0) continue;
      let tf = 0;
      for (let k = index.tokenStart[sentence]!; k < index.tokenStart[sentence + 1]!; k++) if (index.tokens[k] === t.id) tf++;
      if (tf === 0) continue;
      const df = index.documentFrequency(t.id);
      score += Math.log(1 + (index.sentenceCount - df + 0.5) / (df + 0.5)) * (tf * 2.2) / (tf + norm);
    }
    return score;
  };
  out.agreeTop10 = 0;
  out.agreeAll = 0;
  out.bm25Margin = 0;
  if (best !== undefined) {
    const mine = bm25(best.sentence);
    const top = result.sentences.slice(0, 10).map((r) => bm25(r.sentence));
    out.agreeTop10 = top.every((x) => x <= mine) ? 1 : 0;
    let bestAll = -1;
    let bestScore = -1;
    let secondScore = -1;
    for (let s = 0; s < index.sentenceCount; s++) {
      const x = bm25(s);
      if (x > bestScore) { secondScore = bestScore; bestScore = x; bestAll = s; } else if (x > secondScore) secondScore = x;
    }
    out.agreeAll = bestAll === best.sentence || mine >= bestScore ? 1 : 0;
    out.bm25Margin = bestScore > 0 ? Math.max(0, (bestScore - Math.max(0, secondScore)) / bestScore) : 0;
    out.bm25Ratio = bestScore > 0 ? mine / bestScore : 0;
  }
  Object.assign(out, meaningSignals(ranker, query, result));
  Object.assign(out, nearMissCandidates(ranker, question, query, result));
  return out;
}

/**
 * How much of the question the best sentence (with its neighbours) and the searched text hold by meaning
 * (the word vectors of src/engine/word-vectors.ts): each question word counts 1 when held, else its
 * largest cosine (at least 0) with a term there, weighted by topicality (`meaningBest`, `meaningScope`);
 * and the least of those over the words not held (`meaningMissBest`, `meaningMissScope`; 1 when none is missing).
 */
function meaningSignals(ranker: Ranker, query: AnalysedQuery, result: SearchResult): Record<string, number> {
  const { index } = ranker;
  const vectors = wordVectors();
  const best = result.sentences[0];
  const out = { meaningBest: 0, meaningScope: 0, meaningMissBest: 1, meaningMissScope: 1 };
  if (best === undefined) return out;
  const termsOf = (from: number, to: number): Set<number> => {
    const ids = new Set<number>();
    for (let k = index.tokenStart[from]!; k < index.tokenStart[to]!; k++) ids.add(index.tokens[k]!);
    return ids;
  };
  const doc = index.sentenceDoc[best.sentence]!;
  const window = termsOf(Math.max(index.docStart[doc]!, best.sentence - 1), Math.min(index.docStart[doc + 1]!, best.sentence + 2));
  const scope = termsOf(0, index.sentenceCount);
  const rowsOf = (ids: Set<number>): number[] => [...ids].map((id) => vectors.row(index.term(id))).filter((row) => row >= 0);
  const windowRows = rowsOf(window);
  const scopeRows = rowsOf(scope);
  const held = (term: { id: number; term: string }, ids: Set<number>, rows: number[]): number => {
    if (term.id >= 0 && ids.has(term.id)) return 1;
    const row = vectors.row(term.term);
    let most = 0;
    if (row >= 0) for (const other of rows) most = Math.max(most, vectors.rowSimilarity(row, other));
    return most;
  };
  let mass = 0;
  for (const term of query.terms) {
    if (term.of !== undefined) continue;
    mass += term.topicality;
    const inBest = held(term, window, windowRows);
    const inScope = held(term, scope, scopeRows);
    out.meaningBest += term.topicality * inBest;
    out.meaningScope += term.topicality * inScope;
    if (inBest < 1) out.meaningMissBest = Math.min(out.meaningMissBest, inBest);
    if (inScope < 1) out.meaningMissScope = Math.min(out.meaningMissScope, inScope);
  }
  if (mass > 0) {
    out.meaningBest /= mass;
    out.meaningScope /= mass;
  }
  return out;
}
