import { terms } from '../text/tokens';
import { sentenceFeatures } from './answer-type';
import { leansOnPrevious } from './context';
import { runNow, runSliced, type Pauser, type Steps } from './time-slice';
import type { SourceDocument } from './types';

/** Past this share of the shared map's size, the terms appended since are put in one map again. */
const LATER_TERMS_SHARE = 0.125;

/**
 * An inverted index over every sentence of every document, in flat typed arrays: a query touches only
 * the postings of its own terms, and nothing it allocates grows with the corpus.
 *
 * Sentences are numbered globally in document order, so one document's sentences form a contiguous
 * range [docStart[d], docStart[d + 1]).
 */
export class SentenceIndex {
  readonly documents: readonly SourceDocument[];
  readonly sentenceCount: number;
  /** First global sentence id of each document; one extra entry holds the total. */
  readonly docStart: Int32Array;
  /** Document of each sentence. */
  readonly sentenceDoc: Int32Array;
  /** Global paragraph id of each sentence: a paragraph's sentences are contiguous. */
  readonly sentenceParagraph: Int32Array;
  readonly paragraphCount: number;
  /** Answer-type features of each sentence (a bit set of `Feature`). */
  readonly features: Uint8Array;
  /** 1 where a sentence opens with a word that refers back to the sentence before it, in its document. */
  readonly leansBack: Uint8Array;
  /** Number of index terms in each sentence (its length for BM25). */
  readonly sentenceLength: Uint16Array;
  readonly averageLength: number;
  /** Term ids of each sentence in order, flat; sentence s is tokens[tokenStart[s] .. tokenStart[s + 1]). */
  readonly tokens: Int32Array;
  readonly tokenStart: Int32Array;
  /** Postings of term t are entries [postingStart[t], postingStart[t + 1]) of the two arrays below. */
  readonly postingStart: Int32Array;
  readonly postingSentence: Int32Array;
  readonly postingFrequency: Uint16Array;
  /** In how many documents each term occurs. */
  readonly termDocuments: Int32Array;
  /** Ids of terms 0 … termIds.size − 1; the terms after them (appended by patches) are in `laterTermIds`. */
  private readonly termIds: Map<string, number>;
  private readonly laterTermIds: Map<string, number>;
  private liveTerms: number | undefined;
  /** Term of each id (the analysis this index was built from keeps them in this order). */
  private readonly terms: readonly string[];
  private readonly documentIds: Map<string, number>;
  /** Documents whose title holds each term: a question naming an article's subject points to it. */
  private readonly titleDocuments: Map<string, number[]>;

  private constructor(documents: readonly SourceDocument[], build: AnalysedDocuments, postings: Postings, titles: Map<string, number[]>, previous?: SentenceIndex) {
    this.documents = documents;
    this.documentIds = new Map();
    for (let doc = 0; doc < documents.length; doc++) this.documentIds.set(documents[doc]!.id, doc);
    this.titleDocuments = titles;
    this.terms = build.terms;
    [this.termIds, this.laterTermIds] = SentenceIndex.termMaps(build.terms, previous);
    this.docStart = build.docStart;
    this.sentenceCount = build.sentenceDoc.length;
    this.sentenceDoc = build.sentenceDoc;
    this.tokens = build.tokens;
    this.tokenStart = build.tokenStart;
    this.sentenceLength = build.sentenceLength;
    this.features = build.features;
    this.sentenceParagraph = build.sentenceParagraph;
    this.paragraphCount = build.paragraphCount;
    this.leansBack = build.leansBack;
    let total = 0;
    // An indexed loop: this runs once per index, before the JIT has compiled it, where `for…of` over a typed array is several times slower.
    for (let s = 0; s < build.sentenceLength.length; s++) total += build.sentenceLength[s]!;
    this.averageLength = this.sentenceCount > 0 ? Math.max(1, total / this.sentenceCount) : 1;
    this.postingStart = postings.start;
    this.postingSentence = postings.sentence;
    this.postingFrequency = postings.frequency;
    this.termDocuments = postings.documents;
  }

  static build(documents: readonly SourceDocument[]): SentenceIndex {
    return SentenceIndex.fromAnalysis(documents, analyseDocuments(documents));
  }

  /** The index over documents analysed elsewhere (a worker thread, the analysis cache: the analysis is the slow part). */
  static fromAnalysis(documents: readonly SourceDocument[], analysis: AnalysedDocuments): SentenceIndex {
    return new SentenceIndex(documents, analysis, runNow(postingSteps(analysis)), runNow(titleSteps(documents)));
  }

