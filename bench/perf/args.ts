/** Command-line options of `npm run bench`. */
import { parseArgs } from 'node:util';
import { parseSize } from './corpus';
import { SYSTEMS } from './systems/index';

export interface BenchOptions {
  sizes: number[];
  runs: number;
  systems: string[];
  /** Sentence pool file (.gz/.br/.txt, one a line); undefined = the compact corpus the bench carries. */
  corpus: string | undefined;
  qa: string | undefined;
  minQuestions: number;
  queryBudgetS: number;
  /** Skip a system at a size when its projected query p50 exceeds this. */
  skipP50Ms: number;
  /** Skip a system at a size when its projected build time exceeds this. */
  skipBuildS: number;
  /** Skip when the projected time to ask the minimum number of questions exceeds this. */
  skipQueryPhaseS: number;
  /** Runs for a "slow" cell, whose projected time for the minimum questions exceeds `slowRunS`. */
  slowRuns: number;
  slowRunS: number;
  maxOldSpaceMb: number;
  childTimeoutS: number;
  outDir: string;
  name: string;
  cpuProf: string[];
  e2e: boolean;
  systemsBench: boolean;
  e2eQuestions: number;
  e2eArticles: number;
  /** Whether the end-to-end part also times `npm start` (the seed and startupArticles); false with --no-startup. */
  startup: boolean;
  startupArticles: number;
  e2eRuns: number;
  /** Which analysis-cache variants the end-to-end runs measure: 'no', 'cold', 'warm'. */
  e2eCache: string[];
  /** Another checkout (e.g. a worktree of an older commit) timed the same way, run for run, for ratios. */
  e2eBaseline: string | undefined;
  warmup: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --sizes LIST          corpus sizes in sentences (default 1k,10k,100k,1M)
  --runs N              child runs per system and size; figures are medians (default 3)
  --systems LIST        ${SYSTEMS.map((s) => s.name).join(',')} (default: all)
  --corpus FILE         sentence pool, one a line (.gz/.br/.txt), e.g. /work/shared/bench-corpus/sentences.txt.gz
                        (default: bench/corpus/gutenberg-200k.txt.br, carried in the repo)
  --qa FILE             evaluation QA data (default data/qa-squad-xquad-dev.json)
  --min-questions N     questions asked at least, cycling if fewer exist (default 500)
  --query-budget S      after the minimum, stop asking after S seconds of querying (default 60)
  --skip-p50 MS         skip a system at a size when previous p50 × growth exceeds MS (default 2000)
  --skip-build S        ... or when previous build × growth exceeds S seconds (default 300)
  --skip-query-phase S  ... or when projected p50 × min-questions exceeds S seconds (default 300)
  --slow-runs N         runs for a slow cell: projected p50 × min-questions over --slow-run S (default 1, 60)
  --max-old-space MB    child heap limit (default 8192)
  --child-timeout S     kill a child after S seconds (default 1800)
  --out DIR             results directory (default bench/results)
  --name NAME           result file stem (default "latest")
  --cpu-prof LIST       write .cpuprofile files (first run) for these systems into $TMPDIR/qa-bench-profiles
  --no-e2e              skip the CLI end-to-end and start-up measurements
  --e2e-only            only the CLI end-to-end and start-up measurements
  --e2e-questions N     questions piped to the CLI (default 5000)
  --e2e-articles N      article files for the CLI run (default 600)
  --startup-articles N  article files for the large start-up run (default 10000)
  --no-startup          end to end, time only the CLI (directly and through npm run), not npm start
  --e2e-runs N          runs of each end-to-end measurement (default 3)
  --e2e-cache LIST      analysis-cache variants of the end-to-end runs: no,cold,warm (default all three)
  --e2e-baseline DIR    also time the checkout in DIR (its npm start / npm run cli), alternating run for run
  --no-warmup           do not run warm-up queries before timing
  -h, --help`;

function cacheVariants(text: string): string[] {
  const variants = list(text);
  const unknown = variants.find((variant) => !['no', 'cold', 'warm'].includes(variant));
  if (unknown !== undefined || variants.length === 0) throw new Error(`--e2e-cache takes a list of no, cold and warm, got "${text}"`);
  return variants;
}

function positiveInt(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a whole number ≥ 1, got "${text}"`);
  return value;
}

