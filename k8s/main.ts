import { loadStageConfigs, resolveConfigFiles } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';

runEntryPoint(async () => {
  // Every file is validated before any is rendered (and before the charts' modules load), so a
  // bad one fails fast and leaves nothing half-written.
  const configs = loadStageConfigs(resolveConfigFiles(process.env.CONFIG_FILE));
  const { DEFAULT_MANIFEST_DIR, synthStageManifests } = await import('./app');
  const outdir = process.env.CDK8S_OUTDIR ?? DEFAULT_MANIFEST_DIR;
  for (const config of configs) synthStageManifests(config, outdir);
});
