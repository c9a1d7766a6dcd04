import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { GATEWAY_ACCESS_LOG_FIELDS as FIELDS, logFieldSelector } from '../config/gateway-access-log';

/** Every alarm counts over this window. */
const PERIOD = Duration.minutes(5);

/** CloudWatch caps an alarm description at 1024 characters. */
const MAX_DESCRIPTION = 1024;

/**
 * An alarm description that says what happened and the incident-response checklist's first
 * two steps for it (design document, "Security Incident Checklist": detect, contain).
 */
export function incidentResponse(what: string, detect: string, contain: string): string {
  return `${what} 1 Detect: ${detect} 2 Contain: ${contain} Then eradicate, recover and review (docs/incident-response.md).`;
}

/** Properties of {@link SecurityAlarms}. */
export interface SecurityAlarmsProps {
  /** Names an alarm or Contributor Insights rule for a purpose (the naming module's `alarmName`). */
  readonly alarmName: (purpose: string) => string;
  /** The CloudWatch namespace of the metric filters' metrics. */
  readonly metricNamespace: string;
  /** Where every alarm notifies. */
  readonly topic: sns.ITopic;
  /** The audit trail's log group. */
  readonly trailLogGroup: logs.ILogGroup;
  /** The log group Kong's JSON access log is shipped to. */
  readonly gatewayLogGroup: logs.ILogGroup;
  /** The web ACL's name (also its metric name). */
  readonly webAclName: string;
  /** The prefix every project secret name starts with. */
  readonly secretNamePrefix: string;
  /** Thresholds from the audit config. */
  readonly thresholds: StageConfig['audit']['alarmThresholds'];
}

/**
 * The design document's security events, each turned into an alarm on the alert topic:
 * failed authentications and authorization failures at the gateway, AWS API access denied,
 * root account use, IAM policy changes, KMS key policy changes and key deletion, deletion of
 * the project's secrets, and spikes of requests blocked by WAF.
 */
