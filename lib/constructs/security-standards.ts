import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

/** The standards Security Hub checks the account against, by the path of their ARNs. */
export const SECURITY_STANDARDS = {
  awsFoundational: 'standards/aws-foundational-security-best-practices/v/1.0.0',
  cis: 'standards/cis-aws-foundations-benchmark/v/3.0.0',
} as const;

/**
 * Security Hub with the AWS Foundational Security Best Practices and CIS AWS Foundations
 * Benchmark v3.0.0 standards, one finding per control (not per standard), new controls
 * enabled as AWS adds them. Its controls are evaluated through AWS Config recording.
 */
export class SecurityStandards extends Construct {
  /** The hub. */
  public readonly hub: securityhub.CfnHub;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.hub = new securityhub.CfnHub(this, 'Resource', {
      // Only the standards named below, not whatever the console defaults to this year.
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    for (const [name, path] of Object.entries(SECURITY_STANDARDS)) {
      const standard = new securityhub.CfnStandard(this, name.charAt(0).toUpperCase() + name.slice(1), {
        standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::${path}`,
      });
      standard.addResourceDependency(this.hub);
    }
  }
}
