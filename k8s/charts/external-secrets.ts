import type { Construct } from 'constructs';
import { Naming, PARAMETER_PATHS, SECRET_PURPOSES } from '../../lib/config';
import { REDIS_AUTH_TOKEN_FIELD } from '../../lib/rotation/redis-auth-token-rotation';
import { ClusterSecretStore, ExternalSecret, type ExternalSecretEntry, type SecretStoreReference } from '../crds/external-secrets';
import { addObject } from '../lib/add-object';
import { StageChart, type StageChartProps } from './stage-chart';

/** The names of the two cluster-wide stores of a stage. */
export function secretStoreNames(naming: Naming): { secretsManager: string; parameterStore: string } {
  return { secretsManager: naming.clusterObjectName('secrets-manager'), parameterStore: naming.clusterObjectName('parameter-store') };
}

/** The key of the synced keyring Secrets that holds the whole keyring JSON. */
export const KEYRING_SECRET_KEY = 'keyring';

/** The Kubernetes Secrets this chart keeps in sync in the application namespace. */
export const SYNCED_SECRETS = {
  /** Keys `host`, `port`, `tls`, `auth-token`. */
  redisConnection: 'redis-connection',
  /** Key `keyring`: the HS256 signing keyring as Secrets Manager holds it (`lib/rotation/keyring.ts`). */
  jwtSigningKeys: 'jwt-signing-keys',
  /** Key `keyring`: the Fernet keyring as Secrets Manager holds it. */
  apiKeyEncryptionKeys: 'api-key-encryption-keys',
  /** Keys `host`, `port`, `username`, `password`. */
  databaseConnection: 'database-connection',
} as const;

/**
 * Secrets into the cluster, never through the repository: two ClusterSecretStores (Secrets
 * Manager for secrets, Parameter Store for the endpoints the data-stores stack publishes), read
 * with the External Secrets controller's own EKS Pod Identity (no access key anywhere), usable
 * only from the application and gateway namespaces; and ExternalSecrets that keep the Redis
 * connection, the JWT signing keys, the API-key encryption keys and the database connection in
 * sync, re-read every `externalSecrets.refreshMinutes`, well inside a rotation's overlap.
 *
 * No Secret with data is rendered: the controller creates and owns each target Secret.
 */
export class ExternalSecretsChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const naming = new Naming(this.config);
    const stores = secretStoreNames(naming);
    const namespace = this.config.kubernetes.namespace;
    // The gateway (Kong) reads the Redis connection and the JWT keys in its own namespace.
    const consumers = [...new Set([namespace, this.config.serviceGraph.gateway.namespace])];

    const store = (id: string, name: string, service: 'SecretsManager' | 'ParameterStore') =>
      addObject(
        this,
        id,
        new ClusterSecretStore({
          metadata: { name },
          spec: {
            provider: { aws: { service, region: this.config.aws.region } },
            conditions: [{ namespaces: consumers }],
            retrySettings: { maxRetries: 5, retryInterval: '10s' },
          },
        }),
      );
    store('secrets-manager', stores.secretsManager, 'SecretsManager');
    store('parameter-store', stores.parameterStore, 'ParameterStore');

    const secretsManager: SecretStoreReference = { kind: 'ClusterSecretStore', name: stores.secretsManager };
    const parameterStore: SecretStoreReference = { kind: 'ClusterSecretStore', name: stores.parameterStore };
    const parameter = (secretKey: string, path: string): ExternalSecretEntry => ({
      secretKey,
      remoteRef: { key: naming.parameterName(path) },
      sourceRef: { storeRef: parameterStore },
    });
    const secret = (secretKey: string, purpose: string, property?: string): ExternalSecretEntry => ({
      secretKey,
      remoteRef: { key: naming.secretName(purpose), ...(property ? { property } : {}) },
    });
    const sync = (name: string, data: ExternalSecretEntry[]) =>
      addObject(
        this,
        name,
        new ExternalSecret({
          metadata: { name, namespace },
          spec: {
            refreshInterval: `${this.config.externalSecrets.refreshMinutes}m`,
            refreshPolicy: 'Periodic',
            secretStoreRef: secretsManager,
            // Owner: the Secret goes when its ExternalSecret goes. Retain: if the source is
            // deleted by mistake, running pods keep working until someone restores it.
            target: { name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
            data,
          },
        }),
      );

    sync(SYNCED_SECRETS.redisConnection, [
      parameter('host', PARAMETER_PATHS.redisHost),
      parameter('port', PARAMETER_PATHS.redisPort),
      parameter('tls', PARAMETER_PATHS.redisTls),
      secret('auth-token', SECRET_PURPOSES.redisAuthToken, REDIS_AUTH_TOKEN_FIELD),
    ]);
    // Each keyring whole, as the rotation functions write it: clients read `current` and
    // `previous` from one consistent value, and a null `previous` (before the second rotation)
    // cannot fail the sync the way a missing property would.
    sync(SYNCED_SECRETS.jwtSigningKeys, [secret(KEYRING_SECRET_KEY, SECRET_PURPOSES.jwtSigningKey)]);
    sync(SYNCED_SECRETS.apiKeyEncryptionKeys, [secret(KEYRING_SECRET_KEY, SECRET_PURPOSES.apiKeyEncryptionKey)]);
    sync(SYNCED_SECRETS.databaseConnection, [
      parameter('host', PARAMETER_PATHS.databaseHost),
      parameter('port', PARAMETER_PATHS.databasePort),
      secret('username', SECRET_PURPOSES.databaseCredentials, 'username'),
      secret('password', SECRET_PURPOSES.databaseCredentials, 'password'),
    ]);
  }
}
