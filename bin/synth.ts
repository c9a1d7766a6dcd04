#!/usr/bin/env node
/**
 * `npm run synth`: renders every stage (or the one `CONFIG_FILE` names) offline:
 * CloudFormation into `cdk.out/` (or `CDK_OUTDIR`), Kubernetes YAML into `k8s/dist/<stage>/`
 * (or `CDK8S_OUTDIR`).
 */
import * as path from 'node:path';
import { loadStageConfigs, resolveConfigFiles } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';
import type * as SynthesisModule from '../lib/synthesis';

runEntryPoint(async () => {
  const started = Date.now();
  // Every file is validated before anything is written, so a bad one leaves nothing
  // half-written; and before the renderers' modules load, so it fails in a fraction of a second.
  const configFile = process.env.CONFIG_FILE || undefined;
  const configs = loadStageConfigs(resolveConfigFiles(configFile));
  // Loaded only now, after validation. The entry points run under tsx's CommonJS hook (no ESM
  // loader thread to start), which resolves TypeScript for require, not for import().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeStages } = require('../lib/synthesis') as typeof SynthesisModule;
  const { stages } = await synthesizeStages(configs, configFile, {
    cdkOut: process.env.CDK_OUTDIR ?? 'cdk.out',
    manifestDir: process.env.CDK8S_OUTDIR ?? path.join('k8s', 'dist'),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = stages.map(
    (stage) =>
      `  ${stage.stage}: ${stage.stacks} stacks, ${stage.resources} resources -> ${stage.assemblyDir}/; ` +
      `${stage.kubernetesObjects} Kubernetes objects in ${stage.manifestFiles} files -> ${stage.manifestDir}/`,
  );
  process.stdout.write(`Synthesized ${configs.length} stage(s) offline in ${seconds} s:\n${lines.join('\n')}\n`);
});
