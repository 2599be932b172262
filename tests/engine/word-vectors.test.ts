import { fc, test } from '@fast-check/vitest';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cosine, decodeWordVectors, encodeWordVectors, wordVectors } from '../../src/engine/word-vectors';
import { packageFile } from '../../src/runtime-files';
import { terms } from '../../src/text/tokens';

/** Cosine of two words' index terms in the shipped table. */
function similarity(a: string, b: string): number {
  return wordVectors().similarity(terms(a)[0]!, terms(b)[0]!);
}

describe('dotRowAbove: the cosine, cut short only when it cannot reach the threshold', () => {
  const table = wordVectors();
  const query = new Float32Array(table.dims);
  test.prop([fc.nat(), fc.nat(), fc.double({ min: -1, max: 1, noNaN: true })])('is dotRow bit for bit at or above the threshold, below it otherwise', (a, b, threshold) => {
    table.unitVector(a % table.size, query);
    const row = b % table.size;
    const full = table.dotRow(query, 0, row);
    const cut = table.dotRowAbove(query, 0, table.tailNorm(query, 0), row, threshold);
    if (full >= threshold) expect(cut).toBe(full);
    else expect(cut === full || cut < threshold).toBe(true);
  });
});

describe('the shipped word vectors (data/word-vectors.bin)', () => {
  it('holds tens of thousands of index terms, sorted and distinct, in a file of a few MB', () => {
    const bytes = readFileSync(packageFile('data/word-vectors.bin'));
    expect(bytes.length).toBeLessThan(5_000_000);
    const table = wordVectors();
    expect(table.size).toBeGreaterThan(30_000);
    expect(table.dims).toBeGreaterThanOrEqual(32);
    let unsorted = 0;
    for (let row = 1; row < table.size; row++) if (!(table.term(row - 1) < table.term(row))) unsorted++;
    expect(unsorted).toBe(0);
  });

  it('is keyed by the index terms: stems of words, no stop words', () => {
    const table = wordVectors();
    for (const word of ['injured', 'election', 'purchased', 'hospital', 'singapore']) {
      const [term] = terms(word);
      expect(table.row(term!), word).toBeGreaterThanOrEqual(0);
      expect(table.term(table.row(term!))).toBe(term);
    }
    expect(table.row('the')).toBe(-1);
    expect(table.row('qzxvwk')).toBe(-1);
    expect(table.similarity('qzxvwk', terms('hospital')[0]!)).toBe(0);
  });

  it('puts near-synonyms far closer together than unrelated words', () => {
    const pairs: [string, string, string][] = [
      ['injured', 'wounded', 'banana'],
      ['purchase', 'buy', 'river'],
      ['physician', 'doctor', 'election'],
      ['killed', 'died', 'keyboard'],
      ['car', 'vehicle', 'poetry'],
      ['arrested', 'detained', 'orchestra'],
    ];
    for (const [word, synonym, unrelated] of pairs) {
      expect(similarity(word, synonym), `${word}/${synonym}`).toBeGreaterThan(0.6);
      expect(similarity(word, synonym), `${word}/${synonym} vs ${unrelated}`).toBeGreaterThan(similarity(word, unrelated) + 0.35);
    }
  });

  it('finds a term\'s neighbours among its own kind', () => {
    const table = wordVectors();
    const near = table.nearest(table.row(terms('arrested')[0]!), 10).map(({ row }) => table.term(row));
    expect(near).toContain(terms('detained')[0]);
  });
});

describe('the word-vector file format', () => {
  const term = fc.stringMatching(/^[a-z0-9]{1,12}$/);
  const vector = (dims: number) => fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: dims, maxLength: dims })
    .filter((v) => v.some((x) => Math.abs(x) > 1e-3));
  test.prop([fc.integer({ min: 1, max: 16 }).chain((dims) => fc.tuple(fc.constant(dims), fc.uniqueArray(fc.tuple(term, vector(dims)), { selector: ([t]) => t, minLength: 1, maxLength: 40 })))])(
    'round-trips: every term found at its row, every cosine within quantisation of the exact one',
    ([dims, entries]) => {
      const table = decodeWordVectors(encodeWordVectors(entries.map(([t, v]) => ({ term: t, vector: v })), dims));
      expect(table.size).toBe(entries.length);
      expect(table.dims).toBe(dims);
      for (const [t, v] of entries) {
        expect(table.term(table.row(t))).toBe(t);
        expect(table.similarity(t, t)).toBeCloseTo(1, 5);
        const [u, w] = entries[0]!;
        expect(Math.abs(table.similarity(t, u) - cosine(v, w))).toBeLessThan(0.05);
      }
      expect(table.row('~absent')).toBe(-1);
    },
  );

  it('rejects a file that is not one, or is cut short, with a specific error', () => {
    const bytes = encodeWordVectors([{ term: 'elect', vector: [1, 2, 3] }, { term: 'vote', vector: [1, 2, 2] }], 3);
    expect(() => decodeWordVectors(bytes.subarray(0, bytes.length - 1))).toThrow(/header says/);
    expect(() => decodeWordVectors(new TextEncoder().encode('{"terms": []}'.padEnd(40)))).toThrow(/bad magic/);
    const damaged = bytes.slice();
    new DataView(damaged.buffer).setInt32(24 + 4 * 2 + 4, 0, true); // the second term's offset
    expect(() => decodeWordVectors(damaged)).toThrow(/out of order/);
    for (const scale of [Number.NaN, Infinity, 0]) {
      const badScale = bytes.slice();
      new DataView(badScale.buffer).setFloat32(24 + 4, scale, true); // the second term's scale
      expect(() => decodeWordVectors(badScale)).toThrow(/term 1's scale/);
    }
    expect(() => encodeWordVectors([{ term: 'élu', vector: [1] }], 1)).toThrow(/ASCII/);
    expect(() => encodeWordVectors([{ term: 'nil', vector: [0, 0] }], 2)).toThrow(/no direction/);
  });

  it('reads a copy that does not start on a 4-byte boundary', () => {
    const bytes = encodeWordVectors([{ term: 'elect', vector: [1, 0] }, { term: 'vote', vector: [1, 1] }], 2);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const table = decodeWordVectors(shifted.subarray(1));
    expect(table.similarity('elect', 'vote')).toBeCloseTo(Math.SQRT1_2, 2);
  });
});
