import { fc, test } from '@fast-check/vitest';
import { readFileSync } from 'node:fs';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { describe, expect, it } from 'vitest';
import { stem } from '../../src/text/porter';
import { packageFile } from '../../src/runtime-files';

/** natural's own stemmer, which the port must match word for word (every index term, the background frequencies and the expansions are its output). */
const natural = (word: string) => PorterStemmer.stem(word);

describe("the Porter stemmer (natural's, ported without regular expressions)", () => {
  it("stems as the algorithm says, as natural does", () => {
    const cases: [string, string][] = [
      ['caresses', 'caress'], ['ponies', 'poni'], ['cats', 'cat'], ['feed', 'feed'], ['agreed', 'agre'], ['plastered', 'plaster'],
      ['motoring', 'motor'], ['sing', 'sing'], ['conflated', 'conflat'], ['hopping', 'hop'], ['filing', 'file'], ['happy', 'happi'],
      ['relational', 'relat'], ['rationalization', 'ration'], ['electricity', 'electr'], ['replacement', 'replac'], ['adoption', 'adopt'],
      ['controll', 'control'], ['rate', 'rate'], ['syzygy', 'syzygi'], ['ing', 'ing'], ['yes', 'ye'], ['us', 'us'], ['bus', 'bu'],
      ['generalizations', 'gener'], ['oscillators', 'oscil'],
    ];
    for (const [word, expected] of cases) expect([word, stem(word), natural(word)]).toEqual([word, expected, expected]);
  });

  it("gives natural's stem for every word of the bundled evaluation articles and questions", () => {
    const text = readFileSync(packageFile('data/qa-squad-xquad-dev.json'), 'utf8').toLowerCase();
    const words = new Set(text.match(/[\p{L}\p{M}\p{N}]+(?:['.][\p{L}\p{M}\p{N}]+)*/gu) ?? []);
    expect(words.size).toBeGreaterThan(5000);
    const differing = [...words].filter((word) => stem(word) !== natural(word));
    expect(differing).toEqual([]);
  });

  const plain = fc.string({ unit: fc.constantFrom(...'aeiouybcdlnrstgmwxz01\'.'), maxLength: 14 });
  test.prop([plain], { numRuns: 20_000 })("gives natural's stem for any word of letters, digits, apostrophes and dots", (word) => {
    expect(stem(word)).toBe(natural(word));
  });

  const other = fc.string({ unit: fc.constantFrom('a', 'e', 'y', 's', 'é', 'ß', 'д', '\u{1F600}', 'İ', 'A'), maxLength: 8 });
  test.prop([other])('leaves any other word to natural itself', (word) => {
    expect(stem(word)).toBe(natural(word));
  });
});
