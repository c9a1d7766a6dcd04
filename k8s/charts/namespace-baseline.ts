import type { Construct } from 'constructs';
import { Namespace } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { addObject } from '../lib/add-object';
import { StageChart, type StageChartProps } from './stage-chart';

/** The Pod Security Standards version the namespace is checked against (Kubernetes 1.33). */
export const POD_SECURITY_VERSION = 'v1.33';

/**
 * The application namespace's baseline: Pod Security `restricted` enforced (which needs the
 * Istio CNI plugin, since istio-init would need NET_ADMIN), sidecar injection on, and all
 * traffic denied except what later policies allow, DNS and the sidecars' link to istiod.
 */
export class NamespaceBaselineChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    const { namespace, istioRootNamespace } = this.config.kubernetes;

    const podSecurity = Object.fromEntries(
      ['enforce', 'warn', 'audit'].flatMap((mode) => [
        [`pod-security.kubernetes.io/${mode}`, 'restricted'],
        [`pod-security.kubernetes.io/${mode}-version`, POD_SECURITY_VERSION],
      ]),
    );
    addObject(
      this,
      'namespace',
      new Namespace({ metadata: { name: namespace, labels: { ...podSecurity, 'istio-injection': 'enabled' } } }),
    );

    addObject(
      this,
      'default-deny',
      new NetworkPolicy({
        metadata: { name: 'default-deny-all', namespace },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
    );

    addObject(
      this,
      'allow-dns',
      new NetworkPolicy({
        metadata: { name: 'allow-dns-egress', namespace },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      }),
    );

    // Without this, sidecars cannot fetch configuration or certificates and no pod becomes ready.
    addObject(
      this,
      'allow-istiod',
      new NetworkPolicy({
        metadata: { name: 'allow-istiod-egress', namespace },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': istioRootNamespace } },
                  podSelector: { matchLabels: { app: 'istiod' } },
                },
              ],
              ports: [{ protocol: 'TCP', port: 15012 }],
            },
          ],
        },
      }),
    );
  }
}
