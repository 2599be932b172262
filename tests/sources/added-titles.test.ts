/** An added article with no title and no words to make one from never gets the internal placeholder as title (issue 15 item 6). */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArticleLibrary } from '../../src/sources/library';

const moderator = { id: '1', tag: 'mod#0001' };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-titles-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('titles of added articles', () => {
  it('takes the title from the uploaded file name when the only sentence is "..."', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    const added = await library.addSource({ text: '...', format: 'text', fileName: 'harbour-wall_notes.txt', addedBy: moderator });
    expect(added.source.title).toBe('harbour wall notes');
    // The saved file carries the title, so a reload shows the same.
    await library.reload();
    expect(library.sources().map((source) => source.title)).toEqual(['harbour wall notes']);
  });

  it('does the same when the first sentence has no words but later ones do', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    const added = await library.addSource({ text: '...\n\nThe wall reopened on Friday.', format: 'markdown', fileName: 'wall.md', addedBy: moderator });
    expect(added.source.title).toBe('wall');
  });

  it('refuses it with its reason when there is no file name either, changing nothing', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    await expect(library.addSource({ text: '...', format: 'text', addedBy: moderator })).rejects.toMatchObject({
      reason: 'the article has no title, and its first sentence has no words to make one from',
    });
    expect(await readdir(dir)).toEqual([]);
    expect(library.counts().sources).toBe(0);
  });
});
