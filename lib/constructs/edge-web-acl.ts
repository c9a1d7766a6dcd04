import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import * as ipaddr from 'ipaddr.js';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { WAF_MIN_RATE_LIMIT } from '../config/schema/edge';

type EdgeConfig = StageConfig['edge'];
type RuleGroupKey = keyof EdgeConfig['managedRuleGroups'];

/** The AWS managed rule groups, in the order the web ACL evaluates them, with the rule name each gets. */
export const MANAGED_RULE_GROUPS: readonly { key: RuleGroupKey; rule: string; vendorName: string }[] = [
  { key: 'ipReputation', rule: 'AmazonIpReputationList', vendorName: 'AWSManagedRulesAmazonIpReputationList' },
  { key: 'anonymousIp', rule: 'AnonymousIpList', vendorName: 'AWSManagedRulesAnonymousIpList' },
  { key: 'common', rule: 'CommonRuleSet', vendorName: 'AWSManagedRulesCommonRuleSet' },
  { key: 'knownBadInputs', rule: 'KnownBadInputs', vendorName: 'AWSManagedRulesKnownBadInputsRuleSet' },
  { key: 'sqlInjection', rule: 'SqlInjection', vendorName: 'AWSManagedRulesSQLiRuleSet' },
];

/** The core rule set's rule that blocks request bodies over 8 KB, and the label it leaves in count mode. */
const BODY_SIZE_RULE = 'SizeRestrictions_BODY';
const BODY_SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/** The method and path of the design document's expensive endpoint. */
export const DIAGNOSIS_ROUTE = { method: 'POST', path: '/diagnosis' } as const;

/** Every rate-limited request is answered 429, as the application's own limiter would. */
const TOO_MANY_REQUESTS: wafv2.CfnWebACL.RuleActionProperty = { block: { customResponse: { responseCode: 429 } } };

// Match on the path the gateway will route, not on its spelling: decode percent-escapes first,
// then remove `//`, `/./` and `/../`, so `/x/../diagnosis` is counted as `/diagnosis`.
const ROUTED_PATH: wafv2.CfnWebACL.TextTransformationProperty[] = [
  { priority: 0, type: 'URL_DECODE' },
  { priority: 1, type: 'NORMALIZE_PATH' },
];

/** Properties of an {@link EdgeWebAcl}. */
export interface EdgeWebAclProps {
  /** The web ACL's name (and its CloudWatch metric name), from the naming module. */
  readonly name: string;
  /** The prefix of the IP set names, from the naming module. */
  readonly ipSetNamePrefix: string;
  /** The edge section of the stage's configuration. */
  readonly edge: EdgeConfig;
  /** Requests one IP may send to POST /diagnosis per minute (`rateLimits.diagnosisPerIp.perMinute`). */
  readonly diagnosisPerIpPerMinute: number;
}

/**
 * The REGIONAL WAF web ACL for the ALB in front of Kong: source-address lists, the POST
 * /diagnosis and global per-IP rate limits, and the AWS managed rule groups. Requests no rule
 * blocks are allowed (Kong then authenticates them).
 */
