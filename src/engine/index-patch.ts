/**
 * The index of a set of documents patched from the index of an earlier set that shares most of them (a
 * reload after a few files changed, an add, a remove): the unchanged documents' postings are copied with
 * their sentence ids moved, the changed and removed documents' postings are taken out and the new ones
 * put in, instead of merging every document's analysis and counting every posting again.
 *
 * The result is exactly what `analyseDocuments` and a fresh postings build give for the same documents,
 * array for array: term ids in order of first occurrence, paragraphs renumbered, each term's postings
 * ascending with its frequencies, and its document count. So an index built from it answers exactly as
 * a fresh one, and the analysis cache keeps the same file either way. What changes is the cost: a few
 * linear passes over typed arrays, where a full build hashes and counts every token.
 */
import type { AnalysisPart } from './analysis-merge';
import { allocateAnalysis, type AnalysedDocuments, type BuiltIndex, type Postings } from './sentence-index';
import type { Steps } from './time-slice';

/** An analysed set with the index built from it: what a patch starts from. */
export interface IndexedSet {
  analysis: AnalysedDocuments;
  index: BuiltIndex;
  /** The id of a term in `analysis`, or -1; default: looked up in a map built from `analysis.terms`. */
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
 * `patchFits(base.analysis, parts)`. Run with `runNow` or `runSliced`.
 */
export function* patchAnalysis(base: IndexedSet, parts: readonly AnalysisPart[]): Steps<PatchedAnalysis> {
  const old = base.analysis;
  const oldPostings = base.index.postings;
  const oldTermCount = old.terms.length;
  const oldDocCount = old.docStart.length - 1;

  // Unchanged documents: where each lands. Terms of the others: their ids in the base's id space,
  // past its last id for terms the base does not have.
  const newDocOf = new Int32Array(oldDocCount).fill(-1);
  let sentenceTotal = 0;
  let tokenTotal = 0;
  for (let doc = 0; doc < parts.length; doc++) {
    const { analysis, doc: source } = parts[doc]!;
    if (analysis === old) newDocOf[source] = doc;
    const from = analysis.docStart[source]!;
    const to = analysis.docStart[source + 1]!;
    sentenceTotal += to - from;
    tokenTotal += analysis.tokenStart[to]! - analysis.tokenStart[from]!;
  }
  const foreign = foreignTerms(base, parts);
  yield;

  const baseTermCount = oldTermCount + foreign.added.length;
  const merged: AnalysedDocuments = allocateAnalysis(parts.length, sentenceTotal, tokenTotal);
  // Base-space term → new id, numbered by first occurrence in the new order (as a fresh analysis does).
  const copy: Copy = {
    merged,
    newTermOf: new Int32Array(baseTermCount).fill(-1),
    baseTermOf: [],
    newSentenceOf: new Int32Array(old.sentenceDoc.length).fill(-1),
    sentence: 0,
    token: 0,
    paragraph: 0,
  };
  let sinceStep = 0;
  for (let doc = 0; doc < parts.length;) {
    // A run: parts that are consecutive documents of one analysis, so their arrays are contiguous ranges.
    const { analysis, doc: first } = parts[doc]!;
    const limit = analysis.docStart[first]! + SENTENCE_STEP;
    let end = doc + 1;
    while (end < parts.length && parts[end]!.analysis === analysis && parts[end]!.doc === first + end - doc && analysis.docStart[parts[end]!.doc]! < limit) end++;
    const remap = analysis === old ? undefined : foreign.remaps.get(analysis)!;
    sinceStep += copyRun(copy, analysis, remap, first, first + end - doc, doc);
    doc = end;
    if (sinceStep >= SENTENCE_STEP) {
      sinceStep = 0;
      yield;
    }
  }
  const { sentence, paragraph, newTermOf, baseTermOf, newSentenceOf } = copy;
  merged.docStart[parts.length] = sentence;
  merged.paragraphCount = paragraph;
  for (const term of baseTermOf) merged.terms.push(term < oldTermCount ? old.terms[term]! : foreign.added[term - oldTermCount]!);
  yield;

  const removed = yield* removedPostings(old, newDocOf, oldTermCount);
  const fresh = yield* freshPostings(merged, parts, old, newTermOf, baseTermCount);
  const postings = yield* fillPostings(baseTermOf, oldPostings, oldTermCount, newSentenceOf, removed, fresh);
  return { analysis: merged, postings };
}

/** The arrays being filled by `copyRun`, and how far. */
interface Copy {
  merged: AnalysedDocuments;
  /** Base-space term → new id (-1 until first seen); and the inverse. */
  newTermOf: Int32Array;
  baseTermOf: number[];
  /** The base's sentence ids → new ones (-1: removed or changed). */
  newSentenceOf: Int32Array;
  sentence: number;
  token: number;
  paragraph: number;
}

/**
 * Appends documents [first, end) of `analysis` as documents from `doc` on: each per-sentence array a
 * contiguous copy moved by a fixed amount, term ids renumbered (through `remap` for a foreign analysis),
 * paragraphs numbered as `analyseDocuments` numbers them. Returns the sentences copied.
 */
function copyRun(copy: Copy, analysis: AnalysedDocuments, remap: Int32Array | undefined, first: number, end: number, doc: number): number {
  const { merged, newTermOf, baseTermOf, newSentenceOf } = copy;
  const from = analysis.docStart[first]!;
  const to = analysis.docStart[end]!;
  const sentenceShift = copy.sentence - from;
  const docShift = doc - first;
  for (let d = first; d < end; d++) merged.docStart[d + docShift] = analysis.docStart[d]! + sentenceShift;
  merged.sentenceLength.set(analysis.sentenceLength.subarray(from, to), copy.sentence);
  merged.features.set(analysis.features.subarray(from, to), copy.sentence);
  merged.leansBack.set(analysis.leansBack.subarray(from, to), copy.sentence);
  const { sentenceDoc, sentenceParagraph, tokenStart, tokens } = analysis;
  const { tokens: out, sentenceDoc: outDoc, sentenceParagraph: outParagraph, tokenStart: outTokenStart } = merged;
  let token = copy.token;
  let paragraph = copy.paragraph;
  const tokenShift = token - tokenStart[from]!;
  for (let s = from; s < to; s++) {
    const at = s + sentenceShift;
    if (remap === undefined) newSentenceOf[s] = at;
    outDoc[at] = sentenceDoc[s]! + docShift;
    if (s > from && (sentenceDoc[s] !== sentenceDoc[s - 1] || sentenceParagraph[s] !== sentenceParagraph[s - 1])) paragraph++;
    outParagraph[at] = paragraph;
    const last = tokenStart[s + 1]!;
    for (let k = tokenStart[s]!; k < last; k++) {
      const term = remap === undefined ? tokens[k]! : remap[tokens[k]!]!;
      let id = newTermOf[term]!;
      if (id < 0) {
        id = baseTermOf.length;
        newTermOf[term] = id;
        baseTermOf.push(term);
      }
      out[token++] = id;
    }
    outTokenStart[at + 1] = last + tokenShift;
  }
  copy.sentence += to - from;
  copy.token = token;
  if (to > from) copy.paragraph = paragraph + 1;
  return to - from;
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
  const lastDocument = new Int32Array(termCount).fill(-1);
  let sinceStep = 0;
  for (let doc = 0; doc < newDocOf.length; doc++) {
    if (newDocOf[doc]! >= 0) continue;
    sinceStep += old.docStart[doc + 1]! - old.docStart[doc]!;
    if (sinceStep >= SENTENCE_STEP) {
      sinceStep = 0;
      yield;
    }
    for (let s = old.docStart[doc]!; s < old.docStart[doc + 1]!; s++) {
      for (let k = old.tokenStart[s]!; k < old.tokenStart[s + 1]!; k++) {
        const term = old.tokens[k]!;
        if (lastSentence[term] === s) continue;
        lastSentence[term] = s;
        removed.postings[term]! += 1;
        if (lastDocument[term] !== doc) {
          lastDocument[term] = doc;
          removed.documents[term]! += 1;
        }
      }
    }
  }
  return removed;
}

/** The new documents' postings (new sentence ids), grouped by base term, each group ascending. */
interface Fresh {
  /** Entries of base term t are [start[t], start[t + 1]). */
  start: Int32Array;
  sentence: Int32Array;
  frequency: Uint16Array;
  documents: Int32Array;
}

function* freshPostings(merged: AnalysedDocuments, parts: readonly AnalysisPart[], old: AnalysedDocuments, newTermOf: Int32Array, termCount: number): Steps<Fresh> {
  // The merged tokens hold new ids; the groups are by base term, so map back through the inverse.
  const baseOf = new Int32Array(merged.terms.length);
  for (let term = 0; term < termCount; term++) if (newTermOf[term]! >= 0) baseOf[newTermOf[term]!] = term;
  const entryTerm: number[] = [];
  const entrySentence: number[] = [];
  const entryFrequency: number[] = [];
  const documents = new Int32Array(termCount);
  const lastSentence = new Int32Array(termCount).fill(-1);
  const lastEntry = new Int32Array(termCount);
  const lastDocument = new Int32Array(termCount).fill(-1);
  let sinceStep = 0;
  for (let doc = 0; doc < parts.length; doc++) {
    if (parts[doc]!.analysis === old) continue;
    sinceStep += merged.docStart[doc + 1]! - merged.docStart[doc]!;
    if (sinceStep >= SENTENCE_STEP) {
      sinceStep = 0;
      yield;
    }
    for (let s = merged.docStart[doc]!; s < merged.docStart[doc + 1]!; s++) {
      for (let k = merged.tokenStart[s]!; k < merged.tokenStart[s + 1]!; k++) {
        const term = baseOf[merged.tokens[k]!]!;
        if (lastSentence[term] === s) {
          const entry = lastEntry[term]!;
          entryFrequency[entry] = Math.min(65_535, entryFrequency[entry]! + 1);
          continue;
        }
        lastSentence[term] = s;
        lastEntry[term] = entryTerm.length;
        entryTerm.push(term);
        entrySentence.push(s);
        entryFrequency.push(1);
        if (lastDocument[term] !== doc) {
          lastDocument[term] = doc;
          documents[term]! += 1;
        }
      }
    }
  }
  // Counting sort by term; entries were made in sentence order, so each group stays ascending.
  const start = new Int32Array(termCount + 1);
  for (const term of entryTerm) start[term + 1]! += 1;
  for (let term = 0; term < termCount; term++) start[term + 1]! += start[term]!;
  const cursor = start.slice(0, termCount);
  const sentence = new Int32Array(entryTerm.length);
  const frequency = new Uint16Array(entryTerm.length);
  for (let entry = 0; entry < entryTerm.length; entry++) {
    const slot = cursor[entryTerm[entry]!]!++;
    sentence[slot] = entrySentence[entry]!;
    frequency[slot] = entryFrequency[entry]!;
  }
  return { start, sentence, frequency, documents };
}

/** The new postings in new term order: each term's kept postings moved to their new sentence ids, merged with its fresh ones. */
function* fillPostings(
  baseTermOf: readonly number[],
  old: Postings,
  oldTermCount: number,
  newSentenceOf: Int32Array,
  removed: Removed,
  fresh: Fresh,
): Steps<Postings> {
  const termCount = baseTermOf.length;
  const start = new Int32Array(termCount + 1);
  const documents = new Int32Array(termCount);
  for (let term = 0; term < termCount; term++) {
    const base = baseTermOf[term]!;
    const freshCount = fresh.start[base + 1]! - fresh.start[base]!;
    let length = freshCount;
    documents[term] = fresh.documents[base]!;
    if (base < oldTermCount) {
      length += old.start[base + 1]! - old.start[base]! - removed.postings[base]!;
      documents[term]! += old.documents[base]! - removed.documents[base]!;
    }
    start[term + 1] = start[term]! + length;
  }
  const postings: Postings = { start, sentence: new Int32Array(start[termCount]!), frequency: new Uint16Array(start[termCount]!), documents };
  const { sentence, frequency } = postings;
  const { start: oldStart, sentence: oldSentence, frequency: oldFrequency } = old;
  const { start: freshStart, sentence: freshSentence, frequency: freshFrequency } = fresh;
  const removedPostings = removed.postings;
  let sinceStep = 0;
  for (let term = 0; term < termCount; term++) {
    const base = baseTermOf[term]!;
    let out = start[term]!;
    const oldFrom = base < oldTermCount ? oldStart[base]! : 0;
    const oldEnd = base < oldTermCount ? oldStart[base + 1]! : 0;
    let f = freshStart[base]!;
    const freshEnd = freshStart[base + 1]!;
    let k = oldFrom;
    if (f === freshEnd && (base >= oldTermCount || removedPostings[base] === 0)) {
      // Untouched: every posting is of an unchanged document, in the same order.
      for (; k < oldEnd; k++, out++) {
        sentence[out] = newSentenceOf[oldSentence[k]!]!;
        frequency[out] = oldFrequency[k]!;
      }
    } else {
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
    }
    sinceStep += oldEnd - oldFrom + freshEnd - freshStart[base]!;
    if (sinceStep >= POSTING_STEP) {
      sinceStep = 0;
      yield;
    }
  }
  return postings;
}
