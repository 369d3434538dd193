// The Exchange web folders of a copied system drive: stock pages (our own stand-in markup) and IIS web.config.

import type { Build, Site } from './site.js';
import type { Tree } from './tree.js';

const CRLF = (s: string) => s.replace(/\r?\n/g, '\r\n');

/** A stand-in ASP.NET page: the directive line real Exchange pages start with, and a little markup. */
function page(inherits: string, title: string, body: string): string {
  return CRLF(`<%@ Page Language="C#" AutoEventWireup="false" EnableViewState="false" Inherits="${inherits}" %>
<%@ Import Namespace="Microsoft.Exchange.Clients.Owa.Core" %>
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
</head>
<body>
${body}
</body>
</html>
`);
}

const OWA_AUTH: Record<string, [string, string, string]> = {
  'logon.aspx': [
    'Microsoft.Exchange.HttpProxy.Logon',
    'Outlook',
    '<form action="/owa/auth.owa" method="POST" name="logonForm" autocomplete="off">\n' +
      '<input type="text" id="username" name="username"><input type="password" id="password" name="password">\n' +
      '<input type="hidden" name="destination" value="<%=Destination%>"><input type="hidden" name="flags" value="4">\n' +
      '<div class="signinbutton" role="button" onclick="clkLgn()">sign in</div>\n</form>',
  ],
  'logoff.aspx': [
    'Microsoft.Exchange.HttpProxy.Logoff',
    'Outlook',
    '<div id="signedOut">You have signed out.</div>',
  ],
  'errorFE.aspx': [
    'Microsoft.Exchange.HttpProxy.ErrorFE',
    'Outlook',
    '<div id="errMsg"><%=ErrorMessage%></div>\n<div id="errDiag"><%=DiagnosticInformation%></div>',
  ],
  'expiredpassword.aspx': [
    'Microsoft.Exchange.HttpProxy.ExpiredPassword',
    'Outlook',
    '<form action="/owa/auth/expiredpassword.aspx" method="POST" name="passwordForm">\n' +
      '<input type="password" name="oldPwd"><input type="password" name="newPwd1"><input type="password" name="newPwd2">\n</form>',
  ],
  'frowny.aspx': [
    'Microsoft.Exchange.HttpProxy.Frowny',
    'Outlook',
    '<div class="frowny">:-(</div>\n<div><%=ErrorString%></div>',
  ],
  'signout.aspx': [
    'Microsoft.Exchange.HttpProxy.SignOut',
    'Outlook',
    '<script>window.location = "/owa/";</script>',
  ],
  'RedirSuiteServiceProxy.aspx': [
    'Microsoft.Exchange.HttpProxy.RedirSuiteServiceProxy',
    'Outlook',
    '<script>var redirTarget = "<%=RedirectUrl%>"; window.location.replace(redirTarget);</script>',
  ],
  'OutlookCN.aspx': [
    'Microsoft.Exchange.HttpProxy.OutlookCN',
    'Outlook',
    '<div id="cnNotice"><%=NoticeText%></div>',
  ],
};

const CSS =
  CRLF(`body { font-family: "Segoe UI", "Segoe UI Web (West European)", Tahoma, sans-serif; margin: 0; }
.signInBg { background-color: #f2f2f2; }
.signinbutton { background-color: #0072c6; color: #fff; cursor: pointer; padding: 6px 20px; }
`);

