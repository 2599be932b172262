/**
 * The index of a set of documents patched from the index of an earlier set that shares most of them (a
 * reload after a few files changed, an add, a remove): the work follows the change, not the set.
 *
 * The earlier set's term ids are kept: its tokens are copied as they are, terms the earlier set lacks get
 * new ids after its last, and a term whose every sentence left keeps its id with no postings (a fresh
 * build would not have it; `SentenceIndex.termId` answers -1 for it, as for any unknown term). The
 * unchanged documents' postings are copied with their sentence ids moved, the changed and removed
 * documents' postings are taken out and the new ones merged in. Sentences, paragraphs, documents, each
 * term's postings and frequencies and its document count are those of a fresh build; only the numbering
 * of the terms differs. So an index made from it answers exactly as a fresh one (same hits, same scores:
 * nothing that ranks depends on the order of term ids), and the analysis cache stores it as it is.
 * When too many terms would be left without postings, the patch declines and the caller merges afresh,
 * which numbers the terms compactly again.
 */
import type { AnalysisPart } from './analysis-merge';
import { allocateAnalysis, type AnalysedDocuments, type BuiltIndex, type Postings } from './sentence-index';
import type { Steps } from './time-slice';

/** An analysed set with the index built from it: what a patch starts from. */
export interface IndexedSet {
  analysis: AnalysedDocuments;
  index: BuiltIndex;
  /**
   * The id of a term in `analysis`, with or without postings, or -1 (`SentenceIndex.storedTermId`);
   * default: looked up in a map built from `analysis.terms`.
   */
  termId?: (term: string) => number;
}

/** What a patch makes: the analysis of the new set and its postings (title terms are made apart). */
export interface PatchedAnalysis {
  analysis: AnalysedDocuments;
  postings: Postings;
}

/** How many sentences, then postings, a step of the patch covers before it may pause. */
const SENTENCE_STEP = 16_384;
const POSTING_STEP = 65_536;
/**
 * Past this many terms without postings, and this share of all, the patch declines, so a merge numbers
 * the terms compactly again (each costs its string and a few array slots, and lengthens the term list).
 */
export const EMPTY_TERMS_TO_COMPACT = 4096;
const EMPTY_TERM_SHARE = 0.125;

/**
 * Whether patching `base` is the cheaper way to the index of `parts`: its documents appear in their
 * order (as the loader's sorted file names keep them), and the sentences kept are at least as many as
 * those added and removed together.
 */
export function patchFits(base: AnalysedDocuments, parts: readonly AnalysisPart[]): boolean {
  let kept = 0;
  let total = 0;
  let last = -1;
  for (const { analysis, doc } of parts) {
    const sentences = analysis.docStart[doc + 1]! - analysis.docStart[doc]!;
    total += sentences;
    if (analysis !== base) continue;
    if (doc <= last) return false;
    last = doc;
    kept += sentences;
  }
  // What is kept outweighs what is added and what is taken away together.
  const removed = base.sentenceDoc.length - kept;
  return kept > 0 && 2 * kept >= total + removed;
}

/**
 * The analysis and postings of `parts` (in order): a part of `base.analysis` is an unchanged document,
 * any other part a new or changed one; documents of `base` no part names are removed. Requires
 * `patchFits(base.analysis, parts)`. Undefined when so many terms would be left without postings that
 * a merge is worth it. Run with `runNow` or `runSliced`.
 */
