/**
 * What an index says apart from how its terms are numbered (a patched index keeps the earlier set's term
 * ids, a fresh build numbers them by first occurrence): the tests compare these, not the arrays as they are.
 */
import { expect } from 'vitest';
import type { AnalysedDocuments, Postings } from '../../src/engine/sentence-index';

/** Every per-sentence array, and each sentence's terms as strings. */
export function sentencesOf(analysis: AnalysedDocuments): unknown {
  const { docStart, sentenceDoc, sentenceLength, features, leansBack, sentenceParagraph, paragraphCount, tokenStart, tokens, terms } = analysis;
  const words = Array.from({ length: sentenceDoc.length }, (_, s) => Array.from(tokens.subarray(tokenStart[s]!, tokenStart[s + 1]!), (id) => terms[id]));
  return { docStart, sentenceDoc, sentenceLength, features, leansBack, sentenceParagraph, paragraphCount, words };
}

export interface TermPostings {
  sentences: number[];
  frequencies: number[];
  documents: number;
}

/**
 * Each term with postings, by its string: its sentences, their frequencies, its document count. Also
 * checks what holds of any index: one id per term, and a term with no postings in no document.
 */
export function postingsByTerm(analysis: AnalysedDocuments, postings: Postings): Map<string, TermPostings> {
  expect(new Set(analysis.terms).size).toBe(analysis.terms.length);
  expect(postings.start.length).toBe(analysis.terms.length + 1);
  const byTerm = new Map<string, TermPostings>();
  analysis.terms.forEach((term, id) => {
    const from = postings.start[id]!;
    const to = postings.start[id + 1]!;
    if (to === from) {
      expect(postings.documents[id]).toBe(0);
      return;
    }
    byTerm.set(term, { sentences: [...postings.sentence.subarray(from, to)], frequencies: [...postings.frequency.subarray(from, to)], documents: postings.documents[id]! });
  });
  return byTerm;
}
