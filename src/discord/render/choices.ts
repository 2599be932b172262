/** Autocomplete choices for the `source:` option, within Discord's 25 choices of 100 characters. */
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { SourceInfo } from '../../sources/library-types';
import { LIMITS } from '../limits';
import { truncate } from './escape';

/** name = title (≤100, with the id when titles collide), value = id (≤100). */
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
