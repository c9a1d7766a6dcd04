import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { parse, stringify } from 'yaml';
import type { StageConfig } from '../lib/config';
import { formatLeaks, scanDocument } from '../lib/guards/leak-scan';
import { DataStoreEgressChart } from './charts/data-store-egress';
import { ExternalSecretsChart } from './charts/external-secrets';
import { MeshAuditLoggingChart } from './charts/mesh-audit-logging';
import { MeshAuthorizationChart } from './charts/mesh-authorization';
import { MeshCaChart } from './charts/mesh-ca';
import { MeshEgressChart } from './charts/mesh-egress';
import { MeshMtlsChart } from './charts/mesh-mtls';
import { MeshNetworkPoliciesChart } from './charts/mesh-network-policies';
import { MeshRequestAuthenticationChart } from './charts/mesh-request-authentication';
import { MeshWorkloadsChart } from './charts/mesh-workloads';
import { GatewayConsumersChart } from './charts/gateway/consumers-chart';
import { GatewayEdgeChart } from './charts/gateway/edge-chart';
import { GatewayHygieneChart } from './charts/gateway/hygiene-chart';
import { kongHelmValues } from './charts/gateway/kong-helm-values';
import { GatewayRateLimitsChart } from './charts/gateway/rate-limits-chart';
import { GatewayRoutesChart } from './charts/gateway/routes-chart';
import { NamespaceBaselineChart } from './charts/namespace-baseline';
import { RotationJobsChart } from './charts/rotation-jobs';
import type { StageChart, StageChartProps } from './charts/stage-chart';
import { GATEWAY_LOG_SHIPPER_VALUES_FILE, gatewayLogShipperValues } from './install/gateway-log-shipper-values';
import { ISTIOD_VALUES_FILE, istiodValuesYaml } from './install/istiod-values';

/** Where manifests are written when neither the cdk8s CLI nor the caller says otherwise. */
export const DEFAULT_MANIFEST_DIR = path.join('k8s', 'dist');

/**
 * Adds every chart of one stage to a cdk8s app, in the order they must be applied
 * (the synthesized files are numbered in this order). Every chart depends on the namespace
 * baseline, so nothing lands in a namespace that does not enforce its baseline yet.
 */
export function buildStageCharts(app: App, config: StageConfig): StageChart[] {
  const props: StageChartProps = { config };
  const baseline = new NamespaceBaselineChart(app, 'namespace-baseline', props);
  const charts: StageChart[] = [
    new MeshCaChart(app, 'mesh-ca', props),
    new MeshWorkloadsChart(app, 'mesh-workloads', props),
    new MeshMtlsChart(app, 'mesh-mtls', props),
    new MeshAuthorizationChart(app, 'mesh-authorization', props),
    ...(config.mesh.requestAuthentication ? [new MeshRequestAuthenticationChart(app, 'mesh-request-authentication', props)] : []),
    new MeshNetworkPoliciesChart(app, 'mesh-network-policies', props),
    new MeshEgressChart(app, 'mesh-egress', props),
    new MeshAuditLoggingChart(app, 'mesh-audit-logging', props),
    new ExternalSecretsChart(app, 'external-secrets', props),
    new DataStoreEgressChart(app, 'data-store-egress', props),
    new RotationJobsChart(app, 'rotation-jobs', props),
  ];
  charts.forEach((chart) => chart.addDependency(baseline));
  return [baseline, ...charts, ...buildGatewayCharts(app, config, baseline)];
}

/** The API gateway's charts, each applied after the namespace baseline; the edge last, once routes exist. */
function buildGatewayCharts(app: App, config: StageConfig, baseline: StageChart): StageChart[] {
  const consumers = new GatewayConsumersChart(app, 'gateway-consumers', { config });
  const rateLimits = new GatewayRateLimitsChart(app, 'gateway-rate-limits', { config });
  const hygiene = new GatewayHygieneChart(app, 'gateway-hygiene', { config });
  const routes = new GatewayRoutesChart(app, 'gateway-routes', { config });
  const edge = new GatewayEdgeChart(app, 'gateway-edge', { config });
  for (const chart of [consumers, rateLimits, hygiene]) chart.addDependency(baseline);
  routes.addDependency(consumers, rateLimits, hygiene);
  edge.addDependency(routes);
  return [consumers, rateLimits, hygiene, routes, edge];
}

/** Where a stage's Helm values go: a sub-folder, which `kubectl apply -f <stage dir>` does not read. */
export const HELM_VALUES_DIR = 'helm';

/**
 * Renders one stage's manifests into `<outdir>/<stage>/`, replacing what was there, and the
 * Helm values of its Istio, Kong and gateway log shipper installs into `<outdir>/<stage>/helm/` (a sub-folder, so
 * `kubectl apply -f <outdir>/<stage>/` never takes them for manifests).
 *
 * @returns the manifest files written
 */
export function synthStageManifests(config: StageConfig, outdir: string = DEFAULT_MANIFEST_DIR): string[] {
  const stageDir = path.join(outdir, config.stage);
  const app = new App({ outdir: stageDir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const charts = buildStageCharts(app, config);
  const helmValues = { 'kong-values.yaml': kongHelmValues(config), [GATEWAY_LOG_SHIPPER_VALUES_FILE]: gatewayLogShipperValues(config) };
  // Nothing is written when any object or values file holds secret material.
  const leaks = [
    ...charts.flatMap((chart) => scanDocument(chart.toJson(), 'kubernetes', `chart ${chart.node.id}`)),
    ...Object.entries(helmValues).flatMap(([file, values]) => scanDocument(values, 'helm-values', file)),
    ...scanDocument(parse(istiodValuesYaml(config)), 'helm-values', ISTIOD_VALUES_FILE),
  ];
  if (leaks.length > 0) {
    throw Object.assign(new Error(`Secret material in the ${config.stage} manifests; nothing was written:\n${formatLeaks(leaks)}`), {
      name: 'ValidationError',
    });
  }
  fs.rmSync(stageDir, { recursive: true, force: true });
  app.synth();
  const valuesDir = path.join(stageDir, HELM_VALUES_DIR);
  fs.mkdirSync(valuesDir, { recursive: true });
  fs.writeFileSync(path.join(stageDir, ISTIOD_VALUES_FILE), istiodValuesYaml(config));
  // Helm reads YAML 1.1, where an unquoted off/on is a boolean: "off" must stay a string for Kong.
  for (const [file, values] of Object.entries(helmValues))
    fs.writeFileSync(path.join(valuesDir, file), stringify(values, { version: '1.1' }));
  return fs
    .readdirSync(stageDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => path.join(stageDir, file));
}
