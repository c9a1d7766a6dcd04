import * as fs from 'node:fs';
import * as path from 'node:path';
import { distance } from 'fastest-levenshtein';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { allowedKeysAt } from './allowed-keys';
import { ConfigError, type ConfigProblem } from './config-error';
import { stageConfigSchema, type StageConfig } from './schema';

/** The folder the stage files live in, relative to the project root. */
export const DEFAULT_CONFIG_DIR = 'config';

type PathSegment = string | number;

/**
 * The configuration files to render: the one named, or every `*.yaml` in the config folder.
 *
 * @param configFile a file named by `CONFIG_FILE` or `-c configFile=`; undefined for all stages
 * @param configDir the folder holding one file per stage
 */
export function resolveConfigFiles(configFile: string | undefined, configDir: string = DEFAULT_CONFIG_DIR): string[] {
  if (configFile) return [configFile];
  const files = fs.existsSync(configDir)
    ? fs
        .readdirSync(configDir)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => path.join(configDir, name))
    : [];
  if (files.length === 0) {
    throw new ConfigError([
      { file: configDir, path: '', message: 'holds no stage file (*.yaml); create one per stage, e.g. config/dev.yaml' },
    ]);
  }
  return files;
}

/**
 * Reads and validates stage files. Every problem in every file is reported at once,
 * so a user fixes them in one pass.
 *
 * @throws ConfigError naming each file, field path, value given and what is allowed
 */
export function loadStageConfigs(files: readonly string[]): StageConfig[] {
  const problems: ConfigProblem[] = [];
  const configs: StageConfig[] = [];
  const stageFiles = new Map<string, string>();
  for (const file of files) {
    const result = parseStageFile(file);
    if ('problems' in result) {
      problems.push(...result.problems);
      continue;
    }
    const earlier = stageFiles.get(result.config.stage);
    if (earlier) {
      problems.push({
        file,
        path: 'stage',
        given: JSON.stringify(result.config.stage),
        message: `is already the stage of ${earlier}; each stage needs its own name`,
      });
      continue;
    }
    stageFiles.set(result.config.stage, file);
    configs.push(result.config);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

/**
 * Reads and validates one stage file.
 *
 * @throws ConfigError naming the file, each field path, the value given and what is allowed
 */
export function loadStageConfig(file: string): StageConfig {
  return loadStageConfigs([file])[0];
}

function parseStageFile(file: string): { config: StageConfig } | { problems: ConfigProblem[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { problems: [{ file, path: '', message: `cannot be read: ${reason}` }] };
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => ({
        file,
        path: '',
        line: lineCounter.linePos(error.pos[0]).line,
        message: `is not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    };
  }

  const data: unknown = document.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { problems: [{ file, path: '', message: 'must be a YAML mapping of settings (see config/dev.yaml)' }] };
  }

  const result = stageConfigSchema.safeParse(data, { reportInput: true });
  if (result.success) return { config: result.data };

  const problems = result.error.issues.flatMap((issue) => toProblems(file, issue, data, document, lineCounter));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { problems };
}

function toProblems(file: string, issue: z.core.$ZodIssue, data: unknown, document: Document, lines: LineCounter): ConfigProblem[] {
  const at = (segments: PathSegment[]) => ({ file, path: formatPath(segments), line: lineOf(document, lines, segments) });

  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(stageConfigSchema, issue.path as PathSegment[]);
    return issue.keys.map((key) => ({
      ...at([...(issue.path as PathSegment[]), key]),
      message: unknownKeyMessage(key, allowed),
    }));
  }

  const segments = issue.path as PathSegment[];
  const value = valueAt(data, segments);
  const message = value === undefined && issue.code === 'invalid_type' ? `is required (expected ${issue.expected})` : issue.message;
  return [{ ...at(segments), given: value === undefined ? undefined : render(value), message }];
}

function unknownKeyMessage(key: string, allowed: string[] | undefined): string {
  if (!allowed) return 'is not a known setting';
  const suggestion = allowed.find((candidate) => distance(candidate.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = suggestion ? `did you mean "${suggestion}"? ` : '';
  return `is not a known setting; ${hint}allowed here: ${allowed.join(', ')}`;
}

function formatPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment),
    '',
  );
}

function valueAt(data: unknown, segments: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

/** The line of the deepest node on the path that exists in the file. */
function lineOf(document: Document, lines: LineCounter, segments: readonly PathSegment[]): number | undefined {
  for (let depth = segments.length; depth >= 0; depth--) {
    const prefix = segments.slice(0, depth);
    const node = depth === 0 ? document.contents : document.getIn(prefix, true);
    const range = node && typeof node === 'object' && 'range' in node ? (node.range as [number, number, number] | undefined) : undefined;
    if (range) {
      // For a mapping value, point at its key's line rather than the first line of the value.
      const parent = depth > 0 ? (depth === 1 ? document.contents : document.getIn(prefix.slice(0, -1), true)) : undefined;
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === prefix[prefix.length - 1]);
        if (pair && isScalar(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]).line;
      }
      return lines.linePos(range[0]).line;
    }
  }
  return undefined;
}

function render(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
