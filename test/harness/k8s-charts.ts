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

/** The objects of one chart of a stage; throws when the stage has no such chart. */
export function chartObjects(config: StageConfig, chartId: string): RenderedObject[] {
  const objects = renderStageCharts(config).get(chartId);
  if (!objects) throw new Error(`The stage ${config.stage} has no chart "${chartId}"`);
  return objects;
}

/** The one object of a kind and name; throws naming what exists when there is none. */
export function objectNamed(objects: readonly RenderedObject[], kind: string, name: string): RenderedObject & { spec: any } {
  const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
  if (!found) {
    const present = objects.map((object) => `${object.kind} ${object.metadata?.name}`).join(', ');
    throw new Error(`No ${kind} ${name}; the chart has ${present}`);
  }
  return found as RenderedObject & { spec: any };
}
