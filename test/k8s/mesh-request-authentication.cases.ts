import type { StageConfig } from '../../lib/config';
import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

const ISSUER = 'https://auth.hydraulic-diagnostics.com';

describe.each(['dev', 'prod'])('the %s request-authentication chart, when configured', (stageName) => {
  const base = stageConfig(stageName);
  const config: StageConfig = {
    ...base,
    mesh: {
      ...base.mesh,
      requestAuthentication: {
        issuer: ISSUER,
        jwksUri: `${ISSUER}/.well-known/jwks.json`,
        audiences: ['hydraulic-api'],
        publicPaths: [{ service: 'backend-api', paths: ['/auth/login', '/auth/refresh'] }],
      },
    },
  };
  const objects = chartObjects(config, 'mesh-request-authentication');

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('every sidecar in the namespace validates tokens of the issuer, for our audience, against its JWKS', () => {
    const authn = objectNamed(objects, 'RequestAuthentication', 'end-user-jwt');
    expect(authn.spec.selector).toBeUndefined();
    expect(authn.spec.jwtRules).toEqual([
      expect.objectContaining({
        issuer: ISSUER,
        jwksUri: `${ISSUER}/.well-known/jwks.json`,
        audiences: ['hydraulic-api'],
        forwardOriginalToken: true,
      }),
    ]);
  });

  test('the verified claims overwrite the user, tenant and device headers the audit log records', () => {
    expect(objectNamed(objects, 'RequestAuthentication', 'end-user-jwt').spec.jwtRules[0].outputClaimToHeaders).toEqual([
      { header: 'x-user-id', claim: 'sub' },
      { header: 'x-tenant-id', claim: 'tenant_id' },
      { header: 'x-device-fingerprint', claim: 'device_fingerprint' },
    ]);
  });

  test('every service denies requests without a token from the issuer, except on its public paths', () => {
    for (const service of config.serviceGraph.services) {
      const policy = objectNamed(objects, 'AuthorizationPolicy', `require-jwt-${service.name}`);
      expect(policy.spec.action).toBe('DENY');
      expect(policy.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': service.name } });
      const [rule] = policy.spec.rules;
      expect(rule.from).toEqual([{ source: { notRequestPrincipals: [`${ISSUER}/*`] } }]);
      if (service.name === 'backend-api') expect(rule.to).toEqual([{ operation: { notPaths: ['/auth/login', '/auth/refresh'] } }]);
      else expect(rule.to).toBeUndefined();
    }
  });

  test('no ALLOW policy is added: requiring a token never widens what the graph allows', () => {
    expect(objects.filter((o) => o.kind === 'AuthorizationPolicy').map((o) => (o.spec as any).action)).not.toContain('ALLOW');
  });
});

test('building the chart without the configuration is a programming error', () => {
  const { MeshRequestAuthenticationChart } = jest.requireActual('../../k8s/charts/mesh-request-authentication');
  const { Testing } = jest.requireActual('cdk8s');
  expect(() => new MeshRequestAuthenticationChart(Testing.app(), 'x', { config: stageConfig('dev') })).toThrow(
    /mesh.requestAuthentication is not set/,
  );
});
