import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine';
import { FineType, fineQuestionType, hasFineType, hasNovelFineType } from '../../src/engine/fine-answer-type';
import { Ranker, RERANK_FEATURES } from '../../src/engine/ranking';
import { SentenceIndex } from '../../src/engine/sentence-index';
import type { SourceDocument } from '../../src/engine/types';

describe('fineQuestionType', () => {
  it('reads the kind of number a "how" question asks for', () => {
    expect(fineQuestionType('How long was Warsaw the capital?')).toBe(FineType.Duration);
    expect(fineQuestionType('how long to take iwo jima')).toBe(FineType.Duration);
    expect(fineQuestionType('How often are elections held?')).toBe(FineType.Frequency);
    expect(fineQuestionType('How old was Sue Lyon when she made Lolita?')).toBe(FineType.Age);
    expect(fineQuestionType('What age was he when he died?')).toBe(FineType.Age);
    expect(fineQuestionType('How far is the wreck from the coast?')).toBe(FineType.Distance);
    expect(fineQuestionType('How long is the Severn river?')).toBe(FineType.Distance);
  });

  it('gives none to other questions, "how long ago" (a date) among them', () => {
    expect(fineQuestionType('How long ago did the bridge open?')).toBe(0);
    expect(fineQuestionType('How many people died?')).toBe(0);
    expect(fineQuestionType('When did the war end?')).toBe(0);
    expect(fineQuestionType('How did the Huguenots defend themselves?')).toBe(0);
    expect(fineQuestionType('What age group watches the show most?')).toBe(0);
    expect(fineQuestionType('At what age did she start school?')).toBe(FineType.Age);
  });
});

describe('hasFineType', () => {
  it('finds a span for "how long", not a lone year', () => {
    expect(hasFineType(FineType.Duration, 'Despite being outgunned, the Ghetto held out for almost a month.')).toBe(true);
    expect(hasFineType(FineType.Duration, 'Warsaw remained the capital until 1796.')).toBe(true);
    expect(hasFineType(FineType.Duration, 'The war began in 1756 and ended in 1763 with the Treaty of Paris.')).toBe(true);
    expect(hasFineType(FineType.Duration, 'Jewish fighters launched the uprising on 19 April 1943.')).toBe(false);
  });

  it('finds a frequency, an age and a distance', () => {
    expect(hasFineType(FineType.Frequency, 'Council members are elected directly every four years.')).toBe(true);
    expect(hasFineType(FineType.Frequency, 'The council was elected in 2010.')).toBe(false);
    expect(hasFineType(FineType.Age, 'He died in a hospital at the age of 79.')).toBe(true);
    expect(hasFineType(FineType.Age, 'The actress, Sue Lyon, was fourteen at the time of filming.')).toBe(true);
    expect(hasFineType(FineType.Age, 'It was one of the largest films of 1962.')).toBe(false);
    expect(hasFineType(FineType.Distance, 'The wreckage was found about two miles (3km) offshore.')).toBe(true);
    expect(hasFineType(FineType.Distance, 'The wreckage was found on Tuesday 2 June.')).toBe(false);
  });

  it('does not take any number after "for", "after" or "over" for a span, and takes "since" a year', () => {
    for (const text of ['He voted for the bill in 2005.', 'After 1945, the city was rebuilt.', 'Over 300 people were killed.', 'The company paid $5 million for 20 percent of the shares.']) {
      expect(hasFineType(FineType.Duration, text), text).toBe(false);
    }
    expect(hasFineType(FineType.Duration, 'The city has been the capital since 1596.')).toBe(true);
    expect(hasFineType(FineType.Duration, 'The dynasty ruled for over 300 years.')).toBe(true);
  });

  it('takes neither a time, an address, a rate, a score nor a note number for an age', () => {
    for (const text of ['The meeting starts at 10 a.m. on Monday.', 'He lives at 10 Downing Street.', 'Inflation was 5%.', 'The temperature is 40 degrees.', 'The team was 3-0 up.', 'See note (3) below.']) {
      expect(hasFineType(FineType.Age, text), text).toBe(false);
    }
    expect(hasFineType(FineType.Age, 'Smith, 45, said the plant would close.')).toBe(true);
  });

  it('takes "each" or "every" for a frequency only before a count or a unit, and a metre but not a million', () => {
    expect(hasFineType(FineType.Frequency, 'Each of the players got a medal.')).toBe(false);
    expect(hasFineType(FineType.Frequency, 'The Daily Telegraph reported it.')).toBe(false);
    expect(hasFineType(FineType.Frequency, 'The fair is held each summer.')).toBe(true);
    expect(hasFineType(FineType.Distance, 'Mount Everest is 8,848 m high.')).toBe(true);
    expect(hasFineType(FineType.Distance, 'The club paid £25.5m for him.')).toBe(false);
  });

  it('sees a frequency that opens a sentence, and tells an age, a million and a span from look-alikes', () => {
    for (const text of ['Annually, the festival draws thousands of visitors.', 'Twice a year, the council meets in the old hall.', 'Once a month the market opens.']) {
      expect(hasFineType(FineType.Frequency, text), text).toBe(true);
    }
    for (const text of ['There were 300 people.', 'The vote was 52 to 48.', 'The tally is 40 so far.']) expect(hasFineType(FineType.Age, text), text).toBe(false);
    for (const text of ['About 1.5m people voted.', 'The deal was worth 5m euros.']) expect(hasFineType(FineType.Distance, text), text).toBe(false);
    for (const text of ['Born in 1950, he moved to London in 1975.', 'The 1990 law was amended to 2005 standards.']) expect(hasFineType(FineType.Duration, text), text).toBe(false);
    expect(hasFineType(FineType.Duration, 'It ran from 1939 to 1945.')).toBe(true);
  });

  it('is never true for no type', () => {
    expect(hasFineType(0, 'for almost a month')).toBe(false);
  });
});

