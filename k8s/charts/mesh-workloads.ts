import type { Construct } from 'constructs';
import { Service, ServiceAccount } from 'kubernetes-models/v1';
import { addObject } from '../lib/add-object';
import { MeshGraph } from '../lib/mesh-graph';
import { StageChart, type StageChartProps } from './stage-chart';

/**
 * The identity and address of every service in the graph: a ServiceAccount (its mesh identity,
 * with no API token mounted: the services never call the Kubernetes API, and the sidecar gets
 * its own audience-bound token from Istio's injector) and a Service whose port names its
 * protocol, so Istio never has to guess it (a guessed-wrong protocol turns HTTP policies off).
 *
 * Workloads join by running as the ServiceAccount and carrying `app.kubernetes.io/name: <service>`.
 */
export class MeshWorkloadsChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const graph = new MeshGraph(this.config);

    for (const service of graph.services) {
      const labels = graph.labelsOf(service.name);
      addObject(
        this,
        `${service.name}-service-account`,
        new ServiceAccount({
          metadata: { name: service.serviceAccount, namespace: graph.namespace, labels },
          automountServiceAccountToken: false,
        }),
      );
      addObject(
        this,
        `${service.name}-service`,
        new Service({
          metadata: { name: service.name, namespace: graph.namespace, labels },
          spec: {
            type: 'ClusterIP',
            selector: labels,
            ports: [
              { name: service.protocol, port: service.port, targetPort: service.port, protocol: 'TCP', appProtocol: service.protocol },
            ],
          },
        }),
      );
    }
  }
}