export class EdgeWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The names of the rules, in evaluation order. */
  public readonly ruleNames: readonly string[];

  private readonly props: EdgeWebAclProps;
  private readonly rules: wafv2.CfnWebACL.RuleProperty[] = [];

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    if (!Number.isInteger(props.diagnosisPerIpPerMinute) || props.diagnosisPerIpPerMinute < WAF_MIN_RATE_LIMIT) {
      throw new Error(
        `A WAF rate-based rule counts at least ${WAF_MIN_RATE_LIMIT} requests per window; got ${props.diagnosisPerIpPerMinute}`,
      );
    }
    this.props = props;
    const { edge } = props;

    if (edge.sourceIps.deny.length > 0) {
      this.addRule('DeniedSources', { block: {} }, this.inIpSets('deny', edge.sourceIps.deny));
    }
    if (edge.sourceIps.allowOnly.length > 0) {
      this.addRule('SourcesNotAllowed', { block: {} }, { notStatement: { statement: this.inIpSets('allow', edge.sourceIps.allowOnly) } });
    }
    this.addRule('DiagnosisRateLimit', TOO_MANY_REQUESTS, {
      rateBasedStatement: {
        limit: props.diagnosisPerIpPerMinute,
        evaluationWindowSec: 60,
        aggregateKeyType: 'IP',
        scopeDownStatement: { andStatement: { statements: [methodIs(DIAGNOSIS_ROUTE.method), diagnosisPath()] } },
      },
    });
    this.addRule('GlobalRateLimitPerIp', TOO_MANY_REQUESTS, {
      rateBasedStatement: {
        limit: edge.globalRateLimit.requestsPerIp,
        evaluationWindowSec: edge.globalRateLimit.windowSeconds,
        aggregateKeyType: 'IP',
      },
    });
    const bodySizeException = edge.largeBodyPaths.length > 0 && edge.managedRuleGroups.common === 'block';
    for (const group of MANAGED_RULE_GROUPS) {
      const mode = edge.managedRuleGroups[group.key];
      this.addManagedGroup(group.rule, group.vendorName, mode, group.key === 'common' && bodySizeException ? [BODY_SIZE_RULE] : []);
    }
    if (bodySizeException) {
      // The core rule set only labels oversized bodies (its size rule counts); this rule blocks
      // the label everywhere except the configured paths, so the exception is exactly that wide.
      this.addRule(
        'OversizedBodyOutsideLargeBodyPaths',
        { block: {} },
        {
          andStatement: {
            statements: [
              { labelMatchStatement: { scope: 'LABEL', key: BODY_SIZE_LABEL } },
              { notStatement: { statement: anyOf(edge.largeBodyPaths.map(pathMatches)) } },
            ],
          },
        },
      );
    }

    this.ruleNames = this.rules.map((rule) => rule.name);
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      name: props.name,
      scope: 'REGIONAL',
      description: 'Edge of the Hydraulic Diagnostics API: source lists, per-IP rate limits, AWS managed rule groups',
      defaultAction: { allow: {} },
      rules: this.rules,
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: props.name },
    });
  }

  private addRule(name: string, action: wafv2.CfnWebACL.RuleActionProperty, statement: wafv2.CfnWebACL.StatementProperty): void {
    this.rules.push({ name, priority: this.rules.length, action, statement, visibilityConfig: this.visibility(name) });
  }

  private addManagedGroup(name: string, vendorName: string, mode: 'block' | 'count', countedRules: readonly string[]): void {
    this.rules.push({
      name,
      priority: this.rules.length,
      // `none` keeps the group's own actions (block); `count` only counts and labels.
      overrideAction: mode === 'block' ? { none: {} } : { count: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: vendorName,
          ruleActionOverrides:
            countedRules.length > 0 ? countedRules.map((rule) => ({ name: rule, actionToUse: { count: {} } })) : undefined,
        },
      },
      visibilityConfig: this.visibility(name),
    });
  }

  private visibility(rule: string): wafv2.CfnWebACL.VisibilityConfigProperty {
    return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${this.props.name}-${rule}` };
  }

  /** A statement matching sources in the given blocks: one IP set per address family. */
  private inIpSets(purpose: string, blocks: readonly string[]): wafv2.CfnWebACL.StatementProperty {
    const families = [
      { version: 'IPV4', suffix: 'ipv4', blocks: blocks.filter((block) => ipaddr.parseCIDR(block)[0].kind() === 'ipv4') },
      { version: 'IPV6', suffix: 'ipv6', blocks: blocks.filter((block) => ipaddr.parseCIDR(block)[0].kind() === 'ipv6') },
    ].filter((family) => family.blocks.length > 0);
    return anyOf(
      families.map((family) => {
        const set = new wafv2.CfnIPSet(this, `${capitalize(purpose)}${family.suffix.toUpperCase()}`, {
          name: `${this.props.ipSetNamePrefix}-${purpose}-${family.suffix}`,
          scope: 'REGIONAL',
          ipAddressVersion: family.version,
          addresses: family.blocks,
          description: `Sources the edge ${purpose === 'deny' ? 'refuses' : 'accepts exclusively'}, ${family.version}`,
        });
        return { ipSetReferenceStatement: { arn: set.attrArn } };
      }),
    );
  }
}

function methodIs(method: string): wafv2.CfnWebACL.StatementProperty {
  // Methods are case-sensitive in HTTP and in Kong's routing: no transformation.
  return {
    byteMatchStatement: {
      fieldToMatch: { method: {} },
      positionalConstraint: 'EXACTLY',
      searchString: method,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  };
}

/**
 * `/diagnosis` and anything below it, in any letter case: Kong routes `/diagnosis` as a prefix,
 * so an exact match would let `/diagnosis/` through. A wider match only limits more requests.
 */
function diagnosisPath(): wafv2.CfnWebACL.StatementProperty {
  return {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: 'STARTS_WITH',
      searchString: DIAGNOSIS_ROUTE.path,
      textTransformations: [...ROUTED_PATH, { priority: 2, type: 'LOWERCASE' }],
    },
  };
}

/** A configured large-body path: exact, or a prefix when it ends in `/*`. */
function pathMatches(path: string): wafv2.CfnWebACL.StatementProperty {
  const prefix = path.endsWith('/*');
  return {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: prefix ? 'STARTS_WITH' : 'EXACTLY',
      searchString: prefix ? path.slice(0, -1) : path,
      textTransformations: ROUTED_PATH,
    },
  };
}

/** WAF's OR needs at least two statements; one stands alone. */
function anyOf(statements: wafv2.CfnWebACL.StatementProperty[]): wafv2.CfnWebACL.StatementProperty {
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
