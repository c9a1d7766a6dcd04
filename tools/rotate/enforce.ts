import { randomUUID } from 'node:crypto';
import { RotateSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AuditLog, MetadataValue } from './audit-log';
import { type Sleep, pollUntil, withBackoff } from './backoff';
import { ToolError, explainAwsError } from './errors';
import { type SecretSelector, describeSecret, describeSelector, discoverSecrets } from './secret-inventory';
import { type RotationPolicy, type SecretFacts, type SecretStatus, classifySecret } from './secret-status';

/** What a secrets command needs from the outside world. */
export interface SecretsContext {
  readonly client: SecretsManagerClient;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly sleep: Sleep;
  /** Human-readable progress (stderr); silent with --quiet. */
  readonly say: (line: string) => void;
}

/** Settings of {@link enforceRotation}. */
export interface EnforceOptions {
  readonly selector: SecretSelector;
  readonly policy: RotationPolicy;
  /** The longest wait for one rotation (or one unfinished rotation to clear), in milliseconds. */
  readonly timeoutMs: number;
  /** The whole run's budget, in milliseconds: rotations not started by then fail. */
  readonly deadlineMs: number;
  /**
   * Rotate every selected secret now, due or not: incident response, for a secret that may
   * have leaked. Rotations still run one at a time and are waited for.
   * @default false - only DUE and OVERDUE secrets
   */
  readonly now?: boolean;
  /** Time between two DescribeSecret calls while waiting. @default 10 000 */
  readonly pollMs?: number;
  /** Tries of RotateSecret while Secrets Manager reports a rotation already in progress. @default 5 */
  readonly conflictAttempts?: number;
  /** The first wait after such a conflict; it doubles each time, up to 60 s. @default 5 000 */
  readonly conflictBaseDelayMs?: number;
}

/** What enforcement did. */
export interface EnforceOutcome {
  readonly statuses: readonly SecretStatus[];
  /** Names of the secrets rotated successfully. */
  readonly rotated: readonly string[];
  /** Names of the secrets found OVERDUE (the schedule missed them, even if rotated now). */
  readonly overdue: readonly string[];
  /** Names of the secrets whose rotation failed, timed out, or cannot rotate at all. */
  readonly failed: readonly string[];
}

/** The metadata of a status, for its audit event. */
export function statusMetadata(status: SecretStatus): Record<string, MetadataValue> {
  return {
    state: status.state,
    arn: status.arn,
    last_rotated: status.lastRotated?.toISOString() ?? null,
    next_rotation: status.nextRotation?.toISOString() ?? null,
    period_days: status.periodDays,
    rotation_enabled: status.rotationEnabled,
    notes: [...status.notes],
  };
}

/** Lists the project's secrets and classifies each, recording one audit event per secret. */
export async function checkSecrets(ctx: SecretsContext, selector: SecretSelector, policy: RotationPolicy): Promise<SecretStatus[]> {
  const secrets = await discoverSecrets(ctx.client, selector);
  ctx.audit.record({
    eventType: 'secret.inventory.listed',
    resource: describeSelector(selector),
    action: 'list',
    result: secrets.length > 0 ? 'success' : 'failure',
    metadata: { count: secrets.length, secrets: secrets.map((secret) => secret.name) },
  });
  if (secrets.length === 0) {
    throw new ToolError(
      `Found no secret with ${describeSelector(selector)}: check --prefix/--tag and the region (a rotation job that sees nothing protects nothing)`,
      'failed',
    );
  }
  const statuses: SecretStatus[] = [];
  for (const secret of secrets) {
    const status = classifySecret(await describeSecret(ctx.client, secret.arn), policy, ctx.now());
    ctx.audit.record({
      eventType: 'secret.rotation.checked',
      resource: status.name,
      action: 'check',
      result: status.rotationEnabled && (status.state === 'OK' || status.state === 'DUE') ? 'success' : 'failure',
      metadata: statusMetadata(status),
    });
    statuses.push(status);
  }
  return statuses;
}

/**
 * Rotates every due secret and waits for each rotation to finish: OK secrets are left alone,
 * DUE and OVERDUE ones get RotateSecret (retried with backoff while Secrets Manager reports a
 * rotation already in progress), a FAILED one (AWSPENDING left behind) is given the timeout to
 * clear, since a scheduled rotation may be running right now, and is rotated if due once it has.
 * Runs one secret at a time, within the run's deadline. With `now`, OK secrets are rotated too.
 */