function article(sentences: string[]): SourceDocument {
  return { id: 'w.txt', title: 'Warsaw', sentences, paragraphs: sentences.map((_, i) => i) };
}

describe('fine answer types in ranking', () => {
  // Both sentences share the question's words; the first has a number (a year), which the coarse type
  // ("how long": a number) rewards; only the second, which has no number, says how long.
  const doc = article([
    'In 1596 Warsaw became the capital of the Commonwealth, after the king moved his court.',
    'Warsaw stayed the capital of the Commonwealth for centuries.',
  ]);

  it('gives the type and novelty bonus only to the sentence of the fine kind', () => {
    const ranker = new Ranker(SentenceIndex.build([doc]));
    const query = ranker.analyse('How long was Warsaw the capital of the Commonwealth?');
    expect(query.fineType).toBe(FineType.Duration);
    const explained = ranker.explain(query, { top: 2 });
    const features = (sentence: number) => explained.find((c) => c.sentence === sentence)!.features;
    const typed = RERANK_FEATURES.indexOf('typed');
    const novel = RERANK_FEATURES.indexOf('novel');
    expect([features(0)[typed], features(0)[novel]]).toEqual([0, 0]);
    expect(features(1)[typed]).toBeCloseTo(query.meanIdf);
    expect(features(1)[novel]).toBeCloseTo(query.meanIdf);
  });

  it('gives the novelty bonus only to a span the question does not already say', () => {
    const war = article([
      "The Seven Years' War was a global conflict fought between Britain and France.",
      'The war between Britain and France began in 1756 and ended in 1763 with the Treaty of Paris.',
    ]);
    const ranker = new Ranker(SentenceIndex.build([war]));
    const query = ranker.analyse("How long did the Seven Years' War between Britain and France last?");
    const novel = RERANK_FEATURES.indexOf('novel');
    const explained = ranker.explain(query, { top: 2 });
    expect(explained.find((c) => c.sentence === 0)!.features[novel]).toBe(0);
    expect(explained.find((c) => c.sentence === 1)!.features[novel]).toBeCloseTo(query.meanIdf);
    expect(hasNovelFineType(FineType.Duration, 'It lasted seven years.', 'how long did the seven years war last?')).toBe(false);
    expect(hasNovelFineType(FineType.Duration, 'It lasted nine years.', 'how long did the seven years war last?')).toBe(true);
  });

  it('falls back to the coarse type when no candidate is of the fine kind', () => {
    const market = article([
      'The Dow fell 777 points on Monday, its largest one-day drop.',
      'The Dow fell far on Monday, traders said, as the market reacted.',
    ]);
    const ranker = new Ranker(SentenceIndex.build([market]));
    const query = ranker.analyse('How far did the Dow fall on Monday?');
    expect(query.fineType).toBe(FineType.Distance);
    const typed = RERANK_FEATURES.indexOf('typed');
    const explained = ranker.explain(query, { top: 2 });
    expect(explained.find((c) => c.sentence === 0)!.features[typed]).toBeCloseTo(query.meanIdf);
    expect(createEngine([market]).ask('How far did the Dow fall on Monday?').hits[0]?.sentence).toBe(1);
  });

  it('answers "how long" with the span, where the coarse type preferred the year', () => {
    const hits = createEngine([doc]).ask('How long was Warsaw the capital of the Commonwealth?').hits;
    expect(hits[0]?.sentence).toBe(2);
    // The same question as a plain number question ("how many years") keeps the coarse type: the year's sentence has a number too.
    const coarse = new Ranker(SentenceIndex.build([doc])).analyse('How many years was Warsaw the capital?');
    expect(coarse.fineType).toBe(0);
  });
});
