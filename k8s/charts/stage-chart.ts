import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../lib/config';

/** Properties every chart of a stage takes. */
export interface StageChartProps {
  /** The stage's validated configuration. */
  readonly config: StageConfig;
}

/** A chart of one stage: every object it renders carries the project's labels. */
export class StageChart extends Chart {
  /** The stage's configuration. */
  public readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, {
      labels: {
        'app.kubernetes.io/part-of': props.config.project,
        'app.kubernetes.io/managed-by': 'cdk8s',
        'hydraulic.io/stage': props.config.stage,
      },
    });
    this.config = props.config;
  }
}
