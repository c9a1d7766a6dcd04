import { z } from 'zod';
import { dnsLabel, httpMethod, requestPath } from './primitives';

/** The name a call edge uses for the edge gateway (Kong) as its caller. */
export const GATEWAY = 'gateway';

const service = z.strictObject({
  /** The service's name (its Kubernetes Service and workload). */
  name: dnsLabel.refine((name) => name !== GATEWAY, { error: `"${GATEWAY}" is reserved for the edge gateway` }),
  /**
   * The Kubernetes ServiceAccount the workload runs as: its mesh identity.
   * @default - the service's name
   */
  serviceAccount: dnsLabel.optional(),
  /** The port the service listens on. */
  port: z.number().int().min(1).max(65535),
  /**
   * The application protocol, used for Istio's explicit port naming.
   * @default http
   */
  protocol: z.enum(['http', 'http2', 'grpc', 'tcp']).default('http'),
});

const call = z.strictObject({
  /** The calling service's name, or "gateway" for requests arriving through the edge. */
  from: dnsLabel,
  /** The called service's name. */
  to: dnsLabel,
  /** The HTTP methods the caller may use. */
  methods: z.array(httpMethod).min(1),
  /** The paths the caller may request (Istio path matching). */
  paths: z.array(requestPath).min(1),
});

/**
 * Which workload may call which, with what methods and paths. The mesh's ALLOW policies,
 * NetworkPolicies and Sidecar egress are all generated from this one graph.
 */
export const serviceGraphSection = z
  .strictObject({
    /** The edge gateway's identity; the only caller allowed on public routes. */
    gateway: z
      .strictObject({
        /** @default kong */
        namespace: dnsLabel.default('kong'),
        /** @default kong-gateway */
        serviceAccount: dnsLabel.default('kong-gateway'),
      })
      .prefault({}),
    /** The mesh's workloads: each gets a ServiceAccount (its identity), a Service and its policies. */
    services: z.array(service).min(1),
    /**
     * The calls allowed, each from one caller to one service with its methods and paths;
     * every other call is denied.
     * @default [] - no service may call another
     */
    calls: z.array(call).default([]),
  })
  .superRefine((graph, ctx) => {
    const names = graph.services.map((s) => s.name);
    graph.services.forEach((s, index) => {
      if (names.indexOf(s.name) !== index) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', index, 'name'],
          message: `is already the name of services[${names.indexOf(s.name)}]; service names must be unique`,
        });
        return;
      }
      const account = s.serviceAccount ?? s.name;
      const firstWithAccount = graph.services.findIndex((other) => (other.serviceAccount ?? other.name) === account);
      if (firstWithAccount !== index) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', index, 'serviceAccount'],
          message: `"${account}" is already the identity of services[${firstWithAccount}]; two services sharing an identity cannot be told apart by the mesh`,
        });
      }
    });
    const known = `known services: ${[...new Set(names)].join(', ')}`;
    graph.calls.forEach((edge, index) => {
      if (edge.from !== GATEWAY && !names.includes(edge.from)) {
        ctx.addIssue({ code: 'custom', path: ['calls', index, 'from'], message: `names no service (${known}; or "${GATEWAY}")` });
      }
      if (!names.includes(edge.to)) {
        ctx.addIssue({ code: 'custom', path: ['calls', index, 'to'], message: `names no service (${known})` });
      }
      if (edge.from === edge.to) {
        ctx.addIssue({
          code: 'custom',
          path: ['calls', index, 'to'],
          message: 'is the caller itself; a service needs no policy to call itself',
        });
      }
    });
  });
