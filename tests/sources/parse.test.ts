import { describe, expect, it } from 'vitest';
import { parseArticle, splitFrontMatter, titleFromSentence } from '../../src/sources/parse';

describe('splitFrontMatter', () => {
  it('reads title, url, author and published, quoted or not', () => {
    const { metadata, body } = splitFrontMatter('---\ntitle: "Floods: the day after"\nurl: https://x.example/a\nauthor: Ann Lee\npublished: 2024-03-14\ntags: [a, b]\n---\nBody text.');
    expect(metadata).toEqual({ title: 'Floods: the day after', url: 'https://x.example/a', author: 'Ann Lee', published: '2024-03-14' });
    expect(body).toBe('Body text.');
  });

  it('leaves text without front matter alone, minus a BOM and CRLF', () => {
    expect(splitFrontMatter('\uFEFFLine one.\r\nLine two.')).toEqual({ metadata: {}, body: 'Line one.\nLine two.' });
  });

  it('does not treat a horizontal rule later in the text as front matter', () => {
    expect(splitFrontMatter('Intro.\n---\ntitle: no\n---').metadata).toEqual({});
  });
});

describe('parseArticle', () => {
  it('makes a short title from the first sentence when none is given', () => {
    const doc = parseArticle('a.txt', 'Heavy rain pushed the Severn River over its banks on Wednesday, forcing about 4,000 residents to leave their homes.');
    expect(doc.title).toBe('Heavy rain pushed the Severn River over its banks on Wednesday, forcing about…');
    expect(titleFromSentence('Short one.')).toBe('Short one');
  });

  it('drops chrome lines and numbers paragraphs', () => {
    const doc = parseArticle('a.txt', 'First line here.\nAdvertisement\nSecond line. Third one.');
    expect(doc.sentences).toEqual(['First line here.', 'Second line.', 'Third one.']);
    expect(doc.paragraphs).toEqual([0, 2, 2]);
  });

  it('lets front matter win over metadata passed in', () => {
    const doc = parseArticle('a.md', '---\ntitle: From file\n---\nText.', { title: 'Passed', url: 'https://u.example' });
    expect(doc).toMatchObject({ title: 'From file', url: 'https://u.example' });
  });
});
