import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { synthStageManifests } from '../../k8s/app';
import { buildCdkApp } from '../../lib/app';
import type { StageConfig } from '../../lib/config';
import { loadSynthesizedStage, type SynthesizedStage } from './synthesized-stage';

const ROOT = path.join(__dirname, '..', '..');

/** Options of {@link synthesizeStage}. */
export interface SynthesizeStageOptions {
  /**
   * Validate as `npm run synth` does: the rule packs (a finding fails synthesis) and the CDK's
   * CloudFormation validation, both recorded in `validation-report.json`. Without it nothing
   * checks the templates, which is enough (and a second or two faster per stage) for reading
   * what they contain.
   * @default true
   */
  readonly validate?: boolean;
  /**
   * Where to write the cloud assembly and the manifests.
   * @default - a new temporary directory
   */
  readonly outdir?: string;
}

/**
 * Synthesizes one stage in this process, both sides, the way `npm run synth` does (feature flags
 * from cdk.json, the rule packs enforced) but without bundling Lambda code, which nothing read
 * from the output needs; then reads the output back as the report and the docs read `cdk.out`.
 */
export function synthesizeStage(config: StageConfig, options: SynthesizeStageOptions = {}): SynthesizedStage {
  const validate = options.validate ?? true;
  const outdir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), `hydraulic-${config.stage}-`));
  const cloudAssemblyDir = path.join(outdir, 'cdk.out');
  const manifestDir = path.join(outdir, 'k8s');
  // The CLI adds path and asset metadata to the context; the report reads construct paths from it.
  const context = {
    ...cdkJsonContext(),
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:bundling-stacks': [],
  };
  const app = new App({
    outdir: cloudAssemblyDir,
    context,
    analyticsReporting: false,
    builtinCloudFormationValidation: validate,
    postCliContext: { '@aws-cdk/core:failSynthOnValidationErrors': true },
  });
  buildCdkApp(app, [config], { enforceRulePacks: validate });
  app.synth();
  synthStageManifests(config, manifestDir);
  return loadSynthesizedStage(cloudAssemblyDir, manifestDir, config.stage);
}

/** The feature flags from cdk.json, so an in-process synthesis matches the CLI's. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}
