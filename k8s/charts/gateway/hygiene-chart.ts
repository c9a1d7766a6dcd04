import type { Construct } from 'constructs';
import { KongClusterPlugin } from '../../crds/kong/kong-plugin';
import { addObject } from '../../lib/add-object';
import { StageChart, type StageChartProps } from '../stage-chart';
import { AUDIT_FIELDS } from './audit-fields';
import { CORRELATION_HEADER, GatewayNames, KONG_INGRESS_CLASS } from './gateway-names';
import { identityHeadersLua } from './identity-headers';

/**
 * Response headers that name the software behind the gateway. Kong's own `Server` and `Via` are
 * turned off with `headers = off` in the Helm values; these are the upstreams' (the Istio sidecar
 * answers as `istio-envoy` and adds its timing header).
 */
export const BANNER_HEADERS = [
  'Server',
  'Via',
  'X-Powered-By',
  'X-AspNet-Version',
  'X-AspNetMvc-Version',
  'X-Envoy-Upstream-Service-Time',
  'X-Envoy-Decorator-Operation',
] as const;

/**
 * Global plugins every route gets, whatever created it: a request body limit, a correlation id on
 * every request (in the access log and the audit log, and returned to the client), upstream
 * banners removed, the identity headers the mesh's audit log reads (set only from a verified
 * token), and an audit log line with the design document's fields for every request.
 */
export class GatewayHygieneChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const names = new GatewayNames(this.config);
    const global = { ingressClass: KONG_INGRESS_CLASS, global: true } as const;

    addObject(
      this,
      'request-size-limit',
      new KongClusterPlugin({
        ...global,
        name: names.globalPlugin('request-size-limit'),
        plugin: 'request-size-limiting',
        config: {
          allowed_payload_size: this.config.gateway.maxRequestBodyMegabytes,
          size_unit: 'megabytes',
          require_content_length: false,
        },
      }),
    );

    addObject(
      this,
      'correlation-id',
      new KongClusterPlugin({
        ...global,
        name: names.globalPlugin('correlation-id'),
        plugin: 'correlation-id',
        // A fresh random UUID when the client sent none (uuid#counter would make one worker's ids
        // guessable). Kong keeps a client's own id, so the access log also records Kong's request id.
        config: { header_name: CORRELATION_HEADER, generator: 'uuid', echo_downstream: true },
      }),
    );

    addObject(
      this,
      'hide-banners',
      new KongClusterPlugin({
        ...global,
        name: names.globalPlugin('hide-banners'),
        plugin: 'response-transformer',
        config: { remove: { headers: [...BANNER_HEADERS] } },
      }),
    );

    addObject(
      this,
      'identity-headers',
      new KongClusterPlugin({
        ...global,
        name: names.globalPlugin('identity-headers'),
        plugin: 'post-function',
        // The user, tenant and device headers the mesh's audit log records: only from a verified token.
        config: { access: [identityHeadersLua(this.config.mesh.auditHeaders)] },
      }),
    );

    addObject(
      this,
      'audit-log',
      new KongClusterPlugin({
        ...global,
        name: names.globalPlugin('audit-log'),
        plugin: 'file-log',
        // One JSON line per request on the container's stdout, which the cluster's log shipper
        // forwards to CloudWatch Logs; the Authorization header is redacted by Kong's serializer.
        config: { path: '/dev/stdout', reopen: false, custom_fields_by_lua: { ...AUDIT_FIELDS } },
      }),
    );
  }
}
