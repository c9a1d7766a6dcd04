import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1';
import type { Construct } from 'constructs';
import { Ingress, IngressClass } from 'kubernetes-models/networking.k8s.io/v1';
import { Naming } from '../../../lib/config';
import { IngressClassParams, type KeyValue } from '../../crds/ingress-class-params';
import { addObject } from '../../lib/add-object';
import { StageChart, type StageChartProps } from '../stage-chart';
import {
  GatewayNames,
  KONG_PROXY_CONTAINER_PORT,
  KONG_PROXY_SERVICE,
  KONG_PROXY_SERVICE_PORT,
  KONG_RELEASE,
  KONG_STATUS_PORT,
} from './gateway-names';

/** The AWS Load Balancer Controller's IngressClass controller name. */
export const ALB_CONTROLLER = 'ingress.k8s.aws/alb';

/** The labels of Kong's pods (the Helm chart's selector labels for release {@link KONG_RELEASE}). */
export const KONG_POD_LABELS = { 'app.kubernetes.io/name': 'kong', 'app.kubernetes.io/instance': KONG_RELEASE };

/**
 * The edge: an Application Load Balancer (AWS Load Balancer Controller) in front of Kong's proxy.
 *
 * - HTTPS only: one listener on 443, no HTTP listener to redirect from; the TLS 1.3 policy and the
 *   ACM certificate from config; TLS again from the ALB to Kong.
 * - The WAF web ACL attached by name; if WAF cannot be reached, the ALB fails closed. With
 *   `edge.shieldAdvanced`, Shield Advanced protects the ALB.
 * - Access logs to the audit stack's access-log bucket, under the prefix its policy admits;
 *   invalid header fields dropped; strictest desync mitigation;
 *   the client address appended to X-Forwarded-For, where Kong reads it (trusted_ips).
 * - Settings live in IngressClassParams, which no Ingress annotation can override, and only Kong's
 *   namespace may use the class.
 * - Kong's proxy Service stays ClusterIP (Helm values); the ALB targets its pods by IP. Under the
 *   mesh's STRICT mTLS, the two ports the ALB reaches (proxy TLS, status) accept its plain TLS and
 *   health checks; every other port of Kong's pods stays STRICT.
 */
export class GatewayEdgeChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const names = new GatewayNames(this.config);
    const { edge, hostname } = this.config.gateway;
    const kongNamespace = this.config.serviceGraph.gateway.namespace;

    const attributes: KeyValue[] = [
      { key: 'access_logs.s3.enabled', value: 'true' },
      { key: 'access_logs.s3.bucket', value: names.accessLogBucket },
      { key: 'access_logs.s3.prefix', value: names.accessLogPrefix },
      { key: 'deletion_protection.enabled', value: 'true' },
      { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
      { key: 'routing.http.desync_mitigation_mode', value: 'strictest' },
      { key: 'routing.http.xff_header_processing.mode', value: 'append' },
      { key: 'waf.fail_open.enabled', value: 'false' },
      { key: 'idle_timeout.timeout_seconds', value: '60' },
    ];
    const tags = Object.entries(new Naming(this.config).tags).map(([key, value]) => ({ key, value }));

    addObject(
      this,
      'params',
      new IngressClassParams({
        name: names.edgeClass,
        namespaceLabels: { 'kubernetes.io/metadata.name': kongNamespace },
        group: names.edgeClass,
        scheme: edge.scheme,
        sslPolicy: edge.sslPolicy,
        certificateArns: [edge.certificateArn],
        wafv2AclName: names.webAclName,
        inboundCidrs: edge.inboundCidrs,
        loadBalancerAttributes: attributes,
        tags,
      }),
    );

    addObject(
      this,
      'class',
      new IngressClass({
        metadata: { name: names.edgeClass },
        spec: { controller: ALB_CONTROLLER, parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: names.edgeClass } },
      }),
    );

    addObject(
      this,
      'alb',
      new Ingress({
        metadata: {
          name: 'edge',
          namespace: kongNamespace,
          annotations: {
            'alb.ingress.kubernetes.io/listen-ports': JSON.stringify([{ HTTPS: 443 }]),
            'alb.ingress.kubernetes.io/backend-protocol': 'HTTPS',
            'alb.ingress.kubernetes.io/healthcheck-protocol': 'HTTP',
            'alb.ingress.kubernetes.io/healthcheck-port': String(KONG_STATUS_PORT),
            'alb.ingress.kubernetes.io/healthcheck-path': '/status/ready',
            'alb.ingress.kubernetes.io/success-codes': '200',
            // The CDK side adds the account's ALBs to a Shield protection group; the protection of
            // this ALB itself can only be created once it exists, by the controller.
            ...(this.config.edge.shieldAdvanced ? { 'alb.ingress.kubernetes.io/shield-advanced-protection': 'true' } : {}),
          },
        },
        spec: {
          ingressClassName: names.edgeClass,
          rules: [
            {
              host: hostname,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: KONG_PROXY_SERVICE, port: { number: KONG_PROXY_SERVICE_PORT } } },
                  },
                ],
              },
            },
          ],
        },
      }),
    );

    addObject(
      this,
      'alb-to-kong',
      new PeerAuthentication({
        metadata: { name: 'kong-proxy-from-alb', namespace: kongNamespace },
        spec: {
          selector: { matchLabels: KONG_POD_LABELS },
          mtls: { mode: 'STRICT' },
          // The ALB is no mesh workload: it speaks TLS to the proxy port and HTTP to the status port.
          portLevelMtls: { [KONG_PROXY_CONTAINER_PORT]: { mode: 'DISABLE' }, [KONG_STATUS_PORT]: { mode: 'DISABLE' } },
        },
      }),
    );
  }
}