export async function enforceRotation(ctx: SecretsContext, options: EnforceOptions): Promise<EnforceOutcome> {
  const started = ctx.now().getTime();
  const statuses = await checkSecrets(ctx, options.selector, options.policy);
  const rotated: string[] = [];
  const overdue: string[] = [];
  const failed: string[] = [];
  const remainingMs = () => options.deadlineMs - (ctx.now().getTime() - started);
  const fail = (status: SecretStatus, reason: string, metadata: Record<string, MetadataValue> = {}) => {
    failed.push(status.name);
    ctx.say(`FAILED  ${status.name}: ${reason}`);
    ctx.audit.record({
      eventType: 'secret.rotation.failed',
      resource: status.name,
      action: 'rotate',
      result: 'failure',
      metadata: { reason, ...metadata },
    });
  };

  for (let status of statuses) {
    if (!status.rotationEnabled) {
      fail(status, 'rotation is not enabled on this secret: configure a rotation function or managed rotation for it');
      continue;
    }
    if (status.state === 'FAILED') {
      ctx.say(`waiting  ${status.name}: version ${status.pendingVersion} is still AWSPENDING`);
      const cleared = await waitFor(
        ctx,
        status.arn,
        Math.min(options.timeoutMs, remainingMs()),
        options.pollMs,
        (facts) => !hasStuckPending(facts),
      );
      if (!cleared) {
        fail(
          status,
          `version ${status.pendingVersion} stayed AWSPENDING (not AWSCURRENT): the last rotation did not finish; see the rotation function's log`,
          {
            pending_version: status.pendingVersion ?? null,
          },
        );
        continue;
      }
      status = classifySecret(cleared, options.policy, ctx.now());
    }
    if (status.state === 'OVERDUE') overdue.push(status.name);
    if (status.state === 'OK' && !options.now) continue;
    if (remainingMs() <= 0) {
      fail(status, `not rotated: the run's deadline (${Math.round(options.deadlineMs / 60_000)} minutes) was reached`);
      continue;
    }
    const outcome = await rotateOne(ctx, status, options, remainingMs());
    if (outcome === 'completed') rotated.push(status.name);
    else fail(status, outcome.reason, outcome.metadata);
  }
  return { statuses, rotated, overdue, failed };
}

type RotationFailure = { reason: string; metadata: Record<string, MetadataValue> };

async function rotateOne(
  ctx: SecretsContext,
  status: SecretStatus,
  options: EnforceOptions,
  remainingMs: number,
): Promise<'completed' | RotationFailure> {
  const versionId = randomUUID();
  const startedAt = ctx.now();
  try {
    await withBackoff(
      () => ctx.client.send(new RotateSecretCommand({ SecretId: status.arn, ClientRequestToken: versionId, RotateImmediately: true })),
      {
        attempts: options.conflictAttempts ?? 5,
        baseDelayMs: options.conflictBaseDelayMs ?? 5_000,
        maxDelayMs: 60_000,
        retryable: isRotationInProgress,
        sleep: ctx.sleep,
        onRetry: (_error, attempt, delayMs) =>
          ctx.say(
            `retry    ${status.name}: a rotation is already in progress (attempt ${attempt}); trying again in ${Math.round(delayMs / 1000)} s`,
          ),
      },
    );
  } catch (error) {
    const explained = explainAwsError(error, 'secretsmanager:RotateSecret', status.arn);
    if (explained instanceof ToolError && explained.kind === 'credentials') throw explained;
    return { reason: `RotateSecret was refused: ${(explained as Error).message}`, metadata: { error: (explained as Error).name } };
  }
  ctx.say(`rotating ${status.name} (${status.state}) to version ${versionId}`);
  ctx.audit.record({
    eventType: 'secret.rotation.started',
    resource: status.name,
    action: 'rotate',
    result: 'success',
    metadata: { version_id: versionId, state_before: status.state },
  });
  const timeoutMs = Math.min(options.timeoutMs, remainingMs);
  const done = await waitFor(ctx, status.arn, timeoutMs, options.pollMs, (facts) => rotationFinished(facts, versionId, startedAt));
  if (!done) {
    return {
      reason: `the rotation to version ${versionId} did not finish within ${Math.round(timeoutMs / 1000)} s; see the rotation function's log`,
      metadata: { version_id: versionId },
    };
  }
  const seconds = Math.round((ctx.now().getTime() - startedAt.getTime()) / 1000);
  ctx.say(`rotated  ${status.name} in ${seconds} s`);
  ctx.audit.record({
    eventType: 'secret.rotation.completed',
    resource: status.name,
    action: 'rotate',
    result: 'success',
    metadata: { version_id: versionId, seconds },
  });
  return 'completed';
}

/** Whether Secrets Manager refused RotateSecret because a rotation is still running. */
export function isRotationInProgress(error: unknown): boolean {
  const candidate = error as { name?: string; message?: string };
  return candidate?.name === 'InvalidRequestException' && /previous rotation|in progress|isn.t complete/i.test(candidate.message ?? '');
}

function hasStuckPending(facts: SecretFacts): boolean {
  return Object.values(facts.versionStages).some((stages) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'));
}

/**
 * A rotation has finished when its version is AWSCURRENT, or (for managed rotation, which may
 * name versions itself) when the secret was rotated after it started, with nothing left pending.
 */
function rotationFinished(facts: SecretFacts, versionId: string, startedAt: Date): boolean {
  if (hasStuckPending(facts)) return false;
  if (facts.versionStages[versionId]?.includes('AWSCURRENT')) return true;
  return facts.lastRotatedDate !== undefined && facts.lastRotatedDate >= startedAt;
}

/** Polls DescribeSecret until `done` holds (returning those facts) or the time is up (undefined). */
function waitFor(
  ctx: SecretsContext,
  arn: string,
  timeoutMs: number,
  pollMs = 10_000,
  done: (facts: SecretFacts) => boolean,
): Promise<SecretFacts | undefined> {
  return pollUntil(ctx, timeoutMs, pollMs, async () => {
    const facts = await describeSecret(ctx.client, arn);
    return done(facts) ? facts : undefined;
  });
}
