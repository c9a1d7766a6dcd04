import { DESIGN } from '../design-document';
import { isTrue, objectEvidence, type ControlDefinition } from './control';

const AREA = 'Deletion protection and retention';

/** Stateful resource types, and the deletion policies that keep their data. */
const STATEFUL_TYPES: Readonly<Record<string, readonly string[]>> = {
  'AWS::KMS::Key': ['Retain'],
  'AWS::SecretsManager::Secret': ['Retain'],
  'AWS::RDS::DBInstance': ['Snapshot', 'Retain'],
  'AWS::ElastiCache::ReplicationGroup': ['Snapshot', 'Retain'],
  'AWS::Logs::LogGroup': ['Retain'],
  'AWS::S3::Bucket': ['Retain'],
  'AWS::Backup::BackupVault': ['Retain'],
  'AWS::ECR::Repository': ['Retain'],
};

/** Deletion protection, deletion and replacement policies, backups, locks and retention. */
export const RETENTION_CONTROLS: readonly ControlDefinition[] = [
  {
    id: 'retention.deletion-policies',
    area: AREA,
    control: 'Stateful resources keep their data when deleted or replaced',
    expectation: 'DeletionPolicy and UpdateReplacePolicy Retain (Snapshot for the database and the cache)',
    designSection: DESIGN.incidentResponse,
    evaluate: (context) =>
      Object.entries(STATEFUL_TYPES).flatMap(([type, kept]) =>
        context.resources.ofType(type).map((resource) => {
          const { DeletionPolicy = 'Delete', UpdateReplacePolicy = 'Delete' } = resource.resource;
          return context.judge(
            resource,
            `${type.split('::').slice(1).join('::')}: DeletionPolicy ${DeletionPolicy}, UpdateReplacePolicy ${UpdateReplacePolicy}`,
            kept.includes(DeletionPolicy) && kept.includes(UpdateReplacePolicy),
          );
        }),
      ),
  },
  {
    id: 'retention.database',
    area: AREA,
    control: 'The database refuses deletion and keeps point-in-time backups',
    expectation: 'DeletionProtection on, automated backups of at least 7 days kept after deletion',
    designSection: DESIGN.incidentResponse,
    evaluate: (context) =>
      context.resources.ofType('AWS::RDS::DBInstance').flatMap((instance) => {
        const p = instance.resource.Properties ?? {};
        return [
          context.judge(instance, `DeletionProtection ${String(p.DeletionProtection ?? false)}`, isTrue(p.DeletionProtection), [
            'RDS10',
            'RDSInstanceDeletionProtectionEnabled',
          ]),
          context.judge(
            instance,
            `BackupRetentionPeriod ${String(p.BackupRetentionPeriod)} days; DeleteAutomatedBackups ${String(p.DeleteAutomatedBackups ?? true)}`,
            Number(p.BackupRetentionPeriod) >= 7 && p.DeleteAutomatedBackups === false,
          ),
        ];
      }),
  },
  {
    id: 'retention.cache',
    area: AREA,
    control: 'The cache keeps daily snapshots',
    expectation: 'SnapshotRetentionLimit of at least 15 days',
    designSection: DESIGN.incidentResponse,
    evaluate: (context) =>
      context.resources.ofType('AWS::ElastiCache::ReplicationGroup').map((group) => {
        const days = Number(group.resource.Properties?.SnapshotRetentionLimit ?? 0);
        return context.judge(group, `SnapshotRetentionLimit ${days} days`, days >= 15);
      }),
  },
  {
    id: 'retention.termination-protection',
    area: AREA,
    control: 'Stacks holding data have termination protection',
    expectation: 'shown per stack; the configuration decides it for the data stores (dataStores.terminationProtection)',
    designSection: DESIGN.incidentResponse,
    evaluate: (context) =>
      context.stage.stacks.map((stack) => ({
        resource: `stack ${stack.id} (${stack.stackName})`,
        value: `termination protection ${stack.terminationProtection ? 'on' : 'off'}`,
        status: 'informational' as const,
      })),
  },
  {
    id: 'retention.backup',
    area: AREA,
    control: 'Backups in a locked vault, copied, and restore-tested quarterly',
    expectation: 'a vault lock, a plan with retention (and a copy when configured), a restore testing plan',
    designSection: DESIGN.postProduction,
    evaluate: (context) => [
      ...context.resources.ofType('AWS::Backup::BackupVault').map((vault) => {
        const lock = vault.resource.Properties?.LockConfiguration;
        const mode = lock?.ChangeableForDays === undefined ? 'governance' : `compliance after ${lock.ChangeableForDays} days`;
        return context.judge(
          vault,
          lock ? `vault lock ${mode}, ${lock.MinRetentionDays} to ${lock.MaxRetentionDays} days` : 'no vault lock',
          lock !== undefined,
        );
      }),
      ...context.resources
        .ofType('AWS::Backup::BackupPlan')
        .flatMap((plan) =>
          ((plan.resource.Properties?.BackupPlan?.BackupPlanRule ?? []) as any[]).map((rule) =>
            context.judge(
              plan,
              `${rule.ScheduleExpression}, kept ${rule.Lifecycle?.DeleteAfterDays} days${(rule.CopyActions ?? []).length > 0 ? `, copied to ${rule.CopyActions.map((copy: any) => copy.DestinationBackupVaultArn).join(', ')}` : ''}`,
              Number(rule.Lifecycle?.DeleteAfterDays) > 0,
            ),
          ),
        ),
      ...context.resources
        .ofType('AWS::Backup::RestoreTestingPlan')
        .map((plan) =>
          context.judge(
            plan,
            `restore test ${plan.resource.Properties?.ScheduleExpression}`,
            plan.resource.Properties?.ScheduleExpression !== undefined,
          ),
        ),
    ],
  },
  {
    id: 'retention.audit-archive',
    area: AREA,
    control: 'The audit archive is immutable',
    expectation: 'S3 Object Lock in compliance mode for at least 365 days, versioning on',
    designSection: DESIGN.auditLogging,
    evaluate: (context) =>
      context.resources
        .ofType('AWS::S3::Bucket')
        .filter((bucket) => bucket.resource.Properties?.ObjectLockEnabled !== undefined)
        .map((bucket) => {
          const retention = bucket.resource.Properties?.ObjectLockConfiguration?.Rule?.DefaultRetention ?? {};
          const days = Number(retention.Days ?? (retention.Years ?? 0) * 365);
          return context.judge(
            bucket,
            `Object Lock ${retention.Mode ?? 'off'} ${days} days`,
            retention.Mode === 'COMPLIANCE' && days >= 365,
          );
        }),
  },
  {
    id: 'retention.load-balancer',
    area: AREA,
    control: 'The ALB refuses deletion',
    expectation: 'deletion_protection.enabled true on the ALB (IngressClassParams)',
    designSection: DESIGN.defenseNetwork,
    evaluate: (context) =>
      context.kind('IngressClassParams').map((params) => {
        const value = ((params.spec?.loadBalancerAttributes ?? []) as { key: string; value: string }[]).find(
          (a) => a.key === 'deletion_protection.enabled',
        )?.value;
        return objectEvidence(params, `deletion_protection.enabled ${value ?? 'unset'}`, value === 'true' ? 'met' : 'not met');
      }),
  },
];
