/**
 * Each server's settings, in DATA_DIR/guilds/<id>/settings.json: written whole (a temp file renamed over
 * it), read once and then kept in memory. A file that cannot be read or parsed counts as no settings (and
 * is logged by the caller's next write), so a broken file never stops the bot answering.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ServerSettings {
  /** Members with this role are moderators in this server (besides Manage Server). */
  moderatorRoleId?: string;
  /** When the bot left this server (ISO 8601); unset while it is in it. */
  leftAt?: string;
}

const SNOWFLAKE = /^\d{17,20}$/;
const SERVER_ID = /^\d{1,20}$/;

function parseSettings(text: string): ServerSettings {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== 'object' || raw === null) return {};
  const { moderatorRoleId, leftAt } = raw as Record<string, unknown>;
  const settings: ServerSettings = {};
  if (typeof moderatorRoleId === 'string' && SNOWFLAKE.test(moderatorRoleId)) settings.moderatorRoleId = moderatorRoleId;
  if (typeof leftAt === 'string' && !Number.isNaN(Date.parse(leftAt))) settings.leftAt = leftAt;
  return settings;
}

export class ServerSettingsStore {
  private readonly cache = new Map<string, ServerSettings>();
  /** One write at a time per server, so two changes never race on the file. */
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(private readonly dataDir: string) {}

  private file(guildId: string): string {
    if (!SERVER_ID.test(guildId)) throw new Error(`not a server id: ${JSON.stringify(guildId.slice(0, 40))}`);
    return join(this.dataDir, 'guilds', guildId, 'settings.json');
  }

  async get(guildId: string): Promise<ServerSettings> {
    const cached = this.cache.get(guildId);
    if (cached !== undefined) return cached;
    let settings: ServerSettings;
    try {
      settings = parseSettings(await readFile(this.file(guildId), 'utf8'));
    } catch {
      settings = {};
    }
    this.cache.set(guildId, settings);
    return settings;
  }

  /** Sets (or, with `undefined`, clears) the given fields and writes the file whole. */
  update(guildId: string, patch: { [K in keyof ServerSettings]?: ServerSettings[K] | undefined }): Promise<ServerSettings> {
    const run = (this.writes.get(guildId) ?? Promise.resolve()).then(async () => {
      const next: ServerSettings = { ...(await this.get(guildId)) };
      for (const [key, value] of Object.entries(patch) as [keyof ServerSettings, string | undefined][]) {
        if (value === undefined) delete next[key];
        else next[key] = value;
      }
      const file = this.file(guildId);
      const folder = join(file, '..');
      await mkdir(folder, { recursive: true });
      const temp = join(folder, `.settings-${randomUUID()}.tmp`);
      try {
        await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, 'utf8');
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      this.cache.set(guildId, next);
      return next;
    });
    this.writes.set(guildId, run.catch(() => undefined));
    return run;
  }

  /** Server ids that have a folder under DATA_DIR/guilds/. */
  async knownServers(): Promise<string[]> {
    try {
      return (await readdir(join(this.dataDir, 'guilds'))).filter((name) => SERVER_ID.test(name));
    } catch {
      return [];
    }
  }

  forget(guildId: string): void {
    this.cache.delete(guildId);
  }
}
