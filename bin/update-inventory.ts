#!/usr/bin/env node
/**
 * `npm run inventory:update`: rewrites the committed inventory of stateful resources
 * (`test/guards/stateful-inventory.json`) from every committed stage, and prints what changed.
 * Run it only when a replacement of what it lists is intended and planned.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadStageConfigs, resolveConfigFiles } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';

runEntryPoint(async () => {
  const configs = loadStageConfigs(resolveConfigFiles(undefined));
  const [{ App }, { buildCdkApp }, { cdkAppProps }, { stacksOf }, { INVENTORY_FILE, readInventory, writeInventory }, guards] =
    await Promise.all([
      import('aws-cdk-lib'),
      import('../lib/app'),
      import('../lib/cdk-app-props'),
      import('../lib/guards/assembly-stacks'),
      import('../lib/guards/inventory-file'),
      import('../lib/guards/stateful-resources'),
    ]);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-inventory-'));
  try {
    // Logical IDs and types do not depend on bundled code or on the validation plugins.
    const props = cdkAppProps(outdir);
    const app = new App({ ...props, builtinCloudFormationValidation: false, context: { ...props.context, 'aws:cdk:bundling-stacks': [] } });
    buildCdkApp(app, configs, { enforceRulePacks: false });
    const inventory = guards.inventoryOf(stacksOf(app.synth()));
    const changes = guards.inventoryDifferences(readInventory(), inventory);
    writeInventory(inventory);
    const count = Object.values(inventory).reduce(
      (sum, stacks) => sum + Object.values(stacks).reduce((n, ids) => n + Object.keys(ids).length, 0),
      0,
    );
    process.stdout.write(
      `Wrote ${INVENTORY_FILE}: ${count} resources in ${configs.length} stage(s); ${changes.length === 0 ? 'no change' : `${changes.length} change(s):\n  ${changes.join('\n  ')}`}\n`,
    );
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
