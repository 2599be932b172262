/**
 * Property tests of the text pipeline: any string (empty, 100 KB, emoji, RTL, zero-width and control
 * characters, NULs, lone surrogates, Discord markup, mentions, code fences, URLs) goes through sentence
 * splitting, the chrome filter and tokenising without throwing, and the output keeps its promises.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isChrome } from '../../src/text/chrome';
import { splitSentences } from '../../src/text/sentences';
import { stem, STOP_WORDS, terms, words } from '../../src/text/tokens';
import { anyCodePoints, anyCodeUnits, anyText, hasLoneSurrogate, LARGE_INPUTS, newsLike } from './arbitraries';

/** FC_RUNS=5000 for a long hunt; the default keeps `npm test` quick. */
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 200) };
const withoutWhitespace = (text: string) => text.replace(/\s/g, '');


function checkSplit(input: string): void {
  const sentences = splitSentences(input);
  // Non-empty and trimmed; white space inside is single spaces, so line breaks and tabs never reach the index.
  expect(sentences.filter(({ text }) => text === '' || text !== text.trim() || /[^\S ]| {2}/.test(text))).toEqual([]);
  // Splitting only cuts at white space and normalises it: every other character survives, in order.
  expect(withoutWhitespace(sentences.map((s) => s.text).join(''))).toBe(withoutWhitespace(input));
  // Paragraphs are numbered 0, 1, 2… in order, with no gaps.
  const steps = sentences.map(({ paragraph }, i) => paragraph - (i === 0 ? 0 : sentences[i - 1]!.paragraph));
  expect(steps.filter((step) => step !== 0 && step !== 1)).toEqual([]);
}

describe('splitSentences on any input', () => {
  test.prop([anyText(400)], RUNS)('never throws, keeps every non-space character, trims, numbers paragraphs in order', (input) => {
    checkSplit(input);
  });

  test.prop([newsLike(120)], RUNS)('does the same on long news-like text with hostile pieces mixed in', (input) => {
    checkSplit(input);
  });

  test.prop([anyText(300)], RUNS)('reads CRLF and lone CR line ends as LF', (input) => {
    const lf = input.replace(/\r\n?/g, '\n');
    expect(splitSentences(lf.replace(/\n/g, '\r\n'))).toEqual(splitSentences(lf));
    expect(splitSentences(lf.replace(/\n/g, '\r'))).toEqual(splitSentences(lf));
  });

  test.prop([anyCodePoints(300)], RUNS)('never makes a lone surrogate out of well-formed text', (input) => {
    for (const { text } of splitSentences(input)) expect(hasLoneSurrogate(text)).toBe(false);
  });

  it.each(Object.entries(LARGE_INPUTS))('handles 100 KB of %s', (_name, input) => {
    checkSplit(input);
  });
});

describe('isChrome on any input', () => {
  test.prop([anyText(300)], RUNS)('never throws and treats a line the same with or without surrounding white space', (line) => {
    const verdict = isChrome(line);
    expect(typeof verdict).toBe('boolean');
    expect(isChrome(` \t${line}\n `)).toBe(verdict);
  });

  test.prop([anyCodeUnits(200)], RUNS)('drops lines with no letters or digits only when they are empty after trimming', (line) => {
    if (line.trim() === '') expect(isChrome(line)).toBe(true);
  });

  test.prop([fc.string({ unit: 'grapheme', minLength: 120, maxLength: 300 })], RUNS)(
    'never drops a long line, however it opens: real sentences outlast labels',
    (middle) => {
      expect(isChrome(`Read more z${middle}z`)).toBe(false);
      expect(isChrome(`Advertisement z${middle}z`)).toBe(false);
    },
  );

  it.each(Object.entries(LARGE_INPUTS))('handles 100 KB of %s', (_name, input) => {
    expect(typeof isChrome(input)).toBe('boolean');
  });

  it('still trims trailing separators before matching ("Read more »", "Share -")', () => {
    expect(isChrome('Read more »')).toBe(true);
    expect(isChrome('Share | - •')).toBe(true);
    expect(isChrome(`Read more ${'-'.repeat(200)}`)).toBe(true);
    expect(isChrome(`${'-'.repeat(100_000)}x`)).toBe(false);
  });
});

describe('words and terms on any input', () => {
  function checkTokens(input: string): void {
    const found = words(input);
    // Non-empty, lower case, letters, marks and digits (a dot only between digits: "3.5").
    expect(found.filter((word) => word === '' || word !== word.toLowerCase() || !/^[\p{L}\p{M}\p{N}.]+$/u.test(word))).toEqual([]);
    const indexTerms = terms(input);
    expect(indexTerms.length).toBeLessThanOrEqual(found.length);
    expect(indexTerms.filter((term) => term === '' || /\s/.test(term))).toEqual([]);
    // Terms are the stems of the words that are not stop words, in order.
    expect(indexTerms).toEqual(found.filter((word) => !STOP_WORDS.has(word)).map(stem));
  }

  test.prop([anyText(400)], RUNS)('never throw; words are non-empty, lower case and made of letters, marks, digits', (input) => {
    checkTokens(input);
  });

  test.prop([newsLike(), newsLike()], RUNS)('tokenise two texts joined by a space as the two apart', (a, b) => {
    expect(words(`${a} ${b}`)).toEqual([...words(a), ...words(b)]);
  });

  test.prop([newsLike(), fc.constantFrom('**', '__', '`', '```', '||', '~~', '*', '> ', '"', '(')], RUNS)(
    'ignore Discord markup around a question',
    (text, mark) => {
      const closing = mark === '> ' ? '' : mark === '(' ? ')' : mark;
      expect(terms(`${mark}${text} ${closing}`)).toEqual(terms(text));
    },
  );

  it.each(Object.entries(LARGE_INPUTS))('handle 100 KB of %s', (_name, input) => {
    checkTokens(input);
  });

  it('never yields an empty word for a bare "n\'t" (tokenised text such as "do n\'t")', () => {
    expect(words("do n't")).toEqual(['do', 'not']);
    expect(words("n't")).toEqual(['not']);
    expect(terms("ca n't")).not.toContain('');
  });

  it('keeps a very long word whole instead of stemming it', () => {
    const long = 'x'.repeat(50_000);
    expect(terms(`${long}s`)).toEqual([`${long}s`]);
    expect(terms('councils')).toEqual(['council']);
  });
});
