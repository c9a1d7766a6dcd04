import type { StageConfig } from '../../lib/config';
import { GATEWAY } from '../../lib/config/schema/service-graph';

/** The pod label that ties a workload to its service in the graph; every selector uses it. */
export const WORKLOAD_LABEL = 'app.kubernetes.io/name';

/** One service of the graph with its defaults resolved. */
export interface MeshService {
  readonly name: string;
  /** The ServiceAccount the workload runs as: its mesh identity. */
  readonly serviceAccount: string;
  readonly port: number;
  readonly protocol: 'http' | 'http2' | 'grpc' | 'tcp';
}

/** One allowed call. */
export interface MeshCall {
  /** A service name, or `gateway`. */
  readonly from: string;
  readonly to: string;
  readonly methods: readonly string[];
  readonly paths: readonly string[];
}

/**
 * The configuration's service graph with identities resolved: the single model the
 * authorization policies, NetworkPolicies and Sidecars are all generated from.
 */
export class MeshGraph {
  /** The application namespace. */
  public readonly namespace: string;
  /** The services, in configuration order. */
  public readonly services: readonly MeshService[];
  /** The allowed calls, in configuration order. */
  public readonly calls: readonly MeshCall[];
  /** The edge gateway's namespace. */
  public readonly gatewayNamespace: string;

  private readonly trustDomain: string;
  private readonly gatewayServiceAccount: string;

  constructor(config: Pick<StageConfig, 'kubernetes' | 'serviceGraph' | 'mesh'>) {
    this.namespace = config.kubernetes.namespace;
    this.trustDomain = config.mesh.trustDomain;
    this.gatewayNamespace = config.serviceGraph.gateway.namespace;
    this.gatewayServiceAccount = config.serviceGraph.gateway.serviceAccount;
    this.services = config.serviceGraph.services.map((service) => ({
      name: service.name,
      serviceAccount: service.serviceAccount ?? service.name,
      port: service.port,
      protocol: service.protocol,
    }));
    this.calls = config.serviceGraph.calls;
  }

  /** The service of a name; throws for a name the graph does not have. */
  public service(name: string): MeshService {
    const found = this.services.find((service) => service.name === name);
    if (!found) throw new Error(`The service graph has no service "${name}" (it has ${this.services.map((s) => s.name).join(', ')})`);
    return found;
  }

  /** The SPIFFE principal (without `spiffe://`) a caller presents: a service's or the gateway's. */
  public principalOf(caller: string): string {
    if (caller === GATEWAY) return `${this.trustDomain}/ns/${this.gatewayNamespace}/sa/${this.gatewayServiceAccount}`;
    return `${this.trustDomain}/ns/${this.namespace}/sa/${this.service(caller).serviceAccount}`;
  }

  /** The calls a service receives, in configuration order. */
  public callsTo(name: string): MeshCall[] {
    return this.calls.filter((call) => call.to === name);
  }

  /** The services a service calls, each once, in configuration order. */
  public calleesOf(name: string): MeshService[] {
    const names = [...new Set(this.calls.filter((call) => call.from === name).map((call) => call.to))];
    return names.map((callee) => this.service(callee));
  }

  /** The callers of a service, each once: service names and possibly `gateway`. */
  public callersOf(name: string): string[] {
    return [...new Set(this.callsTo(name).map((call) => call.from))];
  }

  /** The pod labels that select a service's workload. */
  public labelsOf(name: string): Record<string, string> {
    return { [WORKLOAD_LABEL]: this.service(name).name };
  }

  /** The service's cluster-local DNS name. */
  public hostOf(name: string): string {
    return `${this.service(name).name}.${this.namespace}.svc.cluster.local`;
  }
}
