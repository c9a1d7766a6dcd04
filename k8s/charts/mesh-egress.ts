import type { Construct } from 'constructs';
import { Sidecar } from '../crds/istio';
import { addObject } from '../lib/add-object';
import { DataStoreAccess } from '../lib/data-store-access';
import { MeshGraph } from '../lib/mesh-graph';
import { StageChart, type StageChartProps } from './stage-chart';

/**
 * What each sidecar knows about: only the services its workload calls (from the graph), the data
 * stores it uses (`dataStores.clients`) and the Istio control plane, with anything outside the registry refused (`REGISTRY_ONLY`). A
 * compromised workload cannot even route to a service it has no edge to, and each proxy holds
 * a fraction of the mesh's configuration. Pods that match no service fall under the namespace
 * default, which knows only the control plane.
 */
export class MeshEgressChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const graph = new MeshGraph(this.config);
    const dataStores = new DataStoreAccess(this.config);
    const controlPlane = `${this.config.kubernetes.istioRootNamespace}/*`;

    addObject(
      this,
      'default',
      new Sidecar({
        metadata: { name: 'default', namespace: graph.namespace },
        spec: { egress: [{ hosts: [controlPlane] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
      }),
    );

    for (const service of graph.services) {
      const callees = graph.calleesOf(service.name).map((callee) => `${graph.namespace}/${graph.hostOf(callee.name)}`);
      addObject(
        this,
        service.name,
        new Sidecar({
          metadata: { name: service.name, namespace: graph.namespace },
          spec: {
            workloadSelector: { labels: graph.labelsOf(service.name) },
            // The data stores' ServiceEntries (data-store-egress chart), for their clients only.
            egress: [{ hosts: [...callees, ...dataStores.sidecarHostsOf(service.name), controlPlane] }],
            outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
          },
        }),
      );
    }
  }
}
