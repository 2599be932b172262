/**
 * What kind of thing a question asks for, and which sentences contain that kind of thing.
 * A "when" question is answered by a sentence with a date in it, a "how many" by one with a number:
 * evidence that word overlap alone cannot see.
 */

export const Feature = { Date: 1, Number: 2, Name: 4, Place: 8, Money: 16 } as const;

/** One of the Feature bits, or 0 for a question that asks for no particular kind of thing. */
export type AnswerType = (typeof Feature)[keyof typeof Feature] | 0;

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const DATE = new RegExp(`\\b(1[0-9]{3}|20[0-9]{2})s?\\b|\\b(${MONTHS})\\.? \\d|\\b\\d{1,2}(st|nd|rd|th)? (${MONTHS})\\b|\\b(century|centuries|decade|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|bc|bce|ad|ce)\\b|\\b\\d+(st|nd|rd|th) century`, 'i');
const NUMBER = /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|quarter|several)\b/i;
const MONEY = /[$€£¥]\s?\d|\b\d[\d,.]*\s?(dollars|euros|pounds|yen|cents|usd|eur|gbp)\b|\b(million|billion) (dollars|euros|pounds)\b/i;
/** A capitalised word that is not the first word of the sentence. */
const NAME = /\s["'“(]?\p{Lu}\p{Ll}+/u;
const PLACE = /\b(in|at|near|from|to|across|outside|inside)\s+(the\s+)?\p{Lu}\p{Ll}+/u;

/** The features a sentence has, as a bit set. */
export function sentenceFeatures(text: string): number {
  let features = 0;
  if (DATE.test(text)) features |= Feature.Date;
  if (NUMBER.test(text)) features |= Feature.Number;
  if (MONEY.test(text)) features |= Feature.Money;
  if (NAME.test(text)) features |= Feature.Name;
  if (PLACE.test(text)) features |= Feature.Place;
  return features;
}

const QUESTION_TYPES: [RegExp, AnswerType][] = [
  [/\b(how much (money|did|does|do|is|was|will)?.*\b(cost|pay|paid|spend|spent|worth|price|earn|raise|raised)|what (is|was) the (price|cost)|how much money)\b/i, Feature.Money],
  [/\b(when|what (year|years|date|day|month|time period|century|decade|era)|which (year|date|day|month|century|decade)|in what (year|century|decade|month)|how long ago|since when)\b/i, Feature.Date],
  [/\b(how (many|much|long|old|far|large|big|tall|high|deep|often|fast|wide|heavy)|what (percentage|percent|proportion|number|amount|size|population|age)|what share)\b/i, Feature.Number],
  [/\b(who|whom|whose|which (person|people|man|woman|company|team|group|organization|organisation))\b/i, Feature.Name],
  [/\b(where|what (country|city|state|town|region|place|continent|location|area)|which (country|city|state|town|region|place|continent))\b/i, Feature.Place],
];

/** The answer type a question asks for, or 0 when it asks for no particular kind of thing. */
export function questionType(question: string): AnswerType {
  // A question word comes early; the patterns backtrack, so very long input is cut first.
  const opening = question.slice(0, 300);
  for (const [pattern, type] of QUESTION_TYPES) {
    if (pattern.test(opening)) return type;
  }
  return 0;
}

const NAME_WORD = /(?<=\s["'“(]?)\p{Lu}[\p{L}\p{M}'-]+/gu;
const TRAILING_MARKS = /[,.]+$/;
const NUMBER_WORD = /\d[\d,.]*|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?)\b/gi;

/**
 * Whether the sentence has a thing of the asked type that the question does not already name: the answer
 * to "Who met Kim?" is a name other than Kim's, to "how many" a number the question does not give.
 * `askedLower` is the question in lower case.
 */
export function hasNovel(type: number, text: string, askedLower: string): boolean {
  const pattern = type === Feature.Number || type === Feature.Money || type === Feature.Date ? NUMBER_WORD : NAME_WORD;
  // exec from lastIndex 0 finds what matchAll would, without cloning the pattern on every call (this runs for
  // the candidates of most questions). No match is empty, so the loop always moves on.
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const word = match[0].toLowerCase().replace(TRAILING_MARKS, '');
    if (word.length > 0 && !askedLower.includes(word)) {
      pattern.lastIndex = 0;
      return true;
    }
  }
  // A date named by a month or weekday (no digit): the type feature already found one.
  return type === Feature.Date && !/\d/.test(text);
}
