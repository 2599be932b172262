import { readFileSync } from 'node:fs';
import { packageFile } from '../runtime-files';
import type { BackgroundFrequencies } from './background';
import type { SentenceIndex } from './sentence-index';

/**
 * Scoped vocabulary expansion: a question word the searched articles do not have at all may meet the
 * article's own word for it ("decide" → "decision", "wounded" → "injured", "inamtes" → "inmates"), at
 * a reduced weight. Blind expansion (every word, every sense) lost accuracy; here a word is expanded
 * only when it is missing from the searched text, and only with relations of the senses that carry
 * most of its use (data/expansions.tsv, derived from WordNet by scripts/build-expansions.ts).
 */
export type Relation = 'synonym' | 'derivation' | 'hypernym' | 'hyponym';

export interface ExpansionOptions {
  /** Weight of a related term, as a share of its own IDF and of the question word's topicality; 0 turns a relation off. */
  weights: Record<Relation, number>;
  /**
   * Weight of a term of the searched text spelt within one edit (a letter added, dropped, changed or
   * two swapped) of a question word it lacks: typos ("inamtes", "Orabator") and British or American
   * spelling ("apologised"); 0 turns it off.
   */
  spellingWeight: number;
  /** The shortest term (in letters, both sides) a near spelling is looked for. */
  spellingMinLength: number;
  /**
   * A question word outside general English also meets, at `spellingWeight`, a term of the searched text
   * that begins with it or that it begins with, at most this many letters longer (both at least
   * `spellingMinLength`) and the rest an English ending (`ENGLISH_ENDINGS`): a clipped word ("supersed"
   * for "superseded") or a form the stemmer keeps apart ("irishly" → "irish"), not another name ("Clint"
   * is not "Clinton"). Looked for only in a text of at most `meaningScan` tokens; 0 turns it off.
   */
  prefixLetters: number;
  /** The least share of the word's use (its WordNet senses weighted by tag counts) in senses with the relation. */
  minShare: number;
  /** At most this many related terms per question word, strongest first. */
  maxPerWord: number;
  /**
   * Weight of a term of the searched text close in meaning (word vectors, `word-vectors.ts`) to a
   * question word it lacks, times how close it is above `meaningFloor` (0 turns it off).
   */
  meaningWeight: number;
  /** The least cosine for such a term; 1 would give it the full weight. */
  meaningFloor: number;
  /**
   * Share of that weight counted as the question word's topicality (how much of the question the
   * sentence and the articles hold, which the declines and the confidence read): below 1, a sentence
   * near in meaning ranks higher without making an off-topic question look answered.
   */
  meaningTopicality: number;
  /** At most this many such terms per question word, closest first. */
  meaningNeighbours: number;
  /** The searched text's terms are compared with the word when it has at most this many tokens (an article or a few). */
  meaningScan: number;
  /** Else the index's whole vocabulary is, when it has at most this many terms (0: never). */
  meaningVocabulary: number;
}

/**
 * Measured on every dev set (README.md, Quality): derivations and near spellings won everywhere or were
 * neutral; synonyms, one hypernym step and one hyponym step cost paraphrased SQuAD or off-topic declines,
 * so they are off (and data/expansions.tsv, built with --relations d, holds derivations only). Words of
 * like meaning (word vectors) won on NewsQA (72.8 → 75.2 % top-1) and qa-dev (76.0 → 76.5 %), the other
 * sets within a question; scanning a large index's vocabulary for them did not pay for its cost.
 */
export const DEFAULT_EXPANSION: ExpansionOptions = {
  weights: { synonym: 0, derivation: 0.5, hypernym: 0, hyponym: 0 },
  spellingWeight: 0.5,
  spellingMinLength: 5,
  prefixLetters: 3,
  minShare: 0.2,
  maxPerWord: 8,
  meaningWeight: 0.3,
  meaningFloor: 0.6,
  meaningTopicality: 0.3,
  meaningNeighbours: 3,
  meaningScan: 50_000,
  meaningVocabulary: 0,
};

/** A term that may stand for a question word the articles lack. */
export interface RelatedTerm {
  term: string;
  weight: number;
  /** Position, in the question's distinct terms, of the word it stands for. */
  of: number;
}

const KINDS: Record<string, Relation> = { s: 'synonym', d: 'derivation', h: 'hypernym', o: 'hyponym' };

