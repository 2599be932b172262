/**
 * Adding and removing one source, planned in two steps so a failure changes nothing: the plan says
 * what the document list becomes (the library indexes that before anything is written), and
 * `commit` changes the folder, leaving it as it was if it fails.
 */
import { UnknownSourceError } from '../engine/errors';
import type { SourceDocument } from '../engine/types';
import { contentHash } from './analysis-cache';
import { SAVED_EXTENSION } from './article-file';
import type { NewSource } from './library-types';
import { DEFAULT_MAX_SOURCE_BYTES } from './loader';
import { prepareArticle, type ReadBudget } from './read-budget';
import { chooseStem, slugFromFileName, slugFromUrl, slugify, type FolderWriter } from './folder-writer';

export interface FolderChangePlan {
  /** The changed document (the new version, or the one removed). */
  document: SourceDocument;
  /** Every document once the change is made, in the loader's order. */
  documents: SourceDocument[];
  /** The source with the same url that an add replaces. */
  replaced?: SourceDocument;
  /** The content hash of the file an add writes (as the loader hashes it), so the next reload knows it unchanged. */
  hash?: string;
  /** Changes the folder; on failure it is left as it was. Returns the trash name when a file was moved there. */
  commit(): Promise<string | undefined>;
}

export async function planAdd(
  folder: FolderWriter,
  current: readonly SourceDocument[],
  source: NewSource,
  maxBytes = DEFAULT_MAX_SOURCE_BYTES,
  budget: ReadBudget = {},
): Promise<FolderChangePlan> {
  // The same checks the loader makes, so the next reload reads exactly what is indexed now; a large
  // article is read on a worker within the time budget, and one that exceeds it is refused.
  const { file, content, document: parsed } = await prepareArticle(source, maxBytes, budget);
  const replaced = findByUrl(current, source.fetchedUrl ?? file.metadata.url);
  const name =
    replaced?.id.endsWith(SAVED_EXTENSION) === true
      ? replaced.id
      : await folder.freeName(
          chooseStem([slugify(parsed.title), parsed.url && slugFromUrl(parsed.url), source.fileName && slugFromFileName(source.fileName)]),
          SAVED_EXTENSION,
          current.map((document) => document.id),
        );
  const document: SourceDocument = { ...parsed, id: name };
  const others = current.filter((existing) => existing.id !== replaced?.id);
  return {
    document,
    documents: inLoaderOrder([...others, document]),
    ...(replaced ? { replaced } : {}),
    hash: contentHash(Buffer.from(content, 'utf8')),
    commit: async () => {
      await folder.write(name, content);
      if (replaced === undefined || replaced.id === name) return undefined;
      // The old version had another extension (a hand-made .txt, say): it goes to the trash, or the add is undone.
      return folder.trash(replaced.id).catch(async (error: unknown) => {
        await folder.discard(name).catch(() => undefined);
        throw error;
      });
    },
  };
}

export function planRemove(folder: FolderWriter, current: readonly SourceDocument[], id: string): FolderChangePlan {
  const document = current.find((existing) => existing.id === id);
  if (document === undefined) throw new UnknownSourceError(id);
  return {
    document,
    documents: current.filter((existing) => existing.id !== id),
    commit: () => folder.trash(id),
  };
}

/** The source whose url is the same page (ignoring a #fragment and letter case in the host). */
function findByUrl(documents: readonly SourceDocument[], url: string | undefined): SourceDocument | undefined {
  const wanted = url === undefined ? undefined : normalizeUrl(url);
  if (wanted === undefined) return undefined;
  return documents.find((document) => document.url !== undefined && normalizeUrl(document.url) === wanted);
}

function normalizeUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url.trim();
  }
}

/** loadSources reads a folder in sorted file-name order; the index keeps that order between reloads. */
function inLoaderOrder(documents: SourceDocument[]): SourceDocument[] {
  return documents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
