import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { acknowledge } from '../../lib/compliance/acknowledge';
import { formatLeaks, looksRandom, scanDocument, type Leak } from '../../lib/guards/leak-scan';
import { SecretLeakScan } from '../../lib/guards/secret-leak-scan';
import { cdkJsonContext } from '../harness/cdk-app';

/** What a scan found, as `path kind` pairs. */
const found = (leaks: readonly Leak[]) => leaks.map((leak) => `${leak.path} ${leak.kind}`);

// Obviously fake values of the right shape, built at run time so no scanner of this repository
// mistakes the test for a leak.
const FAKE_ACCESS_KEY = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const FAKE_PEM = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIEexample\n-----END RSA PRIVATE KEY-----'].join(' ');
const RANDOM_TOKEN = 'q7Xk2Lm9Pz4Rt8Wv1Yb6Nc3Hd5Jf0Gs';

describe('the leak scan of a CloudFormation template', () => {
  const template = (properties: Record<string, unknown>, type = 'AWS::Example::Resource') => ({
    Resources: { Planted: { Type: type, Properties: properties } },
  });

  test('finds planted literals in secret properties, a private key and an access key', () => {
    const leaky = {
      Resources: {
        Database: { Type: 'AWS::RDS::DBInstance', Properties: { MasterUserPassword: 'hunter2hunter2' } },
        Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { AuthToken: 'a-literal-auth-token' } },
        Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: '{"password":"literal"}' } },
        Joined: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: { AuthToken: { 'Fn::Join': ['', ['prefix-', { Ref: 'AWS::Region' }]] } },
        },
        Function: {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { SIGNING_KEY: FAKE_PEM, AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY } } },
        },
        Parameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: 'api-token', Value: 'x', Description: RANDOM_TOKEN } },
        Config: { Type: 'AWS::Example::Resource', Properties: { ClientSecret: 42 } },
      },
    };
    expect(found(scanDocument(leaky, 'cloudformation', 'leaky.template.json')).sort()).toEqual(
      [
        'Resources.Cache.Properties.AuthToken literal-secret',
        'Resources.Config.Properties.ClientSecret literal-secret',
        'Resources.Database.Properties.MasterUserPassword literal-secret',
        'Resources.Function.Properties.Environment.Variables.AWS_ACCESS_KEY_ID aws-access-key',
        'Resources.Function.Properties.Environment.Variables.SIGNING_KEY private-key',
        'Resources.Joined.Properties.AuthToken literal-secret',
        'Resources.Secret.Properties.SecretString literal-secret',
      ].sort(),
    );
  });

  test('passes dynamic references, generated secrets and references to other resources', () => {
    const clean = {
      Resources: {
        Database: {
          Type: 'AWS::RDS::DBInstance',
          Properties: {
            MasterUserPassword: {
              'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'AdminSecret' }, ':SecretString:password::}}']],
            },
          },
        },
        Cache: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: { AuthToken: '{{resolve:secretsmanager:hydraulic/dev/redis-auth-token:SecretString:token::}}' },
        },
        Generated: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: {
            Name: 'hydraulic/dev/database-admin-credentials',
            GenerateSecretString: { SecretStringTemplate: '{"username":"postgres"}', GenerateStringKey: 'password', PasswordLength: 32 },
          },
        },
        Referenced: {
          Type: 'AWS::Example::Resource',
          Properties: { Password: { Ref: 'NoEchoParameter' }, Token: { 'Fn::GetAtt': ['X', 'Y'] } },
        },
        Function: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { S3Key: 'f178182c7c3aac6ad18bdaae53a2d38f72b2cf690d17b9efa635c7ce37f77d71.zip' },
            Environment: { Variables: { SECRET_ARN: { Ref: 'Secret' }, SECRET_NAME: 'hydraulic-dev-redis-auth-token-v2' } },
          },
        },
      },
    };
    expect(scanDocument(clean, 'cloudformation', 'clean.template.json')).toEqual([]);
    expect(scanDocument(template({ AuthToken: '' }), 'cloudformation', 'empty.json')).toEqual([]);
  });

  test('reports where and what, never the value itself', () => {
    const [leak] = scanDocument(template({ MasterUserPassword: 'hunter2hunter2' }), 'cloudformation', 'x.template.json');
    expect(formatLeaks([leak])).toBe(
      'x.template.json: Resources.Planted.Properties.MasterUserPassword: literal-secret: MasterUserPassword is a literal "hunt…" (14 characters)',
    );
  });
});

