import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { POD_IDENTITY_PRINCIPAL } from './external-secrets-access';

/** Properties of a {@link LogShipperAccess}. */
export interface LogShipperAccessProps {
  /** The IAM role's name, from the naming module. */
  readonly roleName: string;
  /** The EKS cluster the shipper runs in. */
  readonly clusterName: string;
  /** The shipper's namespace. */
  readonly namespace: string;
  /** The shipper's ServiceAccount. */
  readonly serviceAccount: string;
  /** The one CloudWatch Logs group the shipper writes to (created by another stack, named by the naming module). */
  readonly logGroupName: string;
}

/**
 * What a cluster log shipper (Fluent Bit) may do in AWS, and who may be it: an IAM role that only
 * EKS Pod Identity can assume, only for the shipper's ServiceAccount in the stage's cluster, that
 * can create log streams in and put log events to one log group, and nothing else: not create a
 * group, not read one, not write anywhere else.
 */
export class LogShipperAccess extends Construct {
  /** The role the shipper's pods get. */
  public readonly role: iam.Role;
  /** The Pod Identity association that hands the role to the shipper's ServiceAccount. */
  public readonly association: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: LogShipperAccessProps) {
    super(scope, id);
    if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(props.logGroupName)) {
      throw new Error(`"${props.logGroupName}" is no CloudWatch Logs group name (1 to 512 of letters, digits and . - _ / #)`);
    }
    const stack = Stack.of(this);
    const clusterArn = stack.formatArn({
      service: 'eks',
      resource: 'cluster',
      resourceName: props.clusterName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    // The group's streams: CreateLogStream and PutLogEvents act on `log-group:<name>:*`
    // (`:log-stream:<stream>` below it); the stream names are the shipper's to choose.
    const streams = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${props.logGroupName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const policy = new iam.ManagedPolicy(this, 'WriteLogGroup', {
      description: `Create log streams in and put log events to ${props.logGroupName} only`,
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOneLogGroup',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [streams],
        }),
      ],
    });
    acknowledge(
      policy,
      [`AwsSolutions-IAM5[Resource::${streams}]`],
      'Log stream names are chosen by the shipper per node and container; the wildcard covers only the streams of the one gateway log group.',
    );

    this.role = new iam.Role(this, 'Resource', {
      roleName: props.roleName,
      description: `Log shipper (${props.namespace}/${props.serviceAccount} in ${props.clusterName}): writes ${props.logGroupName} only`,
      // EKS Pod Identity passes session tags naming the cluster, namespace and ServiceAccount.
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)).withConditions({
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:RequestTag/eks-cluster-arn': clusterArn,
          'aws:RequestTag/kubernetes-namespace': props.namespace,
          'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
        },
      }),
      managedPolicies: [policy],
    });

    this.association = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
      disableSessionTags: false,
    });
  }
}
