// Webshells on disk with no trace of how they got there: the logs cover a later, quiet week on a patched server.

import {
  APPENDED_LOADER,
  BENIGN_PAGES,
  CHOPPER,
  CMD_SHELL,
  FILE_MANAGER,
  GODZILLA,
  OBFUSCATED_EVAL,
  TUNNEL,
} from '../attacks/implants.js';
import type { Implant } from '../attacks/implants.js';
import { build } from '../site.js';
import { utc } from '../time.js';
import { applicationHostConfig, wwwrootWebConfig } from '../webfiles.js';
import { finish, makeWorld } from './common.js';
import type { Scenario, ScenarioOptions } from './common.js';

/** February 2023 on Exchange 2019 CU12 with the January 2023 SU; the shells date from the weeks before. */
export const IMPLANTED = {
  build: build('15.02.1118.021'),
  installed: utc('2023-01-12T19:02:44'),
  from: utc('2023-02-06T00:00:00'),
  to: utc('2023-02-13T00:00:00'),
  /** A second IIS site, declared in applicationHost.config, outside every Exchange and IIS default folder. */
  portal: 'Sites/Portal',
} as const;

/** Where each family was planted (evidence-relative; `<install>` is the Exchange install folder). */
export const IMPLANTS: readonly { path: string; shell: Implant; at: string }[] = [
  { path: 'inetpub/wwwroot/mobile/default.aspx', shell: CHOPPER, at: '2023-01-19T02:14:09' },
  { path: 'inetpub/wwwroot/help/diag.aspx', shell: CMD_SHELL, at: '2023-01-19T02:31:55' },
  {
    path: '<install>/FrontEnd/HttpProxy/owa/auth/Current/themes/resources/owafont.aspx',
    shell: GODZILLA,
    at: '2023-01-21T23:50:12',
  },
  {
    path: '<install>/ClientAccess/ecp/Reports/ReportView.aspx',
    shell: FILE_MANAGER,
    at: '2023-01-22T00:07:40',
  },
  { path: `${IMPLANTED.portal}/assets/img.ashx`, shell: TUNNEL, at: '2023-01-24T04:41:18' },
  { path: `${IMPLANTED.portal}/news/item.aspx`, shell: OBFUSCATED_EVAL, at: '2023-01-24T04:43:02' },
];

/** The shipped OWA error page with a loader appended: same name, same markup, more code. */
export const MODIFIED_STOCK = {
  path: '<install>/FrontEnd/HttpProxy/owa/auth/errorFE.aspx',
  at: '2023-01-21T23:52:37',
} as const;

/** Pages that read the request harmlessly, next to the shells: a content check must leave them alone. */
export const LOOKALIKES: readonly { path: string; text: string }[] = [
  { path: 'inetpub/wwwroot/help/index.aspx', text: BENIGN_PAGES['help-index'] ?? '' },
  { path: `${IMPLANTED.portal}/default.aspx`, text: BENIGN_PAGES['portal-default'] ?? '' },
];

export function implanted(opts: ScenarioOptions): Scenario {
  const I = IMPLANTED;
  const w = makeWorld({
    name: 'implanted',
    from: I.from,
    to: I.to,
    history: { builds: [{ from: 0, build: I.build }], restarts: [], feFields: [], rollHours: 4 },
    installed: I.installed,
    opts,
  });
  const { tree, tl, site } = w;
  const at = (p: string) => p.replace('<install>', site.installRel);
  tree.add('inetpub/wwwroot/web.config', wwwrootWebConfig([]), I.installed);
  const fe = site.install + 'FrontEnd\\HttpProxy\\';
  tree.add(
    'Windows/System32/inetsrv/config/applicationHost.config',
    applicationHostConfig([
      {
        name: 'Default Web Site',
        id: 1,
        binding: 'https *:443:',
        apps: [
          ['/', '%SystemDrive%\\inetpub\\wwwroot'],
          ['/owa', `${fe}owa`],
          ['/ecp', `${fe}ecp`],
        ],
      },
      { name: 'Exchange Back End', id: 2, binding: 'https *:444:', apps: [['/ecp', `${site.install}ClientAccess\\ecp`]] }, // prettier-ignore
      {
        name: 'Portal',
        id: 3,
        binding: 'http *:8080:',
        apps: [['/', `C:\\${I.portal.replace(/\//g, '\\')}`]],
      },
    ]),
    I.installed + 3 * 3_600_000,
  );
  for (const { path, shell, at: t } of IMPLANTS) {
    tree.add(at(path), shell.text, utc(t));
    tl.add(utc(t), '', `file:webshell:${shell.family}`, at(path));
  }
  const stock = at(MODIFIED_STOCK.path);
  const page = tree.text(stock);
  if (page === undefined) throw new Error(`no stock page ${stock}`);
  tree.replace(stock, page + APPENDED_LOADER, utc(MODIFIED_STOCK.at));
  tl.add(utc(MODIFIED_STOCK.at), '', 'file:webshell:stock-page-loader', stock);
  for (const l of LOOKALIKES) {
    tree.add(at(l.path), l.text, I.installed + 86_400_000);
    tl.add(I.installed + 86_400_000, '', 'lookalike:page-reads-request', at(l.path));
  }
  return finish(w, 'implanted');
}