interface Entry { term: string; relation: Relation; share: number }

/** The expansion table: index term (or "stem+particle") → its related terms, parsed on first lookup. */
export class ExpansionTable {
  private readonly parsed = new Map<string, readonly Entry[]>();

  constructor(private readonly lines: ReadonlyMap<string, string>) {}

  static parse(text: string): ExpansionTable {
    const lines = new Map<string, string>();
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (text.charCodeAt(start) !== 35 /* # */) {
        const tab = text.indexOf('\t', start);
        if (tab > start && tab < end) lines.set(text.slice(start, tab), text.slice(tab + 1, end));
      }
      start = end + 1;
    }
    return new ExpansionTable(lines);
  }

  get size(): number {
    return this.lines.size;
  }

  related(key: string): readonly Entry[] {
    let entries = this.parsed.get(key);
    if (entries !== undefined) return entries;
    const line = this.lines.get(key);
    entries = line === undefined ? [] : line.split(',').map((item) => {
      const space = item.indexOf(' ');
      return { term: item.slice(0, space), relation: KINDS[item[space + 1]!]!, share: Number(item.slice(space + 2)) / 100 };
    });
    this.parsed.set(key, entries);
    return entries;
  }
}

const FILE = packageFile('data/expansions.tsv');
let loaded: ExpansionTable | undefined;

/** The table in data/, read on the first question that needs it (not at start-up). */
export function expansionTable(): ExpansionTable {
  loaded ??= ExpansionTable.parse(readFileSync(FILE, 'utf8'));
  return loaded;
}

/**
 * The terms related to each of the question's distinct terms (`questionTerms`, as the ranker analysed
 * them), strongest first, without the question's own terms. Whether a word is missing from the searched
 * text is for the ranker to decide; this only says what could stand for it.
 */
export function relatedTerms(
  questionTerms: readonly string[],
  options: ExpansionOptions = DEFAULT_EXPANSION,
  table: ExpansionTable = expansionTable(),
): RelatedTerm[] {
  // A term already in the question, or already standing for another of its words, is not added twice.
  const taken = new Set(questionTerms);
  const out: RelatedTerm[] = [];
  questionTerms.forEach((term, of) => {
    let added = 0;
    for (const entry of table.related(term)) {
      if (added >= options.maxPerWord) break;
      const weight = options.weights[entry.relation];
      if (weight <= 0 || entry.share < options.minShare || taken.has(entry.term)) continue;
      taken.add(entry.term);
      out.push({ term: entry.term, weight, of });
      added++;
    }
  });
  return out;
}

/**
 * Whether two terms are one edit apart (insertion, deletion, substitution or a swap of two neighbouring
 * letters) and start with the same letter: a typo seldom hits the first one, and requiring it keeps
 * "elect" from meeting "select".
 */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || a.length === 0 || a.charCodeAt(0) !== b.charCodeAt(0) || Math.abs(a.length - b.length) > 1) return false;
  // Compared unit by unit, without slicing: this runs for every candidate term of a near-spelling lookup.
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (a.length === b.length) {
    if (sameFrom(a, i + 1, b, i + 1)) return true;
    return i + 1 < a.length && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && sameFrom(a, i + 2, b, i + 2);
  }
  return a.length > b.length ? sameFrom(a, i + 1, b, i) : sameFrom(b, i + 1, a, i);
}

/** Whether a.slice(from) === b.slice(bFrom) (both starts at most one past the end). */
function sameFrom(a: string, from: number, b: string, bFrom: number): boolean {
  if (a.length - from !== b.length - bFrom) return false;
  for (let k = 0; from + k < a.length; k++) if (a.charCodeAt(from + k) !== b.charCodeAt(bFrom + k)) return false;
  return true;
}

/**
 * British -ise forms, which the Porter stemmer leaves as "…is" where it cuts -ize ("apologised" →
 * "apologis", "apologized" → "apolog"): the -ize stem to look for, or undefined.
 */
export function americanStem(term: string): string | undefined {
  return term.length > 5 && term.endsWith('is') ? term.slice(0, -2) : undefined;
}

/**
 * Ids of the terms of sentences [from, to) one edit from a question term the searched text lacks (see
 * `oneEditApart`), and of its -ize form; a word of general English is taken for a word, not a typo
 * ("protest" is not a misspelt "protect"), so only its -ize form is looked for. For a large scope the
 * ids may include terms outside it (the caller keeps those the scope holds).
 */
