// Hostile folders: names that are not UTF-8, a FIFO where a log should be, an empty log inside the span.

import { ATTACK_RULE, iisDay, iisPath } from './carriers.js';
import type { HostileCase } from './case.js';
import { FOUND } from './case.js';

const rawName = (path: string, byte: number) =>
  Buffer.concat([Buffer.from(path.slice(0, -4), 'latin1'), Buffer.from([byte]), Buffer.from('.log')]);

export const FOLDER_CASES: HostileCase[] = [
  {
    id: 'names-not-utf8',
    kind: 'folder',
    what: 'two logs whose names differ only in a byte that is not UTF-8 (0xff and 0xfe); the attack is in the second',
    build: () => ({
      files: [
        [rawName(iisPath('2021-03-03'), 0xff), iisDay('2021-03-03')],
        [rawName(iisPath('2021-03-03'), 0xfe), iisDay('2021-03-03', { attack: true })],
      ],
    }),
    expect: { verdicts: FOUND, finding: ATTACK_RULE, artifacts: 2 },
  },
  {
    id: 'fifo-in-logs',
    kind: 'folder',
    what: 'a named pipe under a log’s name between two real days; opening it would block forever',
    build: () => ({
      files: [
        [iisPath('2021-03-03'), iisDay('2021-03-03')],
        [iisPath('2021-03-05'), iisDay('2021-03-05', { attack: true })],
      ],
      fifos: [iisPath('2021-03-04')],
    }),
    expect: { verdicts: FOUND, finding: ATTACK_RULE, skipped: { reason: 'special', files: 1 }, seconds: 30 },
  },
  {
    id: 'empty-log-in-span',
    kind: 'folder',
    what: 'an emptied log (0 bytes) between two benign days',
    build: () => ({
      files: [
        [iisPath('2021-03-03'), iisDay('2021-03-03')],
        [iisPath('2021-03-04'), ''],
        [iisPath('2021-03-05'), iisDay('2021-03-05')],
      ],
    }),
    expect: { verdicts: ['inconclusive'], skipped: { reason: 'empty', files: 1 }, gap: '2021-03-04' },
  },
];
