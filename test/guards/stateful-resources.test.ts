import {
  ANCHOR_TYPES,
  deletionProtectionProblems,
  inventoryDifferences,
  inventoryOf,
  NOT_STATEFUL,
  retentionProblems,
  STATEFUL_TYPES,
  type SynthesizedStack,
} from '../../lib/guards/stateful-resources';

/** One stack of a stage holding a database, a key, a subnet group and a queue. */
function stack(overrides: Record<string, object> = {}): SynthesizedStack {
  return {
    stage: 'prod',
    stackName: 'hydraulic-prod-data-stores',
    template: {
      Resources: {
        DatabaseInstanceAA8A5FDE: {
          Type: 'AWS::RDS::DBInstance',
          DeletionPolicy: 'Snapshot',
          UpdateReplacePolicy: 'Snapshot',
          Properties: { DeletionProtection: true },
        },
        DataStoresKeyB688FD9C: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
        DatabaseSubnetGroup7D60F180: { Type: 'AWS::RDS::DBSubnetGroup' },
        RotationDeadLetters54886ED4: { Type: 'AWS::SQS::Queue' },
        ...overrides,
      } as SynthesizedStack['template']['Resources'],
    },
  };
}

describe('the inventory of stateful resources', () => {
  const committed = inventoryOf([stack()]);

  test('holds the stateful resources and their anchors by stage, stack and logical ID, not the rest', () => {
    expect(committed).toEqual({
      prod: {
        'hydraulic-prod-data-stores': {
          DataStoresKeyB688FD9C: 'AWS::KMS::Key',
          DatabaseInstanceAA8A5FDE: 'AWS::RDS::DBInstance',
          DatabaseSubnetGroup7D60F180: 'AWS::RDS::DBSubnetGroup',
        },
      },
    });
  });

  test('names a resource that disappeared (a renamed construct id), with what would be lost', () => {
    const renamed = stack();
    const resources = { ...renamed.template.Resources };
    resources.DatabaseInstanceRenamed1234 = resources.DatabaseInstanceAA8A5FDE;
    delete resources.DatabaseInstanceAA8A5FDE;
    expect(inventoryDifferences(committed, inventoryOf([{ ...renamed, template: { Resources: resources } }]))).toEqual([
      'prod: hydraulic-prod-data-stores/DatabaseInstanceAA8A5FDE (AWS::RDS::DBInstance) is gone: CloudFormation would delete it (lost: the database and its automated backups)',
      'prod: hydraulic-prod-data-stores/DatabaseInstanceRenamed1234 (AWS::RDS::DBInstance) is new: record it in the inventory with npm run inventory:update',
    ]);
  });

  test('names a resource that changed type, and one moved to another stack', () => {
    const changed = stack({
      DatabaseInstanceAA8A5FDE: { Type: 'AWS::RDS::DBCluster', DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' },
    });
    expect(inventoryDifferences(committed, inventoryOf([changed]))).toEqual([
      'prod: hydraulic-prod-data-stores/DatabaseInstanceAA8A5FDE changed type from AWS::RDS::DBInstance to AWS::RDS::DBCluster: CloudFormation would replace it',
    ]);
    const moved = inventoryOf([{ ...stack(), stackName: 'hydraulic-prod-keys' }]);
    expect(inventoryDifferences(committed, moved).filter((message) => message.includes('is gone'))).toHaveLength(3);
  });

  test('every type is either stateful, an anchor or left out for a stated reason, never two of these', () => {
    for (const type of Object.keys(NOT_STATEFUL)) {
      expect({ type, listed: type in STATEFUL_TYPES || type in ANCHOR_TYPES }).toEqual({ type, listed: false });
    }
    for (const type of Object.keys(ANCHOR_TYPES)) expect({ type, stateful: type in STATEFUL_TYPES }).toEqual({ type, stateful: false });
  });
});

describe('retention and deletion protection', () => {
  test('pass a retained key and a snapshotted, protected database', () => {
    expect(retentionProblems([stack()])).toEqual([]);
    expect(deletionProtectionProblems([stack()])).toEqual([]);
  });

  test('fail a stateful resource deleted or replaced with its stack, naming the policy', () => {
    const bare = stack({ LogGroupF5B46931: { Type: 'AWS::Logs::LogGroup', UpdateReplacePolicy: 'Retain' } });
    expect(retentionProblems([bare])).toEqual([
      'prod: hydraulic-prod-data-stores/LogGroupF5B46931 (AWS::Logs::LogGroup) has DeletionPolicy Delete (the default); it must be one of Retain, RetainExceptOnCreate, Snapshot (lost otherwise: audit evidence kept for the configured retention)',
    ]);
  });

  test('fail a resource without the deletion protection its service offers', () => {
    const unprotected = stack({
      DatabaseInstanceAA8A5FDE: {
        Type: 'AWS::RDS::DBInstance',
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
        Properties: {},
      },
      LogGroupF5B46931: {
        Type: 'AWS::Logs::LogGroup',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { DeletionProtectionEnabled: false },
      },
    });
    expect(deletionProtectionProblems([unprotected])).toEqual([
      'prod: hydraulic-prod-data-stores/DatabaseInstanceAA8A5FDE (AWS::RDS::DBInstance) has DeletionProtection undefined; it must be true',
      'prod: hydraulic-prod-data-stores/LogGroupF5B46931 (AWS::Logs::LogGroup) has DeletionProtectionEnabled false; it must be true',
    ]);
  });
});
