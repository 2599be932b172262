import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type Attachment,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type User,
} from 'discord.js';
import { problemReason, UnknownSourceError, type SourceActor, type SourceInfo } from '../../sources/library-types';
import { notThisServersReason } from '../../sources/server-libraries';
import { PendingRemovals } from '../pending-removals';
import { ephemeral, notice } from '../render/reply';
import {
  formatAddProblem,
  formatRemoveCancelled,
  formatRemoved,
  formatRemoveExpired,
  formatRemoveFailed,
  formatRemoveQuestion,
  formatSourceAdded,
  REMOVE_BUTTON_PREFIX,
} from '../render/source-change';
import { resolveSource, respondWithSources } from '../source-option';
import type { BotContext, ButtonHandler, ModeratorsOnly } from '../types';

export const data = new SlashCommandBuilder()
  .setName('source')
  .setDescription('Add or remove an article (moderators only).')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((add) =>
    add
      .setName('add')
      .setDescription('Add an article from a web page or a file; the same address again updates it.')
      .addStringOption((o) => o.setName('url').setDescription('The address of the article page (https://…)').setMaxLength(2000))
      .addAttachmentOption((o) => o.setName('file').setDescription('An article file: .txt, .md or .html')),
  )
  .addSubcommand((remove) =>
    remove
      .setName('remove')
      .setDescription('Remove an article (you confirm first; its file goes to .trash/).')
      .addStringOption((o) => o.setName('source').setDescription('The article to remove').setRequired(true).setAutocomplete(true)),
  )
  .toJSON();

export const REFUSAL =
  'Only moderators can add or remove articles: you need the Manage Server permission or a moderator role.';
export const ONE_OF_URL_OR_FILE = 'Give either `url:` (a web page) or `file:` (a .txt, .md or .html file), not both.';
export const NOT_YOURS = 'Only the moderator who asked for this removal can confirm or cancel it.';

/** Open confirmations of `/source remove`, shared by the command and its buttons. */
export const pendingRemovals = new PendingRemovals();

export const moderatorsOnly: ModeratorsOnly = { refusal: REFUSAL };

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (interaction.options.getSubcommand() === 'remove') await askToRemove(interaction, ctx);
  else await add(interaction, ctx);
}

/** `/source remove` offers only the server's own articles. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await respondWithSources(interaction, ctx, 'own');
}

type AddRequest = { url: string; file?: undefined } | { file: Attachment; url?: undefined };

/** Exactly one of `url:` and `file:`. */
function addRequest(interaction: ChatInputCommandInteraction): AddRequest | undefined {
  const url = interaction.options.getString('url')?.trim() || undefined;
  const file = interaction.options.getAttachment('file') ?? undefined;
  if (url !== undefined && file === undefined) return { url };
  if (file !== undefined && url === undefined) return { file };
  return undefined;
}

async function add(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const request = addRequest(interaction);
  if (request === undefined) {
    await interaction.reply(ephemeral(notice(ONE_OF_URL_OR_FILE)));
    return;
  }
  const { url, file } = request;
  const refused = file && ctx.library.uploadProblem(file);
  if (refused) {
    await interaction.reply(ephemeral(formatAddProblem(refused)));
    return;
  }
  // Fetching a page can take longer than the 3 s Discord gives for a first answer.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  try {
    const by = actorOf(interaction.user);
    const added = request.file ? await ctx.library.addFromUpload(request.file, by) : await ctx.library.addFromUrl(request.url, by);
    await interaction.editReply(formatSourceAdded(added));
  } catch (err) {
    const reason = problemReason(err);
    if (reason === undefined) throw err;
    ctx.logger.info(
      { interactionId: interaction.id, userId: interaction.user.id, userTag: interaction.user.tag, url, file: file?.name, reason },
      'source not added',
    );
    await interaction.editReply(formatAddProblem(reason));
  }
}

async function askToRemove(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const resolved = resolveSource(ctx.library, interaction.options.getString('source', true));
  if (!resolved.ok || resolved.source === undefined) {
    await interaction.reply(ephemeral(resolved.ok ? notice('Pick the article to remove.') : resolved.reply));
    return;
  }
  const { source } = resolved;
  if (source.shared === true) {
    await interaction.reply(ephemeral(notice(sharedRefusal(source))));
    return;
  }
  const token = pendingRemovals.open(source.id, source.title || source.id, interaction.user.id);
  const minutes = Math.max(1, Math.round(pendingRemovals.ttlMs / 60_000));
  await interaction.reply(ephemeral(formatRemoveQuestion(source, token, minutes)));
}

/** The Remove / Cancel buttons under a `/source remove` question. */
export const removeButton: ButtonHandler = {
  prefix: REMOVE_BUTTON_PREFIX,
  moderatorsOnly,
  async execute(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
    const [action, token = ''] = interaction.customId.slice(REMOVE_BUTTON_PREFIX.length).split(':');
    const pending = pendingRemovals.get(token);
    if (pending === undefined) {
      await interaction.update(formatRemoveExpired());
      return;
    }
    if (pending.userId !== interaction.user.id) {
      await interaction.reply(ephemeral(notice(NOT_YOURS)));
      return;
    }
    pendingRemovals.close(token);
    if (action !== 'confirm') {
      await interaction.update(formatRemoveCancelled(pending.title));
      return;
    }
    await interaction.deferUpdate();
    try {
      const removed = await ctx.library.removeSource(pending.sourceId, actorOf(interaction.user));
      await interaction.editReply(formatRemoved(removed));
    } catch (err) {
      const reason = err instanceof UnknownSourceError ? 'it is no longer loaded' : problemReason(err);
      if (reason === undefined) throw err;
      await interaction.editReply(formatRemoveFailed(reason));
    }
  },
};

/** A shared article (the operator's, answered in every server) cannot be removed from one server. */
export function sharedRefusal(source: SourceInfo): string {
  return `Could not remove the article: ${notThisServersReason(source, source.id)}. Nothing was changed.`;
}

function actorOf(user: User): SourceActor {
  return { id: user.id, tag: user.tag };
}
