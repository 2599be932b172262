/**
 * `npm run bench`: index build time, memory, query latency and top-1 accuracy of our engine against
 * natural's TfIdf, MiniSearch, FlexSearch and wink-bm25 over corpora of 1k–1M real sentences, each
 * system in its own child process; plus end-to-end CLI and start-up timings. Progress on stderr;
 * results as Markdown and JSON under bench/results/ (and the Markdown on stdout).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseBenchArgs, USAGE, type BenchOptions } from './perf/args';
import { formatSize } from './perf/corpus';
import { timeCli, timeStartup, writeArticles, type CliLaunch } from './perf/e2e';
import { loadQa } from './perf/eval-data';
import { loadInputs, prepareCorpus, REPO_ROOT, type BenchInputs } from './perf/prepare';
import { Progress } from './perf/progress';
import type { ChildResult } from './perf/protocol';
import {
  checkTargets,
  computeRatios,
  figuresOf,
  fmtMb,
  fmtMs,
  renderMarkdown,
  type BenchReport,
  type CellResult,
  type CorpusSummary,
  type E2eFigure,
} from './perf/report';
import { runChild } from './perf/runner';
import { median } from './perf/stats';
import { systemInfo } from './perf/systems/index';

const STARTUP_QUESTION = 'Who wrote a very warm letter to the President?';

/** Why a system is not run at `size`, judged from its result at the previous size; undefined = run it. */
function skipReason(previous: CellResult | undefined, size: number, options: BenchOptions): string | undefined {
  if (previous === undefined) return undefined;
  const at = formatSize(previous.size);
  if (previous.figures === undefined) return `skipped: ${previous.status} at ${at}`;
  const growth = size / previous.size;
  const f = previous.figures;
  const projectedP50 = f.p50Ms * growth;
  if (projectedP50 > options.skipP50Ms) return `skipped: too slow (p50 ${fmtMs(f.p50Ms)} ms at ${at}, ~${fmtMs(projectedP50)} ms projected)`;
  const phaseS = (projectedP50 * options.minQuestions) / 1000;
  if (phaseS > options.skipQueryPhaseS) {
    return `skipped: too slow (p50 ${fmtMs(f.p50Ms)} ms at ${at}: ${options.minQuestions} questions would take ~${Math.round(phaseS / 60)} min per run)`;
  }
  if ((f.buildMs * growth) / 1000 > options.skipBuildS) return `skipped: too slow to build (build ${fmtMs(f.buildMs)} ms at ${at})`;
  if (f.heapMb * growth > options.maxOldSpaceMb * 0.9) {
    return `skipped: projected heap over the ${options.maxOldSpaceMb} MB child limit (${fmtMb(f.heapMb)} MB at ${at})`;
  }
  return undefined;
}

/** Runs for a system at `size`: fewer when the previous size projects a long query phase. */
function plannedRuns(previous: CellResult | undefined, size: number, options: BenchOptions): number {
  const f = previous?.figures;
  if (previous === undefined || f === undefined) return options.runs;
  const phaseS = (f.p50Ms * (size / previous.size) * options.minQuestions) / 1000;
  return phaseS > options.slowRunS ? Math.min(options.runs, options.slowRuns) : options.runs;
}

