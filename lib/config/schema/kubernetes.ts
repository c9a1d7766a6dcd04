import { z } from 'zod';
import { dnsLabel } from './primitives';

/** The EKS cluster the manifests are applied to, and the namespaces they use. */
export const kubernetesSection = z.strictObject({
  /** The EKS cluster's name (Pod Identity associations name it). */
  clusterName: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, {
    error: 'must be an EKS cluster name: letters, digits, "-" and "_", at most 100 characters',
  }),
  /**
   * The application namespace.
   * @default hydraulic-prod (the design document's namespace)
   */
  namespace: dnsLabel.default('hydraulic-prod'),
  /**
   * Istio's root namespace, where mesh-wide policies live.
   * @default istio-system
   */
  istioRootNamespace: dnsLabel.default('istio-system'),
});
