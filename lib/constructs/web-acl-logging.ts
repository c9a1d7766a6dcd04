import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Request headers never written to the WAF log: they carry the JWT and session cookies. */
export const REDACTED_HEADERS = ['authorization', 'cookie'] as const;

/** Properties of a {@link WebAclLogging}. */
export interface WebAclLoggingProps {
  /** The web ACL whose requests are logged. */
  readonly webAcl: wafv2.CfnWebACL;
  /** The log group's name; WAF delivers only to groups named `aws-waf-logs-…`. */
  readonly logGroupName: string;
  /** The name of the account-level CloudWatch Logs resource policy that lets WAF deliver. */
  readonly deliveryPolicyName: string;
  /** Encrypts the log group. */
  readonly logsKey: kms.IKey;
  /** Days the logs are kept. */
  readonly retentionDays: number;
}

/**
 * Logs every request the web ACL evaluates to a KMS-encrypted log group, with the credential
 * headers redacted, so a blocked or rate-limited request can be explained without the log
 * becoming a store of bearer tokens.
 */
export class WebAclLogging extends Construct {
  /** The log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebAclLoggingProps) {
    super(scope, id);
    if (!props.logGroupName.startsWith('aws-waf-logs-')) {
      throw new Error(`WAF delivers logs only to log groups named aws-waf-logs-…; got ${props.logGroupName}`);
    }
    const stack = Stack.of(this);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retention: props.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // WAF wants the group's ARN without the `:*` suffix CloudFormation returns.
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: props.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // Declared here rather than left to WAF to add on first use, so the grant is reviewed and
    // bound to this account's deliveries into this one group.
    const delivery = new logs.ResourcePolicy(this, 'DeliveryPolicy', {
      resourcePolicyName: props.deliveryPolicyName,
      policyStatements: [
        new iam.PolicyStatement({
          sid: 'WafLogDelivery',
          principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroupArn}:log-stream:*`],
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
          },
        }),
      ],
    });

    const logging = new wafv2.CfnLoggingConfiguration(this, 'Resource', {
      resourceArn: props.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
    logging.node.addDependency(this.logGroup, delivery);
  }
}
