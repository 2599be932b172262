/**
 * Finer answer types for the "how" questions whose answer is a number of a particular kind. The coarse
 * type (`answer-type.ts`) marks "how long", "how old" and "how far" as asking for a number, and nearly
 * every sentence of a history article has one (a year); the answer to "How long was Warsaw the capital?"
 * is a span ("until 1796", "for almost a month"), to "How often are elections held?" a frequency ("every
 * four years"), to "How old was she?" an age ("was fourteen", "aged 79"), to "How far?" a distance. For
 * these questions the second stage's answer-type bonus goes to a sentence of that kind only
 * (`Ranker.fillFeatures`). Read at query time from the candidates' text (30 of them, and only for these
 * questions), so the index and its cache are unchanged.
 */

export const FineType = { Duration: 1, Frequency: 2, Age: 3, Distance: 4 } as const;
export type FineType = (typeof FineType)[keyof typeof FineType] | 0;

const UNITS_OF_TIME = 'years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)';
const COUNT_WORDS = 'a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|many';
const AGE_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
const YEAR = '(?:1[0-9]{3}|20[0-9]{2})';

const PATTERNS: Record<Exclude<FineType, 0>, RegExp> = {
  // "for almost a month", "over 300 years", "until 1796", "until the second quarter of the 19th century",
  // "since 1596", "three years", "1939–1945", "began in 1756 and ended in 1763": a span or its bounds, not any
  // number after "for" or "after".
  [FineType.Duration]: new RegExp(
    `\\b(?:for|through|lasted|lasting|within|over|after)\\s+(?:[\\w,.]+\\s+){0,3}(?:${UNITS_OF_TIME})\\b`
    + `|\\b(?:until|till|since)\\s+(?:[\\w,.'’]+\\s+){0,6}?(?:\\d[\\w,.]*|${UNITS_OF_TIME})`
    + `|\\b(?:${COUNT_WORDS}|\\d[\\d,.]*)[- ](?:${UNITS_OF_TIME})\\b`
    + `|\\b${YEAR}\\s*(?:–|-|to|until)\\s*${YEAR}\\b`
    + `|\\b(?:from|began|begun|started|opened)\\b[^.;]{0,20}\\b${YEAR}\\b[^.;]{0,40}\\b(?:to|until|till|ended|ending|finished|closed)\\b(?:\\s+\\w+){0,2}\\s+${YEAR}\\b`,
    'i',
  ),
  // "every four years", "each month", "twice a year", "annually", at the start of a sentence too; not "each
  // of the players" or a title ("The Daily Telegraph"), so the first letters are spelt out, not the 'i' flag.
  [FineType.Frequency]: new RegExp(
    `\\b(?:[Ee]very|[Ee]ach)\\s+(?:other\\s+|single\\s+)?(?:\\d+|${COUNT_WORDS}|year|month|week|day|hour|decade|century|season|summer|winter|spring|autumn)\\b`
    + `|\\b(?:[Aa]nnually|[Yy]early|[Mm]onthly|[Ww]eekly|[Dd]aily|[Hh]ourly|[Bb]iennial(?:ly)?)\\b(?! [A-Z])`
    + `|\\b(?:\\w+ times (?:a|per)|[Oo]nce a|[Tt]wice a|per (?:year|month|week|day))\\b`,
  ),
  // "a 42-year-old", "aged 79", "at the age of", "was fourteen", "Smith, 45, said"; not "was 5%", "is 40
  // degrees", "was 3-0 up" or "at 10 a.m.".
  [FineType.Age]: new RegExp(
    `\\b\\d+[- ]years?[- ]old\\b|\\baged? (?:of )?\\d+|\\bage of\\b`
    + `|\\b(?:was|is|were|turned) (?:\\d{1,3}|${AGE_WORDS})\\b(?![-–%.,]?\\d| ?%| of\\b| to\\b| so\\b| pct| percent| per\\b| degrees?| points?| people| million| billion| thousand| hundred| times| [ap]\\.?m\\b)`
    + `|, \\d{1,3}, `,
    'i',
  ),
  // "two miles (3km)", "8,848 m", "miles away"; an "m" after money or before what is counted is a million
  // ("$5m", "1.5m people").
  [FineType.Distance]: /\b\d[\d,.]*\s?(?:-\s?)?(?:miles?|kilomet(?:er|re)s?|km|metres?|meters?|feet|foot|ft|yards?|inches|inch|cm|centimet(?:er|re)s?|mi|mm)\b|(?<![$£€][\d,.]*)\b\d[\d,.]*\s?m\b(?!\.\w| (?:people|euros?|dollars?|pounds?|yuan|rupees|residents|voters|viewers|users|barrels|tons?|tonnes?|shares)\b)|\b(?:miles?|kilomet(?:er|re)s?|feet|metres?|meters?) (?:away|from|long|high|deep|wide|tall)\b/i,
};

/** "How long is the river / bridge…" asks for a length, not a time. */
const LENGTH_OF_THING = /\bhow long (?:is|was|are|were) (?:the|it)\b[^?]*\b(?:river|bridge|road|wall|tunnel|line|coast|border|canal|runway|track|course)\b/;

/** The fine answer type of a question, or 0 when it asks for none of them. */
export function fineQuestionType(question: string): FineType {
  const q = question.slice(0, 300).toLowerCase();
  if (/\bhow long\b(?! ago)/.test(q)) return LENGTH_OF_THING.test(q) ? FineType.Distance : FineType.Duration;
  if (/\bhow (?:often|frequently)\b/.test(q)) return FineType.Frequency;
  if (/\bhow old\b|\bwhat age (?:was|is|were|are|did|do|does|will|would|can)\b/.test(q)) return FineType.Age;
  if (/\bhow (?:far|tall|high|deep|wide)\b/.test(q)) return FineType.Distance;
  return 0;
}

/** Whether a sentence holds a thing of the fine type (0: never). */
export function hasFineType(type: FineType, text: string): boolean {
  return type !== 0 && PATTERNS[type].test(text);
}

/** The words that frame a span, an age or a frequency; what is new in a match is in its other words. */
const FRAME_WORDS = new Set(['for', 'until', 'till', 'since', 'through', 'lasted', 'lasting', 'within', 'over', 'after', 'to', 'and', 'ended', 'ending', 'finished', 'the', 'a', 'an', 'of', 'in', 'every', 'each', 'other', 'single', 'aged', 'age', 'at', 'was', 'is', 'were', 'turned', 'old', 'year', 'years']);
const GLOBAL_PATTERNS = Object.fromEntries(Object.entries(PATTERNS).map(([type, pattern]) => [type, new RegExp(pattern.source, `${pattern.flags}g`)])) as Record<string, RegExp>;

/**
 * Whether the sentence holds a thing of the fine type that the question does not already say, as
 * `hasNovel` asks of the coarse types: "the Seven Years' War" is a span by its words, but not the answer
 * to "How long did the Seven Years' War last?".
 */
export function hasNovelFineType(type: FineType, text: string, askedLower: string): boolean {
  if (type === 0) return false;
  const asked = new Set(askedLower.match(/[\p{L}\p{N}]+/gu) ?? []);
  for (const match of text.matchAll(GLOBAL_PATTERNS[type]!)) {
    const words = match[0].toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.some((word) => !FRAME_WORDS.has(word) && !asked.has(word))) return true;
  }
  return false;
}
