/**
 * End-to-end timings through the real entry points, process start included:
 * the CLI answering N piped questions over M article files, and `npm start` (console mode, no token,
 * stdin not a TTY) until its first answer to one piped question.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillerSentence } from './corpus';
import type { QaArticle } from './eval-data';

const SENTENCES_PER_ARTICLE = 25;
const SENTENCES_PER_PARAGRAPH = 5;

/**
 * Writes `count` article files (.txt with a front-matter title): the evaluation articles first, then
 * filler articles of 25 pool sentences in paragraphs of 5 (perturbed repeats once the pool runs out).
 * Returns the number of sentences written as filler.
 */
export function writeArticles(dir: string, articles: readonly QaArticle[], pool: readonly string[], count: number): number {
  mkdirSync(dir, { recursive: true });
  let written = 0;
  for (const article of articles.slice(0, count)) {
    const name = `eval-${String(written).padStart(5, '0')}.txt`;
    writeFileSync(join(dir, name), `---\ntitle: ${JSON.stringify(article.title)}\n---\n${article.text}\n`);
    written++;
  }
  let next = 0;
  for (let n = 0; written < count; n++, written++) {
    const paragraphs: string[] = [];
    for (let p = 0; p < SENTENCES_PER_ARTICLE / SENTENCES_PER_PARAGRAPH; p++) {
      const sentences: string[] = [];
      for (let s = 0; s < SENTENCES_PER_PARAGRAPH; s++) sentences.push(fillerSentence(pool, next++));
      paragraphs.push(sentences.join(' '));
    }
    writeFileSync(join(dir, `filler-${String(n).padStart(5, '0')}.txt`), `---\ntitle: "Filler article ${n}"\n---\n${paragraphs.join('\n\n')}\n`);
  }
  return next;
}

export interface TimedRun {
  ms: number;
  ok: boolean;
  note?: string;
}

/**
 * How the CLI is started: `npm` is `npm run --silent cli -- …`; `direct` is the executable a user runs
 * without npm, `bin/article-qa …` (spawned as a file, so its `#!/usr/bin/env node` line is part of the
 * time), or `node scripts/launch.mjs src/cli.ts …` in a checkout that has no `bin/article-qa` (an older one).
 */
export type CliLaunch = 'npm' | 'direct';

/** The command and arguments that run the CLI of `repo` with `args`, as `launch` says. */
export function cliCommand(repo: string, launch: CliLaunch, args: readonly string[]): { command: string; args: string[] } {
  if (launch === 'npm') return { command: 'npm', args: ['run', '--silent', 'cli', '--', ...args] };
  const bin = join(repo, 'bin', 'article-qa');
  if (existsSync(bin)) return { command: bin, args: [...args] };
  return { command: process.execPath, args: [join(repo, 'scripts', 'launch.mjs'), 'src/cli.ts', ...args] };
}

/** The CLI's `ask --sources DIR --json < questions`, started as `launch` says; wall time to exit; checks one JSON line per question. */
export function timeCli(
  repo: string,
  sourcesDir: string,
  questionsFile: string,
  expected: number,
  env: Record<string, string> = {},
  launch: CliLaunch = 'npm',
): Promise<TimedRun> {
  return new Promise((resolve) => {
    const input = openSync(questionsFile, 'r');
    const { command, args } = cliCommand(repo, launch, ['ask', '--sources', sourcesDir, '--json']);
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: repo,
      env: { ...process.env, DISCORD_TOKEN: '', ...env },
      stdio: [input, 'pipe', 'pipe'],
    });
    closeSync(input);
    const { stdout, stderr: errors } = child;
    if (stdout === null || errors === null) throw new Error('spawn without pipes');
    let lines = 0;
    let parsedOk = true;
    let tail = '';
    let stderr = '';
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      const parts = (tail + chunk).split('\n');
      tail = parts.pop() ?? '';
      for (const line of parts) {
        if (line === '') continue;
        lines++;
        if (parsedOk && lines % 250 === 1) {
          try {
            JSON.parse(line);
          } catch {
            parsedOk = false;
          }
        }
      }
    });
    errors.setEncoding('utf8');
    errors.on('data', (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (tail.trim() !== '') lines++;
      const problems: string[] = [];
      if (code !== 0) problems.push(`exit code ${code}: ${stderr.trim().slice(0, 300)}`);
      if (lines !== expected) problems.push(`${lines} output lines for ${expected} questions`);
      if (!parsedOk) problems.push('output is not JSON lines');
      resolve(problems.length === 0 ? { ms, ok: true } : { ms, ok: false, note: problems.join('; ') });
    });
  });
}

/**
 * `npm start` with no token and one question piped in: time from spawn to the first byte of the
 * answer on stdout (start-up, loading and indexing the sources, one answer). Waits for exit.
 */
export function timeStartup(repo: string, sourcesDir: string, question: string, timeoutMs: number, env: Record<string, string> = {}): Promise<TimedRun> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: repo,
      env: { ...process.env, DISCORD_TOKEN: '', SOURCES_DIR: sourcesDir, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let firstAnswerMs: number | undefined;
    let killedAfterAnswer = false;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let exitGrace: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', () => {
      if (firstAnswerMs !== undefined) return;
      firstAnswerMs = performance.now() - start;
      // Input has ended; the chat should exit by itself. Do not wait for long if it does not.
      exitGrace = setTimeout(() => {
        killedAfterAnswer = true;
        child.kill('SIGTERM');
      }, 15_000);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    child.stdin.end(`${question}\n`);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (exitGrace !== undefined) clearTimeout(exitGrace);
      if (firstAnswerMs === undefined) {
        resolve({ ms: Number.NaN, ok: false, note: `no answer on stdout (exit ${code}): ${stderr.trim().slice(0, 300)}` });
      } else if (killedAfterAnswer) {
        resolve({ ms: firstAnswerMs, ok: true, note: 'answered, but did not exit within 15 s of end of input (killed)' });
      } else if (code !== 0) {
        resolve({ ms: firstAnswerMs, ok: false, note: `exit code ${code}: ${stderr.trim().slice(0, 300)}` });
      } else {
        resolve({ ms: firstAnswerMs, ok: true });
      }
    });
  });
}
