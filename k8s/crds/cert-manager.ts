/**
 * Typed cert-manager resources the charts render, with the upstream schemas of
 * `@kubernetes-models/cert-manager` (validated by `addObject` at synthesis).
 */
export { Certificate, Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
