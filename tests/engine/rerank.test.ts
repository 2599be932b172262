import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker, RERANK_FEATURES, rerankWeights, type RankingOptions } from '../../src/engine/ranking';
import { SentenceIndex } from '../../src/engine/sentence-index';
import type { SourceDocument } from '../../src/engine/types';
import { fixtureDocuments } from './fixtures';

function article(id: string, sentences: string[]): SourceDocument {
  return { id, title: id, sentences, paragraphs: sentences.map((_, i) => Math.floor(i / 2)) };
}

describe('the second stage is the weighted sum of its features', () => {
  const index = SentenceIndex.build(fixtureDocuments());
  const questions = ['Where was the first meeting held?', 'Who wrote the letter?', 'How many people were evacuated?', 'When did the bridge reopen?', 'flood'];
  // The second stage's own scores: the places below the first (lower-places.test.ts) left as it gives them.
  const options: RankingOptions[] = [
    { ...DEFAULT_RANKING, lowerAlignWeight: 0 },
    { ...DEFAULT_RANKING, lowerAlignWeight: 0, firstWeight: 0.7, matchedWeight: 0.2, lengthWeight: 0.4, neighbourWeight: 0.1, rarestWeight: 0.3, shortQuestionTerms: 4 },
  ];

  it('scores every candidate as explain() describes it, with BM25 weighing 1', () => {
    for (const ranking of options) {
      const ranker = new Ranker(index, ranking, DEFAULT_EXPANSION);
      const weights = rerankWeights(ranking);
      expect(weights[RERANK_FEATURES.indexOf('bm25')]).toBe(1);
      let checked = 0;
      for (const question of questions) {
        const query = ranker.analyse(question);
        const explained = ranker.explain(query, { top: ranking.candidates });
        const searched = ranker.search(query, { top: ranking.candidates }).sentences;
        expect(explained.length).toBe(searched.length);
        checked += explained.length;
        for (const candidate of explained) {
          const score = candidate.features.reduce((sum, value, f) => sum + value * weights[f]!, 0);
          expect(searched.find((s) => s.sentence === candidate.sentence)?.score).toBeCloseTo(score, 4);
        }
      }
      expect(checked).toBeGreaterThan(20);
    }
  });

  it('leaves the scratch arrays clean: the same question scores the same after others', () => {
    const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    const first = ranker.search(ranker.analyse(questions[0]!), { top: 5 });
    for (const question of questions) ranker.explain(ranker.analyse(question), { top: 5 });
    expect(ranker.search(ranker.analyse(questions[0]!), { top: 5 })).toEqual(first);
  });
});

describe('short questions and length normalisation', () => {
  const doc = article('bridge.txt', [
    'The bridge reopened.',
    'The bridge reopened on Monday after engineers spent three months repairing the cables and the deck.',
    'Traffic was light.',
  ]);
  const index = SentenceIndex.build([doc]);
  const bm25 = RERANK_FEATURES.indexOf('bm25');
  const featuresOf = (ranking: RankingOptions, question: string) => {
    const ranker = new Ranker(index, ranking);
    const explained = ranker.explain(ranker.analyse(question), { top: 3 });
    return (sentence: number) => explained.find((c) => c.sentence === sentence)!.features;
  };

  it('marks a long sentence down less for a one-word question when shortQuestionTerms is set', () => {
    const plain = featuresOf({ ...DEFAULT_RANKING, shortQuestionTerms: 0 }, 'bridge?');
    const short = featuresOf({ ...DEFAULT_RANKING, shortQuestionTerms: 4 }, 'bridge?');
    // Both hold "bridge" once: BM25 prefers the short one, less so when the question is short.
    expect(plain(0)[bm25]!).toBeGreaterThan(plain(1)[bm25]!);
    expect(short(0)[bm25]! / short(1)[bm25]!).toBeLessThan(plain(0)[bm25]! / plain(1)[bm25]!);
    expect(short(0)[bm25]! / short(1)[bm25]!).toBeGreaterThan(1);
    expect(plain(1)[RERANK_FEATURES.indexOf('length')]).toBe(0);
    expect(short(1)[RERANK_FEATURES.indexOf('length')]!).toBeGreaterThan(short(0)[RERANK_FEATURES.indexOf('length')]!);
  });

  it('leaves a question of shortQuestionTerms words or more as BM25 scores it', () => {
    const question = 'Did engineers repair the bridge cables and deck?';
    const plain = featuresOf({ ...DEFAULT_RANKING, shortQuestionTerms: 0 }, question);
    const short = featuresOf({ ...DEFAULT_RANKING, shortQuestionTerms: 4 }, question);
    expect(short(1)).toEqual(plain(1));
  });
});
