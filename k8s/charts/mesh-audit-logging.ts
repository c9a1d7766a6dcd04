import type { Construct } from 'constructs';
import { Telemetry } from '../crds/istio';
import { addObject } from '../lib/add-object';
import { AUDIT_LOG_PROVIDER } from '../lib/audit-log';
import { StageChart, type StageChartProps } from './stage-chart';

/**
 * Access logging of every request in the application namespace through the JSON audit
 * provider (its format, with the design document's audit fields, is in istiod's values), on the
 * client and the server side, so a denied call is recorded by the caller's proxy and the callee's.
 */
export class MeshAuditLoggingChart extends StageChart {
  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, props);
    addObject(
      this,
      'audit-access-log',
      new Telemetry({
        metadata: { name: 'audit-access-log', namespace: this.config.kubernetes.namespace },
        spec: { accessLogging: [{ providers: [{ name: AUDIT_LOG_PROVIDER }], match: { mode: 'CLIENT_AND_SERVER' } }] },
      }),
    );
  }
}
