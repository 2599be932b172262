import type { Message } from 'discord.js';
import { answerReply, conversationKey } from '../commands/ask';
import { recordAnswer } from '../commands/insights';
import { ASK_QUESTION_MAX } from '../limits';
import { formatCooldown } from '../render/answer';
import { formatHelp } from '../render/help';
import { notice, type Reply } from '../render/reply';
import { memberIsModerator } from '../permissions';
import type { BotContext } from '../types';
import { FAILURE_MESSAGE, serverContext } from './interactionCreate';

/** The question in a message that mentions the bot, or undefined when the message is not for us. */
export function questionFromMention(message: Message, botId: string): string | undefined {
  if (message.author.bot || message.webhookId || !message.inGuild()) return undefined;
  // A direct user mention of the bot: not @everyone/@here, not a role mention, not just a reply ping.
  if (!message.mentions.users.has(botId)) return undefined;
  const mention = new RegExp(`<@!?${botId}>`, 'g');
  if (!mention.test(message.content)) return undefined;
  return message.content.replace(mention, ' ').replace(/\s+/g, ' ').trim();
}

/** Answers a mention like /ask, as a reply to that message. Never throws. */
export async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  const botId = message.client.user?.id;
  if (!botId) return;
  const question = questionFromMention(message, botId);
  if (question === undefined) return;
  const log = ctx.logger.child({ messageId: message.id, channelId: message.channelId });
  let body: Reply;
  try {
    body = mentionReply(message, question, await serverContext(ctx, message.guildId));
  } catch (err) {
    // Like a failing slash command: logged, and the asker hears that it failed rather than nothing.
    log.error({ err, userId: message.author.id }, 'mention handler failed');
    body = notice(FAILURE_MESSAGE);
  }
  try {
    await message.reply({ ...body, failIfNotExists: false });
    log.debug({ userId: message.author.id }, 'mention answered');
  } catch (err) {
    log.error({ err }, 'could not answer mention');
  }
}

function mentionReply(message: Message, question: string, ctx: BotContext): Reply {
  if (question === '') return formatHelp(`@${message.client.user.username}`);
  if (question.length > ASK_QUESTION_MAX) {
    return notice(`Please keep questions under ${ASK_QUESTION_MAX} characters (yours has ${question.length}).`);
  }
  const moderator = memberIsModerator(message.member, ctx.moderatorRoleIds);
  const allowed = ctx.cooldown.take(message.author.id, moderator);
  if (!allowed.ok) return formatCooldown(allowed.retryAfterSeconds);
  const where = { guildId: message.guildId ?? '', channelId: message.channelId, via: 'mention' as const };
  const conversation = conversationKey(message.guildId, message.channelId);
  return answerReply(ctx.library, { question, conversation }, (answer) => recordAnswer(ctx, answer, where)).reply;
}
