import { ROTATION_STEPS, type RotationStep } from '../../lib/rotation/rotation-event';
import { SECRET_ARN, type FakeSecretsManager } from './fake-secrets-manager';

/** The event Secrets Manager sends for one step. */
export function stepEvent(step: RotationStep, token: string) {
  return { Step: step, SecretId: SECRET_ARN, ClientRequestToken: token, RotationToken: 'rotation-token-never-logged' };
}

/** A full rotation as Secrets Manager drives it: start, the four steps in order, completion. */
export async function rotate(fake: FakeSecretsManager, handler: (event: unknown) => Promise<void>, token: string): Promise<void> {
  fake.startRotation(token);
  for (const step of ROTATION_STEPS) await handler(stepEvent(step, token));
  fake.completeRotation();
}
