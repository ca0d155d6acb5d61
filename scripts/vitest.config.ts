// Node tests (vitest): every package except the elements, whose tests run in Chromium (web-test-runner).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['packages/{queries,data-client,exporter,forecast,actions,actions-service}/test/**/*.test.ts', 'scripts/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.data/vitest-results.json' },
  },
});
