import { terms } from '../text/tokens';
import { hasNovel, questionType, type AnswerType } from './answer-type';
import { backgroundFrequencies } from './background';
import { fineQuestionType, hasFineType, hasNovelFineType, type FineType } from './fine-answer-type';
import { nearSpellings, relatedTerms, type ExpansionOptions, type RelatedTerm } from './expansion';
import type { SentenceIndex } from './sentence-index';
import { orderLowerPlaces } from './lower-places';
import { TopK } from './top-k';
import { wordVectors, type WordVectors } from './word-vectors';

export interface RankingOptions {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation (0 = none, 1 = full). */
  b: number;
  /** How many first-stage candidates the second stage re-scores. */
  candidates: number;
  /** Weight of a question bigram found in the sentence, relative to the pair's mean IDF. */
  proximityWeight: number;
  /** Share of the previous sentence's score lent to a sentence that refers back to it ("She said…"). */
  lendWeight: number;
  /** Bonus, in mean query-term IDFs, for a sentence holding the kind of thing the question asks for. */
  answerTypeWeight: number;
  /**
   * Further bonus, in mean query-term IDFs, when that thing is new to the question (a name the question
   * does not already give for "who", a number it does not give for "how many"): the sentence answers
   * rather than restates.
   */
  noveltyWeight: number;
  /**
   * Weight of the evidence of the sentence's whole document (the question's terms it holds anywhere,
   * by document IDF): a sentence of the article that is about the question beats a lookalike elsewhere.
   */
  documentWeight: number;
  /** Bonus, in mean query-term IDFs, per share of the question's topicality the sentence holds. */
  coverageWeight: number;
  /** A term in more than this share of the searched sentences (and at least commonPostingsMin) is common. */
  commonShare: number;
  commonPostingsMin: number;
  /** Weight of each further sentence of a document holding a question term (the n-th adds 1/n of it). */
  repeatWeight: number;
  /** Weight, relative to documentWeight, of a question term found in a document's title. */
  titleWeight: number;
  /** Weight of the question terms found anywhere in the sentence's paragraph (by sentence IDF). */
  paragraphWeight: number;
  /**
   * Bonus, in mean query-term IDFs, for coming early in the document (halved by the second sentence):
   * news and encyclopedia text put the defining facts first.
   */
  leadWeight: number;
  /** Bonus, in mean query-term IDFs, for the document's first sentence (news leads with its summary). */
  firstWeight: number;
  /**
   * Weight of the IDF of the distinct question terms the sentence holds, without BM25's length
   * normalisation or saturation: a long sentence that holds the question's words is not marked down.
   */
  matchedWeight: number;
  /**
   * A question with fewer distinct terms than this gets proportionally less of BM25's length
   * normalisation (b) and more of `lengthWeight` (0: every question gets b in full).
   */
  shortQuestionTerms: number;
  /** Bonus, in mean query-term IDFs, per log2(1 + length / average length) of the sentence, times the question's shortness. */
  lengthWeight: number;
  /** Weight of the larger BM25 of the sentences just before and after it in its document. */
  neighbourWeight: number;
  /** Bonus, in mean query-term IDFs, when the sentence holds the question's rarest term (by IDF). */
  rarestWeight: number;
  /**
   * Weight of the soft alignment: for each question word the sentence lacks, its IDF times how close in
   * meaning the sentence's nearest word is (word vectors, `word-vectors.ts`), above `alignFloor`.
   */
  alignWeight: number;
  /** A cosine at or below this counts nothing; 1 counts in full (between, in proportion). */
  alignFloor: number;
  /**
   * Below the first place (`lower-places.ts`), the weight of the soft alignment (as `alignWeight`, with
   * `lowerAlignFloor` for its floor): the places that matter when the first sentence is wrong go to
   * sentences that say the question's missing words in other words (0: the second stage's order throughout).
   */
  lowerAlignWeight: number;
  lowerAlignFloor: number;
  /** How many places below the first are chosen so; those after them keep the second stage's order. */
  lowerPlaces: number;
  /** The lower places are chosen so only when the searched sentences hold at most this many tokens. */
  lowerPlacesTokens: number;
  /**
   * They are chosen from the second stage's first this many: the alignment reads each candidate's words, and
   * on the dev sets no right sentence came from further down (README "Quality", the lower places).
   */
  lowerPlacesPool: number;
}

export const DEFAULT_RANKING: RankingOptions = {
  k1: 0.75,
  b: 0.4,
  candidates: 30,
  proximityWeight: 0.5,
  lendWeight: 0.3,
  answerTypeWeight: 1,
  noveltyWeight: 0.375,
  documentWeight: 0.5,
  titleWeight: 1,
  repeatWeight: 1,
  coverageWeight: 0.4,
  commonShare: 0.01,
  commonPostingsMin: 5_000,
  paragraphWeight: 0.6,
  leadWeight: 0.6,
  firstWeight: 0,
  matchedWeight: 0,
  shortQuestionTerms: 4,
  lengthWeight: 0.25,
  neighbourWeight: 0,
  rarestWeight: 0,
  alignWeight: 0,
  alignFloor: 0.5,
  lowerAlignWeight: 0.5,
  lowerAlignFloor: 0.6,
  lowerPlaces: 2,
  lowerPlacesTokens: 50_000,
  lowerPlacesPool: 10,
};

/**
 * The evidence the second stage weighs for a candidate sentence, in this order; its score is the sum of
 * each feature times its weight (`rerankWeights`), BM25's weight being 1.
 */
export const RERANK_FEATURES = [
  'bm25', 'lent', 'document', 'paragraph', 'proximity', 'typed', 'novel', 'lead', 'coverage',
  'first', 'matched', 'length', 'neighbour', 'rarest', 'align',
] as const;
export type RerankFeature = (typeof RERANK_FEATURES)[number];

/** The weight of each second-stage feature under these options, in `RERANK_FEATURES` order. */
export function rerankWeights(options: RankingOptions): Float64Array {
  const byName: Record<RerankFeature, number> = {
    bm25: 1,
    lent: options.lendWeight,
    document: options.documentWeight,
    paragraph: options.paragraphWeight,
    proximity: options.proximityWeight,
    typed: options.answerTypeWeight,
    novel: options.noveltyWeight,
    lead: options.leadWeight,
    coverage: options.coverageWeight,
    first: options.firstWeight,
    matched: options.matchedWeight,
    length: options.lengthWeight,
    neighbour: options.neighbourWeight,
    rarest: options.rarestWeight,
    align: options.alignWeight,
  };
  return Float64Array.from(RERANK_FEATURES, (name) => byName[name]);
}

