import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { cidr } from './primitives';

const subnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'must be a subnet id such as subnet-0123456789abcdef0' });

/** A VPC the project creates. */
const createdNetwork = z
  .strictObject({
    mode: z.literal('create'),
    /** The VPC's IPv4 CIDR block, /16 to /24. */
    cidr: cidr.refine((block) => isIpv4PrefixBetween(block, 16, 24), { error: 'must be an IPv4 block from /16 to /24' }),
    /**
     * Whether to create public subnets (for the internet-facing ALB and NAT gateways).
     * @default false - nothing in the VPC is reachable from the internet
     */
    publicSubnets: z.boolean().default(false),
    /**
     * NAT gateways for egress from the private subnets; each needs public subnets.
     * With 0, private subnets are isolated and AWS APIs are reached through VPC endpoints.
     * @default 0
     */
    natGateways: z.number().int().min(0).max(6).default(0),
  })
  .superRefine((network, ctx) => {
    if (network.natGateways > 0 && !network.publicSubnets) {
      ctx.addIssue({
        code: 'custom',
        path: ['natGateways'],
        message: 'needs publicSubnets: true, because NAT gateways live in public subnets; set natGateways: 0 or publicSubnets: true',
      });
    }
  });

/** An existing VPC, described in full so that synthesis needs no lookup. */
const importedNetwork = z.strictObject({
  mode: z.literal('import'),
  /** The VPC id. */
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'must be a VPC id such as vpc-0123456789abcdef0' }),
  /** The VPC's primary IPv4 CIDR block. */
  cidr,
  /** Subnets with a route to a NAT gateway, one per availability zone, in the order of aws.availabilityZones. */
  privateSubnetIds: z.array(subnetId).min(2),
  /** Subnets with no route out of the VPC (for the data stores), one per availability zone. */
  isolatedSubnetIds: z.array(subnetId).min(2),
});

/** The stage's VPC: created by the project, or an existing one imported by id. */
export const networkSection = z.discriminatedUnion('mode', [createdNetwork, importedNetwork]);

function isIpv4PrefixBetween(block: string, min: number, max: number): boolean {
  if (!ipaddr.isValidCIDR(block)) return true; // reported by the cidr check itself
  const [address, prefix] = ipaddr.parseCIDR(block);
  return address.kind() === 'ipv4' && prefix >= min && prefix <= max;
}
