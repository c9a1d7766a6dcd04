import { dataSubnetCidrs, subnetGroups } from '../../lib/config/subnet-layout';
import { stageConfig } from '../harness/cdk-app';

// That the computed blocks equal the subnets the network stack synthesizes is checked in
// test/stacks/data-stores-stack.cases.ts, which builds the stages anyway.
describe('the subnet layout both renderers share', () => {
  test('a created VPC has private and data subnets, public ones first only when asked for', () => {
    const dev = stageConfig('dev').network;
    const prod = stageConfig('prod').network;
    if (dev.mode !== 'create' || prod.mode !== 'create') throw new Error('the committed stages create their VPCs');
    expect(subnetGroups(dev).map((group) => group.name)).toEqual(['private', 'data']);
    expect(subnetGroups(prod).map((group) => group.name)).toEqual(['public', 'private', 'data']);
  });

  test('a created VPC’s data subnets are computed, one per zone, inside the VPC', () => {
    expect(dataSubnetCidrs(stageConfig('dev'))).toEqual(['10.40.128.0/18', '10.40.192.0/18']);
    expect(dataSubnetCidrs(stageConfig('prod'))).toEqual(['10.50.96.0/20', '10.50.112.0/20', '10.50.128.0/20']);
  });

  test('an imported VPC’s data subnets are the configured blocks', () => {
    const config = stageConfig('dev');
    const imported = {
      ...config,
      network: {
        mode: 'import' as const,
        vpcId: 'vpc-0123456789abcdef0',
        cidr: '10.0.0.0/16',
        privateSubnetIds: ['subnet-01234567', 'subnet-11234567'],
        isolatedSubnetIds: ['subnet-21234567', 'subnet-31234567'],
      },
      dataStores: { ...config.dataStores, dataSubnetCidrs: ['10.0.128.0/24', '10.0.129.0/24'] },
    };
    expect(dataSubnetCidrs(imported)).toEqual(['10.0.128.0/24', '10.0.129.0/24']);
    expect(() => dataSubnetCidrs({ ...imported, dataStores: config.dataStores })).toThrow(/dataSubnetCidrs is required/);
  });
});
