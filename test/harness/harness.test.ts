import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Chart, Testing } from 'cdk8s';
import { Namespace } from 'kubernetes-models/v1';
import { addObject } from '../../k8s/lib/add-object';
import { acknowledge } from '../../lib/compliance/acknowledge';
import { caseFilesBelow, requireCaseFiles } from './case-files';
import { cdkJsonContext } from './cdk-app';
import { syncExternalSecret } from './external-secrets-sync';
import { executeGoTemplate } from './go-template';
import { registerProjectSchema, validateObject, validateObjects } from './k8s-schemas';
import { ruleFindings } from './rule-packs';
import serializer from './stable-snapshot';

/** The harness's own checks must be able to fail: each is fed something wrong on purpose. */
describe('the rule-pack helper', () => {
  const unencryptedBucket = () => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'Bad', { env: { account: '111111111111', region: 'eu-central-1' } });
    return { stack, bucket: new s3.CfnBucket(stack, 'Bucket', {}) };
  };

  test('reports a non-compliant resource in all four packs', () => {
    const findings = ruleFindings(unencryptedBucket().stack);
    expect(new Set(findings.map((finding) => finding.pack))).toEqual(
      new Set(['AwsSolutions', 'NIST.800.53.R5', 'PCI.DSS.321', 'HIPAA.Security']),
    );
    expect(findings).toContainEqual({ pack: 'AwsSolutions', rule: 'AwsSolutions-S10', severity: 'error', path: 'Bad/Bucket' });
  });

  test('does not report an acknowledged finding', () => {
    const { stack, bucket } = unencryptedBucket();
    acknowledge(bucket, ['AwsSolutions-S10'], 'A test bucket that never holds data, to prove acknowledgments are honoured.');
    expect(ruleFindings(stack).map((finding) => finding.rule)).not.toContain('AwsSolutions-S10');
  });

  test('an acknowledgment without a specific reason is refused', () => {
    const { bucket } = unencryptedBucket();
    expect(() => acknowledge(bucket, ['AwsSolutions-S10'], 'not needed')).toThrow(/needs a specific reason/);
  });
});

describe('the schema helper', () => {
  test('rejects an object that breaks its upstream schema', () => {
    const bad = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x', namespace: 'n' },
      spec: { podSelector: {}, policyTypes: 'Ingress' },
    };
    expect(() => validateObject(bad)).toThrow(/NetworkPolicy n\/x fails its upstream schema/);
  });

  test('rejects a kind nobody has a schema for', () => {
    expect(() => validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(/has no schema/);
  });

  test('validates a kind the project registers a schema for, and rejects what breaks it', () => {
    registerProjectSchema('example.com/v1', 'Gadget', {
      type: 'object',
      required: ['apiVersion', 'kind', 'spec'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: { type: 'object', additionalProperties: false, properties: { size: { type: 'integer' } } },
      },
    });
    expect(() => validateObject({ apiVersion: 'example.com/v1', kind: 'Gadget', spec: { size: 1 } })).not.toThrow();
    expect(() => validateObject({ apiVersion: 'example.com/v1', kind: 'Gadget', spec: { colour: 'red' } })).toThrow(
      /fails the project's schema/,
    );
    expect(() => registerProjectSchema('example.com/v1', 'Gadget', {})).toThrow(/already registered/);
  });

  test('reports every invalid object at once', () => {
    const bad = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: { finalizers: 'kubernetes' } };
    expect(() => validateObjects([bad, bad])).toThrow(/2 of 2 objects are invalid/);
  });

  test('objects built through addObject are validated at synthesis', () => {
    const chart = new Chart(Testing.app(), 'chart');
    expect(() => addObject(chart, 'bad', new Namespace({ metadata: { name: 'ok', labels: { a: 1 as unknown as string } } }))).toThrow(
      /chart\/bad is not a valid Kubernetes object/,
    );
  });
});

describe('the snapshot serializer', () => {
  test('pins asset hashes and leaves other strings alone', () => {
    const hash = 'f178182c7c3aac6ad18bdaae53a2d38f72b2cf690d17b9efa635c7ce37f77d71';
    expect(serializer.test(`${hash}.zip`)).toBe(true);
    expect(serializer.serialize(`${hash}.zip`)).toBe('"[asset-hash].zip"');
    expect(serializer.test('hydraulic-dev-network')).toBe(false);
  });
});