/** A 1x1 transparent GIF: stand-in for the theme images. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Stock files of the install, dated at the CU installation. */
export function stockWebFiles(tree: Tree, site: Site, build: Build, installed: number): void {
  const fe = `${site.installRel}/FrontEnd/HttpProxy`;
  for (const [name, [inh, title, body]] of Object.entries(OWA_AUTH)) {
    tree.add(`${fe}/owa/auth/${name}`, page(inh, title, body), installed);
  }
  for (const dir of [build.cu, 'Current']) {
    const res = `${fe}/owa/auth/${dir}/themes/resources`;
    tree.add(`${res}/logon.css`, CSS, installed);
    tree.add(`${res}/owafont_ja.css`, CSS, installed);
    tree.add(`${res}/lgnbotl.gif`, GIF, installed);
    tree.add(`${res}/favicon.ico`, GIF, installed);
  }
  tree.add(
    `${fe}/ecp/auth/TimeoutLogoff.aspx`,
    page(
      'Microsoft.Exchange.HttpProxy.TimeoutLogoff',
      'Exchange admin center',
      '<div>Your session has timed out.</div>',
    ),
    installed,
  );
  tree.add(
    `${fe}/OAB/web.config`,
    CRLF(
      '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <system.webServer>\n    <handlers accessPolicy="Read, Script" />\n  </system.webServer>\n</configuration>\n',
    ),
    installed,
  );
  tree.dir(`${site.installRel}/ClientAccess/OAB/${site.oabGuid}`, installed);
  tree.dir(`${site.installRel}/ClientAccess/OAB/Temp`, installed);
  tree.dir('inetpub/wwwroot/aspnet_client/system_web/4_0_30319', installed);
  tree.add(
    'inetpub/wwwroot/iisstart.htm',
    CRLF('<!DOCTYPE html>\n<html><head><title>IIS Windows Server</title></head><body></body></html>\n'),
    installed,
  );
}

export interface RewriteRule {
  name: string;
  input: string;
  pattern: string;
  stop?: boolean;
}

/** EOMT's two cookie rules for CVE-2021-26855 (names and patterns as the tool writes them). */
export const EOMT_RULES: readonly RewriteRule[] = [
  {
    name: 'X-AnonResource-Backend Abort - inbound',
    input: '{HTTP_COOKIE}',
    pattern: '(.*)X-AnonResource-Backend(.*)',
  },
  {
    name: 'X-BEResource Abort - inbound',
    input: '{HTTP_COOKIE}',
    pattern: '(.*)X-BEResource=(.+)/(.+)~(.+)',
    stop: true,
  },
];

/** EOMTv2's final rule for CVE-2022-41040. */
export const EOMT2_RULES: readonly RewriteRule[] = [
  {
    name: 'PowerShell - inbound',
    input: '{UrlDecode:{REQUEST_URI}}',
    pattern: '(?=.*autodiscover)(?=.*powershell)',
    stop: true,
  },
];

export function wwwrootWebConfig(rules: readonly RewriteRule[]): string {
  const rewrite = rules.length
    ? '        <rewrite>\n            <rules>\n' +
      rules
        .map(
          (r) =>
            `                <rule name="${r.name}"${r.stop ? ' stopProcessing="true"' : ''}>\n` +
            '                    <match url=".*" />\n' +
            '                    <conditions>\n' +
            `                        <add input="${r.input}" pattern="${r.pattern}" />\n` +
            '                    </conditions>\n' +
            '                    <action type="AbortRequest" />\n' +
            '                </rule>\n',
        )
        .join('') +
      '            </rules>\n        </rewrite>\n'
    : '';
  return CRLF(
    '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n    <system.webServer>\n' +
      rewrite +
      '        <httpRedirect enabled="false" />\n    </system.webServer>\n</configuration>\n',
  );
}

/** An IIS site as applicationHost.config declares it: name, id, binding and its applications' folders. */
export interface IisSite {
  name: string;
  id: number;
  binding: string;
  /** Application path to Windows folder (`%SystemDrive%` allowed, as IIS writes the default site). */
  apps: readonly (readonly [string, string])[];
}

/**
 * A reduced applicationHost.config: only `<sites>`, which is where exhunt learns the folders IIS serves (a
 * real file holds much more: modules, handlers, app pools).
 */
export function applicationHostConfig(sites: readonly IisSite[]): string {
  const site = (s: IisSite) =>
    `            <site name="${s.name}" id="${s.id}" serverAutoStart="true">\n` +
    s.apps
      .map(
        ([path, dir]) =>
          `                <application path="${path}" applicationPool="${s.id === 1 && path !== '/' ? `MSExchange${path.slice(1)}AppPool` : 'DefaultAppPool'}">\n` +
          `                    <virtualDirectory path="/" physicalPath="${dir}" />\n` +
          '                </application>\n',
      )
      .join('') +
    `                <bindings>\n                    <binding protocol="${s.binding.split(' ')[0]}" bindingInformation="${s.binding.split(' ')[1]}" />\n                </bindings>\n` +
    '            </site>\n';
  return CRLF(
    '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n    <system.applicationHost>\n        <sites>\n' +
      sites.map(site).join('') +
      '        </sites>\n    </system.applicationHost>\n</configuration>\n',
  );
}
