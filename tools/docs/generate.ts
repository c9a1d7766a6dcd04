import * as fs from 'node:fs';
import * as path from 'node:path';
import * as markdown from 'prettier/plugins/markdown';
import type { Options } from 'prettier';
import * as prettier from 'prettier/standalone';
import { stageConfigSchema } from '../../lib/config';
import type { SynthesizedStage } from '../synthesized/synthesized-stage';
import { renderArchitecture } from './architecture';
import { configFields, renderConfigurationReference } from './configuration-reference';
import { readSchemaComments } from './schema-comments';

const ROOT = path.join(__dirname, '..', '..');

/** The generated documents, relative to the repository root. */
export const GENERATED_DOCS = {
  architecture: path.join('docs', 'architecture.md'),
  configuration: path.join('docs', 'configuration.md'),
} as const;

/** The stage the architecture diagrams show, when there is one: prod has every optional stack. */
export const DIAGRAM_STAGE = 'prod';

/** The stage to draw: {@link DIAGRAM_STAGE}, or the last stage file's in a repository without one. */
export function diagramStage(stages: readonly SynthesizedStage[]): string {
  const names = stages.map((stage) => stage.stage);
  return names.includes(DIAGRAM_STAGE) ? DIAGRAM_STAGE : (names.at(-1) ?? DIAGRAM_STAGE);
}

/** `docs/architecture.md` as `npm run docs` writes it, from the synthesized stages. */
export function renderArchitectureDoc(stages: readonly SynthesizedStage[]): Promise<string> {
  return formatMarkdown(renderArchitecture(stages, diagramStage(stages)));
}

/** `docs/configuration.md` as `npm run docs` writes it, from the schema and its source. */
export function renderConfigurationDoc(): Promise<string> {
  const comments = readSchemaComments(path.join(ROOT, 'lib', 'config', 'schema'));
  return formatMarkdown(renderConfigurationReference(configFields(stageConfigSchema, comments)));
}

/** Every generated document, keyed by its path relative to the repository root. */
export async function renderGeneratedDocs(stages: readonly SynthesizedStage[]): Promise<Map<string, string>> {
  return new Map([
    [GENERATED_DOCS.architecture, await renderArchitectureDoc(stages)],
    [GENERATED_DOCS.configuration, await renderConfigurationDoc()],
  ]);
}

/**
 * Formats Markdown as `prettier --check` expects: Prettier's standalone build with its Markdown
 * plugin and the repository's options (the Node API loads plugins by dynamic import, which jest
 * cannot run in CommonJS).
 */
async function formatMarkdown(text: string): Promise<string> {
  const options = JSON.parse(fs.readFileSync(path.join(ROOT, '.prettierrc.json'), 'utf8')) as Options;
  return prettier.format(text, { ...options, parser: 'markdown', plugins: [markdown] });
}

/** Writes the generated documents under `root`; returns the files that changed. */
export function writeGeneratedDocs(documents: ReadonlyMap<string, string>, root: string = ROOT): string[] {
  const changed: string[] = [];
  for (const [file, text] of documents) {
    const target = path.join(root, file);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    changed.push(file);
  }
  return changed;
}
