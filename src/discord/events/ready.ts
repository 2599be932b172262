import { ActivityType, type Client } from 'discord.js';
import type { Library } from '../../sources/library-types';
import { inviteUrl } from '../access';
import { plural } from '../render/escape';
import type { BotContext } from '../types';

/** "N articles · /ask", shown as "Watching N articles · /ask". */
export function presenceText(library: Library): string {
  return `${plural(library.counts().sources, 'article')} · /ask`;
}

export function updatePresence(client: Client, library: Library): void {
  client.user?.setPresence({ status: 'online', activities: [{ name: presenceText(library), type: ActivityType.Watching }] });
}

export function handleReady(client: Client<true>, ctx: BotContext): void {
  const counts = ctx.library.counts();
  // The invite link in the log: the least-privilege way to add the bot to another server.
  const invite = inviteUrl(client.application?.id ?? client.user.id);
  ctx.logger.info(
    { user: client.user.tag, userId: client.user.id, guilds: client.guilds.cache.size, ...counts, invite },
    'Discord bot ready',
  );
  updatePresence(client, ctx.library);
}
