import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { StageConfig } from '../../lib/config';
import { CONFIG_RULES } from '../../lib/constructs/configuration-compliance';
import { PATCH_SLAS } from '../../lib/constructs/finding-routing';
import { GUARD_DUTY_FEATURES } from '../../lib/constructs/threat-detection';
import { buildStage, committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { objectNamed, renderStageObjects } from '../harness/k8s-charts';
import { ruleFindings } from '../harness/rule-packs';
import { ACCESS_LOG_FORMAT } from '../../k8s/charts/gateway/kong-helm-values';
import { gatewayLogShipperValues } from '../../k8s/install/gateway-log-shipper-values';

const only = (template: Template, type: string, where: (resource: any) => boolean = () => true) => {
  const found = Object.entries(template.findResources(type)).filter(([, resource]) => where(resource));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return { logicalId: found[0][0], ...found[0][1] } as any;
};
const bucketNamed = (template: Template, name: string) =>
  only(template, 'AWS::S3::Bucket', (bucket) => bucket.Properties.BucketName === name);
const policyOf = (template: Template, bucketLogicalId: string) =>
  only(template, 'AWS::S3::BucketPolicy', (policy) => policy.Properties.Bucket.Ref === bucketLogicalId).Properties.PolicyDocument
    .Statement as any[];
const alarmNamed = (template: Template, name: string) =>
  only(template, 'AWS::CloudWatch::Alarm', (alarm) => alarm.Properties.AlarmName === name);
const filterFor = (template: Template, metricName: string) =>
  only(template, 'AWS::Logs::MetricFilter', (filter) => filter.Properties.MetricTransformations[0].MetricName === metricName).Properties;
const description = (alarm: any): string => {
  const text = alarm.Properties.AlarmDescription;
  return typeof text === 'string' ? text : JSON.stringify(text);
};

/** The audit stack of a stage built from a changed copy of a committed config. */
function auditWith(stageName: string, change: (config: StageConfig) => void) {
  const config = structuredClone(stageConfig(stageName));
  change(config);
  const stage = buildStage(config);
  return { stage, template: templateOf(stage.audit) };
}

describe.each(['dev', 'prod'])('the %s audit stack', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.audit);
  const config = stageConfig(stageName);
  const { account, region } = config.aws;
  const clusterObjects = renderStageObjects(config);
  const archiveName = `hydraulic-${stageName}-audit-${account}-${region}`;
  const accessLogName = `hydraulic-${stageName}-access-logs-${account}-${region}`;

  test('matches its snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four rule packs with nothing unacknowledged', () => {
    expect(ruleFindings(stage.audit)).toEqual([]);
  });

  describe('the trail', () => {
    const trail = () => only(template, 'AWS::CloudTrail::Trail').Properties;

    test('records every region and global services, with log file validation, and is logging', () => {
      expect(trail()).toMatchObject({
        TrailName: `hydraulic-${stageName}-audit`,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        IsLogging: true,
      });
    });

    test('is encrypted with the logs key and delivered to the archive and to its log group', () => {
      expect(trail().KMSKeyId).toEqual({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: `hydraulic-${stageName}-keys` }) });
      expect(trail().S3BucketName).toEqual({ Ref: bucketNamed(template, archiveName).logicalId });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          LogGroupName: `/hydraulic/${stageName}/cloudtrail`,
          KmsKeyId: Match.anyValue(),
          RetentionInDays: config.logging.retentionDays,
        },
        DeletionPolicy: 'Retain',
      });
    });

    test('records every management event (so every Secrets Manager call) and every read of the archive', () => {
      const [management, archiveReads] = trail().AdvancedEventSelectors;
      expect(management.FieldSelectors).toEqual([{ Field: 'eventCategory', Equals: ['Management'] }]);
      expect(archiveReads.FieldSelectors).toEqual(
        expect.arrayContaining([
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'readOnly', Equals: ['true'] },
        ]),
      );
    });

    test('writes to the archive only as this trail (confused-deputy conditions)', () => {
      const trailArn = `arn:aws:cloudtrail:${region}:${account}:trail/hydraulic-${stageName}-audit`;
      const statements = policyOf(template, bucketNamed(template, archiveName).logicalId);
      for (const sid of ['CloudTrailAclCheck', 'CloudTrailWrite']) {
        expect(statements.find((statement) => statement.Sid === sid).Condition.StringEquals['aws:SourceArn']).toBe(trailArn);
      }
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceArn': trailArn, 'aws:SourceAccount': account } },
            }),
          ],
        },
      });
    });
  });

  describe('the archive', () => {
    const bucket = () => bucketNamed(template, archiveName);

    test('locks every object in compliance mode for the configured days', () => {
      expect(bucket().Properties.ObjectLockEnabled).toBe(true);
      expect(bucket().Properties.ObjectLockConfiguration).toEqual({
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: config.audit.objectLockDays } },
      });
    });

    test('is versioned, private, KMS-encrypted object by object (no bucket key, so the key policy sees each object), and retained', () => {
      expect(bucket().Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: false, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
        },
      });
      expect(bucket()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    test('refuses every request not made over TLS 1.2 or later', () => {
      const statements = policyOf(template, bucket().logicalId);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      );
    });

    test('logs its own access to the access-log bucket', () => {
      expect(bucket().Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: bucketNamed(template, accessLogName).logicalId },
        LogFilePrefix: `s3/${archiveName}/`,
      });
    });

    test('moves objects to Glacier Instant Retrieval after the configured days', () => {
      expect(bucket().Properties.LifecycleConfiguration.Rules).toEqual([
        expect.objectContaining({
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: config.audit.archiveAfterDays }],
        }),
      ]);
    });
  });

  describe('the access-log bucket', () => {
    const bucket = () => bucketNamed(template, accessLogName);

    test('is versioned, private, TLS-only, S3-encrypted (all ELB accepts), archived then expired at the log retention', () => {
      expect(bucket().Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      });
      expect(bucket().Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
        ExpirationInDays: config.logging.retentionDays,
        Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: config.audit.archiveAfterDays }],
      });
      expect(policyOf(template, bucket().logicalId)).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      expect(bucket()).toMatchObject({ DeletionPolicy: 'Retain' });
    });

    test('lets Elastic Load Balancing of this region write ALB access logs under alb/ only', () => {
      const delivery = policyOf(template, bucket().logicalId).find((statement) => statement.Sid === 'LoadBalancerAccessLogDelivery');
      // eu-central-1 predates the logdelivery service principal: ELB writes as its regional account.
      expect(delivery.Principal).toEqual({ AWS: 'arn:aws:iam::054676820928:root' });
      expect(delivery.Action).toBe('s3:PutObject');
      expect(JSON.stringify(delivery.Resource)).toContain(`/alb/AWSLogs/${account}/*`);
    });

    test('is the bucket and prefix the cluster’s ALB Ingress writes its access logs to, which ELB may write', () => {
      const params = objectNamed(clusterObjects, 'IngressClassParams', `hydraulic-${stageName}-edge`);
      const attribute = (key: string) => params.spec.loadBalancerAttributes.find((candidate: any) => candidate.key === key)?.value;
      expect(attribute('access_logs.s3.enabled')).toBe('true');
      expect(attribute('access_logs.s3.bucket')).toBe(bucket().Properties.BucketName);
      // ELB writes <prefix>/AWSLogs/<account>/elasticloadbalancing/<region>/...: the policy must admit exactly that.
      const delivery = policyOf(template, bucket().logicalId).find((statement) => statement.Sid === 'LoadBalancerAccessLogDelivery');
      expect(delivery.Resource['Fn::Join'][1].at(-1)).toBe(`/${attribute('access_logs.s3.prefix')}/AWSLogs/${account}/*`);
    });
  });

  describe('the gateway alarms read what Kong writes and the shipper sends', () => {
    const [groupId] = Object.keys(
      template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: `/hydraulic/${stageName}/gateway-access` } }),
    );
    const fileLog: any = clusterObjects.find((object: any) => object.kind === 'KongClusterPlugin' && object.plugin === 'file-log');
    /**
     * One line of Kong's audit log: Kong 3.9's log serializer (kong/pdk/log.lua, `serialize`) with the
     * request Kong refused for a bad token, plus every custom field the rendered file-log plugin adds.
     */
    const line: Record<string, unknown> = {
      request: {
        uri: '/systems?page=2',
        url: 'https://api/systems?page=2',
        method: 'GET',
        headers: { authorization: 'REDACTED' },
        size: 120,
      },
      upstream_uri: '',
      response: { status: 401, headers: {}, size: 80 },
      latencies: { kong: 1, proxy: -1, request: 1 },
      tries: [],
      authenticated_entity: null,
      route: { name: 'systems-read' },
      service: { name: 'backend-api' },
      consumer: { username: 'tenant-456', id: '00000000-0000-0000-0000-000000000001' },
      client_ip: '203.0.113.9',
      started_at: 1767225600000,
      source: 'kong',
      ...Object.fromEntries(Object.keys(fileLog.config.custom_fields_by_lua).map((field) => [field, 'value'])),
    };
    const selectors = (): string[] => {
      const filters = Object.values(template.findResources('AWS::Logs::MetricFilter'))
        .filter((filter: any) => filter.Properties.LogGroupName.Ref === groupId)
        .map((filter: any) => filter.Properties.FilterPattern as string);
      const rules = Object.values(template.findResources('AWS::CloudWatch::InsightRule')).map((rule: any) => JSON.stringify(rule));
      expect(filters.length).toBeGreaterThan(0);
      expect(rules.length).toBeGreaterThan(0);
      return [...new Set([...filters, ...rules].flatMap((text) => text.match(/\$\.[A-Za-z_][\w.]*/g) ?? []))];
    };

    test('Kong writes every field the metric filters and the Contributor Insights rule select, as a value', () => {
      const selected = selectors();
      expect(selected).toEqual(expect.arrayContaining(['$.response.status', '$.client_ip']));
      for (const selector of selected) {
        const value = selector
          .slice(2)
          .split('.')
          .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), line);
        expect({ selector, type: typeof value }).toEqual({ selector, type: expect.stringMatching(/^(string|number)$/) });
      }
    });

    test('no custom audit field replaces a serializer field the alarms select', () => {
      const custom = Object.keys(fileLog.config.custom_fields_by_lua);
      for (const selector of selectors()) expect(custom).not.toContain(selector.slice(2).split('.')[0]);
    });

    test('the audit log is global and on stdout, which the shipper tails; Kong’s nginx access log there never counts twice', () => {
      expect(fileLog.metadata.labels.global).toBe('true');
      expect(fileLog.config.path).toBe('/dev/stdout');
      // The nginx access log shares stdout but has no response object: the 401 and 403 selectors skip it.
      const nginxLine = JSON.parse(
        ACCESS_LOG_FORMAT.slice(ACCESS_LOG_FORMAT.indexOf("'") + 1, -1)
          .replace(/\$[a-z_]+/g, '0')
          .replace(/"0"/g, '"x"'),
      );
      expect(nginxLine.response).toBeUndefined();
      const shipper = gatewayLogShipperValues(config) as any;
      expect(shipper.cloudWatchLogs).toMatchObject({ logGroupName: `/hydraulic/${stageName}/gateway-access`, logKey: 'log' });
      expect(shipper.input.path).toBe(`/var/log/containers/*_${config.serviceGraph.gateway.namespace}_proxy-*.log`);
    });
  });

  describe('the alert topic', () => {
    test('is KMS-encrypted and refuses any publish not made over TLS', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `hydraulic-${stageName}-security-alerts`,
        KmsMasterKeyId: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    test('admits CloudWatch alarms and EventBridge rules of this account only', () => {
      const statements = only(template, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument.Statement as any[];
      for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
        const grant = statements.find((statement) => statement.Principal?.Service === service);
        expect(grant.Condition.StringEquals).toEqual({ 'aws:SourceAccount': account });
        expect(grant.Condition.ArnLike['aws:SourceArn']).toMatch(new RegExp(`^arn:aws:(cloudwatch|events):${region}:${account}:`));
      }
      expect(statements.filter((statement) => statement.Effect === 'Allow')).toHaveLength(2);
    });

    test('sends to every configured address by e-mail', () => {
      const endpoints = Object.values(template.findResources('AWS::SNS::Subscription')).map((subscription) => subscription.Properties);
      expect(endpoints).toEqual(config.alerts.emails.map((email) => expect.objectContaining({ Protocol: 'email', Endpoint: email })));
    });
  });

  describe('the security alarms', () => {
    const alarms = [
      'failed-authentications-per-ip',
      'gateway-authorization-failures',
      'aws-access-denied',
      'root-account-use',
      'iam-policy-changes',
      'kms-key-policy-changes',
      'secret-deletion-scheduled',
      'waf-block-spike',
    ];

    test.each(alarms)('%s notifies the alert topic and says what to do first', (purpose) => {
      const alarm = alarmNamed(template, `hydraulic-${stageName}-${purpose}`);
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: only(template, 'AWS::SNS::Topic').logicalId }]);
      expect(alarm.Properties).toMatchObject({ ActionsEnabled: true, EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
      expect(description(alarm)).toMatch(/1 Detect: .+ 2 Contain: .+ Then eradicate, recover and review/);
      expect(description(alarm)).not.toMatch(/"Ref"/);
    });

    test('more than 5 failed authentications from one client IP in 5 minutes alarm, counted in Kong’s access log', () => {
      const rule = only(template, 'AWS::CloudWatch::InsightRule').Properties;
      expect(rule.RuleName).toBe(`hydraulic-${stageName}-failed-authentications-per-ip`);
      const body = JSON.parse((rule.RuleBody['Fn::Join'][1] as any[]).map((part) => (typeof part === 'string' ? part : 'GROUP')).join(''));
      expect(body).toMatchObject({
        LogFormat: 'JSON',
        Contribution: { Keys: ['$.client_ip'], Filters: [{ Match: '$.response.status', In: [401] }] },
        AggregateOn: 'Count',
      });
      expect(rule.RuleBody['Fn::Join'][1]).toContainEqual({
        Ref: only(template, 'AWS::Logs::LogGroup', (group) => group.Properties.LogGroupName === `/hydraulic/${stageName}/gateway-access`)
          .logicalId,
      });
      const alarm = alarmNamed(template, `hydraulic-${stageName}-failed-authentications-per-ip`).Properties;
      expect(alarm).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' });
      expect(alarm.Metrics[0]).toMatchObject({
        Expression: `INSIGHT_RULE_METRIC('hydraulic-${stageName}-failed-authentications-per-ip', 'MaxContributorValue')`,
        Period: 300,
      });
    });

    test('authorization failures alarm on HTTP 403 at the gateway and on AWS AccessDenied, above their thresholds', () => {
      expect(filterFor(template, 'GatewayAuthorizationFailures').FilterPattern).toBe('{ $.response.status = 403 }');
      expect(alarmNamed(template, `hydraulic-${stageName}-gateway-authorization-failures`).Properties.Threshold).toBe(
        config.audit.alarmThresholds.authorizationFailures,
      );
      expect(filterFor(template, 'AwsAccessDenied').FilterPattern).toBe(
        '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
      );
      expect(alarmNamed(template, `hydraulic-${stageName}-aws-access-denied`).Properties.Threshold).toBe(
        config.audit.alarmThresholds.awsAccessDenied,
      );
    });

    test('root account use, IAM policy changes, key policy changes and secret deletion alarm on the first event', () => {
      expect(filterFor(template, 'RootAccountUse').FilterPattern).toBe(
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      );
      expect(filterFor(template, 'IamPolicyChanges').FilterPattern).toMatch(
        /iam\.amazonaws\.com.*PutRolePolicy.*AttachRolePolicy.*UpdateAssumeRolePolicy/,
      );
      expect(filterFor(template, 'KmsKeyPolicyChanges').FilterPattern).toMatch(
        /kms\.amazonaws\.com.*PutKeyPolicy.*ScheduleKeyDeletion.*DisableKey/,
      );
      expect(filterFor(template, 'SecretDeletionScheduled').FilterPattern).toBe(
        `{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "DeleteSecret") && ($.requestParameters.secretId = "*hydraulic/${stageName}/*") }`,
      );
      for (const purpose of ['root-account-use', 'iam-policy-changes', 'kms-key-policy-changes', 'secret-deletion-scheduled']) {
        expect(alarmNamed(template, `hydraulic-${stageName}-${purpose}`).Properties).toMatchObject({
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
      for (const filter of ['RootAccountUse', 'IamPolicyChanges', 'KmsKeyPolicyChanges', 'SecretDeletionScheduled', 'AwsAccessDenied']) {
        expect(
          only(template, 'AWS::Logs::MetricFilter', (f) => f.Properties.MetricTransformations[0].MetricName === filter).Properties
            .LogGroupName,
        ).toEqual({
          Ref: only(template, 'AWS::Logs::LogGroup', (group) => group.Properties.LogGroupName === `/hydraulic/${stageName}/cloudtrail`)
            .logicalId,
        });
      }
    });

    test('a spike of requests blocked by the web ACL alarms', () => {
      expect(alarmNamed(template, `hydraulic-${stageName}-waf-block-spike`).Properties).toMatchObject({
        Namespace: 'AWS/WAFV2',
        MetricName: 'BlockedRequests',
        Dimensions: expect.arrayContaining([
          { Name: 'WebACL', Value: `hydraulic-${stageName}-edge` },
          { Name: 'Rule', Value: 'ALL' },
          { Name: 'Region', Value: region },
        ]),
        Statistic: 'Sum',
        Period: 300,
        Threshold: config.audit.alarmThresholds.blockedRequests,
      });
    });
  });

  describe('finding routing', () => {
    const rules = () => Object.values(template.findResources('AWS::Events::Rule')).map((rule) => rule.Properties);

    test('sends new HIGH and CRITICAL GuardDuty and Security Hub findings to the topic', () => {
      const patterns = rules().map((rule) => rule.EventPattern);
      expect(patterns).toContainEqual(
        expect.objectContaining({ source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 9] }] } }),
      );
      expect(patterns).toContainEqual(
        expect.objectContaining({ source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 7, '<', 9] }] } }),
      );
      for (const label of ['HIGH', 'CRITICAL']) {
        expect(patterns).toContainEqual(
          expect.objectContaining({
            source: ['aws.securityhub'],
            detail: {
              findings: expect.objectContaining({ Severity: { Label: [label] }, Workflow: { Status: ['NEW'] }, RecordState: ['ACTIVE'] }),
            },
          }),
        );
      }
      for (const rule of rules()) expect(rule.Targets[0].Arn).toEqual({ Ref: only(template, 'AWS::SNS::Topic').logicalId });
    });

    test('puts the design document’s patch deadline in each message', () => {
      const messages = rules().map((rule) => rule.Targets[0].InputTransformer.InputTemplate as string);
      expect(messages.filter((message) => message.includes(PATCH_SLAS.CRITICAL) && message.startsWith('"CRITICAL'))).toHaveLength(2);
      expect(messages.filter((message) => message.includes(PATCH_SLAS.HIGH) && message.startsWith('"HIGH'))).toHaveLength(2);
      expect(PATCH_SLAS).toEqual({ CRITICAL: 'patch within 24 hours', HIGH: 'patch within 7 days' });
    });
  });

  test('holds each configured image repository: scanned on push, immutable tags, KMS with the data-stores key, retained', () => {
    for (const name of config.audit.detection.imageRepositories) {
      template.hasResource('AWS::ECR::Repository', {
        Properties: {
          RepositoryName: `hydraulic/${stageName}/${name}`,
          ImageScanningConfiguration: { ScanOnPush: true },
          ImageTagMutability: 'IMMUTABLE',
          EncryptionConfiguration: {
            EncryptionType: 'KMS',
            KmsKey: { 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('DataStoresKey') }) },
          },
        },
        DeletionPolicy: 'Retain',
      });
    }
    expect(Object.keys(stage.audit.imageRepositories)).toEqual(config.audit.detection.imageRepositories);
  });
});

