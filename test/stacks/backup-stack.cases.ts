import { Match, type Template } from 'aws-cdk-lib/assertions';
import { FAILED_JOB_STATES } from '../../lib/constructs/backup-job-alerts';
import { BACKUP_TAG } from '../../lib/constructs/tagged-backup-plan';
import { buildStage, committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { ruleFindings } from '../harness/rule-packs';

const propertiesOf = (template: Template, type: string) => {
  const found = Object.values(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0].Properties;
};

describe.each(['dev', 'prod'])('the %s backup stack', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.backup);
  const config = stageConfig(stageName);
  const { backup } = config;

  test('matches its snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four rule packs with nothing unacknowledged', () => {
    expect(ruleFindings(stage.backup)).toEqual([]);
  });

  test('keeps recovery points in a vault encrypted with the backups key, locked to the configured retention, retained', () => {
    template.hasResource('AWS::Backup::BackupVault', {
      Properties: {
        BackupVaultName: `hydraulic-${stageName}-backups`,
        EncryptionKeyArn: { 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('BackupsKey') }) },
        LockConfiguration: {
          MinRetentionDays: backup.vaultLock.minRetentionDays,
          MaxRetentionDays: backup.vaultLock.maxRetentionDays,
          ...(backup.vaultLock.mode === 'compliance' ? { ChangeableForDays: backup.vaultLock.changeableForDays } : {}),
        },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('denies everyone deleting a recovery point or shortening its life', () => {
    expect(propertiesOf(template, 'AWS::Backup::BackupVault').AccessPolicy.Statement).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
      Resource: '*',
    });
  });

  test('backs up every resource tagged backup: true on the configured schedule and retention', () => {
    const [rule] = propertiesOf(template, 'AWS::Backup::BackupPlan').BackupPlan.BackupPlanRule;
    expect(rule).toMatchObject({ ScheduleExpression: backup.schedule, Lifecycle: { DeleteAfterDays: backup.retentionDays } });
    expect(propertiesOf(template, 'AWS::Backup::BackupSelection').BackupSelection.ListOfTags).toEqual([
      { ConditionKey: 'backup', ConditionType: 'STRINGEQUALS', ConditionValue: 'true' },
    ]);
    expect(BACKUP_TAG).toEqual({ key: 'backup', value: 'true' });
  });

  test('restores the latest recovery point of every tagged database on the configured schedule', () => {
    expect(propertiesOf(template, 'AWS::Backup::RestoreTestingPlan')).toMatchObject({
      RestoreTestingPlanName: `hydraulic_${stageName}_restore_test`,
      ScheduleExpression: backup.restoreTesting.schedule,
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [{ 'Fn::GetAtt': [expect.stringMatching(/^Vault/), 'BackupVaultArn'] }],
        RecoveryPointTypes: ['SNAPSHOT'],
      },
    });
    expect(propertiesOf(template, 'AWS::Backup::RestoreTestingSelection')).toMatchObject({
      ProtectedResourceType: 'RDS',
      ProtectedResourceArns: ['*'],
      ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/backup', Value: 'true' }] },
      ValidationWindowHours: backup.restoreTesting.validationWindowHours,
    });
  });

  test('reports every failed backup, copy or restore job to the alert topic', () => {
    const rule = propertiesOf(template, 'AWS::Events::Rule');
    expect(rule.EventPattern).toEqual({
      source: ['aws.backup'],
      'detail-type': ['Backup Job State Change', 'Copy Job State Change', 'Restore Job State Change'],
      detail: { state: [...FAILED_JOB_STATES] },
    });
    expect(rule.Targets[0].Arn).toEqual({
      'Fn::GetStackOutput': expect.objectContaining({
        StackName: `hydraulic-${stageName}-audit`,
        OutputName: expect.stringMatching(/AlertTopic/),
      }),
    });
    expect(rule.Targets[0].InputTransformer.InputTemplate).toMatch(/1 Detect: .* 2 Contain: /);
  });
});

