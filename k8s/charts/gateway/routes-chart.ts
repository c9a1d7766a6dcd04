import type { Construct } from 'constructs';
import { Ingress, type IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import { KongPlugin } from '../../crds/kong/kong-plugin';
import { DIAGNOSIS_ROUTE } from '../../../lib/config/schema/gateway';
import { addObject } from '../../lib/add-object';
import { StageChart, type StageChartProps } from '../stage-chart';
import { GatewayNames, JWT_PLUGIN, KONG_INGRESS_CLASS } from './gateway-names';

type IngressPath = NonNullable<NonNullable<NonNullable<IIngress['spec']>['rules']>[number]['http']>['paths'][number];

/**
 * The gateway's routes (`gateway.routes`): one Kong Ingress each in the application namespace, for
 * the configured host, HTTPS only (the ALB speaks TLS to Kong). A route that is not public gets
 *
 * - the jwt plugin: HS256 tokens of a known consumer, `exp` verified, at most the session lifetime
 *   ahead (`session.maxLifetimeSeconds`), from the Authorization header only;
 * - an acl plugin allowing exactly the permission the route needs, so `POST /systems` reaches the
 *   backend only for consumers holding `systems:write`;
 * - on POST /diagnosis, the per-IP rate limit.
 *
 * Every route also gets the global plugins (per-tenant rate limit, body limit, correlation id,
 * banner removal, audit log).
 */
export class GatewayRoutesChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const names = new GatewayNames(this.config);
    const namespace = this.config.kubernetes.namespace;
    const { gateway, session, serviceGraph } = this.config;

    addObject(
      this,
      'jwt',
      new KongPlugin({
        name: JWT_PLUGIN,
        namespace,
        plugin: 'jwt',
        config: {
          key_claim_name: 'kid',
          claims_to_verify: ['exp'],
          maximum_expiration: session.maxLifetimeSeconds,
          secret_is_base64: false,
          run_on_preflight: true,
          // Tokens only in the Authorization header: a token in a URL ends up in access logs.
          header_names: ['authorization'],
          uri_param_names: [],
          cookie_names: [],
          realm: gateway.hostname,
        },
      }),
    );

    for (const route of gateway.routes) {
      const plugins: string[] = [];
      if (route.permission) {
        const acl = names.routeAcl(route.name);
        addObject(
          this,
          acl,
          new KongPlugin({
            name: acl,
            namespace,
            plugin: 'acl',
            // The consumer's groups stay at the edge: upstreams authorize on the token, not on a header.
            config: { allow: [route.permission], hide_groups_header: true },
          }),
        );
        plugins.push(JWT_PLUGIN, acl);
      }
      const isDiagnosis = route.paths.includes(DIAGNOSIS_ROUTE.path) && route.methods.includes(DIAGNOSIS_ROUTE.method);
      if (isDiagnosis) plugins.push(names.diagnosisRateLimit);

      const service = serviceGraph.services.find((candidate) => candidate.name === route.service);
      // The configuration loader refuses a route to an unknown service; a hand-built config may not.
      if (!service) throw new Error(`gateway.routes ${route.name} leads to ${route.service}, which serviceGraph.services does not list`);
      const port = service.port;
      const paths: IngressPath[] = route.paths.map((path) => ({
        // Kong matches ImplementationSpecific paths as prefixes, which is what "/x/*" means in the
        // service graph; an exact path becomes Kong's anchored regex through pathType Exact.
        ...(path.endsWith('/*') ? { path: path.slice(0, -1), pathType: 'ImplementationSpecific' } : { path, pathType: 'Exact' }),
        backend: { service: { name: route.service, port: { number: port } } },
      }));

      addObject(
        this,
        `route-${route.name}`,
        new Ingress({
          metadata: {
            name: route.name,
            namespace,
            annotations: {
              'konghq.com/methods': route.methods.join(','),
              'konghq.com/protocols': 'https',
              'konghq.com/strip-path': 'false',
              ...(plugins.length > 0 ? { 'konghq.com/plugins': plugins.join(',') } : {}),
            },
          },
          spec: { ingressClassName: KONG_INGRESS_CLASS, rules: [{ host: gateway.hostname, http: { paths } }] },
        }),
      );
    }
  }
}
