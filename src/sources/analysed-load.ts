import { Worker } from 'node:worker_threads';
import { analyseDocuments, type AnalysedDocuments } from '../engine/sentence-index';
import type { SkippedFile, SourceDocument } from '../engine/types';
import { loadSources, SourcesUnavailableError, type LoadOptions } from './loader';

export interface AnalysedLoad {
  documents: SourceDocument[];
  skipped: SkippedFile[];
  analysis: AnalysedDocuments;
}

type WorkerReply = ({ ok: true } & AnalysedLoad) | { ok: false; unavailable: boolean; message: string };

/** Loads and analyses sources on this thread: right for small sets, where a worker costs more than it saves. */
export async function loadAndAnalyse(path: string, options: LoadOptions): Promise<AnalysedLoad> {
  const { documents, skipped } = await loadSources(path, options);
  return { documents, skipped, analysis: analyseDocuments(documents) };
}

/**
 * Starts the TypeScript worker module through tsx's loader API, which works whether or not this
 * process was itself started by tsx (a test runner, say).
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.loader).then(({ register }) => { register(); return import(workerData.module); });
`;

/** The same on a worker thread, so that this thread keeps answering while a large set is read and tokenised. */
export function loadAndAnalyseOffThread(path: string, options: LoadOptions): Promise<AnalysedLoad> {
  const module = new URL('./build-worker.ts', import.meta.url).href;
  const loader = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { loader, module, path, options } });
  return new Promise<AnalysedLoad>((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => {
      if (reply.ok) resolve(reply);
      else reject(reply.unavailable ? new SourcesUnavailableError(path, reply.message.replace(/^cannot read sources at .*?: /, '')) : new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the index builder stopped (exit code ${code})`)));
  });
}
