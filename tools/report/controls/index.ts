import type { SynthesizedStage } from '../../synthesized/synthesized-stage';
import { ControlContext, evaluateControl, type ControlDefinition, type ControlResult } from './control';
import { EDGE_CONTROLS } from './edge';
import { ENCRYPTION_CONTROLS } from './encryption';
import { LOGGING_CONTROLS } from './logging';
import { MESH_CONTROLS } from './mesh';
import { RETENTION_CONTROLS } from './retention';
import { ROTATION_CONTROLS } from './rotation';
import { SECRETS_CONTROLS } from './secrets';

export type { ControlEvidence, ControlResult, ControlStatus } from './control';

/** Every control the report evaluates, in the order it lists them. */
export const CONTROLS: readonly ControlDefinition[] = [
  ...ENCRYPTION_CONTROLS,
  ...ROTATION_CONTROLS,
  ...RETENTION_CONTROLS,
  ...LOGGING_CONTROLS,
  ...MESH_CONTROLS,
  ...EDGE_CONTROLS,
  ...SECRETS_CONTROLS,
];

/** Reads every control from a stage's synthesized output. */
export function evaluateControls(stage: SynthesizedStage): ControlResult[] {
  const context = new ControlContext(stage);
  return CONTROLS.map((definition) => evaluateControl(definition, context));
}
