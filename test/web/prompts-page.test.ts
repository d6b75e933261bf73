import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { buildWav, parseWav } from '../../src/audio/wav.js';
import { createPromptLibrary } from '../../src/prompts/create-prompt-library.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import {
  CLINIC_FLOW,
  makeSystemWeb,
  type SystemWeb,
  uploadRecording,
} from './settings-fixtures.js';
import {
  addUser,
  csrfOf,
  get,
  logIn,
  postForm,
  securityHeaderProblems,
  sessionCookie,
} from './web-fixtures.js';

/** A real recording: a speaker saying "zero", 8 kHz mono 16-bit (Free Spoken Digit Dataset). */
const SPOKEN_ZERO = '/work/shared/data/fsdd-dev/0_jackson_0.wav';

async function signedIn(web: SystemWeb) {
  const page = await get(web.app, '/prompts');
  return { cookie: sessionCookie(web.app), csrf: csrfOf(page.body), page };
}

function auditActions(web: SystemWeb) {
  return new SqliteAuditLog(web.db).entries({ limit: 100 });
}

t.test('/prompts lists every prompt per language, with the emergency notice', async (t) => {
  const web = await makeSystemWeb(t);
  const { page } = await signedIn(web);
  t.equal(page.statusCode, 200);
  t.same(securityHeaderProblems(page.headers), []);
  t.match(page.headers['content-security-policy'], "media-src 'self'", 'audio may play');
  t.match(page.body, 'Example Clinic (three languages)');
  for (const lang of ['en', 'de', 'es'])
    t.match(page.body, `data-prompt="${lang}/main-menu"`, `main-menu in ${lang}`);
  t.match(page.body, 'data-prompt="en/emergency-notice"');
  t.match(page.body, 'If this is a medical emergency');
  t.match(page.body, 'src="/prompts/audio/en/main-menu%3Aretry?text=1"', 'both retry texts');
  t.match(page.body, '<script src="/static/prompts.js" defer></script>');
  const script = await get(web.app, '/static/prompts.js');
  t.equal(script.statusCode, 200);
  t.match(script.headers['content-type'], 'text/javascript');
});

t.test('listen: the espeak-ng rendering from the cache; re-render replaces it', async (t) => {
  const web = await makeSystemWeb(t, { flowFile: CLINIC_FLOW });
  const first = await get(web.app, '/prompts/audio/en/main-menu?text=0');
  t.equal(first.statusCode, 200);
  t.equal(first.headers['content-type'], 'audio/wav');
  const audio = parseWav(first.rawPayload, 'rendered');
  t.equal(audio.sampleRate, 8000);
  t.equal(audio.channels.length, 1);
  t.ok(audio.channels[0]!.length > 8000, 'more than a second of speech');

  // Put silence where the cache keeps that rendering: listening proves the cache is used ...
  const cacheDir = join(web.dataDir, 'prompt-cache');
  const [cached] = readdirSync(cacheDir);
  writeFileSync(join(cacheDir, cached!), buildWav([new Int16Array(800)], { sampleRate: 8000 }));
  const fromCache = parseWav((await get(web.app, '/prompts/audio/en/main-menu')).rawPayload);
  t.equal(fromCache.channels[0]!.length, 800, 'served from the cache');
  // ... and rendering again replaces it with speech.
  const { cookie, csrf } = await signedIn(web);
  const one = await postForm(
    web.app,
    '/prompts/render',
    { csrf, prompt: 'en/main-menu' },
    { cookie },
  );
  t.equal(one.statusCode, 303);
  t.equal(one.headers.location, '/prompts?done=rendered&n=1');
  const again = parseWav((await get(web.app, '/prompts/audio/en/main-menu')).rawPayload);
  t.equal(again.channels[0]!.length, audio.channels[0]!.length, 'speech again');
  t.match((await get(web.app, '/prompts?done=rendered&n=1')).body, '1 prompt(s) rendered again.');

  const all = await postForm(web.app, '/prompts/render', { csrf, prompt: 'all' }, { cookie });
  t.equal(all.statusCode, 303);
  const rendered = Number(/n=(\d+)/.exec(String(all.headers.location))?.[1]);
  t.ok(rendered > 10, `every text of the flow rendered (${rendered})`);
  const unknown = await postForm(
    web.app,
    '/prompts/render',
    { csrf, prompt: 'en/../../x' },
    { cookie },
  );
  t.equal(unknown.statusCode, 404);
  const renders = auditActions(web).filter((e) => e.action === 'prompts.render');
  t.same(
    renders.map((e) => e.outcome).sort(),
    ['done', 'done', 'refused'],
    'each render and the refusal audited',
  );
  t.equal((await get(web.app, '/prompts/audio/en/main-menu?text=7')).statusCode, 404);
  t.equal((await get(web.app, '/prompts/audio/en/no-such-node')).statusCode, 404);
});

