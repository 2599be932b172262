/**
 * Session 8's candidate confidence signals (issue 10), computed outside the engine for
 * bench/eval/confidence-candidates.ts (`--typed-only`): the answer type read as the ranking reads it (the
 * fine type of "how long / often / old / far" when some candidate is of that kind), the neighbour that has
 * the asked-for thing when the first sentence does not, the first sentence that restates the question,
 * the question word, and the second stage's own features of the first sentence against the second.
 */
import { Feature, hasNovel } from '../../src/engine/answer-type';
import { hasFineType, hasNovelFineType } from '../../src/engine/fine-answer-type';
import { RERANK_FEATURES, type AnalysedQuery, type Ranker, type SearchResult } from '../../src/engine/ranking';
import type { SentenceIndex } from '../../src/engine/sentence-index';
import { terms } from '../../src/text/tokens';

function sentenceText(index: SentenceIndex, sentence: number): string {
  return index.documents[index.sentenceDoc[sentence]!]!.sentences[index.positionInDocument(sentence)] ?? '';
}

/** Whether a sentence has the asked-for kind of thing, and one the question does not name, as the ranking reads the type. */
function typeOf(index: SentenceIndex, query: AnalysedQuery, fineHeld: boolean, sentence: number): { has: boolean; novel: boolean } {
  const text = sentenceText(index, sentence);
  if (fineHeld) {
    const has = hasFineType(query.fineType, text);
    return { has, novel: has && hasNovelFineType(query.fineType, text, query.asked) };
  }
  const has = (index.features[sentence]! & query.answerType) !== 0;
  return { has, novel: has && hasNovel(query.answerType, text, query.asked) };
}

