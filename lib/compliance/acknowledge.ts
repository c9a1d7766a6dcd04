import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The rule-id prefixes of the compliance packs that share rule names. */
export const COMPLIANCE_PACK_PREFIXES = ['NIST.800.53.R5', 'PCI.DSS.321', 'HIPAA.Security'] as const;

/** The smallest reason accepted: an acknowledgment must say why, specifically. */
const MIN_REASON_LENGTH = 40;

/**
 * Acknowledges rule findings on one construct (and its children) with a reason that
 * reviewers see in the template metadata and the security report.
 *
 * @param ruleIds full rule ids, e.g. `AwsSolutions-IAM5[Resource::*]`
 */
export function acknowledge(scope: IConstruct, ruleIds: readonly string[], reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `An acknowledgment of ${ruleIds.join(', ')} at ${scope.node.path} needs a specific reason (at least ${MIN_REASON_LENGTH} characters); got "${reason}"`,
    );
  }
  for (const id of ruleIds) Validations.of(scope).acknowledge({ id, reason });
}

/** The same rule in each of the NIST 800-53 R5, PCI DSS 3.2.1 and HIPAA Security packs. */
export function inCompliancePacks(rule: string): string[] {
  return COMPLIANCE_PACK_PREFIXES.map((prefix) => `${prefix}-${rule}`);
}
