import { Testing } from 'cdk8s';
import { buildStageCharts } from '../../k8s/app';
import { stageConfig } from '../harness/cdk-app';
import { renderStageCharts } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

describe.each(['dev', 'prod'])('every manifest of the %s stage', (stageName) => {
  const config = stageConfig(stageName);
  const charts = renderStageCharts(config);
  const objects = [...charts.values()].flat();

  test('validates against its upstream schema (or the project’s, for External Secrets)', () => {
    expect(() => validateObjects(objects)).not.toThrow();
  });

  test('renders no Kubernetes Secret at all: secrets reach the cluster only through External Secrets', () => {
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
    // Nor does any object carry secret material inline.
    expect(JSON.stringify(objects)).not.toMatch(/"(stringData|data)":\{"[^"]+":"/);
  });

  test('carries the stage label on every object', () => {
    for (const object of objects) expect((object.metadata as any).labels['hydraulic.io/stage']).toBe(stageName);
  });
});

test('every chart is applied after the namespace baseline, in the order buildStageCharts returns', () => {
  const charts = buildStageCharts(Testing.app(), stageConfig('dev'));
  const [baseline, ...rest] = charts;
  expect(baseline.node.id).toBe('namespace-baseline');
  for (const chart of rest) expect(chart.node.dependencies).toContain(baseline);
  expect(charts.map((chart) => chart.node.id)).toEqual([
    'namespace-baseline',
    'mesh-ca',
    'mesh-workloads',
    'mesh-mtls',
    'mesh-authorization',
    'mesh-network-policies',
    'mesh-egress',
    'mesh-audit-logging',
    'external-secrets',
  ]);
});

test('the request-authentication chart is rendered only when the configuration asks for it', () => {
  const config = stageConfig('dev');
  expect(renderStageCharts(config).has('mesh-request-authentication')).toBe(false);
  const withJwt = {
    ...config,
    mesh: {
      ...config.mesh,
      requestAuthentication: {
        issuer: 'https://issuer.example',
        jwksUri: 'https://issuer.example/jwks.json',
        audiences: ['api'],
        publicPaths: [],
      },
    },
  };
  expect(renderStageCharts(withJwt).has('mesh-request-authentication')).toBe(true);
});