export function* patchAnalysis(base: IndexedSet, parts: readonly AnalysisPart[]): Steps<PatchedAnalysis | undefined> {
  const old = base.analysis;
  const oldTermCount = old.terms.length;
  const layout = layoutOf(old, parts);
  const foreign = foreignTerms(base, parts);
  const termCount = oldTermCount + foreign.added.length;
  yield;

  const removed = yield* removedPostings(old, layout.newDocOf, oldTermCount);
  const fresh = yield* freshPostings(parts, old, layout.docStart, foreign.remaps, termCount);
  const start = postingStarts(base.index.postings, oldTermCount, termCount, removed, fresh);
  if (start === undefined) return undefined;
  yield;

  const merged: AnalysedDocuments = allocateAnalysis(parts.length, layout.sentences, layout.tokens);
  merged.docStart.set(layout.docStart);
  merged.terms = old.terms.concat(foreign.added);
  const newSentenceOf = new Int32Array(old.sentenceDoc.length).fill(-1);
  let paragraph = 0;
  for (let doc = 0; doc < parts.length;) {
    // A run: parts that are consecutive documents of one analysis, so their arrays are contiguous ranges.
    const { analysis, doc: first } = parts[doc]!;
    const limit = analysis.docStart[first]! + SENTENCE_STEP;
    let end = doc + 1;
    while (end < parts.length && parts[end]!.analysis === analysis && parts[end]!.doc === first + end - doc && analysis.docStart[parts[end]!.doc]! < limit) end++;
    const remap = analysis === old ? undefined : foreign.remaps.get(analysis)!;
    paragraph = copyRun(merged, analysis, remap, first, first + end - doc, doc, paragraph, remap === undefined ? newSentenceOf : undefined);
    doc = end;
    yield;
  }
  merged.paragraphCount = paragraph;

  const postings = yield* fillPostings(start, base.index.postings, oldTermCount, newSentenceOf, removed, fresh);
  return { analysis: merged, postings };
}

/** Where each part lands: new document starts, the earlier documents' new places (-1: gone or changed), totals. */
function layoutOf(old: AnalysedDocuments, parts: readonly AnalysisPart[]) {
  const newDocOf = new Int32Array(old.docStart.length - 1).fill(-1);
  const docStart = new Int32Array(parts.length + 1);
  let sentences = 0;
  let tokens = 0;
  for (let doc = 0; doc < parts.length; doc++) {
    const { analysis, doc: source } = parts[doc]!;
    if (analysis === old) newDocOf[source] = doc;
    const from = analysis.docStart[source]!;
    const to = analysis.docStart[source + 1]!;
    docStart[doc] = sentences;
    sentences += to - from;
    tokens += analysis.tokenStart[to]! - analysis.tokenStart[from]!;
  }
  docStart[parts.length] = sentences;
  return { newDocOf, docStart, sentences, tokens };
}

/**
 * Copies documents [first, end) of `analysis` as documents from `doc` on: each per-sentence array a
 * contiguous copy moved by a fixed amount, tokens as they are (through `remap` for a foreign analysis),
 * paragraphs numbered as `analyseDocuments` numbers them from `paragraph`. Records where the base's
 * sentences went in `newSentenceOf` when given. Returns the next paragraph id.
 */
function copyRun(
  merged: AnalysedDocuments,
  analysis: AnalysedDocuments,
  remap: Int32Array | undefined,
  first: number,
  end: number,
  doc: number,
  paragraph: number,
  newSentenceOf: Int32Array | undefined,
): number {
  const from = analysis.docStart[first]!;
  const to = analysis.docStart[end]!;
  if (to === from) return paragraph;
  const at = merged.docStart[doc]!;
  const sentenceShift = at - from;
  const docShift = doc - first;
  merged.sentenceLength.set(analysis.sentenceLength.subarray(from, to), at);
  merged.features.set(analysis.features.subarray(from, to), at);
  merged.leansBack.set(analysis.leansBack.subarray(from, to), at);
  const { sentenceDoc, sentenceParagraph, tokenStart, tokens } = analysis;
  const { tokens: out, sentenceDoc: outDoc, sentenceParagraph: outParagraph, tokenStart: outTokenStart } = merged;
  const tokenFrom = tokenStart[from]!;
  const tokenTo = tokenStart[to]!;
  const outToken = outTokenStart[at]!;
  if (remap === undefined) out.set(tokens.subarray(tokenFrom, tokenTo), outToken);
  else for (let k = tokenFrom; k < tokenTo; k++) out[outToken + k - tokenFrom] = remap[tokens[k]!]!;
  const tokenShift = outToken - tokenFrom;
  let current = paragraph;
  for (let s = from; s < to; s++) {
    const placed = s + sentenceShift;
    if (s > from && (sentenceDoc[s] !== sentenceDoc[s - 1] || sentenceParagraph[s] !== sentenceParagraph[s - 1])) current++;
    outParagraph[placed] = current;
    outDoc[placed] = sentenceDoc[s]! + docShift;
    outTokenStart[placed + 1] = tokenStart[s + 1]! + tokenShift;
  }
  if (newSentenceOf !== undefined) for (let s = from; s < to; s++) newSentenceOf[s] = s + sentenceShift;
  return current + 1;
}

