/** The systems the benchmark knows, each loaded only inside its own child process. */
import type { SystemAdapter } from './types';

export interface SystemInfo {
  name: string;
  label: string;
  load(): Promise<SystemAdapter>;
}

export const SYSTEMS: readonly SystemInfo[] = [
  { name: 'ours', label: 'ours (createEngine + ask top 3)', load: async () => (await import('./ours')).createAdapter() },
  {
    name: 'natural',
    label: 'natural TfIdf (addDocument per sentence, tfidfs)',
    load: async () => (await import('./natural')).createAdapter(),
  },
  {
    name: 'minisearch',
    label: "minisearch (fields ['text'], default search)",
    load: async () => (await import('./minisearch')).createAdapter(),
  },
  {
    name: 'minisearch-stop',
    label: 'minisearch + stop-word processTerm',
    load: async () => (await import('./minisearch')).createStopWordAdapter(),
  },
  {
    name: 'flexsearch',
    label: "flexsearch Index (tokenize 'strict', suggest)",
    load: async () => (await import('./flexsearch')).createAdapter(),
  },
  { name: 'wink', label: 'wink-bm25-text-search (+ wink-nlp-utils pipe)', load: async () => (await import('./wink')).createAdapter() },
];

export const REFERENCE_SYSTEM = 'natural';
export const OUR_SYSTEM = 'ours';

export function systemInfo(name: string): SystemInfo {
  const info = SYSTEMS.find((system) => system.name === name);
  if (info === undefined) throw new Error(`unknown system "${name}" (known: ${SYSTEMS.map((s) => s.name).join(', ')})`);
  return info;
}
