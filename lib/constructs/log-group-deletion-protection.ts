import type { IAspect } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/**
 * Turns on CloudWatch Logs deletion protection on every log group in scope, whoever created it
 * (the project's constructs, the CDK's own providers): a log group then refuses deletion until
 * the protection is turned off on purpose.
 */
export class LogGroupDeletionProtection implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof logs.CfnLogGroup) node.deletionProtectionEnabled = true;
  }
}