t.test('upload: real recordings become what the line plays, and calls use them', async (t) => {
  const web = await makeSystemWeb(t);
  const { cookie, csrf } = await signedIn(web);
  const spoken = readFileSync(SPOKEN_ZERO);
  const original = parseWav(spoken).channels[0]!;

  const res = await uploadRecording(web.app, '/prompts/recording/en/main-menu', spoken, {
    cookie,
    csrf,
  });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.body, 'Recording saved');
  const stored = join(web.dataDir, 'recordings', 'en', 'main-menu.wav');
  t.ok(existsSync(stored), 'stored under <dataDir>/recordings/<lang>/<id>.wav');
  const served = await get(web.app, '/prompts/recording/en/main-menu');
  t.equal(served.statusCode, 200);
  t.same(parseWav(served.rawPayload).channels[0], original, '8 kHz 16-bit mono is kept as is');
  // The appliance's library (what a call hears) picks the upload up.
  const library = createPromptLibrary(web.running);
  const heard = await library.load({ id: 'main-menu', text: 'ignored', language: 'en' });
  t.equal(heard.source, 'recording');
  t.same(heard.samples, original);
  t.match((await get(web.app, '/prompts')).body, 'src="/prompts/recording/en/main-menu"');

  // 22.05 kHz from another recorder: resampled to 8 kHz, same duration.
  const wide = execFileSync('sox', [SPOKEN_ZERO, '-r', '22050', '-t', 'wav', '-']);
  const wideRes = await uploadRecording(web.app, '/prompts/recording/de/main-menu%3Aretry', wide, {
    cookie,
    csrf,
  });
  t.equal(wideRes.statusCode, 200, wideRes.body);
  const resampled = parseWav(
    readFileSync(join(web.dataDir, 'recordings', 'de', 'main-menu-retry.wav')),
  );
  t.equal(resampled.sampleRate, 8000);
  t.ok(Math.abs(resampled.channels[0]!.length - original.length) <= 8, 'duration kept');

  // G.711 mu-law, as a phone system exports it.
  const ulaw = buildWav([original], { sampleRate: 8000, format: 'ulaw' });
  const ulawRes = await uploadRecording(web.app, '/prompts/recording/es/main-menu', ulaw, {
    cookie,
    csrf,
  });
  t.equal(ulawRes.statusCode, 200, ulawRes.body);

  // Removing it brings the synthesised voice back.
  const removed = await postForm(
    web.app,
    '/prompts/recording/en/main-menu/delete',
    { csrf },
    { cookie },
  );
  t.equal(removed.statusCode, 303);
  t.notOk(existsSync(stored));
  t.equal((await get(web.app, '/prompts/recording/en/main-menu')).statusCode, 404);
  const uploads = auditActions(web).filter((e) => e.action.startsWith('prompts.recording'));
  t.same(uploads.map((e) => `${e.action} ${e.subject} ${e.outcome}`).sort(), [
    'prompts.recording.remove en/main-menu done',
    'prompts.recording.upload de/main-menu:retry done',
    'prompts.recording.upload en/main-menu done',
    'prompts.recording.upload es/main-menu done',
  ]);
});

