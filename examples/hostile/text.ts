// Hostile text logs: other encodings and line ends, changing layouts, stray quotes, impossible times, long lines.

import {
  ATTACK_RULE,
  attackLine,
  benignLine,
  HP_ATTACK_RULE,
  hpAttack,
  hpBenign,
  hpHead,
  HP_FIELDS,
  HP_PATH,
} from './carriers.js';
import { iisDay, iisHead, iisPath, IIS_FIELDS } from './carriers.js';
import type { HostileCase } from './case.js';
import { FOUND, NOT_CLEAN } from './case.js';

const D = '2021-03-03';

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) {
    const a = le[i]!;
    le[i] = le[i + 1]!;
    le[i + 1] = a;
  }
  return le;
}

export const TEXT_CASES: HostileCase[] = [
  {
    id: 'iis-utf16le-bom',
    kind: 'text',
    what: 'an IIS log saved as UTF-16LE with a byte-order mark (PowerShell 5 `>`)',
    build: () => ({
      files: [
        [
          iisPath(D),
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(iisDay(D, { attack: true }), 'utf16le')]),
        ],
      ],
    }),
    expect: { verdicts: FOUND, finding: ATTACK_RULE },
  },
  {
    id: 'iis-utf16be-no-bom',
    kind: 'text',
    what: 'an IIS log in UTF-16BE without a byte-order mark',
    build: () => ({ files: [[iisPath(D), utf16be(iisDay(D, { attack: true }))]] }),
    expect: { verdicts: FOUND, finding: ATTACK_RULE },
  },
  {
    id: 'iis-cr-only',
    kind: 'text',
    what: 'an IIS log with carriage returns only as line ends',
    build: () => ({ files: [[iisPath(D), iisDay(D, { attack: true, eol: '\r' })]] }),
    expect: { verdicts: FOUND, finding: ATTACK_RULE },
  },
  {
    id: 'iis-fields-change',
    kind: 'text',
    what: 'a #Fields line that changes the columns mid-file, then a line that fits neither layout',
    build: () => {
      const wide = `${IIS_FIELDS} cs-host`;
      const text =
        iisHead(D) +
        `${benignLine(D, '01:00:00')}\r\n` +
        `#Fields: ${wide}\r\n` +
        `${benignLine(D, '02:00:00')} mail.corp.example\r\n` +
        `${D} 02:30:00 only four fields\r\n` +
        `${attackLine(D, '03:00:00')} mail.corp.example\r\n` +
        `${benignLine(D, '23:00:00')} mail.corp.example\r\n`;
      return { files: [[iisPath(D), text]] };
    },
    expect: { verdicts: FOUND, finding: ATTACK_RULE, problem: /^w3c\.bad-line$/ },
  },
  {
    id: 'httpproxy-stray-quote',
    kind: 'text',
    what: 'an HttpProxy row with a quote that never closes, 5,000 rows before the attack',
    build: () => {
      const rows = Array.from({ length: 5000 }, (_, i) => hpBenign(i));
      rows[10] = rows[10]!.replace('Mozilla/5.0', '"Mozilla/5.0');
      return { files: [[HP_PATH, hpHead() + [...rows, hpAttack()].join('\r\n') + '\r\n']] };
    },
    expect: { verdicts: NOT_CLEAN, finding: HP_ATTACK_RULE, problem: /^csv\./ },
  },
  {
    id: 'csv-quote-million-newlines',
    kind: 'text',
    what: 'an HttpProxy field that opens a quote and is followed by a million empty lines, then the attack',
    build: () => ({
      files: [
        [
          HP_PATH,
          hpHead() +
            `${hpBenign(1).replace('/owa/', '"/owa/')}` +
            '\n'.repeat(1_000_000) +
            hpAttack() +
            '\r\n',
        ],
      ],
    }),
    expect: { verdicts: NOT_CLEAN, problem: /^csv\./, seconds: 60 },
  },
  {
    id: 'iis-impossible-times',
    kind: 'text',
    what: 'IIS lines with impossible timestamps (month 13, day 32, year 0000) among good ones',
    build: () => {
      const text =
        iisHead(D) +
        [
          benignLine(D, '01:00:00'),
          benignLine('2021-13-03', '02:00:00'),
          benignLine('2021-03-32', '02:10:00'),
          benignLine('0000-03-03', '02:20:00'),
          benignLine(D, '25:61:00'),
          benignLine(D, '23:00:00'),
        ].join('\r\n') +
        '\r\n';
      return { files: [[iisPath(D), text]] };
    },
    expect: { verdicts: ['inconclusive'], problem: /time/ },
  },
  {
    id: 'iis-line-over-cap',
    kind: 'text',
    what: 'a 20 MiB line in an IIS log, then the attack',
    build: () => {
      const text =
        iisHead(D) +
        `${benignLine(D, '01:00:00')}\r\n${D} 01:30:00 ${'A'.repeat(20 << 20)}\r\n${attackLine(D, '02:00:00')}\r\n`;
      return { files: [[iisPath(D), text]] };
    },
    expect: { verdicts: FOUND, finding: ATTACK_RULE, problem: /./, seconds: 60 },
  },
  ...unendedCases(),
];

/** A line that never ends: 3 MiB against a 1 MiB limit (the default is 64 MiB), the attack after it. */
function unendedCases(): HostileCase[] {
  const limits = { unendedLine: 1 << 20 };
  const endless = 'A'.repeat(3 << 20);
  const expect = { verdicts: ['inconclusive'], problem: /^text\.unended-line$/, partial: true, seconds: 60 };
  const psHead =
    '#TYPE Selected.System.Management.Automation.PSCustomObject\r\n' +
    HP_FIELDS.split(',')
      .map((f) => `"${f}"`)
      .join(',') +
    '\r\n';
  const rows = (n: number) => Array.from({ length: n }, (_, i) => hpBenign(i) + '\r\n').join('');
  return [
    {
      id: 'iis-unended-line',
      kind: 'text',
      what: 'an IIS log whose last line never ends (3 MiB over a 1 MiB limit), the attack after it',
      build: () => ({
        files: [
          [
            iisPath(D),
            iisHead(D) + `${benignLine(D, '01:00:00')}\r\n${endless}\n${attackLine(D, '02:00:00')}\r\n`,
          ],
        ],
      }),
      expect,
      limits,
    },
    {
      id: 'httpproxy-unended-line',
      kind: 'text',
      what: 'an HttpProxy log with a row that never ends (3 MiB over a 1 MiB limit), the attack after it',
      build: () => ({ files: [[HP_PATH, hpHead() + rows(50) + endless + '\r\n' + hpAttack() + '\r\n']] }),
      expect,
      limits,
    },
    {
      id: 'export-unended-line',
      kind: 'text',
      what: 'an HttpProxy log exported with Export-Csv, a row that never ends (3 MiB over a 1 MiB limit), the attack after it',
      build: () => ({
        files: [
          ['exports/HttpProxy_Ecp_export.csv', psHead + rows(50) + endless + '\r\n' + hpAttack() + '\r\n'],
        ],
      }),
      expect,
      limits,
    },
  ];
}
