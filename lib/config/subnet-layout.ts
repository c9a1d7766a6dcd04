import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { StageConfig } from './schema';

/** The subnet group holding workloads (EKS nodes, rotation functions). */
export const PRIVATE_SUBNET_GROUP = 'private';
/** The subnet group holding the data stores; it never has a route out of the VPC. */
export const DATA_SUBNET_GROUP = 'data';
/** The subnet group holding the internet-facing load balancer and NAT gateways, when asked for. */
export const PUBLIC_SUBNET_GROUP = 'public';

type CreatedNetwork = Extract<StageConfig['network'], { mode: 'create' }>;

/**
 * The subnet groups of a VPC the project creates, in the order the VPC allocates their blocks:
 * public (only when asked for), private, data.
 */
export function subnetGroups(network: CreatedNetwork): ec2.SubnetConfiguration[] {
  const groups: ec2.SubnetConfiguration[] = [
    {
      name: PRIVATE_SUBNET_GROUP,
      subnetType: network.natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
    },
    { name: DATA_SUBNET_GROUP, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  ];
  if (network.publicSubnets) groups.unshift({ name: PUBLIC_SUBNET_GROUP, subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false });
  return groups;
}

/**
 * The CIDR blocks of the isolated data subnets, one per availability zone, in zone order: the
 * cluster side's egress rules to the database and the cache allow exactly these.
 *
 * For a created VPC they are computed by the CDK's own allocator (`IpAddresses.cidr`), with the
 * same groups and zones the network stack passes to `ec2.Vpc`, so synthesis needs no lookup and
 * the two renderers cannot disagree (a test compares them with the synthesized subnets). For an
 * imported VPC they come from `dataStores.dataSubnetCidrs`.
 */
export function dataSubnetCidrs(config: Pick<StageConfig, 'network' | 'aws' | 'dataStores'>): string[] {
  const { network } = config;
  if (network.mode === 'import') {
    if (!config.dataStores.dataSubnetCidrs) {
      throw new Error('dataStores.dataSubnetCidrs is required for an imported VPC (the configuration schema checks this)');
    }
    return [...config.dataStores.dataSubnetCidrs];
  }
  const requestedSubnets = subnetGroups(network).flatMap((configuration) =>
    config.aws.availabilityZones.map((availabilityZone, index) => ({
      availabilityZone,
      configuration,
      subnetConstructId: `${configuration.name}Subnet${index + 1}`,
    })),
  );
  const { allocatedSubnets } = ec2.IpAddresses.cidr(network.cidr).allocateSubnetsCidr({ vpcCidr: network.cidr, requestedSubnets });
  return requestedSubnets.flatMap((subnet, index) =>
    subnet.configuration.name === DATA_SUBNET_GROUP ? [allocatedSubnets[index].cidr] : [],
  );
}
