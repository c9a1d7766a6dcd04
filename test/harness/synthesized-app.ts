import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadStageConfigs, resolveConfigFiles } from '../../lib/config';
import { synthesizeStages, type Synthesis } from '../../lib/synthesis';

const ROOT = path.join(__dirname, '..', '..');

/** The committed stages as `npm run synth` writes them, and where. */
export interface SynthesizedApp extends Synthesis {
  readonly cdkOut: string;
  readonly manifestDir: string;
}

/**
 * Synthesizes every committed stage exactly as `npm run synth` does (both renderers, the Lambda
 * code bundled, every validation plugin enforced) into a fresh temporary folder.
 */
export async function synthesizeCommittedStages(): Promise<SynthesizedApp> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-app-'));
  const configs = loadStageConfigs(resolveConfigFiles(undefined, path.join(ROOT, 'config')));
  const output = { cdkOut: path.join(out, 'cdk.out'), manifestDir: path.join(out, 'k8s') };
  return { ...(await synthesizeStages(configs, undefined, output)), ...output };
}

/** Every file below a folder, recursively, whose name ends with one of the suffixes. */
export function filesBelow(dir: string, ...suffixes: string[]): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => suffixes.some((suffix) => name.endsWith(suffix)))
    .sort()
    .map((name) => path.join(dir, name));
}

/** The documents of a YAML file. */
export function yamlDocuments(file: string): unknown[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((document) => document.toJS() as unknown);
}
