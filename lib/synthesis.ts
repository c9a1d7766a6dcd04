import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { parse, parseAllDocuments } from 'yaml';
import { buildCdkApp } from './app';
import { cdkAppProps } from './cdk-app-props';
import type { StageConfig } from './config';

const REPOSITORY_ROOT = path.join(__dirname, '..');

/** Where {@link synthesizeStages} writes. */
export interface SynthesisOutput {
  /** The cloud assembly's folder (`cdk.out`). */
  readonly cdkOut: string;
  /** The folder holding one folder of Kubernetes manifests per stage (`k8s/dist`). */
  readonly manifestDir: string;
}

/** What {@link synthesizeStages} wrote. */
export interface Synthesis {
  /** The cloud assembly (`cdk.out`), one nested assembly per stage. */
  readonly assembly: CloudAssembly;
  /** What was written per stage. */
  readonly stages: readonly StageOutput[];
}

/** What {@link synthesizeStages} wrote for one stage. */
export interface StageOutput {
  readonly stage: string;
  readonly stacks: number;
  readonly resources: number;
  /** The stage's nested cloud assembly. */
  readonly assemblyDir: string;
  readonly manifestFiles: number;
  readonly kubernetesObjects: number;
  readonly manifestDir: string;
}

/**
 * Renders validated stages with both renderers: the CDK app in this process (the same app,
 * context and validation plugins `cdk synth` runs, without the CLI's start-up), and the cdk8s
 * app (`k8s/main.ts`) at the same time in a child process, so the two use both cores.
 *
 * @param configFile the file the configurations came from, or undefined for every stage file;
 *   the cdk8s app resolves and validates the same files
 * @throws the CDK's validation error (a rule-pack finding, ...) or the cdk8s app's failure
 */
export async function synthesizeStages(
  configs: readonly StageConfig[],
  configFile: string | undefined,
  output: SynthesisOutput,
): Promise<Synthesis> {
  const manifests = renderManifests(configFile, output.manifestDir);
  let assembly: CloudAssembly;
  try {
    const app = new App(cdkAppProps(output.cdkOut));
    buildCdkApp(app, configs);
    assembly = app.synth();
  } finally {
    // Whether or not the CDK side failed, the child is waited for: nothing outlives the command.
    await manifests.catch(() => undefined);
  }
  await manifests;
  return { assembly, stages: configs.map((config) => summarize(config, assembly, output.manifestDir)) };
}

/** The cdk8s app's command, as `cdk8s.yaml` gives it to the cdk8s CLI (`node --require tsx/cjs k8s/main.ts`). */
export function cdk8sAppCommand(): string[] {
  const { app } = parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'cdk8s.yaml'), 'utf8')) as { app: string };
  const [program, ...args] = app.trim().split(/\s+/);
  return [program === 'node' ? process.execPath : program, ...args];
}

/** Runs the cdk8s app as the cdk8s CLI would. */
function renderManifests(configFile: string | undefined, manifestDir: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: path.resolve(manifestDir) };
  if (configFile) env.CONFIG_FILE = path.resolve(configFile);
  else delete env.CONFIG_FILE;
  const [program, ...args] = cdk8sAppCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'inherit', 'pipe'], env });
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (log.trim()) process.stderr.write(log.endsWith('\n') ? log : `${log}\n`);
      if (code === 0) resolve();
      else
        reject(Object.assign(new Error(`The cdk8s app failed with exit code ${code}; see the report above`), { name: 'ValidationError' }));
    });
  });
}

function summarize(config: StageConfig, assembly: CloudAssembly, manifestDir: string): StageOutput {
  const nested = assembly.nestedAssemblies.find((candidate) => candidate.displayName === config.stage);
  if (!nested) throw new Error(`The cloud assembly has no assembly for stage ${config.stage}`);
  const stacks = nested.nestedAssembly.stacks;
  const resources = stacks.reduce((sum, stack) => sum + Object.keys((stack.template as { Resources?: object }).Resources ?? {}).length, 0);
  const stageDir = path.join(manifestDir, config.stage);
  const files = fs.readdirSync(stageDir).filter((file) => file.endsWith('.yaml'));
  const objects = files.reduce((sum, file) => sum + parseAllDocuments(fs.readFileSync(path.join(stageDir, file), 'utf8')).length, 0);
  return {
    stage: config.stage,
    stacks: stacks.length,
    resources,
    assemblyDir: path.relative(process.cwd(), nested.nestedAssembly.directory),
    manifestFiles: files.length,
    kubernetesObjects: objects,
    manifestDir: path.relative(process.cwd(), stageDir),
  };
}
