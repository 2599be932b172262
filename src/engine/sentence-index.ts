import { terms } from '../text/tokens';
import { sentenceFeatures } from './answer-type';
import { leansOnPrevious } from './context';
import type { SourceDocument } from './types';

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
  private readonly termIds: Map<string, number>;
  private readonly documentIds: Map<string, number>;
  /** Documents whose title holds each term: a question naming an article's subject points to it. */
  private readonly titleDocuments: Map<string, number[]>;

  private constructor(documents: readonly SourceDocument[], build: AnalysedDocuments) {
    this.documents = documents;
    this.documentIds = new Map(documents.map((document, doc) => [document.id, doc]));
    this.titleDocuments = indexTitles(documents);
    this.termIds = new Map(build.terms.map((term, id) => [term, id]));
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
    for (const length of build.sentenceLength) total += length;
    this.averageLength = this.sentenceCount > 0 ? Math.max(1, total / this.sentenceCount) : 1;
    const postings = buildPostings(build, this.termIds.size);
    this.postingStart = postings.start;
    this.postingSentence = postings.sentence;
    this.postingFrequency = postings.frequency;
    this.termDocuments = postings.documents;
  }

  static build(documents: readonly SourceDocument[]): SentenceIndex {
    return new SentenceIndex(documents, analyseDocuments(documents));
  }

  /** The index over documents analysed elsewhere (a worker thread: the analysis is the slow part). */
  static fromAnalysis(documents: readonly SourceDocument[], analysis: AnalysedDocuments): SentenceIndex {
    return new SentenceIndex(documents, analysis);
  }

  /** The id of an analysed term, or -1 when no sentence has it. */
  termId(term: string): number {
    return this.termIds.get(term) ?? -1;
  }

  documentFrequency(termId: number): number {
    if (termId < 0) return 0;
    return (this.postingStart[termId + 1] ?? 0) - (this.postingStart[termId] ?? 0);
  }

  /** Position of a global sentence id within its own document (0-based). */
  positionInDocument(sentence: number): number {
    return sentence - (this.docStart[this.sentenceDoc[sentence] ?? 0] ?? 0);
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

function indexTitles(documents: readonly SourceDocument[]): Map<string, number[]> {
  const titled = new Map<string, number[]>();
  documents.forEach((document, doc) => {
    for (const term of new Set(terms(document.title))) {
      const list = titled.get(term);
      if (list === undefined) titled.set(term, [doc]);
      else list.push(doc);
    }
  });
  return titled;
}

/**
 * Every sentence turned into term ids, plus per-sentence facts: plain arrays and typed arrays only,
 * so a worker thread can hand it over without copying (see `analysisTransferList`).
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

const MAX_SENTENCE_TERMS = 65_535;

export function analyseDocuments(documents: readonly SourceDocument[]): AnalysedDocuments {
  const termIds = new Map<string, number>();
  let sentenceTotal = 0;
  for (const document of documents) sentenceTotal += document.sentences.length;
  const docStart = new Int32Array(documents.length + 1);
  const sentenceDoc = new Int32Array(sentenceTotal);
  const sentenceLength = new Uint16Array(sentenceTotal);
  const tokenStart = new Int32Array(sentenceTotal + 1);
  const features = new Uint8Array(sentenceTotal);
  const leansBack = new Uint8Array(sentenceTotal);
  const sentenceParagraph = new Int32Array(sentenceTotal);
  let paragraph = -1;
  let tokens: Int32Array<ArrayBuffer> = new Int32Array(Math.max(16, sentenceTotal * 12));
  let tokenCount = 0;
  let sentence = 0;
  documents.forEach((document, doc) => {
    docStart[doc] = sentence;
    document.sentences.forEach((text, position) => {
      if (position === 0 || document.paragraphs[position] !== document.paragraphs[position - 1]) paragraph++;
      sentenceParagraph[sentence] = paragraph;
      const sentenceTerms = terms(text).slice(0, MAX_SENTENCE_TERMS);
      if (tokenCount + sentenceTerms.length > tokens.length) tokens = grow(tokens, tokenCount + sentenceTerms.length);
      for (const term of sentenceTerms) tokens[tokenCount++] = internTerm(termIds, term);
      sentenceDoc[sentence] = doc;
      sentenceLength[sentence] = sentenceTerms.length;
      tokenStart[sentence + 1] = tokenCount;
      features[sentence] = sentenceFeatures(text);
      leansBack[sentence] = position > 0 && leansOnPrevious(text) ? 1 : 0;
      sentence++;
    });
  });
  docStart[documents.length] = sentence;
  return {
    terms: [...termIds.keys()],
    docStart,
    sentenceDoc,
    sentenceLength,
    tokens: tokens.slice(0, tokenCount),
    tokenStart,
    features,
    leansBack,
    sentenceParagraph,
    paragraphCount: paragraph + 1,
  };
}

/** The buffers of an analysis, to transfer rather than copy between threads. */
export function analysisTransferList(analysis: AnalysedDocuments): ArrayBuffer[] {
  const { docStart, sentenceDoc, sentenceLength, tokens, tokenStart, features, leansBack, sentenceParagraph } = analysis;
  return [docStart, sentenceDoc, sentenceLength, tokens, tokenStart, features, leansBack, sentenceParagraph].map(
    (array) => array.buffer as ArrayBuffer,
  );
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

/** Two passes over the token arrays: count each term's sentences, then fill the postings in place. */
function buildPostings(build: AnalysedDocuments, termCount: number) {
  const sentenceCount = build.sentenceDoc.length;
  const lastSeen = new Int32Array(termCount).fill(-1);
  const start = new Int32Array(termCount + 1);
  forEachDistinctTerm(build, lastSeen, (term) => {
    start[term + 1]! += 1;
  });
  for (let term = 0; term < termCount; term++) start[term + 1]! += start[term]!;
  const cursor = start.slice(0, termCount);
  const sentence = new Int32Array(start[termCount]!);
  const frequency = new Uint16Array(start[termCount]!);
  const documents = new Int32Array(termCount);
  const lastDocument = new Int32Array(termCount).fill(-1);
  lastSeen.fill(-1);
  for (let s = 0; s < sentenceCount; s++) {
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
  return { start, sentence, frequency, documents };
}

function forEachDistinctTerm(build: AnalysedDocuments, lastSeen: Int32Array, visit: (term: number) => void): void {
  const sentenceCount = build.sentenceDoc.length;
  for (let s = 0; s < sentenceCount; s++) {
    for (let k = build.tokenStart[s]!; k < build.tokenStart[s + 1]!; k++) {
      const term = build.tokens[k]!;
      if (lastSeen[term] === s) continue;
      lastSeen[term] = s;
      visit(term);
    }
  }
}
