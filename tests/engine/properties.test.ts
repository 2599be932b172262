/**
 * Property tests of the engine: any question against any sources (both from the hostile text of
 * tests/text/arbitraries.ts) never throws, never returns a hit outside the index, and every sentence
 * number it gives points at the sentence it quotes. Summaries likewise.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine';
import { americanStem, DEFAULT_EXPANSION, oneEditApart, relatedTerms, sharesPrefix } from '../../src/engine/expansion';
import { wordVectors } from '../../src/engine/word-vectors';
import { UnknownSourceError } from '../../src/engine/errors';
import type { Answer, AskOptions, SourceDocument, Summary } from '../../src/engine/types';
import { parseArticle } from '../../src/sources/parse';
import { terms } from '../../src/text/tokens';
import { anyText, LARGE_INPUTS, NASTY_PIECES, newsArticle, newsLike } from '../text/arbitraries';
import { fixtureDocuments } from './fixtures';

/** FC_RUNS=5000 for a long hunt; the default keeps `npm test` quick. */
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 150) };
const FIXTURES = fixtureDocuments();
const fixtureEngine = createEngine(FIXTURES);

/** A source text: mostly news-like with hostile pieces, sometimes pure noise (which may leave no sentence). */
const sourceText = fc.oneof({ arbitrary: newsArticle(), weight: 3 }, { arbitrary: newsLike(150), weight: 2 }, { arbitrary: anyText(400), weight: 1 });

/** Zero to four parsed sources, sometimes after the real fixture articles. Documents with no sentence included. */
const documentsArb = fc
  .tuple(fc.boolean(), fc.array(sourceText, { maxLength: 4 }))
  .map(([withFixtures, texts]) => [...(withFixtures ? FIXTURES : []), ...texts.map((text, i) => parseArticle(`doc-${i}.txt`, text))]);

/** A question: hostile text, or words of one of the sentences (so that there are hits), or both. */
function questionFor(documents: readonly SourceDocument[]): fc.Arbitrary<string> {
  const sentences = documents.flatMap((document) => document.sentences);
  const free = fc.oneof(anyText(200), newsLike(20));
  if (sentences.length === 0) return free;
  const fromSentence = fc.tuple(fc.constantFrom(...sentences), fc.constantFrom(...NASTY_PIECES), fc.boolean()).map(([sentence, nasty, prefix]) =>
    prefix ? `${nasty} ${sentence}` : `${sentence.slice(0, 120)} ${nasty}`,
  );
  return fc.oneof(free, fromSentence, fc.constantFrom(...sentences));
}

const corpusAndQuestion = documentsArb.chain((documents) => fc.tuple(fc.constant(documents), questionFor(documents)));
const topArb = fc.option(fc.integer({ min: -3, max: 40 }), { nil: undefined });

/** Whether the text holds a question term, or a term that may stand for one (src/engine/expansion.ts, and close in meaning). */
function sharesTerm(text: string, questionTerms: ReadonlySet<string>): boolean {
  const related = new Set(relatedTerms([...questionTerms], DEFAULT_EXPANSION).map((term) => term.term));
  const vectors = wordVectors();
  const standsFor = (term: string): boolean =>
    related.has(term) || [...questionTerms].some((asked) => americanStem(asked) === term || oneEditApart(asked, term)
      || sharesPrefix(asked, term, DEFAULT_EXPANSION.spellingMinLength, DEFAULT_EXPANSION.prefixLetters)
      || vectors.similarity(asked, term) > DEFAULT_EXPANSION.meaningFloor);
  return terms(text).some((term) => questionTerms.has(term) || standsFor(term));
}

/** Everything an answer promises, checked against the documents the engine was built from. */
function checkAnswer(documents: readonly SourceDocument[], question: string, ask: AskOptions, answer: Answer): void {
  const byId = new Map(documents.map((document) => [document.id, document]));
  const questionTerms = new Set(terms(question));
  expect(answer.question).toBe(question);
  expect(answer.answered).toBe(answer.declineReason === undefined);
  expect([undefined, 'empty-question', 'no-match', 'weak-match']).toContain(answer.declineReason);
  // "Empty" means exactly: no index term in the question.
  expect(answer.declineReason === 'empty-question').toBe(questionTerms.size === 0);
  if (answer.declineReason === 'empty-question') expect(answer.hits).toEqual([]);
  if (answer.answered) expect(answer.hits.length).toBeGreaterThan(0);
  expect(answer.hits.length).toBeLessThanOrEqual(Math.max(1, ask.top ?? 3));

  const seen = new Set<string>();
  answer.hits.forEach((hit, rank) => {
    const document = byId.get(hit.source);
    expect(document, `hit ${rank} names a source outside the index: ${hit.source}`).toBeDefined();
    if (document === undefined) return;
    if (ask.source !== undefined) expect(hit.source).toBe(ask.source);
    expect(hit.title).toBe(document.title);
    expect(hit.url).toBe(document.url);
    expect(hit.total).toBe(document.sentences.length);
    expect(Number.isInteger(hit.sentence) && hit.sentence >= 1 && hit.sentence <= hit.total).toBe(true);
    expect(hit.text).toBe(document.sentences[hit.sentence - 1]);
    expect(Number.isFinite(hit.score)).toBe(true);
    if (rank > 0) expect(hit.score).toBeLessThanOrEqual(answer.hits[rank - 1]!.score);
    const key = `${hit.source}\u0000${hit.sentence}`;
    expect(seen.has(key), `sentence ${hit.sentence} of ${hit.source} returned twice`).toBe(false);
    seen.add(key);
    // A hit holds a question term, or refers back to the sentence before it that does.
    const previous = document.sentences[hit.sentence - 2];
    expect(sharesTerm(hit.text, questionTerms) || (previous !== undefined && sharesTerm(previous, questionTerms))).toBe(true);
    if (hit.context !== undefined) {
      const { sentence, text } = hit.context;
      expect(Number.isInteger(sentence) && sentence >= 1 && sentence <= hit.total && sentence !== hit.sentence).toBe(true);
      expect(text).toBe(document.sentences[sentence - 1]);
    }
  });
}

