// Test-only: one ProxyLogon request logged by the front-end IIS and HttpProxy, and scanner probes beside it,
// as the report writers' event tests read them.

import { buildIncident } from '../analysis/incident.js';
import { finding, report, resetIds, w3c } from '../analysis/testkit.js';
import type { ScanReport } from '../core/report.js';

export const RID = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
export const HP =
  'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG';

/** The request's two lines (HttpProxy on line 77) and one probe per address, through the incident step. */
export function oneRequestAndProbes(probeIps: readonly string[]): ScanReport {
  resetIds();
  const fe = finding({
    outcome: 'success',
    time: '2021-03-03T06:49:46.000Z',
    sourceIps: ['203.0.113.51'],
    userAgent: 'python-requests/2.25.1',
    details: { requestId: RID },
    excerpt: w3c({ time: '2021-03-03T06:49:46Z', method: 'POST', stem: '/ecp/y.js', query: `&cafeReqId=${RID};`, ip: '203.0.113.51', ua: 'python-requests/2.25.1' }), // prettier-ignore
  });
  const hp = finding({
    outcome: 'success',
    time: '2021-03-03T06:49:46.210Z',
    sourceIps: ['203.0.113.51'],
    path: HP,
    line: 77,
    details: { requestId: RID },
    excerpt: `2021-03-03T06:49:46.210Z,${RID},15,1,2176,2,,Ecp`,
  });
  const probes = probeIps.map((ip, i) =>
    finding({
      rule: { id: 'exhunt.probe', title: 'Scanner probe', author: 'exhunt', source: 'exhunt' },
      stage: 'recon',
      outcome: 'probe',
      time: `2021-03-01T00:00:0${i}.000Z`,
      sourceIps: [ip],
      excerpt: w3c({ time: `2021-03-01T00:00:0${i}Z`, stem: '/owa/auth/x.js', ip, ua: 'zgrab' }),
    }),
  );
  const r = report([...probes, fe, hp]);
  return Object.assign(r, buildIncident(r));
}
