/**
 * The dependency rules of the code base, checked by `npm run lint`. See the README's development section.
 * A feature is a folder directly under src/ (auth, users, people, …); core and config serve every feature.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-feature',
      comment: 'src/core holds what every feature shares; it must not reach into a feature.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: ['^src/(core|config)/', '^src/embedded-mongo/index\\.ts$'] },
    },
    {
      name: 'feature-through-service',
      comment:
        'A feature uses another feature only through its *.service.ts (never its models, controllers or helpers).',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: ['^src/(core|config|embedded-mongo)/'] },
      to: {
        path: '^src/([^/]+)/',
        pathNot: [
          '^src/$1/',
          '^src/(core|config)/',
          '^src/[^/]+/[^/]+\\.service\\.ts$',
          '^src/embedded-mongo/index\\.ts$',
        ],
      },
    },
    {
      name: 'store-imports-nothing-from-the-app',
      comment: 'The embedded store could become its own package: it depends on nothing of the app.',
      severity: 'error',
      from: { path: '^src/embedded-mongo/' },
      to: { path: '^src/', pathNot: ['^src/embedded-mongo/'] },
    },
    {
      name: 'app-reaches-store-through-index',
      comment: 'The app reaches the embedded store only through src/embedded-mongo/index.ts.',
      severity: 'error',
      from: { path: '^(src|test)/', pathNot: ['^src/embedded-mongo/', '^test/embedded-mongo/', '^bench/'] },
      to: { path: '^src/embedded-mongo/', pathNot: ['^src/embedded-mongo/index\\.ts$'] },
    },
    {
      name: 'store-tests-use-no-app-code',
      comment: 'Store tests test the store alone: no app source and no app test helpers.',
      severity: 'error',
      from: { path: '^test/embedded-mongo/' },
      to: { path: '^(src|test)/', pathNot: ['^src/embedded-mongo/', '^test/embedded-mongo/'] },
    },
    {
      name: 'no-cycles',
      comment:
        'Modules that import each other (directly or round a loop) cannot be understood or moved alone.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data|uploads|test/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
