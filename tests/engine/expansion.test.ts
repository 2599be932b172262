import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine';
import { fromFile } from '../../src/engine/background';
import { americanStem, DEFAULT_EXPANSION, ExpansionTable, expansionTable, nearSpellings, oneEditApart, relatedTerms, sharesPrefix } from '../../src/engine/expansion';
import { SentenceIndex } from '../../src/engine/sentence-index';
import type { SourceDocument } from '../../src/engine/types';

function article(id: string, title: string, sentences: string[]): SourceDocument {
  return { id, title, sentences, paragraphs: sentences.map((_, k) => k) };
}

const council = article('council.txt', 'Council meeting', [
  'The city council met on Tuesday to discuss the budget.',
  'It will reach a decision on the new security plan next month.',
  'Three inmates were shot by guards during an escape attempt at the prison.',
  'The mayor has apologized for the delay in opening the library.',
]);

describe('the expansion table derived from WordNet (data/expansions.tsv)', () => {
  it('relates a word to the derivations of its commonest senses', () => {
    const table = expansionTable();
    expect(table.size).toBeGreaterThan(10_000);
    expect(table.related('decid')).toContainEqual(expect.objectContaining({ term: 'decis', relation: 'derivation' }));
    expect(table.related('die')).toContainEqual(expect.objectContaining({ term: 'death', relation: 'derivation' }));
    expect(table.related('no-such-term')).toEqual([]);
  });

  it('parses its own line format, skipping comments', () => {
    const table = ExpansionTable.parse('# a comment\twith a tab\nwound\tinjur s48,hurt h53\n');
    expect(table.size).toBe(1);
    expect(table.related('wound')).toEqual([
      { term: 'injur', relation: 'synonym', share: 0.48 },
      { term: 'hurt', relation: 'hypernym', share: 0.53 },
    ]);
  });

  it('offers only the relations that are switched on, above the least share, never a word of the question', () => {
    const table = ExpansionTable.parse('wound\tinjur s48,hurt h53,lesion s20\nsoldier\twound s90\n');
    const options = { ...DEFAULT_EXPANSION, weights: { synonym: 0.4, derivation: 0, hypernym: 0, hyponym: 0 }, minShare: 0.3 };
    expect(relatedTerms(['soldier', 'wound'], options, table)).toEqual([{ term: 'injur', weight: 0.4, of: 1 }]);
    expect(relatedTerms(['soldier', 'wound'], DEFAULT_EXPANSION, table)).toEqual([]);
  });
});

describe('near spellings', () => {
  it('are one edit apart with the same first letter', () => {
    expect(oneEditApart('inamt', 'inmat')).toBe(true); // swapped letters
    expect(oneEditApart('duychess', 'duchess')).toBe(true); // a letter too many
    expect(oneEditApart('monthi', 'monthli')).toBe(true); // a letter missing
    expect(oneEditApart('orobat', 'orabat')).toBe(true); // a letter changed
    expect(oneEditApart('elect', 'select')).toBe(false);
    expect(oneEditApart('inmat', 'inmat')).toBe(false);
    expect(oneEditApart('inmate', 'inmxtx')).toBe(false);
  });

  it('take a word beginning another, within a few letters, for a clipped or derived form of it', () => {
    expect(sharesPrefix('supers', 'supersed', 5, 3)).toBe(true); // "supersed" for "superseded"
    expect(sharesPrefix('irishli', 'irish', 5, 3)).toBe(true); // "irishly"
    expect(sharesPrefix('irish', 'irish', 5, 3)).toBe(false);
    expect(sharesPrefix('inter', 'internship', 5, 3)).toBe(false); // too many letters more
    expect(sharesPrefix('iris', 'irish', 5, 3)).toBe(false); // too short
    expect(sharesPrefix('mirish', 'irish', 5, 3)).toBe(false); // not at the start
    // A name that begins another name is another person, not a clipped form.
    expect(sharesPrefix('clint', 'clinton', 5, 3)).toBe(false);
    expect(sharesPrefix('robin', 'robinson', 5, 3)).toBe(false);
  });

  it('map a British -ise stem to its -ize stem', () => {
    expect(americanStem('apologis')).toBe('apolog');
    expect(americanStem('paris')).toBeUndefined();
  });
});

