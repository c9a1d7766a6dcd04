import kongClusterPluginCrd from '../schemas/kong-cluster-plugin.v1.json';
import kongConsumerGroupCrd from '../schemas/kong-consumer-group.v1beta1.json';
import kongConsumerCrd from '../schemas/kong-consumer.v1.json';
import kongPluginCrd from '../schemas/kong-plugin.v1.json';
import type { KongPluginName } from './plugin-configs';
import acl from './plugins/acl.json';
import correlationId from './plugins/correlation-id.json';
import fileLog from './plugins/file-log.json';
import ipRestriction from './plugins/ip-restriction.json';
import jwt from './plugins/jwt.json';
import postFunction from './plugins/post-function.json';
import rateLimiting from './plugins/rate-limiting.json';
import requestSizeLimiting from './plugins/request-size-limiting.json';
import responseTransformer from './plugins/response-transformer.json';

interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema | boolean>>;
  readonly [keyword: string]: unknown;
}

/** The schema of each plugin's `config`, as the project keeps it. */
export const KONG_PLUGIN_CONFIG_SCHEMAS: Readonly<Record<KongPluginName, JsonSchema>> = {
  'rate-limiting': rateLimiting,
  jwt,
  'ip-restriction': ipRestriction,
  acl,
  'request-size-limiting': requestSizeLimiting,
  'correlation-id': correlationId,
  'response-transformer': responseTransformer,
  'file-log': fileLog,
  'post-function': postFunction,
};

/**
 * A KongPlugin or KongClusterPlugin CRD schema that also checks `config` against the schema of the
 * plugin it names, and accepts only plugins the project keeps a schema for.
 */
function withPluginConfigs(crd: JsonSchema): JsonSchema {
  const names = Object.keys(KONG_PLUGIN_CONFIG_SCHEMAS) as KongPluginName[];
  return {
    ...crd,
    properties: { ...crd.properties, plugin: { type: 'string', enum: names } },
    allOf: names.map((name) => ({
      if: { type: 'object', properties: { plugin: { const: name } }, required: ['plugin'] },
      then: { type: 'object', properties: { config: KONG_PLUGIN_CONFIG_SCHEMAS[name] } },
    })),
  };
}

/** configuration.konghq.com/v1 KongPlugin, with every plugin's config checked. */
export const kongPluginSchema = withPluginConfigs(kongPluginCrd);
/** configuration.konghq.com/v1 KongClusterPlugin, with every plugin's config checked. */
export const kongClusterPluginSchema = withPluginConfigs(kongClusterPluginCrd);
/** configuration.konghq.com/v1 KongConsumer. */
export const kongConsumerSchema: JsonSchema = kongConsumerCrd;
/** configuration.konghq.com/v1beta1 KongConsumerGroup. */
export const kongConsumerGroupSchema: JsonSchema = kongConsumerGroupCrd;

/**
 * Checks that a configPatches path (a JSON pointer such as `/redis/password`) names a field of the
 * plugin's config schema: KIC would add an unknown field and Kong would reject the whole config.
 *
 * @throws naming the path and the fields allowed where it went wrong
 */
export function assertPatchPath(plugin: KongPluginName, path: string): void {
  let schema: JsonSchema | boolean = KONG_PLUGIN_CONFIG_SCHEMAS[plugin];
  for (const segment of path.split('/').slice(1)) {
    const fields: Readonly<Record<string, JsonSchema | boolean>> = (typeof schema === 'object' && schema.properties) || {};
    if (!(segment in fields)) {
      throw new Error(
        `configPatches path ${path} names no field of the ${plugin} config; allowed at "${segment}": ${Object.keys(fields).join(', ') || 'none'}`,
      );
    }
    schema = fields[segment];
  }
}
