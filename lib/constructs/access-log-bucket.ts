import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { acknowledge, inCompliancePacks } from '../compliance/acknowledge';
import { controlTowerFinding } from '../compliance/control-tower';
import { notifyEventBridge } from './bucket-events';

/** Properties of an {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /** The bucket's name, from the naming module (the ALB's attributes name it). */
  readonly bucketName: string;
  /** Days after which logs move to S3 Glacier Instant Retrieval. */
  readonly archiveAfterDays: number;
  /** Days after which logs are deleted (the stage's log retention). */
  readonly expireAfterDays: number;
}

/**
 * The bucket for access logs that AWS services deliver only with S3-managed encryption: the
 * audit archive's S3 server access logs and the ALB's access logs (neither delivery can use a
 * KMS key, and S3 refuses a server-access-log target with Object Lock default retention).
 * Versioned, private, TLS-only, archived then expired by lifecycle.
 */
export class AccessLogBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    if (props.archiveAfterDays >= props.expireAfterDays) {
      throw new Error(
        `Access logs must be archived before they expire: audit.archiveAfterDays (${props.archiveAfterDays}) must be less than logging.retentionDays (${props.expireAfterDays})`,
      );
    }
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'ArchiveThenExpire',
          transitions: [
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(props.archiveAfterDays) },
          ],
          expiration: Duration.days(props.expireAfterDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    const resource = this.bucket.node.defaultChild as s3.CfnBucket;
    notifyEventBridge(resource);
    acknowledge(
      resource,
      [...inCompliancePacks('S3DefaultEncryptionKMS'), controlTowerFinding('CT.S3.PR.10')],
      'ALB access logs and S3 server access logs can only be delivered to a bucket encrypted with S3-managed keys (SSE-S3).',
    );
    acknowledge(
      resource,
      [controlTowerFinding('CT.S3.PR.2')],
      'This is the stage’s server-access-log destination: logging it into itself would log each of its own log deliveries, and logging it elsewhere would need yet another unlogged bucket.',
    );
    acknowledge(
      resource,
      [controlTowerFinding('CT.S3.PR.9')],
      'S3 refuses a server-access-log destination with an Object Lock default retention; these logs are versioned, retained when the stack is deleted and expired only by lifecycle. The audit archive is the Object-Locked bucket.',
    );
    acknowledge(
      resource,
      inCompliancePacks('S3BucketReplicationEnabled'),
      'Access logs are operational evidence kept for the stage retention; replication to a second region is left to the disaster-recovery design.',
    );
  }

  /**
   * Lets Elastic Load Balancing deliver ALB access logs under `prefix`. In regions opened before
   * August 2022 ELB writes as a regional AWS account, in later ones as a service principal.
   */
  public allowLoadBalancerAccessLogs(prefix: string): void {
    const stack = Stack.of(this);
    const elbAccount = RegionInfo.get(stack.region).elbv2Account;
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LoadBalancerAccessLogDelivery',
        principals: [
          elbAccount ? new iam.AccountPrincipal(elbAccount) : new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com'),
        ],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
      }),
    );
  }
}
