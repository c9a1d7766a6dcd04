import { Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';

/**
 * The tag that puts a resource under the stage's backup plan. A stateful stack tags what it
 * needs backed up (`Tags.of(database).add(BACKUP_TAG.key, BACKUP_TAG.value)`), nothing else
 * has to change.
 */
export const BACKUP_TAG = { key: 'backup', value: 'true' } as const;

/** Properties of a {@link TaggedBackupPlan}. */
export interface TaggedBackupPlanProps {
  /** The plan's name. */
  readonly planName: string;
  /** The vault recovery points are stored in. */
  readonly vault: backup.IBackupVault;
  /** When the plan runs (AWS cron, UTC). */
  readonly schedule: string;
  /** Days each recovery point, and its copy, is kept. */
  readonly retentionDays: number;
  /**
   * The ARN of a vault in another region that every recovery point is copied to.
   * @default - no copy
   */
  readonly disasterRecoveryVaultArn?: string;
}

/**
 * The backup plan of the stage: every resource tagged {@link BACKUP_TAG}, on the configured
 * schedule and retention, into the locked vault, and, when a disaster-recovery region is
 * configured, copied to the vault there with the same retention.
 */
export class TaggedBackupPlan extends Construct {
  /** The plan. */
  public readonly plan: backup.BackupPlan;
  /** The role AWS Backup assumes to back the selected resources up. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TaggedBackupPlanProps) {
    super(scope, id);
    const retention = Duration.days(props.retentionDays);
    this.plan = new backup.BackupPlan(this, 'Resource', { backupPlanName: props.planName, backupVault: props.vault });
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'Scheduled',
        scheduleExpression: events.Schedule.expression(props.schedule),
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(8),
        deleteAfter: retention,
        copyActions: props.disasterRecoveryVaultArn
          ? [
              {
                destinationBackupVault: backup.BackupVault.fromBackupVaultArn(
                  this,
                  'DisasterRecoveryVault',
                  props.disasterRecoveryVaultArn,
                ),
                deleteAfter: retention,
              },
            ]
          : undefined,
      }),
    );

    this.role = new iam.Role(this, 'Role', {
      description: 'Lets AWS Backup back up the resources tagged for the stage backup plan',
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup')],
    });
    acknowledge(
      this.role,
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]'],
      'The AWS-maintained backup policy follows every resource type AWS Backup adds; it acts only on resources a backup selection names.',
    );
    this.plan.addSelection('TaggedResources', {
      backupSelectionName: 'tagged-resources',
      resources: [backup.BackupResource.fromTag(BACKUP_TAG.key, BACKUP_TAG.value)],
      role: this.role,
    });
  }
}
