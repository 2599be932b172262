/**
 * The one definition of "this sentence holds a gold answer", shared by the evaluation (bench/eval), the
 * benchmark (bench/perf) and the regression test (tests/engine/quality.test.ts), so that their figures
 * measure the same thing.
 */

/** Unicode NFKC, lower case, and every run of whitespace collapsed to one space, trimmed. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

/**
 * Whether `needle` occurs in `haystack` (both already normalised) at word boundaries: where the needle
 * starts (ends) with a letter or digit, the character before (after) the occurrence must not be one.
 * So "ten" does not match inside "often", but "1562," matches "in 1562, the".
 */
export function containsAtWordBoundary(haystack: string, needle: string): boolean {
  if (needle.length === 0) return false;
  const first = needle[0];
  const last = needle[needle.length - 1];
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const beforeOk = !isWordChar(first) || !isWordChar(haystack[at - 1]);
    const afterOk = !isWordChar(last) || !isWordChar(haystack[at + needle.length]);
    if (beforeOk && afterOk) return true;
    from = at + 1;
  }
}

export type MatchMode = 'span' | 'sentence';

/**
 * Gold answers are whole sentences in WikiQA and TrecQA (answer-sentence selection); elsewhere (SQuAD,
 * XQuAD, NewsQA) they are spans.
 */
export function matchModeForSource(source: string): MatchMode {
  return /^\s*(wikiqa|trecqa)/i.test(source) ? 'sentence' : 'span';
}

/**
 * A sentence "holds the answer" when, after `normalizeText` on both sides:
 * - `span` gold: the sentence contains a gold string at word boundaries;
 * - `sentence` gold: the sentence contains the gold or the gold contains the sentence (our splitter may
 *   cut a gold sentence in two, or glue two together).
 */
export function holdsAnswer(sentence: string, golds: readonly string[], mode: MatchMode): boolean {
  const s = normalizeText(sentence);
  if (s.length === 0) return false;
  for (const gold of golds) {
    const g = normalizeText(gold);
    if (g.length === 0) continue;
    if (containsAtWordBoundary(s, g)) return true;
    if (mode === 'sentence' && containsAtWordBoundary(g, s)) return true;
  }
  return false;
}
