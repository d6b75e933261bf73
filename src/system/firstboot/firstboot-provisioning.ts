import {
  applyProvisioning,
  type ProvisioningOutcome,
} from '../../provisioning/apply-provisioning.js';
import {
  provisioningTargets,
  type TargetOptions,
} from '../../provisioning/provisioning-targets.js';
import { formatProblem } from '../../shared/errors.js';

export interface ProvisioningRun extends TargetOptions {
  /** One line to the journal and the console. */
  print: (line: string) => void;
}

/**
 * The first-boot step for the boot-partition file: apply it and say what happened in words a
 * technician reads on the HDMI console or with journalctl -u linekeeper-provision.
 */
export function runProvisioning(run: ProvisioningRun): ProvisioningOutcome {
  const targets = provisioningTargets(run);
  const outcome = applyProvisioning(targets);
  switch (outcome.result) {
    case 'absent':
      run.print(`no ${outcome.bootFile}: nothing to provision`);
      break;
    case 'applied':
      run.print(`applied ${outcome.bootFile}; passwords removed, kept as ${outcome.appliedFile}`);
      for (const change of outcome.status.changed) run.print(`  changed: ${change}`);
      for (const warning of outcome.status.warnings) run.print(`  warning: ${warning}`);
      if (outcome.status.changed.some((c) => c.startsWith('network') || c.startsWith('wifi'))) {
        run.print('  the network settings take effect when NetworkManager starts (this boot)');
      }
      break;
    case 'rejected':
      run.print(`NOT applied: ${outcome.bootFile} has mistakes; nothing was changed:`);
      for (const problem of outcome.status.errors) {
        run.print(`  ${formatProblem('linekeeper.yaml', problem)}`);
      }
      run.print(
        `  (also written to ${outcome.statusFile} and linekeeper-errors.txt on the boot partition)`,
      );
      break;
  }
  return outcome;
}