/** The position of each feature in a feature vector. */
const F = Object.fromEntries(RERANK_FEATURES.map((name, i) => [name, i])) as Record<RerankFeature, number>;

/** A candidate of the second stage with the evidence its score is made of (for fitting the weights). */
export interface ExplainedCandidate {
  sentence: number;
  /** In `RERANK_FEATURES` order. */
  features: Float64Array;
}

export interface QueryTerm {
  term: string;
  /** -1 when no sentence in the index has it. */
  id: number;
  /** Ranking weight: this index's IDF (general-English rarity lowered accuracy when blended in). */
  idf: number;
  /** General-English rarity: how much the term says about what the question is about. */
  topicality: number;
  /** Set on a related term standing for a question word the searched text lacks: that word's position. */
  of?: number;
}

export interface AnalysedQuery {
  terms: QueryTerm[];
  answerType: AnswerType;
  /**
   * A finer kind of number asked for ("how long": a span, "how often", "how old", "how far"; 0: none): the
   * answer-type bonus then goes to a sentence of that kind only (`fine-answer-type.ts`).
   */
  fineType: FineType;
  /** The question in lower case (to tell what it already names). */
  asked: string;
  /** Sum of the topicality of every distinct query term, known to the index or not. */
  topicMass: number;
  /** Mean ranking weight of the query terms: the unit of the re-ranking bonuses. */
  meanIdf: number;
  /** Terms that may stand for a question word the searched text lacks (`expansion.ts`). */
  related: RelatedTerm[];
}

export interface RankedSentence {
  /** Global sentence id in the index. */
  sentence: number;
  score: number;
  /** Share of the question's topicality that this sentence contains (0..1). */
  coverage: number;
}

export interface SearchResult {
  /** Best first. */
  sentences: RankedSentence[];
  /** Share of the question's topicality found anywhere in the searched sentences. */
  scopeCoverage: number;
  /**
   * The second stage's score of its second best, when the places below the first are ordered otherwise
   * (`lower-places.ts`): the runner-up the first sentence's lead is measured against (the confidence's margin).
   */
  runnerUp?: number;
  /**
   * Share of the question's topicality in words that neither the searched sentences nor any related word
   * or near spelling of theirs there hold: what the articles say nothing about (the declines read it).
   */
  unheldShare: number;
  /**
   * The fine answer type the second stage ranked by: the question's, when some candidate is of that kind,
   * else 0 (the coarse type applied; `withFineTypeHeld`). Absent: 0. The confidence's type signals read it.
   */
  fineType?: FineType;
}

export interface SearchScope {
  /** Global sentence ids [from, to) to search; the whole index when absent. */
  from?: number;
  to?: number;
  top: number;
}

/**
 * BM25 over the inverted index, then a second stage that re-scores the best candidates with the
 * evidence BM25 cannot see: question words that stand together in the sentence, the kind of thing the
 * question asks for, and an early position in the article.
 * One Ranker per index; it owns scratch arrays sized to the index so that queries allocate nothing
 * in proportion to the corpus. Not re-entrant (JavaScript runs one query at a time).
 */
export class Ranker {
  private readonly scores: Float32Array;
  /**
   * BM25's length normalisation of each sentence, k1·(length/average − 1), computed once: a question with
   * its own b (`shortness`) normalises by k1 + b·lengthNorm.
   */
  private readonly lengthNorm: Float32Array;
  /** Terms with more postings than this in a search are common: see `addToTouched`. */
  private readonly commonPostings: number;
  private readonly touched: Int32Array;
  private readonly documentScores: Float32Array;
  private readonly touchedDocuments: Int32Array;
  private readonly paragraphScores: Float32Array;
  private readonly touchedParagraphs: Int32Array;
  private readonly background = backgroundFrequencies();
  /** The second-stage weights, in `RERANK_FEATURES` order. */
  private readonly weights: Float64Array;
  private readonly featureScratch = new Float64Array(RERANK_FEATURES.length);
  /** The features with a weight other than 0, in order: the only ones a served score sums. */
  private readonly weighted: Int32Array;
  /** The feature vectors of candidates whose novelty is not looked at yet (`bestRescored`). */
  private pendingFeatures = new Float64Array(0);
  /**
   * Scratch per query term, made for QUERY_TERMS_ROOM terms and grown only past that. The fields below that
   * hold a fraction start as one, and those made on first use start as empty arrays of their kind. A field
   * that is set again later (an array grown), or that first holds a small integer or undefined and then a
   * fraction or an array, makes V8 throw away the optimised code of every method that read it: a fresh
   * process then compiles the first and second stages again mid-run (`node --trace-deopt`).
   */
  private foundScratch = new Float64Array(QUERY_TERMS_ROOM);
  private queryB = 0.5;
  /** The word vectors of the soft alignment, once the first question that weighs it is asked. */
  private vectors: WordVectors | undefined;
  /** Each index term's row in `vectors` (-1: none), looked up on first use (-2: not yet). */
  private termRows = new Int32Array(0);
  /** The current question's own terms that have a vector: how many, their ids, IDFs and unit vectors. */
  private alignCount = 0;
  private alignIds = new Int32Array(8);
  private alignIdf = new Float64Array(8);
  private alignVectors = new Float32Array(0);
  /** Per index term, the stamp of the last question that met it (`nextStamp`). */
  private termStamps = new Int32Array(0);
  private stamp = 0;
  /** Per index term, 1 + its position in the query being ranked (0: not in it): `scanTerms` reads a sentence once. */
  private termSlots = new Int32Array(0);
  /** Per query term, set by `scanTerms`: held by the candidate or the sentence it refers back to; by the candidate itself; its pair with the next term stands together there. */
  private held = new Uint8Array(QUERY_TERMS_ROOM);
  private own = new Uint8Array(QUERY_TERMS_ROOM);
  private paired = new Uint8Array(QUERY_TERMS_ROOM);
  /** The query's shortness (`shortness`), set by `accumulate`. */
  private queryShortness = 0.5;
  /** Made on first use (`vocabularyRowsMade`). */
  private vocabularyRowsKept = new Int32Array(0);
  private vocabularyRowsMade = false;
  /** `scopeRows` of the ranges asked most recently, by "from to". */
  private readonly scopeRowsKept = new Map<string, Int32Array>();
  /** What each question has looked up, kept for its later searches (the best article asked again). */
  private readonly lookups = new WeakMap<AnalysedQuery, QueryLookups>();

