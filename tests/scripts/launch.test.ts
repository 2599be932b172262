/**
 * scripts/launch.cjs (`npm start`, `npm run cli`, bin/article-qa) runs the compiled build of the sources, building it
 * when the sources changed: it must never run old code, never run half a build, and the compiled
 * program must behave as the sources do (a large article on the reading worker, an HTML article).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A project of three files beside the real launchers and node_modules: small enough to rebuild at will. */
function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qa-launch-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src/sources'), { recursive: true });
  for (const name of ['launch.cjs', 'launch.mjs']) cpSync(join(REPO, 'scripts', name), join(dir, 'scripts', name));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'src/main.ts'), "console.log('main');\n");
  writeFileSync(join(dir, 'src/sources/read-worker.ts'), 'export {};\n');
  writeVersion(dir, 'one');
  return dir;
}

function writeVersion(dir: string, version: string): void {
  writeFileSync(join(dir, 'src/version.ts'), `export const VERSION: string = '${version}';\n`);
  writeFileSync(join(dir, 'src/cli.ts'), "import { VERSION } from './version';\nconsole.log(VERSION, process.argv.slice(2).join(' '));\n");
}

function launch(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, 'scripts/launch.cjs'), 'src/cli.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function builds(dir: string): string[] {
  return readdirSync(join(dir, 'dist')).filter((name) => !name.startsWith('.'));
}

describe('the launcher', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the sources through tsx, with a warning, when it cannot write dist/', () => {
    const blocked = makeProject();
    try {
      writeFileSync(join(blocked, 'dist'), 'not a folder\n');
      const result = launch(blocked, 'x');
      expect(result).toMatchObject({ code: 0, stdout: 'one x\n' });
      expect(result.stderr).toMatch(/^warning: could not build into dist\/ .*running the TypeScript sources through tsx instead\n$/);
    } finally {
      rmSync(blocked, { recursive: true, force: true });
    }
  });

  it('builds on first use, then runs the same build without building again', () => {
    expect(launch(dir, 'a', 'b')).toMatchObject({ code: 0, stdout: 'one a b\n', stderr: '' });
    const [first] = builds(dir);
    expect(existsSync(join(dir, 'dist', first!, 'cli.js'))).toBe(true);
    expect(launch(dir, 'c')).toMatchObject({ code: 0, stdout: 'one c\n' });
    expect(builds(dir)).toEqual([first]);
  });

  it('never runs old code: an edited module, even one the entry only imports, makes a new build', () => {
    launch(dir);
    writeVersion(dir, 'two');
    expect(launch(dir)).toMatchObject({ code: 0, stdout: 'two \n' });
    writeVersion(dir, 'one');
    expect(launch(dir)).toMatchObject({ code: 0, stdout: 'one \n' });
  });

  it('takes the key from the recorded stamps only while every file keeps its stamp: a same-size edit makes a new build', async () => {
    const settled = makeProject();
    try {
      // Stamps are recorded only for files left alone for two seconds.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(launch(settled, 'x')).toMatchObject({ code: 0, stdout: 'one x\n' });
      const recorded = JSON.parse(readFileSync(join(settled, 'dist/.inputs.json'), 'utf8')) as { key: string; paths: string[] };
      expect(builds(settled)).toEqual([recorded.key]);
      expect(recorded.paths).toContain('src/version.ts');
      expect(launch(settled, 'y')).toMatchObject({ code: 0, stdout: 'one y\n' });
      writeVersion(settled, 'owt');
      expect(launch(settled, 'z')).toMatchObject({ code: 0, stdout: 'owt z\n' });
      expect(builds(settled)).toHaveLength(2);
    } finally {
      rmSync(settled, { recursive: true, force: true });
    }
  });

  it('rebuilds a build folder left incomplete (no completion marker) instead of running it', () => {
    writeVersion(dir, 'three');
    launch(dir);
    const current = builds(dir).find((name) => existsSync(join(dir, 'dist', name, 'cli.js')) && readFileSync(join(dir, 'dist', name, 'cli.js'), 'utf8').includes('three'))!;
    rmSync(join(dir, 'dist', current, 'build.json'));
    for (const file of ['cli.js', 'cli.cjs']) writeFileSync(join(dir, 'dist', current, file), "console.log('half a build');\n");
    expect(launch(dir)).toMatchObject({ code: 0, stdout: 'three \n' });
    expect(existsSync(join(dir, 'dist', current, 'build.json'))).toBe(true);
  });

  it('keeps only the newest few builds', () => {
    for (let n = 0; n < 7; n++) {
      writeVersion(dir, `v${n}`);
      expect(launch(dir).stdout).toBe(`v${n} \n`);
    }
    expect(builds(dir).length).toBeLessThanOrEqual(5);
  });

  it('two processes starting at once on new sources both run the new code, and leave one whole build', async () => {
    writeVersion(dir, 'together');
    const run = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [join(dir, 'scripts/launch.cjs'), 'src/cli.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('close', () => resolve(out));
      });
    expect(await Promise.all([run(), run(), run()])).toEqual(['together \n', 'together \n', 'together \n']);
    expect(readdirSync(join(dir, 'dist')).filter((name) => name.startsWith('.tmp'))).toEqual([]);
  });

  it('runs when started through a symbolic link to the project', () => {
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    try {
      const result = spawnSync(process.execPath, [join(link, 'scripts/launch.cjs'), 'src/cli.ts', 'via', 'link'], { encoding: 'utf8' });
      expect(result.stdout).toMatch(/ via link\n$/);
      expect(result.status).toBe(0);
    } finally {
      rmSync(link, { force: true });
    }
  });

  it('refuses an entry point it does not build', () => {
    const result = spawnSync(process.execPath, [join(dir, 'scripts/launch.cjs'), 'src/other.ts'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: node scripts\/launch\.cjs/);
  });

  it('runs as scripts/launch.mjs too (its older name), the same build with the same arguments', () => {
    const viaCjs = launch(dir, 'same', 'args');
    const viaMjs = spawnSync(process.execPath, [join(dir, 'scripts/launch.mjs'), 'src/cli.ts', 'same', 'args'], { encoding: 'utf8' });
    expect({ code: viaMjs.status, stdout: viaMjs.stdout, stderr: viaMjs.stderr }).toEqual(viaCjs);
    expect(viaCjs).toMatchObject({ code: 0, stderr: '' });
  });
});

