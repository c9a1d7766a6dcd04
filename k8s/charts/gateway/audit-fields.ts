/**
 * The design document's audit fields ("Audit Log Format"), computed by Kong's file-log plugin in the
 * log phase with `custom_fields_by_lua`. The code runs in Kong's Lua sandbox (`untrusted_lua =
 * sandbox`), which offers the PDK (`kong.request`, `kong.response`, `kong.client`), `ngx.decode_base64`,
 * `os.date` and the string library, but no JSON decoder, no file or network access and no shared
 * state between requests. What that rules out is listed in docs/gateway.md (audit log).
 */

/** Whether the request carried a credential Kong verified; false for public routes and failed auth. */
const VERIFIED = 'kong.client.get_credential() ~= nil';

/**
 * Lua returning one claim of the request's JWT, read only after the jwt plugin verified the token (the token is
 * then the Authorization header's, since query and cookie tokens are turned off). Claims of an
 * unverified token are the client's words, so failed authentications carry no identity.
 */
export function verifiedClaim(claim: string): string {
  return [
    `if not (${VERIFIED}) then return nil end`,
    "local payload = (kong.request.get_header('authorization') or ''):match('^%s*[Bb]earer%s+[^.]+%.([^.]+)%.')",
    'if not payload then return nil end',
    "payload = payload:gsub('-', '+'):gsub('_', '/')",
    "local json = ngx.decode_base64(payload .. string.rep('=', (4 - #payload % 4) % 4))",
    `return json and json:match('"${claim}"%s*:%s*"([^"]*)"')`,
  ].join('\n');
}

/** Field name to Lua source, for file-log's `custom_fields_by_lua`. */
export const AUDIT_FIELDS: Readonly<Record<string, string>> = {
  timestamp: "return os.date('!%Y-%m-%dT%H:%M:%SZ', math.floor(kong.request.get_start_time() / 1000))",
  event_type: [
    'local status = kong.response.get_status()',
    "if kong.response.get_source() == 'exit' then",
    "  if status == 401 then return 'auth.failure' end",
    "  if status == 403 then return 'authz.denied' end",
    "  if status == 429 then return 'rate_limit.exceeded' end",
    "  if status == 413 then return 'request.too_large' end",
    'end',
    `if ${VERIFIED} then return 'auth.success' end`,
    "return 'request.public'",
  ].join('\n'),
  user_id: verifiedClaim('sub'),
  tenant_id: verifiedClaim('tenant_id'),
  consumer: `if not (${VERIFIED}) then return nil end\nlocal consumer = kong.client.get_consumer()\nreturn consumer and consumer.username`,
  resource: 'return kong.request.get_path()',
  action: 'return kong.request.get_method()',
  ip_address: 'return kong.client.get_forwarded_ip()',
  user_agent: "return kong.request.get_header('user-agent')",
  result: "if kong.response.get_status() >= 400 then return 'failure' end\nreturn 'success'",
};
