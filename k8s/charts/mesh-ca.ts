import type { Construct } from 'constructs';
import { Naming } from '../../lib/config';
import { Certificate, Issuer } from '../crds/cert-manager';
import { addObject } from '../lib/add-object';
import { StageChart, type StageChartProps } from './stage-chart';

/** Where the mesh's intermediate CA lives; the rotation job (issue 8) and istiod find it here. */
export const MESH_CA = {
  /** The cert-manager Certificate of the intermediate CA. */
  certificateName: 'mesh-intermediate-ca',
  /** The Secret istiod loads as its plugged-in CA; the name is fixed by Istio. */
  secretName: 'cacerts',
  /** The root CA's Certificate and Secret. */
  rootName: 'mesh-root-ca',
} as const;

/** How long before expiry cert-manager renews the intermediate: a third of its lifetime. */
export function intermediateRenewBeforeHours(lifetimeDays: number): number {
  return Math.floor(lifetimeDays / 3) * 24;
}

/**
 * The mesh's certificate authority, issued and renewed by cert-manager instead of Istio's
 * built-in self-signed CA: a root CA, and an intermediate CA that lives `rotation.meshCaDays`
 * (at most 90) and is renewed a third of its lifetime before it expires, with a new key each
 * time. The intermediate is written to `cacerts` in Istio's namespace, which istiod reads as its
 * plugged-in CA (the `tls.crt`/`tls.key`/`ca.crt` layout cert-manager writes is one istiod reads
 * natively) and reloads when it changes.
 *
 * Every issuer is a namespaced Issuer in Istio's namespace, never a ClusterIssuer: only who may
 * create Certificates there (cluster administrators) can obtain a certificate from the root.
 *
 * Apply this chart, and wait for the intermediate to be Ready, before installing istiod: an
 * istiod that starts without `cacerts` creates its own root, and switching roots later breaks
 * every mTLS connection.
 */
export class MeshCaChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const namespace = this.config.kubernetes.istioRootNamespace;
    const { prefix } = new Naming(this.config);
    const lifetimeDays = this.config.rotation.meshCaDays;
    const rootDays = this.config.mesh.rootCaDays;
    if (lifetimeDays > 90) {
      throw new Error(`The mesh CA must be renewed at least every 90 days; rotation.meshCaDays is ${lifetimeDays}`);
    }
    const caUsages: ('cert sign' | 'crl sign' | 'digital signature')[] = ['cert sign', 'crl sign', 'digital signature'];
    const issuerRef = (name: string) => ({ name, kind: 'Issuer', group: 'cert-manager.io' });

    addObject(this, 'root-signer', new Issuer({ metadata: { name: 'mesh-root-selfsigned', namespace }, spec: { selfSigned: {} } }));

    // The root signs only intermediates. Renewing it changes the trust anchor of every workload,
    // which istiod does not accept on the fly: the root rotation procedure of docs/service-mesh.md replaces it
    // well before cert-manager would, 30 days before expiry, and its key is kept on renewal so
    // that a renewal cert-manager does anyway still verifies old chains.
    addObject(
      this,
      'root',
      new Certificate({
        metadata: { name: MESH_CA.rootName, namespace },
        spec: {
          isCA: true,
          commonName: `${prefix} mesh root CA`,
          subject: { organizations: [this.config.project] },
          duration: `${rootDays * 24}h`,
          renewBefore: `${30 * 24}h`,
          privateKey: { algorithm: 'RSA', size: 4096, rotationPolicy: 'Never' },
          usages: caUsages,
          secretName: MESH_CA.rootName,
          issuerRef: issuerRef('mesh-root-selfsigned'),
          revisionHistoryLimit: 3,
        },
      }),
    );

    addObject(
      this,
      'intermediate-signer',
      new Issuer({ metadata: { name: MESH_CA.rootName, namespace }, spec: { ca: { secretName: MESH_CA.rootName } } }),
    );

    addObject(
      this,
      'intermediate',
      new Certificate({
        metadata: { name: MESH_CA.certificateName, namespace },
        spec: {
          isCA: true,
          commonName: `${prefix} mesh intermediate CA`,
          subject: { organizations: [this.config.project] },
          duration: `${lifetimeDays * 24}h`,
          renewBefore: `${intermediateRenewBeforeHours(lifetimeDays)}h`,
          privateKey: { algorithm: 'RSA', size: 4096, rotationPolicy: 'Always' },
          usages: caUsages,
          secretName: MESH_CA.secretName,
          issuerRef: issuerRef(MESH_CA.rootName),
          revisionHistoryLimit: 3,
        },
      }),
    );
  }
}