function checkSummaries(documents: readonly SourceDocument[], summaries: Summary[], requested: number, only?: string): void {
  const expected = only === undefined ? documents : documents.filter((document) => document.id === only);
  expect(summaries.map((summary) => summary.source)).toEqual(expected.map((document) => document.id));
  summaries.forEach((summary, i) => {
    const document = expected[i]!;
    expect(summary.title).toBe(document.title);
    expect(summary.url).toBe(document.url);
    expect(summary.total).toBe(document.sentences.length);
    expect(summary.sentences.length).toBeLessThanOrEqual(requested);
    summary.sentences.forEach(({ sentence, text }, k) => {
      expect(Number.isInteger(sentence) && sentence >= 1 && sentence <= summary.total).toBe(true);
      expect(text).toBe(document.sentences[sentence - 1]);
      // In article order, no sentence twice.
      if (k > 0) expect(sentence).toBeGreaterThan(summary.sentences[k - 1]!.sentence);
    });
  });
}

describe('ask on any question and any sources', () => {
  test.prop([anyText(300), topArb], RUNS)('answers any question about the fixture articles within its promises', (question, top) => {
    checkAnswer(FIXTURES, question, { top }, fixtureEngine.ask(question, { top }));
  });

  test.prop([corpusAndQuestion, topArb], RUNS)('answers any question about any sources within its promises', ([documents, question], top) => {
    const engine = createEngine(documents);
    checkAnswer(documents, question, { top }, engine.ask(question, { top }));
  });

  test.prop([corpusAndQuestion.chain(([documents, question]) => fc.tuple(fc.constant(documents), fc.constant(question), fc.nat()))], RUNS)(
    'keeps every hit inside the one source asked about',
    ([documents, question, pick]) => {
      fc.pre(documents.length > 0);
      const source = documents[pick % documents.length]!.id;
      const engine = createEngine(documents);
      checkAnswer(documents, question, { source }, engine.ask(question, { source }));
    },
  );

  test.prop([documentsArb, fc.oneof(anyText(40), fc.constantFrom('', ' ', '__proto__', 'constructor', 'toString', 'doc-9.txt', 'DOC-0.TXT'))], RUNS)(
    'refuses an unknown source with UnknownSourceError, never anything else',
    (documents, source) => {
      fc.pre(!documents.some((document) => document.id === source));
      const engine = createEngine(documents);
      expect(() => engine.ask('bridge council', { source })).toThrow(UnknownSourceError);
      expect(() => engine.summarize({ source })).toThrow(UnknownSourceError);
    },
  );

  test.prop([corpusAndQuestion.chain(([documents, question]) => fc.tuple(fc.constant(documents), fc.constant(question), questionFor(documents)))], RUNS)(
    'answers a question the same whatever was asked before (no state leaks between questions)',
    ([documents, first, second]) => {
      const engine = createEngine(documents);
      engine.ask(first);
      engine.ask(first, { top: 1 });
      expect(engine.ask(second)).toEqual(createEngine(documents).ask(second));
    },
  );

  const large = Object.entries(LARGE_INPUTS);
  it.each(large)('answers a 100 KB question of %s', (_name, question) => {
    checkAnswer(FIXTURES, question, {}, fixtureEngine.ask(question));
  });

  it.each(large)('indexes a 100 KB source of %s and answers from it', (name, text) => {
    const documents = [...FIXTURES, parseArticle('big.txt', text)];
    const engine = createEngine(documents);
    for (const question of ['When did the bridge reopen?', text.slice(0, 300), `${name} ${text.slice(-300)}`]) {
      checkAnswer(documents, question, {}, engine.ask(question));
      checkAnswer(documents, question, { source: 'big.txt' }, engine.ask(question, { source: 'big.txt' }));
    }
    checkSummaries(documents, engine.summarize(), 3);
  });

  it('answers a 100 KB question against a 100 KB source made of the same words', () => {
    const text = LARGE_INPUTS['distinct words']!;
    const documents = [parseArticle('big.txt', text)];
    checkAnswer(documents, text, {}, createEngine(documents).ask(text));
  });
});

describe('summarize on any sources', () => {
  test.prop([documentsArb, fc.integer({ min: 1, max: 12 })], RUNS)('summarises every source within its promises', (documents, requested) => {
    checkSummaries(documents, createEngine(documents).summarize({ sentences: requested }), requested);
  });

  test.prop([documentsArb.chain((documents) => fc.tuple(fc.constant(documents), fc.nat(), fc.integer({ min: 1, max: 12 })))], RUNS)(
    'summarises one source within its promises',
    ([documents, pick, requested]) => {
      fc.pre(documents.length > 0);
      const source = documents[pick % documents.length]!.id;
      checkSummaries(documents, createEngine(documents).summarize({ source, sentences: requested }), requested, source);
    },
  );

  it('summarises the fixture articles with the default length', () => {
    checkSummaries(FIXTURES, fixtureEngine.summarize(), 3);
  });
});
