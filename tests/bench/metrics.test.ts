import { describe, expect, it } from 'vitest';
import {
  containsAtWordBoundary,
  firstCorrectRank,
  hashSeed,
  holdsAnswer,
  lcsLength,
  meanRouge,
  mulberry32,
  normalizeText,
  rate,
  rougeF1,
  rougeLTokens,
  rougeNTokens,
  rougeTokens,
  summarizeRanks,
} from '../../bench/eval/metrics';

describe('answer matching', () => {
  it('normalises case and whitespace', () => {
    expect(normalizeText('  The  Southern\n\tand Central ')).toBe('the southern and central');
  });

  it('matches only at word boundaries where the gold starts or ends with a letter or digit', () => {
    expect(containsAtWordBoundary('it often rains', 'ten')).toBe(false);
    expect(containsAtWordBoundary('from 1562 to 1598', '562 to 1598')).toBe(false);
    expect(containsAtWordBoundary('from 1562 to 1598', '1562 to 1598')).toBe(true);
    expect(containsAtWordBoundary('in 1562, the wars', '1562,')).toBe(true);
    expect(containsAtWordBoundary('ten often, then ten.', 'ten')).toBe(true);
    expect(containsAtWordBoundary('anything', '')).toBe(false);
  });

  it('span golds: a sentence holds the answer if it contains any gold (case and whitespace ignored)', () => {
    const golds = ['the southern and central parts of France', 'about one-eighth'];
    expect(holdsAnswer('Concentrated mainly in the Southern and\n central parts of France.', golds, 'span')).toBe(true);
    expect(holdsAnswer('That was ABOUT ONE-EIGHTH of them.', golds, 'span')).toBe(true);
    expect(holdsAnswer('Central parts of France.', golds, 'span')).toBe(false);
    // A span gold never matches by the sentence being inside it.
    expect(holdsAnswer('France', golds, 'span')).toBe(false);
    expect(holdsAnswer('anything', [], 'span')).toBe(false);
  });

  it('sentence golds (WikiQA): containment either way', () => {
    const gold = ['The tournament was won by France , who beat Brazil 3–0 in the final.'];
    expect(holdsAnswer('The tournament was won by France , who beat Brazil 3–0 in the final.', gold, 'sentence')).toBe(true);
    // our splitter cut the gold in two: each piece is inside the gold
    expect(holdsAnswer('who beat Brazil 3–0 in the final.', gold, 'sentence')).toBe(true);
    // our splitter glued the gold to its neighbour
    expect(holdsAnswer('It was held in France. The tournament was won by France , who beat Brazil 3–0 in the final.', gold, 'sentence')).toBe(true);
    expect(holdsAnswer('France hosted the final.', gold, 'sentence')).toBe(false);
    expect(holdsAnswer('   ', gold, 'sentence')).toBe(false);
  });
});

describe('ranking metrics', () => {
  it('finds the 1-based rank of the first correct item, 0 when absent', () => {
    expect(firstCorrectRank([3, 5, 8, 5], (x) => x === 5)).toBe(2);
    expect(firstCorrectRank([3, 5], (x) => x === 9)).toBe(0);
    expect(firstCorrectRank([], () => true)).toBe(0);
  });

  it('computes top-1, top-3 and MRR from ranks', () => {
    const s = summarizeRanks([1, 2, 0, 4]);
    expect(s.n).toBe(4);
    expect(s.top1).toBeCloseTo(0.25);
    expect(s.top3).toBeCloseTo(0.5);
    expect(s.mrr).toBeCloseTo((1 + 1 / 2 + 0 + 1 / 4) / 4);
    expect(Number.isNaN(summarizeRanks([]).top1)).toBe(true);
  });

  it('rate is NaN on an empty denominator', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(Number.isNaN(rate(0, 0))).toBe(true);
  });
});

describe('ROUGE', () => {
  it('tokenises like rouge-score: lowercase, a-z0-9 runs, stems only tokens longer than 3', () => {
    expect(rougeTokens('U.S.-based, 2019!')).toEqual(['u', 's', 'base', '2019']);
    expect(rougeTokens('The dogs were RUNNING')).toEqual(['the', 'dog', 'were', 'run']);
    expect(rougeTokens('  ')).toEqual([]);
  });

  it('hand-computed: the cat sat on the mat / the cat is on the mat', () => {
    const s = rougeF1('the cat sat on the mat', 'the cat is on the mat');
    // unigrams: the×2, cat, on, mat shared = 5 of 6 each side
    expect(s.rouge1).toBeCloseTo(5 / 6);
    // bigrams: "the cat", "on the", "the mat" shared = 3 of 5 each side
    expect(s.rouge2).toBeCloseTo(3 / 5);
    // LCS "the cat on the mat" = 5
    expect(s.rougeL).toBeCloseTo(5 / 6);
  });

  it('hand-computed with stemming: running dogs / the dog runs', () => {
    const c = rougeTokens('running dogs');
    const r = rougeTokens('the dog runs');
    expect(c).toEqual(['run', 'dog']);
    expect(r).toEqual(['the', 'dog', 'run']);
    const r1 = rougeNTokens(c, r, 1);
    expect(r1.precision).toBeCloseTo(1);
    expect(r1.recall).toBeCloseTo(2 / 3);
    expect(r1.f1).toBeCloseTo(0.8);
    expect(rougeNTokens(c, r, 2).f1).toBe(0);
    const rl = rougeLTokens(c, r);
    expect(rl.precision).toBeCloseTo(1 / 2);
    expect(rl.recall).toBeCloseTo(1 / 3);
    expect(rl.f1).toBeCloseTo(0.4);
  });

  it('clips n-gram counts', () => {
    const s = rougeNTokens(['the', 'the', 'the', 'the'], ['the', 'cat'], 1);
    expect(s.precision).toBeCloseTo(1 / 4);
    expect(s.recall).toBeCloseTo(1 / 2);
    expect(s.f1).toBeCloseTo(1 / 3);
  });

  it('is 0 for an empty side and 1 for identical texts', () => {
    expect(rougeF1('', 'the cat')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
    expect(rougeF1('the cat', '')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
    const same = rougeF1('Police arrested two men.', 'police arrested two men');
    expect(same.rouge1).toBeCloseTo(1);
    expect(same.rouge2).toBeCloseTo(1);
    expect(same.rougeL).toBeCloseTo(1);
  });

  it('LCS: the classic example', () => {
    expect(lcsLength([...'ABCBDAB'], [...'BDCABA'])).toBe(4);
    expect(lcsLength([], ['a'])).toBe(0);
  });

  it('ROUGE-L is one LCS over the whole texts (not sentence-wise)', () => {
    // Sentence order swapped: the LCS can follow only one of the two sentences.
    const s = rougeF1('b1 b2 b3. a1 a2 a3.', 'a1 a2 a3. b1 b2 b3.');
    expect(s.rouge1).toBeCloseTo(1);
    expect(s.rougeL).toBeCloseTo(0.5);
  });

  it('averages scores', () => {
    const m = meanRouge([
      { rouge1: 0.2, rouge2: 0.1, rougeL: 0.3 },
      { rouge1: 0.4, rouge2: 0.3, rougeL: 0.1 },
    ]);
    expect(m.rouge1).toBeCloseTo(0.3);
    expect(m.rouge2).toBeCloseTo(0.2);
    expect(m.rougeL).toBeCloseTo(0.2);
  });
});

describe('seeded randomness', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = mulberry32(hashSeed('x'));
    const b = mulberry32(hashSeed('x'));
    const c = mulberry32(hashSeed('y'));
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect([c(), c(), c()]).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});
