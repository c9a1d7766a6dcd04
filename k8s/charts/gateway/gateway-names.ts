import { Naming, PARAMETER_PATHS, SECRET_PURPOSES, type StageConfig } from '../../../lib/config';
import { secretStoreNames } from '../external-secrets';

/** The ingress class Kong Ingress Controller is installed with (Helm `ingressController.ingressClass`). */
export const KONG_INGRESS_CLASS = 'kong';

/** The Helm release name the runbook installs Kong under; the chart's pod labels carry it. */
export const KONG_RELEASE = 'kong';

/** Kong's proxy Service (Helm `proxy.nameOverride`): ClusterIP, reached only through the ALB. */
export const KONG_PROXY_SERVICE = 'kong-proxy';

/** The name of the Kong container in Kong's pods (the Helm chart's): its stdout carries the audit log. */
export const KONG_PROXY_CONTAINER = 'proxy';

/** The proxy's HTTPS port in the pod and on the Service. */
export const KONG_PROXY_CONTAINER_PORT = 8443;
export const KONG_PROXY_SERVICE_PORT = 443;

/** Kong's status listener (`/status/ready`), the ALB's health check; never exposed through a Service. */
export const KONG_STATUS_PORT = 8100;

/** The header the correlation-id plugin sets on every request and returns to the client. */
export const CORRELATION_HEADER = 'X-Correlation-ID';

/** How often External Secrets re-reads the JWT signing keys: a rotated key reaches Kong within this. */
export const SIGNING_KEY_REFRESH = '1m';

/**
 * How often External Secrets re-reads the Redis endpoint and AUTH token: well inside the smallest
 * `secrets.clientRefreshMinutes` (5), after which a rotation's old token stops working.
 */
export const REDIS_REFRESH = '1m';

/** The Secret (in Kong's namespace) holding the Redis fields the rate-limiting plugins patch in. */
export const REDIS_SECRET = 'kong-rate-limit-redis';

/** The jwt KongPlugin of the application namespace, on every route that is not public. */
export const JWT_PLUGIN = 'jwt-session';

/** The names of the gateway's objects that more than one chart refers to. */
export class GatewayNames {
  private readonly naming: Naming;

  constructor(private readonly config: StageConfig) {
    this.naming = new Naming(config);
  }

  /** The ClusterSecretStore of AWS Secrets Manager (rendered by the mesh's secrets chart). */
  public get secretsManagerStore(): string {
    return secretStoreNames(this.naming).secretsManager;
  }

  /** The ClusterSecretStore of SSM Parameter Store (rendered by the mesh's secrets chart). */
  public get parameterStore(): string {
    return secretStoreNames(this.naming).parameterStore;
  }

  /** The global per-tenant rate limit (cluster-scoped, so named per stage). */
  public get tenantRateLimit(): string {
    return this.naming.clusterObjectName('tenant-rate-limit');
  }

  /** The per-IP rate limit of POST /diagnosis. */
  public get diagnosisRateLimit(): string {
    return this.naming.clusterObjectName('diagnosis-rate-limit');
  }

  /** A global hygiene plugin. */
  public globalPlugin(purpose: string): string {
    return this.naming.clusterObjectName(purpose);
  }

  /** The ALB's IngressClass and IngressClassParams. */
  public get edgeClass(): string {
    return this.naming.clusterObjectName('edge');
  }

  /** The ACL plugin of one route, in the application namespace. */
  public routeAcl(route: string): string {
    return `acl-${route}`;
  }

  /** A consumer's JWT credential Secret for the current or the previous signing key. */
  public jwtCredential(consumer: string, slot: 'current' | 'previous'): string {
    return `${consumer}-jwt-${slot}`;
  }

  /** A consumer's ACL credential Secret for one permission. */
  public aclCredential(consumer: string, permission: string): string {
    return `${consumer}-acl-${permission.replace(':', '-')}`;
  }

  /** A consumer's IP allow-list plugin. */
  public ipAllowList(consumer: string): string {
    return `${consumer}-ip-allow-list`;
  }

  /**
   * The S3 bucket the ALB writes its access logs to: the audit stack's access-log bucket (SSE-S3:
   * ALB access logs support no KMS key), whose policy admits Elastic Load Balancing under
   * {@link accessLogPrefix} only.
   */
  public get accessLogBucket(): string {
    return this.naming.accessLogBucketName(this.config.aws.account, this.config.aws.region);
  }

  /** The key prefix of the ALB's access logs in {@link accessLogBucket}. */
  public get accessLogPrefix(): string {
    return this.naming.loadBalancerLogPrefix;
  }

  /** The WAF web ACL the ALB is attached to (created by the CDK side). */
  public get webAclName(): string {
    return this.naming.webAclName;
  }

  /** The Secrets Manager secret of the JWT signing keyring (`lib/rotation/keyring.ts`: `{"current":{"kid","key"},"previous":…|null}`). */
  public get signingKeySecret(): string {
    return this.naming.secretName(SECRET_PURPOSES.jwtSigningKey);
  }

  /** The Secrets Manager secret of the Redis AUTH token: JSON `{"authToken": "..."}` (`REDIS_AUTH_TOKEN_FIELD`). */
  public get redisAuthTokenSecret(): string {
    return this.naming.secretName(SECRET_PURPOSES.redisAuthToken);
  }

  /** An SSM parameter of the Redis endpoint, written by the cache stack. */
  public redisParameter(field: 'host' | 'port' | 'tls'): string {
    const paths = { host: PARAMETER_PATHS.redisHost, port: PARAMETER_PATHS.redisPort, tls: PARAMETER_PATHS.redisTls };
    return this.naming.parameterName(paths[field]);
  }
}