describe('detection switches', () => {
  test('prod runs GuardDuty with its protection plans, Security Hub with both standards, and AWS Config with its rules', () => {
    const template = templateOf(committedStage('prod').audit);
    const detector = only(template, 'AWS::GuardDuty::Detector').Properties;
    expect(detector.Enable).toBe(true);
    expect(detector.Features.map((feature: any) => [feature.Name, feature.Status])).toEqual(
      GUARD_DUTY_FEATURES.map((name) => [name, 'ENABLED']),
    );
    expect(only(template, 'AWS::SecurityHub::Hub').Properties).toMatchObject({
      EnableDefaultStandards: false,
      ControlFindingGenerator: 'SECURITY_CONTROL',
    });
    const standards = Object.values(template.findResources('AWS::SecurityHub::Standard')).map(
      (standard) => standard.Properties.StandardsArn,
    );
    expect(standards).toEqual([
      'arn:aws:securityhub:eu-central-1::standards/aws-foundational-security-best-practices/v/1.0.0',
      'arn:aws:securityhub:eu-central-1::standards/cis-aws-foundations-benchmark/v/3.0.0',
    ]);
    expect(only(template, 'AWS::Config::ConfigurationRecorder').Properties.RecordingGroup).toEqual({
      AllSupported: true,
      IncludeGlobalResourceTypes: true,
    });
    expect(only(template, 'AWS::Config::DeliveryChannel').Properties).toMatchObject({
      S3KeyPrefix: 'config',
      S3KmsKeyArn: { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/LogsKey/) }) },
    });
    const identifiers = Object.values(template.findResources('AWS::Config::ConfigRule')).map(
      (rule) => rule.Properties.Source.SourceIdentifier,
    );
    expect(identifiers.sort()).toEqual(Object.values(CONFIG_RULES).sort());
  });

  test('dev, where the organization runs them, has none, but still routes findings', () => {
    const template = templateOf(committedStage('dev').audit);
    for (const type of [
      'AWS::GuardDuty::Detector',
      'AWS::SecurityHub::Hub',
      'AWS::Config::ConfigurationRecorder',
      'AWS::Config::ConfigRule',
    ]) {
      template.resourceCountIs(type, 0);
    }
    template.resourceCountIs('AWS::Events::Rule', 4);
  });

  test.each([
    ['guardDuty', 'AWS::GuardDuty::Detector'],
    ['securityHub', 'AWS::SecurityHub::Hub'],
    ['awsConfig', 'AWS::Config::ConfigurationRecorder'],
  ] as const)('switching %s off in prod removes %s and nothing else', (key, type) => {
    const { template } = auditWith('prod', (config) => {
      config.audit.detection[key] = false;
    });
    template.resourceCountIs(type, 0);
    const others = ['AWS::GuardDuty::Detector', 'AWS::SecurityHub::Hub', 'AWS::Config::ConfigurationRecorder'].filter(
      (other) => other !== type,
    );
    for (const other of others) template.resourceCountIs(other, 1);
  });

  test('no image repository, no ECR statement in the data-stores key', () => {
    const { stage, template } = auditWith('prod', (config) => {
      config.audit.detection.imageRepositories = [];
    });
    template.resourceCountIs('AWS::ECR::Repository', 0);
    expect(JSON.stringify(templateOf(stage.keys).toJSON())).not.toContain('ImagesThroughEcr');
  });
});

test('the stateful resources keep their logical IDs (a change would replace a bucket, log group or repository)', () => {
  const template = templateOf(committedStage('prod').audit);
  const stateful = ['AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::ECR::Repository'].flatMap((type) =>
    Object.keys(template.findResources(type)),
  );
  expect(stateful.sort()).toEqual(
    [
      'AccessLogBucket99AA64AA',
      'AuditArchiveBucket1CE590A7',
      'GatewayAccessLogGroup52AA5E57',
      'ImageRepositoryrotationtool2791D5F3',
      'TrailLogGroup4CBE3AF5',
    ].sort(),
  );
});
