import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The one-vote rule needs to know that the same member voted again, not who they are. A vote is stored
 * under HMAC-SHA256(key, answer id + member id), cut to 128 bits: with the database alone nobody can tell
 * which member voted, nor that two votes on different answers came from the same member.
 *
 * The key is a separate file beside the database (DATA_DIR/insights.key, mode 0600), not a row in it,
 * so a copy of bot.sqlite given to someone (to build an evaluation file, say) reveals no voter. Every
 * shard of one deployment reads the same file; the first to start writes it.
 */
export class VoterKey {
  private constructor(private readonly key: Buffer) {}

  /** Reads the key file, creating it (exclusively: two shards starting at once agree) when missing. Throws when it can do neither. */
  static load(path: string): VoterKey {
    try {
      return VoterKey.parse(readFileSync(path, 'utf8'), path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mkdirSync(dirname(path), { recursive: true });
    // Written whole under a temporary name, then linked into place: link() fails when the name exists, so
    // a shard starting at the same moment never reads a half-written key, and the first key wins.
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
    return VoterKey.parse(readFileSync(path, 'utf8'), path);
  }

  private static parse(text: string, path: string): VoterKey {
    const hex = text.trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${path} is not a voter key (64 hex digits); move it away to make a new one`);
    return new VoterKey(Buffer.from(hex, 'hex'));
  }

  /** What the database holds for `userId`'s vote on answer `answerId`. */
  voter(answerId: number, userId: string): string {
    return createHmac('sha256', this.key).update(`${answerId}:${userId}`).digest('base64url').slice(0, 22);
  }
}
