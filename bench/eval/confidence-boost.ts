/**
 * Whether a model with interactions orders the answers better than the engine's logistic one: gradient-
 * boosted trees of depth 2 (logistic loss, each dev set weighted alike, as bench/eval/confidence-fit.ts
 * weights them) over the engine's signals (and `--extra a,b` of bench/eval/typed-candidates.ts), compared by
 * the same four-fold cross-validation over the fitted fold and on the held fifth, each set at 75 % coverage.
 *
 *   S=../shared/data; npx tsx bench/eval/confidence-boost.ts --qa $S/qa-dev.json,$S/qa-dev-newsqa.json,... [--trees 200 --rate 0.1]
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ANSWER } from '../../src/engine/answer';
import { DEFAULT_RANKING } from '../../src/engine/ranking';
import { atCoverage, CV_PARTS, ENGINE_SIGNALS, fitLogistic, probability, valueOf, type CoverageFigures } from './confidence-fit';
import { typedCandidates } from './typed-candidates';
import { prepareSet, reachableCount, signalRows, type PreparedSet, type SignalRow } from './tuning';

interface Stump {
  feature: number;
  threshold: number;
  left: Node;
  right: Node;
}
type Node = Stump | { value: number };

interface BoostOptions {
  trees: number;
  rate: number;
  depth: number;
  minLeaf: number;
  l2: number;
}

function predictNode(node: Node, x: readonly number[]): number {
  let n = node;
  while ('feature' in n) n = x[n.feature]! <= n.threshold ? n.left : n.right;
  return n.value;
}

/** Candidate split points of each feature: the distinct values, or 16 quantiles of them. */
function splitPoints(x: readonly (readonly number[])[], k: number): number[] {
  const values = [...new Set(x.map((row) => row[k]!))].sort((a, b) => a - b);
  if (values.length <= 17) return values.slice(0, -1).map((v, i) => (v + values[i + 1]!) / 2);
  return Array.from({ length: 16 }, (_, q) => values[Math.floor(((q + 1) * values.length) / 17)]!);
}

function fitBoost(rows: readonly SignalRow[], names: readonly string[], options: BoostOptions): (row: SignalRow) => number {
  const perSet = new Map<string, number>();
  for (const row of rows) perSet.set(row.set, (perSet.get(row.set) ?? 0) + 1);
  const w = rows.map((row) => 1 / perSet.get(row.set)!);
  const x = rows.map((row) => names.map((name) => valueOf(row, name)));
  const y = rows.map((row) => (row.right ? 1 : 0));
  const points = names.map((_, k) => splitPoints(x, k));
  const sumW = w.reduce((a, b) => a + b, 0);
  const prior = w.reduce((s, wi, i) => s + wi * y[i]!, 0) / sumW;
  const base = Math.log(prior / (1 - prior));
  const f = rows.map(() => base);
  const trees: Node[] = [];
  const build = (idx: number[], g: number[], h: number[], depth: number): Node => {
    const G = idx.reduce((s, i) => s + g[i]!, 0);
    const H = idx.reduce((s, i) => s + h[i]!, 0);
    const leaf = { value: -G / (H + options.l2) };
    if (depth === 0) return leaf;
    let bestGain = 1e-12;
    let best: { feature: number; threshold: number } | undefined;
    for (let k = 0; k < names.length; k++) {
      for (const t of points[k]!) {
        let gl = 0;
        let hl = 0;
        for (const i of idx) if (x[i]![k]! <= t) { gl += g[i]!; hl += h[i]!; }
        const gr = G - gl;
        const hr = H - hl;
        if (hl < options.minLeaf || hr < options.minLeaf) continue;
        const gain = (gl * gl) / (hl + options.l2) + (gr * gr) / (hr + options.l2) - (G * G) / (H + options.l2);
        if (gain > bestGain) { bestGain = gain; best = { feature: k, threshold: t }; }
      }
    }
    if (best === undefined) return leaf;
    const left = idx.filter((i) => x[i]![best.feature]! <= best.threshold);
    const right = idx.filter((i) => x[i]![best.feature]! > best.threshold);
    return { ...best, left: build(left, g, h, depth - 1), right: build(right, g, h, depth - 1) };
  };
  const all = rows.map((_, i) => i);
  for (let t = 0; t < options.trees; t++) {
    const p = f.map((z) => 1 / (1 + Math.exp(-z)));
    const g = p.map((pi, i) => (pi - y[i]!) * w[i]! / sumW);
    const h = p.map((pi, i) => Math.max(1e-9, pi * (1 - pi)) * w[i]! / sumW);
    const tree = build(all, g, h, options.depth);
    trees.push(tree);
    for (let i = 0; i < rows.length; i++) f[i]! += options.rate * predictNode(tree, x[i]!);
  }
  return (row) => {
    const v = names.map((name) => valueOf(row, name));
    let z = base;
    for (const tree of trees) z += options.rate * predictNode(tree, v);
    return 1 / (1 + Math.exp(-z));
  };
}

