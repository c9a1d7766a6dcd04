import type { IConstruct } from 'constructs';
import { createRulePacks } from '../../lib/compliance/rule-packs';

/** One unacknowledged rule-pack finding. */
export interface RuleFinding {
  readonly pack: string;
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/**
 * Runs the four compliance packs (the same ones synthesis enforces) over a scope and returns
 * every unacknowledged finding, errors and warnings alike, one entry per resource.
 */
export function ruleFindings(scope: IConstruct): RuleFinding[] {
  return createRulePacks().flatMap((pack) =>
    pack.validateScope(scope).violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        pack: pack.readPackName,
        rule: violation.ruleName,
        severity: violation.severity ?? 'error',
        path: resource.constructPath ?? '',
      })),
    ),
  );
}
