import { Stage, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Naming, type StageConfig } from './config';
import { ClusterAccessStack } from './stacks/cluster-access-stack';
import { KeysStack } from './stacks/keys-stack';
import { NetworkStack } from './stacks/network-stack';
import { SecretsStack } from './stacks/secrets-stack';

/**
 * One deployment stage (dev, prod, ...): every stack of the project for one configuration
 * file. Its construct id is the stage name, so `cdk deploy 'dev/*'` selects it.
 */
export class HydraulicStage extends Stage {
  /** The stage's KMS keys. */
  public readonly keys: KeysStack;
  /** The stage's VPC and flow logs. */
  public readonly network: NetworkStack;
  /** The cluster controllers' AWS roles (External Secrets Operator). */
  public readonly clusterAccess: ClusterAccessStack;
  /** The stage's application secrets and their rotation functions. */
  public readonly secrets: SecretsStack;

  constructor(scope: Construct, config: StageConfig) {
    super(scope, config.stage, { env: { account: config.aws.account, region: config.aws.region } });
    for (const [key, value] of Object.entries(new Naming(config).tags)) Tags.of(this).add(key, value);

    this.keys = new KeysStack(this, 'Keys', {
      config,
      concern: 'keys',
      description: 'KMS customer-managed keys, one per purpose (retained on deletion)',
    });
    this.network = new NetworkStack(this, 'Network', {
      config,
      concern: 'network',
      description: 'VPC with private and isolated subnets, and flow logs to an encrypted log group',
      logsKey: this.keys.logsKey,
    });
    this.clusterAccess = new ClusterAccessStack(this, 'ClusterAccess', {
      config,
      concern: 'cluster-access',
      description: 'IAM roles and EKS Pod Identity associations of the cluster controllers (External Secrets Operator)',
      secretsKey: this.keys.secretsKey,
    });
    this.secrets = new SecretsStack(this, 'Secrets', {
      config,
      concern: 'secrets',
      description: 'Secrets Manager secrets (JWT signing keys, Fernet key, Redis AUTH token) and their rotation functions',
      secretsKey: this.keys.secretsKey,
      logsKey: this.keys.logsKey,
      network: this.network.network,
      apiEndpoints: this.network.apiEndpoints,
    });
  }
}
