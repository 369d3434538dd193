// Builds the dashboard into web/dist, which the fleet server serves at `/`; `vite --config web/vite.config.ts`
// serves it for development with the API proxied to a local `exhunt serve`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

/**
 * Only this origin's own files: attacker text on these pages can never load or run anything. Added to the
 * built page only, because the development server injects an inline script for hot reloading.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

function contentSecurityPolicy(): Plugin {
  return {
    name: 'exhunt-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), contentSecurityPolicy()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': process.env.EXHUNT_API ?? 'http://127.0.0.1:8080' } },
});
