import { meshAuthorization } from '../synthesized/mesh-calls';
import { StageResources } from '../synthesized/resources';
import { allObjects, type KubeObject, type SynthesizedStage } from '../synthesized/synthesized-stage';
import { Flowchart } from './mermaid';

const NAME_LABEL = 'app.kubernetes.io/name';

/** What the diagrams read from a stage's output, gathered once. */
class StageView {
  readonly resources: StageResources;
  readonly objects: readonly KubeObject[];

  constructor(readonly stage: SynthesizedStage) {
    this.resources = new StageResources(stage);
    this.objects = allObjects(stage);
  }

  kind(kind: string): KubeObject[] {
    return this.objects.filter((object) => object.kind === kind);
  }

  /** The mesh services: each Service with its port and protocol. */
  services(): { name: string; namespace: string; port: number; protocol: string }[] {
    return this.kind('Service')
      .filter((service) => service.metadata.labels?.[NAME_LABEL])
      .map((service) => ({
        name: service.metadata.name,
        namespace: String(service.metadata.namespace),
        port: Number(service.spec?.ports?.[0]?.port),
        protocol: String(service.spec?.ports?.[0]?.appProtocol ?? service.spec?.ports?.[0]?.name ?? 'tcp'),
      }));
  }

  /** The ALB's Ingress (the one with listener annotations) and its parameters. */
  edge(): { ingress?: KubeObject; params?: KubeObject } {
    const ingress = this.kind('Ingress').find((candidate) => candidate.metadata.annotations?.['alb.ingress.kubernetes.io/listen-ports']);
    const params = this.kind('IngressClassParams')[0];
    return { ingress, params };
  }

  /** The EKS cluster the Pod Identity associations name. */
  clusterName(): string {
    const association = this.resources.ofType('AWS::EKS::PodIdentityAssociation')[0];
    return String(association?.resource.Properties?.ClusterName ?? 'the EKS cluster');
  }

  /** A stage's home account and region (of its first stack). */
  home(): { account: string; region: string } {
    const [first] = this.stage.stacks;
    return { account: first.account, region: first.region };
  }
}

function requestPath(view: StageView): string {
  const chart = new Flowchart('LR');
  const { ingress, params } = view.edge();
  const home = view.home();
  const acl = view.resources.ofType('AWS::WAFv2::WebACL')[0];
  const aclName = String(acl?.resource.Properties?.Name ?? 'none');
  const rules = [...((acl?.resource.Properties?.Rules ?? []) as { Name: string; Priority: number }[])].sort(
    (a, b) => a.Priority - b.Priority,
  );
  const kongNamespace = ingress?.metadata.namespace ?? 'kong';
  const backend = ingress?.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service;
  const globalPlugins = view
    .kind('KongClusterPlugin')
    .filter((plugin) => plugin.metadata.labels?.global === 'true')
    .map((plugin) => plugin.plugin as string);
  const routePlugins = [
    ...new Set(
      [...view.kind('KongPlugin'), ...view.kind('KongClusterPlugin')]
        .filter((p) => p.metadata.labels?.global !== 'true')
        .map((p) => p.plugin as string),
    ),
  ];
  const authorization = meshAuthorization(view.stage);
  const services = view.services();

  chart.node('client', ['Client'], 'terminal');
  chart.group('aws', `AWS account ${home.account}, ${home.region}`, () => {
    chart.node('waf', [`WAF web ACL ${aclName}`, `${rules.length} rules: ${rules.map((rule) => rule.Name).join(', ')}`]);
    chart.node('alb', [
      `ALB ${String(params?.metadata.name ?? '')} (${String(params?.spec?.scheme ?? '')})`,
      `HTTPS 443, ${String(params?.spec?.sslPolicy ?? '')}`,
      `inbound ${((params?.spec?.inboundCIDRs ?? []) as string[]).join(', ')}`,
    ]);
  });
  chart.group('cluster', `EKS cluster ${view.clusterName()}`, () => {
    chart.group(Flowchart.id(`ns ${kongNamespace}`), `namespace ${kongNamespace}`, () => {
      chart.node('kong', [
        `Kong proxy ${backend?.name ?? ''}:${backend?.port?.number ?? ''}`,
        `global: ${globalPlugins.join(', ')}`,
        `per route or consumer: ${routePlugins.join(', ')}`,
      ]);
    });
    for (const namespace of [...new Set(services.map((service) => service.namespace))]) {
      const strict = view
        .kind('PeerAuthentication')
        .some((p) => p.metadata.namespace === namespace && !p.spec?.selector && p.spec?.mtls?.mode === 'STRICT');
      const denyAll = authorization.denyByDefault.includes(namespace);
      const title = [
        `namespace ${namespace}`,
        strict ? 'STRICT mTLS' : 'mTLS not STRICT',
        denyAll ? 'deny unless allowed' : 'no default deny',
      ].join(' · ');
      chart.group(Flowchart.id(`ns ${namespace}`), title, () => {
        for (const service of services.filter((candidate) => candidate.namespace === namespace)) {
          chart.node(Flowchart.id(`svc ${service.name}`), [service.name, `${service.protocol} :${service.port}`]);
        }
      });
    }
  });
  chart.edge('client', 'alb', 'HTTPS 443');
  if (params?.spec?.wafv2AclName === aclName) chart.edge('waf', 'alb', 'filters every request (wafv2AclName)', 'dotted');
  if (backend)
    chart.edge(
      'alb',
      'kong',
      `${ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/backend-protocol'] ?? 'HTTP'} to ${backend.name}:${backend.port?.number}`,
    );
  for (const call of authorization.allowed) {
    const from = call.caller === 'Kong (edge gateway)' ? 'kong' : Flowchart.id(`svc ${call.caller}`);
    chart.edge(from, Flowchart.id(`svc ${call.callee}`), `mTLS ${call.methods.join(', ')} ${call.paths.join(', ')}`);
  }
  return chart.toMarkdown();
}

