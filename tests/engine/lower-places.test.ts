import { describe, expect, it } from 'vitest';
import { answerSignals } from '../../src/engine/signals';
import { orderLowerPlaces } from '../../src/engine/lower-places';
import { DEFAULT_RANKING, Ranker, RERANK_FEATURES, rerankWeights, type RankedSentence } from '../../src/engine/ranking';
import { SentenceIndex } from '../../src/engine/sentence-index';
import type { SourceDocument } from '../../src/engine/types';

const ranked = (...scores: number[]): RankedSentence[] => scores.map((score, k) => ({ sentence: 10 + k, score, coverage: 0.5 }));
const ids = (list: readonly RankedSentence[]): number[] => list.map((r) => r.sentence);

describe('orderLowerPlaces', () => {
  const bonuses = (values: number[]) => (k: number): number => values[k]!;

  it('keeps the first, chooses the next places by score plus bonus, and leaves the rest in the given order', () => {
    const list = ranked(9, 8, 7, 6, 5, 4);
    // Sentence 14 (score 5) gets 3.5 and outplaces 11 (8) and 12 (7); 15 (4) gets 3.5 too, not enough for the second place.
    const bonus = bonuses([100, 0, 0, 0, 3.5, 3.5]);
    expect(ids(orderLowerPlaces(list, bonus, 3.5, 2, 6))).toEqual([10, 14, 11, 12, 13, 15]);
    // With one place, 11 goes back to the tail in its order.
    expect(ids(orderLowerPlaces(list, bonus, 3.5, 1, 6))).toEqual([10, 14, 11, 12, 13, 15]);
    expect(ids(orderLowerPlaces(list, bonuses([0, 0, 0, 0, 3.5, 3.5]), 3.5, 3, 6))).toEqual([10, 14, 11, 15, 12, 13]);
    expect(ids(orderLowerPlaces(list, bonus, 3.5, 0, 6))).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('cuts to top, keeps ties in the given order and shows each place the score it was placed by, falling', () => {
    const list = ranked(9, 8, 7, 7);
    const out = orderLowerPlaces(list, bonuses([0, 0, 1.5, 1.5]), 1.5, 2, 3);
    expect(ids(out)).toEqual([10, 12, 13]);
    expect(out.map((r) => r.score)).toEqual([9, 8.5, 8.5]);
    // A bonus that would lift a place above the first shows the first's score; the tail keeps its own.
    expect(orderLowerPlaces(list, bonuses([0, 0, 5, 0]), 5, 2, 4).map((r) => [r.sentence, r.score])).toEqual([[10, 9], [12, 9], [11, 8], [13, 7]]);
    expect(ids(orderLowerPlaces(list, bonuses([0, 0, 1, 1]), 1, 2, 3))).toEqual([10, 11, 12]);
    expect(orderLowerPlaces(list, bonuses([0, 0, 0, 0]), 0, 2, 1)).toEqual([list[0]]);
    expect(orderLowerPlaces([], bonuses([]), 0, 2, 3)).toEqual([]);
    expect(orderLowerPlaces(list, bonuses([0, 0, 0, 0]), 0, 2, 0)).toEqual([]);
  });

  it('looks at no candidate that maxBonus cannot lift into the places, and gives the same order as looking at all', () => {
    const list = ranked(20, 10, 9.5, 9, 3, 2, 1);
    const values = [0, 0, 1, 1.5, 0.5, 0.5, 0.5];
    const asked: number[] = [];
    const out = orderLowerPlaces(list, (k) => { asked.push(k); return values[k]!; }, 1.5, 2, 7);
    expect(ids(out)).toEqual([10, 12, 13, 11, 14, 15, 16]);
    // 14 (score 3) could reach 4.5 at most, below the places' 10.5: neither it nor those after it are looked at.
    expect(asked).toEqual([1, 2, 3]);
  });

  it('chooses the places from the first `pool` only, the rest keeping their order', () => {
    const list = ranked(9, 8, 7, 6, 5);
    const asked: number[] = [];
    // 14 would win a place with its bonus, but it is beyond a pool of 4 (10, 11, 12, 13).
    const out = orderLowerPlaces(list, (k) => { asked.push(k); return [0, 0, 0, 1.5, 9][k]!; }, 9, 2, 5, 4);
    expect(ids(out)).toEqual([10, 11, 13, 12, 14]);
    expect(asked).toEqual([1, 2, 3]);
    expect(ids(orderLowerPlaces(list, (k) => [0, 0, 0, 1.5, 9][k]!, 9, 2, 5))).toEqual([10, 14, 11, 12, 13]);
  });
});

describe('the places below the first (Ranker)', () => {
  // "arrested" is in the first sentence only; the fourth says it in another word ("detained").
  const doc: SourceDocument = {
    id: 'rally.txt',
    title: 'Rally',
    sentences: [
      'The city council met on Monday to discuss the new budget.',
      'Protesters marched on Sunday, and the organisers said no protesters were arrested on Sunday.',
      'Protesters carried banners.',
      'Police detained dozens of protesters late in the evening.',
      'The weather was cold.',
    ],
    paragraphs: [0, 1, 2, 3, 4],
  };
  const index = SentenceIndex.build([doc]);
  const question = 'Were any protesters arrested on Sunday?';
  const searched = (options: Partial<typeof DEFAULT_RANKING>, top = 3) => {
    const ranker = new Ranker(index, { ...DEFAULT_RANKING, ...options });
    const query = ranker.analyse(question);
    const result = ranker.search(query, { top });
    return { ranker, query, result };
  };

  it('gives the second place to the sentence that says a missing question word in other words', () => {
    const plain = searched({ lowerAlignWeight: 0 }).result;
    const lower = searched({}).result;
    expect(ids(plain.sentences)).toEqual([1, 2, 3]);
    expect(ids(lower.sentences)).toEqual([1, 3, 2]);
    // The first place is the second stage's; the second shows the score it was placed by, no more than the first's.
    expect(lower.sentences[0]).toEqual(plain.sentences[0]);
    expect(lower.sentences[1]!.score).toBeGreaterThan(plain.sentences[2]!.score);
    expect(lower.sentences[1]!.score).toBeGreaterThanOrEqual(lower.sentences[2]!.score);
    expect(lower.sentences[1]!.score).toBeLessThanOrEqual(lower.sentences[0]!.score);
    expect(lower.runnerUp).toBe(plain.sentences[1]!.score);
  });

  it('leaves the confidence as it was: the margin is measured against the second stage\'s runner-up', () => {
    const plain = searched({ lowerAlignWeight: 0 });
    const lower = searched({});
    expect(answerSignals(lower.ranker, question, lower.query, lower.result)).toEqual(answerSignals(plain.ranker, question, plain.query, plain.result));
  });

  it('chooses the places as scoring every candidate of the pool would: the bound on the bonus skips none that could win', () => {
    // The sentence that says "arrested" in other words ranks below four shorter ones that share as many of
    // the question's words, so a bound on the bonus too small would stop the look before it.
    const crowded: SourceDocument = {
      id: 'crowded.txt',
      title: 'Rally',
      sentences: [
        'Protesters marched on Sunday, and the organisers said no protesters were arrested on Sunday.',
        'Protesters gathered.',
        'Protesters sang.',
        'Protesters waved flags.',
        'Protesters went home.',
        'Police detained dozens of protesters late in the evening.',
        'The weather was cold.',
      ],
      paragraphs: [0, 1, 2, 3, 4, 5, 6],
    };
    const crowdedIndex = SentenceIndex.build([crowded]);
    // The explained `align` feature is the alignment the lower places add, when read with their floor.
    const options = { ...DEFAULT_RANKING, alignFloor: DEFAULT_RANKING.lowerAlignFloor };
    const ranker = new Ranker(crowdedIndex, options);
    const weights = rerankWeights(options);
    const align = RERANK_FEATURES.indexOf('align');
    for (const asked of ['Were any protesters arrested on Sunday?', 'Were protesters arrested in the evening?', 'Did protesters get arrested?']) {
      const query = ranker.analyse(asked);
      const scored = ranker.explain(query, { top: 3 })
        .map(({ sentence, features }) => ({ sentence, score: features.reduce((sum, x, f) => sum + x * weights[f]!, 0), bonus: DEFAULT_RANKING.lowerAlignWeight * features[align]! }))
        .sort((a, b) => b.score - a.score || a.sentence - b.sentence);
      const pool = scored.slice(1, DEFAULT_RANKING.lowerPlacesPool).map((c, k) => ({ ...c, k, placed: c.score + c.bonus }));
      pool.sort((a, b) => b.placed - a.placed || a.k - b.k);
      const expected = [scored[0]!.sentence, ...pool.slice(0, 2).map((c) => c.sentence)];
      expect(ids(ranker.search(query, { top: 3 }).sentences), asked).toEqual(expected);
    }
    const first = ranker.search(ranker.analyse('Were any protesters arrested on Sunday?'), { top: 3 }).sentences;
    expect(ids(first)).toContain(5);
  });

  it('keeps the second stage\'s order in a text over lowerPlacesTokens tokens, and when one place is asked', () => {
    expect(ids(searched({ lowerPlacesTokens: 5 }).result.sentences)).toEqual([1, 2, 3]);
    expect(searched({ lowerPlacesTokens: 5 }).result.runnerUp).toBeUndefined();
    expect(ids(searched({}, 1).result.sentences)).toEqual([1]);
  });
});
