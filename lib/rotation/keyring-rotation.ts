import { parseKeyring, serializeKeyring, type Keyring } from './keyring';
import type { RotationLog } from './log';
import type { RotationVersions, SecretRotation, SettleInput } from './rotation-handler';
import type { SecretStore, SecretVersion } from './secret-store';

/** Options of a {@link KeyringRotation}. */
export interface KeyringRotationOptions {
  /** Makes a new random key. */
  readonly newKey: () => string;
  /** Throws unless a key is well-formed. */
  readonly checkKey: (key: string) => void;
  /**
   * Seconds after a rotation completes when the previous key is dropped from the keyring.
   * @default - kept until the next rotation replaces it
   */
  readonly retirePreviousAfterSeconds?: number;
  readonly store: SecretStore;
  readonly log: RotationLog;
}

/**
 * Rotates a keyring secret ({@link Keyring}): each new version holds a new key as `current`
 * and the key it replaces as `previous`. Nothing outside Secrets Manager holds the key, so
 * setSecret has nothing to do; clients pick the new keyring up on their next read.
 */
export class KeyringRotation implements SecretRotation {
  constructor(private readonly options: KeyringRotationOptions) {}

  public async createValue(current: SecretVersion, versionId: string): Promise<string> {
    const keyring = this.parse(current.value);
    return serializeKeyring({ current: { kid: versionId, key: this.options.newKey() }, previous: keyring.current });
  }

  public async setSecret(): Promise<void> {
    // Clients read the keys from the secret itself: there is no other system to update.
  }

  /** The new keyring holds a new, valid key under its own version id, and keeps the key it replaces. */
  public async testSecret({ pending, current }: RotationVersions): Promise<void> {
    const next = this.parse(pending.value);
    const now = this.parse(current.value);
    if (!next.current) throw new Error(`Version ${pending.versionId} has no current key`);
    if (next.current.kid !== pending.versionId)
      throw new Error(`Version ${pending.versionId} names its key ${next.current.kid}, not itself`);
    if (now.current && next.current.key === now.current.key) throw new Error(`Version ${pending.versionId} did not change the key`);
    if (next.previous?.kid !== now.current?.kid || next.previous?.key !== now.current?.key) {
      throw new Error(`Version ${pending.versionId} does not keep the key it replaces as "previous"`);
    }
  }

  /**
   * Drops `previous` once it has outlived its purpose (e.g. the longest a token signed with it
   * can live, plus the time clients take to pick up the new key): a new version holding the
   * same current key becomes `AWSCURRENT`. Its version id is derived from the current one, so
   * a repeated or concurrent settle writes the same version once.
   */
  public async settle({ description, now }: SettleInput): Promise<void> {
    const after = this.options.retirePreviousAfterSeconds;
    const rotated = description.lastRotatedDate;
    if (after === undefined || !rotated) return;
    const due = new Date(rotated.getTime() + after * 1000);
    if (now < due) return;
    const current = await this.options.store.current();
    const keyring = this.parse(current.value);
    if (!keyring.previous || !keyring.current) return;
    const retiredVersionId = `${current.versionId}-retired`;
    await this.options.store.putCurrent(retiredVersionId, serializeKeyring({ current: keyring.current, previous: null }));
    this.options.log.info('Retired the previous key', {
      retiredKid: keyring.previous.kid,
      versionId: retiredVersionId,
      due: due.toISOString(),
    });
  }

  private parse(value: string): Keyring {
    return parseKeyring(value, this.options.checkKey);
  }
}
