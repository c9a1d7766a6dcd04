import { loadStageConfigs, resolveConfigFiles } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';
import { DEFAULT_MANIFEST_DIR, synthStageManifests } from './app';

runEntryPoint(() => {
  // Every file is validated before any is rendered, so a bad one leaves nothing half-written.
  const configs = loadStageConfigs(resolveConfigFiles(process.env.CONFIG_FILE));
  const outdir = process.env.CDK8S_OUTDIR ?? DEFAULT_MANIFEST_DIR;
  for (const config of configs) synthStageManifests(config, outdir);
});
