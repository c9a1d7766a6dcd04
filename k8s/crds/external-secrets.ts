import type { KubernetesModel } from '../lib/add-object';
import { compileSchemaCheck, type SchemaCheck } from './project-schema';
import clusterSecretStoreSchema from './schemas/cluster-secret-store.v1.json';
import externalSecretSchema from './schemas/external-secret.v1.json';

/**
 * External Secrets Operator `external-secrets.io/v1` kinds. Their only typed models are
 * ESM-only (Node 22), so the project keeps JSON schemas transcribed from the operator's v1 CRDs
 * (`schemas/`, also registered with the test harness) and validates against them here.
 */
export const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';

/** The JSON schema of each kind, for the test harness to register. */
export const EXTERNAL_SECRETS_SCHEMAS = {
  ClusterSecretStore: clusterSecretStoreSchema,
  ExternalSecret: externalSecretSchema,
} as const;

const checks = new Map<string, SchemaCheck>();

function checkFor(kind: keyof typeof EXTERNAL_SECRETS_SCHEMAS): SchemaCheck {
  let check = checks.get(kind);
  if (!check) {
    check = compileSchemaCheck(EXTERNAL_SECRETS_SCHEMAS[kind], kind);
    checks.set(kind, check);
  }
  return check;
}

/** Object metadata as these kinds use it. */
export interface ObjectMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** A reference to the store an ExternalSecret (or one of its entries) reads from. */
export interface SecretStoreReference {
  readonly kind: 'SecretStore' | 'ClusterSecretStore';
  readonly name: string;
}

/**
 * The AWS provider of a store. There is deliberately no `auth` field: the controller uses its own
 * credentials (EKS Pod Identity), so no access key ever sits in a Kubernetes Secret.
 */
export interface AwsProvider {
  readonly service: 'SecretsManager' | 'ParameterStore';
  readonly region: string;
}

/** The spec of a ClusterSecretStore. */
export interface ClusterSecretStoreSpec {
  readonly provider: { readonly aws: AwsProvider };
  /** Namespaces whose ExternalSecrets may use the store; without conditions, every namespace may. */
  readonly conditions: readonly { readonly namespaces: readonly string[] }[];
  readonly retrySettings?: { readonly maxRetries: number; readonly retryInterval: string };
}

/** Where one value of the target Secret comes from. */
export interface RemoteReference {
  /** The secret or parameter name in the provider. */
  readonly key: string;
  /** A property of a JSON secret. */
  readonly property?: string;
  readonly conversionStrategy?: 'Default' | 'Unicode';
  readonly decodingStrategy?: 'Auto' | 'Base64' | 'Base64URL' | 'None';
}

/** One key of the target Secret. */
export interface ExternalSecretEntry {
  readonly secretKey: string;
  readonly remoteRef: RemoteReference;
  /** Read this entry from another store than the ExternalSecret's own. */
  readonly sourceRef?: { readonly storeRef: SecretStoreReference };
}

/** The spec of an ExternalSecret. */
export interface ExternalSecretSpec {
  /** A Go duration such as `15m`. */
  readonly refreshInterval: string;
  readonly refreshPolicy?: 'CreatedOnce' | 'Periodic' | 'OnChange';
  readonly secretStoreRef: SecretStoreReference;
  readonly target: {
    readonly name: string;
    readonly creationPolicy: 'Owner' | 'Orphan' | 'Merge' | 'None';
    readonly deletionPolicy: 'Delete' | 'Merge' | 'Retain';
    readonly template?: {
      /** `v2`: Go templates with Sprig functions. */
      readonly engineVersion?: 'v2';
      readonly type?: string;
      /** `Replace`: the Secret holds only the templated keys. */
      readonly mergePolicy?: 'Replace' | 'Merge';
      readonly metadata?: { readonly labels?: Record<string, string> };
      /** Go templates that compute the Secret's keys from the fetched values. */
      readonly data?: Record<string, string>;
    };
  };
  readonly data?: readonly ExternalSecretEntry[];
  readonly dataFrom?: readonly { readonly extract: RemoteReference }[];
}

abstract class ExternalSecretsModel<Spec> implements KubernetesModel {
  protected abstract readonly kind: keyof typeof EXTERNAL_SECRETS_SCHEMAS;

  constructor(private readonly data: { readonly metadata: ObjectMetadata; readonly spec: Spec }) {}

  public validate(): void {
    checkFor(this.kind)(this.toJSON());
  }

  public toJSON(): object {
    return JSON.parse(JSON.stringify({ apiVersion: EXTERNAL_SECRETS_API_VERSION, kind: this.kind, ...this.data })) as object;
  }
}

/** A cluster-wide store: where the operator reads secrets from, for the namespaces it names. */
export class ClusterSecretStore extends ExternalSecretsModel<ClusterSecretStoreSpec> {
  protected readonly kind = 'ClusterSecretStore';
}

/** A Kubernetes Secret the operator keeps in sync with values from a store. */
export class ExternalSecret extends ExternalSecretsModel<ExternalSecretSpec> {
  protected readonly kind = 'ExternalSecret';
}

/** One key of the target Secret and where its value comes from. */
export interface ExternalSecretData {
  /** The key in the fetched data (and, without a template, in the Secret). */
  readonly secretKey: string;
  /** The secret or parameter name in the provider. */
  readonly key: string;
  /**
   * A property of a JSON secret value.
   * @default - the whole value
   */
  readonly property?: string;
  /**
   * A different store for this key (e.g. a Parameter Store value beside Secrets Manager ones).
   * @default - the ExternalSecret's store
   */
  readonly store?: SecretStoreReference;
}

/** Properties of {@link templatedExternalSecret}. */
export interface TemplatedExternalSecretProps {
  readonly name: string;
  readonly namespace: string;
  readonly store: SecretStoreReference;
  /** How often the value is read again, as a Go duration (`1m`, `1h`). */
  readonly refreshInterval: string;
  readonly data: readonly ExternalSecretData[];
  /** The Secret External Secrets writes. */
  readonly target: {
    /** @default - the ExternalSecret's name */
    readonly name?: string;
    /** Labels of the written Secret (Kong finds credentials by label). */
    readonly labels?: Readonly<Record<string, string>>;
    /**
     * Go templates (engine v2, with Sprig) that compute the Secret's keys from the fetched data.
     * @default - the fetched keys as they are
     */
    readonly template?: Readonly<Record<string, string>>;
  };
}

/**
 * An ExternalSecret whose Secret is computed by templates from fetched values, owned by the
 * ExternalSecret and kept if the provider's value goes away: how the gateway gets its Redis
 * connection and JWT credentials in the shape Kong reads.
 */
export function templatedExternalSecret(props: TemplatedExternalSecretProps): ExternalSecret {
  const { labels, template } = props.target;
  return new ExternalSecret({
    metadata: { name: props.name, namespace: props.namespace },
    spec: {
      refreshInterval: props.refreshInterval,
      secretStoreRef: props.store,
      target: {
        name: props.target.name ?? props.name,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        template: {
          engineVersion: 'v2',
          type: 'Opaque',
          mergePolicy: 'Replace',
          ...(labels ? { metadata: { labels: { ...labels } } } : {}),
          ...(template ? { data: { ...template } } : {}),
        },
      },
      data: props.data.map((item) => ({
        secretKey: item.secretKey,
        remoteRef: { key: item.key, ...(item.property ? { property: item.property } : {}) },
        ...(item.store ? { sourceRef: { storeRef: item.store } } : {}),
      })),
    },
  });
}