/** Each foreign analysis's term ids in the base's id space, and the terms the base lacks, in order of first sight. */
function foreignTerms(base: IndexedSet, parts: readonly AnalysisPart[]): { remaps: Map<AnalysedDocuments, Int32Array>; added: string[] } {
  const old = base.analysis;
  let lookup = base.termId;
  if (lookup === undefined) {
    const ids = new Map<string, number>();
    for (let id = 0; id < old.terms.length; id++) ids.set(old.terms[id]!, id);
    lookup = (term) => ids.get(term) ?? -1;
  }
  const remaps = new Map<AnalysedDocuments, Int32Array>();
  const added: string[] = [];
  const addedIds = new Map<string, number>();
  for (const { analysis, doc } of parts) {
    if (analysis === old) continue;
    let remap = remaps.get(analysis);
    if (remap === undefined) {
      remap = new Int32Array(analysis.terms.length).fill(-1);
      remaps.set(analysis, remap);
    }
    for (let k = analysis.tokenStart[analysis.docStart[doc]!]!; k < analysis.tokenStart[analysis.docStart[doc + 1]!]!; k++) {
      const term = analysis.tokens[k]!;
      if (remap[term]! >= 0) continue;
      const text = analysis.terms[term]!;
      let id = lookup(text);
      if (id < 0) {
        id = addedIds.get(text) ?? -1;
        if (id < 0) {
          id = old.terms.length + added.length;
          addedIds.set(text, id);
          added.push(text);
        }
      }
      remap[term] = id;
    }
  }
  return { remaps, added };
}

/** Per base term: postings and documents that leave with the removed and changed documents. */
interface Removed {
  postings: Int32Array;
  documents: Int32Array;
}

function* removedPostings(old: AnalysedDocuments, newDocOf: Int32Array, termCount: number): Steps<Removed> {
  const removed: Removed = { postings: new Int32Array(termCount), documents: new Int32Array(termCount) };
  const lastSentence = new Int32Array(termCount).fill(-1);
  let sinceStep = 0;
  for (let doc = 0; doc < newDocOf.length; doc++) {
    if (newDocOf[doc]! >= 0) continue;
    sinceStep += old.docStart[doc + 1]! - old.docStart[doc]!;
    if (sinceStep >= SENTENCE_STEP) {
      sinceStep = 0;
      yield;
    }
    removeDocument(old, doc, removed, lastSentence);
  }
  return removed;
}

/** Counts the postings and the document of each term of document `doc` of `old` as leaving. */
function removeDocument(old: AnalysedDocuments, doc: number, removed: Removed, lastSentence: Int32Array): void {
  const first = old.docStart[doc]!;
  for (let s = first; s < old.docStart[doc + 1]!; s++) {
    for (let k = old.tokenStart[s]!; k < old.tokenStart[s + 1]!; k++) {
      const term = old.tokens[k]!;
      const last = lastSentence[term]!;
      if (last === s) continue;
      lastSentence[term] = s;
      removed.postings[term]! += 1;
      // Seen last before this document (sentence ids grow with documents): its first sentence here.
      if (last < first) removed.documents[term]! += 1;
    }
  }
}

