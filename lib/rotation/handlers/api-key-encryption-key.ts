import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { checkFernetKey, newFernetKey } from '../key-material';
import { KeyringRotation } from '../keyring-rotation';
import { consoleLog } from '../log';
import { createRotationHandler } from '../rotation-handler';
import { SecretStore } from '../secret-store';
import { ENV, requiredEnv } from './environment';

const store = new SecretStore(new SecretsManagerClient({}), requiredEnv(ENV.secretArn));

/**
 * Rotates the Fernet keyring; the previous key stays until the next rotation, the time the
 * application has to re-encrypt what the previous key encrypted.
 */
export const handler = createRotationHandler(
  new KeyringRotation({ newKey: newFernetKey, checkKey: checkFernetKey, store, log: consoleLog }),
  {
    store,
    log: consoleLog,
  },
);
