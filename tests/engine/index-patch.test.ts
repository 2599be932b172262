/**
 * The patched index (src/engine/index-patch.ts) against a fresh build over the same documents: after any
 * mix of changed, added and removed documents, the sentences, paragraphs and documents are the same, each
 * sentence holds the same terms, and each term (by its string) has the same postings, frequencies and
 * document count, so the same IDF; the earlier set's term ids are kept (new terms after them), the title
 * terms are the same, the index it was patched from is left untouched, and the engine built on it gives
 * the same answers (hits, scores, confidence) and summaries.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { combineAnalyses, type AnalysisPart, type EarlierSet } from '../../src/engine/analysis-merge';
import { Engine } from '../../src/engine/engine';
import { EMPTY_TERMS_TO_COMPACT, patchFits } from '../../src/engine/index-patch';
import { analyseDocuments, SentenceIndex, type AnalysedDocuments, type BuiltIndex } from '../../src/engine/sentence-index';
import { runNow } from '../../src/engine/time-slice';
import type { SourceDocument } from '../../src/engine/types';
import { parseArticle } from '../../src/sources/parse';
import { newsArticle, NEWS_WORDS } from '../text/arbitraries';
import { fixtureDocuments } from './fixtures';
import { postingsByTerm, sentencesOf } from './same-index';

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 100) };
const FIXTURES = fixtureDocuments();

/** News-shaped text with words no other document may have, so changes bring new terms and take terms away. */
const articleText = fc
  .tuple(newsArticle(6), fc.array(fc.stringMatching(/^[a-z]{3,9}$/), { maxLength: 6 }), fc.constantFrom(...NEWS_WORDS))
  .map(([text, rare, word]) => `${text} The ${word} ${rare.join(' ')} was reported.`);

/** What happens to each document of the earlier set; and new documents, each after some earlier one. */
const changeArb = fc.record({
  base: fc.array(articleText, { minLength: 1, maxLength: 12 }),
  fates: fc.array(fc.constantFrom('keep', 'keep', 'keep', 'keep', 'change', 'remove'), { minLength: 12, maxLength: 12 }),
  added: fc.array(fc.tuple(fc.nat(12), articleText), { maxLength: 3 }),
  batches: fc.integer({ min: 1, max: 3 }),
  withFixtures: fc.boolean(),
});

type Change = typeof changeArb extends fc.Arbitrary<infer T> ? T : never;

function named(id: string, text: string): SourceDocument {
  return parseArticle(id, text);
}

/** The earlier set, the new set, and the parts a reload would hand over: unchanged documents from the earlier analysis, the rest analysed in batches. */
function scenario(change: Change) {
  const lead = change.withFixtures ? FIXTURES.map((document, n) => ({ ...document, id: `a${n}-${document.id}` })) : [];
  const before = [...lead, ...change.base.map((text, n) => named(`d${String(n).padStart(2, '0')}.txt`, text))];
  const after: SourceDocument[] = [...lead];
  change.base.forEach((text, n) => {
    const id = `d${String(n).padStart(2, '0')}.txt`;
    const fate = change.fates[n]!;
    if (fate === 'keep') after.push(before[lead.length + n]!);
    if (fate === 'change') after.push(named(id, `${text} It changed on Monday.`));
    change.added.forEach(([at, added], k) => {
      if (at === n) after.push(named(`${id}-new${k}`, added));
    });
  });
  const analysis = analyseDocuments(before);
  const earlier: EarlierSet = { documents: before, analysis, index: SentenceIndex.fromAnalysis(before, analysis).builtIndex() };
  const kept = new Map(before.map((document, doc) => [document, doc]));
  const fresh = after.filter((document) => !kept.has(document));
  const batchSize = Math.max(1, Math.ceil(fresh.length / change.batches));
  const batches: AnalysedDocuments[] = [];
  for (let from = 0; from < fresh.length; from += batchSize) batches.push(analyseDocuments(fresh.slice(from, from + batchSize)));
  let next = 0;
  const parts: AnalysisPart[] = after.map((document) => {
    const doc = kept.get(document);
    if (doc !== undefined) return { analysis, doc };
    const at = next++;
    return { analysis: batches[Math.floor(at / batchSize)]!, doc: at % batchSize };
  });
  return { before, after, earlier, parts };
}

