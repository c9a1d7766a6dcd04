import { z } from 'zod';
import { awsRegion } from './primitives';

/**
 * An AWS Backup schedule: `cron(minutes hours day-of-month month day-of-week year)` in UTC,
 * with `?` in exactly one of the two day fields, at one fixed minute (AWS Backup runs a plan
 * at most once an hour).
 */
const awsCron = z.string().superRefine((value, ctx) => {
  const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
  const match = /^cron\((.*)\)$/.exec(value.trim());
  if (!match) return issue('must be an AWS cron expression such as "cron(0 3 * * ? *)" (daily at 03:00 UTC)');
  const fields = match[1].trim().split(/\s+/);
  if (fields.length !== 6) {
    return issue(`must have 6 fields (minutes hours day-of-month month day-of-week year); found ${fields.length}`);
  }
  const [minutes, hours, dayOfMonth, , dayOfWeek] = fields;
  if (!/^\d{1,2}$/.test(minutes) || Number(minutes) > 59)
    return issue('must run at one fixed minute from 0 to 59 (AWS Backup runs at most hourly)');
  if (!/^(\*|\d{1,2}([-,/]\d{1,2})*)$/.test(hours) || hours.split(/[-,/]/).some((hour) => hour !== '*' && Number(hour) > 23)) {
    return issue(`has an hours field "${hours}" that is not 0 to 23, a list, a range or "*"`);
  }
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return issue('must have "?" in exactly one of day-of-month and day-of-week');
  const bad = fields.find((field) => !/^[0-9A-Za-z*?,/#L-]+$/.test(field));
  if (bad) return issue(`has a field "${bad}" with characters AWS cron does not accept`);
});

/**
 * The backup vault's lock: recovery points cannot be deleted before `minRetentionDays`, and no
 * plan can keep them beyond `maxRetentionDays`.
 */
const vaultLock = z
  .strictObject({
    /**
     * `governance`: the lock can still be removed by a principal allowed to
     * (`backup:DeleteBackupVaultLockConfiguration`). `compliance`: after `changeableForDays`
     * nobody, not even AWS, can remove it or shorten retention; the vault cannot be deleted
     * while it holds recovery points.
     * @default governance
     */
    mode: z.enum(['governance', 'compliance']).default('governance'),
    /** @default 7 */
    minRetentionDays: z.number().int().min(1).max(36500).default(7),
    /** @default 365 */
    maxRetentionDays: z.number().int().min(1).max(36500).default(365),
    /**
     * Compliance mode only, and required there: days the lock can still be removed after it
     * is deployed (at least 3), after which it is permanent.
     */
    changeableForDays: z.number().int().min(3).max(36500).optional(),
  })
  .prefault({})
  .superRefine((lock, ctx) => {
    if (lock.minRetentionDays > lock.maxRetentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxRetentionDays'],
        message: `must be at least minRetentionDays (${lock.minRetentionDays})`,
      });
    }
    if (lock.mode === 'compliance' && lock.changeableForDays === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['changeableForDays'],
        message: 'is required in compliance mode (at least 3): after that many days the lock can never be removed, so choose it on purpose',
      });
    }
    if (lock.mode === 'governance' && lock.changeableForDays !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['changeableForDays'], message: 'applies only to mode: compliance; remove it or set the mode' });
    }
  });

/** The automated restore test (design document, "Test disaster recovery quarterly"). */
const restoreTesting = z
  .strictObject({
    /**
     * When a recovery point of each protected database is restored (AWS cron, UTC).
     * @default "cron(0 5 1 1,4,7,10 ? *)" (05:00 UTC on the first day of each quarter)
     */
    schedule: awsCron.default('cron(0 5 1 1,4,7,10 ? *)'),
    /**
     * Hours the restored copy is kept for validation before AWS Backup deletes it.
     * @default 4
     */
    validationWindowHours: z.number().int().min(1).max(168).default(4),
  })
  .prefault({});

/** Backups of the stateful resources, their lock, the disaster-recovery copy and the restore test. */
export const backupSection = z
  .strictObject({
    /**
     * When the backup plan runs (AWS cron, UTC).
     * @default "cron(0 3 * * ? *)" (daily at 03:00 UTC)
     */
    schedule: awsCron.default('cron(0 3 * * ? *)'),
    /**
     * Days each recovery point (and its disaster-recovery copy) is kept; within the vault lock.
     * @default 35
     */
    retentionDays: z.number().int().min(1).max(36500).default(35),
    vaultLock,
    /**
     * A second region to copy every recovery point to, into a vault with its own key there.
     * @default - no copy outside the stage's region
     */
    disasterRecoveryRegion: awsRegion.optional(),
    restoreTesting,
  })
  .prefault({})
  .superRefine((backup, ctx) => {
    const { minRetentionDays, maxRetentionDays } = backup.vaultLock;
    if (backup.retentionDays < minRetentionDays || backup.retentionDays > maxRetentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['retentionDays'],
        message: `must be within the vault lock's retention, ${minRetentionDays} to ${maxRetentionDays} days; AWS Backup refuses a plan outside it`,
      });
    }
  });

/** Cross-section check: the disaster-recovery region must be another region than the stage's. */
export function checkDisasterRecoveryRegion(
  config: { aws: { region: string }; backup: { disasterRecoveryRegion?: string } },
  ctx: z.RefinementCtx,
): void {
  if (config.backup.disasterRecoveryRegion === config.aws.region) {
    ctx.addIssue({
      code: 'custom',
      path: ['backup', 'disasterRecoveryRegion'],
      message: `is the stage's own region (aws.region); a disaster-recovery copy must live in another region`,
    });
  }
}
