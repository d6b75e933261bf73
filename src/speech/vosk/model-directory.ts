import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VoskModelError } from './vosk-errors.js';

/** What linekeeper needs to know about a model before handing it to libvosk. */
export interface ModelDirectory {
  path: string;
  /** The rate the acoustic model was trained on (conf/mfcc.conf --sample-frequency). */
  sampleRate: number;
  /**
   * True for lookahead graphs (graph/HCLr.fst + graph/Gr.fst), the small models: only these
   * accept a runtime grammar. Big models with a static HCLG.fst ignore the grammar.
   */
  supportsGrammar: boolean;
}

const DEFAULT_RATE = 16000;

/**
 * Checks a model directory's layout and reads its sample rate. Problems found here get a
 * specific message ("conf/mfcc.conf is missing") instead of libvosk's NULL, which says nothing.
 */
export function inspectModelDirectory(modelPath: string): ModelDirectory {
  const path = resolve(modelPath);
  if (!existsSync(path)) throw new VoskModelError('VOSK_MODEL_MISSING', path, 'no such directory');
  if (!statSync(path).isDirectory())
    throw new VoskModelError('VOSK_MODEL_MISSING', path, 'this is a file, not a model directory');
  const missing: string[] = [];
  if (!existsSync(join(path, 'am', 'final.mdl'))) missing.push('am/final.mdl');
  if (!existsSync(join(path, 'conf', 'mfcc.conf'))) missing.push('conf/mfcc.conf');
  const lookahead = ['HCLr.fst', 'Gr.fst'].every((f) => existsSync(join(path, 'graph', f)));
  const staticGraph = existsSync(join(path, 'graph', 'HCLG.fst'));
  if (!lookahead && !staticGraph) missing.push('graph/HCLG.fst or graph/HCLr.fst + graph/Gr.fst');
  if (missing.length > 0) {
    throw new VoskModelError(
      'VOSK_MODEL_INCOMPLETE',
      path,
      `missing ${missing.join(', ')} (an interrupted download or the wrong folder: point at the folder that contains am/ and conf/)`,
    );
  }
  return { path, sampleRate: readSampleRate(path), supportsGrammar: lookahead };
}

function readSampleRate(path: string): number {
  const text = readFileSync(join(path, 'conf', 'mfcc.conf'), 'utf8');
  const match = /^\s*--sample-frequency\s*=\s*(\d+(?:\.\d+)?)\s*$/m.exec(text);
  if (!match) return DEFAULT_RATE; // Kaldi's own default when the option is absent
  const rate = Number(match[1]);
  if (!Number.isFinite(rate) || rate < 8000 || rate > 48000) {
    throw new VoskModelError(
      'VOSK_MODEL_INCOMPLETE',
      path,
      `conf/mfcc.conf gives --sample-frequency=${match[1]}, which no telephone pipeline can feed`,
    );
  }
  return rate;
}
