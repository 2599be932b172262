import type { SourceInfo } from '../engine/types';
import type { SourceLookup } from './library-types';

/** How many near names an unknown one is answered with. */
const SUGGESTIONS = 3;

/**
 * What a person means by a source name, the same in every front end: the file name (what Discord's
 * autocomplete sends), else a case-insensitive file name or title, else the one source whose title or
 * file name starts with it. A trailing "…" is ignored, so a shortened title copied from a reply works.
 * Two or more equally good matches are `ambiguous`, never a guess.
 */
export function resolveSourceName(sources: readonly SourceInfo[], name: string): SourceLookup {
  const wanted = name.trim();
  const exact = sources.find((source) => source.id === wanted);
  if (exact !== undefined) return { kind: 'found', source: exact };
  const needle = comparable(wanted.replace(/(…|\.\.\.)$/u, ''));
  if (needle !== '') {
    const tiers = [
      (source: SourceInfo) => comparable(source.id) === needle,
      (source: SourceInfo) => comparable(source.title) === needle,
      (source: SourceInfo) => comparable(source.title).startsWith(needle) || comparable(source.id).startsWith(needle),
    ];
    for (const matches of tiers) {
      const found = sources.filter(matches);
      if (found.length === 1) return { kind: 'found', source: found[0]! };
      if (found.length > 1) return { kind: 'ambiguous', name: wanted, matches: [...found].sort(byTitle) };
    }
  }
  return { kind: 'unknown', name: wanted, suggestions: needle === '' ? [] : rankSources(sources, needle).slice(0, SUGGESTIONS) };
}

function comparable(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function byTitle(a: SourceInfo, b: SourceInfo): number {
  return a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

/** Autocomplete order: exact id, then id or title starting with the query, then containing it. */
export function rankSources(sources: readonly SourceInfo[], query: string): SourceInfo[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...sources].sort((a, b) => a.title.localeCompare(b.title));
  const ranked: { source: SourceInfo; rank: number }[] = [];
  for (const source of sources) {
    const rank = matchRank(source, needle);
    if (rank !== undefined) ranked.push({ source, rank });
  }
  return ranked.sort((a, b) => a.rank - b.rank || a.source.title.localeCompare(b.source.title)).map(({ source }) => source);
}

function matchRank(source: SourceInfo, needle: string): number | undefined {
  const id = source.id.toLowerCase();
  const title = source.title.toLowerCase();
  if (id === needle) return 0;
  if (id.startsWith(needle) || title.startsWith(needle)) return 1;
  if (title.split(/\W+/).some((word) => word.startsWith(needle))) return 2;
  if (id.includes(needle) || title.includes(needle)) return 3;
  const words = needle.split(/\s+/);
  return words.every((word) => title.includes(word) || id.includes(word)) ? 4 : undefined;
}
