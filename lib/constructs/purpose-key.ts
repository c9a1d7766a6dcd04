import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Key management actions for the account's administrators. Deliberately no data-plane action
 * (Encrypt, Decrypt, GenerateDataKey) and no CreateGrant: using a key is granted per service.
 */
const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
  'kms:Enable*',
  'kms:Disable*',
  'kms:Put*',
  'kms:Update*',
  'kms:RevokeGrant',
  'kms:RetireGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** Properties of a {@link PurposeKey}. */
export interface PurposeKeyProps {
  /** The KMS alias, from the naming module. */
  readonly alias: string;
  /** What the key protects, shown in the KMS console. */
  readonly description: string;
  /** Days between automatic rotations of the key material (90 to 2560). */
  readonly rotationDays: number;
  /**
   * Key policy statements granting use of the key to the services that need it.
   * The account's administrators only manage the key; they cannot use it.
   */
  readonly usage: iam.PolicyStatement[];
}

/**
 * A customer-managed KMS key for one purpose, with its own policy: rotation on,
 * retained when its stack is deleted, and usable only by the services named in `usage`.
 */
export class PurposeKey extends Construct {
  /** The key. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PurposeKeyProps) {
    super(scope, id);
    if (!Number.isInteger(props.rotationDays) || props.rotationDays < 90 || props.rotationDays > 2560) {
      throw new Error(`KMS rotation must be 90 to 2560 days; got ${props.rotationDays}`);
    }
    if (props.usage.length === 0) {
      throw new Error(`The key ${props.alias} grants no service its use; name at least one usage statement`);
    }
    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'KeyAdministration',
          principals: [new iam.AccountRootPrincipal()],
          actions: KEY_ADMINISTRATION_ACTIONS,
          resources: ['*'],
        }),
        ...props.usage,
        // Grants are how a service uses a key in the background (RDS, AWS Backup); nobody else
        // may create one, whatever an IAM policy allows (Control Tower CT.KMS.PR.3).
        new iam.PolicyStatement({
          sid: 'GrantsOnlyForAwsResources',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        }),
      ],
    });
    this.key = new kms.Key(this, 'Resource', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(props.rotationDays),
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy,
    });
  }
}

/**
 * The key policy statement that lets CloudWatch Logs use a key, only for log groups whose
 * ARN matches one of the given name patterns (the encryption context CloudWatch Logs sends).
 */
export function cloudWatchLogsUsage(scope: Construct, logGroupNamePatterns: string[]): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid: 'CloudWatchLogsProjectLogGroups',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': logGroupNamePatterns.map(
          (pattern) => `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${pattern}`,
        ),
      },
    },
  });
}

/** Options of {@link usageThroughServices}. */
export interface ServiceUsageOptions {
  /** A statement id naming what the services use the key for. */
  readonly sid: string;
  /** Service endpoint prefixes, e.g. `secretsmanager`, `rds`: the key is usable only through these. */
  readonly services: readonly string[];
  /**
   * Whether the services may create grants on the key for the resources they manage (RDS and
   * AWS Backup need grants to use the key in the background).
   * @default false
   */
  readonly allowGrants?: boolean;
}

/**
 * Key policy statements that let principals of this account use a key, but only through the
 * named AWS services (`kms:ViaService`): a role's IAM policy can then grant use of a secret,
 * a database or a backup, never direct decryption with the key.
 */
export function usageThroughServices(scope: Construct, options: ServiceUsageOptions): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const conditions = {
    StringEquals: {
      'kms:CallerAccount': stack.account,
      'kms:ViaService': options.services.map((service) => `${service}.${stack.region}.amazonaws.com`),
    },
  };
  const statements = [
    new iam.PolicyStatement({
      sid: options.sid,
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions,
    }),
  ];
  if (options.allowGrants) {
    statements.push(
      new iam.PolicyStatement({
        sid: `${options.sid}Grants`,
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:CreateGrant', 'kms:ListGrants'],
        resources: ['*'],
        conditions: { ...conditions, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    );
  }
  return statements;
}
