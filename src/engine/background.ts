import { readFileSync } from 'node:fs';
import { packageFile } from '../runtime-files';

/**
 * How common each index term is in general English (counts over public-domain books, built by
 * scripts/build-background-frequencies.ts). A single article is too small to know that "year" is
 * everywhere and "Singapore" is not; this tells the engine which question words name a topic.
 */
interface BackgroundFile {
  sentences: number;
  minCount: number;
  counts: Record<string, number>;
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

function fromFile(file: BackgroundFile): BackgroundFrequencies {
  const counts = new Map(Object.entries(file.counts));
  const unlisted = file.minCount / 2;
  return {
    idf: (term) => Math.log(1 + file.sentences / (counts.get(term) ?? unlisted)),
    listed: (term) => counts.has(term),
  };
}
