import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { cidr } from './primitives';

/** The evaluation windows a WAF rate-based rule offers, in seconds. */
export const WAF_RATE_WINDOWS = [60, 120, 300, 600] as const;

/** WAF counts no fewer than this many requests per window in a rate-based rule. */
export const WAF_MIN_RATE_LIMIT = 10;

/** The most addresses one WAF IP set holds. */
const WAF_MAX_IP_SET_SIZE = 10000;

/**
 * What an AWS managed rule group does with a request it matches: `block` it, or only `count`
 * it (and label it) while a new group is tuned against real traffic.
 */
const ruleGroupMode = z.enum(['block', 'count']);

/** The AWS managed rule groups of the web ACL, each in block or count mode. */
const managedRuleGroups = z
  .strictObject({
    /** Core rule set (cross-site scripting, file inclusion, oversized requests, bad bots). @default block */
    common: ruleGroupMode.default('block'),
    /** Known bad inputs (Log4Shell, Java deserialization, exploitable paths). @default block */
    knownBadInputs: ruleGroupMode.default('block'),
    /** SQL injection in the query, body, cookies and path. @default block */
    sqlInjection: ruleGroupMode.default('block'),
    /** Amazon's IP reputation list (bots, scanners, known attackers). @default block */
    ipReputation: ruleGroupMode.default('block'),
    /** Anonymizing sources: VPNs, Tor exit nodes, hosting providers. @default block */
    anonymousIp: ruleGroupMode.default('block'),
  })
  .prefault({});

/**
 * A request path on which the core rule set's body-size rule (bodies over 8 KB) does not
 * block: exact (`/diagnosis`) or a prefix ending in `/*` (`/uploads/*`). The root and a bare
 * `/*` are refused: they would lift the limit everywhere.
 */
const largeBodyPath = z.string().regex(/^(\/[A-Za-z0-9._~!$&'()+,;=:@%-]+)+(\/\*)?$/, {
  error:
    'must be an absolute path such as "/diagnosis" or a prefix such as "/uploads/*" (not "/" or "/*", which would lift the limit everywhere)',
});

/** A CIDR list for a WAF IP set: at most 10,000 blocks, none of them /0. */
const ipSetBlocks = z
  .array(
    cidr.refine((block) => !ipaddr.isValidCIDR(block) || ipaddr.parseCIDR(block)[1] > 0, {
      error: 'must not be a /0 block: WAF IP sets refuse it, and it would match every address',
    }),
  )
  .max(WAF_MAX_IP_SET_SIZE)
  .default([]);

/** Source addresses the edge refuses, or the only ones it accepts. */
const sourceIps = z
  .strictObject({
    /**
     * When not empty, the edge accepts requests only from these blocks (for a stage that must
     * not be public). Per-user allow-lists are Kong's (`ipAllowLists`), not this.
     * @default [] - every source may connect
     */
    allowOnly: ipSetBlocks,
    /**
     * Blocks refused at the edge before any other rule.
     * @default []
     */
    deny: ipSetBlocks,
  })
  .prefault({})
  .superRefine((lists, ctx) => {
    lists.deny.forEach((block, index) => {
      if (lists.allowOnly.includes(block)) {
        ctx.addIssue({ code: 'custom', path: ['deny', index], message: `is also in allowOnly; a block cannot be both allowed and denied` });
      }
    });
  });

/** The per-IP limit over every request that reaches the edge. */
const globalRateLimit = z
  .strictObject({
    /**
     * Requests one client IP may send per window before WAF blocks it (HTTP 429).
     * The default, 6000 per 5 minutes, sits above the per-tenant limit Kong enforces (1000 a
     * minute), so WAF only stops floods and Kong stays the limit tenants meet.
     * @default 6000
     */
    requestsPerIp: z
      .number()
      .int()
      .min(WAF_MIN_RATE_LIMIT, { error: `must be at least ${WAF_MIN_RATE_LIMIT} (the smallest limit a WAF rate-based rule accepts)` })
      .max(2_000_000_000)
      .default(6000),
    /**
     * The window the requests are counted over, in seconds.
     * @default 300
     */
    windowSeconds: z
      .number()
      .refine((seconds) => (WAF_RATE_WINDOWS as readonly number[]).includes(seconds), {
        error: `must be one of the evaluation windows WAF offers: ${WAF_RATE_WINDOWS.join(', ')} seconds`,
      })
      .default(300),
  })
  .prefault({});

/**
 * The WAF web ACL in front of the ALB (design document, "Defense in Depth": network layer).
 * The POST /diagnosis limit comes from `rateLimits.diagnosisPerIp`.
 */
export const edgeSection = z
  .strictObject({
    managedRuleGroups,
    /**
     * Paths where request bodies over 8 KB are allowed (the core rule set blocks them
     * everywhere else). Only list an endpoint that really takes large bodies.
     * @default [] - the body-size rule blocks on every path
     */
    largeBodyPaths: z.array(largeBodyPath).max(10).default([]),
    globalRateLimit,
    sourceIps,
    /**
     * Whether to put the ALB under AWS Shield Advanced. Needs an account-wide Shield Advanced
     * subscription first (USD 3,000 a month with a one-year commitment, plus data transfer
     * fees); see docs/edge-and-audit.md.
     * @default false
     */
    shieldAdvanced: z.boolean().default(false),
  })
  .prefault({})
  .superRefine((edge, ctx) => {
    edge.largeBodyPaths.forEach((path, index) => {
      if (edge.largeBodyPaths.indexOf(path) !== index) {
        ctx.addIssue({ code: 'custom', path: ['largeBodyPaths', index], message: 'is listed twice' });
      }
    });
    if (edge.largeBodyPaths.length > 0 && edge.managedRuleGroups.common === 'count') {
      ctx.addIssue({
        code: 'custom',
        path: ['largeBodyPaths'],
        message:
          'has no effect while managedRuleGroups.common is in count mode (nothing is blocked for size anywhere); remove it or set common: block',
      });
    }
  });
