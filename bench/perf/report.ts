/** Aggregation (medians over runs, ratios) and the Markdown/JSON reports. */
import { formatSize } from './corpus';
import type { ChildResult } from './protocol';
import { median, minFinite, ratio } from './stats';
import { OUR_SYSTEM, REFERENCE_SYSTEM } from './systems/index';

const MB = 1024 * 1024;

export interface Figures {
  buildMs: number;
  /** Heap (V8 heap + external/typed-array memory) after build minus before build, after forced GC. */
  indexHeapMb: number;
  /** Same memory, absolute, after build (corpus text included). */
  heapMb: number;
  rssMb: number;
  heapAfterQueriesMb: number;
  p50Ms: number;
  p99Ms: number;
  questions: number;
  /** Top-1 accuracy over the answerable questions whose article is in the corpus. */
  accuracy: number;
  accuracyAsked: number;
  /** Ours: share of questions presented as answered. */
  answeredRate?: number;
}

export interface CellResult {
  system: string;
  size: number;
  status: 'ok' | 'skipped' | 'failed';
  note?: string;
  plannedRuns: number;
  runs: ChildResult[];
  figures?: Figures;
}

function heapOf(snapshot: { heapUsed: number; external: number }): number {
  return snapshot.heapUsed + snapshot.external;
}

export function figuresOf(runs: readonly ChildResult[]): Figures | undefined {
  if (runs.length === 0) return undefined;
  const med = (pick: (run: ChildResult) => number): number => median(runs.map(pick));
  const figures: Figures = {
    buildMs: med((r) => r.buildMs),
    indexHeapMb: med((r) => (heapOf(r.afterBuild) - heapOf(r.before)) / MB),
    heapMb: med((r) => heapOf(r.afterBuild) / MB),
    rssMb: med((r) => r.afterBuild.rss / MB),
    heapAfterQueriesMb: med((r) => heapOf(r.afterQueries) / MB),
    p50Ms: med((r) => r.latency.p50),
    p99Ms: med((r) => r.latency.p99),
    questions: med((r) => r.questionsAsked),
    accuracy: med((r) => (r.accuracyAsked === 0 ? Number.NaN : r.accuracyCorrect / r.accuracyAsked)),
    accuracyAsked: med((r) => r.accuracyAsked),
  };
  if (runs.every((r) => r.answered !== undefined)) figures.answeredRate = med((r) => (r.answered ?? 0) / r.questionsAsked);
  return figures;
}

export type RatioMetric = 'buildMs' | 'indexHeapMb' | 'p50Ms' | 'p99Ms';
export const RATIO_METRICS: readonly RatioMetric[] = ['buildMs', 'indexHeapMb', 'p50Ms', 'p99Ms'];

export interface Ratios {
  system: string;
  size: number;
  /** metric → value / natural's value (NaN when natural has none at this size). */
  vsReference: Record<RatioMetric, number>;
  /** metric → value / the best (lowest) value among the other systems, and which system that is. */
  vsBestOther: Record<RatioMetric, { ratio: number; system: string | undefined }>;
}

/** Ratios of each measured system to natural and to the best other system, at each size. */
export function computeRatios(cells: readonly CellResult[]): Ratios[] {
  const out: Ratios[] = [];
  const sizes = [...new Set(cells.map((c) => c.size))].sort((a, b) => a - b);
  for (const size of sizes) {
    const measured = cells.filter((c) => c.size === size && c.figures !== undefined);
    const reference = measured.find((c) => c.system === REFERENCE_SYSTEM)?.figures;
    for (const cell of measured) {
      const figures = cell.figures as Figures;
      const vsReference = {} as Record<RatioMetric, number>;
      const vsBestOther = {} as Record<RatioMetric, { ratio: number; system: string | undefined }>;
      for (const metric of RATIO_METRICS) {
        vsReference[metric] = cell.system === REFERENCE_SYSTEM ? Number.NaN : ratio(figures[metric], reference?.[metric]);
        const others = measured.filter((c) => c.system !== cell.system);
        const best = minFinite(others.map((c) => c.figures?.[metric]));
        const bestSystem = others.find((c) => c.figures?.[metric] === best)?.system;
        vsBestOther[metric] = { ratio: ratio(figures[metric], best), system: bestSystem };
      }
      out.push({ system: cell.system, size, vsReference, vsBestOther });
    }
  }
  return out;
}

export interface Target {
  size: number;
  metric: 'p50Ms' | 'p99Ms' | 'buildMs' | 'indexHeapMb';
  limit: number;
  label: string;
}

