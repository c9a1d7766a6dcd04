#!/usr/bin/env node
/**
 * `npm run synth`: renders every stage (or the one `CONFIG_FILE` names) offline:
 * CloudFormation through the CDK CLI into `cdk.out/`, Kubernetes YAML into `k8s/dist/<stage>/`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { parseAllDocuments } from 'yaml';
import { loadStageConfigs, resolveConfigFiles, type StageConfig } from '../lib/config';
import { runEntryPoint } from '../lib/entry-point';
import { DEFAULT_MANIFEST_DIR, synthStageManifests } from '../k8s/app';

const CDK_OUT = 'cdk.out';

runEntryPoint(async () => {
  const started = Date.now();
  // Every file is validated before anything is written, so a bad one leaves nothing half-written.
  const configs = loadStageConfigs(resolveConfigFiles(process.env.CONFIG_FILE));

  const cloudFormation = runCdkSynth();
  const manifests = new Map(configs.map((config) => [config.stage, synthStageManifests(config, DEFAULT_MANIFEST_DIR)]));
  await cloudFormation;

  const assembly = new CloudAssembly(CDK_OUT);
  const lines = configs.map((config) => summarize(config, assembly, manifests.get(config.stage) ?? []));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`Synthesized ${configs.length} stage(s) offline in ${seconds} s:\n${lines.join('\n')}\n`);
});

/** Runs `cdk synth` through the CLI, so `cdk.out` is a real cloud assembly; rejects on failure. */
function runCdkSynth(): Promise<void> {
  const cli = path.join('node_modules', 'aws-cdk', 'bin', 'cdk');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'synth', '--quiet', '--output', CDK_OUT], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
    });
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      // The CLI's own success lines are dropped; anything else it said (warnings, a rule-pack
      // report) is passed on.
      const said = log
        .split('\n')
        .filter((line) => !/^(Successfully synthesized to |Supply a stack id)/.test(line))
        .join('\n')
        .trim();
      if (said) process.stderr.write(`${said}\n`);
      if (code === 0) resolve();
      else reject(Object.assign(new Error(`cdk synth failed with exit code ${code}; see the report above`), { name: 'ValidationError' }));
    });
  });
}

function summarize(config: StageConfig, assembly: CloudAssembly, files: readonly string[]): string {
  const nested = assembly.nestedAssemblies.find((candidate) => candidate.displayName === config.stage);
  if (!nested) throw new Error(`cdk.out has no assembly for stage ${config.stage}`);
  const stacks = nested.nestedAssembly.stacks;
  const resources = stacks.reduce((sum, stack) => sum + Object.keys((stack.template as { Resources?: object }).Resources ?? {}).length, 0);
  const objects = files.reduce((sum, file) => sum + parseAllDocuments(fs.readFileSync(file, 'utf8')).length, 0);
  const cfnDir = path.join(CDK_OUT, nested.directoryName);
  const k8sDir = path.join(DEFAULT_MANIFEST_DIR, config.stage);
  return `  ${config.stage}: ${stacks.length} stacks, ${resources} resources -> ${cfnDir}/; ${objects} Kubernetes objects in ${files.length} files -> ${k8sDir}/`;
}
