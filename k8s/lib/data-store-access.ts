import type { StageConfig } from '../../lib/config';
import type { DataStoreKind } from '../../lib/config/schema/data-stores';
import { dataSubnetCidrs } from '../../lib/config/subnet-layout';

/** What the cluster side knows about one data store, without any lookup. */
export interface DataStoreEndpoint {
  readonly kind: DataStoreKind;
  /** The port it listens on (from the config, the same the CDK side opens). */
  readonly port: number;
  /** The ServiceEntry port name: Istio reads the protocol from its prefix. */
  readonly portName: string;
  /**
   * The host names its endpoint falls under. The generated endpoint is only known after
   * deployment, so the ServiceEntry names the AWS domain; for opaque TCP, Istio matches the
   * destination address and port, never the host.
   */
  readonly hosts: readonly string[];
}

/**
 * Which workloads reach the database and the cache, and where those are: the model the
 * NetworkPolicies, ServiceEntries and Sidecar egress hosts are all generated from. Addresses are
 * the data subnets' CIDR blocks, computed as the network stack allocates them.
 */
export class DataStoreAccess {
  /** The application namespace. */
  public readonly namespace: string;
  /** The gateway's namespace (Kong reaches the cache for its rate limits). */
  public readonly gatewayNamespace: string;
  /** The isolated data subnets' CIDR blocks, in zone order. */
  public readonly cidrs: readonly string[];
  /** Both data stores by kind. */
  public readonly stores: Readonly<Record<DataStoreKind, DataStoreEndpoint>>;

  private readonly clients: StageConfig['dataStores']['clients'];

  constructor(config: Pick<StageConfig, 'aws' | 'network' | 'kubernetes' | 'serviceGraph' | 'dataStores'>) {
    this.namespace = config.kubernetes.namespace;
    this.gatewayNamespace = config.serviceGraph.gateway.namespace;
    this.cidrs = dataSubnetCidrs(config);
    this.clients = config.dataStores.clients;
    this.stores = {
      database: {
        kind: 'database',
        port: config.dataStores.database.port,
        portName: 'tcp-postgres',
        hosts: [`*.${config.aws.region}.rds.amazonaws.com`],
      },
      cache: {
        kind: 'cache',
        port: config.dataStores.cache.port,
        portName: 'tcp-redis',
        hosts: ['*.cache.amazonaws.com'],
      },
    };
  }

  /** The data stores a service of the graph uses, in the order database, cache. */
  public storesOf(service: string): DataStoreEndpoint[] {
    const uses = this.clients.find((client) => client.service === service)?.uses ?? [];
    return (['database', 'cache'] as const).filter((kind) => uses.includes(kind)).map((kind) => this.stores[kind]);
  }

  /** The services of the graph that use a data store, in configuration order. */
  public clientsOf(kind: DataStoreKind): string[] {
    return this.clients.filter((client) => client.uses.includes(kind)).map((client) => client.service);
  }

  /** The Sidecar egress hosts (`<namespace>/<host>`) that let a service's proxy reach its data stores. */
  public sidecarHostsOf(service: string): string[] {
    return this.storesOf(service).flatMap((store) => store.hosts.map((host) => `${this.namespace}/${host}`));
  }
}
