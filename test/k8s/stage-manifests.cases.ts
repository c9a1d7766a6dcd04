import { Testing } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { buildStageCharts } from '../../k8s/app';
import { formatLeaks, scanDocument } from '../../lib/guards/leak-scan';
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

  test('renders no Kubernetes Secret with secret material: secrets reach the cluster only through External Secrets', () => {
    // The one exception: Kong reads a consumer's ACL group from a Secret labelled as an ACL
    // credential. It holds a permission name (e.g. systems:write), which is not secret.
    const secrets = objects.filter((object) => object.kind === 'Secret');
    const nonAcl = secrets.filter((secret) => (secret.metadata as any).labels?.['konghq.com/credential'] !== 'acl');
    expect(nonAcl).toEqual([]);
    for (const secret of secrets) {
      expect(secret.data).toBeUndefined();
      expect(Object.keys(secret.stringData as object)).toEqual(['group']);
    }
    // An ExternalSecret's template computes secret keys from fetched values; only non-secret
    // keys (a JWT credential's algorithm) may be literal.
    for (const externalSecret of objects.filter((object) => object.kind === 'ExternalSecret')) {
      const templates = Object.entries(((externalSecret.spec as any).target.template?.data ?? {}) as Record<string, string>);
      for (const [key, template] of templates) if (/secret|password|token|private|rsa/i.test(key)) expect(template).toContain('{{');
    }
    // Nothing else anywhere: the project's leak scan over every object.
    expect(formatLeaks(scanDocument(objects, 'kubernetes', `${stageName} manifests`))).toBe('');
  });

  test('carries the stage label on every object', () => {
    for (const object of objects) expect((object.metadata as any).labels['hydraulic.io/stage']).toBe(stageName);
  });
});

test('every chart is applied after the namespace baseline, in the order buildStageCharts returns', () => {
  const charts = buildStageCharts(Testing.app(), stageConfig('dev'));
  const [baseline, ...rest] = charts;
  expect(baseline.node.id).toBe('namespace-baseline');
  const dependsOnBaseline = (chart: IConstruct): boolean =>
    chart.node.dependencies.some((dependency) => dependency === baseline || dependsOnBaseline(dependency));
  for (const chart of rest) expect(dependsOnBaseline(chart)).toBe(true);
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
    'data-store-egress',
    'rotation-jobs',
    'gateway-consumers',
    'gateway-rate-limits',
    'gateway-hygiene',
    'gateway-routes',
    'gateway-edge',
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
