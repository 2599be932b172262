import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSourceBytes, formatOf } from '../../../src/sources/formats/detect';
import { SourceFormatError } from '../../../src/sources/formats/errors';

const MB = 1024 * 1024;

function reasonFor(bytes: Buffer, maxBytes = 2 * MB): string {
  try {
    decodeSourceBytes(bytes, 'story.txt', maxBytes);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFormatError);
    return (error as SourceFormatError).reason;
  }
  throw new Error('expected decodeSourceBytes to reject the bytes');
}

describe('formatOf', () => {
  it.each([
    ['story.txt', 'text'],
    ['story.md', 'markdown'],
    ['story.markdown', 'markdown'],
    ['story.html', 'html'],
    ['story.htm', 'html'],
    ['STORY.HTML', 'html'],
    ['Story.Md', 'markdown'],
    ['2024.03.12.council.txt', 'text'],
  ])('%s is %s', (fileName, format) => {
    expect(formatOf(fileName)).toBe(format);
  });

  it.each(['story.pdf', 'story', 'story.txt.bak', '.md', 'folder.md/readme', 'story.docx'])('%s is not a source', (fileName) => {
    expect(formatOf(fileName)).toBeUndefined();
  });
});

describe('decodeSourceBytes', () => {
  it('decodes UTF-8, keeping non-ASCII text', () => {
    expect(decodeSourceBytes(Buffer.from('Café owners “protest” – €38/m²\n'), 'a.txt', MB)).toBe('Café owners “protest” – €38/m²\n');
  });

  it('strips a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Headline\n')]);
    expect(decodeSourceBytes(bytes, 'a.txt', MB)).toBe('Headline\n');
  });

  it('normalises CRLF and lone CR line ends to LF', () => {
    expect(decodeSourceBytes(Buffer.from('one\r\ntwo\rthree\n\r\nfour'), 'a.txt', MB)).toBe('one\ntwo\nthree\n\nfour');
  });

  it('decodes a real fixture page', () => {
    const bytes = readFileSync(new URL('../../fixtures/pages/cafe-owners-protest.html', import.meta.url));
    expect(decodeSourceBytes(bytes, 'cafe.html', MB)).toContain('Jürgen Weiß');
  });

  it('rejects a file over the limit, saying by how much', () => {
    expect(reasonFor(Buffer.alloc(Math.round(2.1 * MB), 'a'))).toBe('2.1 MB is over the 2 MB limit (MAX_SOURCE_BYTES)');
  });

  it('shows exact bytes when the rounded size would equal the limit', () => {
    expect(reasonFor(Buffer.alloc(2 * MB + 1, 'a'))).toBe('2,097,153 bytes is over the 2 MB limit (MAX_SOURCE_BYTES)');
  });

  it('accepts a file of exactly the limit', () => {
    expect(decodeSourceBytes(Buffer.alloc(1000, 'a'), 'a.txt', 1000)).toHaveLength(1000);
  });

  it('rejects binary files: NUL bytes anywhere', () => {
    const bytes = Buffer.concat([Buffer.from('looks like text at first '.repeat(100)), Buffer.from([0x00])]);
    expect(reasonFor(bytes)).toBe('the file looks binary, not text');
  });

  it('rejects binary files: many control characters', () => {
    const bytes = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 0x01 : 0x41)));
    expect(reasonFor(bytes)).toBe('the file looks binary, not text');
  });

  it('rejects a PNG image', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect(reasonFor(png)).toBe('the file looks binary, not text');
  });

  it('accepts text with tabs, form feeds and a rare stray control character', () => {
    const text = `col\tcol\f\n${'ordinary prose '.repeat(20)}\u0007`;
    expect(decodeSourceBytes(Buffer.from(text), 'a.txt', MB)).toBe(text);
  });

  it('rejects Latin-1 bytes as invalid UTF-8', () => {
    expect(reasonFor(Buffer.from('Café owners protest', 'latin1'))).toBe(
      'the file is not valid UTF-8 (perhaps Latin-1 or Windows-1252); save it as UTF-8',
    );
  });

  it('rejects a UTF-8 sequence cut short at the end of the file', () => {
    expect(reasonFor(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toMatch(/not valid UTF-8/);
  });

  it('names UTF-16 rather than calling it binary', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Headline', 'utf16le')]);
    expect(reasonFor(utf16)).toBe('the file is UTF-16 text; save it as UTF-8');
  });

  it('rejects an empty file, a file with only a BOM, and whitespace only', () => {
    expect(reasonFor(Buffer.alloc(0))).toBe('the file is empty');
    expect(reasonFor(Buffer.from([0xef, 0xbb, 0xbf]))).toBe('the file is empty');
    expect(reasonFor(Buffer.from(' \n\r\n\t '))).toBe('the file has only whitespace');
  });

  it('puts the file name in the message but not in the reason', () => {
    expect(() => decodeSourceBytes(Buffer.alloc(0), 'council.md', MB)).toThrow('council.md: the file is empty');
  });
});
