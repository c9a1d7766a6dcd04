import type { Construct } from 'constructs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { cloudWatchLogsUsage, PurposeKey } from '../constructs/purpose-key';
import { StageStack, type StageStackProps } from './stage-stack';

/**
 * The stage's customer-managed KMS keys, one per purpose, in a stack of their own so that
 * no change to a workload stack can replace a key.
 */
export class KeysStack extends StageStack {
  /** Encrypts every CloudWatch Logs group the project creates. */
  public readonly logsKey: kms.IKey;

  constructor(scope: Construct, id: string, props: StageStackProps) {
    super(scope, id, props);
    this.logsKey = new PurposeKey(this, 'LogsKey', {
      alias: this.naming.keyAlias('logs'),
      description: `${this.naming.prefix}: CloudWatch Logs groups (flow logs, audit and service logs)`,
      rotationDays: this.config.rotation.kmsKeyDays,
      usage: [cloudWatchLogsUsage(this, [`${this.naming.logGroupPrefix}*`])],
    }).key;
  }
}
