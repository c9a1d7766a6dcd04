import { KEYRING_SECRET_KEY, SYNCED_SECRETS } from '../../k8s/charts/external-secrets';
import { ExternalSecret } from '../../k8s/crds/external-secrets';
import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObject, validateObjects } from '../harness/k8s-schemas';

const durationMinutes = (duration: string): number => {
  const match = /^(\d+)m$/.exec(duration);
  if (!match) throw new Error(`not a whole number of minutes: ${duration}`);
  return Number(match[1]);
};

describe.each(['dev', 'prod'])('the %s External Secrets chart', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'external-secrets');
  const stores = objects.filter((o) => o.kind === 'ClusterSecretStore');
  const syncs = objects.filter((o) => o.kind === 'ExternalSecret');
  const keysOf = (name: string) => (objectNamed(objects, 'ExternalSecret', name).spec.data as any[]).map((entry) => entry.secretKey);

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against the project’s v1 schemas', () => expect(() => validateObjects(objects)).not.toThrow());

  test('one store for Secrets Manager and one for Parameter Store, in the stage’s region', () => {
    expect(stores.map((store) => [store.metadata?.name, (store.spec as any).provider.aws])).toEqual([
      [`hydraulic-${stageName}-secrets-manager`, { service: 'SecretsManager', region: config.aws.region }],
      [`hydraulic-${stageName}-parameter-store`, { service: 'ParameterStore', region: config.aws.region }],
    ]);
  });

  test('the stores authenticate as the controller (EKS Pod Identity): no credentials, no role to chain', () => {
    for (const store of stores) {
      const aws = (store.spec as any).provider.aws;
      expect(aws.auth).toBeUndefined();
      expect(aws.role).toBeUndefined();
    }
  });

  test('only the application and gateway namespaces may use the stores', () => {
    for (const store of stores) expect((store.spec as any).conditions).toEqual([{ namespaces: ['hydraulic-prod', 'kong'] }]);
  });

  test('the Redis connection carries host, port and TLS from Parameter Store and the AUTH token from Secrets Manager', () => {
    const redis = objectNamed(objects, 'ExternalSecret', SYNCED_SECRETS.redisConnection);
    expect(keysOf(SYNCED_SECRETS.redisConnection)).toEqual(['host', 'port', 'tls', 'auth-token']);
    expect(redis.spec.data.map((entry: any) => entry.remoteRef.key)).toEqual([
      `/hydraulic/${stageName}/redis/host`,
      `/hydraulic/${stageName}/redis/port`,
      `/hydraulic/${stageName}/redis/tls`,
      `hydraulic/${stageName}/redis-auth-token`,
    ]);
    expect(redis.spec.data.slice(0, 3).map((entry: any) => entry.sourceRef.storeRef.name)).toEqual(
      Array(3).fill(`hydraulic-${stageName}-parameter-store`),
    );
    expect(redis.spec.data[3].sourceRef).toBeUndefined();
    // The secret is JSON {"authToken": "..."}: the token is that property, not the whole value.
    expect(redis.spec.data[3].remoteRef.property).toBe('authToken');
  });

  test('each keyring comes whole, in one key, so a null previous key (before the second rotation) cannot fail the sync', () => {
    for (const [name, purpose] of [
      [SYNCED_SECRETS.jwtSigningKeys, 'jwt-signing-key'],
      [SYNCED_SECRETS.apiKeyEncryptionKeys, 'api-key-encryption-key'],
    ]) {
      const sync = objectNamed(objects, 'ExternalSecret', name);
      expect(sync.spec.data).toEqual([{ secretKey: KEYRING_SECRET_KEY, remoteRef: { key: `hydraulic/${stageName}/${purpose}` } }]);
      expect(sync.spec.dataFrom).toBeUndefined();
    }
  });

  test('the database connection carries the endpoint and the credentials', () => {
    expect(keysOf(SYNCED_SECRETS.databaseConnection)).toEqual(['host', 'port', 'username', 'password']);
  });

  test('every sync re-reads well inside the rotation overlap (at most half a session lifetime)', () => {
    for (const sync of syncs) {
      const minutes = durationMinutes((sync.spec as any).refreshInterval);
      expect(minutes).toBe(config.externalSecrets.refreshMinutes);
      expect(minutes * 60).toBeLessThanOrEqual(config.session.maxLifetimeSeconds / 2);
      expect((sync.spec as any).refreshPolicy).toBe('Periodic');
    }
  });

  test('the controller owns every target Secret; none is rendered here', () => {
    for (const sync of syncs) expect((sync.spec as any).target).toMatchObject({ name: sync.metadata?.name, creationPolicy: 'Owner' });
    expect(objects.map((o) => o.kind)).not.toContain('Secret');
  });
});

describe('the project’s External Secrets schemas', () => {
  const valid = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'x', namespace: 'n' },
    spec: {
      refreshInterval: '15m',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'store' },
      target: { name: 'x', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
    },
  };

  test('accept a valid object', () => expect(() => validateObject(valid)).not.toThrow());

  test.each([
    ['an unknown field (the API server would drop it silently)', { ...valid, spec: { ...valid.spec, refreshIntervall: '1h' } }],
    [
      'a creation policy ESO does not have',
      { ...valid, spec: { ...valid.spec, target: { ...valid.spec.target, creationPolicy: 'Always' } } },
    ],
    ['a refresh interval that is no Go duration', { ...valid, spec: { ...valid.spec, refreshInterval: '15 minutes' } }],
    ['the retired v1beta1 API', { ...valid, apiVersion: 'external-secrets.io/v1beta1' }],
  ])('reject %s', (_name, object) => {
    expect(() => validateObject(object as any)).toThrow();
  });

  test('the typed wrapper validates at synthesis too', () => {
    const bad = new ExternalSecret({
      metadata: { name: 'x', namespace: 'n' },
      spec: { ...valid.spec, refreshInterval: 'soon' } as any,
    });
    expect(() => bad.validate()).toThrow(/ExternalSecret fails the project's schema: .*refreshInterval/);
  });
});
