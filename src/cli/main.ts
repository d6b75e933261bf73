#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../shared/package-root.js';
import { EXIT_BAD_INPUT } from './cli-io.js';
import { registerCallerIdCommand } from './commands/callerid-command.js';
import { registerCheckConfigCommand } from './commands/check-config-command.js';
import { registerCheckFlowCommand } from './commands/check-flow-command.js';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerDtmfCommand } from './commands/dtmf-command.js';
import { registerFirstbootCommand } from './commands/firstboot-command.js';
import { registerModemProbeCommand } from './commands/modem-probe-command.js';
import { registerModemReplayCommand } from './commands/modem-replay-command.js';
import { registerPrivacyCommand } from './commands/privacy-command.js';
import { registerPromptsCommand } from './commands/prompts-command.js';
import { registerRecognizeCommand } from './commands/recognize-command.js';
import { registerRelaysCommand } from './commands/relays-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerSimulateCommand } from './commands/simulate-command.js';
import { registerTonesCommand } from './commands/tones-command.js';
import { registerUpdateCommand } from './commands/update-command.js';

const program = new Command()
  .name('linekeeper')
  .description('On-premises voice appliance for a clinic phone line')
  .version(packageVersion())
  .option(
    '-c, --config <file>',
    'config file (default /etc/linekeeper/config.yaml; built-in defaults when absent)',
  )
  .showHelpAfterError()
  .exitOverride();

registerRunCommand(program);
registerCheckConfigCommand(program);
registerCheckFlowCommand(program);
registerSimulateCommand(program);
registerDoctorCommand(program);
registerPromptsCommand(program);
registerDtmfCommand(program);
registerTonesCommand(program);
registerModemProbeCommand(program);
registerModemReplayCommand(program);
registerRecognizeCommand(program);
registerRelaysCommand(program);
registerCallerIdCommand(program);
registerPrivacyCommand(program);
registerFirstbootCommand(program);
registerUpdateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; any usage mistake is bad input (2), like an invalid file.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  } else {
    throw error;
  }
}
