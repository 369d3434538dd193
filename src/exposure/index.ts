// Public face of the exposure module: build data and decision, evidence readers, network probing.

export { parseVersion, compareVersions, formatVersion, formatLongVersion, type Version } from './version.js';
export { buildIndex, type BuildData, type BuildRow, type FixRow } from './data.js';
export { lookupBuild, lookupVersion, type BuildInfo } from './lookup.js';
export {
  assessBuild,
  exposureExitCode,
  type Assessment,
  type CveExposure,
  type ExposureState,
  type FixRef,
} from './assess.js';
export {
  buildTimeline,
  type BuildTimeline,
  type ExposureWindow,
  type VersionObservation,
} from './evidence/timeline.js';
export { readPeFileVersion, type PeVersionResult, type ReadAt } from './evidence/pe-version.js';
export {
  mitigationsFromWebConfig,
  type MitigationRule,
  type MitigationState,
  type WebConfigMitigations,
} from './evidence/web-config.js';
export { probeTarget, type TargetResult } from './remote/probe.js';
export { scanTargets, type ScanOptions } from './remote/scan.js';
