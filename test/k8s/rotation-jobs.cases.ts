import { Chart, Testing } from 'cdk8s';
import type { IPodSpec } from 'kubernetes-models/v1';
import { ENFORCE_DEADLINE_MINUTES, RotationJobsChart, meshCaRotationAgeDays, rotationToolImage } from '../../k8s/charts/rotation-jobs';
import { restrictedViolations } from '../../k8s/lib/pod-security';
import { RotationCronJob, type RotationCronJobProps } from '../../k8s/lib/rotation-cron-job';
import { ROTATION_JOBS } from '../../lib/config';
import { stageConfig } from '../harness/cdk-app';
import { chartObjects, objectNamed, renderStageObjects } from '../harness/k8s-charts';
import { validateObjects } from '../harness/k8s-schemas';

/** Every pod spec a rendered object would create (Pods, Deployments, Jobs, CronJobs, ...). */
function podSpecs(objects: readonly any[]): [string, IPodSpec][] {
  return objects.flatMap((object): [string, IPodSpec][] => {
    const name = `${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}`;
    if (object.kind === 'Pod') return [[name, object.spec]];
    if (object.kind === 'CronJob') return [[name, object.spec.jobTemplate.spec.template.spec]];
    if (object.spec?.template?.spec?.containers) return [[name, object.spec.template.spec]];
    return [];
  });
}

