import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSources, SourcesUnavailableError } from '../../src/sources/loader';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-loader-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadSources', () => {
  it('loads .txt, .md and .html files in name order, ignoring dot-files and .trash', async () => {
    await writeFile(join(dir, 'b.txt'), 'The council met on Monday. It approved the plan.');
    await writeFile(join(dir, 'a.md'), '---\ntitle: A title\n---\n# Heading\n\nThe **vote** was close.');
    await writeFile(join(dir, 'c.html'), '<html><head><title>Page</title></head><body><article><h1>Page</h1><p>The bridge reopened on Friday after two years of repairs to its steel frame and deck.</p><p>Traffic was light in the morning, officials said, but rose by the evening rush hour.</p></article></body></html>');
    await writeFile(join(dir, '.hidden.txt'), 'Secret.');
    await mkdir(join(dir, '.trash'));
    await writeFile(join(dir, '.trash', 'old.txt'), 'Old.');
    const { documents, skipped } = await loadSources(dir);
    expect(documents.map((d) => d.id)).toEqual(['a.md', 'b.txt', 'c.html']);
    expect(documents[0]).toMatchObject({ title: 'A title', sentences: ['Heading', 'The vote was close.'] });
    expect(documents[2]?.sentences[0]).toMatch(/^The bridge reopened/);
    expect(skipped).toEqual([]);
  });

  it('skips each bad file with its reason and loads the rest', async () => {
    await writeFile(join(dir, 'good.txt'), 'A good sentence.');
    await writeFile(join(dir, 'empty.txt'), '');
    await writeFile(join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    await writeFile(join(dir, 'latin1.txt'), Buffer.from('Caf\xe9 au lait.', 'latin1'));
    await writeFile(join(dir, 'chrome.txt'), 'Advertisement\nRead more');
    await writeFile(join(dir, 'notes.pdf'), 'x');
    await mkdir(join(dir, 'folder.txt'));
    const { documents, skipped } = await loadSources(dir, { maxSourceBytes: 1024 });
    expect(documents.map((d) => d.id)).toEqual(['good.txt']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.file, s.reason]));
    expect(reasons).toEqual({
      'binary.txt': expect.stringMatching(/binary/),
      'chrome.txt': expect.stringMatching(/no article text/),
      'empty.txt': expect.stringMatching(/empty/),
      'folder.txt': expect.stringMatching(/folder/),
      'latin1.txt': expect.stringMatching(/UTF-8/),
      'notes.pdf': expect.stringMatching(/\.txt, \.md or \.html/),
    });
  });

  it('refuses a file over the size limit without reading it whole', async () => {
    await writeFile(join(dir, 'big.txt'), 'word '.repeat(1000));
    const { skipped } = await loadSources(dir, { maxSourceBytes: 1000 });
    expect(skipped[0]?.reason).toMatch(/over the 1000 bytes limit \(MAX_SOURCE_BYTES\)/);
  });

  it('skips a link that leads out of the folder but follows one inside it', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'qa-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'Secret outside text.');
    await writeFile(join(dir, 'real.txt'), 'Inside text.');
    await symlink(join(outside, 'secret.txt'), join(dir, 'escape.txt'));
    await symlink(join(dir, 'real.txt'), join(dir, 'alias.txt'));
    const { documents, skipped } = await loadSources(dir);
    expect(documents.map((d) => d.id)).toEqual(['alias.txt', 'real.txt']);
    expect(skipped).toEqual([{ file: 'escape.txt', reason: 'a link to a file outside the sources folder' }]);
    await rm(outside, { recursive: true, force: true });
  });

  it('loads a single file given as the path', async () => {
    await writeFile(join(dir, 'one.txt'), 'Only sentence.');
    expect((await loadSources(join(dir, 'one.txt'))).documents.map((d) => d.id)).toEqual(['one.txt']);
  });

  it('throws SourcesUnavailableError for a missing folder', async () => {
    await expect(loadSources(join(dir, 'missing'))).rejects.toThrow(SourcesUnavailableError);
  });
});
