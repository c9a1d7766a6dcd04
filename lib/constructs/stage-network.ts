import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, inCompliancePacks } from '../compliance/acknowledge';
import { controlTowerFinding } from '../compliance/control-tower';
import type { StageConfig } from '../config';

import { DATA_SUBNET_GROUP, PRIVATE_SUBNET_GROUP, subnetGroups } from '../config/subnet-layout';

export { DATA_SUBNET_GROUP, PRIVATE_SUBNET_GROUP } from '../config/subnet-layout';

/** Properties of a {@link StageNetwork}. */
export interface StageNetworkProps {
  /** The network section of the stage's configuration. */
  readonly network: StageConfig['network'];
  /** The stage's availability zones, in order. */
  readonly availabilityZones: readonly string[];
  /** The log group name for VPC flow logs, from the naming module. */
  readonly flowLogGroupName: string;
  /** Encrypts the flow log group. */
  readonly logsKey: kms.IKey;
  /** Days the flow logs are kept. */
  readonly logRetentionDays: number;
}

/**
 * The stage's VPC, created or imported, with flow logs of all traffic to an encrypted log
 * group. Workloads go in the `private` subnets, data stores in the isolated `data` subnets.
 */
export class StageNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** Subnets for workloads. */
  public readonly privateSubnets: ec2.SubnetSelection = { subnetGroupName: PRIVATE_SUBNET_GROUP };
  /** Isolated subnets for the data stores. */
  public readonly dataSubnets: ec2.SubnetSelection = { subnetGroupName: DATA_SUBNET_GROUP };

  constructor(scope: Construct, id: string, props: StageNetworkProps) {
    super(scope, id);
    this.vpc =
      props.network.mode === 'create'
        ? this.createVpc(props.network, props.availabilityZones)
        : this.importVpc(props.network, props.availabilityZones);

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      logGroupName: props.flowLogGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, this.flowLogRole(flowLogGroup)),
      trafficType: ec2.FlowLogTrafficType.ALL,
      // One-minute aggregation: incident response should not wait ten minutes for evidence.
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });
  }

  /**
   * The role VPC Flow Logs assumes, trusted only for this account's flow logs, with a managed
   * (not inline) policy that can only write to the one log group.
   */
  private flowLogRole(logGroup: logs.ILogGroup): iam.IRole {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'FlowLogRole', {
      description: 'Lets VPC Flow Logs deliver to the flow log group',
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }) },
        },
      }),
    });
    const policy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: 'Write access to the VPC flow log group only',
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`],
        }),
      ],
    });
    acknowledge(
      policy,
      [`AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`],
      'VPC Flow Logs names a new log stream per network interface; the wildcard covers only streams of the one flow log group.',
    );
    // FlowLog would otherwise add an inline policy to the role; the managed policy above is the whole grant.
    return role.withoutPolicyUpdates();
  }

  private createVpc(network: Extract<StageConfig['network'], { mode: 'create' }>, zones: readonly string[]): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(network.cidr),
      availabilityZones: [...zones],
      // Shared with the cluster side, which computes the data subnets' blocks from the same groups.
      subnetConfiguration: subnetGroups(network),
      natGateways: network.natGateways,
      createInternetGateway: network.publicSubnets,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      // The default security group admits all traffic between its members; empty it so
      // nothing can fall back on it.
      restrictDefaultSecurityGroup: true,
    });
    // The CDK's provider of that emptying: a stack-level function that only revokes the default
    // group's rules during deployment.
    const restrictProvider = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (restrictProvider) {
      acknowledge(
        restrictProvider,
        [controlTowerFinding('CT.LAMBDA.PR.3')],
        'The CDK’s provider that empties the default security group runs only while CloudFormation deploys the VPC and calls only the EC2 API; inside the VPC it would need the endpoints or NAT it is deployed alongside.',
      );
    }
    for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
      acknowledge(
        subnet.node.defaultChild as ec2.CfnSubnet,
        ['CloudFormation-Validate::W3010'],
        'Availability zones come from the stage config on purpose: synthesis must run offline, without the context lookup that would otherwise name them.',
      );
    }
    for (const subnet of vpc.publicSubnets) {
      acknowledge(
        subnet.node.findChild('DefaultRoute'),
        inCompliancePacks('VPCNoUnrestrictedRouteToIGW'),
        'Public subnets exist only when the stage config sets publicSubnets: true, to hold the WAF-protected internet-facing ALB and the NAT gateways; a default route to the internet gateway is what makes them public.',
      );
    }
    return vpc;
  }

  private importVpc(network: Extract<StageConfig['network'], { mode: 'import' }>, zones: readonly string[]): ec2.IVpc {
    return ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: network.vpcId,
      vpcCidrBlock: network.cidr,
      availabilityZones: [...zones],
      privateSubnetIds: network.privateSubnetIds,
      privateSubnetNames: [PRIVATE_SUBNET_GROUP],
      isolatedSubnetIds: network.isolatedSubnetIds,
      isolatedSubnetNames: [DATA_SUBNET_GROUP],
    });
  }
}
