import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from '../../src/engine/top-k';

describe('TopK', () => {
  it('keeps the k best, best first', () => {
    const top = new TopK(3);
    [5, 1, 9, 7, 3, 8].forEach((score, id) => top.offer(id, score));
    expect(top.sorted()).toEqual([{ id: 2, score: 9 }, { id: 5, score: 8 }, { id: 3, score: 7 }]);
  });

  it('breaks ties by the lower id', () => {
    const top = new TopK(2);
    [1, 1, 1, 1].forEach((score, id) => top.offer(id, score));
    expect(top.sorted().map((s) => s.id)).toEqual([0, 1]);
  });

  it('agrees with a full sort for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: 1, max: 20 }), (scores, k) => {
        const top = new TopK(k);
        scores.forEach((score, id) => top.offer(id, score));
        const expected = scores.map((score, id) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
        expect(top.sorted()).toEqual(expected);
      }),
    );
  });
});
