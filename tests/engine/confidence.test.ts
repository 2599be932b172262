import { describe, expect, it } from 'vitest';
import { signalsFor } from '../../src/engine/answer';
import { confidenceOf, DEFAULT_CONFIDENCE } from '../../src/engine/confidence';
import { createEngine } from '../../src/engine/engine';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker } from '../../src/engine/ranking';
import { SentenceIndex } from '../../src/engine/sentence-index';
import type { SourceDocument } from '../../src/engine/types';

function article(id: string, sentences: string[]): SourceDocument {
  return { id, title: id, sentences, paragraphs: sentences.map((_, i) => i) };
}

/** Nine sentences: the answer first, filler between, and the harbour's ferry only at the end. */
const HARBOUR = article('harbour.txt', [
  'The harbour bridge was opened by the mayor in March after two years of work.',
  'Engineers tested the steel cables for weeks.',
  'Crowds gathered along the quay on the opening day.',
  'Traffic on the coast road fell by a third.',
  'Shops near the old market reported more visitors.',
  'The council published the final cost in its annual report.',
  'Local schools organised visits for their pupils.',
  'A photographer won a prize for a picture of the bridge at night.',
  'The old ferry across the harbour stopped running in April.',
]);

function signals(question: string, documents: SourceDocument[] = [HARBOUR], scoped = 0) {
  const index = SentenceIndex.build(documents);
  const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
  const scope = { from: index.docStart[scoped]!, to: index.docStart[scoped + 1]! };
  return signalsFor(ranker, question, { scope });
}

describe('answer signals', () => {
  it('a near miss: a question word the article has, but not near the best sentence', () => {
    expect(signals('Who opened the harbour bridge?').nearMiss).toBe(0);
    // "ferry" is in the article, far from the sentence about the opening.
    const miss = signals('Who opened the harbour bridge ferry?');
    expect(miss.nearMiss).toBeGreaterThan(0);
    expect(miss.absentWord).toBe(0);
  });

  it('a word the searched articles lack altogether is an absent word, not a near miss', () => {
    const absent = signals('Who opened the harbour bridge viaduct?');
    expect(absent.absentWord).toBeGreaterThan(0);
    expect(absent.nearMiss).toBe(0);
  });

  it('a word of another article is absent from a search scoped to this one', () => {
    const other = article('zoo.txt', ['The zoo bought a new ferry for its visitors.']);
    const scoped = signals('Who opened the harbour bridge ferry?', [article('h.txt', HARBOUR.sentences.slice(0, 8)), other], 0);
    expect(scoped.absentWord).toBeGreaterThan(0);
    expect(scoped.nearMiss).toBe(0);
  });

  it('a negated question whose best sentence is not negated', () => {
    expect(signals('Who did not open the harbour bridge?').unmatchedNegation).toBe(1);
    expect(signals("Who didn't open the harbour bridge?").unmatchedNegation).toBe(1);
    expect(signals('Who opened the harbour bridge?').unmatchedNegation).toBe(0);
    const negated = article('n.txt', ['The harbour bridge was not opened by the mayor.']);
    expect(signals('Who did not open the harbour bridge?', [negated]).unmatchedNegation).toBe(0);
  });

  it('what and which questions', () => {
    expect(signals('What did the council publish?').whatQuestion).toBe(1);
    expect(signals('Which bridge opened in March?').whatQuestion).toBe(1);
    expect(signals('Who opened the harbour bridge?').whatQuestion).toBe(0);
  });

  it('a "how long" question reads the type as the ranking does: a year alone is no span when another candidate has one', () => {
    const war = article('war.txt', [
      'The war between Britain and France ended in 1763 with the Treaty of Paris.',
      'The siege of the fort during the war lasted for three months.',
      'Both kingdoms raised new taxes.',
    ]);
    const index = SentenceIndex.build([war]);
    const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    const question = 'How long did the war between Britain and France go on?';
    const found = ranker.search(ranker.analyse(question), { top: 3 });
    expect(found.fineType).not.toBe(0);
    expect(found.sentences[0]?.sentence).toBe(0);
    const yearOnly = signals(question, [war]);
    expect(yearOnly.missingType).toBe(1);
    expect(yearOnly.novelType).toBe(0);
    // With no span among the candidates the coarse type stands: the year is a number the question does not give.
    const coarse = signals(question, [article('w.txt', [war.sentences[0]!, war.sentences[2]!])]);
    expect(coarse.missingType).toBe(0);
    expect(coarse.novelType).toBe(1);
    // The span is new to the question, so a sentence holding it is typed and novel.
    const span = signals('How long did the siege of the fort last?', [war]);
    expect(span.missingType).toBe(0);
    expect(span.novelType).toBe(1);
  });

  it('every signal stays in its range', () => {
    for (const question of ['Who opened the harbour bridge?', 'bridge', 'What did not stop running in April near the harbour?', 'zzz qqq']) {
      for (const value of Object.values(signals(question))) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('confidence', () => {
  const engine = createEngine([HARBOUR]);

  it('is confident of a question the best sentence answers in its own words', () => {
    const answer = engine.ask('Who opened the harbour bridge in March?');
    expect(answer.hits[0]?.sentence).toBe(1);
    expect(answer.confident).toBe(true);
  });

  it('is less sure of the same question negated, or with a word the answer lacks that the article has elsewhere', () => {
    const base = confidenceOf(signals('Who opened the harbour bridge in March?'));
    expect(confidenceOf(signals('Who did not open the harbour bridge in March?'))).toBeLessThan(base);
    expect(confidenceOf(signals('Who opened the harbour bridge ferry in March?'))).toBeLessThan(base);
  });

  it('never marks a declined answer confident', () => {
    const answer = engine.ask('Who won the World Cup final in Qatar?');
    expect(answer.answered).toBe(false);
    expect(answer.confident).toBe(false);
  });

  it('the model weighs every signal', () => {
    expect(Object.keys(DEFAULT_CONFIDENCE.weights).sort()).toEqual(Object.keys(signals('Who opened the harbour bridge?')).sort());
  });
});
