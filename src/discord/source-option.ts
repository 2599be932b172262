/** The `source:` option of /ask, /summary and /source remove: what the member typed, as a loaded source, and its autocomplete. */
import type { AutocompleteInteraction } from 'discord.js';
import type { Library, SourceInfo } from '../sources/library-types';
import { LIMITS } from './limits';
import { formatAmbiguousSource, formatUnknownSource } from './render/answer';
import { sourceChoices } from './render/choices';
import type { Reply } from './render/reply';
import type { BotContext } from './types';

export type SourceResolution = { ok: true; source?: SourceInfo } | { ok: false; reply: Reply };

/**
 * Maps the `source:` option to a loaded source through `Library.resolveSource` (a file name, which is
 * what autocomplete sends, a title, or an unambiguous start of one). Unknown → an error reply naming it,
 * with suggestions; ambiguous → one listing the matches.
 */
export function resolveSource(library: Library, input: string | null | undefined): SourceResolution {
  const wanted = input?.trim();
  if (!wanted) return { ok: true };
  const lookup = library.resolveSource(wanted);
  if (lookup.kind === 'found') return { ok: true, source: lookup.source };
  if (lookup.kind === 'ambiguous') return { ok: false, reply: formatAmbiguousSource(wanted, lookup.matches) };
  return { ok: false, reply: formatUnknownSource(wanted, lookup.suggestions) };
}

/**
 * The `source:` autocomplete; any other focused option gets no choices. `own` lists only the articles this
 * server's moderators may change (not the shared ones), for `/source remove`.
 */
export async function respondWithSources(interaction: AutocompleteInteraction, ctx: BotContext, scope: 'all' | 'own' = 'all'): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'source') {
    await interaction.respond([]);
    return;
  }
  const query = String(focused.value);
  const { library } = ctx;
  const found = scope === 'own' && library.suggestOwnSources ? library.suggestOwnSources(query, LIMITS.choices) : library.suggestSources(query, LIMITS.choices);
  await interaction.respond(sourceChoices(found));
}
