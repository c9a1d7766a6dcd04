import { stageConfig } from '../harness/cdk-app';
import { renderStageCharts } from '../harness/k8s-charts';
import { validateObjects, type RenderedObject } from '../harness/k8s-schemas';

describe.each(['dev', 'prod'])('the %s namespace baseline', (stageName) => {
  const config = stageConfig(stageName);
  const objects = renderStageCharts(config).get('namespace-baseline')!;
  const byName = (kind: string, name: string): RenderedObject => {
    const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found;
  };

  test('matches its snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object validates against its upstream schema', () => {
    expect(() => validateObjects(objects)).not.toThrow();
  });

  test('the namespace enforces Pod Security restricted and turns on sidecar injection', () => {
    const labels = (byName('Namespace', config.kubernetes.namespace).metadata as any).labels;
    for (const mode of ['enforce', 'warn', 'audit']) {
      expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
      expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.33');
    }
    expect(labels['istio-injection']).toBe('enabled');
  });

  test('all ingress and egress is denied by default', () => {
    expect(byName('NetworkPolicy', 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('the only egress exceptions are DNS to kube-dns and the sidecars’ link to istiod', () => {
    const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
    const egress = policies.flatMap((policy) => ((policy.spec as any).egress ?? []) as any[]);
    expect(egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
            podSelector: { matchLabels: { app: 'istiod' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 15012 }],
      },
    ]);
    expect(policies.flatMap((policy) => (policy.spec as any).ingress ?? [])).toEqual([]);
  });

  test('every namespaced object lives in the application namespace and carries the stage label', () => {
    for (const object of objects) {
      const metadata = object.metadata as any;
      if (object.kind !== 'Namespace') expect(metadata.namespace).toBe(config.kubernetes.namespace);
      expect(metadata.labels['hydraulic.io/stage']).toBe(stageName);
    }
  });
});

test('the namespace follows the configuration', () => {
  const objects = renderStageCharts({
    ...stageConfig('dev'),
    kubernetes: { clusterName: 'c', namespace: 'diagnostics', istioRootNamespace: 'istio-system' },
  }).get('namespace-baseline')!;
  expect(objects.map((object) => object.metadata?.namespace ?? object.metadata?.name)).toEqual([
    'diagnostics',
    'diagnostics',
    'diagnostics',
    'diagnostics',
  ]);
});
