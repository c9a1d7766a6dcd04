import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Naming, type StageConfig } from '../config';

/** Properties every stack of a stage takes. */
export interface StageStackProps extends StackProps {
  /** The stage's validated configuration. */
  readonly config: StageConfig;
  /** The concern the stack holds; becomes the end of its stack name. */
  readonly concern: string;
  /**
   * The region the stack deploys to, for the few stacks that live outside the stage's region
   * (the disaster-recovery vault).
   * @default - the stage's region (`aws.region`)
   */
  readonly region?: string;
}

/**
 * A stack bound to one stage: its environment, availability zones and name all come from
 * the stage's configuration, so synthesis needs no lookup and no credentials.
 */
export class StageStack extends Stack {
  /** The stage's configuration. */
  public readonly config: StageConfig;
  /** The stage's naming module. */
  public readonly naming: Naming;

  constructor(scope: Construct, id: string, props: StageStackProps) {
    const naming = new Naming(props.config);
    super(scope, id, {
      ...props,
      stackName: naming.stackName(props.concern),
      env: { account: props.config.aws.account, region: props.region ?? props.config.aws.region },
    });
    this.config = props.config;
    this.naming = naming;
  }

  /** The zones from the configuration, instead of a context lookup. */
  public override get availabilityZones(): string[] {
    if (this.region !== this.config.aws.region) {
      // Only the stage's own region has zones in the config; a lookup would break offline synthesis.
      throw new Error(
        `The stack ${this.stackName} in ${this.region} has no availability zones: the config names zones of ${this.config.aws.region} only`,
      );
    }
    return [...this.config.aws.availabilityZones];
  }
}