  /**
   * The index over an analysis whose postings and title terms were built, or patched, already (`builtIndex()`
   * of an index over exactly these). `previous`, an index this one was patched from, lends its term map.
   */
  static fromBuilt(documents: readonly SourceDocument[], analysis: AnalysedDocuments, built: BuiltIndex, previous?: SentenceIndex): SentenceIndex {
    return new SentenceIndex(documents, analysis, built.postings, built.titles, previous);
  }

  /**
   * The same, pausing between slices so the thread keeps answering while a large set is indexed.
   * `built`, when given, is `builtIndex()` of an index over exactly this analysis and these documents
   * (the analysis cache keeps it), so nothing is counted again.
   */
  static async fromAnalysisSliced(
    documents: readonly SourceDocument[],
    analysis: AnalysedDocuments,
    pauser: Pauser,
    built?: BuiltIndex,
    previous?: SentenceIndex,
  ): Promise<SentenceIndex> {
    if (built !== undefined) return SentenceIndex.fromBuilt(documents, analysis, built, previous);
    const postings = await runSliced(postingSteps(analysis), pauser);
    const titles = await runSliced(previous === undefined ? titleSteps(documents) : titleStepsReusing(documents, { documents: previous.documents, titles: previous.titleDocuments }), pauser);
    return new SentenceIndex(documents, analysis, postings, titles);
  }

  /** What this index built from its analysis (shared, not copied), for the analysis cache and the next reload. */
  builtIndex(): BuiltIndex {
    return {
      postings: { start: this.postingStart, sentence: this.postingSentence, frequency: this.postingFrequency, documents: this.termDocuments },
      titles: this.titleDocuments,
    };
  }

  /**
   * The analysis this index was built from (shared, not copied): a later set built with
   * `mergeAnalyses` reuses the analysis of every document that did not change.
   */
  analysis(): AnalysedDocuments {
    return {
      terms: this.terms as string[],
      docStart: this.docStart,
      sentenceDoc: this.sentenceDoc,
      sentenceLength: this.sentenceLength,
      tokens: this.tokens,
      tokenStart: this.tokenStart,
      features: this.features,
      leansBack: this.leansBack,
      sentenceParagraph: this.sentenceParagraph,
      paragraphCount: this.paragraphCount,
    };
  }

  /** The id of an analysed term, or -1 when no sentence has it. */
  termId(term: string): number {
    const id = this.termIds.get(term) ?? this.laterTermIds.get(term);
    // A patched index keeps the id of a term whose sentences all left, with no postings: unknown, as in a fresh build.
    return id === undefined || this.postingStart[id] === this.postingStart[id + 1] ? -1 : id;
  }

  /**
   * The term → id maps of an index over `terms`. A patch keeps the earlier index's term ids and appends new
   * ones, so when `terms` begins with `previous`'s terms (the same strings) that index's map is shared, not
   * built again (40,000 terms and more at 10,000 articles, in one piece), and only the appended ones get a
   * map of their own, until they are many.
   */
  private static termMaps(terms: readonly string[], previous: SentenceIndex | undefined): [Map<string, number>, Map<string, number>] {
    const shared = previous === undefined ? undefined : previous.sharedTermMaps(terms);
    if (shared !== undefined) {
      const [base, laterBefore] = shared;
      const later = new Map(laterBefore);
      for (let id = base.size + laterBefore.size; id < terms.length; id++) later.set(terms[id]!, id);
      if (later.size <= base.size * LATER_TERMS_SHARE) return [base, later];
    }
    const ids = new Map<string, number>();
    for (let id = 0; id < terms.length; id++) ids.set(terms[id]!, id);
    return [ids, new Map()];
  }

  /** This index's term maps, when `terms` begins with this index's terms (the same strings, in order). */
  private sharedTermMaps(terms: readonly string[]): [Map<string, number>, Map<string, number>] | undefined {
    const own = this.terms;
    if (terms.length < own.length) return undefined;
    if (terms !== own) for (let id = 0; id < own.length; id++) if (terms[id] !== own[id]) return undefined;
    return [this.termIds, this.laterTermIds];
  }

  /** The id the analysis holds for a term, with postings or without (for patching this index), or -1. */
  storedTermId(term: string): number {
    return this.termIds.get(term) ?? this.laterTermIds.get(term) ?? -1;
  }

  /** The analysed term of an id (the inverse of `termId`). */
  term(termId: number): string {
    return this.terms[termId] ?? '';
  }

