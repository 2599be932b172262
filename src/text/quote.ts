/** Outer quote marks to try, in order: the first pair the text does not itself use wins. */
const QUOTE_PAIRS = [
  ['“', '”'],
  ['«', '»'],
  ['"', '"'],
] as const;

/**
 * Wraps a quoted sentence in quote marks that differ from its own, so that a sentence that opens or
 * closes a quotation reads `“"The letter…”`, not `""The letter…"`. The text itself is never changed.
 */
export function quoteText(text: string): string {
  const [open, close] = QUOTE_PAIRS.find(([o, c]) => !text.includes(o) && !text.includes(c)) ?? QUOTE_PAIRS[0];
  return `${open}${text}${close}`;
}
