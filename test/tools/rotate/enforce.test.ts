import { RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { AuditLog } from '../../../tools/rotate/audit-log';
import { type EnforceOptions, checkSecrets, enforceRotation } from '../../../tools/rotate/enforce';
import { verifyAuditLog } from '../../../tools/rotate/verify-log';
import { FakeClock, events } from './fake-clock';
import { FakeSecretsManager } from './fake-secrets';

const OPTIONS: EnforceOptions = {
  selector: { prefix: 'hydraulic/dev/' },
  policy: { maxAgeDays: 30, graceDays: 1 },
  timeoutMs: 10 * 60_000,
  deadlineMs: 45 * 60_000,
  pollMs: 10_000,
};

function setUp() {
  const clock = new FakeClock();
  const aws = new FakeSecretsManager(clock);
  const lines: string[] = [];
  const said: string[] = [];
  const audit = new AuditLog({ write: (line) => lines.push(line), actor: 'test', userAgent: 'test', now: clock.now, runId: 'run' });
  audit.open('enforce');
  const ctx = { client: aws.client, audit, now: clock.now, sleep: clock.sleep, say: (line: string) => said.push(line) };
  return { clock, aws, lines, said, audit, ctx };
}

describe('enforce', () => {
  test('rotates only the due secrets, waits for each, and records every step', async () => {
    const { aws, lines, audit, ctx } = setUp();
    aws.add('hydraulic/dev/jwt-signing-key', 10);
    aws.add('hydraulic/dev/redis-auth-token', 30.2);
    aws.add('hydraulic/dev/api-key-encryption-key', 2);
    aws.add('hydraulic/prod/jwt-signing-key', 90); // another stage's: not found by the prefix
    const outcome = await enforceRotation(ctx, OPTIONS);
    expect(aws.rotateCalls).toEqual(['hydraulic/dev/redis-auth-token']);
    expect(outcome).toMatchObject({ rotated: ['hydraulic/dev/redis-auth-token'], overdue: [], failed: [] });
    expect(aws.byName('hydraulic/dev/redis-auth-token').versions).toMatchObject({ v1: ['AWSPREVIOUS'] });
    audit.close(0);
    const types = events(lines).map((event) => `${event.event_type} ${event.resource}`);
    expect(types).toEqual([
      'audit.log.opened hydraulic-rotate',
      'secret.inventory.listed name prefix hydraulic/dev/',
      'secret.rotation.checked hydraulic/dev/api-key-encryption-key',
      'secret.rotation.checked hydraulic/dev/jwt-signing-key',
      'secret.rotation.checked hydraulic/dev/redis-auth-token',
      'secret.rotation.started hydraulic/dev/redis-auth-token',
      'secret.rotation.completed hydraulic/dev/redis-auth-token',
      'audit.log.closed hydraulic-rotate',
    ]);
    expect(verifyAuditLog(lines.join('\n'))).toMatchObject({ ok: true, events: 8 });
  });

  test('with now, rotates the selected secrets whatever their age (incident response)', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/jwt-signing-key', 0.1);
    aws.add('hydraulic/dev/redis-auth-token', 2);
    const outcome = await enforceRotation(ctx, { ...OPTIONS, selector: { prefix: 'hydraulic/dev/jwt-signing-key' }, now: true });
    expect(aws.rotateCalls).toEqual(['hydraulic/dev/jwt-signing-key']);
    expect(outcome).toMatchObject({ rotated: ['hydraulic/dev/jwt-signing-key'], overdue: [], failed: [] });
  });

  test('passes a fresh idempotency token and rotates immediately', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/jwt-signing-key', 31);
    await enforceRotation(ctx, OPTIONS);
    const [call] = aws.mock.commandCalls(RotateSecretCommand);
    expect(call.args[0].input).toMatchObject({
      SecretId: expect.stringContaining('hydraulic/dev/jwt-signing-key'),
      RotateImmediately: true,
    });
    expect(call.args[0].input.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an overdue secret is rotated but still reported: the schedule missed it', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/jwt-signing-key', 45);
    const outcome = await enforceRotation(ctx, OPTIONS);
    expect(outcome).toMatchObject({ rotated: ['hydraulic/dev/jwt-signing-key'], overdue: ['hydraulic/dev/jwt-signing-key'], failed: [] });
  });

  test('a rotation that does not finish within the timeout fails the run', async () => {
    const { aws, clock, lines, ctx } = setUp();
    aws.add('hydraulic/dev/jwt-signing-key', 30.5, { behaviour: 'hangs' });
    const started = clock.now().getTime();
    const outcome = await enforceRotation(ctx, OPTIONS);
    expect(outcome.failed).toEqual(['hydraulic/dev/jwt-signing-key']);
    expect(clock.now().getTime() - started).toBeLessThanOrEqual(OPTIONS.timeoutMs);
    const failed = events(lines).find((event) => event.event_type === 'secret.rotation.failed');
    expect(failed).toMatchObject({ result: 'failure', metadata: { reason: expect.stringMatching(/did not finish within 600 s/) } });
  });

  test('a stuck AWSPENDING is waited for, then reported FAILED when it does not clear', async () => {
    const { aws, ctx, lines } = setUp();
    aws.add('hydraulic/dev/redis-auth-token', 5);
    aws.leavePending('hydraulic/dev/redis-auth-token', 'v2', 'hangs');
    const outcome = await enforceRotation(ctx, OPTIONS);
    expect(outcome.statuses[0].state).toBe('FAILED');
    expect(outcome.failed).toEqual(['hydraulic/dev/redis-auth-token']);
    expect(aws.rotateCalls).toEqual([]);
    expect(events(lines).find((event) => event.event_type === 'secret.rotation.failed').metadata).toMatchObject({ pending_version: 'v2' });
  });

  test('an AWSPENDING left by a rotation still running clears, and the secret is then judged again', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/redis-auth-token', 30.5);
    aws.leavePending('hydraulic/dev/redis-auth-token', 'v2', 'completes');
    const outcome = await enforceRotation(ctx, OPTIONS);
    expect(outcome.failed).toEqual([]);
    expect(aws.rotateCalls).toEqual([]); // the running rotation made it OK
  });

  test('RotateSecret refused because a rotation is in progress is retried with bounded backoff', async () => {
    const { aws, clock, ctx, said } = setUp();
    aws.add('hydraulic/dev/jwt-signing-key', 30.5, { conflicts: 2 });
    const outcome = await enforceRotation(ctx, { ...OPTIONS, conflictBaseDelayMs: 1000 });
    expect(outcome.rotated).toEqual(['hydraulic/dev/jwt-signing-key']);
    expect(aws.rotateCalls).toHaveLength(3);
    expect(clock.sleeps.slice(0, 2).map((ms) => ms >= 500 && ms <= 2000)).toEqual([true, true]);
    expect(said.filter((line) => line.startsWith('retry'))).toHaveLength(2);
  });

  test('…and gives up after the last attempt', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/jwt-signing-key', 30.5, { conflicts: 99 });
    const outcome = await enforceRotation(ctx, { ...OPTIONS, conflictAttempts: 3, conflictBaseDelayMs: 10 });
    expect(aws.rotateCalls).toHaveLength(3);
    expect(outcome.failed).toEqual(['hydraulic/dev/jwt-signing-key']);
  });

  test('access denied on one secret fails that secret with a clear reason, and the others are still rotated', async () => {
    const { aws, ctx, lines } = setUp();
    aws.add('hydraulic/dev/a', 31);
    aws.add('hydraulic/dev/b', 31);
    aws.mock
      .on(RotateSecretCommand, { SecretId: aws.byName('hydraulic/dev/a').arn })
      .rejects(
        Object.assign(new Error('User is not authorized to perform: secretsmanager:RotateSecret'), { name: 'AccessDeniedException' }),
      );
    const outcome = await enforceRotation(ctx, OPTIONS);
    expect(outcome).toMatchObject({ failed: ['hydraulic/dev/a'], rotated: ['hydraulic/dev/b'] });
    expect(events(lines).find((event) => event.event_type === 'secret.rotation.failed').metadata.reason).toMatch(
      /Access denied: secretsmanager:RotateSecret on .*hydraulic\/dev\/a/,
    );
  });

  test('a secret without rotation enabled fails: nothing would ever rotate it', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/static', 2, { rotationEnabled: false });
    const outcome = await enforceRotation(ctx, OPTIONS);
    expect(outcome.failed).toEqual(['hydraulic/dev/static']);
    expect(aws.rotateCalls).toEqual([]);
  });

  test('rotations not started before the run’s deadline fail instead of being cut off by the Job', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/a', 31, { behaviour: 'hangs' });
    aws.add('hydraulic/dev/b', 31);
    const outcome = await enforceRotation(ctx, { ...OPTIONS, deadlineMs: 5 * 60_000 });
    expect(outcome.failed).toEqual(['hydraulic/dev/a', 'hydraulic/dev/b']);
    expect(aws.rotateCalls).toEqual(['hydraulic/dev/a']);
  });

  test('finding no secret at all is a failure, not a quiet success', async () => {
    const { ctx } = setUp();
    await expect(enforceRotation(ctx, OPTIONS)).rejects.toThrow(/Found no secret with name prefix hydraulic\/dev\//);
  });

  test('discovery by tag checks key and value exactly', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/a', 1);
    aws.add('other/b', 1, { tags: [{ Key: 'stage', Value: 'dev-old' }] });
    const statuses = await checkSecrets(ctx, { tags: { stage: 'dev' } }, OPTIONS.policy);
    expect(statuses.map((status) => status.name)).toEqual(['hydraulic/dev/a']);
  });

  test('a name filter that matches case-insensitively is checked again exactly', async () => {
    const { aws, ctx } = setUp();
    aws.add('hydraulic/dev/a', 1);
    aws.add('Hydraulic/Dev/b', 1);
    const statuses = await checkSecrets(ctx, { prefix: 'hydraulic/dev/' }, OPTIONS.policy);
    expect(statuses.map((status) => status.name)).toEqual(['hydraulic/dev/a']);
  });

  test('neither prefix nor tag is refused: it would rotate the whole account', async () => {
    const { ctx } = setUp();
    await expect(checkSecrets(ctx, {}, OPTIONS.policy)).rejects.toThrow(/Name a --prefix or at least one --tag/);
  });
});
