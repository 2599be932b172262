import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, humanLogLine } from '../src/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, destination };
}

describe('human log lines (the console chat)', () => {
  it('writes a readable line per entry: level unless info, message, details; error messages without stacks', () => {
    const { lines, destination } = capture();
    const logger = createLogger('info', { destination, human: true, secrets: ['s3cret-token-value'] });
    logger.info({ sources: 3, path: 'seeds' }, 'sources loaded');
    logger.warn({ err: new Error('EMFILE: too many open files'), path: 'seeds' }, 'watching the sources stopped working; use /reload');
    logger.error('token s3cret-token-value leaked?');
    expect(lines).toEqual([
      'sources loaded (sources: 3, path: seeds)\n',
      'warn: watching the sources stopped working; use /reload (err: EMFILE: too many open files, path: seeds)\n',
      'error: token [redacted] leaked?\n',
    ]);
  });

  it('passes through a line that is not JSON', () => {
    expect(humanLogLine('plain\n')).toBe('plain\n');
  });

  it('stays JSON for the bot', () => {
    const { lines, destination } = capture();
    createLogger('info', { destination }).info({ sources: 3 }, 'sources loaded');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'sources loaded', sources: 3 });
  });
});
