/**
 * DSP benchmark: throughput of each audio component as a multiple of real time on one core,
 * and heap bytes allocated per second of audio processed; then the DTMF specification rows
 * scored for our receiver and, when installed, Debian's multimon-ng. Run: npm run bench:dsp.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallProgressDetector } from '../audio/call-progress-detector.js';
import { DcHumFilter } from '../audio/dc-hum-filter.js';
import { renderDtmf } from '../audio/dtmf-generator.js';
import { DtmfReceiver } from '../audio/dtmf-receiver.js';
import { decodePcm, encodePcm } from '../audio/pcm-formats.js';
import { Resampler } from '../audio/resampler.js';
import { buildDtmfSpecCases } from '../audio/test-signals/dtmf-spec-cases.js';
import { findFsddDir, loadFsdd } from '../audio/test-signals/fsdd.js';
import { concat, mix, telephoneBand, whiteNoise } from '../audio/test-signals/signals.js';
import { VoiceActivityDetector } from '../audio/voice-activity-detector.js';

const FRAME = 160;
const repoRoot = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Runs `step(frame)` over `audio` in 20 ms frames until ~1.5 s of wall time; returns figures. */
function measure(
  audio: Int16Array,
  rate: number,
  step: (frame: Int16Array) => void,
): { xrt: number; bytesPerSec: number } {
  for (let at = 0; at < audio.length; at += FRAME) step(audio.subarray(at, at + FRAME)); // warm-up (JIT)
  // Frames are cut up front so the loop measures the component, not subarray().
  const frames: Int16Array[] = [];
  for (let at = 0; at + FRAME <= audio.length; at += FRAME)
    frames.push(audio.subarray(at, at + FRAME));
  let passes = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    for (const f of frames) step(f);
    passes++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < 1.5);
  const heapAfter = process.memoryUsage().heapUsed;
  const audioSeconds = (passes * frames.length * FRAME) / rate;
  // heapUsed only grows between collections; a negative delta means a GC ran: report 0 growth.
  return {
    xrt: audioSeconds / elapsed,
    bytesPerSec: Math.max(0, heapAfter - heapBefore) / audioSeconds,
  };
}

function row(name: string, r: { xrt: number; bytesPerSec: number }): string {
  return `${name.padEnd(34)} ${r.xrt.toFixed(0).padStart(8)} x real time ${r.bytesPerSec.toFixed(0).padStart(8)} B/s of audio`;
}

const fsdd = findFsddDir(repoRoot);
const speech = fsdd
  ? concat(...loadFsdd(fsdd, 40).map((c) => telephoneBand(c.samples)))
  : mix(whiteNoise(8000 * 10, 1000, 3));
// 20 s of typical line audio: speech, key presses, noise.
const mixed = concat(
  speech.subarray(0, 8000 * 12),
  renderDtmf('0123456789*#ABCD'),
  speech.subarray(0, 8000 * 5),
);

console.log(
  `DSP benchmark, node ${process.version}, one core, 20 ms frames (${fsdd ? 'FSDD speech' : 'noise'} + DTMF)\n`,
);
const rx = new DtmfReceiver();
const sinkNone = () => {};
console.log(
  row(
    'DTMF receiver (8 kHz)',
    measure(mixed, 8000, (f) => rx.process(f, sinkNone)),
  ),
);
const cpt = new CallProgressDetector('de');
console.log(
  row(
    'call-progress detector (8 kHz)',
    measure(mixed, 8000, (f) => cpt.process(f, sinkNone)),
  ),
);
const vad = new VoiceActivityDetector();
console.log(
  row(
    'voice activity detector (8 kHz)',
    measure(mixed, 8000, (f) => vad.process(f, sinkNone)),
  ),
);
const hum = new DcHumFilter();
const humOut = new Float64Array(FRAME);
console.log(
  row(
    'DC/hum filter',
    measure(mixed, 8000, (f) => hum.process(f, humOut)),
  ),
);
const up = new Resampler(8000, 16000);
const upOut = new Float64Array(up.maxOutput(FRAME));
console.log(
  row(
    'resampler 8 -> 16 kHz',
    measure(mixed, 8000, (f) => up.process(f, upOut)),
  ),
);
const wide = Resampler.convert(mixed, 8000, 16000);
const down = new Resampler(16000, 8000);
const downOut = new Float64Array(down.maxOutput(FRAME));
console.log(
  row(
    'resampler 16 -> 8 kHz',
    measure(wide, 16000, (f) => down.process(f, downOut)),
  ),
);
const bytes = new Uint8Array(FRAME);
const pcm = new Int16Array(FRAME);
console.log(
  row(
    'G.711 mu-law encode + decode',
    measure(mixed, 8000, (f) => decodePcm('ulaw', encodePcm('ulaw', f, bytes), pcm)),
  ),
);

// Specification rows: ours against multimon-ng on the very same audio.
function ours(audio: Int16Array): string {
  const r = new DtmfReceiver();
  let s = '';
  const sink = (e: { kind: string; digit: string }) => {
    if (e.kind === 'press') s += e.digit;
  };
  r.process(audio, sink);
  r.flush(sink);
  return s;
}

function multimon(audio: Int16Array, dir: string): string | undefined {
  // multimon-ng's raw input is 22050 Hz signed 16-bit.
  const path = join(dir, 'case.raw');
  writeFileSync(path, encodePcm('s16le', Resampler.convert(audio, 8000, 22050)));
  try {
    const out = execFileSync('multimon-ng', ['-q', '-a', 'DTMF', '-t', 'raw', path], {
      encoding: 'utf8',
    });
    return [...out.matchAll(/^DTMF: (.)$/gm)].map((m) => m[1]).join('');
  } catch {
    return undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'linekeeper-bench-'));
try {
  let oursPass = 0;
  let theirsPass = 0;
  let theirsRan = true;
  console.log(`\nDTMF specification rows (expected digits; '-' = must report nothing)\n`);
  console.log(`${'row'.padEnd(12)} ${'linekeeper'.padEnd(10)} ${'multimon-ng'.padEnd(11)} detail`);
  const cases = buildDtmfSpecCases(speech);
  for (const c of cases) {
    const a = ours(c.audio) === c.expected;
    const m = multimon(c.audio, dir);
    if (m === undefined) theirsRan = false;
    const b = m === c.expected;
    oursPass += a ? 1 : 0;
    theirsPass += b ? 1 : 0;
    const theirs = m === undefined ? 'n/a' : b ? 'pass' : `FAIL (${m || '-'})`;
    console.log(
      `${c.id.padEnd(12)} ${(a ? 'pass' : 'FAIL').padEnd(10)} ${theirs.padEnd(11)} ${c.title}`,
    );
  }
  const total = cases.length;
  console.log(
    `\nscore: linekeeper ${oursPass}/${total}, multimon-ng ${theirsRan ? `${theirsPass}/${total}` : 'not installed (apt-get install multimon-ng)'}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