describe('scoped expansion in answers', () => {
  const expanded = createEngine([council]);
  const plain = createEngine([council], { expansion: false });

  it('meets a verb in the question with its noun in the article ("decide" → "decision")', () => {
    const question = 'When will they decide?';
    expect(expanded.ask(question).hits[0]?.sentence).toBe(2);
    // Without expansion no sentence shares a word with the question.
    expect(plain.ask(question)).toMatchObject({ answered: false, declineReason: 'no-match', hits: [] });
  });

  it('meets a misspelt word, and a British spelling, with the article\'s word', () => {
    expect(expanded.ask('Who were the inamtes?').hits[0]?.sentence).toBe(3);
    expect(plain.ask('Who were the inamtes?').hits).toEqual([]);
    expect(expanded.ask('Who has apologised?').hits[0]?.sentence).toBe(4);
    expect(plain.ask('Who has apologised?').hits).toEqual([]);
  });

  it('meets a clipped or derived word outside general English with the article\'s word it begins or that begins it', () => {
    const steam = article('steam.txt', 'Steam', [
      'Steam engines powered the mills.',
      'For mobile uses steam has been superseded by electric motors.',
      'Many people in the city have Irish ancestors.',
    ]);
    const engine = createEngine([steam]);
    const without = createEngine([steam], { expansion: { ...DEFAULT_EXPANSION, prefixLetters: 0 } });
    expect(engine.ask('What has supersed it?').hits[0]?.sentence).toBe(2);
    expect(without.ask('What has supersed it?').hits).toEqual([]);
    expect(engine.ask('Who were irishly?').hits[0]?.sentence).toBe(3);
    expect(without.ask('Who were irishly?').hits).toEqual([]);
  });

  it('does not take a name for the longer name it begins', () => {
    const library = article('library.txt', 'Library', [
      'Former president Bill Clinton spoke at the library in Little Rock on Friday.',
      'The library holds papers from his two terms.',
    ]);
    expect(createEngine([library]).ask('Where was Clint born?').hits).toEqual([]);
  });

  it('does not take a word of general English for a typo', () => {
    // "protest" is one letter from "protect", but it is a word: it is not expanded.
    const guards = article('guards.txt', 'Guards', ['Guards protect the prison at night.']);
    expect(createEngine([guards]).ask('What did they protest?').hits).toEqual([]);
  });

  it('does not expand a word the article has, so the exact match keeps its score', () => {
    const both = article('both.txt', 'Votes', [
      'The board will decide on the merger in May.',
      'A decision on the budget came last week.',
    ]);
    const question = 'When will the board decide?';
    const withExpansion = createEngine([both]).ask(question);
    const without = createEngine([both], { expansion: false }).ask(question);
    expect(withExpansion.hits.map((hit) => [hit.sentence, hit.score])).toEqual(without.hits.map((hit) => [hit.sentence, hit.score]));
    expect(withExpansion.hits[0]?.sentence).toBe(1);
  });

  it('ranks an exact match above an expansion across articles, and uses the expansion where the word is missing', () => {
    const exact = article('exact.txt', 'Board vote', ['The board will decide on the merger in May.']);
    const derived = article('derived.txt', 'Board ruling', ['The board will give its decision on the merger in June.']);
    const engine = createEngine([derived, exact]);
    const question = 'When will the board decide on the merger?';
    const answer = engine.ask(question);
    expect(answer.hits[0]?.source).toBe('exact.txt');
    const alone = engine.ask(question, { source: 'derived.txt' });
    const alonePlain = createEngine([derived, exact], { expansion: false }).ask(question, { source: 'derived.txt' });
    expect(alone.hits[0]?.source).toBe('derived.txt');
    expect(alone.hits[0]!.score).toBeGreaterThan(alonePlain.hits[0]!.score);
  });
});

/**
 * Every string `oneEditApart` from `term` over `alphabet` (its first unit kept), made by edits rather than
 * found by comparing: the tests' independent reference for `oneEditApart` and `nearSpellings` (the engine
 * once looked near spellings up this way; it now compares the index's terms of the same shape).
 */
function oneEditVariants(term: string, alphabet: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i <= term.length; i++) {
    const head = term.slice(0, i);
    const tail = term.slice(i);
    for (const unit of alphabet) out.add(head + unit + tail);
    if (i < term.length) {
      out.add(head + term.slice(i + 1));
      for (const unit of alphabet) out.add(head + unit + term.slice(i + 1));
      if (i + 1 < term.length) out.add(head + term[i + 1]! + term[i]! + term.slice(i + 2));
    }
  }
  out.delete(term);
  return out;
}

