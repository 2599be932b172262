/**
 * Worker thread: reads and analyses a sources folder so that a large reload never blocks the thread
 * that answers questions. The analysis comes back as transferred buffers, not copies.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseDocuments, analysisTransferList } from '../engine/sentence-index';
import { loadSources, type LoadOptions } from './loader';

interface BuildRequest {
  path: string;
  options: LoadOptions;
}

const { path, options } = workerData as BuildRequest;
try {
  const { documents, skipped } = await loadSources(path, options);
  const analysis = analyseDocuments(documents);
  parentPort?.postMessage({ ok: true, documents, skipped, analysis }, analysisTransferList(analysis));
} catch (error) {
  const unavailable = error instanceof Error && error.name === 'SourcesUnavailableError';
  parentPort?.postMessage({ ok: false, unavailable, message: error instanceof Error ? error.message : String(error) });
}
