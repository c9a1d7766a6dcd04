import type { StageConfig } from './schema';

/**
 * The Secrets Manager secrets both renderers name, by purpose (the last part of the secret's
 * name): the CDK side creates them, External Secrets copies them into the cluster.
 */
export const SECRET_PURPOSES = {
  /** The HS256 signing keyring, JSON `{"current":{"kid","key"},"previous":{"kid","key"}|null}` (`lib/rotation/keyring.ts`). */
  jwtSigningKey: 'jwt-signing-key',
  /** The Fernet keyring that encrypts stored API keys (same shape as the signing keyring). */
  apiKeyEncryptionKey: 'api-key-encryption-key',
  /** The ElastiCache AUTH token, JSON `{"authToken": "..."}`. */
  redisAuthToken: 'redis-auth-token',
  /** The database's credentials, JSON with `username` and `password`. */
  databaseCredentials: 'database-credentials',
} as const;

/** The database users whose credentials a hosted rotation function rotates. */
export const DATABASE_ROTATION_USERS = ['admin', 'application'] as const;

/**
 * The SSM parameters (type String: endpoints, not secrets) the data-stores stack writes and
 * External Secrets reads, by path below the stage's parameter prefix.
 */
export const PARAMETER_PATHS = {
  /** The Redis primary endpoint's host name. */
  redisHost: 'redis/host',
  /** The Redis port. */
  redisPort: 'redis/port',
  /** `true` when Redis requires TLS (always, in this project). */
  redisTls: 'redis/tls',
  /** The database endpoint's host name. */
  databaseHost: 'database/host',
  /** The database port. */
  databasePort: 'database/port',
} as const;

/**
 * Every physical name that more than one place needs: the CDK stacks that create a thing
 * and the cdk8s charts (or operators) that find it by name. Both renderers call this one
 * module, so a name is never copied by hand from a CloudFormation output into a manifest.
 *
 * Names are built from `project` and `stage`, both DNS labels, so each is valid wherever
 * it is used (IAM, Secrets Manager, SSM, KMS, WAF, CloudWatch Logs, Kubernetes).
 */
export class Naming {
  /** `<project>-<stage>`: the prefix of every resource name. */
  public readonly prefix: string;

  constructor(private readonly config: Pick<StageConfig, 'project' | 'stage'>) {
    this.prefix = `${config.project}-${config.stage}`;
  }

  /** The CloudFormation stack name for one concern, e.g. `hydraulic-dev-network`. */
  public stackName(concern: string): string {
    return this.checked(`${this.prefix}-${concern}`, 128, 'CloudFormation stack name');
  }

  /** A Secrets Manager secret name, e.g. `hydraulic/dev/jwt-signing-key`. */
  public secretName(purpose: string): string {
    return this.checked(`${this.config.project}/${this.config.stage}/${purpose}`, 512, 'secret name');
  }

  /** The prefix every project secret name starts with, for IAM conditions and discovery. */
  public get secretNamePrefix(): string {
    return `${this.config.project}/${this.config.stage}/`;
  }

  /** An SSM Parameter Store name, e.g. `/hydraulic/dev/redis/host`. */
  public parameterName(path: string): string {
    return this.checked(`${this.parameterPrefix}${path}`, 1011, 'SSM parameter name');
  }

  /** The prefix every project parameter name starts with. */
  public get parameterPrefix(): string {
    return `/${this.config.project}/${this.config.stage}/`;
  }

  /** An IAM role name, e.g. `hydraulic-dev-external-secrets`. */
  public roleName(purpose: string): string {
    return this.checked(`${this.prefix}-${purpose}`, 64, 'IAM role name');
  }

  /** A KMS alias, e.g. `alias/hydraulic/dev/logs`. */
  public keyAlias(purpose: string): string {
    return this.checked(`alias/${this.config.project}/${this.config.stage}/${purpose}`, 256, 'KMS alias');
  }

  /** A CloudWatch Logs group name, e.g. `/hydraulic/dev/vpc-flow-logs`. */
  public logGroupName(purpose: string): string {
    return this.checked(`${this.logGroupPrefix}${purpose}`, 512, 'log group name');
  }

  /** The prefix of every log group the project names itself. */
  public get logGroupPrefix(): string {
    return `/${this.config.project}/${this.config.stage}/`;
  }

  /** The WAF web ACL's name; the cluster's ALB Ingress attaches it by this name. */
  public get webAclName(): string {
    return this.checked(`${this.prefix}-edge`, 128, 'WAF web ACL name');
  }

  /**
   * The WAF logging log group. WAF only delivers to groups whose name starts with `aws-waf-logs-`.
   */
  public get webAclLogGroupName(): string {
    return this.checked(`aws-waf-logs-${this.prefix}`, 512, 'log group name');
  }

  /**
   * Every log group name pattern the logs key may encrypt: the project's prefix, the WAF
   * logging group (WAF insists on its own `aws-waf-logs-` prefix) and the database's exported
   * logs (RDS insists on `/aws/rds/instance/<id>/`), the one instance's groups only.
   */
  public get logGroupNamePatterns(): string[] {
    return [
      `${this.logGroupPrefix}*`,
      this.webAclLogGroupName,
      `${this.databaseLogGroupPrefix}*`,
      ...DATABASE_ROTATION_USERS.map((user) => this.lambdaLogGroupName(this.databaseRotationFunctionName(user))),
    ];
  }

  /**
   * The name of a Secrets Manager hosted rotation function of the database's credentials, e.g.
   * `hydraulic-dev-database-admin-rotation`: named so its log group can be created beforehand,
   * encrypted and with retention.
   */
  public databaseRotationFunctionName(user: (typeof DATABASE_ROTATION_USERS)[number]): string {
    return this.checked(`${this.prefix}-database-${user}-rotation`, 64, 'Lambda function name');
  }

