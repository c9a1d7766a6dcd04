/**
 * Typed `config` of each Kong plugin the project renders, after Kong Gateway 3.9's open-source
 * plugin schemas. The JSON schemas beside this file (`plugins/<name>.json`) are what synthesis and
 * the tests check against; these types catch the same mistakes earlier, in the editor.
 */

/** The nested Redis record Kong 3.6+ plugins share (kong/tools/redis/schema.lua). */
export interface KongRedisConfig {
  readonly host?: string;
  readonly port?: number;
  /** Milliseconds. */
  readonly timeout?: number;
  readonly username?: string;
  readonly password?: string;
  readonly database?: number;
  readonly ssl?: boolean;
  readonly ssl_verify?: boolean;
  readonly server_name?: string;
}

/** `rate-limiting` (kong/plugins/rate-limiting/schema.lua). */
export interface RateLimitingConfig {
  readonly second?: number;
  readonly minute?: number;
  readonly hour?: number;
  readonly day?: number;
  readonly month?: number;
  readonly year?: number;
  readonly limit_by?: 'consumer' | 'credential' | 'ip' | 'service' | 'header' | 'path';
  readonly header_name?: string;
  readonly path?: string;
  readonly policy?: 'local' | 'cluster' | 'redis';
  readonly fault_tolerant?: boolean;
  readonly redis?: KongRedisConfig;
  readonly hide_client_headers?: boolean;
  readonly error_code?: number;
  readonly error_message?: string;
  readonly sync_rate?: number;
}

/** `jwt` (kong/plugins/jwt/schema.lua). */
export interface JwtConfig {
  readonly uri_param_names?: readonly string[];
  readonly cookie_names?: readonly string[];
  readonly key_claim_name?: string;
  readonly secret_is_base64?: boolean;
  readonly claims_to_verify?: readonly ('exp' | 'nbf')[];
  readonly anonymous?: string;
  readonly run_on_preflight?: boolean;
  /** Seconds; a token whose `exp` is further away than this is refused. */
  readonly maximum_expiration?: number;
  readonly header_names?: readonly string[];
  readonly realm?: string;
}

/** `ip-restriction` (kong/plugins/ip-restriction/schema.lua). */
export interface IpRestrictionConfig {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
  readonly status?: number;
  readonly message?: string;
}

/** `acl` (kong/plugins/acl/schema.lua). */
export interface AclConfig {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
  readonly hide_groups_header?: boolean;
}

/** `request-size-limiting` (kong/plugins/request-size-limiting/schema.lua). */
export interface RequestSizeLimitingConfig {
  readonly allowed_payload_size?: number;
  readonly size_unit?: 'megabytes' | 'kilobytes' | 'bytes';
  readonly require_content_length?: boolean;
}

/** `correlation-id` (kong/plugins/correlation-id/schema.lua). */
export interface CorrelationIdConfig {
  readonly header_name?: string;
  readonly generator?: 'uuid' | 'uuid#counter' | 'tracker';
  readonly echo_downstream?: boolean;
}

interface ResponseTransformation {
  readonly headers?: readonly string[];
  readonly json?: readonly string[];
}

/** `response-transformer` (kong/plugins/response-transformer/schema.lua). */
export interface ResponseTransformerConfig {
  readonly remove?: ResponseTransformation;
  readonly rename?: ResponseTransformation;
  readonly replace?: ResponseTransformation & { readonly json_types?: readonly ('boolean' | 'number' | 'string')[] };
  readonly add?: ResponseTransformation & { readonly json_types?: readonly ('boolean' | 'number' | 'string')[] };
  readonly append?: ResponseTransformation & { readonly json_types?: readonly ('boolean' | 'number' | 'string')[] };
}

/** `file-log` (kong/plugins/file-log/schema.lua). */
export interface FileLogConfig {
  readonly path: string;
  readonly reopen?: boolean;
  /** Field name to Lua code run in Kong's sandbox in the log phase; the result becomes the field. */
  readonly custom_fields_by_lua?: Readonly<Record<string, string>>;
}

/**
 * `post-function` (kong/plugins/pre-function/_schema.lua): Lua chunks run after every other
 * plugin of a phase, in Kong's `untrusted_lua` sandbox.
 */
export interface PostFunctionConfig {
  readonly certificate?: readonly string[];
  readonly rewrite?: readonly string[];
  readonly access?: readonly string[];
  readonly header_filter?: readonly string[];
  readonly body_filter?: readonly string[];
  readonly log?: readonly string[];
}

/** Every plugin the project renders, by name. A plugin without an entry here cannot be rendered. */
export interface KongPluginConfigs {
  readonly 'rate-limiting': RateLimitingConfig;
  readonly jwt: JwtConfig;
  readonly 'ip-restriction': IpRestrictionConfig;
  readonly acl: AclConfig;
  readonly 'request-size-limiting': RequestSizeLimitingConfig;
  readonly 'correlation-id': CorrelationIdConfig;
  readonly 'response-transformer': ResponseTransformerConfig;
  readonly 'file-log': FileLogConfig;
  readonly 'post-function': PostFunctionConfig;
}

/** The name of a plugin the project renders. */
export type KongPluginName = keyof KongPluginConfigs;
