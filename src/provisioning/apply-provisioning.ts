import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigInvalidError } from '../config/config-errors.js';
import { formatProblem, type InputProblem, InvalidInputError } from '../shared/errors.js';
import { ownerAndMode, replaceSymlink, writeFileAtomic } from '../shared/write-file-atomic.js';
import { APPLIED_FILE_NAME, BOOT_FILE_NAME, ERRORS_FILE_NAME } from './boot-dir.js';
import type { BootFile } from './boot-file-schema.js';
import { mergeBootSettings } from './merge-config.js';
import { type PlannedChange, planNetwork, removeIfPresent } from './network-settings.js';
import { parseBootFile } from './parse-boot-file.js';
import { ProvisioningError } from './provisioning-errors.js';
import { type ProvisioningStatus, writeProvisioningStatus } from './provisioning-status.js';
import { redactBootFile } from './redact-boot-file.js';
import { planTimezone } from './timezone-settings.js';

export interface ProvisioningTargets {
  /** The FAT boot partition holding linekeeper.yaml. */
  bootDir: string;
  /** /etc/linekeeper/config.yaml: merged, comments and other keys kept. */
  configFile: string;
  /** Where provisioning-status.json goes (the config's dataDir). */
  stateDir: string;
  networkDir: string;
  networkStateFile: string;
  /** /etc, for localtime and timezone. */
  etcDir: string;
  now: Date;
}

export type ProvisioningOutcome =
  | { result: 'absent'; bootFile: string }
  | {
      result: 'applied';
      bootFile: string;
      appliedFile: string;
      status: ProvisioningStatus;
      statusFile: string;
    }
  | { result: 'rejected'; bootFile: string; status: ProvisioningStatus; statusFile: string };

/**
 * Applies linekeeper.yaml from the boot partition, all or nothing as far as the input goes:
 * the file is parsed, the merged config validated and every change planned before the first
 * write, so a mistake in the file changes nothing on the box. Then the changes are written
 * (each one atomically), the file is redacted and renamed to linekeeper.yaml.applied, and the
 * status is recorded. A power cut part-way leaves the original file in place, and applying it
 * again gives the same result. A rejected file stays where it is, with the reasons in
 * linekeeper-errors.txt next to it and in the status file.
 */
export function applyProvisioning(targets: ProvisioningTargets): ProvisioningOutcome {
  const bootFile = join(targets.bootDir, BOOT_FILE_NAME);
  if (!existsSync(bootFile)) return { result: 'absent', bootFile };

  const planned = plan(bootFile, targets);
  if ('problems' in planned) return reject(bootFile, planned.problems, targets);

  const { changes, changed, warnings, bootText } = planned;
  for (const change of changes) commit(change);
  const appliedFile = join(targets.bootDir, APPLIED_FILE_NAME);
  const redacted = redactBootFile(bootText, targets.now);
  try {
    // Overwrite the original in place first, so the passwords' bytes are not simply left
    // behind in a deleted file's clusters, then give it its "applied" name.
    writeFileAtomic(bootFile, redacted, { mode: 0o644 });
    renameSync(bootFile, appliedFile);
    rmSync(join(targets.bootDir, ERRORS_FILE_NAME), { force: true });
  } catch (error) {
    throw writeFailed(bootFile, error);
  }
  const status: ProvisioningStatus = {
    ok: true,
    at: targets.now.toISOString(),
    file: bootFile,
    changed,
    warnings,
    errors: [],
  };
  return {
    result: 'applied',
    bootFile,
    appliedFile,
    status,
    statusFile: recordStatus(targets, status),
  };
}

interface Plan {
  changes: PlannedChange[];
  changed: string[];
  warnings: string[];
  bootText: string;
}

