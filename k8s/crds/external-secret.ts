import { compileSchemaCheck, SchemaCheckedObject, type Manifest } from './project-schema';
import externalSecretSchema from './schemas/external-secret.v1.json';

/** A ClusterSecretStore (or namespaced SecretStore) an ExternalSecret reads from. */
export interface SecretStoreRef {
  readonly name: string;
  readonly kind: 'ClusterSecretStore' | 'SecretStore';
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
  readonly store?: SecretStoreRef;
}

/** Properties of an {@link ExternalSecret}. */
export interface ExternalSecretProps {
  readonly name: string;
  readonly namespace: string;
  readonly store: SecretStoreRef;
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

interface ExternalSecretManifest extends Manifest {
  readonly spec: object;
}

const checkExternalSecret = compileSchemaCheck(externalSecretSchema, 'ExternalSecret');

/**
 * external-secrets.io/v1 ExternalSecret: External Secrets Operator writes a Kubernetes Secret from
 * AWS Secrets Manager or Parameter Store, so no secret value is ever in a manifest. The written
 * Secret is owned by the ExternalSecret and kept if the provider's value goes away.
 */
export class ExternalSecret extends SchemaCheckedObject<ExternalSecretManifest> {
  constructor(props: ExternalSecretProps) {
    const { labels, template } = props.target;
    super(
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: props.name, namespace: props.namespace },
        spec: {
          refreshInterval: props.refreshInterval,
          secretStoreRef: { name: props.store.name, kind: props.store.kind },
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
            ...(item.store ? { sourceRef: { storeRef: { name: item.store.name, kind: item.store.kind } } } : {}),
          })),
        },
      },
      checkExternalSecret,
    );
  }
}