describe('the Go template evaluator (External Secrets templates)', () => {
  const data = { keyring: JSON.stringify({ current: { kid: 'k1', key: 's1' }, previous: null }), port: ' 6379 ', host: 'a<b' };

  test.each([
    ['{{ .port | trim | atoi }}', '6379'],
    ['{{ .host | toJson }}', '"a\\u003cb"'],
    ['{{ with (.keyring | fromJson).current }}t.{{ .kid }}{{ else }}none{{ end }}', 't.k1'],
    ['{{ with (.keyring | fromJson).previous }}{{ .kid }}{{ else }}none{{ end }}', 'none'],
    ['{{ $ring := .keyring | fromJson }}{{ with $ring.previous }}{{ .key }}{{ else }}{{ $ring.current.key }}{{ end }}', 's1'],
    ['a {{- " b " -}} c', 'a b c'],
    ['{{ if not .host }}empty{{ else }}set{{ end }}', 'set'],
  ])('evaluates %s as Go would', (template, expected) => {
    expect(executeGoTemplate(template, data)).toBe(expected);
  });

  test.each([
    ['a key the data does not have (missingkey=error)', '{{ .missing }}', 'map has no entry for key "missing"'],
    ['a field of null', '{{ (.keyring | fromJson).previous.kid }}', 'nil pointer evaluating interface {}.kid'],
    ['a field of a string', '{{ .port.x }}', "can't evaluate field x in type string"],
    ['fail', '{{ fail "no key yet" }}', 'no key yet'],
    ['a function outside the subset', '{{ .port | sha256sum }}', 'function "sha256sum" not defined'],
    ['range, outside the subset', '{{ range .port }}{{ end }}', 'outside the evaluator'],
    ['an unclosed if', '{{ if .port }}x', 'has no {{ end }}'],
  ])('fails on %s', (_name, template, message) => {
    expect(() => executeGoTemplate(template, data)).toThrow(message);
  });

  test('an External Secrets sync fails on a missing property, an unknown store or a namespace the store refuses', () => {
    const store = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'sm' },
      spec: { provider: { aws: { service: 'SecretsManager' } }, conditions: [{ namespaces: ['app'] }] },
    };
    const externalSecret = (namespace: string, storeName: string, property?: string) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'x', namespace },
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: storeName },
        target: {},
        data: [{ secretKey: 'v', remoteRef: { key: 's', ...(property ? { property } : {}) } }],
      },
    });
    const values = { secrets: { s: JSON.stringify({ a: { b: 'c' }, n: null }) }, parameters: {} };
    expect(syncExternalSecret(externalSecret('app', 'sm', 'a.b'), [store], values)).toEqual({ v: 'c' });
    expect(syncExternalSecret(externalSecret('app', 'sm', 'n'), [store], values)).toEqual({ v: '' });
    expect(() => syncExternalSecret(externalSecret('app', 'sm', 'n.kid'), [store], values)).toThrow('key n.kid does not exist in secret s');
    expect(() => syncExternalSecret(externalSecret('app', 'other'), [store], values)).toThrow('ClusterSecretStore "other" does not exist');
    expect(() => syncExternalSecret(externalSecret('kong', 'sm'), [store], values)).toThrow('does not admit namespace kong');
  });
});

describe('the case files', () => {
  test('every *.cases.ts file is run by a test file of its folder or a parent that loads them all', () => {
    const testRoot = path.join(__dirname, '..');
    const aggregators = (fs.readdirSync(testRoot, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.test.ts'))
      .filter((file) => /requireCaseFiles\(__dirname\)/.test(fs.readFileSync(path.join(testRoot, file), 'utf8')))
      .map((file) => path.dirname(file));
    expect(aggregators.sort()).toEqual(['k8s', 'stacks']);
    const orphans = caseFilesBelow(testRoot).filter((file) => !aggregators.some((dir) => file.startsWith(`${dir}${path.sep}`)));
    expect(orphans).toEqual([]);
  });

  test('an aggregating file with nothing to load fails', () => {
    expect(() => requireCaseFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-cases-')))).toThrow(/No \*\.cases\.ts file below/);
  });
});

describe('the test sequencer', () => {
  test('names only test files that exist: a renamed slow file would silently start last on a fresh clone', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SLOWEST } = require('./slowest-first-sequencer.js') as { SLOWEST: string[] };
    const root = path.join(__dirname, '..', '..');
    expect(SLOWEST.length).toBeGreaterThan(0);
    for (const file of SLOWEST) expect({ file, exists: fs.existsSync(path.join(root, file)) }).toEqual({ file, exists: true });
  });
});
