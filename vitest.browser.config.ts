import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the pages people read, in headless Chromium (Debian's, see tests/browser)
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.browser.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
