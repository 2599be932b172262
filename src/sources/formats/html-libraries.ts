/**
 * The HTML libraries (linkedom, Readability, htmlparser2), loaded on first use: loading them took about
 * 0.2 s of every start, which a set of .txt and .md articles (and most CLI runs) need not pay. Their
 * CommonJS builds are loaded with `require`, so reading an article stays synchronous.
 */
import { createRequire } from 'node:module';

type Linkedom = typeof import('linkedom');
type ReadabilityModule = typeof import('@mozilla/readability');
type Htmlparser2 = typeof import('htmlparser2');

const load = createRequire(import.meta.url);
let linkedom: Linkedom | undefined;
let readability: ReadabilityModule | undefined;
let htmlparser2: Htmlparser2 | undefined;

export function linkedomLibrary(): Linkedom {
  linkedom ??= load('linkedom') as Linkedom;
  return linkedom;
}

export function readabilityLibrary(): ReadabilityModule {
  readability ??= load('@mozilla/readability') as ReadabilityModule;
  return readability;
}

export function htmlparser2Library(): Htmlparser2 {
  htmlparser2 ??= load('htmlparser2') as Htmlparser2;
  return htmlparser2;
}