describe.each(['dev', 'prod'])('the %s rotation jobs', (stageName) => {
  const config = stageConfig(stageName);
  const objects = chartObjects(config, 'rotation-jobs');
  const cronJobs = objects.filter((object) => object.kind === 'CronJob') as any[];
  const cronJob = (name: string) => objectNamed(objects, 'CronJob', name);
  const podSpec = (name: string): IPodSpec => cronJob(name).spec.jobTemplate.spec.template.spec;
  const args = (name: string): string[] => podSpec(name).containers[0].args!;
  const argAfter = (name: string, flag: string) => args(name)[args(name).indexOf(flag) + 1];

  test('matches its snapshot', () => expect(objects).toMatchSnapshot());

  test('every object validates against its upstream schema', () => expect(() => validateObjects(objects)).not.toThrow());

  test('three CronJobs: secret rotation, mesh CA rotation and the restart of the configured workloads', () => {
    expect(cronJobs.map((job) => job.metadata.name)).toEqual(['secret-rotation', 'mesh-ca-rotation', 'rotation-restart']);
    for (const job of cronJobs) expect(job.metadata.namespace).toBe(config.kubernetes.namespace);
  });

  test('schedules come from the configuration, in UTC', () => {
    expect(cronJob('secret-rotation').spec.schedule).toBe(config.rotation.schedule);
    expect(cronJob('mesh-ca-rotation').spec.schedule).toBe(config.rotationJobs.meshCaSchedule);
    expect(cronJob('rotation-restart').spec.schedule).toBe(config.rotationJobs.restartSchedule);
    for (const job of cronJobs) expect(job.spec.timeZone).toBe('Etc/UTC');
  });

  test('no run overlaps another, every run has a deadline and no blind retry, and the last runs are kept', () => {
    for (const job of cronJobs) {
      expect(job.spec).toMatchObject({
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 5,
        suspend: false,
      });
      expect(job.spec.startingDeadlineSeconds).toBeGreaterThanOrEqual(60);
      expect(job.spec.jobTemplate.spec.backoffLimit).toBe(0);
      expect(job.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(job.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    }
    // The tool stops itself before the Job's deadline kills it, so its audit log always closes.
    expect(argAfter('secret-rotation', '--deadline-minutes')).toBe(String(ENFORCE_DEADLINE_MINUTES));
    expect(cronJob('secret-rotation').spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(
      (ENFORCE_DEADLINE_MINUTES + config.rotationJobs.timeoutMinutes) * 60,
    );
  });

  test('every pod template passes Pod Security restricted, with a read-only root filesystem', () => {
    for (const [name, spec] of podSpecs(cronJobs)) expect([name, restrictedViolations(spec)]).toEqual([name, []]);
    for (const job of cronJobs) {
      const spec = job.spec.jobTemplate.spec.template.spec;
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.containers[0].securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        privileged: false,
      });
    }
  });

  test('every container has CPU, memory and ephemeral-storage requests and limits', () => {
    for (const job of cronJobs) {
      const { resources } = job.spec.jobTemplate.spec.template.spec.containers[0];
      for (const kind of ['requests', 'limits'])
        expect(Object.keys(resources[kind]).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    }
  });

  test('no sidecar is injected (the Job could not complete with one), and the pod says why', () => {
    for (const job of cronJobs) {
      const template = job.spec.jobTemplate.spec.template;
      expect(template.metadata.labels['sidecar.istio.io/inject']).toBe('false');
      expect(template.metadata.annotations['hydraulic.io/sidecar-injection']).toMatch(/^disabled: .*would keep the Job’s pod running/);
    }
  });

  test('each job runs as its own ServiceAccount, without a token unless it calls the Kubernetes API', () => {
    for (const job of Object.values(ROTATION_JOBS)) {
      expect(objectNamed(objects, 'ServiceAccount', job.serviceAccount).automountServiceAccountToken).toBe(false);
      expect(podSpec(job.name).serviceAccountName).toBe(job.serviceAccount);
    }
    expect(podSpec('secret-rotation').automountServiceAccountToken).toBe(false);
    expect(podSpec('mesh-ca-rotation').automountServiceAccountToken).toBe(true);
    expect(podSpec('rotation-restart').automountServiceAccountToken).toBe(true);
  });

  test('RBAC: Roles over named objects only, no wildcard, no cluster-wide grant', () => {
    const rbac = renderStageObjects(config).filter((object) => ['ClusterRole', 'ClusterRoleBinding'].includes(object.kind));
    expect(rbac.filter((object) => (object.metadata as any).labels?.['app.kubernetes.io/component'] === 'rotation')).toEqual([]);
    expect(objects.map((object) => object.kind)).not.toContain('ClusterRole');
    for (const role of objects.filter((object) => object.kind === 'Role') as any[]) {
      for (const rule of role.rules) {
        expect(JSON.stringify([rule.verbs, rule.resources, rule.apiGroups])).not.toContain('*');
        expect(rule.resourceNames.length).toBeGreaterThan(0);
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['list']));
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['watch']));
      }
    }
  });

  test('the mesh CA job may read the two CA Certificates and istiod’s Endpoints, and update only the intermediate’s status', () => {
    const role = objects.find((object) => object.kind === 'Role' && object.metadata?.name === 'mesh-ca-rotation') as any;
    expect(role.metadata.namespace).toBe(config.kubernetes.istioRootNamespace);
    expect(role.rules).toEqual([
      {
        apiGroups: ['cert-manager.io'],
        resources: ['certificates'],
        resourceNames: ['mesh-intermediate-ca', 'mesh-root-ca'],
        verbs: ['get'],
      },
      { apiGroups: ['cert-manager.io'], resources: ['certificates/status'], resourceNames: ['mesh-intermediate-ca'], verbs: ['update'] },
      { apiGroups: [''], resources: ['endpoints'], resourceNames: ['istiod'], verbs: ['get'] },
    ]);
    const binding = objects.find((object) => object.kind === 'RoleBinding' && object.metadata?.name === 'mesh-ca-rotation') as any;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'mesh-ca-rotation', namespace: config.kubernetes.namespace }]);
  });

  test('the restart job may get and patch only the configured Deployments, and read only their ExternalSecrets', () => {
    const role = objects.find((object) => object.kind === 'Role' && object.metadata?.name === 'rotation-restart') as any;
    expect(role.metadata.namespace).toBe(config.kubernetes.namespace);
    expect(role.rules).toEqual([
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        resourceNames: config.rotationJobs.restartOnRotation.map((w) => w.deployment),
        verbs: ['get', 'patch'],
      },
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], resourceNames: ['database-connection'], verbs: ['get'] },
    ]);
    expect(args('rotation-restart')).toEqual(expect.arrayContaining(['--workload', 'backend-api=database-connection']));
  });

  test('the secret job has no Kubernetes permission at all', () => {
    expect(
      objects.filter((object) => ['Role', 'RoleBinding'].includes(object.kind) && object.metadata?.name === 'secret-rotation'),
    ).toEqual([]);
  });

  test('NetworkPolicies: nothing may connect to a job; each may connect only to HTTPS, the Pod Identity Agent or istiod’s monitoring port', () => {
    for (const job of Object.values(ROTATION_JOBS)) {
      const policy = objectNamed(objects, 'NetworkPolicy', job.name);
      expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': job.name } });
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toEqual([]);
      for (const rule of policy.spec.egress) {
        expect(rule.ports.length).toBeGreaterThan(0);
        expect(rule.to.length).toBeGreaterThan(0);
      }
    }
    const ports = (name: string) =>
      objectNamed(objects, 'NetworkPolicy', name).spec.egress.flatMap((rule: any) => rule.ports.map((port: any) => port.port));
    expect(ports('secret-rotation').sort()).toEqual([443, 80].sort());
    expect(ports('mesh-ca-rotation').sort()).toEqual([15014, 443].sort());
    const agent = objectNamed(objects, 'NetworkPolicy', 'secret-rotation').spec.egress.find((rule: any) => rule.ports[0].port === 80);
    expect(agent.to).toEqual([{ ipBlock: { cidr: '169.254.170.23/32' } }]);
    const istiod = objectNamed(objects, 'NetworkPolicy', 'mesh-ca-rotation').spec.egress.find((rule: any) => rule.ports[0].port === 15014);
    expect(istiod.to).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': config.kubernetes.istioRootNamespace } },
        podSelector: { matchLabels: { app: 'istiod' } },
      },
    ]);
    const https = objectNamed(objects, 'NetworkPolicy', 'secret-rotation').spec.egress.find((rule: any) => rule.ports[0].port === 443);
    expect(https.to).toEqual([{ ipBlock: { cidr: config.network.cidr } }]);
  });

  test('the jobs run the configured image from the stage’s ECR repository, pinned', () => {
    const image = rotationToolImage(config);
    expect(image).toMatch(
      new RegExp(
        `^${config.aws.account}\\.dkr\\.ecr\\.${config.aws.region}\\.amazonaws\\.com/hydraulic/${stageName}/rotation-tool(:[\\w.-]+)?(@sha256:[a-f0-9]{64})?$`,
      ),
    );
    expect(image).not.toMatch(/:latest/);
    for (const job of cronJobs) expect(job.spec.jobTemplate.spec.template.spec.containers[0].image).toBe(image);
  });

  test('enforcement covers the stage’s name prefix under the configured policy', () => {
    expect(args('secret-rotation').slice(0, 4)).toEqual([
      '--quiet',
      '--actor',
      `system:serviceaccount:${config.kubernetes.namespace}:secret-rotation`,
      'enforce',
    ]);
    expect(argAfter('secret-rotation', '--prefix')).toBe(`hydraulic/${stageName}/`);
    expect(argAfter('secret-rotation', '--max-age-days')).toBe(String(config.rotation.secretsDays));
    expect(argAfter('secret-rotation', '--region')).toBe(config.aws.region);
  });

  test('the mesh CA is renewed at its rotation age, at most 90 days, where cert-manager would renew it', () => {
    const age = Number(argAfter('mesh-ca-rotation', '--rotation-age-days'));
    expect(age).toBe(meshCaRotationAgeDays(config.rotation.meshCaDays));
    expect(age).toBeLessThan(config.rotation.meshCaDays);
    expect(age).toBeLessThanOrEqual(90);
    expect(argAfter('mesh-ca-rotation', '--certificate')).toBe('mesh-intermediate-ca');
  });
});

