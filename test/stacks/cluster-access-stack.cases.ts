import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { chartObjects, renderStageObjects } from '../harness/k8s-charts';
import { ExternalSecretsAccess } from '../../lib/constructs/external-secrets-access';
import { RotationJobsAccess, type RotationJobsAccessProps } from '../../lib/constructs/rotation-jobs-access';
import { ROTATION_JOBS } from '../../lib/config';
import { committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { gatewayLogShipperValues } from '../../k8s/install/gateway-log-shipper-values';
import { Naming } from '../../lib/config';
import { GATEWAY_LOG_SHIPPER } from '../../lib/config/gateway-access-log';
import { ruleFindings } from '../harness/rule-packs';

describe.each(['dev', 'prod'])('the %s cluster access stack', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.clusterAccess);
  const config = stageConfig(stageName);
  const naming = new Naming(config);
  const prefix = `arn:aws:secretsmanager:${config.aws.region}:${config.aws.account}:secret:hydraulic/${stageName}/`;
  const roleNamed = (name: string): any => {
    const found = Object.values(template.findResources('AWS::IAM::Role')).filter((candidate) => candidate.Properties.RoleName === name);
    if (found.length !== 1) throw new Error(`expected one role ${name}, found ${found.length}`);
    return found[0];
  };
  const policiesOf = (role: any): any[] => {
    const ids = role.Properties.ManagedPolicyArns.map((arn: any) => arn.Ref);
    return ids.map((id: string) => template.toJSON().Resources[id]);
  };
  const role = roleNamed(`hydraulic-${stageName}-external-secrets`);
  const policies = policiesOf(role);
  const statements: any[] = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  const statement = (sid: string) => statements.find((candidate) => candidate.Sid === sid);

  test('matches its snapshot', () => expect(template.toJSON()).toMatchSnapshot());

  test('passes the four rule packs with nothing unacknowledged', () => expect(ruleFindings(stage.clusterAccess)).toEqual([]));

  test('the role is named by the naming module and has no inline policy', () => {
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
      RoleArn: {
        'Fn::GetAtt': [
          Object.keys(template.findResources('AWS::IAM::Role', { Properties: { RoleName: role.Properties.RoleName } }))[0],
          'Arn',
        ],
      },
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

  test('the role can read exactly what the ExternalSecrets of every chart (mesh and gateway) read: no more, no less', () => {
    const keys = renderStageObjects(config)
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
  describe('the gateway log shipper', () => {
    const shipper = roleNamed(`hydraulic-${stageName}-gateway-log-shipper`);
    const [policy] = policiesOf(shipper);
    const groupArn = `arn:aws:logs:${config.aws.region}:${config.aws.account}:log-group:${naming.gatewayAccessLogGroupName}`;

    test('may only create streams in and put events to the gateway log group the security alarms read', () => {
      expect(policiesOf(shipper)).toHaveLength(1);
      expect(shipper.Properties.Policies).toBeUndefined();
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Sid: 'WriteOneLogGroup', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${groupArn}:*` },
      ]);
      expect(
        templateOf(stage.audit).findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: naming.gatewayAccessLogGroupName } }),
      ).not.toEqual({});
    });

    test('only EKS Pod Identity may assume it, for the shipper’s ServiceAccount, which the rendered Helm values install', () => {
      const values = gatewayLogShipperValues(config) as any;
      expect(shipper.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': config.aws.account,
              'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:${config.aws.region}:${config.aws.account}:cluster/${config.kubernetes.clusterName}`,
              'aws:RequestTag/kubernetes-namespace': GATEWAY_LOG_SHIPPER.namespace,
              'aws:RequestTag/kubernetes-service-account': values.serviceAccount.name,
            },
          },
        },
      ]);
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        ClusterName: config.kubernetes.clusterName,
        Namespace: GATEWAY_LOG_SHIPPER.namespace,
        ServiceAccount: values.serviceAccount.name,
        DisableSessionTags: false,
      });
      expect(values.cloudWatchLogs.logGroupName).toBe(naming.gatewayAccessLogGroupName);
    });
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

