// Facts about Exchange's web folders: which script files ship there, and which folders attackers used for shells.

import { stockInventory } from './stock-inventory.js';

/** Script files Exchange itself puts in `FrontEnd/HttpProxy/owa/auth` (lower-case names), from the stock inventory. */
export const STOCK_OWA_AUTH = new Set(stockInventory().filesIn('frontend/httpproxy/owa/auth'));

/** `FrontEnd/HttpProxy/ecp/auth` holds only its timeout page in a stock install (named differently by build). */
const STOCK_ECP_AUTH = new Set(stockInventory().filesIn('frontend/httpproxy/ecp/auth'));

/**
 * Webshell file names published for the 2021–2022 campaigns (incident reports, CERT advisories,
 * signature-base's filename IOCs). Only matched inside the folders in `shellFolder`.
 */
export const KNOWN_WEBSHELL_NAMES = new Set(
  [
    'RedirSuiteServerProxy.aspx',
    'errorFS.aspx',
    'errorEE.aspx',
    'OutlookEN.aspx',
    'OutlookZH.aspx',
    'OutlookJP.aspx',
    'OutlookRU.aspx',
    'OutlookDE.aspx',
    'OutlookES.aspx',
    'OutlookFR.aspx',
    'OutlookIT.aspx',
    'OutlookKO.aspx',
    'OutlookPT.aspx',
    'zntwv.aspx',
    'fexppw.aspx',
    'getpp.aspx',
    'Err0r.aspx',
    'win.ashx',
    'supp0rt.aspx',
    'discover.aspx',
    'HttpProxy.aspx',
    'errorcheck.aspx',
    'shellex.aspx',
    'aspnettest.aspx',
    'authhead.aspx',
    'bob.aspx',
    'errorPage.aspx',
    'errorPages.aspx',
    'fatal-erro.aspx',
    'log.aspx',
    'logg.aspx',
    'one.aspx',
    'one1.aspx',
    'shel.aspx',
    'shel2.aspx',
    'shel90.aspx',
    'xx.aspx',
    'xclkmcfldfi948398430fdjkfdkj.aspx',
    '8Lw7tAhF9i1pJnRo.aspx',
    'dukybySSSS.aspx',
    'caches.aspx',
    'owafonts.aspx',
    'HttpRedirService.aspx',
    'iisstart.aspx',
    'aspnet_client.aspx',
    'aspnet_iisstart.aspx',
    'aspnet_www.aspx',
    'aspnet_pages.aspx',
    'HWTJQDMFVMPOON.aspx',
    'VOLWMFQWPP.aspx',
    'd62ffcd688.aspx',
    'errorcheck.aspx',
  ].map((n) => n.toLowerCase()),
);

type ShellFolder = 'owa-auth' | 'ecp-auth' | 'aspnet-client' | 'oab' | 'wwwroot';

/** Which shell-prone folder a URL path or evidence path (lower-case, forward slashes) is in. */
export function shellFolder(pathLower: string): ShellFolder | undefined {
  if (/(^|\/)aspnet_client\//.test(pathLower)) return 'aspnet-client';
  if (/(^|\/)owa\/auth\//.test(pathLower)) return 'owa-auth';
  if (/(^|\/)ecp\/auth\//.test(pathLower)) return 'ecp-auth';
  if (/(^|\/)oab\/[^/]+$/.test(pathLower)) return 'oab';
  if (/(^|\/)inetpub\/wwwroot\/[^/]+$/.test(pathLower)) return 'wwwroot';
  return undefined;
}

/** Is this script name one Exchange ships in that folder? Only the root of owa/auth holds stock scripts. */
export function isStockScript(folder: ShellFolder, pathLower: string): boolean {
  const name = pathLower.slice(pathLower.lastIndexOf('/') + 1);
  if (folder === 'owa-auth') return /owa\/auth\/[^/]+$/.test(pathLower) && STOCK_OWA_AUTH.has(name);
  if (folder === 'ecp-auth') return STOCK_ECP_AUTH.has(name);
  return false;
}

/** Script extensions as a pattern alternation (longest first so `aspx` is not read as `asp`). */
export const SCRIPT_EXTENSIONS = 'aspx|asp|ashx|asmx|ascx|asax|cshtml|vbhtml|svc|soap|cer|cdx|asa|php|jsp';

export const SCRIPT_EXT = new RegExp(`\\.(${SCRIPT_EXTENSIONS})$`, 'i');
