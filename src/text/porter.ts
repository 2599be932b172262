/**
 * The Porter stemmer exactly as natural's `porter_stemmer` implements it (the index terms, the background
 * frequencies and the expansion table are all keyed by its output), quirks included, written without
 * regular expressions: natural makes a `new RegExp` for each suffix it tries and rewrites each word through
 * several regex replaces (at load average 8-9 here: 25-59 µs a word against 8-24 µs for this port), a
 * large share of analysing articles and, before the JIT has warmed up, questions. Words with any
 * character outside a-z, 0-9, `'` and `.` go to natural's stemmer itself. tests/text/porter.test.ts
 * compares the two on every word of the bundled evaluation set and on random words.
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';

const A = 97;
const E = 101;
const I = 105;
const O = 111;
const U = 117;
const Y = 121;

function isVowel(code: number): boolean {
  return code === A || code === E || code === I || code === O || code === U;
}

/** Whether every code unit is a-z, 0-9, `'` or `.`: the words this port is exact for. */
function isPlain(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 39 || code === 46)) return false;
  }
  return true;
}

/**
 * natural's `categorizeGroups`, in one pass: `/[^aeiouy]+y/g` → "CV", then `/[aeiou]+/g` → "V", then
 * `/[^V]+/g` → "C". So a run of consonants ending in `y` is "CV", a run of vowels "V", and whatever stands
 * between V's (consonants, a `y` after a vowel, the C of a "CV") one "C"; "VV" can occur and counts.
 */
function categorizeGroups(token: string): string {
  let out = '';
  let pendingC = false;
  let i = 0;
  const n = token.length;
  while (i < n) {
    const code = token.charCodeAt(i);
    if (isVowel(code)) {
      while (i < n && isVowel(token.charCodeAt(i))) i++;
      if (pendingC) out += 'C';
      pendingC = false;
      out += 'V';
    } else if (code === Y) {
      pendingC = true;
      i++;
    } else {
      let j = i;
      while (j < n && !isVowel(token.charCodeAt(j)) && token.charCodeAt(j) !== Y) j++;
      pendingC = true;
      if (j < n) {
        if (token.charCodeAt(j) === Y) {
          out += 'CV';
          pendingC = false;
          j++;
        }
      }
      i = j;
    }
  }
  return pendingC ? `${out}C` : out;
}

/** natural's `categorizeChars`: a consonant followed by `y` is "CV", each vowel "V", every other unit "C". */
function categorizeChars(token: string): string {
  let out = '';
  let i = 0;
  while (i < token.length) {
    const code = token.charCodeAt(i);
    if (!isVowel(code) && code !== Y && token.charCodeAt(i + 1) === Y) {
      out += 'CV';
      i += 2;
    } else {
      out += isVowel(code) ? 'V' : 'C';
      i++;
    }
  }
  return out;
}

/**
 * natural's `measure`: the number of symbols of `categorizeGroups` without a leading C and a trailing V,
 * halved (so 0.5 and 1.5 occur); -1 for an empty or missing word. Counted in the same pass, not built.
 */
function measure(token: string | null): number {
  if (!token) return -1;
  let count = 0;
  let firstIsC = false;
  let lastIsV = false;
  let pendingC = false;
  let i = 0;
  const n = token.length;
  while (i < n) {
    const code = token.charCodeAt(i);
    if (isVowel(code)) {
      while (i < n && isVowel(token.charCodeAt(i))) i++;
      if (pendingC) {
        if (count === 0) firstIsC = true;
        count++;
      }
      pendingC = false;
      count++;
      lastIsV = true;
    } else if (code === Y) {
      pendingC = true;
      i++;
    } else {
      let j = i;
      while (j < n && !isVowel(token.charCodeAt(j)) && token.charCodeAt(j) !== Y) j++;
      pendingC = true;
      if (j < n && token.charCodeAt(j) === Y) {
        if (count === 0) firstIsC = true;
        count += 2;
        lastIsV = true;
        pendingC = false;
        j++;
      }
      i = j;
    }
  }
  if (pendingC) {
    if (count === 0) firstIsC = true;
    count++;
    lastIsV = false;
  }
  let rest = firstIsC ? count - 1 : count;
  if (rest > 0 && lastIsV) rest--;
  return rest / 2;
}

function endsWithDoubleConsonant(token: string): boolean {
  const n = token.length;
  return n >= 2 && token.charCodeAt(n - 1) === token.charCodeAt(n - 2) && !isVowel(token.charCodeAt(n - 1));
}

/** natural's `attemptReplace` for a suffix: the word with it replaced, or null when it does not end so. */
function replaceSuffix(token: string, suffix: string, replacement: string): string | null {
  return token.endsWith(suffix) ? token.slice(0, token.length - suffix.length) + replacement : null;
}

/** natural's `attemptReplacePatterns`: every rule whose stripped word measures over the threshold, in turn. */
function replaceRules(token: string, suffixes: readonly string[], replacements: readonly string[], threshold: number | undefined): string {
  let replaced = token;
  for (let r = 0; r < suffixes.length; r++) {
    const suffix = suffixes[r]!;
    if (!token.endsWith(suffix) && !replaced.endsWith(suffix)) continue;
    if (threshold === undefined || measure(replaceSuffix(token, suffix, '')) > threshold) {
      replaced = replaceSuffix(replaced, suffix, replacements[r]!) || replaced;
    }
  }
  return replaced;
}