function positiveNumber(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a number > 0, got "${text}"`);
  return value;
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '1k,10k,100k,1M' },
      runs: { type: 'string', default: '3' },
      systems: { type: 'string', default: SYSTEMS.map((s) => s.name).join(',') },
      corpus: { type: 'string' },
      qa: { type: 'string' },
      'min-questions': { type: 'string', default: '500' },
      'query-budget': { type: 'string', default: '60' },
      'skip-p50': { type: 'string', default: '2000' },
      'skip-build': { type: 'string', default: '300' },
      'skip-query-phase': { type: 'string', default: '300' },
      'slow-runs': { type: 'string', default: '1' },
      'slow-run': { type: 'string', default: '60' },
      'max-old-space': { type: 'string', default: '8192' },
      'child-timeout': { type: 'string', default: '1800' },
      out: { type: 'string', default: 'bench/results' },
      name: { type: 'string', default: 'latest' },
      'cpu-prof': { type: 'string', default: '' },
      'no-e2e': { type: 'boolean', default: false },
      'e2e-only': { type: 'boolean', default: false },
      'e2e-questions': { type: 'string', default: '5000' },
      'e2e-articles': { type: 'string', default: '600' },
      'startup-articles': { type: 'string', default: '10000' },
      'no-startup': { type: 'boolean', default: false },
      'e2e-runs': { type: 'string', default: '3' },
      'e2e-cache': { type: 'string', default: 'no,cold,warm' },
      'e2e-baseline': { type: 'string' },
      'no-warmup': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const systems = list(values.systems);
  for (const system of systems) {
    if (!SYSTEMS.some((s) => s.name === system)) {
      throw new Error(`unknown system "${system}" (known: ${SYSTEMS.map((s) => s.name).join(', ')})`);
    }
  }
  const sizes = [...new Set(list(values.sizes).map(parseSize))].sort((a, b) => a - b);
  if (values['e2e-only'] && values['no-e2e']) throw new Error('--e2e-only and --no-e2e exclude each other');
  return {
    sizes,
    runs: positiveInt(values.runs, 'runs'),
    systems,
    corpus: values.corpus,
    qa: values.qa,
    minQuestions: positiveInt(values['min-questions'], 'min-questions'),
    queryBudgetS: positiveNumber(values['query-budget'], 'query-budget'),
    skipP50Ms: positiveNumber(values['skip-p50'], 'skip-p50'),
    skipBuildS: positiveNumber(values['skip-build'], 'skip-build'),
    skipQueryPhaseS: positiveNumber(values['skip-query-phase'], 'skip-query-phase'),
    slowRuns: positiveInt(values['slow-runs'], 'slow-runs'),
    slowRunS: positiveNumber(values['slow-run'], 'slow-run'),
    maxOldSpaceMb: positiveInt(values['max-old-space'], 'max-old-space'),
    childTimeoutS: positiveNumber(values['child-timeout'], 'child-timeout'),
    outDir: values.out,
    name: values.name,
    cpuProf: list(values['cpu-prof']),
    e2e: !values['no-e2e'],
    systemsBench: !values['e2e-only'],
    e2eQuestions: positiveInt(values['e2e-questions'], 'e2e-questions'),
    e2eArticles: positiveInt(values['e2e-articles'], 'e2e-articles'),
    startup: !values['no-startup'],
    startupArticles: positiveInt(values['startup-articles'], 'startup-articles'),
    e2eRuns: positiveInt(values['e2e-runs'], 'e2e-runs'),
    e2eCache: cacheVariants(values['e2e-cache']),
    e2eBaseline: values['e2e-baseline'],
    warmup: !values['no-warmup'],
    help: values.help,
  };
}
