import { z } from 'zod';
import { alertsSection } from './alerts';
import { auditSection } from './audit';
import { awsSection } from './aws';
import { backupSection, checkDisasterRecoveryRegion } from './backup';
import { edgeSection } from './edge';
import { ipAllowListsSection } from './ip-allow-lists';
import { kubernetesSection } from './kubernetes';
import { loggingSection } from './logging';
import { networkSection } from './network';
import { dnsLabel } from './primitives';
import { rateLimitsSection } from './rate-limits';
import { rotationSection } from './rotation';
import { serviceGraphSection } from './service-graph';
import { sessionSection } from './session';

/**
 * One stage's configuration: the single source both renderers (CDK and cdk8s) build from.
 * Every object is strict, so a misspelt key is an error rather than a silently ignored setting.
 */
export const stageConfigSchema = z
  .strictObject({
    /**
     * The project's short name, the first part of every physical name.
     * @default hydraulic
     */
    project: dnsLabel.max(20).default('hydraulic'),
    /** The stage's name (dev, prod, ...); part of every physical name. */
    stage: dnsLabel.max(12),
    aws: awsSection,
    network: networkSection,
    kubernetes: kubernetesSection,
    session: sessionSection,
    rateLimits: rateLimitsSection,
    ipAllowLists: ipAllowListsSection,
    rotation: rotationSection,
    logging: loggingSection,
    alerts: alertsSection,
    serviceGraph: serviceGraphSection,
    edge: edgeSection,
    audit: auditSection,
    backup: backupSection,
  })
  .superRefine((config, ctx) => {
    checkDisasterRecoveryRegion(config, ctx);
    if (config.network.mode === 'import') {
      const zones = config.aws.availabilityZones.length;
      for (const key of ['privateSubnetIds', 'isolatedSubnetIds'] as const) {
        if (config.network[key].length !== zones) {
          ctx.addIssue({
            code: 'custom',
            path: ['network', key],
            message: `must list one subnet per availability zone (aws.availabilityZones has ${zones}), in the same order`,
          });
        }
      }
    } else if (config.network.natGateways > config.aws.availabilityZones.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'natGateways'],
        message: `must be at most the number of availability zones (${config.aws.availabilityZones.length})`,
      });
    }
  });

/** A stage's validated configuration, with every default filled in. */
export type StageConfig = z.output<typeof stageConfigSchema>;