function plan(bootFile: string, targets: ProvisioningTargets): Plan | { problems: InputProblem[] } {
  let bootText: string;
  try {
    bootText = readFileSync(bootFile, 'utf8');
  } catch (error) {
    return {
      problems: [{ path: '', message: `cannot read ${bootFile}: ${(error as Error).message}` }],
    };
  }
  let boot: BootFile;
  try {
    boot = parseBootFile(bootText, bootFile);
  } catch (error) {
    if (error instanceof InvalidInputError) return { problems: error.problems };
    throw error;
  }
  const configText = existsSync(targets.configFile) ? readFileSync(targets.configFile, 'utf8') : '';
  let merged: ReturnType<typeof mergeBootSettings>;
  try {
    merged = mergeBootSettings(configText, targets.configFile, boot);
  } catch (error) {
    if (error instanceof ConfigInvalidError) {
      // The config the file would produce is refused by the appliance: say where and why.
      return {
        problems: error.problems.map((p) => ({
          ...p,
          message: `${targets.configFile} would not be valid after applying: ${formatProblem(targets.configFile, p)}`,
        })),
      };
    }
    throw error;
  }
  const network = planNetwork(boot.network, targets);
  const keep = ownerAndMode(targets.configFile);
  const changes: PlannedChange[] = [];
  if (merged.changedKeys.length > 0) {
    changes.push({
      kind: 'write',
      file: targets.configFile,
      content: merged.text,
      // root:linekeeper 0640 from install.sh; it may now hold the MQTT password.
      mode: keep?.mode ?? 0o640,
      describe: '',
    });
  }
  changes.push(...network.changes, ...planTimezone(boot.timezone, targets.etcDir));
  const changed = [
    ...merged.changedKeys,
    ...changes.map((c) => c.describe).filter((d) => d !== ''),
  ];
  return { changes, changed, warnings: network.warnings, bootText };
}

function commit(change: PlannedChange): void {
  const target = change.kind === 'symlink' ? change.link : change.file;
  try {
    mkdirSync(dirname(target), { recursive: true });
    if (change.kind === 'write') {
      const owner = ownerAndMode(change.file);
      writeFileAtomic(change.file, change.content, {
        mode: change.mode,
        ...(owner ? { owner: { uid: owner.uid, gid: owner.gid } } : {}),
      });
    } else if (change.kind === 'remove') {
      removeIfPresent(change.file);
    } else {
      replaceSymlink(change.link, change.target);
    }
  } catch (error) {
    throw writeFailed(target, error);
  }
}

function reject(
  bootFile: string,
  problems: InputProblem[],
  targets: ProvisioningTargets,
): ProvisioningOutcome {
  const status: ProvisioningStatus = {
    ok: false,
    at: targets.now.toISOString(),
    file: bootFile,
    changed: [],
    warnings: [],
    errors: problems,
  };
  const lines = [
    `linekeeper did not apply ${BOOT_FILE_NAME} (${status.at}); nothing was changed.`,
    'Fix these lines, then put the card back and power on again:',
    '',
    ...problems.map((p) => formatProblem(BOOT_FILE_NAME, p)),
    '',
  ];
  try {
    writeFileAtomic(join(targets.bootDir, ERRORS_FILE_NAME), lines.join('\r\n'), { mode: 0o644 });
  } catch {
    // A read-only or full boot partition: the status file and the journal still say it.
  }
  return { result: 'rejected', bootFile, status, statusFile: recordStatus(targets, status) };
}

function recordStatus(targets: ProvisioningTargets, status: ProvisioningStatus): string {
  try {
    mkdirSync(targets.stateDir, { recursive: true });
    return writeProvisioningStatus(targets.stateDir, status);
  } catch (error) {
    throw writeFailed(join(targets.stateDir, 'provisioning-status.json'), error);
  }
}

function writeFailed(file: string, error: unknown): ProvisioningError {
  return new ProvisioningError(
    'PROVISIONING_WRITE_FAILED',
    `could not write ${file}: ${(error as Error).message}; the boot-partition file was kept, so the next boot tries again (is the file system read-only or full?)`,
    { cause: error },
  );
}
