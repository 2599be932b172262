/** Replies of `/source add` and `/source remove`; article text and reasons are escaped like everything else. */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord.js';
import type { AddedSource, SourceInfo } from '../../sources/library-types';
import { LIMITS } from '../limits';
import { clip, code, escapeText, plural, safeUrl, truncate } from './escape';
import { COLORS, notice, reply, type Reply } from './reply';

export const REMOVE_BUTTON_PREFIX = 'source:remove:';
export type RemoveAction = 'confirm' | 'cancel';

export function removeButtonId(action: RemoveAction, token: string): string {
  return `${REMOVE_BUTTON_PREFIX}${action}:${token}`;
}

/** "Added: <title>" with the opening sentences, so the moderator sees what was indexed. */
export function formatSourceAdded(added: AddedSource): Reply {
  const { source } = added;
  const perLine = Math.floor((LIMITS.embedDescription - 200) / Math.max(1, added.firstSentences.length));
  const opening = added.firstSentences.map((sentence) => truncate(`> ${escapeText(sentence, perLine)}`, perLine));
  const embed: APIEmbed = {
    title: truncate(`${added.replaced ? 'Updated' : 'Added'}: ${clip(source.title || source.id, 200)}`, LIMITS.embedTitle),
    description: [
      ...opening,
      '',
      added.replaced
        ? 'This replaces the earlier version from the same address. Questions are answered from it now.'
        : 'Questions are answered from it now; `/source remove` takes it out again.',
    ].join('\n'),
    color: COLORS.ok,
    footer: { text: `${truncate(source.id, 200)} · ${plural(source.sentences, 'sentence')}` },
  };
  const href = safeUrl(source.url);
  if (href !== undefined) embed.url = href;
  return reply({ embeds: [embed] });
}

export function formatAddProblem(reason: string): Reply {
  return notice(`Could not add the article: ${clip(reason, 500)}. Nothing was changed.`);
}

export function formatRemoveQuestion(source: SourceInfo, token: string, expiresInMinutes: number): Reply {
  const button = (action: RemoveAction, label: string, style: ButtonStyle.Danger | ButtonStyle.Secondary) => ({
    type: ComponentType.Button as const,
    style,
    label,
    custom_id: removeButtonId(action, token),
  });
  return reply({
    embeds: [
      {
        title: 'Remove this article?',
        description: [
          `**${clip(source.title || source.id, 200)}**`,
          `${code(truncate(source.id, 100))} · ${plural(source.sentences, 'sentence')}`,
          '',
          'Its file moves to `.trash/` in the sources folder, and questions are no longer answered from it.',
        ].join('\n'),
        color: COLORS.error,
        footer: { text: `Only you can confirm · expires in ${plural(expiresInMinutes, 'minute')}` },
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [button('confirm', 'Remove', ButtonStyle.Danger), button('cancel', 'Cancel', ButtonStyle.Secondary)],
      },
    ],
  });
}

/** Replaces the question: the buttons go, so nothing can be pressed twice. */
export function formatRemoved(source: SourceInfo): Reply {
  return finalState(
    'Removed',
    `**${clip(source.title || source.id, 200)}** (${code(truncate(source.id, 100))}) is no longer answered from. Its file is in \`.trash/\` if you need it back.`,
    COLORS.ok,
  );
}

export function formatRemoveCancelled(title: string): Reply {
  return finalState('Cancelled', `Nothing was removed; **${clip(title, 200)}** is still loaded.`, COLORS.decline);
}

export function formatRemoveExpired(): Reply {
  return finalState('Expired', 'This confirmation has expired. Run `/source remove` again.', COLORS.decline);
}

export function formatRemoveFailed(reason: string): Reply {
  return finalState('Not removed', `Could not remove the article: ${clip(reason, 500)}. Nothing was changed.`, COLORS.error);
}

function finalState(title: string, description: string, color: number): Reply {
  return { ...reply({ embeds: [{ title, description, color }] }), components: [] };
}