describe("the CLI's code cache", () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const buildOf = () => join(dir, 'dist', builds(dir)[0]!);
  const cacheOf = (command: string) => {
    const folder = join(buildOf(), 'code-cache');
    const name = readdirSync(folder).find((file) => file.startsWith(`${command}-`) && file.endsWith('.bin'));
    return name === undefined ? undefined : join(folder, name);
  };
  const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest();

  it('is made by the first run of a command and taken, not remade, by the next', () => {
    expect(launch(dir, 'ask', 'first')).toMatchObject({ code: 0, stdout: 'one ask first\n', stderr: '' });
    const cache = cacheOf('ask')!;
    expect(readFileSync(cache).subarray(0, 20)).toEqual(sha1(readFileSync(join(buildOf(), 'cli.cjs'))));
    const made = statSync(cache).mtimeMs;
    expect(launch(dir, 'ask', 'second')).toMatchObject({ code: 0, stdout: 'one ask second\n', stderr: '' });
    // V8 rejecting it would have it written again at exit.
    expect(statSync(cache).mtimeMs).toBe(made);
    expect(launch(dir, 'sources')).toMatchObject({ code: 0, stdout: 'one sources\n' });
    expect(cacheOf('sources')).toBeDefined();
  });

  it('never runs the code of another bundle: one edited to the same length runs as edited', () => {
    launch(dir, 'ask');
    const bundle = join(buildOf(), 'cli.cjs');
    const edited = readFileSync(bundle, 'utf8').replace('"one"', '"owt"');
    writeFileSync(bundle, edited);
    // V8 alone would take the old cache (it checks the source's length) and print "one".
    expect(launch(dir, 'ask', 'again')).toMatchObject({ code: 0, stdout: 'owt ask again\n' });
    expect(readFileSync(cacheOf('ask')!).subarray(0, 20)).toEqual(sha1(edited));
  });

  it('a corrupt cache is made again, and the run is as without it', () => {
    const clean = launch(dir, 'summary', 'x');
    const cache = cacheOf('summary')!;
    const header = readFileSync(cache).subarray(0, 20);
    writeFileSync(cache, Buffer.concat([header, Buffer.from('not a code cache at all'.repeat(40))]));
    expect(launch(dir, 'summary', 'x')).toEqual(clean);
    expect(readFileSync(cache).includes('not a code cache')).toBe(false);
    expect(readdirSync(join(buildOf(), 'code-cache')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a cache damaged inside its payload, at its full length, is made again instead of crashing the run', () => {
    const clean = launch(dir, 'summary', 'y');
    const cache = cacheOf('summary')!;
    const damaged = readFileSync(cache);
    const middle = Math.floor(damaged.length / 2);
    for (let i = middle; i < Math.min(damaged.length, middle + 64); i++) damaged[i] = damaged[i]! ^ 0xff;
    writeFileSync(cache, damaged);
    // Without V8's checksum check this run ends with a V8 fatal error (or hangs).
    expect(launch(dir, 'summary', 'y')).toEqual(clean);
    expect(readFileSync(cache).equals(damaged)).toBe(false);
  });
});

describe('the compiled CLI (npm run cli)', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'qa-compiled-'));
    const articles = join(work, 'articles');
    mkdirSync(articles);
    cpSync(join(REPO, 'tests/fixtures/articles'), articles, { recursive: true });
    // Over 256 KB: read on the worker thread, which the build starts from its own compiled module.
    const filler = 'The committee met again on Tuesday to review the harbour plans in detail. '.repeat(4000);
    writeFileSync(join(articles, 'large.txt'), `---\ntitle: Large report\n---\nThe lighthouse keeper counted 412 gulls on the northern pier.\n\n${filler}\n`);
    writeFileSync(join(articles, 'page.html'), '<html><head><title>Orchard news</title></head><body><article><h1>Orchard news</h1><p>The orchard harvested 9,000 pears this autumn, a record for the valley.</p><p>Pickers worked through three weekends to bring the crop in.</p></article></body></html>');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('answers from a large article, an HTML page and the Markdown ones, as the sources do', () => {
    const questions = 'How many gulls did the lighthouse keeper count?\nHow many pears did the orchard harvest?\nHow high did the river peak?\n';
    const args = ['ask', '--sources', join(work, 'articles'), '--json'];
    const env = { ...process.env, DATA_DIR: join(work, 'data'), SOURCES_DIR: '' };
    const compiled = spawnSync(process.execPath, ['scripts/launch.cjs', 'src/cli.ts', ...args], { cwd: REPO, input: questions, encoding: 'utf8', env });
    const sources = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--no-cache'], { cwd: REPO, input: questions, encoding: 'utf8', env });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    const lines = compiled.stdout.trim().split('\n').map((line) => JSON.parse(line) as { hits: { source: string; text: string }[] });
    expect(lines.map((line) => line.hits[0]?.source)).toEqual(['large.txt', 'page.html', 'flood.md']);
    expect(lines[0]!.hits[0]!.text).toBe('The lighthouse keeper counted 412 gulls on the northern pier.');
    expect(compiled.stdout).toBe(sources.stdout);
  });

  it('runs as bin/article-qa, the command package.json names, from any folder and through a link to it (npm link)', () => {
    const bin = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).bin as Record<string, string>;
    expect(bin).toEqual({ 'article-qa': 'bin/article-qa' });
    const linked = join(work, 'on-path', 'article-qa');
    mkdirSync(join(work, 'on-path'), { recursive: true });
    symlinkSync(join(REPO, 'bin/article-qa'), linked);
    const args = ['ask', '--sources', join(REPO, 'tests/fixtures/articles'), '--json'];
    const env = { ...process.env, DATA_DIR: join(work, 'bin-data'), SOURCES_DIR: '' };
    const questions = 'How high did the river peak?\nWho makes the R21 vaccine?\n';
    const viaLauncher = spawnSync(process.execPath, ['scripts/launch.mjs', 'src/cli.ts', ...args], { cwd: REPO, input: questions, encoding: 'utf8', env });
    expect(viaLauncher.status).toBe(0);
    // Spawned as a file: its #! line and executable bit are what a user's shell runs.
    for (const command of [join(REPO, 'bin/article-qa'), linked]) {
      const direct = spawnSync(command, args, { cwd: work, input: questions, encoding: 'utf8', env });
      expect(direct.stderr, command).toBe('');
      expect(direct.status, command).toBe(0);
      expect(direct.stdout, command).toBe(viaLauncher.stdout);
    }
    expect(viaLauncher.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('code that finds its own files', () => {
  it('goes through src/runtime-files.ts, since in the build every module shares one bundle\'s location', () => {
    // The entry check of the CLI, package resolution (any folder under the root finds node_modules), and
    // the sharding manager, which runs under tsx only.
    const allowed = new Set(['src/runtime-files.ts', 'src/cli.ts', 'src/sources/formats/html-libraries.ts', 'src/discord/sharding/manager.ts']);
    const offenders = spawnSync('grep', ['-rln', 'import.meta.url', 'src'], { cwd: REPO, encoding: 'utf8' })
      .stdout.split('\n')
      .filter((path) => path !== '' && !allowed.has(path));
    expect(offenders).toEqual([]);
  });
});