export const TARGETS: readonly Target[] = [
  { size: 100_000, metric: 'p50Ms', limit: 0.1, label: 'query p50 ≤ 0.1 ms' },
  { size: 100_000, metric: 'p99Ms', limit: 1.5, label: 'query p99 ≤ 1.5 ms' },
  { size: 100_000, metric: 'buildMs', limit: 2_000, label: 'build ≤ 2 s' },
  { size: 100_000, metric: 'indexHeapMb', limit: 60, label: 'index heap ≤ 60 MB' },
  { size: 1_000_000, metric: 'p50Ms', limit: 1, label: 'query p50 ≤ 1 ms' },
  { size: 1_000_000, metric: 'buildMs', limit: 20_000, label: 'build ≤ 20 s' },
  { size: 1_000_000, metric: 'indexHeapMb', limit: 400, label: 'index heap ≤ 400 MB' },
];

export interface TargetCheck extends Target {
  value: number | undefined;
  met: boolean | undefined;
}

export function checkTargets(cells: readonly CellResult[]): TargetCheck[] {
  return TARGETS.map((target) => {
    const figures = cells.find((c) => c.system === OUR_SYSTEM && c.size === target.size)?.figures;
    const value = figures?.[target.metric];
    return { ...target, value, met: value === undefined || Number.isNaN(value) ? undefined : value <= target.limit };
  });
}

// ---------- formatting ----------

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '–';
  if (ms < 0.1) return ms.toFixed(4);
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 1000) return ms.toFixed(1);
  return Math.round(ms).toLocaleString('en');
}

export function fmtMb(mb: number | undefined): string {
  if (mb === undefined || Number.isNaN(mb)) return '–';
  return Math.abs(mb) < 10 ? mb.toFixed(2) : mb.toFixed(1);
}

export function fmtRatio(value: number): string {
  if (Number.isNaN(value)) return '–';
  if (value >= 100) return `${Math.round(value).toLocaleString('en')}×`;
  if (value >= 10) return `${value.toFixed(1)}×`;
  if (value >= 0.1) return `${value.toFixed(2)}×`;
  return `${value.toPrecision(2)}×`;
}

