import t from 'tap';
import { findFsddDir, loadFsdd } from '../../src/audio/test-signals/fsdd.js';
import { REPO_ROOT } from './support/paths.js';
import { listenForTalkOff } from './support/talk-off-listener.js';

/** Talk-off on real voices: the Free Spoken Digit Dataset (see support/talk-off-listener.ts). */
t.test('no digit from the 1000 real spoken-digit recordings', async (t) => {
  const dir = findFsddDir(REPO_ROOT);
  if (!dir) {
    t.fail('shared/data/fsdd-dev not found beside the repository (set LINEKEEPER_FSDD_DIR)');
    return;
  }
  const pieces = loadFsdd(dir).map((p) => ({ label: p.name, samples: p.samples }));
  t.equal(pieces.length, 1000);
  const result = listenForTalkOff(pieces);
  t.same(result.falses, [], 'no false digits');
  t.equal(result.control, '159#');
});