  constructor(
    readonly index: SentenceIndex,
    readonly options: RankingOptions = DEFAULT_RANKING,
    /** Scoped vocabulary expansion; none when absent. */
    readonly expansion?: ExpansionOptions,
    /** Word meaning for the soft alignment; data/word-vectors.bin, read by the first question that needs it, when absent. */
    vectors?: WordVectors,
  ) {
    this.weights = rerankWeights(options);
    this.weighted = Int32Array.from(RERANK_FEATURES.keys()).filter((f) => this.weights[f] !== 0);
    this.vectors = vectors;
    this.scores = new Float32Array(index.sentenceCount);
    this.lengthNorm = new Float32Array(index.sentenceCount);
    this.commonPostings = Math.max(options.commonPostingsMin, options.commonShare * index.sentenceCount);
    const { k1 } = options;
    for (let s = 0; s < index.sentenceCount; s++) {
      this.lengthNorm[s] = k1 * (index.sentenceLength[s]! / index.averageLength - 1);
    }
    this.touched = new Int32Array(index.sentenceCount);
    this.documentScores = new Float32Array(index.documents.length);
    this.touchedDocuments = new Int32Array(index.documents.length);
    this.paragraphScores = new Float32Array(index.paragraphCount);
    this.touchedParagraphs = new Int32Array(index.paragraphCount);
  }

  analyse(question: string): AnalysedQuery {
    const seen = new Set<string>();
    const queryTerms: QueryTerm[] = [];
    let topicMass = 0;
    for (const term of terms(question)) {
      if (seen.has(term)) continue;
      seen.add(term);
      const id = this.index.termId(term);
      const topicality = this.background.idf(term);
      const idf = this.idf(this.index.documentFrequency(id));
      queryTerms.push(queryTerm(term, id, idf, topicality, undefined));
      topicMass += topicality;
    }
    const meanIdf = queryTerms.reduce((sum, term) => sum + term.idf, 0) / Math.max(1, queryTerms.length);
    const related = this.expansion === undefined ? [] : relatedTerms(queryTerms.map((term) => term.term), this.expansion);
    return analysedQuery(queryTerms, questionType(question), fineQuestionType(question), question.toLowerCase(), topicMass, meanIdf, related);
  }

  search(analysed: AnalysedQuery, scope: SearchScope): SearchResult {
    const lower = this.ordersLowerPlaces(scope);
    return this.withCandidates(analysed, scope, lower, (query, candidates, touched, top) => {
      const scopeCoverage = query.topicMass > 0 ? touched.topicality / query.topicMass : 0;
      const unheldShare = query.topicMass > 0 ? touched.unheld / query.topicMass : 0;
      const { fineType } = query;
      if (!lower) return { sentences: this.bestRescored(query, candidates, top), scopeCoverage, unheldShare, fineType };
      const { lowerAlignWeight, lowerAlignFloor, lowerPlaces, lowerPlacesPool } = this.options;
      const ranked = this.bestRescored(query, candidates, Math.max(top, lowerPlacesPool));
      const bonusOf = (k: number): number => lowerAlignWeight * this.alignment(ranked[k]!.sentence, lowerAlignFloor);
      const sentences = orderLowerPlaces(ranked, bonusOf, Math.max(0, lowerAlignWeight * this.alignmentBound()), lowerPlaces, top, lowerPlacesPool);
      return { sentences, scopeCoverage, unheldShare, fineType, runnerUp: ranked[1]?.score };
    });
  }

  /** Whether a search orders its places below the first by `lower-places.ts` (more than one place asked, a small text). */
  private ordersLowerPlaces(scope: SearchScope): boolean {
    const { tokenStart, sentenceCount } = this.index;
    const tokens = tokenStart[scope.to ?? sentenceCount]! - tokenStart[scope.from ?? 0]!;
    return this.options.lowerAlignWeight !== 0 && scope.top > 1 && tokens <= this.options.lowerPlacesTokens;
  }

  /** The second stage's candidates for a question with each one's features, unsorted (for fitting the weights). */
  explain(analysed: AnalysedQuery, scope: SearchScope): ExplainedCandidate[] {
    return this.withCandidates(analysed, scope, true, (query, candidates) => candidates.map(({ id }) => {
      const features = new Float64Array(RERANK_FEATURES.length);
      this.fillFeatures(query, id, features, true);
      return { sentence: id, features };
    }));
  }

  /** `align`: the soft alignment is readied whatever its weight (for `explain`, and for the lower places). */
  private withCandidates<T>(
    analysed: AnalysedQuery,
    scope: SearchScope,
    align: boolean,
    use: (query: AnalysedQuery, candidates: { id: number; score: number }[], touched: { topicality: number; unheld: number }, top: number) => T,
  ): T {
    const from = scope.from ?? 0;
    const to = scope.to ?? this.index.sentenceCount;
    const query = this.withRelated(analysed, from, to);
    this.prepareAlignment(query, align);
    const touched = this.accumulate(query, from, to);
    this.placeTerms(query);
    try {
      const candidates = this.candidates(touched.sentences, Math.max(scope.top, this.options.candidates), to);
      return use(this.withFineTypeHeld(query, candidates), candidates, touched, scope.top);
    } finally {
      // The scratch arrays are shared by every query: they must be clean even if this one failed.
      this.clear(touched);
      this.unplaceTerms(query);
    }
  }

