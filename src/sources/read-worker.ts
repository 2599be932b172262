/** Worker thread of read-budget.ts: runs one reading task per message and answers with its result or its reason. */
import { parentPort } from 'node:worker_threads';
import { SourceFormatError } from './formats/errors';
import { READ_TASKS, type ReadTask } from './read-budget';

parentPort?.postMessage({ ready: true });
parentPort?.on('message', ({ task, args }: { task: ReadTask; args: unknown[] }) => {
  try {
    const value = (READ_TASKS[task] as (...a: unknown[]) => unknown)(...args);
    parentPort?.postMessage({ ok: true, value });
  } catch (error) {
    if (error instanceof SourceFormatError) parentPort?.postMessage({ ok: false, formatError: true, reason: error.reason });
    else parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
