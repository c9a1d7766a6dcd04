import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import type { StageConfig } from '../lib/config';
import { NamespaceBaselineChart } from './charts/namespace-baseline';
import type { StageChart } from './charts/stage-chart';

/** Where manifests are written when neither the cdk8s CLI nor the caller says otherwise. */
export const DEFAULT_MANIFEST_DIR = path.join('k8s', 'dist');

/**
 * Adds every chart of one stage to a cdk8s app, in the order they must be applied
 * (the synthesized files are numbered in this order).
 */
export function buildStageCharts(app: App, config: StageConfig): StageChart[] {
  return [new NamespaceBaselineChart(app, 'namespace-baseline', { config })];
}

/**
 * Renders one stage's manifests into `<outdir>/<stage>/`, replacing what was there.
 *
 * @returns the files written
 */
export function synthStageManifests(config: StageConfig, outdir: string = DEFAULT_MANIFEST_DIR): string[] {
  const stageDir = path.join(outdir, config.stage);
  const app = new App({ outdir: stageDir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  buildStageCharts(app, config);
  fs.rmSync(stageDir, { recursive: true, force: true });
  app.synth();
  return fs
    .readdirSync(stageDir)
    .sort()
    .map((file) => path.join(stageDir, file));
}
