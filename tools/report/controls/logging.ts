import { DESIGN } from '../design-document';
import { isTrue, objectEvidence, type ControlDefinition } from './control';

const AREA = 'Logging and detection';

/** The shortest retention the compliance packs accept for audit logs. */
const MIN_RETENTION_DAYS = 365;

/** Audit logging on both sides, its retention, the alarms reading it and the detectors. */
export const LOGGING_CONTROLS: readonly ControlDefinition[] = [
  {
    id: 'logging.trail',
    area: AREA,
    control: 'CloudTrail records every region and management event, with log-file validation',
    expectation: 'multi-region, global service events, log file validation, delivered to CloudWatch Logs',
    designSection: DESIGN.auditLogging,
    evaluate: (context) =>
      context.resources.ofType('AWS::CloudTrail::Trail').map((trail) => {
        const p = trail.resource.Properties ?? {};
        const selectors = ((p.AdvancedEventSelectors ?? []) as { Name?: string }[]).map((selector) => selector.Name).filter(Boolean);
        const met =
          isTrue(p.IsMultiRegionTrail) &&
          isTrue(p.IncludeGlobalServiceEvents) &&
          isTrue(p.EnableLogFileValidation) &&
          p.CloudWatchLogsLogGroupArn !== undefined;
        return context.judge(
          trail,
          `multi-region ${String(p.IsMultiRegionTrail)}; log file validation ${String(p.EnableLogFileValidation)}; to ${context.resources.describe(trail.stack, p.CloudWatchLogsLogGroupArn)}; selectors: ${selectors.join('; ') || 'default'}`,
          met,
        );
      }),
  },
  {
    id: 'logging.retention',
    area: AREA,
    control: 'Log groups keep logs at least a year',
    expectation: `RetentionInDays of at least ${MIN_RETENTION_DAYS}`,
    designSection: DESIGN.auditLogging,
    evaluate: (context) =>
      context.resources.ofType('AWS::Logs::LogGroup').map((group) => {
        const days = Number(group.resource.Properties?.RetentionInDays ?? Infinity);
        const name = String(group.resource.Properties?.LogGroupName ?? group.logicalId);
        return context.judge(group, `${name}: ${Number.isFinite(days) ? `${days} days` : 'kept forever'}`, days >= MIN_RETENTION_DAYS);
      }),
  },
  {
    id: 'logging.network',
    area: AREA,
    control: 'VPC flow logs of all traffic',
    expectation: 'a flow log with TrafficType ALL',
    designSection: DESIGN.auditLogging,
    evaluate: (context) =>
      context.resources.ofType('AWS::EC2::FlowLog').map((log) => {
        const p = log.resource.Properties ?? {};
        return context.judge(
          log,
          `TrafficType ${p.TrafficType}; aggregation ${p.MaxAggregationInterval ?? 600} s; to ${p.LogDestinationType ?? 'cloud-watch-logs'}`,
          p.TrafficType === 'ALL',
        );
      }),
  },
  {
    id: 'logging.edge',
    area: AREA,
    control: 'WAF request log and ALB access logs',
    expectation: 'WAF logging with credentials redacted; ALB access logs on',
    designSection: DESIGN.auditLogging,
    evaluate: (context) => [
      ...context.resources.ofType('AWS::WAFv2::LoggingConfiguration').map((logging) => {
        const redacted = ((logging.resource.Properties?.RedactedFields ?? []) as any[]).map(
          (field) => field.SingleHeader?.Name ?? Object.keys(field)[0],
        );
        return context.judge(logging, `WAF log, redacted: ${redacted.join(', ') || 'nothing'}`, redacted.includes('authorization'));
      }),
      ...context.kind('IngressClassParams').map((params) => {
        const attributes = new Map(
          ((params.spec?.loadBalancerAttributes ?? []) as { key: string; value: string }[]).map((a) => [a.key, a.value]),
        );
        const enabled = attributes.get('access_logs.s3.enabled') === 'true';
        return objectEvidence(
          params,
          `ALB access logs ${enabled ? `to s3://${attributes.get('access_logs.s3.bucket')}/${attributes.get('access_logs.s3.prefix') ?? ''}` : 'off'}`,
          enabled ? 'met' : 'not met',
        );
      }),
    ],
  },
  {
    id: 'logging.gateway',
    area: AREA,
    control: "Kong writes an audit line per request, shipped to the gateway's log group",
    expectation: 'a global file-log plugin and a log shipper writing to the gateway access log group',
    designSection: DESIGN.auditFormat,
    evaluate: (context) => {
      const shipper = context.helm('gateway-log-shipper-values.yaml');
      return [
        ...context
          .kind('KongClusterPlugin')
          .filter((plugin) => plugin.plugin === 'file-log')
          .map((plugin) =>
            objectEvidence(
              plugin,
              `file-log to ${plugin.config?.path}; global ${plugin.metadata.labels?.global ?? plugin.metadata.annotations?.global ?? 'false'}`,
              'met',
            ),
          ),
        {
          resource: 'Helm values gateway-log-shipper-values.yaml',
          value: `Fluent Bit ${shipper?.input?.path} to ${shipper?.cloudWatchLogs?.logGroupName}`,
          status:
            shipper?.cloudWatchLogs?.enabled === true && typeof shipper?.cloudWatchLogs?.logGroupName === 'string' ? 'met' : 'not met',
        },
      ];
    },
  },
  {
    id: 'logging.mesh',
    area: AREA,
    control: 'The mesh logs every request, client and server side, in the audit format',
    expectation: 'a Telemetry resource with access logging through the JSON audit provider',
    designSection: DESIGN.auditFormat,
    evaluate: (context) =>
      context.kind('Telemetry').map((telemetry) => {
        const providers = ((telemetry.spec?.accessLogging ?? []) as any[]).flatMap((entry) =>
          (entry.providers ?? []).map((p: any) => `${p.name} (${entry.match?.mode ?? 'CLIENT_AND_SERVER'})`),
        );
        return objectEvidence(telemetry, `access logging: ${providers.join(', ') || 'none'}`, providers.length > 0 ? 'met' : 'not met');
      }),
  },
  {
    id: 'logging.data-stores',
    area: AREA,
    control: 'The data stores log: pgaudit and connections; cache slow and engine logs',
    expectation: 'RDS log exports and pgaudit in the parameter group; ElastiCache log delivery',
    designSection: DESIGN.auditLogging,
    evaluate: (context) => [
      ...context.resources.ofType('AWS::RDS::DBInstance').map((instance) => {
        const exports = (instance.resource.Properties?.EnableCloudwatchLogsExports ?? []) as string[];
        return context.judge(instance, `exports ${exports.join(', ') || 'nothing'}`, exports.includes('postgresql'));
      }),
      ...context.resources.ofType('AWS::RDS::DBParameterGroup').map((group) => {
        const p = (group.resource.Properties?.Parameters ?? {}) as Record<string, unknown>;
        return context.judge(
          group,
          `pgaudit.log ${String(p['pgaudit.log'] ?? 'unset')}; log_connections ${String(p.log_connections ?? 'unset')}; log_disconnections ${String(p.log_disconnections ?? 'unset')}`,
          p['pgaudit.log'] !== undefined && String(p.log_connections) === '1',
        );
      }),
      ...context.resources.ofType('AWS::ElastiCache::ReplicationGroup').map((group) => {
        const types = ((group.resource.Properties?.LogDeliveryConfigurations ?? []) as { LogType: string }[]).map((c) => c.LogType);
        return context.judge(group, `log delivery: ${types.join(', ') || 'none'}`, types.length > 0);
      }),
    ],
  },
  {
    id: 'logging.alarms',
    area: AREA,
    control: 'Every alarm notifies the security alert topic',
    expectation: 'alarm actions on, each naming an SNS topic',
    designSection: DESIGN.incidentResponse,
    evaluate: (context) => [
      ...context.resources.ofType('AWS::CloudWatch::Alarm').map((alarm) => {
        const p = alarm.resource.Properties ?? {};
        const topics = ((p.AlarmActions ?? []) as unknown[])
          .map((action) => context.resources.referenced(alarm.stack, action))
          .filter((t) => t?.resource.Type === 'AWS::SNS::Topic');
        const met = topics.length > 0 && (p.ActionsEnabled === undefined || isTrue(p.ActionsEnabled));
        return context.judge(
          alarm,
          `${String(p.AlarmName ?? alarm.logicalId)} to ${topics.map((t) => String(t!.resource.Properties?.TopicName ?? t!.logicalId)).join(', ') || 'nothing'}`,
          met,
        );
      }),
      ...context.resources.ofType('AWS::SNS::Subscription').map((subscription) => {
        const p = subscription.resource.Properties ?? {};
        return context.judge(subscription, `${p.Protocol} subscription ${p.Protocol === 'email' ? String(p.Endpoint) : ''}`.trim(), true);
      }),
    ],
  },
  {
    id: 'logging.detection',
    area: AREA,
    control: 'Threat detection, security standards, configuration recording and image scanning',
    expectation:
      'shown as configured: GuardDuty, Security Hub, AWS Config (each switchable where the organization runs it), ECR scan on push',
    designSection: DESIGN.scanning,
    optional: true,
    evaluate: (context) => [
      ...context.resources.ofType('AWS::GuardDuty::Detector').map((detector) => {
        const features = ((detector.resource.Properties?.Features ?? []) as { Name: string; Status: string }[])
          .filter((f) => f.Status === 'ENABLED')
          .map((f) => f.Name);
        return context.judge(detector, `GuardDuty on; features ${features.join(', ')}`, isTrue(detector.resource.Properties?.Enable));
      }),
      ...context.resources.ofType('AWS::SecurityHub::Standard').map((standard) => {
        const arn = String(standard.resource.Properties?.StandardsArn ?? '');
        return context.judge(standard, `Security Hub standard ${arn.replace(/^.*standards\//, '')}`, true);
      }),
      ...context.resources
        .ofType('AWS::Config::ConfigurationRecorder')
        .map((recorder) =>
          context.judge(
            recorder,
            `AWS Config records all supported types: ${String(recorder.resource.Properties?.RecordingGroup?.AllSupported)}`,
            isTrue(recorder.resource.Properties?.RecordingGroup?.AllSupported),
          ),
        ),
      ...context.resources.ofType('AWS::ECR::Repository').map((repository) => {
        const p = repository.resource.Properties ?? {};
        return context.judge(
          repository,
          `${String(p.RepositoryName)}: scan on push ${String(p.ImageScanningConfiguration?.ScanOnPush)}; tags ${p.ImageTagMutability}`,
          isTrue(p.ImageScanningConfiguration?.ScanOnPush) && p.ImageTagMutability === 'IMMUTABLE',
        );
      }),
    ],
  },
];