export function nearSpellings(index: SentenceIndex, term: string, from: number, to: number, options: ExpansionOptions, background: BackgroundFrequencies): number[] {
  const minLength = options.spellingMinLength;
  if (term.length < minLength || /\d/.test(term)) return [];
  const found = new Set<number>();
  const american = americanStem(term);
  if (american !== undefined) found.add(index.termId(american));
  if (!background.listed(term)) {
    const byShape = spellingShapes(index);
    const first = term.charCodeAt(0);
    const { tokens, tokenStart } = index;
    const scopeTokens = tokenStart[to]! - tokenStart[from]!;
    // Only a term of the same first unit and a length within one can be one edit away: those of the
    // index are listed by shape, so the cheaper of two ways to the same set is taken: the scope's own
    // tokens (a few articles, read anyway when prefixes are looked for), or the index's terms of the three shapes.
    const shapes = [shapeKey(first, term.length - 1), shapeKey(first, term.length), shapeKey(first, term.length + 1)];
    let shapeTerms = 0;
    for (const key of shapes) shapeTerms += byShape.get(key)?.length ?? 0;
    const prefixes = options.prefixLetters > 0 && scopeTokens <= options.meaningScan;
    if (prefixes || scopeTokens <= shapeTerms) {
      for (let k = tokenStart[from]!; k < tokenStart[to]!; k++) {
        const id = tokens[k]!;
        const other = index.term(id);
        if (other.charCodeAt(0) !== first || other.length < minLength) continue;
        if (oneEditApart(term, other) || (prefixes && sharesPrefix(term, other, minLength, options.prefixLetters))) found.add(id);
      }
    } else {
      for (const key of shapes) {
        const list = byShape.get(key);
        if (list === undefined) continue;
        for (let k = 0; k < list.length; k++) {
          const id = list[k]!;
          const other = index.term(id);
          if (other.length >= minLength && oneEditApart(term, other)) found.add(id);
        }
      }
    }
  }
  // In the order of a fresh build's term ids, whichever way the index was made (a patched one numbers its
  // terms otherwise, and may keep ids with no postings), so the query and its scores are the same.
  const live = [...found].filter((id) => id >= 0 && index.documentFrequency(id) > 0);
  return live.length < 2 ? live : live.map((id) => ({ id, at: index.firstOccurrence(id) })).sort((a, b) => a.at - b.at).map(({ id }) => id);
}

/** A term's first UTF-16 unit and length, as one number. */
function shapeKey(first: number, length: number): number {
  return first * 0x10000 + length;
}

/** Per index: shape key → the ids of its terms of that shape. */
const shapes = new WeakMap<SentenceIndex, Map<number, number[]>>();

/**
 * The index's term ids grouped by shape (`shapeKey`), made on the first lookup that needs them. They
 * replace making every one-edit variant of the term over the index's alphabet and looking each up
 * (thousands of strings per word: 2 ms per unknown word at 100k sentences).
 */
function spellingShapes(index: SentenceIndex): Map<number, number[]> {
  let byShape = shapes.get(index);
  if (byShape === undefined) {
    byShape = new Map();
    for (let id = 0; id < index.termCount; id++) {
      const term = index.term(id);
      if (term.length === 0) continue;
      const key = shapeKey(term.charCodeAt(0), term.length);
      const list = byShape.get(key);
      if (list === undefined) byShape.set(key, [id]);
      else list.push(id);
    }
    shapes.set(index, byShape);
  }
  return byShape;
}

/**
 * Endings, as Porter stems spell them ("-ly" is "li"), that turn one form of a word into another; a name
 * that begins another name ("clint"/"clinton", "robin"/"robinson") differs by something else.
 */
const ENGLISH_ENDINGS = new Set(['s', 'es', 'e', 'd', 'ed', 'er', 'li', 'ing', 'al']);

/**
 * Whether one word begins the other, the shorter of at least `minLength` letters and the longer at most
 * `extra` more, those an English ending.
 */
export function sharesPrefix(a: string, b: string, minLength: number, extra: number): boolean {
  const short = a.length <= b.length ? a : b;
  const long = a.length <= b.length ? b : a;
  return short.length >= minLength && long.length > short.length && long.length - short.length <= extra && long.startsWith(short) && ENGLISH_ENDINGS.has(long.slice(short.length));
}
