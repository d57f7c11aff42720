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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a port that names an HTTP type is coupled to HTTP even if erased.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
