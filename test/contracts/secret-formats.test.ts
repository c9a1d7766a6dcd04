import { createHmac } from 'node:crypto';
import { KEYRING_SECRET_KEY, SYNCED_SECRETS } from '../../k8s/charts/external-secrets';
import { jwtKeyId, noPreviousKeyId } from '../../k8s/charts/gateway/jwt-credentials';
import { Naming, PARAMETER_PATHS, SECRET_PURPOSES } from '../../lib/config';
import { checkFernetKey, checkJwtSigningKey, newFernetKey, newJwtSigningKey, newRedisAuthToken } from '../../lib/rotation/key-material';
import { KEYRING_BOOTSTRAP, KEYRING_FIELDS, parseKeyring, type Keyring } from '../../lib/rotation/keyring';
import { KeyringRotation } from '../../lib/rotation/keyring-rotation';
import { memoryLog } from '../../lib/rotation/log';
import { REDIS_AUTH_TOKEN_FIELD, serializeRedisAuthToken } from '../../lib/rotation/redis-auth-token-rotation';
import type { SecretStore, SecretVersion } from '../../lib/rotation/secret-store';
import { stageConfig } from '../harness/cdk-app';
import { syncExternalSecret, type ProviderValues } from '../harness/external-secrets-sync';
import { renderStageObjects } from '../harness/k8s-charts';
import type { RenderedObject } from '../harness/k8s-schemas';

/** Secrets Manager version ids, as the rotation's ClientRequestToken (they become the keys' kid). */
const FIRST = '11111111-1111-4111-8111-111111111111';
const SECOND = '22222222-2222-4222-8222-222222222222';
const CREATED = new Date('2026-01-01T00:00:00Z');

const version = (versionId: string, value: string): SecretVersion => ({ versionId, value, createdDate: CREATED });

/**
 * A keyring secret's values through its life, each written by the rotation function's own code:
 * CloudFormation's placeholder, after the first rotation, after the second, and once the second's
 * previous key is retired (settle).
 */
async function keyringLifecycle(newKey: () => string, checkKey: (key: string) => void) {
  const bootstrap = JSON.stringify({ ...KEYRING_BOOTSTRAP.template, [KEYRING_BOOTSTRAP.generatedField]: 'Qm9vdHN0cmFwRmlsbGVyT25seQ' });
  let retired = '';
  const settleStore = {
    current: async () => version(SECOND, second),
    putCurrent: async (_versionId: string, value: string) => {
      retired = value;
    },
  } as unknown as SecretStore;
  const rotation = new KeyringRotation({ newKey, checkKey, retirePreviousAfterSeconds: 1, store: settleStore, log: memoryLog() });
  const first = await rotation.createValue(version('cloudformation-version', bootstrap), FIRST);
  const second = await rotation.createValue(version(FIRST, first), SECOND);
  await rotation.settle({ description: { lastRotatedDate: CREATED }, now: new Date(CREATED.getTime() + 5000) } as never);
  if (!retired) throw new Error('settle wrote no retired keyring');
  return { bootstrap, first, second, retired };
}

/** Kong's jwt plugin: the credential whose key is the token's kid, and an HS256 check with its secret (not base64). */
function kongAccepts(credentials: readonly { consumer: string; key: string; secret: string }[], token: string): string | undefined {
  const [header, payload, signature] = token.split('.');
  const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
  const credential = credentials.find((candidate) => candidate.key === kid);
  if (!credential) return undefined;
  const expected = createHmac('sha256', credential.secret).update(`${header}.${payload}`).digest('base64url');
  return expected === signature ? credential.consumer : undefined;
}

/** A token as docs/secrets.md tells the auth service to sign it: HS256 with `current.key`, `kid` = `<consumer>.<current.kid>`. */
function signToken(consumer: string, keyring: Keyring): string {
  const current = keyring.current!;
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: jwtKeyId(consumer, current.kid) })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: 'user_123', tenant_id: consumer, exp: 1 })).toString('base64url');
  return `${header}.${payload}.${createHmac('sha256', current.key).update(`${header}.${payload}`).digest('base64url')}`;
}

