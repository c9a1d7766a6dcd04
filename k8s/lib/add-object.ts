import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** A typed Kubernetes object from `kubernetes-models` or one of its CRD packages. */
export interface KubernetesModel {
  /** Validates the object against its upstream JSON schema; throws on the first problem. */
  validate(): void;
  /** The object as plain JSON. */
  toJSON(): object;
}

/**
 * Adds a typed object to a chart, validating it first: a field the upstream schema does not
 * know fails synthesis here instead of `kubectl apply` later.
 */
export function addObject(scope: Construct, id: string, model: KubernetesModel): ApiObject {
  try {
    model.validate();
  } catch (error) {
    throw new Error(`${scope.node.path}/${id} is not a valid Kubernetes object: ${(error as Error).message}`, { cause: error });
  }
  const { apiVersion, kind, ...rest } = model.toJSON() as { apiVersion: string; kind: string };
  return new ApiObject(scope, id, { apiVersion, kind, ...rest });
}