export class SecurityAlarms extends Construct {
  /** The alarms, by construct id. */
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};

  private readonly props: SecurityAlarmsProps;

  constructor(scope: Construct, id: string, props: SecurityAlarmsProps) {
    super(scope, id);
    this.props = props;
    const { thresholds } = props;
    const trail = nameOf(props.trailLogGroup);
    const gateway = nameOf(props.gatewayLogGroup);

    this.failedAuthenticationsPerClientIp(thresholds.failedAuthenticationsPerClientIp);

    this.fromLogs('GatewayAuthorizationFailures', {
      logGroup: props.gatewayLogGroup,
      purpose: 'gateway-authorization-failures',
      pattern: `{ ${logFieldSelector(FIELDS.status)} = 403 }`,
      threshold: thresholds.authorizationFailures,
      description: incidentResponse(
        `More than ${thresholds.authorizationFailures} authorization failures (HTTP 403 at Kong) in 5 minutes: a client probing routes it has no permission for, or a broken permission mapping.`,
        `query ${gateway} for ${FIELDS.status} 403, grouped by ${FIELDS.consumer} and ${FIELDS.uri}.`,
        'if one consumer is probing, disable its credentials and revoke its tokens; if a deploy changed permissions, roll it back.',
      ),
    });
    this.fromLogs('AwsAccessDenied', {
      logGroup: props.trailLogGroup,
      purpose: 'aws-access-denied',
      pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
      threshold: thresholds.awsAccessDenied,
      description: incidentResponse(
        `More than ${thresholds.awsAccessDenied} AWS API calls were refused (AccessDenied, UnauthorizedOperation) in 5 minutes: a principal probing for permissions, or a misconfigured role.`,
        `query ${trail} for errorCode AccessDenied* or *UnauthorizedOperation, grouped by userIdentity.arn and eventName.`,
        'if the principal should not make those calls, deactivate its access keys or revoke its role sessions (IAM: revoke active sessions).',
      ),
    });
    this.fromLogs('RootAccountUse', {
      logGroup: props.trailLogGroup,
      purpose: 'root-account-use',
      pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      threshold: 0,
      description: incidentResponse(
        'The root user signed in or called an API. Nobody should use it day to day.',
        `find the event in ${trail} (userIdentity.type Root): source IP, user agent, what was called; ask who holds the root credentials.`,
        'if nobody on the security team did it, change the root password, check its MFA device, delete any root access keys, and review every IAM change since.',
      ),
    });
    this.fromLogs('IamPolicyChanges', {
      logGroup: props.trailLogGroup,
      purpose: 'iam-policy-changes',
      pattern: anyEvent('iam.amazonaws.com', [
        'CreatePolicy',
        'DeletePolicy',
        'CreatePolicyVersion',
        'DeletePolicyVersion',
        'SetDefaultPolicyVersion',
        'PutRolePolicy',
        'DeleteRolePolicy',
        'PutUserPolicy',
        'DeleteUserPolicy',
        'PutGroupPolicy',
        'DeleteGroupPolicy',
        'AttachRolePolicy',
        'DetachRolePolicy',
        'AttachUserPolicy',
        'DetachUserPolicy',
        'AttachGroupPolicy',
        'DetachGroupPolicy',
        'UpdateAssumeRolePolicy',
      ]),
      threshold: 0,
      description: incidentResponse(
        'An IAM policy or role trust policy was created, changed, attached or detached.',
        `find the event in ${trail} (eventName, userIdentity.arn, requestParameters) and match it to a reviewed deploy.`,
        'if nobody can account for it, revert or detach the policy and revoke the sessions of the principal that made the change.',
      ),
    });
    this.fromLogs('KmsKeyPolicyChanges', {
      logGroup: props.trailLogGroup,
      purpose: 'kms-key-policy-changes',
      pattern: anyEvent('kms.amazonaws.com', ['PutKeyPolicy', 'ScheduleKeyDeletion', 'DisableKey', 'DisableKeyRotation']),
      threshold: 0,
      description: incidentResponse(
        'A KMS key policy was changed, or a key was disabled, lost its rotation, or was scheduled for deletion.',
        `find the event in ${trail} (eventName, requestParameters.keyId, userIdentity.arn) and match it to a reviewed deploy of the keys stack.`,
        'if not planned: aws kms cancel-key-deletion and enable-key, redeploy the keys stack to restore its policy, and revoke the sessions of the principal.',
      ),
    });
    this.fromLogs('SecretDeletionScheduled', {
      logGroup: props.trailLogGroup,
      purpose: 'secret-deletion-scheduled',
      pattern: `{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "DeleteSecret") && ($.requestParameters.secretId = "*${props.secretNamePrefix}*") }`,
      threshold: 0,
      description: incidentResponse(
        `Deletion of one of the project's secrets (${props.secretNamePrefix}*) was scheduled.`,
        `find DeleteSecret in ${trail}: which secret, who called it, and whether ForceDeleteWithoutRecovery was set.`,
        'if not planned, restore it at once (aws secretsmanager restore-secret --secret-id <name>) and revoke the sessions of the principal.',
      ),
    });
    this.alarm(
      'WebAclBlockSpike',
      'waf-block-spike',
      new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: props.webAclName, Rule: 'ALL', Region: Stack.of(this).region },
        statistic: cloudwatch.Stats.SUM,
        period: PERIOD,
      }),
      thresholds.blockedRequests,
      incidentResponse(
        `The web ACL ${props.webAclName} blocked more than ${thresholds.blockedRequests} requests in 5 minutes: an attack, a scanner, or a rule blocking legitimate traffic.`,
        `read the web ACL's sampled requests and its log (aws-waf-logs-…) for the terminating rule and the source IPs.`,
        'for an attack, add the sources to edge.sourceIps.deny and deploy; if legitimate traffic is blocked, switch that rule group to count in config and deploy.',
      ),
    );
  }

  /**
   * One client IP failing authentication more than the threshold in 5 minutes: Contributor
   * Insights ranks client IPs by their 401s in Kong's access log, and the alarm watches the
   * top contributor, so a flood from one source is caught without one metric per IP.
   */
  private failedAuthenticationsPerClientIp(threshold: number): void {
    const ruleName = this.props.alarmName('failed-authentications-per-ip');
    const rule = new cloudwatch.CfnInsightRule(this, 'FailedAuthenticationsPerClientIpRule', {
      ruleName,
      ruleState: 'ENABLED',
      ruleBody: JSON.stringify({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: [this.props.gatewayLogGroup.logGroupName],
        LogFormat: 'JSON',
        Contribution: { Keys: [logFieldSelector(FIELDS.clientIp)], Filters: [{ Match: logFieldSelector(FIELDS.status), In: [401] }] },
        AggregateOn: 'Count',
      }),
    });
    const alarm = this.alarm(
      'FailedAuthenticationsPerClientIp',
      'failed-authentications-per-ip',
      new cloudwatch.MathExpression({
        expression: `INSIGHT_RULE_METRIC('${ruleName}', 'MaxContributorValue')`,
        label: 'Most failed authentications from one client IP',
        period: PERIOD,
        usingMetrics: {},
      }),
      threshold,
      incidentResponse(
        `One client IP failed authentication (HTTP 401 at Kong) more than ${threshold} times in 5 minutes: password guessing, credential stuffing, or a stolen or forged token.`,
        `open the Contributor Insights rule ${ruleName} for the top client IPs, then query ${nameOf(this.props.gatewayLogGroup)} for them (consumer, route, user agent).`,
        'if the source is not a known client, add it to edge.sourceIps.deny and deploy; if one account is targeted, lock it and revoke its tokens (Redis revocation list).',
      ),
    );
    alarm.node.addDependency(rule);
  }

  private fromLogs(
    id: string,
    options: { logGroup: logs.ILogGroup; purpose: string; pattern: string; threshold: number; description: string },
  ): void {
    const filter = new logs.MetricFilter(this, `${id}Filter`, {
      logGroup: options.logGroup,
      filterPattern: logs.FilterPattern.literal(options.pattern),
      metricNamespace: this.props.metricNamespace,
      metricName: id,
      metricValue: '1',
    });
    this.alarm(
      id,
      options.purpose,
      filter.metric({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
      options.threshold,
      options.description,
    );
  }

  private alarm(id: string, purpose: string, metric: cloudwatch.IMetric, threshold: number, description: string): cloudwatch.Alarm {
    if (description.length > MAX_DESCRIPTION) {
      throw new Error(`The description of alarm ${id} is ${description.length} characters; CloudWatch allows ${MAX_DESCRIPTION}`);
    }
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: this.props.alarmName(purpose),
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No matching event in a period means nothing happened, not that the alarm is blind.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: true,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.props.topic));
    this.alarms[id] = alarm;
    return alarm;
  }
}

/** The name a log group was given, so a description reads it rather than a reference. */
function nameOf(logGroup: logs.ILogGroup): string {
  const resource = logGroup.node.defaultChild;
  return resource instanceof logs.CfnLogGroup && resource.logGroupName ? resource.logGroupName : logGroup.logGroupName;
}

/** A filter pattern matching any of the named calls to one AWS service. */
function anyEvent(eventSource: string, eventNames: readonly string[]): string {
  return `{ ($.eventSource = "${eventSource}") && (${eventNames.map((name) => `($.eventName = "${name}")`).join(' || ')}) }`;
}
