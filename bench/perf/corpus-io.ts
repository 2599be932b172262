/** File IO for corpora: compressed sentence pools, and the prepared corpus files children read. */
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { CorpusDoc } from './corpus';
import type { BenchQuestion } from './eval-data';

/** One sentence a line; `.gz` and `.br` are decompressed. Blank lines dropped, ends trimmed. */
export function readSentenceLines(file: string): string[] {
  const raw = readFileSync(file);
  const bytes = file.endsWith('.gz') ? gunzipSync(raw) : file.endsWith('.br') ? brotliDecompressSync(raw) : raw;
  const out: string[] = [];
  for (const line of bytes.toString('utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '') out.push(trimmed);
  }
  return out;
}

/** `sentences.txt.gz` → `sentences.manifest.json` next to it, parsed, when present. */
export function readManifest(file: string): Record<string, unknown> | undefined {
  const manifest = file.replace(/(\.txt)?(\.gz|\.br)?$/, '.manifest.json');
  if (manifest === file || !existsSync(manifest)) return undefined;
  try {
    const data: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What a child needs besides the documents. */
export interface CorpusHeader {
  size: number;
  sentences: number;
  /** All questions, in the (seeded, shuffled) order they are asked. */
  questions: BenchQuestion[];
  /** Document ids of evaluation articles in this corpus: their questions count for accuracy. */
  evalDocIds: string[];
  /** Queries run before timing starts (not evaluation questions). */
  warmup: string[];
  description: string;
}

/** Header line, then one JSON document per line (streams back in without a large transient string). */
export function writeCorpusFile(file: string, header: CorpusHeader, docs: readonly CorpusDoc[]): void {
  const parts: string[] = [JSON.stringify(header)];
  for (const doc of docs) parts.push(JSON.stringify(doc));
  writeFileSync(file, parts.join('\n') + '\n');
}

export async function readCorpusFile(file: string): Promise<{ header: CorpusHeader; docs: CorpusDoc[] }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header: CorpusHeader | undefined;
  const docs: CorpusDoc[] = [];
  for await (const line of lines) {
    if (line === '') continue;
    if (header === undefined) header = JSON.parse(line) as CorpusHeader;
    else docs.push(JSON.parse(line) as CorpusDoc);
  }
  if (header === undefined) throw new Error(`${file}: empty corpus file`);
  return { header, docs };
}
