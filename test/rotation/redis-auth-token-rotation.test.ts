import {
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  InvalidParameterCombinationException,
  ModifyReplicationGroupCommand,
} from '@aws-sdk/client-elasticache';
import { PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { checkRedisAuthToken, newRedisAuthToken, REDIS_AUTH_TOKEN_LENGTH } from '../../lib/rotation/key-material';
import { memoryLog } from '../../lib/rotation/log';
import { parseRedisAuthToken, RedisAuthTokenRotation } from '../../lib/rotation/redis-auth-token-rotation';
import { ReplicationGroup } from '../../lib/rotation/replication-group';
import { createRotationHandler } from '../../lib/rotation/rotation-handler';
import { SecretStore } from '../../lib/rotation/secret-store';
import { FakeSecretsManager, SECRET_ARN } from './fake-secrets-manager';
import { rotate, stepEvent } from './rotate';

const GROUP_ID = 'hydraulic-dev-cache';
const OVERLAP = 3600;
const FIRST = '11111111-1111-4111-8111-111111111111';
const SECOND = '22222222-2222-4222-8222-222222222222';
const THIRD = '33333333-3333-4333-8333-333333333333';

/**
 * A replication group behind an aws-sdk-client-mock of ElastiCacheClient. It models the AUTH
 * token rules: ROTATE adds a second token (refused when two are already accepted), SET keeps
 * only the given one (allowed only after ROTATE), each change leaves the group `modifying`
 * for a while.
 */
class FakeReplicationGroup {
  public readonly mock = mockClient(ElastiCacheClient);
  public accepted: string[];
  public status = 'available';
  public authTokenLastModified: Date | undefined;
  public transitEncryption = true;
  private busyDescribes = 0;

  constructor(
    initialToken: string,
    private readonly clock: () => Date,
  ) {
    this.accepted = [initialToken];
    this.install();
  }

  public install(): void {
    this.mock.on(DescribeReplicationGroupsCommand).callsFake(() => {
      if (this.busyDescribes > 0 && --this.busyDescribes === 0) this.status = 'available';
      return {
        ReplicationGroups: [
          {
            ReplicationGroupId: GROUP_ID,
            Status: this.status,
            ClusterEnabled: false,
            AuthTokenEnabled: true,
            TransitEncryptionEnabled: this.transitEncryption,
            AuthTokenLastModifiedDate: this.authTokenLastModified,
            NodeGroups: [{ PrimaryEndpoint: { Address: 'master.hydraulic-dev-cache.abc.euc1.cache.amazonaws.com', Port: 6380 } }],
          },
        ],
      };
    });
    this.mock.on(ModifyReplicationGroupCommand).callsFake((input) => {
      const refuse = (message: string) => {
        throw new InvalidParameterCombinationException({ message, $metadata: {} });
      };
      if (this.status !== 'available') refuse('the group is not available');
      if (input.AuthTokenUpdateStrategy === 'ROTATE') {
        if (this.accepted.length === 2) refuse('two tokens are already accepted');
        this.accepted = [this.accepted[0], input.AuthToken];
      } else {
        if (this.accepted.length !== 2 || !this.accepted.includes(input.AuthToken)) refuse('SET is allowed only after ROTATE');
        this.accepted = [input.AuthToken];
      }
      this.status = 'modifying';
      this.busyDescribes = 2;
      this.authTokenLastModified = this.clock();
      return {};
    });
  }
}

describe('the Redis AUTH token rotation', () => {
  let secrets: FakeSecretsManager;
  let group: FakeReplicationGroup;
  let handler: (event: unknown) => Promise<void>;
  let log: ReturnType<typeof memoryLog>;
  let probes: string[];
  const token = (stage = 'AWSCURRENT') => parseRedisAuthToken(secrets.valueAt(stage)!).authToken;

  beforeEach(() => {
    const initial = newRedisAuthToken();
    secrets = new FakeSecretsManager('bootstrap-version-from-cloudformation-0001', JSON.stringify({ authToken: initial }));
    group = new FakeReplicationGroup(initial, () => {
      secrets.advance(1);
      return secrets.now;
    });
    log = memoryLog();
    probes = [];
    const store = new SecretStore(secrets.client, SECRET_ARN);
    const rotation = new RedisAuthTokenRotation({
      group: new ReplicationGroup(new ElastiCacheClient({ region: 'eu-central-1' }), GROUP_ID),
      probe: async (_endpoint, password) => {
        probes.push(password);
        return group.accepted.includes(password);
      },
      store,
      log,
      overlapSeconds: OVERLAP,
      waitTimeoutMs: 60_000,
      pollIntervalMs: 15_000,
      sleep: async () => undefined,
    });
    handler = createRotationHandler(rotation, { store, log, now: () => secrets.now });
  });
  afterEach(() => {
    secrets.mock.restore();
    group.mock.restore();
  });

  test('a rotation leaves both tokens accepted and the new one current', async () => {
    const old = token();
    await rotate(secrets, handler, FIRST);
    expect(token()).not.toBe(old);
    expect(group.accepted).toEqual([old, token()]);
    expect(group.mock.commandCalls(ModifyReplicationGroupCommand)[0].args[0].input).toEqual({
      ReplicationGroupId: GROUP_ID,
      AuthToken: token(),
      AuthTokenUpdateStrategy: 'ROTATE',
      ApplyImmediately: true,
    });
  });

  test('testSecret authenticates with the new and the old token', async () => {
    const old = token();
    await rotate(secrets, handler, FIRST);
    expect(probes).toEqual(expect.arrayContaining([old, token()]));
  });

  describe('settling drops the old token once clients have moved', () => {
    beforeEach(async () => rotate(secrets, handler, FIRST));

    test('not during the overlap window', async () => {
      secrets.advance(OVERLAP - 60);
      await handler({ action: 'settle' });
      expect(group.accepted).toHaveLength(2);
    });

    test('after it, with SET and the current token, once', async () => {
      secrets.advance(OVERLAP + 1);
      await handler({ action: 'settle' });
      await handler({ action: 'settle' });
      expect(group.accepted).toEqual([token()]);
      expect(group.mock.commandCalls(ModifyReplicationGroupCommand).map((c) => c.args[0].input.AuthTokenUpdateStrategy)).toEqual([
        'ROTATE',
        'SET',
      ]);
    });

    test('not while the group is busy; a later run does it', async () => {
      secrets.advance(OVERLAP + 1);
      group.status = 'snapshotting';
      await handler({ action: 'settle' });
      expect(group.accepted).toHaveLength(2);
      group.status = 'available';
      await handler({ action: 'settle' });
      expect(group.accepted).toEqual([token()]);
    });

    test('a rotation cannot start while the old token is still accepted', async () => {
      secrets.startRotation(SECOND);
      await expect(handler(stepEvent('createSecret', SECOND))).rejects.toThrow(/still accepts the token the last rotation replaced/);
      expect(secrets.valueAt('AWSPENDING')).toBeUndefined();
    });

    test('the next rotation after settling works', async () => {
      secrets.advance(OVERLAP + 1);
      await handler({ action: 'settle' });
      const second = token();
      await rotate(secrets, handler, SECOND);
      expect(group.accepted).toEqual([second, token()]);
    });
  });

  test('nothing settles before the first rotation (the cache may not exist yet)', async () => {
    await handler({ action: 'settle' });
    expect(group.mock.calls()).toHaveLength(0);
  });

  describe('each step can be retried without harm', () => {
    beforeEach(() => {
      secrets.startRotation(FIRST);
      group.mock.resetHistory();
    });

    test('setSecret run twice sends ROTATE once', async () => {
      await handler(stepEvent('createSecret', FIRST));
      await handler(stepEvent('setSecret', FIRST));
      await handler(stepEvent('setSecret', FIRST));
      expect(group.mock.commandCalls(ModifyReplicationGroupCommand)).toHaveLength(1);
    });

    test('setSecret retried while its ROTATE is still applying waits instead of sending another', async () => {
      await handler(stepEvent('createSecret', FIRST));
      const pending = parseRedisAuthToken(secrets.valueAt('AWSPENDING')!).authToken;
      await new ReplicationGroup(new ElastiCacheClient({ region: 'eu-central-1' }), GROUP_ID).updateAuthToken(pending, 'ROTATE');
      await handler(stepEvent('setSecret', FIRST));
      expect(group.mock.commandCalls(ModifyReplicationGroupCommand)).toHaveLength(1);
      expect(group.status).toBe('available');
    });

    test('createSecret, testSecret and finishSecret run twice change nothing more', async () => {
      for (const step of [
        'createSecret',
        'createSecret',
        'setSecret',
        'testSecret',
        'testSecret',
        'finishSecret',
        'finishSecret',
      ] as const) {
        await handler(stepEvent(step, FIRST));
      }
      expect(secrets.mock.commandCalls(PutSecretValueCommand)).toHaveLength(1);
      expect(secrets.mock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(1);
      expect(group.accepted).toHaveLength(2);
    });
  });

  describe('AWSCURRENT never moves unless the new token works', () => {
    beforeEach(async () => {
      secrets.startRotation(FIRST);
      await handler(stepEvent('createSecret', FIRST));
    });

    test('testSecret fails when setSecret has not run', async () => {
      await expect(handler(stepEvent('testSecret', FIRST))).rejects.toThrow(/has not been given the pending token/);
    });

    test('testSecret fails when the group refuses the new token', async () => {
      await handler(stepEvent('setSecret', FIRST));
      group.accepted = [group.accepted[0]];
      await expect(handler(stepEvent('testSecret', FIRST))).rejects.toThrow(/refuses the pending token/);
      await expect(handler(stepEvent('finishSecret', FIRST))).rejects.toThrow(/refuses the pending token/);
      expect(secrets.versionIdAt('AWSCURRENT')).toBe('bootstrap-version-from-cloudformation-0001');
    });

    test('testSecret fails when the old token, which clients still use, stopped working', async () => {
      await handler(stepEvent('setSecret', FIRST));
      group.accepted = [group.accepted[1]];
      await expect(handler(stepEvent('testSecret', FIRST))).rejects.toThrow(/refuses the current token/);
      expect(secrets.versionIdAt('AWSCURRENT')).toBe('bootstrap-version-from-cloudformation-0001');
    });
  });

  test('a failed rotation’s token is dropped before the next rotation adds another', async () => {
    await rotate(secrets, handler, FIRST);
    secrets.advance(OVERLAP + 1);
    await handler({ action: 'settle' });
    const current = token();
    // A rotation that failed after its ROTATE: the group accepts a token no client ever had.
    secrets.startRotation(SECOND);
    for (const step of ['createSecret', 'setSecret'] as const) await handler(stepEvent(step, SECOND));
    expect(group.accepted).toHaveLength(2);
    await rotate(secrets, handler, THIRD);
    expect(group.accepted).toEqual([current, token()]);
    expect(group.mock.commandCalls(ModifyReplicationGroupCommand).map((c) => c.args[0].input.AuthTokenUpdateStrategy)).toEqual([
      'ROTATE',
      'SET',
      'ROTATE',
      'SET',
      'ROTATE',
    ]);
  });

  test('refuses a group without in-transit encryption, before generating anything', async () => {
    group.transitEncryption = false;
    secrets.startRotation(FIRST);
    await expect(handler(stepEvent('createSecret', FIRST))).rejects.toThrow(/no in-transit encryption/);
    expect(secrets.mock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  test('a throttled ElastiCache call fails the step', async () => {
    secrets.startRotation(FIRST);
    await handler(stepEvent('createSecret', FIRST));
    group.mock.on(ModifyReplicationGroupCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    await expect(handler(stepEvent('setSecret', FIRST))).rejects.toThrow('Rate exceeded');
    expect(secrets.versionIdAt('AWSCURRENT')).toBe('bootstrap-version-from-cloudformation-0001');
  });

  test('a group that stays busy fails setSecret with a retryable error', async () => {
    secrets.startRotation(FIRST);
    await handler(stepEvent('createSecret', FIRST));
    group.status = 'modifying';
    await expect(handler(stepEvent('setSecret', FIRST))).rejects.toThrow(/still modifying after 60 s/);
  });

  test('no log line carries a token', async () => {
    const old = token();
    await rotate(secrets, handler, FIRST);
    secrets.advance(OVERLAP + 1);
    await handler({ action: 'settle' });
    const text = log.lines.join('\n');
    expect(text).not.toContain(old);
    expect(text).not.toContain(token());
  });
});

describe('generated AUTH tokens', () => {
  test('are 64 letters and digits, which ElastiCache accepts (16 to 128, no forbidden character)', () => {
    for (let i = 0; i < 50; i++) {
      const generated = newRedisAuthToken();
      expect(generated).toMatch(new RegExp(`^[A-Za-z0-9]{${REDIS_AUTH_TOKEN_LENGTH}}$`));
      expect(() => checkRedisAuthToken(generated)).not.toThrow();
    }
  });

  test.each([
    ['too short', 'Ab1'.repeat(5)],
    ['holding a forbidden character', `${'A'.repeat(20)}@${'b'.repeat(20)}`],
    ['holding a space', `${'A'.repeat(20)} ${'b'.repeat(20)}`],
  ])('one that is %s is refused', (_case, candidate) => {
    expect(() => checkRedisAuthToken(candidate)).toThrow(/16 to 128 letters and digits/);
  });
});
