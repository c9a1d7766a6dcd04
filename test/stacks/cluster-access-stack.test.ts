import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { chartObjects } from '../harness/k8s-charts';
import { ExternalSecretsAccess } from '../../lib/constructs/external-secrets-access';
import { committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { ruleFindings } from '../harness/rule-packs';

describe.each(['dev', 'prod'])('the %s cluster access stack', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.clusterAccess);
  const config = stageConfig(stageName);
  const prefix = `arn:aws:secretsmanager:${config.aws.region}:${config.aws.account}:secret:hydraulic/${stageName}/`;
  // The External Secrets Operator's role and policy (the rotation jobs' have their own test file).
  const isOperators = ([logicalId]: [string, unknown]) => logicalId.startsWith('ExternalSecrets');
  const [[, role]] = Object.entries(template.findResources('AWS::IAM::Role')).filter(isOperators);
  const policies = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter(isOperators)
    .map(([, policy]) => policy);
  const statements: any[] = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  const statement = (sid: string) => statements.find((candidate) => candidate.Sid === sid);

  test('matches its snapshot', () => expect(template.toJSON()).toMatchSnapshot());

  test('passes the four rule packs with nothing unacknowledged', () => expect(ruleFindings(stage.clusterAccess)).toEqual([]));

  test('the role is named by the naming module and has no inline policy', () => {
    expect(role.Properties.RoleName).toBe(`hydraulic-${stageName}-external-secrets`);
    expect(role.Properties.Policies).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::IAM::Policy'))).toEqual([]);
  });

  test('only EKS Pod Identity may assume it, for the operator’s ServiceAccount in this stage’s cluster and account', () => {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': config.aws.account,
            'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:${config.aws.region}:${config.aws.account}:cluster/${config.kubernetes.clusterName}`,
            'aws:RequestTag/kubernetes-namespace': 'external-secrets',
            'aws:RequestTag/kubernetes-service-account': 'external-secrets',
          },
        },
      },
    ]);
  });

  test('the Pod Identity association hands the role to that ServiceAccount, with session tags on', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: config.kubernetes.clusterName,
      Namespace: 'external-secrets',
      ServiceAccount: 'external-secrets',
      DisableSessionTags: false,
    });
  });

  test('no statement has a wildcard action, and none allows a resource outside the project', () => {
    for (const s of statements) {
      expect([s.Action].flat().join(' ')).not.toContain('*');
      expect(s.Effect).toBe('Allow');
    }
    expect(JSON.stringify(statements.map((s) => s.Resource))).not.toMatch(/"\*"|:\*"|\/\*"/);
  });

  test('secrets: only GetSecretValue and DescribeSecret, on exactly the four secrets the cluster syncs', () => {
    expect(statement('ReadProjectSecrets').Action).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statement('ReadProjectSecrets').Resource).toEqual(
      ['api-key-encryption-key', 'database-credentials', 'jwt-signing-key', 'redis-auth-token'].map((name) => `${prefix}${name}-??????`),
    );
  });

  test('parameters: only GetParameter(s), on exactly the endpoint parameters', () => {
    expect(statement('ReadProjectParameters').Action).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
    expect(statement('ReadProjectParameters').Resource).toEqual(
      ['database/host', 'database/port', 'redis/host', 'redis/port', 'redis/tls'].map(
        (path) => `arn:aws:ssm:${config.aws.region}:${config.aws.account}:parameter/hydraulic/${stageName}/${path}`,
      ),
    );
  });

  test('kms:Decrypt only on the secrets key, only through Secrets Manager, only for those secrets', () => {
    const decrypt = statement('DecryptProjectSecretsThroughSecretsManager');
    expect(decrypt.Action).toBe('kms:Decrypt');
    expect(JSON.stringify(decrypt.Resource)).toContain('SecretsKey');
    expect(JSON.stringify(decrypt.Condition.StringEquals['kms:ViaService'])).toContain(`secretsmanager.${config.aws.region}.`);
    expect(decrypt.Condition.StringLike['kms:EncryptionContext:SecretARN'].every((arn: string) => arn.startsWith(prefix))).toBe(true);
  });

  test('the role can read exactly what the cluster’s ExternalSecrets read: no more, no less', () => {
    const keys = chartObjects(config, 'external-secrets')
      .filter((o) => o.kind === 'ExternalSecret')
      .flatMap((o) => [...((o.spec as any).data ?? []), ...((o.spec as any).dataFrom ?? []).map((d: any) => ({ remoteRef: d.extract }))])
      .map((entry) => entry.remoteRef.key as string);
    const granted = [
      ...statement('ReadProjectSecrets').Resource.map((arn: string) =>
        arn.slice(prefix.length - `hydraulic/${stageName}/`.length, -'-??????'.length),
      ),
      ...statement('ReadProjectParameters').Resource.map((arn: string) => arn.slice(arn.indexOf(':parameter') + ':parameter'.length)),
    ];
    expect([...new Set(keys)].sort()).toEqual([...granted].sort());
  });
});

describe('ExternalSecretsAccess', () => {
  const build = (overrides: Partial<ConstructorParameters<typeof ExternalSecretsAccess>[2]>) => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-central-1' } });
    return () =>
      new ExternalSecretsAccess(stack, 'Access', {
        roleName: 'r',
        clusterName: 'c',
        namespace: 'external-secrets',
        serviceAccount: 'external-secrets',
        secretNames: ['p/s/x'],
        parameterNames: ['/p/s/y'],
        secretsKey: new kms.Key(stack, 'Key'),
        ...overrides,
      });
  };

  test('refuses a role that would read nothing', () => {
    expect(build({ secretNames: [], parameterNames: [] })).toThrow(/would read nothing/);
  });

  test('a role that reads only parameters gets no Secrets Manager or KMS permission', () => {
    const access = build({ secretNames: [] })();
    const statements = Template.fromStack(Stack.of(access)).findResources('AWS::IAM::ManagedPolicy');
    expect(Object.values(statements).flatMap((p: any) => p.Properties.PolicyDocument.Statement.map((s: any) => s.Sid))).toEqual([
      'ReadProjectParameters',
    ]);
  });

  test('refuses a relative parameter name', () => {
    expect(build({ parameterNames: ['p/s/y'] })).toThrow(/must be absolute paths starting with "\/"; got "p\/s\/y"/);
  });
});
