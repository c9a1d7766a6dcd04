import { RemovalPolicy } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { AuditArchiveBucket } from '../constructs/audit-archive-bucket';
import { AuditTrail } from '../constructs/audit-trail';
import { ConfigurationCompliance } from '../constructs/configuration-compliance';
import { FindingRouting } from '../constructs/finding-routing';
import { ImageRepository } from '../constructs/image-repository';
import { SecurityAlarms } from '../constructs/security-alarms';
import { SecurityAlertTopic } from '../constructs/security-alert-topic';
import { SecurityStandards } from '../constructs/security-standards';
import { ThreatDetection } from '../constructs/threat-detection';
import { StageStack, type StageStackProps } from './stage-stack';

/** Properties of an {@link AuditStack}. */
export interface AuditStackProps extends StageStackProps {
  /** Encrypts the trail, its archive, the log groups and the alert topic. */
  readonly logsKey: kms.IKey;
  /** Encrypts the image repositories. */
  readonly dataStoresKey: kms.IKey;
}

/**
 * The stage's audit trail and what watches it: the CloudTrail trail and its Object-Locked
 * archive, the access-log bucket, the security alert topic with its alarms and finding
 * routes, detection (GuardDuty, Security Hub, AWS Config) and the image repositories, each
 * detection service switched by config.
 */
export class AuditStack extends StageStack {
  /** The security alert topic: alarms of later stacks notify it, people subscribe to it. */
  public readonly alertTopic: sns.ITopic;
  /** The Object-Locked archive of CloudTrail log files and AWS Config snapshots. */
  public readonly auditBucket: s3.IBucket;
  /**
   * The bucket for ALB access logs (under `naming.loadBalancerLogPrefix`, already allowed for
   * Elastic Load Balancing) and the archive's S3 server access logs. SSE-S3, because ELB
   * cannot deliver to a KMS-encrypted bucket.
   */
  public readonly accessLogBucket: s3.IBucket;
  /** The log group the cluster ships Kong's JSON access log to. */
  public readonly gatewayAccessLogGroup: logs.ILogGroup;
  /** The audit trail and its log group. */
  public readonly trail: AuditTrail;
  /** The security alarms. */
  public readonly alarms: SecurityAlarms;
  /** The image repositories, by the name in `audit.detection.imageRepositories`. */
  public readonly imageRepositories: Readonly<Record<string, ecr.IRepository>>;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);
    const { audit } = this.config;
    const { account, region } = this.config.aws;

    const accessLogs = new AccessLogBucket(this, 'AccessLogBucket', {
      bucketName: this.naming.accessLogBucketName(account, region),
      archiveAfterDays: audit.archiveAfterDays,
      expireAfterDays: this.config.logging.retentionDays,
    });
    accessLogs.allowLoadBalancerAccessLogs(this.naming.loadBalancerLogPrefix);
    this.accessLogBucket = accessLogs.bucket;

    const archive = new AuditArchiveBucket(this, 'AuditArchiveBucket', {
      bucketName: this.naming.bucketName('audit', account, region),
      encryptionKey: props.logsKey,
      objectLockDays: audit.objectLockDays,
      archiveAfterDays: audit.archiveAfterDays,
      expireAfterDays: audit.expireAfterDays,
      serverAccessLogsBucket: accessLogs.bucket,
    });
    this.auditBucket = archive.bucket;

    this.trail = new AuditTrail(this, 'Trail', {
      trailName: this.naming.trailName,
      bucket: archive.bucket,
      logsKey: props.logsKey,
      logGroupName: this.naming.logGroupName('cloudtrail'),
      logRetentionDays: this.config.logging.retentionDays,
    });

    this.gatewayAccessLogGroup = new logs.LogGroup(this, 'GatewayAccessLogGroup', {
      logGroupName: this.naming.gatewayAccessLogGroupName,
      encryptionKey: props.logsKey,
      retention: this.config.logging.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const alerts = new SecurityAlertTopic(this, 'AlertTopic', {
      topicName: this.naming.alertTopicName,
      masterKey: props.logsKey,
      emails: this.config.alerts.emails,
    });
    this.alertTopic = alerts.topic;

    this.alarms = new SecurityAlarms(this, 'Alarms', {
      alarmName: (purpose) => this.naming.alarmName(purpose),
      metricNamespace: `${this.config.project}/${this.config.stage}/security`,
      topic: alerts.topic,
      trailLogGroup: this.trail.logGroup,
      gatewayLogGroup: this.gatewayAccessLogGroup,
      webAclName: this.naming.webAclName,
      secretNamePrefix: this.naming.secretNamePrefix,
      thresholds: audit.alarmThresholds,
    });
    new FindingRouting(this, 'FindingRouting', { topic: alerts.topic });

    const { detection } = audit;
    if (detection.guardDuty) new ThreatDetection(this, 'ThreatDetection');
    if (detection.securityHub) new SecurityStandards(this, 'SecurityStandards');
    if (detection.awsConfig)
      new ConfigurationCompliance(this, 'ConfigurationCompliance', { bucket: archive.bucket, bucketKey: props.logsKey });
    this.imageRepositories = Object.fromEntries(
      detection.imageRepositories.map((name) => [
        name,
        new ImageRepository(this, `ImageRepository-${name}`, {
          repositoryName: this.naming.imageRepositoryName(name),
          encryptionKey: props.dataStoresKey,
        }).repository,
      ]),
    );
  }
}
