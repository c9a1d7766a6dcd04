import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { checkJwtSigningKey, newJwtSigningKey } from '../key-material';
import { KeyringRotation } from '../keyring-rotation';
import { consoleLog } from '../log';
import { createRotationHandler } from '../rotation-handler';
import { SecretStore } from '../secret-store';
import { ENV, requiredEnv, requiredSeconds } from './environment';

const store = new SecretStore(new SecretsManagerClient({}), requiredEnv(ENV.secretArn));

/**
 * Rotates the HS256 signing keyring; the previous key is dropped once every token signed with
 * it has expired (session lifetime plus clients' refresh time).
 */
export const handler = createRotationHandler(
  new KeyringRotation({
    newKey: newJwtSigningKey,
    checkKey: checkJwtSigningKey,
    retirePreviousAfterSeconds: requiredSeconds(ENV.retirePreviousAfterSeconds),
    store,
    log: consoleLog,
  }),
  { store, log: consoleLog },
);
