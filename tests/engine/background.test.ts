import { fc, test } from '@fast-check/vitest';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backgroundFile, backgroundFrequencies, fromFile, type BackgroundFile } from '../../src/engine/background';
import { packageFile } from '../../src/runtime-files';

describe('background frequencies (data/background-frequencies.json)', () => {
  it('ships its terms sorted and unique, one count each, as the binary search needs', () => {
    const file = JSON.parse(readFileSync(packageFile('data/background-frequencies.json'), 'utf8')) as BackgroundFile;
    expect(file.terms.length).toBeGreaterThan(20_000);
    expect(file.counts).toHaveLength(file.terms.length);
    const unsorted = file.terms.findIndex((term, i) => i > 0 && !(file.terms[i - 1]! < term));
    expect(unsorted).toBe(-1);
    expect(file.counts.every((count) => Number.isInteger(count) && count >= file.minCount)).toBe(true);
  });

  it('tells a topic word from an everyday one, and lists no typo', () => {
    const background = backgroundFrequencies();
    expect(background.idf('volcano')).toBeGreaterThan(background.idf('year') + 3);
    expect(background.listed('year')).toBe(true);
    expect(background.listed('volcano')).toBe(true);
    expect(background.listed('inamt')).toBe(false);
    // Unlisted terms all get the IDF of half the listing threshold, above any listed term's.
    expect(background.idf('inamt')).toBe(background.idf('qzxv'));
    expect(background.idf('inamt')).toBeGreaterThan(background.idf('volcano'));
  });

  const term = fc.string({ unit: fc.constantFrom('a', 'b', 'z', '0', 'é', '\u{1F600}', "'", '.'), maxLength: 5 });
  test.prop([fc.uniqueArray(fc.tuple(term, fc.integer({ min: 5, max: 10_000 })), { selector: ([key]) => key, maxLength: 60 }), fc.array(term, { maxLength: 30 })])(
    'finds exactly the counts a Map of the same terms gives, for listed and unlisted terms',
    (entries, probes) => {
      const map = new Map(entries);
      const background = fromFile(backgroundFile(1000, 5, entries));
      for (const probe of [...map.keys(), ...probes]) {
        expect(background.listed(probe)).toBe(map.has(probe));
        expect(background.idf(probe)).toBe(Math.log(1 + 1000 / (map.get(probe) ?? 2.5)));
      }
    },
  );
});
