import { z } from 'zod';
import { availabilityZone, awsAccount, awsRegion } from './primitives';

/**
 * Where a stage is deployed. Everything synthesis needs about the environment is here,
 * so no context lookup (and no AWS credential) is ever needed to render templates.
 */
export const awsSection = z
  .strictObject({
    /** The 12-digit account id, quoted. */
    account: awsAccount,
    /** The region code, e.g. `eu-central-1`. */
    region: awsRegion,
    /** The availability zones to spread subnets and replicas over, in the stage's region. */
    availabilityZones: z.array(availabilityZone).min(2, { error: 'must list at least 2 availability zones' }).max(6),
  })
  .superRefine((aws, ctx) => {
    aws.availabilityZones.forEach((zone, index) => {
      if (!zone.startsWith(aws.region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['availabilityZones', index],
          message: `must be a zone of the stage's region ${aws.region} (such as ${aws.region}a)`,
        });
      }
      if (aws.availabilityZones.indexOf(zone) !== index) {
        ctx.addIssue({ code: 'custom', path: ['availabilityZones', index], message: 'is listed twice' });
      }
    });
  });
