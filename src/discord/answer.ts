/** Shared by /ask, /summary, /source and mentions: source resolution, asking, autocomplete choices. */
import {
  MessageFlags,
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type InteractionReplyOptions,
} from 'discord.js';
import { UnknownSourceError, type Library, type SourceInfo } from '../sources/library-types';
import { formatAnswer, formatUnknownSource, truncate, type Reply } from './format';
import { LIMITS } from './limits';
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

export interface AskRequest {
  question: string;
  source?: SourceInfo;
  top?: number;
}

/** The reply to /ask and to a mention. An unknown source id thrown by the library (a reload removed it) becomes an error reply. */
export function answerReply(library: Library, req: AskRequest): { reply: Reply; ok: boolean } {
  try {
    const answer = library.ask(req.question, {
      ...(req.source ? { source: req.source.id } : {}),
      ...(req.top !== undefined ? { top: req.top } : {}),
    });
    const reply = formatAnswer(answer, {
      sources: library.counts().sources,
      ...(req.source ? { sourceTitle: req.source.title || req.source.id } : {}),
    });
    return { reply, ok: true };
  } catch (err) {
    if (err instanceof UnknownSourceError) return { reply: formatUnknownSource(err.sourceId), ok: false };
    throw err;
  }
}

/** Autocomplete choices for `source:`: name = title (≤100, with the id when titles collide), value = id (≤100). */
export function sourceChoices(sources: readonly SourceInfo[]): ApplicationCommandOptionChoiceData<string>[] {
  const usable = sources.filter((s) => s.id.length > 0 && s.id.length <= LIMITS.choiceValue).slice(0, LIMITS.choices);
  const titleCount = new Map<string, number>();
  const clean = (t: string) => t.replace(/\s+/g, ' ').trim();
  for (const s of usable) titleCount.set(clean(s.title), (titleCount.get(clean(s.title)) ?? 0) + 1);
  return usable.map((s) => {
    const title = clean(s.title);
    let name: string;
    if (title === '' || title === s.id) name = truncate(s.id, LIMITS.choiceName);
    else if ((titleCount.get(title) ?? 0) > 1) {
      const suffix = ` (${s.id})`;
      name =
        suffix.length <= LIMITS.choiceName / 2
          ? `${truncate(title, LIMITS.choiceName - suffix.length)}${suffix}`
          : truncate(`${title} (${s.id})`, LIMITS.choiceName);
    } else name = truncate(title, LIMITS.choiceName);
    return { name, value: s.id };
  });
}

/** The `source:` autocomplete of /ask, /summary and /source remove; any other focused option gets no choices. */
export async function respondWithSources(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'source') {
    await interaction.respond([]);
    return;
  }
  await interaction.respond(sourceChoices(ctx.library.suggestSources(String(focused.value), LIMITS.choices)));
}

export function ephemeral(reply: Reply): InteractionReplyOptions & { flags: MessageFlags.Ephemeral } {
  return { ...reply, flags: MessageFlags.Ephemeral };
}
