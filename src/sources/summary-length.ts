/**
 * How many sentences a summary may have: one range for the console chat, the CLI and Discord's
 * `/summary sentences:` option, and one message for a number outside it.
 */
export const SUMMARY_SENTENCES = { min: 1, max: 10, default: 3 } as const;

/** True for a whole number in SUMMARY_SENTENCES. */
export function isSummaryLength(value: number): boolean {
  return Number.isInteger(value) && value >= SUMMARY_SENTENCES.min && value <= SUMMARY_SENTENCES.max;
}

/** What every front end says about a length it cannot use. */
export function summaryLengthError(given: string): string {
  return `A summary has ${SUMMARY_SENTENCES.min} to ${SUMMARY_SENTENCES.max} sentences, not "${given}".`;
}
