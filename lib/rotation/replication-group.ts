import { DescribeReplicationGroupsCommand, ModifyReplicationGroupCommand, type ElastiCacheClient } from '@aws-sdk/client-elasticache';

/** Where clients reach a cluster-mode-disabled replication group. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
}

/** What AUTH token rotation needs to know about a replication group. */
export interface ReplicationGroupState {
  readonly status: string;
  readonly endpoint: RedisEndpoint;
  /** When the AUTH token last changed (ROTATE or SET); the epoch if never. */
  readonly authTokenLastModified: Date;
}

/** How the AUTH token changes: ROTATE adds a second accepted token, SET keeps only the given one. */
export type AuthTokenUpdateStrategy = 'ROTATE' | 'SET';

/** The ElastiCache calls of AUTH token rotation, for one replication group. */
export class ReplicationGroup {
  constructor(
    private readonly client: ElastiCacheClient,
    /** The replication group id, from the naming module. */
    public readonly id: string,
  ) {}

  /**
   * The group's state. Throws when the group cannot take an AUTH token safely: no in-transit
   * encryption (the token would cross the network in clear), AUTH off, or cluster mode on.
   */
  public async describe(): Promise<ReplicationGroupState> {
    const out = await this.client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: this.id }));
    const group = out.ReplicationGroups?.[0];
    if (!group) throw new Error(`Replication group ${this.id} does not exist`);
    if (group.TransitEncryptionEnabled !== true)
      throw new Error(`Replication group ${this.id} has no in-transit encryption; refusing to send it an AUTH token`);
    if (group.AuthTokenEnabled !== true) throw new Error(`Replication group ${this.id} does not use an AUTH token`);
    const primary = group.NodeGroups?.[0]?.PrimaryEndpoint;
    if (group.ClusterEnabled === true || !primary?.Address || !primary.Port) {
      throw new Error(`Replication group ${this.id} has no primary endpoint; AUTH token rotation needs cluster mode disabled`);
    }
    return {
      status: group.Status ?? 'unknown',
      endpoint: { host: primary.Address, port: primary.Port },
      authTokenLastModified: group.AuthTokenLastModifiedDate ?? new Date(0),
    };
  }

  /** Changes the AUTH token now (not in the maintenance window). */
  public async updateAuthToken(token: string, strategy: AuthTokenUpdateStrategy): Promise<void> {
    await this.client.send(
      new ModifyReplicationGroupCommand({
        ReplicationGroupId: this.id,
        AuthToken: token,
        AuthTokenUpdateStrategy: strategy,
        ApplyImmediately: true,
      }),
    );
  }
}
