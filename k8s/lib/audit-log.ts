import type { StageConfig } from '../../lib/config';

/** The mesh-config extension provider that writes the JSON audit log (declared in istiod's values). */
export const AUDIT_LOG_PROVIDER = 'hydraulic-audit-json';

/**
 * One JSON access-log line per request, with the design document's audit fields where a proxy
 * can know them. `event_hash` is not among them: Envoy cannot chain hashes; the log shipper or
 * the audit tool adds it.
 *
 * No credential header is ever logged (the configuration refuses `authorization` and `cookie`
 * as audit headers). The path is logged with its query string, so no service may accept a
 * credential in a query string.
 */
export function auditLogFormat(headers: StageConfig['mesh']['auditHeaders']): Record<string, string> {
  const header = (name: string) => `%REQ(${name.toUpperCase()})%`;
  return {
    timestamp: '%START_TIME%',
    event_type: 'mesh.request',
    user_id: header(headers.user),
    tenant_id: header(headers.tenant),
    device_fingerprint: header(headers.device),
    source_principal: '%DOWNSTREAM_PEER_URI_SAN%',
    destination_principal: '%DOWNSTREAM_LOCAL_URI_SAN%',
    action: '%REQ(:METHOD)%',
    // Not %REQ_WITHOUT_QUERY%: that operator is an Envoy extension which istiod declares only
    // for text formats, so a JSON format using it would be rejected by every proxy.
    resource: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
    authority: '%REQ(:AUTHORITY)%',
    ip_address: '%REQ(X-FORWARDED-FOR)%',
    peer_address: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%',
    user_agent: '%REQ(USER-AGENT)%',
    result: '%RESPONSE_CODE%',
    result_details: '%RESPONSE_CODE_DETAILS%',
    response_flags: '%RESPONSE_FLAGS%',
    request_id: '%REQ(X-REQUEST-ID)%',
    duration_ms: '%DURATION%',
  };
}
