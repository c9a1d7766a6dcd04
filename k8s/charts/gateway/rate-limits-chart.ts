import type { Construct } from 'constructs';
import { templatedExternalSecret } from '../../crds/external-secrets';
import { KongClusterPlugin, type KongConfigPatch } from '../../crds/kong/kong-plugin';
import type { RateLimitingConfig } from '../../crds/kong/plugin-configs';
import { REDIS_AUTH_TOKEN_FIELD } from '../../../lib/rotation/redis-auth-token-rotation';
import { addObject } from '../../lib/add-object';
import { StageChart, type StageChartProps } from '../stage-chart';
import { GatewayNames, KONG_INGRESS_CLASS, REDIS_REFRESH, REDIS_SECRET } from './gateway-names';

/** Redis fields that come from the Secret External Secrets writes, never from the manifest. */
const REDIS_PATCHES: readonly KongConfigPatch[] = (['host', 'port', 'password', 'server_name'] as const).map((field) => ({
  path: `/redis/${field}`,
  secret: { name: REDIS_SECRET, key: field },
}));

/**
 * The design document's rate limits ("Kong Rate Limiting"), counted in ElastiCache Redis so every
 * Kong replica shares one counter:
 *
 * - per tenant, on every route: a global `rate-limiting` plugin limited by consumer, and each tenant
 *   is one consumer (`gateway.consumers`), so the key is the identity whose credential verified the
 *   token, which a client cannot choose. Requests with no consumer (public routes) are counted per
 *   client IP instead, which is Kong's fallback.
 * - per client IP on POST /diagnosis (design document, "Application-Level Rate Limiting"). Kong runs
 *   one instance of a plugin per request, so on that route this limit replaces the per-tenant one.
 *
 * Redis host, port, TLS server name and AUTH token reach the plugins through `configPatches` from a
 * Secret that External Secrets writes from SSM Parameter Store and Secrets Manager; Kong Ingress
 * Controller adds each value as JSON, which is why the template quotes the strings.
 */
export class GatewayRateLimitsChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const names = new GatewayNames(this.config);
    const kongNamespace = this.config.serviceGraph.gateway.namespace;
    const { perTenant, diagnosisPerIp } = this.config.rateLimits;

    const parameters = { name: names.parameterStore, kind: 'ClusterSecretStore' } as const;
    addObject(
      this,
      'redis-secret',
      templatedExternalSecret({
        name: REDIS_SECRET,
        namespace: kongNamespace,
        store: { name: names.secretsManagerStore, kind: 'ClusterSecretStore' },
        refreshInterval: REDIS_REFRESH,
        data: [
          { secretKey: 'endpoint', key: names.redisParameter('host'), store: parameters },
          { secretKey: 'endpointPort', key: names.redisParameter('port'), store: parameters },
          { secretKey: 'authToken', key: names.redisAuthTokenSecret, property: REDIS_AUTH_TOKEN_FIELD },
        ],
        target: {
          labels: { 'konghq.com/secret': 'true' },
          template: {
            host: '{{ .endpoint | trim | toJson }}',
            // Sprig's atoi turns anything but a number into 0, which would leave Kong without Redis
            // and, fault tolerant, without limits: refuse to sync instead.
            port: `{{ with .endpointPort | trim | atoi }}{{ . }}{{ else }}{{ fail "${names.redisParameter('port')} is not a port number" }}{{ end }}`,
            server_name: '{{ .endpoint | trim | toJson }}',
            password: '{{ .authToken | toJson }}',
          },
        },
      }),
    );

    const redis = (limits: RateLimitingConfig): RateLimitingConfig => ({
      ...limits,
      policy: 'redis',
      fault_tolerant: true,
      hide_client_headers: false,
      sync_rate: -1,
      error_code: 429,
      error_message: 'API rate limit exceeded',
      // ElastiCache runs with in-transit encryption and AUTH; the certificate is checked against the
      // system trust store (lua_ssl_trusted_certificate = system in the Helm values).
      redis: { ssl: true, ssl_verify: true, database: 0, timeout: 2000 },
    });

    addObject(
      this,
      'tenant-rate-limit',
      new KongClusterPlugin({
        name: names.tenantRateLimit,
        ingressClass: KONG_INGRESS_CLASS,
        global: true,
        plugin: 'rate-limiting',
        config: redis({ minute: perTenant.perMinute, hour: perTenant.perHour, limit_by: 'consumer' }),
        configPatches: REDIS_PATCHES,
        secretNamespace: kongNamespace,
      }),
    );

    addObject(
      this,
      'diagnosis-rate-limit',
      new KongClusterPlugin({
        name: names.diagnosisRateLimit,
        ingressClass: KONG_INGRESS_CLASS,
        plugin: 'rate-limiting',
        config: redis({ minute: diagnosisPerIp.perMinute, limit_by: 'ip' }),
        configPatches: REDIS_PATCHES,
        secretNamespace: kongNamespace,
      }),
    );
  }
}
