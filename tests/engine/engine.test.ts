import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine';
import { DEFAULT_ANSWER } from '../../src/engine/answer';
import { UnknownSourceError } from '../../src/engine/errors';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { wordVectors } from '../../src/engine/word-vectors';
import { terms } from '../../src/text/tokens';
import { fixtureDocuments, SEED_ID, seedDocuments } from './fixtures';

const seed = createEngine(seedDocuments());
const all = createEngine(fixtureDocuments());

function best(question: string, engine = seed) {
  return engine.ask(question).hits[0];
}

describe('answers on the seed article', () => {
  it('answers where the first meeting was held with the Singapore sentence', () => {
    const answer = seed.ask('Where was the first meeting held?');
    expect(answer.answered).toBe(true);
    expect(answer.hits[0]?.text).toBe('The first meeting between the two leaders was held in Singapore in June.');
    expect(answer.hits[0]).toMatchObject({ source: SEED_ID, sentence: 2, total: 24 });
  });

  it('is confident of a sentence that answers, not of one that only shares a name, never of a decline', () => {
    expect(seed.ask('Where was the first meeting held?').confident).toBe(true);
    // "born" is nowhere in the article and no sentence gives a date for Kim: the closest sentence is shown as unsure.
    expect(seed.ask('When was Kim born?')).toMatchObject({ answered: true, confident: false });
    expect(seed.ask('Who won the 2018 World Cup?').confident).toBe(false);
  });

  it('returns the closest sentences with a decline when some share its words, none when nothing does', () => {
    const weak = all.ask('Who won the World Cup final in Qatar?');
    expect(weak).toMatchObject({ answered: false, confident: false, declineReason: 'weak-match' });
    expect(weak.hits.length).toBeGreaterThan(0);
    // Each holds a word of the question, or one close to it in meaning ("final" and "second").
    const asked = terms('Who won the World Cup final in Qatar?');
    const vectors = wordVectors();
    for (const hit of weak.hits) {
      expect(terms(hit.text).some((term) => asked.some((word) => word === term || vectors.similarity(word, term) > DEFAULT_EXPANSION.meaningFloor))).toBe(true);
    }
    // The articles hold 38 % of "Who won the 2018 World Cup?" ("won", "world", "2018"): above the 30 % that
    // declines any question, but "cup", over 40 % of its weight, is in none of them, nor a word like it: a
    // short question about a thing the articles never name needs 40 %, so it is declined, its closest shown.
    const cup = all.ask('Who won the 2018 World Cup?');
    expect(cup).toMatchObject({ answered: false, confident: false, declineReason: 'weak-match' });
    expect(cup.hits.length).toBeGreaterThan(0);
    // Without that rule it would be answered (unsure): the rule, not the 30 %, declines it.
    const loose = createEngine(fixtureDocuments(), { answer: { ...DEFAULT_ANSWER, unheldScopeCoverage: 0 } });
    expect(loose.ask('Who won the 2018 World Cup?')).toMatchObject({ answered: true, confident: false });
    // No sentence shares a word with it, nor one close in meaning: any sentence shown would be unrelated, so none is.
    expect(all.ask('what is the recipe for goulash?')).toMatchObject({ answered: false, declineReason: 'no-match', hits: [] });
    // "capital" and "France" meet "city" and "countries" by meaning: still declined, the closest shown as such.
    expect(all.ask('what is the capital of France?')).toMatchObject({ answered: false, confident: false });
  });

  it('answers a question typed with accents as it answers the plain one', () => {
    const accented = seed.ask('Whére wás the fírst méeting héld?');
    expect(accented.answered).toBe(true);
    expect(accented.hits[0]?.text).toBe('The first meeting between the two leaders was held in Singapore in June.');
  });

  it('finds "no testing of missiles" for a question about missile tests', () => {
    expect(best('Has North Korea tested any missiles?')?.text).toContain('no testing of missiles');
  });

  it.each(['Who won the 2018 World Cup?', 'what is the capital of France?', 'asdfgh qwerty zxcv'])('declines %j', (question) => {
    const answer = seed.ask(question);
    expect(answer.answered).toBe(false);
    expect(answer.declineReason).toMatch(/match/);
  });

  it('declines a question with no content words, saying why', () => {
    expect(seed.ask('what is it?')).toMatchObject({ answered: false, declineReason: 'empty-question', hits: [] });
  });

  it('never returns page chrome', () => {
    const texts = seed.documents.flatMap((d) => d.sentences);
    expect(texts).not.toContain('More From This Section');
    expect(seed.ask('More From This Section').answered).toBe(false);
  });

  it('gives a bare quote the sentence that says who said it', () => {
    const hit = seed.ask('How warm was the letter?').hits.find((h) => h.text.startsWith('It was a very warm'));
    expect(hit?.context?.text).toContain('Sarah Sanders told reporters');
  });

  it('gives a sentence that opens with a pronoun the sentence before it', () => {
    const hit = seed.ask('Did she reject suggestions of no progress?').hits[0];
    expect(hit?.text).toMatch(/^She rejected suggestions/);
    expect(hit?.context?.sentence).toBe((hit?.sentence ?? 0) - 1);
  });
});

