import { compileSchemaCheck, SchemaCheckedObject, type Manifest } from './project-schema';
import ingressClassParamsSchema from './schemas/ingress-class-params.v1beta1.json';

/** A key and value pair, as the AWS Load Balancer Controller takes tags and attributes. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** Properties of an {@link IngressClassParams}. */
export interface IngressClassParamsProps {
  readonly name: string;
  /** Only Ingresses in namespaces with these labels may use the class. */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  /** The IngressGroup: every Ingress of the class shares one ALB. */
  readonly group: string;
  readonly scheme: 'internet-facing' | 'internal';
  readonly sslPolicy: string;
  readonly certificateArns: readonly string[];
  /** The WAFv2 web ACL, by name (needs controller 2.14+ and wafv2:ListWebACLs). */
  readonly wafv2AclName: string;
  readonly inboundCidrs: readonly string[];
  readonly loadBalancerAttributes: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
}

interface IngressClassParamsManifest extends Manifest {
  readonly spec: object;
}

const checkIngressClassParams = compileSchemaCheck(ingressClassParamsSchema, 'IngressClassParams');

/**
 * elbv2.k8s.aws/v1beta1 IngressClassParams of the AWS Load Balancer Controller. Settings here apply to
 * every Ingress of the class and cannot be overridden by an Ingress's annotations, so the TLS
 * policy, certificate, WAF and access logs are the class's, not each team's.
 */
export class IngressClassParams extends SchemaCheckedObject<IngressClassParamsManifest> {
  constructor(props: IngressClassParamsProps) {
    super(
      {
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'IngressClassParams',
        metadata: { name: props.name },
        spec: {
          namespaceSelector: { matchLabels: { ...props.namespaceLabels } },
          group: { name: props.group },
          scheme: props.scheme,
          ipAddressType: 'ipv4',
          targetType: 'ip',
          sslPolicy: props.sslPolicy,
          certificateArn: [...props.certificateArns],
          wafv2AclName: props.wafv2AclName,
          inboundCIDRs: [...props.inboundCidrs],
          loadBalancerAttributes: props.loadBalancerAttributes.map((attribute) => ({ ...attribute })),
          tags: props.tags.map((tag) => ({ ...tag })),
        },
      },
      checkIngressClassParams,
    );
  }
}
