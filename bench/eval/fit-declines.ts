/**
 * Calibrates the decline thresholds (src/engine/answer.ts DEFAULT_ANSWER: minCoverage, minScopeCoverage)
 * on every dev set at once: for each pair on a grid it prints, per set, the false declines (answerable
 * questions declined, asked of their own article) and the off-topic questions declined (questions of
 * other articles, as `npm run eval` asks them), on the fitted fold and on the fold held apart
 * (bench/eval/tuning.ts). The cost of a pair is the sum over the fitted sets of false declines plus
 * off-topic questions answered, on the fitted fold: both errors count alike. Run from the project root:
 *
 *   S=../shared/data; npx tsx bench/eval/fit-declines.ts --qa $S/qa-dev.json,$S/qa-dev-newsqa.json,...
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ANSWER } from '../../src/engine/answer';
import { DEFAULT_RANKING } from '../../src/engine/ranking';
import { figuresOf, measureSet, prepareSet, type Figures } from './tuning';

const COVERAGES = [0.1, 0.15, 0.2, 0.25];
const SCOPE_COVERAGES = [0.25, 0.3, 0.35, 0.4, 0.45];

function main(): void {
  const { values } = parseArgs({ options: { qa: { type: 'string', multiple: true }, top: { type: 'string', default: '10' } } });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (files.length === 0) throw new Error('--qa FILE[,FILE] is required');
  const sets = files.map(prepareSet).filter((s) => !s.name.endsWith('-adv'));
  const rows: { cost: number; minCoverage: number; minScopeCoverage: number; fit: Figures[]; held: Figures[] }[] = [];
  for (const minCoverage of COVERAGES) {
    for (const minScopeCoverage of SCOPE_COVERAGES) {
      const answer = { ...DEFAULT_ANSWER, minCoverage, minScopeCoverage };
      const counts = sets.map((set) => measureSet(set, { ranking: DEFAULT_RANKING, answer }, { skipAll: true }));
      const fit = counts.map((c) => figuresOf(c.fit));
      const held = counts.map((c) => figuresOf(c.held));
      const cost = fit.reduce((sum, f) => sum + f.falseDeclines + (1 - f.offTopicDeclined), 0);
      rows.push({ cost, minCoverage, minScopeCoverage, fit, held });
    }
  }
  rows.sort((a, b) => a.cost - b.cost);
  const pct = (x: number): string => (100 * x).toFixed(1);
  console.log(`false declines / off-topic declined, %, per set (${sets.map((s) => s.name).join(', ')}); fitted fold | held fold`);
  for (const row of rows.slice(0, Number(values.top))) {
    const cells = (figures: Figures[]): string => figures.map((f) => `${pct(f.falseDeclines)}/${pct(f.offTopicDeclined)}`).join('  ');
    const current = row.minCoverage === DEFAULT_ANSWER.minCoverage && row.minScopeCoverage === DEFAULT_ANSWER.minScopeCoverage ? '  (current)' : '';
    console.log(`${row.cost.toFixed(3)}  ${row.minCoverage}/${row.minScopeCoverage}  ${cells(row.fit)} | ${cells(row.held)}${current}`);
  }
  const current = rows.find((r) => r.minCoverage === DEFAULT_ANSWER.minCoverage && r.minScopeCoverage === DEFAULT_ANSWER.minScopeCoverage);
  if (current !== undefined && rows.indexOf(current) >= Number(values.top)) console.log(`current ${current.minCoverage}/${current.minScopeCoverage}: cost ${current.cost.toFixed(3)}, rank ${rows.indexOf(current) + 1} of ${rows.length}`);
}

main();
