// `exhunt watch`'s arguments: --live and --no-live exclude each other, and the help names them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from './io.js';
import { runCaptured } from './testing.js';
import { watchCommand, WATCH_HELP } from './watch.js';

test('--live and --no-live exclude each other; the help says when the event logs are queried', async () => {
  await assert.rejects(
    runCaptured(watchCommand, [
      '/tmp',
      '--server',
      'http://127.0.0.1:9',
      '--token',
      't',
      '--live',
      '--no-live',
    ]),
    (e: unknown) => e instanceof UsageError && /--live and --no-live exclude each other/.test(e.message),
  );
  const help = await runCaptured(watchCommand, ['--help']);
  assert.equal(help.out, WATCH_HELP);
  assert.match(help.out, /--live\s+query the event logs through wevtutil/);
});
