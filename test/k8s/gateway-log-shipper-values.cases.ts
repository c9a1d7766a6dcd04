import { parse, stringify } from 'yaml';
import { gatewayLogShipperValues } from '../../k8s/install/gateway-log-shipper-values';
import { Naming } from '../../lib/config';
import { GATEWAY_LOG_SHIPPER } from '../../lib/config/gateway-access-log';
import { stageConfig } from '../harness/cdk-app';

describe.each(['dev', 'prod'])('the %s gateway log shipper values (aws-for-fluent-bit)', (stageName) => {
  const config = stageConfig(stageName);
  const values = gatewayLogShipperValues(config) as any;

  test('match their snapshot', () => expect(values).toMatchSnapshot());

  test('tail only the Kong container of the gateway namespace, where the audit log is written', () => {
    expect(values.input.path).toBe(`/var/log/containers/*_${config.serviceGraph.gateway.namespace}_proxy-*.log`);
    expect(values.input.multilineParser).toBe('docker, cri');
  });

  test('send each line as Kong wrote it, to the gateway log group only, creating no group', () => {
    expect(values.cloudWatchLogs).toEqual(
      expect.objectContaining({
        enabled: true,
        match: values.input.tag,
        region: config.aws.region,
        logGroupName: new Naming(config).gatewayAccessLogGroupName,
        logGroupTemplate: null,
        logStreamTemplate: null,
        logKey: 'log',
        autoCreateGroup: false,
      }),
    );
    expect(values.filter.enabled).toBe(false);
    for (const output of ['cloudWatch', 'firehose', 'kinesis', 'elasticsearch']) expect(values[output].enabled).toBe(false);
  });

  test('run as the ServiceAccount the cluster-access stack gives the log group role', () => {
    expect(values.serviceAccount).toEqual({ create: true, name: GATEWAY_LOG_SHIPPER.serviceAccount });
  });

  test('keep the chart default templates overridden in YAML (null, not absent)', () => {
    const yaml = stringify(values, { version: '1.1' });
    expect(parse(yaml).cloudWatchLogs.logGroupTemplate).toBeNull();
    expect(yaml).toContain('logGroupTemplate: null');
  });
});
