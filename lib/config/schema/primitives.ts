import { CronExpressionParser } from 'cron-parser';
import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** A DNS-1123 label: what Kubernetes accepts as a namespace or object name. */
export const dnsLabel = z
  .string()
  .max(63, { error: 'must be at most 63 characters (DNS-1123 label)' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  });

/** A 12-digit AWS account id; YAML numbers are refused because they lose leading zeros. */
export const awsAccount = z
  .string({ error: 'must be a quoted string of 12 digits (an unquoted number loses leading zeros)' })
  .regex(/^\d{12}$/, { error: 'must be exactly 12 digits' });

/** An AWS region code such as `eu-central-1`. */
export const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, { error: 'must be an AWS region code such as eu-central-1' });

/** An availability zone name such as `eu-central-1a`. */
export const availabilityZone = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d[a-z]$/, { error: 'must be an availability zone name such as eu-central-1a' });

/**
 * An IPv4 or IPv6 CIDR block in canonical form (the address is the network address).
 *
 * `10.0.0.1/16` is refused rather than silently widened: the author meant one of two
 * different things and only they know which.
 */
export const cidr = z.string().superRefine((value, ctx) => {
  if (!ipaddr.isValidCIDR(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a CIDR block such as 203.0.113.0/24 or 2001:db8::/32' });
    return;
  }
  const [address, prefix] = ipaddr.parseCIDR(value);
  const network = networkAddress(address, prefix);
  if (network !== address.toString()) {
    ctx.addIssue({
      code: 'custom',
      message: `host bits are set; the network address of this block is ${network}/${prefix}`,
    });
  }
});

function networkAddress(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): string {
  const bytes = address.toByteArray();
  for (let bit = prefix; bit < bytes.length * 8; bit++) {
    bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** An e-mail address for alert subscriptions. */
export const email = z.email({ error: 'must be an e-mail address' });

/**
 * A Kubernetes CronJob schedule: five fields or a macro such as `@daily`.
 * Kubernetes rejects `TZ=`/`CRON_TZ=` prefixes (the CronJob has a `timeZone` field instead)
 * and six-field (seconds) expressions, so both are refused here too.
 */
export const cronSchedule = z.string().superRefine((value, ctx) => {
  const macros = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
  if (macros.includes(value)) return;
  if (/^\s*(CRON_)?TZ=/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'must not carry a time zone prefix; CronJobs run in UTC unless timeZone is set' });
    return;
  }
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 5) {
    ctx.addIssue({
      code: 'custom',
      message: `must have 5 fields (minute hour day-of-month month day-of-week) or be one of ${macros.join(', ')}; found ${fields.length}`,
    });
    return;
  }
  try {
    CronExpressionParser.parse(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is not a valid cron expression: ${(error as Error).message}` });
  }
});

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * A CloudWatch Logs retention period of at least `minimumDays`; any period the service
 * does not offer is rejected by it at deploy time, so it is rejected here first.
 */
export function logRetentionDays(minimumDays: number, reason: string) {
  const allowed = LOG_RETENTION_DAYS.filter((days) => days >= minimumDays);
  return z
    .number()
    .int()
    .refine((days) => (allowed as number[]).includes(days), {
      error: `must be one of the retention periods CloudWatch Logs accepts from ${minimumDays} days (${reason}): ${allowed.join(', ')}`,
    });
}

/** An HTTP method as Istio and Kong match it. */
export const httpMethod = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * A request path as Istio's AuthorizationPolicy matches it: exact, a prefix ending in `/*`,
 * or a suffix starting with `*`. Other wildcards are not supported by Istio.
 */
export const requestPath = z.string().regex(/^(\/[A-Za-z0-9._~!$&'()+,;=:@%/-]*(\/\*)?|\*[A-Za-z0-9._~!$&'()+,;=:@%/-]+)$/, {
  error: 'must be an absolute path ("/systems"), a prefix ending in "/*" ("/systems/*") or a suffix starting with "*"',
});
