import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { UnknownSourceError, type Library } from '../sources/library-types';
import { formatAnswer, formatReload, formatSources, formatSummary } from './format';

const HELP = `Ask a question about the loaded articles, or type a command:
  /summary [SOURCE] [N]   summary of every article, or of SOURCE, in N sentences (default 3)
  /sources                the loaded articles
  /reload                 re-read the articles from disk
  /help                   this text
  /quit                   leave (Ctrl+D works too)`;

export interface ChatOptions {
  library: Library;
  input: Readable;
  output: Writable;
  /** Show a prompt and a greeting: true for a person at a terminal, false for piped input. */
  interactive: boolean;
}

/**
 * The console chat: the same answers as the bot, with no Discord at all. With piped input it answers
 * each line in order and resolves at end of input.
 */
export async function runChat({ library, input, output, interactive }: ChatOptions): Promise<void> {
  const lines = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const say = (text: string) => output.write(`${text}\n`);
  if (interactive) {
    const { sources, sentences } = library.counts();
    say(`Article Q&A: ${sources} articles, ${sentences} sentences. Ask a question, or /help.`);
    lines.setPrompt('> ');
    lines.prompt();
  }
  for await (const line of lines) {
    const reply = await respond(library, line.trim());
    if (reply === undefined) break;
    if (reply !== '') say(reply);
    if (interactive) lines.prompt();
  }
  lines.close();
}

/** The reply to one line; undefined means the user asked to leave. */
export async function respond(library: Library, line: string): Promise<string | undefined> {
  if (line === '') return '';
  if (!line.startsWith('/')) return formatAnswer(library.ask(line));
  const [command = '', ...args] = line.slice(1).split(/\s+/);
  switch (command.toLowerCase()) {
    case 'summary':
      return summaryReply(library, args);
    case 'sources':
      return formatSources(library.sources());
    case 'reload':
      return formatReload(await library.reload());
    case 'help':
      return HELP;
    case 'quit':
    case 'exit':
      return undefined;
    default:
      return `Unknown command /${command}. Type /help for the list.`;
  }
}

function summaryReply(library: Library, args: string[]): string {
  const last = args[args.length - 1];
  const count = last !== undefined && /^\d+$/.test(last) ? Number(args.pop()) : 3;
  if (count < 1 || count > 10) return 'A summary has 1 to 10 sentences.';
  const source = args.length > 0 ? args.join(' ') : undefined;
  try {
    return library.summarize({ source, sentences: count }).map(formatSummary).join('\n\n') || 'No articles are loaded.';
  } catch (error) {
    if (error instanceof UnknownSourceError) return `${error.message} Type /sources to list them.`;
    throw error;
  }
}
