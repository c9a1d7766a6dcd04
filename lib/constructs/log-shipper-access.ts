import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { PodIdentityRole } from './pod-identity-role';

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
export class LogShipperAccess extends PodIdentityRole {
  constructor(scope: Construct, id: string, props: LogShipperAccessProps) {
    if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(props.logGroupName)) {
      throw new Error(`"${props.logGroupName}" is no CloudWatch Logs group name (1 to 512 of letters, digits and . - _ / #)`);
    }
    // The group's streams: CreateLogStream and PutLogEvents act on `log-group:<name>:*`
    // (`:log-stream:<stream>` below it); the stream names are the shipper's to choose.
    const streams = Stack.of(scope).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${props.logGroupName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    super(scope, id, {
      roleName: props.roleName,
      description: `Log shipper: writes ${props.logGroupName} only`,
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      // The id the policy was first deployed with.
      policyId: 'WriteLogGroup',
      policyDescription: `Create log streams in and put log events to ${props.logGroupName} only`,
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOneLogGroup',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [streams],
        }),
      ],
    });
    acknowledge(
      this.policy,
      [`AwsSolutions-IAM5[Resource::${streams}]`],
      'Log stream names are chosen by the shipper per node and container; the wildcard covers only the streams of the one gateway log group.',
    );
  }
}
