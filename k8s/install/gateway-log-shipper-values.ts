import { Naming, type StageConfig } from '../../lib/config';
import { GATEWAY_LOG_SHIPPER } from '../../lib/config/gateway-access-log';
import { KONG_PROXY_CONTAINER } from '../charts/gateway/gateway-names';

/** Where the values file is written, relative to the stage's Helm values folder. */
export const GATEWAY_LOG_SHIPPER_VALUES_FILE = 'gateway-log-shipper-values.yaml';

/**
 * Values for the `aws-for-fluent-bit` Helm chart (AWS's `eks/aws-for-fluent-bit`, image 2.32.5 or
 * later: earlier images cannot use EKS Pod Identity) that ship Kong's audit log to the log group
 * the security alarms read:
 *
 * - it tails only the Kong container of the gateway namespace's pods, where the global file-log
 *   plugin writes one JSON object per request;
 * - it sends each line as Kong wrote it (`log_key log`: no Kubernetes metadata around it), so the
 *   alarms' `$.response.status` and `$.client_ip` selectors find the fields at the top level;
 * - it writes only to `naming.gatewayAccessLogGroupName` (no per-namespace group template, no group
 *   created: the audit stack's group is KMS-encrypted and retained), as the ServiceAccount the
 *   cluster-access stack's Pod Identity association names, whose role may write nowhere else.
 *
 * Install: `helm upgrade --install gateway-log-shipper eks/aws-for-fluent-bit -n gateway-log-shipper
 * --create-namespace -f k8s/dist/<stage>/helm/gateway-log-shipper-values.yaml`.
 */
export function gatewayLogShipperValues(config: StageConfig): Record<string, unknown> {
  const naming = new Naming(config);
  const kongNamespace = config.serviceGraph.gateway.namespace;
  const tag = 'kong.*';
  return {
    serviceAccount: { create: true, name: GATEWAY_LOG_SHIPPER.serviceAccount },
    input: {
      enabled: true,
      tag,
      // The kubelet names container logs <pod>_<namespace>_<container>-<container id>.log.
      path: `/var/log/containers/*_${kongNamespace}_${KONG_PROXY_CONTAINER}-*.log`,
      db: '/var/log/flb_gateway_access.db',
      multilineParser: 'docker, cri',
    },
    // No Kubernetes metadata: only the log line itself is sent.
    filter: { enabled: false },
    cloudWatchLogs: {
      enabled: true,
      match: tag,
      region: config.aws.region,
      logGroupName: naming.gatewayAccessLogGroupName,
      // The chart's defaults would route lines to a group per namespace, named after its metadata.
      logGroupTemplate: null,
      logStreamTemplate: null,
      logStreamPrefix: 'kong-',
      logKey: 'log',
      autoCreateGroup: false,
    },
    cloudWatch: { enabled: false },
    firehose: { enabled: false },
    kinesis: { enabled: false },
    elasticsearch: { enabled: false },
  };
}
