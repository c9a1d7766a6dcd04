import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/** The staging label of the version clients read. */
export const AWSCURRENT = 'AWSCURRENT';
/** The staging label of the version being rotated in. */
export const AWSPENDING = 'AWSPENDING';

/** What a rotation needs to know about a secret, from DescribeSecret. */
export interface SecretDescription {
  readonly rotationEnabled: boolean;
  /** When the last rotation completed; undefined before the first. */
  readonly lastRotatedDate?: Date;
  /** Every labelled version and its staging labels. */
  readonly stagesByVersion: Readonly<Record<string, readonly string[]>>;
}

/** One version of a secret with its value. */
export interface SecretVersion {
  readonly versionId: string;
  readonly value: string;
  readonly createdDate: Date;
}

/** A version as ListSecretVersionIds lists it (labelled or not). */
export interface VersionSummary {
  readonly versionId: string;
  readonly createdDate: Date;
  readonly stages: readonly string[];
}

/**
 * The Secrets Manager calls a rotation makes, for the one secret the function was built for.
 * Every SDK error (throttling, access denied) propagates: a step that cannot do its work fails.
 */
export class SecretStore {
  constructor(
    private readonly client: SecretsManagerClient,
    /** The ARN of the secret. */
    public readonly secretId: string,
  ) {}

  /** Rotation state and staging labels. */
  public async describe(): Promise<SecretDescription> {
    const out = await this.client.send(new DescribeSecretCommand({ SecretId: this.secretId }));
    return {
      rotationEnabled: out.RotationEnabled === true,
      lastRotatedDate: out.LastRotatedDate,
      stagesByVersion: out.VersionIdsToStages ?? {},
    };
  }

  /** The version clients read now. */
  public async current(): Promise<SecretVersion> {
    const version = await this.get({ VersionStage: AWSCURRENT });
    if (!version) throw new Error(`${this.secretId} has no ${AWSCURRENT} version`);
    return version;
  }

  /** The pending version with this id, or undefined while it has no value yet. */
  public async pending(versionId: string): Promise<SecretVersion | undefined> {
    return this.get({ VersionId: versionId, VersionStage: AWSPENDING });
  }

  /** A version by id, labelled or not. */
  public async version(versionId: string): Promise<SecretVersion | undefined> {
    return this.get({ VersionId: versionId });
  }

  /** Every version Secrets Manager still keeps, including unlabelled (deprecated) ones. */
  public async versions(): Promise<VersionSummary[]> {
    const summaries: VersionSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListSecretVersionIdsCommand({ SecretId: this.secretId, IncludeDeprecated: true, NextToken: nextToken }),
      );
      for (const entry of page.Versions ?? []) {
        if (entry.VersionId && entry.CreatedDate) {
          summaries.push({ versionId: entry.VersionId, createdDate: entry.CreatedDate, stages: entry.VersionStages ?? [] });
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return summaries;
  }

  /** Stores the value of the pending version (createSecret). */
  public async putPending(versionId: string, value: string, rotationToken?: string): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: this.secretId,
        ClientRequestToken: versionId,
        SecretString: value,
        VersionStages: [AWSPENDING],
        ...(rotationToken === undefined ? {} : { RotationToken: rotationToken }),
      }),
    );
  }

  /**
   * Stores a new version and makes it current at once. Only settling uses it, to drop a
   * retired key from a value whose current key has already passed its tests. Retrying with
   * the same version id and value does nothing.
   */
  public async putCurrent(versionId: string, value: string): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: this.secretId,
        ClientRequestToken: versionId,
        SecretString: value,
        VersionStages: [AWSCURRENT],
      }),
    );
  }

  /** Moves `AWSCURRENT` (finishSecret); Secrets Manager moves `AWSPREVIOUS` with it. */
  public async moveCurrent(toVersionId: string, fromVersionId: string): Promise<void> {
    await this.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: this.secretId,
        VersionStage: AWSCURRENT,
        MoveToVersionId: toVersionId,
        RemoveFromVersionId: fromVersionId,
      }),
    );
  }

  private async get(selector: { VersionId?: string; VersionStage?: string }): Promise<SecretVersion | undefined> {
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId, ...selector }));
      if (out.SecretString === undefined || !out.VersionId) throw new Error(`${this.secretId} has a version without a string value`);
      return { versionId: out.VersionId, value: out.SecretString, createdDate: out.CreatedDate ?? new Date(0) };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }
}

/** The id of the version that carries a label, if any. */
export function versionWithStage(description: SecretDescription, stage: string): string | undefined {
  return Object.entries(description.stagesByVersion).find(([, stages]) => stages.includes(stage))?.[0];
}
