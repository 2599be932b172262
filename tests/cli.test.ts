import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const articles = fileURLToPath(new URL('fixtures/articles', import.meta.url));

function cli(args: string[], input?: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root, input, encoding: 'utf8', env: { ...process.env, SOURCES_DIR: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cli', () => {
  it('answers one question as JSON with attribution', () => {
    const { code, stdout, stderr } = cli(['ask', 'Where was the first meeting held?', '--sources', 'seeds', '--json', '--top', '2']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const line = JSON.parse(stdout);
    expect(line).toMatchObject({ question: 'Where was the first meeting held?', answered: true });
    expect(line.hits).toHaveLength(2);
    expect(line.hits[0]).toEqual({
      source: '000_a08a99f93af952b7.txt', title: expect.any(String), url: null, sentence: 2,
      text: 'The first meeting between the two leaders was held in Singapore in June.', score: expect.any(Number),
    });
  });

  it('answers each line of standard input in order, declines included', () => {
    const input = 'How high did the river peak?\nwhat is the capital of France?\n\nWho makes the R21 vaccine?\n';
    const { code, stdout } = cli(['ask', '--sources', articles, '--json'], input);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.question, l.answered])).toEqual([
      ['How high did the river peak?', true], ['what is the capital of France?', false], ['Who makes the R21 vaccine?', true],
    ]);
    expect(lines[0].hits[0]).toMatchObject({ source: 'flood.md', url: 'https://news.example.org/2024/03/valley-floods' });
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

  it('exits 2 with the usage for bad usage', () => {
    for (const args of [[], ['frobnicate'], ['ask', '--top', 'x'], ['sources', '--top', '2'], ['ask', '--wat']]) {
      const { code, stderr } = cli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('Usage: npm run --silent cli');
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