describe.each(['dev', 'prod'])('the %s secrets, as the rotation functions write them, read by every ExternalSecret', (stageName) => {
  const config = stageConfig(stageName);
  const naming = new Naming(config);
  const objects = renderStageObjects(config);
  const stores = objects.filter((object) => object.kind === 'ClusterSecretStore');
  const externalSecrets = objects.filter((object) => object.kind === 'ExternalSecret');
  const named = (name: string, namespace: string): RenderedObject => {
    const found = externalSecrets.find((object) => object.metadata?.name === name && object.metadata?.namespace === namespace);
    if (!found) throw new Error(`no ExternalSecret ${namespace}/${name}`);
    return found;
  };
  const kong = config.serviceGraph.gateway.namespace;
  const app = config.kubernetes.namespace;
  const redisToken = newRedisAuthToken();
  let jwt: Awaited<ReturnType<typeof keyringLifecycle>>;
  let fernet: Awaited<ReturnType<typeof keyringLifecycle>>;

  beforeAll(async () => {
    jwt = await keyringLifecycle(newJwtSigningKey, checkJwtSigningKey);
    fernet = await keyringLifecycle(newFernetKey, checkFernetKey);
  });

  /** What AWS holds once the data-stores stack exists, with the keyrings in the given state. */
  const aws = (state: 'bootstrap' | 'first' | 'second' | 'retired'): ProviderValues => ({
    secrets: {
      [naming.secretName(SECRET_PURPOSES.jwtSigningKey)]: jwt[state],
      [naming.secretName(SECRET_PURPOSES.apiKeyEncryptionKey)]: fernet[state],
      [naming.secretName(SECRET_PURPOSES.redisAuthToken)]: serializeRedisAuthToken(redisToken),
      // The data-stores stack's generated credentials (issue 4): RDS's JSON with username and password.
      [naming.secretName(SECRET_PURPOSES.databaseCredentials)]: JSON.stringify({
        engine: 'postgres',
        username: 'hydraulic',
        password: 'pw',
      }),
    },
    parameters: {
      [naming.parameterName(PARAMETER_PATHS.redisHost)]: 'master.hydraulic-cache.abc123.euc1.cache.amazonaws.com',
      [naming.parameterName(PARAMETER_PATHS.redisPort)]: '6379',
      [naming.parameterName(PARAMETER_PATHS.redisTls)]: 'true',
      [naming.parameterName(PARAMETER_PATHS.databaseHost)]: 'hydraulic.abc123.eu-central-1.rds.amazonaws.com',
      [naming.parameterName(PARAMETER_PATHS.databasePort)]: '5432',
    },
  });

  /** Every consumer's jwt credentials as Kong would load them from the synced Secrets. */
  const credentials = (values: ProviderValues) =>
    config.gateway.consumers.flatMap((consumer) =>
      ['current', 'previous'].map((slot) => {
        const data = syncExternalSecret(named(`${consumer.name}-jwt-${slot}`, kong), stores, values);
        expect(data.algorithm).toBe('HS256');
        return { consumer: consumer.name, key: data.key, secret: data.secret };
      }),
    );

  test.each(['first', 'second', 'retired'] as const)('after the %s rotation step, every ExternalSecret of every chart syncs', (state) => {
    expect(externalSecrets.length).toBeGreaterThan(4);
    for (const externalSecret of externalSecrets) expect(() => syncExternalSecret(externalSecret, stores, aws(state))).not.toThrow();
  });

  test('before the first rotation the Kong credentials refuse to sync (no key yet) instead of writing an empty one', () => {
    const message = `${naming.secretName(SECRET_PURPOSES.jwtSigningKey)} has no current key yet: its first rotation has not finished`;
    for (const consumer of config.gateway.consumers) {
      for (const slot of ['current', 'previous']) {
        expect(() => syncExternalSecret(named(`${consumer.name}-jwt-${slot}`, kong), stores, aws('bootstrap'))).toThrow(message);
      }
    }
  });

  test('Kong gets one credential per consumer and keyring slot, each key unique across consumers, as Kong requires', () => {
    for (const state of ['first', 'second', 'retired'] as const) {
      const keys = credentials(aws(state)).map((credential) => credential.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  test('a token signed as docs/secrets.md says (kid <consumer>.<current.kid>, HS256 with current.key) verifies as its consumer', () => {
    for (const state of ['first', 'second', 'retired'] as const) {
      const keyring = parseKeyring(jwt[state], checkJwtSigningKey);
      for (const consumer of config.gateway.consumers) {
        expect(kongAccepts(credentials(aws(state)), signToken(consumer.name, keyring))).toBe(consumer.name);
      }
    }
  });

  test('a token signed before a rotation verifies until its key is retired; a placeholder holds the slot before and after', () => {
    const beforeRotation = parseKeyring(jwt.first, checkJwtSigningKey);
    for (const consumer of config.gateway.consumers) {
      const token = signToken(consumer.name, beforeRotation);
      expect(kongAccepts(credentials(aws('second')), token)).toBe(consumer.name);
      expect(kongAccepts(credentials(aws('retired')), token)).toBeUndefined();
    }
    for (const state of ['first', 'retired'] as const) {
      const previous = credentials(aws(state)).filter((credential) => credential.key.endsWith('.no-previous-key'));
      expect(previous.map((credential) => credential.key)).toEqual(
        config.gateway.consumers.map((consumer) => noPreviousKeyId(consumer.name)),
      );
    }
  });

  test('the application namespace gets each keyring whole, as Secrets Manager holds it, parsed by the rotation’s own parser', () => {
    for (const [name, keyring, checkKey] of [
      [SYNCED_SECRETS.jwtSigningKeys, jwt, checkJwtSigningKey],
      [SYNCED_SECRETS.apiKeyEncryptionKeys, fernet, checkFernetKey],
    ] as const) {
      for (const state of ['first', 'second', 'retired'] as const) {
        const data = syncExternalSecret(named(name, app), stores, aws(state));
        expect(Object.keys(data)).toEqual([KEYRING_SECRET_KEY]);
        expect(parseKeyring(data[KEYRING_SECRET_KEY], checkKey)).toEqual(parseKeyring(keyring[state], checkKey));
      }
    }
  });

  test('Redis: the AUTH token itself (not its JSON) reaches Kong, JSON-quoted for configPatches, and the application', () => {
    const redis = syncExternalSecret(named('kong-rate-limit-redis', kong), stores, aws('second'));
    expect(JSON.parse(redis.password)).toBe(redisToken);
    expect(JSON.parse(redis.host)).toBe('master.hydraulic-cache.abc123.euc1.cache.amazonaws.com');
    expect(JSON.parse(redis.server_name)).toBe(JSON.parse(redis.host));
    expect(JSON.parse(redis.port)).toBe(6379);
    const connection = syncExternalSecret(named(SYNCED_SECRETS.redisConnection, app), stores, aws('second'));
    expect(connection).toEqual({
      host: 'master.hydraulic-cache.abc123.euc1.cache.amazonaws.com',
      port: '6379',
      tls: 'true',
      'auth-token': redisToken,
    });
  });

  test('a Redis port parameter that is no number fails Kong’s sync instead of leaving the rate limits without Redis', () => {
    const values = aws('second');
    const broken = { ...values, parameters: { ...values.parameters, [naming.parameterName(PARAMETER_PATHS.redisPort)]: 'six' } };
    expect(() => syncExternalSecret(named('kong-rate-limit-redis', kong), stores, broken)).toThrow('redis/port is not a port number');
  });

  test('every property an ExternalSecret reads from a rotated secret is a field its rotation function writes', () => {
    const rotated = {
      [naming.secretName(SECRET_PURPOSES.redisAuthToken)]: [REDIS_AUTH_TOKEN_FIELD],
      [naming.secretName(SECRET_PURPOSES.jwtSigningKey)]: [],
      [naming.secretName(SECRET_PURPOSES.apiKeyEncryptionKey)]: [],
    } as Record<string, string[]>;
    for (const externalSecret of externalSecrets) {
      for (const entry of (externalSecret.spec as { data: { remoteRef: { key: string; property?: string } }[] }).data) {
        const allowed = rotated[entry.remoteRef.key];
        if (allowed && entry.remoteRef.property !== undefined) expect(allowed).toContain(entry.remoteRef.property);
      }
    }
  });

  test('the credential templates read only the keyring’s own field names', () => {
    const fields = new Set<string>(Object.values(KEYRING_FIELDS));
    for (const externalSecret of externalSecrets.filter((object) => object.metadata?.name?.includes('-jwt-'))) {
      const templates = Object.values(
        (externalSecret.spec as { target: { template: { data: Record<string, string> } } }).target.template.data,
      );
      const read = templates.flatMap((template) => [...template.matchAll(/(?<![\w$])\.([A-Za-z_]\w*)/g)].map((match) => match[1]));
      expect(read.length).toBeGreaterThan(0);
      for (const name of read) expect([...fields, 'keyring']).toContain(name);
    }
  });
});