function dataPath(view: StageView): string {
  const chart = new Flowchart('LR');
  const database = view.resources.ofType('AWS::RDS::DBInstance')[0];
  const cache = view.resources.ofType('AWS::ElastiCache::ReplicationGroup')[0];
  const db = database?.resource.Properties ?? {};
  const redis = cache?.resource.Properties ?? {};
  const dbPort = Number(db.Port);
  const cachePort = Number(redis.Port);
  const vaults = view.resources.ofType('AWS::Backup::BackupVault');
  const { ingress } = view.edge();
  const kongNamespace = ingress?.metadata.namespace ?? 'kong';
  chart.group('cluster', `EKS cluster ${view.clusterName()}`, () => {
    chart.node('kong', [`Kong (namespace ${kongNamespace})`, 'rate-limit counters']);
    for (const service of view.services()) chart.node(Flowchart.id(`svc ${service.name}`), [service.name]);
  });
  chart.group('data', 'isolated data subnets', () => {
    if (database) {
      chart.node(
        'rds',
        [
          `RDS for PostgreSQL ${db.DBInstanceIdentifier}`,
          `${db.Engine} ${db.EngineVersion}, port ${dbPort}`,
          `KMS ${view.resources.describe(database.stack, db.KmsKeyId)}, TLS required`,
        ],
        'database',
      );
    }
    if (cache) {
      chart.node(
        'cache',
        [
          `ElastiCache ${redis.ReplicationGroupId}`,
          `${redis.Engine} ${redis.EngineVersion}, port ${cachePort}`,
          `KMS ${view.resources.describe(cache.stack, redis.KmsKeyId)}, TLS ${redis.TransitEncryptionMode}, AUTH token`,
        ],
        'database',
      );
    }
  });
  chart.group('backups', 'AWS Backup', () => {
    for (const vault of vaults) {
      chart.node(
        Flowchart.id(`vault ${vault.stack.id}`),
        [
          `vault ${vault.resource.Properties?.BackupVaultName}`,
          `${vault.stack.region}, KMS ${view.resources.describe(vault.stack, vault.resource.Properties?.EncryptionKeyArn)}`,
        ],
        'database',
      );
    }
  });
  // Each client's NetworkPolicy opens egress to the data subnets on its stores' ports.
  for (const policy of view.kind('NetworkPolicy').filter((candidate) => candidate.metadata.name.endsWith('-data-stores'))) {
    const service = policy.spec?.podSelector?.matchLabels?.[NAME_LABEL];
    const ports = ((policy.spec?.egress ?? []) as any[]).flatMap((rule) => (rule.ports ?? []).map((port: any) => Number(port.port)));
    if (database && ports.includes(dbPort)) chart.edge(Flowchart.id(`svc ${service}`), 'rds', `TLS ${dbPort}`);
    if (cache && ports.includes(cachePort)) chart.edge(Flowchart.id(`svc ${service}`), 'cache', `TLS ${cachePort}`);
  }
  const kongReachesCache = view
    .kind('ServiceEntry')
    .some(
      (entry) =>
        entry.metadata.namespace === kongNamespace && (entry.spec?.ports ?? []).some((port: any) => Number(port.number) === cachePort),
    );
  if (cache && kongReachesCache) chart.edge('kong', 'cache', `TLS ${cachePort}, rate limits`);
  const [primaryVault, ...copies] = [...vaults].sort(
    (a, b) => (a.stack.region === view.home().region ? -1 : 0) - (b.stack.region === view.home().region ? -1 : 0),
  );
  const tagged =
    database && ((db.Tags ?? []) as { Key: string; Value: string }[]).some((tag) => tag.Key === 'backup' && tag.Value === 'true');
  if (primaryVault && tagged)
    chart.edge('rds', Flowchart.id(`vault ${primaryVault.stack.id}`), 'daily backup (tag backup=true), quarterly restore test', 'dotted');
  for (const copy of copies)
    chart.edge(
      Flowchart.id(`vault ${primaryVault.stack.id}`),
      Flowchart.id(`vault ${copy.stack.id}`),
      'copy of every recovery point',
      'dotted',
    );
  return chart.toMarkdown();
}

