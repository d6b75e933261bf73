import type { Config } from '../config/config-schema.js';
import { FlowInvalidError } from '../ivr/flow-errors.js';
import { loadFlow, type ParsedFlow } from '../ivr/parse-flow.js';

/**
 * What a flow may ask of this appliance: a voicemail node records callers, so it is refused
 * unless the clinic switched voicemail on in the config (a conscious, audited decision).
 */
export function checkFlowForConfig(parsed: ParsedFlow, config: Config): void {
  if (config.call.voicemail.enabled) return;
  const voicemail = Object.keys(parsed.flow.nodes).filter(
    (id) => parsed.flow.nodes[id]!.type === 'voicemail',
  );
  if (voicemail.length === 0) return;
  throw new FlowInvalidError(
    parsed.file,
    voicemail.map((id) => ({
      path: `nodes.${id}`,
      message:
        'records voicemail, but call.voicemail.enabled is false in the config: enable it (messages are encrypted and expire after privacy.retentionDays.voicemails) or remove the node',
    })),
  );
}

/** Loads a flow and checks it against the config: what the appliance answers with, or throws. */
export function flowCheckedForConfig(spec: string, config: Config): ParsedFlow {
  const parsed = loadFlow(spec);
  checkFlowForConfig(parsed, config);
  return parsed;
}
