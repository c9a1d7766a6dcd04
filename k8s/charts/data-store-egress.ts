import type { Construct } from 'constructs';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ServiceEntry } from '../crds/istio';
import { addObject } from '../lib/add-object';
import { DataStoreAccess, type DataStoreEndpoint } from '../lib/data-store-access';
import { MeshGraph } from '../lib/mesh-graph';
import { StageChart, type StageChartProps } from './stage-chart';

/** The name of a data store's ServiceEntry in a namespace. */
export function dataStoreServiceEntryName(store: DataStoreEndpoint): string {
  return `data-store-${store.kind}`;
}

/**
 * The way out of the cluster to the data stores, for the workloads the configuration names
 * (`dataStores.clients`) and nothing else, at both layers the namespace baseline closes:
 *
 * - **NetworkPolicy** (L4, beneath the mesh): per client, egress to the isolated data subnets'
 *   CIDR blocks on the port of each store it uses. Other pods stay under default-deny.
 * - **ServiceEntry** (mesh registry): each store as a `MESH_EXTERNAL` TCP service whose
 *   `addresses` are the data subnets' blocks, `resolution: NONE`, so a proxy under
 *   `REGISTRY_ONLY` forwards a connection to those addresses on that port to the address the
 *   application dialled, untouched. The application's own TLS (PostgreSQL `sslmode=verify-full`,
 *   Redis TLS) passes through end to end; the sidecar neither terminates nor originates TLS, so
 *   certificates are checked against the real RDS and ElastiCache names. Exported to its own
 *   namespace only. The Sidecar resources (mesh-egress chart) list these hosts only for clients.
 *
 * Kong (the gateway's namespace) gets the cache's ServiceEntry too, for its Redis-backed rate
 * limits. The gateway's namespace is not under default-deny in this project, so it needs no
 * NetworkPolicy: one selecting Kong's pods for egress would cut every other way out of them.
 */
export class DataStoreEgressChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const access = new DataStoreAccess(this.config);
    const graph = new MeshGraph(this.config);

    const serviceEntry = (namespace: string, store: DataStoreEndpoint) =>
      addObject(
        this,
        `${namespace}-${dataStoreServiceEntryName(store)}`,
        new ServiceEntry({
          metadata: { name: dataStoreServiceEntryName(store), namespace },
          spec: {
            hosts: [...store.hosts],
            addresses: [...access.cidrs],
            ports: [{ number: store.port, name: store.portName, protocol: 'TCP' }],
            location: 'MESH_EXTERNAL',
            resolution: 'NONE',
            exportTo: ['.'],
          },
        }),
      );

    for (const store of Object.values(access.stores)) {
      if (access.clientsOf(store.kind).length > 0) serviceEntry(access.namespace, store);
    }
    serviceEntry(access.gatewayNamespace, access.stores.cache);

    for (const service of graph.services) {
      const stores = access.storesOf(service.name);
      if (stores.length === 0) continue;
      addObject(
        this,
        `allow-${service.name}-data-stores`,
        new NetworkPolicy({
          metadata: { name: `allow-${service.name}-data-stores`, namespace: access.namespace },
          spec: {
            podSelector: { matchLabels: graph.labelsOf(service.name) },
            policyTypes: ['Egress'],
            egress: stores.map((store) => ({
              to: access.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
              ports: [{ protocol: 'TCP', port: store.port }],
            })),
          },
        }),
      );
    }
  }
}