  /**
   * How many term ids the index has (0 … termCount − 1). After a patch some may have no postings, and
   * ids are not in order of first occurrence: nothing that ranks may depend on their order.
   */
  get termCount(): number {
    return this.terms.length;
  }

  /** How many term ids have postings (all of them in a fresh build; a patched index may keep some without). */
  get liveTermCount(): number {
    if (this.liveTerms === undefined) {
      let live = 0;
      for (let id = 0; id < this.terms.length; id++) if (this.postingStart[id + 1]! > this.postingStart[id]!) live++;
      this.liveTerms = live;
    }
    return this.liveTerms;
  }

  /**
   * Where a term first occurs in the token stream (-1: nowhere). A fresh build numbers its terms in this
   * order, so sorting ids by it gives the same order whichever way the index was made.
   */
  firstOccurrence(termId: number): number {
    const start = this.postingStart[termId];
    if (start === undefined || start === this.postingStart[termId + 1]) return -1;
    const sentence = this.postingSentence[start]!;
    for (let k = this.tokenStart[sentence]!; k < this.tokenStart[sentence + 1]!; k++) if (this.tokens[k] === termId) return k;
    return -1;
  }

  documentFrequency(termId: number): number {
    if (termId < 0) return 0;
    return (this.postingStart[termId + 1] ?? 0) - (this.postingStart[termId] ?? 0);
  }

  /** Position of a global sentence id within its own document (0-based). */
  positionInDocument(sentence: number): number {
    return sentence - (this.docStart[this.sentenceDoc[sentence] ?? 0] ?? 0);
  }

  /**
   * The slice [start, end) of a term's postings that falls in sentences [from, to). Postings are sorted
   * by sentence, so a search restricted to one article binary-searches its stretch instead of walking them all.
   */
  postingRange(id: number, from: number, to: number): [number, number] {
    const start = this.postingStart[id]!;
    const end = this.postingStart[id + 1]!;
    if (from <= 0 && to >= this.sentenceCount) return [start, end];
    return [this.firstPostingAtOrAfter(start, end, from), this.firstPostingAtOrAfter(start, end, to)];
  }

  /** Whether one of sentences [from, to) holds the term. */
  holdsTermIn(id: number, from: number, to: number): boolean {
    // The whole index: no pair made (this runs for every question word, and for their related words).
    if (from <= 0 && to >= this.sentenceCount) return this.postingStart[id + 1]! > this.postingStart[id]!;
    const [start, end] = this.postingRange(id, from, to);
    return end > start;
  }

  private firstPostingAtOrAfter(start: number, end: number, sentence: number): number {
    let low = start;
    let high = end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.postingSentence[middle]! < sentence) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Documents whose title has this analysed term. */
  documentsTitled(term: string): readonly number[] {
    return this.titleDocuments.get(term) ?? [];
  }

  /** The index of the document with this id, or -1. */
  documentIndex(id: string): number {
    return this.documentIds.get(id) ?? -1;
  }
}

function* titleSteps(documents: readonly SourceDocument[]): Steps<Map<string, number[]>> {
  const titled = new Map<string, number[]>();
  for (let doc = 0; doc < documents.length; doc++) {
    addTitle(titled, documents[doc]!, doc);
    if (doc % 256 === 255) yield;
  }
  return titled;
}

/**
 * The title map of `documents` from that of `previous` (an earlier set sharing most of its documents, as
 * after a reload or an add): only documents it does not hold (by identity) have their titles analysed.
 * Each term's documents stay ascending, as `titleSteps` makes them.
 */
export function* titleStepsReusing(
  documents: readonly SourceDocument[],
  previous: { documents: readonly SourceDocument[]; titles: ReadonlyMap<string, readonly number[]> },
): Steps<Map<string, number[]>> {
  const before = new Map<SourceDocument, number>();
  for (let doc = 0; doc < previous.documents.length; doc++) before.set(previous.documents[doc]!, doc);
  const now = new Int32Array(previous.documents.length).fill(-1);
  const fresh: number[] = [];
  documents.forEach((document, doc) => {
    const old = before.get(document);
    if (old === undefined) fresh.push(doc);
    else now[old] = doc;
  });
  yield;
  const titled = new Map<string, number[]>();
  let step = 0;
  for (const [term, docs] of previous.titles) {
    const kept: number[] = [];
    for (const old of docs) if (now[old]! >= 0) kept.push(now[old]!);
    if (kept.length > 0) titled.set(term, kept);
    if (++step % 4096 === 0) yield;
  }
  yield;
  for (let i = 0; i < fresh.length; i++) {
    addTitle(titled, documents[fresh[i]!]!, fresh[i]!);
    if (i % 256 === 255) yield;
  }
  // Kept documents may have moved past fresh ones, and fresh ones were appended: order every list.
  for (const list of titled.values()) {
    if (!ascending(list)) list.sort((a, b) => a - b);
    if (++step % 4096 === 0) yield;
  }
  return titled;
}

