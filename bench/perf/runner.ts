/** Runs one child measurement: a fresh Node process with --expose-gc, results over IPC. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildConfig, ChildMessage, ChildResult } from './protocol';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export interface RunChildOptions {
  maxOldSpaceMb: number;
  /** Kill the child after this long (ms). */
  timeoutMs: number;
  /** Extra Node flags, e.g. --cpu-prof. */
  extraExecArgv?: string[];
  cwd: string;
  onProgress?: (phase: string, done?: number, total?: number) => void;
}

export function runChild(config: ChildConfig, options: RunChildOptions): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [JSON.stringify(config)], {
      cwd: options.cwd,
      execArgv: ['--expose-gc', `--max-old-space-size=${options.maxOldSpaceMb}`, ...(options.extraExecArgv ?? []), '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ChildResult | undefined;
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `timed out after ${Math.round(options.timeoutMs / 1000)} s`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'progress') options.onProgress?.(message.phase, message.done, message.total);
      else if (message.type === 'result') result = message.result;
      else failure = message.message;
    });
    child.on('error', (error) => {
      failure ??= error.message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result !== undefined) resolve(result);
      else reject(new Error(failure ?? `child exited with ${signal ?? `code ${code}`} (out of memory?)`));
    });
  });
}
