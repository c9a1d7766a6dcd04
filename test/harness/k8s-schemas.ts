import * as certManagerV1 from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import * as istioNetworkingV1beta1 from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import * as istioSecurityV1 from '@kubernetes-models/istio/security.istio.io/v1';
import * as istioSecurityV1beta1 from '@kubernetes-models/istio/security.istio.io/v1beta1';
import * as istioTelemetryV1alpha1 from '@kubernetes-models/istio/telemetry.istio.io/v1alpha1';
import Ajv, { type ValidateFunction } from 'ajv';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { EXTERNAL_SECRETS_API_VERSION, EXTERNAL_SECRETS_SCHEMAS } from '../../k8s/crds/external-secrets';
import { kongClusterPluginSchema, kongConsumerGroupSchema, kongConsumerSchema, kongPluginSchema } from '../../k8s/crds/kong/schemas';
import ingressClassParamsSchema from '../../k8s/crds/schemas/ingress-class-params.v1beta1.json';

/** A Kubernetes object as rendered: at least its type and metadata. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

type ModelClass = new (data: object) => { validate(): void };

/**
 * Where the upstream schema of each API group lives: `kubernetes-models` for the core API,
 * its sibling packages for the CRDs. A kind is looked up by its class name in the module.
 */
const UPSTREAM_MODULES: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'policy/v1': policyV1,
  'networking.k8s.io/v1': networkingV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'security.istio.io/v1': istioSecurityV1,
  'security.istio.io/v1beta1': istioSecurityV1beta1,
  'networking.istio.io/v1beta1': istioNetworkingV1beta1,
  'telemetry.istio.io/v1alpha1': istioTelemetryV1alpha1,
  'cert-manager.io/v1': certManagerV1,
};

/** JSON schemas the project keeps for kinds no upstream package models (Kong CRDs, ...). */
const projectSchemas = new Map<string, ValidateFunction>();
const ajv = new Ajv({ allErrors: true, strict: true });

/**
 * Registers a schema the project keeps for one kind. Register each kind once, at module
 * load of the file that owns its schema.
 */
export function registerProjectSchema(apiVersion: string, kind: string, schema: object): void {
  const key = `${apiVersion}/${kind}`;
  if (projectSchemas.has(key)) throw new Error(`A schema for ${key} is already registered`);
  projectSchemas.set(key, ajv.compile(schema));
}

/**
 * Validates one rendered object against its upstream schema (or the project's, for kinds
 * without one). Throws naming the object and every problem; an object of a kind that has no
 * schema at all is an error too, so nothing reaches a cluster unchecked.
 */
export function validateObject(object: RenderedObject): void {
  const name = `${object.apiVersion}/${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '(no name)'}`;
  const projectSchema = projectSchemas.get(`${object.apiVersion}/${object.kind}`);
  if (projectSchema) {
    if (!projectSchema(object)) throw new Error(`${name} fails the project's schema: ${ajv.errorsText(projectSchema.errors)}`);
    return;
  }
  const Model = UPSTREAM_MODULES[object.apiVersion]?.[object.kind] as ModelClass | undefined;
  if (!Model) {
    throw new Error(
      `${name} has no schema: neither an upstream model nor a registered project schema covers ${object.apiVersion} ${object.kind}`,
    );
  }
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${name} fails its upstream schema: ${(error as Error).message}`, { cause: error });
  }
}

/** Validates every object and reports every failure at once. */
export function validateObjects(objects: readonly RenderedObject[]): void {
  const failures = objects.flatMap((object) => {
    try {
      validateObject(object);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  });
  if (failures.length > 0) throw new Error(`${failures.length} of ${objects.length} objects are invalid:\n${failures.join('\n')}`);
}

// External Secrets v1 has no CommonJS models: the project keeps its schemas (k8s/crds/schemas/).
for (const [kind, schema] of Object.entries(EXTERNAL_SECRETS_SCHEMAS)) registerProjectSchema(EXTERNAL_SECRETS_API_VERSION, kind, schema);
registerProjectSchema('configuration.konghq.com/v1', 'KongPlugin', kongPluginSchema);
registerProjectSchema('configuration.konghq.com/v1', 'KongClusterPlugin', kongClusterPluginSchema);
registerProjectSchema('configuration.konghq.com/v1', 'KongConsumer', kongConsumerSchema);
registerProjectSchema('configuration.konghq.com/v1beta1', 'KongConsumerGroup', kongConsumerGroupSchema);
registerProjectSchema('elbv2.k8s.aws/v1beta1', 'IngressClassParams', ingressClassParamsSchema);
