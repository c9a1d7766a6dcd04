import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The design document's patch deadlines ("Update Policy"), by finding severity. */
export const PATCH_SLAS = {
  CRITICAL: 'patch within 24 hours',
  HIGH: 'patch within 7 days',
} as const;

/** The severities that are routed to the alert topic. */
export type RoutedSeverity = keyof typeof PATCH_SLAS;

/** GuardDuty's numeric severity bands (HIGH 7.0 to 8.9, CRITICAL 9.0 to 10.0). */
const GUARD_DUTY_SEVERITY: Record<RoutedSeverity, unknown[]> = {
  CRITICAL: [{ numeric: ['>=', 9] }],
  HIGH: [{ numeric: ['>=', 7, '<', 9] }],
};

/** Properties of a {@link FindingRouting}. */
export interface FindingRoutingProps {
  /** The alert topic findings are published to. */
  readonly topic: sns.ITopic;
}

/**
 * EventBridge rules that send every new HIGH or CRITICAL GuardDuty and Security Hub finding to
 * the alert topic, as a message that names the finding, its patch deadline and the first
 * incident-response steps. Security Hub's copies of GuardDuty findings are left out, so a
 * finding alerts once. The rules exist even when a detector is switched off here, so findings
 * of an organization-managed detector are routed too.
 */
export class FindingRouting extends Construct {
  /** The rules, by construct id. */
  public readonly rules: Record<string, events.Rule> = {};

  constructor(scope: Construct, id: string, props: FindingRoutingProps) {
    super(scope, id);
    for (const severity of Object.keys(PATCH_SLAS) as RoutedSeverity[]) {
      const title = severity.charAt(0) + severity.slice(1).toLowerCase();
      this.route(`GuardDuty${title}Findings`, props.topic, {
        description: `New ${severity} GuardDuty findings to the security alert topic`,
        eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'], detail: { severity: GUARD_DUTY_SEVERITY[severity] } },
        message: findingMessage(severity, 'GuardDuty', {
          type: '$.detail.type',
          title: '$.detail.title',
          id: '$.detail.id',
          resource: '$.detail.resource.resourceType',
        }),
      });
      this.route(`SecurityHub${title}Findings`, props.topic, {
        description: `New ${severity} Security Hub findings (other than GuardDuty's) to the security alert topic`,
        eventPattern: {
          source: ['aws.securityhub'],
          detailType: ['Security Hub Findings - Imported'],
          detail: {
            findings: {
              Severity: { Label: [severity] },
              Workflow: { Status: ['NEW'] },
              RecordState: ['ACTIVE'],
              ProductName: [{ 'anything-but': ['GuardDuty'] }],
            },
          },
        },
        message: findingMessage(severity, 'Security Hub', {
          type: '$.detail.findings[0].Types[0]',
          title: '$.detail.findings[0].Title',
          id: '$.detail.findings[0].Id',
          resource: '$.detail.findings[0].Resources[0].Id',
        }),
      });
    }
  }

  private route(
    id: string,
    topic: sns.ITopic,
    options: { description: string; eventPattern: events.EventPattern; message: events.RuleTargetInput },
  ) {
    const rule = new events.Rule(this, id, { description: options.description, eventPattern: options.eventPattern, enabled: true });
    // The topic's own policy admits this account's rules; the SnsTopic target would add a
    // second, unconditioned grant to every EventBridge rule anywhere.
    rule.addTarget({ bind: () => ({ arn: topic.topicArn, input: options.message }) });
    this.rules[id] = rule;
  }
}

function findingMessage(
  severity: RoutedSeverity,
  source: string,
  paths: { type: string; title: string; id: string; resource: string },
): events.RuleTargetInput {
  const field = (path: string) => events.EventField.fromPath(path);
  return events.RuleTargetInput.fromText(
    [
      `${severity} ${source} finding in account ${events.EventField.account}, ${events.EventField.region}: ${field(paths.title)}`,
      `Type: ${field(paths.type)}. Resource: ${field(paths.resource)}. Finding: ${field(paths.id)}.`,
      `Deadline (design document, Update Policy): ${PATCH_SLAS[severity]}.`,
      `1 Detect: open the finding in ${source} and read its evidence. 2 Contain: isolate the resource (revoke its credentials, deny its traffic, scale the workload to zero) until it is understood. Then eradicate, recover and review (docs/incident-response.md).`,
    ].join(' '),
  );
}
