import type { ButtonInteraction, ChatInputCommandInteraction, Interaction, RepliableInteraction } from 'discord.js';
import { registry as defaultRegistry, findButton, type CommandRegistry } from '../commands/index';
import { invokerIsModerator } from '../permissions';
import { ephemeral, notice } from '../render/reply';
import type { BotContext, ModeratorsOnly } from '../types';

export const FAILURE_MESSAGE = 'Something went wrong while handling that. It has been logged; please try again.';
export const NOT_ON_MESSAGE = "That button isn't on this message, so it did nothing.";

/**
 * Routes one interaction. Never throws: a failing handler is logged with the interaction id and the user
 * gets an ephemeral error (reply, editReply or followUp depending on what was already sent).
 */
export async function handleInteraction(
  interaction: Interaction,
  botContext: BotContext,
  reg: CommandRegistry = defaultRegistry,
): Promise<void> {
  const log = botContext.logger.child({ interactionId: interaction.id });
  try {
    const ctx = await serverContext(botContext, interaction.guildId);
    if (interaction.isAutocomplete()) {
      const command = reg.commands.get(interaction.commandName);
      if (!command?.autocomplete) {
        await interaction.respond([]);
        return;
      }
      try {
        await command.autocomplete(interaction, ctx);
      } catch (err) {
        log.error({ err, command: interaction.commandName }, 'autocomplete failed');
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      }
      return;
    }

    if (interaction.isChatInputCommand()) {
      const command = reg.commands.get(interaction.commandName);
      log.debug({ command: interaction.commandName, userId: interaction.user.id, guildId: interaction.guildId }, 'command');
      if (!command) {
        log.warn({ command: interaction.commandName }, 'unknown command');
        await interaction.reply(
          ephemeral(notice(`I don't know the command \`/${interaction.commandName}\`; my command list may be out of date. Try \`/help\`.`)),
        );
        return;
      }
      if (!interaction.inGuild()) {
        await interaction.reply(ephemeral(notice('My commands only work in a server.')));
        return;
      }
      if (await refusedAsNotModerator(interaction, command.moderatorsOnly, ctx, log)) return;
      try {
        await command.execute(interaction, ctx);
      } catch (err) {
        log.error({ err, command: interaction.commandName }, 'command failed');
        await respondWithFailure(interaction, log);
      }
      return;
    }

    if (interaction.isButton()) {
      if (!isOnItsMessage(interaction)) {
        // A forged press (a custom id that is not on the message it came from): act on nothing, edit nothing.
        log.info({ customId: interaction.customId, messageId: interaction.message?.id, userId: interaction.user.id }, 'ignored: button not on its message');
        await interaction.reply(ephemeral(notice(NOT_ON_MESSAGE)));
        return;
      }
      const handler = findButton(interaction.customId, reg);
      if (!handler) {
        await interaction.reply(ephemeral(notice('This button no longer works. Run the command again.')));
        return;
      }
      if (await refusedAsNotModerator(interaction, handler.moderatorsOnly, ctx, log)) return;
      try {
        await handler.execute(interaction, ctx);
      } catch (err) {
        log.error({ err, customId: interaction.customId }, 'button failed');
        await respondWithFailure(interaction, log);
      }
    }
  } catch (err) {
    // Even the error path failed (e.g. the interaction expired): log, never crash.
    log.error({ err }, 'could not answer interaction');
  }
}

/** Whether the pressed custom id is a component of the message the press came from (Discord sends that message). */
function isOnItsMessage(interaction: ButtonInteraction): boolean {
  // Typed as always present, but a partial payload could lack it: then nothing vouches for the press.
  const message = interaction.message as ButtonInteraction['message'] | undefined;
  return message !== undefined && message.resolveComponent(interaction.customId) !== null;
}

/** For a moderators-only command or button used by someone else: answers with the refusal (only to them) and says true. */
async function refusedAsNotModerator(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  rule: ModeratorsOnly | undefined,
  ctx: BotContext,
  log: BotContext['logger'],
): Promise<boolean> {
  if (rule === undefined || invokerIsModerator(interaction, ctx.moderatorRoleIds)) return false;
  const what = interaction.isButton() ? { customId: interaction.customId } : { command: interaction.commandName };
  log.info({ ...what, userId: interaction.user.id }, 'refused: not a moderator');
  await interaction.reply(ephemeral(notice(rule.refusal)));
  return true;
}

/** The context of one server: its library and moderator roles (outside a server, the shared ones). */
export async function serverContext(ctx: BotContext, guildId: string | null): Promise<BotContext> {
  if (guildId === null) return ctx;
  const [library, moderatorRoleIds] = await Promise.all([ctx.servers.forServer(guildId), ctx.servers.moderatorRoleIds(guildId)]);
  return { ...ctx, library, moderatorRoleIds };
}

async function respondWithFailure(interaction: RepliableInteraction, log: BotContext['logger']): Promise<void> {
  const body = notice(FAILURE_MESSAGE);
  try {
    if (interaction.replied) await interaction.followUp(ephemeral(body));
    else if (interaction.deferred) await interaction.editReply(body);
    else await interaction.reply(ephemeral(body));
  } catch (err) {
    log.warn({ err }, 'could not send the error reply');
  }
}
