import * as shield from 'aws-cdk-lib/aws-shield';
import { Construct } from 'constructs';

/** Properties of an {@link EdgeShieldProtection}. */
export interface EdgeShieldProtectionProps {
  /** The protection group's id, from the naming module. */
  readonly protectionGroupId: string;
}

/**
 * AWS Shield Advanced for the edge. The ALB is created later by the AWS Load Balancer
 * Controller, so its ARN is unknown here: the Ingress turns protection on for it
 * (`alb.ingress.kubernetes.io/shield-advanced-protection: "true"`, from the same config
 * switch), and this group gathers the account's protected ALBs so Shield detects and reports
 * an attack on the application as one.
 *
 * Needs the account's Shield Advanced subscription, which CloudFormation cannot create.
 */
export class EdgeShieldProtection extends Construct {
  /** The protection group. */
  public readonly protectionGroup: shield.CfnProtectionGroup;

  constructor(scope: Construct, id: string, props: EdgeShieldProtectionProps) {
    super(scope, id);
    this.protectionGroup = new shield.CfnProtectionGroup(this, 'Resource', {
      protectionGroupId: props.protectionGroupId,
      pattern: 'BY_RESOURCE_TYPE',
      resourceType: 'APPLICATION_LOAD_BALANCER',
      // One ALB under attack is the application under attack.
      aggregation: 'MAX',
    });
  }
}
