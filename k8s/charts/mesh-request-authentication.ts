import type { Construct } from 'constructs';
import { AuthorizationPolicy, RequestAuthentication } from '../crds/istio';
import { addObject } from '../lib/add-object';
import { MeshGraph } from '../lib/mesh-graph';
import { StageChart, type StageChartProps } from './stage-chart';

/**
 * End-user authentication inside the mesh, rendered when `mesh.requestAuthentication` is set:
 * every sidecar validates the token against the issuer's JWKS (a bad token gets 401) and a
 * DENY policy per service refuses any request without a valid token from that issuer, except
 * on the paths the configuration lists as public. DENY with negative matches is the pattern
 * Istio recommends for "require": an ALLOW on `requestPrincipals` would add to the graph's
 * ALLOW policies and widen them.
 *
 * The verified claims replace the gateway's user, tenant and device headers, so the audit log
 * records what the token says, not what a caller claims.
 */
export class MeshRequestAuthenticationChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const settings = this.config.mesh.requestAuthentication;
    if (!settings) {
      throw new Error(`${this.node.path}: mesh.requestAuthentication is not set; build this chart only when it is`);
    }
    const graph = new MeshGraph(this.config);
    const headers = this.config.mesh.auditHeaders;

    addObject(
      this,
      'end-user-jwt',
      new RequestAuthentication({
        metadata: { name: 'end-user-jwt', namespace: graph.namespace },
        spec: {
          jwtRules: [
            {
              issuer: settings.issuer,
              jwksUri: settings.jwksUri,
              audiences: [...settings.audiences],
              // The services read the token's claims themselves (RBAC) and pass it on to the
              // services they call, whose sidecars check it again.
              forwardOriginalToken: true,
              outputClaimToHeaders: [
                { header: headers.user, claim: 'sub' },
                { header: headers.tenant, claim: 'tenant_id' },
                { header: headers.device, claim: 'device_fingerprint' },
              ],
            },
          ],
        },
      }),
    );

    for (const service of graph.services) {
      const publicPaths = settings.publicPaths.filter((entry) => entry.service === service.name).flatMap((entry) => entry.paths);
      addObject(
        this,
        `require-jwt-${service.name}`,
        new AuthorizationPolicy({
          metadata: { name: `require-jwt-${service.name}`, namespace: graph.namespace },
          spec: {
            selector: { matchLabels: graph.labelsOf(service.name) },
            action: 'DENY',
            rules: [
              {
                from: [{ source: { notRequestPrincipals: [`${settings.issuer}/*`] } }],
                ...(publicPaths.length > 0 ? { to: [{ operation: { notPaths: publicPaths } }] } : {}),
              },
            ],
          },
        }),
      );
    }
  }
}
