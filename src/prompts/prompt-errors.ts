import { LinekeeperError } from '../shared/errors.js';

export class PromptRenderError extends LinekeeperError {}

/** A missing program is the usual cause on a fresh machine; say which package brings it. */
export function toolMissing(tool: string, pkg: string): PromptRenderError {
  return new PromptRenderError(
    'PROMPT_TOOL_MISSING',
    `${tool} is not installed, so prompts cannot be spoken; install it with: apt-get install ${pkg}`,
  );
}
