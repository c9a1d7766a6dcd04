/** A secret's rotation state against the policy. */
export type RotationState = 'OK' | 'DUE' | 'OVERDUE' | 'FAILED';

/** What the status of a secret is computed from (DescribeSecret's answer, reduced). */
export interface SecretFacts {
  readonly name: string;
  readonly arn: string;
  readonly rotationEnabled: boolean;
  /** When the last rotation finished; undefined for a secret never rotated. */
  readonly lastRotatedDate?: Date;
  /** When the secret was created: a never-rotated secret's age counts from here. */
  readonly createdDate?: Date;
  /** When Secrets Manager's own schedule rotates it next. */
  readonly nextRotationDate?: Date;
  /** The secret's own rotation rule. */
  readonly automaticallyAfterDays?: number;
  readonly scheduleExpression?: string;
  /** Version id to staging labels. */
  readonly versionStages: Readonly<Record<string, readonly string[]>>;
  /** The service that owns the secret (e.g. `rds`), if any. */
  readonly owningService?: string;
}

/** The project's rotation policy. */
export interface RotationPolicy {
  /** The longest a secret may go without rotation (`rotation.secretsDays`). */
  readonly maxAgeDays: number;
  /** How long past due a secret may be before it is OVERDUE: the schedule missed it. */
  readonly graceDays: number;
}

/** One secret's status, as `status` prints it and `enforce` acts on it. */
export interface SecretStatus {
  readonly name: string;
  readonly arn: string;
  readonly state: RotationState;
  /** The last rotation, or the creation of a secret never rotated. */
  readonly lastRotated?: Date;
  /** The earlier of Secrets Manager's next scheduled rotation and the policy's due date. */
  readonly nextRotation?: Date;
  /** The period the secret is held to: its own rule, capped by the policy. */
  readonly periodDays: number;
  readonly rotationEnabled: boolean;
  /** The version left staged AWSPENDING by an unfinished rotation (FAILED only). */
  readonly pendingVersion?: string;
  /** Why the state is what it is, in words. */
  readonly notes: readonly string[];
}

const DAY_MS = 86_400_000;

/**
 * Classifies a secret:
 * - FAILED: a version carries AWSPENDING but not AWSCURRENT, so the last rotation did not finish
 *   (Secrets Manager then refuses every new rotation until it is cleaned up);
 * - OVERDUE: older than its period plus the grace: its schedule missed it;
 * - DUE: older than its period;
 * - OK otherwise.
 * The period is the secret's own rule (`AutomaticallyAfterDays` or a `rate(...)` schedule),
 * never longer than the policy's maximum age.
 */
export function classifySecret(facts: SecretFacts, policy: RotationPolicy, now: Date): SecretStatus {
  const notes: string[] = [];
  const rulePeriod = rulePeriodDays(facts);
  if (facts.scheduleExpression?.startsWith('cron(') && facts.automaticallyAfterDays === undefined) {
    notes.push(`schedule ${facts.scheduleExpression} has no fixed period; held to ${policy.maxAgeDays} days`);
  }
  const periodDays = Math.min(rulePeriod ?? policy.maxAgeDays, policy.maxAgeDays);
  if (rulePeriod !== undefined && rulePeriod > policy.maxAgeDays) {
    notes.push(`its own rule rotates every ${rulePeriod} days; the policy allows ${policy.maxAgeDays}`);
  }
  if (!facts.rotationEnabled) notes.push('rotation is not enabled: nothing rotates it on schedule');

  const lastRotated = facts.lastRotatedDate ?? facts.createdDate;
  if (!facts.lastRotatedDate) notes.push('never rotated');
  const policyDue = lastRotated ? new Date(lastRotated.getTime() + periodDays * DAY_MS) : now;
  const scheduled = facts.rotationEnabled ? facts.nextRotationDate : undefined;
  const nextRotation = scheduled && scheduled < policyDue ? scheduled : policyDue;

  const pendingVersion = Object.entries(facts.versionStages).find(
    ([, stages]) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
  )?.[0];
  let state: RotationState;
  if (pendingVersion !== undefined) {
    state = 'FAILED';
    notes.push(`version ${pendingVersion} is staged AWSPENDING but not AWSCURRENT: the last rotation did not finish`);
  } else if (now.getTime() >= policyDue.getTime() + policy.graceDays * DAY_MS) {
    state = 'OVERDUE';
  } else if (now >= policyDue) {
    state = 'DUE';
  } else {
    state = 'OK';
  }
  return {
    name: facts.name,
    arn: facts.arn,
    state,
    lastRotated,
    nextRotation,
    periodDays,
    rotationEnabled: facts.rotationEnabled,
    pendingVersion,
    notes,
  };
}

/** The period of a secret's own rotation rule in days, when it has a fixed one. */
export function rulePeriodDays(facts: Pick<SecretFacts, 'automaticallyAfterDays' | 'scheduleExpression'>): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/.exec(facts.scheduleExpression?.trim() ?? '');
  if (match) return match[2].startsWith('day') ? Number(match[1]) : Number(match[1]) / 24;
  return facts.automaticallyAfterDays;
}
