import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { buildWav } from '../../src/audio/wav.js';
import { DiskFiller } from '../../src/soak/disk-filler.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { editedFlowPaths } from '../../src/web/flows/flow-file-store.js';
import type { HasTeardown } from '../helpers/spawn-appliance.js';
import { makeFlowsWeb, SHORT_FLOW } from './flows-fixtures.js';
import { formFields, makeSystemWeb, uploadRecording } from './settings-fixtures.js';
import { csrfOf, get, postForm, sessionCookie } from './web-fixtures.js';

/**
 * A full disk while the admin saves: a real one, a 1 MB tmpfs filled with a ballast file until
 * the kernel says ENOSPC (the soak found the flow editor answering a bare "internal error").
 * Mounting needs root; CI runs as root.
 */
const root = process.getuid?.() === 0;
const skip = !root && 'needs root to mount a small tmpfs';

async function fullDisk(t: HasTeardown, directory: string): Promise<DiskFiller> {
  const disk = await DiskFiller.mountIfPossible(directory, 1);
  if (!disk) throw new Error(`could not mount a tmpfs on ${directory}`);
  t.teardown(() => disk.unmount());
  return disk;
}

function auditOf(db: ConstructorParameters<typeof SqliteAuditLog>[0], action: string) {
  return new SqliteAuditLog(db).entries({ limit: 50 }).filter((e) => e.action === action);
}

t.test(
  'a flow saved on a full disk: 507, the text kept, the flow in effect unchanged',
  { skip },
  async (t) => {
    const web = await makeFlowsWeb(t, { audio: false });
    const paths = editedFlowPaths(web.dataDir);
    const disk = await fullDisk(t, paths.dir);
    const cookie = sessionCookie(web.app);
    const first = SHORT_FLOW.replace('We open at eight.', 'We open at nine.');
    const csrf = csrfOf((await get(web.app, '/flows')).body);
    const saved = await postForm(web.app, '/flows', { csrf, flow: first }, { cookie });
    t.equal(saved.statusCode, 303, 'saved while there is space');

    await disk.fill();
    const typed = SHORT_FLOW.replace('We open at eight.', 'We open at ten & close at six.');
    const full = await postForm(web.app, '/flows', { csrf, flow: typed }, { cookie });
    t.equal(full.statusCode, 507, 'Insufficient Storage');
    t.match(
      full.body,
      /id="flow-notice" class="error" role="alert">The disk is full: nothing was saved/,
    );
    t.match(full.body, 'We open at ten &amp; close at six.', 'the editor keeps what was typed');
    t.equal(
      readFileSync(paths.active, 'utf8'),
      first,
      'the saved flow is whole and still in effect',
    );
    t.equal(web.running.flow.nodes['hours-info']?.type, 'info');
    const hours = web.running.flow.nodes['hours-info'];
    t.equal(hours?.type === 'info' ? hours.text : null, 'We open at nine.', 'nothing was reloaded');
    const failed = auditOf(web.db, 'flows.save').find((e) => e.outcome === 'failed');
    t.match(failed?.detail, { reason: 'disk-full', error: /ENOSPC/ }, 'audited with the reason');

    const revert = await postForm(web.app, '/flows/revert', { csrf }, { cookie });
    t.equal(revert.statusCode, 507, 'revert on a full disk says so too');
    t.match(revert.body, 'The disk is full');
    t.ok(existsSync(paths.active), 'and changes nothing');

    await disk.release();
    const again = await postForm(web.app, '/flows', { csrf, flow: typed }, { cookie });
    t.equal(again.statusCode, 303, 'saved once space is free');
    t.equal(readFileSync(paths.active, 'utf8'), typed);
  },
);

t.test(
  'settings and a prompt recording on a full disk: 507 with the reason',
  { skip },
  async (t) => {
    const web = await makeSystemWeb(t);
    const disk = await fullDisk(t, web.dataDir);
    const cookie = sessionCookie(web.app);
    const fields = formFields((await get(web.app, '/settings')).body);
    await disk.fill();

    const settings = await postForm(
      web.app,
      '/settings',
      { ...fields, 'privacy.retentionDays.calls': '45' },
      { cookie },
    );
    t.equal(settings.statusCode, 507);
    t.match(settings.body, /id="save-failed" role="alert">The disk is full/);
    t.match(
      settings.body,
      /name="privacy\.retentionDays\.calls"[^>]*value="45"/,
      'the form keeps the typed value',
    );
    t.notOk(existsSync(web.settingsFile), 'no settings file, not a torn one');
    const failed = auditOf(web.db, 'settings.save').find((e) => e.outcome === 'failed');
    t.match(failed?.detail, { reason: 'disk-full' });

    const csrf = csrfOf((await get(web.app, '/prompts')).body);
    const tone = new Int16Array(8000).map((_, i) => Math.round(8000 * Math.sin(i / 3)));
    const upload = await uploadRecording(
      web.app,
      '/prompts/recording/en/main-menu',
      buildWav([tone], { sampleRate: 8000 }),
      { cookie, csrf },
    );
    t.equal(upload.statusCode, 507);
    t.match(upload.body, 'The disk is full: nothing was saved');

    await disk.release();
    const later = await postForm(
      web.app,
      '/settings',
      { ...fields, 'privacy.retentionDays.calls': '45' },
      { cookie },
    );
    t.equal(later.statusCode, 303, 'saved once space is free');
  },
);
