import { readFileSync, readdirSync } from 'node:fs';
import type { SourceDocument } from '../../src/engine/types';
import { parseSourceText } from '../../src/sources/loader';
import { formatOf } from '../../src/sources/formats/detect';

const ARTICLES = new URL('../fixtures/articles/', import.meta.url);
const SEEDS = new URL('../../seeds/', import.meta.url);

function load(folder: URL): SourceDocument[] {
  return readdirSync(folder).sort().map((name) => parseSourceText(name, readFileSync(new URL(name, folder), 'utf8'), formatOf(name)!));
}

/** Three short news articles written for the tests, plus the seed article. */
export function fixtureDocuments(): SourceDocument[] {
  return [...load(ARTICLES), ...load(SEEDS)];
}

export function seedDocuments(): SourceDocument[] {
  return load(SEEDS);
}

export const SEED_ID = '000_a08a99f93af952b7.txt';