/** The new documents' postings (new sentence ids), grouped by term (new ids), each group ascending. */
interface Fresh {
  /** Entries of term t are [start[t], start[t + 1]). */
  start: Int32Array;
  sentence: Int32Array;
  frequency: Uint16Array;
  documents: Int32Array;
}

function* freshPostings(parts: readonly AnalysisPart[], old: AnalysedDocuments, docStart: Int32Array, remaps: Map<AnalysedDocuments, Int32Array>, termCount: number): Steps<Fresh> {
  const entries: FreshEntries = { term: [], sentence: [], frequency: [], documents: new Int32Array(termCount), lastSentence: new Int32Array(termCount).fill(-1), lastEntry: new Int32Array(termCount) };
  let sinceStep = 0;
  for (let doc = 0; doc < parts.length; doc++) {
    const { analysis, doc: source } = parts[doc]!;
    if (analysis === old) continue;
    const from = analysis.docStart[source]!;
    const to = analysis.docStart[source + 1]!;
    sinceStep += to - from;
    if (sinceStep >= SENTENCE_STEP) {
      sinceStep = 0;
      yield;
    }
    addDocument(entries, analysis, remaps.get(analysis)!, from, to, docStart[doc]!);
  }
  return groupByTerm(entries, termCount);
}

/** Postings in the order they were made, and per term where its last one is. */
interface FreshEntries {
  term: number[];
  sentence: number[];
  frequency: number[];
  documents: Int32Array;
  lastSentence: Int32Array;
  lastEntry: Int32Array;
}

/** The postings of sentences [from, to) of `analysis`, one document placed from sentence `at`, in base term ids. */
function addDocument(entries: FreshEntries, analysis: AnalysedDocuments, remap: Int32Array, from: number, to: number, at: number): void {
  const { lastSentence, lastEntry, documents } = entries;
  for (let s = from; s < to; s++) {
    const placed = at + s - from;
    for (let k = analysis.tokenStart[s]!; k < analysis.tokenStart[s + 1]!; k++) {
      const term = remap[analysis.tokens[k]!]!;
      const last = lastSentence[term]!;
      if (last === placed) {
        const entry = lastEntry[term]!;
        entries.frequency[entry] = Math.min(65_535, entries.frequency[entry]! + 1);
        continue;
      }
      lastSentence[term] = placed;
      lastEntry[term] = entries.term.length;
      entries.term.push(term);
      entries.sentence.push(placed);
      entries.frequency.push(1);
      // Seen last before this document (placed sentence ids grow with documents): its first sentence here.
      if (last < at) documents[term]! += 1;
    }
  }
}

/** Counting sort by term; entries were made in sentence order, so each group stays ascending. */
function groupByTerm(entries: FreshEntries, termCount: number): Fresh {
  const start = new Int32Array(termCount + 1);
  for (let entry = 0; entry < entries.term.length; entry++) start[entries.term[entry]! + 1]! += 1;
  for (let term = 0; term < termCount; term++) start[term + 1]! += start[term]!;
  const cursor = start.slice(0, termCount);
  const sentence = new Int32Array(entries.term.length);
  const frequency = new Uint16Array(entries.term.length);
  for (let entry = 0; entry < entries.term.length; entry++) {
    const slot = cursor[entries.term[entry]!]!++;
    sentence[slot] = entries.sentence[entry]!;
    frequency[slot] = entries.frequency[entry]!;
  }
  return { start, sentence, frequency, documents: entries.documents };
}

/** Where each term's postings start in the patched arrays; undefined when too many terms would have none. */
function postingStarts(old: Postings, oldTermCount: number, termCount: number, removed: Removed, fresh: Fresh): Int32Array | undefined {
  const start = new Int32Array(termCount + 1);
  let empty = 0;
  for (let term = 0; term < termCount; term++) {
    let length = fresh.start[term + 1]! - fresh.start[term]!;
    if (term < oldTermCount) length += old.start[term + 1]! - old.start[term]! - removed.postings[term]!;
    if (length === 0) empty++;
    start[term + 1] = start[term]! + length;
  }
  return empty > EMPTY_TERMS_TO_COMPACT && empty > termCount * EMPTY_TERM_SHARE ? undefined : start;
}

