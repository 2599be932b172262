/** Parent-side inputs: evaluation articles parsed by our parser, questions, the filler pool, corpus files. */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArticle } from '../../src/sources/parse';
import { buildCorpus, formatSize, seededShuffle, type CorpusDoc, type CorpusPlan } from './corpus';
import { readManifest, readSentenceLines, writeCorpusFile, type CorpusHeader } from './corpus-io';
import { benchQuestions, evalDocId, loadQa, type BenchQuestion } from './eval-data';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CARRIED_CORPUS = join(REPO_ROOT, 'bench/corpus/gutenberg-200k.txt.br');
export const DEFAULT_QA = join(REPO_ROOT, 'data/qa-squad-xquad-dev.json');
const QUESTION_SEED = 20261126;
const WARMUP_QUERIES = 50;

export interface BenchInputs {
  qaFile: string;
  corpusFile: string;
  corpusDescription: string;
  evalDocs: CorpusDoc[];
  /** Every QA question, in seeded shuffled order (a prefix is a random sample). */
  questions: BenchQuestion[];
  pool: string[];
  warmup: string[];
}

function resolveQa(qa: string | undefined): string {
  if (qa !== undefined) return qa;
  if (existsSync(DEFAULT_QA)) return DEFAULT_QA;
  throw new Error(`no QA data at ${DEFAULT_QA}; pass --qa FILE (e.g. /work/shared/data/qa-dev.json)`);
}

export function loadInputs(options: { qa: string | undefined; corpus: string | undefined }): BenchInputs {
  const qaFile = resolveQa(options.qa);
  const articles = loadQa(qaFile);
  const evalDocs = articles.map((article): CorpusDoc => {
    const parsed = parseArticle(evalDocId(article.id), article.text, { title: article.title });
    return { id: parsed.id, title: parsed.title, sentences: parsed.sentences, paragraphs: parsed.paragraphs };
  });
  const corpusFile = options.corpus ?? CARRIED_CORPUS;
  const pool = readSentenceLines(corpusFile);
  const manifest = readManifest(corpusFile);
  const described = typeof manifest?.description === 'string' ? ` — ${manifest.description}` : '';
  const corpusDescription =
    options.corpus === undefined
      ? `${relative(REPO_ROOT, corpusFile)} (${pool.length.toLocaleString('en')} public-domain Gutenberg sentences carried by the bench; see bench/corpus/PROVENANCE.md)`
      : `${corpusFile} (${pool.length.toLocaleString('en')} sentences${described})`;
  const warmup: string[] = [];
  for (let i = 0; i < WARMUP_QUERIES && pool.length > 0; i++) {
    const sentence = pool[Math.floor(((i + 0.5) * pool.length) / WARMUP_QUERIES)] ?? '';
    warmup.push(`${sentence.split(/\s+/).slice(0, 8).join(' ')}?`);
  }
  return {
    qaFile,
    corpusFile,
    corpusDescription,
    evalDocs,
    questions: seededShuffle(benchQuestions(articles), QUESTION_SEED),
    pool,
    warmup,
  };
}

export interface PreparedCorpus {
  size: number;
  file: string;
  plan: Omit<CorpusPlan, 'docs'> & { docs: number };
  description: string;
  /** Answerable questions whose article is in this corpus. */
  accuracyQuestions: number;
}

export function describePlan(plan: Omit<CorpusPlan, 'docs'>, evalTotal: number, poolSize: number): string {
  const parts = [
    `${plan.evalSentences.toLocaleString('en')} sentences of ${plan.evalDocIds.length}/${evalTotal} evaluation articles`,
    `${Math.min(plan.fillerSentences, poolSize).toLocaleString('en')} filler sentences`,
  ];
  if (plan.perturbedSentences > 0) {
    parts.push(
      `${plan.perturbedSentences.toLocaleString('en')} perturbed repeats of the filler (${plan.poolPasses} passes over the pool; ` +
        'in pass k ≥ 2, 30% of distinct 6+-letter words, chosen by a hash of (k, word), get a suffix variant)',
    );
  }
  return parts.join(' + ');
}

export function prepareCorpus(inputs: BenchInputs, size: number, dir: string): PreparedCorpus {
  const plan = buildCorpus({ evalDocs: inputs.evalDocs, pool: inputs.pool, size });
  const { docs, ...rest } = plan;
  const description = describePlan(rest, inputs.evalDocs.length, inputs.pool.length);
  const header: CorpusHeader = {
    size,
    sentences: plan.sentences,
    questions: inputs.questions,
    evalDocIds: plan.evalDocIds,
    warmup: inputs.warmup,
    description,
  };
  const file = join(dir, `corpus-${formatSize(size)}.jsonl`);
  writeCorpusFile(file, header, docs);
  const included = new Set(plan.evalDocIds);
  const accuracyQuestions = inputs.questions.filter((q) => q.answers.length > 0 && included.has(q.docId)).length;
  return { size, file, plan: { ...rest, docs: docs.length }, description, accuracyQuestions };
}