describe('the leak scan of Kubernetes objects and Helm values', () => {
  test('finds Secret data, a literal plugin password, a literal environment variable and a random token', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'app' }, stringData: { password: 'hunter2' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'raw', namespace: 'app' }, data: { key: 'aHVudGVyMg==' } },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'acl', namespace: 'app', labels: { 'konghq.com/credential': 'acl' } },
        stringData: { group: 'systems:write', extra: 'not allowed' },
      },
      {
        apiVersion: 'configuration.konghq.com/v1',
        kind: 'KongPlugin',
        metadata: { name: 'p' },
        config: { redis: { password: 'hunter2' } },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'DB_PASSWORD', value: 'hunter2hunter2' }] }] } } },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { 'api-token': RANDOM_TOKEN, 'ca.key': FAKE_PEM } },
    ];
    expect(found(scanDocument(objects, 'kubernetes', 'leaky.yaml')).sort()).toEqual(
      [
        'ConfigMap/cm.data.api-token literal-secret',
        'ConfigMap/cm.data.ca.key private-key',
        'Deployment/d.spec.template.spec.containers[0].env[0].value literal-secret',
        'KongPlugin/p.config.redis.password literal-secret',
        'Secret/acl.stringData.extra kubernetes-secret-data',
        'Secret/db.stringData.password kubernetes-secret-data',
        'Secret/raw.data.key kubernetes-secret-data',
      ].sort(),
    );
    expect(found(scanDocument({ env: { authorization: RANDOM_TOKEN, api_key: 'literal' } }, 'helm-values', 'values.yaml'))).toEqual([
      'env.authorization high-entropy-value',
      'env.api_key literal-secret',
    ]);
  });

  test('passes the Kong ACL credential, External Secrets templates, secret references and names', () => {
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'acl', namespace: 'app', labels: { 'konghq.com/credential': 'acl' } },
        stringData: { group: 'systems:write' },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'jwt' },
        spec: {
          data: [{ secretKey: 'keyring', remoteRef: { key: 'hydraulic/dev/jwt-signing-key', property: 'password' } }],
          target: { template: { data: { secret: '{{ (.keyring | fromJson).current.secret }}', algorithm: 'HS256' } } },
        },
      },
      {
        apiVersion: 'configuration.konghq.com/v1',
        kind: 'KongClusterPlugin',
        metadata: { name: 'rl' },
        configPatches: [{ path: '/redis/password', valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } } }],
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: {
          template: {
            spec: { containers: [{ env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }] },
          },
        },
      },
    ];
    expect(scanDocument(objects, 'kubernetes', 'clean.yaml')).toEqual([]);
  });

  test('only random-looking values count as tokens', () => {
    expect(looksRandom(RANDOM_TOKEN)).toBe(true);
    for (const value of [
      'hydraulic-prod-redis-auth-token',
      'hydraulic/dev/jwt-signing-key',
      'short1',
      'arn:aws:kms:eu-central-1:111111111111:key/x',
      'all letters no digits at all',
    ]) {
      expect({ value, random: looksRandom(value) }).toEqual({ value, random: false });
    }
  });
});

describe('the leak scan in synthesis', () => {
  test('fails synthesis on a planted literal, and no acknowledgment can suppress it', () => {
    const app = new App({ context: cdkJsonContext(), analyticsReporting: false, builtinCloudFormationValidation: false });
    Validations.of(app).addPlugins(new SecretLeakScan());
    const stack = new Stack(app, 'Probe', { env: { account: '111111111111', region: 'eu-central-1' } });
    const cache = new CfnResource(stack, 'Cache', {
      type: 'AWS::ElastiCache::ReplicationGroup',
      properties: { AuthToken: 'planted-literal' },
    });
    acknowledge(cache, ['Secret-Leak-Scan::literal-secret'], 'Trying to acknowledge a leak, which the scan must refuse to honour.');
    expect(() => app.synth()).toThrow(/Secret material in .*Resources\.Cache\.Properties\.AuthToken: AuthToken is a literal "plan…"/s);
  });
});
