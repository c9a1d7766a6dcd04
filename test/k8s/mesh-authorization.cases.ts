import type { StageConfig } from '../../lib/config';
import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObjects, type RenderedObject } from '../harness/k8s-schemas';

const GATEWAY_PRINCIPAL = 'cluster.local/ns/kong/sa/kong-gateway';
const principal = (serviceAccount: string) => `cluster.local/ns/hydraulic-prod/sa/${serviceAccount}`;

/** Every principal an ALLOW policy admits, sorted. */
function principalsOf(policy: RenderedObject): string[] {
  const rules = ((policy.spec as any).rules ?? []) as any[];
  return [...new Set(rules.flatMap((rule) => rule.from.flatMap((from: any) => from.source.principals)))].sort();
}

function withCalls(config: StageConfig, calls: StageConfig['serviceGraph']['calls']): StageConfig {
  return { ...config, serviceGraph: { ...config.serviceGraph, calls } };
}

describe.each(['dev', 'prod'])('the %s authorization chart', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'mesh-authorization');

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('allow-nothing denies every request in the namespace that no ALLOW policy admits', () => {
    const allowNothing = objectNamed(objects, 'AuthorizationPolicy', 'allow-nothing');
    expect(allowNothing.metadata?.namespace).toBe(config.kubernetes.namespace);
    expect(allowNothing.spec).toEqual({});
  });

  test('each service admits exactly the identities the graph lets call it', () => {
    expect(principalsOf(objectNamed(objects, 'AuthorizationPolicy', 'allow-backend-api'))).toEqual([GATEWAY_PRINCIPAL]);
    expect(principalsOf(objectNamed(objects, 'AuthorizationPolicy', 'allow-diagnosis'))).toEqual([
      principal('backend-api'),
      GATEWAY_PRINCIPAL,
    ]);
    expect(principalsOf(objectNamed(objects, 'AuthorizationPolicy', 'allow-gnn-service'))).toEqual([principal('diagnosis')]);
  });

  test('each rule pairs one caller with its own methods, paths and the service port', () => {
    const diagnosis = objectNamed(objects, 'AuthorizationPolicy', 'allow-diagnosis');
    expect(diagnosis.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'diagnosis' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: [GATEWAY_PRINCIPAL] } }],
          to: [{ operation: { methods: ['POST'], paths: ['/diagnosis'], ports: ['8080'] } }],
        },
        {
          from: [{ source: { principals: [principal('backend-api')] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/diagnosis/*'], ports: ['8080'] } }],
        },
      ],
    });
  });

  test('only positive matches are used: no notPrincipals, notPaths, notMethods or the like', () => {
    expect(JSON.stringify(objects)).not.toMatch(/"not[A-Z]/);
  });

  test('every policy is ALLOW (the only deny is allow-nothing’s absence of rules)', () => {
    const actions = objects.map((object) => (object.spec as any).action).filter(Boolean);
    expect(new Set(actions)).toEqual(new Set(['ALLOW']));
  });

  test('public routes (the gateway’s calls) admit the gateway’s identity and no other', () => {
    for (const policy of objects) {
      for (const rule of ((policy.spec as any).rules ?? []) as any[]) {
        const principals = rule.from.flatMap((from: any) => from.source.principals);
        if (principals.includes(GATEWAY_PRINCIPAL)) expect(principals).toEqual([GATEWAY_PRINCIPAL]);
      }
    }
  });
});

describe('the policies follow the graph', () => {
  const config = stageConfig('dev');

  test('a new edge adds its caller’s principal, and only on the service it calls', () => {
    const objects = chartObjects(
      withCalls(config, [
        ...config.serviceGraph.calls,
        { from: 'backend-api', to: 'gnn-service', methods: ['POST'], paths: ['/gnn.v1.Health/*'] },
      ]),
      'mesh-authorization',
    );
    expect(principalsOf(objectNamed(objects, 'AuthorizationPolicy', 'allow-gnn-service'))).toEqual([
      principal('backend-api'),
      principal('diagnosis'),
    ]);
    expect(principalsOf(objectNamed(objects, 'AuthorizationPolicy', 'allow-backend-api'))).toEqual([GATEWAY_PRINCIPAL]);
  });

  test('a removed edge takes its principal away; a service nobody calls gets no ALLOW policy at all', () => {
    const objects = chartObjects(
      withCalls(
        config,
        config.serviceGraph.calls.filter((call) => call.from !== 'backend-api' && call.to !== 'gnn-service'),
      ),
      'mesh-authorization',
    );
    expect(principalsOf(objectNamed(objects, 'AuthorizationPolicy', 'allow-diagnosis'))).toEqual([GATEWAY_PRINCIPAL]);
    expect(objects.map((object) => object.metadata?.name)).not.toContain('allow-gnn-service');
  });

  test('a service’s own ServiceAccount, not its name, is its identity', () => {
    const renamed: StageConfig = {
      ...config,
      serviceGraph: {
        ...config.serviceGraph,
        services: config.serviceGraph.services.map((s) => (s.name === 'diagnosis' ? { ...s, serviceAccount: 'diagnosis-runner' } : s)),
      },
    };
    const objects = chartObjects(renamed, 'mesh-authorization');
    expect(principalsOf(objectNamed(objects, 'AuthorizationPolicy', 'allow-gnn-service'))).toEqual([principal('diagnosis-runner')]);
  });

  test('a TCP service is authorized by identity and port only (Istio cannot see methods or paths in TCP)', () => {
    const tcp: StageConfig = {
      ...config,
      serviceGraph: {
        ...config.serviceGraph,
        services: config.serviceGraph.services.map((s) => (s.name === 'gnn-service' ? { ...s, protocol: 'tcp' as const } : s)),
      },
    };
    const policy = objectNamed(chartObjects(tcp, 'mesh-authorization'), 'AuthorizationPolicy', 'allow-gnn-service');
    expect(policy.spec.rules).toEqual([
      { from: [{ source: { principals: [principal('diagnosis')] } }], to: [{ operation: { ports: ['8001'] } }] },
    ]);
  });

  test('the trust domain comes from the configuration', () => {
    const objects = chartObjects({ ...config, mesh: { ...config.mesh, trustDomain: 'hydraulic.internal' } }, 'mesh-authorization');
    expect(principalsOf(objectNamed(objects, 'AuthorizationPolicy', 'allow-backend-api'))).toEqual([
      'hydraulic.internal/ns/kong/sa/kong-gateway',
    ]);
  });
});
