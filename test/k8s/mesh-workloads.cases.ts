import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

describe.each(['dev', 'prod'])('the %s workloads chart', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'mesh-workloads');

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('every service has its own ServiceAccount, which mounts no API token', () => {
    for (const service of config.serviceGraph.services) {
      const account = objectNamed(objects, 'ServiceAccount', service.serviceAccount ?? service.name);
      expect(account.automountServiceAccountToken).toBe(false);
    }
  });

  test('every Service names its port’s protocol for Istio, by port name and appProtocol', () => {
    expect(objectNamed(objects, 'Service', 'backend-api').spec.ports).toEqual([
      { name: 'http', port: 8000, targetPort: 8000, protocol: 'TCP', appProtocol: 'http' },
    ]);
    expect(objectNamed(objects, 'Service', 'gnn-service').spec.ports).toEqual([
      { name: 'grpc', port: 8001, targetPort: 8001, protocol: 'TCP', appProtocol: 'grpc' },
    ]);
  });

  test('every Service selects its workload by the label the policies use', () => {
    for (const service of config.serviceGraph.services) {
      expect(objectNamed(objects, 'Service', service.name).spec.selector).toEqual({ 'app.kubernetes.io/name': service.name });
    }
  });
});
