import { Naming, SECRET_PURPOSES } from '../../lib/config';

describe('Naming', () => {
  const naming = new Naming({ project: 'hydraulic', stage: 'dev' });

  test('names every cross-renderer resource from project and stage', () => {
    expect(naming.stackName('network')).toBe('hydraulic-dev-network');
    expect(naming.secretName('jwt-signing-key')).toBe('hydraulic/dev/jwt-signing-key');
    expect(naming.secretNamePrefix).toBe('hydraulic/dev/');
    expect(naming.parameterName('redis/host')).toBe('/hydraulic/dev/redis/host');
    expect(naming.roleName('external-secrets')).toBe('hydraulic-dev-external-secrets');
    expect(naming.keyAlias('logs')).toBe('alias/hydraulic/dev/logs');
    expect(naming.logGroupName('vpc-flow-logs')).toBe('/hydraulic/dev/vpc-flow-logs');
    expect(naming.webAclName).toBe('hydraulic-dev-edge');
    expect(naming.clusterObjectName('secrets-manager')).toBe('hydraulic-dev-secrets-manager');
    expect(naming.tags).toEqual({ project: 'hydraulic', stage: 'dev' });
  });

  test('the cache and the secrets have fixed names both renderers share', () => {
    expect(naming.cacheReplicationGroupId).toBe('hydraulic-dev-cache');
    expect(Object.values(SECRET_PURPOSES).map((purpose) => naming.secretName(purpose))).toEqual([
      'hydraulic/dev/jwt-signing-key',
      'hydraulic/dev/api-key-encryption-key',
      'hydraulic/dev/redis-auth-token',
      'hydraulic/dev/database-credentials',
    ]);
  });

  test('a replication group id ElastiCache would refuse is refused', () => {
    expect(() => new Naming({ project: '9lives', stage: 'dev' }).cacheReplicationGroupId).toThrow(/must start with a letter/);
    expect(() => new Naming({ project: 'hy--draulic', stage: 'dev' }).cacheReplicationGroupId).toThrow(/single hyphens/);
    // The longest project (20) and stage (12) still fit ElastiCache's 40 characters.
    expect(new Naming({ project: 'a'.repeat(20), stage: 'b'.repeat(12) }).cacheReplicationGroupId).toHaveLength(39);
  });

  test('WAF can only log to a group named aws-waf-logs-*', () => {
    expect(naming.webAclLogGroupName).toBe('aws-waf-logs-hydraulic-dev');
  });

  test('a bucket name carries account and region, since bucket names are global', () => {
    expect(naming.bucketName('alb-access-logs', '111111111111', 'eu-central-1')).toBe(
      'hydraulic-dev-alb-access-logs-111111111111-eu-central-1',
    );
    expect(() => naming.bucketName('x'.repeat(30), '111111111111', 'eu-central-1')).toThrow(/S3 bucket name .* at most 63 are allowed/);
  });

  test('names the audit, alert and backup resources', () => {
    expect(naming.trailName).toBe('hydraulic-dev-audit');
    expect(naming.alertTopicName).toBe('hydraulic-dev-security-alerts');
    expect(naming.alarmName('root-account-use')).toBe('hydraulic-dev-root-account-use');
    expect(naming.bucketName('audit', '111111111111', 'eu-central-1')).toBe('hydraulic-dev-audit-111111111111-eu-central-1');
    expect(naming.imageRepositoryName('rotation-tool')).toBe('hydraulic/dev/rotation-tool');
    expect(naming.gatewayAccessLogGroupName).toBe('/hydraulic/dev/gateway-access');
    expect(naming.backupVaultName).toBe('hydraulic-dev-backups');
    expect(naming.disasterRecoveryVaultName).toBe('hydraulic-dev-backups-dr');
    expect(naming.restoreTestingPlanName).toBe('hydraulic_dev_restore_test');
  });

  test('the logs key covers the project prefix, the WAF group and the database’s own groups, nothing wider', () => {
    expect(naming.logGroupNamePatterns).toEqual([
      '/hydraulic/dev/*',
      'aws-waf-logs-hydraulic-dev',
      '/aws/rds/instance/hydraulic-dev-database/*',
      '/aws/lambda/hydraulic-dev-database-admin-rotation',
      '/aws/lambda/hydraulic-dev-database-application-rotation',
    ]);
  });

  test('the database’s names: instance, exported log groups, admin secret, rotation functions', () => {
    expect(naming.databaseInstanceId).toBe('hydraulic-dev-database');
    expect(naming.databaseLogGroupName('postgresql')).toBe('/aws/rds/instance/hydraulic-dev-database/postgresql');
    expect(naming.databaseAdminSecretName).toBe('hydraulic/dev/database-admin-credentials');
    expect(naming.databaseRotationFunctionName('application')).toBe('hydraulic-dev-database-application-rotation');
    expect(naming.lambdaLogGroupName('f')).toBe('/aws/lambda/f');
  });

  test('an RDS instance identifier RDS would refuse is refused', () => {
    expect(() => new Naming({ project: 'h--x', stage: 'dev' }).databaseInstanceId).toThrow(/single hyphens/);
  });

  test('a bucket name over 63 characters is refused', () => {
    const long = new Naming({ project: 'hydraulic-diagnostics', stage: 'production01' });
    expect(() => long.bucketName('access-logs', '111111111111', 'ap-southeast-2')).toThrow(/S3 bucket name .* at most 63/);
  });

  test('a name over its service limit is refused with the limit', () => {
    expect(() => naming.roleName('x'.repeat(60))).toThrow(/IAM role name .* is 74 characters long; at most 64 are allowed/);
  });
});
