import { allObjects, type KubeObject, type SynthesizedStage } from './synthesized-stage';

/** One call the mesh allows: a caller's identity onto a service, with what it may send. */
export interface AllowedCall {
  /** The caller as people name it: a service of the graph, or `Kong (edge gateway)`. */
  readonly caller: string;
  /** The caller's SPIFFE principal, as the policy matches it. */
  readonly principal: string;
  /** The called service (the policy's workload selector). */
  readonly callee: string;
  readonly methods: readonly string[];
  readonly paths: readonly string[];
  readonly ports: readonly string[];
  /** The AuthorizationPolicy that allows it: `<namespace>/<name>`. */
  readonly policy: string;
}

/** A DENY policy: what the mesh refuses even when an ALLOW policy matches. */
export interface DeniedRequests {
  readonly policy: string;
  readonly callee: string;
  readonly rules: number;
}

/** The mesh's authorization, read from the rendered AuthorizationPolicies. */
export interface MeshAuthorization {
  /** Namespaces with an allow-nothing policy: there, whatever no ALLOW policy matches is denied. */
  readonly denyByDefault: readonly string[];
  readonly allowed: readonly AllowedCall[];
  readonly denied: readonly DeniedRequests[];
}

/** The label every mesh policy selects workloads by. */
const NAME_LABEL = 'app.kubernetes.io/name';

/** Reads the service-to-service authorization from a stage's rendered manifests. */
export function meshAuthorization(stage: SynthesizedStage): MeshAuthorization {
  const objects = allObjects(stage);
  const policies = objects.filter((object) => object.kind === 'AuthorizationPolicy');
  const callerOf = callerNames(stage, objects);
  const calleeOf = (policy: KubeObject) =>
    String(policy.spec?.selector?.matchLabels?.[NAME_LABEL] ?? `every workload of ${policy.metadata.namespace}`);
  const allowed = policies
    .filter((policy) => Object.keys(policy.spec ?? {}).length > 0 && (policy.spec.action ?? 'ALLOW') === 'ALLOW')
    .flatMap((policy) =>
      ((policy.spec.rules ?? []) as any[]).flatMap((rule) => {
        const operations = ((rule.to ?? []) as any[]).map((to) => to.operation ?? {});
        const principals = ((rule.from ?? []) as any[]).flatMap((from) => (from.source?.principals ?? []) as string[]);
        return (principals.length > 0 ? principals : ['any authenticated or unauthenticated peer']).map((principal) => ({
          caller: callerOf(principal),
          principal,
          callee: calleeOf(policy),
          methods: operations.flatMap((operation) => operation.methods ?? []),
          paths: operations.flatMap((operation) => operation.paths ?? []),
          ports: operations.flatMap((operation) => operation.ports ?? []),
          policy: `${policy.metadata.namespace}/${policy.metadata.name}`,
        }));
      }),
    );
  return {
    denyByDefault: policies
      .filter((policy) => Object.keys(policy.spec ?? {}).length === 0)
      .map((policy) => String(policy.metadata.namespace)),
    allowed,
    denied: policies
      .filter((policy) => policy.spec?.action === 'DENY')
      .map((policy) => ({
        policy: `${policy.metadata.namespace}/${policy.metadata.name}`,
        callee: calleeOf(policy),
        rules: (policy.spec.rules ?? []).length,
      })),
  };
}

/**
 * Names a principal `<trust domain>/ns/<namespace>/sa/<account>`: the service whose ServiceAccount it
 * is, or Kong when it is the account the Kong install runs as in the namespace of the ALB's Ingress.
 */
function callerNames(stage: SynthesizedStage, objects: readonly KubeObject[]): (principal: string) => string {
  const accounts = new Map(
    objects
      .filter((object) => object.kind === 'ServiceAccount' && object.metadata.labels?.[NAME_LABEL])
      .map((account) => [`${account.metadata.namespace}/${account.metadata.name}`, String(account.metadata.labels![NAME_LABEL])]),
  );
  const kongAccount = stage.helmValues.get('kong-values.yaml')?.deployment?.serviceAccount?.name as string | undefined;
  const kongNamespace = objects.find(
    (object) => object.kind === 'Ingress' && object.metadata.annotations?.['alb.ingress.kubernetes.io/listen-ports'],
  )?.metadata.namespace;
  return (principal) => {
    const match = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
    if (!match) return principal;
    const [, namespace, account] = match;
    if (account === kongAccount && namespace === kongNamespace) return 'Kong (edge gateway)';
    return accounts.get(`${namespace}/${account}`) ?? `${namespace}/${account}`;
  };
}
