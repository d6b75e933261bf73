import { FlowInvalidError } from '../../ivr/flow-errors.js';
import { type ParsedFlow, parseFlowText } from '../../ivr/parse-flow.js';
import type { InputProblem } from '../../shared/errors.js';

/**
 * A flow is a few kilobytes (the bundled clinic flow is about 4 KB); this leaves room for a
 * large multilingual one and keeps a pasted mistake (a log file, a recording) off the disk.
 */
export const MAX_FLOW_BYTES = 48 * 1024;

export type FlowTextCheck =
  | { ok: true; parsed: ParsedFlow }
  | { ok: false; tooLarge: number | null; problems: InputProblem[] };

/**
 * The checks of `linekeeper check-flow` (schema, dangling routes, unreachable nodes, loops with
 * no exit, languages), plus what this appliance's config allows (`forConfig`, e.g. voicemail).
 * Problems carry line and column in `text`; warnings (unreachable nodes) do not block.
 */
export function checkFlowText(
  text: string,
  name: string,
  forConfig: ((parsed: ParsedFlow) => void) | null,
): FlowTextCheck {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FLOW_BYTES) return { ok: false, tooLarge: bytes, problems: [] };
  try {
    const parsed = parseFlowText(text, name);
    forConfig?.(parsed);
    return { ok: true, parsed };
  } catch (error) {
    if (error instanceof FlowInvalidError) {
      return { ok: false, tooLarge: null, problems: error.problems };
    }
    throw error;
  }
}