  /**
   * The query with the related terms and near spellings of the question words that sentences
   * [from, to) lack, each at its reduced weight of its own IDF and of the word's topicality.
   */
  private withRelated(query: AnalysedQuery, from: number, to: number): AnalysedQuery {
    if (this.expansion === undefined) return query;
    const missing = this.missingWords(query, from, to);
    // Most questions lack no word of theirs in the searched text: nothing more is made for them.
    if (missing === undefined) return query;
    const added: QueryTerm[] = [];
    const taken = new Set(query.terms.map((term) => term.id));
    const add = (id: number, weight: number, of: number, topicalShare = 1): void => {
      if (id < 0 || taken.has(id) || !this.index.holdsTermIn(id, from, to)) return;
      taken.add(id);
      const word = query.terms[of]!;
      added.push(queryTerm(this.index.term(id), id, weight * this.idf(this.index.documentFrequency(id)), topicalShare * weight * word.topicality, of));
    };
    query.related.forEach((related, k) => {
      if (missing[related.of]) add(this.relatedTermId(query, k), related.weight, related.of);
    });
    if (this.expansion.spellingWeight > 0) {
      query.terms.forEach((term, of) => {
        if (missing[of]) for (const id of this.nearSpellingsOf(query, of, from, to)) add(id, this.expansion!.spellingWeight, of);
      });
    }
    const { meaningWeight, meaningFloor, meaningTopicality } = this.expansion;
    // Asked first, so that a search of a large index (where no meaning neighbour is looked for) does not call
    // `nearInMeaning` for each word it lacks: fewer calls of it to compile and recompile in a fresh process.
    if (meaningWeight > 0 && this.meaningSearched(from, to)) {
      query.terms.forEach((term, of) => {
        if (!missing[of] || term.of !== undefined) return;
        const near = this.nearInMeaning(term, from, to);
        for (let k = 0; k < near.length; k += 2) add(near[k]!, (meaningWeight * (near[k + 1]! - meaningFloor)) / (1 - meaningFloor), of, meaningTopicality);
      });
    }
    return added.length === 0 ? query : analysedQuery([...query.terms, ...added], query.answerType, query.fineType, query.asked, query.topicMass, query.meanIdf, query.related);
  }

  /** Per query term, whether sentences [from, to) lack it; undefined when they lack none. */
  private missingWords(query: AnalysedQuery, from: number, to: number): boolean[] | undefined {
    const { terms } = query;
    let missing: boolean[] | undefined;
    for (let q = 0; q < terms.length; q++) {
      const { id } = terms[q]!;
      if (id >= 0 && this.index.holdsTermIn(id, from, to)) continue;
      missing ??= new Array<boolean>(terms.length).fill(false);
      missing[q] = true;
    }
    return missing;
  }

  /** The index's id of the query's k-th related term (`AnalysedQuery.related`), looked up once per question. */
  relatedTermId(query: AnalysedQuery, k: number): number {
    const lookups = this.lookupsOf(query);
    let id = lookups.relatedIds[k]!;
    if (id === UNKNOWN) lookups.relatedIds[k] = id = this.index.termId(query.related[k]!.term);
    return id;
  }

  /** `nearSpellings` of the query's word `of` in sentences [from, to), found once per question and range. */
  nearSpellingsOf(query: AnalysedQuery, of: number, from: number, to: number): number[] {
    const { spellings } = this.lookupsOf(query);
    const key = `${of} ${from} ${to}`;
    let ids = spellings.get(key);
    if (ids === undefined) {
      ids = this.expansion === undefined ? [] : nearSpellings(this.index, query.terms[of]!.term, from, to, this.expansion, this.background);
      spellings.set(key, ids);
    }
    return ids;
  }

  private lookupsOf(query: AnalysedQuery): QueryLookups {
    let lookups = this.lookups.get(query);
    if (lookups === undefined) {
      lookups = { relatedIds: new Int32Array(query.related.length).fill(UNKNOWN), spellings: new Map() };
      this.lookups.set(query, lookups);
    }
    return lookups;
  }

