import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  ADMIN_USERNAME,
  APPLICATION_USERNAME,
  DATABASE_NAME,
  DiagnosticsDatabase,
  type DiagnosticsDatabaseProps,
} from '../../lib/constructs/diagnostics-database';
import { RevocationAndRateLimitCache, type RevocationAndRateLimitCacheProps } from '../../lib/constructs/revocation-and-rate-limit-cache';
import { Naming } from '../../lib/config';
import { dataSubnetCidrs } from '../../lib/config/subnet-layout';
import { cdkJsonContext, committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { ruleFindings } from '../harness/rule-packs';

describe.each(['dev', 'prod'])('the %s data-stores stack', (stageName) => {
  const stage = committedStage(stageName);
  const config = stageConfig(stageName);
  const settings = config.dataStores;
  const naming = new Naming(config);
  const stack = stage.dataStores;
  const template = templateOf(stack);
  const json = template.toJSON();
  const resources = (type: string) => Object.entries(template.findResources(type));
  const only = (type: string) => {
    const found = resources(type);
    expect(found).toHaveLength(1);
    return found[0][1];
  };
  const resolve = (value: unknown) => stack.resolve(value);
  const logicalId = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
  const dataSubnetIds = () => stage.network.network.vpc.selectSubnets(stage.network.network.dataSubnets).subnetIds.map(resolve);
  const privateSubnetIds = () => stage.network.network.vpc.selectSubnets(stage.network.network.privateSubnets).subnetIds.map(resolve);
  const dataStoresKeyArn = resolve(stage.keys.dataStoresKey.keyArn);
  const secretsKeyArn = resolve(stage.keys.secretsKey.keyArn);
  const logsKeyArn = resolve(stage.keys.logsKey.keyArn);
  const ingressTo = (groupId: string) =>
    resources('AWS::EC2::SecurityGroupIngress')
      .map(([, rule]) => rule.Properties)
      .filter((rule) => rule.GroupId['Fn::GetAtt']?.[0] === groupId);
  const acknowledged = (resource: any): string[] => (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule: any) => rule.id);

  test('matches its snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('passes the four rule packs with nothing unacknowledged', () => {
    expect(ruleFindings(stack)).toEqual([]);
  });

  test('is named by the naming module and depends on the secrets stack (the AUTH token is read by name)', () => {
    expect(stack.stackName).toBe(`hydraulic-${stageName}-data-stores`);
    expect(stack.dependencies).toContain(stage.secrets);
  });

  test('has termination protection exactly when the configuration asks for it (prod)', () => {
    expect(stack.terminationProtection).toBe(settings.terminationProtection);
    if (stageName === 'prod') expect(stack.terminationProtection).toBe(true);
  });

  describe('the PostgreSQL instance', () => {
    const instance = only('AWS::RDS::DBInstance');
    const props = instance.Properties;
    const parameters = only('AWS::RDS::DBParameterGroup').Properties.Parameters;
    const databaseGroupId = logicalId(stack.database.securityGroup);
    const rotationGroupId = logicalId(stack.database.rotationSecurityGroup);

    test('is RDS for PostgreSQL at the configured, explicit version, named by the naming module', () => {
      expect(props).toMatchObject({
        Engine: 'postgres',
        EngineVersion: settings.database.engineVersion,
        DBInstanceIdentifier: naming.databaseInstanceId,
        DBName: DATABASE_NAME,
      });
      expect(settings.database.engineVersion).toMatch(/^1[6-8]\.\d+$/);
    });

    test('encrypts its storage with the data-stores key', () => {
      expect(props).toMatchObject({ StorageEncrypted: true, KmsKeyId: dataStoresKeyArn });
    });

    test('has Performance Insights on, encrypted with the same key', () => {
      expect(props).toMatchObject({ EnablePerformanceInsights: true, PerformanceInsightsKMSKeyId: dataStoresKeyArn });
    });

    test('forces TLS (rds.force_ssl = 1), TLS 1.2 or later, SCRAM password hashes', () => {
      expect(parameters).toMatchObject({ 'rds.force_ssl': '1', ssl_min_protocol_version: 'TLSv1.2', password_encryption: 'scram-sha-256' });
    });

    test('accepts IAM database authentication', () => {
      expect(props.EnableIAMDatabaseAuthentication).toBe(true);
    });

    test('preloads pgaudit and audits DDL, role and write statements, without bound values', () => {
      expect(parameters.shared_preload_libraries.split(',')).toContain('pgaudit');
      expect(parameters['pgaudit.log']).toBe('ddl,role,write');
      expect(parameters['pgaudit.log_parameter']).toBe('0');
    });

    test('preloads pg_cron, which runs its jobs (pg_partman maintenance) in the application database', () => {
      expect(parameters.shared_preload_libraries.split(',')).toContain('pg_cron');
      expect(parameters['cron.database_name']).toBe(props.DBName);
    });

    test('logs every connection and disconnection', () => {
      expect(parameters).toMatchObject({ log_connections: '1', log_disconnections: '1' });
    });

    test('uses its own parameter group of the engine’s family', () => {
      expect(only('AWS::RDS::DBParameterGroup').Properties.Family).toBe(`postgres${settings.database.engineVersion.split('.')[0]}`);
      expect(props.DBParameterGroupName).toEqual({ Ref: resources('AWS::RDS::DBParameterGroup')[0][0] });
    });

    test('exports its postgresql and upgrade logs to log groups created beforehand, encrypted with the logs key and kept', () => {
      expect(props.EnableCloudwatchLogsExports).toEqual(['postgresql', 'upgrade']);
      for (const logType of ['postgresql', 'upgrade']) {
        const [id, group] = resources('AWS::Logs::LogGroup').find(
          ([, g]) => g.Properties.LogGroupName === naming.databaseLogGroupName(logType),
        )!;
        expect(group.Properties).toMatchObject({ KmsKeyId: logsKeyArn, RetentionInDays: config.logging.retentionDays });
        expect(group).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
        expect(instance.DependsOn).toContain(id);
      }
    });

    test('lives in the isolated data subnets', () => {
      const subnetGroup = only('AWS::RDS::DBSubnetGroup');
      expect(subnetGroup.Properties.SubnetIds).toEqual(dataSubnetIds());
      expect(props.DBSubnetGroupName).toEqual({ Ref: resources('AWS::RDS::DBSubnetGroup')[0][0] });
    });

    test('is never publicly accessible', () => {
      expect(props.PubliclyAccessible).toBe(false);
    });

    test('listens on the configured port, which is not 5432', () => {
      expect(props.Port).toBe(String(settings.database.port));
      expect(settings.database.port).not.toBe(5432);
    });

    test('admits only the cluster’s security group and the credential rotation, on its port', () => {
      expect(props.VPCSecurityGroups).toEqual([{ 'Fn::GetAtt': [databaseGroupId, 'GroupId'] }]);
      const rules = ingressTo(databaseGroupId);
      expect(rules.map((rule) => rule.SourceSecurityGroupId)).toEqual([
        settings.clusterSecurityGroupId,
        { 'Fn::GetAtt': [rotationGroupId, 'GroupId'] },
      ]);
      for (const rule of rules)
        expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: settings.database.port, ToPort: settings.database.port });
      expect(json.Resources[databaseGroupId].Properties.SecurityGroupIngress).toBeUndefined();
    });

    test('opens no connection of its own', () => {
      expect(json.Resources[databaseGroupId].Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' }),
      ]);
    });

    test('is Multi-AZ and deletion-protected exactly as configured (both in prod)', () => {
      expect(props.MultiAZ).toBe(settings.database.multiAz);
      expect(props.DeletionProtection).toBe(settings.database.deletionProtection);
      if (stageName === 'prod') expect([props.MultiAZ, props.DeletionProtection]).toEqual([true, true]);
    });

    test('keeps automated backups for the configured days, at least 7, even after the instance is deleted', () => {
      expect(props.BackupRetentionPeriod).toBe(settings.database.backupRetentionDays);
      expect(props.BackupRetentionPeriod).toBeGreaterThanOrEqual(7);
      expect(props.DeleteAutomatedBackups).toBe(false);
    });

    test('leaves a snapshot when deleted or replaced', () => {
      expect(instance).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });

    test('copies its tags to snapshots', () => {
      expect(props.CopyTagsToSnapshot).toBe(true);
    });

    test('takes minor upgrades automatically, never a major one', () => {
      expect(props).toMatchObject({ AutoMinorVersionUpgrade: true, AllowMajorVersionUpgrade: false });
    });

    test('presents a certificate from a current RDS CA, named explicitly', () => {
      expect(props.CACertificateIdentifier).toBe('rds-ca-rsa2048-g1');
    });

    test('is tagged for the stage’s backup plan, which the restore test covers', () => {
      expect(props.Tags).toContainEqual({ Key: 'backup', Value: 'true' });
    });

    test('has Enhanced Monitoring, through a role only RDS monitoring of this account assumes', () => {
      expect(props.MonitoringInterval).toBe(settings.database.monitoringIntervalSeconds);
      const role = json.Resources[props.MonitoringRoleArn['Fn::GetAtt'][0]];
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'monitoring.rds.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': config.aws.account } },
        }),
      ]);
    });

    test('is acknowledged only for what a tag-based backup plan and the stage’s own choices explain', () => {
      // The data-stores key lives in the keys stack, which the Control Tower control cannot follow.
      const expected = ['NIST.800.53.R5-RDSInBackupPlan', 'HIPAA.Security-RDSInBackupPlan', 'Control-Tower::CT.RDS.PR.30'];
      if (!settings.database.multiAz)
        expected.push(
          'AwsSolutions-RDS3',
          'NIST.800.53.R5-RDSMultiAZSupport',
          'HIPAA.Security-RDSMultiAZSupport',
          'Control-Tower::CT.RDS.PR.1',
        );
      if (!settings.database.deletionProtection) {
        expected.push(
          'AwsSolutions-RDS10',
          'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled',
          'HIPAA.Security-RDSInstanceDeletionProtectionEnabled',
          'Control-Tower::CT.RDS.PR.13',
        );
      }
      expect(acknowledged(instance).sort()).toEqual(expected.sort());
    });
  });

  describe('the database credentials', () => {
    const secrets = resources('AWS::SecretsManager::Secret');
    const secretId = (name: string) => secrets.find(([, s]) => s.Properties.Name === name)![0];
    const adminId = () => secretId(naming.databaseAdminSecretName);
    const applicationId = () => secretId(`hydraulic/${stageName}/database-credentials`);
    const attachmentOf = (id: string) =>
      resources('AWS::SecretsManager::SecretTargetAttachment').find(([, a]) => a.Properties.SecretId.Ref === id)![0];
    const scheduleOf = (id: string) =>
      resources('AWS::SecretsManager::RotationSchedule').find(([, s]) => s.Properties.SecretId.Ref === attachmentOf(id))![1].Properties;

    test('are two secrets: the master user’s and the application user’s, named by the naming module', () => {
      expect(secrets.map(([, s]) => s.Properties.Name).sort()).toEqual(
        [naming.databaseAdminSecretName, `hydraulic/${stageName}/database-credentials`].sort(),
      );
      expect(JSON.stringify(json.Resources[adminId()].Properties.GenerateSecretString.SecretStringTemplate)).toContain(ADMIN_USERNAME);
      expect(JSON.stringify(json.Resources[applicationId()].Properties.GenerateSecretString.SecretStringTemplate)).toContain(
        APPLICATION_USERNAME,
      );
    });

    test('the master user is the instance’s master user: its password is read by dynamic reference, never a literal', () => {
      const password = JSON.stringify(only('AWS::RDS::DBInstance').Properties.MasterUserPassword);
      expect(password).toContain('{{resolve:secretsmanager:');
      expect(password).toContain(adminId());
    });

    test('are encrypted with the secrets key, generated by Secrets Manager, and kept when the stack goes', () => {
      for (const [, secret] of secrets) {
        expect(secret.Properties.KmsKeyId).toEqual(secretsKeyArn);
        expect(secret.Properties.SecretString).toBeUndefined();
        expect(secret.Properties.GenerateSecretString.GenerateStringKey).toBe('password');
        expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    });

    test('each carry exactly one resource policy: the project’s, denying other accounts and deletion without recovery', () => {
      const policies = resources('AWS::SecretsManager::ResourcePolicy').map(([, p]) => p.Properties);
      expect(policies.map((p) => p.SecretId.Ref).sort()).toEqual([adminId(), applicationId()].sort());
      for (const policy of policies) {
        expect(policy.BlockPublicPolicy).toBe(true);
        expect(policy.ResourcePolicy.Statement.map((s: any) => s.Sid)).toEqual([
          'DenyPrincipalsOfOtherAccounts',
          'DenyDeletionWithoutRecoveryWindow',
        ]);
      }
    });

    test('are attached to the instance, so they hold its host, port and engine', () => {
      for (const id of [adminId(), applicationId()]) {
        expect(json.Resources[attachmentOf(id)].Properties).toEqual({
          SecretId: { Ref: id },
          TargetId: { Ref: resources('AWS::RDS::DBInstance')[0][0] },
          TargetType: 'AWS::RDS::DBInstance',
        });
      }
    });

    test('rotate with Secrets Manager hosted rotation every rotation.secretsDays', () => {
      expect(json.Transform).toContain('AWS::SecretsManager-2024-09-16');
      for (const id of [adminId(), applicationId()]) {
        expect(scheduleOf(id).RotationRules).toEqual({ AutomaticallyAfterDays: config.rotation.secretsDays });
        expect(scheduleOf(id).HostedRotationLambda.KmsKeyArn).toEqual(secretsKeyArn);
      }
    });

    test('the master user rotates single-user, at once; the application user by the configured scheme, once bootstrapped', () => {
      expect(scheduleOf(adminId())).toMatchObject({
        RotateImmediatelyOnUpdate: true,
        HostedRotationLambda: { RotationType: 'PostgreSQLSingleUser' },
      });
      const application = scheduleOf(applicationId());
      expect(application.RotateImmediatelyOnUpdate).toBe(false);
      if (settings.database.credentialRotation === 'multi-user') {
        expect(application.HostedRotationLambda).toMatchObject({
          RotationType: 'PostgreSQLMultiUser',
          MasterSecretArn: { Ref: adminId() },
          MasterSecretKmsKeyArn: secretsKeyArn,
        });
        expect(JSON.stringify(json.Resources[applicationId()].Properties.GenerateSecretString.SecretStringTemplate)).toContain('masterarn');
      } else {
        expect(application.HostedRotationLambda.RotationType).toBe('PostgreSQLSingleUser');
      }
    });

    test('the rotation functions run in the private subnets, behind the rotation security group, under names from the naming module', () => {
      for (const [id, user] of [
        [adminId(), 'admin'],
        [applicationId(), 'application'],
      ] as const) {
        expect(scheduleOf(id).HostedRotationLambda).toMatchObject({
          RotationLambdaName: naming.databaseRotationFunctionName(user),
          VpcSecurityGroupIds: { 'Fn::GetAtt': [logicalId(stack.database.rotationSecurityGroup), 'GroupId'] },
          VpcSubnetIds: { 'Fn::Join': ['', privateSubnetIds().flatMap((id, index) => (index === 0 ? [id] : [',', id]))] },
        });
      }
    });

    test('the rotation functions log to groups created beforehand, encrypted with the logs key and kept', () => {
      for (const user of ['admin', 'application'] as const) {
        const name = naming.lambdaLogGroupName(naming.databaseRotationFunctionName(user));
        template.hasResource('AWS::Logs::LogGroup', {
          Properties: { LogGroupName: name, KmsKeyId: logsKeyArn, RetentionInDays: config.logging.retentionDays },
          DeletionPolicy: 'Retain',
        });
      }
    });

    test('the rotation security group reaches only the database port and HTTPS to the AWS API endpoints', () => {
      const rotationGroupId = logicalId(stack.database.rotationSecurityGroup);
      const egress = resources('AWS::EC2::SecurityGroupEgress')
        .map(([, rule]) => rule.Properties)
        .filter((rule) => rule.GroupId['Fn::GetAtt']?.[0] === rotationGroupId);
      expect(egress).toEqual([
        expect.objectContaining({
          FromPort: 443,
          ToPort: 443,
          DestinationSecurityGroupId: resolve(stage.network.apiEndpoints!.securityGroup.securityGroupId),
        }),
        expect.objectContaining({
          FromPort: settings.database.port,
          ToPort: settings.database.port,
          DestinationSecurityGroupId: { 'Fn::GetAtt': [logicalId(stack.database.securityGroup), 'GroupId'] },
        }),
      ]);
      expect(ingressTo(rotationGroupId)).toEqual([]);
    });
  });

  describe('the cache', () => {
    const group = only('AWS::ElastiCache::ReplicationGroup');
    const props = group.Properties;
    const cacheGroupId = logicalId(stack.cache.securityGroup);
    const redisRotationGroup = resolve(stage.secrets.redisAuthTokenRotation.securityGroup.securityGroupId);

    test('is the replication group the AUTH token rotation targets, by the naming module’s id', () => {
      expect(props.ReplicationGroupId).toBe(naming.cacheReplicationGroupId);
    });

    test('runs the configured engine and version', () => {
      expect(props).toMatchObject({ Engine: settings.cache.engine, EngineVersion: settings.cache.engineVersion });
    });

    test('runs with cluster mode disabled (Kong’s rate-limiting plugin cannot use Redis Cluster)', () => {
      expect(props.ClusterMode).toBe('disabled');
      expect(props.NumNodeGroups).toBeUndefined();
      expect(props.NumCacheClusters).toBe(1 + settings.cache.replicas);
      expect(only('AWS::ElastiCache::ParameterGroup').Properties.Properties['cluster-enabled']).toBe('no');
    });

    test('never evicts, so a full cache cannot silently drop a token revocation', () => {
      expect(only('AWS::ElastiCache::ParameterGroup').Properties).toMatchObject({
        CacheParameterGroupFamily: `${settings.cache.engine}${settings.cache.engineVersion.split('.')[0]}`,
        Properties: { 'maxmemory-policy': 'noeviction' },
      });
      expect(props.CacheParameterGroupName).toEqual({ Ref: resources('AWS::ElastiCache::ParameterGroup')[0][0] });
    });

    test('encrypts its storage and snapshots with the data-stores key', () => {
      expect(props).toMatchObject({ AtRestEncryptionEnabled: true, KmsKeyId: dataStoresKeyArn });
    });

    test('requires TLS on every connection', () => {
      expect(props).toMatchObject({ TransitEncryptionEnabled: true, TransitEncryptionMode: 'required' });
    });

    test('takes its AUTH token from the token secret by dynamic reference, never a literal', () => {
      expect(props.AuthToken).toBe(`{{resolve:secretsmanager:hydraulic/${stageName}/redis-auth-token:SecretString:authToken::}}`);
    });

    test('fails over automatically across zones as configured (prod: at least one replica, Multi-AZ)', () => {
      expect(props.MultiAZEnabled).toBe(settings.cache.multiAz);
      expect(props.AutomaticFailoverEnabled).toBe(settings.cache.replicas > 0);
      if (stageName === 'prod') {
        expect(props).toMatchObject({ MultiAZEnabled: true, AutomaticFailoverEnabled: true });
        expect(props.NumCacheClusters).toBeGreaterThanOrEqual(2);
        expect(new Set(props.PreferredCacheClusterAZs).size).toBe(props.NumCacheClusters);
      }
    });

    test('keeps daily snapshots for the configured days (at least 15) and leaves a final one when deleted or replaced', () => {
      expect(props.SnapshotRetentionLimit).toBe(settings.cache.snapshotRetentionDays);
      expect(props.SnapshotRetentionLimit).toBeGreaterThanOrEqual(15);
      expect(group).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });

    test('listens on the configured port, which is not 6379', () => {
      expect(props.Port).toBe(settings.cache.port);
      expect(settings.cache.port).not.toBe(6379);
    });

    test('lives in the isolated data subnets', () => {
      expect(only('AWS::ElastiCache::SubnetGroup').Properties.SubnetIds).toEqual(dataSubnetIds());
      expect(props.CacheSubnetGroupName).toEqual({ Ref: resources('AWS::ElastiCache::SubnetGroup')[0][0] });
    });

    test('admits only the cluster’s security group and the AUTH token rotation, on its port', () => {
      expect(props.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [cacheGroupId, 'GroupId'] }]);
      const rules = ingressTo(cacheGroupId);
      expect(rules.map((rule) => rule.SourceSecurityGroupId)).toEqual([settings.clusterSecurityGroupId, redisRotationGroup]);
      for (const rule of rules)
        expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: settings.cache.port, ToPort: settings.cache.port });
      expect(json.Resources[cacheGroupId].Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' }),
      ]);
    });

    test('lets the AUTH token rotation out to the cache port (its testSecret authenticates there), from this stack', () => {
      const egress = resources('AWS::EC2::SecurityGroupEgress')
        .map(([, rule]) => rule.Properties)
        .filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify(redisRotationGroup));
      expect(egress).toEqual([
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: settings.cache.port,
          ToPort: settings.cache.port,
          DestinationSecurityGroupId: { 'Fn::GetAtt': [cacheGroupId, 'GroupId'] },
        }),
      ]);
    });

    test('delivers its slow log and engine log as JSON to encrypted, kept log groups under the project prefix', () => {
      const deliveries = props.LogDeliveryConfigurations;
      expect(deliveries.map((d: any) => [d.LogType, d.LogFormat, d.DestinationType])).toEqual([
        ['slow-log', 'json', 'cloudwatch-logs'],
        ['engine-log', 'json', 'cloudwatch-logs'],
      ]);
      for (const delivery of deliveries) {
        const logGroup = json.Resources[delivery.DestinationDetails.CloudWatchLogsDetails.LogGroup.Ref];
        expect(logGroup.Properties).toMatchObject({
          LogGroupName: naming.logGroupName(`cache/${delivery.LogType}`),
          KmsKeyId: logsKeyArn,
          RetentionInDays: config.logging.retentionDays,
        });
        expect(logGroup.DeletionPolicy).toBe('Retain');
      }
    });

    test('lets only the log delivery service of this account write to those two groups', () => {
      const policy = JSON.stringify(only('AWS::Logs::ResourcePolicy').Properties.PolicyDocument);
      expect(policy).toContain('delivery.logs.amazonaws.com');
      expect(policy).toContain(`"aws:SourceAccount\\":\\"${config.aws.account}`);
      expect(policy).toContain('"logs:CreateLogStream\\",\\"logs:PutLogEvents');
      expect(policy).not.toMatch(/"Resource\\":\\"\*/);
      expect(group.DependsOn).toContain(resources('AWS::Logs::ResourcePolicy')[0][0]);
    });

    test('is not tagged for AWS Backup, which does not cover ElastiCache (its own snapshots do)', () => {
      expect(props.Tags).not.toContainEqual({ Key: 'backup', Value: 'true' });
    });

    test('warns the alert topic before its memory fills (it never evicts)', () => {
      const alarm = only('AWS::CloudWatch::Alarm').Properties;
      expect(alarm).toMatchObject({
        Namespace: 'AWS/ElastiCache',
        MetricName: 'DatabaseMemoryUsagePercentage',
        Dimensions: [
          { Name: 'ReplicationGroupId', Value: naming.cacheReplicationGroupId },
          { Name: 'Role', Value: 'Primary' },
        ],
        Threshold: 80,
        TreatMissingData: 'breaching',
        AlarmActions: [resolve(stage.audit.alertTopic.topicArn)],
      });
    });
  });

  describe('the hand-off to the cluster', () => {
    const parameter = (path: string) =>
      resources('AWS::SSM::Parameter').find(([, p]) => p.Properties.Name === naming.parameterName(path))![1].Properties;

    test('writes exactly the five endpoint parameters External Secrets reads, as plain String parameters', () => {
      expect(
        resources('AWS::SSM::Parameter')
          .map(([, p]) => p.Properties.Name)
          .sort(),
      ).toEqual(['database/host', 'database/port', 'redis/host', 'redis/port', 'redis/tls'].map((path) => naming.parameterName(path)));
      for (const [, p] of resources('AWS::SSM::Parameter')) expect(p.Properties).toMatchObject({ Type: 'String', Tier: 'Standard' });
    });

    test('takes every endpoint from the resource itself at deployment, never from a copied output', () => {
      const cacheId = resources('AWS::ElastiCache::ReplicationGroup')[0][0];
      const instanceId = resources('AWS::RDS::DBInstance')[0][0];
      expect(parameter('redis/host').Value).toEqual({ 'Fn::GetAtt': [cacheId, 'PrimaryEndPoint.Address'] });
      expect(parameter('redis/port').Value).toEqual({ 'Fn::GetAtt': [cacheId, 'PrimaryEndPoint.Port'] });
      expect(parameter('database/host').Value).toEqual({ 'Fn::GetAtt': [instanceId, 'Endpoint.Address'] });
      expect(parameter('database/port').Value).toEqual({ 'Fn::GetAtt': [instanceId, 'Endpoint.Port'] });
    });

    test('says "true" for the Redis TLS flag, the value the cluster side reads as a boolean', () => {
      expect(parameter('redis/tls').Value).toBe('true');
    });
  });

  describe('nothing lost', () => {
    test('every stateful resource is retained or snapshotted when deleted and when replaced', () => {
      const stateful = [
        'AWS::RDS::DBInstance',
        'AWS::RDS::DBSubnetGroup',
        'AWS::RDS::DBParameterGroup',
        'AWS::ElastiCache::ReplicationGroup',
        'AWS::ElastiCache::SubnetGroup',
        'AWS::ElastiCache::ParameterGroup',
        'AWS::SecretsManager::Secret',
        'AWS::Logs::LogGroup',
      ];
      for (const type of stateful) {
        expect(resources(type).length).toBeGreaterThan(0);
        for (const [id, resource] of resources(type)) {
          expect({ id, deletion: ['Retain', 'Snapshot'].includes(resource.DeletionPolicy) }).toEqual({ id, deletion: true });
          expect({ id, replace: ['Retain', 'Snapshot'].includes(resource.UpdateReplacePolicy) }).toEqual({ id, replace: true });
        }
      }
    });

    test('the physical names of the database and the cache are fixed, so CloudFormation refuses to replace them silently', () => {
      expect(only('AWS::RDS::DBInstance').Properties.DBInstanceIdentifier).toBe(`hydraulic-${stageName}-database`);
      expect(only('AWS::ElastiCache::ReplicationGroup').Properties.ReplicationGroupId).toBe(`hydraulic-${stageName}-cache`);
    });
  });

  test('the data subnets the cluster side computes are exactly the subnets the network stack creates', () => {
    const network = templateOf(stage.network).toJSON().Resources;
    const blocks = stage.network.network.vpc
      .selectSubnets(stage.network.network.dataSubnets)
      .subnets.map((subnet) => network[Stack.of(subnet).getLogicalId(subnet.node.defaultChild as any)].Properties.CidrBlock);
    expect(dataSubnetCidrs(config)).toEqual(blocks);
  });
});