function secretsPath(view: StageView): string {
  const chart = new Flowchart('LR');
  const secrets = view.resources.ofType('AWS::SecretsManager::Secret');
  const parameters = view.resources.ofType('AWS::SSM::Parameter');
  const stores = view.kind('ClusterSecretStore');
  const externalSecrets = view.kind('ExternalSecret');
  const operator = view.resources
    .ofType('AWS::EKS::PodIdentityAssociation')
    .map((association) => association.resource.Properties ?? {})
    .find((association) => stores.length > 0 && association.ServiceAccount === 'external-secrets');
  const rotationFunctions = view.resources.ofType('AWS::SecretsManager::RotationSchedule');
  const rotationJob = view.kind('CronJob').find((job) => job.metadata.name === 'secret-rotation');
  chart.group('aws', 'AWS', () => {
    chart.node(
      'secretsmanager',
      ['Secrets Manager (secrets key)', ...secrets.map((secret) => String(secret.resource.Properties?.Name))],
      'database',
    );
    chart.node(
      'ssm',
      ['SSM Parameter Store (endpoints, not secret)', ...parameters.map((parameter) => String(parameter.resource.Properties?.Name))],
      'database',
    );
    chart.node(
      'rotation',
      [
        'Rotation',
        ...rotationFunctions.map((schedule) => {
          const p = schedule.resource.Properties ?? {};
          return p.HostedRotationLambda
            ? `hosted ${p.HostedRotationLambda.RotationType}`
            : `function ${view.resources.referenced(schedule.stack, p.RotationLambdaARN)?.logicalId}`;
        }),
      ],
      'component',
    );
  });
  chart.group('cluster', `EKS cluster ${view.clusterName()}`, () => {
    chart.node('eso', [
      `External Secrets Operator (${operator?.Namespace ?? 'external-secrets'}/${operator?.ServiceAccount ?? 'external-secrets'}, Pod Identity)`,
      ...stores.map((store) => `${store.metadata.name}: ${store.spec?.provider?.aws?.service}`),
    ]);
    for (const namespace of [...new Set(externalSecrets.map((secret) => String(secret.metadata.namespace)))]) {
      const inNamespace = externalSecrets.filter((secret) => secret.metadata.namespace === namespace);
      chart.node(Flowchart.id(`secrets ${namespace}`), [
        `Secrets in ${namespace}`,
        ...inNamespace.map((secret) => `${secret.spec?.target?.name ?? secret.metadata.name} (every ${secret.spec?.refreshInterval})`),
      ]);
    }
    if (rotationJob)
      chart.node('rotationjob', [`CronJob ${rotationJob.metadata.name}`, `${rotationJob.spec?.schedule} UTC: rotates what is due`]);
  });
  chart.edge('secretsmanager', 'eso', 'GetSecretValue');
  chart.edge('ssm', 'eso', 'GetParameter');
  for (const namespace of [...new Set(externalSecrets.map((secret) => String(secret.metadata.namespace)))])
    chart.edge('eso', Flowchart.id(`secrets ${namespace}`), 'writes');
  chart.edge(
    'rotation',
    'secretsmanager',
    `new versions every ${[...new Set(rotationFunctions.map((s) => s.resource.Properties?.RotationRules?.AutomaticallyAfterDays))].join('/')} days`,
    'dotted',
  );
  if (rotationJob) chart.edge('rotationjob', 'secretsmanager', 'RotateSecret when overdue', 'dotted');
  return chart.toMarkdown();
}

/** Where the objects of a manifest's API groups come from: the CRDs each install provides. */
const CRD_SOURCES: Readonly<Record<string, string>> = {
  'cert-manager.io': 'cert-manager',
  'security.istio.io': 'Istio CRDs (istio/base)',
  'networking.istio.io': 'Istio CRDs (istio/base)',
  'telemetry.istio.io': 'Istio CRDs (istio/base)',
  'external-secrets.io': 'External Secrets Operator',
  'configuration.konghq.com': 'Kong Ingress Controller (kong/kong chart)',
  'elbv2.k8s.aws': 'AWS Load Balancer Controller',
};

