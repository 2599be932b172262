/**
 * A second process (a shard) writing to the same insights database: records `count` answers for its
 * guild, each with a quote and a vote, as fast as it can, then prints how many were recorded.
 * Usage: tsx writer.ts DB GUILD COUNT START_AT_MS
 */
import { InsightsStore, type InsightsStoreOptions } from '../../../src/insights/store';

const [path, guild, countText, startText] = process.argv.slice(2);
const count = Number(countText);
const warnings: string[] = [];
const logger = {
  warn: (_fields: object, message: string) => {
    warnings.push(message);
  },
  info: () => undefined,
} as unknown as NonNullable<InsightsStoreOptions['logger']>;
const store = InsightsStore.open({ path: path!, logger, busyTimeoutMs: 5_000 });
// Start together with the other writer, so the writes really overlap.
while (Date.now() < Number(startText)) {
  // busy wait: a timer would start later than the other process by a scheduler tick
}
let recorded = 0;
let voted = 0;
for (let i = 0; i < count; i++) {
  const id = store.record({
    guildId: guild!, channelId: 'c', via: 'slash', question: `question ${i} from ${guild}`, answered: true,
    quotes: [{ source: `${guild}.md`, title: guild!, sentence: 1 + (i % 7), text: `Sentence ${i}.` }],
  });
  if (id === undefined) continue;
  recorded++;
  if (store.vote(id, guild!, `member-${i}`, i % 2 === 0 ? 1 : -1).kind === 'recorded') voted++;
}
store.close();
process.stdout.write(JSON.stringify({ recorded, voted, warnings }));