function sortedTitles(index: BuiltIndex): [string, number[]][] {
  return [...index.titles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A deep copy of the arrays an index is made of, to show that nothing wrote to them. */
function snapshotOf(set: EarlierSet): unknown {
  return structuredClone({ analysis: set.analysis, postings: set.index?.postings, titles: [...(set.index?.titles ?? [])] });
}

function questionsFor(documents: readonly SourceDocument[]): string[] {
  const sentences = documents.flatMap((document) => document.sentences);
  const picked = sentences.filter((_, n) => n % 3 === 0).slice(0, 12);
  return ['What was reported?', 'When did it change?', 'Who said the council approved the bridge?', 'Where did the flood start?', ...picked];
}

describe('patching an index', () => {
  test.prop([changeArb], RUNS)('gives the sentences, postings per term and titles of a fresh build, keeps the earlier term ids, and leaves the earlier index as it was', (change) => {
    const { after, earlier, parts } = scenario(change);
    const untouched = snapshotOf(earlier);
    const combined = runNow(combineAnalyses(after, parts, [earlier]));
    const analysis = analyseDocuments(after);
    const fresh = SentenceIndex.fromAnalysis(after, analysis).builtIndex();
    expect(sentencesOf(combined.analysis)).toEqual(sentencesOf(analysis));
    if (patchFits(earlier.analysis, parts)) expect(combined.index).toBeDefined();
    if (combined.index !== undefined) {
      expect(combined.analysis.terms.slice(0, earlier.analysis.terms.length)).toEqual(earlier.analysis.terms);
      expect(postingsByTerm(combined.analysis, combined.index.postings)).toEqual(postingsByTerm(analysis, fresh.postings));
      expect(sortedTitles(combined.index)).toEqual(sortedTitles(fresh));
    } else {
      expect(combined.analysis).toEqual(analysis);
    }
    expect(snapshotOf(earlier)).toEqual(untouched);
  });

  it('patches in a good share of the generated changes, so the comparisons above cover the patch', () => {
    const changes = fc.sample(changeArb, { numRuns: 200, seed: 7 });
    const patched = changes.filter((change) => {
      const { after, earlier, parts } = scenario(change);
      return patchFits(earlier.analysis, parts) && runNow(combineAnalyses(after, parts, [earlier])).index !== undefined;
    });
    expect(patched.length).toBeGreaterThanOrEqual(changes.length / 4);
  });

  test.prop([changeArb], { numRuns: Math.ceil(RUNS.numRuns / 4) })('answers and summarises exactly as a fresh build', (change) => {
    const { before, after, earlier, parts } = scenario(change);
    const combined = runNow(combineAnalyses(after, parts, [earlier]));
    // Built as a reload builds it: lending the earlier index's term map.
    const earlierIndex = SentenceIndex.fromBuilt(before, earlier.analysis, earlier.index!);
    const patched = new Engine(after, {}, combined.index === undefined ? combined.analysis : SentenceIndex.fromBuilt(after, combined.analysis, combined.index, earlierIndex));
    const fresh = new Engine(after);
    // Every term a fresh build knows is known by the same string, and no other term is.
    for (let id = 0; id < fresh.index.termCount; id++) expect(patched.index.term(patched.index.termId(fresh.index.term(id)))).toBe(fresh.index.term(id));
    for (let id = 0; id < patched.index.termCount; id++) {
      const term = patched.index.term(id);
      expect(patched.index.termId(term)).toBe(fresh.index.termId(term) < 0 ? -1 : id);
    }
    // Questions from the documents that left too: their words are those a patch keeps with no postings.
    const gone = before.filter((document) => !after.includes(document));
    for (const question of [...questionsFor(after), ...questionsFor(gone).slice(4)]) {
      expect(patched.ask(question)).toEqual(fresh.ask(question));
      const source = after[0]?.id;
      if (source !== undefined) expect(patched.ask(question, { source })).toEqual(fresh.ask(question, { source }));
    }
    expect(patched.summarize()).toEqual(fresh.summarize());
  });

  it('is taken for one changed document among many, and not when most documents are new', () => {
    const before = Array.from({ length: 40 }, (_, n) => named(`n${String(n).padStart(2, '0')}.txt`, `Story ${n} tells of harbour number ${n}. The crane lifted ${n} boxes.`));
    const analysis = analyseDocuments(before);
    const one = analyseDocuments([named('n05.txt', 'Story five was rewritten entirely.')]);
    const parts: AnalysisPart[] = before.map((_, doc) => (doc === 5 ? { analysis: one, doc: 0 } : { analysis, doc }));
    expect(patchFits(analysis, parts)).toBe(true);
    const most = analyseDocuments(before.slice(0, 30).map((document) => named(document.id, 'All new text here.')));
    const mostParts: AnalysisPart[] = before.map((_, doc) => (doc < 30 ? { analysis: most, doc } : { analysis, doc }));
    expect(patchFits(analysis, mostParts)).toBe(false);
    // Earlier documents out of their order cannot be patched (their postings would not stay ascending).
    expect(patchFits(analysis, [{ analysis, doc: 3 }, { analysis, doc: 2 }])).toBe(false);
  });

  it('declines once many terms would be left without postings, so a merge numbers them compactly again', () => {
    const word = (n: number) => `zq${[0, 1, 2].map((place) => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(n / 26 ** place) % 26]).join('')}x`;
    const rare = Array.from({ length: EMPTY_TERMS_TO_COMPACT + 100 }, (_, n) => word(n)).join(' ');
    const kept = named('a.txt', 'The harbour opened on Monday.\n\nThe crane lifted boxes.');
    const before = [kept, named('b.txt', `A list: ${rare}.`)];
    const analysis = analyseDocuments(before);
    const earlier: EarlierSet = { documents: before, analysis, index: SentenceIndex.fromAnalysis(before, analysis).builtIndex() };
    const parts: AnalysisPart[] = [{ analysis, doc: 0 }];
    expect(patchFits(analysis, parts)).toBe(true);
    expect(analysis.terms.length).toBeGreaterThan(EMPTY_TERMS_TO_COMPACT + 100);
    const combined = runNow(combineAnalyses([kept], parts, [earlier]));
    expect(combined.index).toBeUndefined();
    expect(combined.analysis).toEqual(analyseDocuments([kept]));
    // A few such terms are kept, with no postings, and the patch is taken.
    const few = [kept, named('b.txt', 'A list: zqaa zqab zqac.')];
    const fewAnalysis = analyseDocuments(few);
    const fewEarlier: EarlierSet = { documents: few, analysis: fewAnalysis, index: SentenceIndex.fromAnalysis(few, fewAnalysis).builtIndex() };
    const patched = runNow(combineAnalyses([kept], [{ analysis: fewAnalysis, doc: 0 }], [fewEarlier]));
    expect(patched.index).toBeDefined();
    expect(patched.analysis.terms).toEqual(fewAnalysis.terms);
    const index = SentenceIndex.fromBuilt([kept], patched.analysis, patched.index!);
    expect(index.storedTermId('zqab')).toBeGreaterThanOrEqual(0);
    expect(index.termId('zqab')).toBe(-1);
    expect(index.termId('harbour')).toBe(fewAnalysis.terms.indexOf('harbour'));
    expect(index.termCount).toBeGreaterThan(index.liveTermCount);
    expect(index.liveTermCount).toBe(SentenceIndex.build([kept]).termCount);
  });
});
