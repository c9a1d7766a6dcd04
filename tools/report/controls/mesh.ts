import { DESIGN } from '../design-document';
import { objectEvidence, type ControlDefinition } from './control';

/** mTLS modes, and what is denied unless allowed: the mesh, the network, the proxies, the edge routes. */
export const MESH_CONTROLS: readonly ControlDefinition[] = [
  {
    id: 'mtls.mode',
    area: 'mTLS',
    control: 'Mutual TLS between workloads',
    expectation: 'PeerAuthentication STRICT mesh-wide and in the application namespace; any port-level exception is listed',
    designSection: DESIGN.mtls,
    evaluate: (context) =>
      context.kind('PeerAuthentication').flatMap((policy) => {
        const mode = String(policy.spec?.mtls?.mode ?? 'UNSET');
        const scope = policy.spec?.selector ? `workloads ${JSON.stringify(policy.spec.selector.matchLabels)}` : 'whole namespace';
        const exceptions = Object.entries((policy.spec?.portLevelMtls ?? {}) as Record<string, { mode: string }>).map(([port, setting]) =>
          objectEvidence(
            policy,
            `port ${port}: ${setting.mode}${policy.metadata.annotations?.['hydraulic.io/reason'] ? ` (${policy.metadata.annotations['hydraulic.io/reason']})` : ''}`,
            'informational',
          ),
        );
        return [objectEvidence(policy, `${mode} (${scope})`, mode === 'STRICT' ? 'met' : 'not met'), ...exceptions];
      }),
  },
  {
    id: 'authorization.mesh-default',
    area: 'Authorization default',
    control: 'The mesh denies every request no policy allows',
    expectation: 'an allow-nothing AuthorizationPolicy in the application namespace; ALLOW policies match principals positively',
    designSection: DESIGN.defenseMesh,
    evaluate: (context) =>
      context.kind('AuthorizationPolicy').map((policy) => {
        const spec = policy.spec ?? {};
        if (Object.keys(spec).length === 0) return objectEvidence(policy, 'allow-nothing (empty spec: denies every request)', 'met');
        const rules = (spec.rules ?? []) as any[];
        const negative = rules.some((rule) =>
          (rule.from ?? []).some((from: any) => Object.keys(from.source ?? {}).some((key) => key.startsWith('not'))),
        );
        const action = String(spec.action ?? 'ALLOW');
        const status = action === 'ALLOW' && negative ? 'not met' : 'met';
        return objectEvidence(policy, `${action}, ${rules.length} rule(s)${negative ? ', with a negative match' : ''}`, status);
      }),
  },
  {
    id: 'authorization.network-default',
    area: 'Authorization default',
    control: 'NetworkPolicies deny all ingress and egress by default beneath the mesh',
    expectation: 'a NetworkPolicy selecting every pod for Ingress and Egress with no rules',
    designSection: DESIGN.leastPrivilege,
    evaluate: (context) =>
      context
        .kind('NetworkPolicy')
        .filter((policy) => Object.keys(policy.spec?.podSelector ?? {}).length === 0 && !policy.spec?.ingress && !policy.spec?.egress)
        .map((policy) =>
          objectEvidence(
            policy,
            `default deny: ${(policy.spec?.policyTypes ?? []).join(', ')}`,
            (policy.spec?.policyTypes ?? []).length === 2 ? 'met' : 'not met',
          ),
        ),
  },
  {
    id: 'authorization.proxy-egress',
    area: 'Authorization default',
    control: 'Each proxy knows only its callees: outbound traffic to unknown hosts is refused',
    expectation: 'Sidecar resources with outboundTrafficPolicy REGISTRY_ONLY',
    designSection: DESIGN.leastPrivilege,
    evaluate: (context) =>
      context.kind('Sidecar').map((sidecar) => {
        const hosts = ((sidecar.spec?.egress ?? []) as any[]).flatMap((egress) => egress.hosts ?? []);
        const mode = String(sidecar.spec?.outboundTrafficPolicy?.mode ?? 'ALLOW_ANY');
        return objectEvidence(sidecar, `${mode}; hosts ${hosts.join(', ')}`, mode === 'REGISTRY_ONLY' ? 'met' : 'not met');
      }),
  },
  {
    id: 'authorization.edge-routes',
    area: 'Authorization default',
    control: 'Every Kong route needs a valid token and its permission, unless declared public',
    expectation: 'the jwt and an acl plugin on every route not annotated public',
    designSection: DESIGN.leastPrivilege,
    evaluate: (context) => {
      const plugins = new Map([
        ...context.kind('KongClusterPlugin').map((plugin) => [plugin.metadata.name, plugin] as const),
        ...context.kind('KongPlugin').map((plugin) => [`${plugin.metadata.namespace}/${plugin.metadata.name}`, plugin] as const),
      ]);
      const plugin = (namespace: string | undefined, name: string) => plugins.get(`${namespace}/${name}`) ?? plugins.get(name);
      return context
        .kind('Ingress')
        .filter((ingress) => ingress.spec?.ingressClassName === 'kong')
        .map((ingress) => {
          const names = (ingress.metadata.annotations?.['konghq.com/plugins'] ?? '').split(',').filter(Boolean);
          const attached = names.map((name: string) => plugin(ingress.metadata.namespace, name)?.plugin ?? `${name} (no such plugin)`);
          const acl = names.map((name: string) => plugin(ingress.metadata.namespace, name)).find((found) => found?.plugin === 'acl');
          const paths = ((ingress.spec?.rules ?? []) as any[]).flatMap((rule) => (rule.http?.paths ?? []).map((p: any) => p.path));
          const methods = ingress.metadata.annotations?.['konghq.com/methods'] ?? 'any';
          if (names.length === 0) return objectEvidence(ingress, `${methods} ${paths.join(', ')}: public (no token)`, 'informational');
          const value = `${methods} ${paths.join(', ')}: ${attached.join(', ')}${acl ? ` (${(acl.config?.allow ?? []).join(', ')})` : ''}`;
          return objectEvidence(ingress, value, attached.includes('jwt') && acl ? 'met' : 'not met');
        });
    },
  },
];
