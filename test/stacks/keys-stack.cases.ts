import { Match } from 'aws-cdk-lib/assertions';
import { committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { ruleFindings } from '../harness/rule-packs';

const PURPOSES = ['data-stores', 'secrets', 'logs', 'backups'];

describe.each(['dev', 'prod'])('the %s keys stack', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.keys);
  const config = stageConfig(stageName);
  const keys = Object.values(template.findResources('AWS::KMS::Key'));
  const policyOf = (sid: string) =>
    keys.map((key) => key.Properties.KeyPolicy.Statement as any[]).find((statements) => statements.some((s) => s.Sid === sid))!;

  test('matches its snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four rule packs with nothing unacknowledged', () => {
    expect(ruleFindings(stage.keys)).toEqual([]);
  });

  test('holds one key per purpose, each with its alias', () => {
    expect(keys).toHaveLength(PURPOSES.length);
    for (const purpose of PURPOSES)
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/hydraulic/${stageName}/${purpose}` });
  });

  test('every key rotates on the configured period and outlives its stack', () => {
    for (const key of keys) {
      expect(key.Properties).toMatchObject({
        EnableKeyRotation: true,
        RotationPeriodInDays: config.rotation.kmsKeyDays,
        PendingWindowInDays: 30,
      });
      expect(key).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('nobody creates a grant on any key except an AWS service for a resource it manages', () => {
    for (const key of keys) {
      expect(key.Properties.KeyPolicy.Statement).toContainEqual({
        Sid: 'GrantsOnlyForAwsResources',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      });
    }
  });

  test('administrators manage every key but can use none', () => {
    for (const key of keys) {
      const statements: any[] = key.Properties.KeyPolicy.Statement;
      const admin = statements.find((statement) => statement.Sid === 'KeyAdministration');
      expect(admin.Condition).toBeUndefined();
      expect(admin.Action).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^kms:(\*|Encrypt|Decrypt|GenerateDataKey|ReEncrypt|CreateGrant|Create\*)/)]),
      );
      // Every other statement is conditioned: nothing grants use of a key unconditionally.
      for (const statement of statements.filter((s) => s !== admin)) expect(statement.Condition).toBeDefined();
    }
  });

  test('CloudWatch Logs may use the logs key only for the project’s, the WAF’s and the database’s log groups', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchLogsProjectLogGroups',
            Principal: { Service: `logs.${config.aws.region}.amazonaws.com` },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': [
                  `arn:aws:logs:${config.aws.region}:${config.aws.account}:log-group:/hydraulic/${stageName}/*`,
                  `arn:aws:logs:${config.aws.region}:${config.aws.account}:log-group:aws-waf-logs-hydraulic-${stageName}`,
                  // RDS and Lambda name these groups themselves: the one instance's exports, its two rotation functions'.
                  `arn:aws:logs:${config.aws.region}:${config.aws.account}:log-group:/aws/rds/instance/hydraulic-${stageName}-database/*`,
                  `arn:aws:logs:${config.aws.region}:${config.aws.account}:log-group:/aws/lambda/hydraulic-${stageName}-database-admin-rotation`,
                  `arn:aws:logs:${config.aws.region}:${config.aws.account}:log-group:/aws/lambda/hydraulic-${stageName}-database-application-rotation`,
                ],
              },
            },
          }),
        ]),
      },
    });
  });

  describe('the logs key serves the audit services, each for its one resource', () => {
    const logs = () => policyOf('CloudWatchLogsProjectLogGroups');
    const statement = (sid: string) => logs().find((s) => s.Sid === sid);
    const trailArn = `arn:aws:cloudtrail:${config.aws.region}:${config.aws.account}:trail/hydraulic-${stageName}-audit`;
    const topicArn = `arn:aws:sns:${config.aws.region}:${config.aws.account}:hydraulic-${stageName}-security-alerts`;

    test('CloudTrail encrypts the one trail’s log files and describes the key, nothing else', () => {
      expect(statement('CloudTrailEncryptsTrailLogFiles')).toMatchObject({
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${config.aws.account}:trail/hydraulic-${stageName}-audit`,
          },
        },
      });
      expect(statement('CloudTrailDescribesKey')).toMatchObject({
        Action: 'kms:DescribeKey',
        Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
      });
    });

    test('principals of the account decrypt trail log files only through S3', () => {
      expect(statement('AuditReadersDecryptTrailLogFilesThroughS3')).toMatchObject({
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:CallerAccount': config.aws.account, 'kms:ViaService': `s3.${config.aws.region}.amazonaws.com` } },
      });
    });

    test('the archive uses the key only through S3, for its own objects', () => {
      expect(statement('AuditArchiveThroughS3').Condition).toEqual({
        StringEquals: { 'kms:CallerAccount': config.aws.account, 'kms:ViaService': `s3.${config.aws.region}.amazonaws.com` },
        StringLike: {
          'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::hydraulic-${stageName}-audit-${config.aws.account}-${config.aws.region}/*`,
        },
      });
    });

    test('CloudWatch alarms, EventBridge and SNS publishers use it only for the alert topic', () => {
      expect(statement('CloudWatchAlarmsPublishToAlertTopic')).toMatchObject({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn, 'aws:SourceAccount': config.aws.account } },
      });
      expect(statement('EventBridgePublishesToAlertTopic')).toMatchObject({
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
      });
      expect(statement('AlertTopicThroughSns').Condition.StringEquals).toEqual({
        'kms:EncryptionContext:aws:sns:topicArn': topicArn,
        'kms:CallerAccount': config.aws.account,
        'kms:ViaService': `sns.${config.aws.region}.amazonaws.com`,
      });
    });
  });

  test.each([
    ['SecretsThroughSecretsManager', ['secretsmanager'], false],
    ['DataStoresThroughRdsAndElastiCache', ['rds', 'elasticache'], true],
    ['ImagesThroughEcr', ['ecr'], true],
    ['RecoveryPointsThroughBackup', ['backup'], true],
  ])('%s: usable by this account only through %j', (sid, services, grants) => {
    const statements = policyOf(sid as string);
    const use = statements.find((s) => s.Sid === sid);
    expect(use.Condition.StringEquals).toEqual({
      'kms:CallerAccount': config.aws.account,
      'kms:ViaService': (services as string[]).map((service) => `${service}.${config.aws.region}.amazonaws.com`),
    });
    const grant = statements.find((s) => s.Sid === `${sid}Grants`);
    if (grants) expect(grant.Condition.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
    else expect(grant).toBeUndefined();
  });
});
