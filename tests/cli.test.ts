import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STDIN_HINT } from '../src/cli';
import { respond } from '../src/console/chat';
import { ArticleLibrary } from '../src/sources/library';
import { ServerLibraries } from '../src/sources/server-libraries';
import { summaryLengthError } from '../src/sources/summary-length';

const root = fileURLToPath(new URL('..', import.meta.url));
const articles = fileURLToPath(new URL('fixtures/articles', import.meta.url));

/** A DATA_DIR of the tests' own, so that a cache the repository's var/ holds (from another version) never shows in their output. */
const testData = mkdtempSync(join(tmpdir(), 'qa-cli-data-'));
afterAll(() => rmSync(testData, { recursive: true, force: true }));

function cli(args: string[], input?: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root, input, encoding: 'utf8', env: { ...process.env, SOURCES_DIR: '', DATA_DIR: testData, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same CLI in this process (no start-up cost): standard input from `input`, a terminal when `isTTY`. */
async function runInProcess(args: string[], input = '', isTTY = false) {
  const stdin = Object.assign(Readable.from([input]), { isTTY });
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') => new Writable({ write: (chunk, _enc, done) => ((out[key] += String(chunk)), done()) });
  const code = await runCli(args, { stdin, stdout: sink('stdout'), stderr: sink('stderr') });
  return { code, ...out };
}

describe('cli', () => {
  it('answers one question as JSON with attribution', () => {
    const { code, stdout, stderr } = cli(['ask', 'Where was the first meeting held?', '--sources', 'seeds', '--json', '--top', '2']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const line = JSON.parse(stdout);
    expect(line).toMatchObject({ question: 'Where was the first meeting held?', answered: true, confident: true });
    expect(line.hits).toHaveLength(2);
    expect(line.hits[0]).toEqual({
      source: '000_a08a99f93af952b7.txt', title: expect.any(String), url: null, sentence: 2,
      text: 'The first meeting between the two leaders was held in Singapore in June.', score: expect.any(Number),
    });
  });

  it('answers each line of standard input in order, one output line per input line, blank ones declined', () => {
    const input = 'How high did the river peak?\nwhat is the capital of France?\n\n   \nWho makes the R21 vaccine?\n';
    const { code, stdout } = cli(['ask', '--sources', articles, '--json'], input);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.every((l) => typeof l.confident === 'boolean' && (l.answered || !l.confident))).toBe(true);
    expect(lines.map((l) => [l.question, l.answered])).toEqual([
      ['How high did the river peak?', true], ['what is the capital of France?', false], ['', false], ['   ', false],
      ['Who makes the R21 vaccine?', true],
    ]);
    expect(lines[0].hits[0]).toMatchObject({ source: 'flood.md', url: 'https://news.example.org/2024/03/valley-floods' });
  });

  it('with --conversation, asks a follow-up of the article of the previous answer and says so', () => {
    const input = 'How high did the river peak?\nWhat did the mayor say?\n';
    const alone = cli(['ask', '--sources', articles, '--json'], input).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(alone[1].hits[0].source).toBe('election.txt');
    const { code, stdout } = cli(['ask', '--sources', articles, '--json', '--conversation'], input);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[1]).toMatchObject({ answered: true, followUp: 'flood.md' });
    expect(lines[1].hits[0].text).toMatch(/never seen water/);
  });

  it('writes summaries and sources as JSON lines', () => {
    const summary = cli(['summary', '--sources', articles, '--source', 'vaccine.txt', '--sentences', '2', '--json']);
    expect(summary.code).toBe(0);
    const parsed = JSON.parse(summary.stdout);
    expect(parsed.source).toBe('vaccine.txt');
    expect(parsed.sentences).toHaveLength(2);
    const sources = cli(['sources', '--sources', articles, '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(sources.map((s) => [s.source, s.sentences])).toEqual([['election.txt', 8], ['flood.md', 10], ['vaccine.txt', 6]]);
  });

  it('exits 2 with the usage for bad usage', async () => {
    for (const args of [[], ['frobnicate'], ['ask', '--top', 'x'], ['sources', '--top', '2'], ['ask', '--wat']]) {
      const { code, stderr } = await runInProcess(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('Usage: bin/article-qa <command> [options]   (or: npm run --silent cli -- <command> [options])');
    }
  });

  it('refuses an invalid MAX_SOURCE_BYTES instead of reading without a limit', () => {
    const { code, stderr } = cli(['sources'], undefined, { MAX_SOURCE_BYTES: 'lots' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: .*MAX_SOURCE_BYTES must be a whole number/);
  });

  it('exits 1 with a one-line reason for a missing path or an unknown source', () => {
    const missing = cli(['ask', 'x', '--sources', 'no/such/dir']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('error: cannot read sources at no/such/dir: it does not exist');
    const unknown = cli(['summary', '--sources', articles, '--source', 'nope.txt']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('cli as a new user meets it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qa-cli-'));
    await mkdir(join(dir, 'empty'));
    await mkdir(join(dir, 'unusable'));
    await writeFile(join(dir, 'unusable', 'blank.txt'), '');
    await writeFile(join(dir, 'unusable', 'binary.txt'), Buffer.from([0, 1, 2, 3, 0, 255, 0, 7]));
    await mkdir(join(dir, 'similar'));
    await writeFile(join(dir, 'similar', 'a.md'), '---\ntitle: Harbour bridge reopens\n---\nThe harbour bridge reopened on Friday.');
    await writeFile(join(dir, 'similar', 'b.md'), '---\ntitle: Harbour strike ends\n---\nDock workers returned on Monday.');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails with where it looked when no articles are loaded, for an empty folder and for only unusable files', async () => {
    const empty = cli(['ask', 'Where was it held?', '--sources', join(dir, 'empty')]);
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe('');
    expect(empty.stderr.trim()).toBe(`error: No articles are loaded from ${join(dir, 'empty')}: no usable .txt, .md or .html article.`);
    const unusable = await runInProcess(['summary', '--sources', join(dir, 'unusable')]);
    expect(unusable.code).toBe(1);
    expect(unusable.stderr).toMatch(/^skipped binary\.txt: .*\nskipped blank\.txt: .*\nerror: No articles are loaded from .*unusable: .*\(2 files skipped, see above\)\.\n$/);
    // Listing none is an answer: exit 0, nothing on stdout, where it looked on stderr.
    const sources = await runInProcess(['sources', '--sources', join(dir, 'empty'), '--json']);
    expect([sources.code, sources.stdout]).toEqual([0, '']);
    expect(sources.stderr).toContain(`No articles are loaded from ${join(dir, 'empty')}`);
  });

  it('says an unknown option with balanced quotes', async () => {
    const { code, stderr } = cli(['ask', '--foo']);
    expect(code).toBe(2);
    const first = stderr.split('\n')[0]!;
    expect(first).toBe('error: unknown option "--foo". A question that starts with "-" goes after "--": ask -- "--foo"');
    expect((first.match(/"/g) ?? []).length % 2).toBe(0);
    expect((first.match(/'/g) ?? []).length % 2).toBe(0);
    expect((await runInProcess(['summary', '--foo'])).stderr.split('\n')[0]).toBe('error: unknown option "--foo"');
  });

  it('says which option lacks its value, with an example, and which switch takes none', async () => {
    const ask = await runInProcess(['ask', 'Who won?', '--top']);
    expect(ask.code).toBe(2);
    expect(ask.stderr.split('\n')[0]).toBe('error: --top needs a value after it (e.g. --top 3)');
    expect((await runInProcess(['summary', '--sentences'])).stderr.split('\n')[0]).toBe('error: --sentences needs a value after it (e.g. --sentences 3)');
    expect((await runInProcess(['ask', 'Who won?', '--json=yes'])).stderr.split('\n')[0]).toBe('error: --json takes no value: write --json alone');
    expect((await runInProcess(['ask', 'Who won?', '--help=1'])).stderr.split('\n')[0]).toBe('error: --help takes no value: write --help alone');
  });

  it('quotes the whole question in the hint when a question of several words starts with "-"', async () => {
    const first = (await runInProcess(['ask', '-5 degrees?'])).stderr.split('\n')[0]!;
    expect(first).toBe('error: unknown option "-5". A question that starts with "-" goes after "--": ask -- "-5 degrees?"');
  });

  it('takes summary lengths 1 to 10, the same range and message as the console', async () => {
    expect((await runInProcess(['summary', '--sources', articles, '--source', 'vaccine.txt', '--sentences', '10', '--json'])).code).toBe(0);
    for (const bad of ['11', '0', '2.5', 'x']) {
      const { code, stderr } = await runInProcess(['summary', '--sources', articles, '--sentences', bad]);
      expect(code, bad).toBe(2);
      expect(stderr.split('\n')[0]).toBe(`error: ${summaryLengthError(bad)}`);
    }
    const { library } = await ArticleLibrary.open({ sourcesPath: articles });
    expect(await respond(library, '/summary 11')).toBe(summaryLengthError('11'));
    expect(summaryLengthError('11')).toBe('A summary has 1 to 10 sentences, not "11".');
  });

  it('names a source by file name, title or an unambiguous start of a title, any case', async () => {
    const ids = async (args: string[]) => (await runInProcess([...args, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l).source);
    expect(await ids(['summary', '--sources', join(dir, 'similar'), '--source', 'b.md'])).toEqual(['b.md']);
    expect(await ids(['summary', '--sources', join(dir, 'similar'), '--source', 'harbour STRIKE'])).toEqual(['b.md']);
    expect(await ids(['summary', '--sources', join(dir, 'similar'), '--source', 'Harbour bridge reopens'])).toEqual(['a.md']);
    const asked = await runInProcess(['ask', 'When did the bridge reopen?', '--sources', join(dir, 'similar'), '--source', 'harbour b', '--json']);
    expect(JSON.parse(asked.stdout).hits.map((h: { source: string }) => h.source)).toEqual(['a.md']);
    // A question the named article does not answer says that of the article, not of every loaded one.
    const declined = await runInProcess(['ask', 'When did the dock workers return?', '--sources', join(dir, 'similar'), '--source', 'harbour b']);
    expect(declined.stdout).toBe('Q: When did the dock workers return?\n“Harbour bridge reopens” (a.md) does not answer that. Ask without a source to search every article.\n\n');
    const ambiguous = await runInProcess(['summary', '--sources', join(dir, 'similar'), '--source', 'harbour']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr.trim()).toBe(
      'error: "harbour" matches 2 articles: Harbour bridge reopens (a.md); Harbour strike ends (b.md). Give more of the title, or the file name.',
    );
  });
});

describe('cli ask with no question', () => {
  it('says it reads questions from standard input, one a line, only when standard input is a terminal', async () => {
    const terminal = await runInProcess(['ask', '--sources', articles], 'How high did the river peak?\n', true);
    expect(terminal.code).toBe(0);
    expect(terminal.stderr).toBe(`${STDIN_HINT}\n`);
    expect(STDIN_HINT).toMatch(/^Reading questions from standard input, one a line/);
    expect(terminal.stdout).toMatch(/^Q: How high did the river peak\?\n1\. /);
    const piped = await runInProcess(['ask', '--sources', articles], 'How high did the river peak?\n', false);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe(terminal.stdout);
  });

  // The real program on a real terminal (a pty from util-linux `script`), so the isTTY path above is the one it takes.
  it.skipIf(spawnSync('script', ['--version']).status !== 0)('shows the hint on a real terminal and ends at Ctrl+D', async () => {
    const child = spawn('script', ['-qfec', `${process.execPath} --import tsx src/cli.ts ask --sources seeds`, '/dev/null'], {
      cwd: root, env: { ...process.env, SOURCES_DIR: '' },
    });
    let seen = '';
    let sentEof = false;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (!sentEof && seen.includes(STDIN_HINT)) {
        sentEof = true;
        child.stdin.write('\x04');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(seen).toContain(STDIN_HINT);
    expect(code).toBe(0);
  }, 30_000);
});

describe('cli: the analysis cache', () => {
  let data: string;
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'qa-cli-cache-'));
  });
  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
  });

  it('fills DATA_DIR/cache, answers the same from it, shows it with --stats and empties it with --clear', () => {
    const env = { DATA_DIR: data };
    const none = cli(['ask', 'How high did the river peak?', '--sources', articles, '--json', '--no-cache'], undefined, env);
    expect(cli(['cache', '--stats'], undefined, env).stdout).toMatch(/is empty/);
    const cold = cli(['ask', 'How high did the river peak?', '--sources', articles, '--json'], undefined, env);
    const warm = cli(['ask', 'How high did the river peak?', '--sources', articles, '--json'], undefined, env);
    expect(warm.stderr).toBe('');
    expect(warm.stdout).toBe(none.stdout);
    expect(cold.stdout).toBe(none.stdout);
    const stats = cli(['cache', '--stats', '--json'], undefined, env);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ documents: expect.any(Number), sentences: expect.any(Number), bytes: expect.any(Number) });
    expect(cli(['cache', '--clear'], undefined, env).stdout).toMatch(/Removed 1 cache file/);
    expect(cli(['cache', '--stats'], undefined, env).stdout).toMatch(/is empty/);
  }, 120_000);

  it('INDEX_CACHE=false leaves the cache alone; cache needs one of --stats or --clear', () => {
    const env = { DATA_DIR: data, INDEX_CACHE: 'false' };
    expect(cli(['ask', 'How high did the river peak?', '--sources', articles], undefined, env).code).toBe(0);
    expect(cli(['cache', '--stats'], undefined, env).stdout).toMatch(/is empty/);
    expect(cli(['cache'], undefined, env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/exactly one of --stats and --clear/) });
    expect(cli(['sources', '--stats'], undefined, env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--stats goes only with "cache"/) });
  }, 120_000);
});

describe('cli and the analysis cache it writes in the background', () => {
  it('returns only once the cache file has landed whole: nothing is left writing into DATA_DIR', async () => {
    const data = await mkdtemp(join(tmpdir(), 'qa-cli-settled-'));
    try {
      const { code } = await runInProcess(['ask', 'How high did the river peak?', '--sources', articles, '--data-dir', data, '--json']);
      expect(code).toBe(0);
      const files = await readdir(join(data, 'cache'));
      expect(files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expect(files).toHaveLength(1);
      const stats = await runInProcess(['cache', '--stats', '--json', '--data-dir', data]);
      expect(JSON.parse(stats.stdout)).toMatchObject({ documents: expect.any(Number) });
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});

describe('cli text output of hostile articles (issue 15)', () => {
  it('prints no terminal escapes or control characters from article text, while --json keeps them escaped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qa-cli-escapes-'));
    try {
      const text = 'The harbour\x1b[2J wall\x1b]0;owned\x07 reopened on Friday.\n\nThe council\x07 paid for the\x9b repairs.';
      await writeFile(join(dir, 'wall.txt'), text);
      for (const args of [['ask', 'When did the harbour wall reopen?'], ['summary'], ['sources']]) {
        const { code, stdout, stderr } = await runInProcess([...args, '--sources', dir]);
        expect(code).toBe(0);
        expect(stdout).toContain('harbour wall reopened on Friday');
        // eslint-disable-next-line no-control-regex -- looking for control characters
        expect(stdout + stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      }
      const json = await runInProcess(['ask', 'When did the harbour wall reopen?', '--sources', dir, '--json']);
      expect(JSON.parse(json.stdout).hits[0].text).toBe('The harbour\x1b[2J wall\x1b]0;owned\x07 reopened on Friday.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("cli --guild: one server's articles as the bot answers them there (issue 11)", () => {
  const A = '111111111111111111';
  const B = '222222222222222222';
  let data: string;
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'qa-cli-guild-'));
    await mkdir(join(data, 'guilds', A, 'articles'), { recursive: true });
    await mkdir(join(data, 'guilds', B, 'articles'), { recursive: true });
    await writeFile(join(data, 'guilds', A, 'articles', 'lighthouse.md'), '---\ntitle: Lighthouse keeper retires\n---\nThe lighthouse keeper retired in 1998 after forty years on the island.');
    await writeFile(join(data, 'guilds', B, 'articles', 'orchard.md'), '---\ntitle: Orchard festival\n---\nThe orchard harvest festival drew ten thousand visitors to the village.');
  });
  afterAll(async () => {
    // runCli returns only once its cache writes have landed: nothing is left writing into the folder.
    await rm(data, { recursive: true, force: true });
  });
  const run = (args: string[]) => runInProcess([...args, '--sources', articles, '--data-dir', data]);

  it("answers from the shared articles plus that server's own, exactly as the bot's ServerLibraries does", async () => {
    const { library: shared } = await ArticleLibrary.open({ sourcesPath: articles });
    const server = await new ServerLibraries({ shared, dataDir: data }).forServer(A);
    for (const question of ['When did the lighthouse keeper retire?', 'How high did the river peak?']) {
      const { code, stdout, stderr } = await run(['ask', question, '--guild', A, '--json']);
      expect([code, stderr]).toEqual([0, '']);
      const line = JSON.parse(stdout);
      const bot = server.ask(question);
      expect(line.answered).toBe(true);
      expect(line.hits.map((h: { source: string; sentence: number }) => [h.source, h.sentence])).toEqual(bot.hits.map((h) => [h.source, h.sentence]));
    }
    expect(JSON.parse((await run(['ask', 'When did the lighthouse keeper retire?', '--guild', A, '--json'])).stdout).hits[0].source).toBe('lighthouse.md');
    // Server B never sees A's article, and without --guild only the shared folder is searched.
    const inB = JSON.parse((await run(['ask', 'When did the lighthouse keeper retire?', '--guild', B, '--json'])).stdout);
    expect(inB.hits.map((h: { source: string }) => h.source)).not.toContain('lighthouse.md');
    const plain = JSON.parse((await run(['ask', 'When did the lighthouse keeper retire?', '--json'])).stdout);
    expect(plain.hits.map((h: { source: string }) => h.source)).not.toContain('lighthouse.md');
  });

  it('lists and summarises one server: shared articles marked, its own, never another server\'s', async () => {
    const listed = await run(['sources', '--guild', A, '--json']);
    expect(listed.code).toBe(0);
    const sources = listed.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(sources.map((s) => [s.source, s.shared])).toEqual([['election.txt', true], ['flood.md', true], ['vaccine.txt', true], ['lighthouse.md', false]]);
    const text = await run(['sources', '--guild', A]);
    expect(text.stdout).toMatch(/^election\.txt\t8 sentences\t.+\tshared$/m);
    expect(text.stdout).toMatch(/^lighthouse\.md\t1 sentences\tLighthouse keeper retires\tserver$/m);
    expect(text.stdout).not.toContain('orchard');
    const summary = await run(['summary', '--guild', A, '--source', 'lighthouse', '--json']);
    expect(summary.code).toBe(0);
    expect(JSON.parse(summary.stdout)).toMatchObject({ source: 'lighthouse.md', title: 'Lighthouse keeper retires' });
    const other = await run(['summary', '--guild', B, '--source', 'lighthouse.md']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^error: No source named "lighthouse\.md" is loaded\./);
  });

  it('takes DATA_DIR from the environment as the bot does', async () => {
    const before = process.env.DATA_DIR;
    process.env.DATA_DIR = data;
    try {
      const { code, stdout } = await runInProcess(['ask', 'When did the lighthouse keeper retire?', '--sources', articles, '--guild', A, '--json']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).hits[0].source).toBe('lighthouse.md');
    } finally {
      if (before === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = before;
    }
  });

  it('a server with no folder answers from the shared articles and says so on stderr, creating nothing', async () => {
    const C = '333333333333333333';
    const { code, stdout, stderr } = await run(['ask', 'How high did the river peak?', '--guild', C, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).hits[0].source).toBe('flood.md');
    expect(stderr).toBe(`Server ${C} has no articles of its own (no folder ${join(data, 'guilds', C, 'articles')}): answering from the shared articles only.\n`);
    expect(existsSync(join(data, 'guilds', C))).toBe(false);
  });

  it('a --guild that is not a Discord server id is bad usage, and never becomes a path', async () => {
    for (const guild of ['abc', '../111111111111111111', '12 34', '', '1'.repeat(21)]) {
      const { code, stdout, stderr } = await run(['ask', 'When did the lighthouse keeper retire?', '--guild', guild]);
      expect([code, stdout], guild).toEqual([2, '']);
      expect(stderr.split('\n')[0]).toMatch(/^error: --guild takes a Discord server id \(digits only\), got "/);
    }
    expect((await runInProcess(['cache', '--stats', '--guild', A])).stderr).toMatch(/^error: --guild does not go with "cache"/);
  });
});
