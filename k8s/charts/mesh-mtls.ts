import type { Construct } from 'constructs';
import { PeerAuthentication } from '../crds/istio';
import { addObject } from '../lib/add-object';
import { MeshGraph } from '../lib/mesh-graph';
import { StageChart, type StageChartProps } from './stage-chart';

/** The annotation that carries the configured reason on a port-level PERMISSIVE exception. */
export const PERMISSIVE_REASON_ANNOTATION = 'hydraulic.io/permissive-reason';

/**
 * Strict mutual TLS: mesh-wide (in Istio's root namespace) and again for the application
 * namespace, so the namespace stays STRICT even if someone relaxes the mesh default. Plain text
 * is accepted only on the ports `mesh.permissivePorts` names, each with its reason.
 */
export class MeshMtlsChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const graph = new MeshGraph(this.config);

    addObject(
      this,
      'mesh-wide',
      new PeerAuthentication({
        metadata: { name: 'default', namespace: this.config.kubernetes.istioRootNamespace },
        spec: { mtls: { mode: 'STRICT' } },
      }),
    );
    addObject(
      this,
      'namespace',
      new PeerAuthentication({ metadata: { name: 'default', namespace: graph.namespace }, spec: { mtls: { mode: 'STRICT' } } }),
    );

    for (const exception of this.config.mesh.permissivePorts) {
      addObject(
        this,
        `${exception.service}-permissive-${exception.port}`,
        new PeerAuthentication({
          metadata: {
            name: `${exception.service}-permissive-${exception.port}`,
            namespace: graph.namespace,
            annotations: { [PERMISSIVE_REASON_ANNOTATION]: exception.reason },
          },
          spec: {
            selector: { matchLabels: graph.labelsOf(exception.service) },
            mtls: { mode: 'STRICT' },
            portLevelMtls: { [exception.port]: { mode: 'PERMISSIVE' } },
          },
        }),
      );
    }
  }
}
