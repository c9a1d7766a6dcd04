import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { stageConfigSchema } from '../../../lib/config';
import { configFields, type ConfigField } from '../../../tools/docs/configuration-reference';
import { CONFIG_REQUIREMENTS } from '../../../tools/docs/config-requirements';
import { GENERATED_DOCS, renderConfigurationDoc } from '../../../tools/docs/generate';
import { readSchemaComments } from '../../../tools/docs/schema-comments';

const ROOT = path.join(__dirname, '..', '..', '..');
const comments = readSchemaComments(path.join(ROOT, 'lib', 'config', 'schema'));
const fields = configFields(stageConfigSchema, comments);

function fieldAt(display: string): ConfigField {
  const found = fields.find((candidate) => candidate.display === display);
  if (!found) throw new Error(`No field ${display}; fields: ${fields.map((candidate) => candidate.display).join(', ')}`);
  return found;
}

describe('docs/configuration.md', () => {
  test('is what the schema renders (run npm run docs after changing lib/config/schema/)', async () => {
    expect(fs.readFileSync(path.join(ROOT, GENERATED_DOCS.configuration), 'utf8')).toBe(await renderConfigurationDoc());
  });

  test('lists every section of the schema, and every field with a description and a design-document requirement', () => {
    const sections = Object.keys(stageConfigSchema.shape);
    expect(fields.filter((field) => !field.key.includes('.') && !field.key.includes('[')).map((field) => field.key)).toEqual(sections);
    for (const section of sections) expect(Object.keys(CONFIG_REQUIREMENTS)).toContain(section);
    const undescribed = fields.filter(
      (field) => field.description === '' && !field.presence.includes('(') && !/^network\.mode/.test(field.display),
    );
    // A field may leave its summary to its @default text ("1000 (design document, ...)"), or be a union's discriminator.
    expect(undescribed.map((field) => field.display)).toEqual([
      'serviceGraph.gateway.namespace',
      'serviceGraph.gateway.serviceAccount',
      'backup.vaultLock.minRetentionDays',
      'backup.vaultLock.maxRetentionDays',
    ]);
  });

  test('gives each field its type, default, allowed values and requirement from the schema itself', () => {
    expect(fieldAt('session.maxLifetimeSeconds')).toMatchObject({
      type: 'integer',
      presence: '3600',
      allowed: ['≥ 60', 'must be at most 3600 seconds (the design document caps sessions at 1 hour)'],
      description: 'The longest a session or access token may live, in seconds.',
      requirement: 'Zero-Trust Principles › Never Trust, Always Verify (session timeouts: max 1 hour)',
    });
    expect(fieldAt('rateLimits.perTenant.perMinute')).toMatchObject({
      presence: '1000 (design document, "Kong Rate Limiting")',
      requirement: 'Rate Limiting › Kong Rate Limiting',
    });
    expect(fieldAt('mesh.pathNormalization').allowed[0]).toBe('one of "BASE", "MERGE_SLASHES", "DECODE_AND_MERGE_SLASHES"');
    expect(fieldAt('dataStores.database.port').allowed).toContain(
      "must not be PostgreSQL's well-known port 5432: a non-default port keeps the data store out of the first round of every port scan",
    );
    expect(fieldAt('logging.retentionDays').allowed.join()).toMatch(/CloudWatch Logs accepts from 365 days .*: 365, 400, 545/);
    expect(fieldAt('serviceGraph.services[].protocol')).toMatchObject({
      type: 'string (enum)',
      presence: 'http',
      allowed: ['one of "http", "http2", "grpc", "tcp"'],
    });
    expect(fieldAt('network.cidr (mode: create)').allowed).toEqual(['must be an IPv4 block from /16 to /24']);
    expect(fieldAt('network.vpcId (mode: import)').presence).toBe('required');
    expect(fieldAt('gateway.edge.inboundCidrs').allowed).toContain('must list at least one source block');
  });

  test('keeps a tighter bound over a primitive’s looser message (a project name is at most 20 characters, not 63)', () => {
    expect(fieldAt('project').allowed).toEqual([
      'at most 20 characters',
      'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit',
    ]);
  });

  test('refuses a field whose section names no design-document requirement', () => {
    expect(() => configFields(z.strictObject({ newSection: z.strictObject({ knob: z.number() }) }), new Map())).toThrow(
      'The configuration field newSection has no design-document requirement: add its section to CONFIG_REQUIREMENTS in tools/docs/config-requirements.ts',
    );
  });
});

describe('reading TSDoc comments from schema source', () => {
  test('follows shapes, shorthand properties, imports, arrays, discriminated unions and method chains', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-comments-'));
    fs.writeFileSync(
      path.join(dir, 'part.ts'),
      `import { z } from 'zod';
/** A part, documented where it is declared. */
export const partSection = z.strictObject({
  /**
   * How many.
   * @default 3 (three)
   */
  count: z.number().default(3),
  /** Each item. */
  items: z.array(z.strictObject({ /** An item's name. */ name: z.string() })),
}).prefault({});`,
    );
    fs.writeFileSync(
      path.join(dir, 'index.ts'),
      `import { z } from 'zod';
import { partSection } from './part';
const created = z.strictObject({ mode: z.literal('create'), /** Only when created. */ size: z.number() });
const imported = z.strictObject({ mode: z.literal('import'), /** Only when imported. */ id: z.string() });
export const stageConfigSchema = z.strictObject({
  part: partSection,
  /** The network, one way or the other. */
  network: z.discriminatedUnion('mode', [created, imported]),
}).superRefine(() => undefined);`,
    );
    expect(Object.fromEntries(readSchemaComments(dir))).toEqual({
      part: { summary: 'A part, documented where it is declared.' },
      'part.count': { summary: 'How many.', defaultTag: '3 (three)' },
      'part.items': { summary: 'Each item.' },
      'part.items[].name': { summary: "An item's name." },
      network: { summary: 'The network, one way or the other.' },
      'network[mode=create].size': { summary: 'Only when created.' },
      'network[mode=import].id': { summary: 'Only when imported.' },
    });
  });

  test('reads the committed schema’s comments, escaped comment ends included', () => {
    expect(comments.get('rotationJobs.restartSchedule')?.defaultTag).toBe('"*/10 * * * *"');
    expect(comments.get('network[mode=import].privateSubnetIds')?.summary).toMatch(/^Subnets with a route to a NAT gateway/);
    expect(comments.get('gateway.edge')?.summary).toBe('The Application Load Balancer in front of Kong.');
  });
});