function crdSourcesOf(objects: readonly KubeObject[]): string[] {
  const groups = objects.map((object) => (object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : ''));
  return [...new Set(groups.map((group) => CRD_SOURCES[group]).filter((source): source is string => source !== undefined))].sort();
}

function stackTable(stage: SynthesizedStage): string {
  const rows = stage.stacks.map((stack, index) => [
    String(index + 1),
    `\`${stack.id}\``,
    `\`${stack.stackName}\``,
    stack.region,
    stack.dependsOn.map((id) => `\`${id}\``).join(', ') || '—',
    stack.terminationProtection ? 'on' : 'off',
    stack.template.Description ?? '',
  ]);
  return markdownTable(
    ['#', 'Stack (`cdk deploy` id)', 'CloudFormation stack', 'Region', 'Deployed after', 'Termination protection', 'Description'],
    rows,
  );
}

function manifestTable(stage: SynthesizedStage): string {
  const rows = stage.manifests.map((manifest) => {
    const kinds = new Map<string, number>();
    for (const object of manifest.objects) kinds.set(object.kind, (kinds.get(object.kind) ?? 0) + 1);
    const namespaces = [...new Set(manifest.objects.map((object) => object.metadata.namespace).filter(Boolean))];
    return [
      `\`${manifest.file}\``,
      [...kinds].map(([kind, count]) => `${count} ${kind}`).join(', '),
      namespaces.map((namespace) => `\`${namespace}\``).join(', ') || '(cluster-scoped)',
      crdSourcesOf(manifest.objects).join(', ') || 'Kubernetes only',
    ];
  });
  return markdownTable(['File (apply in this order)', 'Objects', 'Namespaces', 'CRDs it needs installed first'], rows);
}

function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

/**
 * `docs/architecture.md`: diagrams of the request, data and secrets paths of the `diagramStage`,
 * and each stage's stacks in deployment order and manifests in apply order, all read from the
 * synthesized output so they cannot drift from the code.
 */
export function renderArchitecture(stages: readonly SynthesizedStage[], diagramStage: string): string {
  const shown = stages.find((stage) => stage.stage === diagramStage);
  if (!shown) throw new Error(`No synthesized stage "${diagramStage}" among ${stages.map((stage) => stage.stage).join(', ')}`);
  const view = new StageView(shown);
  const perStage = (render: (stage: SynthesizedStage) => string) =>
    stages.map((stage) => `### ${stage.stage}\n\n${render(stage)}`).join('\n\n');
  return `${[
    '# Architecture',
    '<!-- Generated by `npm run docs` from the synthesized app (tools/docs/architecture.ts). Do not edit: a test fails when this file differs from what the code renders. -->',
    `Generated from the synthesized templates and manifests of each stage, so the diagrams show what would be deployed. The diagrams are the \`${diagramStage}\` stage's (\`config/${diagramStage}.yaml\`); the tables below cover every stage. What each part does and why is in the [README](../README.md) and the other pages of \`docs/\`.`,
    '## Request path\n\nClient to ALB (with WAF) to Kong to the mesh services. Every arrow between services is a call an AuthorizationPolicy allows (the [security report](security-report.md) lists them as a matrix); anything else is denied.',
    requestPath(view),
    '## Data path\n\nWhich workloads reach the database and the cache (their NetworkPolicies and ServiceEntries), and where backups go.',
    dataPath(view),
    '## Secrets path\n\nSecrets and endpoints reach pods through External Secrets Operator from Secrets Manager and Parameter Store; rotation writes new versions there.',
    secretsPath(view),
    "## Stacks, in deployment order\n\nSelect a stage's stacks with a pattern: `npx cdk deploy '<stage>/*'` deploys them in this order (`--all` selects none: they are inside a stage). To deploy one at a time, run `npx cdk diff <id>` then `npx cdk deploy <id>` in this order.",
    perStage(stackTable),
    '## Manifests, in apply order\n\n`kubectl apply -f k8s/dist/<stage>/` applies the files in name order; the CRDs each file needs must be installed before it (see [the deploy runbook](deploy.md)). The Helm values in `k8s/dist/<stage>/helm/` are not applied with kubectl.',
    perStage(manifestTable),
    `## Helm values\n\nRendered beside the manifests, in a sub-folder \`kubectl apply\` does not read; the [deploy runbook](deploy.md) says which install takes which.\n\n${markdownTable(
      ['Stage', 'Files'],
      stages.map((stage) => [
        stage.stage,
        [...stage.helmValues.keys()].map((file) => `\`k8s/dist/${stage.stage}/helm/${file}\``).join(', '),
      ]),
    )}`,
  ].join('\n\n')}\n`;
}
