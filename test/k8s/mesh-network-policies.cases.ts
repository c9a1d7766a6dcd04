import type { StageConfig } from '../../lib/config';
import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

const pods = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } });

describe.each(['dev', 'prod'])('the %s network policies chart', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'mesh-network-policies');

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('backend-api admits only the gateway’s namespace on its port and may reach only diagnosis', () => {
    expect(objectNamed(objects, 'NetworkPolicy', 'allow-backend-api').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'backend-api' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kong' } } }],
          ports: [{ protocol: 'TCP', port: 8000 }],
        },
      ],
      egress: [{ to: [pods('diagnosis')], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });

  test('diagnosis admits the gateway and backend-api, and may reach only gnn-service', () => {
    const spec = objectNamed(objects, 'NetworkPolicy', 'allow-diagnosis').spec;
    expect(spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kong' } } }, pods('backend-api')],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(spec.egress).toEqual([{ to: [pods('gnn-service')], ports: [{ protocol: 'TCP', port: 8001 }] }]);
  });

  test('gnn-service, which calls nobody, opens no egress beyond the baseline’s DNS and istiod', () => {
    const spec = objectNamed(objects, 'NetworkPolicy', 'allow-gnn-service').spec;
    expect(spec.policyTypes).toEqual(['Ingress']);
    expect(spec.egress).toBeUndefined();
    expect(spec.ingress).toEqual([{ from: [pods('diagnosis')], ports: [{ protocol: 'TCP', port: 8001 }] }]);
  });

  test('no rule admits everything: every peer is a named namespace or workload, every rule names its port', () => {
    for (const policy of objects) {
      for (const rule of [...((policy.spec as any).ingress ?? []), ...((policy.spec as any).egress ?? [])]) {
        expect(rule.ports.length).toBeGreaterThan(0);
        for (const peer of rule.from ?? rule.to)
          expect(Object.keys(peer.podSelector?.matchLabels ?? peer.namespaceSelector?.matchLabels ?? {})).toHaveLength(1);
      }
    }
  });
});

test('a service with no edge at all gets no policy: the baseline’s default deny covers it', () => {
  const base = stageConfig('dev');
  const config: StageConfig = {
    ...base,
    serviceGraph: { ...base.serviceGraph, calls: base.serviceGraph.calls.filter((c) => c.to !== 'gnn-service') },
  };
  expect(chartObjects(config, 'mesh-network-policies').map((o) => o.metadata?.name)).toEqual(['allow-backend-api', 'allow-diagnosis']);
});
