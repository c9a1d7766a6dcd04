import { z } from 'zod';
import { cidr, dnsLabel, httpMethod } from './primitives';

/**
 * A permission as the application checks it (`systems:write`): a resource and an action. It is
 * also the name of the Kong ACL group that grants it, so a route's ACL reads as its permission.
 */
export const permission = z.string().regex(/^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/, {
  error: 'must be a permission such as "systems:write" (lower-case resource, ":", lower-case action)',
});

/**
 * A path Kong routes on: an exact path (`/systems`) or a prefix ending in `/*` (`/systems/*`),
 * the same forms the service graph uses. Istio's suffix form (`*.json`) has no Kong equivalent.
 */
export const gatewayPath = z.string().regex(/^\/[A-Za-z0-9._~!$&'()+,;=:@%/-]*(\/\*)?$/, {
  error: 'must be an exact path ("/systems") or a prefix ending in "/*" ("/systems/*"); Kong cannot route on suffixes',
});

/** TLS 1.3 security policies of Application Load Balancers that refuse TLS 1.0 and 1.1. */
export const TLS13_SSL_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
] as const;

const certificateArn = z.string().regex(/^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
  error: 'must be an ACM certificate ARN such as arn:aws:acm:eu-central-1:111111111111:certificate/<uuid>',
});

const hostname = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'must be a lower-case DNS name such as api.hydraulic-diagnostics.com',
  });

/** The Application Load Balancer in front of Kong. */
const edge = z.strictObject({
  /**
   * `internet-facing` needs public subnets; `internal` serves clients inside the VPC or its peers.
   */
  scheme: z.enum(['internet-facing', 'internal']),
  /** The ACM certificate of `hostname`, in the stage's account and region (ALBs use regional certificates). */
  certificateArn,
  /**
   * The TLS security policy of the HTTPS listener.
   * @default ELBSecurityPolicy-TLS13-1-2-Res-2021-06 (TLS 1.3, and TLS 1.2 with forward-secret AEAD ciphers only)
   */
  sslPolicy: z.enum(TLS13_SSL_POLICIES).default('ELBSecurityPolicy-TLS13-1-2-Res-2021-06'),
  /** The source blocks allowed to reach the listener (the ALB's security group). */
  inboundCidrs: z.array(cidr).min(1, { error: 'must list at least one source block' }),
});

/** A named set of permissions; consumers are members of groups. */
const group = z.strictObject({
  /** The group's name. */
  name: dnsLabel,
  /** The permissions the group grants. */
  permissions: z.array(permission).min(1),
});

/**
 * A Kong consumer: one per tenant (so Kong's per-consumer rate limit is the design document's
 * per-tenant limit), or a named principal such as an operator account with its own IP allow-list.
 */
const consumer = z.strictObject({
  /** The Kong consumer username; also the first part of the `kid` its tokens carry. */
  name: dnsLabel.max(40, { error: 'must be at most 40 characters, so the names of its credential Secrets stay DNS labels' }),
  /** The groups whose permissions the consumer holds. */
  groups: z.array(dnsLabel).min(1),
});

/** One Kong route: methods and paths to one service of the service graph. */
const route = z.strictObject({
  /** The route's name (its Ingress). */
  name: dnsLabel,
  /** The service of `serviceGraph.services` the route leads to. */
  service: dnsLabel,
  /** The methods the route matches. */
  methods: z.array(httpMethod).min(1),
  /** The paths the route matches. */
  paths: z.array(gatewayPath).min(1),
  /**
   * The permission a consumer needs. Every route names one, or is public.
   * @default - none; then `public` must be true
   */
  permission: permission.optional(),
  /**
   * Whether the route is reachable without a token (sign-in). Public routes get no JWT or ACL check.
   * @default false
   */
  public: z.boolean().default(false),
});

/** The API gateway (Kong) and the edge in front of it. */
export const gatewaySection = z.strictObject({
  /** The public name of the API; the ALB and Kong route only this host. */
  hostname,
  edge,
  /**
   * The largest request body Kong accepts, in megabytes.
   * @default 8
   */
  maxRequestBodyMegabytes: z.number().int().min(1).max(128).default(8),
  /** Named sets of permissions (RBAC roles), granted to consumers. */
  groups: z.array(group).min(1),
  /** The Kong consumers: one per tenant, or an operator account. */
  consumers: z.array(consumer).min(1),
  /** The routes Kong serves; nothing else reaches the services through the edge. */
  routes: z.array(route).min(1),
});

/** The gateway's configuration as validated. */
export type GatewayConfig = z.output<typeof gatewaySection>;

/** The exact method and path the design document limits per IP ("Application-Level Rate Limiting"). */
export const DIAGNOSIS_ROUTE = { method: 'POST', path: '/diagnosis' } as const;
