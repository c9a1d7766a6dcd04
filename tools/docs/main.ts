import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadStageConfigs, resolveConfigFiles } from '../../lib/config';
import { runEntryPoint } from '../../lib/entry-point';
import { synthesizeStage } from '../synthesized/synthesize';
import { renderGeneratedDocs, writeGeneratedDocs } from './generate';

// `npm run docs`: synthesizes every stage in this process (into a temporary directory, so
// cdk.out and k8s/dist are left alone) and regenerates docs/architecture.md and docs/configuration.md.
runEntryPoint(async () => {
  const configs = loadStageConfigs(resolveConfigFiles(undefined));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydraulic-docs-'));
  try {
    const stages = configs.map((config) => synthesizeStage(config, { validate: false, outdir: path.join(outdir, config.stage) }));
    const changed = writeGeneratedDocs(await renderGeneratedDocs(stages));
    process.stdout.write(changed.length > 0 ? `Regenerated ${changed.join(', ')}\n` : 'The generated documents are up to date.\n');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
