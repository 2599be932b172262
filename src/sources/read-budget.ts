/**
 * Reading an article (format extraction, sentences) off the answering thread, within a time budget.
 * Every step of reading is linear in the article's size, but a large article still takes a moment and
 * an unforeseen shape could take far longer: a large one is read on a worker thread, so questions keep
 * being answered meanwhile, and one that takes longer than the budget is refused with its reason (the
 * worker is stopped and a fresh one serves the next article). Small articles are read here at once:
 * a worker costs more than they take.
 */
import type { Worker } from 'node:worker_threads';
import type { SourceDocument } from '../engine/types';
import { BUILD_DIR, builtin, ownModule } from '../runtime-files';
import { articleFile, SAVED_EXTENSION, SAVED_FORMAT, type ArticleFile } from './article-file';
import { decodeSourceBytes, type SourceFormat } from './formats/detect';
import { SourceFormatError } from './formats/errors';
import { extractHtmlArticle, type ExtractedArticle } from './formats/html';
import type { NewSource } from './library-types';
import { parseSourceText } from './loader';

export interface ReadBudget {
  /** Longest a worker may take over one article (default 30 s: a 2 MB article of any shape reads in a few seconds, even on a busy machine, and the worker keeps the answering thread free meanwhile). */
  budgetMs?: number;
  /** Articles from this many characters up are read on the worker (default 256 KB). */
  offThreadFrom?: number;
}

export const READ_BUDGET_MS = 30_000;
const OFF_THREAD_FROM = 256 * 1024;

export interface PreparedArticle {
  file: ArticleFile;
  /** The saved file's content, checked as the loader checks a file. */
  content: string;
  document: SourceDocument;
}

/** The tasks the worker runs; each is also what runs on this thread for a small article. */
export const READ_TASKS = {
  parse: (id: string, text: string, format: SourceFormat): SourceDocument => parseSourceText(id, text, format),
  extractHtml: (html: string, pageUrl: string | undefined): ExtractedArticle => extractHtmlArticle(html, pageUrl),
  prepare: (source: Pick<NewSource, 'text' | 'format' | 'metadata' | 'fileName'>, maxBytes: number): PreparedArticle => {
    const file = articleFile(source);
    const content = decodeSourceBytes(Buffer.from(file.content, 'utf8'), 'the article', maxBytes);
    const document = parseSourceText(UNNAMED, content, SAVED_FORMAT);
    // With no title and no words to make one from ("..."), the loader falls back to the file name, which
    // here is only a placeholder: the uploaded file's name is the title, and without one the add is refused.
    if (document.title !== UNNAMED) return { file, content, document };
    const title = titleFromFileName(source.fileName);
    if (title === undefined) throw new SourceFormatError('the article has no title, and its first sentence has no words to make one from');
    const named = articleFile({ ...source, metadata: { ...source.metadata, title } });
    const namedContent = decodeSourceBytes(Buffer.from(named.content, 'utf8'), 'the article', maxBytes);
    return { file: named, content: namedContent, document: parseSourceText(UNNAMED, namedContent, SAVED_FORMAT) };
  },
};
export type ReadTask = keyof typeof READ_TASKS;

/** The id an added article is read under before it has a file name of its own. */
const UNNAMED = `new${SAVED_EXTENSION}`;

/** "harbour-wall_repairs.txt" → "harbour wall repairs"; undefined when the name has no letters or digits. */
function titleFromFileName(fileName: string | undefined): string | undefined {
  const stem = (fileName?.split(/[/\\]/).pop() ?? '').replace(/\.[^.]*$/, '').replace(/[\p{Cc}\p{Cf}]+/gu, '');
  const title = stem.replace(/[-_\s]+/g, ' ').trim();
  return /[\p{L}\p{N}]/u.test(title) ? title.slice(0, 80) : undefined;
}
type TaskArgs<T extends ReadTask> = Parameters<(typeof READ_TASKS)[T]>;
type TaskResult<T extends ReadTask> = ReturnType<(typeof READ_TASKS)[T]>;

