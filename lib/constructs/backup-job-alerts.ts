import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The job states that mean a backup, copy or restore (test) did not happen. */
export const FAILED_JOB_STATES = ['FAILED', 'ABORTED', 'EXPIRED'] as const;

/** Properties of a {@link BackupJobAlerts}. */
export interface BackupJobAlertsProps {
  /** The alert topic. */
  readonly topic: sns.ITopic;
}

/**
 * Sends every failed backup, disaster-recovery copy or restore (the quarterly restore test
 * included) to the alert topic: a backup that silently stopped is found out by the alert, not
 * by the next disaster.
 */
export class BackupJobAlerts extends Construct {
  /** The rule. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: BackupJobAlertsProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Resource', {
      description: 'Failed AWS Backup backup, copy and restore jobs to the security alert topic',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change', 'Copy Job State Change', 'Restore Job State Change'],
        detail: { state: [...FAILED_JOB_STATES] },
      },
    });
    const field = (path: string) => events.EventField.fromPath(path);
    const message = events.RuleTargetInput.fromText(
      [
        `AWS Backup: ${events.EventField.detailType} to ${field('$.detail.state')} in account ${events.EventField.account}, ${events.EventField.region}`,
        `for ${field('$.detail.resourceArn')}: ${field('$.detail.statusMessage')}.`,
        '1 Detect: open the job in AWS Backup (Jobs) and read its status message. 2 Contain: if it was a restore test, the recovery point may be unusable; take a fresh on-demand backup and test it before the next one expires.',
      ].join(' '),
    );
    // The topic's policy admits this account's rules (see SecurityAlertTopic).
    this.rule.addTarget({ bind: () => ({ arn: props.topic.topicArn, input: message }) });
  }
}
