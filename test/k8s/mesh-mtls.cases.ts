import { PERMISSIVE_REASON_ANNOTATION } from '../../k8s/charts/mesh-mtls';
import type { StageConfig } from '../../lib/config';
import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

describe.each(['dev', 'prod'])('the %s mutual TLS chart', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'mesh-mtls');

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('mTLS is STRICT mesh-wide, in Istio’s root namespace', () => {
    const meshWide = objectNamed(objects, 'PeerAuthentication', 'default');
    expect(meshWide.metadata?.namespace).toBe('istio-system');
    expect(meshWide.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test('mTLS is STRICT again for the application namespace, whatever the mesh default becomes', () => {
    const namespaced = objects.find((o) => o.kind === 'PeerAuthentication' && o.metadata?.namespace === config.kubernetes.namespace)!;
    expect(namespaced.metadata?.name).toBe('default');
    expect(namespaced.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test('nothing is PERMISSIVE or DISABLE when the configuration names no exception', () => {
    expect(JSON.stringify(objects)).not.toMatch(/PERMISSIVE|DISABLE|UNSET/);
  });
});

describe('a configured plain-text port', () => {
  const base = stageConfig('dev');
  const config: StageConfig = {
    ...base,
    mesh: {
      ...base.mesh,
      permissivePorts: [{ service: 'diagnosis', port: 9090, reason: 'Prometheus outside the mesh scrapes metrics here' }],
    },
  };
  const objects = chartObjects(config, 'mesh-mtls');
  const exception = objectNamed(objects, 'PeerAuthentication', 'diagnosis-permissive-9090');

  test('is PERMISSIVE on that port of that workload only, STRICT on every other port', () => {
    expect(exception.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'diagnosis' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
    });
    expect(() => validateObjects(objects)).not.toThrow();
  });

  test('carries its reason for reviewers', () => {
    expect((exception.metadata as any).annotations[PERMISSIVE_REASON_ANNOTATION]).toBe('Prometheus outside the mesh scrapes metrics here');
  });

  test('leaves the mesh-wide and namespace policies STRICT', () => {
    const defaults = objects.filter((object) => object.metadata?.name === 'default');
    expect(defaults.map((object) => (object.spec as any).mtls.mode)).toEqual(['STRICT', 'STRICT']);
  });
});
