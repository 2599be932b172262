import { terms } from '../text/tokens';
import type { SentenceIndex } from './sentence-index';
import { TopK } from './top-k';

export interface RankingOptions {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation (0 = none, 1 = full). */
  b: number;
  /** How many first-stage candidates the second stage re-scores. */
  candidates: number;
  /** Weight of a question bigram found in the sentence, relative to the pair's mean IDF. */
  proximityWeight: number;
}

export const DEFAULT_RANKING: RankingOptions = {
  k1: 1.2,
  b: 0.75,
  candidates: 30,
  proximityWeight: 0.5,
};

export interface QueryTerm {
  term: string;
  /** -1 when no sentence in the index has it. */
  id: number;
  idf: number;
}

export interface AnalysedQuery {
  terms: QueryTerm[];
  /** Sum of the IDF of every distinct query term, known to the index or not. */
  idfMass: number;
}

export interface RankedSentence {
  /** Global sentence id in the index. */
  sentence: number;
  score: number;
  /** Share of the question's IDF mass that this sentence contains (0..1). */
  coverage: number;
}

export interface SearchScope {
  /** Global sentence ids [from, to) to search; the whole index when absent. */
  from?: number;
  to?: number;
  top: number;
}

/**
 * BM25 over the inverted index, then a second stage that re-scores the best candidates with the
 * evidence BM25 cannot see: question words that stand together in the sentence.
 * One Ranker per index; it owns scratch arrays sized to the index so that queries allocate nothing
 * in proportion to the corpus. Not re-entrant (JavaScript runs one query at a time).
 */
export class Ranker {
  private readonly scores: Float32Array;
  private readonly covered: Float32Array;
  private readonly touched: Int32Array;

  constructor(
    readonly index: SentenceIndex,
    readonly options: RankingOptions = DEFAULT_RANKING,
  ) {
    this.scores = new Float32Array(index.sentenceCount);
    this.covered = new Float32Array(index.sentenceCount);
    this.touched = new Int32Array(index.sentenceCount);
  }

  analyse(question: string): AnalysedQuery {
    const seen = new Set<string>();
    const queryTerms: QueryTerm[] = [];
    let idfMass = 0;
    for (const term of terms(question)) {
      if (seen.has(term)) continue;
      seen.add(term);
      const id = this.index.termId(term);
      const idf = this.idf(this.index.documentFrequency(id));
      queryTerms.push({ term, id, idf });
      idfMass += idf;
    }
    return { terms: queryTerms, idfMass };
  }

  search(query: AnalysedQuery, scope: SearchScope): RankedSentence[] {
    const from = scope.from ?? 0;
    const to = scope.to ?? this.index.sentenceCount;
    const touchedCount = this.accumulate(query, from, to);
    const candidates = new TopK(Math.max(scope.top, this.options.candidates));
    for (let k = 0; k < touchedCount; k++) {
      const sentence = this.touched[k]!;
      candidates.offer(sentence, this.scores[sentence]!);
    }
    const ranked = candidates.sorted().map(({ id, score }) => this.rescore(query, id, score));
    for (let k = 0; k < touchedCount; k++) {
      const sentence = this.touched[k]!;
      this.scores[sentence] = 0;
      this.covered[sentence] = 0;
    }
    ranked.sort((a, b) => b.score - a.score || a.sentence - b.sentence);
    return ranked.slice(0, scope.top);
  }

  private idf(documentFrequency: number): number {
    const n = this.index.sentenceCount;
    return Math.log(1 + (n - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** First stage: BM25 and covered IDF mass for every sentence in range sharing a term. */
  private accumulate(query: AnalysedQuery, from: number, to: number): number {
    const { k1, b } = this.options;
    const { postingStart, postingSentence, postingFrequency, sentenceLength, averageLength } = this.index;
    let touchedCount = 0;
    for (const { id, idf } of query.terms) {
      if (id < 0) continue;
      for (let p = postingStart[id]!, end = postingStart[id + 1]!; p < end; p++) {
        const sentence = postingSentence[p]!;
        if (sentence < from || sentence >= to) continue;
        const tf = postingFrequency[p]!;
        const norm = k1 * (1 - b + (b * sentenceLength[sentence]!) / averageLength);
        if (this.covered[sentence] === 0) this.touched[touchedCount++] = sentence;
        this.scores[sentence]! += (idf * tf * (k1 + 1)) / (tf + norm);
        this.covered[sentence]! += idf;
      }
    }
    return touchedCount;
  }

  private rescore(query: AnalysedQuery, sentence: number, score: number): RankedSentence {
    const coverage = query.idfMass > 0 ? this.covered[sentence]! / query.idfMass : 0;
    const bonus = this.options.proximityWeight * this.proximity(query, sentence);
    return { sentence, score: score + bonus, coverage };
  }

  /** Mean IDF of each pair of consecutive question terms that also stand within two words in the sentence. */
  private proximity(query: AnalysedQuery, sentence: number): number {
    const { tokens, tokenStart } = this.index;
    const start = tokenStart[sentence]!;
    const end = tokenStart[sentence + 1]!;
    let bonus = 0;
    for (let q = 0; q + 1 < query.terms.length; q++) {
      const first = query.terms[q]!;
      const second = query.terms[q + 1]!;
      if (first.id < 0 || second.id < 0) continue;
      for (let k = start; k < end; k++) {
        if (tokens[k] !== first.id) continue;
        if (tokens[k + 1] === second.id && k + 1 < end || tokens[k + 2] === second.id && k + 2 < end) {
          bonus += (first.idf + second.idf) / 2;
          break;
        }
      }
    }
    return bonus;
  }
}
