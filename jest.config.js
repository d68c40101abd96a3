/** Unit specs live next to the code (src/**\/*.spec.ts); integration and e2e suites in test/. */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The fault suite has its own run (jest.faults.config.js, npm run test:faults).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // ESM-only packages (NestJS 12 and a few of its dependencies, the Ogg/Opus WASM decoder
    // and its parts) → CommonJS for Jest.
    '^.+\\.js$': '<rootDir>/test/setup/esm-to-cjs.transformer.js',
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|@borewit|uint8array-extras|content-disposition|cookie|get-east-asian-width|@ungap|flatted|ogg-opus-decoder|opus-decoder|codec-parser|@wasm-audio-decoders)/)',
  ],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  setupFiles: ['<rootDir>/test/setup/env.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
