import { describe, expect, it } from 'vitest';
import { formatAnswer } from '../../src/console/format';
import type { Answer } from '../../src/sources/library-types';
import { quoteText } from '../../src/text/quote';

describe('quoteText', () => {
  it('wraps in marks the sentence does not use itself, never changing the sentence', () => {
    expect(quoteText('The first meeting was held in Singapore.')).toBe('“The first meeting was held in Singapore.”');
    expect(quoteText('"The letter showed a commitment,')).toBe('“"The letter showed a commitment,”');
    expect(quoteText('to talks," Sanders said.')).toBe('“to talks," Sanders said.”');
    expect(quoteText('“We are ready,” she said.')).toBe('«“We are ready,” she said.»');
    // Every kind used: the usual marks, as good as any.
    expect(quoteText('“Ready” and «prêt» and "listo"')).toBe('““Ready” and «prêt» and "listo"”');
  });
});

describe('console answers quote sentences readably', () => {
  it('a sentence that opens or closes a quotation never shows doubled marks', () => {
    const hit = { source: 'a.txt', title: 'Letter', total: 24, score: 5.5 };
    const answer: Answer = {
      question: 'What did the letter show?',
      answered: true,
      confident: true,
      hits: [{ ...hit, sentence: 11, text: '"The letter showed a commitment to talks.', context: { sentence: 12, text: 'And to peace," Sanders said.' } }],
    };
    const text = formatAnswer(answer);
    expect(text).not.toMatch(/""|"$/m);
    expect(text).toContain('1. “"The letter showed a commitment to talks.”');
    expect(text).toContain('context (sentence 12, after): “And to peace," Sanders said.”');
  });
});