const ANAPHORIC = /^["'“]?(?:(?:He|She|It|They|These|This|Those|His|Her|Its|Their|We|I)\b|(?:The|A|An)\s+(?!\p{Lu})\p{L})/u;
const PRONOUN = /^["'“]?(?:He|She|It|They|These|This|Those|His|Her|Its|Their|We|I)\b/u;

const QUESTION_WORDS: [string, RegExp][] = [
  ['qWho', /\bwho(m|se)?\b/],
  ['qWhen', /\bwhen\b|\bwhat (year|date|day|month|time)\b/],
  ['qWhere', /\bwhere\b/],
  ['qHowMany', /\bhow (many|much)\b/],
  ['qHowOther', /\bhow\b(?! (many|much))/],
  ['qWhy', /\bwhy\b/],
  ['qWhatName', /\bwhat (is|was|are|were) (the )?names?\b|\bname (of|the)\b/],
];

export function typedCandidates(ranker: Ranker, question: string, query: AnalysedQuery, result: SearchResult): Record<string, number> {
  const { index } = ranker;
  const out: Record<string, number> = {};
  const lower = question.toLowerCase();
  for (const [name, pattern] of QUESTION_WORDS) out[name] = pattern.test(lower) ? 1 : 0;
  const own = query.terms.filter((t) => t.of === undefined).length;
  out.short2 = own <= 2 ? 1 : 0;
  out.short3 = own <= 3 ? 1 : 0;
  const best = result.sentences[0];
  const second = result.sentences[1];
  out.marginHigh = best === undefined || best.score <= 0 ? 0 : second === undefined || (best.score - second.score) / best.score >= 0.25 ? 1 : 0;
  const names = ['fineNovelType', 'fineMissingType', 'nbrNovelFirstNot', 'nbrTypedFirstNot', 'restateTyped', 'restateUntyped', 'bestNewShare', 'nbrNewMore', 'covFull', 'secondNovelFirstNot'];
  for (const name of names) out[name] = 0;
  if (best === undefined) return out;
  const scope = { from: 0, to: index.sentenceCount, top: 30 };
  const explained = ranker.explain(query, scope);
  // The ranking's fine type stands only when one of its candidates is of that kind (Ranker.withFineTypeHeld).
  const fineHeld = query.fineType !== 0 && explained.some(({ sentence }) => hasFineType(query.fineType, sentenceText(index, sentence)));
  const typed = query.answerType !== 0 || fineHeld;
  const doc = index.sentenceDoc[best.sentence]!;
  const neighbours = [best.sentence - 1, best.sentence + 1].filter((s) => s >= index.docStart[doc]! && s < index.docStart[doc + 1]!);
  if (typed) {
    const first = typeOf(index, query, fineHeld, best.sentence);
    out.fineNovelType = first.novel ? 1 : 0;
    out.fineMissingType = first.has ? 0 : 1;
    const around = neighbours.map((s) => typeOf(index, query, fineHeld, s));
    out.nbrNovelFirstNot = !first.novel && around.some((t) => t.novel) ? 1 : 0;
    out.nbrTypedFirstNot = !first.has && around.some((t) => t.has) ? 1 : 0;
    out.restateTyped = first.novel ? 0 : best.coverage;
    if (second !== undefined) out.secondNovelFirstNot = !first.novel && typeOf(index, query, fineHeld, second.sentence).novel ? 1 : 0;
  } else {
    out.restateUntyped = best.coverage;
  }
  out.covFull = best.coverage >= 0.999 ? 1 : 0;
  // The share of the first sentence's distinct terms that the question does not have, and whether a neighbour has more of them.
  const asked = new Set(terms(question));
  const newShare = (sentence: number): number => {
    const own = new Set(terms(sentenceText(index, sentence)));
    if (own.size === 0) return 0;
    let fresh = 0;
    for (const t of own) if (!asked.has(t)) fresh++;
    return fresh / own.size;
  };
  out.bestNewShare = newShare(best.sentence);
  out.nbrNewMore = neighbours.some((s) => newShare(s) > out.bestNewShare! + 0.2) ? 1 : 0;
  // The second stage's features of the first sentence, and its lead over the second in each, in mean IDFs.
  const unit = query.meanIdf > 0 ? query.meanIdf : 1;
  const featuresOf = (sentence: number): Float64Array | undefined => explained.find((c) => c.sentence === sentence)?.features;
  const f1 = featuresOf(best.sentence);
  const f2 = second === undefined ? undefined : featuresOf(second.sentence);
  RERANK_FEATURES.forEach((name, k) => {
    out[`f_${name}`] = f1 === undefined ? 0 : Math.max(-3, Math.min(3, f1[k]! / unit)) / 3;
    out[`d_${name}`] = f1 === undefined || f2 === undefined ? 0 : Math.max(-3, Math.min(3, (f1[k]! - f2[k]!) / unit)) / 3;
  });
  out.typedDate = query.answerType === Feature.Date ? 1 : 0;
  // A first sentence that names its subject only by a pronoun or a description ("The actor, who…", "These
  // machines can…"): the name asked for is in the sentence it refers back to.
  const opening = sentenceText(index, best.sentence).replace(/^.{0,60}?\(CNN\)\s*--\s*/, '');
  out.anaphoricOpening = ANAPHORIC.test(opening) ? 1 : 0;
  out.pronounOpening = PRONOUN.test(opening) ? 1 : 0;
  out.anaphoricAsked = out.anaphoricOpening === 1 && (out.qWho === 1 || out.qWhatName === 1 || /\b(what|which)\b/.test(lower)) ? 1 : 0;
  // The article's lead sentence, when it is not the first, holding as much of the question (topicality) as the first.
  const lead = index.docStart[doc]!;
  const held = (sentence: number): number => {
    let mass = 0;
    let total = 0;
    for (const t of query.terms) {
      if (t.of !== undefined) continue;
      total += t.topicality;
      if (t.id < 0) continue;
      for (let k = index.tokenStart[sentence]!; k < index.tokenStart[sentence + 1]!; k++) if (index.tokens[k] === t.id) { mass += t.topicality; break; }
    }
    return total > 0 ? mass / total : 0;
  };
  out.leadCovers = lead !== best.sentence && held(lead) >= held(best.sentence) ? 1 : 0;
  out.leadShare = lead === best.sentence ? 1 : held(lead);
  // The near miss split by where the article has the word: in the first sentence's paragraph (outside its
  // neighbours), or only in other paragraphs.
  const holds = (id: number, from: number, to: number): boolean => {
    for (let k = index.tokenStart[from]!; k < index.tokenStart[to]!; k++) if (index.tokens[k] === id) return true;
    return false;
  };
  const paragraph = index.sentenceParagraph[best.sentence]!;
  let pFrom = best.sentence;
  while (pFrom > index.docStart[doc]! && index.sentenceParagraph[pFrom - 1] === paragraph) pFrom--;
  let pTo = best.sentence + 1;
  while (pTo < index.docStart[doc + 1]! && index.sentenceParagraph[pTo] === paragraph) pTo++;
  const nFrom = Math.max(index.docStart[doc]!, best.sentence - 1);
  const nTo = Math.min(index.docStart[doc + 1]!, best.sentence + 2);
  let inParagraph = 0;
  let inOther = 0;
  for (const t of query.terms) {
    if (t.id < 0 || holds(t.id, nFrom, nTo)) continue;
    if (holds(t.id, pFrom, pTo)) inParagraph = Math.max(inParagraph, t.topicality);
    else if (index.holdsTermIn(t.id, 0, index.sentenceCount)) inOther = Math.max(inOther, t.topicality);
  }
  out.nearMissParagraph = Math.min(1, inParagraph / 12);
  out.nearMissOther = Math.min(1, inOther / 12);
  return out;
}
