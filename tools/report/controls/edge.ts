import { DESIGN } from '../design-document';
import { objectEvidence, type ControlContext, type ControlDefinition, type ControlEvidence } from './control';

/** The design document's session cap: one hour. */
const MAX_SESSION_SECONDS = 3600;

/** The web ACL's rules in evaluation order, as `name (action)`. */
function webAclRules(context: ControlContext): ControlEvidence[] {
  return context.resources.ofType('AWS::WAFv2::WebACL').flatMap((acl) => {
    const p = acl.resource.Properties ?? {};
    const rules = [...((p.Rules ?? []) as any[])].sort((a, b) => a.Priority - b.Priority);
    return [
      context.judge(
        acl,
        `${p.Name}: default action ${Object.keys(p.DefaultAction ?? {})[0]}, ${rules.length} rules, scope ${p.Scope}`,
        true,
      ),
      ...rules.map((rule) => {
        const action = rule.Action
          ? Object.keys(rule.Action)[0]
          : rule.OverrideAction?.Count
            ? 'Count (rule group overridden)'
            : "the group's own actions";
        const group = rule.Statement?.ManagedRuleGroupStatement;
        const overrides = ((group?.RuleActionOverrides ?? []) as any[]).map((o) => `${o.Name} → ${Object.keys(o.ActionToUse)[0]}`);
        const what = group
          ? `${group.VendorName} ${group.Name}${overrides.length > 0 ? ` (${overrides.join(', ')})` : ''}`
          : describeStatement(rule.Statement);
        // A managed group in count mode is a stage's decision, shown rather than judged.
        return {
          ...context.judge(acl, `#${rule.Priority} ${rule.Name}: ${action}; ${what}`, true),
          status: rule.OverrideAction?.Count ? ('informational' as const) : ('met' as const),
        };
      }),
    ];
  });
}

function describeStatement(statement: any): string {
  if (statement?.RateBasedStatement) {
    const rate = statement.RateBasedStatement;
    return `more than ${rate.Limit} requests per ${rate.AggregateKeyType} in ${rate.EvaluationWindowSec ?? 300} s${rate.ScopeDownStatement ? ' (scoped down)' : ''}`;
  }
  if (statement?.NotStatement?.Statement?.IPSetReferenceStatement) return 'sources outside the allow IP set';
  if (statement?.IPSetReferenceStatement) return 'sources in the deny IP set';
  return Object.keys(statement ?? {})[0] ?? 'statement';
}

/** Rate-based WAF rules, as evidence of a rate-limit control. */
function wafRateRules(context: ControlContext, match: (name: string) => boolean): ControlEvidence[] {
  return context.resources
    .ofType('AWS::WAFv2::WebACL')
    .flatMap((acl) =>
      ((acl.resource.Properties?.Rules ?? []) as any[])
        .filter((rule) => rule.Statement?.RateBasedStatement && match(rule.Name))
        .map((rule) =>
          context.judge(
            acl,
            `WAF ${rule.Name}: ${describeStatement(rule.Statement)}, ${Object.keys(rule.Action ?? {})[0]}`,
            Object.keys(rule.Action ?? {})[0] === 'Block',
          ),
        ),
    );
}

/** The Kong rate-limiting plugins counting by `limitBy`. */
function kongRateLimits(context: ControlContext, limitBy: string): ControlEvidence[] {
  return [...context.kind('KongClusterPlugin'), ...context.kind('KongPlugin')]
    .filter((plugin) => plugin.plugin === 'rate-limiting' && plugin.config?.limit_by === limitBy)
    .map((plugin) => {
      const c = plugin.config;
      const limits = ['second', 'minute', 'hour', 'day'].filter((unit) => c[unit] !== undefined).map((unit) => `${c[unit]}/${unit}`);
      const scope = plugin.metadata.labels?.global === 'true' ? 'global' : 'on the routes that name it';
      return objectEvidence(
        plugin,
        `${limits.join(', ')} per ${limitBy} (${scope}); policy ${c.policy}; fault_tolerant ${c.fault_tolerant}`,
        c.policy === 'redis' && limits.length > 0 ? 'met' : 'not met',
      );
    });
}

