import { z } from 'zod';
import { alertsSection } from './alerts';
import { auditSection } from './audit';
import { awsSection } from './aws';
import { backupSection, checkDisasterRecoveryRegion } from './backup';
import { checkDataStores, dataStoresSection } from './data-stores';
import { edgeSection } from './edge';
import { checkRefreshWithinOverlap, externalSecretsSection } from './external-secrets';
import { gatewaySection } from './gateway';
import { checkGateway } from './gateway-checks';
import { ipAllowListsSection } from './ip-allow-lists';
import { kubernetesSection } from './kubernetes';
import { loggingSection } from './logging';
import { checkMeshReferences, meshSection } from './mesh';
import { networkSection } from './network';
import { dnsLabel } from './primitives';
import { checkPublicRoutesOnlyForGateway } from './public-routes';
import { rateLimitsSection } from './rate-limits';
import { rotationSection } from './rotation';
import { checkRotationJobs, rotationJobsSection } from './rotation-jobs';
import { secretsSection } from './secrets';
import { serviceGraphSection } from './service-graph';
import { sessionSection } from './session';
import { vpcEndpointsSection } from './vpc-endpoints';

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
    mesh: meshSection,
    externalSecrets: externalSecretsSection,
    gateway: gatewaySection,
    secrets: secretsSection,
    vpcEndpoints: vpcEndpointsSection,
    edge: edgeSection,
    audit: auditSection,
    backup: backupSection,
    rotationJobs: rotationJobsSection,
    dataStores: dataStoresSection,
  })
  .superRefine((config, ctx) => {
    checkMeshReferences(config, ctx);
    checkPublicRoutesOnlyForGateway(config.serviceGraph, ctx);
    checkRefreshWithinOverlap(config, ctx);
    checkGateway(config, ctx);
    checkSecretsAndEndpoints(config, ctx);
    checkDisasterRecoveryRegion(config, ctx);
    checkRotationJobs(config, ctx);
    checkDataStores(config, ctx);
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

/** Cross-section rules of the secrets and endpoint settings. */
function checkSecretsAndEndpoints(
  config: {
    readonly secrets: { readonly clientRefreshMinutes: number };
    readonly session: { readonly maxLifetimeSeconds: number };
    readonly rotation: { readonly secretsDays: number };
    readonly vpcEndpoints: { readonly create: boolean };
    readonly network: { readonly mode: 'create'; readonly natGateways: number } | { readonly mode: 'import' };
  },
  ctx: z.RefinementCtx,
): void {
  const overlapSeconds = config.secrets.clientRefreshMinutes * 60 + config.session.maxLifetimeSeconds;
  if (overlapSeconds >= config.rotation.secretsDays * 86400) {
    ctx.addIssue({
      code: 'custom',
      path: ['secrets', 'clientRefreshMinutes'],
      message: `plus session.maxLifetimeSeconds must be shorter than rotation.secretsDays (${config.rotation.secretsDays} days): a previous key must be retired before the next rotation`,
    });
  }
  if (!config.vpcEndpoints.create && config.network.mode === 'create' && config.network.natGateways === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['vpcEndpoints', 'create'],
      message: 'must be true when network.natGateways is 0: the private subnets have no other way to reach Secrets Manager and ElastiCache',
    });
  }
}

/** A stage's validated configuration, with every default filled in. */
export type StageConfig = z.output<typeof stageConfigSchema>;
