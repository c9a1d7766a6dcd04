import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of {@link AwsApiEndpoints}. */
export interface AwsApiEndpointsProps {
  readonly vpc: ec2.IVpc;
  /** The subnets the endpoints' network interfaces go in (the workloads' private subnets). */
  readonly subnets: ec2.SubnetSelection;
  /** The VPC's CIDR block as configured (a literal, so the rule packs can check the ingress rule). */
  readonly vpcCidr: string;
}

/**
 * Interface VPC endpoints, with private DNS, for the AWS APIs the project's functions and pods
 * call: Secrets Manager (rotation functions, External Secrets) and ElastiCache (the AUTH token
 * rotation). A VPC without NAT reaches those APIs only through them; one with NAT keeps the
 * calls inside the VPC. Each endpoint admits HTTPS from the VPC only, and its policy lets only
 * this account's principals use it, so stolen credentials of another account cannot be used
 * from inside the VPC to move data out through it.
 */
export class AwsApiEndpoints extends Construct {
  /** The endpoints' security group: HTTPS from the VPC's CIDR block, nothing else. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The Secrets Manager endpoint. */
  public readonly secretsManager: ec2.InterfaceVpcEndpoint;
  /** The ElastiCache API endpoint. */
  public readonly elastiCache: ec2.InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: AwsApiEndpointsProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'AWS API interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.ipv4(props.vpcCidr), ec2.Port.tcp(443), 'HTTPS from inside the VPC');
    this.secretsManager = this.endpoint('SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, 'secretsmanager', props);
    this.elastiCache = this.endpoint('ElastiCache', ec2.InterfaceVpcEndpointAwsService.ELASTICACHE, 'elasticache', props);
  }

  private endpoint(
    id: string,
    service: ec2.InterfaceVpcEndpointAwsService,
    prefix: string,
    props: AwsApiEndpointsProps,
  ): ec2.InterfaceVpcEndpoint {
    const endpoint = new ec2.InterfaceVpcEndpoint(this, id, {
      vpc: props.vpc,
      service,
      subnets: props.subnets,
      securityGroups: [this.securityGroup],
      privateDnsEnabled: true,
      // The security group above is the whole ingress; no rule is added for the VPC by default.
      open: false,
    });
    endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OnlyThisAccountsPrincipals',
        principals: [new iam.AnyPrincipal()],
        actions: [`${prefix}:*`],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:PrincipalAccount': Stack.of(this).account } },
      }),
    );
    return endpoint;
  }
}