  /** The log group Lambda writes a function's logs to: `/aws/lambda/<function name>`. */
  public lambdaLogGroupName(functionName: string): string {
    return this.checked(`/aws/lambda/${functionName}`, 512, 'log group name');
  }

  /**
   * The RDS instance identifier, e.g. `hydraulic-dev-database`. Chosen once: RDS names the
   * exported log groups after it, and CloudFormation replaces an instance whose identifier changes.
   */
  public get databaseInstanceId(): string {
    const id = this.checked(`${this.prefix}-database`, 63, 'RDS instance identifier');
    if (!/^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/.test(id)) {
      throw new Error(
        `The RDS instance identifier "${id}" must start with a letter and hold only lower-case letters, digits and single hyphens. Change project or stage.`,
      );
    }
    return id;
  }

  /** The prefix of the log groups RDS exports the database's logs to: `/aws/rds/instance/<id>/`. */
  public get databaseLogGroupPrefix(): string {
    return `/aws/rds/instance/${this.databaseInstanceId}/`;
  }

  /** The log group RDS exports one of the database's logs to (`postgresql`, `upgrade`). */
  public databaseLogGroupName(logType: string): string {
    return this.checked(`${this.databaseLogGroupPrefix}${logType}`, 512, 'log group name');
  }

  /**
   * The Secrets Manager secret of the database's master user, e.g.
   * `hydraulic/dev/database-admin-credentials`. Deliberately not in {@link SECRET_PURPOSES}:
   * nothing syncs it into the cluster, and the External Secrets role cannot read it.
   */
  public get databaseAdminSecretName(): string {
    return this.secretName('database-admin-credentials');
  }

  /**
   * The log group Kong's access log (JSON lines, one per request) is shipped to from the
   * cluster; the failed-authentication and authorization-failure alarms read it.
   */
  public get gatewayAccessLogGroupName(): string {
    return this.logGroupName('gateway-access');
  }

  /** The multi-region CloudTrail trail. */
  public get trailName(): string {
    return this.checked(`${this.prefix}-audit`, 128, 'CloudTrail trail name');
  }

  /** The SNS topic every security alert is published to. */
  public get alertTopicName(): string {
    return this.checked(`${this.prefix}-security-alerts`, 256, 'SNS topic name');
  }

  /** A CloudWatch alarm's name, e.g. `hydraulic-dev-root-account-use`. */
  public alarmName(purpose: string): string {
    return this.checked(`${this.prefix}-${purpose}`, 255, 'CloudWatch alarm name');
  }

  /**
   * An S3 bucket name, globally unique through the account and region, e.g.
   * `hydraulic-dev-audit-111111111111-eu-central-1`. The cluster side needs the access-log
   * bucket's name for the ALB's attributes, so it is built here rather than generated.
   */
  public bucketName(purpose: string, account: string, region: string): string {
    return this.checked(`${this.prefix}-${purpose}-${account}-${region}`, 63, 'S3 bucket name');
  }

  /**
   * The ElastiCache replication group id, e.g. `hydraulic-dev-cache`: the data-stores stack
   * creates the group under it, the AUTH token rotation finds it by it (no cross-stack reference).
   */
  public get cacheReplicationGroupId(): string {
    const id = this.checked(`${this.prefix}-cache`, 40, 'ElastiCache replication group id');
    if (!/^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/.test(id)) {
      throw new Error(
        `The ElastiCache replication group id "${id}" must start with a letter and hold only lower-case letters, digits and single hyphens. Change project or stage.`,
      );
    }
    return id;
  }

  /**
   * The bucket for access logs that AWS services deliver only with S3-managed keys: the ALB's
   * (under {@link loadBalancerLogPrefix}, which its policy admits Elastic Load Balancing to) and the
   * audit archive's S3 server access logs. The audit stack creates it; the cluster's ALB Ingress
   * names it in its attributes.
   */
  public accessLogBucketName(account: string, region: string): string {
    return this.bucketName('access-logs', account, region);
  }

  /** The key prefix the ALB writes its access logs under in the access-log bucket. */
  public get loadBalancerLogPrefix(): string {
    return 'alb';
  }

  /** An ECR repository name, e.g. `hydraulic/dev/rotation-tool`. */
  public imageRepositoryName(image: string): string {
    return this.checked(`${this.config.project}/${this.config.stage}/${image}`, 256, 'ECR repository name');
  }

  /** The AWS Backup vault in the stage's region. */
  public get backupVaultName(): string {
    return this.checked(`${this.prefix}-backups`, 50, 'backup vault name');
  }

  /** The AWS Backup vault in the disaster-recovery region that every recovery point is copied to. */
  public get disasterRecoveryVaultName(): string {
    return this.checked(`${this.prefix}-backups-dr`, 50, 'backup vault name');
  }

  /** The AWS Backup restore testing plan (letters, digits and underscores only). */
  public get restoreTestingPlanName(): string {
    return this.checked(`${this.prefix}-restore-test`.replace(/-/g, '_'), 50, 'restore testing plan name');
  }

  /** The name of a cluster-scoped Kubernetes object, which must not collide across stages. */
  public clusterObjectName(purpose: string): string {
    return this.checked(`${this.prefix}-${purpose}`, 63, 'Kubernetes object name');
  }

  /** The tag every AWS resource carries so tools find the project's resources by tag. */
  public get tags(): Record<string, string> {
    return { project: this.config.project, stage: this.config.stage };
  }

  private checked(name: string, maxLength: number, what: string): string {
    if (name.length > maxLength) {
      throw new Error(
        `The ${what} "${name}" is ${name.length} characters long; at most ${maxLength} are allowed. Shorten project or stage.`,
      );
    }
    return name;
  }
}
