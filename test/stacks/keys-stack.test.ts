import { Match } from 'aws-cdk-lib/assertions';
import { committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { ruleFindings } from '../harness/rule-packs';

describe.each(['dev', 'prod'])('the %s keys stack', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.keys);
  const config = stageConfig(stageName);

  test('matches its snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four rule packs with nothing unacknowledged', () => {
    expect(ruleFindings(stage.keys)).toEqual([]);
  });

  test('the logs key rotates on the configured period, has its alias and outlives its stack', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, RotationPeriodInDays: config.rotation.kmsKeyDays, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/hydraulic/${stageName}/logs` });
  });

  test('administrators manage the key but cannot use it', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const statements: any[] = key.Properties.KeyPolicy.Statement;
    const admin = statements.find((statement) => statement.Sid === 'KeyAdministration');
    expect(admin.Action).not.toContain('kms:*');
    expect(admin.Action).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^kms:(Encrypt|Decrypt|GenerateDataKey|ReEncrypt|CreateGrant|Create\*)/)]),
    );
    expect(statements.map((statement) => statement.Action)).not.toContainEqual('kms:*');
  });

  test('CloudWatch Logs may use the key only for the project’s log groups', () => {
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
                ],
              },
            },
          }),
        ]),
      },
    });
  });
});
