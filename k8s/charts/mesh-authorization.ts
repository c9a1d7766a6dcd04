import type { Construct } from 'constructs';
import { AuthorizationPolicy, type AuthorizationRule } from '../crds/istio';
import { addObject } from '../lib/add-object';
import { MeshGraph, type MeshCall, type MeshService } from '../lib/mesh-graph';
import { StageChart, type StageChartProps } from './stage-chart';

/**
 * Least-privilege authorization in the mesh: `allow-nothing` denies every request in the
 * namespace, then one ALLOW policy per called service admits exactly the calls of the service
 * graph, each matched by the caller's mTLS identity, method, path and port. Only positive
 * matches are used, as Istio advises for ALLOW policies: a `notPaths` would admit every path a
 * reviewer did not think of. Requests through the edge carry the gateway's identity, so only the
 * gateway reaches the routes the graph exposes publicly.
 */
export class MeshAuthorizationChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const graph = new MeshGraph(this.config);

    // An ALLOW policy with no rules matches nothing; with no other ALLOW policy for a workload,
    // Istio then denies every request to it.
    addObject(
      this,
      'allow-nothing',
      new AuthorizationPolicy({ metadata: { name: 'allow-nothing', namespace: graph.namespace }, spec: {} }),
    );

    for (const service of graph.services) {
      const calls = graph.callsTo(service.name);
      if (calls.length === 0) continue;
      addObject(
        this,
        `allow-${service.name}`,
        new AuthorizationPolicy({
          metadata: { name: `allow-${service.name}`, namespace: graph.namespace },
          spec: {
            selector: { matchLabels: graph.labelsOf(service.name) },
            action: 'ALLOW',
            rules: calls.map((call) => ruleFor(graph, service, call)),
          },
        }),
      );
    }
  }
}

function ruleFor(graph: MeshGraph, service: MeshService, call: MeshCall): AuthorizationRule {
  const port = String(service.port);
  // Istio cannot see methods or paths in TCP traffic and an ALLOW rule naming them would never
  // match, so a TCP service is authorized by caller identity and port alone.
  const operation = service.protocol === 'tcp' ? { ports: [port] } : { methods: [...call.methods], paths: [...call.paths], ports: [port] };
  return { from: [{ source: { principals: [graph.principalOf(call.from)] } }], to: [{ operation }] };
}
