import type { App } from 'aws-cdk-lib';
import { acknowledgeCrossStackReferences } from './compliance/cross-stack-references';
import { enforceRulePacks, recordAcknowledgmentsInTemplates } from './compliance/rule-packs';
import type { StageConfig } from './config';
import { HydraulicStage } from './stage';

/** Options of {@link buildCdkApp}. */
export interface BuildCdkAppOptions {
  /**
   * Whether synthesis runs the compliance rule packs and fails on a finding.
   * Tests turn it off and run the packs themselves, to assert on the findings.
   * @default true
   */
  readonly enforceRulePacks?: boolean;
}

/** Adds one stage per configuration to the app. */
export function buildCdkApp(app: App, configs: readonly StageConfig[], options: BuildCdkAppOptions = {}): HydraulicStage[] {
  const stages = configs.map((config) => new HydraulicStage(app, config));
  // A stage synthesizes its own assembly and runs only its own aspects, so each gets them.
  // The acknowledgments are added before they are copied into the templates.
  for (const stage of stages) {
    acknowledgeCrossStackReferences(stage);
    recordAcknowledgmentsInTemplates(stage);
  }
  if (options.enforceRulePacks ?? true) enforceRulePacks(app);
  return stages;
}
