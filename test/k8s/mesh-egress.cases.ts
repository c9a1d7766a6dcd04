import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

describe.each(['dev', 'prod'])('the %s egress (Sidecar) chart', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'mesh-egress');
  const hosts = (name: string) => objectNamed(objects, 'Sidecar', name).spec.egress.flatMap((egress: any) => egress.hosts);

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('each workload’s proxy knows only the services it calls, the data stores it uses and the Istio control plane', () => {
    const database = `hydraulic-prod/*.${config.aws.region}.rds.amazonaws.com`;
    const cache = 'hydraulic-prod/*.cache.amazonaws.com';
    expect(hosts('backend-api')).toEqual(['hydraulic-prod/diagnosis.hydraulic-prod.svc.cluster.local', database, cache, 'istio-system/*']);
    expect(hosts('diagnosis')).toEqual(['hydraulic-prod/gnn-service.hydraulic-prod.svc.cluster.local', database, 'istio-system/*']);
    expect(hosts('gnn-service')).toEqual(['istio-system/*']);
  });

  test('a pod matching no service knows only the control plane', () => {
    const fallback = objectNamed(objects, 'Sidecar', 'default');
    expect(fallback.spec.workloadSelector).toBeUndefined();
    expect(hosts('default')).toEqual(['istio-system/*']);
  });

  test('every Sidecar refuses destinations outside the registry', () => {
    for (const sidecar of objects) expect((sidecar.spec as any).outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
  });

  test('no Sidecar lets a workload reach the whole mesh', () => {
    expect(objects.flatMap((o) => (o.spec as any).egress.flatMap((e: any) => e.hosts))).not.toContain('*/*');
  });
});
