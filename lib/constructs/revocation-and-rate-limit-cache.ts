import { CfnDeletionPolicy, RemovalPolicy, Stack, type SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import type { StageConfig } from '../config';

/** The logs ElastiCache delivers to CloudWatch Logs. */
export const CACHE_LOG_TYPES = ['slow-log', 'engine-log'] as const;

/** The cache parameter group family of an engine version: `valkey8`, `redis7`. */
export function cacheParameterGroupFamily(engine: 'valkey' | 'redis', engineVersion: string): string {
  return `${engine}${engineVersion.split('.')[0]}`;
}

/**
 * The cache's parameters. `noeviction`: a full cache refuses writes rather than silently
 * dropping a token revocation (which would make a revoked token valid again); the memory alarm
 * warns long before.
 */
export function cacheParameters(): Record<string, string> {
  return { 'cluster-enabled': 'no', 'maxmemory-policy': 'noeviction' };
}

/** Properties of a {@link RevocationAndRateLimitCache}. */
export interface RevocationAndRateLimitCacheProps {
  /** The cache section of the stage's configuration. */
  readonly settings: StageConfig['dataStores']['cache'];
  /** The replication group id, from the naming module (the AUTH token rotation finds the group by it). */
  readonly replicationGroupId: string;
  readonly vpc: ec2.IVpc;
  /** The isolated data subnets. */
  readonly subnets: ec2.SubnetSelection;
  /** The availability zones, in order: the primary goes in the first, replicas in the next. */
  readonly availabilityZones: readonly string[];
  /** The cluster's security group: with the token rotation's, the only source admitted. */
  readonly clusterSecurityGroup: ec2.ISecurityGroup;
  /** The AUTH token rotation function's security group (its testSecret authenticates with the new token). */
  readonly authTokenRotationSecurityGroup: ec2.ISecurityGroup;
  /** The AUTH token, as a dynamic reference to the token's secret (never a literal). */
  readonly authToken: SecretValue;
  /** Encrypts the nodes' storage and snapshots. */
  readonly dataStoresKey: kms.IKey;
  /** Encrypts the log groups. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** The log groups' names by log type, under the project's prefix (the logs key serves only that). */
  readonly logGroupName: (logType: (typeof CACHE_LOG_TYPES)[number]) => string;
}

/**
 * The ElastiCache replication group (Valkey or Redis OSS) holding token revocations and the
 * gateway's rate-limit counters, cluster mode disabled (Kong's open-source rate-limiting plugin
 * cannot talk to Redis Cluster):
 *
 * - at rest encrypted with the data-stores key; TLS required; AUTH token by dynamic reference to
 *   the secret the AUTH token rotation function rotates;
 * - in the isolated data subnets on a non-default port, admitting only the cluster and the token
 *   rotation; Multi-AZ with automatic failover when configured;
 * - daily snapshots kept `snapshotRetentionDays`, a final snapshot on deletion or replacement;
 * - slow log and engine log delivered as JSON to KMS-encrypted log groups.
 */
export class RevocationAndRateLimitCache extends Construct {
  /** The replication group. */
  public readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** Its security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The port clients connect to. */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: RevocationAndRateLimitCacheProps) {
    super(scope, id);
    const { settings } = props;
    const nodes = 1 + settings.replicas;
    if (settings.multiAz && settings.replicas < 1) {
      throw new Error(`Multi-AZ needs a replica in another zone; ${this.node.path} was given ${settings.replicas} replicas`);
    }
    if (props.availabilityZones.length < Math.min(nodes, 2)) {
      throw new Error(`${this.node.path} spreads ${nodes} nodes over zones, but only ${props.availabilityZones.length} are given`);
    }
    this.port = settings.port;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${settings.engine} ${props.replicationGroupId}: port ${settings.port} from the cluster and the AUTH token rotation only`,
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    const connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(settings.port) });
    connections.allowDefaultPortFrom(props.clusterSecurityGroup, 'The cluster’s workloads and the gateway');
    // Adds the matching egress rule to the rotation function's group as well, in this stack.
    connections.allowDefaultPortFrom(props.authTokenRotationSecurityGroup, 'The AUTH token rotation (testSecret)');

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: `Isolated data subnets of ${props.replicationGroupId}`,
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
    });
    subnetGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const parameterGroup = new elasticache.CfnParameterGroup(this, 'ParameterGroup', {
      cacheParameterGroupFamily: cacheParameterGroupFamily(settings.engine, settings.engineVersion),
      description: `${props.replicationGroupId}: cluster mode disabled, no eviction`,
      properties: cacheParameters(),
    });
    parameterGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const logGroups = CACHE_LOG_TYPES.map(
      (logType) =>
        new logs.LogGroup(this, logType === 'slow-log' ? 'SlowLogGroup' : 'EngineLogGroup', {
          logGroupName: props.logGroupName(logType),
          encryptionKey: props.logsKey,
          retention: props.logRetentionDays as logs.RetentionDays,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );
    const deliveryPolicy = this.logDeliveryPolicy(logGroups);

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupId: props.replicationGroupId,
      replicationGroupDescription: 'Token revocations and rate-limit counters (cluster mode disabled)',
      engine: settings.engine,
      engineVersion: settings.engineVersion,
      cacheNodeType: settings.nodeType,
      clusterMode: 'disabled',
      numCacheClusters: nodes,
      preferredCacheClusterAZs: Array.from(
        { length: nodes },
        (_, index) => props.availabilityZones[index % props.availabilityZones.length],
      ),
      automaticFailoverEnabled: settings.replicas > 0,
      multiAzEnabled: settings.multiAz,
      cacheSubnetGroupName: subnetGroup.ref,
      cacheParameterGroupName: parameterGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      port: settings.port,
      networkType: 'ipv4',
      ipDiscovery: 'ipv4',
      atRestEncryptionEnabled: true,
      kmsKeyId: props.dataStoresKey.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      authToken: props.authToken.unsafeUnwrap(),
      snapshotRetentionLimit: settings.snapshotRetentionDays,
      autoMinorVersionUpgrade: true,
      dataTieringEnabled: false,
      logDeliveryConfigurations: CACHE_LOG_TYPES.map((logType, index) => ({
        logType,
        logFormat: 'json',
        destinationType: 'cloudwatch-logs',
        destinationDetails: { cloudWatchLogsDetails: { logGroup: logGroups[index].logGroupName } },
      })),
    });
    if (!settings.multiAz) {
      acknowledge(
        this.replicationGroup,
        ['AwsSolutions-AEC4'],
        'This stage’s configuration sets dataStores.cache.multiAz: false (a development stage with a single node); production runs replicas in other zones with automatic failover and passes the rule.',
      );
    }
    // A final snapshot when the group is deleted or replaced; CloudFormation names it.
    this.replicationGroup.cfnOptions.deletionPolicy = CfnDeletionPolicy.SNAPSHOT;
    this.replicationGroup.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.SNAPSHOT;
    this.replicationGroup.node.addDependency(deliveryPolicy);
  }

  /**
   * The CloudWatch Logs resource policy that lets the log delivery service write the cache's
   * logs, for this account only and into the two groups only. Without it CloudWatch Logs would
   * add a broader one of its own, outside the template.
   */
  private logDeliveryPolicy(logGroups: logs.LogGroup[]): logs.ResourcePolicy {
    const stack = Stack.of(this);
    return new logs.ResourcePolicy(this, 'LogDeliveryPolicy', {
      resourcePolicyName: `${Stack.of(this).stackName}-cache-log-delivery`,
      policyStatements: [
        new iam.PolicyStatement({
          sid: 'CacheLogDelivery',
          principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: logGroups.map((group) => group.logGroupArn),
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
          },
        }),
      ],
    });
  }
}
