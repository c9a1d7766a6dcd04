/**
 * Typed Istio resources the charts render, with the upstream schemas of
 * `@kubernetes-models/istio` (validated by `addObject` at synthesis).
 *
 * Versions: security.istio.io/v1 for AuthorizationPolicy and RequestAuthentication;
 * PeerAuthentication at v1beta1, the newest version the models package has (v1 is the same
 * schema, promoted in Istio 1.22; istiod serves both). Sidecar and ServiceEntry at networking.istio.io/v1beta1 and
 * Telemetry at telemetry.istio.io/v1alpha1 for the same reason; both are still served.
 */
export { AuthorizationPolicy, RequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1';
export { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1';
export { ServiceEntry, Sidecar } from '@kubernetes-models/istio/networking.istio.io/v1beta1';
export { Telemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1alpha1';

import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';

/** One rule of an AuthorizationPolicy. */
export type AuthorizationRule = NonNullable<NonNullable<IAuthorizationPolicy['spec']>['rules']>[number];
