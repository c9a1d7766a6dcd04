import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';

/** Properties of a {@link LockedBackupVault}. */
export interface LockedBackupVaultProps {
  /** The vault's name, from the naming module. */
  readonly vaultName: string;
  /** Encrypts the recovery points (a backups key usable only through AWS Backup). */
  readonly encryptionKey: kms.IKey;
  /** The vault lock from the stage's backup config. */
  readonly lock: StageConfig['backup']['vaultLock'];
}

/**
 * A backup vault under AWS Backup Vault Lock: no recovery point can be deleted before the
 * minimum retention or kept past the maximum, and the vault's access policy denies deleting a
 * recovery point or shortening its lifecycle to everyone. In compliance mode the lock becomes
 * permanent after its grace period.
 */
export class LockedBackupVault extends Construct {
  /** The vault. */
  public readonly vault: backup.BackupVault;

  constructor(scope: Construct, id: string, props: LockedBackupVaultProps) {
    super(scope, id);
    const { lock } = props;
    if (lock.minRetentionDays > lock.maxRetentionDays) {
      throw new Error(`Vault lock minimum retention (${lock.minRetentionDays} days) exceeds its maximum (${lock.maxRetentionDays} days)`);
    }
    const changeableForDays = lock.mode === 'compliance' ? lock.changeableForDays : undefined;
    if (lock.mode === 'compliance' && changeableForDays === undefined) {
      throw new Error('A compliance-mode vault lock needs changeableForDays (at least 3)');
    }
    this.vault = new backup.BackupVault(this, 'Resource', {
      backupVaultName: props.vaultName,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      blockRecoveryPointDeletion: true,
      lockConfiguration: {
        minRetention: Duration.days(lock.minRetentionDays),
        maxRetention: Duration.days(lock.maxRetentionDays),
        // Without a grace period the lock stays in governance mode.
        changeableFor: changeableForDays === undefined ? undefined : Duration.days(changeableForDays),
      },
    });
  }
}