describe('ranking across articles', () => {
  it.each([
    ['How high did the river peak?', 'flood.md', /6\.2 metres/],
    ['How many people were rescued by boat?', 'flood.md', /85 people/],
    ['Who was elected mayor of Halden?', 'election.txt', /Ingrid Sato/],
    ['What share of the vote did Sato win?', 'election.txt', /54 percent/],
    ['How much does the malaria vaccine cost?', 'vaccine.txt', /\$4 a dose/],
    ['Who makes the R21 vaccine?', 'vaccine.txt', /Serum Institute/],
  ])('%s', (question, source, pattern) => {
    const hit = best(question, all);
    expect(hit?.source).toBe(source);
    expect(hit?.text).toMatch(pattern);
  });

  it('carries title and url from front matter into the hit', () => {
    expect(best('How high did the river peak?', all)).toMatchObject({
      title: 'River floods force thousands from homes in the valley',
      url: 'https://news.example.org/2024/03/valley-floods',
    });
  });

  it('restricts to one source when asked', () => {
    const answer = all.ask('Who was elected mayor?', { source: 'vaccine.txt' });
    expect(answer.hits.every((h) => h.source === 'vaccine.txt')).toBe(true);
  });

  it('returns the requested number of hits, best first', () => {
    const hits = all.ask('vaccine malaria children', { top: 3 }).hits;
    expect(hits).toHaveLength(3);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('rejects an unknown source', () => {
    expect(() => all.ask('mayor', { source: 'nope.txt' })).toThrow(UnknownSourceError);
  });

  it('prefers a sentence with the question words together', () => {
    const engine = createEngine([{
      id: 'a', title: 'a', paragraphs: [0, 1],
      sentences: ['The prime minister met the finance chief.', 'The finance minister met the prime suspect.'],
    }]);
    expect(engine.ask('Who is the prime minister?').hits[0]?.sentence).toBe(1);
  });
});

describe('summaries', () => {
  it('gives N sentences in article order without chrome', () => {
    const [summary] = all.summarize({ source: 'flood.md', sentences: 3 });
    expect(summary?.sentences).toHaveLength(3);
    const numbers = summary!.sentences.map((s) => s.sentence);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(summary!.sentences.map((s) => s.text).join(' ')).not.toMatch(/Advertisement|Read more/);
  });

  it('summarises every source when none is named', () => {
    expect(all.summarize().map((s) => s.source)).toEqual(all.documents.map((d) => d.id));
  });

  it('starts a news summary with its lead sentence', () => {
    expect(all.summarize({ source: 'vaccine.txt' })[0]?.sentences[0]?.sentence).toBe(1);
  });

  it('leaves out near-duplicate sentences', () => {
    const engine = createEngine([{
      id: 'd', title: 'd', paragraphs: [0, 1, 2, 3],
      sentences: [
        'The central bank raised interest rates by half a point on Tuesday.',
        'On Tuesday the central bank raised interest rates by half a point.',
        'Mortgage payments for two million households will rise next month.',
        'Economists had expected a smaller rise of a quarter point.',
      ],
    }]);
    const chosen = engine.summarize({ sentences: 2 })[0]!.sentences.map((s) => s.sentence);
    expect(chosen).toHaveLength(2);
    expect(chosen).toContain(1);
    expect(chosen).not.toContain(2);
  });
});

describe('counts asked for', () => {
  const engine = createEngine([{ id: 'b', title: 'b', paragraphs: [0, 0, 1], sentences: ['The bridge reopened on Friday.', 'The bridge is old.', 'It was built in 1900.'] }]);

  it.each([Infinity, NaN, 0, -1, 2.7])('answers with top %s without throwing or breaking later questions', (top) => {
    const hits = engine.ask('bridge', { top }).hits;
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(engine.ask('bridge').hits.map((h) => h.sentence)).toEqual([1, 2, 3]);
  });

  it.each([[NaN, 3], [1.5, 1], [0, 1], [-1, 1], [Infinity, 3]])('summarises with sentences %s as %i', (sentences, expected) => {
    expect(engine.summarize({ sentences })[0]?.sentences).toHaveLength(expected);
  });

  it('summarises an article of very short sentences with its opening ones', () => {
    expect(engine.summarize({ sentences: 2 })[0]?.sentences.map((s) => s.sentence)).toEqual([1, 2]);
  });
});

describe('the first sentence over several articles', () => {
  const council = {
    id: 'council.txt', title: 'council.txt', paragraphs: [0, 1, 2, 3, 4],
    sentences: [
      'The town council met on Monday.',
      'The council decided to close the bridge.',
      'The town market opens on Friday.',
      'The town library is closed.',
      'The town band played in the square.',
    ],
  };
  const court = {
    id: 'court.txt', title: 'court.txt', paragraphs: [0, 1],
    sentences: ['The court announced its decision on the appeal.', 'The judges said the decision was final.'],
  };
  const question = 'What was the council decision in the town?';

  it('is the one its article gives when asked alone: a word the article lacks meets its derivation there', () => {
    // "decision" is in the court article, so the whole search does not expand it; asked of the council
    // article alone, it meets "decided" there.
    const answer = createEngine([council, court]).ask(question);
    const alone = createEngine([council, court]).ask(question, { source: 'council.txt' });
    expect(answer.hits[0]).toMatchObject({ source: 'council.txt', sentence: 2 });
    expect(alone.hits[0]).toMatchObject({ source: 'council.txt', sentence: 2 });
    // The other hits are still the whole search's, from any article.
    expect(answer.hits.some((hit) => hit.source === 'court.txt')).toBe(true);
    expect(new Set(answer.hits.map((hit) => `${hit.source}#${hit.sentence}`)).size).toBe(answer.hits.length);
  });

  it('is the whole search\'s first with articleFirst off', () => {
    const engine = createEngine([council, court], { answer: { ...DEFAULT_ANSWER, articleFirst: false } });
    expect(engine.ask(question).hits[0]).toMatchObject({ source: 'council.txt', sentence: 1 });
  });
});
