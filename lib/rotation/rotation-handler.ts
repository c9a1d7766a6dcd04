import type { RotationLog } from './log';
import { isSettleEvent, parseRotationFunctionEvent, type RotationEvent } from './rotation-event';
import { AWSCURRENT, AWSPENDING, versionWithStage, type SecretDescription, type SecretStore, type SecretVersion } from './secret-store';

/** The pending version beside the current one, as setSecret and testSecret see them. */
export interface RotationVersions {
  readonly pending: SecretVersion;
  readonly current: SecretVersion;
}

/** What settling sees: the secret's state and the time. */
export interface SettleInput {
  readonly description: SecretDescription;
  readonly now: Date;
}

/**
 * What one kind of secret does in each step. The framework ({@link createRotationHandler})
 * does everything common: it checks the event and the version's stage, makes each step safe
 * to retry, and moves `AWSCURRENT` only after the new version has passed {@link testSecret}.
 */
export interface SecretRotation {
  /** Builds the new value from the current one (createSecret). May refuse by throwing. */
  createValue(current: SecretVersion, versionId: string): Promise<string>;
  /** Makes the new value usable where it is used (setSecret). Must be safe to retry. */
  setSecret(versions: RotationVersions): Promise<void>;
  /** Throws unless the new value is well-formed and works (testSecret, and again before finishSecret). */
  testSecret(versions: RotationVersions): Promise<void>;
  /** Finishes, on a schedule, what has to wait for clients to move to the new version. */
  settle?(input: SettleInput): Promise<void>;
}

/** What a rotation function needs besides its {@link SecretRotation}. */
export interface RotationHandlerOptions {
  /** The one secret this function rotates. */
  readonly store: SecretStore;
  readonly log: RotationLog;
  /** @default the system clock */
  readonly now?: () => Date;
}

/**
 * The Lambda handler of a rotation function: the four Secrets Manager steps plus `settle`.
 *
 * - Every step first checks that rotation is enabled, that the event names this function's
 *   secret, and that the version is staged `AWSPENDING` (a version already `AWSCURRENT` means
 *   the work is done: the step returns).
 * - createSecret stores a value only if the pending version has none yet; finishSecret moves
 *   `AWSCURRENT` only if it is not there yet, and re-runs testSecret's checks first, so no
 *   caller can make an untested version current.
 */
export function createRotationHandler(rotation: SecretRotation, options: RotationHandlerOptions): (event: unknown) => Promise<void> {
  const { store, log } = options;
  const now = options.now ?? (() => new Date());

  return async (rawEvent: unknown) => {
    const event = parseRotationFunctionEvent(rawEvent);
    if (isSettleEvent(event)) {
      const description = await store.describe();
      if (!description.rotationEnabled) {
        log.warn('Rotation is disabled; nothing is settled', { secretId: store.secretId });
        return;
      }
      await rotation.settle?.({ description, now: now() });
      return;
    }
    await runStep(rotation, store, log, event);
  };
}

async function runStep(rotation: SecretRotation, store: SecretStore, log: RotationLog, event: RotationEvent): Promise<void> {
  const { Step: step, ClientRequestToken: token } = event;
  const fields = { step, versionId: token, secretId: store.secretId };
  if (event.SecretId !== store.secretId) {
    throw new Error(`This function rotates only ${store.secretId}; refusing ${step} for ${event.SecretId}`);
  }
  const description = await store.describe();
  if (!description.rotationEnabled) throw new Error(`Rotation is not enabled for ${store.secretId}; refusing ${step}`);
  const stages = description.stagesByVersion[token];
  if (!stages) throw new Error(`Version ${token} of ${store.secretId} has no staging label; refusing ${step}`);
  if (stages.includes(AWSCURRENT)) {
    log.info('The version is already current; nothing to do', fields);
    return;
  }
  if (!stages.includes(AWSPENDING)) throw new Error(`Version ${token} of ${store.secretId} is not staged ${AWSPENDING}; refusing ${step}`);

  const current = await store.current();
  if (step === 'createSecret') {
    if (await store.pending(token)) {
      log.info('The pending version already has a value', fields);
      return;
    }
    await store.putPending(token, await rotation.createValue(current, token), event.RotationToken);
    log.info('Created the pending version', fields);
    return;
  }

  const pending = await store.pending(token);
  if (!pending) throw new Error(`Version ${token} of ${store.secretId} has no value; createSecret has not run`);
  if (step === 'setSecret') {
    await rotation.setSecret({ pending, current });
  } else if (step === 'testSecret') {
    await rotation.testSecret({ pending, current });
  } else {
    await rotation.testSecret({ pending, current });
    const currentVersionId = versionWithStage(description, AWSCURRENT);
    if (!currentVersionId) throw new Error(`${store.secretId} has no ${AWSCURRENT} version`);
    await store.moveCurrent(token, currentVersionId);
  }
  log.info(`${step} done`, fields);
}
