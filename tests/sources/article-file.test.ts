import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleFile, frontMatter, plainTextToMarkdown } from '../../src/sources/article-file';
import { markdownToText } from '../../src/sources/formats/markdown';
import { parseSourceText } from '../../src/sources/loader';
import { splitFrontMatter } from '../../src/sources/parse';
import { splitBlocks } from '../../src/text/sentences';

const HARBOR = readFileSync(new URL('../fixtures/pages/harbor-council-budget.html', import.meta.url), 'utf8');

/** What the plain-text loader sees as blocks, with white space collapsed as Markdown rendering does. */
function textBlocks(text: string): string {
  return splitBlocks(text)
    .flat()
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .join('\n\n');
}

describe('plainTextToMarkdown', () => {
  it('reads back as the same words, however much the text looks like Markdown', () => {
    const nasty = [
      '# Not a heading',
      '- not a list',
      '1. not numbered either',
      '> not a quote',
      'Prices rose 5*3 = 15% _today_ [see](http://x) `code` <b>bold</b> <!-- kept --> &amp; a \\ backslash | pipe ~~',
      '---',
      '=====',
    ].join('\n\n');
    expect(markdownToText(plainTextToMarkdown(nasty))).toBe(textBlocks(nasty));
  });

  it('round-trips any text (property)', () => {
    const alphabet = [...'ab #*_`[]()<>!&;|~-+=.1\\:"\'\n \t'];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, (input) => {
        expect(markdownToText(plainTextToMarkdown(input))).toBe(textBlocks(input));
      }),
      { numRuns: 500 },
    );
  });
});

describe('frontMatter', () => {
  it('quotes values and keeps each on one line, so they read back exactly', () => {
    const block = frontMatter({
      title: 'Mayor: "We will rebuild"\n---\nurl: https://evil.example',
      url: 'https://example.com/a?b=c#d',
      author: 'Ana\u0000 Díaz',
    });
    expect(block.split('\n')).toEqual([
      '---',
      'title: "Mayor: "We will rebuild" --- url: https://evil.example"',
      'url: "https://example.com/a?b=c#d"',
      'author: "Ana Díaz"',
      '---',
      '',
    ]);
    expect(splitFrontMatter(`${block}\nBody.`).metadata).toEqual({
      title: 'Mayor: "We will rebuild" --- url: https://evil.example',
      url: 'https://example.com/a?b=c#d',
      author: 'Ana Díaz',
    });
  });
});

describe('articleFile', () => {
  it('extracts an HTML page into Markdown with the page metadata', () => {
    const file = articleFile({ text: HARBOR, format: 'html', metadata: { fetched: '2024-03-13T08:00:00.000Z' } });
    expect(file.metadata).toMatchObject({
      title: 'Harbor City council approves $48m budget after late-night session',
      author: 'Maria Delgado',
      url: 'https://www.harborledger.example/news/local/2024/03/12/council-approves-budget',
      fetched: '2024-03-13T08:00:00.000Z',
    });
    const document = parseSourceText('harbor.md', file.content, 'markdown');
    expect(document.title).toBe(file.metadata.title);
    expect(document.sentences.join(' ')).toContain('$48 million');
    expect(document.sentences.join(' ')).not.toMatch(/cookie|Subscribe/i);
  });

  it("keeps a Markdown file's own front matter under what the bot knows", () => {
    const upload = '---\ntitle: Flood warning\nauthor: Desk\nurl: https://old.example/flood\n---\n# Flood warning\n\nThe river rose **two metres** overnight.\n';
    const file = articleFile({ text: upload, format: 'markdown', metadata: { url: 'https://new.example/flood', uploaded: '2024-01-01T00:00:00.000Z' } });
    expect(file.metadata).toEqual({ title: 'Flood warning', author: 'Desk', url: 'https://new.example/flood', uploaded: '2024-01-01T00:00:00.000Z' });
    expect(file.content.match(/^---$/gm)).toHaveLength(2);
    expect(parseSourceText('flood.md', file.content, 'markdown').sentences).toEqual(['Flood warning', 'The river rose two metres overnight.']);
  });

  it('indexes plain text as the plain-text loader would', () => {
    const text = 'Storm closes schools\nAll schools in the district closed on Monday.\nBuses will not run.';
    const saved = parseSourceText('storm.md', articleFile({ text, format: 'text' }).content, 'markdown');
    expect(saved.sentences).toEqual(parseSourceText('storm.txt', text, 'text').sentences);
  });
});
