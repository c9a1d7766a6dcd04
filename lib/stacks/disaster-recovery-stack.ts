import type * as backup from 'aws-cdk-lib/aws-backup';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { LockedBackupVault } from '../constructs/locked-backup-vault';
import { PurposeKey, usageThroughServices } from '../constructs/purpose-key';
import { StageStack, type StageStackProps } from './stage-stack';

/** Properties of a {@link DisasterRecoveryStack}. */
export interface DisasterRecoveryStackProps extends StageStackProps {
  /** The disaster-recovery region (`backup.disasterRecoveryRegion`). */
  readonly region: string;
}

/**
 * The stage's disaster-recovery vault, in another region: its own backups key there (a key
 * never leaves its region) and the same vault lock as the primary vault. The backup plan copies
 * every recovery point into it, naming it by `naming.disasterRecoveryVaultName`.
 */
export class DisasterRecoveryStack extends StageStack {
  /** The disaster-recovery region's backups key. */
  public readonly backupsKey: kms.Key;
  /** The vault recovery points are copied to. */
  public readonly vault: backup.IBackupVault;

  constructor(scope: Construct, id: string, props: DisasterRecoveryStackProps) {
    super(scope, id, props);
    if (props.region === this.config.aws.region) {
      throw new Error(`The disaster-recovery region must differ from the stage's region ${this.config.aws.region}; got ${props.region}`);
    }
    this.backupsKey = new PurposeKey(this, 'BackupsKey', {
      alias: this.naming.keyAlias('backups'),
      description: `${this.naming.prefix}: AWS Backup recovery points copied from ${this.config.aws.region} for disaster recovery`,
      rotationDays: this.config.rotation.kmsKeyDays,
      // RDS performs the copy of a database snapshot into this region on AWS Backup's behalf.
      usage: usageThroughServices(this, { sid: 'RecoveryPointCopiesThroughBackup', services: ['backup', 'rds'], allowGrants: true }),
    }).key;
    this.vault = new LockedBackupVault(this, 'Vault', {
      vaultName: this.naming.disasterRecoveryVaultName,
      encryptionKey: this.backupsKey,
      lock: this.config.backup.vaultLock,
    }).vault;
  }
}