describe.each(['dev', 'prod'])('the %s rotation jobs’ AWS roles', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.clusterAccess);
  const config = stageConfig(stageName);
  const arn = (service: string, resource: string) => `arn:aws:${service}:${config.aws.region}:${config.aws.account}:${resource}`;
  const stageSecrets = arn('secretsmanager', `secret:hydraulic/${stageName}/*`);
  const entries = (type: string, prefix: string) => Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  const statementsOf = (prefix: string): any[] =>
    entries('AWS::IAM::ManagedPolicy', prefix).flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
  const roleOf = (prefix: string) => entries('AWS::IAM::Role', prefix).map(([, role]) => role)[0];
  const enforcement = statementsOf('RotationJobsEnforcement');
  const restart = statementsOf('RotationJobsRestart');

  test('each job has its own role, named by the naming module, with no inline policy', () => {
    expect(roleOf('RotationJobsEnforcement').Properties.RoleName).toBe(`hydraulic-${stageName}-secret-rotation`);
    expect(roleOf('RotationJobsRestart').Properties.RoleName).toBe(`hydraulic-${stageName}-rotation-restart`);
    for (const prefix of ['RotationJobsEnforcement', 'RotationJobsRestart']) {
      expect(roleOf(prefix).Properties.Policies).toBeUndefined();
      expect(entries('AWS::IAM::Policy', prefix)).toEqual([]);
    }
  });

  test('no statement has a wildcard action, and every one allows', () => {
    for (const statement of [...enforcement, ...restart]) {
      expect(statement.Effect).toBe('Allow');
      for (const action of [statement.Action].flat()) expect(action).toMatch(/^[a-z]+:[A-Za-z]+$/);
    }
  });

  test('enforcement: exactly ListSecrets, DescribeSecret, RotateSecret and (tag-scoped) InvokeFunction; never GetSecretValue or KMS', () => {
    expect(enforcement.map((statement) => [statement.Sid, statement.Action])).toEqual([
      ['ListSecrets', 'secretsmanager:ListSecrets'],
      ['RotateStageSecrets', ['secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret']],
      ['InvokeStageRotationFunctions', 'lambda:InvokeFunction'],
    ]);
    expect(JSON.stringify([...enforcement, ...restart])).not.toMatch(/GetSecretValue|kms:|PutSecretValue|UpdateSecret|DeleteSecret/);
  });

  test('secrets are scoped to the stage’s name prefix; only ListSecrets, which supports no scoping, has "*"', () => {
    expect(enforcement.find((s) => s.Sid === 'RotateStageSecrets').Resource).toBe(stageSecrets);
    expect(restart).toEqual([
      { Sid: 'DescribeStageSecrets', Effect: 'Allow', Action: 'secretsmanager:DescribeSecret', Resource: stageSecrets },
    ]);
    const starred = [...enforcement, ...restart].filter((statement) => statement.Resource === '*');
    expect(starred.map((statement) => statement.Action)).toEqual(['secretsmanager:ListSecrets']);
  });

  test('rotation functions may be invoked only when tagged with this stage', () => {
    const invoke = enforcement.find((s) => s.Sid === 'InvokeStageRotationFunctions');
    expect(invoke.Resource).toBe(arn('lambda', 'function:*'));
    expect(invoke.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/project': 'hydraulic', 'aws:ResourceTag/stage': stageName } });
  });

  test('each role can be assumed only by EKS Pod Identity for its job’s ServiceAccount, and is associated with it', () => {
    const jobs = [
      ['RotationJobsEnforcement', ROTATION_JOBS.secrets.serviceAccount],
      ['RotationJobsRestart', ROTATION_JOBS.restart.serviceAccount],
    ];
    for (const [prefix, serviceAccount] of jobs) {
      expect(roleOf(prefix).Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': config.aws.account,
              'aws:RequestTag/eks-cluster-arn': arn('eks', `cluster/${config.kubernetes.clusterName}`),
              'aws:RequestTag/kubernetes-namespace': config.kubernetes.namespace,
              'aws:RequestTag/kubernetes-service-account': serviceAccount,
            },
          },
        },
      ]);
      const [[, association]] = entries('AWS::EKS::PodIdentityAssociation', prefix);
      expect(association.Properties).toMatchObject({
        ClusterName: config.kubernetes.clusterName,
        Namespace: config.kubernetes.namespace,
        ServiceAccount: serviceAccount,
        DisableSessionTags: false,
      });
    }
  });

  test('the associations name the ServiceAccounts the CronJobs run as', () => {
    const cronJobs = chartObjects(config, 'rotation-jobs').filter((object) => object.kind === 'CronJob') as any[];
    const runAs = Object.fromEntries(
      cronJobs.map((job) => [job.metadata.name, job.spec.jobTemplate.spec.template.spec.serviceAccountName]),
    );
    const associated = entries('AWS::EKS::PodIdentityAssociation', 'RotationJobs')
      .map(([, a]) => a.Properties.ServiceAccount)
      .sort();
    expect(associated).toEqual([runAs['secret-rotation'], runAs['rotation-restart']].sort());
  });

  test('every acknowledged finding says why, on the policy it concerns', () => {
    const metadata = entries('AWS::IAM::ManagedPolicy', 'RotationJobsEnforcement')[0][1].Metadata;
    expect(JSON.stringify(metadata)).toMatch(/ListSecrets supports no resource-level permission/);
    expect(JSON.stringify(metadata)).toMatch(/RotateSecret API reference requires the caller to hold lambda:InvokeFunction/);
  });
});

describe('RotationJobsAccess', () => {
  const props: RotationJobsAccessProps = {
    clusterName: 'c',
    namespace: 'ns',
    secretNamePrefix: 'hydraulic/dev/',
    stageTags: { project: 'hydraulic', stage: 'dev' },
    enforcement: { roleName: 'r1', serviceAccount: 'secret-rotation' },
  };
  const build = (overrides: Partial<RotationJobsAccessProps>) => () =>
    new RotationJobsAccess(new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-central-1' } }), 'Access', {
      ...props,
      ...overrides,
    });

  test('refuses a prefix that would reach beyond one stage', () => {
    expect(build({ secretNamePrefix: 'hydraulic' })).toThrow(
      /must end with "\/" and hold no wildcard, so that it names one stage.s secrets; got "hydraulic"/,
    );
    expect(build({ secretNamePrefix: 'hydraulic/*/' })).toThrow(/got "hydraulic\/\*\/"/);
  });

  test('refuses an empty tag set, which would let it invoke every function', () => {
    expect(build({ stageTags: {} })).toThrow(/must name at least one tag/);
  });

  test('creates no restart role when no workload is restarted', () => {
    const access = build({})();
    expect(access.restart).toBeUndefined();
    expect(Object.keys(Template.fromStack(Stack.of(access)).findResources('AWS::IAM::Role'))).toHaveLength(1);
  });
});
