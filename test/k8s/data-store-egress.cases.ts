import { dataSubnetCidrs } from '../../lib/config/subnet-layout';
import { stageConfig } from '../harness/cdk-app';
import { objectNamed, renderStageCharts } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

describe.each(['dev', 'prod'])('the %s data-store egress chart', (stageName) => {
  const config = stageConfig(stageName);
  const charts = renderStageCharts(config);
  const objects = charts.get('data-store-egress')!;
  const namespace = config.kubernetes.namespace;
  const gatewayNamespace = config.serviceGraph.gateway.namespace;
  const cidrs = dataSubnetCidrs(config);
  const { database, cache } = config.dataStores;
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as any[];
  const entries = objects.filter((o) => o.kind === 'ServiceEntry') as any[];
  const entry = (ns: string, name: string) => entries.find((e) => e.metadata.namespace === ns && e.metadata.name === name);

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('opens the data stores to exactly the configured clients, nothing to the others', () => {
    expect(policies.map((p) => p.metadata.name)).toEqual(['allow-backend-api-data-stores', 'allow-diagnosis-data-stores']);
    for (const policy of policies) expect(policy.metadata.namespace).toBe(namespace);
    expect(objects.some((o) => JSON.stringify(o).includes('gnn-service'))).toBe(false);
  });

  test('each client’s policy selects its pods, restricts egress only, and reaches only the data subnets on its stores’ ports', () => {
    const ports = (name: string) => objectNamed(objects, 'NetworkPolicy', name).spec.egress.map((rule: any) => rule.ports);
    expect(ports('allow-backend-api-data-stores')).toEqual([
      [{ protocol: 'TCP', port: database.port }],
      [{ protocol: 'TCP', port: cache.port }],
    ]);
    expect(ports('allow-diagnosis-data-stores')).toEqual([[{ protocol: 'TCP', port: database.port }]]);
    for (const policy of policies) {
      expect(policy.spec.policyTypes).toEqual(['Egress']);
      expect(policy.spec.ingress).toBeUndefined();
      expect(policy.spec.podSelector).toEqual({
        matchLabels: { 'app.kubernetes.io/name': policy.metadata.name.replace(/^allow-|-data-stores$/g, '') },
      });
      for (const rule of policy.spec.egress) expect(rule.to).toEqual(cidrs.map((cidr) => ({ ipBlock: { cidr } })));
    }
  });

  test('never opens the whole VPC or the internet', () => {
    const blocks = policies.flatMap((p) => p.spec.egress.flatMap((rule: any) => rule.to.map((peer: any) => peer.ipBlock.cidr)));
    expect(blocks).not.toContain(config.network.cidr);
    expect(blocks).not.toContain('0.0.0.0/0');
  });

  test('registers each store as an external TCP service at the data subnets’ addresses, passing the client’s TLS through', () => {
    for (const [name, port, portName] of [
      ['data-store-database', database.port, 'tcp-postgres'],
      ['data-store-cache', cache.port, 'tcp-redis'],
    ] as const) {
      expect(entry(namespace, name).spec).toEqual({
        hosts: [name === 'data-store-database' ? `*.${config.aws.region}.rds.amazonaws.com` : '*.cache.amazonaws.com'],
        addresses: cidrs,
        ports: [{ number: port, name: portName, protocol: 'TCP' }],
        location: 'MESH_EXTERNAL',
        resolution: 'NONE',
        exportTo: ['.'],
      });
    }
  });

  test('gives the gateway the cache’s ServiceEntry, for its Redis-backed rate limits, and no NetworkPolicy', () => {
    expect(entry(gatewayNamespace, 'data-store-cache').spec).toEqual(entry(namespace, 'data-store-cache').spec);
    expect(entry(gatewayNamespace, 'data-store-database')).toBeUndefined();
    expect(policies.filter((p) => p.metadata.namespace === gatewayNamespace)).toEqual([]);
  });

  test('every data-store host a Sidecar lists is a ServiceEntry of its namespace, and only clients list them', () => {
    const sidecars = charts.get('mesh-egress')! as any[];
    const external = (host: string) => host.includes('.amazonaws.com');
    for (const sidecar of sidecars) {
      const hosts: string[] = sidecar.spec.egress.flatMap((e: any) => e.hosts).filter(external);
      for (const host of hosts) {
        const [ns, name] = host.split('/');
        expect(entries.some((e) => e.metadata.namespace === ns && e.spec.hosts.includes(name))).toBe(true);
      }
      const service = sidecar.spec.workloadSelector?.labels['app.kubernetes.io/name'];
      const uses = config.dataStores.clients.find((c) => c.service === service)?.uses ?? [];
      expect(hosts).toHaveLength(uses.length);
    }
  });
});

test('without a client of the cache in the application namespace, only the gateway’s cache entry is rendered', () => {
  const config = stageConfig('dev');
  const objects = renderStageCharts({
    ...config,
    dataStores: { ...config.dataStores, clients: [{ service: 'diagnosis', uses: ['database'] }] },
  }).get('data-store-egress')!;
  expect(objects.filter((o) => o.kind === 'ServiceEntry').map((o) => `${o.metadata!.namespace}/${o.metadata!.name}`)).toEqual([
    'hydraulic-prod/data-store-database',
    'kong/data-store-cache',
  ]);
  expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata!.name)).toEqual(['allow-diagnosis-data-stores']);
});
