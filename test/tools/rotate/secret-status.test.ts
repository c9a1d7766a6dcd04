import { classifySecret, rulePeriodDays, type SecretFacts } from '../../../tools/rotate/secret-status';

const NOW = new Date('2026-03-01T03:17:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const policy = { maxAgeDays: 30, graceDays: 1 };
const facts = (overrides: Partial<SecretFacts>): SecretFacts => ({
  name: 'hydraulic/dev/jwt-signing-key',
  arn: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:hydraulic/dev/jwt-signing-key-AbCdEf',
  rotationEnabled: true,
  automaticallyAfterDays: 30,
  createdDate: daysAgo(400),
  versionStages: { v1: ['AWSCURRENT'] },
  ...overrides,
});

describe('a secret’s rotation state', () => {
  test.each([
    ['rotated 10 days ago', 10, 'OK'],
    ['rotated exactly one period ago', 30, 'DUE'],
    ['rotated within the grace day', 30.5, 'DUE'],
    ['rotated a period and the grace day ago', 31, 'OVERDUE'],
    ['rotated 90 days ago', 90, 'OVERDUE'],
  ])('%s is %s', (_, days, state) => {
    expect(classifySecret(facts({ lastRotatedDate: daysAgo(days as number) }), policy, NOW).state).toBe(state);
  });

  test('an AWSPENDING version that is not AWSCURRENT is FAILED, however recent the last rotation', () => {
    const status = classifySecret(
      facts({ lastRotatedDate: daysAgo(1), versionStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } }),
      policy,
      NOW,
    );
    expect(status.state).toBe('FAILED');
    expect(status.pendingVersion).toBe('v2');
    expect(status.notes.join()).toMatch(/v2 is staged AWSPENDING but not AWSCURRENT/);
  });

  test('AWSPENDING on the AWSCURRENT version is what a finished rotation may leave: not FAILED', () => {
    const status = classifySecret(
      facts({ lastRotatedDate: daysAgo(1), versionStages: { v2: ['AWSCURRENT', 'AWSPENDING'], v1: ['AWSPREVIOUS'] } }),
      policy,
      NOW,
    );
    expect(status.state).toBe('OK');
  });

  test('a secret never rotated counts its age from its creation', () => {
    const status = classifySecret(facts({ createdDate: daysAgo(45) }), policy, NOW);
    expect(status.state).toBe('OVERDUE');
    expect(status.lastRotated).toEqual(daysAgo(45));
    expect(status.notes).toContain('never rotated');
  });

  test('the policy caps a longer rule of the secret’s own', () => {
    const status = classifySecret(facts({ automaticallyAfterDays: 90, lastRotatedDate: daysAgo(40) }), policy, NOW);
    expect(status.periodDays).toBe(30);
    expect(status.state).toBe('OVERDUE');
    expect(status.notes.join()).toMatch(/rotates every 90 days; the policy allows 30/);
  });

  test('a shorter rule of the secret’s own is the period', () => {
    const status = classifySecret(facts({ automaticallyAfterDays: 7, lastRotatedDate: daysAgo(7.5) }), policy, NOW);
    expect(status.periodDays).toBe(7);
    expect(status.state).toBe('DUE');
  });

  test('the next rotation is the earlier of Secrets Manager’s schedule and the policy’s due date', () => {
    const scheduled = new Date(NOW.getTime() + 86_400_000);
    expect(classifySecret(facts({ lastRotatedDate: daysAgo(10), nextRotationDate: scheduled }), policy, NOW).nextRotation).toEqual(
      scheduled,
    );
    const late = new Date(NOW.getTime() + 60 * 86_400_000);
    expect(classifySecret(facts({ lastRotatedDate: daysAgo(10), nextRotationDate: late }), policy, NOW).nextRotation).toEqual(
      new Date(daysAgo(10).getTime() + 30 * 86_400_000),
    );
  });

  test('a secret without rotation says so', () => {
    const status = classifySecret(facts({ rotationEnabled: false, lastRotatedDate: daysAgo(1) }), policy, NOW);
    expect(status.rotationEnabled).toBe(false);
    expect(status.notes.join()).toMatch(/rotation is not enabled/);
  });

  test('rate() schedules have a period; cron() schedules fall back to the policy', () => {
    expect(rulePeriodDays({ scheduleExpression: 'rate(10 days)' })).toBe(10);
    expect(rulePeriodDays({ scheduleExpression: 'rate(12 hours)' })).toBe(0.5);
    expect(rulePeriodDays({ scheduleExpression: 'cron(0 3 ? * SUN *)' })).toBeUndefined();
    const status = classifySecret(
      facts({ automaticallyAfterDays: undefined, scheduleExpression: 'cron(0 3 ? * SUN *)', lastRotatedDate: daysAgo(10) }),
      policy,
      NOW,
    );
    expect(status.periodDays).toBe(30);
    expect(status.notes.join()).toMatch(/no fixed period/);
  });
});
