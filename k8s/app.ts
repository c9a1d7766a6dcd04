import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import type { StageConfig } from '../lib/config';
import { ExternalSecretsChart } from './charts/external-secrets';
import { MeshAuditLoggingChart } from './charts/mesh-audit-logging';
import { MeshAuthorizationChart } from './charts/mesh-authorization';
import { MeshCaChart } from './charts/mesh-ca';
import { MeshEgressChart } from './charts/mesh-egress';
import { MeshMtlsChart } from './charts/mesh-mtls';
import { MeshNetworkPoliciesChart } from './charts/mesh-network-policies';
import { MeshRequestAuthenticationChart } from './charts/mesh-request-authentication';
import { MeshWorkloadsChart } from './charts/mesh-workloads';
import { NamespaceBaselineChart } from './charts/namespace-baseline';
import type { StageChart, StageChartProps } from './charts/stage-chart';
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
  ];
  charts.forEach((chart) => chart.addDependency(baseline));
  return [baseline, ...charts];
}

/**
 * Renders one stage's manifests into `<outdir>/<stage>/`, replacing what was there, and the
 * Helm values of its Istio install into `<outdir>/<stage>/helm-values/` (a sub-folder, so
 * `kubectl apply -f <outdir>/<stage>/` never takes it for manifests).
 *
 * @returns the manifest files written
 */
export function synthStageManifests(config: StageConfig, outdir: string = DEFAULT_MANIFEST_DIR): string[] {
  const stageDir = path.join(outdir, config.stage);
  const app = new App({ outdir: stageDir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  buildStageCharts(app, config);
  fs.rmSync(stageDir, { recursive: true, force: true });
  app.synth();
  const valuesFile = path.join(stageDir, ISTIOD_VALUES_FILE);
  fs.mkdirSync(path.dirname(valuesFile), { recursive: true });
  fs.writeFileSync(valuesFile, istiodValuesYaml(config));
  return fs
    .readdirSync(stageDir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(stageDir, entry.name))
    .sort();
}
