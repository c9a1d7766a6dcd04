import * as path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildCdkApp } from '../../lib/app';
import { cdkJsonContext } from '../../lib/cdk-app-props';
import { loadStageConfig, type StageConfig } from '../../lib/config';
import type { HydraulicStage } from '../../lib/stage';

const ROOT = path.join(__dirname, '..', '..');

/** The feature flags from cdk.json, so tests synthesize exactly what the CLI would. */
export { cdkJsonContext };

/** A committed stage file's configuration: `dev` or `prod`. */
export function stageConfig(stage: string): StageConfig {
  return loadStageConfig(path.join(ROOT, 'config', `${stage}.yaml`));
}

/**
 * Builds an app of one stage the way `bin/app.ts` does, with the rule packs not enforced
 * so a test can run them itself and assert on what they find, and (unless `bundle` is set)
 * without bundling Lambda code.
 */
export function buildStage(config: StageConfig, options: { readonly bundle?: boolean } = {}): HydraulicStage {
  // Bundling the rotation handlers with esbuild takes about a second each; stack tests assert
  // on templates (asset hashes are pinned anyway), so they skip it unless asked. The CLI, the
  // synth script and app.test.ts bundle for real.
  const bundling = options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] };
  const app = new App({ context: { ...cdkJsonContext(), ...bundling }, analyticsReporting: false });
  const [stage] = buildCdkApp(app, [config], { enforceRulePacks: false });
  return stage;
}

const built = new Map<string, HydraulicStage>();

/** The committed stage file's stage, built once per test file and shared by its tests. */
export function committedStage(stage: string): HydraulicStage {
  let result = built.get(stage);
  if (!result) {
    result = buildStage(stageConfig(stage));
    built.set(stage, result);
  }
  return result;
}

const templates = new WeakMap<object, Template>();

/** The synthesized template of a stack, computed once. */
export function templateOf(stack: Stack): Template {
  let template = templates.get(stack);
  if (!template) {
    template = Template.fromStack(stack);
    templates.set(stack, template);
  }
  return template;
}
