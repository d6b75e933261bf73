import { checkFlowForConfig } from '../../appliance/flow-config-check.js';
import type { Config } from '../../config/config-schema.js';
import type { ParsedFlow } from '../../ivr/parse-flow.js';
import { createPromptLibrary } from '../../prompts/create-prompt-library.js';
import { SystemClock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { FlowFileStore } from './flow-file-store.js';
import { TestCalls } from './test-calls.js';

/** What the /flows page needs from the appliance. */
export interface FlowsPageDeps {
  store: FlowFileStore;
  /** What this appliance's config allows in a flow (voicemail); null: no extra rule. */
  forConfig: ((parsed: ParsedFlow) => void) | null;
  /**
   * Makes the running appliance load the flow in effect (the MQTT `reload-flow` command);
   * calls in progress keep theirs. Resolves with a line for the page, rejects if it failed.
   */
  reload: () => Promise<string>;
  testCalls: TestCalls;
}

/** The page's parts as the appliance builds them from its config. */
export function flowsPageDeps(
  config: Config,
  options: { reload: () => Promise<string>; logger: Logger; nightMode?: () => boolean },
): FlowsPageDeps {
  return {
    store: new FlowFileStore({ configuredSpec: config.call.flow, dataDir: config.dataDir }),
    forConfig: (parsed) => checkFlowForConfig(parsed, config),
    reload: options.reload,
    testCalls: new TestCalls({
      clock: new SystemClock(),
      logger: options.logger.child({ module: 'test-call' }),
      emergencyNotice: config.call.emergencyNotice,
      maxCallMs: config.call.maxCallSeconds * 1000,
      // The same renderer and cache as the line: the admin hears what callers will hear.
      promptAudio: createPromptLibrary(config),
      speech: config.speech.engine !== 'off',
      minSpeechConfidence: config.speech.minConfidence,
      ...(options.nightMode ? { nightMode: options.nightMode } : {}),
    }),
  };
}
