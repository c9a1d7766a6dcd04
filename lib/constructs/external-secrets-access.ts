import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The service principal EKS Pod Identity assumes roles as. */
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

/** Properties of an {@link ExternalSecretsAccess}. */
export interface ExternalSecretsAccessProps {
  /** The IAM role's name, from the naming module. */
  readonly roleName: string;
  /** The EKS cluster the operator runs in. */
  readonly clusterName: string;
  /** The operator controller's namespace. */
  readonly namespace: string;
  /** The operator controller's ServiceAccount. */
  readonly serviceAccount: string;
  /** The Secrets Manager secret names the operator reads (each exactly, never by wildcard). */
  readonly secretNames: readonly string[];
  /** The SSM parameter names (starting with `/`) the operator reads. */
  readonly parameterNames: readonly string[];
  /** The key the secrets are encrypted with; the operator may decrypt with it only through Secrets Manager. */
  readonly secretsKey: kms.IKey;
}

/**
 * What the External Secrets Operator may do in AWS, and who may be it: an IAM role that only EKS
 * Pod Identity can assume, only for the operator's ServiceAccount in the stage's cluster, that
 * can read the named secrets and parameters and nothing else. The secrets' key is usable only
 * by Secrets Manager on the role's behalf, for those secrets (encryption context).
 */
export class ExternalSecretsAccess extends Construct {
  /** The role the operator's pods get. */
  public readonly role: iam.Role;
  /** The Pod Identity association that hands the role to the operator's ServiceAccount. */
  public readonly association: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: ExternalSecretsAccessProps) {
    super(scope, id);
    if (props.secretNames.length === 0 && props.parameterNames.length === 0) {
      throw new Error(`The role ${props.roleName} would read nothing: name at least one secret or parameter`);
    }
    const badParameter = props.parameterNames.find((name) => !name.startsWith('/'));
    if (badParameter !== undefined) {
      throw new Error(`SSM parameter names must be absolute paths starting with "/"; got "${badParameter}"`);
    }
    const stack = Stack.of(this);
    const clusterArn = stack.formatArn({
      service: 'eks',
      resource: 'cluster',
      resourceName: props.clusterName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    // Secrets Manager appends "-" and six random characters to every secret's ARN; "??????"
    // matches exactly those, so no other secret sharing a name prefix is readable.
    const secretArns = props.secretNames.map((name) =>
      stack.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${name}-??????`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    const parameterArns = props.parameterNames.map((name) =>
      stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1), arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    );

    const statements: iam.PolicyStatement[] = [];
    if (secretArns.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadProjectSecrets',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: secretArns,
        }),
      );
    }
    if (parameterArns.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadProjectParameters',
          actions: ['ssm:GetParameter', 'ssm:GetParameters'],
          resources: parameterArns,
        }),
      );
    }
    if (secretArns.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'DecryptProjectSecretsThroughSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [props.secretsKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` },
            StringLike: { 'kms:EncryptionContext:SecretARN': secretArns },
          },
        }),
      );
    }

    this.role = new iam.Role(this, 'Resource', {
      roleName: props.roleName,
      description: `External Secrets Operator (${props.namespace}/${props.serviceAccount} in ${props.clusterName}): reads the project's secrets and endpoint parameters`,
      // EKS Pod Identity passes session tags naming the cluster, namespace and ServiceAccount;
      // requiring them means no other association, even in this account, can use the role.
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)).withConditions({
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:RequestTag/eks-cluster-arn': clusterArn,
          'aws:RequestTag/kubernetes-namespace': props.namespace,
          'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
        },
      }),
      managedPolicies: [
        new iam.ManagedPolicy(this, 'ReadSecrets', {
          description: 'Read the project secrets and parameters the cluster needs, decrypting only through Secrets Manager',
          statements,
        }),
      ],
    });

    this.association = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
      // The trust policy's conditions need the session tags.
      disableSessionTags: false,
    });
  }
}
