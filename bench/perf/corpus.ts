/**
 * Corpus building for the benchmark: the evaluation articles plus filler prose, cut to an exact
 * sentence count, the same sentences for every system. Pure functions here; file IO in corpus-io.ts.
 */
import { hashSeed as fnv1a, mulberry32 as seededRandom } from '../eval/metrics';

/** A document as the benchmark hands it to systems: sentences already split. */
export interface CorpusDoc {
  id: string;
  title: string;
  sentences: string[];
  /** 0-based paragraph of each sentence, when known (evaluation articles); filler has none. */
  paragraphs?: number[];
}

export interface CorpusPlan {
  /** Sentences in the corpus: exactly the requested size (unless the inputs are empty). */
  sentences: number;
  docs: CorpusDoc[];
  /** Ids of the evaluation articles included (their questions count for accuracy). */
  evalDocIds: string[];
  evalSentences: number;
  fillerSentences: number;
  /** How many times the filler pool was gone through (1 = no repetition). */
  poolPasses: number;
  /** Filler sentences that are perturbed copies (pass ≥ 2), not original text. */
  perturbedSentences: number;
}

export interface BuildCorpusOptions {
  /** Evaluation articles, in priority order (earlier ones are kept first when they do not all fit). */
  evalDocs: readonly CorpusDoc[];
  /** Filler sentences, used in order and repeated with deterministic perturbation when exhausted. */
  pool: readonly string[];
  size: number;
  /** Filler sentences per synthetic document (default 20). */
  groupSize?: number;
  /** Share of long words given a variant spelling per repeated pass (default 0.3). */
  perturbRate?: number;
}

// One seeded hash and PRNG for the whole bench folder: the evaluation's.
export { fnv1a, seededRandom };

/** Fisher–Yates shuffle into a new array, deterministic for a seed. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

const VARIANT_SUFFIXES = ['a', 'o', 'en', 'er', 'is', 'um', 'an', 'or', 'ic', 'ex'] as const;
const LONG_WORD = /[A-Za-z]{6,}/g;

/**
 * The text of filler pass `pass` (0-based) of a pool sentence. Pass 0 is the sentence itself. In later
 * passes, each distinct word of 6+ letters is, with probability `rate` decided by a hash of (pass, word),
 * given a variant spelling (a suffix also chosen by that hash): the same word gets the same variant
 * everywhere in one pass, so a repeated pass adds new vocabulary with realistic co-occurrence while
 * short (mostly function) words keep growing their postings as in a larger real corpus.
 */
export function perturbSentence(sentence: string, pass: number, rate = 0.3): string {
  if (pass <= 0) return sentence;
  const threshold = Math.round(rate * 1000);
  return sentence.replace(LONG_WORD, (word) => {
    const hash = fnv1a(`${pass}\u0000${word.toLowerCase()}`);
    if (hash % 1000 >= threshold) return word;
    return word + VARIANT_SUFFIXES[(hash >>> 10) % VARIANT_SUFFIXES.length];
  });
}

/** Filler sentence number `i` (0-based) drawn from `pool`: pool order, perturbed on repeated passes. */
export function fillerSentence(pool: readonly string[], i: number, rate = 0.3): string {
  if (pool.length === 0) throw new Error('the filler pool is empty');
  const pass = Math.floor(i / pool.length);
  return perturbSentence(pool[i % pool.length] as string, pass, rate);
}

/**
 * Chooses which evaluation articles fit in `size` sentences: all of them when they fit, otherwise
 * greedily in the given order, skipping an article that would overflow.
 */
export function selectEvalDocs(evalDocs: readonly CorpusDoc[], size: number): CorpusDoc[] {
  const chosen: CorpusDoc[] = [];
  let remaining = size;
  for (const doc of evalDocs) {
    if (doc.sentences.length === 0 || doc.sentences.length > remaining) continue;
    chosen.push(doc);
    remaining -= doc.sentences.length;
  }
  return chosen;
}

/**
 * Builds a corpus of exactly `size` sentences: the evaluation articles that fit, then filler from the
 * pool grouped into synthetic documents of `groupSize` sentences. Evaluation documents are spread
 * evenly among the filler documents (not all first) so no system gains from document order in ties.
 */
export function buildCorpus(options: BuildCorpusOptions): CorpusPlan {
  const { pool, size } = options;
  const groupSize = options.groupSize ?? 20;
  const rate = options.perturbRate ?? 0.3;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`corpus size must be a whole number, got ${size}`);
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new RangeError(`groupSize must be ≥ 1, got ${groupSize}`);
  const evalDocs = selectEvalDocs(options.evalDocs, size);
  const evalSentences = evalDocs.reduce((sum, doc) => sum + doc.sentences.length, 0);
  const fillerCount = pool.length === 0 ? 0 : size - evalSentences;

  const fillerDocs: CorpusDoc[] = [];
  for (let start = 0, n = 0; start < fillerCount; start += groupSize, n++) {
    const end = Math.min(fillerCount, start + groupSize);
    const sentences: string[] = [];
    for (let i = start; i < end; i++) sentences.push(fillerSentence(pool, i, rate));
    const id = `filler-${String(n).padStart(6, '0')}`;
    fillerDocs.push({ id, title: `Filler ${n}`, sentences });
  }

  const docs = interleave(fillerDocs, evalDocs);
  const poolPasses = pool.length === 0 ? 0 : Math.max(1, Math.ceil(fillerCount / pool.length));
  return {
    sentences: evalSentences + fillerCount,
    docs,
    evalDocIds: evalDocs.map((doc) => doc.id),
    evalSentences,
    fillerSentences: fillerCount,
    poolPasses,
    perturbedSentences: Math.max(0, fillerCount - pool.length),
  };
}

/** `extra` spread evenly through `base` (order within each preserved). */
export function interleave<T>(base: readonly T[], extra: readonly T[]): T[] {
  if (extra.length === 0) return base.slice();
  const out: T[] = [];
  let next = 0;
  for (let i = 0; i <= base.length; i++) {
    // Put extra item j before base item floor((j + 0.5) * base.length / extra.length).
    while (next < extra.length && Math.floor(((next + 0.5) * base.length) / extra.length) <= i) {
      out.push(extra[next] as T);
      next++;
    }
    if (i < base.length) out.push(base[i] as T);
  }
  return out;
}

/** Corpus sizes as typed on the command line: `1k`, `10k`, `100k`, `1M`, `2500`. */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(text);
  if (match === null) throw new Error(`not a size: "${text}" (use e.g. 1k, 10k, 100k, 1M)`);
  const unit = (match[2] ?? '').toLowerCase();
  const value = Number(match[1]) * (unit === 'k' ? 1_000 : unit === 'm' ? 1_000_000 : 1);
  if (!Number.isInteger(value) || value < 1) throw new Error(`not a whole positive size: "${text}"`);
  return value;
}

export function formatSize(size: number): string {
  if (size >= 1_000_000 && size % 1_000_000 === 0) return `${size / 1_000_000}M`;
  if (size >= 1_000 && size % 1_000 === 0) return `${size / 1_000}k`;
  return String(size);
}
