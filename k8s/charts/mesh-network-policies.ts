import type { Construct } from 'constructs';
import {
  NetworkPolicy,
  type INetworkPolicyEgressRule,
  type INetworkPolicyIngressRule,
  type INetworkPolicyPeer,
} from 'kubernetes-models/networking.k8s.io/v1';
import { GATEWAY } from '../../lib/config/schema/service-graph';
import { addObject } from '../lib/add-object';
import { MeshGraph } from '../lib/mesh-graph';
import { StageChart, type StageChartProps } from './stage-chart';

/**
 * Layer-4 policies generated from the same service graph as the mesh's authorization, beneath
 * it: if a sidecar is bypassed or misconfigured, the CNI still drops what the graph does not
 * allow. Each service admits its callers' pods (the gateway's namespace for the edge) on its
 * port and may open connections only to the services it calls, on theirs. The sidecars'
 * mTLS between pods uses the application ports (Istio keeps the original destination port),
 * so no extra Istio port is opened here; the link to istiod (15012) and DNS are opened for
 * every pod by the namespace baseline.
 */
export class MeshNetworkPoliciesChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const graph = new MeshGraph(this.config);
    const namespacePeer = (name: string): INetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
    });

    for (const service of graph.services) {
      const callers = graph.callersOf(service.name);
      const callees = graph.calleesOf(service.name);
      const ingress: INetworkPolicyIngressRule[] =
        callers.length === 0
          ? []
          : [
              {
                from: callers.map((caller) =>
                  caller === GATEWAY ? namespacePeer(graph.gatewayNamespace) : { podSelector: { matchLabels: graph.labelsOf(caller) } },
                ),
                ports: [{ protocol: 'TCP', port: service.port }],
              },
            ];
      const egress: INetworkPolicyEgressRule[] = callees.map((callee) => ({
        to: [{ podSelector: { matchLabels: graph.labelsOf(callee.name) } }],
        ports: [{ protocol: 'TCP', port: callee.port }],
      }));
      if (ingress.length === 0 && egress.length === 0) continue;
      addObject(
        this,
        `allow-${service.name}`,
        new NetworkPolicy({
          metadata: { name: `allow-${service.name}`, namespace: graph.namespace },
          spec: {
            podSelector: { matchLabels: graph.labelsOf(service.name) },
            policyTypes: [...(ingress.length > 0 ? ['Ingress' as const] : []), ...(egress.length > 0 ? ['Egress' as const] : [])],
            ...(ingress.length > 0 ? { ingress } : {}),
            ...(egress.length > 0 ? { egress } : {}),
          },
        }),
      );
    }
  }
}