/** One retry after a pause: a run can fail for a passing reason (e.g. a source file caught mid-edit). */
async function runChildWithRetry(progress: Progress, label: string, ...args: Parameters<typeof runChild>): Promise<ChildResult> {
  try {
    return await runChild(...args);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (/timed out/.test(message ?? '')) throw error;
    progress.log(`${label}: failed (${message}); retrying once in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    return runChild(...args);
  }
}

async function runSystems(options: BenchOptions, inputs: BenchInputs, progress: Progress, report: BenchReport, save: () => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qa-bench-'));
  const profileDir = join(tmpdir(), 'qa-bench-profiles');
  try {
    let previousSize: number | undefined;
    for (const size of options.sizes) {
      progress.update(`${formatSize(size)}: preparing corpus`, true);
      const prepared = prepareCorpus(inputs, size, dir);
      const summary: CorpusSummary = {
        size,
        sentences: prepared.plan.sentences,
        docs: prepared.plan.docs,
        evalDocs: prepared.plan.evalDocIds.length,
        evalSentences: prepared.plan.evalSentences,
        fillerSentences: prepared.plan.fillerSentences,
        perturbedSentences: prepared.plan.perturbedSentences,
        accuracyQuestions: prepared.accuracyQuestions,
        description: prepared.description,
      };
      report.corpora.push(summary);
      progress.log(`corpus ${formatSize(size)}: ${prepared.description}`);

      const cells = new Map<string, CellResult>();
      for (const system of options.systems) {
        const previous = report.cells.find((c) => c.system === system && c.size === previousSize);
        const reason = skipReason(previous, size, options);
        const cell: CellResult = { system, size, status: reason === undefined ? 'ok' : 'skipped', runs: [], plannedRuns: 0 };
        if (reason === undefined) cell.plannedRuns = plannedRuns(previous, size, options);
        if (reason === undefined && cell.plannedRuns < options.runs) {
          progress.log(`${formatSize(size)} ${system}: slow, ${cell.plannedRuns} run(s) only (p50 ${fmtMs(previous?.figures?.p50Ms)} ms at ${formatSize(previous?.size ?? 0)})`);
        }
        if (reason !== undefined) {
          cell.note = reason.replace(/^skipped: /, '');
          progress.log(`${formatSize(size)} ${system}: ${reason}`);
        }
        cells.set(system, cell);
      }
      for (let run = 0; run < options.runs; run++) {
        // Rotate the order each run so no system always runs right after the same neighbour.
        const order = options.systems.map((_, i) => options.systems[(i + run) % options.systems.length] as string);
        for (const system of order) {
          const cell = cells.get(system) as CellResult;
          if (cell.status !== 'ok' || run >= cell.plannedRuns) continue;
          const label = `${formatSize(size)} run ${run + 1}/${cell.plannedRuns} ${system}`;
          progress.update(`${label}: starting`, true);
          const extraExecArgv =
            options.cpuProf.includes(system) && run === 0
              ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${system}-${formatSize(size)}.cpuprofile`]
              : [];
          if (extraExecArgv.length > 0) {
            mkdirSync(profileDir, { recursive: true });
            progress.log(`${label}: CPU profile → ${join(profileDir, `${system}-${formatSize(size)}.cpuprofile`)}`);
          }
          try {
            const result: ChildResult = await runChildWithRetry(progress, label,
              { system, corpusFile: prepared.file, minQuestions: options.minQuestions, queryBudgetMs: options.queryBudgetS * 1000, warmup: options.warmup },
              {
                cwd: REPO_ROOT,
                maxOldSpaceMb: options.maxOldSpaceMb,
                timeoutMs: options.childTimeoutS * 1000,
                extraExecArgv,
                onProgress: (phase, done, total) =>
                  progress.update(`${label}: ${phase}${done === undefined ? '' : ` ${done}/${total ?? '?'}`}`, phase !== 'querying'),
              },
            );
            cell.runs.push(result);
            progress.log(
              `${label}: build ${fmtMs(result.buildMs)} ms, index heap ${fmtMb(
                (result.afterBuild.heapUsed + result.afterBuild.external - result.before.heapUsed - result.before.external) / 1048576,
              )} MB, p50 ${fmtMs(result.latency.p50)} ms, p99 ${fmtMs(result.latency.p99)} ms over ${result.questionsAsked} questions, top-1 ${result.accuracyCorrect}/${result.accuracyAsked}`,
            );
          } catch (error) {
            cell.status = 'failed';
            cell.note = error instanceof Error ? error.message.split('\n')[0] : String(error);
            progress.log(`${label}: FAILED ${cell.note}`);
          }
        }
      }
      for (const cell of cells.values()) {
        if (cell.status === 'ok') cell.figures = figuresOf(cell.runs);
        report.cells.push(cell);
      }
      report.ratios = computeRatios(report.cells);
      report.targets = checkTargets(report.cells);
      save();
      rmSync(prepared.file, { force: true });
      previousSize = size;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runEndToEnd(options: BenchOptions, inputs: BenchInputs, progress: Progress, report: BenchReport, save: () => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qa-bench-e2e-'));
  try {
    const articles = loadQa(inputs.qaFile);
    const cliDir = join(dir, 'cli-articles');
    progress.update(`e2e: writing ${options.e2eArticles} article files`, true);
    writeArticles(cliDir, articles, inputs.pool, options.e2eArticles);
    const questionsFile = join(dir, 'questions.txt');
    const questions: string[] = [];
    for (let i = 0; i < options.e2eQuestions; i++) {
      const q = inputs.questions[i % inputs.questions.length];
      questions.push((q?.question ?? 'What happened?').replace(/\s+/g, ' ').trim());
    }
    writeFileSync(questionsFile, `${questions.join('\n')}\n`);

    type Once = (repo: string) => Promise<{ ms: number; ok: boolean; note?: string }>;
    /** Times `once` e2eRuns times; with a baseline checkout, each run times it just before this one, so both see the same load. */
    const measure = async (name: string, description: string, once: Once) => {
      const baseline = options.e2eBaseline === undefined ? undefined : resolve(options.e2eBaseline);
      const checkouts = [
        ...(baseline === undefined ? [] : [{ repo: baseline, name: `${name} [baseline]`, description: `${description}; checkout ${baseline}` }]),
        { repo: REPO_ROOT, name, description },
      ].map((checkout) => ({ ...checkout, runsMs: [] as number[], note: undefined as string | undefined, failed: false }));
      for (let run = 0; run < options.e2eRuns; run++) {
        for (const checkout of checkouts) {
          if (checkout.failed) continue;
          progress.update(`e2e ${checkout.name}: run ${run + 1}/${options.e2eRuns}`, true);
          const result = await once(checkout.repo);
          if (result.note !== undefined) checkout.note = result.note;
          if (!result.ok) {
            checkout.failed = true;
            progress.log(`e2e ${checkout.name}: FAILED ${result.note ?? ''}`);
            continue;
          }
          checkout.runsMs.push(result.ms);
          progress.log(`e2e ${checkout.name}: ${Math.round(result.ms)} ms${result.note === undefined ? '' : ` (${result.note})`}`);
        }
      }
      for (const { name: figureName, description: text, runsMs, note } of checkouts) {
        const figure: E2eFigure = { name: figureName, description: text, runsMs, medianMs: runsMs.length > 0 ? median(runsMs) : undefined };
        if (note !== undefined) figure.note = note;
        report.e2e.push(figure);
      }
      save();
    };
    /** For a warm-only run: one unmeasured run per checkout and set fills the cache first. */
    const filled = new Set<string>();
    const fillOnce = async (key: string, fill: () => Promise<unknown>) => {
      if (filled.has(key)) return;
      filled.add(key);
      await fill();
    };

    const distinct = Math.min(options.e2eQuestions, inputs.questions.length);
    // The analysis cache lives in a DATA_DIR of the bench's own: "cold" empties it before each run,
    // "warm" runs after a run that filled it; "no cache" is INDEX_CACHE=false.
    // Each checkout has its own DATA_DIR: two versions of the analyser must not overwrite each other's cache.
    const dataDir = (repo: string) => join(dir, repo === REPO_ROOT ? 'data' : 'data-baseline');
    const cold = (repo: string) => ({ DATA_DIR: dataDir(repo) });
    const clearCache = (repo: string) => rmSync(join(dataDir(repo), 'cache'), { recursive: true, force: true });
    const allVariants: [string, string, (repo: string) => Record<string, string>, (repo: string) => void | Promise<unknown>][] = [
      ['no', 'no cache', () => ({ INDEX_CACHE: 'false' }), () => undefined],
      ['cold', 'cold cache', cold, clearCache],
      // Warm: the cache as a run before this one left it (one unmeasured run fills it if none did).
      ['warm', 'warm cache', cold, () => undefined],
    ];
    const cacheVariants = allVariants.filter(([key]) => options.e2eCache.includes(key)).map(([, ...rest]) => rest);
    const onlyWarm = !options.e2eCache.includes('cold');
    // Each variant twice: as a user runs the CLI directly (bin/article-qa) and through `npm run`, which adds npm's own start.
    const launches: [CliLaunch, string, string][] = [
      ['direct', 'direct', '`bin/article-qa ask --sources DIR --json < questions.txt` (a checkout without it: `node scripts/launch.mjs src/cli.ts ask …`)'],
      ['npm', 'npm run', '`npm run --silent cli -- ask --sources DIR --json < questions.txt`'],
    ];
    for (const [variant, env, before] of cacheVariants) {
      for (const [launch, label, command] of launches) {
        await measure(
          `CLI ${options.e2eQuestions.toLocaleString('en')} questions, ${variant}, ${label}`,
          `${command}, spawn to exit; ${options.e2eArticles} .txt articles ` +
            `(${Math.min(articles.length, options.e2eArticles)} evaluation articles + filler of 25 pool sentences), ` +
            `${options.e2eQuestions.toLocaleString('en')} evaluation questions (${distinct.toLocaleString('en')} distinct, cycled); ${variant}`,
          async (repo) => {
            await before(repo);
            if (onlyWarm && variant === 'warm cache') await fillOnce(`cli ${repo}`, () => timeCli(repo, cliDir, questionsFile, options.e2eQuestions, env(repo), launch));
            return timeCli(repo, cliDir, questionsFile, options.e2eQuestions, env(repo), launch);
          },
        );
      }
    }
    /** `npm start` to its first answer: with the seed, then with startupArticles files. */
    const measureStartup = async (): Promise<void> => {
      await measure(
        'npm start, seeds',
        '`npm start --silent` with no DISCORD_TOKEN, SOURCES_DIR=seeds, one question piped in: spawn to first answer byte on stdout',
        (repo) => timeStartup(repo, join(repo, 'seeds'), STARTUP_QUESTION, 120_000, cold(repo)),
      );
      const bigDir = join(dir, 'startup-articles');
      progress.update(`e2e: writing ${options.startupArticles} article files`, true);
      writeArticles(bigDir, articles, inputs.pool, options.startupArticles);
      for (const [variant, env, before] of cacheVariants) {
        await measure(
          `npm start, ${options.startupArticles.toLocaleString('en')} articles, ${variant}`,
          `as above with SOURCES_DIR = ${options.startupArticles.toLocaleString('en')} .txt articles (~25 sentences each); ${variant}`,
          async (repo) => {
            await before(repo);
            if (onlyWarm && variant === 'warm cache') await fillOnce(`start ${repo}`, () => timeStartup(repo, bigDir, STARTUP_QUESTION, 600_000, env(repo)));
            return timeStartup(repo, bigDir, STARTUP_QUESTION, 600_000, env(repo));
          },
        );
      }
    };
    if (options.startup) await measureStartup();
    else report.notes.push('The `npm start` measurements were left out (--no-startup).');
    const cacheDir = join(dataDir(REPO_ROOT), 'cache');
    const cacheBytes = options.e2eCache.some((variant) => variant !== 'no') ? readdirSync(cacheDir).reduce((total, name) => total + statSync(join(cacheDir, name)).size, 0) : 0;
    const sets = options.startup ? `the CLI set and the ${options.startupArticles.toLocaleString('en')}-article set` : 'the CLI set';
    report.notes.push(`Analysis cache on disk after the runs: ${(cacheBytes / 1048576).toFixed(1)} MB for ${sets} (npm run cli -- cache --stats gives each).`);
    save();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const progress = new Progress();
  progress.update('loading evaluation data and corpus', true);
  const inputs = loadInputs({ qa: options.qa, corpus: options.corpus });
  const outDir = isAbsolute(options.outDir) ? options.outDir : resolve(REPO_ROOT, options.outDir);
  mkdirSync(outDir, { recursive: true });
  const cpu = cpus();
  const report: BenchReport = {
    meta: {
      date: new Date().toISOString(),
      node: process.versions.node,
      cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
      cores: cpu.length,
      runs: options.runs,
      'load average at start': loadavg().map((l) => l.toFixed(2)).join(' '),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      'filler corpus': inputs.corpusDescription,
      'QA data': `${inputs.qaFile} (${inputs.evalDocs.length} articles, ${inputs.questions.length.toLocaleString('en')} questions, parsed with parseArticle)`,
      'questions per child': `all questions in a seeded shuffle; at least ${options.minQuestions}, then stop after ${options.queryBudgetS} s of querying`,
    },
    corpora: [],
    cells: [],
    ratios: [],
    targets: [],
    e2e: [],
    notes: !options.systemsBench ? [] : [
      'Every system gets the same sentences; ours gets them as documents (each evaluation article one document, filler 20 sentences per document), the others one document per sentence.',
      'Latency is measured per call around the system’s query function (ours: `engine.ask(q, { top: 3 })`, whose hits carry titles, context sentences and totals), after 50 warm-up queries made from filler sentences.',
      'Index heap counts V8 heap *and* external memory (typed arrays) so that typed-array indexes are not under-reported.',
      'Ratios are computed between figures of the same bench invocation (same machine state); “best other” = the lowest value among the other systems at that size.',
      `A system is skipped at a size when its previous-size p50 × growth exceeds ${options.skipP50Ms} ms, p50 × growth × ${options.minQuestions} questions exceeds ${options.skipQueryPhaseS} s, build × growth exceeds ${options.skipBuildS} s, or heap × growth nears the child heap limit; growth = size ratio (linear). A cell whose projected ${options.minQuestions} questions take over ${options.slowRunS} s gets ${options.slowRuns} run(s) (see the runs column).`,
      'Top-1 is right when the returned sentence contains a gold answer (case/whitespace-folded; surrounding punctuation of the answer dropped); unanswerable questions only count for latency.',
    ],
    labels: options.systemsBench ? Object.fromEntries(options.systems.map((name) => [name, systemInfo(name).label])) : {},
  };
  const stem = join(outDir, options.name);
  const save = (): void => {
    writeFileSync(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${stem}.md`, renderMarkdown(report));
  };
  if (options.systemsBench) await runSystems(options, inputs, progress, report, save);
  if (options.e2e) await runEndToEnd(options, inputs, progress, report, save);
  report.meta['load average at end'] = loadavg().map((l) => l.toFixed(2)).join(' ');
  save();
  progress.done();
  progress.log(`wrote ${stem}.md and ${stem}.json`);
  process.stdout.write(renderMarkdown(report));
  return 0;
}

process.exitCode = await main();

