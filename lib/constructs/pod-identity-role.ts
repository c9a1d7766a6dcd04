import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The service principal EKS Pod Identity assumes roles as. */
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

/** Properties of a {@link PodIdentityRole}. */
export interface PodIdentityRoleProps {
  /** The IAM role's name, from the naming module. */
  readonly roleName: string;
  /** What the role is for, in its description. */
  readonly description: string;
  /** The EKS cluster the ServiceAccount lives in. */
  readonly clusterName: string;
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /** The ServiceAccount the role is handed to. */
  readonly serviceAccount: string;
  /** Everything the role may do: one managed policy, no inline policy, no later grant. */
  readonly statements: readonly iam.PolicyStatement[];
  /**
   * The managed policy's construct id. Part of its logical ID: a role deployed with another id
   * keeps it, or CloudFormation replaces the policy.
   * @default 'Policy'
   */
  readonly policyId?: string;
  /**
   * The managed policy's description.
   * @default - the role's description
   */
  readonly policyDescription?: string;
}

/**
 * An IAM role that only EKS Pod Identity can assume, and only for one ServiceAccount in one
 * namespace of the stage's cluster (the session tags Pod Identity passes are required by the
 * trust policy), with exactly the given statements in one managed policy, and the Pod Identity
 * association that hands it to that ServiceAccount. The role is immutable: a `grant` elsewhere
 * cannot widen it.
 */
export class PodIdentityRole extends Construct {
  /** The role (immutable). */
  public readonly role: iam.IRole;
  /** The managed policy holding every statement. */
  public readonly policy: iam.ManagedPolicy;
  /** The Pod Identity association. */
  public readonly association: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    if (props.statements.length === 0)
      throw new Error(`The role ${props.roleName} would be allowed nothing: give it at least one statement`);
    const stack = Stack.of(this);
    const clusterArn = stack.formatArn({
      service: 'eks',
      resource: 'cluster',
      resourceName: props.clusterName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.policy = new iam.ManagedPolicy(this, props.policyId ?? 'Policy', {
      description: props.policyDescription ?? props.description,
      statements: [...props.statements],
    });
    const role = new iam.Role(this, 'Resource', {
      roleName: props.roleName,
      description: `${props.description} (${props.namespace}/${props.serviceAccount} in ${props.clusterName})`,
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)).withConditions({
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:RequestTag/eks-cluster-arn': clusterArn,
          'aws:RequestTag/kubernetes-namespace': props.namespace,
          'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
        },
      }),
      managedPolicies: [this.policy],
    });
    this.role = role.withoutPolicyUpdates();
    this.association = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: role.roleArn,
      // The trust policy's conditions need the session tags.
      disableSessionTags: false,
    });
  }
}
