import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Chart, Testing } from 'cdk8s';
import { Namespace } from 'kubernetes-models/v1';
import { addObject } from '../../k8s/lib/add-object';
import { acknowledge } from '../../lib/compliance/acknowledge';
import { cdkJsonContext } from './cdk-app';
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