/** Reads a source file's text into a document; throws SourceFormatError with the reason when it cannot. */
export function readSourceText(id: string, text: string, format: SourceFormat, budget: ReadBudget = {}): Promise<SourceDocument> {
  return run('parse', [id, text, format], text.length, budget);
}

/** Extracts a fetched page's article; throws SourceFormatError with the reason when it cannot. */
export function readHtmlPage(html: string, pageUrl: string | undefined, budget: ReadBudget = {}): Promise<ExtractedArticle> {
  return run('extractHtml', [html, pageUrl], html.length, budget);
}

/** The file an added source is saved as, and the document it reads back as. */
export function prepareArticle(source: Pick<NewSource, 'text' | 'format' | 'metadata' | 'fileName'>, maxBytes: number, budget: ReadBudget = {}): Promise<PreparedArticle> {
  const { text, format, metadata, fileName } = source;
  const plain = { text, format, ...(metadata ? { metadata } : {}), ...(fileName !== undefined ? { fileName } : {}) };
  return run('prepare', [plain, maxBytes], text.length, budget);
}

async function run<T extends ReadTask>(task: T, args: TaskArgs<T>, size: number, budget: ReadBudget): Promise<TaskResult<T>> {
  if (size < (budget.offThreadFrom ?? OFF_THREAD_FROM)) return (READ_TASKS[task] as unknown as (...a: TaskArgs<T>) => TaskResult<T>)(...args);
  return reader.run(task, args, budget.budgetMs ?? READ_BUDGET_MS) as Promise<TaskResult<T>>;
}

interface Reply {
  ok: boolean;
  value?: unknown;
  reason?: string;
  formatError?: boolean;
  message?: string;
}

/**
 * Starts the worker module: the compiled one as it is, the TypeScript one through tsx's loader API,
 * which works whether or not this process was started by tsx.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const loader = workerData.loader === undefined ? Promise.resolve() : import(workerData.loader).then(({ register }) => register());
loader.then(() => import(workerData.module));
`;

/** One worker, one article at a time, so the budget measures that article alone and not a queue. */
class BudgetedReader {
  private worker: { thread: Worker; ready: Promise<void> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  run(task: ReadTask, args: unknown[], budgetMs: number): Promise<unknown> {
    const result = this.queue.then(async () => {
      // The clock starts once the worker is up: starting one is not the article's fault.
      const worker = this.start();
      await worker.ready;
      return this.once(worker.thread, task, args, budgetMs);
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private once(worker: Worker, task: ReadTask, args: unknown[], budgetMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: Reply): void => {
        finish();
        if (reply.ok) resolve(reply.value);
        else reject(reply.formatError ? new SourceFormatError(reply.reason ?? 'unreadable') : new Error(reply.message));
      };
      const onError = (error: Error): void => {
        finish();
        this.stop();
        reject(error);
      };
      const onExit = (code: number): void => {
        finish();
        this.worker = undefined;
        reject(new Error(`the article reader stopped (exit code ${code})`));
      };
      const timer = setTimeout(() => {
        finish();
        this.stop();
        reject(new SourceFormatError(`reading it took longer than ${formatSeconds(budgetMs)}, the limit for one article`));
      }, budgetMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage({ task, args });
    });
  }

  private start(): { thread: Worker; ready: Promise<void> } {
    if (this.worker) return this.worker;
    const module = ownModule('sources/read-worker').href;
    const loader = BUILD_DIR === undefined ? import.meta.resolve('tsx/esm/api') : undefined;
    // node:worker_threads is loaded with the first large article: most starts never need it.
    const { Worker: WorkerThread } = builtin('node:worker_threads');
    const thread = new WorkerThread(BOOTSTRAP, { eval: true, workerData: { loader, module } });
    // An idle reader never keeps the process alive.
    thread.unref();
    const ready = new Promise<void>((resolve, reject) => {
      thread.once('message', () => resolve());
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the article reader stopped (exit code ${code})`)));
    });
    this.worker = { thread, ready };
    return this.worker;
  }

  private stop(): void {
    void this.worker?.thread.terminate();
    this.worker = undefined;
  }
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

const reader = new BudgetedReader();
