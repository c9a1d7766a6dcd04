import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

interface Version {
  value?: string;
  created: Date;
  stages: Set<string>;
}

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:hydraulic/dev/test-AbCdEf';

/**
 * One secret with Secrets Manager's version and staging-label rules, behind an
 * aws-sdk-client-mock of SecretsManagerClient: what the real service would answer each call.
 */
export class FakeSecretsManager {
  public readonly mock = mockClient(SecretsManagerClient);
  public readonly client = new SecretsManagerClient({ region: 'eu-central-1' });
  public rotationEnabled = true;
  public lastRotatedDate: Date | undefined;
  public now = new Date('2026-01-01T00:00:00Z');
  private readonly versions = new Map<string, Version>();

  constructor(initialVersionId: string, initialValue: string) {
    this.versions.set(initialVersionId, { value: initialValue, created: this.tick(), stages: new Set(['AWSCURRENT']) });
    this.install();
  }

  /** What RotateSecret does first: a version without a value, staged AWSPENDING. */
  public startRotation(versionId: string): void {
    this.moveStage('AWSPENDING', versionId);
    this.versions.set(versionId, { created: this.tick(), stages: new Set(['AWSPENDING']) });
  }

  /** What Secrets Manager records when the four steps succeed. */
  public completeRotation(): void {
    this.lastRotatedDate = this.tick();
  }

  public advance(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }

  public valueAt(stage: string): string | undefined {
    return [...this.versions.values()].find((v) => v.stages.has(stage))?.value;
  }

  public versionIdAt(stage: string): string | undefined {
    return [...this.versions].find(([, v]) => v.stages.has(stage))?.[0];
  }

  public createdDate(versionId: string): Date {
    return this.versions.get(versionId)!.created;
  }

  /** Restores every handler after a test replaced one (e.g. with a throttling error). */
  public reset(): void {
    this.mock.reset();
    this.install();
  }

  private install(): void {
    this.mock.on(DescribeSecretCommand).callsFake(() => this.describe());
    this.mock.on(GetSecretValueCommand).callsFake((input) => this.get(input));
    this.mock.on(PutSecretValueCommand).callsFake((input) => this.put(input));
    this.mock.on(UpdateSecretVersionStageCommand).callsFake((input) => this.updateStage(input));
    this.mock.on(ListSecretVersionIdsCommand).callsFake(() => ({
      Versions: [...this.versions].map(([id, v]) => ({ VersionId: id, CreatedDate: v.created, VersionStages: [...v.stages] })),
    }));
  }

  private tick(): Date {
    this.now = new Date(this.now.getTime() + 1000);
    return this.now;
  }

  private describe() {
    const stages = Object.fromEntries([...this.versions].filter(([, v]) => v.stages.size > 0).map(([id, v]) => [id, [...v.stages]]));
    return { ARN: SECRET_ARN, RotationEnabled: this.rotationEnabled, LastRotatedDate: this.lastRotatedDate, VersionIdsToStages: stages };
  }

  private get(input: { VersionId?: string; VersionStage?: string }) {
    const entry = input.VersionId
      ? ([input.VersionId, this.versions.get(input.VersionId)] as const)
      : [...this.versions].find(([, v]) => v.stages.has(input.VersionStage ?? 'AWSCURRENT'));
    const [id, version] = entry ?? [];
    if (!id || !version || version.value === undefined || (input.VersionStage && !version.stages.has(input.VersionStage))) {
      throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value", $metadata: {} });
    }
    return {
      ARN: SECRET_ARN,
      VersionId: id,
      SecretString: version.value,
      CreatedDate: version.created,
      VersionStages: [...version.stages],
    };
  }

  private put(input: { ClientRequestToken?: string; SecretString?: string; VersionStages?: string[] }) {
    const id = input.ClientRequestToken!;
    const existing = this.versions.get(id);
    if (existing?.value !== undefined) {
      if (existing.value !== input.SecretString) {
        throw new InvalidRequestException({
          message: 'a version with this ClientRequestToken already exists with another value',
          $metadata: {},
        });
      }
      return { ARN: SECRET_ARN, VersionId: id };
    }
    const version = existing ?? { created: this.tick(), stages: new Set<string>() };
    version.value = input.SecretString;
    this.versions.set(id, version);
    for (const stage of input.VersionStages ?? ['AWSCURRENT']) this.moveStage(stage, id);
    return { ARN: SECRET_ARN, VersionId: id };
  }

  private updateStage(input: { VersionStage?: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) {
    const stage = input.VersionStage!;
    if (input.RemoveFromVersionId && !this.versions.get(input.RemoveFromVersionId)?.stages.has(stage)) {
      throw new InvalidParameterException({ message: `The staging label ${stage} is not on ${input.RemoveFromVersionId}`, $metadata: {} });
    }
    this.moveStage(stage, input.MoveToVersionId!);
    return { ARN: SECRET_ARN };
  }

  private moveStage(stage: string, toVersionId: string): void {
    const from = [...this.versions].find(([id, v]) => v.stages.has(stage) && id !== toVersionId);
    if (from) {
      from[1].stages.delete(stage);
      if (stage === 'AWSCURRENT') {
        for (const v of this.versions.values()) v.stages.delete('AWSPREVIOUS');
        from[1].stages.add('AWSPREVIOUS');
      }
    }
    this.versions.get(toVersionId)?.stages.add(stage);
    if (stage === 'AWSCURRENT') this.versions.get(toVersionId)?.stages.delete('AWSPREVIOUS');
  }
}
