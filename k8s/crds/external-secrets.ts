import Ajv, { type ValidateFunction } from 'ajv';
import type { KubernetesModel } from '../lib/add-object';
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

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();

function validatorFor(kind: keyof typeof EXTERNAL_SECRETS_SCHEMAS): ValidateFunction {
  let validator = validators.get(kind);
  if (!validator) {
    validator = ajv.compile(EXTERNAL_SECRETS_SCHEMAS[kind]);
    validators.set(kind, validator);
  }
  return validator;
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
    readonly template?: { readonly type?: string; readonly metadata?: { readonly labels?: Record<string, string> } };
  };
  readonly data?: readonly ExternalSecretEntry[];
  readonly dataFrom?: readonly { readonly extract: RemoteReference }[];
}

abstract class ExternalSecretsModel<Spec> implements KubernetesModel {
  protected abstract readonly kind: keyof typeof EXTERNAL_SECRETS_SCHEMAS;

  constructor(private readonly data: { readonly metadata: ObjectMetadata; readonly spec: Spec }) {}

  public validate(): void {
    const validator = validatorFor(this.kind);
    if (!validator(this.toJSON())) throw new Error(`${this.kind} fails its schema: ${ajv.errorsText(validator.errors)}`);
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
