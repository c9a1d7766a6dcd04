import * as fs from 'node:fs';
import type { AssemblyStack } from './assembly-stacks';

/**
 * CloudFormation's per-stack quotas that a growing app runs into
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 *
 * The template body limit is the one for a template read from S3 (`TemplateURL`, 1 MB, taken
 * here as 1,000,000 bytes): the CDK's default synthesizer publishes every template to the
 * bootstrap bucket and the CLI deploys it by URL (`stackTemplateAssetObjectUrl`; the 51,200-byte
 * limit applies only to a template passed inline, which the CLI does only for a stack without
 * that URL and below 50 KiB). The headroom test checks that every stack is deployed by URL.
 */
export const CLOUDFORMATION_LIMITS = {
  resources: 500,
  templateBytes: 1_000_000,
} as const;

/** The share of a limit a stack may use: a fifth stays free for what the next features add. */
export const HEADROOM_SHARE = 0.8;

/** One stack's use of the CloudFormation limits. */
export interface StackUsage {
  readonly stage: string;
  readonly stackName: string;
  readonly resources: number;
  readonly templateBytes: number;
}

/** How much of each limit a synthesized stack uses. */
export function stackUsage(stack: AssemblyStack): StackUsage {
  return {
    stage: stack.stage,
    stackName: stack.stackName,
    resources: Object.keys(stack.template.Resources ?? {}).length,
    templateBytes: fs.statSync(stack.templateFile).size,
  };
}

/** The stacks over {@link HEADROOM_SHARE} of a limit, one message each. */
export function headroomProblems(usages: readonly StackUsage[]): string[] {
  return usages.flatMap((usage) => [
    ...(usage.resources > CLOUDFORMATION_LIMITS.resources * HEADROOM_SHARE
      ? [
          `${usage.stage}: ${usage.stackName} has ${usage.resources} resources, over ${HEADROOM_SHARE * 100}% of ${CLOUDFORMATION_LIMITS.resources}`,
        ]
      : []),
    ...(usage.templateBytes > CLOUDFORMATION_LIMITS.templateBytes * HEADROOM_SHARE
      ? [
          `${usage.stage}: ${usage.stackName}'s template is ${usage.templateBytes} bytes, over ${HEADROOM_SHARE * 100}% of ${CLOUDFORMATION_LIMITS.templateBytes}`,
        ]
      : []),
  ]);
}

/**
 * A web ACL's capacity before extra charges and the raised quota: 1,500 WCUs
 * (https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html).
 */
export const WEB_ACL_CAPACITY = 1500;

/**
 * The capacity (WCUs) of the AWS managed rule groups this project may use, as each group's page
 * documents it. A group missing here makes the calculation fail rather than guess.
 */
export const MANAGED_RULE_GROUP_CAPACITY: Readonly<Record<string, { readonly wcu: number; readonly source: string }>> = {
  AWSManagedRulesCommonRuleSet: {
    wcu: 700,
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html',
  },
  AWSManagedRulesKnownBadInputsRuleSet: {
    wcu: 200,
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html',
  },
  AWSManagedRulesSQLiRuleSet: {
    wcu: 200,
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html',
  },
  AWSManagedRulesAmazonIpReputationList: {
    wcu: 25,
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html',
  },
  AWSManagedRulesAnonymousIpList: {
    wcu: 50,
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html',
  },
};

/** String match WCUs by positional constraint (waf-rule-statement-type-string-match.html). */
const BYTE_MATCH_BASE: Readonly<Record<string, number>> = { EXACTLY: 2, STARTS_WITH: 2, ENDS_WITH: 2, CONTAINS: 10, CONTAINS_WORD: 10 };
/** Each text transformation a statement applies (NONE applies none). */
const TEXT_TRANSFORMATION_WCU = 10;

/** A WAF rule statement as CloudFormation renders it: one key, the statement type. */
type Statement = Readonly<Record<string, unknown>>;
/** The body of a statement: its fields, as the WCU rules read them. */
interface StatementBody {
  readonly [field: string]: unknown;
  readonly ScopeDownStatement?: Statement;
  readonly CustomKeys?: readonly unknown[];
  readonly PositionalConstraint?: string;
  readonly FieldToMatch?: Readonly<Record<string, unknown>>;
  readonly TextTransformations?: readonly { readonly Type: string }[];
  readonly IPSetForwardedIPConfig?: { readonly Position?: string };
  readonly Statements?: readonly Statement[];
  readonly Statement?: Statement;
  readonly VendorName?: string;
  readonly Name?: string;
}

