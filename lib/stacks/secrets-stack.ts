import { ArnFormat, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { controlTowerFinding } from '../compliance/control-tower';
import { SECRET_PURPOSES } from '../config';
import type { AwsApiEndpoints } from '../constructs/aws-api-endpoints';
import { RotatedSecret } from '../constructs/rotated-secret';
import type { RotationFunction, RotationFunctionProps } from '../constructs/rotation-function';
import { SecretResourcePolicy } from '../constructs/secret-resource-policy';
import type { StageNetwork } from '../constructs/stage-network';
import { ENV } from '../rotation/handlers/environment';
import { KEYRING_BOOTSTRAP } from '../rotation/keyring';
import { REDIS_AUTH_TOKEN_FIELD } from '../rotation/redis-auth-token-rotation';
import { StageStack, type StageStackProps } from './stage-stack';

/** How long the Redis rotation waits for ElastiCache to apply a token change within one step. */
const REDIS_WAIT_SECONDS = 600;

/** Properties of a {@link SecretsStack}. */
export interface SecretsStackProps extends StageStackProps {
  /** Encrypts every secret. */
  readonly secretsKey: kms.IKey;
  /** Encrypts the rotation functions' log groups. */
  readonly logsKey: kms.IKey;
  /** The VPC whose private subnets hold the rotation functions. */
  readonly network: StageNetwork;
  /** The AWS API endpoints, when the network stack creates them. */
  readonly apiEndpoints?: AwsApiEndpoints;
  /** Where every alarm of the stack reports: the stage's security alert topic. */
  readonly alarmActions: readonly cloudwatch.IAlarmAction[];
}

/**
 * The stage's application secrets, each KMS-encrypted with the secrets key, retained on stack
 * deletion, guarded by a resource policy and rotated on the configured schedule:
 *
 * - `jwt-signing-key`: HS256 keyring `{ current, previous }` (previous retired one session
 *   lifetime plus the clients' refresh time after a rotation);
 * - `api-key-encryption-key`: Fernet keyring `{ current, previous }` (previous kept until the
 *   next rotation, for re-encryption);
 * - `redis-auth-token`: `{ authToken }` for the ElastiCache replication group named by the
 *   naming module (ROTATE, then SET once clients have moved).
 */
export class SecretsStack extends StageStack {
  /** The key every secret is encrypted with (the data-stores stack encrypts the database credentials with it). */
  public readonly secretsKey: kms.IKey;
  /** The HS256 signing keyring. */
  public readonly jwtSigningKey: secretsmanager.Secret;
  /** The Fernet keyring for stored API keys. */
  public readonly apiKeyEncryptionKey: secretsmanager.Secret;
  /** The ElastiCache AUTH token: the data-stores stack passes it to the replication group by dynamic reference. */
  public readonly redisAuthToken: secretsmanager.Secret;
  /**
   * The Redis token's rotation function: the data-stores stack admits its security group to
   * the cache port, so testSecret can authenticate with the new token.
   */
  public readonly redisAuthTokenRotation: RotationFunction;
  /** Receives settle events that failed every retry. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Every alarm of the stack, each notifying `alarmActions`. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The private subnets and API endpoints rotation functions run with (the database credentials' rotation too). */
  public readonly rotationNetwork: {
    readonly vpc: ec2.IVpc;
    readonly subnets: ec2.SubnetSelection;
    readonly apiEndpoints?: AwsApiEndpoints;
  };

  constructor(scope: Construct, id: string, props: SecretsStackProps) {
    super(scope, id, props);
    this.secretsKey = props.secretsKey;
    this.rotationNetwork = { vpc: props.network.vpc, subnets: props.network.privateSubnets, apiEndpoints: props.apiEndpoints };
    const { config, naming } = this;
    const clientRefreshSeconds = config.secrets.clientRefreshMinutes * 60;

    this.deadLetterQueue = new sqs.Queue(this, 'RotationDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue.node.defaultChild as sqs.CfnQueue,
      [controlTowerFinding('CT.SQS.PR.1')],
      'This queue is the rotation functions’ dead-letter queue: a message in it raises the alarm below and stays 14 days; a queue behind it would only move a failure further from its alarm.',
    );
    const deadLettersAlarm = new cloudwatch.Alarm(this, 'RotationDeadLettersAlarm', {
      alarmDescription: 'A settle run of a rotation function failed every retry; its event is in the dead-letter queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.routeAlarm(deadLettersAlarm, props.alarmActions);

    const rotation = (handler: RotationFunctionProps['handler']) => ({
      handler,
      vpc: props.network.vpc,
      subnets: props.network.privateSubnets,
      apiEndpointsSecurityGroup: props.apiEndpoints?.securityGroup,
      logGroupName: naming.logGroupName(`secrets-rotation/${handler}`),
      logsKey: props.logsKey,
      logRetentionDays: config.logging.retentionDays,
      deadLetterQueue: this.deadLetterQueue,
    });
    // A reference by ARN: the Secret construct would otherwise add its own, looser grant (with
    // kms:CreateGrant) to the key policy in the keys stack, which already lets this account use
    // the key through Secrets Manager only.
    const secretsKey = kms.Key.fromKeyArn(this, 'SecretsKeyReference', props.secretsKey.keyArn);
    const common = { secretsKey, rotationDays: config.rotation.secretsDays, alarmActions: props.alarmActions };
    // The keyrings' first value is a placeholder without a key: the first rotation, run as soon
    // as the schedule exists, writes the first key. CloudFormation needs a generated field to
    // create a secret without a literal value; `bootstrap` is that filler.
    const keyringPlaceholder: secretsmanager.SecretStringGenerator = {
      secretStringTemplate: JSON.stringify(KEYRING_BOOTSTRAP.template),
      generateStringKey: KEYRING_BOOTSTRAP.generatedField,
      passwordLength: 32,
      excludePunctuation: true,
      includeSpace: false,
    };

    const jwt = new RotatedSecret(this, 'JwtSigningKey', {
      ...common,
      secretName: naming.secretName(SECRET_PURPOSES.jwtSigningKey),
      description: 'HS256 signing keyring: {"current":{"kid","key"},"previous":{"kid","key"}|null}; sign with current, verify with both',
      initialValue: keyringPlaceholder,
      rotateImmediately: true,
      rotation: {
        ...rotation('jwt-signing-key'),
        settleHourly: true,
        environment: { [ENV.retirePreviousAfterSeconds]: String(config.session.maxLifetimeSeconds + clientRefreshSeconds) },
      },
    });

    const fernet = new RotatedSecret(this, 'ApiKeyEncryptionKey', {
      ...common,
      secretName: naming.secretName(SECRET_PURPOSES.apiKeyEncryptionKey),
      description:
        'Fernet keyring for stored API keys: {"current":{"kid","key"},"previous":{"kid","key"}|null}; encrypt with current, decrypt with both',
      initialValue: keyringPlaceholder,
      rotateImmediately: true,
      rotation: rotation('api-key-encryption-key'),
    });

    const replicationGroupId = naming.cacheReplicationGroupId;
    const redis = new RotatedSecret(this, 'RedisAuthToken', {
      ...common,
      secretName: naming.secretName(SECRET_PURPOSES.redisAuthToken),
      description: `ElastiCache AUTH token of ${replicationGroupId}: {"authToken"}`,
      // 64 letters and digits: no character ElastiCache forbids or a client URL would need to escape.
      initialValue: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: REDIS_AUTH_TOKEN_FIELD,
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      },
      // The cache is created later, by the data-stores stack, with this value: the first
      // rotation waits for the schedule.
      rotateImmediately: false,
      rotation: {
        ...rotation('redis-auth-token'),
        settleHourly: true,
        // Waits for ElastiCache within a step, plus time for the AUTH probes.
        timeout: Duration.seconds(REDIS_WAIT_SECONDS + 120),
        extraSecretActions: ['secretsmanager:ListSecretVersionIds'],
        extraStatements: [
          new iam.PolicyStatement({
            sid: 'RotateTheCachesAuthToken',
            actions: ['elasticache:DescribeReplicationGroups', 'elasticache:ModifyReplicationGroup'],
            resources: [
              this.formatArn({
                service: 'elasticache',
                resource: 'replicationgroup',
                resourceName: replicationGroupId,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ],
          }),
        ],
        environment: {
          [ENV.replicationGroupId]: replicationGroupId,
          [ENV.overlapSeconds]: String(clientRefreshSeconds),
          [ENV.waitTimeoutSeconds]: String(REDIS_WAIT_SECONDS),
        },
      },
    });

    for (const rotated of [jwt, fernet, redis]) {
      new SecretResourcePolicy(rotated, 'Policy', { secret: rotated.secret });
      this.alarms.push(rotated.rotation.errorsAlarm);
    }
    this.jwtSigningKey = jwt.secret;
    this.apiKeyEncryptionKey = fernet.secret;
    this.redisAuthToken = redis.secret;
    this.redisAuthTokenRotation = redis.rotation;
  }

  private routeAlarm(alarm: cloudwatch.Alarm, actions: readonly cloudwatch.IAlarmAction[]): void {
    this.alarms.push(alarm);
    alarm.addAlarmAction(...actions);
  }
}