t.test('upload refuses what is not a mono PCM16 or G.711 WAV, with a clear message', async (t) => {
  const web = await makeSystemWeb(t);
  const { cookie, csrf } = await signedIn(web);
  const url = '/prompts/recording/en/main-menu';
  const tone = new Int16Array(8000).map((_, i) => Math.round(8000 * Math.sin(i / 3)));
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['stereo', buildWav([tone, tone], { sampleRate: 8000 }), /must be mono/],
    ['8-bit', buildWav([tone], { sampleRate: 8000, format: 'u8' }), /encoding is not accepted.*u8/],
    ['an MP3', Buffer.from('ID3\u0004\u0000\u0000 not a wave at all'), /not a WAV file/],
    [
      'a truncated header',
      buildWav([tone], { sampleRate: 8000 }).subarray(0, 30),
      /not a WAV file/,
    ],
    ['silence of 1 ms', buildWav([new Int16Array(8)], { sampleRate: 8000 }), /empty or shorter/],
  ];
  for (const [what, bytes, message] of cases) {
    const res = await uploadRecording(web.app, url, bytes, { cookie, csrf });
    t.equal(res.statusCode, 400, what);
    t.match(res.body, message, what);
  }
  const huge = buildWav([new Int16Array(1_100_000)], { sampleRate: 8000 });
  const tooLarge = await uploadRecording(web.app, url, huge, { cookie, csrf });
  t.equal(tooLarge.statusCode, 413);
  t.match(tooLarge.body, 'larger than 2 MB');
  const octets = await uploadRecording(web.app, url, buildWav([tone], { sampleRate: 8000 }), {
    cookie,
    csrf,
    type: 'application/octet-stream',
  });
  t.equal(octets.statusCode, 415);
  const german = await uploadRecording(web.app, url, buildWav([tone, tone], { sampleRate: 8000 }), {
    cookie: `${cookie}; lang=de`,
    csrf,
  });
  t.match(german.body, 'Die Aufnahme muss mono sein');
  t.notOk(existsSync(join(web.dataDir, 'recordings')), 'nothing was stored');
  const refused = auditActions(web).filter(
    (e) => e.action === 'prompts.recording.upload' && e.outcome === 'refused',
  );
  t.ok(refused.length >= cases.length + 2, 'every refusal audited');
});

t.test(
  'upload attacks: no token, foreign origin, staff, unknown ids and path traversal',
  async (t) => {
    const web = await makeSystemWeb(t);
    const { cookie, csrf } = await signedIn(web);
    const wav = readFileSync(SPOKEN_ZERO);
    const url = '/prompts/recording/en/main-menu';

    t.equal(
      (await uploadRecording(web.app, url, wav, { cookie, csrf: '' })).statusCode,
      403,
      'no token',
    );
    t.equal(
      (await uploadRecording(web.app, url, wav, { cookie, csrf: 'x'.repeat(43) })).statusCode,
      403,
    );
    t.equal(
      (await uploadRecording(web.app, url, wav, { cookie, csrf, origin: 'http://evil.example' }))
        .statusCode,
      403,
      'foreign origin',
    );
    await addUser(web, 'front-desk', 'staff');
    const staff = await logIn(web.app, 'front-desk');
    t.equal((await uploadRecording(web.app, url, wav, staff)).statusCode, 403, 'staff');
    t.equal((await get(web.app, '/prompts', undefined, staff.cookie)).statusCode, 403);
    t.equal(
      (await get(web.app, '/prompts/audio/en/main-menu', undefined, staff.cookie)).statusCode,
      403,
    );

    const hostile = [
      '/prompts/recording/en/..%2F..%2F..%2Fetc%2Fpasswd',
      '/prompts/recording/..%2F..%2F..%2Fetc/passwd',
      '/prompts/recording/en/%2Fetc%2Fpasswd',
      '/prompts/recording/%2Ftmp/main-menu',
      '/prompts/recording/en/..%252F..%252Fetc%252Fpasswd',
      '/prompts/recording/en/main-menu%00.wav',
      '/prompts/recording/EN/MAIN-MENU',
    ];
    for (const target of hostile) {
      const res = await uploadRecording(web.app, target, wav, { cookie, csrf });
      t.equal(res.statusCode, 404, `upload to ${target}`);
      t.equal((await get(web.app, target)).statusCode, 404, `read of ${target}`);
      const remove = await postForm(web.app, `${target}/delete`, { csrf }, { cookie });
      t.equal(remove.statusCode, 404, `removal of ${target}`);
    }
    const raw = await uploadRecording(web.app, '/prompts/recording/en/../../../etc/passwd', wav, {
      cookie,
      csrf,
    });
    // No route matches; the raw body is no form, so the CSRF guard refuses it before the 404.
    t.equal(raw.statusCode, 403, 'unencoded dots match no route and are refused');
    t.notOk(existsSync(join(web.dataDir, 'recordings')), 'nothing written anywhere');
  },
);
