import { Stack } from 'aws-cdk-lib';
import { Naming } from '../../lib/config';
import { committedStage, stageConfig, templateOf } from '../harness/cdk-app';

/** Invariants that hold across every stack of a stage, whichever issue added the stack. */
describe.each(['dev', 'prod'])('every %s stack', (stageName) => {
  const stage = committedStage(stageName);
  const config = stageConfig(stageName);
  const naming = new Naming(config);
  const stacks = stage.node.children.filter((child) => Stack.isStack(child));
  const resources = (type: string) =>
    stacks.flatMap((stack) =>
      Object.entries(templateOf(stack).findResources(type)).map(([id, resource]): any => ({ id: `${stack.stackName}/${id}`, ...resource })),
    );

  test('includes the edge, audit and backup stacks', () => {
    expect(stacks.map((stack) => stack.stackName)).toEqual(
      expect.arrayContaining([`hydraulic-${stageName}-edge`, `hydraulic-${stageName}-audit`, `hydraulic-${stageName}-backup`]),
    );
  });

  test('encrypts every log group with a KMS key, keeps it for the configured retention, retains and (as configured) protects it, names it for the logs key', () => {
    const groups = resources('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(4);
    const allowed = naming.logGroupNamePatterns.map((pattern) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace('*', '.+')}$`));
    for (const group of groups) {
      expect({ id: group.id, kms: group.Properties.KmsKeyId !== undefined }).toEqual({ id: group.id, kms: true });
      expect({ id: group.id, days: group.Properties.RetentionInDays }).toEqual({ id: group.id, days: config.logging.retentionDays });
      expect({ id: group.id, deletion: group.DeletionPolicy }).toEqual({ id: group.id, deletion: 'Retain' });
      expect({ id: group.id, protected: group.Properties.DeletionProtectionEnabled ?? false }).toEqual({
        id: group.id,
        protected: config.logging.deletionProtection,
      });
      expect(allowed.some((pattern) => pattern.test(group.Properties.LogGroupName))).toBe(true);
    }
  });

  test('every alarm of every stack notifies the security alert topic, with actions enabled', () => {
    const audit = templateOf(stage.audit);
    const [topicId] = Object.keys(audit.findResources('AWS::SNS::Topic', { Properties: { TopicName: naming.alertTopicName } }));
    // Other stacks read the topic's ARN from the audit stack's output (Fn::GetStackOutput, no export).
    const [outputName] =
      Object.entries(audit.toJSON().Outputs ?? {}).find(([, output]: [string, any]) => output.Value?.Ref === topicId) ?? [];
    const fromOtherStack = {
      'Fn::GetStackOutput': { OutputName: outputName, StackName: stage.audit.stackName, Region: config.aws.region },
    };
    const alarms = resources('AWS::CloudWatch::Alarm');
    // The audit stack's security alarms, the rotation functions' and the dead-letter queue's at least.
    expect(alarms.filter((alarm) => alarm.id.startsWith(stage.secrets.stackName))).toHaveLength(4);
    expect(alarms.length).toBeGreaterThanOrEqual(12);
    for (const alarm of alarms) {
      const topic = alarm.id.startsWith(`${stage.audit.stackName}/`) ? { Ref: topicId } : fromOtherStack;
      expect({ id: alarm.id, actions: alarm.Properties.AlarmActions }).toEqual({ id: alarm.id, actions: expect.arrayContaining([topic]) });
      expect({ id: alarm.id, enabled: alarm.Properties.ActionsEnabled ?? true }).toEqual({ id: alarm.id, enabled: true });
    }
  });

  test('encrypts every SNS topic with a KMS key', () => {
    const topics = resources('AWS::SNS::Topic');
    expect(topics.length).toBeGreaterThanOrEqual(1);
    for (const topic of topics)
      expect({ id: topic.id, kms: topic.Properties.KmsMasterKeyId !== undefined }).toEqual({ id: topic.id, kms: true });
  });

  test('retains every bucket, vault and repository', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::Backup::BackupVault', 'AWS::ECR::Repository']) {
      for (const resource of resources(type))
        expect({ id: resource.id, deletion: resource.DeletionPolicy }).toEqual({ id: resource.id, deletion: 'Retain' });
    }
  });
});
