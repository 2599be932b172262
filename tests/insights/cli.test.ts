import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsightsStore } from '../../src/insights/store';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'insights', ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: dir, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'insights-cli-'));
  const store = InsightsStore.open({ path: join(dir, 'bot.sqlite') });
  const quotes = [{ source: 'festival.md', title: 'Town festival', sentence: 3, text: 'The festival opens on 4 May.' }];
  const answered = store.record({ guildId: '111', channelId: '5', via: 'slash', question: 'When does the festival open?', answered: true, confident: true, quotes })!;
  store.vote(answered, '111', 'member', -1);
  store.record({ guildId: '111', channelId: '5', via: 'mention', question: 'Who won the cup?', answered: false, declineReason: 'no-match', quotes: [] });
  store.record({ guildId: '222', channelId: '6', via: 'slash', question: 'A question from another server', answered: false, quotes: [] });
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cli insights', () => {
  it('prints one JSON line per recorded answer of that server only, from DATA_DIR/bot.sqlite', () => {
    const { code, stdout, stderr } = cli(['--guild', '111', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        id: expect.any(Number), askedAt: expect.any(String), channel: '5', via: 'slash', question: 'When does the festival open?',
        answered: true, confident: true, declineReason: null, up: 0, down: 1,
        quotes: [{ source: 'festival.md', title: 'Town festival', sentence: 3, text: 'The festival opens on 4 May.' }],
      },
      expect.objectContaining({ question: 'Who won the cup?', answered: false, confident: null, declineReason: 'no-match', quotes: [] }),
    ]);
  });

  it('prints the report and the CSV', () => {
    const report = cli(['--guild', '111', '--days', '30']);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('2 questions: 1 answered (0 without confidence), 1 declined; votes 👍 0 👎 1');
    expect(report.stdout).toContain('1× won, cup: "Who won the cup?"');
    expect(report.stdout).toContain('quoted: "The festival opens on 4 May." — Town festival, sentence 3 (festival.md)');
    expect(report.stdout).not.toContain('another server');
    const csv = cli(['--guild', '111', '--csv']);
    expect(csv.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('says what is wrong: no --guild lists the servers, a missing file, a bad --days', () => {
    const noGuild = cli([]);
    expect(noGuild.code).toBe(2);
    expect(noGuild.stderr).toMatch(/--guild is required; servers recorded in .*bot\.sqlite: 111, 222/);
    const missing = cli(['--guild', '111'], { DATA_DIR: join(dir, 'nowhere') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no insights database at .*nowhere\/bot\.sqlite/);
    expect(cli(['--guild', '111', '--days', '0']).code).toBe(2);
    expect(cli(['--guild', '111', '--json', '--csv']).code).toBe(2);
  });
});
