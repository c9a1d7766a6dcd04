import { z } from 'zod';
import { dnsLabel } from './primitives';

/** The shortest Object Lock retention accepted: NIST 800-53, PCI DSS and HIPAA keep audit logs a year. */
export const MIN_OBJECT_LOCK_DAYS = 365;

/** Thresholds of the security alarms, each counted over 5 minutes. */
const alarmThresholds = z
  .strictObject({
    /**
     * Failed authentications (HTTP 401 at the gateway) from one client IP in 5 minutes above
     * which the alarm fires.
     * @default 5 (design document, "Security Events": failed auth attempts > 5)
     */
    failedAuthenticationsPerClientIp: z.number().int().min(1).default(5),
    /**
     * Authorization failures (HTTP 403 at the gateway) in 5 minutes above which the alarm fires.
     * @default 20
     */
    authorizationFailures: z.number().int().min(1).default(20),
    /**
     * AWS API calls refused with AccessDenied or UnauthorizedOperation in 5 minutes above which
     * the alarm fires.
     * @default 10
     */
    awsAccessDenied: z.number().int().min(1).default(10),
    /**
     * Requests the web ACL blocks in 5 minutes above which the alarm fires.
     * @default 500
     */
    blockedRequests: z.number().int().min(1).default(500),
  })
  .prefault({});

/**
 * Detection and vulnerability management. Each service exists once per account and region:
 * switch one off when the organization already runs it (a second detector or recorder fails
 * to deploy).
 */
const detection = z
  .strictObject({
    /** A GuardDuty detector with S3, EKS, RDS, malware and runtime protection. @default true */
    guardDuty: z.boolean().default(true),
    /** Security Hub with the AWS Foundational Security Best Practices and CIS standards. @default true */
    securityHub: z.boolean().default(true),
    /** An AWS Config recorder with managed rules matching this project's controls. @default true */
    awsConfig: z.boolean().default(true),
    /**
     * ECR repositories for the project's images (scan on push, immutable tags, KMS), named
     * `<project>/<stage>/<name>`.
     * @default ["rotation-tool"] (the image the rotation CronJobs run, `rotationJobs.image`)
     */
    imageRepositories: z.array(dnsLabel).default(['rotation-tool']),
  })
  .prefault({})
  .superRefine((settings, ctx) => {
    settings.imageRepositories.forEach((name, index) => {
      if (settings.imageRepositories.indexOf(name) !== index) {
        ctx.addIssue({ code: 'custom', path: ['imageRepositories', index], message: 'is listed twice' });
      }
    });
  });

/** The audit trail's archive, the security alarms and detection (design document, "Audit Logging"). */
export const auditSection = z
  .strictObject({
    /**
     * Days each audit log object is locked in compliance mode: nobody, not even the root user,
     * can delete or overwrite it before then.
     * @default 365
     */
    objectLockDays: z
      .number()
      .int()
      .min(MIN_OBJECT_LOCK_DAYS, {
        error: `must be at least ${MIN_OBJECT_LOCK_DAYS} days (NIST 800-53, PCI DSS and HIPAA keep audit logs for a year)`,
      })
      .max(36500)
      .default(MIN_OBJECT_LOCK_DAYS),
    /**
     * Days after which audit and access logs move to S3 Glacier Instant Retrieval (cheaper,
     * still readable in milliseconds during an incident).
     * @default 90
     */
    archiveAfterDays: z.number().int().min(1).max(36500).default(90),
    /**
     * Days after which audit log objects are deleted; at least `objectLockDays`.
     * @default - kept until deleted on purpose
     */
    expireAfterDays: z.number().int().max(36500).optional(),
    alarmThresholds,
    detection,
  })
  .prefault({})
  .superRefine((audit, ctx) => {
    if (audit.expireAfterDays !== undefined && audit.expireAfterDays < audit.objectLockDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['expireAfterDays'],
        message: `must be at least objectLockDays (${audit.objectLockDays}); a locked object cannot expire before its lock ends`,
      });
    }
    if (audit.expireAfterDays !== undefined && audit.expireAfterDays <= audit.archiveAfterDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['archiveAfterDays'],
        message: `must be less than expireAfterDays (${audit.expireAfterDays}); objects would expire before they are archived`,
      });
    }
  });
