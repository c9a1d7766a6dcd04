import { z } from 'zod';
import { OPERATIONAL, requirementOf } from './config-requirements';
import type { FieldComment } from './schema-comments';

type JsonSchema = {
  readonly type?: string;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
};

/** One row of the reference: a field of the configuration file. */
export interface ConfigField {
  /** The key the comments and messages are found under (`network[mode=create].cidr`). */
  readonly key: string;
  /** The path as a reader writes it (`network.cidr`, with `mode: create` noted). */
  readonly display: string;
  readonly type: string;
  /** `required`, `optional`, or the default value. */
  readonly presence: string;
  readonly allowed: readonly string[];
  readonly description: string;
  readonly requirement: string;
}

/** Bounds zod writes for plain integers, which say nothing to a reader. */
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * Every field of the configuration schema: its type, default and allowed values from the schema
 * itself (`z.toJSONSchema` and the custom checks' messages), its description from the TSDoc
 * comments where it is declared, and the design-document requirement behind it.
 */
export function configFields(schema: z.ZodType, comments: ReadonlyMap<string, FieldComment>): ConfigField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const messages = new Map<string, Message[]>();
  collectMessages(schema, '', messages);
  const fields: ConfigField[] = [];
  walk(json, '', '', fields, comments, messages);
  return fields;
}

function walk(
  schema: JsonSchema,
  key: string,
  display: string,
  out: ConfigField[],
  comments: ReadonlyMap<string, FieldComment>,
  messages: ReadonlyMap<string, readonly Message[]>,
): void {
  if (schema.oneOf) {
    for (const variant of schema.oneOf) {
      const [discriminator, value] = Object.entries(variant.properties ?? {}).find(([, property]) => property.const !== undefined) ?? [];
      const variantKey = discriminator ? `${key}[${discriminator}=${String(value?.const)}]` : key;
      walk(variant, variantKey, display, out, comments, messages);
    }
    return;
  }
  if (schema.type === 'array' && schema.items?.type === 'object')
    return walk(schema.items, `${key}[]`, `${display}[]`, out, comments, messages);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const childKey = key ? `${key}.${name}` : name;
    const childDisplay = display ? `${display}.${name}` : name;
    out.push(field(child, childKey, childDisplay, (schema.required ?? []).includes(name), comments, messages));
    walk(child, childKey, childDisplay, out, comments, messages);
  }
}

function field(
  schema: JsonSchema,
  key: string,
  display: string,
  required: boolean,
  comments: ReadonlyMap<string, FieldComment>,
  messages: ReadonlyMap<string, readonly Message[]>,
): ConfigField {
  const comment = comments.get(key);
  const variant = /\[(\w+)=([^\]]+)\]/.exec(key);
  const requirement = requirementOf(key);
  if (requirement === undefined) {
    throw new Error(
      `The configuration field ${display} has no design-document requirement: add its section to CONFIG_REQUIREMENTS in tools/docs/config-requirements.ts`,
    );
  }
  const presence =
    comment?.defaultTag ?? (schema.default !== undefined ? JSON.stringify(schema.default) : required ? 'required' : 'optional');
  return {
    key,
    display: variant ? `${display} (${variant[1]}: ${variant[2]})` : display,
    type: typeOf(schema),
    presence,
    allowed: allowedValues(schema, messages.get(key), messages.get(`${key}[]`)),
    description: comment?.summary ?? '',
    requirement: requirement === OPERATIONAL ? OPERATIONAL : requirement,
  };
}

function allowedValues(schema: JsonSchema, own: readonly Message[] = [], ofItems: readonly Message[] = []): string[] {
  const field = reconcile(schema, own);
  const items = schema.items
    ? reconcile(schema.items, ofItems)
    : { skipped: new Set<keyof JsonSchema>(), kept: ofItems.map((m) => m.text) };
  return [...constraintsOf(schema, field.skipped, items.skipped), ...field.kept, ...items.kept.map((text) => `each: ${text}`)];
}

function typeOf(schema: JsonSchema): string {
  if (schema.oneOf) return `one of ${schema.oneOf.length} objects`;
  if (schema.anyOf)
    return schema.anyOf.every((option) => option.const !== undefined) ? (schema.anyOf[0].type ?? 'value') : 'one of several types';
  if (schema.const !== undefined) return `"${String(schema.const)}"`;
  if (schema.type === 'array')
    return `array of ${schema.items ? (schema.items.type === 'object' ? 'objects' : typeOf(schema.items)) : 'values'}`;
  if (schema.enum) return 'string (enum)';
  return schema.type ?? 'value';
}

