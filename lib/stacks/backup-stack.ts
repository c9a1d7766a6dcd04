import type { Stack } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { BackupJobAlerts } from '../constructs/backup-job-alerts';
import { LockedBackupVault } from '../constructs/locked-backup-vault';
import { RestoreTesting } from '../constructs/restore-testing';
import { TaggedBackupPlan } from '../constructs/tagged-backup-plan';
import { StageStack, type StageStackProps } from './stage-stack';

/** Properties of a {@link BackupStack}. */
export interface BackupStackProps extends StageStackProps {
  /** Encrypts the recovery points. */
  readonly backupsKey: kms.IKey;
  /** Where failed backup, copy and restore jobs are reported. */
  readonly alertTopic: sns.ITopic;
}

/**
 * The stage's backups: the locked vault, the plan covering every resource tagged
 * `backup: true` (copied to the disaster-recovery vault when one is configured), the
 * quarterly restore test, and alerts on any failed job.
 */
export class BackupStack extends StageStack {
  /** The vault in the stage's region. */
  public readonly vault: backup.IBackupVault;
  /** The backup plan. */
  public readonly plan: TaggedBackupPlan;
  /** The automated restore test. */
  public readonly restoreTesting: RestoreTesting;

  constructor(scope: Construct, id: string, props: BackupStackProps) {
    super(scope, id, props);
    const { backup: settings } = this.config;
    this.vault = new LockedBackupVault(this, 'Vault', {
      vaultName: this.naming.backupVaultName,
      encryptionKey: props.backupsKey,
      lock: settings.vaultLock,
    }).vault;
    this.plan = new TaggedBackupPlan(this, 'Plan', {
      planName: `${this.naming.prefix}-backups`,
      vault: this.vault,
      schedule: settings.schedule,
      retentionDays: settings.retentionDays,
      disasterRecoveryVaultArn: settings.disasterRecoveryRegion
        ? disasterRecoveryVaultArn(this, settings.disasterRecoveryRegion, this.naming.disasterRecoveryVaultName)
        : undefined,
    });
    this.restoreTesting = new RestoreTesting(this, 'RestoreTesting', {
      planName: this.naming.restoreTestingPlanName,
      vault: this.vault,
      schedule: settings.restoreTesting.schedule,
      validationWindowHours: settings.restoreTesting.validationWindowHours,
    });
    new BackupJobAlerts(this, 'JobAlerts', { topic: props.alertTopic });
  }
}

/** The disaster-recovery vault's ARN, built from its name: a token cannot cross regions. */
function disasterRecoveryVaultArn(stack: Stack, region: string, vaultName: string): string {
  return `arn:${stack.partition}:backup:${region}:${stack.account}:backup-vault:${vaultName}`;
}
