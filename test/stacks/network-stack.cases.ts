import { Match } from 'aws-cdk-lib/assertions';
import { buildStage, committedStage, stageConfig, templateOf } from '../harness/cdk-app';
import { ruleFindings } from '../harness/rule-packs';

describe.each(['dev', 'prod'])('the %s network stack', (stageName) => {
  const stage = committedStage(stageName);
  const template = templateOf(stage.network);

  test('matches its snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four rule packs with nothing unacknowledged', () => {
    expect(ruleFindings(stage.network)).toEqual([]);
  });

  test('records every connection in the VPC, to an encrypted log group kept for the configured retention', () => {
    const config = stageConfig(stageName);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      MaxAggregationInterval: 60,
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: `/hydraulic/${stageName}/vpc-flow-logs`,
        RetentionInDays: config.logging.retentionDays,
        KmsKeyId: Match.anyValue(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('lets only this account’s flow logs assume the delivery role, with no inline policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': stageConfig(stageName).aws.account }, ArnLike: Match.anyValue() },
          }),
        ],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'] })],
      },
    });
  });

  test('empties the default security group', () => {
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', { DefaultSecurityGroupId: Match.anyValue() });
  });

  describe('AWS API endpoints', () => {
    const config = stageConfig(stageName);
    const endpoints = () => Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => e.Properties);

    test('exist for Secrets Manager and ElastiCache, with private DNS, in the private subnets', () => {
      const { network } = stage.network;
      const privateSubnets = network.vpc.selectSubnets(network.privateSubnets).subnetIds.map((id) => stage.network.resolve(id));
      expect(
        endpoints()
          .map((e) => e.ServiceName)
          .sort(),
      ).toEqual([`com.amazonaws.${config.aws.region}.elasticache`, `com.amazonaws.${config.aws.region}.secretsmanager`].sort());
      for (const endpoint of endpoints()) {
        expect(endpoint).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
        expect(endpoint.SubnetIds).toEqual(privateSubnets);
      }
    });

    test('admit HTTPS from the VPC only', () => {
      const group = Object.values(template.findResources('AWS::EC2::SecurityGroup')).find((g) =>
        String(g.Properties.GroupDescription).startsWith('AWS API interface endpoints'),
      )!;
      expect(group.Properties.SecurityGroupIngress).toEqual([
        { CidrIp: config.network.cidr, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS from inside the VPC' },
      ]);
    });

    test('serve only this account’s principals', () => {
      for (const endpoint of endpoints()) {
        expect(endpoint.PolicyDocument.Statement).toEqual([
          expect.objectContaining({
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Condition: { StringEquals: { 'aws:PrincipalAccount': config.aws.account } },
          }),
        ]);
      }
    });
  });

  test('spreads subnets over the configured zones, without looking them up', () => {
    const zones = Object.values(template.findResources('AWS::EC2::Subnet')).map((subnet) => subnet.Properties.AvailabilityZone);
    expect(new Set(zones)).toEqual(new Set(stageConfig(stageName).aws.availabilityZones));
  });
});

describe('public exposure', () => {
  test('dev has no public subnet, no internet gateway and no NAT', () => {
    const template = templateOf(committedStage('dev').network);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('prod has public subnets only because its config asks, and they never hand out public IPs', () => {
    const template = templateOf(committedStage('prod').network);
    expect(stageConfig('prod').network).toMatchObject({ publicSubnets: true, natGateways: 3 });
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('data subnets never route out of the VPC', () => {
    const template = templateOf(committedStage('prod').network);
    const routes = template.findResources('AWS::EC2::Route');
    const fromData = Object.keys(routes).filter((logicalId) => logicalId.includes('dataSubnet'));
    expect(Object.keys(routes).length).toBeGreaterThan(0);
    expect(fromData).toEqual([]);
  });
});

describe('an imported VPC', () => {
  const config = stageConfig('dev');
  const stage = buildStage({
    ...config,
    vpcEndpoints: { create: false },
    network: {
      mode: 'import',
      vpcId: 'vpc-0123456789abcdef0',
      cidr: '10.0.0.0/16',
      privateSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
      isolatedSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
    },
  });
  const template = templateOf(stage.network);

  test('is not created, only given flow logs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 0);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceId: 'vpc-0123456789abcdef0', TrafficType: 'ALL' });
  });

  test('exposes the configured subnets by group', () => {
    const { network } = stage.network;
    expect(network.vpc.selectSubnets(network.privateSubnets).subnetIds).toEqual(['subnet-0000000000000000a', 'subnet-0000000000000000b']);
    expect(network.vpc.selectSubnets(network.dataSubnets).subnetIds).toEqual(['subnet-0000000000000000c', 'subnet-0000000000000000d']);
  });

  test('passes the rule packs', () => {
    expect(ruleFindings(stage.network)).toEqual([]);
    expect(ruleFindings(stage.secrets)).toEqual([]);
  });

  test('with endpoints turned off (the VPC has its own), creates none, and rotation functions reach the APIs over HTTPS only', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const groups = Object.values(templateOf(stage.secrets).findResources('AWS::EC2::SecurityGroup')).map((g) => g.Properties);
    expect(groups).toHaveLength(3);
    for (const group of groups) {
      expect(group.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      ]);
      expect(group.SecurityGroupIngress).toBeUndefined();
    }
  });
});
