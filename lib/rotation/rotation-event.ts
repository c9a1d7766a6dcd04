/** The four steps Secrets Manager invokes a rotation function with, in order. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** One step of a rotation. */
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What Secrets Manager sends a rotation function for each step. */
export interface RotationEvent {
  readonly Step: RotationStep;
  /** The secret's ARN. */
  readonly SecretId: string;
  /** The id of the version being rotated in (staged `AWSPENDING`). */
  readonly ClientRequestToken: string;
  /** Identifies the rotation to Secrets Manager; passed back on writes, never logged. */
  readonly RotationToken?: string;
}

/**
 * What the hourly schedule sends: finish what has to wait for clients to move to the new
 * version (retire the previous signing key, drop the old Redis AUTH token).
 */
export interface SettleEvent {
  readonly action: 'settle';
}

/** An event a rotation function accepts. */
export type RotationFunctionEvent = RotationEvent | SettleEvent;

/** Whether an event is the settle schedule's. */
export function isSettleEvent(event: RotationFunctionEvent): event is SettleEvent {
  return 'action' in event;
}

/**
 * Checks an incoming event's shape. The message names what was wrong, never a value that
 * could be sensitive (the rotation token is not echoed).
 */
export function parseRotationFunctionEvent(event: unknown): RotationFunctionEvent {
  if (typeof event !== 'object' || event === null) throw new Error(`The event must be an object; got ${typeof event}`);
  const record = event as Record<string, unknown>;
  if ('action' in record) {
    if (record.action !== 'settle') throw new Error(`Unknown action ${JSON.stringify(record.action)}; the only action is "settle"`);
    return { action: 'settle' };
  }
  const step = record.Step;
  if (typeof step !== 'string' || !(ROTATION_STEPS as readonly string[]).includes(step)) {
    throw new Error(`Unknown rotation step ${JSON.stringify(step)}; expected one of ${ROTATION_STEPS.join(', ')}`);
  }
  for (const field of ['SecretId', 'ClientRequestToken'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') throw new Error(`The rotation event has no ${field}`);
  }
  if (record.RotationToken !== undefined && typeof record.RotationToken !== 'string') {
    throw new Error('The rotation event has a RotationToken that is not a string');
  }
  return {
    Step: step as RotationStep,
    SecretId: record.SecretId as string,
    ClientRequestToken: record.ClientRequestToken as string,
    ...(record.RotationToken === undefined ? {} : { RotationToken: record.RotationToken as string }),
  };
}
