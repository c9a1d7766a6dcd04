import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Properties of a {@link SecretResourcePolicy}. */
export interface SecretResourcePolicyProps {
  readonly secret: secretsmanager.ISecret;
}

/**
 * The resource policy every project secret carries (the database credentials too): it grants
 * nothing (access comes from IAM policies in the account) and denies
 *
 * - any use by a principal of another account, whatever a later statement or key policy says;
 * - deletion without a recovery window (`ForceDeleteWithoutRecovery`), so a deleted secret can
 *   always be restored for 30 days.
 *
 * Block Public Policy is on: Secrets Manager refuses any later policy that would open the secret.
 */
export class SecretResourcePolicy extends Construct {
  /** The policy resource. */
  public readonly resource: secretsmanager.CfnResourcePolicy;

  constructor(scope: Construct, id: string, props: SecretResourcePolicyProps) {
    super(scope, id);
    const document = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'DenyPrincipalsOfOtherAccounts',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['secretsmanager:*'],
          resources: ['*'],
          conditions: {
            StringNotEqualsIfExists: { 'aws:PrincipalAccount': Stack.of(this).account },
            // AWS services acting for the account carry no principal account.
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
        new iam.PolicyStatement({
          sid: 'DenyDeletionWithoutRecoveryWindow',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['secretsmanager:DeleteSecret'],
          resources: ['*'],
          conditions: { Bool: { 'secretsmanager:ForceDeleteWithoutRecovery': 'true' } },
        }),
      ],
    });
    this.resource = new secretsmanager.CfnResourcePolicy(this, 'Resource', {
      secretId: props.secret.secretArn,
      resourcePolicy: document,
      blockPublicPolicy: true,
    });
  }
}
