import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { respond, runChat } from '../../src/console/chat';
import { ArticleLibrary } from '../../src/sources/library';

const articles = fileURLToPath(new URL('../fixtures/articles', import.meta.url));
const { library } = await ArticleLibrary.open({ sourcesPath: articles });

async function chat(lines: string[]): Promise<string> {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await runChat({ library, input: Readable.from([lines.join('\n') + '\n']), output, interactive: false });
  return text;
}

describe('console chat', () => {
  it('answers piped questions in order and returns at end of input', async () => {
    const text = await chat(['How high did the river peak?', 'what is the capital of France?']);
    expect(text).toMatch(/^1\. "The river peaked at 6\.2 metres/);
    expect(text).toContain('— River floods force thousands from homes in the valley <https://news.example.org/2024/03/valley-floods>, sentence');
    expect(text).toContain('The loaded articles do not answer that. Type /sources');
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

  it('stops at /quit', async () => {
    const text = await chat(['/quit', 'How high did the river peak?']);
    expect(text).toBe('');
  });
});