  /**
   * The terms of sentences [from, to) closest in meaning to a question term they lack, above
   * `meaningFloor`, closest first, as [id, cosine, id, cosine, …]: the searched text's own terms when it
   * is small, else the whole vocabulary when that is small enough (then `add` keeps those in range).
   */
  private nearInMeaning(term: QueryTerm, from: number, to: number): number[] {
    const { meaningFloor, meaningNeighbours } = this.expansion!;
    if (!this.meaningSearched(from, to)) return [];
    const scanScope = this.scansScope(from, to);
    const vectors = (this.vectors ??= wordVectors());
    if (vectors.size === 0) return [];
    const row = term.id >= 0 ? this.termRow(term.id) : vectors.row(term.term);
    if (row < 0) return [];
    const unit = vectors.unitVector(row, new Float32Array(vectors.dims));
    const tail = vectors.tailNorm(unit, 0);
    const best: number[] = [];
    const rows = scanScope ? this.scopeRows(from, to) : this.vocabularyRows();
    // One loop with no call but the dot product: it runs over an article's terms for each word it lacks, often
    // before the JIT has compiled it (a CLI run).
    for (let k = 0; k < rows.length; k += 2) {
      const id = rows[k]!;
      if (id === term.id) continue;
      // Below the floor, or (the list full) not above its last: left out either way, so not summed in full.
      const full = best.length >= 2 * meaningNeighbours;
      const similarity = vectors.dotRowAbove(unit, 0, tail, rows[k + 1]!, full ? Math.max(meaningFloor, best[best.length - 1]!) : meaningFloor);
      if (similarity <= meaningFloor) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]! < similarity) at -= 2;
      if (at >= 2 * meaningNeighbours) continue;
      best.splice(at, 0, id, similarity);
      if (best.length > 2 * meaningNeighbours) best.length = 2 * meaningNeighbours;
    }
    return best;
  }

  /** Whether sentences [from, to) are few enough that their own terms are compared (`nearInMeaning`). */
  private scansScope(from: number, to: number): boolean {
    const { tokenStart } = this.index;
    return tokenStart[to]! - tokenStart[from]! <= this.expansion!.meaningScan;
  }

  /**
   * Whether meaning neighbours are looked for in sentences [from, to): a large index is not scanned, as the
   * cost would be its vocabulary's for every question word it lacks. (Terms with postings: a patched index
   * may keep ids without, which a fresh build would not have.)
   */
  private meaningSearched(from: number, to: number): boolean {
    return this.scansScope(from, to) || this.index.liveTermCount <= this.expansion!.meaningVocabulary;
  }

  /**
   * The distinct terms of sentences [from, to) that have a word vector, in order of first occurrence, as
   * [id, row, id, row, …]: made on the first question that needs them for this range (an article), kept
   * for the next (at most SCOPE_ROWS_KEPT ranges, the least recently made dropped first).
   */
  private scopeRows(from: number, to: number): Int32Array {
    const key = `${from} ${to}`;
    let rows = this.scopeRowsKept.get(key);
    if (rows !== undefined) return rows;
    const { tokens, tokenStart } = this.index;
    const stamp = this.nextStamp();
    const stamps = this.termStamps;
    const found: number[] = [];
    for (let k = tokenStart[from]!; k < tokenStart[to]!; k++) {
      const id = tokens[k]!;
      if (stamps[id] === stamp) continue;
      stamps[id] = stamp;
      const row = this.termRow(id);
      if (row >= 0) found.push(id, row);
    }
    rows = Int32Array.from(found);
    if (this.scopeRowsKept.size >= SCOPE_ROWS_KEPT) this.scopeRowsKept.delete(this.scopeRowsKept.keys().next().value!);
    this.scopeRowsKept.set(key, rows);
    return rows;
  }

  /** Every index term with postings and a word vector, as [id, row, …] in id order (made once). */
  private vocabularyRows(): Int32Array {
    if (!this.vocabularyRowsMade) {
      const found: number[] = [];
      for (let id = 0; id < this.index.termCount; id++) {
        if (this.index.documentFrequency(id) === 0) continue;
        const row = this.termRow(id);
        if (row >= 0) found.push(id, row);
      }
      this.vocabularyRowsKept = Int32Array.from(found);
      this.vocabularyRowsMade = true;
    }
    return this.vocabularyRowsKept;
  }

  /** A new mark for `termStamps` (a set of term ids that costs no allocation per question). */
  private nextStamp(): number {
    if (this.termStamps.length < this.index.termCount) this.termStamps = new Int32Array(this.index.termCount);
    if (++this.stamp === 0x7fffffff) {
      this.termStamps.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /**
   * How short the question is, 1 − (its distinct terms) / shortQuestionTerms, at least 0: a question of one
   * or two words is answered by a sentence that says more than those words, which BM25's length
   * normalisation would mark down.
   */
  private shortness(query: AnalysedQuery): number {
    const { shortQuestionTerms } = this.options;
    if (shortQuestionTerms <= 0) return 0;
    let own = 0;
    for (const term of query.terms) if (term.of === undefined) own++;
    return Math.max(0, 1 - own / shortQuestionTerms);
  }


  private clear(touched: { sentences: number; documents: number; paragraphs: number }): void {
    for (let k = 0; k < touched.sentences; k++) this.scores[this.touched[k]!] = 0;
    for (let k = 0; k < touched.documents; k++) this.documentScores[this.touchedDocuments[k]!] = 0;
    for (let k = 0; k < touched.paragraphs; k++) this.paragraphScores[this.touchedParagraphs[k]!] = 0;
  }

  private idf(frequency: number, total = this.index.sentenceCount): number {
    return Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
  }

  /**
   * First stage: BM25 and covered topicality for every sentence in range sharing a term, and for each
   * document the document IDF of the question terms it holds anywhere.
   */
  private accumulate(query: AnalysedQuery, from: number, to: number) {
    const touched = new FirstStageTotals();
    this.queryShortness = this.shortness(query);
    this.queryB = this.options.b * (1 - this.queryShortness);
    const found = new Float64Array(query.terms.length);
    // Rarest first: by the time a very common term comes, the sentences worth ranking are known.
    const byRarity = query.terms.filter((term) => term.id >= 0).sort((a, b) => this.index.documentFrequency(a.id) - this.index.documentFrequency(b.id));
    for (const term of byRarity) {
      const [start, end] = this.index.postingRange(term.id, from, to);
      if (end > start) credit(found, query.terms.indexOf(term), term);
      const documentIdf = this.idf(this.index.termDocuments[term.id]!, this.index.documents.length);
      if (end - start > this.commonPostings && touched.sentences > 0) this.addToTouched(term, start, end);
      else this.addPostings(term, documentIdf, start, end, touched);
      touched.documents = this.addTitleEvidence(term.term, documentIdf, touched.documents);
    }
    for (let i = 0; i < found.length; i++) {
      touched.topicality += found[i]!;
      // Related terms (`of` set) come after the question's own, and credit their word's slot.
      if (found[i] === 0 && query.terms[i]!.of === undefined) touched.unheld += query.terms[i]!.topicality;
    }
    return touched;
  }

  /** BM25 of one term for every sentence in its postings, and its paragraph and document evidence. */
  private addPostings(term: QueryTerm, documentIdf: number, start: number, end: number, touched: { sentences: number; documents: number; paragraphs: number }): void {
    const { k1, repeatWeight } = this.options;
    const qb = this.queryB;
    const { postingSentence, postingFrequency, sentenceDoc, sentenceParagraph } = this.index;
    const { scores, lengthNorm, paragraphScores, documentScores } = this;
    const { idf } = term;
    let previousDoc = -1;
    let repeats = 0;
    let previousParagraph = -1;
    for (let p = start; p < end; p++) {
      const sentence = postingSentence[p]!;
      const tf = postingFrequency[p]!;
      // Every term weight is positive, so a zero score means "not touched yet".
      if (scores[sentence] === 0) this.touched[touched.sentences++] = sentence;
      scores[sentence]! += (idf * tf * (k1 + 1)) / (tf + k1 + qb * lengthNorm[sentence]!);
      const paragraph = sentenceParagraph[sentence]!;
      if (paragraph !== previousParagraph) {
        previousParagraph = paragraph;
        if (paragraphScores[paragraph] === 0) this.touchedParagraphs[touched.paragraphs++] = paragraph;
        paragraphScores[paragraph]! += idf;
      }
      const doc = sentenceDoc[sentence]!;
      if (doc === previousDoc) {
        // More sentences about it count, with diminishing returns (1 + 1/2 + 1/3 …, about a log).
        documentScores[doc]! += (repeatWeight * documentIdf) / ++repeats;
        continue;
      }
      previousDoc = doc;
      repeats = 1;
      if (documentScores[doc] === 0) this.touchedDocuments[touched.documents++] = doc;
      documentScores[doc]! += documentIdf;
    }
  }

  /**
   * A very common term only adds its BM25 to sentences the rarer terms already found: a sentence that
   * shares nothing with the question but "year" is not worth ranking, and skipping it keeps the cost
   * of a query tied to its rare terms rather than to the size of the corpus.
   */
  private addToTouched(term: QueryTerm, start: number, end: number): void {
    const { k1 } = this.options;
    const qb = this.queryB;
    const { postingSentence, postingFrequency } = this.index;
    const { scores, lengthNorm } = this;
    for (let p = start; p < end; p++) {
      const sentence = postingSentence[p]!;
      if (scores[sentence] === 0) continue;
      const tf = postingFrequency[p]!;
      scores[sentence]! += (term.idf * tf * (k1 + 1)) / (tf + k1 + qb * lengthNorm[sentence]!);
    }
  }

  /** Adds the title evidence of one query term to the documents whose title holds it. */
  private addTitleEvidence(term: string, documentIdf: number, touchedDocuments: number): number {
    const weight = this.options.titleWeight;
    if (weight <= 0 || this.index.documents.length < 2) return touchedDocuments;
    let documents = touchedDocuments;
    for (const doc of this.index.documentsTitled(term)) {
      if (this.documentScores[doc] === 0) this.touchedDocuments[documents++] = doc;
      this.documentScores[doc]! += weight * documentIdf;
    }
    return documents;
  }

  /**
   * The best first-stage scores, where a sentence that refers back ("It was…") also gets a share of
   * the score of the sentence it refers to, which names what "it" is. Each sentence is offered once.
   */
  private candidates(touchedCount: number, size: number, to: number) {
    const { lendWeight } = this.options;
    const { leansBack } = this.index;
    const best = new TopK(size);
    for (let k = 0; k < touchedCount; k++) {
      const sentence = this.touched[k]!;
      const lent = leansBack[sentence] === 1 ? lendWeight * this.scores[sentence - 1]! : 0;
      best.offer(sentence, this.scores[sentence]! + lent + this.contextScore(sentence));
      const next = sentence + 1;
      if (next < to && leansBack[next] === 1 && this.scores[next] === 0) {
        best.offer(next, lendWeight * this.scores[sentence]! + this.contextScore(next));
      }
    }
    return best.sorted();
  }

  /** The evidence of the sentence's document and paragraph, gathered by `accumulate`. */
  private contextScore(sentence: number): number {
    const { documentWeight, paragraphWeight } = this.options;
    return documentWeight * this.documentScores[this.index.sentenceDoc[sentence]!]!
      + paragraphWeight * this.paragraphScores[this.index.sentenceParagraph[sentence]!]!;
  }

  /**
   * The `top` candidates by second-stage score, best first (ties: the earlier sentence). Novelty reads the
   * sentence's text with regular expressions, so a typed candidate is first scored as not novel, and looked
   * at only while it could still be among the `top` with the bonus: one that `top` others beat even so is
   * left out, as it would rank below them whatever its novelty. The scores are those of a full rescoring.
   */
  private bestRescored(query: AnalysedQuery, candidates: readonly { id: number }[], top: number): RankedSentence[] {
    const size = RERANK_FEATURES.length;
    if (this.pendingFeatures.length < candidates.length * size) this.pendingFeatures = new Float64Array(candidates.length * size);
    const pendingFeatures = this.pendingFeatures;
    const features = this.featureScratch;
    // The bound below is an upper bound only for a positive novelty weight (tuning may try negative ones).
    const deferred = this.weights[F.novel]! > 0 && query.answerType !== 0 && query.fineType === 0;
    const scored: RankedSentence[] = [];
    const pending: { ranked: RankedSentence; at: number; bound: number }[] = [];
    const bonus = this.weights[F.novel]! * query.meanIdf;
    for (const { id } of candidates) {
      const coverage = this.fillFeatures(query, id, features, false, deferred);
      const ranked = { sentence: id, score: this.weightedSum(features, 0), coverage };
      if (deferred && (this.index.features[id]! & query.answerType) !== 0) {
        const at = pending.length * size;
        pendingFeatures.set(features, at);
        pending.push({ ranked, at, bound: ranked.score + bonus + BOUND_SLACK * (1 + Math.abs(ranked.score + bonus)) });
      } else {
        scored.push(ranked);
      }
    }
    pending.sort((a, b) => b.bound - a.bound);
    for (const { ranked, at, bound } of pending) {
      let above = 0;
      for (const other of scored) if (other.score > bound) above++;
      if (above >= top) break;
      if (this.isNovel(query, ranked.sentence)) {
        pendingFeatures[at + F.novel] = query.meanIdf;
        ranked.score = this.weightedSum(pendingFeatures, at);
      }
      scored.push(ranked);
    }
    scored.sort((a, b) => b.score - a.score || a.sentence - b.sentence);
    return scored.slice(0, top);
  }

  /**
   * The second-stage score of a feature vector (at `at` in `features`): the sum of each feature times its
   * weight in `RERANK_FEATURES` order, the zero-weight ones left out (they add exactly 0).
   */
  private weightedSum(features: Float64Array, at: number): number {
    const { weights, weighted } = this;
    let score = 0;
    for (let k = 0; k < weighted.length; k++) {
      const f = weighted[k]!;
      score += weights[f]! * features[at + f]!;
    }
    return score;
  }

  /**
   * The second-stage features of a candidate (`RERANK_FEATURES`), into `out`; returns its coverage. The
   * bonuses are in mean query-term IDFs, so that one set of weights fits short and long questions. A
   * feature whose weight is 0 is left at 0 unless `all` (it may cost a regular expression); so is novelty
   * when `deferNovelty` (`bestRescored` looks at it when it matters).
   */
  private fillFeatures(query: AnalysedQuery, sentence: number, out: Float64Array, all: boolean, deferNovelty = false): number {
    const { index, scores, weights } = this;
    const meanIdf = query.meanIdf;
    const doc = index.sentenceDoc[sentence]!;
    const position = index.positionInDocument(sentence);
    const leans = index.leansBack[sentence] === 1;
    const proximity = all || weights[F.proximity] !== 0;
    this.scanTerms(query, sentence, leans, proximity);
    out[F.bm25] = scores[sentence]!;
    out[F.lent] = leans ? scores[sentence - 1]! : 0;
    out[F.document] = this.documentScores[doc]!;
    out[F.paragraph] = this.paragraphScores[index.sentenceParagraph[sentence]!]!;
    out[F.proximity] = proximity ? this.proximity(query) : 0;
    if (query.fineType !== 0) {
      this.fillFineType(query, sentence, out);
    } else {
      const typed = query.answerType !== 0 && (index.features[sentence]! & query.answerType) !== 0;
      out[F.typed] = typed ? meanIdf : 0;
      out[F.novel] = typed && !deferNovelty && (all || weights[F.novel] !== 0) && this.isNovel(query, sentence) ? meanIdf : 0;
    }
    out[F.lead] = meanIdf / (1 + position);
    out[F.first] = position === 0 ? meanIdf : 0;
    out[F.length] = all || weights[F.length] !== 0 ? this.queryShortness * meanIdf * Math.log2(1 + index.sentenceLength[sentence]! / index.averageLength) : 0;
    if (all || weights[F.neighbour] !== 0) {
      const before = position > 0 ? scores[sentence - 1]! : 0;
      const after = sentence + 1 < index.docStart[doc + 1]! ? scores[sentence + 1]! : 0;
      out[F.neighbour] = Math.max(before, after);
    } else {
      out[F.neighbour] = 0;
    }
    out[F.align] = all || weights[F.align] !== 0 ? this.alignment(sentence, this.options.alignFloor) : 0;
    return this.matchFeatures(query, out);
  }

  /** Readies `termSlots` for a query (its terms known to the index; they are distinct). */
  private placeTerms(query: AnalysedQuery): void {
    if (this.termSlots.length < this.index.termCount) this.termSlots = new Int32Array(this.index.termCount);
    const slots = this.termSlots;
    const count = query.terms.length;
    if (this.held.length < count) {
      this.held = new Uint8Array(count);
      this.own = new Uint8Array(count);
      this.paired = new Uint8Array(count);
    }
    for (let q = 0; q < count; q++) {
      const { id } = query.terms[q]!;
      if (id >= 0) slots[id] = q + 1;
    }
    // Clean even if an earlier query failed between `scanTerms` and its readers.
    this.held.fill(0);
    this.own.fill(0);
    this.paired.fill(0);
  }

  private unplaceTerms(query: AnalysedQuery): void {
    const slots = this.termSlots;
    for (const { id } of query.terms) if (id >= 0) slots[id] = 0;
  }

  /**
   * One pass over a candidate's tokens (and those of the sentence it refers back to, when it `leans`):
   * which query terms it holds, which the candidate itself holds, and (when `pairs`) which consecutive
   * pairs of the question's own terms stand within two words in it, into `held`, `own` and `paired`
   * (all 0 before: `matchFeatures` and `proximity` clear what they read, with no fill per candidate).
   */
  private scanTerms(query: AnalysedQuery, sentence: number, leans: boolean, pairs: boolean): void {
    const { tokens, tokenStart } = this.index;
    const slots = this.termSlots;
    const { held, own, paired } = this;
    const { terms } = query;
    const count = terms.length;
    const start = tokenStart[sentence]!;
    const end = tokenStart[sentence + 1]!;
    for (let k = leans ? tokenStart[sentence - 1]! : start; k < end; k++) {
      const slot = slots[tokens[k]!]!;
      if (slot === 0) continue;
      const q = slot - 1;
      held[q] = 1;
      if (k < start) continue;
      own[q] = 1;
      if (!pairs || q + 1 >= count) continue;
      const second = terms[q + 1]!;
      if (second.id < 0 || second.of !== undefined) continue;
      if ((k + 1 < end && tokens[k + 1] === second.id) || (k + 2 < end && tokens[k + 2] === second.id)) paired[q] = 1;
    }
  }

  /**
   * Readies the soft alignment for this question: the row and unit vector of each of its own terms
   * (not the related terms of the expansion) that has a vector, whether the index has the term or not.
   */
  private prepareAlignment(query: AnalysedQuery, all: boolean): void {
    this.alignCount = 0;
    if (!all && this.weights[F.align] === 0) return;
    const vectors = (this.vectors ??= wordVectors());
    if (vectors.size === 0) return;
    const { dims } = vectors;
    if (this.alignIds.length < query.terms.length) {
      this.alignIds = new Int32Array(query.terms.length);
      this.alignIdf = new Float64Array(query.terms.length);
    }
    if (this.alignVectors.length < query.terms.length * dims) this.alignVectors = new Float32Array(query.terms.length * dims);
    const unit = new Float32Array(dims);
    for (const term of query.terms) {
      if (term.of !== undefined) continue;
      const row = term.id >= 0 ? this.termRow(term.id) : vectors.row(term.term);
      if (row < 0) continue;
      vectors.unitVector(row, unit);
      this.alignVectors.set(unit, this.alignCount * dims);
      this.alignIds[this.alignCount] = term.id;
      this.alignIdf[this.alignCount] = term.idf;
      this.alignCount++;
    }
  }

  /** The row of an index term in the word vectors (-1: none), looked up once per index. */
  private termRow(id: number): number {
    if (this.termRows.length < this.index.termCount) this.termRows = new Int32Array(this.index.termCount).fill(-2);
    const rows = this.termRows;
    if (id >= rows.length) return this.vectors!.row(this.index.term(id));
    let row = rows[id]!;
    if (row === -2) rows[id] = row = this.vectors!.row(this.index.term(id));
    return row;
  }

  /**
   * Soft alignment (a classic answer-sentence-selection feature): for each question term with a vector
   * that the sentence does not hold, its IDF times how close the sentence's nearest term comes to it in
   * meaning, counted above `alignFloor`. The question's own terms in the sentence are not compared (they
   * already count as matches).
   */
  private alignment(sentence: number, floor: number): number {
    const count = this.alignCount;
    if (count === 0) return 0;
    const vectors = this.vectors!;
    const { dims } = vectors;
    const { tokens, tokenStart } = this.index;
    const start = tokenStart[sentence]!;
    const end = tokenStart[sentence + 1]!;
    const ids = this.alignIds;
    let total = 0;
    for (let q = 0; q < count; q++) {
      const id = ids[q]!;
      let held = false;
      if (id >= 0) for (let k = start; k < end && !held; k++) held = tokens[k] === id;
      if (held) continue;
      let best = 0;
      const at = q * dims;
      const idf = this.alignIdf[q]!;
      for (let k = start; k < end; k++) {
        const token = tokens[k]!;
        if (this.isQuestionTerm(token)) continue;
        const row = this.termRow(token);
        if (row < 0) continue;
        const similarity = vectors.dotRow(this.alignVectors, at, row);
        if (similarity <= floor) continue;
        // A common word of the sentence close to a rare one of the question says less than a rare one.
        const credit = ((similarity - floor) / (1 - floor)) * Math.min(idf, this.idf(this.index.documentFrequency(token)));
        if (credit > best) best = credit;
      }
      total += best;
    }
    return total;
  }

  /** The most `alignment` can give a sentence: every question term with a vector credited its whole IDF. */
  private alignmentBound(): number {
    let bound = 0;
    for (let q = 0; q < this.alignCount; q++) bound += this.alignIdf[q]!;
    return bound;
  }

  private isQuestionTerm(token: number): boolean {
    for (let q = 0; q < this.alignCount; q++) if (this.alignIds[q] === token) return true;
    return false;
  }

  /**
   * The features read off the sentence's own terms: covered topicality (with the sentence it refers back
   * to), the IDF of the distinct question terms it holds, and whether it holds the rarest; returns the coverage.
   */
  private matchFeatures(query: AnalysedQuery, out: Float64Array): number {
    const { terms } = query;
    const found = this.foundScratch.length >= terms.length ? this.foundScratch : (this.foundScratch = new Float64Array(terms.length));
    found.fill(0, 0, terms.length);
    const { held, own } = this;
    let matched = 0;
    let rarest: QueryTerm | undefined;
    let rarestHeld = false;
    for (let q = 0; q < terms.length; q++) {
      const term = terms[q]!;
      const isHeld = held[q] === 1;
      const isOwn = own[q] === 1;
      held[q] = 0;
      own[q] = 0;
      if (term.id < 0) continue;
      const inOwn = term.of === undefined && (rarest === undefined || term.idf > rarest.idf);
      if (isHeld) credit(found, q, term);
      if (isOwn) matched += term.idf;
      if (inOwn) {
        rarest = term;
        rarestHeld = isOwn;
      }
    }
    out[F.matched] = matched;
    out[F.rarest] = rarestHeld ? query.meanIdf : 0;
    let covered = 0;
    for (let q = 0; q < terms.length; q++) covered += found[q]!;
    const coverage = query.topicMass > 0 ? covered / query.topicMass : 0;
    out[F.coverage] = query.meanIdf * coverage;
    return coverage;
  }

  /**
   * The question as ranked: with its fine type only when some candidate is of that kind. When none is (a
   * fall in points for "how far did the Dow fall?", a founding year for "how old is the university?"), a
   * number is the best evidence left, so the coarse type's bonuses apply as they would without it.
   */
  private withFineTypeHeld(query: AnalysedQuery, candidates: readonly { id: number }[]): AnalysedQuery {
    if (query.fineType === 0) return query;
    for (const { id } of candidates) if (hasFineType(query.fineType, this.sentenceText(id))) return query;
    return analysedQuery(query.terms, query.answerType, 0, query.asked, query.topicMass, query.meanIdf, query.related);
  }

  /**
   * The answer-type features of a question with a fine type: a sentence of that kind ("for almost a month"
   * for "how long") gets the type bonus, and the novelty bonus too when the question does not already say
   * it; any other sentence neither, whatever numbers it has (a year in a history article does not answer
   * "how long"). Measured: README "Quality", finer answer types.
   */
  private fillFineType(query: AnalysedQuery, sentence: number, out: Float64Array): void {
    const text = this.sentenceText(sentence);
    const fine = hasFineType(query.fineType, text);
    out[F.typed] = fine ? query.meanIdf : 0;
    out[F.novel] = fine && hasNovelFineType(query.fineType, text, query.asked) ? query.meanIdf : 0;
  }

  private sentenceText(sentence: number): string {
    const { index } = this;
    return index.documents[index.sentenceDoc[sentence]!]!.sentences[index.positionInDocument(sentence)] ?? '';
  }

  /** Whether the sentence has a thing of the asked type that the question does not already name. */
  private isNovel(query: AnalysedQuery, sentence: number): boolean {
    return hasNovel(query.answerType, this.sentenceText(sentence), query.asked);
  }

  /** Mean IDF of each pair of consecutive question terms that also stand within two words in the sentence (`scanTerms`). */
  private proximity(query: AnalysedQuery): number {
    const { terms } = query;
    let bonus = 0;
    const { paired } = this;
    for (let q = 0; q + 1 < terms.length; q++) {
      if (paired[q] !== 1) continue;
      paired[q] = 0;
      bonus += (terms[q]!.idf + terms[q + 1]!.idf) / 2;
    }
    return bonus;
  }
}

/**
 * A query term. Every one is made here, with `of` spelt out, so the question's own terms and the related
 * ones share one hidden class and the methods that read them see one shape, not two.
 */
function queryTerm(term: string, id: number, idf: number, topicality: number, of: number | undefined): QueryTerm {
  return { term, id, idf, topicality, of };
}
// Made once with each kind of value its fields take (a fraction, a position, none) before any question: a
// field that changes kind after methods were optimised (`of` from none to a position at the first related
// term) makes V8 throw their optimised code away (see `Ranker.foundScratch`).
queryTerm('', -1, 0.5, 0.5, 0);
queryTerm('', -1, 0.5, 0.5, undefined);
analysedQuery([], 0, 0, '', 0.5, 0.5, []);

/**
 * An analysed query. Every one the ranker makes is made here (not spread from another), so that all share
 * one hidden class: the methods that read them then see one shape, whichever way the query was made.
 */
function analysedQuery(terms: QueryTerm[], answerType: AnswerType, fineType: FineType, asked: string, topicMass: number, meanIdf: number, related: RelatedTerm[]): AnalysedQuery {
  return { terms, answerType, fineType, asked, topicMass, meanIdf, related };
}

/** Query terms the per-term scratch arrays have room for before they grow (see `Ranker.foundScratch`). */
const QUERY_TERMS_ROOM = 64;

/** What the first stage touched (counts of the scratch lists) and the question's topicality it found or not. */
class FirstStageTotals {
  sentences = 0;
  documents = 0;
  paragraphs = 0;
  topicality: number;
  unheld: number;
  constructor() {
    // Written as a fraction first, so the fields hold doubles from the start: a field that holds a small
    // integer in the first questions and a fraction later changes the object's hidden class mid-run,
    // which throws away the optimised code of every method it is passed to (see `Ranker.foundScratch`).
    this.topicality = 0.5;
    this.unheld = 0.5;
    this.topicality = 0;
    this.unheld = 0;
  }
}

/** Room for rounding when a score is compared with a bound made of it (scores are tens at most). */
const BOUND_SLACK = 1e-9;

/** How many ranges' `Ranker.scopeRows` are kept (each an article's distinct terms: a few KB). */
const SCOPE_ROWS_KEPT = 64;

/** A related term's id not looked up yet (`Ranker.relatedTermId`). */
const UNKNOWN = -2;

/** What `Ranker.relatedTermId` and `nearSpellingsOf` found for one question. */
interface QueryLookups {
  relatedIds: Int32Array;
  /** "of from to" → near spellings. */
  spellings: Map<string, number[]>;
}

/** Credits a found term (at `position` in the query) to the question word it is or stands for, once per word (the most). */
function credit(found: Float64Array, position: number, term: QueryTerm): void {
  const word = term.of ?? position;
  found[word] = Math.max(found[word]!, term.topicality);
}