test('the prod stage pins the image by digest', () => {
  expect(rotationToolImage(stageConfig('prod'))).toMatch(/@sha256:[a-f0-9]{64}$/);
});

test('a mesh CA of 90 days is renewed at 60, one of 30 days at 20', () => {
  expect(meshCaRotationAgeDays(90)).toBe(60);
  expect(meshCaRotationAgeDays(30)).toBe(20);
});

test('the restart job is left out when no workload is configured', () => {
  const config = stageConfig('dev');
  const objects = Testing.synth(
    new RotationJobsChart(Testing.app(), 'rotation-jobs', {
      config: { ...config, rotationJobs: { ...config.rotationJobs, restartOnRotation: [] } },
    }),
  );
  expect(objects.filter((object) => object.kind === 'CronJob').map((object) => object.metadata.name)).toEqual([
    'secret-rotation',
    'mesh-ca-rotation',
  ]);
});

test('a workload reading an ExternalSecret the stage does not sync is refused', () => {
  const config = stageConfig('dev');
  const rotationJobs = {
    ...config.rotationJobs,
    restartOnRotation: [{ deployment: 'backend-api', externalSecrets: ['kafka-credentials'] }],
  };
  expect(() => new RotationJobsChart(Testing.app(), 'rotation-jobs', { config: { ...config, rotationJobs } })).toThrow(
    /backend-api reads kafka-credentials, which the external-secrets chart does not sync; it syncs redis-connection, /,
  );
});