/** The edge: session lifetime, rate limits, IP allow-lists, WAF rules, request size. */
export const EDGE_CONTROLS: readonly ControlDefinition[] = [
  {
    id: 'session.lifetime',
    area: 'Session lifetime',
    control: 'Tokens expire within the session cap',
    expectation: `the jwt plugin verifies exp and refuses a token living longer than ${MAX_SESSION_SECONDS} s`,
    designSection: DESIGN.sessionTimeouts,
    evaluate: (context) =>
      [...context.kind('KongPlugin'), ...context.kind('KongClusterPlugin')]
        .filter((plugin) => plugin.plugin === 'jwt')
        .map((plugin) => {
          const c = plugin.config ?? {};
          const verifies = ((c.claims_to_verify ?? []) as string[]).includes('exp');
          const maximum = Number(c.maximum_expiration ?? 0);
          return objectEvidence(
            plugin,
            `maximum_expiration ${maximum} s; claims_to_verify ${(c.claims_to_verify ?? []).join(', ')}; token from ${(c.header_names ?? []).join(', ')} header only`,
            verifies && maximum > 0 && maximum <= MAX_SESSION_SECONDS ? 'met' : 'not met',
          );
        }),
  },
  {
    id: 'rate-limits.tenant',
    area: 'Rate limits',
    control: 'Requests per tenant (Kong consumer) across the API',
    expectation: 'a rate-limiting plugin by consumer, counted in Redis (shown: the limits found)',
    designSection: DESIGN.kongRateLimiting,
    evaluate: (context) => kongRateLimits(context, 'consumer'),
  },
  {
    id: 'rate-limits.diagnosis-per-ip',
    area: 'Rate limits',
    control: 'POST /diagnosis per client IP, at Kong and at WAF',
    expectation: 'a rate-limiting plugin by IP on the diagnosis route and a WAF rate-based rule',
    designSection: DESIGN.appRateLimiting,
    evaluate: (context) => [...kongRateLimits(context, 'ip'), ...wafRateRules(context, (name) => name.startsWith('Diagnosis'))],
  },
  {
    id: 'rate-limits.edge-flood',
    area: 'Rate limits',
    control: 'Every request per client IP at the edge (floods)',
    expectation: 'a WAF rate-based rule over all requests',
    designSection: DESIGN.defenseNetwork,
    evaluate: (context) => wafRateRules(context, (name) => !name.startsWith('Diagnosis')),
  },
  {
    id: 'ip-allow-lists.per-user',
    area: 'IP allow-lists',
    control: 'Per-user source restrictions (operator accounts)',
    expectation: 'an ip-restriction plugin on each restricted consumer (none is fine: the lists are optional)',
    designSection: DESIGN.ipWhitelisting,
    optional: true,
    evaluate: (context) => {
      const consumers = context.kind('KongConsumer');
      return context
        .kind('KongPlugin')
        .filter((plugin) => plugin.plugin === 'ip-restriction')
        .map((plugin) => {
          const owners = consumers.filter((consumer) =>
            (consumer.metadata.annotations?.['konghq.com/plugins'] ?? '').split(',').includes(plugin.metadata.name),
          );
          const allow = (plugin.config?.allow ?? []) as string[];
          return objectEvidence(
            plugin,
            `${owners.map((o) => `consumer ${o.username}`).join(', ') || 'no consumer'}: allow ${allow.join(', ')} (HTTP ${plugin.config?.status ?? 403} otherwise)`,
            owners.length > 0 && allow.length > 0 ? 'met' : 'not met',
          );
        });
    },
  },
  {
    id: 'ip-allow-lists.edge',
    area: 'IP allow-lists',
    control: 'Source lists at the edge: WAF IP sets and the ALB listener',
    expectation: 'shown as configured: WAF allow-only and deny sets, the ALB inbound blocks',
    designSection: DESIGN.ipWhitelisting,
    evaluate: (context) => [
      ...context.resources.ofType('AWS::WAFv2::IPSet').map((set) => {
        const p = set.resource.Properties ?? {};
        return { ...context.judge(set, `${p.Name}: ${(p.Addresses ?? []).join(', ')}`, true), status: 'informational' as const };
      }),
      ...context
        .kind('IngressClassParams')
        .map((params) => objectEvidence(params, `ALB inbound ${(params.spec?.inboundCIDRs ?? []).join(', ')}`, 'informational')),
    ],
  },
  {
    id: 'waf.rules',
    area: 'WAF',
    control: 'The web ACL and its rules, in evaluation order',
    expectation: 'rate-based rules and AWS managed groups blocking (a group in count mode is shown)',
    designSection: DESIGN.defenseNetwork,
    evaluate: webAclRules,
  },
  {
    id: 'waf.attachment',
    area: 'WAF',
    control: 'The ALB is attached to the web ACL, and fails closed',
    expectation: 'IngressClassParams names the web ACL the edge stack creates; waf.fail_open.enabled false',
    designSection: DESIGN.defenseNetwork,
    evaluate: (context) => {
      const aclNames = context.resources.ofType('AWS::WAFv2::WebACL').map((acl) => String(acl.resource.Properties?.Name));
      return context.kind('IngressClassParams').map((params) => {
        const name = String(params.spec?.wafv2AclName ?? 'none');
        const failOpen = ((params.spec?.loadBalancerAttributes ?? []) as { key: string; value: string }[]).find(
          (a) => a.key === 'waf.fail_open.enabled',
        )?.value;
        return objectEvidence(
          params,
          `wafv2AclName ${name}${aclNames.includes(name) ? " (the edge stack's web ACL)" : ' (no such web ACL in the stage)'}; waf.fail_open.enabled ${failOpen ?? 'unset'}`,
          aclNames.includes(name) && failOpen === 'false' ? 'met' : 'not met',
        );
      });
    },
  },
  {
    id: 'edge.request-size',
    area: 'WAF',
    control: 'Request bodies are bounded at Kong',
    expectation: 'a global request-size-limiting plugin',
    designSection: DESIGN.defenseEdge,
    evaluate: (context) =>
      context
        .kind('KongClusterPlugin')
        .filter((plugin) => plugin.plugin === 'request-size-limiting')
        .map((plugin) => objectEvidence(plugin, `${plugin.config?.allowed_payload_size} ${plugin.config?.size_unit}`, 'met')),
  },
];
