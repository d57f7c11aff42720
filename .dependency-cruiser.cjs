/**
 * The project's dependency rules, checked in CI by `npm run deps` (.ci/run). The layers, from the
 * bottom up (docs/architecture.md, "Layers"):
 *
 *   core        ports (Embedder, VectorStore) and the shared domain types and errors; imports nothing of ours
 *   util        small building blocks with no knowledge of the domain; may use core
 *   align, catalog, evalset, annotation, calibration
 *               the domain: no HTTP, no files, no engines (evalset builds the T1/T2/T3 evaluation
 *               sets, annotation labels them, calibration sweeps thresholds over the labels)
 *   embedding, store           adapters: implement the ports; know no HTTP, no CLI, no configuration
 *   app         the use cases (build an evaluation set, calibrate, annotate): read and write files,
 *               call the domain and the ports; never HTTP, the CLI, the adapters or the configuration
 *   config.ts, services.ts     the configuration and the composition root
 *   http, cli   the two ways in; only cli (the entry point) builds services
 *
 * The code around src/ follows at the end of the list: test/, bench/ and scripts/ share only support/.
 */
const DOMAIN = '^src/(align|catalog|evalset|annotation|calibration)/';
const ADAPTERS = '^src/(embedding|store)/';
const ENGINES = '^(better-sqlite3|hnswlib-node|usearch|@qdrant/|@huggingface/|onnxruntime|@lancedb/)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module may reach itself through its imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      scope: 'folder',
      comment: 'Folders form a directed acyclic graph: two folders never import each other, even through a third.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-child-to-parent-folder',
      severity: 'error',
      comment:
        "dependency-cruiser's folder cycles count a folder together with its subfolders, so a parent and its child importing each other (app.ts → plugins/, plugins/ → problem.ts) go unseen. A folder imports its subfolders, never the files of a folder above it (below src/): shared pieces live in a sibling folder.",
      from: { path: '^(src/[^/]+)/[^/]+/[^/]+$' },
      to: { path: '^$1/[^/]+$' },
    },
    {
      name: 'no-grandchild-to-ancestor-folder',
      severity: 'error',
      comment: 'The same, two levels down (src/http/annotate/routes/ → src/http/annotate/ or src/http/).',
      from: { path: '^(src/[^/]+)/([^/]+)/[^/]+/[^/]+$' },
      to: { path: ['^$1/[^/]+$', '^$1/$2/[^/]+$'] },
    },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      comment: 'Ports and shared types are what every layer depends on, so they depend on nothing of ours.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'util-knows-no-domain',
      severity: 'error',
      comment: 'Utilities are reusable building blocks: core types at most.',
      from: { path: '^src/util/' },
      to: { path: '^src/', pathNot: '^src/(core|util)/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'The domain depends on ports only: no adapters, no HTTP, no CLI, no configuration, no composition root.',
      from: { path: DOMAIN },
      to: { path: '^src/', pathNot: '^src/(core|util|align|catalog|evalset|annotation|calibration)/' },
    },
    {
      name: 'domain-has-no-engines-or-io',
      severity: 'error',
      comment: 'No web framework, database, index or model runtime, and no files, in the domain.',
      from: { path: DOMAIN },
      to: { path: [ENGINES, '^(fastify|@fastify/|fastify-)', '^(node:)?(fs|fs/promises|http|https|net|child_process|worker_threads)$'] },
    },
    {
      name: 'adapters-know-no-callers',
      severity: 'error',
      comment: 'Adapters implement ports; they never import the HTTP layer, the CLI, the configuration or the composition root.',
      from: { path: ADAPTERS },
      to: { path: ['^src/(http|cli|app|align|catalog|evalset|annotation|calibration)/', '^src/(config|services)\\.ts$'] },
    },
    {
      name: 'adapters-know-no-fastify',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: '^(fastify|@fastify/|fastify-)' },
    },
    {
      name: 'stores-and-embedders-are-independent',
      severity: 'error',
      comment: 'A store never embeds and an embedder never stores; services.ts joins them.',
      from: { path: '^src/store/' },
      to: { path: '^src/embedding/' },
    },
    {
      name: 'embedders-know-no-store',
      severity: 'error',
      from: { path: '^src/embedding/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'use-cases-know-no-callers',
      severity: 'error',
      comment:
        'Use cases are called by the CLI and HTTP, never the reverse; they reach adapters through the ports in core, as services.ts wires them.',
      from: { path: '^src/app/' },
      to: { path: ['^src/(http|cli|embedding|store)/', '^src/(config|services)\\.ts$'] },
    },
    {
      name: 'only-entry-points-compose',
      severity: 'error',
      comment: 'services.ts builds the adapters; only the CLI (the process entry point) calls it. HTTP is handed services.',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/services\\.ts$'] },
      to: { path: '^src/services\\.ts$' },
    },
    {
      name: 'config-is-a-leaf',
      severity: 'error',
      comment: 'The configuration module reads the environment and validates it; it imports no layer but core.',
      from: { path: '^src/config\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(core/|config\\.ts$)' },
    },
    {
      name: 'http-knows-no-cli',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing package.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'Shipped code must not need a devDependency at run time.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    // Around src/: tests, benchmarks and scripts each import src/ and support/ (the generators and
    // launchers they share), never each other, so a change to one never breaks another.
    {
      name: 'src-knows-no-tooling',
      severity: 'error',
      comment: 'Shipped code never imports the tests, benchmarks, scripts, load tests or their shared support.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts|support|loadtests)/' },
    },
    {
      name: 'support-is-shared-by-all',
      severity: 'error',
      comment: 'support/ is what tests, benchmarks and scripts share: it imports src/ and itself, none of its users.',
      from: { path: '^support/' },
      to: { path: '^(test|bench|scripts|loadtests)/' },
    },
    {
      name: 'bench-imports-no-scripts-or-tests',
      severity: 'error',
      comment: 'A benchmark shares code with scripts and tests through support/ only.',
      from: { path: '^bench/' },
      to: { path: '^(test|scripts|loadtests)/' },
    },
    {
      name: 'scripts-import-no-bench-or-tests',
      severity: 'error',
      comment: 'A script shares code with benchmarks and tests through support/ only.',
      from: { path: '^scripts/' },
      to: { path: '^(test|bench|loadtests)/' },
    },
    {
      name: 'tests-import-no-bench',
      severity: 'error',
      comment: "Tests import src/, support/ and their own helpers; only test/bench/ tests the benchmarks' own helpers.",
      from: { path: '^test/', pathNot: '^test/bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'tests-import-no-scripts',
      severity: 'error',
      comment:
        'Tests import src/, support/ and their own helpers, not scripts. The one exception: scripts/folder-graph.ts, whose output (the folder graph in docs/architecture.md) test/architecture-doc.test.ts checks.',
      from: { path: '^test/' },
      to: { path: '^scripts/', pathNot: '^scripts/folder-graph\\.ts$' },
    },
    {
      name: 'bench-harness-knows-no-bench',
      severity: 'error',
      comment: 'The harness (flags, results folder, run metadata) is what every bench imports; it imports no bench.',
      from: { path: '^bench/harness/' },
      to: { path: '^bench/', pathNot: '^bench/harness/' },
    },
    {
      name: 'bench-lib-knows-no-subject',
      severity: 'error',
      comment: 'bench/lib holds what benches of several subjects share; it imports no bench of a subject folder.',
      from: { path: '^bench/lib/' },
      to: { path: '^bench/', pathNot: '^bench/(lib|harness)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a port that names an HTTP type is coupled to HTTP even if erased.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
