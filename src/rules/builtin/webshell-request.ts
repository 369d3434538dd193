// Webshell requests in web logs: known shell names probed or answered, scripts served from shell-prone folders.

import type { Detector, Hit } from '../../core/detector.js';
import {
  KNOWN_WEBSHELL_NAMES,
  SCRIPT_EXT,
  SCRIPT_EXTENSIONS,
  STOCK_OWA_AUTH,
  isStockScript,
  shellFolder,
} from './webfolders.js';
import { SCANNER_CHECK_TAG } from '../../core/rule-ids.js';
import { addressesOf, builtinRule, httpStatus, str, userAgentOf } from './util.js';

// Scanners check for the published webshell names of the 2021 campaigns; a 404 shows nothing was there.
const PROBE = builtinRule(
  'webshell.name-probe',
  'Request for a known webshell name (not found)',
  'low',
  [],
  [SCANNER_CHECK_TAG],
);
const KNOWN_USED = builtinRule(
  'webshell.known-name-access',
  'Known webshell name answered by the server',
  'critical',
);
const SHELL_USED = builtinRule(
  'webshell.access',
  'Script served from a webshell folder (aspnet_client, owa/auth, ecp/auth)',
  'high',
);

// A path ends at a space (W3C), a comma or `?` (Exchange CSV), or a quote, `;` or tab (tables exported with
// Export-Csv, -UseCulture or a SIEM, and values Exchange had to quote).

/** A shell-prone folder anywhere in the line, minus Exchange's own logon pages (the busiest lines). */
const SHELL_FOLDER_TEXT = new RegExp(
  `aspnet_client/|/oab/|/ecp/auth/(?!timeoutlogoff\\.aspx[ ,?";\\t])|/owa/auth/(?!(?:${[...STOCK_OWA_AUTH].map((n) => n.replace('.', '\\.')).join('|')})[ ,?";\\t])`,
  'i',
);
/** A script at the site root: a path of one segment. */
const ROOT_SCRIPT_TEXT = new RegExp(`[ ,";\\t]/[^/ ,?";\\t]+\\.(?:${SCRIPT_EXTENSIONS})[ ,?";\\t]`, 'i');

/** Query text that shows a command being passed to a shell. */
const COMMAND =
  /(?:^|[=&?;+ ])(cmd(\.exe)?|powershell|whoami|ipconfig|net(1)?\+user|nltest|certutil|systeminfo|tasklist|quser)\b/i;

export const webshellRequestDetector: Detector = {
  id: 'webshell-request',
  title: 'Webshell requests in IIS and HttpProxy logs',
  sources: ['iis-w3c', 'httpproxy'],
  // A script under a shell-prone folder or at the site root, right before the end of the URL path (space in
  // W3C, comma or ? in CSV). It gates lines for the whole source, so it is kept narrow: Exchange's own
  // .svc and .asmx services are a third of a busy log and must not pass it.
  // Text parsers find these first: a shell-prone folder anywhere, or `.ext` ending a one-segment path.
  literals: ['aspnet_client/', '/owa/auth/', '/ecp/auth/', '/oab/'],
  rootLiterals: SCRIPT_EXTENSIONS.split('|').flatMap((e) => [' ', ',', '?'].map((end) => `.${e}${end}`)),
  // The kernel checks the folder's path as the pattern does (a script name before the path ends), so
  // `/oab/.../oab.xml` and the OWA resources stay plain; and in owa/auth, not Exchange's own pages, which
  // `check` passes over anyway (unless the name is also a known shell's). Most /owa/auth/ lines are those.
  scriptPaths: {
    exts: SCRIPT_EXTENSIONS.split('|'),
    except: { literal: '/owa/auth/', names: [...STOCK_OWA_AUTH].filter((n) => !KNOWN_WEBSHELL_NAMES.has(n)) },
  },
  prefilter: new RegExp(
    `(?:(?:aspnet_client/|/owa/auth/|/ecp/auth/|/oab/)[^ ,?";\\t]*|[ ,";\\t]/[^/ ,?";\\t]+)\\.(?:${SCRIPT_EXTENSIONS})[ ,?";\\t]`,
    'i',
  ),
  check(r) {
    const raw = r.text();
    if (!SHELL_FOLDER_TEXT.test(raw) && !ROOT_SCRIPT_TEXT.test(raw)) return undefined;
    const stem = str(r, 'cs-uri-stem', 'UrlStem');
    if (!SCRIPT_EXT.test(stem)) return undefined;
    const lower = stem.toLowerCase();
    const folder = shellFolder(lower.replace(/^\//, ''));
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    const known = KNOWN_WEBSHELL_NAMES.has(name) && folder !== undefined;
    const odd = folder !== undefined && !isStockScript(folder, lower.replace(/^\//, ''));
    if (!known && !odd) return undefined;
    const status = httpStatus(r);
    // Only a 2xx shows the page exists: Exchange answers unknown names under /owa/auth with 302 to the logon page.
    const answered = status >= 200 && status < 300;
    const query = str(r, 'cs-uri-query', 'UrlQuery');
    const command = COMMAND.exec(decodeSafe(query))?.[0]?.replace(/^[=&?;+ ]/, '');
    const base = {
      cves: [],
      time: r.time,
      sourceIps: addressesOf(r),
      userAgent: userAgentOf(r),
      summary: `${str(r, 'cs-method', 'Method')} ${stem} (${status}) from ${addressesOf(r).join(', ')}`,
      ...(command ? { command: { text: command } } : {}),
      details: {
        url: stem,
        httpStatus: String(status),
        method: str(r, 'cs-method', 'Method'),
        ...(command ? { command } : {}),
      },
    };
    let hit: Hit;
    if (!answered) {
      if (!known) return undefined; // a 404 for an unknown name tells nothing
      hit = { ...base, rule: PROBE, severity: 'low', stage: 'recon', outcome: 'probe' };
    } else if (known || folder === 'aspnet-client') {
      hit = {
        ...base,
        rule: known ? KNOWN_USED : SHELL_USED,
        severity: 'critical',
        stage: 'webshell-use',
        outcome: 'compromise',
      };
    } else {
      // An unknown script in owa/auth or ecp/auth answered 200: a shell unless Exchange really ships it.
      hit = {
        ...base,
        rule: SHELL_USED,
        severity: 'high',
        stage: 'webshell-use',
        outcome: command ? 'compromise' : 'suspicious',
      };
    }
    return [hit];
  },
};

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