function step1a(token: string): string {
  if (token.endsWith('sses') || token.endsWith('ies')) return token.slice(0, -2);
  if (token.endsWith('s') && token.charCodeAt(token.length - 2) !== 115 /* s */ && token.length > 2) return token.slice(0, -1);
  return token;
}

const STEP_1B_SUFFIXES = ['at', 'bl', 'iz'];
const STEP_1B_REPLACEMENTS = ['ate', 'ble', 'ize'];

function step1b(token: string): string {
  if (token.endsWith('eed')) {
    if (measure(token.slice(0, -3)) > 0) return token.slice(0, -1);
    return token;
  }
  const suffix = token.endsWith('ed') ? 2 : token.endsWith('ing') ? 3 : 0;
  if (suffix === 0) return token;
  const stripped = token.slice(0, -suffix);
  if (stripped === '' || !categorizeGroups(stripped).includes('V')) return token;
  const replaced = replaceRules(stripped, STEP_1B_SUFFIXES, STEP_1B_REPLACEMENTS, undefined);
  if (replaced !== stripped) return replaced;
  const last = stripped.charCodeAt(stripped.length - 1);
  if (endsWithDoubleConsonant(stripped) && last !== 108 /* l */ && last !== 115 /* s */ && last !== 122 /* z */) return stripped.slice(0, -1);
  if (measure(stripped) === 1 && categorizeChars(stripped).slice(-3) === 'CVC' && last !== 119 /* w */ && last !== 120 /* x */ && last !== Y) return `${stripped}e`;
  return stripped;
}

function step1c(token: string): string {
  if (!token.endsWith('y')) return token;
  const groups = categorizeGroups(token);
  return groups.slice(0, Math.max(0, groups.length - 1)).includes('V') ? `${token.slice(0, -1)}i` : token;
}

const STEP_2_SUFFIXES = ['ational', 'tional', 'enci', 'anci', 'izer', 'abli', 'bli', 'alli', 'entli', 'eli', 'ousli', 'ization', 'ation', 'ator', 'alism', 'iveness', 'fulness', 'ousness', 'aliti', 'iviti', 'biliti', 'logi'];
const STEP_2_REPLACEMENTS = ['ate', 'tion', 'ence', 'ance', 'ize', 'able', 'ble', 'al', 'ent', 'e', 'ous', 'ize', 'ate', 'ate', 'al', 'ive', 'ful', 'ous', 'al', 'ive', 'ble', 'log'];
const STEP_3_SUFFIXES = ['icate', 'ative', 'alize', 'iciti', 'ical', 'ful', 'ness'];
const STEP_3_REPLACEMENTS = ['ic', '', 'al', 'ic', 'ic', '', ''];

const STEP_4_SUFFIXES = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

function step4(token: string): string {
  // /^(.+?)(al|…|ize)$/: the shortest non-empty stem whose rest is one of the suffixes, that is the
  // longest of them the word ends with (and is longer than).
  let longest = '';
  for (let k = 0; k < STEP_4_SUFFIXES.length; k++) {
    const suffix = STEP_4_SUFFIXES[k]!;
    if (suffix.length > longest.length && token.length > suffix.length && token.endsWith(suffix)) longest = suffix;
  }
  if (longest !== '') {
    const stem = token.slice(0, token.length - longest.length);
    if (measure(stem) > 1) return stem;
  }
  // /^(.+?)(s|t)(ion)$/, keeping the s or t.
  if (token.length >= 5 && (token.endsWith('sion') || token.endsWith('tion'))) {
    const stem = token.slice(0, -3);
    if (measure(stem) > 1) return stem;
  }
  return token;
}

function step5a(token: string): string {
  const withoutE = token.endsWith('e') ? token.slice(0, -1) : token;
  const m = measure(withoutE);
  if (m > 1) return withoutE;
  if (m === 1) {
    const chars = categorizeChars(token);
    const start = Math.max(chars.length - 4, 0);
    const second = token.charCodeAt(token.length - 2);
    const cvc = chars.slice(start, start + 3) === 'CVC' && token.length >= 2 && second !== 119 && second !== 120 && second !== Y;
    if (!cvc) return withoutE;
  }
  return token;
}

function step5b(token: string): string {
  return measure(token) > 1 && token.endsWith('ll') ? token.slice(0, -1) : token;
}

/** natural's `PorterStemmer.stem`, word for word. */
export function stem(word: string): string {
  if (word.length < 3) return word;
  const token = word.toLowerCase();
  if (!isPlain(token)) return PorterStemmer.stem(word);
  return step5b(step5a(step4(replaceRules(replaceRules(step1c(step1b(step1a(token))), STEP_2_SUFFIXES, STEP_2_REPLACEMENTS, 0), STEP_3_SUFFIXES, STEP_3_REPLACEMENTS, 0))));
}
