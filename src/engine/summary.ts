import { contextSentenceFor } from './context';
import type { SentenceIndex } from './sentence-index';
import type { SentenceRef, Summary } from './types';

export interface SummaryOptions {
  /** Weight of the lead prior against centrality; news puts its key facts first. */
  leadWeight: number;
  /** How fast the lead prior decays with position. */
  leadDecay: number;
  /** A candidate at least this similar (cosine) to a chosen sentence is a near-duplicate. */
  maxSimilarity: number;
  /** Sentences shorter than this many index terms carry too little to summarise. */
  minTerms: number;
  /** Only the first sentences compete: centrality is quadratic and long texts keep their gist early. */
  maxCandidates: number;
  /** Sentences longer than this many index terms lose score in proportion: a summary should be brief. */
  preferredTerms: number;
  lengthPenalty: number;
}

export const DEFAULT_SUMMARY: SummaryOptions = {
  leadWeight: 1,
  leadDecay: 0.25,
  maxSimilarity: 0.4,
  minTerms: 4,
  maxCandidates: 300,
  preferredTerms: 20,
  lengthPenalty: 0.5,
};

type SparseVector = Map<number, number>;

/**
 * An extractive summary: sentences ranked by centrality (continuous LexRank degree over TF-IDF cosine)
 * blended with a lead-position prior, picked greedily without near-duplicates, returned in article order.
 */
export function summarizeDocument(
  index: SentenceIndex,
  doc: number,
  length: number,
  options: SummaryOptions = DEFAULT_SUMMARY,
): Summary {
  const document = index.documents[doc]!;
  const first = index.docStart[doc]!;
  const count = Math.min(document.sentences.length, options.maxCandidates);
  const vectors = sentenceVectors(index, first, count);
  const centrality = degreeCentrality(vectors);
  const scores = vectors.map((_vector, i) => {
    if (!isSummaryWorthy(index, document.sentences[i] ?? '', first + i, options)) return -Infinity;
    const excess = Math.max(0, index.sentenceLength[first + i]! - options.preferredTerms) / options.preferredTerms;
    const base = score(i, centrality[i]!, options) / (1 + options.lengthPenalty * excess);
    return contextSentenceFor(document, i) !== undefined ? base * 0.5 : base;
  });
  const picked = pickDiverse(vectors, scores, Math.max(1, length), options.maxSimilarity);
  // An article of only very short sentences still gets a summary: its opening ones.
  const chosen = picked.length > 0 ? picked : vectors.slice(0, length).map((_, i) => i);
  const sentences: SentenceRef[] = chosen
    .sort((a, b) => a - b)
    .map((i) => ({ sentence: i + 1, text: document.sentences[i] ?? '' }));
  const summary: Summary = { source: document.id, title: document.title, total: document.sentences.length, sentences };
  if (document.url !== undefined) summary.url = document.url;
  return summary;
}

function score(position: number, centrality: number, options: SummaryOptions): number {
  const lead = 1 / (1 + options.leadDecay * position);
  return centrality + options.leadWeight * lead;
}

function isSummaryWorthy(index: SentenceIndex, text: string, sentence: number, options: SummaryOptions): boolean {
  if (index.sentenceLength[sentence]! < options.minTerms) return false;
  if (/\?["”']?$/.test(text)) return false;
  return /[.!"”']$/.test(text);
}

/** TF-IDF vectors (IDF within this document), L2-normalised, for its first `count` sentences. */
function sentenceVectors(index: SentenceIndex, first: number, count: number): SparseVector[] {
  const documentFrequency = new Map<number, number>();
  const counts: SparseVector[] = [];
  for (let i = 0; i < count; i++) {
    const termCounts: SparseVector = new Map();
    for (let k = index.tokenStart[first + i]!; k < index.tokenStart[first + i + 1]!; k++) {
      const term = index.tokens[k]!;
      termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
    }
    for (const term of termCounts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    counts.push(termCounts);
  }
  return counts.map((termCounts) => {
    let norm = 0;
    const vector: SparseVector = new Map();
    for (const [term, tf] of termCounts) {
      const weight = tf * Math.log(1 + count / documentFrequency.get(term)!);
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  });
}

function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}

/** Each sentence's summed similarity to the others, scaled to 0..1. */
function degreeCentrality(vectors: SparseVector[]): number[] {
  const degree = vectors.map(() => 0);
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      const similarity = cosine(vectors[i]!, vectors[j]!);
      degree[i]! += similarity;
      degree[j]! += similarity;
    }
  }
  const max = Math.max(...degree, 0) || 1;
  return degree.map((value) => value / max);
}

function pickDiverse(vectors: SparseVector[], scores: number[], length: number, maxSimilarity: number): number[] {
  const order = scores.map((_, i) => i).filter((i) => scores[i]! > -Infinity).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const chosen: number[] = [];
  for (const candidate of order) {
    if (chosen.length >= length) break;
    if (chosen.some((i) => cosine(vectors[i]!, vectors[candidate]!) >= maxSimilarity)) continue;
    chosen.push(candidate);
  }
  return chosen;
}
