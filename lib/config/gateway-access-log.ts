/**
 * Kong's audit log, as both sides see it. The gateway's global `file-log` plugin writes one JSON
 * object per request to Kong's stdout (Kong's log serializer plus the design document's fields,
 * `k8s/charts/gateway/audit-fields.ts`); a Fluent Bit DaemonSet ships those lines, as they are, to
 * `naming.gatewayAccessLogGroupName`, where the security alarms' metric filters and Contributor
 * Insights rule select these fields.
 */
export const GATEWAY_ACCESS_LOG_FIELDS = {
  /** The HTTP status Kong answered with (Kong's serializer). */
  status: 'response.status',
  /** The client's address after the real-IP rewrite from the ALB's X-Forwarded-For (Kong's serializer). */
  clientIp: 'client_ip',
  /** The consumer (tenant or operator account) of a verified token (Kong's serializer). */
  consumer: 'consumer.username',
  /** The request's path and query (Kong's serializer). */
  uri: 'request.uri',
} as const;

/** A field's selector in CloudWatch Logs filter patterns and Contributor Insights rules, e.g. `$.response.status`. */
export function logFieldSelector(field: string): string {
  return `$.${field}`;
}

/**
 * Who ships Kong's log lines to the gateway log group: the `aws-for-fluent-bit` Helm release's
 * ServiceAccount, in its own namespace. The cluster-access stack gives exactly this ServiceAccount,
 * through EKS Pod Identity, the right to write to that one log group; the rendered Helm values
 * install it under these names.
 */
export const GATEWAY_LOG_SHIPPER = {
  namespace: 'gateway-log-shipper',
  serviceAccount: 'gateway-log-shipper',
} as const;
