import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { respond, runChat } from '../../src/console/chat';
import { ArticleLibrary } from '../../src/sources/library';
import { summaryLengthError } from '../../src/sources/summary-length';

const articles = fileURLToPath(new URL('../fixtures/articles', import.meta.url));
const { library } = await ArticleLibrary.open({ sourcesPath: articles });
const emptyFolder = await mkdtemp(join(tmpdir(), 'qa-chat-empty-'));
afterAll(() => rm(emptyFolder, { recursive: true, force: true }));

async function chat(lines: string[]): Promise<string> {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await runChat({ library, input: Readable.from([lines.join('\n') + '\n']), output, interactive: false });
  return text;
}

describe('console chat', () => {
  it('answers piped questions in order and returns at end of input', async () => {
    const text = await chat(['How high did the river peak?', '', 'what is the capital of France?']);
    // Each piped line is shown before its answer, so a transcript reads like the interactive chat.
    expect(text).toMatch(/^> How high did the river peak\?\n1\. “The river peaked at 6\.2 metres/);
    expect(text).toMatch(/\n\n> what is the capital of France\?\nThe loaded articles do not answer that\.[^\n]*\n$/);
    expect(text).toContain('— River floods force thousands from homes in the valley <https://news.example.org/2024/03/valley-floods>, sentence');
    expect(text).toContain('The loaded articles do not answer that. Type /sources');
  });

  it('says plainly when it is not sure, and shows the closest sentences as such', async () => {
    const text = await respond(library, 'When was the vaccine invented by the river?');
    expect(text).toMatch(/^I'm not sure the articles answer that\. The closest sentences:\n1\. /);
  });

  it('runs the typed commands', async () => {
    expect(await respond(library, '/sources')).toMatch(/election\.txt\t8 sentences/);
    expect(await respond(library, '/summary vaccine.txt 2')).toMatch(/^Health officials approved|R21/m);
    expect(await respond(library, '/summary nope.txt')).toContain('No source named "nope.txt"');
    expect(await respond(library, '/reload')).toMatch(/^Reloaded in \d+ ms: 3 → 3 articles/);
    expect(await respond(library, '/help')).toContain('/summary [SOURCE] [N]');
    expect(await respond(library, '/wat')).toContain('Unknown command /wat');
    expect(await respond(library, '/quit')).toBeUndefined();
  });

  it('names a summary source by file name, title or start of a title; an ambiguous one lists the matches', async () => {
    const byFile = await respond(library, '/summary flood.md 1');
    expect(byFile).toMatch(/^River floods force thousands from homes in the valley <[^>]+> \(flood\.md, 10 sentences\)\n {2}\[\d+\] /);
    expect(byFile!.split('\n')).toHaveLength(2);
    expect(await respond(library, '/summary river FLOODS 1')).toBe(byFile);
    expect(await respond(library, '/summary River floods force thousands from homes in the valley 1')).toBe(byFile);
    expect(await respond(library, '/summary River floods… 1')).toBe(byFile);
    expect(await respond(library, '/summary nope 2')).toMatch(/^No source named "nope" is loaded\..* Type \/sources to list them\.$/);
  });

  it('says so when no articles are loaded, and where it looked', async () => {
    const { library: none } = await ArticleLibrary.open({ sourcesPath: emptyFolder });
    const advice = `No articles are loaded from ${emptyFolder}: add .txt, .md or .html article files there and type /reload.`;
    expect(await respond(none, 'Where was the first meeting held?', emptyFolder)).toBe(advice);
    expect(await respond(none, '/summary', emptyFolder)).toBe(advice);
    expect(await respond(none, '/sources', emptyFolder)).toBe(advice);
  });

  it('keeps a summary to 1 to 10 sentences, with the shared message', async () => {
    expect(await respond(library, '/summary vaccine.txt 10')).toMatch(/^.+\(vaccine\.txt, 6 sentences\)/);
    for (const bad of ['0', '11', '2.5']) expect(await respond(library, `/summary ${bad}`)).toBe(summaryLengthError(bad));
  });

  it('counts in words: 1 article, 2 articles', async () => {
    const { library: one } = await ArticleLibrary.open({ sourcesPath: join(articles, 'vaccine.txt') });
    expect(await respond(one, '/reload')).toMatch(/^Reloaded in \d+ ms: 1 → 1 article, 6 → 6 sentences\.$/);
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await runChat({ library: one, input: Readable.from(['/quit\n']), output, interactive: true });
    expect(text).toContain('Article Q&A: 1 article, 6 sentences. Ask a question, or /help.');
  });

  it('stops at /quit', async () => {
    const text = await chat(['/quit', 'How high did the river peak?']);
    expect(text).toBe('');
  });
});

describe('console chat output of hostile articles (issue 15)', () => {
  it('prints no terminal escapes or control characters from article text, titles or file names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qa-chat-escapes-'));
    try {
      const text = 'The harbour\x1b[2J wall\x1b]0;owned\x07 reopened on Friday.\n\nThe council\x07 paid for the\x9b repairs.';
      await writeFile(join(dir, 'wall.txt'), text);
      await writeFile(join(dir, 'title.md'), '---\ntitle: "Bridge\\u001b[31m news"\n---\nThe bridge\u202e closed on Monday.');
      const { library: hostile } = await ArticleLibrary.open({ sourcesPath: dir });
      // The article text really holds them, so the chat is what strips them.
      expect(hostile.ask('When did the harbour wall reopen?').hits[0]!.text).toContain('\x1b[2J');
      await writeFile(join(dir, 'late\x1b[2J.txt'), '');
      const output = new PassThrough();
      let printed = '';
      output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      const lines = ['When did the harbour wall reopen?', 'When did the bridge close?', '/summary', '/sources', '/reload'];
      await runChat({ library: hostile, input: Readable.from([lines.join('\n') + '\n']), output, interactive: false });
      expect(printed).toContain('harbour wall reopened on Friday');
      expect(printed).toContain('The bridge closed on Monday');
      expect(printed).toMatch(/skipped late\.txt/);
      // eslint-disable-next-line no-control-regex -- looking for control characters
      expect(printed).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
