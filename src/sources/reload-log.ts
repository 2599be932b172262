import type { Logger } from '../logger';
import type { ReloadReport } from './library-types';

/**
 * Logs a reload the same way whoever started it (a moderator, the folder watcher): info when it
 * worked, warn when the old index is still serving. `context` says who or what started it.
 */
export function logReload(logger: Logger, report: ReloadReport, context: Record<string, unknown>, what: string): void {
  const fields = {
    ...context,
    ok: report.ok,
    before: report.before,
    after: report.after,
    skipped: report.skipped.length,
    durationMs: report.durationMs,
    ...(report.error !== undefined ? { error: report.error } : {}),
  };
  if (report.ok) logger.info(fields, `${what}: reloaded`);
  else logger.warn(fields, `${what}: the reload failed; the old index is still serving`);
}