test('every pod template of the whole stage passes Pod Security restricted', () => {
  for (const stageName of ['dev', 'prod']) {
    const specs = podSpecs(renderStageObjects(stageConfig(stageName)));
    expect(specs.length).toBeGreaterThanOrEqual(3);
    for (const [name, spec] of specs) expect([name, restrictedViolations(spec)]).toEqual([name, []]);
  }
});

describe('the Pod Security restricted checker', () => {
  const good = (): IPodSpec => ({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        image: 'x@sha256:' + '0'.repeat(64),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
    ],
  });

  test('passes a compliant pod', () => expect(restrictedViolations(good())).toEqual([]));

  test.each<[string, (spec: IPodSpec) => void, RegExp]>([
    ['host network', (s) => (s.hostNetwork = true), /hostNetwork/],
    ['host PID', (s) => (s.hostPID = true), /hostPID/],
    ['a hostPath volume', (s) => (s.volumes = [{ name: 'root', hostPath: { path: '/' } }]), /volume root is of type hostPath/],
    ['a privileged container', (s) => (s.containers[0].securityContext!.privileged = true), /is privileged/],
    [
      'privilege escalation allowed',
      (s) => delete s.containers[0].securityContext!.allowPrivilegeEscalation,
      /allowPrivilegeEscalation: false/,
    ],
    ['root allowed', (s) => delete s.securityContext!.runAsNonRoot, /runAsNonRoot: true/],
    ['UID 0', (s) => (s.containers[0].securityContext!.runAsUser = 0), /runs as UID 0/],
    ['no seccomp profile', (s) => delete s.securityContext!.seccompProfile, /seccomp profile unset/],
    ['an unconfined seccomp profile', (s) => (s.securityContext!.seccompProfile = { type: 'Unconfined' }), /seccomp profile is Unconfined/],
    ['capabilities kept', (s) => (s.containers[0].securityContext!.capabilities = { drop: ['NET_RAW'] }), /does not drop ALL/],
    [
      'a capability added',
      (s) => (s.containers[0].securityContext!.capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] }),
      /adds capabilities NET_ADMIN/,
    ],
    ['a host port', (s) => (s.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]), /host port/],
    ['an unsafe sysctl', (s) => (s.securityContext!.sysctls = [{ name: 'kernel.msgmax', value: '1' }]), /kernel.msgmax/],
    ['a writable root filesystem', (s) => (s.containers[0].securityContext!.readOnlyRootFilesystem = false), /readOnlyRootFilesystem/],
    ['a non-compliant init container', (s) => (s.initContainers = [{ name: 'init', image: 'x' }]), /init container init/],
  ])('refuses %s', (_, breakIt, message) => {
    const spec = good();
    breakIt(spec);
    expect(restrictedViolations(spec).join('\n')).toMatch(message);
  });
});

describe('RotationCronJob', () => {
  const props: RotationCronJobProps = {
    name: 'job',
    namespace: 'ns',
    serviceAccount: 'job',
    purpose: 'test',
    schedule: '0 3 * * *',
    image: 'x:1',
    args: [],
    activeDeadlineSeconds: 600,
    startingDeadlineSeconds: 600,
    kubernetesApi: false,
    egress: [],
  };
  const build = (overrides: Partial<RotationCronJobProps>) => () =>
    new RotationCronJob(new Chart(Testing.app(), 'c'), 'job', { ...props, ...overrides });

  test.each<[string, Partial<RotationCronJobProps>, RegExp]>([
    [
      'a wildcard verb',
      { grants: [{ namespace: 'ns', rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['a'], verbs: ['*'] }] }] },
      /wildcard in verbs/,
    ],
    [
      'a wildcard resource',
      { grants: [{ namespace: 'ns', rules: [{ apiGroups: [''], resources: ['*'], resourceNames: ['a'], verbs: ['get'] }] }] },
      /wildcard in resources/,
    ],
    [
      'a rule over every object',
      { grants: [{ namespace: 'ns', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] }] },
      /on every secrets: name the objects/,
    ],
    [
      'list, which names cannot limit',
      { grants: [{ namespace: 'ns', rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['a'], verbs: ['list'] }] }] },
      /grants list, which resourceNames cannot limit/,
    ],
    ['a starting deadline under the controller’s 10-second tick', { startingDeadlineSeconds: 5 }, /at least 10; got 5/],
  ])('refuses %s', (_, overrides, message) => expect(build(overrides)).toThrow(message));
});