/**
 * The WCUs of one rule statement, by the AWS WAF developer guide's rules for each statement type:
 * rate-based 2 plus 30 per custom key plus its scope-down statement; string match 2 (exact,
 * prefix, suffix) or 10 (contains), plus 10 per text transformation, plus 10 for all query
 * parameters, doubled for the JSON body; IP set 1 (5 with a forwarded-IP header at position ANY);
 * label match 1; AND, OR and NOT the sum of what they nest; a managed rule group its documented
 * capacity plus its scope-down statement. Any other statement type fails the calculation.
 */
export function statementCapacity(statement: Statement): number {
  const [type, body] = Object.entries(statement)[0] as [string, StatementBody];
  switch (type) {
    case 'RateBasedStatement':
      return 2 + 30 * (body.CustomKeys?.length ?? 0) + (body.ScopeDownStatement ? statementCapacity(body.ScopeDownStatement) : 0);
    case 'ByteMatchStatement': {
      const base = BYTE_MATCH_BASE[body.PositionalConstraint ?? ''];
      if (base === undefined) throw new Error(`Unknown positional constraint ${body.PositionalConstraint}`);
      const field = body.FieldToMatch ?? {};
      const transformations = (body.TextTransformations ?? []).filter((t) => t.Type !== 'NONE').length;
      return (field.JsonBody ? 2 * base : base) + (field.AllQueryArguments ? 10 : 0) + TEXT_TRANSFORMATION_WCU * transformations;
    }
    case 'IPSetReferenceStatement':
      return body.IPSetForwardedIPConfig?.Position === 'ANY' ? 5 : 1;
    case 'LabelMatchStatement':
      return 1;
    case 'AndStatement':
    case 'OrStatement':
      return (body.Statements ?? []).reduce((sum, nested) => sum + statementCapacity(nested), 0);
    case 'NotStatement':
      if (!body.Statement) throw new Error('A NotStatement without its statement');
      return statementCapacity(body.Statement);
    case 'ManagedRuleGroupStatement': {
      const group = MANAGED_RULE_GROUP_CAPACITY[body.Name ?? ''];
      if (body.VendorName !== 'AWS' || !group) {
        throw new Error(
          `No documented capacity for the managed rule group ${body.VendorName}/${body.Name}: add it to MANAGED_RULE_GROUP_CAPACITY with its source`,
        );
      }
      return group.wcu + (body.ScopeDownStatement ? statementCapacity(body.ScopeDownStatement) : 0);
    }
    default:
      throw new Error(`No WCU rule for a ${type}: add one to statementCapacity from the AWS WAF developer guide`);
  }
}

/** One web ACL's capacity use. */
export interface WebAclUsage {
  readonly stage: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly wcu: number;
  readonly rules: readonly { readonly name: string; readonly wcu: number }[];
}

/** The capacity every web ACL of a stack uses, rule by rule. */
export function webAclUsages(stack: AssemblyStack): WebAclUsage[] {
  return Object.entries(stack.template.Resources ?? {})
    .filter(([, resource]) => resource.Type === 'AWS::WAFv2::WebACL')
    .map(([logicalId, resource]) => {
      const definitions = (resource.Properties?.Rules ?? []) as { Name: string; Statement: Statement; RuleLabels?: unknown[] }[];
      const rules = definitions.map((rule) => ({ name: rule.Name, wcu: statementCapacity(rule.Statement) }));
      // Labels the rules add cost 1 WCU per 5 defined in the web ACL (waf-rule-label-add.html).
      const labels = definitions.reduce((sum, rule) => sum + (rule.RuleLabels?.length ?? 0), 0);
      const wcu = rules.reduce((sum, rule) => sum + rule.wcu, 0) + Math.ceil(labels / 5);
      return { stage: stack.stage, stackName: stack.stackName, logicalId, wcu, rules };
    });
}
