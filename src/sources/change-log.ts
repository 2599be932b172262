import type { Logger } from '../logger';
import type { ChangeCause, Library, LibraryChange, ReloadReport } from './library-types';

/** What a reload's log line says it was, by what started it. */
const RELOAD_MESSAGES: Record<string, string> = { watch: 'sources changed on disk' };

/**
 * Logs every change of a library the same way whoever made it (a moderator, the folder watcher, another
 * shard): a reload at info when it worked and at warn when the old index is still serving, and each add
 * and remove with the moderator's user id and tag. The start-up load is logged by whoever opened it.
 */
export function logChanges(library: Pick<Library, 'onChange'>, logger: Logger): () => void {
  return library.onChange((change) => logChange(logger, change));
}

export function logChange(logger: Logger, change: LibraryChange): void {
  switch (change.kind) {
    case 'reload':
      if (change.cause.trigger !== 'start') logReload(logger, change.report, change.cause);
      return;
    case 'add': {
      const { source } = change.added;
      logger.info(
        {
          userId: change.by.id,
          userTag: change.by.tag,
          source: source.id,
          title: source.title,
          url: source.url,
          sentences: source.sentences,
          ...(change.replacedFile !== undefined ? { replacedFile: change.replacedFile, trashedAs: change.trashedAs } : {}),
        },
        change.added.replaced ? 'source updated' : 'source added',
      );
      return;
    }
    case 'remove':
      logger.info(
        { userId: change.by.id, userTag: change.by.tag, source: change.removed.id, title: change.removed.title, trashedAs: change.trashedAs },
        'source removed',
      );
  }
}

function logReload(logger: Logger, report: ReloadReport, cause: ChangeCause): void {
  const { trigger, ...details } = cause;
  const fields = {
    ...(trigger === 'peer' ? {} : { trigger }),
    ...details,
    ok: report.ok,
    before: report.before,
    after: report.after,
    skipped: report.skipped.length,
    durationMs: report.durationMs,
    ...(report.error !== undefined ? { error: report.error } : {}),
  };
  if (trigger === 'peer') {
    if (report.ok) logger.info(fields, 'reloaded the articles after a change on another shard');
    else logger.warn(fields, 'reload asked by another shard failed; the old index is still serving');
    return;
  }
  const what = RELOAD_MESSAGES[trigger] ?? trigger;
  if (report.ok) logger.info(fields, `${what}: reloaded`);
  else logger.warn(fields, `${what}: the reload failed; the old index is still serving`);
}
