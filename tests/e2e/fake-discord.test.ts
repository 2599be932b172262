/**
 * Self-test of the FakeDiscord loopback server: the real discord.js Client talks to it over real
 * HTTP and WebSocket on 127.0.0.1, and each test checks what discord.js actually does.
 */
import { once } from 'node:events';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  REST,
  Routes,
  SlashCommandBuilder,
} from 'discord.js';
import type { ClientOptions, Interaction, Message } from 'discord.js';
import { FakeDiscord } from './support/fake-discord.js';

const TOKEN = 'dummy-bot-token';

const askCommand = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question about the articles')
  .addStringOption((option) => option.setName('question').setDescription('Your question').setRequired(true).setAutocomplete(true))
  .toJSON();

/** Skips discord.js's 5 s wait between two IDENTIFYs so re-identify tests stay fast. */
const noIdentifyThrottle: Partial<ClientOptions> = { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } };

let fake: FakeDiscord;
let client: Client | undefined;

async function startClient(options: Partial<ClientOptions> = {}): Promise<Client> {
  const started = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: fake.restBase }, ...options });
  client = started;
  const ready = once(started, Events.ClientReady);
  await started.login(TOKEN);
  await ready;
  return started;
}

async function registerGuildCommands(): Promise<void> {
  const rest = new REST({ api: fake.restBase }).setToken(TOKEN);
  await rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guildId), { body: [askCommand] });
}

/** Calls `handler` for chat-input commands and records failures instead of losing them in an event handler. */
function onCommand(bot: Client, handler: (interaction: Interaction) => Promise<unknown>): { errors: unknown[] } {
  const errors: unknown[] = [];
  bot.on(Events.InteractionCreate, (interaction) => void handler(interaction).catch((error: unknown) => errors.push(error)));
  return { errors };
}

function callbackRequests() {
  return fake.requests.filter((r) => r.route === 'POST /interactions/:interactionId/:token/callback');
}

beforeEach(async () => {
  fake = await FakeDiscord.start({ roles: [{ name: 'Editor', permissions: PermissionFlagsBits.ManageMessages }] });
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake.close();
});

