/**
 * The sections of the design document (`security-best-practices.md`) that controls, checklist
 * items and configuration fields answer, named as the document heads them (`Section › Subsection`),
 * so the report, the configuration reference and the documentation all cite them the same way.
 */
export const DESIGN = {
  neverTrust: 'Zero-Trust Principles › Never Trust, Always Verify',
  sessionTimeouts: 'Zero-Trust Principles › Never Trust, Always Verify (session timeouts: max 1 hour)',
  ipWhitelisting: 'Zero-Trust Principles › Never Trust, Always Verify (IP whitelisting: optional per-user)',
  leastPrivilege: 'Zero-Trust Principles › Least Privilege Access',
  defenseNetwork: 'Zero-Trust Principles › Defense in Depth (1. Network: WAF, DDoS protection, TLS)',
  defenseEdge: 'Zero-Trust Principles › Defense in Depth (2. Edge: rate limiting, JWT validation)',
  defenseMesh: 'Zero-Trust Principles › Defense in Depth (3. Service Mesh: mTLS, authorization policies)',
  defenseData: 'Zero-Trust Principles › Defense in Depth (5. Data: encryption at rest)',
  jwt: 'Authentication & Authorization › JWT Best Practices',
  revocation: 'Authentication & Authorization › Token Revocation',
  mtls: 'mTLS Configuration › Istio mTLS Setup',
  certificateRotation: 'mTLS Configuration › Certificate Rotation',
  auditLogging: 'Audit Logging › What to Log',
  auditFormat: 'Audit Logging › Audit Log Format',
  kongRateLimiting: 'Rate Limiting › Kong Rate Limiting',
  appRateLimiting: 'Rate Limiting › Application-Level Rate Limiting',
  atRest: 'Encryption › At Rest',
  inTransit: 'Encryption › In Transit',
  sensitiveData: 'Encryption › Sensitive Data',
  scanning: 'Vulnerability Management › Automated Scanning',
  updatePolicy: 'Vulnerability Management › Update Policy',
  incidentResponse: 'Incident Response › Security Incident Checklist',
  preProduction: 'Security Checklist › Pre-Production',
  postProduction: 'Security Checklist › Post-Production',
} as const;

/** A design-document section, as {@link DESIGN} names it. */
export type DesignSection = (typeof DESIGN)[keyof typeof DESIGN];

/** The design document's "Pre-Production" checklist, item by item, in its order and words. */
export const PRE_PRODUCTION_CHECKLIST = [
  'All secrets in external secret manager (AWS Secrets Manager)',
  'TLS certificates configured',
  'mTLS enabled for all services',
  'Authorization policies applied',
  'Rate limiting configured',
  'Audit logging enabled',
  'Vulnerability scanning passed',
  'Penetration testing completed',
  'Security training for team',
] as const;

/** The design document's "Post-Production" checklist, item by item, in its order and words. */
export const POST_PRODUCTION_CHECKLIST = [
  'Monitor security alerts 24/7',
  'Review audit logs weekly',
  'Rotate certificates quarterly',
  'Update dependencies monthly',
  'Conduct security audits quarterly',
  'Run penetration tests annually',
  'Review access controls monthly',
  'Test disaster recovery quarterly',
] as const;
