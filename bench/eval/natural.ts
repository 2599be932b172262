/**
 * natural's TfIdf and Porter stemmer, loaded from their submodules (the package root takes ~0.7 s and
 * prints dotenv noise). Loaded through `createRequire` with local types, so no ambient `declare module`
 * is needed (and none can clash with one elsewhere in the tree).
 */
import { createRequire } from 'node:module';

export interface NaturalTfIdf {
  /** One term → count map per document (plus a `__key` entry). */
  documents: Record<string, number>[];
  addDocument(document: string | string[], key?: unknown): void;
  tfidf(terms: string | string[], d: number): number;
  tfidfs(terms: string | string[]): number[];
}

interface NaturalTfIdfCtor {
  new (): NaturalTfIdf;
}

interface NaturalStemmer {
  stem(token: string): string;
}

interface NaturalTokenizer {
  tokenize(text: string): string[];
}

const require = createRequire(import.meta.url);

export const TfIdf = require('natural/lib/natural/tfidf/tfidf') as NaturalTfIdfCtor;
export const PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer') as NaturalStemmer;
const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer') as {
  WordTokenizer: new () => NaturalTokenizer;
};

const wordTokenizer = new WordTokenizer();

/** natural's English stop words. */
export const NATURAL_STOP_WORDS: ReadonlySet<string> = new Set(
  (require('natural/lib/natural/util/stopwords') as { words: string[] }).words,
);

/** The plain BM25 baseline's analysis: natural's WordTokenizer, lower case, natural's stop words out, Porter stems. */
export function plainTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of wordTokenizer.tokenize(text.toLowerCase())) {
    if (NATURAL_STOP_WORDS.has(token)) continue;
    let stemmed = stems.get(token);
    if (stemmed === undefined) {
      stemmed = PorterStemmer.stem(token);
      stems.set(token, stemmed);
    }
    out.push(stemmed);
  }
  return out;
}

/** Porter stems of the tokens seen so far (the eval's vocabulary is small; stemming dominated its time). */
const stems = new Map<string, string>();

/**
 * What `TfIdf#tfidf` does to a string query before scoring (lowercase, then natural's WordTokenizer).
 * Passing this array to `tfidfs` gives the same scores as passing the string, without re-tokenising
 * the question once per document.
 */
export function naturalQueryTerms(question: string): string[] {
  return wordTokenizer.tokenize(question.toLowerCase());
}
