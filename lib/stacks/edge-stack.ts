import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { EdgeShieldProtection } from '../constructs/edge-shield-protection';
import { EdgeWebAcl } from '../constructs/edge-web-acl';
import { WebAclLogging } from '../constructs/web-acl-logging';
import { StageStack, type StageStackProps } from './stage-stack';

/** Properties of an {@link EdgeStack}. */
export interface EdgeStackProps extends StageStackProps {
  /** Encrypts the WAF log group. */
  readonly logsKey: kms.IKey;
}

/**
 * The stage's edge protection: the WAF web ACL the ALB in front of Kong attaches by name
 * (`naming.webAclName`), its request log, and Shield Advanced when the config asks for it.
 */
export class EdgeStack extends StageStack {
  /** The web ACL and its rules. */
  public readonly webAcl: EdgeWebAcl;
  /** The web ACL's request log. */
  public readonly logging: WebAclLogging;
  /** The Shield Advanced protection group, when `edge.shieldAdvanced` is on. */
  public readonly shieldProtection?: EdgeShieldProtection;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    this.webAcl = new EdgeWebAcl(this, 'WebAcl', {
      name: this.naming.webAclName,
      ipSetNamePrefix: this.naming.prefix,
      edge: this.config.edge,
      diagnosisPerIpPerMinute: this.config.rateLimits.diagnosisPerIp.perMinute,
    });
    this.logging = new WebAclLogging(this, 'WebAclLogging', {
      webAcl: this.webAcl.webAcl,
      logGroupName: this.naming.webAclLogGroupName,
      deliveryPolicyName: `${this.naming.prefix}-waf-log-delivery`,
      logsKey: props.logsKey,
      retentionDays: this.config.logging.retentionDays,
    });
    if (this.config.edge.shieldAdvanced) {
      this.shieldProtection = new EdgeShieldProtection(this, 'ShieldProtection', { protectionGroupId: `${this.naming.prefix}-edge` });
    }
  }

  /** The web ACL's name, which the ALB Ingress names in `IngressClassParams.wafv2AclName`. */
  public get webAclName(): string {
    return this.naming.webAclName;
  }

  /** The web ACL's ARN. */
  public get webAclArn(): string {
    return this.webAcl.webAcl.attrArn;
  }
}
