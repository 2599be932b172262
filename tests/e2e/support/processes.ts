/**
 * Runs the bot's real entry points (src/main.ts, src/shard-manager.ts) as child processes for end-to-end
 * tests: detached, so the test can signal the whole process group and check that nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A token of the shape loadConfig accepts (the fake checks it only if told to). */
export const SHAPED_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  /** Every stderr line that parsed as JSON (the pino log of the process and of its children). */
  readonly logs: Record<string, unknown>[];
  readonly stderr: string;
  readonly exited: Promise<Exit>;
  /** Resolves with the first log line (already written or future) matching `predicate`. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGKILL to the whole group if anything of it is still running (for afterEach). */
  kill(): void;
}

/**
 * `node --import tsx <script>` in the repo, with exactly `env` (plus PATH), in its own process group;
 * `nodeArgs` replaces `--import tsx` (`[]` with `scripts/launch.cjs`, to run the compiled build as `npm start` does).
 */
export function startNode(script: string, env: Record<string, string>, nodeArgs: string[] = ['--import', 'tsx'], args: string[] = []): NodeProcess {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const pid = child.pid;
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let partial = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseJson(line);
      if (parsed) logs.push(parsed);
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const waitForLog = (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 10_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = logs.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr so far:\n${stderr.slice(-3000)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    child,
    pid,
    logs,
    get stderr() {
      return stderr;
    },
    exited,
    waitForLog,
    kill: () => {
      if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
    },
  };
}

/** Whether any process of the group led by `pid` still exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Resolves with `promise`, or rejects after `ms` naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
