/**
 * The bench's 100k query phase on its own, for profiling and for before/after runs of the engine of any
 * checkout: builds `createEngine` over the bench's corpus (prepared once, kept in --work), times a cold
 * first stretch of questions (no warm-up: what a CLI run pays before the JIT has warmed), then the
 * bench's 50 warm-up queries and --passes passes over every question, timed one by one.
 *
 *   npx tsx bench/perf/query-speed.ts --corpus ../shared/bench-corpus/sentences.txt.gz [--checkout DIR]
 *     [--size 100k] [--passes 3] [--cold 300] [--answers FILE] [--latencies FILE] [--cpu-prof FILE] [--work DIR]
 *
 * --checkout runs that checkout's src/engine (e.g. /tmp/base) on the same corpus file and questions;
 * --against DIR builds a second engine from DIR's src/engine in the same process and asks every question
 * of both, in turns (the order swapped each question), so the two p50s share the machine's load;
 * --options JSON passes engine options to the first checkout's createEngine (to see what a feature costs);
 * --answers writes one line per question (answered, confident, the hits' source:sentence and score),
 * so two checkouts' outputs can be compared with `cmp`; --latencies, each question's median time and text; --cpu-prof profiles the timed passes only and
 * prints the self time per function.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSize } from './corpus';
import { readCorpusFile } from './corpus-io';
import { loadInputs, prepareCorpus, REPO_ROOT } from './prepare';
import { median, summarizeLatencies } from './stats';

interface EngineLike {
  ask(question: string, options: { top: number }): { answered: boolean; confident?: boolean; hits: { source: string; sentence: number; score: number }[] };
}

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    checkout: { type: 'string', default: REPO_ROOT },
    against: { type: 'string' },
    options: { type: 'string' },
    size: { type: 'string', default: '100k' },
    passes: { type: 'string', default: '3' },
    cold: { type: 'string', default: '300' },
    answers: { type: 'string' },
    'cpu-prof': { type: 'string' },
    latencies: { type: 'string' },
    work: { type: 'string', default: '/tmp/qa-query-speed' },
  },
});

async function corpusFile(size: number): Promise<string> {
  const corpus = values.corpus === undefined ? 'carried' : resolve(values.corpus).replace(/[^A-Za-z0-9]+/g, '_');
  const dir = join(values.work!, corpus);
  const file = join(dir, `corpus-${values.size}.jsonl`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    prepareCorpus(loadInputs({ qa: undefined, corpus: values.corpus }), size, dir);
  }
  return file;
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }

/** Self and total (inclusive) time per function of a profile, the largest self times first. */
function profileTimes(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, rows = 40): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const checkoutOf = (url: string): string => (url.includes('/src/') ? `${url.slice(url.indexOf('://') + 3, url.indexOf('/src/')).split('/').pop()}:` : '');
  const key = (node: ProfileNode): string => `${node.callFrame.functionName || '(anonymous)'} ${checkoutOf(node.callFrame.url)}${node.callFrame.url.split('/').slice(-2).join('/')}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    total += micros;
    const own = key(byId.get(id)!);
    self.set(own, (self.get(own) ?? 0) + micros);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = key(byId.get(cur)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
  });
  const ms = (micros: number): string => (micros / 1000).toFixed(0).padStart(7);
  const bySelf = [...self].sort((a, b) => b[1] - a[1]).slice(0, rows).map(([name, micros]) => `${ms(micros)} self ${ms(inclusive.get(name) ?? 0)} total  ${name}`);
  const byTotal = [...inclusive].filter(([name]) => /engine\/|text\//.test(name)).sort((a, b) => b[1] - a[1]).slice(0, rows).map(([name, micros]) => `${ms(micros)} total  ${name}`);
  return [`profile: ${ms(total)} ms`, ...bySelf, '-- by total time (engine and text):', ...byTotal].join('\n');
}

type CreateEngine = (documents: unknown[], options?: unknown) => EngineLike;

async function engineOf(checkout: string): Promise<{ createEngine: CreateEngine; defaults: Record<string, unknown> }> {
  const module = (await import(pathToFileURL(join(checkout, 'src/engine/engine.ts')).href)) as { createEngine: CreateEngine; DEFAULT_ENGINE_OPTIONS: Record<string, unknown> };
  return { createEngine: module.createEngine, defaults: module.DEFAULT_ENGINE_OPTIONS };
}

/** `over` laid over `base`, objects merged key by key (false or a number replaces an object). */
function merged(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || over === null) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) out[key] = merged(out[key], value);
  return out;
}

function answerLine(answer: ReturnType<EngineLike['ask']>): string {
  return `${answer.answered ? 'A' : 'D'}${answer.confident === true ? 'C' : '-'} ${answer.hits.map((hit) => `${hit.source}:${hit.sentence}@${hit.score}`).join(' ')}`;
}

async function main(): Promise<void> {
  const size = parseSize(values.size!);
  const file = await corpusFile(size);
  const { header, docs } = await readCorpusFile(file);
  const checkouts = [resolve(values.checkout!), ...(values.against === undefined ? [] : [resolve(values.against)])];
  const documents = docs.map((doc) => ({ id: doc.id, title: doc.title, sentences: doc.sentences, paragraphs: doc.paragraphs ?? doc.sentences.map(() => 0) }));
  const engines: EngineLike[] = [];
  const buildMs: number[] = [];
  for (const checkout of checkouts) {
    const { createEngine, defaults } = await engineOf(checkout);
    const buildStart = performance.now();
    engines.push(createEngine(documents, engines.length === 0 && values.options !== undefined ? merged(defaults, JSON.parse(values.options)) : {}));
    buildMs.push(performance.now() - buildStart);
  }
  const questions = header.questions.map((q) => q.question);
  const order = (i: number): number[] => (engines.length === 1 ? [0] : i % 2 === 0 ? [0, 1] : [1, 0]);

  const coldCount = Math.min(Number(values.cold), questions.length);
  const coldMs = engines.map(() => 0);
  for (let i = 0; i < coldCount; i++) {
    for (const e of order(i)) {
      const start = performance.now();
      engines[e]!.ask(questions[i]!, { top: 3 });
      coldMs[e]! += performance.now() - start;
    }
  }

  for (const engine of engines) for (const query of header.warmup) engine.ask(query, { top: 3 });
  const session = values['cpu-prof'] === undefined ? undefined : new Session();
  if (session !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
    await session.post('Profiler.start');
  }
  const p50s = engines.map((): number[] => []);
  const p99s = engines.map((): number[] => []);
  const passMs = engines.map((): number[] => []);
  const lines = engines.map((): string[] => []);
  const byQuestion = questions.map((): number[] => []);
  for (let pass = 0; pass < Number(values.passes); pass++) {
    const latencies = engines.map((): number[] => []);
    const total = engines.map(() => 0);
    questions.forEach((question, i) => {
      for (const e of order(i + pass)) {
        const t0 = process.hrtime.bigint();
        const answer = engines[e]!.ask(question, { top: 3 });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        latencies[e]!.push(ms);
        total[e]! += ms;
        if (e === 0) byQuestion[i]!.push(ms);
        if (pass === 0 && values.answers !== undefined) lines[e]!.push(answerLine(answer));
      }
    });
    engines.forEach((_, e) => {
      const summary = summarizeLatencies(latencies[e]!);
      p50s[e]!.push(summary.p50);
      p99s[e]!.push(summary.p99);
      passMs[e]!.push(total[e]!);
    });
  }
  if (session !== undefined) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(values['cpu-prof']!, JSON.stringify(profile));
    console.log(profileTimes(profile as never));
  }
  if (values.answers !== undefined) {
    writeFileSync(values.answers, lines[0]!.join('\n') + '\n');
    if (engines.length > 1) writeFileSync(`${values.answers}.against`, lines[1]!.join('\n') + '\n');
  }
  if (values.latencies !== undefined) writeFileSync(values.latencies, byQuestion.map((times, i) => `${median(times).toFixed(4)}\t${questions[i]}`).join('\n') + '\n');
  const fmt = (list: number[]): string => list.map((v) => v.toFixed(3)).join(' ');
  checkouts.forEach((checkout, e) => {
    console.log(
      `${checkout}: build ${buildMs[e]!.toFixed(0)} ms; cold ${coldCount} questions ${coldMs[e]!.toFixed(0)} ms; ` +
        `p50 ${fmt(p50s[e]!)} (median ${median(p50s[e]!).toFixed(3)}) ms; p99 ${fmt(p99s[e]!)} ms; pass ${passMs[e]!.map((v) => v.toFixed(0)).join(' ')} ms`,
    );
  });
  if (engines.length > 1) {
    const ratios = p50s[0]!.map((p50, pass) => p50 / p50s[1]![pass]!);
    console.log(`p50 ratio ${checkouts[0]} / ${checkouts[1]}: ${fmt(ratios)} (median ${median(ratios).toFixed(3)})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
