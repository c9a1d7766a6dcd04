import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of a {@link SecurityAlertTopic}. */
export interface SecurityAlertTopicProps {
  /** The topic's name, from the naming module (the logs key's policy names it). */
  readonly topicName: string;
  /** Encrypts messages at rest; its policy lets CloudWatch and EventBridge use it for this topic only. */
  readonly masterKey: kms.IKey;
  /** Addresses subscribed by e-mail (each confirms its subscription once). */
  readonly emails: readonly string[];
}

/**
 * The topic every security alert goes to: CloudWatch alarms, EventBridge finding rules and,
 * with an IAM grant of their own, the project's functions. KMS-encrypted; its policy refuses
 * any request not made over TLS and admits the two publishing services only on behalf of this
 * account's alarms and rules.
 */
export class SecurityAlertTopic extends Construct {
  /** The topic. */
  public readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: SecurityAlertTopicProps) {
    super(scope, id);
    if (props.emails.length === 0) {
      throw new Error(`The topic ${props.topicName} needs at least one e-mail subscription: an alert nobody receives is not an alert`);
    }
    const stack = Stack.of(this);
    this.topic = new sns.Topic(this, 'Resource', {
      topicName: props.topicName,
      displayName: 'Security alerts',
      masterKey: props.masterKey,
      enforceSSL: true,
      fifo: false,
    });
    const publishedBy = (sid: string, service: string, sourceArn: string) =>
      new iam.PolicyStatement({
        sid,
        principals: [new iam.ServicePrincipal(service)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': sourceArn } },
      });
    this.topic.addToResourcePolicy(
      publishedBy(
        'CloudWatchAlarmsPublish',
        'cloudwatch.amazonaws.com',
        stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ),
    );
    this.topic.addToResourcePolicy(
      publishedBy(
        'EventBridgeRulesPublish',
        'events.amazonaws.com',
        stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }),
      ),
    );
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
}
