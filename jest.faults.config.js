/**
 * The fault suite (npm run test:faults, run by .ci/run after npm test): real child processes,
 * killed services, bursts of hundreds of messages. Same setup as the main suite; one file at a
 * time, since each one already runs several app processes on the machine's two cores.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 180000,
  maxWorkers: 1,
};