/** The JSON-schema keywords a bound check (by its kind) sets. */
const BOUND_KEYWORDS: Readonly<Record<string, readonly (keyof JsonSchema)[]>> = {
  max_length: ['maxLength', 'maxItems'],
  min_length: ['minLength', 'minItems'],
  max_size: ['maxItems'],
  min_size: ['minItems'],
  greater_than: ['minimum', 'exclusiveMinimum'],
  less_than: ['maximum', 'exclusiveMaximum'],
};

/**
 * Pairs the checks' messages with the JSON schema: a message that explains a keyword replaces it
 * (a pattern's message, a bound's message with the same bound); a bound's message that a tighter
 * bound supersedes (a DNS label's 63 characters where the field allows 20) is dropped.
 */
function reconcile(schema: JsonSchema, messages: readonly Message[] = []): { skipped: Set<keyof JsonSchema>; kept: string[] } {
  const skipped = new Set<keyof JsonSchema>();
  const kept: string[] = [];
  for (const message of messages) {
    if (message.kind === 'string_format') skipped.add('pattern');
    const keywords = (BOUND_KEYWORDS[message.kind] ?? []).filter((keyword) => schema[keyword] !== undefined);
    if (message.bound === undefined || keywords.length === 0) {
      kept.push(message.text);
      continue;
    }
    const same = keywords.filter((keyword) => schema[keyword] === message.bound);
    same.forEach((keyword) => skipped.add(keyword));
    if (same.length > 0) kept.push(message.text);
  }
  return { skipped, kept };
}

function constraintsOf(
  schema: JsonSchema,
  skipped: ReadonlySet<keyof JsonSchema> = new Set(),
  items?: ReadonlySet<keyof JsonSchema>,
): string[] {
  const out: string[] = [];
  const bounded = (value: number | undefined) => value !== undefined && Math.abs(value) < SAFE_INTEGER;
  if (schema.enum) out.push(`one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`);
  if (schema.anyOf?.every((option) => option.const !== undefined))
    out.push(`one of ${schema.anyOf.map((option) => JSON.stringify(option.const)).join(', ')}`);
  if (bounded(schema.minimum) && !skipped.has('minimum')) out.push(`≥ ${schema.minimum}`);
  if (bounded(schema.exclusiveMinimum) && !skipped.has('exclusiveMinimum')) out.push(`> ${schema.exclusiveMinimum}`);
  if (bounded(schema.maximum) && !skipped.has('maximum')) out.push(`≤ ${schema.maximum}`);
  if (bounded(schema.exclusiveMaximum) && !skipped.has('exclusiveMaximum')) out.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minLength !== undefined && !skipped.has('minLength')) out.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined && !skipped.has('maxLength')) out.push(`at most ${schema.maxLength} characters`);
  if (schema.minItems !== undefined && !skipped.has('minItems'))
    out.push(`at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
  if (schema.maxItems !== undefined && !skipped.has('maxItems')) out.push(`at most ${schema.maxItems} items`);
  if (schema.format) out.push(`format ${schema.format}`);
  if (schema.pattern && !schema.format && !skipped.has('pattern')) out.push(`pattern \`${schema.pattern}\``);
  if (schema.type === 'array' && schema.items && schema.items.type !== 'object') {
    out.push(...constraintsOf(schema.items, items).map((constraint) => `each: ${constraint}`));
  }
  return out;
}

/** A check's own message, and the kind of check it explains (`string_format`, `custom`, ...). */
interface Message {
  readonly kind: string;
  readonly text: string;
  /** For a bound check: its bound. */
  readonly bound?: number;
}

interface ZodInternals {
  readonly _zod: { readonly def: Record<string, any> };
}

