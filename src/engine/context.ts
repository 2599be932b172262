import type { SourceDocument } from './types';

/** Words that make a sentence lean on the one before it for its subject. */
const LEANING_START = /^["'“‘(]*(he|she|it|they|this|that|these|those|his|her|its|their|him|them|there|such|both|the two|the latter|the former)\b/i;
const ATTRIBUTION = /\b(said|says|told|added|asked|wrote|tweeted|stated|according to|explained|announced|declared|insisted|noted)\b/i;
const QUOTE_MARKS = /["“”]/g;

/** Whether a sentence opens with a word that refers back ("She said…", "It was…"). */
export function leansOnPrevious(text: string): boolean {
  return LEANING_START.test(text);
}

function quoteMarks(text: string): number {
  return text.match(QUOTE_MARKS)?.length ?? 0;
}

/** Whether sentence `i` lies inside a quotation that an earlier sentence of its paragraph opened. */
function insideOpenQuote(document: SourceDocument, i: number): boolean {
  let marks = 0;
  for (let j = i - 1; j >= 0 && document.paragraphs[j] === document.paragraphs[i]; j--) {
    marks += quoteMarks(document.sentences[j] ?? '');
  }
  return marks % 2 === 1;
}

function isBareQuote(document: SourceDocument, i: number): boolean {
  const text = document.sentences[i] ?? '';
  if (ATTRIBUTION.test(text)) return false;
  return /^["“]/.test(text) || insideOpenQuote(document, i);
}

/** The nearest sentence of the same paragraph that says who is speaking, looking ahead first. */
function attributionFor(document: SourceDocument, i: number): number | undefined {
  const paragraph = document.paragraphs[i];
  for (let j = i + 1; j < document.sentences.length && document.paragraphs[j] === paragraph; j++) {
    if (ATTRIBUTION.test(document.sentences[j] ?? '')) return j;
  }
  for (let j = i - 1; j >= 0 && document.paragraphs[j] === paragraph; j--) {
    if (ATTRIBUTION.test(document.sentences[j] ?? '')) return j;
  }
  return undefined;
}

/**
 * The 0-based index of the sentence that makes sentence `i` understandable on its own, if it needs one:
 * who said a bare quote, or what a sentence opening with a pronoun is about.
 */
export function contextSentenceFor(document: SourceDocument, i: number): number | undefined {
  const text = document.sentences[i] ?? '';
  if (isBareQuote(document, i)) {
    const speaker = attributionFor(document, i);
    if (speaker !== undefined) return speaker;
  }
  if (leansOnPrevious(text) && i > 0) return i - 1;
  return undefined;
}
