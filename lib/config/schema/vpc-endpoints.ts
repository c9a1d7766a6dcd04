import { z } from 'zod';

/** Interface VPC endpoints for the AWS APIs the project's functions and pods call. */
export const vpcEndpointsSection = z
  .strictObject({
    /**
     * Whether to create interface endpoints (private DNS) for Secrets Manager and ElastiCache in
     * the private subnets. Required when the private subnets have no NAT gateway; turn it off
     * only for an imported VPC that already has them (a second endpoint with private DNS for the
     * same service cannot be created).
     * @default true - API calls never leave the VPC
     */
    create: z.boolean().default(true),
  })
  .prefault({});
