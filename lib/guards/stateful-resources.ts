/**
 * The replacement guard: which resources of a synthesized app hold state, and what keeps them.
 *
 * CloudFormation identifies a resource by its stack and logical ID. A refactor that changes
 * either (a renamed construct id, a construct moved to another scope or stack) makes it create a
 * new resource and delete the old one; so does a change of type. For a database that is an empty
 * database, for a key one that cannot decrypt what the old one encrypted. The committed inventory
 * of these resources makes any such change fail a test that names the resource, until the
 * inventory is rewritten on purpose (`npm run inventory:update`).
 */

/** A CloudFormation template, as far as the guards read it. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResource>>;
}

/** A CloudFormation resource, as far as the guards read it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** One synthesized stack: its stage, its CloudFormation name and its template. */
export interface SynthesizedStack {
  readonly stage: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Whether CloudFormation refuses to delete the stack (termination protection). */
  readonly terminationProtection?: boolean;
}

/**
 * Resource types that hold data, and what a replacement or deletion would lose. These must be
 * retained (or snapshotted) when removed from a template or replaced.
 */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  'AWS::RDS::DBInstance': 'the database and its automated backups',
  'AWS::RDS::DBCluster': 'the database and its automated backups',
  'AWS::ElastiCache::ReplicationGroup': 'the revocation list and rate-limit counters; AUTH and at-rest encryption are set only at creation',
  'AWS::ElastiCache::CacheCluster': 'cached data',
  'AWS::KMS::Key': 'a new key cannot decrypt what the old one encrypted',
  'AWS::SecretsManager::Secret': 'a new secret holds new values: every client credential, the JWT keyring and the Fernet keyring are lost',
  'AWS::S3::Bucket': 'objects: the Object-Locked audit archive, access logs',
  'AWS::Logs::LogGroup': 'audit evidence kept for the configured retention',
  'AWS::Backup::BackupVault': 'recovery points',
  'AWS::ECR::Repository': 'images the cluster runs by digest',
  'AWS::DynamoDB::Table': 'items',
  'AWS::EFS::FileSystem': 'files',
  'AWS::Cognito::UserPool': 'users and their credentials',
};

/**
 * Resource types that hold no data but that a data store names or lives in: a new one (a new
 * logical ID) moves, restarts or cuts off the data store, or leaves rules that name the old
 * physical id matching nothing. Their logical IDs are a contract too; no retention is required.
 */
export const ANCHOR_TYPES: Readonly<Record<string, string>> = {
  'AWS::RDS::DBSubnetGroup': 'the database lives in it',
  'AWS::RDS::DBParameterGroup': 'the database runs with it (force_ssl, pgaudit)',
  'AWS::ElastiCache::SubnetGroup': 'the cache lives in it',
  'AWS::ElastiCache::ParameterGroup': 'the cache runs with it',
  'AWS::EC2::VPC': 'the data stores’ subnets are in it',
  'AWS::EC2::Subnet': 'the data stores’ subnet groups name it',
  'AWS::EC2::SecurityGroup': 'rules in other groups (the cluster’s, the data stores’) name it by id',
};

/**
 * Types that may look stateful but are left out of the inventory, and why: their content is
 * rewritten from the template on every deployment, or lives elsewhere.
 */
export const NOT_STATEFUL: Readonly<Record<string, string>> = {
  'AWS::SSM::Parameter': 'the data-store endpoints, written from the template on every deployment',
  'AWS::SQS::Queue':
    'the rotation dead-letter queue: failed settle events, alarmed on within minutes and recomputed by the next settle run',
  'AWS::SNS::Topic': 'no data; its subscriptions are configuration',
  'AWS::CloudTrail::Trail': 'configuration; its log files are in the inventoried archive bucket and log group',
  'AWS::KMS::Alias': 'a name; the key it names is inventoried',
};

/** Deletion and replacement policies that keep a resource's data. */
export const RETAINING_POLICIES: readonly string[] = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

/**
 * Where a service offers deletion protection on the resource itself: the property and the value
 * that turns it on. Required on every stateful resource of a production stage.
 */
