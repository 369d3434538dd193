// The built-in detector registry: a plain map from detector id to detector.

import type { Detector } from '../../core/detector.js';
import { ecpVdirDetector } from './ecp-vdir.js';
import { iisModuleDetector } from './iis-modules.js';
import { oabDownloadDetector } from './oab-download.js';
import { serverInfoDetector } from './serverinfo.js';
import { stagedFileDetector } from './staged-file.js';
import { TPL_DETECTORS } from './test-proxylogon.js';
import { webshellFileDetector } from './webshell-file.js';
import { webshellRequestDetector } from './webshell-request.js';

export const DETECTORS: ReadonlyMap<string, Detector> = new Map(
  [
    serverInfoDetector,
    oabDownloadDetector,
    ecpVdirDetector,
    webshellFileDetector,
    webshellRequestDetector,
    stagedFileDetector,
    iisModuleDetector,
    ...TPL_DETECTORS,
  ].map((d) => [d.id, d]),
);

export function detectorsFor(source: string): Detector[] {
  return [...DETECTORS.values()].filter((d) => d.sources.includes(source));
}
