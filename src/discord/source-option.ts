/** The `source:` option of /ask, /summary and /source remove: what the member typed, as a loaded source, and its autocomplete. */
import type { AutocompleteInteraction } from 'discord.js';
import type { Library, SourceInfo } from '../sources/library-types';
import { LIMITS } from './limits';
import { formatUnknownSource } from './render/answer';
import { sourceChoices } from './render/choices';
import type { Reply } from './render/reply';
import type { BotContext } from './types';

export type SourceResolution = { ok: true; source?: SourceInfo } | { ok: false; reply: Reply };

/**
 * Maps the `source:` option to a loaded source: its id (what autocomplete sends), else a
 * case-insensitive id or unique title match. Unknown → an error reply naming it, with suggestions.
 */
export function resolveSource(library: Library, input: string | null | undefined): SourceResolution {
  const wanted = input?.trim();
  if (!wanted) return { ok: true };
  const all = library.sources();
  const exact = all.find((s) => s.id === wanted);
  if (exact) return { ok: true, source: exact };
  const lower = wanted.toLowerCase();
  const byId = all.filter((s) => s.id.toLowerCase() === lower);
  if (byId.length === 1) return { ok: true, source: byId[0] };
  const byTitle = all.filter((s) => s.title.trim().toLowerCase() === lower);
  if (byTitle.length === 1) return { ok: true, source: byTitle[0] };
  return { ok: false, reply: formatUnknownSource(wanted, safeSuggest(library, wanted, 3)) };
}

function safeSuggest(library: Library, query: string, limit: number): SourceInfo[] {
  try {
    return library.suggestSources(query, limit);
  } catch {
    return [];
  }
}

/** The `source:` autocomplete; any other focused option gets no choices. */
export async function respondWithSources(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'source') {
    await interaction.respond([]);
    return;
  }
  await interaction.respond(sourceChoices(ctx.library.suggestSources(String(focused.value), LIMITS.choices)));
}
