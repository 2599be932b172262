/**
 * Summarises a child's .cpuprofile (from `npm run bench -- --cpu-prof ours`): self time per function,
 * split into the build phase and the query phase of the system adapter.
 *
 *   npx tsx bench/perf/profile-summary.ts /tmp/qa-bench-profiles/ours-100k.cpuprofile [rows]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PHASES = ['build', 'top1'] as const;
type Phase = (typeof PHASES)[number] | 'other';

function label(node: ProfileNode): string {
  const file = node.callFrame.url.split('/').slice(-2).join('/');
  return `${node.callFrame.functionName || '(anonymous)'}${file === '' ? '' : ` ${file}`}`;
}

export function summarize(profile: CpuProfile, rows = 15): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<Phase, Map<string, number>>(PHASES.map((phase) => [phase, new Map()]));
  const totals = new Map<Phase, number>();
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    let phase: Phase = 'other';
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (frame?.url.endsWith('/systems/ours.ts') && (PHASES as readonly string[]).includes(frame.functionName)) {
        phase = frame.functionName as Phase;
        break;
      }
    }
    totals.set(phase, (totals.get(phase) ?? 0) + micros);
    const node = byId.get(id);
    const bucket = self.get(phase);
    if (node === undefined || bucket === undefined) return;
    const key = label(node);
    bucket.set(key, (bucket.get(key) ?? 0) + micros);
  });
  const out: string[] = [];
  for (const phase of PHASES) {
    const total = totals.get(phase) ?? 0;
    out.push(`== ${phase}: ${(total / 1000).toFixed(0)} ms (self time per function)`);
    const sorted = [...(self.get(phase) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]).slice(0, rows);
    for (const [key, micros] of sorted) {
      out.push(`${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / Math.max(1, total)).toFixed(1).padStart(5)}%  ${key.slice(0, 140)}`);
    }
  }
  out.push(`== other (loading, GC outside the phases): ${((totals.get('other') ?? 0) / 1000).toFixed(0)} ms`);
  return out.join('\n');
}

const [file, rows] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: tsx bench/perf/profile-summary.ts FILE.cpuprofile [rows]');
  process.exitCode = 2;
} else {
  console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, rows === undefined ? 15 : Number(rows)));
}
