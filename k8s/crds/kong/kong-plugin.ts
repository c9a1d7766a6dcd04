import { compileSchemaCheck, SchemaCheckedObject, type Manifest } from '../project-schema';
import type { KongPluginConfigs, KongPluginName } from './plugin-configs';
import { assertPatchPath, kongClusterPluginSchema, kongPluginSchema } from './schemas';

/** The annotation and value that make Kong Ingress Controller pick an object up. */
export const KONG_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** A protocol a plugin may be limited to. */
export type KongProtocol = 'http' | 'https' | 'grpc' | 'grpcs';

/**
 * One field of a plugin's config taken from a key of a Secret (Kong Ingress Controller 3.1+). KIC
 * adds the key's value as JSON at `path`, so a string value must be stored quoted (`"host"`).
 */
export interface KongConfigPatch {
  /** A JSON pointer into the plugin's config, e.g. `/redis/password`; checked against the plugin's schema. */
  readonly path: string;
  /** The Secret and key holding the JSON value. */
  readonly secret: { readonly name: string; readonly key: string };
}

interface PluginProps<P extends KongPluginName> {
  /** The object's name. */
  readonly name: string;
  /** The plugin. */
  readonly plugin: P;
  /** The plugin's config, checked against the project's schema of that plugin. */
  readonly config: KongPluginConfigs[P];
  /**
   * Fields of the config taken from Secrets, so no secret value appears in the manifest.
   * @default - none
   */
  readonly configPatches?: readonly KongConfigPatch[];
  /**
   * The protocols the plugin runs on.
   * @default - every protocol the plugin supports
   */
  readonly protocols?: readonly KongProtocol[];
  /** Labels and annotations, merged with the chart's labels. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Properties of a namespaced {@link KongPlugin}. */
export interface KongPluginProps<P extends KongPluginName> extends PluginProps<P> {
  /** The namespace: that of the Ingress, Service or KongConsumer that references the plugin. */
  readonly namespace: string;
}

/** Properties of a {@link KongClusterPlugin}. */
export interface KongClusterPluginProps<P extends KongPluginName> extends PluginProps<P> {
  /** The namespace of the Secrets `configPatches` read (a cluster-scoped object has none of its own). */
  readonly secretNamespace?: string;
  /**
   * Whether the plugin runs on every route of the gateway (the `global: "true"` label).
   * @default false - it runs where a `konghq.com/plugins` annotation names it
   */
  readonly global?: boolean;
  /** The Kong ingress class that picks the plugin up (KIC ignores KongClusterPlugins without one). */
  readonly ingressClass: string;
}

interface PluginManifest extends Manifest {
  readonly plugin: string;
  readonly config: object;
}

const checkKongPlugin = compileSchemaCheck(kongPluginSchema, 'KongPlugin');
const checkKongClusterPlugin = compileSchemaCheck(kongClusterPluginSchema, 'KongClusterPlugin');

function checkPatches<P extends KongPluginName>(props: PluginProps<P>): void {
  for (const patch of props.configPatches ?? []) assertPatchPath(props.plugin, patch.path);
}

function metadataOf(
  props: PluginProps<KongPluginName>,
  extraLabels: Record<string, string> = {},
  extraAnnotations: Record<string, string> = {},
) {
  const labels = { ...props.labels, ...extraLabels };
  const annotations = { ...props.annotations, ...extraAnnotations };
  return {
    name: props.name,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/** configuration.konghq.com/v1 KongPlugin: a plugin instance for routes, services or consumers of one namespace. */
export class KongPlugin<P extends KongPluginName> extends SchemaCheckedObject<PluginManifest> {
  constructor(props: KongPluginProps<P>) {
    checkPatches(props);
    super(
      {
        apiVersion: 'configuration.konghq.com/v1',
        kind: 'KongPlugin',
        metadata: { ...metadataOf(props), namespace: props.namespace },
        plugin: props.plugin,
        config: props.config,
        ...(props.configPatches
          ? { configPatches: props.configPatches.map((patch) => ({ path: patch.path, valueFrom: { secretKeyRef: { ...patch.secret } } })) }
          : {}),
        ...(props.protocols ? { protocols: [...props.protocols] } : {}),
      },
      checkKongPlugin,
    );
  }
}

/**
 * configuration.konghq.com/v1 KongClusterPlugin: a cluster-scoped plugin instance, global or named
 * by annotations in any namespace; its Secrets can live in the gateway's own namespace.
 */
export class KongClusterPlugin<P extends KongPluginName> extends SchemaCheckedObject<PluginManifest> {
  constructor(props: KongClusterPluginProps<P>) {
    checkPatches(props);
    const secretNamespace = props.secretNamespace;
    if (props.configPatches?.length && !secretNamespace) {
      throw new Error(`KongClusterPlugin ${props.name} reads Secrets through configPatches but names no secretNamespace`);
    }
    super(
      {
        apiVersion: 'configuration.konghq.com/v1',
        kind: 'KongClusterPlugin',
        metadata: metadataOf(props, props.global ? { global: 'true' } : {}, { [KONG_INGRESS_CLASS_ANNOTATION]: props.ingressClass }),
        plugin: props.plugin,
        config: props.config,
        ...(props.configPatches
          ? {
              configPatches: props.configPatches.map((patch) => ({
                path: patch.path,
                valueFrom: { secretKeyRef: { namespace: secretNamespace ?? '', ...patch.secret } },
              })),
            }
          : {}),
        ...(props.protocols ? { protocols: [...props.protocols] } : {}),
      },
      checkKongClusterPlugin,
    );
  }
}
