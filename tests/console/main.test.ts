/** `npm start` with no DISCORD_TOKEN, as a new user runs it: a real process, a real .env, real files. */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;

/** The console chat started in `dir` (so it reads `dir/.env`), with `input` piped in. */
function start(input: string, env: Record<string, string> = {}) {
  const clean = { ...process.env };
  for (const name of ['DISCORD_TOKEN', 'LOG_LEVEL', 'SOURCES_DIR', 'MAX_SOURCE_BYTES', 'SOURCES_WATCH']) delete clean[name];
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/main.ts')], {
    cwd: dir, input, encoding: 'utf8', env: { ...clean, ...env }, timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-console-main-'));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  await mkdir(join(dir, 'seeds'));
  await copyFile(join(root, 'seeds/000_a08a99f93af952b7.txt'), join(dir, 'seeds/000_a08a99f93af952b7.txt'));
  await writeFile(join(dir, 'seeds/blank.txt'), '');
  await mkdir(join(dir, 'none'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm start without a token', () => {
  it('copying .env.example to .env leaves the console chat at its quiet level', async () => {
    expect(parse(await readFile(join(root, '.env.example'))).LOG_LEVEL).toBeUndefined();
  });

  it('prints human lines, never JSON logs, even at LOG_LEVEL=info; shows each piped question before its answer', async () => {
    await writeFile(join(dir, '.env'), `${await readFile(join(root, '.env.example'), 'utf8')}\nLOG_LEVEL=info\n`);
    const { code, stdout, stderr } = start('q1\nWhere was the first meeting held?\n');
    expect(code).toBe(0);
    const logLines = stderr.trim().split('\n');
    expect(logLines.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
    expect(logLines).toContain('skipped blank.txt: the file is empty');
    expect(stderr).toMatch(/^sources loaded \(sources: 1, sentences: 24, /m);
    expect(stdout).toMatch(/^> q1\n.+\n\n> Where was the first meeting held\?\n1\. “The first meeting between/);
  });

  it('says no articles are loaded, and where it looked, for questions and commands', async () => {
    await writeFile(join(dir, '.env'), 'SOURCES_DIR=none\n');
    const { code, stdout } = start('Where was the first meeting held?\n/summary\n/sources\n');
    expect(code).toBe(0);
    const advice = 'No articles are loaded from none: add .txt, .md or .html article files there and type /reload.';
    expect(stdout).toBe(`> Where was the first meeting held?\n${advice}\n\n> /summary\n${advice}\n\n> /sources\n${advice}\n`);
  });
});
