import { AspectPriority, Aspects, Stage, Tags } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import { Naming, type StageConfig } from './config';
import { LogGroupDeletionProtection } from './constructs/log-group-deletion-protection';
import { ClusterAccessStack } from './stacks/cluster-access-stack';
import { AuditStack } from './stacks/audit-stack';
import { BackupStack } from './stacks/backup-stack';
import { DataStoresStack } from './stacks/data-stores-stack';
import { DisasterRecoveryStack } from './stacks/disaster-recovery-stack';
import { EdgeStack } from './stacks/edge-stack';
import { KeysStack } from './stacks/keys-stack';
import { NetworkStack } from './stacks/network-stack';
import { SecretsStack } from './stacks/secrets-stack';

/**
 * One deployment stage (dev, prod, ...): every stack of the project for one configuration
 * file. Its construct id is the stage name, so `cdk deploy 'dev/*'` selects it.
 */
export class HydraulicStage extends Stage {
  /** The stage's KMS keys. */
  public readonly keys: KeysStack;
  /** The stage's VPC and flow logs. */
  public readonly network: NetworkStack;
  /** The cluster controllers' and rotation jobs' AWS roles. */
  public readonly clusterAccess: ClusterAccessStack;
  /** The stage's application secrets and their rotation functions. */
  public readonly secrets: SecretsStack;
  /** The WAF web ACL in front of the ALB. */
  public readonly edge: EdgeStack;
  /** The audit trail, security alerts and detection. */
  public readonly audit: AuditStack;
  /** The backup vault, plan and restore test. */
  public readonly backup: BackupStack;
  /** The disaster-recovery vault, when the config names a disaster-recovery region. */
  public readonly disasterRecovery?: DisasterRecoveryStack;
  /** The RDS PostgreSQL database and the ElastiCache replication group. */
  public readonly dataStores: DataStoresStack;

  constructor(scope: Construct, config: StageConfig) {
    super(scope, config.stage, { env: { account: config.aws.account, region: config.aws.region } });
    for (const [key, value] of Object.entries(new Naming(config).tags)) Tags.of(this).add(key, value);
    if (config.logging.deletionProtection) Aspects.of(this).add(new LogGroupDeletionProtection(), { priority: AspectPriority.MUTATING });

    this.keys = new KeysStack(this, 'Keys', {
      config,
      concern: 'keys',
      description: 'KMS customer-managed keys, one per purpose (retained on deletion)',
    });
    this.network = new NetworkStack(this, 'Network', {
      config,
      concern: 'network',
      description: 'VPC with private and isolated subnets, and flow logs to an encrypted log group',
      logsKey: this.keys.logsKey,
    });
    this.clusterAccess = new ClusterAccessStack(this, 'ClusterAccess', {
      config,
      concern: 'cluster-access',
      description:
        'IAM roles and EKS Pod Identity associations of the cluster controllers and jobs (External Secrets Operator, rotation jobs)',
      secretsKey: this.keys.secretsKey,
    });
    this.audit = new AuditStack(this, 'Audit', {
      config,
      concern: 'audit',
      description: 'CloudTrail with its Object-Locked archive, security alarms and alert topic, detection, image repositories',
      logsKey: this.keys.logsKey,
      dataStoresKey: this.keys.dataStoresKey,
    });
    this.secrets = new SecretsStack(this, 'Secrets', {
      config,
      concern: 'secrets',
      description: 'Secrets Manager secrets (JWT signing keys, Fernet key, Redis AUTH token) and their rotation functions',
      secretsKey: this.keys.secretsKey,
      logsKey: this.keys.logsKey,
      network: this.network.network,
      apiEndpoints: this.network.apiEndpoints,
      // Created after the audit stack: its alarms notify the security alert topic.
      alarmActions: [new SnsAction(this.audit.alertTopic)],
    });
    this.edge = new EdgeStack(this, 'Edge', {
      config,
      concern: 'edge',
      description: 'WAF web ACL for the ALB in front of Kong, and its encrypted request log',
      logsKey: this.keys.logsKey,
    });
    if (config.backup.disasterRecoveryRegion) {
      this.disasterRecovery = new DisasterRecoveryStack(this, 'DisasterRecovery', {
        config,
        concern: 'disaster-recovery',
        description: `Disaster-recovery backup vault and key in ${config.backup.disasterRecoveryRegion}`,
        region: config.backup.disasterRecoveryRegion,
      });
    }
    this.backup = new BackupStack(this, 'Backup', {
      config,
      concern: 'backup',
      description: 'Locked backup vault, tag-based backup plan, quarterly restore test',
      backupsKey: this.keys.backupsKey,
      alertTopic: this.audit.alertTopic,
    });
    // The plan names the disaster-recovery vault by ARN: it must exist before the first copy.
    if (this.disasterRecovery) this.backup.addStackDependency(this.disasterRecovery);
    this.dataStores = new DataStoresStack(this, 'DataStores', {
      config,
      concern: 'data-stores',
      description: 'RDS for PostgreSQL and ElastiCache (KMS-encrypted, TLS only, snapshotted on deletion) and their endpoints in SSM',
      dataStoresKey: this.keys.dataStoresKey,
      secretsKey: this.keys.secretsKey,
      logsKey: this.keys.logsKey,
      network: this.network.network,
      apiEndpoints: this.network.apiEndpoints,
      redisAuthTokenRotationSecurityGroup: this.secrets.redisAuthTokenRotation.securityGroup,
      alertTopic: this.audit.alertTopic,
    });
    // The cache is created with the AUTH token secret's value, read by name (dynamic reference).
    this.dataStores.addStackDependency(this.secrets);
  }
}
