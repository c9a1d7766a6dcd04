import { Match } from 'aws-cdk-lib/assertions';
import type { StageConfig } from '../../lib/config';
import { buildStage, committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { ruleFindings } from '../harness/rule-packs';

const MANAGED_GROUPS = {
  AmazonIpReputationList: 'AWSManagedRulesAmazonIpReputationList',
  AnonymousIpList: 'AWSManagedRulesAnonymousIpList',
  CommonRuleSet: 'AWSManagedRulesCommonRuleSet',
  KnownBadInputs: 'AWSManagedRulesKnownBadInputsRuleSet',
  SqlInjection: 'AWSManagedRulesSQLiRuleSet',
};

const webAclOf = (template: ReturnType<typeof templateOf>) => Object.values(template.findResources('AWS::WAFv2::WebACL'))[0].Properties;
const ruleNamed = (template: ReturnType<typeof templateOf>, name: string) =>
  (webAclOf(template).Rules as any[]).find((rule) => rule.Name === name);

/** The edge stack of a stage built from a changed copy of a committed config. */
function edgeWith(stageName: string, change: (config: StageConfig) => void) {
  const config = structuredClone(stageConfig(stageName));
  change(config);
  return templateOf(buildStage(config).edge);
}

describe.each(['dev', 'prod'])('the %s edge stack', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.edge);
  const config = stageConfig(stageName);

  test('matches its snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four rule packs with nothing unacknowledged', () => {
    expect(ruleFindings(stage.edge)).toEqual([]);
  });

  test('is a REGIONAL web ACL named by the naming module, allowing what no rule blocks', () => {
    expect(webAclOf(template)).toMatchObject({
      Name: `hydraulic-${stageName}-edge`,
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: `hydraulic-${stageName}-edge` },
    });
    expect(stage.edge.webAclName).toBe(`hydraulic-${stageName}-edge`);
  });

  test('limits POST /diagnosis to the configured requests per IP over a 60-second window, answering 429', () => {
    const rule = ruleNamed(template, 'DiagnosisRateLimit');
    expect(rule.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429 } } });
    expect(rule.Statement.RateBasedStatement).toMatchObject({
      Limit: config.rateLimits.diagnosisPerIp.perMinute,
      EvaluationWindowSec: 60,
      AggregateKeyType: 'IP',
    });
    expect(config.rateLimits.diagnosisPerIp.perMinute).toBe(100);
  });

  test('scopes the /diagnosis limit down to method POST and the /diagnosis path, as the gateway routes it', () => {
    const [method, path] = ruleNamed(template, 'DiagnosisRateLimit').Statement.RateBasedStatement.ScopeDownStatement.AndStatement
      .Statements;
    expect(method.ByteMatchStatement).toEqual({
      FieldToMatch: { Method: {} },
      PositionalConstraint: 'EXACTLY',
      SearchString: 'POST',
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    });
    expect(path.ByteMatchStatement).toEqual({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'STARTS_WITH',
      SearchString: '/diagnosis',
      TextTransformations: [
        { Priority: 0, Type: 'URL_DECODE' },
        { Priority: 1, Type: 'NORMALIZE_PATH' },
        { Priority: 2, Type: 'LOWERCASE' },
      ],
    });
  });

  test('limits every client IP over the configured window', () => {
    const rule = ruleNamed(template, 'GlobalRateLimitPerIp');
    expect(rule.Statement.RateBasedStatement).toEqual({
      Limit: config.edge.globalRateLimit.requestsPerIp,
      EvaluationWindowSec: config.edge.globalRateLimit.windowSeconds,
      AggregateKeyType: 'IP',
    });
    expect(rule.Action.Block).toBeDefined();
  });

  test('evaluates the five AWS managed rule groups, each in the mode its config sets', () => {
    const modes: Record<string, string> = {
      AmazonIpReputationList: config.edge.managedRuleGroups.ipReputation,
      AnonymousIpList: config.edge.managedRuleGroups.anonymousIp,
      CommonRuleSet: config.edge.managedRuleGroups.common,
      KnownBadInputs: config.edge.managedRuleGroups.knownBadInputs,
      SqlInjection: config.edge.managedRuleGroups.sqlInjection,
    };
    for (const [name, vendorName] of Object.entries(MANAGED_GROUPS)) {
      const rule = ruleNamed(template, name);
      expect(rule.Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: vendorName });
      expect(rule.OverrideAction).toEqual(modes[name] === 'block' ? { None: {} } : { Count: {} });
    }
  });

  test('rule priorities are unique and follow the evaluation order', () => {
    const rules = webAclOf(template).Rules as any[];
    expect(rules.map((rule) => rule.Priority)).toEqual(rules.map((_rule, index) => index));
    expect(rules.map((rule) => rule.Name)).toEqual(stage.edge.webAcl.ruleNames);
  });

  test('logs every request to a KMS-encrypted aws-waf-logs- group kept for the configured retention, retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: `aws-waf-logs-hydraulic-${stageName}`,
        KmsKeyId: Match.anyValue(),
        RetentionInDays: config.logging.retentionDays,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
      LogDestinationConfigs: [`arn:aws:logs:${config.aws.region}:${config.aws.account}:log-group:aws-waf-logs-hydraulic-${stageName}`],
    });
  });

  test('redacts the authorization and cookie headers from the WAF log', () => {
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
  });

  test('lets only this account’s log deliveries write into the WAF log group', () => {
    const policy = JSON.parse(Object.values(template.findResources('AWS::Logs::ResourcePolicy'))[0].Properties.PolicyDocument);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:${config.aws.region}:${config.aws.account}:log-group:aws-waf-logs-hydraulic-${stageName}:log-stream:*`,
        Condition: {
          StringEquals: { 'aws:SourceAccount': config.aws.account },
          ArnLike: { 'aws:SourceArn': `arn:aws:logs:${config.aws.region}:${config.aws.account}:*` },
        },
      }),
    ]);
  });

  test('has no Shield Advanced protection unless the config asks', () => {
    expect(config.edge.shieldAdvanced).toBe(false);
    template.resourceCountIs('AWS::Shield::ProtectionGroup', 0);
  });
});

describe('per-stage edge settings', () => {
  test('prod lets request bodies over 8 KB through on /diagnosis only; the core rule set blocks them everywhere else', () => {
    const template = templateOf(committedStage('prod').edge);
    expect(ruleNamed(template, 'CommonRuleSet').Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    const [label, notExcluded] = ruleNamed(template, 'OversizedBodyOutsideLargeBodyPaths').Statement.AndStatement.Statements;
    expect(label).toEqual({ LabelMatchStatement: { Scope: 'LABEL', Key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body' } });
    expect(notExcluded.NotStatement.Statement.ByteMatchStatement).toMatchObject({
      PositionalConstraint: 'EXACTLY',
      SearchString: '/diagnosis',
    });
    expect(ruleNamed(template, 'OversizedBodyOutsideLargeBodyPaths').Action).toEqual({ Block: {} });
  });

  test('dev lists no large-body path: the body-size rule is not overridden anywhere', () => {
    const template = templateOf(committedStage('dev').edge);
    expect(ruleNamed(template, 'CommonRuleSet').Statement.ManagedRuleGroupStatement.RuleActionOverrides).toBeUndefined();
    expect(ruleNamed(template, 'OversizedBodyOutsideLargeBodyPaths')).toBeUndefined();
  });

  test('dev accepts only its allow-listed sources: everything else is blocked before any other rule', () => {
    const template = templateOf(committedStage('dev').edge);
    const rule = ruleNamed(template, 'SourcesNotAllowed');
    expect(rule.Priority).toBe(0);
    expect(rule.Action).toEqual({ Block: {} });
    expect(rule.Statement.NotStatement.Statement.IPSetReferenceStatement.Arn['Fn::GetAtt'][0]).toMatch(/^WebAclAllowIPV4/);
    template.hasResourceProperties('AWS::WAFv2::IPSet', {
      Name: 'hydraulic-dev-allow-ipv4',
      Scope: 'REGIONAL',
      IPAddressVersion: 'IPV4',
      Addresses: stageConfig('dev').edge.sourceIps.allowOnly,
    });
  });

  test('prod has no source list, so no IP set', () => {
    templateOf(committedStage('prod').edge).resourceCountIs('AWS::WAFv2::IPSet', 0);
  });
});

describe('edge switches', () => {
  test('denied sources get one IP set per address family, checked first', () => {
    const template = edgeWith('prod', (config) => {
      config.edge.sourceIps.deny = ['198.51.100.0/24', '2001:db8::/32'];
    });
    const rule = ruleNamed(template, 'DeniedSources');
    expect(rule.Priority).toBe(0);
    expect(rule.Statement.OrStatement.Statements).toHaveLength(2);
    template.hasResourceProperties('AWS::WAFv2::IPSet', { IPAddressVersion: 'IPV4', Addresses: ['198.51.100.0/24'] });
    template.hasResourceProperties('AWS::WAFv2::IPSet', { IPAddressVersion: 'IPV6', Addresses: ['2001:db8::/32'] });
  });

  test('a rule group switched to count only counts', () => {
    const template = edgeWith('prod', (config) => {
      config.edge.managedRuleGroups.sqlInjection = 'count';
    });
    expect(ruleNamed(template, 'SqlInjection').OverrideAction).toEqual({ Count: {} });
    expect(ruleNamed(template, 'CommonRuleSet').OverrideAction).toEqual({ None: {} });
  });

  test('Shield Advanced, when switched on, groups the account’s ALBs into one protection', () => {
    const template = edgeWith('prod', (config) => {
      config.edge.shieldAdvanced = true;
    });
    template.hasResourceProperties('AWS::Shield::ProtectionGroup', {
      ProtectionGroupId: 'hydraulic-prod-edge',
      Pattern: 'BY_RESOURCE_TYPE',
      ResourceType: 'APPLICATION_LOAD_BALANCER',
      Aggregation: 'MAX',
    });
  });

  test('a /diagnosis limit WAF cannot enforce is refused at synthesis', () => {
    expect(() =>
      edgeWith('dev', (config) => {
        config.rateLimits.diagnosisPerIp.perMinute = 5;
      }),
    ).toThrow(/at least 10 requests per window; got 5/);
  });
});

test('the WAF log group keeps its logical ID (a change would replace it and lose its logs)', () => {
  expect(Object.keys(templateOf(committedStage('prod').edge).findResources('AWS::Logs::LogGroup'))).toEqual([
    'WebAclLoggingLogGroup8A73AF2C',
  ]);
});
