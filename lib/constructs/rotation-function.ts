import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { ENV } from '../rotation/handlers/environment';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..');

/** Secrets Manager actions every rotation function needs on its secret. */
const ROTATION_SECRET_ACTIONS = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecretVersionStage',
];

/**
 * Concurrent runs allowed: one Secrets Manager step and one settle run may overlap; a third
 * would only mean something is invoking the function that should not.
 */
const RESERVED_CONCURRENCY = 2;

/** Properties of a {@link RotationFunction}. */
export interface RotationFunctionProps {
  /** What the function rotates, shown in the Lambda console. */
  readonly description: string;
  /** The handler module in `lib/rotation/handlers/` (file name without extension). */
  readonly handler: 'jwt-signing-key' | 'api-key-encryption-key' | 'redis-auth-token';
  /** The one secret the function may read and write. */
  readonly secret: secretsmanager.ISecret;
  /** The key that encrypts the secret; used only through Secrets Manager, only for this secret. */
  readonly secretsKey: kms.IKey;
  /** More Secrets Manager actions on the secret than the four every rotation needs. @default none */
  readonly extraSecretActions?: readonly string[];
  /** Statements for anything else the rotation touches (scoped to single resources). @default none */
  readonly extraStatements?: readonly iam.PolicyStatement[];
  /** Configuration for the handler, besides the secret's ARN. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Whether to invoke the function hourly with `{ "action": "settle" }`. @default false */
  readonly settleHourly?: boolean;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /**
   * The AWS API endpoints' security group: when given, HTTPS goes only to it; otherwise to
   * anywhere (through the VPC's NAT gateways or its own endpoints).
   */
  readonly apiEndpointsSecurityGroup?: ec2.ISecurityGroup;
  /** The function's log group name, under the project's prefix (the logs key serves only that). */
  readonly logGroupName: string;
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** Receives events of asynchronous invocations (settle runs) that failed every retry. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * A Secrets Manager rotation function for one secret: TypeScript bundled by esbuild (with the
 * AWS SDK version the tests ran against), in the VPC's private subnets behind its own security
 * group, with its own KMS-encrypted log group, a role that can touch only that secret (and
 * what `extraStatements` name), reserved concurrency, a dead-letter queue and an alarm on errors.
 */
export class RotationFunction extends Construct {
  /** The function. */
  public readonly function: nodejs.NodejsFunction;
  /** Its security group; rules to what the rotation must reach (e.g. the cache) are added to it. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Its execution role. */
  public readonly role: iam.Role;
  /** Raised when any invocation fails (a failed rotation step or settle run). */
  public readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RotationFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const timeout = props.timeout ?? Duration.seconds(30);
    if (!timeout.isUnresolved() && timeout.toSeconds() > 900) {
      throw new Error(`A Lambda function runs at most 900 seconds; ${this.node.path} asks for ${timeout.toSeconds()}`);
    }

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.description}: HTTPS to the AWS APIs only`,
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    if (props.apiEndpointsSecurityGroup) {
      this.securityGroup.addEgressRule(props.apiEndpointsSecurityGroup, ec2.Port.tcp(443), 'HTTPS to the AWS API endpoints');
    } else {
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the AWS APIs through NAT or existing endpoints');
    }

    this.role = new iam.Role(this, 'Role', {
      description: `Execution role of the rotation function: ${props.description}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const subnetArns = props.vpc
      .selectSubnets(props.subnets)
      .subnetIds.map((subnetId) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: subnetId }));
    const networkInterfaces = stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least privilege of the rotation function: ${props.description}`,
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'RotateTheOneSecret',
          actions: [...ROTATION_SECRET_ACTIONS, ...(props.extraSecretActions ?? [])],
          resources: [props.secret.secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseTheSecretsKeyThroughSecretsManagerForThisSecret',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.secretsKey.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com`,
              'kms:EncryptionContext:SecretARN': props.secret.secretArn,
            },
          },
        }),
        ...(props.extraStatements ?? []),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`],
        }),
        new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }),
        new iam.PolicyStatement({
          sid: 'AttachToPrivateSubnets',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [
            networkInterfaces,
            ...subnetArns,
            stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: this.securityGroup.securityGroupId }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'ManageOwnNetworkInterfaces',
          actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: [networkInterfaces],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeNetwork',
          actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
          resources: ['*'],
        }),
      ],
    });
    const logGroupId = stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup);
    acknowledge(
      policy,
      [`AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:log-stream:*]`],
      'Lambda names a new log stream per execution environment; the wildcard covers only streams of the function’s own log group.',
    );
    acknowledge(
      policy,
      [`AwsSolutions-IAM5[Resource::${networkInterfaces}]`],
      'Lambda creates and deletes the function’s VPC network interfaces under ids unknown before they exist; creation is limited to the function’s subnets and security group.',
    );
    acknowledge(
      policy,
      ['AwsSolutions-IAM5[Resource::*]'],
      'ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource-level permissions; Lambda needs them to attach the function to the VPC. They read no data.',
    );

    this.function = new nodejs.NodejsFunction(this, 'Resource', {
      description: props.description,
      entry: path.join(REPOSITORY_ROOT, 'lib', 'rotation', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: path.join(REPOSITORY_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      // Immutable: a grant elsewhere cannot silently widen the role; the managed policy is the whole grant.
      role: this.role.withoutPolicyUpdates(),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      allowPublicSubnet: false,
      environment: { [ENV.secretArn]: props.secret.secretArn, ...props.environment },
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      reservedConcurrentExecutions: RESERVED_CONCURRENCY,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      recursiveLoop: lambda.RecursiveLoop.TERMINATE,
      bundling: {
        format: nodejs.OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: false,
        // The SDK the handlers were tested against, not whatever version the runtime carries.
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
      },
    });
    // Lambda attaches the function to the VPC with the role's permissions at creation.
    this.function.node.addDependency(policy);

    this.function.addPermission('InvokedBySecretsManager', {
      principal: new iam.ServicePrincipal('secretsmanager.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
    });

    if (props.settleHourly) {
      new events.Rule(this, 'SettleSchedule', {
        description: `Settles what waits for clients after a rotation: ${props.description}`,
        schedule: events.Schedule.rate(Duration.hours(1)),
        targets: [new targets.LambdaFunction(this.function, { event: events.RuleTargetInput.fromObject({ action: 'settle' }) })],
      });
    }

    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `A rotation step or settle run failed: ${props.description}. Read the function's log group ${props.logGroupName}.`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
