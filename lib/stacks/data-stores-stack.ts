import { Duration, SecretValue } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { SECRET_PURPOSES } from '../config';
import type { AwsApiEndpoints } from '../constructs/aws-api-endpoints';
import { DataStoreEndpointParameters } from '../constructs/data-store-endpoint-parameters';
import { DiagnosticsDatabase } from '../constructs/diagnostics-database';
import { RevocationAndRateLimitCache } from '../constructs/revocation-and-rate-limit-cache';
import type { StageNetwork } from '../constructs/stage-network';
import { StageStack, type StageStackProps } from './stage-stack';

/** The cache's memory use (percent) at which the alert topic hears of it. */
export const CACHE_MEMORY_ALARM_PERCENT = 80;

/** Properties of a {@link DataStoresStack}. */
export interface DataStoresStackProps extends StageStackProps {
  /** Encrypts the database, the cache, their snapshots and Performance Insights. */
  readonly dataStoresKey: kms.IKey;
  /** Encrypts the database credentials. */
  readonly secretsKey: kms.IKey;
  /** Encrypts the data stores' log groups. */
  readonly logsKey: kms.IKey;
  /** The VPC: data subnets for the stores, private subnets for the credential rotation. */
  readonly network: StageNetwork;
  /** The AWS API endpoints, when the network stack creates them. */
  readonly apiEndpoints?: AwsApiEndpoints;
  /** The Redis AUTH token rotation function's security group, admitted to the cache port. */
  readonly redisAuthTokenRotationSecurityGroup: ec2.ISecurityGroup;
  /** Where the data stores' alarms report. */
  readonly alertTopic: sns.ITopic;
}

/**
 * The stage's stateful data stores, in a stack of their own with termination protection (from
 * the config): the RDS for PostgreSQL instance with its credentials, the ElastiCache replication
 * group, and the SSM parameters that hand their endpoints to the cluster.
 *
 * Construct ids here are a contract: they make the logical IDs CloudFormation knows the
 * resources by, and a changed id replaces a database. `test/guards/stateful-inventory.json`
 * holds the inventory a refactor must keep.
 */
export class DataStoresStack extends StageStack {
  /** The PostgreSQL instance and its credentials. */
  public readonly database: DiagnosticsDatabase;
  /** The Valkey / Redis OSS replication group. */
  public readonly cache: RevocationAndRateLimitCache;
  /** The endpoints published for External Secrets. */
  public readonly endpointParameters: DataStoreEndpointParameters;
  /** Every alarm of the stack, each already reporting to the alert topic. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: DataStoresStackProps) {
    super(scope, id, { ...props, terminationProtection: props.config.dataStores.terminationProtection });
    const { config, naming } = this;
    const settings = config.dataStores;
    const { vpc } = props.network;
    // References by ARN: a construct given a key of another stack might otherwise add grants to
    // that stack's key policy, which already allows use through RDS, ElastiCache, Secrets Manager
    // and CloudWatch Logs only.
    const dataStoresKey = kms.Key.fromKeyArn(this, 'DataStoresKeyReference', props.dataStoresKey.keyArn);
    const secretsKey = kms.Key.fromKeyArn(this, 'SecretsKeyReference', props.secretsKey.keyArn);
    const logsKey = kms.Key.fromKeyArn(this, 'LogsKeyReference', props.logsKey.keyArn);
    // Immutable: the cluster's group belongs to the cluster; no rule of ours is added to it.
    const clusterSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'ClusterSecurityGroup', settings.clusterSecurityGroupId, {
      mutable: false,
      allowAllOutbound: false,
    });

    this.database = new DiagnosticsDatabase(this, 'Database', {
      settings: settings.database,
      instanceIdentifier: naming.databaseInstanceId,
      vpc,
      subnets: props.network.dataSubnets,
      clusterSecurityGroup,
      dataStoresKey,
      secretsKey,
      logsKey,
      logRetentionDays: config.logging.retentionDays,
      logGroupName: (logType) => naming.databaseLogGroupName(logType),
      adminSecretName: naming.databaseAdminSecretName,
      applicationSecretName: naming.secretName(SECRET_PURPOSES.databaseCredentials),
      rotationDays: config.rotation.secretsDays,
      rotationFunctionName: (user) => naming.databaseRotationFunctionName(user),
      rotationNetwork: { subnets: props.network.privateSubnets, apiEndpointsSecurityGroup: props.apiEndpoints?.securityGroup },
    });

    this.cache = new RevocationAndRateLimitCache(this, 'Cache', {
      settings: settings.cache,
      replicationGroupId: naming.cacheReplicationGroupId,
      vpc,
      subnets: props.network.dataSubnets,
      availabilityZones: config.aws.availabilityZones,
      clusterSecurityGroup,
      authTokenRotationSecurityGroup: props.redisAuthTokenRotationSecurityGroup,
      // {{resolve:secretsmanager:...:SecretString:authToken::}}: CloudFormation reads the token
      // when it creates the group; the template holds only the reference.
      authToken: SecretValue.secretsManager(naming.secretName(SECRET_PURPOSES.redisAuthToken), { jsonField: 'authToken' }),
      dataStoresKey,
      logsKey,
      logRetentionDays: config.logging.retentionDays,
      logGroupName: (logType) => naming.logGroupName(`cache/${logType}`),
    });

    this.endpointParameters = new DataStoreEndpointParameters(this, 'EndpointParameters', {
      naming,
      endpoints: {
        redisHost: this.cache.replicationGroup.attrPrimaryEndPointAddress,
        redisPort: this.cache.replicationGroup.attrPrimaryEndPointPort,
        databaseHost: this.database.instance.dbInstanceEndpointAddress,
        databasePort: this.database.instance.dbInstanceEndpointPort,
      },
    });

    const cacheMemory = new cloudwatch.Alarm(this, 'CacheMemoryAlarm', {
      alarmName: naming.alarmName('cache-memory'),
      alarmDescription: `${naming.cacheReplicationGroupId} uses more than ${CACHE_MEMORY_ALARM_PERCENT}% of its memory. It never evicts: when full it refuses new token revocations and rate-limit counts. Scale the node type up.`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName: 'DatabaseMemoryUsagePercentage',
        dimensionsMap: { ReplicationGroupId: naming.cacheReplicationGroupId, Role: 'Primary' },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: CACHE_MEMORY_ALARM_PERCENT,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    cacheMemory.addAlarmAction(new cloudwatchActions.SnsAction(props.alertTopic));
    this.alarms.push(cacheMemory);
  }
}