/** The new postings: each term's kept postings moved to their new sentence ids, merged with its fresh ones. */
function* fillPostings(start: Int32Array, old: Postings, oldTermCount: number, newSentenceOf: Int32Array, removed: Removed, fresh: Fresh): Steps<Postings> {
  const termCount = start.length - 1;
  const documents = new Int32Array(termCount);
  documents.set(old.documents.subarray(0, oldTermCount));
  const fill: PostingFill = {
    postings: { start, sentence: new Int32Array(start[termCount]!), frequency: new Uint16Array(start[termCount]!), documents },
    old,
    oldTermCount,
    newSentenceOf,
    removed,
    fresh,
  };
  // The loops are in a plain function, called slice by slice: V8 does not compile a generator's loops while they run.
  for (let term = 0; term < termCount; yield) term = fillTerms(fill, term, POSTING_STEP);
  return fill.postings;
}

interface PostingFill {
  postings: Postings;
  old: Postings;
  oldTermCount: number;
  newSentenceOf: Int32Array;
  removed: Removed;
  fresh: Fresh;
}

/** Fills the postings of terms from `first` on, until about `budget` postings were handled; returns the next term. */
function fillTerms(fill: PostingFill, first: number, budget: number): number {
  const { postings, old, oldTermCount, newSentenceOf, removed, fresh } = fill;
  const { start, sentence, frequency, documents } = postings;
  const termCount = start.length - 1;
  const { start: oldStart, sentence: oldSentence, frequency: oldFrequency } = old;
  const { start: freshStart, sentence: freshSentence, frequency: freshFrequency } = fresh;
  const removedPostings = removed.postings;
  let done = 0;
  let term = first;
  while (term < termCount && done < budget) {
    if (term < oldTermCount && removedPostings[term] === 0 && freshStart[term] === freshStart[term + 1]) {
      // A stretch of terms only unchanged documents hold: one contiguous block, in the same order.
      let end = term + 1;
      while (end < oldTermCount && removedPostings[end] === 0 && freshStart[end] === freshStart[end + 1] && oldStart[end]! - oldStart[term]! < budget) end++;
      const from = oldStart[term]!;
      const to = oldStart[end]!;
      const shift = start[term]! - from;
      frequency.set(oldFrequency.subarray(from, to), from + shift);
      for (let k = from; k < to; k++) sentence[k + shift] = newSentenceOf[oldSentence[k]!]!;
      done += to - from + end - term;
      term = end;
      continue;
    }
    let out = start[term]!;
    let k = term < oldTermCount ? oldStart[term]! : 0;
    const oldEnd = term < oldTermCount ? oldStart[term + 1]! : 0;
    let f = freshStart[term]!;
    const freshEnd = freshStart[term + 1]!;
    done += oldEnd - k + freshEnd - f + 1;
    for (;;) {
      while (k < oldEnd && newSentenceOf[oldSentence[k]!]! < 0) k++;
      const kept = k < oldEnd ? newSentenceOf[oldSentence[k]!]! : -1;
      const added = f < freshEnd ? freshSentence[f]! : -1;
      if (kept < 0 && added < 0) break;
      if (added < 0 || (kept >= 0 && kept < added)) {
        sentence[out] = kept;
        frequency[out++] = oldFrequency[k++]!;
      } else {
        sentence[out] = added;
        frequency[out++] = freshFrequency[f++]!;
      }
    }
    documents[term] = (term < oldTermCount ? documents[term]! - removed.documents[term]! : 0) + fresh.documents[term]!;
    term++;
  }
  return term;
}
