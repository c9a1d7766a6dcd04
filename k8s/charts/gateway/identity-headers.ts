import type { StageConfig } from '../../../lib/config';
import { verifiedClaim } from './audit-fields';

/** The roles of the identity headers the mesh's audit log records (`mesh.auditHeaders`). */
type AuditHeaderRole = keyof StageConfig['mesh']['auditHeaders'];

/** The token claim each identity header carries (design document, "JWT Best Practices"). */
export const AUDIT_HEADER_CLAIMS = {
  user: 'sub',
  tenant: 'tenant_id',
  device: 'device_fingerprint',
} as const satisfies Record<AuditHeaderRole, string>;

/**
 * Lua for the `post-function` plugin's access phase, which runs after every other plugin (after
 * `jwt` verified the token): each identity header of `mesh.auditHeaders` is removed from the
 * request, whatever the client sent, and set again only from the claims of a token Kong verified,
 * read the way the gateway's own audit log reads them. The services' sidecars write these headers
 * to the mesh's audit log as the user, tenant and device; without this, they would log whatever a
 * client chose to send, and nothing at all for a real user.
 */
export function identityHeadersLua(headers: StageConfig['mesh']['auditHeaders']): string {
  return (Object.entries(AUDIT_HEADER_CLAIMS) as [AuditHeaderRole, string][])
    .map(([role, claim]) =>
      [
        `kong.service.request.clear_header('${headers[role]}')`,
        'do',
        `local value = (function()\n${verifiedClaim(claim)}\nend)()`,
        `if value then kong.service.request.set_header('${headers[role]}', value) end`,
        'end',
      ].join('\n'),
    )
    .join('\n');
}
