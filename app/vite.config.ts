/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The generated client reads process.env["NODE_ENV"] to keep its error messages out of
// production bundles; the app shows those messages, so it is given a plain object.
export default defineConfig(({ mode }) => ({
  plugins: [react()],
  define: { 'process.env': JSON.stringify({ NODE_ENV: mode === 'production' ? 'production' : 'development' }) },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  // unit tests only; the browser tests (e2e/) run under node --test
  test: { include: ['src/**/*.test.ts'] },
}));
