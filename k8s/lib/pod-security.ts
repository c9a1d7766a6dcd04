import type { IContainer, IPodSpec } from 'kubernetes-models/v1';

/** Volume types the `restricted` Pod Security Standard allows. */
const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
/** Sysctls the `baseline` (and so `restricted`) standard allows. */
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];

/**
 * Checks a pod spec against the Kubernetes Pod Security Standard `restricted` (v1.33) as the
 * admission controller would, plus the project's own rule that every container's root
 * filesystem is read-only, and returns one message per violation (empty when compliant):
 * no host namespaces, ports or paths, no privileged container, only allowed volume types,
 * non-root (runAsNonRoot, no UID 0), seccomp RuntimeDefault or Localhost, no privilege
 * escalation, every capability dropped (NET_BIND_SERVICE alone may be added back), no
 * unconfined AppArmor, no custom SELinux user or role, default /proc mount, safe sysctls.
 */
export function restrictedViolations(spec: IPodSpec): string[] {
  const problems: string[] = [];
  if (spec.hostNetwork) problems.push('hostNetwork is true');
  if (spec.hostPID) problems.push('hostPID is true');
  if (spec.hostIPC) problems.push('hostIPC is true');
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (!type || !RESTRICTED_VOLUME_TYPES.includes(type))
      problems.push(`volume ${volume.name} is of type ${type ?? 'unknown'}, which restricted forbids`);
  }
  const podContext = spec.securityContext ?? {};
  for (const sysctl of podContext.sysctls ?? []) {
    if (!SAFE_SYSCTLS.includes(sysctl.name)) problems.push(`sysctl ${sysctl.name} is not a safe sysctl`);
  }
  if (podContext.runAsUser === 0) problems.push('the pod runs as UID 0');
  if (podContext.seccompProfile && !['RuntimeDefault', 'Localhost'].includes(podContext.seccompProfile.type)) {
    problems.push(`the pod's seccomp profile is ${podContext.seccompProfile.type}`);
  }
  if (podContext.appArmorProfile?.type === 'Unconfined') problems.push("the pod's AppArmor profile is Unconfined");
  if (podContext.seLinuxOptions?.user || podContext.seLinuxOptions?.role) problems.push('the pod sets a SELinux user or role');

  const containers: [string, IContainer][] = [
    ...(spec.initContainers ?? []).map((c): [string, IContainer] => [`init container ${c.name}`, c]),
    ...(spec.containers ?? []).map((c): [string, IContainer] => [`container ${c.name}`, c]),
    ...(spec.ephemeralContainers ?? []).map((c): [string, IContainer] => [`ephemeral container ${c.name}`, c as IContainer]),
  ];
  for (const [where, container] of containers) {
    const context = container.securityContext ?? {};
    if (context.privileged) problems.push(`${where} is privileged`);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${where} does not set allowPrivilegeEscalation: false`);
    const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
    if (runAsNonRoot !== true) problems.push(`${where} does not run with runAsNonRoot: true (on the container or the pod)`);
    if (context.runAsUser === 0) problems.push(`${where} runs as UID 0`);
    const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (!seccomp || !['RuntimeDefault', 'Localhost'].includes(seccomp)) {
      problems.push(`${where} has seccomp profile ${seccomp ?? 'unset'}; restricted needs RuntimeDefault or Localhost`);
    }
    const drop = context.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) problems.push(`${where} does not drop ALL capabilities`);
    const added = (context.capabilities?.add ?? []).filter((capability) => capability !== 'NET_BIND_SERVICE');
    if (added.length > 0) problems.push(`${where} adds capabilities ${added.join(', ')}`);
    if (context.appArmorProfile?.type === 'Unconfined') problems.push(`${where} has an Unconfined AppArmor profile`);
    if (context.seLinuxOptions?.user || context.seLinuxOptions?.role) problems.push(`${where} sets a SELinux user or role`);
    if (context.procMount && context.procMount !== 'Default') problems.push(`${where} uses procMount ${context.procMount}`);
    if ((container.ports ?? []).some((port) => port.hostPort !== undefined && port.hostPort !== 0))
      problems.push(`${where} uses a host port`);
    // The project's rule on top of the standard: the image writes nothing.
    if (context.readOnlyRootFilesystem !== true) problems.push(`${where} does not set readOnlyRootFilesystem: true`);
  }
  return problems;
}
