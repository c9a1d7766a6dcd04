import { PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { Fernet } from 'fernet-nodejs';
import { createHmac } from 'node:crypto';
import {
  checkFernetKey,
  checkJwtSigningKey,
  FERNET_KEY_BYTES,
  JWT_SIGNING_KEY_BYTES,
  newFernetKey,
  newJwtSigningKey,
} from '../../lib/rotation/key-material';
import { parseKeyring, type Keyring } from '../../lib/rotation/keyring';
import { KeyringRotation } from '../../lib/rotation/keyring-rotation';
import { memoryLog } from '../../lib/rotation/log';
import { createRotationHandler } from '../../lib/rotation/rotation-handler';
import { SecretStore } from '../../lib/rotation/secret-store';
import { FakeSecretsManager, SECRET_ARN } from './fake-secrets-manager';
import { rotate, stepEvent } from './rotate';

/** The value CloudFormation creates: no key yet, random filler (the template holds no value). */
const BOOTSTRAP = JSON.stringify({ current: null, previous: null, bootstrap: 'generated-by-secrets-manager' });
const FIRST = '11111111-1111-4111-8111-111111111111';
const SECOND = '22222222-2222-4222-8222-222222222222';
const THIRD = '33333333-3333-4333-8333-333333333333';
const RETIRE_AFTER = 3600 + 3600;

describe.each([
  ['JWT signing key', newJwtSigningKey, checkJwtSigningKey, RETIRE_AFTER],
  ['API-key encryption (Fernet) key', newFernetKey, checkFernetKey, undefined],
])('the %s rotation', (_name, newKey, checkKey, retireAfter) => {
  let fake: FakeSecretsManager;
  let handler: (event: unknown) => Promise<void>;
  let log: ReturnType<typeof memoryLog>;
  const keyring = (stage = 'AWSCURRENT'): Keyring => parseKeyring(fake.valueAt(stage)!, checkKey);

  beforeEach(() => {
    fake = new FakeSecretsManager('bootstrap-version-from-cloudformation-0001', BOOTSTRAP);
    log = memoryLog();
    const store = new SecretStore(fake.client, SECRET_ARN);
    handler = createRotationHandler(new KeyringRotation({ newKey, checkKey, retirePreviousAfterSeconds: retireAfter, store, log }), {
      store,
      log,
      now: () => fake.now,
    });
  });
  afterEach(() => fake.mock.restore());

  test('the first rotation (immediately on creation) replaces the bootstrap value with a keyring', async () => {
    await rotate(fake, handler, FIRST);
    expect(keyring().current?.kid).toBe(FIRST);
    expect(keyring().previous).toBeNull();
    expect(fake.versionIdAt('AWSCURRENT')).toBe(FIRST);
  });

  test('a second rotation keeps the replaced key as previous', async () => {
    await rotate(fake, handler, FIRST);
    const first = keyring().current;
    await rotate(fake, handler, SECOND);
    expect(keyring()).toEqual({ current: { kid: SECOND, key: expect.any(String) }, previous: first });
    expect(keyring().current!.key).not.toBe(first!.key);
  });

  describe('each step can be retried without harm', () => {
    beforeEach(async () => {
      await rotate(fake, handler, FIRST);
      fake.startRotation(SECOND);
      fake.mock.resetHistory();
    });

    test('createSecret run twice stores one value', async () => {
      await handler(stepEvent('createSecret', SECOND));
      const pending = fake.valueAt('AWSPENDING');
      await handler(stepEvent('createSecret', SECOND));
      expect(fake.valueAt('AWSPENDING')).toBe(pending);
      expect(fake.mock.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    });

    test.each(['setSecret', 'testSecret'] as const)('%s run twice changes nothing', async (step) => {
      await handler(stepEvent('createSecret', SECOND));
      await handler(stepEvent(step, SECOND));
      await handler(stepEvent(step, SECOND));
      expect(fake.versionIdAt('AWSCURRENT')).toBe(FIRST);
    });

    test('finishSecret run twice moves AWSCURRENT once', async () => {
      for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) await handler(stepEvent(step, SECOND));
      await handler(stepEvent('finishSecret', SECOND));
      expect(fake.versionIdAt('AWSCURRENT')).toBe(SECOND);
      expect(fake.versionIdAt('AWSPREVIOUS')).toBe(FIRST);
      expect(fake.mock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(1);
    });
  });

  describe('AWSCURRENT never moves to a version that fails testSecret', () => {
    beforeEach(async () => {
      await rotate(fake, handler, FIRST);
      fake.startRotation(SECOND);
      // A pending value someone else wrote that drops the previous key.
      const bad = JSON.stringify({ current: { kid: SECOND, key: newKey() }, previous: null });
      await fake.client.send(
        new PutSecretValueCommand({ SecretId: SECRET_ARN, ClientRequestToken: SECOND, SecretString: bad, VersionStages: ['AWSPENDING'] }),
      );
      fake.mock.resetHistory();
    });

    test('testSecret refuses it', async () => {
      await expect(handler(stepEvent('testSecret', SECOND))).rejects.toThrow(/does not keep the key it replaces/);
      expect(fake.versionIdAt('AWSCURRENT')).toBe(FIRST);
    });

    test('finishSecret called anyway re-tests and refuses it', async () => {
      await expect(handler(stepEvent('finishSecret', SECOND))).rejects.toThrow(/does not keep the key it replaces/);
      expect(fake.versionIdAt('AWSCURRENT')).toBe(FIRST);
      expect(fake.mock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
    });
  });

  describe('refuses to act outside a rotation it was built for', () => {
    beforeEach(() => fake.startRotation(FIRST));

    test('a version not staged AWSPENDING', async () => {
      await expect(handler(stepEvent('setSecret', 'no-such-version-0000000000000000000'))).rejects.toThrow(/has no staging label/);
    });

    test('a secret with rotation disabled', async () => {
      fake.rotationEnabled = false;
      await expect(handler(stepEvent('createSecret', FIRST))).rejects.toThrow(/Rotation is not enabled/);
      expect(fake.mock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    });

    test('another secret', async () => {
      await expect(handler({ ...stepEvent('createSecret', FIRST), SecretId: `${SECRET_ARN}-other` })).rejects.toThrow(/rotates only/);
    });

    test('an unknown step', async () => {
      await expect(handler({ ...stepEvent('createSecret', FIRST), Step: 'deleteSecret' })).rejects.toThrow(
        /Unknown rotation step "deleteSecret"/,
      );
    });

    test('setSecret before createSecret', async () => {
      await expect(handler(stepEvent('setSecret', FIRST))).rejects.toThrow(/createSecret has not run/);
    });
  });

  describe('a failed or throttled Secrets Manager call surfaces as an error', () => {
    beforeEach(() => fake.startRotation(FIRST));

    test('throttled PutSecretValue fails createSecret', async () => {
      const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      fake.mock.on(PutSecretValueCommand).rejects(throttled);
      await expect(handler(stepEvent('createSecret', FIRST))).rejects.toThrow('Rate exceeded');
    });

    test('access denied on UpdateSecretVersionStage fails finishSecret and leaves AWSCURRENT', async () => {
      for (const step of ['createSecret', 'setSecret', 'testSecret'] as const) await handler(stepEvent(step, FIRST));
      fake.mock.on(UpdateSecretVersionStageCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
      await expect(handler(stepEvent('finishSecret', FIRST))).rejects.toThrow('not authorized');
      expect(fake.versionIdAt('AWSCURRENT')).toBe('bootstrap-version-from-cloudformation-0001');
    });
  });

  test('no log line carries a key or the rotation token', async () => {
    await rotate(fake, handler, FIRST);
    await rotate(fake, handler, SECOND);
    const text = log.lines.join('\n');
    for (const entry of [keyring().current, keyring().previous]) expect(text).not.toContain(entry!.key);
    expect(text).not.toContain('rotation-token-never-logged');
  });

  if (retireAfter !== undefined) {
    describe('settling retires the previous key once no token signed with it can be valid', () => {
      beforeEach(async () => {
        await rotate(fake, handler, FIRST);
        await rotate(fake, handler, SECOND);
        fake.mock.resetHistory();
      });

      test('not before the session lifetime plus refresh time', async () => {
        fake.advance(retireAfter - 10);
        await handler({ action: 'settle' });
        expect(keyring().previous?.kid).toBe(FIRST);
      });

      test('after it, the same current key with no previous becomes current, once', async () => {
        const current = keyring().current;
        fake.advance(retireAfter + 1);
        await handler({ action: 'settle' });
        await handler({ action: 'settle' });
        expect(keyring()).toEqual({ current, previous: null });
        expect(fake.versionIdAt('AWSCURRENT')).toBe(`${SECOND}-retired`);
        expect(
          fake.mock.commandCalls(PutSecretValueCommand).filter((c) => c.args[0].input.VersionStages?.includes('AWSCURRENT')),
        ).toHaveLength(1);
      });

      test('the next rotation then starts from the lone current key', async () => {
        fake.advance(retireAfter + 1);
        await handler({ action: 'settle' });
        const second = keyring().current;
        await rotate(fake, handler, THIRD);
        expect(keyring().previous).toEqual(second);
      });
    });
  } else {
    test('settling keeps the previous key until the next rotation (for re-encryption)', async () => {
      await rotate(fake, handler, FIRST);
      await rotate(fake, handler, SECOND);
      fake.advance(365 * 24 * 3600);
      await handler({ action: 'settle' });
      expect(keyring().previous?.kid).toBe(FIRST);
    });
  }
});

describe('generated key material', () => {
  const samples = (make: () => string) => Array.from({ length: 50 }, make);

  test('a JWT signing key carries at least 256 bits (here 512) and signs HS256', () => {
    for (const key of samples(newJwtSigningKey)) {
      expect(Buffer.from(key, 'base64url').length).toBe(JWT_SIGNING_KEY_BYTES);
      expect(JWT_SIGNING_KEY_BYTES * 8).toBeGreaterThanOrEqual(256);
      expect(key).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect(createHmac('sha256', key).update('header.payload').digest()).toHaveLength(32);
    }
    expect(new Set(samples(newJwtSigningKey)).size).toBe(50);
  });

  test('a Fernet key is 44 characters of padded url-safe base64 decoding to exactly 32 bytes', () => {
    for (const key of samples(newFernetKey)) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
      expect(Buffer.from(key, 'base64url').length).toBe(FERNET_KEY_BYTES);
    }
  });

  test('a Fernet key round-trips a token through an independent Fernet implementation', () => {
    const key = newFernetKey();
    const token = Fernet.encrypt('api-key-to-protect', key);
    expect(token.startsWith('gAAAAA')).toBe(true);
    expect(Fernet.decrypt(token, key)).toBe('api-key-to-protect');
    expect(() => Fernet.decrypt(token, newFernetKey())).toThrow();
  });

  test.each([
    ['too short', 'c2hvcnQ='],
    ['unpadded', 'A'.repeat(43)],
    ['standard rather than url-safe base64', `${'+'.repeat(43)}=`],
  ])('a Fernet key that is %s is refused', (_case, key) => {
    expect(() => checkFernetKey(key)).toThrow(/Fernet key must be 32 bytes/);
  });

  test('a JWT signing key shorter than 512 bits is refused', () => {
    expect(() => checkJwtSigningKey(Buffer.alloc(32).toString('base64url'))).toThrow(/at least 64 random bytes/);
  });

  test('a keyring that is not one is refused without echoing its content', () => {
    expect(() => parseKeyring('{"current":{"kid":"a","key":"secret-ish"},"previous":null}', checkFernetKey)).toThrow(
      /"current" key is invalid/,
    );
    expect(() => parseKeyring('not json secret-ish', checkFernetKey)).toThrow(/^The keyring is not JSON$/);
  });
});
