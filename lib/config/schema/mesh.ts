import { z } from 'zod';
import { dnsLabel, requestPath } from './primitives';

/**
 * An HTTP header name as Envoy sees it (lower case). The credential headers are refused: they
 * must never reach an access log.
 */
const headerName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be a lower-case HTTP header name such as x-user-id' })
  .refine((name) => !['authorization', 'cookie', 'proxy-authorization', 'set-cookie'].includes(name), {
    error: 'names a credential header, which must never be written to the audit log',
  });

/** A port of one workload that accepts plain text next to mTLS, with the reason it must. */
const permissivePort = z.strictObject({
  /** The service (from serviceGraph.services) whose workload gets the exception. */
  service: dnsLabel,
  /** The container port that accepts plain text; every other port stays STRICT. */
  port: z.number().int().min(1).max(65535),
  /** Why this port cannot use mTLS; shown on the rendered policy for reviewers. */
  reason: z.string().trim().min(20, { error: 'must say in at least 20 characters why this port cannot use mTLS' }),
});

/** Routes of one service reachable without an end-user token (login, health checks). */
const publicPaths = z.strictObject({
  /** The service (from serviceGraph.services). */
  service: dnsLabel,
  /** Paths (Istio path matching) that need no request principal. */
  paths: z.array(requestPath).min(1),
});

/**
 * End-user JWT validation inside the mesh, on top of the edge's. Needs an issuer that signs with
 * an asymmetric key and publishes a JWKS; the edge's HS256 keys cannot be checked this way.
 */
const requestAuthentication = z.strictObject({
  /** The `iss` claim tokens must carry. */
  issuer: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^\s*]+$/, { error: 'must be the exact issuer: no spaces, no "*"' }),
  /** Where istiod fetches the issuer's public keys (https only). */
  jwksUri: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  /** The `aud` values accepted; a token minted for another audience is refused. */
  audiences: z.array(z.string().min(1)).min(1, { error: 'must list at least one audience: a token for any audience is a token for us' }),
  /**
   * Routes that need no end-user token. Every other route of every service requires one.
   * @default - none
   */
  publicPaths: z.array(publicPaths).default([]),
});

/** The headers the edge gateway sets after validating a token, written to the audit log. */
const auditHeaders = z
  .strictObject({
    /** @default x-user-id (the token's `sub`) */
    user: headerName.default('x-user-id'),
    /** @default x-tenant-id (the token's `tenant_id`) */
    tenant: headerName.default('x-tenant-id'),
    /** @default x-device-fingerprint (the token's `device_fingerprint`) */
    device: headerName.default('x-device-fingerprint'),
  })
  .prefault({});

/** Istio mesh settings beyond what the service graph says. */
export const meshSection = z
  .strictObject({
    /**
     * The mesh's SPIFFE trust domain; principals are `<trustDomain>/ns/<namespace>/sa/<account>`.
     * @default cluster.local (Istio's default)
     */
    trustDomain: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: 'must be a DNS name such as cluster.local' })
      .default('cluster.local'),
    /**
     * How istiod normalizes request paths before authorization policies match them.
     * `NONE` is not offered: `/systems//x` or `/systems/%2E%2E/x` would slip past path rules.
     * @default DECODE_AND_MERGE_SLASHES (the services are Python ASGI apps, which decode %2F)
     */
    pathNormalization: z
      .enum(['BASE', 'MERGE_SLASHES', 'DECODE_AND_MERGE_SLASHES'], {
        error: 'must be BASE, MERGE_SLASHES or DECODE_AND_MERGE_SLASHES (NONE would let "//" and "%2F" slip past path rules)',
      })
      .default('DECODE_AND_MERGE_SLASHES'),
    /**
     * Lifetime of a workload's mesh certificate, in hours; istiod refuses to sign longer ones.
     * @default 24 (Istio's default)
     */
    workloadCertTtlHours: z.number().int().min(1).max(24).default(24),
    /**
     * Lifetime of the mesh's self-signed root CA, in days. Renewing the root is a planned
     * procedure (see docs/service-mesh.md), unlike the intermediate, which cert-manager renews by itself.
     * @default 3650
     */
    rootCaDays: z.number().int().min(365).max(3650).default(3650),
    /**
     * Ports allowed to accept plain text next to mTLS. Each needs a reason.
     * @default - none: STRICT everywhere
     */
    permissivePorts: z.array(permissivePort).default([]),
    /**
     * Validate end-user JWTs in the mesh too (defense in depth).
     * @default - off: the edge validates the HS256 tokens
     */
    requestAuthentication: requestAuthentication.optional(),
    auditHeaders,
  })
  .prefault({});

/** The part of a stage's configuration the mesh checks refer to. */
interface MeshReferences {
  readonly mesh: z.output<typeof meshSection>;
  readonly serviceGraph: { readonly services: readonly { readonly name: string }[] };
}

/** Checks that every service the mesh section names is a service of the graph. */
export function checkMeshReferences(config: MeshReferences, ctx: z.RefinementCtx): void {
  const names = config.serviceGraph.services.map((service) => service.name);
  const unknown = (service: string) => !names.includes(service);
  const known = `known services: ${names.join(', ')}`;
  config.mesh.permissivePorts.forEach((entry, index) => {
    if (unknown(entry.service)) {
      ctx.addIssue({ code: 'custom', path: ['mesh', 'permissivePorts', index, 'service'], message: `names no service (${known})` });
    }
    const first = config.mesh.permissivePorts.findIndex((other) => other.service === entry.service && other.port === entry.port);
    if (first !== index) {
      ctx.addIssue({
        code: 'custom',
        path: ['mesh', 'permissivePorts', index, 'port'],
        message: `repeats permissivePorts[${first}] (${entry.service} port ${entry.port}); merge the two entries`,
      });
    }
  });
  config.mesh.requestAuthentication?.publicPaths.forEach((entry, index) => {
    if (unknown(entry.service)) {
      ctx.addIssue({
        code: 'custom',
        path: ['mesh', 'requestAuthentication', 'publicPaths', index, 'service'],
        message: `names no service (${known})`,
      });
    }
  });
}
