import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { PodIdentityRole } from './pod-identity-role';

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
export class ExternalSecretsAccess extends PodIdentityRole {
  constructor(scope: Construct, id: string, props: ExternalSecretsAccessProps) {
    if (props.secretNames.length === 0 && props.parameterNames.length === 0) {
      throw new Error(`The role ${props.roleName} would read nothing: name at least one secret or parameter`);
    }
    const badParameter = props.parameterNames.find((name) => !name.startsWith('/'));
    if (badParameter !== undefined) {
      throw new Error(`SSM parameter names must be absolute paths starting with "/"; got "${badParameter}"`);
    }
    super(scope, id, {
      roleName: props.roleName,
      description: "External Secrets Operator: reads the project's secrets and endpoint parameters",
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      // The id the policy was first deployed with.
      policyId: 'ReadSecrets',
      policyDescription: 'Read the project secrets and parameters the cluster needs, decrypting only through Secrets Manager',
      statements: readStatements(Stack.of(scope), props),
    });
  }
}

/** Read the named secrets and parameters; decrypt the secrets only through Secrets Manager. */
function readStatements(stack: Stack, props: ExternalSecretsAccessProps): iam.PolicyStatement[] {
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
  return statements;
}