/** The messages of the schema's own checks (refinements, patterns with a message), by field key. */
function collectMessages(schema: ZodInternals, key: string, out: Map<string, Message[]>): void {
  const def = schema._zod.def;
  const add = (kind: string, text: string | undefined, bound?: number) => {
    const known = out.get(key) ?? [];
    if (text && key && !known.some((message) => message.text === text))
      out.set(key, [...known, { kind, text, ...(bound !== undefined ? { bound } : {}) }]);
  };
  for (const check of (def.checks ?? []) as ZodInternals[]) {
    const checkDef = check._zod.def;
    const bound = [checkDef.maximum, checkDef.minimum, checkDef.value].find((value) => typeof value === 'number') as number | undefined;
    add(String(checkDef.check), staticMessage(checkDef.error), bound);
  }
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'nonoptional':
      return collectMessages(def.innerType, key, out);
    case 'pipe':
      return collectMessages(def.in, key, out);
    case 'array':
      return collectMessages(def.element, `${key}[]`, out);
    case 'object':
      for (const [name, child] of Object.entries(def.shape as Record<string, ZodInternals>))
        collectMessages(child, key ? `${key}.${name}` : name, out);
      return;
    case 'union':
      if (def.discriminator) {
        for (const option of def.options as ZodInternals[]) {
          const literal = option._zod.def.shape?.[def.discriminator]?._zod.def.values?.[0];
          collectMessages(option, `${key}[${def.discriminator}=${String(literal)}]`, out);
        }
      } else {
        add('union', staticMessage(def.error));
      }
      return;
    case 'enum':
      return add('enum', staticMessage(def.error));
    default:
      return;
  }
}

/** A check's message when it is fixed text (zod wraps `{ error: 'text' }` in a function returning it). */
function staticMessage(error: unknown): string | undefined {
  if (typeof error === 'string') return error;
  if (typeof error !== 'function') return undefined;
  try {
    const message = (error as (issue: object) => unknown)({ code: 'custom', input: undefined, path: [] });
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

function presenceOfSection(presence: string): string {
  if (presence === 'required') return 'Required.';
  if (presence === 'optional') return 'Optional.';
  if (presence === '{}') return 'Optional: left out, every field takes its default.';
  return `Default: ${presence}.`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * `docs/configuration.md`: one table per top-level section. `sectionComments` are the sections'
 * own TSDoc summaries (the fields' rows carry theirs).
 */
export function renderConfigurationReference(fields: readonly ConfigField[]): string {
  const topLevel = fields.filter((candidate) => !candidate.key.includes('.') && !candidate.key.includes('['));
  const scalars = topLevel.filter(
    (candidate) => !fields.some((other) => other.key.startsWith(`${candidate.key}.`) || other.key.startsWith(`${candidate.key}[`)),
  );
  const sections = topLevel.filter((candidate) => !scalars.includes(candidate));
  const header = '| Field | Type | Default | Allowed | Description | Design document |\n| --- | --- | --- | --- | --- | --- |';
  const row = (entry: ConfigField) =>
    `| \`${entry.display}\` | ${cell(entry.type)} | ${cell(entry.presence)} | ${cell(entry.allowed.join('; ') || '—')} | ${cell(entry.description || '—')} | ${cell(entry.requirement)} |`;
  const body = [
    `## Top-level fields\n\n${header}\n${scalars.map(row).join('\n')}`,
    ...sections.map((section) => {
      const inSection = fields.filter(
        (candidate) => candidate.key.startsWith(`${section.key}.`) || candidate.key.startsWith(`${section.key}[`),
      );
      return [
        `## \`${section.key}\``,
        `${section.description || '—'} Design document: ${section.requirement}. ${presenceOfSection(section.presence)}`,
        `${header}\n${inSection.map(row).join('\n')}`,
      ].join('\n\n');
    }),
  ];
  return `${[
    '# Configuration reference',
    '<!-- Generated by `npm run docs` from the zod schema in lib/config/schema/ (tools/docs/configuration-reference.ts). Do not edit: a test fails when this file differs from what the schema renders. -->',
    "Every field of `config/<stage>.yaml`, generated from the schema in `lib/config/schema/`: the type, default and allowed values are the schema's own (`z.toJSONSchema` and the messages of its checks), the description is the field's TSDoc comment, and the design-document section is the requirement the field answers. Checks that span fields (a call must name a service of the graph, a refresh interval must be shorter than a session) are not listed per field; the loader reports them with the field path, and `test/config/load.test.ts` holds a case for each.",
    'Every object is strict: an unknown key is an error. Sections whose default is `{}` may be left out; their fields then take their defaults.',
    ...body,
  ].join('\n\n')}\n`;
}
