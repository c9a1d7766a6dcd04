import { DescribeSecretCommand, type Filter, paginateListSecrets, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ToolError, explainAwsError } from './errors';
import type { SecretFacts } from './secret-status';

/** How the project's secrets are found: by name prefix, by tags, or both (all must match). */
export interface SecretSelector {
  /** Every secret whose name starts with this, e.g. `hydraulic/dev/` (case-sensitive). */
  readonly prefix?: string;
  /** Every secret carrying all these tags with exactly these values, e.g. `{ project: 'hydraulic', stage: 'dev' }`. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Finds the project's secrets with ListSecrets. The service's filters match name prefixes
 * without regard to case and tag keys and values separately, so each entry is checked again
 * here, exactly. Secrets scheduled for deletion are left out.
 *
 * @returns the secrets' ARNs, sorted by name
 */
export async function discoverSecrets(client: SecretsManagerClient, selector: SecretSelector): Promise<{ name: string; arn: string }[]> {
  const tags = Object.entries(selector.tags ?? {});
  if (!selector.prefix && tags.length === 0) {
    throw new ToolError('Name a --prefix or at least one --tag: without one, every secret of the account would be rotated', 'usage');
  }
  const filters: Filter[] = [];
  if (selector.prefix) filters.push({ Key: 'name', Values: [selector.prefix] });
  for (const [key, value] of tags) filters.push({ Key: 'tag-key', Values: [key] }, { Key: 'tag-value', Values: [value] });

  const found: { name: string; arn: string }[] = [];
  try {
    for await (const page of paginateListSecrets({ client }, { Filters: filters, IncludePlannedDeletion: false, MaxResults: 100 })) {
      for (const entry of page.SecretList ?? []) {
        if (!entry.Name || !entry.ARN || entry.DeletedDate) continue;
        if (selector.prefix && !entry.Name.startsWith(selector.prefix)) continue;
        const entryTags = new Map((entry.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
        if (tags.some(([key, value]) => entryTags.get(key) !== value)) continue;
        found.push({ name: entry.Name, arn: entry.ARN });
      }
    }
  } catch (error) {
    throw explainAwsError(error, 'secretsmanager:ListSecrets', describeSelector(selector));
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** What DescribeSecret says about one secret's rotation, reduced to what the status needs. */
export async function describeSecret(client: SecretsManagerClient, secretId: string): Promise<SecretFacts> {
  try {
    const out = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    return {
      name: out.Name ?? secretId,
      arn: out.ARN ?? secretId,
      rotationEnabled: out.RotationEnabled === true,
      lastRotatedDate: out.LastRotatedDate,
      createdDate: out.CreatedDate,
      nextRotationDate: out.NextRotationDate,
      automaticallyAfterDays: out.RotationRules?.AutomaticallyAfterDays,
      scheduleExpression: out.RotationRules?.ScheduleExpression,
      versionStages: out.VersionIdsToStages ?? {},
      owningService: out.OwningService,
    };
  } catch (error) {
    throw explainAwsError(error, 'secretsmanager:DescribeSecret', secretId);
  }
}

/** The selector in words, for messages and audit events. */
export function describeSelector(selector: SecretSelector): string {
  const parts = [
    ...(selector.prefix ? [`name prefix ${selector.prefix}`] : []),
    ...Object.entries(selector.tags ?? {}).map(([key, value]) => `tag ${key}=${value}`),
  ];
  return parts.join(', ');
}