function ascending(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i]! <= list[i - 1]!) return false;
  return true;
}

function addTitle(titled: Map<string, number[]>, document: SourceDocument, doc: number): void {
  for (const term of new Set(terms(document.title))) {
    const list = titled.get(term);
    if (list === undefined) titled.set(term, [doc]);
    else list.push(doc);
  }
}

/**
 * Every sentence turned into term ids, plus per-sentence facts: plain arrays and typed arrays only,
 * so that it can be cached on disk compactly and merged file by file.
 */
export interface AnalysedDocuments {
  /** Term of each id. */
  terms: string[];
  docStart: Int32Array;
  sentenceDoc: Int32Array;
  sentenceLength: Uint16Array;
  tokens: Int32Array;
  tokenStart: Int32Array;
  features: Uint8Array;
  leansBack: Uint8Array;
  sentenceParagraph: Int32Array;
  paragraphCount: number;
}

/** Zeroed arrays for an analysis of this many documents, sentences and tokens, with no terms yet. */
export function allocateAnalysis(documents: number, sentences: number, tokens: number): AnalysedDocuments {
  return {
    terms: [],
    docStart: new Int32Array(documents + 1),
    sentenceDoc: new Int32Array(sentences),
    sentenceLength: new Uint16Array(sentences),
    tokens: new Int32Array(tokens),
    tokenStart: new Int32Array(sentences + 1),
    features: new Uint8Array(sentences),
    leansBack: new Uint8Array(sentences),
    sentenceParagraph: new Int32Array(sentences),
    paragraphCount: 0,
  };
}

const MAX_SENTENCE_TERMS = 65_535;

export function analyseDocuments(documents: readonly SourceDocument[]): AnalysedDocuments {
  return runNow(analysisSteps(documents));
}

/** How many sentences a step of the analysis covers before it may pause (about 10 ms of tokenising and stemming). */
const ANALYSIS_STEP_SENTENCES = 256;

/**
 * `analyseDocuments` in steps of a few hundred sentences, so one large article does not hold the thread
 * (an 8,000-sentence article takes about a third of a second). Run with `runNow` or `runSliced`.
 */
export function* analysisSteps(documents: readonly SourceDocument[]): Steps<AnalysedDocuments> {
  let sentenceTotal = 0;
  for (const document of documents) sentenceTotal += document.sentences.length;
  const build: AnalysisBuild = {
    termIds: new Map(),
    analysis: allocateAnalysis(documents.length, sentenceTotal, 0),
    tokens: new Int32Array(Math.max(16, sentenceTotal * 12)),
    tokenCount: 0,
    sentence: 0,
    paragraph: -1,
  };
  let sinceStep = 0;
  for (let doc = 0; doc < documents.length; doc++) {
    const document = documents[doc]!;
    build.analysis.docStart[doc] = build.sentence;
    for (let position = 0; position < document.sentences.length;) {
      const next = analyseSentences(build, document, doc, position, ANALYSIS_STEP_SENTENCES - sinceStep);
      sinceStep += next - position;
      position = next;
      if (sinceStep >= ANALYSIS_STEP_SENTENCES) {
        sinceStep = 0;
        yield;
      }
    }
  }
  const { analysis } = build;
  analysis.docStart[documents.length] = build.sentence;
  analysis.terms = [...build.termIds.keys()];
  analysis.tokens = build.tokens.slice(0, build.tokenCount);
  analysis.paragraphCount = build.paragraph + 1;
  return analysis;
}

/** An analysis being made: the arrays, the terms met so far, and how far it got. */
interface AnalysisBuild {
  termIds: Map<string, number>;
  analysis: AnalysedDocuments;
  /** Grown as needed; cut to `tokenCount` at the end. */
  tokens: Int32Array<ArrayBuffer>;
  tokenCount: number;
  sentence: number;
  paragraph: number;
}