// The constructs on their own, for what the committed stages do not exercise; in this file so
// the CDK's modules are loaded once.
const ZONES = ['eu-central-1a', 'eu-central-1b'];

function fixture() {
  // Without the built-in CloudFormation schema validation (seconds per app): the stage tests run it.
  const app = new App({ context: cdkJsonContext(), builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-central-1' } });
  // Imported: a created VPC would add a custom resource (and its asset) to every fixture.
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ZONES,
    privateSubnetIds: ['subnet-01234567', 'subnet-11234567'],
    privateSubnetNames: ['private'],
    privateSubnetRouteTableIds: ['rtb-01234567', 'rtb-11234567'],
    isolatedSubnetIds: ['subnet-21234567', 'subnet-31234567'],
    isolatedSubnetNames: ['data'],
    isolatedSubnetRouteTableIds: ['rtb-21234567', 'rtb-31234567'],
  });
  const key = new kms.Key(stack, 'Key');
  const cluster = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Cluster', 'sg-0123456789abcdef0', { mutable: false });
  return { stack, vpc, key, cluster };
}

function databaseProps(
  f: ReturnType<typeof fixture>,
  change: Partial<DiagnosticsDatabaseProps['settings']> = {},
): DiagnosticsDatabaseProps {
  return {
    settings: { ...stageConfig('dev').dataStores.database, ...change },
    instanceIdentifier: 'hydraulic-test-database',
    vpc: f.vpc,
    subnets: { subnetGroupName: 'data' },
    clusterSecurityGroup: f.cluster,
    dataStoresKey: f.key,
    secretsKey: f.key,
    logsKey: f.key,
    logRetentionDays: 365,
    logGroupName: (type) => `/aws/rds/instance/hydraulic-test-database/${type}`,
    adminSecretName: 'hydraulic/test/database-admin-credentials',
    applicationSecretName: 'hydraulic/test/database-credentials',
    rotationDays: 30,
    rotationFunctionName: (user) => `hydraulic-test-database-${user}-rotation`,
    rotationNetwork: { subnets: { subnetGroupName: 'private' } },
  };
}

