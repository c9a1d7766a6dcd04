import type { StageConfig } from '../../../lib/config';
import {
  CORRELATION_HEADER,
  KONG_INGRESS_CLASS,
  KONG_PROXY_CONTAINER_PORT,
  KONG_PROXY_SERVICE,
  KONG_PROXY_SERVICE_PORT,
  KONG_STATUS_PORT,
} from './gateway-names';

/** The Kong Gateway image the plugin schemas follow (open-source 3.9). */
export const KONG_IMAGE = { repository: 'kong', tag: '3.9' } as const;

/**
 * The nginx access log format: one JSON line per request, with the correlation id the
 * correlation-id plugin sets, and the client address after the real-IP rewrite.
 */
export const ACCESS_LOG_FORMAT = [
  'hydraulic_json escape=json',
  `'{"log_type":"access","time":"$time_iso8601","correlation_id":"$http_${CORRELATION_HEADER.toLowerCase().replace(/-/g, '_')}",` +
    '"kong_request_id":"$kong_request_id","client_ip":"$remote_addr","method":"$request_method","uri":"$request_uri",' +
    '"status":$status,"bytes_sent":$body_bytes_sent,"request_time":$request_time,"upstream_status":"$upstream_status",' +
    `"user_agent":"$http_user_agent"}'`,
].join(' ');

/**
 * Values for Kong's Helm chart (`kong/kong`, with the ingress controller in the same release) that
 * the charts of this project rely on. Rendered per stage to `k8s/dist/<stage>/helm/kong-values.yaml`
 * and used by the runbook: `helm upgrade --install kong kong/kong -n <gateway namespace> -f ...`.
 *
 * - The proxy Service is ClusterIP with only its TLS port: nothing outside the cluster reaches Kong
 *   except through the ALB (which targets the pods by IP).
 * - The client address is real: Kong trusts X-Forwarded-For only from the VPC (where the ALB's
 *   nodes are) and walks it from the right (`real_ip_recursive`), so a client-supplied
 *   X-Forwarded-For entry cannot replace the address the ALB saw. Per-IP limits and IP allow-lists
 *   depend on this.
 * - No `Server`, `Via` or latency headers from Kong (`headers = off`).
 * - Redis TLS certificates are verified against the system trust store.
 * - Kong's pods run as the service graph's gateway identity, with an Istio sidecar, so the mesh's
 *   authorization policies recognise their calls.
 */
export function kongHelmValues(config: StageConfig): Record<string, unknown> {
  const { gateway } = config.serviceGraph;
  return {
    image: { ...KONG_IMAGE },
    deployment: { serviceAccount: { create: true, name: gateway.serviceAccount, automountServiceAccountToken: false } },
    // A label, not the annotation: Istio's injector only sees pods of a namespace without the
    // istio-injection label (Kong's, created by Helm) through this pod label.
    podLabels: { 'sidecar.istio.io/inject': 'true' },
    env: {
      database: 'off',
      trusted_ips: config.network.cidr,
      real_ip_header: 'X-Forwarded-For',
      real_ip_recursive: 'on',
      headers: 'off',
      untrusted_lua: 'sandbox',
      lua_ssl_trusted_certificate: 'system',
      ssl_protocols: 'TLSv1.2 TLSv1.3',
      anonymous_reports: 'off',
      nginx_http_log_format: ACCESS_LOG_FORMAT,
      proxy_access_log: '/dev/stdout hydraulic_json',
      proxy_error_log: '/dev/stderr',
    },
    admin: { enabled: false },
    proxy: {
      enabled: true,
      type: 'ClusterIP',
      nameOverride: KONG_PROXY_SERVICE,
      http: { enabled: false },
      tls: { enabled: true, servicePort: KONG_PROXY_SERVICE_PORT, containerPort: KONG_PROXY_CONTAINER_PORT },
    },
    status: { enabled: true, http: { enabled: true, containerPort: KONG_STATUS_PORT } },
    ingressController: { enabled: true, ingressClass: KONG_INGRESS_CLASS },
  };
}
