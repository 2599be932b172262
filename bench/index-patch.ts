/**
 * The index step of a one-file reload, alone: N sentences of the carried corpus as 20-sentence articles,
 * the first one changed (a line appended, as bench/reload-blocking.ts does), then the new index made both
 * ways, in turns: patched from the served one (`combineAnalyses`, src/engine/index-patch.ts) and, as
 * before, merged and built afresh (`mergeAnalyses` + `SentenceIndex.fromAnalysis`). Checks the two agree
 * (each term's postings, by its string).
 *
 * Usage: npx tsx bench/index-patch.ts [--sentences 200000] [--runs 5]
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { combineAnalyses, mergeAnalyses, type AnalysisPart } from '../src/engine/analysis-merge';
import { analyseDocuments, SentenceIndex } from '../src/engine/sentence-index';
import { runNow } from '../src/engine/time-slice';
import { parseArticle } from '../src/sources/parse';
import { readSentenceLines } from './perf/corpus-io';

const { values } = parseArgs({ options: { sentences: { type: 'string', default: '200000' }, runs: { type: 'string', default: '5' }, corpus: { type: 'string', default: 'bench/corpus/gutenberg-200k.txt.br' } } });
const PER_FILE = 20;
const pool = readSentenceLines(values.corpus);
const files = Math.ceil(Number(values.sentences) / PER_FILE);
const text = (file: number) => Array.from({ length: PER_FILE }, (_, k) => pool[(file * PER_FILE + k) % pool.length]).join('\n\n');
const before = Array.from({ length: files }, (_, file) => parseArticle(`article-${String(file).padStart(6, '0')}.txt`, text(file)));
const analysis = analyseDocuments(before);
const served = SentenceIndex.fromAnalysis(before, analysis);
const changed = parseArticle(before[0]!.id, `${text(0)}\n\nOne more line in one file.`);
const after = [changed, ...before.slice(1)];
const parts: AnalysisPart[] = after.map((_, doc) => (doc === 0 ? { analysis: analyseDocuments([changed]), doc: 0 } : { analysis, doc }));
const earlier = { documents: before, analysis, index: served.builtIndex(), termId: (term: string) => served.storedTermId(term) };

/** Each term's postings by its string (a patch keeps the served term ids, so the numbering differs from a fresh build). */
function byTerm(index: SentenceIndex): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (let id = 0; id < index.termCount; id++) {
    const [from, to] = index.postingRange(id, 0, index.sentenceCount);
    if (to > from) found.set(index.term(id), [index.postingSentence.subarray(from, to), index.postingFrequency.subarray(from, to), index.termDocuments[id]]);
  }
  return found;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const patched: number[] = [];
const rebuilt: number[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  let started = performance.now();
  const combined = runNow(combineAnalyses(after, parts, [earlier]));
  const patchIndex = SentenceIndex.fromBuilt(after, combined.analysis, combined.index!);
  patched.push(performance.now() - started);
  started = performance.now();
  const fresh = SentenceIndex.fromAnalysis(after, runNow(mergeAnalyses(parts)));
  rebuilt.push(performance.now() - started);
  if (run === 0 && !isDeepStrictEqual(byTerm(patchIndex), byTerm(fresh))) throw new Error('the patched postings differ from a fresh build');
}
console.log(JSON.stringify({
  documents: after.length,
  sentences: served.sentenceCount,
  patchedMs: patched.map(Math.round),
  mergedAndBuiltMs: rebuilt.map(Math.round),
  medianPatchedMs: Math.round(median(patched)),
  medianMergedAndBuiltMs: Math.round(median(rebuilt)),
}));