export const DELETION_PROTECTION: Readonly<Record<string, { readonly property: string; readonly value: unknown }>> = {
  'AWS::RDS::DBInstance': { property: 'DeletionProtection', value: true },
  'AWS::RDS::DBCluster': { property: 'DeletionProtection', value: true },
  'AWS::Logs::LogGroup': { property: 'DeletionProtectionEnabled', value: true },
  'AWS::DynamoDB::Table': { property: 'DeletionProtectionEnabled', value: true },
  'AWS::Cognito::UserPool': { property: 'DeletionProtection', value: 'ACTIVE' },
};

/** The inventory: stage, then stack name, then logical ID, to resource type. */
export type Inventory = Record<string, Record<string, Record<string, string>>>;

/** Whether a resource type is in the inventory. */
export function isInventoried(type: string): boolean {
  return type in STATEFUL_TYPES || type in ANCHOR_TYPES;
}

/** The inventory of synthesized stacks, sorted so that it diffs well. */
export function inventoryOf(stacks: readonly SynthesizedStack[]): Inventory {
  const inventory: Inventory = {};
  for (const stack of [...stacks].sort((a, b) => `${a.stage}/${a.stackName}`.localeCompare(`${b.stage}/${b.stackName}`))) {
    const entries = Object.entries(stack.template.Resources ?? {})
      .filter(([, resource]) => isInventoried(resource.Type))
      .sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0) continue;
    inventory[stack.stage] ??= {};
    inventory[stack.stage][stack.stackName] = Object.fromEntries(entries.map(([id, resource]) => [id, resource.Type]));
  }
  return inventory;
}

/**
 * What differs between the committed inventory and the synthesized one, one message per
 * resource: a resource that disappeared or changed type (CloudFormation would replace or delete
 * it), and one that is new (to be recorded on purpose).
 */
export function inventoryDifferences(committed: Inventory, current: Inventory): string[] {
  const messages: string[] = [];
  const stages = new Set([...Object.keys(committed), ...Object.keys(current)]);
  for (const stage of [...stages].sort()) {
    const stacks = new Set([...Object.keys(committed[stage] ?? {}), ...Object.keys(current[stage] ?? {})]);
    for (const stack of [...stacks].sort()) {
      const before = committed[stage]?.[stack] ?? {};
      const after = current[stage]?.[stack] ?? {};
      for (const [id, type] of Object.entries(before)) {
        const now = after[id];
        if (now === undefined) {
          messages.push(
            `${stage}: ${stack}/${id} (${type}) is gone: CloudFormation would delete it${type in STATEFUL_TYPES ? ` (lost: ${STATEFUL_TYPES[type]})` : ''}`,
          );
        } else if (now !== type) {
          messages.push(`${stage}: ${stack}/${id} changed type from ${type} to ${now}: CloudFormation would replace it`);
        }
      }
      for (const [id, type] of Object.entries(after)) {
        if (!(id in before))
          messages.push(`${stage}: ${stack}/${id} (${type}) is new: record it in the inventory with npm run inventory:update`);
      }
    }
  }
  return messages;
}

/** Stateful resources whose data would not survive their removal from a template or a replacement. */
export function retentionProblems(stacks: readonly SynthesizedStack[]): string[] {
  return stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources ?? {})
      .filter(([, resource]) => resource.Type in STATEFUL_TYPES)
      .flatMap(([id, resource]) =>
        (['DeletionPolicy', 'UpdateReplacePolicy'] as const)
          .filter((policy) => !RETAINING_POLICIES.includes(resource[policy] ?? 'Delete'))
          .map(
            (policy) =>
              `${stack.stage}: ${stack.stackName}/${id} (${resource.Type}) has ${policy} ${resource[policy] ?? 'Delete (the default)'}; ` +
              `it must be one of ${RETAINING_POLICIES.join(', ')} (lost otherwise: ${STATEFUL_TYPES[resource.Type]})`,
          ),
      ),
  );
}

/** Stateful resources that lack the deletion protection their service offers. */
export function deletionProtectionProblems(stacks: readonly SynthesizedStack[]): string[] {
  return stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources ?? {}).flatMap(([id, resource]) => {
      const protection = DELETION_PROTECTION[resource.Type];
      if (!protection || resource.Properties?.[protection.property] === protection.value) return [];
      return [
        `${stack.stage}: ${stack.stackName}/${id} (${resource.Type}) has ${protection.property} ${JSON.stringify(resource.Properties?.[protection.property])}; it must be ${JSON.stringify(protection.value)}`,
      ];
    }),
  );
}
