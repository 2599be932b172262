/**
 * SOURCES_WATCH: reload when someone changes the article files by hand. fs.watch on the folder (not
 * recursive: the loader reads only the top level), debounced because one save is often several events.
 */
import { watch } from 'node:fs';
import type { Logger } from '../logger';
import type { Library } from './library-types';

export const DEFAULT_DEBOUNCE_MS = 500;
/** At most this many changed names go into one log line. */
const LOGGED_NAMES = 20;

export interface FolderWatchOptions {
  path: string;
  debounceMs?: number;
  /** Names the bot itself just wrote or moved; their events are not changes to react to. */
  isOwnChange?: (fileName: string) => boolean;
  /** Called once things have been quiet for `debounceMs`, with the names that changed ("?" when the OS did not say). */
  onChange: (fileNames: string[]) => void;
  onError: (error: Error) => void;
}

/** Watches a folder (or one file); returns a function that stops watching. */
export function watchFolder(options: FolderWatchOptions): () => void {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    const names = [...changed].sort();
    changed.clear();
    options.onChange(names);
  };
  // Not persistent: watching alone should not keep the process alive after the bot has stopped.
  const watcher = watch(options.path, { persistent: false }, (_event, fileName) => {
    const name = fileName ?? '?';
    if (name !== '?' && (isIgnoredName(name) || options.isOwnChange?.(name) === true)) return;
    changed.add(name);
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  });
  watcher.on('error', options.onError);
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

/**
 * Names that never hold an article the loader reads: dot-files and folders (`.trash`, the bot's own
 * temp files) and the temporary files of editors and downloads.
 */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || /^#.*#$/.test(name) || /\.(?:swp|swx|tmp|part|crdownload)$/i.test(name);
}

export interface AutoReloadOptions {
  path: string;
  library: Pick<Library, 'reload' | 'isOwnChange'>;
  /** For the watcher's own trouble; the reloads are logged by the library's change log. */
  logger: Logger;
  debounceMs?: number;
}

/**
 * Reloads the library when the sources change on disk (cause `watch`, with the changed names), which the
 * library announces like any other change.
 * Returns a stop function; if the folder cannot be watched, logs why and returns one that does nothing.
 */
export function startAutoReload(options: AutoReloadOptions): () => void {
  const { library, logger } = options;
  const reload = async (files: string[]): Promise<void> => {
    await library.reload({ trigger: 'watch', files: files.slice(0, LOGGED_NAMES) });
  };
  try {
    const stop = watchFolder({
      path: options.path,
      ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
      isOwnChange: (name) => library.isOwnChange?.(name) ?? false,
      onChange: (files) => void reload(files).catch((err: unknown) => logger.error({ err }, 'auto-reload failed')),
      onError: (err) => logger.warn({ err, path: options.path }, 'watching the sources stopped working; use /reload'),
    });
    logger.info({ path: options.path }, 'watching the sources for changes');
    return stop;
  } catch (err) {
    logger.warn({ err, path: options.path }, 'cannot watch the sources folder; changes need /reload');
    return () => undefined;
  }
}
