import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { cloudWatchLogsUsage, PurposeKey, usageThroughServices } from '../constructs/purpose-key';
import { bucketUsage, cloudTrailUsage, encryptedTopicUsage } from '../constructs/service-key-usage';
import { StageStack, type StageStackProps } from './stage-stack';

/**
 * The stage's customer-managed KMS keys, one per purpose, in a stack of their own so that
 * no change to a workload stack can replace a key. Each key policy lets the account's
 * administrators manage the key but not use it; use is granted per service.
 */
export class KeysStack extends StageStack {
  /** Encrypts the databases and caches, their snapshots and Performance Insights, and the image repositories. */
  public readonly dataStoresKey: kms.Key;
  /** Encrypts every Secrets Manager secret. */
  public readonly secretsKey: kms.Key;
  /** Encrypts every CloudWatch Logs group, the audit trail and its archive, and the security alert topic. */
  public readonly logsKey: kms.Key;
  /** Encrypts the backup vault's recovery points. */
  public readonly backupsKey: kms.Key;

  constructor(scope: Construct, id: string, props: StageStackProps) {
    super(scope, id, props);
    const rotationDays = this.config.rotation.kmsKeyDays;
    const describe = (what: string) => `${this.naming.prefix}: ${what}`;

    this.dataStoresKey = new PurposeKey(this, 'DataStoresKey', {
      alias: this.naming.keyAlias('data-stores'),
      description: describe('RDS PostgreSQL and ElastiCache storage, snapshots and Performance Insights; ECR image layers'),
      rotationDays,
      usage: [
        ...usageThroughServices(this, { sid: 'DataStoresThroughRdsAndElastiCache', services: ['rds', 'elasticache'], allowGrants: true }),
        ...(this.config.audit.detection.imageRepositories.length > 0
          ? usageThroughServices(this, { sid: 'ImagesThroughEcr', services: ['ecr'], allowGrants: true })
          : []),
      ],
    }).key;

    this.secretsKey = new PurposeKey(this, 'SecretsKey', {
      alias: this.naming.keyAlias('secrets'),
      description: describe('Secrets Manager secrets (JWT signing keys, Fernet key, Redis AUTH token, database credentials)'),
      rotationDays,
      usage: usageThroughServices(this, { sid: 'SecretsThroughSecretsManager', services: ['secretsmanager'] }),
    }).key;

    this.logsKey = new PurposeKey(this, 'LogsKey', {
      alias: this.naming.keyAlias('logs'),
      description: describe('CloudWatch Logs groups (flow logs, WAF, audit and service logs), the CloudTrail archive, security alerts'),
      rotationDays,
      usage: [
        cloudWatchLogsUsage(this, this.naming.logGroupNamePatterns),
        ...cloudTrailUsage(this, this.naming.trailName),
        bucketUsage(this, 'AuditArchiveThroughS3', this.naming.bucketName('audit', this.config.aws.account, this.config.aws.region)),
        ...encryptedTopicUsage(this, this.naming.alertTopicName),
      ],
    }).key;

    this.backupsKey = new PurposeKey(this, 'BackupsKey', {
      alias: this.naming.keyAlias('backups'),
      description: describe('AWS Backup recovery points'),
      rotationDays,
      usage: usageThroughServices(this, { sid: 'RecoveryPointsThroughBackup', services: ['backup'], allowGrants: true }),
    }).key;
  }
}
