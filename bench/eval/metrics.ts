/**
 * Pure metric code for the eval: answer matching, ranking metrics and ROUGE. No engine imports.
 */
import { PorterStemmer } from './natural';

// ---------------------------------------------------------------------------------------------
// Answer matching: one definition for eval, bench and tests (bench/answer-match.ts)

export { containsAtWordBoundary, holdsAnswer, normalizeText, type MatchMode } from '../answer-match';

// ---------------------------------------------------------------------------------------------
// Question words (for the miss breakdown)

export const QUESTION_WORDS = ['who', 'when', 'where', 'how many/much', 'how', 'what/which', 'why', 'yes/no', 'other'] as const;
export type QuestionWord = (typeof QUESTION_WORDS)[number];

const WH = /\b(how many|how much|who|whom|whose|when|where|why|how|what|which)\b/;
const YES_NO = /^(is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|shall|may|might|must|isn't|aren't|wasn't|didn't|doesn't)\b/;

/** The question word a question turns on: its first wh-word; else yes/no when it opens with an auxiliary. */
export function questionWord(question: string): QuestionWord {
  const q = question.toLowerCase().trim();
  const wh = WH.exec(q)?.[1];
  if (wh === undefined) return YES_NO.test(q) ? 'yes/no' : 'other';
  if (wh === 'how many' || wh === 'how much') return 'how many/much';
  if (wh === 'whom' || wh === 'whose') return 'who';
  if (wh === 'what' || wh === 'which') return 'what/which';
  return wh as QuestionWord;
}

// ---------------------------------------------------------------------------------------------
// Ranking metrics

/**
 * 1-based rank of the first correct item in `ranked` (already cut to the depth asked for), or 0 if none.
 */
export function firstCorrectRank<T>(ranked: readonly T[], isCorrect: (item: T) => boolean): number {
  for (let i = 0; i < ranked.length; i++) {
    if (isCorrect(ranked[i] as T)) return i + 1;
  }
  return 0;
}

export interface RankSummary {
  /** Questions counted. */
  n: number;
  top1: number;
  top3: number;
  /** Mean reciprocal rank, 0 for a question whose answer is not in the ranked list. */
  mrr: number;
}

/** top-1 / top-3 rates and MRR from first-correct ranks (0 = not found). NaN rates when `ranks` is empty. */
export function summarizeRanks(ranks: readonly number[]): RankSummary {
  const n = ranks.length;
  let top1 = 0;
  let top3 = 0;
  let rr = 0;
  for (const r of ranks) {
    if (r === 1) top1++;
    if (r >= 1 && r <= 3) top3++;
    if (r >= 1) rr += 1 / r;
  }
  return { n, top1: top1 / n, top3: top3 / n, mrr: rr / n };
}

/** `count / n`, or NaN when n is 0 (printed as n/a). */
export function rate(count: number, n: number): number {
  return n === 0 ? Number.NaN : count / n;
}

// ---------------------------------------------------------------------------------------------
// ROUGE

/**
 * Tokenisation as in Google's `rouge-score` with `use_stemmer=True`: lowercase, every run of characters
 * other than a-z0-9 is a separator, tokens longer than 3 characters are Porter-stemmed (natural's
 * Porter stemmer; rouge-score uses NLTK's, which differs on a few rare suffixes). No stop-word removal.
 */
export function rougeTokens(text: string): string[] {
  const out: string[] = [];
  for (const tok of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (tok.length === 0) continue;
    out.push(tok.length > 3 ? PorterStemmer.stem(tok) : tok);
  }
  return out;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

function prf(overlap: number, candidateCount: number, referenceCount: number): Prf {
  const precision = candidateCount === 0 ? 0 : overlap / candidateCount;
  const recall = referenceCount === 0 ? 0 : overlap / referenceCount;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N on token lists: overlap = clipped n-gram matches (min of the two counts per n-gram). */
export function rougeNTokens(candidate: readonly string[], reference: readonly string[], n: number): Prf {
  const cand = ngramCounts(candidate, n);
  const ref = ngramCounts(reference, n);
  let overlap = 0;
  for (const [gram, c] of cand) overlap += Math.min(c, ref.get(gram) ?? 0);
  const candTotal = Math.max(0, candidate.length - n + 1);
  const refTotal = Math.max(0, reference.length - n + 1);
  return prf(overlap, candTotal, refTotal);
}

/** Length of the longest common subsequence of two token lists (O(n·m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = ai === b[j - 1] ? (prev[j - 1] ?? 0) + 1 : Math.max(prev[j] ?? 0, cur[j - 1] ?? 0);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

/**
 * ROUGE-L on token lists: one LCS over the whole candidate and the whole reference (what rouge-score
 * calls `rougeL`; not the sentence-wise union-LCS `rougeLsum`).
 */
export function rougeLTokens(candidate: readonly string[], reference: readonly string[]): Prf {
  return prf(lcsLength(candidate, reference), candidate.length, reference.length);
}

export interface RougeScores {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

/** ROUGE-1, ROUGE-2 and ROUGE-L F1 of a candidate text against a reference text. */
export function rougeF1(candidate: string, reference: string): RougeScores {
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  return {
    rouge1: rougeNTokens(c, r, 1).f1,
    rouge2: rougeNTokens(c, r, 2).f1,
    rougeL: rougeLTokens(c, r).f1,
  };
}

/** Mean of each ROUGE score over a list (NaN for an empty list). */
export function meanRouge(scores: readonly RougeScores[]): RougeScores {
  const n = scores.length;
  const sum = { rouge1: 0, rouge2: 0, rougeL: 0 };
  for (const s of scores) {
    sum.rouge1 += s.rouge1;
    sum.rouge2 += s.rouge2;
    sum.rougeL += s.rougeL;
  }
  return { rouge1: sum.rouge1 / n, rouge2: sum.rouge2 / n, rougeL: sum.rougeL / n };
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness (deterministic off-topic sampling)

/** 32-bit FNV-1a hash of a string, as a seed. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
