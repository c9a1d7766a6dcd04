/** The environment variables the rotation functions are configured with (set by `RotationFunction`). */
export const ENV = {
  secretArn: 'SECRET_ARN',
  retirePreviousAfterSeconds: 'RETIRE_PREVIOUS_AFTER_SECONDS',
  replicationGroupId: 'REPLICATION_GROUP_ID',
  overlapSeconds: 'OVERLAP_SECONDS',
  waitTimeoutSeconds: 'WAIT_TIMEOUT_SECONDS',
} as const;

/** A required variable; throws naming it when it is missing (a deployment error, found at cold start). */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`The rotation function needs the environment variable ${name}`);
  return value;
}

/** A required positive whole number of seconds. */
export function requiredSeconds(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(requiredEnv(name, env));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number of seconds; got ${env[name]}`);
  return value;
}