describe('FakeDiscord with the real discord.js Client', () => {
  it('lets the client log in, become ready and see the guild', async () => {
    const bot = await startClient();

    expect(bot.user?.id).toBe(fake.botUserId);
    expect(bot.application?.id).toBe(fake.applicationId);
    const guild = bot.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.channelId)?.isTextBased()).toBe(true);
    expect(guild?.roles.everyone.id).toBe(fake.guildId);
    expect(guild?.members.me?.permissions.has(PermissionFlagsBits.SendMessages)).toBe(true);

    const [identify] = fake.gateway.identifies;
    expect(identify?.token).toBe(TOKEN);
    expect(identify?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    expect(fake.gateway.connections[0]?.query).toEqual({ v: '10', encoding: 'json' });
    const gatewayBot = fake.requests.find((r) => r.path === '/gateway/bot');
    expect(gatewayBot?.authorization).toBe(`Bot ${TOKEN}`);
    fake.assertNoSurprises();
  });

  it('stores commands registered with a bulk PUT and returns them with ids', async () => {
    const rest = new REST({ api: fake.restBase }).setToken(TOKEN);
    const returned = (await rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guildId), { body: [askCommand] })) as Array<{ id: string; name: string }>;
    await rest.put(Routes.applicationCommands(fake.applicationId), { body: [] });

    expect(returned).toHaveLength(1);
    expect(returned[0]?.id).toMatch(/^\d{17,20}$/);
    expect(fake.commands('guild').map((c) => c.name)).toEqual(['ask']);
    expect(fake.commands('guild')[0]?.options?.[0]).toMatchObject({ name: 'question', required: true, autocomplete: true });
    expect(fake.commands('global')).toEqual([]);
    expect(await rest.get(Routes.applicationGuildCommands(fake.applicationId, fake.guildId))).toEqual(returned);
    await expect(rest.put(Routes.applicationCommands('1234'), { body: [] })).rejects.toMatchObject({ status: 404, code: 10002 });
  });

  it('delivers a slash command and records interaction.reply() as the callback', async () => {
    await registerGuildCommands();
    const bot = await startClient();
    const seen: Array<{ question: string | null; canManage: boolean | undefined; guildId: string | null }> = [];
    const { errors } = onCommand(bot, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const question = interaction.options.getString('question');
      seen.push({ question, canManage: interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages), guildId: interaction.guildId });
      await interaction.reply({ content: `You asked: ${question}` });
    });

    const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'Who won?' }, member: { roles: ['Editor'] } });
    const callback = await handle.callback();

    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(callback.data.content).toBe('You asked: Who won?');
    expect(callback.withResponse).toBe(false);
    expect((await handle.original()).content).toBe('You asked: Who won?');
    expect(seen).toEqual([{ question: 'Who won?', canManage: true, guildId: fake.guildId }]);
    expect(errors).toEqual([]);
    fake.assertNoSurprises();
  });

  it('round-trips deferReply() + editReply() + followUp()', async () => {
    await registerGuildCommands();
    const bot = await startClient();
    const { errors } = onCommand(bot, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: 'Here is the answer.' });
      await interaction.followUp({ content: 'Sources: example.com' });
    });

    const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'Why?' } });

    const callback = await handle.callback();
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(callback.data.flags).toBe(MessageFlags.Ephemeral);
    const original = await handle.original();
    expect(original.content).toBe('Here is the answer.');
    expect(original.flags).toBe(MessageFlags.Ephemeral);
    const followUps = await handle.followUps(1);
    expect(followUps.map((m) => m.content)).toEqual(['Sources: example.com']);
    expect(fake.requests.map((r) => r.route).filter((r) => r?.includes('webhooks'))).toEqual([
      'PATCH /webhooks/:applicationId/:token/messages/:messageId',
      'POST /webhooks/:applicationId/:token',
    ]);
    expect(errors).toEqual([]);
  });

  it('answers autocomplete and button interactions', async () => {
    await registerGuildCommands();
    const bot = await startClient();
    const { errors } = onCommand(bot, async (interaction) => {
      if (interaction.isAutocomplete()) {
        const typed = interaction.options.getFocused();
        await interaction.respond([{ name: `${typed} in Paris?`, value: `${typed} in Paris?` }]);
      } else if (interaction.isButton()) {
        await interaction.update({ content: `Clicked ${interaction.customId}`, components: [] });
      }
    });

    const autocomplete = await fake.sendInteraction({ type: 'autocomplete', name: 'ask', focused: 'question', options: { question: 'Who won' } });
    expect(await autocomplete.choices()).toEqual([{ name: 'Who won in Paris?', value: 'Who won in Paris?' }]);

    const click = await fake.sendInteraction({ type: 'component', customId: 'more-sources' });
    expect((await click.callback()).type).toBe(InteractionResponseType.UpdateMessage);
    expect((await click.original()).content).toBe('Clicked more-sources');
    expect(errors).toEqual([]);
  });

  it('delivers a message mentioning the bot and records message.reply()', async () => {
    const bot = await startClient();
    const received: Array<{ content: string; mentionsBot: boolean }> = [];
    bot.on(Events.MessageCreate, (message: Message) => {
      if (message.author.bot) return;
      received.push({ content: message.content, mentionsBot: message.mentions.users.has(fake.botUserId) });
      if (message.mentions.users.has(fake.botUserId)) void message.reply({ content: 'On it!' });
    });

    await fake.sendMessage({ content: 'chatter the bot cannot read' });
    const question = await fake.sendMessage({ content: 'what happened?', mentionsBot: true });
    const reply = await question.reply();

    expect(reply.content).toBe('On it!');
    expect(reply.message_reference?.message_id).toBe(question.id);
    expect(await fake.waitForChannelMessage((m) => m.content === 'On it!')).toEqual(reply);
    // Without the MessageContent intent Discord blanks content unless the bot is mentioned.
    expect(received).toEqual([
      { content: '', mentionsBot: false },
      { content: `<@${fake.botUserId}> what happened?`, mentionsBot: true },
    ]);
    fake.assertNoSurprises();
  });

  it('has discord.js retry a callback that got a 500, and give up after 3 retries', async () => {
    await registerGuildCommands();
    const bot = await startClient();
    const { errors } = onCommand(bot, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'answer' });
    });
    const callbackPath = { method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/ };

    fake.failNext(callbackPath, { status: 500 });
    const survived = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'q1' } });
    expect((await survived.callback()).data.content).toBe('answer');
    expect(callbackRequests().map((r) => [r.status, r.injectedFault])).toEqual([
      [500, true],
      [204, false],
    ]);

    const fault = fake.failNext(callbackPath, { status: 500, times: 10 });
    await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'q2' } });
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(HTTPError);
    expect(errors[0]).toMatchObject({ status: 500 });
    expect(fault.hits).toBe(4); // the first attempt and @discordjs/rest's default 3 retries
  });

  it('has discord.js wait out a 429 from retry-after and then retry', async () => {
    const bot = await startClient();
    bot.on(Events.MessageCreate, (message) => {
      if (!message.author.bot) void message.reply({ content: 'after the rate limit' });
    });
    fake.failNext({ method: 'POST', path: `/channels/${fake.channelId}/messages` }, { status: 429, retryAfter: 0.3 });

    const question = await fake.sendMessage({ content: 'hello', mentionsBot: true });
    const reply = await question.reply();

    const posts = fake.requests.filter((r) => r.route === 'POST /channels/:channelId/messages');
    expect(reply.content).toBe('after the rate limit');
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect((posts[1]?.time ?? 0) - (posts[0]?.time ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it('has discord.js wait out a 429 on an interaction callback (burst bucket) within the deadline', async () => {
    await registerGuildCommands();
    const bot = await startClient();
    onCommand(bot, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'patient answer' });
    });
    fake.failNext((request) => request.method === 'POST' && request.path.endsWith('/callback'), { status: 429, retryAfter: 0.2 });

    const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'q' } });

    expect((await handle.callback()).data.content).toBe('patient answer');
    const [limited, retried] = callbackRequests();
    expect([limited?.status, retried?.status]).toEqual([429, 204]);
    expect(limited?.response).toMatchObject({ retry_after: 0.2, global: false });
    expect((retried?.time ?? 0) - (limited?.time ?? 0)).toBeGreaterThanOrEqual(200);
  });

  it('rejects an over-long reply with 50035 Invalid Form Body, as Discord does', async () => {
    await registerGuildCommands();
    const bot = await startClient();
    const { errors } = onCommand(bot, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'x'.repeat(2001) });
    });

    const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'q' } });
    await expect.poll(() => errors.length).toBe(1);

    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
    expect(errors[0]).toMatchObject({ status: 400, code: 50035 });
    await expect(handle.callback(200)).rejects.toThrow(/timed out after 200 ms waiting for the callback/);
  });

  it('rejects a callback that misses the acknowledgement deadline with 10062 Unknown interaction', async () => {
    await fake.close();
    fake = await FakeDiscord.start({ interactionDeadlineMs: 150 });
    await registerGuildCommands();
    const bot = await startClient();
    const { errors } = onCommand(bot, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await interaction.reply({ content: 'too late' });
    });

    await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'q' } });
    await expect.poll(() => errors.length).toBe(1);

    expect(errors[0]).toMatchObject({ status: 404, code: 10062 });
  });

  it('makes discord.js RESUME after a dropped socket and replays what it missed', async () => {
    await registerGuildCommands();
    const bot = await startClient();
    onCommand(bot, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'still here' });
    });
    const resumed = once(bot, Events.ShardResume);

    fake.dropConnection('terminate');
    const missed = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'q' } });
    const resume = await fake.waitForResume(1);
    await resumed;

    expect(missed.delivery).toBe('buffered');
    expect(resume).toMatchObject({ accepted: true, replayed: 1 });
    expect((await missed.callback()).data.content).toBe('still here');
    expect(fake.identifyCount).toBe(1);
    expect(fake.gateway.connections.at(-1)?.path).toBe('/gateway-resume');
  });

  it('makes discord.js RESUME after close code 4000 and after op 7 RECONNECT', async () => {
    await startClient();

    fake.dropConnection({ code: 4000 });
    expect(await fake.waitForResume(1)).toMatchObject({ accepted: true });
    fake.requestReconnect();
    expect(await fake.waitForResume(2)).toMatchObject({ accepted: true });

    expect(fake.identifyCount).toBe(1);
    expect(fake.gateway.connections.map((c) => c.closeCode)).toEqual([4000, 4200, null]);
  });

  it('makes discord.js IDENTIFY afresh after INVALID_SESSION (d: false), and resume in place after d: true', async () => {
    await registerGuildCommands();
    const bot = await startClient(noIdentifyThrottle);
    onCommand(bot, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'new session works' });
    });

    fake.invalidateSession(false);
    await fake.waitForIdentify(2);
    const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'q' } });
    expect((await handle.callback()).data.content).toBe('new session works');
    expect(fake.resumeCount).toBe(0);

    fake.invalidateSession(true);
    const resume = await fake.waitForResume(1);
    expect(resume.accepted).toBe(true);
    expect(resume.connectionId).toBe(fake.gateway.connections.at(-1)?.id);
    expect(fake.identifyCount).toBe(2);
  });

  it('records presence updates and unknown routes', async () => {
    const bot = await startClient();

    bot.user?.setPresence({ status: 'idle', activities: [{ name: 'the news' }] });
    const presence = await fake.waitForPresence((p) => p.status === 'idle');
    expect(presence.activities[0]?.name).toBe('the news');

    await expect(bot.rest.get('/guilds/1/bans')).rejects.toMatchObject({ status: 404 });
    expect(fake.unhandledRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /guilds/1/bans']);
    expect(() => fake.assertNoSurprises()).toThrow(/unknown route: GET \/guilds\/1\/bans/);
  });
});

