/**
 * The Discord REST v10 endpoints a discord.js bot uses, backed by the fake's World and interactions.
 * Paths and status codes follow Discord's docs; anything not listed here gets a recorded 404.
 */
import { DiscordApiError } from './message-body.js';
import type { InteractionStore } from './interactions.js';
import { route } from './rest.js';
import type { Route, RouteRequest, RouteResult } from './rest.js';
import type { CommandScope, World } from './world.js';

export interface RouteDeps {
  world: World;
  interactions: InteractionStore;
  /** ws://… URL of the gateway, returned by GET /gateway/bot. */
  gatewayUrl: () => string;
  /** GET /gateway/bot's recommended `shards` and `session_start_limit.max_concurrency` (default 1 and 1). */
  gatewayBot?: { shards: number; maxConcurrency: number };
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });
const noContent: RouteResult = { status: 204 };

export function discordRoutes(deps: RouteDeps): Route[] {
  return [...gatewayAndIdentityRoutes(deps), ...commandRoutes(deps), ...interactionRoutes(deps), ...channelRoutes(deps)];
}

function gatewayAndIdentityRoutes({ world, gatewayUrl, gatewayBot = { shards: 1, maxConcurrency: 1 } }: RouteDeps): Route[] {
  return [
    route('GET', '/gateway/bot', true, () =>
      ok({
        url: gatewayUrl(),
        shards: gatewayBot.shards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: gatewayBot.maxConcurrency },
      }),
    ),
    route('GET', '/gateway', false, () => ok({ url: gatewayUrl() })),
    route('GET', '/users/@me', true, () => ok({ ...world.botUser, verified: true, mfa_enabled: false })),
    route('GET', '/applications/@me', true, () => ok(world.applicationData())),
    route('GET', '/channels/:channelId', true, ({ params }) => ok(world.requireChannel(param(params, 'channelId')))),
  ];
}

function commandRoutes({ world }: RouteDeps): Route[] {
  /** Discord answers 404 Unknown Application / Unknown Guild for ids that are not the bot's. */
  const scopeOf = ({ params }: RouteRequest, scope: CommandScope): CommandScope => {
    if (params.applicationId !== world.applicationId) throw new DiscordApiError(404, 10002, 'Unknown Application');
    if (scope === 'guild' && params.guildId !== world.guildId) throw new DiscordApiError(404, 10004, 'Unknown Guild');
    return scope;
  };
  const global = '/applications/:applicationId/commands';
  const guild = '/applications/:applicationId/guilds/:guildId/commands';
  return [
    route('GET', global, true, (req) => ok(world.commands[scopeOf(req, 'global')])),
    route('PUT', global, true, (req) => ok(world.overwriteCommands(scopeOf(req, 'global'), req.body))),
    route('POST', global, true, (req) => ({ status: 201, body: world.createCommand(scopeOf(req, 'global'), req.body) })),
    route('GET', guild, true, (req) => ok(world.commands[scopeOf(req, 'guild')])),
    route('PUT', guild, true, (req) => ok(world.overwriteCommands(scopeOf(req, 'guild'), req.body))),
    route('POST', guild, true, (req) => ({ status: 201, body: world.createCommand(scopeOf(req, 'guild'), req.body) })),
  ];
}

function interactionRoutes({ interactions }: RouteDeps): Route[] {
  const message = '/webhooks/:applicationId/:token/messages/:messageId';
  return [
    route('POST', '/interactions/:interactionId/:token/callback', false, ({ params, query, body }) => {
      const response = interactions.acknowledge(param(params, 'interactionId'), param(params, 'token'), body, query.with_response === 'true');
      return response === null ? noContent : ok(response);
    }),
    route('GET', message, false, ({ params }) => ok(interactions.getMessage(param(params, 'applicationId'), param(params, 'token'), param(params, 'messageId')))),
    route('PATCH', message, false, ({ params, body, fileCount }) =>
      ok(interactions.editMessage(param(params, 'applicationId'), param(params, 'token'), param(params, 'messageId'), body, fileCount)),
    ),
    route('DELETE', message, false, ({ params }) => {
      interactions.deleteMessage(param(params, 'applicationId'), param(params, 'token'), param(params, 'messageId'));
      return noContent;
    }),
    // Without ?wait=true Discord creates the message but answers 204.
    route('POST', '/webhooks/:applicationId/:token', false, ({ params, query, body, fileCount }) => {
      const created = interactions.followUp(param(params, 'applicationId'), param(params, 'token'), body, fileCount);
      return query.wait === 'true' ? ok(created) : noContent;
    }),
  ];
}

function channelRoutes({ world }: RouteDeps): Route[] {
  const messages = '/channels/:channelId/messages';
  const oneMessage = `${messages}/:messageId`;
  const existing = ({ params }: RouteRequest) => world.requireMessage(param(params, 'channelId'), param(params, 'messageId'));
  const ownMessage = (req: RouteRequest) => {
    const found = existing(req);
    if (found.author.id !== world.botUser.id) throw new DiscordApiError(403, 50005, 'Cannot edit a message authored by another user');
    return found;
  };
  return [
    route('POST', messages, true, ({ params, body, fileCount }) => ok(world.postBotMessage(param(params, 'channelId'), body, fileCount))),
    route('GET', oneMessage, true, (req) => ok(existing(req))),
    route('PATCH', oneMessage, true, (req) => ok(world.editBotMessage(ownMessage(req), req.body, req.fileCount))),
    route('DELETE', oneMessage, true, (req) => {
      world.deleteMessage(existing(req));
      return noContent;
    }),
    route('POST', '/channels/:channelId/typing', true, ({ params }) => {
      world.requireChannel(param(params, 'channelId'));
      return noContent;
    }),
  ];
}

function param(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`route parameter ${name} missing`);
  return value;
}
