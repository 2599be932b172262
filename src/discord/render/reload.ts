/** The reply to /reload: what changed, or why the old index is still serving, and the skipped files. */
import type { ReloadReport } from '../../sources/library-types';
import { LIMITS } from '../limits';
import { clip, code, plural, truncate } from './escape';
import { COLORS, reply, type Reply } from './reply';

export function formatReload(report: ReloadReport): Reply {
  const { before, after } = report;
  const lines: string[] = [];
  if (report.ok) {
    lines.push(
      `Articles: ${before.sources} → ${after.sources}`,
      `Sentences: ${before.sentences} → ${after.sentences}`,
      `Took ${(report.durationMs / 1000).toFixed(1)} s.`,
    );
  } else {
    lines.push(
      `The previous index is still serving: ${plural(before.sources, 'article')}, ${plural(before.sentences, 'sentence')}.`,
      `What failed: ${clip(report.error ?? 'unknown error', 1000)}`,
    );
  }
  if (report.skipped.length > 0) {
    lines.push('', `Skipped ${plural(report.skipped.length, 'file')}:`);
    const head = lines.join('\n');
    const room = LIMITS.embedDescription - head.length - 40; // keep space for the "...and N more" line
    const items: string[] = [];
    let used = 0;
    for (const s of report.skipped) {
      const item = `• ${code(truncate(s.file, 120))} — ${clip(s.reason, 300)}`;
      if (used + item.length + 1 > room) break;
      items.push(item);
      used += item.length + 1;
    }
    lines.push(...items);
    const more = report.skipped.length - items.length;
    if (more > 0) lines.push(`…and ${more} more.`);
  }
  return reply({
    embeds: [
      {
        title: report.ok ? 'Reloaded the articles' : 'Reload failed — nothing changed',
        description: lines.join('\n'),
        color: report.ok ? COLORS.ok : COLORS.error,
      },
    ],
  });
}
