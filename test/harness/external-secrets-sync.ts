import { executeGoTemplate } from './go-template';
import type { RenderedObject } from './k8s-schemas';

/** What AWS holds, by name: Secrets Manager secret values and SSM parameter values. */
export interface ProviderValues {
  readonly secrets: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
}

interface RemoteRef {
  readonly key: string;
  readonly property?: string;
}

interface DataEntry {
  readonly secretKey: string;
  readonly remoteRef: RemoteRef;
  readonly sourceRef?: { readonly storeRef: { readonly name: string; readonly kind: string } };
}

/**
 * A property of a JSON secret as External Secrets' AWS provider reads it: a gjson path (dotted
 * fields only, here), an error when it does not exist, and gjson's `String()` of the result (a
 * string as is, null as "", an object or array as its JSON).
 */
export function readProperty(value: string, property: string, key: string): string {
  let result: unknown;
  try {
    result = JSON.parse(value) as unknown;
  } catch {
    throw new Error(`key ${property} does not exist in secret ${key}`);
  }
  for (const name of property.split('.')) {
    if (result === null || typeof result !== 'object' || Array.isArray(result) || !(name in result)) {
      throw new Error(`key ${property} does not exist in secret ${key}`);
    }
    result = (result as Record<string, unknown>)[name];
  }
  if (result === null) return '';
  return typeof result === 'string' ? result : JSON.stringify(result);
}

/**
 * What External Secrets Operator (`external-secrets.io/v1`, AWS provider, template engine v2) would
 * write into the target Secret of one rendered ExternalSecret, given the stores the cluster has
 * and the values in AWS: each entry read from its store (the store must exist and admit the
 * ExternalSecret's namespace), then the templates executed.
 *
 * @returns the target Secret's data
 * @throws as the operator would fail the sync: an unknown store, a namespace the store refuses, a
 *   missing secret, parameter or property, a failing template
 */
export function syncExternalSecret(
  externalSecret: RenderedObject,
  stores: readonly RenderedObject[],
  values: ProviderValues,
): Record<string, string> {
  const spec = externalSecret.spec as {
    secretStoreRef: { name: string; kind: string };
    data?: DataEntry[];
    dataFrom?: unknown[];
    target: { template?: { engineVersion?: string; data?: Record<string, string> } };
  };
  if (spec.dataFrom) throw new Error('dataFrom is outside what this simulation reads');
  const namespace = externalSecret.metadata?.namespace;
  const fetched: Record<string, string> = {};
  for (const entry of spec.data ?? []) {
    const storeRef = entry.sourceRef?.storeRef ?? spec.secretStoreRef;
    const store = stores.find((candidate) => candidate.kind === storeRef.kind && candidate.metadata?.name === storeRef.name);
    if (!store) throw new Error(`${storeRef.kind} "${storeRef.name}" does not exist`);
    const storeSpec = store.spec as { provider: { aws: { service: string } }; conditions?: { namespaces: string[] }[] };
    if (storeSpec.conditions && !storeSpec.conditions.some((condition) => condition.namespaces.includes(namespace ?? ''))) {
      throw new Error(`${storeRef.kind} "${storeRef.name}" does not admit namespace ${namespace}`);
    }
    const { key, property } = entry.remoteRef;
    const source = storeSpec.provider.aws.service === 'SecretsManager' ? values.secrets : values.parameters;
    const value = source[key];
    if (value === undefined) throw new Error(`${storeSpec.provider.aws.service} has no ${key}`);
    fetched[entry.secretKey] = property ? readProperty(value, property, key) : value;
  }
  const template = spec.target.template;
  if (!template?.data) return fetched;
  if ((template.engineVersion ?? 'v2') !== 'v2') throw new Error(`template engine ${template.engineVersion} is not simulated`);
  return Object.fromEntries(Object.entries(template.data).map(([key, source]) => [key, executeGoTemplate(source, fetched)]));
}
