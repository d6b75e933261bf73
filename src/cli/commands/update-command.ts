import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { rollback, updateFromTarball } from '../../update/install-release.js';
import { installStagedDir } from '../../update/install-staged.js';
import { SystemctlServiceControl } from '../../update/service-control.js';
import { UpdateError } from '../../update/update-errors.js';
import { BadArgumentError, EXIT_OK, out, reportError } from '../cli-io.js';

interface UpdateCommandOptions {
  rollback?: boolean;
  root: string;
  restart: boolean;
  force?: boolean;
  staged?: string;
}

/**
 * `linekeeper update FILE` installs a release tarball from scripts/make-release.sh next to the
 * running one and switches to it; `linekeeper update --rollback` goes back one release.
 */
export function registerUpdateCommand(program: Command): void {
  program
    .command('update')
    .description(
      'install a release tarball (made by scripts/make-release.sh) and restart; --rollback goes back to the previous release',
    )
    .argument('[file]', 'linekeeper-<version>-<arch>.tar.gz; FILE.sha256 next to it is checked')
    .option('--rollback', 'switch back to the previous release instead')
    .option('--no-restart', 'switch, but do not restart linekeeper.service')
    .option('--force', 'install even if this version is already the running one')
    .option('--root <dir>', 'root of the system to update (for tests)', '/')
    .addOption(new Option('--staged <dir>', 'used by scripts/install.sh').hideHelp())
    .action(async (file: string | undefined, options: UpdateCommandOptions) => {
      try {
        const root = resolve(options.root);
        const common = {
          root,
          configFile:
            program.opts<{ config?: string }>().config ?? join(root, 'etc/linekeeper/config.yaml'),
          nodeBin: process.execPath,
        };
        const service = options.restart ? new SystemctlServiceControl() : null;
        if (root === '/' && process.getuid?.() !== 0) {
          throw new UpdateError(
            'UPDATE_NOT_PERMITTED',
            'updating writes /opt/linekeeper and restarts the service: run it as root (sudo linekeeper update ...)',
          );
        }
        if (options.staged) {
          const done = installStagedDir(resolve(options.staged), common);
          out(`linekeeper ${done.version} is the current release (${done.releaseDir})`);
          if (done.previousId) out(`previous release kept for a rollback: ${done.previousId}`);
        } else if (options.rollback) {
          if (file) throw new BadArgumentError('give either a FILE or --rollback, not both');
          const done = rollback({ ...common, service });
          out(`rolled back from ${done.from} to ${done.to}`);
          out(done.restarted ? 'linekeeper.service restarted' : 'not restarted (--no-restart)');
        } else {
          if (!file) throw new BadArgumentError('give the release file to install, or --rollback');
          const done = await updateFromTarball(resolve(file), {
            ...common,
            service,
            ...(options.force ? { force: true } : {}),
          });
          out(
            done.checksum.state === 'verified'
              ? `checksum ok (SHA-256 ${done.checksum.sha256}, ${done.checksum.checksumFile})`
              : `warning: no ${file}.sha256 next to the file: the copy was not checked (SHA-256 ${done.checksum.sha256})`,
          );
          out(`linekeeper ${done.version} is the current release (${done.releaseDir})`);
          if (done.previousId) out(`previous release kept for a rollback: ${done.previousId}`);
          if (done.removed.length > 0) out(`removed older releases: ${done.removed.join(', ')}`);
          out(
            done.restarted
              ? 'linekeeper.service restarted and answering'
              : 'not restarted (--no-restart)',
          );
        }
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
