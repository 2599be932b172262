import { baseForm } from './irregular-verbs';
import { stem as porterStem } from './porter';

/**
 * Words that carry no topic in a question or a sentence. Left out on purpose: negations ("not", "no",
 * "never"), ordinals and numbers ("first", "2018"), which questions turn on, and "us", which in news is
 * far more often the US.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below
  between both but by can could did do does doing down during each few for from further had has have
  having he her here hers herself him himself his how i if in into is it its itself just me more most my
  myself nor of off on once only or other ought our ours ourselves out over own same shall she should so
  some such than that the their theirs them themselves then there these they this those through to too
  under until up upon very was we were what when where which while who whom whose why will with would you
  your yours yourself yourselves also yet may might must let s t d ll m re ve say says said
  whats whos wheres hows`.split(/\s+/),
);

/** Contractions that a naive split would turn into another word ("won't" is not "won"). */
const CONTRACTIONS = new Map<string, string[]>([
  ["won't", ['will', 'not']], ["can't", ['can', 'not']], ['cannot', ['can', 'not']], ["shan't", ['shall', 'not']],
  ["ain't", ['is', 'not']], ["let's", ['let', 'us']], ["y'all", ['you', 'all']],
]);

/**
 * An auxiliary's "n't" typed without its apostrophe ("didnt", "doesnt"): no English word, so it stands for
 * the auxiliary and "not". ("cant", "wont" and "shant" are words; "Don's" and "Haven's" are names.)
 */
const NEGATED_AUXILIARY = /^(is|was|are|were|do|does|did|has|have|had|could|would|should|need|must|might)nt$/;

const APOSTROPHES = /[’‘`´]/g;
const BACKTICK = /`/g;
const NON_ASCII = /[\u0080-\uffff]/;
/** Combining accents on a Latin or Greek letter (on Cyrillic, й is a letter of its own, not an accented и). */
const COMBINING_DIACRITICS = /(?<=[\p{Script=Latin}\p{Script=Greek}][\u0300-\u036f]*)[\u0300-\u036f]/gu;
const WORD = /[\p{L}\p{M}\p{N}]+(?:['.][\p{L}\p{M}\p{N}]+)*/gu;

/** Lower-cased word tokens with contractions expanded and possessives dropped ("Pompeo's" → "pompeo"). */
export function words(text: string): string[] {
  const result: string[] = [];
  for (const token of tokens(text)) result.push(...expandWord(token));
  return result;
}

/** The raw word tokens of a text, lower-cased, apostrophes unified; contractions not yet expanded. */
function tokens(text: string): string[] {
  // Most text is ASCII, which NFKC leaves as it is; normalising costs a sixth of indexing.
  // Accents are folded ("Whére" → "where", "Quiñonez" → "quinonez") so that a question typed with or
  // without them finds the same sentences: decompose, drop the combining accents of Latin and Greek
  // letters only (other scripts' marks are parts of their letters), recompose.
  const folded = NON_ASCII.test(text)
    ? text.normalize('NFKD').replace(COMBINING_DIACRITICS, '').normalize('NFC').replace(APOSTROPHES, "'")
    : text.replace(BACKTICK, "'");
  return folded.toLowerCase().match(WORD) ?? [];
}

function expandWord(raw: string): string[] {
  // Only the character before the dot is looked at: `raw.slice(offset - 1)` copied the rest of the word
  // for every dot, which took seconds on a 100 KB "x.x.x…" (tests/text/properties.test.ts).
  const word = raw.replace(/\.(?=\p{L})/gu, (dot, offset: number) => (/^\p{N}/u.test(raw.slice(offset - 1, offset + 1)) ? dot : ''));
  const known = CONTRACTIONS.get(word);
  if (known !== undefined) return known;
  const negated = NEGATED_AUXILIARY.exec(word);
  if (negated !== null) return [negated[1]!, 'not'];
  if (!word.includes("'")) return [word];
  const cut = word.lastIndexOf("'");
  const head = word.slice(0, cut).replace(/'/g, '');
  const suffix = word.slice(cut + 1);
  // A bare "n't" (tokenised text: "do n't", "ca n't") has no word before the "n": no empty word.
  if (suffix === 't' && head.endsWith('n')) return head.length > 1 ? [head.slice(0, -1), 'not'] : ['not'];
  if (['s', '', 're', 've', 'll', 'd', 'm'].includes(suffix)) return [head];
  // O'Brien, rock'n'roll: one name, not a contraction.
  return [word.replace(/'/g, '')];
}

const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/**
 * Longer "words" (hashes, run-together junk) are kept as they are: the Porter stemmer's regexes are
 * quadratic in a word's length (seconds for a 50 KB one) and the cache must not hold huge keys.
 */
const MAX_STEMMED_LENGTH = 64;

/** Porter stem, cached: the same few thousand words recur in every sentence and question. */
export function stem(word: string): string {
  if (word.length > MAX_STEMMED_LENGTH) return word;
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = /^\p{N}/u.test(word) ? word : porterStem(baseForm(word));
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

const tokenTermsCache = new Map<string, readonly string[]>();

/**
 * The index terms of one raw token, cached: a corpus has a few hundred thousand distinct tokens and
 * many millions of occurrences, so expanding and stemming each distinct one once is most of indexing.
 */
function termsOfToken(token: string): readonly string[] {
  let cached = tokenTermsCache.get(token);
  if (cached === undefined) {
    cached = expandWord(token).filter((word) => !STOP_WORDS.has(word)).map(stem);
    if (token.length <= MAX_STEMMED_LENGTH) {
      if (tokenTermsCache.size >= STEM_CACHE_LIMIT) tokenTermsCache.clear();
      tokenTermsCache.set(token, cached);
    }
  }
  return cached;
}

/** The index terms of a text: words minus stop words, stemmed. */
export function terms(text: string): string[] {
  const result: string[] = [];
  for (const token of tokens(text)) {
    for (const term of termsOfToken(token)) result.push(term);
  }
  return result;
}
