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

/** The `source:` autocomplete; any other focused option gets no choices. */
export async function respondWithSources(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'source') {
    await interaction.respond([]);
    return;
  }
  await interaction.respond(sourceChoices(ctx.library.suggestSources(String(focused.value), LIMITS.choices)));
}
