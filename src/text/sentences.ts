/**
 * Sentence splitting tuned for news prose: quotes, abbreviations, initials, decimals, ellipses and
 * headings without a full stop. Works per block of text; `splitBlocks` decides what a block is.
 */

/** Abbreviations after which a full stop never ends a sentence (titles, "No. 5", "vs."). */
const NEVER_FINAL = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'sr', 'jr', 'st', 'gen', 'gov', 'sen', 'rep', 'lt', 'col',
  'capt', 'cpt', 'sgt', 'maj', 'adm', 'cmdr', 'rev', 'hon', 'pres', 'supt', 'det', 'insp', 'fr',
  'vs', 'v', 'no', 'nos', 'cf', 'approx', 'fig', 'vol', 'pp', 'ed', 'eds', 'messrs', 'mme', 'mlle',
  'mt', 'ft', 'ave', 'blvd', 'rd', 'dept', 'univ', 'assn', 'bros', 'est', 'e.g', 'i.e', 'etc.,',
]);

/** Abbreviations that usually continue the sentence but may end one ("in the U.S. The next day"). */
const USUALLY_MEDIAL = new Set([
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'inc', 'corp', 'co', 'ltd', 'plc', 'llc', 'bros', 'etc', 'al', 'ca', 'c',
  'a.m', 'p.m', 'u.s', 'u.k', 'u.n', 'e.u', 'u.s.a', 'd.c', 'n.y', 'l.a', 'ph.d', 'b.a', 'm.a',
]);

/** Words that start sentences far more often than they follow an abbreviation mid-sentence. */
const SENTENCE_STARTERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'his', 'her', 'their', 'its', 'our',
  'this', 'that', 'these', 'those', 'there', 'but', 'and', 'so', 'yet', 'however', 'in', 'on', 'at',
  'after', 'before', 'when', 'while', 'if', 'as', 'for', 'some', 'many', 'most', 'no', 'not', 'one',
  'what', 'who', 'why', 'how', 'where', 'meanwhile', 'still', 'last', 'earlier', 'later', 'then',
]);

const CLOSERS = `"'”’)]»`;
const OPENERS = `"'“‘([«`;

function isUpperStart(ch: string): boolean {
  return ch !== ch.toLowerCase() || /\p{N}/u.test(ch);
}

/** The word (with inner dots) right before position `dotIndex`, lower-cased: "U.S" for "U.S.", "Mr" for "Mr.". */
function wordBefore(text: string, dotIndex: number): string {
  let start = dotIndex;
  while (start > 0 && /[\p{L}\p{N}.]/u.test(text[start - 1] ?? '')) start--;
  return text.slice(start, dotIndex).replace(/^\.+/, '').toLowerCase();
}

function nextWord(text: string, from: number): string {
  const match = /^[\s"'“‘([«]*([\p{L}\p{N}]+)/u.exec(text.slice(from, from + 40));
  return match?.[1] ?? '';
}

/** Decides whether the full stop at `dotIndex` ends the sentence, given the text that follows. */
function fullStopEnds(text: string, dotIndex: number, nextStart: number): boolean {
  const word = wordBefore(text, dotIndex);
  const next = nextWord(text, nextStart);
  if (word === '') return true;
  if (NEVER_FINAL.has(word)) return false;
  // An initial: "John F. Kennedy", "J. K. Rowling".
  if (/^\p{Lu}$/u.test(text[dotIndex - 1] ?? '') && word.length === 1) return false;
  if (USUALLY_MEDIAL.has(word) || /^(\p{L}\.)+\p{L}$/u.test(word)) {
    if (/^\p{N}/u.test(next)) return false;
    return SENTENCE_STARTERS.has(next.toLowerCase());
  }
  return true;
}

/**
 * Splits one block (a paragraph or a line) into sentences. A boundary is a terminator (. ! ? …),
 * optionally followed by closing quotes or brackets, then white space, then something that can start a
 * sentence (a capital, a digit or an opening quote). Lower-case after `!"` means the quote goes on.
 */
export function splitBlock(block: string): string[] {
  const text = block.replace(/\s+/g, ' ').trim();
  if (text === '') return [];
  const sentences: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && /[.!?…]/.test(text[end] ?? '')) end++;
    while (end < text.length && CLOSERS.includes(text[end] ?? '')) end++;
    if (text[end] !== ' ') {
      i = end;
      continue;
    }
    const nextStart = end + 1;
    const next = text[nextStart] ?? '';
    const canStart = isUpperStart(next) || OPENERS.includes(next);
    const isFullStop = ch === '.' && text[i + 1] !== '.';
    if (canStart && (!isFullStop || fullStopEnds(text, i, nextStart))) {
      sentences.push(text.slice(start, end).trim());
      start = nextStart;
    }
    i = end;
  }
  const rest = text.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return mergeOrphans(sentences);
}

/** A fragment such as `," he said.` or a lone closing quote belongs to the sentence before it. */
function mergeOrphans(sentences: string[]): string[] {
  const merged: string[] = [];
  for (const sentence of sentences) {
    const orphan = !/[\p{L}\p{N}]/u.test(sentence) || /^[,;:)\]]|^["'”’]\s*([,;:]|\p{Ll})/u.test(sentence);
    const previous = merged.length - 1;
    if (orphan && previous >= 0) merged[previous] = `${merged[previous]} ${sentence}`;
    else merged.push(sentence);
  }
  return merged;
}

const TERMINAL = /[.!?…:;"'”’)\]]$/;

/**
 * Splits a document into blocks: blank lines separate paragraphs, and each line is its own block
 * unless it is visibly hard-wrapped prose (a long line with no terminal punctuation, or a next line
 * starting in lower case). Headings and chrome lines therefore never glue onto the next sentence.
 */
export function splitBlocks(text: string): string[][] {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  return paragraphs
    .map((paragraph) => joinWrappedLines(paragraph.split('\n').map((line) => line.trim()).filter(Boolean)))
    .filter((lines) => lines.length > 0);
}

/**
 * Joins hard-wrapped lines into blocks. Each block is collected as a list of lines and joined once: the
 * old `block = \`${block} ${line}\`` made a rope that every regular-expression test flattened again,
 * so a 1.9 MB file of wrapped lines with no sentence end took 26 s (issue 15).
 */
function joinWrappedLines(lines: string[]): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let currentLength = 0;
  for (const line of lines) {
    const previous = current[current.length - 1];
    if (previous !== undefined && isWrapped(previous, currentLength, line)) {
      current.push(line);
      currentLength += line.length + 1;
      continue;
    }
    if (current.length > 0) blocks.push(current.join(' '));
    current = [line];
    currentLength = line.length;
  }
  if (current.length > 0) blocks.push(current.join(' '));
  return blocks;
}

/** Whether `line` continues the block so far, whose last line is `previous` and whose length is `blockLength`. */
function isWrapped(previous: string, blockLength: number, line: string): boolean {
  if (TERMINAL.test(previous)) return false;
  return /^\p{Ll}/u.test(line) || blockLength >= 60;
}

export interface SplitSentence {
  text: string;
  /** 0-based paragraph index. */
  paragraph: number;
}

/** All sentences of a document in order, each with its paragraph (a block: a line or wrapped lines). */
export function splitSentences(text: string): SplitSentence[] {
  const result: SplitSentence[] = [];
  splitBlocks(text).flat().forEach((block, paragraph) => {
    for (const sentence of splitBlock(block)) result.push({ text: sentence, paragraph });
  });
  return result;
}
