import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker, RERANK_FEATURES } from '../../src/engine/ranking';
import { SentenceIndex } from '../../src/engine/sentence-index';
import type { SourceDocument } from '../../src/engine/types';

function article(id: string, title: string, sentences: string[]): SourceDocument {
  return { id, title, sentences, paragraphs: sentences.map((_, k) => k) };
}

// "arrested" is not in the article; "detained" is.
const protest = article('protest.txt', 'Protest in the square', [
  'Thousands of people joined the protest in the main square on Sunday.',
  'Police detained three men near the station late in the evening.',
  'The protest ended peacefully after a speech by the organisers.',
  'A doctor treated two people for minor injuries at the scene.',
  'The people of the town have held a protest every year since 2010.',
]);

const noMeaning = { expansion: { ...DEFAULT_EXPANSION, meaningWeight: 0 } };

describe('expansion by meaning (word vectors)', () => {
  it('finds the sentence that says the question\'s word in another word, where word matching finds a lookalike', () => {
    const rally = article('rally.txt', 'Rally', [
      'Protesters gathered outside the parliament on Sunday.',
      'Police detained dozens of protesters late on Sunday.',
      'The weather was cold.',
    ]);
    const question = 'Were any protesters arrested on Sunday?';
    expect(createEngine([rally], noMeaning).ask(question).hits[0]?.sentence).toBe(1);
    expect(createEngine([rally]).ask(question).hits[0]?.sentence).toBe(2);
  });

  it('does not touch a question whose words the article all has: same hits, same scores', () => {
    for (const question of ['When did the protest end?', 'Who detained three men near the station?']) {
      const plain = createEngine([protest], noMeaning).ask(question);
      const expanded = createEngine([protest]).ask(question);
      expect(expanded.hits.map((hit) => [hit.sentence, hit.score])).toEqual(plain.hits.map((hit) => [hit.sentence, hit.score]));
    }
  });

  it('ranks a sentence with the word itself above one with a word of like meaning', () => {
    const exact = article('exact.txt', 'Arrests', ['Police arrested three men near the station.', 'The weather was cold.']);
    const answer = createEngine([protest, exact]).ask('How many men were arrested near the station?');
    expect(answer.hits[0]).toMatchObject({ source: 'exact.txt', sentence: 1 });
  });

  it('does not make a question about something else look answered', () => {
    const answer = createEngine([protest]).ask('Which orchestra performed the symphony?');
    expect(answer.answered).toBe(false);
  });
});

describe('soft alignment (a second-stage feature, weight 0 by default)', () => {
  const index = SentenceIndex.build([protest]);
  const ranker = new Ranker(index, DEFAULT_RANKING);
  const align = RERANK_FEATURES.indexOf('align');
  const featureOf = (question: string, sentence: number): number => {
    const candidates = ranker.explain(ranker.analyse(question), { top: 10 });
    const found = candidates.find((c) => c.sentence === sentence);
    return found?.features[align] ?? Number.NaN;
  };

  it('credits a sentence with a word close in meaning to one the question has and the sentence lacks', () => {
    const question = 'Were men arrested near the station?';
    expect(featureOf(question, 1)).toBeGreaterThan(0); // "detained"
    expect(featureOf('Were men detained near the station?', 1)).toBe(0); // the word itself: nothing to align
  });
});