describe('oneEditVariants', () => {
  // A small alphabet and words made by editing the term (one or two edits, anywhere, the first letter
  // too), so that the vocabulary holds both near and not-quite-near spellings of it.
  const unit = fc.constantFrom('a', 'b', 'c', 'é');
  const word = fc.string({ unit, minLength: 1, maxLength: 7 });
  const edit = fc.record({ kind: fc.constantFrom('swap', 'drop', 'add', 'change'), at: fc.nat(8), unit });
  function applyEdit(text: string, { kind, at, unit: letter }: { kind: string; at: number; unit: string }): string {
    const k = at % (text.length + 1);
    if (kind === 'add') return text.slice(0, k) + letter + text.slice(k);
    if (k >= text.length) return text;
    if (kind === 'drop') return text.slice(0, k) + text.slice(k + 1);
    if (kind === 'change') return text.slice(0, k) + letter + text.slice(k + 1);
    return k + 1 < text.length ? text.slice(0, k) + text[k + 1]! + text[k]! + text.slice(k + 2) : text;
  }
  const edits = fc.array(fc.array(edit, { minLength: 1, maxLength: 2 }), { maxLength: 40 });
  test.prop([word, edits, fc.array(word, { maxLength: 20 })])('finds in a vocabulary exactly the words oneEditApart accepts', (term, editLists, others) => {
    const vocabulary = [...new Set([...editLists.map((list) => list.reduce(applyEdit, term)), ...others])];
    const alphabet = [...new Set(vocabulary.join('').split(''))];
    const variants = oneEditVariants(term, alphabet);
    const byComparing = vocabulary.filter((other) => oneEditApart(term, other)).sort();
    const byEditing = vocabulary.filter((other) => variants.has(other)).sort();
    expect(byEditing).toEqual(byComparing);
  });
});

describe('near spellings in a large index (its terms of the same first letter and length compared)', () => {
  // Words over Latin, accented and Cyrillic letters.
  const syllables = ['ka', 'ro', 'mü', 'ste', 'lin', 'dø', 'vra', 'пе', 'qui', 'zel', 'ño', 'bar'];
  const words: string[] = [];
  for (const a of syllables) for (const b of syllables) for (const c of syllables) words.push(`${a}${b}${c}`);
  const sentences: string[] = [];
  for (let k = 0; k < words.length; k += 12) sentences.push(`${words.slice(k, k + 12).join(' ')}.`);
  const index = SentenceIndex.build([article('words.txt', 'Words', sentences)]);
  const unlisted = fromFile({ sentences: 1, minCount: 1, terms: [], counts: [] });

  /** The same lookup with the alphabet made as a Set of every term's split(''), in the order the terms have it. */
  function reference(term: string): number[] {
    const units = new Set<string>();
    for (let id = 0; id < index.termCount; id++) for (const unit of index.term(id).split('')) units.add(unit);
    const found = new Set<number>();
    const american = americanStem(term);
    if (american !== undefined) found.add(index.termId(american));
    for (const variant of oneEditVariants(term, [...units])) {
      const id = index.termId(variant);
      if (id >= 0 && variant.length >= DEFAULT_EXPANSION.spellingMinLength) found.add(id);
    }
    found.delete(-1);
    return [...found];
  }

  it('finds the same ids for typos of the terms it has', () => {
    const typos: string[] = [];
    for (let id = 0; id < index.termCount; id += 97) {
      const term = index.term(id);
      // A letter dropped and a letter changed.
      typos.push(term.slice(0, 3) + term.slice(4), `${term.slice(0, 4)}a${term.slice(5)}`);
    }
    let several = 0;
    for (const typo of typos) {
      expect(index.termCount).toBeGreaterThan(2 * typo.length * 40);
      // One-edit spellings only: words beginning one another are a further lookup (`prefixLetters`, below).
      const found = nearSpellings(index, typo, 0, index.sentenceCount, { ...DEFAULT_EXPANSION, prefixLetters: 0 }, unlisted);
      expect([...found].sort((a, b) => a - b)).toEqual(reference(typo).sort((a, b) => a - b));
      if (found.length > 1) several++;
    }
    expect(several).toBeGreaterThan(3);
  });
});