describe('FakeDiscord with a sharded client', () => {
  it('runs one session per shard; the guild lives on its shard; interactions can target either shard', async () => {
    const sharded = await FakeDiscord.start({ shards: 2, maxConcurrency: 2 });
    const bot = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: sharded.restBase }, shards: 'auto' });
    try {
      const ready = once(bot, Events.ClientReady);
      await bot.login(TOKEN);
      await ready;
      expect(sharded.gateway.identifies.map((i) => i.shard).sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      const guildShard = sharded.gateway.guildShard;
      expect(guildShard).toBe(Number((BigInt(sharded.guildId) >> 22n) % 2n));
      expect(bot.guilds.cache.get(sharded.guildId)?.shardId).toBe(guildShard);
      await new REST({ api: sharded.restBase }).setToken(TOKEN).put(Routes.applicationGuildCommands(sharded.applicationId, sharded.guildId), { body: [askCommand] });

      const receivedOn: number[] = [];
      bot.on(Events.Raw, (packet: { t?: string }, shardId: number) => {
        if (packet.t === 'INTERACTION_CREATE') receivedOn.push(shardId);
      });
      bot.on(Events.InteractionCreate, (interaction) => {
        if (interaction.isChatInputCommand()) void interaction.reply({ content: `shard of guild: ${interaction.guildId === sharded.guildId}` });
      });
      for (const shard of [0, 1]) {
        const handle = await sharded.sendInteraction({ type: 'command', name: 'ask', options: { question: 'q' }, shard });
        expect((await handle.callback()).data.content).toBe('shard of guild: true');
      }
      expect(receivedOn).toEqual([0, 1]);

      sharded.dropConnection(undefined, 1);
      expect((await sharded.waitForResume(1)).accepted).toBe(true);
      expect(sharded.gateway.isShardConnected(0)).toBe(true);
    } finally {
      await bot.destroy();
      await sharded.close();
    }
  });
});

afterAll(async () => {
  // Every server, socket and keep-alive connection the tests opened must be closed by now.
  const openSockets = () => process.getActiveResourcesInfo().filter((resource) => resource.startsWith('TCP'));
  for (let attempt = 0; attempt < 20 && openSockets().length > 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(openSockets()).toEqual([]);
});
