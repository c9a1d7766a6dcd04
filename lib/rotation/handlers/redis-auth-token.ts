import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { consoleLog } from '../log';
import { ioredisAuthProbe } from '../redis-auth-probe';
import { RedisAuthTokenRotation } from '../redis-auth-token-rotation';
import { ReplicationGroup } from '../replication-group';
import { createRotationHandler } from '../rotation-handler';
import { SecretStore } from '../secret-store';
import { ENV, requiredEnv, requiredSeconds } from './environment';

const store = new SecretStore(new SecretsManagerClient({}), requiredEnv(ENV.secretArn));

/** Rotates the ElastiCache AUTH token (ROTATE, then SET once clients have moved). */
export const handler = createRotationHandler(
  new RedisAuthTokenRotation({
    group: new ReplicationGroup(new ElastiCacheClient({}), requiredEnv(ENV.replicationGroupId)),
    probe: ioredisAuthProbe(),
    store,
    log: consoleLog,
    overlapSeconds: requiredSeconds(ENV.overlapSeconds),
    waitTimeoutMs: requiredSeconds(ENV.waitTimeoutSeconds) * 1000,
  }),
  { store, log: consoleLog },
);
