import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { AwsApiEndpoints } from '../constructs/aws-api-endpoints';
import { StageNetwork } from '../constructs/stage-network';
import { StageStack, type StageStackProps } from './stage-stack';

/** Properties of a {@link NetworkStack}. */
export interface NetworkStackProps extends StageStackProps {
  /** Encrypts the flow log group. */
  readonly logsKey: kms.IKey;
}

/** The stage's network: its VPC and the flow logs that record every connection in it. */
export class NetworkStack extends StageStack {
  /** The VPC and its subnet selections. */
  public readonly network: StageNetwork;
  /** Interface endpoints for Secrets Manager and ElastiCache, unless the config turns them off. */
  public readonly apiEndpoints?: AwsApiEndpoints;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.network = new StageNetwork(this, 'Network', {
      network: this.config.network,
      availabilityZones: this.config.aws.availabilityZones,
      flowLogGroupName: this.naming.logGroupName('vpc-flow-logs'),
      logsKey: props.logsKey,
      logRetentionDays: this.config.logging.retentionDays,
    });
    if (this.config.vpcEndpoints.create) {
      this.apiEndpoints = new AwsApiEndpoints(this, 'ApiEndpoints', {
        vpc: this.network.vpc,
        subnets: this.network.privateSubnets,
        vpcCidr: this.config.network.cidr,
      });
    }
  }
}