describe('disaster recovery', () => {
  test('dev names no disaster-recovery region: no copy, no second vault', () => {
    const stage = committedStage('dev');
    expect(stage.disasterRecovery).toBeUndefined();
    const [rule] = propertiesOf(templateOf(stage.backup), 'AWS::Backup::BackupPlan').BackupPlan.BackupPlanRule;
    expect(rule.CopyActions).toBeUndefined();
  });

  describe('prod', () => {
    const stage = committedStage('prod');
    const config = stageConfig('prod');
    const dr = stage.disasterRecovery!;
    const template = templateOf(dr);

    test('matches its snapshot', () => {
      expect(template.toJSON()).toMatchSnapshot();
    });

    test('passes the four rule packs with nothing unacknowledged', () => {
      expect(ruleFindings(dr)).toEqual([]);
    });

    test('lives in the configured disaster-recovery region, after which the backup stack deploys', () => {
      expect(config.backup.disasterRecoveryRegion).toBe('eu-west-1');
      expect(dr.region).toBe('eu-west-1');
      expect(dr.stackName).toBe('hydraulic-prod-disaster-recovery');
      expect(stage.backup.dependencies).toContain(dr);
    });

    test('copies every recovery point to the vault there, by an ARN built from its name, with the same retention', () => {
      const [rule] = propertiesOf(templateOf(stage.backup), 'AWS::Backup::BackupPlan').BackupPlan.BackupPlanRule;
      expect(rule.CopyActions).toEqual([
        {
          DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:222222222222:backup-vault:hydraulic-prod-backups-dr',
          Lifecycle: { DeleteAfterDays: config.backup.retentionDays },
        },
      ]);
    });

    test('the vault there has its own rotating backups key, usable only through AWS Backup and RDS in that region', () => {
      const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
      expect(key.Properties).toMatchObject({ EnableKeyRotation: true, RotationPeriodInDays: config.rotation.kmsKeyDays });
      expect(key).toMatchObject({ DeletionPolicy: 'Retain' });
      const use = (key.Properties.KeyPolicy.Statement as any[]).find((statement) => statement.Sid === 'RecoveryPointCopiesThroughBackup');
      expect(use.Condition.StringEquals['kms:ViaService']).toEqual(['backup.eu-west-1.amazonaws.com', 'rds.eu-west-1.amazonaws.com']);
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/hydraulic/prod/backups' });
    });

    test('the vault there is named for the copy action and carries the same lock', () => {
      template.hasResource('AWS::Backup::BackupVault', {
        Properties: {
          BackupVaultName: 'hydraulic-prod-backups-dr',
          EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupsKey'), 'Arn'] },
          LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 365, ChangeableForDays: 3 },
        },
        DeletionPolicy: 'Retain',
      });
    });

    test('asks for no availability zone of a region the config does not describe', () => {
      expect(() => dr.availabilityZones).toThrow(/in eu-west-1 has no availability zones/);
    });
  });

  test('a disaster-recovery region added to dev brings the stack and the copy', () => {
    const config = structuredClone(stageConfig('dev'));
    config.backup.disasterRecoveryRegion = 'eu-north-1';
    const stage = buildStage(config);
    expect(stage.disasterRecovery?.region).toBe('eu-north-1');
    const [rule] = propertiesOf(templateOf(stage.backup), 'AWS::Backup::BackupPlan').BackupPlan.BackupPlanRule;
    expect(rule.CopyActions[0].DestinationBackupVaultArn).toBe(
      'arn:aws:backup:eu-north-1:111111111111:backup-vault:hydraulic-dev-backups-dr',
    );
  });
});

test('the vaults and the disaster-recovery key keep their logical IDs (a change would replace them)', () => {
  const stage = committedStage('prod');
  expect(Object.keys(templateOf(stage.backup).findResources('AWS::Backup::BackupVault'))).toEqual(['Vault47927EF3']);
  const dr = templateOf(stage.disasterRecovery!);
  expect(Object.keys(dr.findResources('AWS::Backup::BackupVault'))).toEqual(['Vault47927EF3']);
  expect(Object.keys(dr.findResources('AWS::KMS::Key'))).toEqual(['BackupsKey24E0E97C']);
});
