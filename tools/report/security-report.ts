import { meshAuthorization, type MeshAuthorization } from '../synthesized/mesh-calls';
import type { SynthesizedStage } from '../synthesized/synthesized-stage';
import { checklists, type Checklists } from './checklists';
import { evaluateControls, type ControlResult, type ControlStatus } from './controls';
import { RULE_COUNT_METHOD, rulePackReport, type RulePackReport } from './rule-packs';

/** A stage's security report: what `reports/<stage>/security-report.json` holds. */
export interface SecurityReport {
  readonly stage: string;
  /** The synthesized output the report was rendered from. */
  readonly renderedFrom: { readonly cloudAssembly: string; readonly manifests: string };
  readonly summary: {
    readonly controls: Readonly<Record<ControlStatus, number>>;
    readonly ruleViolations: number;
    readonly acknowledgments: number;
    /** Whether the stage passes: no control not met, no rule-pack violation. */
    readonly passed: boolean;
  };
  readonly controls: readonly ControlResult[];
  readonly rulePacks: RulePackReport & { readonly method: string };
  readonly checklists: Checklists;
  readonly authorization: MeshAuthorization;
}

/** Renders a stage's report from its synthesized output; deterministic, so two reports diff cleanly. */
export function buildSecurityReport(stage: SynthesizedStage): SecurityReport {
  const controls = evaluateControls(stage);
  const packs = rulePackReport(stage);
  const count = (status: ControlStatus) => controls.filter((control) => control.status === status).length;
  const ruleViolations = packs.packs.reduce((sum, pack) => sum + pack.violations.length, 0);
  return {
    stage: stage.stage,
    renderedFrom: stage.sources,
    summary: {
      controls: {
        met: count('met'),
        acknowledged: count('acknowledged'),
        'not met': count('not met'),
        informational: count('informational'),
      },
      ruleViolations,
      acknowledgments: packs.packs.reduce((sum, pack) => sum + pack.acknowledgments.length, 0),
      passed: count('not met') === 0 && ruleViolations === 0,
    },
    controls,
    rulePacks: { ...packs, method: RULE_COUNT_METHOD },
    checklists: checklists(controls),
    authorization: meshAuthorization(stage),
  };
}
