/**
 * Builds the analysis of a set of documents from analyses made earlier (the serving set, the disk
 * cache, a few freshly analysed files) without analysing any sentence again. A merge gives exactly what
 * `analyseDocuments` gives for the same documents (term ids renumbered in order of first occurrence,
 * paragraphs renumbered); a patch (`index-patch.ts`) keeps the earlier set's term ids instead. Either way
 * an index built from it answers exactly as a fresh one.
 */
import { patchAnalysis, patchFits, type IndexedSet } from './index-patch';
import { allocateAnalysis, titleStepsReusing, type AnalysedDocuments, type BuiltIndex } from './sentence-index';
import type { Steps } from './time-slice';
import type { SourceDocument } from './types';

/** Document `doc` of an earlier analysis. */
export interface AnalysisPart {
  analysis: AnalysedDocuments;
  doc: number;
}

/** An earlier set a new one may be made from: its documents, their analysis and, when known, the index built from them. */
export interface EarlierSet extends Omit<IndexedSet, 'index'> {
  documents: readonly SourceDocument[];
  index?: BuiltIndex;
}

/** The analysis of a set, and the index built from it when it came cheaply (undefined: build it). */
export interface CombinedAnalysis {
  analysis: AnalysedDocuments;
  index?: BuiltIndex;
}

/**
 * The analysis of `documents` made of `parts` and its index when one of the `earlier` sets gives it
 * cheaply: as it is when the parts are exactly that set; patched (`index-patch.ts`, keeping that set's
 * term ids) when they keep most of it, as after a reload of a few changed files or an add; else the parts
 * are merged (`mergeAnalyses`) and the index is left to build. Every way gives the same sentences,
 * postings per term and answers. Run with `runSliced`.
 */
export function* combineAnalyses(documents: readonly SourceDocument[], parts: readonly AnalysisPart[], earlier: readonly (EarlierSet | undefined)[]): Steps<CombinedAnalysis> {
  const whole = wholeAnalysis(parts);
  if (whole !== undefined) {
    const index = earlier.find((set) => set?.analysis === whole)?.index;
    return index === undefined ? { analysis: whole } : { analysis: whole, index };
  }
  for (const set of earlier) {
    if (set?.index === undefined || !patchFits(set.analysis, parts)) continue;
    const patched = yield* patchAnalysis({ ...set, index: set.index }, parts);
    if (patched === undefined) break;
    const { analysis, postings } = patched;
    const titles = yield* titleStepsReusing(documents, { documents: set.documents, titles: set.index.titles });
    return { analysis, index: { postings, titles } };
  }
  return { analysis: yield* mergeAnalyses(parts) };
}

/** Per source analysis: its term id → the merged term id (-1 until first seen). */
type Remaps = Map<AnalysedDocuments, Int32Array>;

/** Run with `runNow` or `runSliced` (it yields after each document). */
export function* mergeAnalyses(parts: readonly AnalysisPart[]): Steps<AnalysedDocuments> {
  const whole = wholeAnalysis(parts);
  if (whole !== undefined) return whole;
  let sentenceTotal = 0;
  let tokenTotal = 0;
  for (const { analysis, doc } of parts) {
    const from = analysis.docStart[doc]!;
    const to = analysis.docStart[doc + 1]!;
    sentenceTotal += to - from;
    tokenTotal += analysis.tokenStart[to]! - analysis.tokenStart[from]!;
  }
  const merged: AnalysedDocuments = allocateAnalysis(parts.length, sentenceTotal, tokenTotal);
  const termIds = new Map<string, number>();
  const remaps: Remaps = new Map();
  let sentence = 0;
  let token = 0;
  let paragraph = 0;
  for (let doc = 0; doc < parts.length; doc++) {
    const { analysis, doc: sourceDoc } = parts[doc]!;
    const remap = remapFor(remaps, analysis);
    const from = analysis.docStart[sourceDoc]!;
    const to = analysis.docStart[sourceDoc + 1]!;
    merged.docStart[doc] = sentence;
    const firstParagraph = from < to ? analysis.sentenceParagraph[from]! : 0;
    for (let s = from; s < to; s++, sentence++) {
      for (let k = analysis.tokenStart[s]!; k < analysis.tokenStart[s + 1]!; k++) {
        const term = analysis.tokens[k]!;
        let id = remap[term]!;
        if (id < 0) {
          const text = analysis.terms[term]!;
          id = termIds.get(text) ?? -1;
          if (id < 0) {
            id = merged.terms.length;
            termIds.set(text, id);
            merged.terms.push(text);
          }
          remap[term] = id;
        }
        merged.tokens[token++] = id;
      }
      merged.tokenStart[sentence + 1] = token;
      merged.sentenceDoc[sentence] = doc;
      merged.sentenceLength[sentence] = analysis.sentenceLength[s]!;
      merged.features[sentence] = analysis.features[s]!;
      merged.leansBack[sentence] = analysis.leansBack[s]!;
      merged.sentenceParagraph[sentence] = paragraph + analysis.sentenceParagraph[s]! - firstParagraph;
    }
    if (from < to) paragraph += analysis.sentenceParagraph[to - 1]! - firstParagraph + 1;
    yield;
  }
  merged.docStart[parts.length] = sentence;
  merged.paragraphCount = paragraph;
  return merged;
}

/**
 * The one analysis `parts` lists every document of, in order: taken as it is (one from a patch numbers
 * its terms otherwise than a merge would, which changes no answer).
 */
function wholeAnalysis(parts: readonly AnalysisPart[]): AnalysedDocuments | undefined {
  const first = parts[0]?.analysis;
  if (first === undefined || first.docStart.length - 1 !== parts.length) return undefined;
  for (let doc = 0; doc < parts.length; doc++) {
    const part = parts[doc]!;
    if (part.analysis !== first || part.doc !== doc) return undefined;
  }
  return first;
}

function remapFor(remaps: Remaps, analysis: AnalysedDocuments): Int32Array {
  let remap = remaps.get(analysis);
  if (remap === undefined) {
    remap = new Int32Array(analysis.terms.length).fill(-1);
    remaps.set(analysis, remap);
  }
  return remap;
}

/** Every document of an analysis, in order, as parts. */
export function partsOf(analysis: AnalysedDocuments): AnalysisPart[] {
  return Array.from({ length: analysis.docStart.length - 1 }, (_, doc) => ({ analysis, doc }));
}
