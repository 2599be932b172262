import { describe, expect, it } from 'vitest';
import { forTerminal } from '../../src/text/terminal';

describe('forTerminal', () => {
  it('removes terminal escape sequences whole', () => {
    expect(forTerminal('Before\x1b[2Jafter')).toBe('Beforeafter');
    expect(forTerminal('A\x1b]0;pwned title\x07B')).toBe('AB');
    expect(forTerminal('A\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\B')).toBe('AlinkB');
    expect(forTerminal('\x1b[31;1mred\x1b[0m')).toBe('red');
  });

  it('removes other control characters but keeps line feeds, tabs and ordinary Unicode', () => {
    expect(forTerminal('a\x00b\x07c\x08d\x7fe\x9bf\rg')).toBe('abcdefg');
    expect(forTerminal('line 1\n\tline 2 — café 🎉')).toBe('line 1\n\tline 2 — café 🎉');
    expect(forTerminal('abc\u202edcba')).toBe('abcdcba');
  });

  it('is linear on long runs of escape openers', () => {
    expect(forTerminal('\x1b]'.repeat(100_000))).toBe('');
  });
});
