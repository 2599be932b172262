import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitBlock, splitBlocks, splitSentences } from '../../src/text/sentences';

const seed = readFileSync(new URL('../../seeds/000_a08a99f93af952b7.txt', import.meta.url), 'utf8');

describe('splitBlock on news prose', () => {
  it.each([
    ['quote then attribution', '"We will not back down," she said. The vote is on Tuesday.', ['"We will not back down," she said.', 'The vote is on Tuesday.']],
    ['titles are not ends', 'Mr. Smith met Dr. Jones and Gov. Newsom. They talked for an hour.', ['Mr. Smith met Dr. Jones and Gov. Newsom.', 'They talked for an hour.']],
    ['initials', 'The book by J. K. Rowling sold well. John F. Kennedy Airport was closed.', ['The book by J. K. Rowling sold well.', 'John F. Kennedy Airport was closed.']],
    ['U.S. mid-sentence', 'The U.S. Senate voted 52 to 48 on the measure.', ['The U.S. Senate voted 52 to 48 on the measure.']],
    ['U.S. at the end', 'The company is based in the U.S. The rest of its staff work in Ireland.', ['The company is based in the U.S.', 'The rest of its staff work in Ireland.']],
    ['months and numbers', 'The law takes effect on Jan. 1 and No. 10 Downing Street agreed.', ['The law takes effect on Jan. 1 and No. 10 Downing Street agreed.']],
    ['decimals and money', 'Shares rose 2.5% to $31.75 on Friday. Profit was $1.2 billion.', ['Shares rose 2.5% to $31.75 on Friday.', 'Profit was $1.2 billion.']],
    ['a.m. times', 'The blast happened at 9 a.m. on Monday near the station.', ['The blast happened at 9 a.m. on Monday near the station.']],
    ['ellipsis mid-sentence', 'He paused... and then he spoke again.', ['He paused... and then he spoke again.']],
    ['ellipsis then capital', 'Nobody answered... The door stayed shut.', ['Nobody answered...', 'The door stayed shut.']],
    ['! and ? inside quotes', '"Help!" she shouted. "Is anyone there?" he asked quietly.', ['"Help!" she shouted.', '"Is anyone there?" he asked quietly.']],
    ['quote ending a sentence', 'He called it "a disaster." Then he left the room.', ['He called it "a disaster."', 'Then he left the room.']],
    ['curly quotes', '“It was a very warm letter,” she said. “We are open to it.”', ['“It was a very warm letter,” she said.', '“We are open to it.”']],
  ])('%s', (_name, input, expected) => {
    expect(splitBlock(input)).toEqual(expected);
  });

  it('attaches a stray closing fragment to its sentence', () => {
    expect(splitBlock('"Much better than before I took office.," he said.')).toEqual(['"Much better than before I took office.," he said.']);
  });
});

describe('splitBlocks', () => {
  it('keeps a heading without a full stop apart from the next line', () => {
    expect(splitBlocks('Talks stall\nThe two sides met on Monday.')).toEqual([['Talks stall', 'The two sides met on Monday.']]);
  });

  it('joins hard-wrapped lines of one paragraph', () => {
    const wrapped = 'The committee said on Thursday that the budget would be\nreviewed again next year by the full council.';
    expect(splitBlocks(wrapped)).toEqual([['The committee said on Thursday that the budget would be reviewed again next year by the full council.']]);
  });

  it('separates paragraphs at blank lines and handles CRLF', () => {
    expect(splitBlocks('First paragraph.\r\n\r\nSecond paragraph.')).toEqual([['First paragraph.'], ['Second paragraph.']]);
  });
});

describe('splitSentences on the seed article', () => {
  const sentences = splitSentences(seed).map((s) => s.text);

  it('keeps the chrome line on its own instead of gluing it to the next sentence', () => {
    expect(sentences).toContain('More From This Section');
    expect(sentences).toContain('But on Monday, Sanders called the letter "further evidence of progress" in the relationship between the two leaders.');
  });

  it('leaves no stray fragment at the end', () => {
    expect(sentences.at(-1)).toBe('Much better than before I took office.," he said.');
    expect(sentences.every((s) => /[\p{L}\p{N}]/u.test(s) && !/^[,"]\s/u.test(s))).toBe(true);
  });

  it('splits quoted speech into its sentences', () => {
    expect(sentences).toContain('It was a very warm, very positive letter.');
  });

  it('numbers paragraphs by line', () => {
    const parts = splitSentences(seed);
    expect(parts[0]?.paragraph).toBe(0);
    expect(parts.find((s) => s.text.startsWith('It was a very warm'))?.paragraph).toBe(3);
  });
});
