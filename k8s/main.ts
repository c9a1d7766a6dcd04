import { loadStageConfigs, resolveConfigFiles } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';
import type * as ChartsModule from './app';

runEntryPoint(async () => {
  // Every file is validated before any is rendered (and before the charts' modules load), so a
  // bad one fails fast and leaves nothing half-written.
  const configs = loadStageConfigs(resolveConfigFiles(process.env.CONFIG_FILE));
  // Loaded only now, after validation. The entry points run under tsx's CommonJS hook (no ESM
  // loader thread to start), which resolves TypeScript for require, not for import().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DEFAULT_MANIFEST_DIR, synthStageManifests } = require('./app') as typeof ChartsModule;
  const outdir = process.env.CDK8S_OUTDIR ?? DEFAULT_MANIFEST_DIR;
  for (const config of configs) synthStageManifests(config, outdir);
});
