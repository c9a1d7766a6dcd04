import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { BACKUP_TAG } from './tagged-backup-plan';

/** The resource types whose latest recovery point is restored on every test. */
export const RESTORE_TESTED_TYPES = ['RDS'] as const;

/** Properties of a {@link RestoreTesting}. */
export interface RestoreTestingProps {
  /** The plan's name (letters, digits and underscores). */
  readonly planName: string;
  /** The vault whose recovery points are restored. */
  readonly vault: backup.IBackupVault;
  /** When the test runs (AWS cron, UTC). */
  readonly schedule: string;
  /** Hours the restored copy is kept for validation before it is deleted. */
  readonly validationWindowHours: number;
}

/**
 * The design document's "test disaster recovery quarterly", automated: AWS Backup restores the
 * latest recovery point of every tagged database on schedule, reports the restore job's
 * outcome (a failure reaches the alert topic), keeps the copy for the validation window and
 * deletes it.
 */
export class RestoreTesting extends Construct {
  /** The restore testing plan. */
  public readonly plan: backup.CfnRestoreTestingPlan;

  constructor(scope: Construct, id: string, props: RestoreTestingProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_]{1,50}$/.test(props.planName)) {
      throw new Error(`A restore testing plan name has only letters, digits and underscores (at most 50); got ${props.planName}`);
    }
    this.plan = new backup.CfnRestoreTestingPlan(this, 'Resource', {
      restoreTestingPlanName: props.planName,
      scheduleExpression: props.schedule,
      scheduleExpressionTimezone: 'Etc/UTC',
      startWindowHours: 24,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vault.backupVaultArn],
        recoveryPointTypes: ['SNAPSHOT'],
        selectionWindowDays: 7,
      },
    });

    const role = new iam.Role(this, 'Role', {
      description: 'Lets AWS Backup restore recovery points for the restore test and delete the restored copies',
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores')],
    });
    acknowledge(
      role,
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]'],
      'The AWS-maintained restore policy follows every resource type AWS Backup can restore; only the restore testing plan assumes this role.',
    );
    for (const type of RESTORE_TESTED_TYPES) {
      const selection = new backup.CfnRestoreTestingSelection(this, `${type}Selection`, {
        restoreTestingPlanName: props.planName,
        restoreTestingSelectionName: `tagged_${type.toLowerCase()}`,
        protectedResourceType: type,
        iamRoleArn: role.roleArn,
        protectedResourceArns: ['*'],
        protectedResourceConditions: { stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG.key}`, value: BACKUP_TAG.value }] },
        validationWindowHours: props.validationWindowHours,
      });
      selection.addResourceDependency(this.plan);
    }
  }
}
