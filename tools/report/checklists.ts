import type { ControlResult } from './controls';
import { POST_PRODUCTION_CHECKLIST, PRE_PRODUCTION_CHECKLIST } from './design-document';

/**
 * How far code discharges a checklist item: `implemented` (resources and jobs do it, tests verify
 * them), `partly implemented` (they do part; the rest is an organisational duty), `organisational
 * duty` (people must do it; code cannot), or `not implemented` (a control it relies on is not met).
 */
export type ChecklistStatus = 'implemented' | 'partly implemented' | 'organisational duty' | 'not implemented';

/** What the project does for one checklist item. */
interface ChecklistMapping {
  /** The controls (by id) whose resources and jobs implement the item. */
  readonly controls: readonly string[];
  /** The test files that verify it, relative to the repository root. */
  readonly tests: readonly string[];
  /** What code cannot discharge, in one line; absent when code does it all. */
  readonly duty?: string;
}

/** Each checklist item of the design document, and what answers it. Keyed by the item's words. */
const MAPPINGS: Readonly<Record<(typeof PRE_PRODUCTION_CHECKLIST)[number] | (typeof POST_PRODUCTION_CHECKLIST)[number], ChecklistMapping>> =
  {
    'All secrets in external secret manager (AWS Secrets Manager)': {
      controls: ['secrets.no-literal-values', 'secrets.external', 'at-rest.secrets', 'rotation.secrets'],
      tests: [
        'test/stacks/secrets-stack.cases.ts',
        'test/stacks/data-stores-stack.cases.ts',
        'test/k8s/external-secrets.cases.ts',
        'test/contracts/secret-formats.test.ts',
      ],
    },
    'TLS certificates configured': {
      controls: ['in-transit.edge', 'in-transit.alb-to-kong', 'in-transit.database', 'in-transit.cache', 'rotation.mesh-ca'],
      tests: ['test/k8s/gateway/gateway-charts.cases.ts', 'test/k8s/mesh-ca.cases.ts', 'test/stacks/data-stores-stack.cases.ts'],
      duty: "The API's public certificate is issued in ACM by the operator (gateway.edge.certificateArn); code only names it.",
    },
    'mTLS enabled for all services': {
      controls: ['mtls.mode', 'rotation.workload-certificates'],
      tests: ['test/k8s/mesh-mtls.cases.ts', 'test/k8s/gateway/gateway-charts.cases.ts'],
    },
    'Authorization policies applied': {
      controls: ['authorization.mesh-default', 'authorization.network-default', 'authorization.proxy-egress', 'authorization.edge-routes'],
      tests: [
        'test/k8s/mesh-authorization.cases.ts',
        'test/k8s/mesh-network-policies.cases.ts',
        'test/k8s/mesh-egress.cases.ts',
        'test/k8s/gateway/gateway-charts.cases.ts',
        'test/config/gateway-checks.test.ts',
      ],
    },
    'Rate limiting configured': {
      controls: ['rate-limits.tenant', 'rate-limits.diagnosis-per-ip', 'rate-limits.edge-flood'],
      tests: ['test/k8s/gateway/gateway-charts.cases.ts', 'test/stacks/edge-stack.cases.ts'],
    },
    'Audit logging enabled': {
      controls: [
        'logging.trail',
        'logging.retention',
        'logging.network',
        'logging.edge',
        'logging.gateway',
        'logging.mesh',
        'logging.data-stores',
        'retention.audit-archive',
      ],
      tests: [
        'test/stacks/audit-stack.cases.ts',
        'test/stacks/stage-invariants.cases.ts',
        'test/k8s/mesh-audit-logging.cases.ts',
        'test/k8s/gateway-log-shipper-values.cases.ts',
      ],
      duty: "The application's own audit events (password and MFA changes, data events) are the application's to write.",
    },
    'Vulnerability scanning passed': {
      controls: ['logging.detection'],
      tests: [
        'test/stacks/audit-stack.cases.ts',
        'test/app.test.ts',
        'test/tools/rotate/image.test.ts',
        'test/compliance/control-tower.test.ts',
        'test/guards/whole-app.test.ts',
      ],
      duty: "Scanning the application's images and dependencies (trivy, safety, bandit in the design document) belongs to the application's pipeline; this repository's own dependencies: `npm audit` where its advisory service is reachable (docs/guards.md).",
    },
    'Penetration testing completed': {
      controls: [],
      tests: [],
      duty: 'A penetration test is people attacking the deployed system; no template can perform or attest it.',
    },
    'Security training for team': {
      controls: [],
      tests: [],
      duty: 'Training is done by people, for people; code cannot discharge it.',
    },
    'Monitor security alerts 24/7': {
      controls: ['logging.alarms', 'logging.detection'],
      tests: ['test/stacks/audit-stack.cases.ts', 'test/stacks/stage-invariants.cases.ts'],
      duty: 'Someone must receive the alert topic around the clock: subscribe the on-call rotation (PagerDuty) besides alerts.emails.',
    },
    'Review audit logs weekly': {
      controls: ['logging.retention', 'retention.audit-archive'],
      tests: ['test/stacks/audit-stack.cases.ts'],
      duty: "Reading the logs each week is a person's task; code only keeps them (encrypted, a year or more, the archive Object-Locked).",
    },
    'Rotate certificates quarterly': {
      controls: ['rotation.mesh-ca', 'rotation.workload-certificates', 'rotation.enforcement-jobs'],
      tests: ['test/k8s/mesh-ca.cases.ts', 'test/k8s/rotation-jobs.cases.ts', 'test/tools/rotate/mesh-ca.test.ts'],
      duty: "The ALB's ACM certificate renews itself only if ACM issued it (DNS-validated); an imported one is re-imported by hand.",
    },
    'Update dependencies monthly': {
      controls: [],
      tests: ['test/ci/workflows.test.ts'],
      duty: "Dependabot opens this repository's updates monthly, grouped (.github/dependabot.yml); reviewing and merging them, and moving the Kong, Istio and operator versions of the stage files, is a maintainer's task.",
    },
    'Conduct security audits quarterly': {
      controls: ['logging.detection'],
      tests: ['test/stacks/audit-stack.cases.ts'],
      duty: 'The audit is people; Security Hub, AWS Config and this report are its inputs.',
    },
    'Run penetration tests annually': {
      controls: [],
      tests: [],
      duty: 'As for the pre-production penetration test: people, against the deployed system.',
    },
    'Review access controls monthly': {
      controls: ['authorization.mesh-default', 'authorization.edge-routes', 'ip-allow-lists.per-user'],
      tests: ['test/k8s/mesh-authorization.cases.ts', 'test/stacks/cluster-access-stack.cases.ts'],
      duty: 'The review itself is a person reading the authorization matrix below, the consumers and groups, and the IAM roles.',
    },
    'Test disaster recovery quarterly': {
      controls: ['retention.backup', 'retention.database'],
      tests: ['test/stacks/backup-stack.cases.ts', 'test/stacks/data-stores-stack.cases.ts'],
      duty: "The restore test restores the latest recovery point each quarter; checking the restored data in its window is the operator's.",
    },
  };

