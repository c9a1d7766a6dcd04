import { checkRedisAuthToken, newRedisAuthToken } from './key-material';
import type { RotationLog } from './log';
import type { RedisAuthProbe } from './redis-auth-probe';
import type { ReplicationGroup, ReplicationGroupState } from './replication-group';
import type { RotationVersions, SecretRotation, SettleInput } from './rotation-handler';
import type { SecretStore, SecretVersion } from './secret-store';

/** The value of the Redis AUTH token secret. */
export interface RedisAuthTokenValue {
  readonly authToken: string;
}

/** The field of the secret's JSON value that holds the token (CloudFormation generates it, the rotation rewrites it). */
export const REDIS_AUTH_TOKEN_FIELD = 'authToken' satisfies keyof RedisAuthTokenValue;

/** The secret's value for a token. */
export function serializeRedisAuthToken(token: string): string {
  return JSON.stringify({ [REDIS_AUTH_TOKEN_FIELD]: token } satisfies RedisAuthTokenValue);
}

/** Parses the secret's value. Messages never contain the token. */
export function parseRedisAuthToken(value: string): RedisAuthTokenValue {
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw new Error('The Redis AUTH token secret is not JSON');
  }
  const token = (data as Partial<RedisAuthTokenValue> | null)?.authToken;
  if (typeof token !== 'string') throw new Error('The Redis AUTH token secret must be { "authToken": string }');
  checkRedisAuthToken(token);
  return { authToken: token };
}

/** Options of a {@link RedisAuthTokenRotation}. */
export interface RedisAuthTokenRotationOptions {
  readonly group: ReplicationGroup;
  readonly probe: RedisAuthProbe;
  readonly store: SecretStore;
  readonly log: RotationLog;
  /** Seconds after a rotation completes before the old token is dropped (clients' refresh time). */
  readonly overlapSeconds: number;
  /** How long a step waits for the group to apply a token change. */
  readonly waitTimeoutMs: number;
  /** @default 15000 */
  readonly pollIntervalMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Rotates the ElastiCache AUTH token with no moment when a client's token is refused:
 *
 * 1. createSecret: a new token (64 letters and digits). Refused while the previous rotation's
 *    old token is still accepted; first drops (SET) any token of an earlier failed rotation
 *    that the group still accepts.
 * 2. setSecret: `ModifyReplicationGroup` with `ROTATE`: the group accepts the old and the new
 *    token. Waits until the group is `available` again. A retry that finds the new token
 *    already accepted sends nothing.
 * 3. testSecret: the new token authenticates (AUTH + PING over TLS), and so does the old one.
 * 4. finishSecret: the new token becomes `AWSCURRENT`; clients move to it as they refresh.
 * 5. settle (hourly): once `overlapSeconds` have passed since the rotation completed,
 *    `ModifyReplicationGroup` with `SET` and the current token: the old token stops working.
 *
 * Whether the old token is still accepted is read from the group's `AuthTokenLastModifiedDate`:
 * a change before the rotation completed is the ROTATE; any change after it is the SET (no
 * rotation starts before that), so no state is kept outside ElastiCache and Secrets Manager.
 */
export class RedisAuthTokenRotation implements SecretRotation {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RedisAuthTokenRotationOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  public async createValue(current: SecretVersion, versionId: string): Promise<string> {
    const { group, store } = this.options;
    const currentToken = parseRedisAuthToken(current.value).authToken;
    const state = await this.waitUntilAvailable();
    const { lastRotatedDate } = await store.describe();
    if (lastRotatedDate && state.authTokenLastModified < lastRotatedDate) {
      throw new Error(
        `Replication group ${group.id} still accepts the token the last rotation replaced; it is dropped after ${this.settlesAt(lastRotatedDate).toISOString()}. Rotate after that.`,
      );
    }
    if (await this.acceptsFailedRotationToken(state, current.versionId, versionId, lastRotatedDate)) {
      // That token never became current, so no client uses it: drop it at once.
      await group.updateAuthToken(currentToken, 'SET');
      await this.waitUntilAvailable();
      this.options.log.info('Dropped the token of a failed rotation', { replicationGroupId: group.id });
    }
    return serializeRedisAuthToken(newRedisAuthToken());
  }

