/**
 * One system at one corpus size, in its own process (run with --expose-gc). Loads the prepared corpus,
 * builds the index, asks the questions, and reports figures to the parent over IPC.
 */
import { readCorpusFile } from './corpus-io';
import { containsAnswer } from './eval-data';
import type { ChildConfig, ChildMessage, ChildResult, MemorySnapshot } from './protocol';
import { summarizeLatencies } from './stats';
import { systemInfo } from './systems/index';

function send(message: ChildMessage): void {
  if (process.send) process.send(message);
}

function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the child with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
}

function memory(): MemorySnapshot {
  forceGc();
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, external: usage.external, rss: usage.rss };
}

async function main(config: ChildConfig): Promise<ChildResult> {
  const loadStart = performance.now();
  send({ type: 'progress', phase: 'loading corpus' });
  const { header, docs } = await readCorpusFile(config.corpusFile);
  const sentences: string[] = [];
  for (const doc of docs) for (const sentence of doc.sentences) sentences.push(sentence);
  const corpus = { docs, sentences };
  const adapter = await systemInfo(config.system).load();
  adapter.prepare?.(corpus);
  const loadMs = performance.now() - loadStart;

  const before = memory();
  send({ type: 'progress', phase: 'building' });
  const buildStart = performance.now();
  adapter.build(corpus);
  const buildMs = performance.now() - buildStart;
  const afterBuild = memory();

  if (config.warmup) for (const query of header.warmup) adapter.top1(query);

  const questions = header.questions;
  const evalDocs = new Set(header.evalDocIds);
  const latencies: number[] = [];
  let accuracyAsked = 0;
  let accuracyCorrect = 0;
  let answered = 0;
  let reportsAnswered = false;
  const queryStart = performance.now();
  let lastProgress = queryStart;
  for (let i = 0; ; i++) {
    const elapsed = performance.now() - queryStart;
    if (i >= questions.length && i >= config.minQuestions) break;
    if (i >= config.minQuestions && elapsed > config.queryBudgetMs) break;
    if (questions.length === 0) break;
    const q = questions[i % questions.length]!;
    const t0 = process.hrtime.bigint();
    const top = adapter.top1(q.question);
    const t1 = process.hrtime.bigint();
    latencies.push(Number(t1 - t0) / 1e6);
    if (top.answered !== undefined) {
      reportsAnswered = true;
      if (top.answered) answered++;
    }
    if (i < questions.length && q.answers.length > 0 && evalDocs.has(q.docId)) {
      accuracyAsked++;
      if (containsAnswer(top.text, q)) accuracyCorrect++;
    }
    const now = performance.now();
    if (now - lastProgress > 1000) {
      lastProgress = now;
      send({ type: 'progress', phase: 'querying', done: i + 1, total: Math.max(questions.length, config.minQuestions) });
    }
  }
  const afterQueries = memory();
  const result: ChildResult = {
    system: config.system,
    size: header.size,
    sentences: sentences.length,
    loadMs,
    buildMs,
    before,
    afterBuild,
    afterQueries,
    latency: summarizeLatencies(latencies),
    questionsAsked: latencies.length,
    accuracyAsked,
    accuracyCorrect,
  };
  if (reportsAnswered) result.answered = answered;
  return result;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
main(config)
  .then((result) => {
    send({ type: 'result', result });
    process.disconnect?.();
  })
  .catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.disconnect?.();
    process.exitCode = 1;
  });
