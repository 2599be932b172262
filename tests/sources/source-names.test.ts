import { describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../src/sources/library-types';
import { resolveSourceName } from '../../src/sources/source-names';

const at = new Date(0);
const source = (id: string, title: string): SourceInfo => ({ id, title, sentences: 3, loadedAt: at });
const sources = [
  source('000_a08a99f93af952b7.txt', 'North Korean leader Kim Jong-un has written a "very warm" letter to US…'),
  source('floods.md', 'River floods force thousands from homes'),
  source('river-2.md', 'River floods: the clean-up begins'),
  source('Vote.txt', 'Mayor wins a second term'),
];
const found = (name: string) => {
  const lookup = resolveSourceName(sources, name);
  return lookup.kind === 'found' ? lookup.source.id : lookup.kind;
};

describe('resolveSourceName', () => {
  it('takes a file name, exactly or in any case', () => {
    expect(found('floods.md')).toBe('floods.md');
    expect(found('vote.txt')).toBe('Vote.txt');
    expect(found(' FLOODS.MD ')).toBe('floods.md');
  });

  it('takes a title, or an unambiguous start of one, in any case and spacing', () => {
    expect(found('Mayor wins a second term')).toBe('Vote.txt');
    expect(found('north')).toBe('000_a08a99f93af952b7.txt');
    expect(found('NORTH   korean leader')).toBe('000_a08a99f93af952b7.txt');
    expect(found('River floods force')).toBe('floods.md');
    expect(found('000_a08')).toBe('000_a08a99f93af952b7.txt');
  });

  it('ignores a trailing ellipsis, so a shortened title copied from a reply works', () => {
    expect(found('North Korean leader Kim Jong-un has written a "very warm" letter to US…')).toBe('000_a08a99f93af952b7.txt');
    expect(found('River floods force…')).toBe('floods.md');
    expect(found('Mayor wins...')).toBe('Vote.txt');
  });

  it('an exact title wins over a longer title it starts', () => {
    const withPrefixTitle = [...sources, source('short.md', 'River floods')];
    const lookup = resolveSourceName(withPrefixTitle, 'river floods');
    expect(lookup.kind === 'found' && lookup.source.id).toBe('short.md');
  });

  it('lists the matches of an ambiguous start, by title', () => {
    expect(resolveSourceName(sources, 'river flo')).toEqual({
      kind: 'ambiguous', name: 'river flo', matches: [sources[1], sources[2]].sort((a, b) => a!.title.localeCompare(b!.title)),
    });
  });

  it('says unknown, with near names, for no match; nothing for an empty name', () => {
    const lookup = resolveSourceName(sources, 'clean-up');
    expect(lookup.kind).toBe('unknown');
    expect(lookup.kind === 'unknown' && lookup.suggestions.map((s) => s.id)).toEqual(['river-2.md']);
    expect(resolveSourceName(sources, '   ')).toEqual({ kind: 'unknown', name: '', suggestions: [] });
    expect(resolveSourceName([], 'north')).toEqual({ kind: 'unknown', name: 'north', suggestions: [] });
  });
});
