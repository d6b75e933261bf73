import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { dataPaths } from '../../appliance/paths.js';
import { loadConfig } from '../../config/load-config.js';
import { CallerPseudonymizer } from '../../privacy/caller-pseudonymizer.js';
import { DataSubjectRequests } from '../../privacy/data-subject-requests.js';
import { loadOrCreateDeviceSecret } from '../../privacy/device-secret.js';
import { NumberSealer } from '../../privacy/number-sealer.js';
import { SystemClock } from '../../shared/clock.js';
import { SqliteAuditLog } from '../../storage/sqlite/sqlite-audit-log.js';
import { SqliteDataSubjectStore } from '../../storage/sqlite/sqlite-data-subject-store.js';
import { SqliteDatabase } from '../../storage/sqlite/sqlite-database.js';
import { EXIT_OK, out, reportError } from '../cli-io.js';

/** `linekeeper privacy export|erase --number N`: data-subject requests, both audited. */
export function registerPrivacyCommand(program: Command): void {
  const privacy = program
    .command('privacy')
    .description(
      "data-subject requests: export or erase everything stored about one caller's number",
    );
  privacy
    .command('export')
    .description('print, as JSON, everything stored about one phone number (audited)')
    .requiredOption('--number <number>', 'the phone number, e.g. +4930123456')
    .action(async (flags: { number: string }) => {
      await withRequests(program, (requests, actor) => {
        out(JSON.stringify(requests.export(flags.number, actor), null, 2));
      });
    });
  privacy
    .command('erase')
    .description('delete everything stored about one phone number (audited)')
    .requiredOption('--number <number>', 'the phone number, e.g. +4930123456')
    .action(async (flags: { number: string }) => {
      await withRequests(program, (requests, actor) => {
        const counts = requests.erase(flags.number, actor);
        out(JSON.stringify({ erased: counts }));
      });
    });
}

async function withRequests(
  program: Command,
  work: (requests: DataSubjectRequests, actor: string) => void,
): Promise<void> {
  let db: SqliteDatabase | null = null;
  try {
    const { config } = loadConfig(program.opts<{ config?: string }>().config);
    const paths = dataPaths(config);
    const secret = loadOrCreateDeviceSecret(paths.deviceSecret);
    db = new SqliteDatabase(paths.database);
    await db.start();
    const requests = new DataSubjectRequests({
      pseudonymizer: new CallerPseudonymizer(secret),
      sealer: new NumberSealer(secret),
      store: new SqliteDataSubjectStore(db),
      audit: new SqliteAuditLog(db),
      clock: new SystemClock(),
    });
    work(requests, `cli:${userInfo().username}`);
    process.exitCode = EXIT_OK;
  } catch (error) {
    process.exitCode = reportError(error);
  } finally {
    await db?.stop();
  }
}