/** Analyses up to `count` sentences of `document` from `position` on; returns the position after the last. */
function analyseSentences(build: AnalysisBuild, document: SourceDocument, doc: number, position: number, count: number): number {
  const { analysis, termIds } = build;
  const end = Math.min(document.sentences.length, position + count);
  for (let at = position; at < end; at++) {
    const text = document.sentences[at]!;
    const sentence = build.sentence++;
    if (at === 0 || document.paragraphs[at] !== document.paragraphs[at - 1]) build.paragraph++;
    analysis.sentenceParagraph[sentence] = build.paragraph;
    const sentenceTerms = terms(text).slice(0, MAX_SENTENCE_TERMS);
    if (build.tokenCount + sentenceTerms.length > build.tokens.length) build.tokens = grow(build.tokens, build.tokenCount + sentenceTerms.length);
    for (const term of sentenceTerms) build.tokens[build.tokenCount++] = internTerm(termIds, term);
    analysis.sentenceDoc[sentence] = doc;
    analysis.sentenceLength[sentence] = sentenceTerms.length;
    analysis.tokenStart[sentence + 1] = build.tokenCount;
    analysis.features[sentence] = sentenceFeatures(text);
    analysis.leansBack[sentence] = at > 0 && leansOnPrevious(text) ? 1 : 0;
  }
  return end;
}

function internTerm(termIds: Map<string, number>, term: string): number {
  let id = termIds.get(term);
  if (id === undefined) {
    id = termIds.size;
    termIds.set(term, id);
  }
  return id;
}

function grow(array: Int32Array, needed: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Each term's sentences (ascending) with its frequency in each, and the number of documents it is in. */
export interface Postings {
  start: Int32Array;
  sentence: Int32Array;
  frequency: Uint16Array;
  documents: Int32Array;
}

/** What an index builds from an analysis: the postings, and the documents whose title holds each term. */
export interface BuiltIndex {
  postings: Postings;
  titles: Map<string, number[]>;
}

/** How many sentences a slice of the postings build covers before it may pause. */
const POSTINGS_SLICE = 8192;

/** Two passes over the token arrays: count each term's sentences, then fill the postings in place. */
function* postingSteps(build: AnalysedDocuments): Steps<Postings> {
  const termCount = build.terms.length;
  const sentenceCount = build.sentenceDoc.length;
  const lastSeen = new Int32Array(termCount).fill(-1);
  const start = new Int32Array(termCount + 1);
  for (let from = 0; from < sentenceCount; from += POSTINGS_SLICE) {
    countTerms(build, lastSeen, start, from, Math.min(sentenceCount, from + POSTINGS_SLICE));
    yield;
  }
  for (let term = 0; term < termCount; term++) start[term + 1]! += start[term]!;
  const postings: Postings = {
    start,
    sentence: new Int32Array(start[termCount]!),
    frequency: new Uint16Array(start[termCount]!),
    documents: new Int32Array(termCount),
  };
  const cursor = start.slice(0, termCount);
  const lastDocument = new Int32Array(termCount).fill(-1);
  lastSeen.fill(-1);
  for (let from = 0; from < sentenceCount; from += POSTINGS_SLICE) {
    fillPostings(build, postings, cursor, lastSeen, lastDocument, from, Math.min(sentenceCount, from + POSTINGS_SLICE));
    yield;
  }
  return postings;
}

function countTerms(build: AnalysedDocuments, lastSeen: Int32Array, start: Int32Array, from: number, to: number): void {
  for (let s = from; s < to; s++) {
    for (let k = build.tokenStart[s]!; k < build.tokenStart[s + 1]!; k++) {
      const term = build.tokens[k]!;
      if (lastSeen[term] === s) continue;
      lastSeen[term] = s;
      start[term + 1]! += 1;
    }
  }
}

function fillPostings(
  build: AnalysedDocuments,
  postings: Postings,
  cursor: Int32Array,
  lastSeen: Int32Array,
  lastDocument: Int32Array,
  from: number,
  to: number,
): void {
  const { sentence, frequency, documents } = postings;
  for (let s = from; s < to; s++) {
    const doc = build.sentenceDoc[s]!;
    for (let k = build.tokenStart[s]!; k < build.tokenStart[s + 1]!; k++) {
      const term = build.tokens[k]!;
      if (lastSeen[term] === s) {
        const slot = cursor[term]! - 1;
        frequency[slot] = Math.min(65_535, frequency[slot]! + 1);
        continue;
      }
      lastSeen[term] = s;
      const slot = cursor[term]!++;
      sentence[slot] = s;
      frequency[slot] = 1;
      if (lastDocument[term] !== doc) {
        lastDocument[term] = doc;
        documents[term]! += 1;
      }
    }
  }
}
