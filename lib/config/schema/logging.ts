import { z } from 'zod';
import { logRetentionDays } from './primitives';

/** The shortest retention the compliance rule packs accept for audit logs. */
export const MIN_AUDIT_RETENTION_DAYS = 365;

/** Log retention for every log group the project creates. */
export const loggingSection = z
  .strictObject({
    /**
     * Days CloudWatch Logs keeps operational and audit logs.
     * @default 365 (the shortest the compliance packs accept)
     */
    retentionDays: logRetentionDays(MIN_AUDIT_RETENTION_DAYS, 'NIST 800-53, PCI DSS and HIPAA keep audit logs for a year').default(
      MIN_AUDIT_RETENTION_DAYS,
    ),
    /**
     * Whether every log group refuses deletion (CloudWatch Logs deletion protection) until it is
     * turned off on purpose: audit evidence outlives a mistaken `DeleteLogGroup` or stack deletion.
     * @default true
     */
    deletionProtection: z.boolean().default(true),
  })
  .prefault({});
