import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { PodIdentityRole } from './pod-identity-role';

/** One rotation job's role: its name and the ServiceAccount it is handed to. */
export interface RotationJobIdentity {
  readonly roleName: string;
  readonly serviceAccount: string;
}

/** Properties of a {@link RotationJobsAccess}. */
export interface RotationJobsAccessProps {
  /** The EKS cluster the jobs run in. */
  readonly clusterName: string;
  /** The jobs' namespace. */
  readonly namespace: string;
  /** The prefix of every secret of the stage, e.g. `hydraulic/dev/` (the naming module's). */
  readonly secretNamePrefix: string;
  /** The stage's tags (`project`, `stage`), which the stage's rotation functions carry. */
  readonly stageTags: Readonly<Record<string, string>>;
  /** The secret enforcement job (`hydraulic-rotate enforce`). */
  readonly enforcement: RotationJobIdentity;
  /** The restart job (`hydraulic-rotate restart`), when the stage restarts workloads. @default - no role */
  readonly restart?: RotationJobIdentity;
}

/**
 * What the in-cluster rotation jobs may do in AWS, each through its own Pod Identity role:
 * - the enforcement job lists secrets (ListSecrets supports no resource scoping), describes and
 *   rotates the stage's secrets (by name prefix), and may invoke the stage's rotation functions
 *   (by tag), which the RotateSecret API reference requires of the caller; it never reads a
 *   secret's value (no GetSecretValue) and needs no KMS key (Secrets Manager and the rotation
 *   functions decrypt with their own permissions);
 * - the restart job only describes the stage's secrets, to learn their current versions.
 */
export class RotationJobsAccess extends Construct {
  /** The enforcement job's role. */
  public readonly enforcement: PodIdentityRole;
  /** The restart job's role, if any. */
  public readonly restart?: PodIdentityRole;

  constructor(scope: Construct, id: string, props: RotationJobsAccessProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9/_+=.@-]+\/$/.test(props.secretNamePrefix)) {
      throw new Error(
        `The secret name prefix must end with "/" and hold no wildcard, so that it names one stage's secrets; got "${props.secretNamePrefix}"`,
      );
    }
    const tags = Object.entries(props.stageTags);
    if (tags.length === 0)
      throw new Error('The stage tags must name at least one tag: they scope which Lambda functions the job may invoke');
    const stack = Stack.of(this);
    const stageSecrets = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${props.secretNamePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const functions = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // The ARNs as the rule packs print them (the region's partition written out), for the
    // acknowledgments: an id must be a plain string, never a token.
    const partition = RegionInfo.get(stack.region).partition ?? 'aws';
    const printedSecrets = `arn:${partition}:secretsmanager:${stack.region}:${stack.account}:secret:${props.secretNamePrefix}*`;
    const printedFunctions = `arn:${partition}:lambda:${stack.region}:${stack.account}:function:*`;
    const secretsReason = `The stage's secrets are found by name when the job runs (issue 4's database credentials and any later secret included, without a change here); the name prefix ${props.secretNamePrefix} is the stage's own, which no other stage or project shares.`;

    this.enforcement = new PodIdentityRole(this, 'Enforcement', {
      roleName: props.enforcement.roleName,
      description: "Secret rotation enforcement job: lists, describes and rotates the stage's secrets; never reads a value",
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.enforcement.serviceAccount,
      statements: [
        new iam.PolicyStatement({ sid: 'ListSecrets', actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'RotateStageSecrets',
          actions: ['secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret'],
          resources: [stageSecrets],
        }),
        new iam.PolicyStatement({
          sid: 'InvokeStageRotationFunctions',
          actions: ['lambda:InvokeFunction'],
          resources: [functions],
          conditions: { StringEquals: Object.fromEntries(tags.map(([key, value]) => [`aws:ResourceTag/${key}`, value])) },
        }),
      ],
    });
    acknowledge(
      this.enforcement.policy,
      ['AwsSolutions-IAM5[Resource::*]'],
      'secretsmanager:ListSecrets supports no resource-level permission (only "*"); it returns names, tags and rotation settings, never a value. The job filters by the stage prefix.',
    );
    acknowledge(this.enforcement.policy, [`AwsSolutions-IAM5[Resource::${printedSecrets}]`], secretsReason);
    acknowledge(
      this.enforcement.policy,
      [`AwsSolutions-IAM5[Resource::${printedFunctions}]`],
      `The RotateSecret API reference requires the caller to hold lambda:InvokeFunction on the rotation function. The functions' names are generated by CloudFormation, so they are named by the stage's tags (${tags.map(([key, value]) => `${key}=${value}`).join(', ')}) instead: only this stage's functions match.`,
    );

    if (props.restart) {
      this.restart = new PodIdentityRole(this, 'Restart', {
        roleName: props.restart.roleName,
        description: "Rotation restart job: describes the stage's secrets to learn their current versions; never reads a value",
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.restart.serviceAccount,
        statements: [
          new iam.PolicyStatement({ sid: 'DescribeStageSecrets', actions: ['secretsmanager:DescribeSecret'], resources: [stageSecrets] }),
        ],
      });
      acknowledge(this.restart.policy, [`AwsSolutions-IAM5[Resource::${printedSecrets}]`], secretsReason);
    }
  }
}
