import {
  DescribeSecretCommand,
  InvalidRequestException,
  ListSecretsCommand,
  ResourceNotFoundException,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { FakeClock } from './fake-clock';

/** How a fake secret's rotation behaves once RotateSecret is called. */
export type RotationBehaviour = 'completes' | 'hangs';

interface FakeSecret {
  name: string;
  arn: string;
  rotationEnabled: boolean;
  createdDate: Date;
  lastRotatedDate?: Date;
  automaticallyAfterDays: number;
  versions: Record<string, string[]>;
  tags: { Key: string; Value: string }[];
  behaviour: RotationBehaviour;
  /** RotateSecret calls refused with "a previous rotation isn't complete" before one is accepted. */
  conflicts: number;
  /** DescribeSecret calls a rotation (or a pending version present from the start) takes to finish. */
  finishesAfter: number;
  pending?: { version: string; describes: number };
}

/**
 * Secrets Manager for the tool's tests, behind aws-sdk-client-mock: ListSecrets with its
 * (case-insensitive prefix) filters, DescribeSecret with staging labels, RotateSecret that stages
 * AWSPENDING and finishes (or not) a few DescribeSecret calls later.
 */
export class FakeSecretsManager {
  public readonly mock = mockClient(SecretsManagerClient);
  public readonly client = new SecretsManagerClient({ region: 'eu-central-1' });
  public readonly rotateCalls: string[] = [];
  private readonly secrets = new Map<string, FakeSecret>();

  constructor(private readonly clock: FakeClock) {
    this.mock.on(ListSecretsCommand).callsFake((input) => {
      const prefix = input.Filters?.find((filter: { Key: string }) => filter.Key === 'name')?.Values?.[0]?.toLowerCase() ?? '';
      return {
        SecretList: [...this.secrets.values()]
          .filter((secret) => secret.name.toLowerCase().startsWith(prefix))
          .map((secret) => ({ Name: secret.name, ARN: secret.arn, Tags: secret.tags })),
      };
    });
    this.mock.on(DescribeSecretCommand).callsFake((input) => this.describe(input.SecretId));
    this.mock.on(RotateSecretCommand).callsFake((input) => this.rotate(input.SecretId, input.ClientRequestToken));
  }

  /** Adds a secret rotated `days` days ago (never, when undefined; created 400 days ago). */
  public add(name: string, days: number | undefined, options: Partial<Omit<FakeSecret, 'name' | 'arn'>> = {}): void {
    const arn = `arn:aws:secretsmanager:eu-central-1:111111111111:secret:${name}-AbCdEf`;
    this.secrets.set(arn, {
      name,
      arn,
      rotationEnabled: true,
      createdDate: new Date(this.clock.now().getTime() - 400 * 86_400_000),
      lastRotatedDate: days === undefined ? undefined : new Date(this.clock.now().getTime() - days * 86_400_000),
      automaticallyAfterDays: 30,
      versions: { v1: ['AWSCURRENT'] },
      tags: [
        { Key: 'project', Value: 'hydraulic' },
        { Key: 'stage', Value: 'dev' },
      ],
      behaviour: 'completes',
      conflicts: 0,
      finishesAfter: 2,
      ...options,
    });
  }

  /** Leaves an unfinished rotation behind: `version` staged AWSPENDING only. */
  public leavePending(name: string, version: string, behaviour: RotationBehaviour): void {
    const secret = this.byName(name);
    secret.versions[version] = ['AWSPENDING'];
    secret.behaviour = behaviour;
    secret.pending = { version, describes: 0 };
  }

  public byName(name: string): FakeSecret {
    const secret = [...this.secrets.values()].find((candidate) => candidate.name === name);
    if (!secret) throw new Error(`no fake secret ${name}`);
    return secret;
  }

  private rotate(secretId: string, token: string) {
    const secret = this.find(secretId);
    this.rotateCalls.push(secret.name);
    if (secret.conflicts > 0) {
      secret.conflicts--;
      throw new InvalidRequestException({
        message: "A previous rotation isn't complete. That rotation will be reattempted.",
        $metadata: {},
      });
    }
    if (secret.pending) throw new InvalidRequestException({ message: "A previous rotation isn't complete.", $metadata: {} });
    secret.versions[token] = ['AWSPENDING'];
    secret.pending = { version: token, describes: 0 };
    return { ARN: secret.arn, Name: secret.name, VersionId: token };
  }

  private describe(secretId: string) {
    const secret = this.find(secretId);
    if (secret.pending && secret.behaviour === 'completes' && ++secret.pending.describes > secret.finishesAfter) {
      const version = secret.pending.version;
      for (const [id, stages] of Object.entries(secret.versions)) {
        secret.versions[id] = stages.filter((stage) => stage !== 'AWSCURRENT' && stage !== 'AWSPENDING' && stage !== 'AWSPREVIOUS');
        if (stages.includes('AWSCURRENT')) secret.versions[id].push('AWSPREVIOUS');
      }
      secret.versions[version] = ['AWSCURRENT'];
      secret.lastRotatedDate = this.clock.now();
      secret.pending = undefined;
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      RotationEnabled: secret.rotationEnabled,
      RotationRules: { AutomaticallyAfterDays: secret.automaticallyAfterDays },
      CreatedDate: secret.createdDate,
      LastRotatedDate: secret.lastRotatedDate,
      VersionIdsToStages: structuredClone(secret.versions),
      Tags: secret.tags,
    };
  }

  private find(secretId: string): FakeSecret {
    const secret = this.secrets.get(secretId) ?? [...this.secrets.values()].find((candidate) => candidate.name === secretId);
    if (!secret)
      throw new ResourceNotFoundException({ message: `Secrets Manager can't find the specified secret: ${secretId}`, $metadata: {} });
    return secret;
  }
}
