/**
 * Builds data/background-frequencies.json: in how many sentences of general English prose each index
 * term occurs. The engine uses it to tell words that name a topic ("Singapore", "malaria") from words
 * any text has ("year", "called"), which a single short article cannot tell by itself.
 *
 * Usage: npx tsx scripts/build-background-frequencies.ts SENTENCES.txt.gz [--skip N] [--min-count K]
 * With the team's bench corpus, --skip takes the news lines off so only public-domain books count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { backgroundFile } from '../src/engine/background';
import { terms } from '../src/text/tokens';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { skip: { type: 'string', default: '0' }, 'min-count': { type: 'string', default: '5' }, out: { type: 'string', default: 'data/background-frequencies.json' } },
});
const [input] = positionals;
if (input === undefined) {
  console.error('usage: build-background-frequencies SENTENCES.txt[.gz] [--skip N] [--min-count K] [--out FILE]');
  process.exit(2);
}
const raw = readFileSync(input);
const lines = (input.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').slice(Number(values.skip));
const counts = new Map<string, number>();
let sentences = 0;
for (const line of lines) {
  if (line.trim() === '') continue;
  sentences++;
  for (const term of new Set(terms(line))) counts.set(term, (counts.get(term) ?? 0) + 1);
}
const minCount = Number(values['min-count']);
const kept = [...counts].filter(([, count]) => count >= minCount);
// Two arrays sorted by term: the engine searches them as they are parsed (src/engine/background.ts).
writeFileSync(values.out, `${JSON.stringify(backgroundFile(sentences, minCount, kept))}\n`);
console.log(`${sentences} sentences, ${counts.size} terms, ${kept.length} kept (count ≥ ${minCount}) → ${values.out}`);
