import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAndAnalyse, loadAndAnalyseOffThread } from '../../src/sources/analysed-load';
import { SourcesUnavailableError } from '../../src/sources/loader';

const articles = fileURLToPath(new URL('../fixtures/articles', import.meta.url));

describe('loading and analysing on a worker thread', () => {
  it('gives exactly what loading on this thread gives', async () => {
    const [here, there] = await Promise.all([loadAndAnalyse(articles, {}), loadAndAnalyseOffThread(articles, {})]);
    expect(there.documents).toEqual(here.documents);
    expect(there.skipped).toEqual(here.skipped);
    expect(there.analysis.terms).toEqual(here.analysis.terms);
    expect(Array.from(there.analysis.tokens)).toEqual(Array.from(here.analysis.tokens));
    expect(Array.from(there.analysis.sentenceParagraph)).toEqual(Array.from(here.analysis.sentenceParagraph));
  });

  it('reports a missing folder as SourcesUnavailableError', async () => {
    await expect(loadAndAnalyseOffThread('/no/such/folder', {})).rejects.toThrow(SourcesUnavailableError);
  });
});
