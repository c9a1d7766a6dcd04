import { Testing } from 'cdk8s';
import { MESH_CA, MeshCaChart, intermediateRenewBeforeHours } from '../../k8s/charts/mesh-ca';
import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

const hours = (duration: string): number => {
  const match = /^(\d+)h$/.exec(duration);
  if (!match) throw new Error(`not a whole number of hours: ${duration}`);
  return Number(match[1]);
};

describe.each(['dev', 'prod'])('the %s mesh CA chart', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'mesh-ca');
  const intermediate = objectNamed(objects, 'Certificate', MESH_CA.certificateName);

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('the intermediate CA is written to cacerts in Istio’s namespace, where istiod loads it', () => {
    expect(intermediate.metadata?.namespace).toBe(config.kubernetes.istioRootNamespace);
    expect(intermediate.spec.secretName).toBe('cacerts');
    expect(intermediate.spec.isCA).toBe(true);
    expect(intermediate.spec.usages).toContain('cert sign');
  });

  test('the intermediate CA lives the configured days, never more than 90', () => {
    expect(hours(intermediate.spec.duration)).toBe(config.rotation.meshCaDays * 24);
    expect(hours(intermediate.spec.duration)).toBeLessThanOrEqual(90 * 24);
  });

  test('it is renewed a third of its lifetime early, with a new key, long before any workload certificate it signed expires', () => {
    const renewBefore = hours(intermediate.spec.renewBefore);
    expect(renewBefore).toBeLessThan(hours(intermediate.spec.duration));
    expect(renewBefore).toBeGreaterThan(config.mesh.workloadCertTtlHours);
    expect(intermediate.spec.privateKey).toEqual({ algorithm: 'RSA', size: 4096, rotationPolicy: 'Always' });
  });

  test('it is signed by the mesh root through a namespaced Issuer, never a ClusterIssuer', () => {
    expect(intermediate.spec.issuerRef).toEqual({ name: MESH_CA.rootName, kind: 'Issuer', group: 'cert-manager.io' });
    expect(objects.map((o) => o.kind)).not.toContain('ClusterIssuer');
    for (const object of objects) expect(object.metadata?.namespace).toBe(config.kubernetes.istioRootNamespace);
  });

  test('the root keeps its key when cert-manager renews it, so chains it signed still verify', () => {
    const root = objectNamed(objects, 'Certificate', MESH_CA.rootName);
    expect(root.spec.privateKey.rotationPolicy).toBe('Never');
    expect(hours(root.spec.duration)).toBe(config.mesh.rootCaDays * 24);
  });
});

test('renewal comes a third of the lifetime early, in whole days', () => {
  expect(intermediateRenewBeforeHours(90)).toBe(30 * 24);
  expect(intermediateRenewBeforeHours(7)).toBe(2 * 24);
});

test('a mesh CA lifetime above 90 days is refused even if the configuration check were bypassed', () => {
  const config = stageConfig('dev');
  expect(
    () => new MeshCaChart(Testing.app(), 'mesh-ca', { config: { ...config, rotation: { ...config.rotation, meshCaDays: 91 } } }),
  ).toThrow(/at least every 90 days; rotation.meshCaDays is 91/);
});