  public async setSecret({ pending }: RotationVersions): Promise<void> {
    const { group, log } = this.options;
    let state = await group.describe();
    if (state.status !== 'available') state = await this.waitUntilAvailable();
    const pendingToken = parseRedisAuthToken(pending.value).authToken;
    // A token change since the pending version was created is this step's earlier run, or the
    // drop of a failed rotation's token in createSecret: only the server can tell which.
    if (state.authTokenLastModified >= pending.createdDate && (await this.options.probe(state.endpoint, pendingToken))) {
      log.info('The group already accepts the pending token', { replicationGroupId: group.id, versionId: pending.versionId });
      return;
    }
    await group.updateAuthToken(pendingToken, 'ROTATE');
    await this.waitUntilAvailable();
    log.info('The group accepts the old and the new token', { replicationGroupId: group.id, versionId: pending.versionId });
  }

  public async testSecret({ pending, current }: RotationVersions): Promise<void> {
    const { group, probe } = this.options;
    const state = await group.describe();
    if (state.status !== 'available') throw new Error(`Replication group ${group.id} is ${state.status}, not available`);
    if (state.authTokenLastModified < pending.createdDate)
      throw new Error(`Replication group ${group.id} has not been given the pending token`);
    if (!(await probe(state.endpoint, parseRedisAuthToken(pending.value).authToken))) {
      throw new Error(`Replication group ${group.id} refuses the pending token`);
    }
    if (!(await probe(state.endpoint, parseRedisAuthToken(current.value).authToken))) {
      throw new Error(`Replication group ${group.id} refuses the current token, which clients still use`);
    }
  }

  public async settle({ description, now }: SettleInput): Promise<void> {
    const { group, store, log } = this.options;
    const rotated = description.lastRotatedDate;
    if (!rotated) return;
    const state = await group.describe();
    if (state.authTokenLastModified >= rotated) return;
    const due = this.settlesAt(rotated);
    if (now < due) {
      log.info('The old token stays accepted until clients have moved', { replicationGroupId: group.id, due: due.toISOString() });
      return;
    }
    if (state.status !== 'available') {
      log.info('The group is busy; the old token is dropped on a later run', { replicationGroupId: group.id, status: state.status });
      return;
    }
    const current = parseRedisAuthToken((await store.current()).value).authToken;
    await group.updateAuthToken(current, 'SET');
    log.info('Dropped the old token: only the current one is accepted', { replicationGroupId: group.id });
  }

  private settlesAt(rotated: Date): Date {
    return new Date(rotated.getTime() + this.options.overlapSeconds * 1000);
  }

  /**
   * Whether a token of a rotation that failed after its ROTATE is still accepted. Candidates
   * are versions created since the last completed rotation (other than the current one and
   * the one being created) before the group's last token change; each is tried with AUTH.
   */
  private async acceptsFailedRotationToken(
    state: ReplicationGroupState,
    currentVersionId: string,
    pendingVersionId: string,
    lastRotatedDate: Date | undefined,
  ): Promise<boolean> {
    const { store, probe } = this.options;
    const since = lastRotatedDate ?? new Date(0);
    const candidates = (await store.versions()).filter(
      (version) =>
        version.versionId !== currentVersionId &&
        version.versionId !== pendingVersionId &&
        version.createdDate > since &&
        version.createdDate <= state.authTokenLastModified,
    );
    for (const candidate of candidates) {
      const version = await store.version(candidate.versionId);
      if (version && (await probe(state.endpoint, parseRedisAuthToken(version.value).authToken))) return true;
    }
    return false;
  }

  private async waitUntilAvailable(): Promise<ReplicationGroupState> {
    const { group, waitTimeoutMs, pollIntervalMs = 15000 } = this.options;
    for (let waited = 0; ; waited += pollIntervalMs) {
      const state = await group.describe();
      if (state.status === 'available') return state;
      if (waited >= waitTimeoutMs) {
        throw new Error(
          `Replication group ${group.id} is still ${state.status} after ${Math.round(waitTimeoutMs / 1000)} s; the step is retried`,
        );
      }
      await this.sleep(pollIntervalMs);
    }
  }
}
