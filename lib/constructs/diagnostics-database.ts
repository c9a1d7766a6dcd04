import { Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { controlTowerFinding } from '../compliance/control-tower';
import type { StageConfig } from '../config';
import { SecretResourcePolicy } from './secret-resource-policy';
import { BACKUP_TAG } from './tagged-backup-plan';

/** The database the instance is created with; pg_cron runs its jobs in it. */
export const DATABASE_NAME = 'diagnostics';
/** The master user: migrations and administration only, never the applications. */
export const ADMIN_USERNAME = 'hydraulic_admin';
/** The applications' user (and, with multi-user rotation, `hydraulic_app_clone`). */
export const APPLICATION_USERNAME = 'hydraulic_app';
/** The logs RDS exports to CloudWatch Logs. */
export const EXPORTED_LOGS = ['postgresql', 'upgrade'] as const;

/**
 * The database's parameters: TLS only, SCRAM passwords, pgaudit, pg_cron, connection logging.
 * `shared_preload_libraries` is static: RDS applies a change at the next reboot.
 */
export function databaseParameters(): Record<string, string> {
  return {
    // Every connection uses TLS, 1.2 or later.
    'rds.force_ssl': '1',
    ssl_min_protocol_version: 'TLSv1.2',
    password_encryption: 'scram-sha-256',
    // pg_stat_statements is RDS's own default; pgaudit and pg_cron are what this project adds.
    shared_preload_libraries: 'pg_stat_statements,pgaudit,pg_cron',
    // The design document's audit section: data changes, schema changes, role and privilege changes.
    'pgaudit.log': 'ddl,role,write',
    // Bound values can be personal data or secrets; the statement text is enough to audit.
    'pgaudit.log_parameter': '0',
    log_connections: '1',
    log_disconnections: '1',
    // pg_cron keeps its job table in one database and schedules jobs (pg_partman maintenance) there.
    'cron.database_name': DATABASE_NAME,
  };
}

/** Where the rotation functions run and how they reach Secrets Manager. */
export interface DatabaseRotationNetwork {
  /** The private subnets (with a route to the Secrets Manager endpoint or NAT). */
  readonly subnets: ec2.SubnetSelection;
  /**
   * The AWS API endpoints' security group: HTTPS goes only there.
   * @default - HTTPS to anywhere (through NAT or endpoints the VPC already has)
   */
  readonly apiEndpointsSecurityGroup?: ec2.ISecurityGroup;
}

/** Properties of a {@link DiagnosticsDatabase}. */
export interface DiagnosticsDatabaseProps {
  /** The database section of the stage's configuration. */
  readonly settings: StageConfig['dataStores']['database'];
  /** The RDS instance identifier, from the naming module. */
  readonly instanceIdentifier: string;
  readonly vpc: ec2.IVpc;
  /** The isolated data subnets. */
  readonly subnets: ec2.SubnetSelection;
  /** The one source the database admits (the EKS nodes' or pods' security group). */
  readonly clusterSecurityGroup: ec2.ISecurityGroup;
  /** Encrypts storage, snapshots and Performance Insights. */
  readonly dataStoresKey: kms.IKey;
  /** Encrypts both credential secrets. */
  readonly secretsKey: kms.IKey;
  /** Encrypts the exported logs. */
  readonly logsKey: kms.IKey;
  /** Days the exported logs are kept. */
  readonly logRetentionDays: number;
  /** The exported log groups' names by log type (RDS decides them: `/aws/rds/instance/<id>/<type>`). */
  readonly logGroupName: (logType: string) => string;
  /** The master user's secret name (never synced into the cluster). */
  readonly adminSecretName: string;
  /** The applications' secret name (what External Secrets reads). */
  readonly applicationSecretName: string;
  /** Days between rotations of both secrets. */
  readonly rotationDays: number;
  /** The hosted rotation functions' names; their log groups are created here, encrypted. */
  readonly rotationFunctionName: (user: 'admin' | 'application') => string;
  readonly rotationNetwork: DatabaseRotationNetwork;
}

/**
 * The platform's RDS for PostgreSQL instance (diagnostics, time-series sensor data):
 *
 * - storage, snapshots and Performance Insights encrypted with the data-stores key; TLS forced
 *   (`rds.force_ssl`, TLS 1.2+); IAM database authentication on; pgaudit and connection logs
 *   exported to KMS-encrypted log groups kept for the configured retention;
 * - in the isolated data subnets, never publicly accessible, behind a security group that admits
 *   the cluster and the rotation functions on a non-default port, and nothing else;
 * - snapshotted on deletion and replacement, deletion protection, Multi-AZ, backups and automated
 *   backups kept after deletion; tagged for the stage's AWS Backup plan;
 * - two secrets (master user, application user), each KMS-encrypted, retained, guarded by the
 *   project's resource policy and rotated by a Secrets Manager hosted rotation function.
 */
export class DiagnosticsDatabase extends Construct {
  /** The instance. */
  public readonly instance: rds.DatabaseInstance;
  /** The instance's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The hosted rotation functions' security group. */
  public readonly rotationSecurityGroup: ec2.SecurityGroup;
  /** The master user's secret (attached to the instance: it holds host, port and engine too). */
  public readonly adminSecret: rds.DatabaseSecret;
  /** The application user's secret (attached likewise). */
  public readonly applicationSecret: rds.DatabaseSecret;
  /** The rotation schedules of the two secrets. */
  public readonly rotationSchedules: {
    readonly admin: secretsmanager.CfnRotationSchedule;
    readonly application: secretsmanager.CfnRotationSchedule;
  };

  constructor(scope: Construct, id: string, props: DiagnosticsDatabaseProps) {
    super(scope, id);
    const { settings } = props;
    if (settings.backupRetentionDays < 7) {
      throw new Error(`The database keeps backups at least 7 days; ${this.node.path} was given ${settings.backupRetentionDays}`);
    }
    const engine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.of(settings.engineVersion, settings.engineVersion.split('.')[0]),
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `PostgreSQL ${props.instanceIdentifier}: port ${settings.port} from the cluster and the credential rotation only`,
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    this.rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc: props.vpc,
      description: `Credential rotation of ${props.instanceIdentifier}: the database and the AWS APIs only`,
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    if (props.rotationNetwork.apiEndpointsSecurityGroup) {
      this.rotationSecurityGroup.addEgressRule(
        props.rotationNetwork.apiEndpointsSecurityGroup,
        ec2.Port.tcp(443),
        'HTTPS to the AWS API endpoints',
      );
    } else {
      this.rotationSecurityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'HTTPS to the AWS APIs through NAT or existing endpoints',
      );
    }

    const subnetGroup = new rds.SubnetGroup(this, 'SubnetGroup', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      description: `Isolated data subnets of ${props.instanceIdentifier}`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine,
      description: `${props.instanceIdentifier}: TLS only, pgaudit, pg_cron, connection logging`,
      parameters: databaseParameters(),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const logGroups = EXPORTED_LOGS.map(
      (logType) =>
        new logs.LogGroup(this, `${logType[0].toUpperCase()}${logType.slice(1)}LogGroup`, {
          logGroupName: props.logGroupName(logType),
          encryptionKey: props.logsKey,
          retention: props.logRetentionDays as logs.RetentionDays,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );

    const secret = (secretId: string, secretName: string, username: string, description: string, masterSecret?: secretsmanager.ISecret) => {
      const created = new rds.DatabaseSecret(this, secretId, {
        secretName,
        username,
        dbname: DATABASE_NAME,
        encryptionKey: props.secretsKey,
        masterSecret,
        // The generated password's rules never change, so the secret's logical ID never does.
        replaceOnPasswordCriteriaChanges: false,
      });
      created.applyRemovalPolicy(RemovalPolicy.RETAIN);
      (created.node.defaultChild as secretsmanager.CfnSecret).description = description;
      new SecretResourcePolicy(this, `${secretId}Policy`, { secret: created });
      return created;
    };
    this.adminSecret = secret(
      'AdminCredentials',
      props.adminSecretName,
      ADMIN_USERNAME,
      `Master user of ${props.instanceIdentifier} (migrations and administration only; never synced into the cluster): {engine, host, port, dbname, username, password}`,
    );
    // The rotation reads the master secret by ARN; a reference keeps the hosted rotation from
    // attaching a resource policy of its own (a secret has one, SecretResourcePolicy's).
    const adminReference = secretsmanager.Secret.fromSecretAttributes(this, 'AdminCredentialsReference', {
      secretCompleteArn: this.adminSecret.secretArn,
      encryptionKey: props.secretsKey,
    });
    this.applicationSecret = secret(
      'ApplicationCredentials',
      props.applicationSecretName,
      APPLICATION_USERNAME,
      `Application user of ${props.instanceIdentifier} (${settings.credentialRotation} rotation): {engine, host, port, dbname, username, password${settings.credentialRotation === 'multi-user' ? ', masterarn' : ''}}`,
      settings.credentialRotation === 'multi-user' ? adminReference : undefined,
    );

    const monitoringRole = new iam.Role(this, 'MonitoringRole', {
      description: `Lets RDS Enhanced Monitoring publish host metrics of ${props.instanceIdentifier}`,
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
    });
    acknowledge(
      monitoringRole,
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]'],
      'The AWS-maintained Enhanced Monitoring policy only writes OS metrics to the RDSOSMetrics log group; only the RDS monitoring service of this account assumes the role.',
    );

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      instanceIdentifier: props.instanceIdentifier,
      engine,
      instanceType: new ec2.InstanceType(settings.instanceClass),
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromSecret(this.adminSecret),
      vpc: props.vpc,
      subnetGroup,
      securityGroups: [this.securityGroup],
      port: settings.port,
      publiclyAccessible: false,
      networkType: rds.NetworkType.IPV4,
      parameterGroup,
      storageType: rds.StorageType.GP3,
      allocatedStorage: settings.allocatedStorageGiB,
      maxAllocatedStorage: settings.maxAllocatedStorageGiB,
      storageEncrypted: true,
      storageEncryptionKey: props.dataStoresKey,
      iamAuthentication: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.dataStoresKey,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      monitoringInterval: Duration.seconds(settings.monitoringIntervalSeconds),
      monitoringRole,
      cloudwatchLogsExports: [...EXPORTED_LOGS],
      multiAz: settings.multiAz,
      deletionProtection: settings.deletionProtection,
      backupRetention: Duration.days(settings.backupRetentionDays),
      // Point-in-time backups stay after the instance is deleted, until their retention ends.
      deleteAutomatedBackups: false,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    // RDS would create the log groups itself (unencrypted, kept forever) if they did not exist yet.
    for (const group of logGroups) this.instance.node.addDependency(group);
    Tags.of(this.instance).add(BACKUP_TAG.key, BACKUP_TAG.value);
    acknowledge(
      this.instance,
      ['NIST.800.53.R5-RDSInBackupPlan', 'HIPAA.Security-RDSInBackupPlan'],
      `The stage's backup plan (backup stack) selects resources by the tag ${BACKUP_TAG.key}=${BACKUP_TAG.value}, which this instance carries; the rule only finds plans that name the instance in the same template.`,
    );
    if (!settings.multiAz) {
      acknowledge(
        this.instance,
        ['AwsSolutions-RDS3', 'NIST.800.53.R5-RDSMultiAZSupport', 'HIPAA.Security-RDSMultiAZSupport', controlTowerFinding('CT.RDS.PR.1')],
        'This stage’s configuration sets dataStores.database.multiAz: false (a development stage, where a zone outage may stop the database for a while); production sets it true and passes the rule.',
      );
    }
    if (!settings.deletionProtection) {
      acknowledge(
        this.instance,
        [
          'AwsSolutions-RDS10',
          'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled',
          'HIPAA.Security-RDSInstanceDeletionProtectionEnabled',
          controlTowerFinding('CT.RDS.PR.13'),
        ],
        'This stage’s configuration sets dataStores.database.deletionProtection: false (a development stage that is torn down); deletion still leaves a final snapshot, and production sets it true.',
      );
    }

    const applicationAttachment = this.applicationSecret.attach(this.instance);
    // The instance attaches the master user's secret itself (credentials from the secret).
    const adminAttachment = this.instance.secret;
    if (!adminAttachment) throw new Error(`${this.node.path}: the instance did not attach its master user's secret`);
    // The port as a literal (the instance's own connections carry it as a token), so the rule
    // packs can check the rules.
    const connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(settings.port) });
    connections.allowDefaultPortFrom(props.clusterSecurityGroup, 'The cluster’s workloads');
    connections.allowDefaultPortFrom(this.rotationSecurityGroup, 'Credential rotation');

    // CfnRotationSchedule rather than addRotationSchedule: the L2 would attach a resource policy
    // of its own to the secret, which already has SecretResourcePolicy's (a secret has one).
    const schedule = (user: 'admin' | 'application', rotation: secretsmanager.HostedRotation, attachment: secretsmanager.ISecret) => {
      const prefix = user === 'admin' ? 'Admin' : 'Application';
      // Lambda would create the function's log group itself, unencrypted and kept forever.
      const logGroup = new logs.LogGroup(this, `${prefix}RotationLogGroup`, {
        logGroupName: `/aws/lambda/${props.rotationFunctionName(user)}`,
        encryptionKey: props.logsKey,
        retention: props.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const created = new secretsmanager.CfnRotationSchedule(this, `${prefix}CredentialsRotation`, {
        secretId: attachment.secretArn,
        hostedRotationLambda: rotation.bind(attachment, this),
        rotationRules: { automaticallyAfterDays: Duration.days(props.rotationDays).toDays() },
        // The application user is created once by the runbook (docs/data-stores.md): rotating it before it
        // exists would fail. The master user exists with the instance and rotates at once.
        rotateImmediatelyOnUpdate: user === 'admin',
      });
      created.node.addDependency(logGroup);
      return created;
    };
    const hostedRotationOptions = (user: 'admin' | 'application') => ({
      functionName: props.rotationFunctionName(user),
      vpc: props.vpc,
      vpcSubnets: props.rotationNetwork.subnets,
      securityGroups: [this.rotationSecurityGroup],
    });
    this.rotationSchedules = {
      admin: schedule('admin', secretsmanager.HostedRotation.postgreSqlSingleUser(hostedRotationOptions('admin')), adminAttachment),
      application: schedule(
        'application',
        settings.credentialRotation === 'multi-user'
          ? secretsmanager.HostedRotation.postgreSqlMultiUser({ ...hostedRotationOptions('application'), masterSecret: adminReference })
          : secretsmanager.HostedRotation.postgreSqlSingleUser(hostedRotationOptions('application')),
        applicationAttachment,
      ),
    };
  }
}
