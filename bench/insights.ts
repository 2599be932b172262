/**
 * `npx tsx bench/insights.ts [--answers N] [--runs R]`: what recording costs per answer. Asks the dev
 * questions of data/qa-squad-xquad-dev.json over all its articles in one index, and for each answer times
 * the engine's `ask` and then what the bot adds for insights (answerRecord + InsightsStore.record: one
 * transaction on a real SQLite file in WAL mode in a temporary folder), then a vote on it. Prints the
 * medians and p99 of each, the ratio of recording to answering, and the load average.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadQaFile } from './eval/data';
import { articleRaw } from './eval/run';
import { createEngine } from '../src/engine/engine';
import { answerRecord } from '../src/insights/record';
import { InsightsStore } from '../src/insights/store';
import { parseArticle } from '../src/sources/parse';

const { values } = parseArgs({ options: { answers: { type: 'string', default: '5000' }, runs: { type: 'string', default: '3' } } });
const total = Number(values.answers);
const runs = Number(values.runs);

const articles = loadQaFile('data/qa-squad-xquad-dev.json');
const engine = createEngine(articles.map((a) => parseArticle(a.id, articleRaw(a.title, a.text))));
const questions = articles.flatMap((a) => a.questions.map((q) => q.question));

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;

for (let run = 1; run <= runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'insights-bench-'));
  const path = join(dir, 'bot.sqlite');
  const store = InsightsStore.open({ path });
  const ask: number[] = [];
  const record: number[] = [];
  const vote: number[] = [];
  let failed = 0;
  for (let i = 0; i < total; i++) {
    const question = questions[i % questions.length]!;
    let t = process.hrtime.bigint();
    const answer = engine.ask(question);
    ask.push(Number(process.hrtime.bigint() - t));
    t = process.hrtime.bigint();
    const id = store.record(answerRecord(answer, { guildId: String(100000000000000000n + BigInt(i % 20)), channelId: '200000000000000000', via: 'slash' }));
    record.push(Number(process.hrtime.bigint() - t));
    if (id === undefined) {
      failed++;
      continue;
    }
    t = process.hrtime.bigint();
    store.vote(id, String(100000000000000000n + BigInt(i % 20)), `member-${i % 500}`, i % 3 === 0 ? -1 : 1);
    vote.push(Number(process.hrtime.bigint() - t));
  }
  store.close();
  const size = statSync(path).size;
  rmSync(dir, { recursive: true, force: true });
  for (const list of [ask, record, vote]) list.sort((a, b) => a - b);
  const ratio = quantile(record, 0.5) / quantile(ask, 0.5);
  console.log(
    `run ${run}: ${total} answers (${questions.length} distinct questions, ${articles.length} articles), not recorded ${failed}; ` +
      `ask p50 ${us(quantile(ask, 0.5))} p99 ${us(quantile(ask, 0.99))} | record p50 ${us(quantile(record, 0.5))} p99 ${us(quantile(record, 0.99))} ` +
      `(${ratio.toFixed(2)}× ask) | vote p50 ${us(quantile(vote, 0.5))} p99 ${us(quantile(vote, 0.99))} | file ${(size / 1024 / 1024).toFixed(1)} MB ` +
      `| load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
}