function fmtPct(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const sep = head.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

export interface CorpusSummary {
  size: number;
  sentences: number;
  docs: number;
  evalDocs: number;
  evalSentences: number;
  fillerSentences: number;
  perturbedSentences: number;
  accuracyQuestions: number;
  description: string;
}

export interface E2eFigure {
  name: string;
  description: string;
  runsMs: number[];
  medianMs: number | undefined;
  note?: string;
}

export interface BenchReport {
  meta: Record<string, unknown> & { date: string; node: string; cpu: string; cores: number; runs: number };
  corpora: CorpusSummary[];
  cells: CellResult[];
  ratios: Ratios[];
  targets: TargetCheck[];
  e2e: E2eFigure[];
  notes: string[];
  labels: Record<string, string>;
}

export function renderMarkdown(report: BenchReport): string {
  const out: string[] = [];
  const { meta } = report;
  out.push('# Benchmark results', '');
  out.push(
    `${meta.date} · Node ${meta.node} · ${meta.cpu} (${meta.cores} cores) · medians of ${meta.runs} run(s), each system in its own ` +
      'child process (`--expose-gc`).',
    '',
  );
  for (const [key, value] of Object.entries(meta)) {
    if (['date', 'node', 'cpu', 'cores', 'runs'].includes(key)) continue;
    out.push(`- **${key}**: ${String(value)}`);
  }
  out.push('');
  out.push(
    'Columns: **build** = index construction (ms); **index heap** = V8 heap + external (typed arrays) after build minus before, ' +
      'after forced GC (MB); **heap**/**RSS** = absolute after build, corpus text included (MB); **p50/p99** = per-question ' +
      'latency (ms) over the evaluation questions; **top-1** = share of answerable questions (article in corpus) whose top ' +
      'sentence holds a gold answer (bench/answer-match.ts, shared with the eval: spans at word boundaries, WikiQA/TrecQA by whole sentence).',
    '',
  );
  if (report.corpora.length > 0) {
    out.push('## Corpora', '');
    out.push(
      table(
        ['size', 'sentences', 'documents', 'eval articles', 'eval sentences', 'filler', 'of which perturbed', 'accuracy questions'],
        report.corpora.map((c) => [
          formatSize(c.size),
          c.sentences.toLocaleString('en'),
          c.docs.toLocaleString('en'),
          String(c.evalDocs),
          c.evalSentences.toLocaleString('en'),
          c.fillerSentences.toLocaleString('en'),
          c.perturbedSentences.toLocaleString('en'),
          c.accuracyQuestions.toLocaleString('en'),
        ]),
      ),
      '',
    );
    for (const c of report.corpora) out.push(`- ${formatSize(c.size)}: ${c.description}`);
    out.push('');
  }
  const sizes = [...new Set(report.cells.map((c) => c.size))].sort((a, b) => a - b);
  const systems = [...new Set(report.cells.map((c) => c.system))];
  for (const size of sizes) {
    out.push(`## ${formatSize(size)} sentences`, '');
    const rows = report.cells
      .filter((c) => c.size === size)
      .map((c) => {
        const f = c.figures;
        if (f === undefined) return [c.system, '', `${c.status}: ${c.note ?? ''}`, '', '', '', '', '', '', ''];
        return [
          c.system,
          String(c.runs.length),
          fmtMs(f.buildMs),
          fmtMb(f.indexHeapMb),
          fmtMb(f.heapMb),
          fmtMb(f.rssMb),
          fmtMs(f.p50Ms),
          fmtMs(f.p99Ms),
          String(Math.round(f.questions)),
          `${fmtPct(f.accuracy)} of ${Math.round(f.accuracyAsked)}${f.answeredRate === undefined ? '' : ` (answered ${fmtPct(f.answeredRate)})`}`,
        ];
      });
    out.push(table(['system', 'runs', 'build ms', 'index heap MB', 'heap MB', 'RSS MB', 'p50 ms', 'p99 ms', 'questions', 'top-1'], rows), '');
    const ratios = report.ratios.filter((r) => r.size === size);
    if (ratios.length > 1) {
      out.push(
        table(
          ['ratios', 'build ÷ natural', 'heap ÷ natural', 'p50 ÷ natural', 'p99 ÷ natural', 'build ÷ best other', 'heap ÷ best other', 'p50 ÷ best other', 'p99 ÷ best other'],
          ratios.map((r) => [
            r.system,
            ...RATIO_METRICS.map((m) => fmtRatio(r.vsReference[m])),
            ...RATIO_METRICS.map((m) => `${fmtRatio(r.vsBestOther[m].ratio)} (${r.vsBestOther[m].system ?? '–'})`),
          ]),
        ),
        '',
      );
    }
  }
  if (sizes.length > 1) {
    out.push('## Curves over corpus size', '');
    const curve = (label: string, pick: (f: Figures) => string): string =>
      table(
        [label, ...sizes.map(formatSize)],
        systems.map((system) => [
          system,
          ...sizes.map((size) => {
            const cell = report.cells.find((c) => c.system === system && c.size === size);
            if (cell === undefined) return '';
            return cell.figures === undefined ? cell.status : pick(cell.figures);
          }),
        ]),
      );
    out.push(curve('p50 ms', (f) => fmtMs(f.p50Ms)), '');
    out.push(curve('p99 ms', (f) => fmtMs(f.p99Ms)), '');
    out.push(curve('build ms', (f) => fmtMs(f.buildMs)), '');
    out.push(curve('index heap MB', (f) => fmtMb(f.indexHeapMb)), '');
    out.push(curve('top-1', (f) => fmtPct(f.accuracy)), '');
  }
  if (report.targets.some((t) => sizes.includes(t.size))) {
    out.push('## Targets (ours)', '');
    out.push(
      table(
        ['size', 'target', 'measured', 'met'],
        report.targets
          .filter((t) => sizes.includes(t.size))
          .map((t) => [
            formatSize(t.size),
            t.label,
            t.value === undefined ? '–' : t.metric === 'indexHeapMb' ? `${fmtMb(t.value)} MB` : `${fmtMs(t.value)} ms`,
            t.met === undefined ? 'not measured' : t.met ? 'yes' : '**no**',
          ]),
      ),
      '',
    );
  }
  if (report.e2e.length > 0) {
    out.push('## End to end', '');
    out.push(
      table(
        ['measurement', 'median', 'runs (ms)', 'what'],
        report.e2e.map((e) => [
          e.name,
          e.medianMs === undefined ? (e.note ?? 'failed') : `${fmtMs(e.medianMs)} ms`,
          e.runsMs.map((ms) => Math.round(ms).toLocaleString('en')).join(', '),
          e.description + (e.note !== undefined && e.medianMs !== undefined ? ` (${e.note})` : ''),
        ]),
        ['l', 'r', 'r', 'l'],
      ),
      '',
    );
  }
  out.push('## Systems', '');
  for (const [name, label] of Object.entries(report.labels)) out.push(`- **${name}**: ${label}`);
  if (report.notes.length > 0) {
    out.push('', '## Notes', '');
    for (const note of report.notes) out.push(`- ${note}`);
  }
  out.push('');
  return out.join('\n');
}