/** One checklist item, as the report shows it. */
export interface ChecklistItem {
  readonly item: string;
  readonly status: ChecklistStatus;
  /** Per control: its id, status, and the resources or objects that implement it. */
  readonly implementedBy: readonly { readonly control: string; readonly status: string; readonly resources: readonly string[] }[];
  readonly verifiedBy: readonly string[];
  readonly duty?: string;
}

/** The design document's two checklists. */
export interface Checklists {
  readonly preProduction: readonly ChecklistItem[];
  readonly postProduction: readonly ChecklistItem[];
}

/** The test files every checklist item names, for a test to check they exist. */
export function checklistTestFiles(): string[] {
  return [...new Set(Object.values(MAPPINGS).flatMap((mapping) => mapping.tests))].sort();
}

/** The control ids every checklist item names, for a test to check they exist. */
export function checklistControlIds(): string[] {
  return [...new Set(Object.values(MAPPINGS).flatMap((mapping) => mapping.controls))].sort();
}

/** Maps both checklists onto the stage's controls. */
export function checklists(controls: readonly ControlResult[]): Checklists {
  const item = (name: keyof typeof MAPPINGS): ChecklistItem => {
    const mapping = MAPPINGS[name];
    const implementedBy = mapping.controls.map((id) => {
      const control = controls.find((candidate) => candidate.id === id);
      if (!control) throw new Error(`The checklist item "${name}" names the control ${id}, which the report does not evaluate`);
      return { control: id, status: control.status, resources: [...new Set(control.evidence.map((evidence) => evidence.resource))] };
    });
    const broken = implementedBy.some((entry) => entry.status === 'not met');
    const status: ChecklistStatus = broken
      ? 'not implemented'
      : implementedBy.length === 0
        ? 'organisational duty'
        : mapping.duty
          ? 'partly implemented'
          : 'implemented';
    return { item: name, status, implementedBy, verifiedBy: mapping.tests, ...(mapping.duty ? { duty: mapping.duty } : {}) };
  };
  return { preProduction: PRE_PRODUCTION_CHECKLIST.map(item), postProduction: POST_PRODUCTION_CHECKLIST.map(item) };
}