type Fitter = (rows: readonly SignalRow[]) => (row: SignalRow) => number;

function crossValidateWith(fittedBySet: readonly (readonly SignalRow[])[], reachable: readonly number[], fit: Fitter): CoverageFigures[] {
  const partOf = new Map<SignalRow, number>();
  for (const rows of fittedBySet) rows.forEach((row, i) => partOf.set(row, i % CV_PARTS));
  const all = fittedBySet.flat();
  const predicted = new Map<SignalRow, number>();
  for (let part = 0; part < CV_PARTS; part++) {
    const score = fit(all.filter((r) => partOf.get(r) !== part));
    for (const r of all) if (partOf.get(r) === part) predicted.set(r, score(r));
  }
  return fittedBySet.map((rows, i) => atCoverage(rows, (r) => predicted.get(r)!, reachable[i]!));
}

function line(sets: readonly PreparedSet[], results: readonly CoverageFigures[]): string {
  const pct = (x: number): string => (Number.isNaN(x) ? '  n/a' : (100 * x).toFixed(1).padStart(5));
  return sets.map((set, i) => ({ set, f: results[i]! })).filter(({ set }) => !set.name.endsWith('-adv'))
    .map(({ set, f }) => `${set.name.replace('qa-dev-', '')} ${pct(f.precision)}${Number.isNaN(f.unanswerable) ? '' : ` / ${pct(f.unanswerable)}`}`).join('   ');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      qa: { type: 'string', multiple: true }, extra: { type: 'string', default: '' }, trees: { type: 'string', default: '100,200,400' },
      rate: { type: 'string', default: '0.1' }, depth: { type: 'string', default: '2' }, 'min-leaf': { type: 'string', default: '0.005' },
    },
  });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (files.length === 0) throw new Error('--qa FILE[,FILE] is required');
  const sets = files.map(prepareSet);
  const extra = values.extra.split(',').filter((v) => v !== '');
  const settings = { ranking: DEFAULT_RANKING, answer: DEFAULT_ANSWER };
  const rows = sets.map((set) => signalRows(set, settings, extra.length > 0 ? typedCandidates : undefined));
  const fitted = rows.map((r) => r.filter((row) => row.fold === 'fit'));
  const reachable = sets.map((set) => reachableCount(set, 'fit'));
  const held = (fit: Fitter): CoverageFigures[] => {
    const score = fit(fitted.flat());
    return sets.map((set, i) => atCoverage(rows[i]!.filter((r) => r.fold === 'held'), score, reachableCount(set, 'held')));
  };
  const names = [...ENGINE_SIGNALS, ...extra];
  const logistic: Fitter = (r) => {
    const model = fitLogistic(r, names);
    return (row) => probability(model, row);
  };
  console.log('each set at 75 % coverage: right when confident (qa-dev also: unanswerable confident); cv = 4-fold over the fitted fold, held = the held fifth');
  console.log(`${'logistic'.padEnd(24)} cv   ${line(sets, crossValidateWith(fitted, reachable, logistic))}`);
  console.log(`${''.padEnd(24)} held ${line(sets, held(logistic))}`);
  for (const depth of values.depth.split(',').map(Number)) {
    for (const rate of values.rate.split(',').map(Number)) {
      for (const trees of values.trees.split(',').map(Number)) {
        const boost: Fitter = (r) => fitBoost(r, names, { trees, rate, depth, minLeaf: Number(values['min-leaf']), l2: 1e-3 });
        const label = `boost d${depth} r${rate} t${trees}`;
        console.log(`${label.padEnd(24)} cv   ${line(sets, crossValidateWith(fitted, reachable, boost))}`);
        console.log(`${''.padEnd(24)} held ${line(sets, held(boost))}`);
      }
    }
  }
}

main();
