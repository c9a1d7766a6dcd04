import { DESIGN, type DesignSection } from '../report/design-document';

/** No design-document requirement: a setting about where and how the stage is deployed. */
export const OPERATIONAL = 'none (deployment setting)';

/**
 * The design-document requirement behind each configuration field, by path prefix (the longest
 * matching prefix wins). Every top-level section must be listed: the configuration reference
 * refuses to render a field with no entry, so a new section cannot be documented without saying
 * what it answers.
 */
export const CONFIG_REQUIREMENTS: Readonly<Record<string, DesignSection | typeof OPERATIONAL>> = {
  project: OPERATIONAL,
  stage: OPERATIONAL,
  aws: OPERATIONAL,
  network: DESIGN.defenseNetwork,
  kubernetes: OPERATIONAL,
  'kubernetes.namespace': DESIGN.mtls,
  session: DESIGN.sessionTimeouts,
  rateLimits: DESIGN.kongRateLimiting,
  'rateLimits.perTenant': DESIGN.kongRateLimiting,
  'rateLimits.diagnosisPerIp': DESIGN.appRateLimiting,
  ipAllowLists: DESIGN.ipWhitelisting,
  rotation: DESIGN.certificateRotation,
  'rotation.secretsDays': DESIGN.jwt,
  'rotation.meshCaDays': DESIGN.certificateRotation,
  'rotation.kmsKeyDays': DESIGN.atRest,
  'rotation.schedule': DESIGN.certificateRotation,
  logging: DESIGN.auditLogging,
  alerts: DESIGN.postProduction,
  serviceGraph: DESIGN.leastPrivilege,
  mesh: DESIGN.mtls,
  'mesh.pathNormalization': DESIGN.defenseMesh,
  'mesh.workloadCertTtlHours': DESIGN.certificateRotation,
  'mesh.rootCaDays': DESIGN.certificateRotation,
  'mesh.requestAuthentication': DESIGN.neverTrust,
  'mesh.auditHeaders': DESIGN.auditFormat,
  externalSecrets: DESIGN.preProduction,
  gateway: DESIGN.defenseEdge,
  'gateway.edge': DESIGN.inTransit,
  'gateway.groups': DESIGN.leastPrivilege,
  'gateway.consumers': DESIGN.leastPrivilege,
  'gateway.routes': DESIGN.leastPrivilege,
  secrets: DESIGN.jwt,
  vpcEndpoints: DESIGN.defenseNetwork,
  edge: DESIGN.defenseNetwork,
  'edge.sourceIps': DESIGN.ipWhitelisting,
  audit: DESIGN.auditLogging,
  'audit.alarmThresholds': DESIGN.incidentResponse,
  'audit.detection': DESIGN.scanning,
  backup: DESIGN.incidentResponse,
  'backup.restoreTesting': DESIGN.postProduction,
  rotationJobs: DESIGN.certificateRotation,
  dataStores: DESIGN.atRest,
  'dataStores.cache': DESIGN.revocation,
  'dataStores.clients': DESIGN.leastPrivilege,
};

/** The requirement of a field path (`a.b[].c`, `network[mode=create].cidr`): its longest listed prefix. */
export function requirementOf(fieldPath: string): DesignSection | typeof OPERATIONAL | undefined {
  const plain = fieldPath.replace(/\[[^\]]*\]/g, '');
  const parts = plain.split('.');
  for (let length = parts.length; length > 0; length--) {
    const found = CONFIG_REQUIREMENTS[parts.slice(0, length).join('.')];
    if (found) return found;
  }
  return undefined;
}
