import { describe, expect, it } from 'vitest';
import { Feature, hasNovel } from '../../src/engine/answer-type';
import { createEngine } from '../../src/engine/engine';
import { DEFAULT_RANKING } from '../../src/engine/ranking';
import type { SourceDocument } from '../../src/engine/types';

describe('hasNovel: the thing asked for, not already in the question', () => {
  it('finds a name the question does not give, and not one it gives', () => {
    const asked = 'who met kim in singapore?';
    expect(hasNovel(Feature.Name, 'Kim met Donald Trump in Singapore.', asked)).toBe(true);
    expect(hasNovel(Feature.Name, 'The talks in Singapore pleased Kim.', asked)).toBe(false);
  });

  it('finds a number the question does not give', () => {
    const asked = 'how many people died in the 2019 floods?';
    expect(hasNovel(Feature.Number, 'The 2019 floods killed 41 people.', asked)).toBe(true);
    expect(hasNovel(Feature.Number, 'The 2019 floods were the worst.', asked)).toBe(false);
  });
});

function article(sentences: string[]): SourceDocument {
  return { id: 'a.txt', title: 'Harbour', sentences, paragraphs: sentences.map((_, i) => i) };
}

describe('answer novelty in ranking', () => {
  // The first sentence restates the question (its only name is the question's); the second names someone new.
  const doc = article(['The harbour bridge was opened, Lopez said.', 'The harbour bridge was opened by Reyes.']);
  const question = 'Who did Lopez say opened the harbour bridge?';
  const ask = (noveltyWeight: number) => createEngine([doc], { ranking: { ...DEFAULT_RANKING, noveltyWeight } }).ask(question).hits;

  it('raises only the sentence with a new name, enough to rank it first when weighted heavily', () => {
    const without = ask(0);
    const heavy = ask(5);
    expect(without.map((h) => h.sentence)).toEqual([1, 2]);
    expect(heavy.map((h) => h.sentence)).toEqual([2, 1]);
    const score = (hits: typeof without, sentence: number): number => hits.find((h) => h.sentence === sentence)!.score;
    expect(score(heavy, 1)).toBe(score(without, 1));
    expect(score(heavy, 2)).toBeGreaterThan(score(without, 2));
  });
});

describe('answer novelty with a negative weight (as tuning may try)', () => {
  // Sentence 1 is the best match and names only the question's own person, so no novelty penalty applies to it.
  const doc = article([
    'The harbour bridge was opened after years of work, Lopez said.',
    'the harbour bridge was long.',
    'the bridge was opened.',
    'the harbour was opened.',
    'the harbour bridge opened late.',
    'the harbour bridge was opened again.',
    'the harbour bridge was said to be opened.',
  ]);
  const question = 'Who did Lopez say opened the harbour bridge?';
  const ask = (noveltyWeight: number) => createEngine([doc], { ranking: { ...DEFAULT_RANKING, noveltyWeight } }).ask(question).hits;

  it('keeps a sentence that is not novel at the score a full rescoring gives it', () => {
    const neutral = ask(0);
    const negative = ask(-10);
    expect(neutral[0]?.sentence).toBe(1);
    expect(negative[0]?.sentence).toBe(1);
    expect(negative[0]?.score).toBe(neutral[0]?.score);
  });
});