function cacheProps(
  f: ReturnType<typeof fixture>,
  change: Partial<RevocationAndRateLimitCacheProps['settings']> = {},
): RevocationAndRateLimitCacheProps {
  return {
    settings: { ...stageConfig('dev').dataStores.cache, ...change },
    replicationGroupId: 'hydraulic-test-cache',
    vpc: f.vpc,
    subnets: { subnetGroupName: 'data' },
    availabilityZones: ZONES,
    clusterSecurityGroup: f.cluster,
    authTokenRotationSecurityGroup: new ec2.SecurityGroup(f.stack, 'Rotation', { vpc: f.vpc, allowAllOutbound: false }),
    authToken: SecretValue.secretsManager('hydraulic/test/redis-auth-token', { jsonField: 'authToken' }),
    dataStoresKey: f.key,
    logsKey: f.key,
    logRetentionDays: 365,
    logGroupName: (type) => `/hydraulic/test/cache/${type}`,
  };
}

describe('the database construct', () => {
  test('with single-user rotation, the application user rotates itself and its secret names no master', () => {
    const f = fixture();
    new DiagnosticsDatabase(f.stack, 'Database', databaseProps(f, { credentialRotation: 'single-user' }));
    const template = Template.fromStack(f.stack).toJSON();
    const schedules = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::SecretsManager::RotationSchedule') as any[];
    expect(schedules.map((s) => s.Properties.HostedRotationLambda.RotationType)).toEqual(['PostgreSQLSingleUser', 'PostgreSQLSingleUser']);
    for (const schedule of schedules) expect(schedule.Properties.HostedRotationLambda.MasterSecretArn).toBeUndefined();
    expect(JSON.stringify(template)).not.toContain('masterarn');
  });

  test('with HTTPS to anywhere when the VPC has no endpoints of the project’s', () => {
    const f = fixture();
    new DiagnosticsDatabase(f.stack, 'Database', databaseProps(f));
    Template.fromStack(f.stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Credential rotation of hydraulic-test-database: the database and the AWS APIs only',
      SecurityGroupEgress: [
        {
          CidrIp: '0.0.0.0/0',
          Description: 'HTTPS to the AWS APIs through NAT or existing endpoints',
          FromPort: 443,
          IpProtocol: 'tcp',
          ToPort: 443,
        },
      ],
    });
  });

  test('a production-like configuration passes the rule packs', () => {
    const f = fixture();
    const database = new DiagnosticsDatabase(f.stack, 'Database', databaseProps(f, { multiAz: true, deletionProtection: true }));
    expect(ruleFindings(database)).toEqual([]);
  });

  test('refuses backups kept less than a week', () => {
    const f = fixture();
    expect(() => new DiagnosticsDatabase(f.stack, 'Database', databaseProps(f, { backupRetentionDays: 3 }))).toThrow(
      'The database keeps backups at least 7 days; S/Database was given 3',
    );
  });
});

describe('the cache construct', () => {
  test('refuses Multi-AZ without a replica', () => {
    const f = fixture();
    expect(() => new RevocationAndRateLimitCache(f.stack, 'Cache', cacheProps(f, { multiAz: true, replicas: 0 }))).toThrow(
      'Multi-AZ needs a replica in another zone; S/Cache was given 0 replicas',
    );
  });

  test('spreads a primary and two replicas over two zones, alternating', () => {
    const f = fixture();
    new RevocationAndRateLimitCache(f.stack, 'Cache', cacheProps(f, { multiAz: true, replicas: 2 }));
    Template.fromStack(f.stack).hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 3,
      PreferredCacheClusterAZs: ['eu-central-1a', 'eu-central-1b', 'eu-central-1a'],
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
    });
  });

  test('a Redis OSS cache uses the redis parameter group family', () => {
    const f = fixture();
    new RevocationAndRateLimitCache(f.stack, 'Cache', cacheProps(f, { engine: 'redis', engineVersion: '7.1' }));
    Template.fromStack(f.stack).hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'redis7' });
  });
});
