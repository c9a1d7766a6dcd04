import { Testing } from 'cdk8s';
import { buildStageCharts } from '../../k8s/app';
import type { StageChart } from '../../k8s/charts/stage-chart';
import type { StageConfig } from '../../lib/config';
import type { RenderedObject } from './k8s-schemas';

/** Every chart of a stage, rendered in memory: chart id to its objects. */
export function renderStageCharts(config: StageConfig): Map<string, RenderedObject[]> {
  const app = Testing.app();
  const charts: StageChart[] = buildStageCharts(app, config);
  return new Map(charts.map((chart) => [chart.node.id, Testing.synth(chart) as RenderedObject[]]));
}

/** Every object of every chart of a stage. */
export function renderStageObjects(config: StageConfig): RenderedObject[] {
  return [...renderStageCharts(config).values()].flat();
}
