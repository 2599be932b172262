import { readFileSync } from 'node:fs';
import { packageFile } from '../runtime-files';

/**
 * How common each index term is in general English (counts over public-domain books, built by
 * scripts/build-background-frequencies.ts). A single article is too small to know that "year" is
 * everywhere and "Singapore" is not; this tells the engine which question words name a topic.
 */
export interface BackgroundFile {
  sentences: number;
  minCount: number;
  /** The listed terms in JavaScript string order, and the count of each, in the same order. */
  terms: string[];
  counts: number[];
}

export interface BackgroundFrequencies {
  /** IDF of a term in general English; a term too rare to be listed gets the IDF of half the listing threshold. */
  idf(term: string): number;
  /** Whether the term is common enough in general English to be listed (a typo seldom is). */
  listed(term: string): boolean;
}

const FILE = packageFile('data/background-frequencies.json');
let loaded: BackgroundFrequencies | undefined;

export function backgroundFrequencies(): BackgroundFrequencies {
  loaded ??= fromFile(JSON.parse(readFileSync(FILE, 'utf8')) as BackgroundFile);
  return loaded;
}

/**
 * Looked up by binary search in the sorted terms: JSON.parse of two arrays takes about 10 ms, where the
 * object of 24,209 keys it held before, made into a Map, took 40–50 ms of every start.
 */
export function fromFile(file: BackgroundFile): BackgroundFrequencies {
  const { terms, counts } = file;
  const unlisted = file.minCount / 2;
  const find = (term: string): number => {
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const probe = terms[mid]!;
      if (term < probe) hi = mid;
      else if (term > probe) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
  return {
    idf: (term) => {
      const at = find(term);
      return Math.log(1 + file.sentences / (at < 0 ? unlisted : counts[at]!));
    },
    listed: (term) => find(term) >= 0,
  };
}

/** The file for `counts` (term → sentences holding it): terms sorted as `fromFile` searches them. */
export function backgroundFile(sentences: number, minCount: number, counts: Iterable<readonly [string, number]>): BackgroundFile {
  const sorted = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { sentences, minCount, terms: sorted.map(([term]) => term), counts: sorted.map(([, count]) => count) };
}
