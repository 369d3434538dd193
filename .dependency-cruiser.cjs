// The layer rules of ARCHITECTURE.md ("may import"), checked on the TypeScript sources by `npm run layers`.
// Type-only imports count: a type is a dependency too, and a cycle through types is still a cycle.

/** Files that exist only for tests: they may reach across layers, production code may not reach them. */
const TEST_SUPPORT = [
  '\\.test\\.ts$',
  '/testing/',
  '/testing\\.ts$',
  '/testkit\\.ts$',
  '(^|/|-)fixtures?\\.ts$',
  '/golden-kit\\.ts$',
  '/zip-forge\\.ts$',
  '/ps-grammar\\.ts$',
  '/fuzz-runs\\.ts$',
  '/fuzz/',
  '^src/exposure/remote/imitation\\.ts$',
];
const TEST = `(${TEST_SUPPORT.join('|')})`;

/**
 * What each folder of src/ may import besides itself and core (core holds the contracts every layer
 * speaks). Kept in the order and words of ARCHITECTURE.md's folder table; each exception says why.
 */
const MAY_IMPORT = {
  core: [],
  evidence: [],
  sources: [],
  'rules/builtin': [],
  'rules/sigma': [],
  'rules/ioc': [],
  'rules/yara': [],
  // Exception: remediation and mitigations ask the build table (pure data and HealthChecker's rule) which
  // update fixes a build; only that part of exposure, never its evidence readers or network probe.
  analysis: ['exposure/(data|assess|lookup|version)\\.ts$'],
  engine: ['evidence', 'sources', 'rules', 'analysis', 'exposure'],
  report: [],
  exposure: [],
  store: [],
  collector: [],
  // Exception: ingest and the dashboard assess a reported build with the same build table as the scan.
  server: ['store', 'engine', 'report', 'rules/ioc', 'exposure/(data|assess|lookup|version)\\.ts$'],
  // The commands that are not scans call their own layer: `collector`, `exposure`, `rules` (Sigma lint
  // and tests), `evtx dump`.
  // The monitoring agent (`exhunt watch`) is a scan that never ends: it reads evidence with the engine's
  // readers and rules, and the collector's list of what to follow.
  agent: ['engine', 'evidence', 'sources', 'rules', 'collector'],
  cli: ['engine', 'report', 'server', 'collector', 'exposure', 'rules/sigma', 'sources/evtx', 'agent'],
};

const layerRules = Object.entries(MAY_IMPORT).map(([layer, allowed]) => ({
  name: `layer-${layer.replace('/', '-')}`,
  comment: `src/${layer} may import only core, itself${allowed.length ? ` and ${allowed.join(', ')}` : ''} (ARCHITECTURE.md)`,
  severity: 'error',
  from: { path: `^src/${layer}/`, pathNot: TEST },
  to: {
    path: '^src/',
    pathNot: [`^src/${layer}/`, '^src/core/', ...allowed.map((a) => `^src/${a}`)],
  },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-test-support-in-production',
      comment: 'test fixtures, kits and fakes stay out of what ships',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST },
      to: { path: TEST },
    },
    {
      name: 'src-not-from-examples-or-bench',
      comment: 'examples and bench use the product, never the reverse (tests may use the example trees)',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST },
      to: { path: '^(examples|bench)/' },
    },
    {
      name: 'web-only-api-types',
      comment: "the dashboard shares core's contracts and the server's response types, nothing else of src/",
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/server/api/'] },
    },
    {
      name: 'no-circular',
      comment: 'no import cycle, type-only imports included',
      severity: 'error',
      from: { path: '^(src|web)/' },
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
